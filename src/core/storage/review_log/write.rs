//! Writing the review log: compaction's appends, and whole new logs (migration, restore).

use std::fs::{self, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

use super::common::{HEADER, REVIEW_LOG_FORMAT_VERSION};
use super::entry::LogEntry;
use super::tail::read_tail;
use crate::core::error::{Error, Result};
use crate::core::model::progress::ReviewEntry;
use crate::core::storage::atomic::{self, AtomicWriter};
use crate::core::storage::format::lines;
use crate::core::storage::format::snapshot::ReviewSink;
use crate::core::storage::paths::{DataPaths, review_log_generation};

/// Appends `entries` to the log at `path` and flushes them to disk; returns the log's length
/// after. A torn last line left by a crash is cut off first (even with nothing to append);
/// a new file gets the header.
pub fn append(path: &Path, entries: &[LogEntry]) -> Result<u64> {
    let tail_len = read_tail(path, 0)?.intact_len;
    let created = !path.exists();
    let mut file = OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(false)
        .open(path)
        .map_err(|err| Error::io(path, err))?;
    let len = file.metadata().map_err(|err| Error::io(path, err))?.len();
    if len != tail_len {
        file.set_len(tail_len).map_err(|err| Error::io(path, err))?;
    }
    let mut text = String::new();
    if tail_len == 0 {
        text.push_str(&header_line());
    }
    for entry in entries {
        text.push_str(&entry.to_line()?);
    }
    let written = file
        .seek(SeekFrom::Start(tail_len))
        .and_then(|_| file.write_all(text.as_bytes()))
        .and_then(|()| file.sync_data());
    if let Err(err) = written {
        // Whole lines only: what was half written goes (the journal still has it all).
        file.set_len(tail_len).ok();
        return Err(Error::io(path, err));
    }
    if created {
        atomic::sync_parent(path)?;
    }
    Ok(tail_len + text.len() as u64)
}

fn header_line() -> String {
    lines::header_line(HEADER, REVIEW_LOG_FORMAT_VERSION)
}

/// A new log written at `path` (atomically, when finished) holding reviews that all carry
/// sequence number `seq`.
pub(crate) struct NewLog {
    writer: AtomicWriter,
    seq: u64,
    /// Bytes written so far.
    len: u64,
}

impl NewLog {
    /// Starts a new log file at `path`.
    pub(crate) fn create(path: &Path, seq: u64) -> Result<Self> {
        let mut log = Self {
            writer: AtomicWriter::create(path)?,
            seq,
            len: 0,
        };
        log.write(&header_line())?;
        Ok(log)
    }

    fn write(&mut self, text: &str) -> Result<()> {
        self.writer.write(text.as_bytes())?;
        self.len += text.len() as u64;
        Ok(())
    }

    /// Flushes the file to disk and puts it in place; returns its length.
    pub(crate) fn finish(self) -> Result<u64> {
        self.writer.finish()?;
        Ok(self.len)
    }
}

impl ReviewSink for NewLog {
    fn review(&mut self, review: ReviewEntry) -> Result<()> {
        self.write(&LogEntry::Review(self.seq, review).to_line()?)
    }

    fn restart(&mut self) -> Result<()> {
        self.writer.restart()?;
        self.len = 0;
        self.write(&header_line())
    }
}

/// Removes log files of other generations than `current` (left by a restore that was cut
/// short, or not yet removed after one). Only ever call this holding the lock.
pub fn sweep_other_generations(paths: &DataPaths, current: u32) {
    let Ok(entries) = fs::read_dir(&paths.root) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if let Some(generation) = name.to_str().and_then(review_log_generation)
            && generation != current
        {
            // Tried again at the next start if it cannot be removed now.
            fs::remove_file(entry.path()).ok();
        }
    }
}
