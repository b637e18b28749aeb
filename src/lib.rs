//! Kartu: offline flashcards with the FSRS scheduler.
//!
//! [`core`] is the functional core (no egui, time and randomness passed in); [`ui`] is the egui
//! shell on top of it, behind the default `gui` feature; [`cli`] holds the headless subcommands.

pub mod cli;
pub mod core;
#[cfg(feature = "gui")]
pub mod ui;
