//! The collection: installed decks plus the learner's progress, and every operation on them.
//!
//! Each answer is appended to the journal and flushed to disk before [`Collection::answer`]
//! returns, so the next card is only shown once the previous answer is safe. Only the holder
//! of the data directory's lock (a writer) changes any file there.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;

use super::backup::{self, BackupJob};
use super::bundled::BUNDLED_DECKS;
use super::deck::{self, CardId, Deck, DeckId};
use super::error::{Error, Result};
use super::journal::{self, Change, Journal, Record, SnapshotJob};
use super::packed::{CardRef, PackedDeck};
use super::progress::{Folded, Progress, ReviewEntry, ReviewSink, record_hash};
use super::review_log::{self, NewLog};
use super::scheduler::{CardProgress, CardState, FuzzSeed, NextStates, Rating, Scheduler};
use super::settings::Settings;
use super::storage::{self, DataPaths};
use super::time::{DayClock, DayNumber, Timestamp};

/// Learning cards due this soon are shown rather than making the learner wait (Anki's
/// "learn ahead limit").
pub const LEARN_AHEAD_SECS: i64 = 20 * 60;

/// Where an installed deck came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeckSource {
    /// Built into the binary.
    Bundled,
    /// A deck file in the data directory's `decks/` folder.
    File(PathBuf),
}

/// A deck available for study.
#[derive(Clone, Debug)]
pub struct InstalledDeck {
    /// The deck itself.
    pub deck: PackedDeck,
    /// Where it came from.
    pub source: DeckSource,
    /// Positions in the deck, sorted by card id: finds a card by id without a copy of
    /// every id. A card's place in this list is its *rank*.
    by_id: Vec<u32>,
    /// Which card is due when, kept up to date with every answer.
    queues: Queues,
}

/// A deck's cards by what they need next, so choosing the next card and counting what is
/// due take time in proportion to the answer, not to the deck. Cards are named by rank (see
/// [`InstalledDeck::by_id`]) in the due-time sets, so equal due times go in card id order.
#[derive(Clone, Debug, Default)]
struct Queues {
    /// Learning and relearning cards by due time.
    learning: BTreeSet<(Timestamp, u32)>,
    /// Review cards by due time.
    review: BTreeSet<(Timestamp, u32)>,
    /// Positions of cards never answered, in deck order (the order new cards come in).
    unseen: BTreeSet<u32>,
}

impl InstalledDeck {
    fn new(deck: PackedDeck, source: DeckSource) -> Self {
        let len = u32::try_from(deck.len()).unwrap_or(u32::MAX);
        let mut by_id: Vec<u32> = (0..len).collect();
        by_id.sort_unstable_by(|&a, &b| {
            deck.card_at(a as usize)
                .id()
                .cmp(deck.card_at(b as usize).id())
        });
        let queues = Queues {
            unseen: (0..len).collect(),
            ..Queues::default()
        };
        Self {
            deck,
            source,
            by_id,
            queues,
        }
    }

    /// The card with this id.
    #[must_use]
    pub fn card(&self, id: &CardId) -> Option<CardRef<'_>> {
        self.rank(id).map(|rank| self.card_at_rank(rank))
    }

    fn rank(&self, id: &CardId) -> Option<u32> {
        let rank = self
            .by_id
            .binary_search_by(|&position| self.deck.card_at(position as usize).id().cmp(&id.0))
            .ok()?;
        u32::try_from(rank).ok()
    }

    fn card_at_rank(&self, rank: u32) -> CardRef<'_> {
        self.deck.card_at(self.by_id[rank as usize] as usize)
    }

    /// Fills the queues from `studied` (this deck's card states, sorted by card id like
    /// `by_id`, so one merge pass pairs them up).
    fn rebuild_queues(&mut self, studied: Option<&BTreeMap<CardId, CardProgress>>) {
        let len = u32::try_from(self.deck.len()).unwrap_or(u32::MAX);
        self.queues = Queues {
            unseen: (0..len).collect(),
            ..Queues::default()
        };
        let Some(studied) = studied else {
            return;
        };
        let mut states = studied.iter().peekable();
        for (rank, &position) in self.by_id.iter().enumerate() {
            let id = self.deck.card_at(position as usize).id();
            // Progress of cards the teacher removed is kept but not queued.
            while states.next_if(|(card, _)| card.0.as_str() < id).is_some() {}
            if let Some((_, state)) = states.next_if(|(card, _)| card.0 == id) {
                let rank = u32::try_from(rank).unwrap_or(u32::MAX);
                self.queues.unseen.remove(&position);
                self.queues.insert(rank, state);
            }
        }
    }

    /// A card's state changed from `before` to `after` (`None`: never answered).
    fn requeue(
        &mut self,
        id: &CardId,
        before: Option<&CardProgress>,
        after: Option<&CardProgress>,
    ) {
        let Some(rank) = self.rank(id) else {
            return;
        };
        let position = self.by_id[rank as usize];
        match before {
            Some(state) => self.queues.remove(rank, state),
            None => {
                self.queues.unseen.remove(&position);
            }
        }
        match after {
            Some(state) => self.queues.insert(rank, state),
            None => {
                self.queues.unseen.insert(position);
            }
        }
    }
}

