//! Anki's search language (`core::search`): each operator, precedence, wildcards, escapes, errors with positions, and speed-independent properties.

// Test helpers may unwrap, like the tests themselves (clippy only exempts `#[test]` functions).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod collection;
mod common;
mod fields;
mod meta;
mod parse;
mod properties;
mod sched;
mod text;
