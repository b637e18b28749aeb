//! Kartu: offline flashcards with the FSRS scheduler.
//!
//! [`core`] is the functional core (no egui, time and randomness passed in); [`ui`] is the egui
//! shell on top of it, behind the default `gui` feature; [`cli`] holds the headless subcommands; [`memory`] lets the binary's allocator give memory back
//! between the steps of long work.

pub mod cli;
pub mod core;
pub mod memory;
#[cfg(feature = "gui")]
pub mod ui;