impl Queues {
    fn set_for(&mut self, state: CardState) -> Option<&mut BTreeSet<(Timestamp, u32)>> {
        match state {
            CardState::Learning | CardState::Relearning => Some(&mut self.learning),
            CardState::Review => Some(&mut self.review),
            // A stored state of `new` is shown nowhere (it is not unseen either).
            CardState::New => None,
        }
    }

    fn insert(&mut self, rank: u32, state: &CardProgress) {
        if let Some(set) = self.set_for(state.state) {
            set.insert((state.due, rank));
        }
    }

    fn remove(&mut self, rank: u32, state: &CardProgress) {
        if let Some(set) = self.set_for(state.state) {
            set.remove(&(state.due, rank));
        }
    }
}

/// How many cards of each kind a deck has for today.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeckCounts {
    /// New cards that may still be introduced today (after the daily limit).
    pub new: usize,
    /// Learning and relearning cards due today.
    pub learning: usize,
    /// Review cards due today (after the daily limit).
    pub due: usize,
}

/// One line of the deck list.
#[derive(Clone, Debug, PartialEq)]
pub struct DeckSummary {
    /// Deck id.
    pub id: DeckId,
    /// Deck title.
    pub title: String,
    /// Deck language.
    pub language: String,
    /// Number of cards.
    pub card_count: usize,
    /// Today's counts.
    pub counts: DeckCounts,
}

/// What is needed to take one answer back.
#[derive(Clone, Debug, PartialEq)]
pub struct UndoRecord {
    /// The card's state before the answer (`None`: it was new).
    pub before: Option<CardProgress>,
    /// The review log entry the answer added.
    pub entry: ReviewEntry,
}

/// The result of importing a deck file.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportOutcome {
    /// The deck's id.
    pub deck: DeckId,
    /// The deck's title.
    pub title: String,
    /// How many cards it has.
    pub card_count: usize,
    /// The version it replaced, when a deck with the same id was installed.
    pub replaced_version: Option<u32>,
}

/// Decks, progress and settings of one data directory.
#[derive(Debug)]
pub struct Collection {
    paths: DataPaths,
    decks: Vec<InstalledDeck>,
    progress: Progress,
    settings: Settings,
    scheduler: Scheduler,
    clock: DayClock,
    time_zone: TimeZone,
    fuzz_override: Option<bool>,
    read_only: Option<String>,
    /// Why the progress files could not be read, if they could not.
    progress_error: Option<String>,
    /// The progress files exist but do not parse (as opposed to unreadable for permissions,
    /// or from a newer Kartu): they may be set aside and a backup offered.
    progress_corrupt: bool,
    /// The progress files read but do not belong together (a review log cut short, a
    /// snapshot ahead of its journal): kept as they are, and a backup offered.
    progress_inconsistent: bool,
    /// The backup of the latest progress's time and sequence number ([`backup::newest`]),
    /// once known (writer only).
    newest_backup: Option<(Timestamp, u64)>,
    problems: Vec<String>,
    /// Things the learner should hear about that happened after opening, not yet shown.
    notices: Vec<String>,
    /// The settings file could not be read; it is moved aside before settings are saved.
    settings_unreadable: bool,
    /// Deck files in `decks/` that do not parse, with the error (path, line and column).
    unreadable_decks: Vec<(PathBuf, String)>,
    /// The writer's journal (and lock); `None` when read-only.
    journal: Option<Journal>,
    /// Journal records after which a snapshot is due.
    snapshot_every: usize,
}

/// The snapshot and backup a one-shot command leaves due (see [`Collection::into_upkeep`]).
#[derive(Debug)]
pub struct Upkeep {
    /// Holds the lock; trimmed after the snapshot.
    journal: Option<Journal>,
    snapshot: Option<SnapshotJob>,
    backup: Option<BackupJob>,
    notices: Vec<String>,
}

impl Upkeep {
    /// What the learner should hear about (see [`Collection::take_notices`]).
    pub fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    /// Runs the snapshot (then trims the journal) and the backup, if due. Either may fail
    /// without the other being skipped; the answers are safe in the journal regardless.
    pub fn run(mut self) -> (Result<()>, Result<Option<backup::BackupInfo>>) {
        let snapshot = match self.snapshot.take() {
            Some(job) => job.run().and_then(|seq| match &mut self.journal {
                Some(journal) => journal.trim_through(seq),
                None => Ok(()),
            }),
            None => Ok(()),
        };
        let backup = self.backup.take().map(BackupJob::run).transpose();
        (snapshot, backup)
    }
}

