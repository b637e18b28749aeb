//! Import and export end to end: every importer against real Anki files (the result agrees
//! with what Anki itself has), updates that keep progress, exports read back by Kartu's own
//! importers, and hostile files that are refused with nothing changed.

// Test helpers may unwrap, like the tests themselves (clippy only exempts `#[test]` functions).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod anki;
mod exports;
mod hostile;
mod support;
mod updates;
