//! The review log: every answer ever given, one RON line each, in `reviews-N.ron`.
//!
//! The log is only ever appended to (by compaction, from the journal) and never rewritten,
//! so a snapshot stays the size of the card states however long the history grows, and
//! loading reads only the log's end: the reviews of the last two days, which the daily limits
//! need. Statistics and backups stream it.
//!
//! Lines are `Review(SEQ, (deck: …, card: …, …))` and `Undo(SEQ)`, after a header comment
//! with the format number. An `Undo` takes back the latest review not already taken back, as
//! the journal's undo does. `SEQ` is the journal sequence number the line came from, so
//! compaction knows where the log ends; reviews brought in from a whole document (on
//! migration or restore) carry 0, being older than any journal record. `N`, the generation, changes
//! only when a restore replaces the whole history: the new log is written under a new name
//! and the snapshot that names it is the single point where the switch happens.

pub(crate) mod common;
mod entry;
mod stream;
mod tail;
mod write;

pub(crate) use common::check_header;
pub use common::{MAX_REVIEW_LOG_BYTES, REVIEW_LOG_FORMAT_VERSION};
#[cfg(test)]
pub(crate) use entry::parse_line_fast;
pub use entry::{LogEntry, parse_line};
pub use stream::{ReviewStream, lines_from};
pub use tail::{TAIL_WINDOW_SECS, Tail, read_tail};
pub(crate) use write::NewLog;
pub use write::{append, sweep_other_generations};

#[cfg(test)]
mod tests;
