//! Compaction: folding the journal into a new snapshot, from the files on disk.

use std::path::PathBuf;

use crate::core::error::{Error, Result};
use crate::core::model::progress::{Progress, ReviewEntry};
use crate::core::storage::format::snapshot::ReviewSink;
use crate::core::storage::journal::read_records;
use crate::core::storage::paths::DataPaths;
use crate::core::storage::replay::{check_review_log, replay};
use crate::core::storage::review_log::{self, LogEntry, NewLog};

/// After this many journal records a snapshot is due.
pub const COMPACT_AFTER_RECORDS: usize = 1000;

/// Reviews read from a whole progress document go into a new review log, created only when
/// the first one comes (an older snapshot being migrated).
struct MigratingSink {
    path: PathBuf,
    log: Option<NewLog>,
}

impl ReviewSink for MigratingSink {
    fn review(&mut self, review: ReviewEntry) -> Result<()> {
        if self.log.is_none() {
            self.log = Some(NewLog::create(&self.path, 0)?);
        }
        self.log.as_mut().map_or(Ok(()), |log| log.review(review))
    }

    fn restart(&mut self) -> Result<()> {
        self.log.as_mut().map_or(Ok(()), NewLog::restart)
    }
}

/// Compaction: folds the journal, as it is on disk, into a new snapshot. Runs anywhere (it
/// holds no copy of the progress: it reads the last snapshot and the journal), one at a
/// time; afterwards [`Journal::trim_through`] drops the records it holds.
///
/// The journal's new reviews are appended to the review log first and flushed, then the
/// snapshot is replaced atomically: a crash in between leaves the old snapshot, whose
/// journal records are replayed as before (the log's sequence numbers show which reviews it
/// already has). A whole-document snapshot from before the review log (format 1–2) is
/// migrated the same way: its reviews go to a new log before the new snapshot names it.
#[derive(Debug)]
pub struct SnapshotJob {
    paths: DataPaths,
    through: u64,
    generation: u32,
}

impl SnapshotJob {
    /// A job folding journal records up to `through` into a snapshot whose review log is
    /// generation `generation`.
    #[must_use]
    pub fn new(paths: &DataPaths, through: u64, generation: u32) -> Self {
        Self {
            paths: paths.clone(),
            through,
            generation,
        }
    }

    /// Writes the snapshot; returns its sequence number.
    pub fn run(self) -> Result<u64> {
        let snapshot_path = self.paths.progress_file();
        let log_path = self.paths.review_log_file(self.generation);
        let mut sink = MigratingSink {
            path: log_path.clone(),
            log: None,
        };
        let mut progress = Progress::load_snapshot_with(&snapshot_path, &mut sink)?;
        if progress.review_log.is_none() {
            // A whole document: its reviews are the new log's start.
            let log = match sink.log {
                Some(log) => log,
                None => NewLog::create(&log_path, 0)?,
            };
            log.finish()?;
        } else if progress.review_log != Some(self.generation) {
            return Err(Error::Inconsistent {
                path: snapshot_path,
                message: format!(
                    "the snapshot names review log {:?}, expected {}",
                    progress.review_log, self.generation
                ),
            });
        } else {
            check_review_log(&self.paths, &progress)?;
        }
        if progress.seq >= self.through && progress.review_log.is_some() {
            return Ok(progress.seq);
        }
        let logged = review_log::read_tail(&log_path, 0)?
            .last_seq
            .max(progress.seq);
        let mut entries = Vec::new();
        let journal = self.paths.journal_file();
        let replayed = replay(
            &mut progress,
            &read_records(&self.paths)?,
            &journal,
            self.through,
            &mut |record, _| {
                if record.seq > logged
                    && let Some(entry) = LogEntry::of(record.seq, &record.change)
                {
                    entries.push(entry);
                }
            },
        )?;
        if progress.seq != self.through {
            return Err(Error::Inconsistent {
                path: journal,
                message: format!(
                    "ends at record {}, but the answers in memory reach record {}",
                    progress.seq, self.through
                ),
            });
        }
        let log_bytes = review_log::append(&log_path, &entries)?;
        progress.review_log = Some(self.generation);
        progress.review_log_bytes = Some(log_bytes);
        progress.folded = replayed.folded;
        progress.reviews.clear();
        progress.save(&snapshot_path)?;
        Ok(progress.seq)
    }
}
