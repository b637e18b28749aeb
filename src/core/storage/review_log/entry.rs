//! One line of the review log.

use serde::{Deserialize, Serialize};

use crate::core::error::{Result, ron_options};
use crate::core::model::progress::{Change, ReviewEntry};
use crate::core::storage::format::lines::{Cursor, compact_ron};
use crate::core::storage::format::snapshot::review_value;

/// One line of the log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum LogEntry {
    /// An answer, and the sequence number it was journalled with.
    Review(u64, ReviewEntry),
    /// The latest review not yet taken back was taken back.
    Undo(u64),
}

impl LogEntry {
    /// The sequence number.
    #[must_use]
    pub fn seq(&self) -> u64 {
        match self {
            Self::Review(seq, _) | Self::Undo(seq) => *seq,
        }
    }

    /// The log line of a journalled change with sequence number `seq`; `None` for a change
    /// that is not about reviews (card states set directly).
    #[must_use]
    pub fn of(seq: u64, change: &Change) -> Option<Self> {
        match change {
            Change::Answer { review, .. } => Some(Self::Review(seq, review.clone())),
            Change::Undo { .. } => Some(Self::Undo(seq)),
            Change::SetCards { .. } => None,
        }
    }

    /// The entry as a log line, with its `\n`.
    pub fn to_line(&self) -> Result<String> {
        let mut line = compact_ron(self)?;
        line.push('\n');
        Ok(line)
    }
}

/// Parses one log line: the fast path for the form Kartu writes, else `ron`.
///
/// # Errors
/// When the line is not a log entry.
pub fn parse_line(line: &str) -> std::result::Result<LogEntry, ron::error::SpannedError> {
    match parse_line_fast(line) {
        Some(entry) => Ok(entry),
        None => ron_options().from_str(line),
    }
}

/// The fast path of [`parse_line`]: a line exactly as Kartu writes it, else `None`.
pub(crate) fn parse_line_fast(line: &str) -> Option<LogEntry> {
    let mut c = Cursor::new(line);
    if c.lit("Undo(").is_some() {
        let seq = c.u64()?;
        c.lit(")")?;
        return c.is_empty().then_some(LogEntry::Undo(seq));
    }
    c.lit("Review(")?;
    let seq = c.u64()?;
    c.lit(", ")?;
    let review = review_value(&mut c)?;
    c.lit(")")?;
    c.is_empty().then_some(LogEntry::Review(seq, review))
}