/// How a data directory is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Take the lock and write progress (the window, `kartu answer`). Fails with
    /// [`Error::Locked`] while another process holds it.
    ReadWrite,
    /// Read only, without the lock: works while a window is open.
    ReadOnly,
    /// Decks and settings only: progress is not read until [`Collection::become_writer`], so
    /// a command can check its arguments first without reading progress twice.
    Deferred,
}

impl Collection {
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
        let mut unreadable_decks = Vec::new();
        let decks = load_decks(&paths.decks_dir(), &mut problems, &mut unreadable_decks);
        let scheduler = Scheduler::new(settings.scheduler_config())?;
        let clock = DayClock::new(time_zone.clone(), settings.day_start_hour);
        let mut collection = Self {
            paths,
            decks,
            progress: Progress::default(),
            settings,
            scheduler,
            clock,
            time_zone,
            fuzz_override: None,
            read_only: None,
            progress_error: None,
            progress_corrupt: false,
            progress_inconsistent: false,
            newest_backup: None,
            problems,
            notices: Vec::new(),
            settings_unreadable,
            unreadable_decks,
            journal: None,
            snapshot_every: journal::COMPACT_AFTER_RECORDS,
        };
        match access {
            Access::ReadOnly => collection.load_progress(None),
            Access::ReadWrite => collection.become_writer()?,
            Access::Deferred => {
                collection.read_only = Some("progress not loaded yet".to_owned());
            }
        }
        Ok(collection)
    }

    /// Takes the lock and reloads progress under it, so this process may write. Lets a
    /// command check its arguments on a read-only collection before writing anything.
    pub fn become_writer(&mut self) -> Result<()> {
        if self.journal.is_some() {
            return Ok(());
        }
        let lock = journal::lock(&self.paths)?;
        // Temp files can only be left by a writer that crashed: none is running now.
        journal::sweep_temp_files(&self.paths);
        self.load_progress(Some(lock));
        if self.journal.is_some() {
            self.move_history_to_review_log()?;
        }
        self.refresh_newest_backup()?;
        Ok(())
    }

    fn refresh_newest_backup(&mut self) -> Result<()> {
        self.newest_backup = backup::newest(&backup::list(&self.paths)?).map(|b| (b.at, b.seq));
        Ok(())
    }

    /// The review log generation in use (the first one until a snapshot names one).
    fn review_log_generation(&self) -> u32 {
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
                &review_log::log_path(&self.paths, 1),
                review_log::TAIL_WINDOW_SECS,
            )?
            .reviews;
        }
        review_log::sweep_other_generations(&self.paths, self.review_log_generation());
        Ok(())
    }

    /// Loads the snapshot and journal; with `lock`, opens the journal for writing.
    fn load_progress(&mut self, lock: Option<std::fs::File>) {
        let writable = lock.is_some();
        let journal_file = journal::journal_path(&self.paths);
        let loaded = journal::load(&self.paths).and_then(|(progress, intact_len, report)| {
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
                self.journal = journal;
                self.progress_error = None;
                self.progress_corrupt = false;
                self.progress_inconsistent = false;
                self.read_only = (!writable).then(|| "opened read-only".to_owned());
            }
            Err(err) => {
                self.progress_corrupt =
                    matches!(err, Error::Parse { .. } | Error::JournalGap { .. });
                self.progress_inconsistent = matches!(err, Error::Inconsistent { .. });
                let message = if self.progress_inconsistent {
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
                self.journal = None;
                self.progress_error = Some(message.clone());
                self.read_only = Some(message);
            }
        }
    }

    /// A backup to write when one is due (progress changed since the backup of the latest
    /// progress, and that one is 30 minutes old or dated in the future); run it anywhere.
    /// Writers only.
    pub fn backup_job(&mut self, now: Timestamp) -> Option<BackupJob> {
        self.journal.as_ref()?;
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
        let lock = match &self.journal {
            Some(_) => None,
            None if self.progress_inconsistent => Some(journal::lock(&self.paths)?),
            None => return Err(self.read_only_error()),
        };
        let generation = self.free_generation();
        let log_file = review_log::log_path(&self.paths, generation);
        let mut log = NewLog::create(&log_file, 0)?;
        let restored = Progress::load_with(&backup_file, &mut log)?;
        let log_bytes = log.finish()?;
        let current = if lock.is_some() {
            let suffix = format!("inconsistent-{}", now.compact_id());
            for file in self.progress_files() {
                fs::copy(&file, storage::set_aside_name(&file, &suffix))
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
    fn progress_files(&self) -> Vec<PathBuf> {
        let mut files = vec![
            self.paths.progress_file(),
            journal::journal_path(&self.paths),
        ];
        if let Ok(entries) = fs::read_dir(&self.paths.root) {
            let mut logs: Vec<PathBuf> = entries
                .flatten()
                .filter(|e| {
                    e.file_name()
                        .to_str()
                        .and_then(review_log::generation_of)
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
        while review_log::log_path(&self.paths, generation).exists() {
            generation += 1;
        }
        generation
    }

    /// Replaces all progress: `fill` writes the reviews into a new review log (a new
    /// generation) and returns the card states. Writers only.
    fn replace_history(
        &mut self,
        fill: &mut dyn FnMut(&mut NewLog) -> Result<Progress>,
    ) -> Result<()> {
        self.require_writer()?;
        let generation = self.free_generation();
        let log_file = review_log::log_path(&self.paths, generation);
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
        progress.folded = last.map(|record| Folded {
            seq: record.seq,
            hash: record_hash(record),
        });
        progress.reviews.clear();
        progress.save(&self.paths.progress_file())?;
        let log_file = review_log::log_path(&self.paths, generation);
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
                storage::atomic_write(
                    &journal::journal_path(&self.paths),
                    journal::empty_journal().as_bytes(),
                )?;
                review_log::sweep_other_generations(&self.paths, generation);
                self.problems
                    .retain(|p| Some(p) != self.progress_error.as_ref());
                self.load_progress(Some(lock));
                if let Some(reason) = &self.progress_error {
                    return Err(Error::ReadOnly(reason.clone()));
                }
            }
        }
        Ok(())
    }

    /// Replaces progress in memory and requeues every deck.
    fn set_progress(&mut self, progress: Progress) {
        self.progress = progress;
        for installed in &mut self.decks {
            installed.rebuild_queues(self.progress.cards.get(&installed.deck.id));
        }
    }

    /// Installs (or replaces) a deck, queued from the progress in memory.
    fn install_deck(&mut self, deck: PackedDeck, source: DeckSource) {
        self.decks.retain(|d| d.deck.id != deck.id);
        let mut installed = InstalledDeck::new(deck, source);
        installed.rebuild_queues(self.progress.cards.get(&installed.deck.id));
        self.decks.push(installed);
        sort_decks(&mut self.decks);
    }

    /// When progress files do not parse: moves them aside (`progress.ron.unreadable-ID`),
    /// takes the lock and starts from empty progress, so the learner can study or restore a
    /// backup. Returns where the files went; nothing happens otherwise.
    pub fn set_aside_corrupt_progress(&mut self, now: Timestamp) -> Result<Vec<PathBuf>> {
        if !self.progress_corrupt {
            return Ok(Vec::new());
        }
        let lock = journal::lock(&self.paths)?;
        let suffix = format!("unreadable-{}", now.compact_id());
        let mut moved = Vec::new();
        // The snapshot, the journal or the review log: whichever the error names, until
        // everything left loads (at most those three).
        for _ in 0..3 {
            let Err(Error::Parse { path, .. } | Error::JournalGap { path, .. }) =
                journal::load(&self.paths)
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
                let aside = storage::set_aside_name(file, &suffix);
                fs::rename(file, &aside).map_err(|err| Error::io(file, err))?;
                moved.push(aside);
            }
            // A review log alone: the card states stay, with a history that starts afresh.
            if let Some(generation) = path
                .file_name()
                .and_then(|name| name.to_str())
                .and_then(review_log::generation_of)
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
        self.problems
            .retain(|p| Some(p) != self.progress_error.as_ref());
        // Still holding the lock: no other writer can start in between.
        self.load_progress(Some(lock));
        self.refresh_newest_backup()?;
        Ok(moved)
    }

    /// Deck files in `decks/` that do not parse, with the error naming path, line and column.
    #[must_use]
    pub fn unreadable_decks(&self) -> &[(PathBuf, String)] {
        &self.unreadable_decks
    }

    /// Moves deck files that do not parse aside (`NAME.ron.unreadable-ID`, no longer loaded),
    /// so the learner sees what happened once and the teacher's file is kept. Returns the
    /// file each went to, with its error. Writers only.
    pub fn set_aside_unreadable_decks(&mut self, now: Timestamp) -> Result<Vec<(PathBuf, String)>> {
        self.require_writer()?;
        let suffix = format!("unreadable-{}", now.compact_id());
        let mut moved = Vec::new();
        for (path, error) in std::mem::take(&mut self.unreadable_decks) {
            let aside = storage::set_aside_name(&path, &suffix);
            fs::rename(&path, &aside).map_err(|err| Error::io(&path, err))?;
            self.problems.retain(|p| !p.starts_with(&error));
            moved.push((aside, error));
        }
        Ok(moved)
    }

    /// Replaces everything with a generated deck of `cards` cards (`generated`) and a history
    /// of `reviews` reviews ending at `now`: the scale tests' collection. Writers only.
    pub fn generate_history(&mut self, cards: usize, reviews: usize, now: Timestamp) -> Result<()> {
        use super::deck::{Card, DECK_FORMAT_VERSION};
        let deck = Deck {
            format: DECK_FORMAT_VERSION,
            id: DeckId("generated".into()),
            title: "Generated".into(),
            description: "A large deck for scale tests.".into(),
            language: "en".into(),
            version: 1,
            cards: (0..cards)
                .map(|i| Card {
                    id: CardId(format!("card-{i:06}")),
                    front: format!("Question {i}: what does this generated card ask about?"),
                    back: format!("Answer {i}, a line of text of a typical length."),
                    notes: None,
                    example: None,
                    tags: vec!["generated".into()],
                })
                .collect(),
        };
        self.paths.create_dirs()?;
        deck::save_deck_file(&deck, &self.paths.decks_dir().join("generated.ron"))?;
        let span_secs = 2 * 365 * super::time::DAY_SECS;
        let ratings = [
            Rating::Good,
            Rating::Good,
            Rating::Good,
            Rating::Again,
            Rating::Hard,
            Rating::Easy,
        ];
        self.replace_history(&mut |log| {
            let mut progress = Progress::default();
            for i in 0..reviews {
                let card = &deck.cards[i % cards.max(1)].id;
                let at = now.add_secs(-span_secs + (i as i64 * span_secs) / reviews.max(1) as i64);
                log.review(ReviewEntry {
                    deck: deck.id.clone(),
                    card: card.clone(),
                    at,
                    rating: ratings[i % ratings.len()],
                    state_before: if i < cards {
                        CardState::New
                    } else {
                        CardState::Review
                    },
                    elapsed_secs: 86_400 * (i as i64 % 30),
                    duration_ms: 4_000,
                    interval_secs: 86_400 * (1 + i as u64 % 60),
                })?;
                let due = at.add_secs(86_400 * (1 + i as i64 % 60));
                progress.set_card(
                    &deck.id,
                    card,
                    Some(CardProgress {
                        state: CardState::Review,
                        remaining_steps: 0,
                        due,
                        interval_secs: 86_400 * (1 + i as u64 % 60),
                        stability: 1.0 + (i % 97) as f32,
                        difficulty: 1.0 + (i % 9) as f32,
                        reps: u32::try_from(i / cards.max(1) + 1).unwrap_or(u32::MAX),
                        lapses: 0,
                        last_review: Some(at),
                    }),
                );
            }
            Ok(progress)
        })?;
        let source = DeckSource::File(self.paths.decks_dir().join("generated.ron"));
        self.install_deck(PackedDeck::from_deck(&deck), source);
        Ok(())
    }

    /// Shows `reason` as why nothing can be saved (e.g. another window holds the lock).
    pub fn mark_read_only(&mut self, reason: String) {
        self.read_only = Some(reason);
    }

    /// Why the progress files could not be read, if so (the collection is then read-only).
    #[must_use]
    pub fn progress_error(&self) -> Option<&str> {
        self.progress_error.as_deref()
    }

    /// Whether progress cannot be used but a backup may be restored over it: its files do
    /// not parse, or do not belong together (as opposed to a newer Kartu's, or unreadable for
    /// permissions).
    #[must_use]
    pub fn progress_restorable(&self) -> bool {
        self.progress_corrupt || self.progress_inconsistent
    }

    /// Sets how many journal records make a snapshot due (at least 1).
    pub fn set_snapshot_every(&mut self, records: usize) {
        self.snapshot_every = records.max(1);
    }

    /// A snapshot to write when the journal has grown past `snapshot_every` (by default
    /// [`journal::COMPACT_AFTER_RECORDS`])
    /// records, or with `force` whenever it has any. Run it anywhere (it holds a copy), then
    /// call [`Collection::finish_snapshot`].
    #[must_use]
    pub fn snapshot_job(&self, force: bool) -> Option<SnapshotJob> {
        let records = self.journal.as_ref()?.records();
        let due = records >= self.snapshot_every || (force && records > 0);
        due.then(|| SnapshotJob::new(&self.paths, self.progress.seq, self.review_log_generation()))
    }

    /// After a snapshot up to `seq` was written: drops the journal records it holds.
    pub fn finish_snapshot(&mut self, seq: u64) -> Result<()> {
        match &mut self.journal {
            Some(journal) => journal.trim_through(seq),
            None => Ok(()),
        }
    }

    /// Test failpoint: makes the next journal write fail halfway.
    #[cfg(test)]
    pub(crate) fn fail_next_write(&mut self) {
        if let Some(journal) = &mut self.journal {
            journal.fail_next_append = true;
        }
    }

    /// Ends a one-shot command: the snapshot and backup that are due, to run after the
    /// collection is gone from memory (both read the files on disk), still holding the lock.
    #[must_use]
    pub fn into_upkeep(mut self, now: Timestamp) -> Upkeep {
        let snapshot = self.snapshot_job(false);
        let backup = self.backup_job(now);
        Upkeep {
            journal: self.journal.take(),
            snapshot,
            backup,
            notices: self.take_notices(),
        }
    }

    /// Problems met while opening, for the learner to read.
    #[must_use]
    pub fn problems(&self) -> &[String] {
        &self.problems
    }

    /// Why the collection is read-only, if it is.
    #[must_use]
    pub fn read_only_reason(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// The data directory's paths.
    #[must_use]
    pub fn paths(&self) -> &DataPaths {
        &self.paths
    }

    /// The settings in force.
    #[must_use]
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The learner-day clock (time zone and day start hour).
    #[must_use]
    pub fn clock(&self) -> &DayClock {
        &self.clock
    }

    /// All progress.
    #[must_use]
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// Forces fuzz on or off for this run, whatever the settings say (`--no-fuzz`).
    pub fn override_fuzz(&mut self, fuzz: bool) -> Result<()> {
        self.fuzz_override = Some(fuzz);
        self.rebuild_scheduler()
    }

    fn rebuild_scheduler(&mut self) -> Result<()> {
        let mut config = self.settings.scheduler_config();
        if let Some(fuzz) = self.fuzz_override {
            config.fuzz = fuzz;
        }
        self.scheduler = Scheduler::new(config)?;
        self.clock = DayClock::new(self.time_zone.clone(), self.settings.day_start_hour);
        Ok(())
    }

    /// Replaces the settings and saves them.
    pub fn update_settings(&mut self, settings: Settings) -> Result<()> {
        self.require_writer()?;
        self.paths.create_dirs()?;
        let file = self.paths.settings_file();
        if self.settings_unreadable {
            let aside = file.with_extension("ron.unreadable");
            fs::rename(&file, &aside).map_err(|err| Error::io(&file, err))?;
            self.settings_unreadable = false;
        }
        settings.save(&file)?;
        self.settings = settings;
        self.rebuild_scheduler()
    }

    /// Installed decks, sorted by title then id.
    #[must_use]
    pub fn decks(&self) -> &[InstalledDeck] {
        &self.decks
    }

    /// The installed deck with this id.
    pub fn deck(&self, id: &DeckId) -> Result<&InstalledDeck> {
        self.decks
            .iter()
            .find(|d| &d.deck.id == id)
            .ok_or_else(|| Error::UnknownDeck(id.0.clone()))
    }

    /// A card of an installed deck.
    pub fn card(&self, deck: &DeckId, card: &CardId) -> Result<CardRef<'_>> {
        self.deck(deck)?
            .card(card)
            .ok_or_else(|| Error::UnknownCard {
                deck: deck.0.clone(),
                card: card.0.clone(),
            })
    }

    /// A card's scheduling state (a fresh `new` state when never answered).
    #[must_use]
    pub fn card_progress(&self, deck: &DeckId, card: &CardId) -> CardProgress {
        self.progress.card(deck, card).cloned().unwrap_or_default()
    }

    /// The deck list with today's counts.
    #[must_use]
    pub fn deck_summaries(&self, now: Timestamp) -> Vec<DeckSummary> {
        self.decks
            .iter()
            .map(|installed| DeckSummary {
                id: installed.deck.id.clone(),
                title: installed.deck.title.clone(),
                language: installed.deck.language.clone(),
                card_count: installed.deck.len(),
                counts: self.counts(installed, now),
            })
            .collect()
    }

    /// Today's counts for one deck.
    pub fn deck_counts(&self, deck: &DeckId, now: Timestamp) -> Result<DeckCounts> {
        Ok(self.counts(self.deck(deck)?, now))
    }

    /// How many new cards were introduced and reviews done in `deck` today.
    fn done_today(&self, deck: &DeckId, now: Timestamp) -> (usize, usize) {
        let day_start = self.clock.day_start(self.clock.day(now));
        let (mut introduced, mut reviewed) = (0, 0);
        // The log is in answer order, so today's answers are at its end.
        for entry in self
            .progress
            .reviews
            .iter()
            .rev()
            .take_while(|e| e.at >= day_start)
        {
            if &entry.deck == deck && entry.at <= now {
                match entry.state_before {
                    CardState::New => introduced += 1,
                    CardState::Review => reviewed += 1,
                    CardState::Learning | CardState::Relearning => {}
                }
            }
        }
        (introduced, reviewed)
    }

    fn counts(&self, installed: &InstalledDeck, now: Timestamp) -> DeckCounts {
        let day_end = self.clock.day_start(DayNumber(self.clock.day(now).0 + 1));
        let queues = &installed.queues;
        let (introduced, reviewed) = self.done_today(&installed.deck.id, now);
        let new_left = (self.settings.new_per_day as usize).saturating_sub(introduced);
        let reviews_left = (self.settings.reviews_per_day as usize).saturating_sub(reviewed);
        DeckCounts {
            new: queues.unseen.len().min(new_left),
            learning: queues.learning.range(..(day_end, 0)).count(),
            // Counting stops at the limit: a deck with 50,000 overdue cards costs no more.
            due: queues
                .review
                .range(..(day_end, 0))
                .take(reviews_left)
                .count(),
        }
    }

    /// The card to study next in `deck` at `now`: learning cards that are due, then reviews,
    /// then new cards (within the daily limits), then learning cards due within 20 minutes.
    /// Equal due times go in card id order.
    pub fn next_card(&self, deck: &DeckId, now: Timestamp) -> Result<Option<CardId>> {
        let installed = self.deck(deck)?;
        let queues = &installed.queues;
        let (introduced, reviewed) = self.done_today(deck, now);
        let id_at = |rank: u32| CardId(installed.card_at_rank(rank).id().to_owned());
        let learning = queues.learning.first().copied();
        if let Some((due, rank)) = learning
            && due <= now
        {
            return Ok(Some(id_at(rank)));
        }
        if let Some(&(due, rank)) = queues.review.first()
            && due <= now
            && reviewed < self.settings.reviews_per_day as usize
        {
            return Ok(Some(id_at(rank)));
        }
        if introduced < self.settings.new_per_day as usize
            && let Some(&position) = queues.unseen.first()
        {
            return Ok(Some(CardId(
                installed.deck.card_at(position as usize).id().to_owned(),
            )));
        }
        Ok(learning
            .filter(|(due, _)| *due <= now.add_secs(LEARN_AHEAD_SECS))
            .map(|(_, rank)| id_at(rank)))
    }

    /// When `deck` next has something to study, if ever (for the "done for now" screen).
    pub fn next_due(&self, deck: &DeckId, now: Timestamp) -> Result<Option<Timestamp>> {
        let queues = &self.deck(deck)?.queues;
        let after_now = (now.add_secs(1), 0);
        let earliest_studied = [&queues.learning, &queues.review]
            .into_iter()
            .filter_map(|set| set.range(after_now..).next().map(|(due, _)| *due))
            .min();
        // New cards wait for tomorrow's limit.
        let tomorrow = (!queues.unseen.is_empty())
            .then(|| self.clock.day_start(DayNumber(self.clock.day(now).0 + 1)));
        Ok(earliest_studied.into_iter().chain(tomorrow).min())
    }

    /// What each rating would give the card at `now`.
    pub fn preview(&self, deck: &DeckId, card: &CardId, now: Timestamp) -> Result<NextStates> {
        self.card(deck, card)?;
        let progress = self.card_progress(deck, card);
        let seed = FuzzSeed {
            deck: &deck.0,
            card: &card.0,
        };
        self.scheduler
            .next_states(&progress, now, &self.clock, seed)
    }

    /// Records an answer and writes it to disk before returning.
    ///
    /// If the write fails the answer is taken back in memory too, so what is shown is what is
    /// stored; the caller can offer to retry.
    pub fn answer(
        &mut self,
        deck: &DeckId,
        card: &CardId,
        rating: Rating,
        now: Timestamp,
        duration_ms: u32,
    ) -> Result<UndoRecord> {
        if let Some(reason) = &self.read_only {
            return Err(Error::ReadOnly(reason.clone()));
        }
        let next = self.preview(deck, card, now)?.into_rating(rating);
        let before = self.progress.card(deck, card).cloned();
        let entry = ReviewEntry {
            deck: deck.clone(),
            card: card.clone(),
            at: now,
            rating,
            state_before: before.as_ref().map_or(CardState::New, |b| b.state),
            elapsed_secs: before
                .as_ref()
                .and_then(|b| b.last_review)
                .map_or(0, |last| now.unix_secs() - last.unix_secs()),
            duration_ms,
            interval_secs: next.interval_secs,
        };
        self.commit(&Change::Answer {
            review: entry.clone(),
            after: next,
        })?;
        Ok(UndoRecord { before, entry })
    }

    /// Takes back an answer; only the most recent one in the log can be taken back.
    pub fn undo(&mut self, record: &UndoRecord) -> Result<()> {
        if let Some(reason) = &self.read_only {
            return Err(Error::ReadOnly(reason.clone()));
        }
        if self.progress.reviews.last() != Some(&record.entry) {
            return Err(Error::NothingToUndo);
        }
        self.commit(&Change::Undo {
            deck: record.entry.deck.clone(),
            card: record.entry.card.clone(),
            before: record.before.clone(),
        })
    }

    /// Only the lock holder writes anything in the data directory.
    fn require_writer(&self) -> Result<()> {
        match &self.journal {
            Some(_) => Ok(()),
            None => Err(self.read_only_error()),
        }
    }

    fn read_only_error(&self) -> Error {
        Error::ReadOnly(
            self.read_only
                .clone()
                .unwrap_or_else(|| "opened read-only".to_owned()),
        )
    }

    /// Journals a change (on disk when this returns), then applies it in memory; if the write
    /// fails nothing changes, so what is shown is what is stored.
    fn commit(&mut self, change: &Change) -> Result<()> {
        let Some(journal) = &mut self.journal else {
            return Err(Error::ReadOnly(
                self.read_only
                    .clone()
                    .unwrap_or_else(|| "opened read-only".to_owned()),
            ));
        };
        let seq = self.progress.seq + 1;
        journal.append(&Record {
            seq,
            change: change.clone(),
        })?;
        let (deck, card) = match change {
            Change::Answer { review, .. } => (&review.deck, &review.card),
            Change::Undo { deck, card, .. } => (deck, card),
        };
        let before = self.progress.card(deck, card).cloned();
        self.progress.apply(seq, change);
        let after = self.progress.card(deck, card);
        if let Some(installed) = self.decks.iter_mut().find(|d| &d.deck.id == deck) {
            installed.requeue(card, before.as_ref(), after);
        }
        Ok(())
    }

    /// Validates a deck file and installs it into the data directory; nothing is written when
    /// the file has any problem. A deck with the same id is replaced (progress is kept, being
    /// keyed by card id) unless the installed version is newer.
    pub fn import_deck_file(&mut self, path: &Path) -> Result<ImportOutcome> {
        self.require_writer()?;
        let deck = deck::load_deck_file(path)?;
        let replaced_version = self.deck(&deck.id).ok().map(|d| d.deck.version);
        if let Some(installed) = replaced_version
            && installed > deck.version
        {
            return Err(Error::Parse {
                path: path.to_path_buf(),
                position: None,
                message: format!(
                    "deck {:?} version {} is older than the installed version {installed}",
                    deck.id.0, deck.version
                ),
            });
        }
        self.paths.create_dirs()?;
        let target = self.paths.decks_dir().join(format!("{}.ron", deck.id.0));
        deck::save_deck_file(&deck, &target)?;
        let outcome = ImportOutcome {
            deck: deck.id.clone(),
            title: deck.title.clone(),
            card_count: deck.cards.len(),
            replaced_version,
        };
        self.install_deck(PackedDeck::from_deck(&deck), DeckSource::File(target));
        Ok(outcome)
    }

    /// Writes an installed deck to `path` as a deck file.
    pub fn export_deck(&self, deck: &DeckId, path: &Path) -> Result<()> {
        deck::save_deck_file(&self.deck(deck)?.deck.to_deck(), path)
    }
}

/// Copies `path` beside itself as `NAME.unreadable-TIME` before damage in it is cut off;
/// TIME is when the file was last written (UTC), which is when the damage was last touched.
fn keep_copy(path: &Path) -> Result<PathBuf> {
    let written = fs::metadata(path)
        .and_then(|m| m.modified())
        .map_err(|err| Error::io(path, err))?;
    let secs = written
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let copy = storage::set_aside_name(
        path,
        &format!("unreadable-{}", Timestamp(secs).compact_id()),
    );
    fs::copy(path, &copy).map_err(|err| Error::io(&copy, err))?;
    storage::sync_parent(&copy)?;
    Ok(copy)
}

fn sort_decks(decks: &mut [InstalledDeck]) {
    decks.sort_by(|a, b| (&a.deck.title, &a.deck.id).cmp(&(&b.deck.title, &b.deck.id)));
}

/// Bundled decks, then the data directory's deck files; of decks sharing an id the highest
/// version wins, a file winning a tie (it may hold the teacher's edits).
fn load_decks(
    dir: &Path,
    problems: &mut Vec<String>,
    unreadable: &mut Vec<(PathBuf, String)>,
) -> Vec<InstalledDeck> {
    let mut by_id: HashMap<DeckId, InstalledDeck> = HashMap::new();
    for (name, text) in BUNDLED_DECKS {
        match deck::parse_packed_deck(text, Path::new(name)) {
            Ok(deck) => {
                by_id.insert(
                    deck.id.clone(),
                    InstalledDeck::new(deck, DeckSource::Bundled),
                );
            }
            Err(err) => problems.push(format!("bundled deck {err}")),
        }
    }
    let mut files: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "ron"))
            .collect(),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(err) => {
            problems.push(format!("{}: {err}", dir.display()));
            Vec::new()
        }
    };
    files.sort();
    for path in files {
        match deck::load_packed_deck_file(&path) {
            Ok(deck) => {
                // A shipped update (bundled) or another file with a higher version wins.
                let newer_installed = by_id
                    .get(&deck.id)
                    .is_some_and(|d| d.deck.version > deck.version);
                if !newer_installed {
                    by_id.insert(
                        deck.id.clone(),
                        InstalledDeck::new(deck, DeckSource::File(path)),
                    );
                }
            }
            Err(err) => {
                if matches!(err, Error::Parse { .. }) {
                    unreadable.push((path.clone(), err.to_string()));
                }
                problems.push(format!("{err} (deck skipped; the file was left as it is)"));
            }
        }
    }
    let mut decks: Vec<InstalledDeck> = by_id.into_values().collect();
    sort_decks(&mut decks);
    decks
}

#[cfg(test)]
mod tests;
