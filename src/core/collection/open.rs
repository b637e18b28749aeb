//! Opening a collection: how (the lock or not, read-only or not, for which purpose), loading
//! progress, migrating older progress, and setting aside files that do not parse.

use std::fs;
use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;

use super::installed::load_decks;
use super::{Access, Collection, Mode, ProgressProblem, Purpose, ReadOnly};
use crate::core::error::{Error, Result};
use crate::core::model::progress::Progress;
use crate::core::model::settings::Settings;
use crate::core::storage::atomic;
use crate::core::storage::backup;
use crate::core::storage::compaction::{COMPACT_AFTER_RECORDS, SnapshotJob};
use crate::core::storage::journal::Journal;
use crate::core::storage::paths::{self, DataPaths, review_log_generation};
use crate::core::storage::replay;
use crate::core::storage::review_log::{self, NewLog};
use crate::core::time::{DayClock, Timestamp};

impl Collection {
    /// Opens the data directory for `purpose`, deciding for the shell how (see [`Purpose`]).
    pub fn open_for(paths: DataPaths, time_zone: TimeZone, purpose: Purpose) -> Result<Self> {
        match purpose {
            Purpose::Study => {
                match Self::open(paths.clone(), time_zone.clone(), Access::ReadWrite) {
                    Ok(collection) => Ok(collection),
                    // Another window, or a directory Kartu may not write: read-only, saying why.
                    Err(err) => {
                        let mut collection = Self::open(paths, time_zone, Access::ReadOnly)?;
                        let reason = err.to_string();
                        if collection.progress_problem().is_some() {
                            collection.problems.push(reason);
                        } else {
                            collection.mode = Mode::ReadOnly(ReadOnly::NoLock(reason));
                        }
                        Ok(collection)
                    }
                }
            }
            Purpose::Read => {
                let collection = Self::open(paths, time_zone, Access::ReadOnly)?;
                if let Some(reason) = collection.progress_error() {
                    return Err(Error::ProgressUnusable(reason.to_owned()));
                }
                collection.refuse_unreadable_decks()?;
                Ok(collection)
            }
            Purpose::Write => {
                let mut collection = Self::open(paths, time_zone, Access::Deferred)?;
                collection.refuse_unreadable_decks()?;
                collection.refuse_unusable_progress = true;
                Ok(collection)
            }
            Purpose::Repair => Self::open(paths, time_zone, Access::ReadOnly),
        }
    }

    /// A command must not go on as if a deck file that does not parse were not there; the
    /// window moves such files aside instead.
    fn refuse_unreadable_decks(&self) -> Result<()> {
        if self.unreadable_decks.is_empty() {
            return Ok(());
        }
        let errors: Vec<&str> = self
            .unreadable_decks
            .iter()
            .map(|(_, error)| error.as_str())
            .collect();
        Err(Error::UnreadableDecks(errors.join("\n")))
    }

    /// Opens the data directory: bundled decks, imported decks, settings and progress.
    ///
    /// Files that cannot be read are left untouched and reported in [`Collection::problems`];
    /// if that file is the progress file, the collection is read-only.
    /// With [`Access::ReadWrite`] the data directory's lock is taken first and temp files a
    /// crash left behind are removed; with [`Access::ReadOnly`] nothing is created or written.
    pub fn open(paths: DataPaths, time_zone: TimeZone, access: Access) -> Result<Self> {
        let mut problems = Vec::new();
        let (settings, settings_unreadable) = match Settings::load(&paths.settings_file()) {
            Ok(mut settings) => {
                problems.extend(settings.repair(&paths.settings_file()));
                (settings, false)
            }
            Err(err) => {
                problems.push(format!("{err}; using default settings (the file is kept until settings are saved, then renamed to settings.ron.unreadable)"));
                (Settings::default(), true)
            }
        };
        // A writer holds the lock before it reads anything (temp files a crash left behind go
        // first).
        let lock = if access == Access::ReadWrite {
            let lock = paths::lock(&paths)?;
            paths::sweep_temp_files(&paths);
            Some(lock)
        } else {
            None
        };
        let mut unreadable_decks = Vec::new();
        // The deck files and the progress files are parsed at once, on two threads: opening
        // waits for the longer of the two only.
        let (decks, loaded) = std::thread::scope(|scope| {
            let progress =
                (access != Access::Deferred).then(|| scope.spawn(|| replay::load(&paths)));
            let decks = load_decks(&paths.decks_dir(), &mut problems, &mut unreadable_decks);
            let loaded = progress.map(|reader| {
                reader.join().unwrap_or_else(|_| {
                    Err(Error::Invalid(
                        "reading the progress files stopped".to_owned(),
                    ))
                })
            });
            (decks, loaded)
        });
        let schedulers = super::schedulers(&settings, None)?;
        let clock = DayClock::new(time_zone.clone(), settings.day_start_hour);
        let mut collection = Self {
            paths,
            decks,
            progress: Progress::default(),
            settings,
            schedulers,
            clock,
            time_zone,
            fuzz_override: None,
            mode: Mode::Deferred,
            refuse_unusable_progress: false,
            newest_backup: None,
            problems,
            notices: Vec::new(),
            settings_unreadable,
            unreadable_decks,
            snapshot_every: COMPACT_AFTER_RECORDS,
            edits: super::edit::EditsState::default(),
        };
        collection.load_edits();
        if let Some(loaded) = loaded {
            collection.take_progress(lock, loaded);
            if access == Access::ReadWrite {
                collection.after_writer_load()?;
            }
        }
        Ok(collection)
    }

