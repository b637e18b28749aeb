//! What Anki does with a review log, on the fsrs crate (`core::scheduler::anki`): memory states, training items, optimizer, simulator and true retention, checked against the fixtures and Anki's own figures.

// Test helpers may unwrap, like the tests themselves (clippy only exempts `#[test]` functions).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod anki_fixtures;
mod simulation;
mod support;
mod synthetic;
