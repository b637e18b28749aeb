//! One backup as listed: its id (the UTC time it was made) and its counts.

use std::path::PathBuf;

use crate::core::time::Timestamp;

/// One backup, as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupInfo {
    /// Its id: the UTC time it was made, `YYYYMMDD-HHMMSS`.
    pub id: String,
    /// When it was made.
    pub at: Timestamp,
    /// Cards with progress in it.
    pub cards: usize,
    /// Reviews in it.
    pub reviews: usize,
    /// The progress sequence number it holds.
    pub seq: u64,
    /// Its file.
    pub path: PathBuf,
}

/// The id of a backup made at `at`.
#[must_use]
pub fn backup_id(at: Timestamp) -> String {
    at.compact_id()
}

pub(crate) fn parse_id(id: &str) -> Option<Timestamp> {
    let time = jiff::civil::DateTime::strptime("%Y%m%d-%H%M%S", id).ok()?;
    let zoned = time.to_zoned_datetime(jiff::tz::TimeZone::UTC).ok()?;
    Some(zoned.timestamp().into())
}
