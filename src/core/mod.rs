//! The functional core: decks, scheduling, study sessions, progress and its storage.
//!
//! Nothing here imports egui or reads the clock: every function that needs the time takes a
//! [`time::Timestamp`] (and a [`time::DayClock`] for the local day boundary).
//!
//! Layers, each importing only from its own layer and the ones below it (checked by
//! `tests/layers.rs`; see ARCHITECTURE.md): `error`, `time`, `ids`, `bundled` ← `model/`,
//! `scheduler/` ← `storage/` ← `study/`, `collection/` ← `dev/`, `edit/`, `import/`,
//! `export/`, `search/`, `stats/`.

pub mod bundled;
pub mod collection;
pub mod dev;
pub mod edit;
pub mod error;
pub mod export;
pub mod ids;
pub mod import;
pub mod model;
pub mod scheduler;
pub mod search;
pub mod stats;
pub mod storage;
pub mod study;
pub mod time;

pub use error::{Error, Result};
