//! What Anki does with its review log, on the `fsrs` crate: training items, memory states
//! from a history, the optimizer and its metrics, the simulator, and true retention.
//!
//! Everything here reproduces what Anki (26.x, `rslib/src/scheduler/fsrs/` and
//! `rslib/src/stats/graphs/retention.rs`) does with its review log, and delegates
//! every piece of FSRS arithmetic to the [`fsrs`] crate (6.6.x, FSRS-6):
//!
//! * [`training_items`] turns a review log into the crate's [`fsrs::FSRSItem`]s,
//!   with Anki's filtering (resets, cramming, manual entries, cutoff date).
//! * [`memory_state_from_history`] / [`memory_state_for_card`] compute a card's
//!   memory state from its history, with Anki's SM-2 fallback
//!   ([`memory_state_from_sm2`]).
//! * [`optimize`] / [`evaluate`] / [`evaluate_time_series`] wrap the crate's
//!   parameter optimiser and metrics.
//! * [`simulate_workload`] / [`optimal_retention`] wrap the crate's simulator.
//! * [`true_retention`] computes the figures of Anki's "True retention" table.
//!
//! Days are counted exactly as Anki counts them: relative to the next day
//! rollover ([`DayClock`]).
//!
//! The logic was read from Anki's source (26.08.x) and checked against the
//! Anki 26.9.3 backend itself: memory states, item counts, metrics, optimised
//! parameters, simulations and the retention table agree (see `tests/`).

mod clock;
mod items;
mod memory;
mod optimize;
mod retention;
mod simulate;
mod types;

pub use clock::{DayClock, ignore_before_ms_from_date};
pub use items::{TrainingSet, training_items};
pub use memory::{
    CardSchedule, HistoryOptions, memory_state_for_card, memory_state_from_history,
    memory_state_from_sm2,
};
pub use optimize::{
    Evaluation, OptimizeOptions, Optimized, evaluate, evaluate_time_series, health_check, optimize,
};
pub use retention::{
    RetentionClass, RetentionCounts, TrueRetention, retention_class, true_retention,
};
pub use simulate::{
    ExistingCard, SimulationOptions, SimulationPlan, Workload, default_retentions,
    optimal_retention, simulate_workload,
};

pub use types::{Error, Result, Review, ReviewKind};

/// The crate types that appear in this module's API, re-exported so callers
/// need not name `fsrs` themselves.
pub use fsrs::{DEFAULT_PARAMETERS, FSRS, FSRSItem, FSRSReview, MemoryState};
