//! A collection's history on disk: snapshots (compaction), backups, and restoring one.

use std::fs;
use std::path::PathBuf;

use super::{Collection, Mode, ProgressProblem, ReadOnly, Upkeep};
use crate::core::error::{Error, Result};
use crate::core::model::progress::{Folded, Progress};
use crate::core::storage::atomic;
use crate::core::storage::backup::{self, BackupJob};
use crate::core::storage::compaction::SnapshotJob;
use crate::core::storage::format::lines::record_hash;
use crate::core::storage::journal;
use crate::core::storage::paths::{self, review_log_generation};
use crate::core::storage::review_log::{self, NewLog};
use crate::core::time::Timestamp;

impl Collection {
    /// A backup to write when one is due (progress changed since the backup of the latest
    /// progress, and that one is 30 minutes old or dated in the future); run it anywhere.
    /// Writers only.
    pub fn backup_job(&mut self, now: Timestamp) -> Option<BackupJob> {
        if !self.is_writer() {
            return None;
        }
        let newest = self.newest_backup.map(|(at, seq)| backup::BackupInfo {
            id: at.compact_id(),
            at,
            cards: 0,
            reviews: 0,
            seq,
            path: PathBuf::new(),
        });
        if self.progress.seq == 0 || !backup::is_due(newest.as_ref(), self.progress.seq, now) {
            return None;
        }
        if let Some(newest) = &newest
            && backup::is_from_the_future(newest, now)
        {
            // Said once: from now on the newest backup is this one.
            self.notices.push(format!(
                "the latest backup ({}) is dated after the current time {} (the clock was changed?); backing up now anyway",
                newest.at, now
            ));
        }
        // Counted as made when handed out, so one slow job is not started twice.
        self.newest_backup = Some((now, self.progress.seq));
        Some(BackupJob::new(&self.paths, now, self.clock.clone()))
    }

    /// Things that happened since opening that the learner should hear about (for the status
    /// bar, or stderr), each given once.
    pub fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    /// Calls `each` with every review in the learner's history, oldest first (as recorded),
    /// answers not yet folded into the review log included. Reads the files: not while a
    /// snapshot or backup of this collection runs.
    pub fn for_each_review(
        &self,
        each: &mut dyn FnMut(&crate::core::model::progress::ReviewEntry) -> Result<()>,
    ) -> Result<()> {
        for_each_review_in(&self.paths, each)
    }

    /// All backups, newest first.
    pub fn backups(&self) -> Result<Vec<backup::BackupInfo>> {
        backup::list(&self.paths)
    }

    /// Replaces progress with backup `id`, after backing up the current state. Returns the
    /// backup of the current state, when there was anything to back up.
    ///
    /// The backup is read whole first (into a review log not yet in use), so one that is
    /// missing or does not read changes nothing, and the backup of the current state cannot
    /// prune it away first. Progress whose files do not belong together
    /// ([`Error::Inconsistent`]) cannot be backed up: its files are kept as copies
    /// (`FILE.inconsistent-TIME`) instead.
    pub fn restore_backup(
        &mut self,
        id: &str,
        now: Timestamp,
    ) -> Result<Option<backup::BackupInfo>> {
        let backup_file = backup::backup_path(&self.paths, id)?;
        // Only the writer restores; progress that does not fit together may be restored
        // over once the lock is held.
        let lock = match (&self.mode, self.progress_problem()) {
            (Mode::Writer(_), _) => None,
            (_, Some(ProgressProblem::Inconsistent)) => Some(paths::lock(&self.paths)?),
            _ => return Err(self.read_only_error()),
        };
        let generation = self.free_generation();
        let log_file = self.paths.review_log_file(generation);
        let mut log = NewLog::create(&log_file, 0)?;
        let restored = Progress::load_with(&backup_file, &mut log)?;
        let log_bytes = log.finish()?;
        let current = if lock.is_some() {
            let suffix = format!("inconsistent-{}", now.compact_id());
            for file in self.progress_files() {
                fs::copy(&file, atomic::set_aside_name(&file, &suffix))
                    .map_err(|err| Error::io(&file, err))?;
            }
            None
        } else if self.progress.seq > 0 || self.progress.card_count() > 0 {
            let info = BackupJob::new(&self.paths, now, self.clock.clone())
                .pin(id)
                .run()?;
            Some(info)
        } else {
            None
        };
        self.install_history(restored, generation, log_bytes, lock)?;
        self.refresh_newest_backup()?;
        Ok(current)
    }

    /// The progress files on disk: snapshot, journal and review logs.
    pub(super) fn progress_files(&self) -> Vec<PathBuf> {
        let mut files = vec![self.paths.progress_file(), self.paths.journal_file()];
        if let Ok(entries) = fs::read_dir(&self.paths.root) {
            let mut logs: Vec<PathBuf> = entries
                .flatten()
                .filter(|e| {
                    e.file_name()
                        .to_str()
                        .and_then(review_log_generation)
                        .is_some()
                })
                .map(|e| e.path())
                .collect();
            logs.sort();
            files.extend(logs);
        }
        files.retain(|file| file.exists());
        files
    }

    /// A review log generation no file has yet.
    fn free_generation(&self) -> u32 {
        let mut generation = self.review_log_generation() + 1;
        while self.paths.review_log_file(generation).exists() {
            generation += 1;
        }
        generation
    }

