//! The functional core: decks, scheduling, study sessions, progress and its storage.
//!
//! Nothing here imports egui or reads the clock: every function that needs the time takes a
//! [`time::Timestamp`] (and a [`time::DayClock`] for the local day boundary).

pub mod backup;
pub mod bundled;
pub mod collection;
pub mod deck;
pub mod error;
mod fastparse;
pub mod journal;
pub mod packed;
pub mod progress;
pub mod review_log;
pub mod scheduler;
pub mod session;
pub mod settings;
pub mod storage;
pub mod time;

pub use error::{Error, Result};
