//! The Anki package and text readers (`core::import::anki`): the real fixtures made by Anki 26.9.3, hostile packages and databases, fuzzing, and HTML to Markdown.

// Test helpers may unwrap, like the tests themselves (clippy only exempts `#[test]` functions).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod fixtures;
mod fuzz;
mod hostile_db;
mod hostile_zip;
mod html;
