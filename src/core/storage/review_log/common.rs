//! What the review log's readers and writers share: its limits, its header, and the errors
//! that name a line.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::core::error::{Error, Result, TextPosition, ron_line_error};
use crate::core::storage::atomic;
use crate::core::storage::format::lines;

/// The newest review log format this build reads and the one it writes.
pub const REVIEW_LOG_FORMAT_VERSION: u32 = 1;

/// Review logs larger than this are refused.
pub const MAX_REVIEW_LOG_BYTES: u64 = 16 * 1024 * 1024 * 1024;

pub(crate) const HEADER: &str = "// kartu review log, format ";

/// How much of the file is read at a time from its end.
pub(crate) const CHUNK_BYTES: usize = 256 * 1024;

/// Longer lines are damage (a review line is about 170 bytes).
pub(crate) const MAX_LINE_BYTES: u64 = 1024 * 1024;

/// The error for a bad line starting at byte `offset` of the file at `path`.
pub(crate) fn line_error(
    path: &Path,
    offset: u64,
    line: &str,
    err: &ron::error::SpannedError,
) -> Error {
    ron_line_error(path, line, line_number_at(path, offset), err)
}

/// The 1-based line number of the line starting at byte `offset` (counted only on the rare
/// path of an error).
pub(crate) fn line_number_at(path: &Path, offset: u64) -> usize {
    File::open(path).ok().map_or(0, |file| {
        BufReader::new(file.take(offset)).split(b'\n').count()
    }) + 1
}

/// Damage found at the line starting at byte `offset`.
pub(crate) fn damage_at(path: &Path, offset: u64, message: String) -> Error {
    Error::Parse {
        path: path.to_path_buf(),
        position: Some(TextPosition {
            line: line_number_at(path, offset),
            col: 1,
        }),
        message,
    }
}

/// Checks the header line, if the file has one.
pub(crate) fn check_header(path: &Path, first_line: &str) -> Result<()> {
    lines::check_header(
        path,
        first_line.trim_end_matches('\n'),
        1,
        HEADER,
        REVIEW_LOG_FORMAT_VERSION,
    )
}

pub(crate) fn open_limited(path: &Path) -> Result<Option<(File, u64)>> {
    atomic::open_limited(path, MAX_REVIEW_LOG_BYTES)
}