    /// Takes the lock and reloads progress under it, so this process may write. Lets a
    /// command check its arguments on a read-only collection before writing anything.
    ///
    /// Progress that cannot be used leaves the collection read-only; for a command that
    /// opened with [`Purpose::Write`] that is an error ([`Error::ProgressUnusable`]).
    pub fn become_writer(&mut self) -> Result<()> {
        if self.is_writer() {
            return Ok(());
        }
        let lock = paths::lock(&self.paths)?;
        // Temp files can only be left by a writer that crashed: none is running now.
        paths::sweep_temp_files(&self.paths);
        self.load_progress(Some(lock));
        self.after_writer_load()
    }

    /// After progress was loaded under the lock: a snapshot with inline reviews is migrated
    /// to a review log, or progress that cannot be used is refused where asked.
    fn after_writer_load(&mut self) -> Result<()> {
        if self.is_writer() {
            self.move_history_to_review_log()?;
        } else if self.refuse_unusable_progress
            && let Some(reason) = self.progress_error()
        {
            return Err(Error::ProgressUnusable(reason.to_owned()));
        }
        self.refresh_newest_backup()?;
        Ok(())
    }

    pub(super) fn refresh_newest_backup(&mut self) -> Result<()> {
        self.newest_backup = backup::newest(&backup::list(&self.paths)?).map(|b| (b.at, b.seq));
        Ok(())
    }

    /// The review log generation in use (the first one until a snapshot names one).
    pub(super) fn review_log_generation(&self) -> u32 {
        self.progress.review_log.unwrap_or(1)
    }

    /// A snapshot that still holds its reviews inline (format 1–2, or none yet) is migrated:
    /// the reviews go to a review log and a new snapshot names it. The old file is kept
    /// beside it as `progress.ron.format-N`. Then logs of other generations (a restore cut
    /// short) are removed. Writers only.
    fn move_history_to_review_log(&mut self) -> Result<()> {
        if self.progress.review_log.is_none() {
            let snapshot = self.paths.progress_file();
            // `self.progress` was just read from it, so its format is the file's.
            if snapshot.exists() {
                let mut kept = snapshot.clone().into_os_string();
                kept.push(format!(".format-{}", self.progress.format));
                // A hard link costs no space; if it exists, an earlier migration kept it.
                match fs::hard_link(&snapshot, &kept) {
                    Ok(()) => {}
                    Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
                    Err(err) => return Err(Error::io(&snapshot, err)),
                }
            }
            let seq = SnapshotJob::new(&self.paths, self.progress.seq, 1).run()?;
            self.finish_snapshot(seq)?;
            self.progress.review_log = Some(1);
            self.progress.reviews = review_log::read_tail(
                &self.paths.review_log_file(1),
                review_log::TAIL_WINDOW_SECS,
            )?
            .reviews;
        }
        review_log::sweep_other_generations(&self.paths, self.review_log_generation());
        Ok(())
    }

    /// Loads the snapshot and journal; with `lock`, opens the journal for writing.
    pub(super) fn load_progress(&mut self, lock: Option<std::fs::File>) {
        let loaded = replay::load(&self.paths);
        self.take_progress(lock, loaded);
    }