    /// Replaces all progress: `fill` writes the reviews into a new review log (a new
    /// generation) and returns the card states. Writers only.
    pub(crate) fn replace_history(
        &mut self,
        fill: &mut dyn FnMut(&mut NewLog) -> Result<Progress>,
    ) -> Result<()> {
        self.require_writer()?;
        let generation = self.free_generation();
        let log_file = self.paths.review_log_file(generation);
        let mut log = NewLog::create(&log_file, 0)?;
        let progress = fill(&mut log)?;
        let log_bytes = log.finish()?;
        self.install_history(progress, generation, log_bytes, None)
    }

    /// Puts `progress`, whose history is the finished review log `generation`, in place of
    /// all progress. The new snapshot naming the new log is the one moment the switch
    /// happens; a crash before it leaves the old state whole (and the unused log is removed
    /// at the next start). It accounts for every journal record (a sequence number past them
    /// all, and `folded` naming the last), so none is replayed on top of it. `lock`: the
    /// writer's lock, when progress was not loaded (it is loaded afresh after).
    fn install_history(
        &mut self,
        mut progress: Progress,
        generation: u32,
        log_bytes: u64,
        lock: Option<std::fs::File>,
    ) -> Result<()> {
        let records = journal::read_records(&self.paths)?;
        let last = records.last().map(|r| &r.record);
        let on_disk = if lock.is_some() {
            Progress::load_snapshot(&self.paths.progress_file()).map_or(0, |p| p.seq)
        } else {
            0
        };
        progress.seq = self
            .progress
            .seq
            .max(on_disk)
            .max(last.map_or(0, |r| r.seq))
            + 1;
        progress.review_log = Some(generation);
        progress.review_log_bytes = Some(log_bytes);
        progress.folded = match last {
            Some(record) => Some(Folded {
                seq: record.seq,
                hash: record_hash(record)?,
            }),
            None => None,
        };
        progress.reviews.clear();
        progress.save(&self.paths.progress_file())?;
        let log_file = self.paths.review_log_file(generation);
        match lock {
            None => {
                self.finish_snapshot(progress.seq)?;
                // The old history is in the backup just made (or copied aside).
                review_log::sweep_other_generations(&self.paths, generation);
                progress.reviews =
                    review_log::read_tail(&log_file, review_log::TAIL_WINDOW_SECS)?.reviews;
                self.set_progress(progress);
            }
            Some(lock) => {
                atomic::atomic_write(
                    &self.paths.journal_file(),
                    journal::empty_journal().as_bytes(),
                )?;
                review_log::sweep_other_generations(&self.paths, generation);
                let error = self.progress_error().map(str::to_owned);
                self.problems.retain(|p| Some(p) != error.as_ref());
                self.load_progress(Some(lock));
                if let Some(reason) = self.progress_error() {
                    return Err(Error::ReadOnly(reason.to_owned()));
                }
            }
        }
        Ok(())
    }

    /// Sets how many journal records make a snapshot due (at least 1).
    pub fn set_snapshot_every(&mut self, records: usize) {
        self.snapshot_every = records.max(1);
    }

    /// A snapshot to write when the journal has grown past `snapshot_every` (by default
    /// [`crate::core::storage::compaction::COMPACT_AFTER_RECORDS`])
    /// records, or with `force` whenever it has any. Run it anywhere (it holds a copy), then
    /// call [`Collection::finish_snapshot`].
    #[must_use]
    pub fn snapshot_job(&self, force: bool) -> Option<SnapshotJob> {
        let Mode::Writer(journal) = &self.mode else {
            return None;
        };
        let records = journal.records();
        let due = records >= self.snapshot_every || (force && records > 0);
        due.then(|| SnapshotJob::new(&self.paths, self.progress.seq, self.review_log_generation()))
    }

    /// After a snapshot up to `seq` was written: drops the journal records it holds.
    pub fn finish_snapshot(&mut self, seq: u64) -> Result<()> {
        match self.journal_mut() {
            Some(journal) => journal.trim_through(seq),
            None => Ok(()),
        }
    }

    /// Ends a one-shot command: the snapshot and backup that are due, to run after the
    /// collection is gone from memory (both read the files on disk), still holding the lock.
    #[must_use]
    pub fn into_upkeep(mut self, now: Timestamp) -> Upkeep {
        let snapshot = self.snapshot_job(false);
        let backup = self.backup_job(now);
        let journal = match std::mem::replace(&mut self.mode, Mode::ReadOnly(ReadOnly::Chosen)) {
            Mode::Writer(journal) => Some(journal),
            Mode::ReadOnly(_) | Mode::Deferred => None,
        };
        Upkeep {
            journal,
            snapshot,
            backup,
            notices: self.take_notices(),
        }
    }
}

/// [`Collection::for_each_review`] for a data directory, without a collection (a worker's
/// job): not while a snapshot, backup or restore of the same directory runs.
pub fn for_each_review_in(
    paths: &crate::core::storage::paths::DataPaths,
    each: &mut dyn FnMut(&crate::core::model::progress::ReviewEntry) -> Result<()>,
) -> Result<()> {
    let on_disk = crate::core::storage::replay::HistoryOnDisk::read(paths)?;
    crate::core::storage::review_log::ReviewStream::prepare(
        on_disk.inline,
        on_disk.log.as_deref(),
        &on_disk.later,
    )?
    .for_each(each)
}
