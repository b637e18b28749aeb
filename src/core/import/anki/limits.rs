//! Caps applied before and while parsing, so a hostile file costs bounded
//! time, memory and disk.

use std::time::Duration;

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;
const GIB: u64 = 1024 * MIB;

/// Caps for [`read_package`](super::read_package). Every cap is checked
/// against what is actually read, never against sizes the file declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest package file accepted, in bytes (checked before opening it).
    pub max_package_bytes: u64,
    /// Most zip entries accepted (also bounds how much of the zip directory is parsed).
    pub max_entries: usize,
    /// Largest collection database after decompression, in bytes. This is
    /// also the most disk the private temporary copy can use.
    pub max_collection_bytes: u64,
    /// Largest single media file after decompression, in bytes.
    pub max_media_bytes: u64,
    /// Largest sum of all media files after decompression, in bytes.
    pub max_total_media_bytes: u64,
    /// Most media files accepted (entries in the media map).
    pub max_media_files: usize,
    /// Largest single value (a note's fields, the JSON of all note types…)
    /// read from the database, in bytes.
    pub max_value_bytes: u64,
    /// Most notes accepted. Rows take more memory than disk, so row counts
    /// are capped (and checked before any row is read).
    pub max_notes: usize,
    /// Most cards accepted.
    pub max_cards: usize,
    /// Most review log entries accepted.
    pub max_revlog: usize,
    /// Most decks, and separately most note types, accepted.
    pub max_decks_or_notetypes: usize,
    /// Wall-clock time after which reading gives up.
    pub max_duration: Duration,
}

impl Default for Limits {
    /// Generous enough for any real collection: package 2 GiB, 100,000 zip
    /// entries, collection 1 GiB, media file 50 MiB, media in total 4 GiB,
    /// 100,000 media files, single value 64 MiB, 2 million notes, 4 million
    /// cards, 10 million reviews, 50,000 decks / note types, 120 s.
    fn default() -> Self {
        Self {
            max_package_bytes: 2 * GIB,
            max_entries: 100_000,
            max_collection_bytes: GIB,
            max_media_bytes: 50 * MIB,
            max_total_media_bytes: 4 * GIB,
            max_media_files: 100_000,
            max_value_bytes: 64 * MIB,
            max_notes: 2_000_000,
            max_cards: 4_000_000,
            max_revlog: 10_000_000,
            max_decks_or_notetypes: 50_000,
            max_duration: Duration::from_mins(2),
        }
    }
}

/// Caps for [`read_notes_text`](super::read_notes_text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextLimits {
    /// Largest text file accepted, in bytes.
    pub max_file_bytes: u64,
    /// Most data rows accepted.
    pub max_rows: usize,
    /// Most columns accepted in one row.
    pub max_columns: usize,
}

impl Default for TextLimits {
    /// File 128 MiB, 1,000,000 rows, 1,000 columns.
    fn default() -> Self {
        Self {
            max_file_bytes: 128 * MIB,
            max_rows: 1_000_000,
            max_columns: 1_000,
        }
    }
}