    /// Takes progress read by [`replay::load`] (under `lock` when it is given: then the
    /// journal is opened for writing).
    fn take_progress(
        &mut self,
        lock: Option<std::fs::File>,
        loaded: Result<(Progress, u64, replay::LoadReport)>,
    ) {
        let writable = lock.is_some();
        let journal_file = self.paths.journal_file();
        let loaded = loaded.and_then(|(progress, intact_len, report)| {
            // Damage at the journal's end is cut off by the writer: keep the file as it
            // was first.
            let kept = match (&report.damaged_tail, writable) {
                (Some(_), true) => Some(keep_copy(&journal_file)?),
                _ => None,
            };
            let journal = match lock {
                Some(lock) => Some(Journal::open(
                    &self.paths,
                    lock,
                    intact_len,
                    report.replayed,
                )?),
                None => None,
            };
            Ok((progress, journal, report, kept))
        });
        match loaded {
            Ok((progress, journal, report, kept)) => {
                if report.dropped_torn_line {
                    // A reader may have caught the writer mid-append: it only says so.
                    self.problems.push(if writable {
                        format!(
                            "{}: the last line was cut short (Kartu was stopped while saving an answer); that one unconfirmed answer was dropped",
                            journal_file.display()
                        )
                    } else {
                        format!(
                            "{}: the last line is incomplete (an answer being saved right now, or one cut short by a crash); it is left out",
                            journal_file.display()
                        )
                    });
                }
                if let Some(damage) = &report.damaged_tail {
                    let answers = if damage.lines == 1 {
                        "1 answer".to_owned()
                    } else {
                        format!("{} answers", damage.lines)
                    };
                    self.problems.push(match &kept {
                        Some(copy) => format!(
                            "{}; the damaged end of the journal (from line {}) was cut off and {answers} lost; the journal as it was is kept as {}",
                            damage.error,
                            damage.line,
                            copy.display()
                        ),
                        None => format!(
                            "{}; the journal is damaged from line {} on: {answers} cannot be read and are left out",
                            damage.error, damage.line
                        ),
                    });
                }
                self.set_progress(progress);
                self.mode = match journal {
                    Some(journal) => Mode::Writer(journal),
                    None => Mode::ReadOnly(ReadOnly::Chosen),
                };
            }
            Err(err) => {
                let problem = ProgressProblem::of(&err);
                let message = if problem == ProgressProblem::Inconsistent {
                    format!(
                        "{err}. The files were left as they are and nothing will be written to them; restore a backup to go on studying."
                    )
                } else {
                    format!("{err}. The file was left as it is and nothing will be written to it.")
                };
                if !self.problems.contains(&message) {
                    self.problems.push(message.clone());
                }
                self.set_progress(Progress::default());
                self.mode = Mode::ReadOnly(ReadOnly::Progress { message, problem });
            }
        }
    }

    /// When progress files do not parse: moves them aside (`progress.ron.unreadable-ID`),
    /// takes the lock and starts from empty progress, so the learner can study or restore a
    /// backup. Returns where the files went; nothing happens otherwise.
    pub fn set_aside_corrupt_progress(&mut self, now: Timestamp) -> Result<Vec<PathBuf>> {
        if self.progress_problem() != Some(ProgressProblem::Corrupt) {
            return Ok(Vec::new());
        }
        let lock = paths::lock(&self.paths)?;
        let suffix = format!("unreadable-{}", now.compact_id());
        let mut moved = Vec::new();
        // The snapshot, the journal or the review log: whichever the error names, until
        // everything left loads (at most those three).
        for _ in 0..3 {
            let Err(
                Error::Parse { path, .. }
                | Error::JournalGap { path, .. }
                | Error::TooLarge { path, .. },
            ) = replay::load(&self.paths)
            else {
                break;
            };
            if !path.exists() {
                break;
            }
            // The journal's records only make sense on top of its snapshot, and the history
            // is the one the snapshot names: they go together (a new writer would start a
            // new log in their place).
            let mut files = vec![path.clone()];
            if path == self.paths.progress_file() {
                files.extend(
                    self.progress_files()
                        .into_iter()
                        .filter(|file| file != &path),
                );
            }
            for file in &files {
                let aside = atomic::set_aside_name(file, &suffix);
                fs::rename(file, &aside).map_err(|err| Error::io(file, err))?;
                moved.push(aside);
            }
            // A review log alone: the card states stay, with a history that starts afresh.
            if let Some(generation) = path
                .file_name()
                .and_then(|name| name.to_str())
                .and_then(review_log_generation)
            {
                let log_bytes = NewLog::create(&path, 0)?.finish()?;
                let snapshot = self.paths.progress_file();
                let mut progress = Progress::load_snapshot(&snapshot)?;
                if progress.review_log == Some(generation) {
                    progress.review_log_bytes = Some(log_bytes);
                    progress.save(&snapshot)?;
                }
            }
        }
        let error = self.progress_error().map(str::to_owned);
        self.problems.retain(|p| Some(p) != error.as_ref());
        // Still holding the lock: no other writer can start in between.
        self.load_progress(Some(lock));
        self.refresh_newest_backup()?;
        Ok(moved)
    }
}

/// Copies `path` beside itself as `NAME.unreadable-TIME` before damage in it is cut off;
/// TIME is when the file was last written (UTC), which is when the damage was last touched.
pub(super) fn keep_copy(path: &Path) -> Result<PathBuf> {
    let written = fs::metadata(path)
        .and_then(|m| m.modified())
        .map_err(|err| Error::io(path, err))?;
    let secs = written
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let copy = atomic::set_aside_name(
        path,
        &format!("unreadable-{}", Timestamp(secs).compact_id()),
    );
    fs::copy(path, &copy).map_err(|err| Error::io(&copy, err))?;
    atomic::sync_parent(&copy)?;
    Ok(copy)
}
