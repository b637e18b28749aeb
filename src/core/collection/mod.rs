//! The collection: installed decks plus the learner's progress, and every operation on them.
//!
//! Each answer is appended to the journal and flushed to disk before [`Collection::answer`]
//! returns, so the next card is only shown once the previous answer is safe. Only the holder
//! of the data directory's lock (a writer, [`Mode::Writer`]) changes any file there.
//!
//! This file holds the collection's state and studying (answer, undo, commit, counts); how it
//! is opened is in `open.rs`, snapshots, backups and restores in `history.rs`, deck import
//! and export in `decks.rs`.

mod actions;
mod decks;
mod edit;
mod history;
mod install;
mod installed;
mod list_cache;
mod moves;
mod open;
mod study;
mod types;

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use jiff::tz::TimeZone;

pub use history::for_each_review_in;
pub use install::{Installed, MediaFile, NewDeck, NewHistory};
pub use installed::{DeckSource, InstalledDeck, progress_by_position};
pub use list_cache::{CachedDeckList, cached_deck_list};
pub use types::{
    Access, Action, CardStates, DeckSummary, ImportOutcome, Purpose, UndoRecord, Upkeep,
};

use crate::core::error::{Error, Result};
use crate::core::ids::{CardId, DeckId};
use crate::core::model::card::{CardProgress, CardState, Rating};
use crate::core::model::progress::{Change, Progress, ReviewEntry};
use crate::core::model::settings::Settings;
use crate::core::scheduler::{FuzzSeed, NextStates, Scheduler};
use crate::core::storage::journal::{Journal, Record};
use crate::core::storage::paths::DataPaths;
use crate::core::time::{DayClock, Timestamp};

/// Whether this collection may write, and if not, why: one value, so "may this write?" is
/// one `match` and the read-only message is built in one place ([`Collection::read_only_reason`]).
#[derive(Debug)]
enum Mode {
    /// The lock holder, with its open journal (which holds the lock).
    Writer(Journal),
    /// Reading only.
    ReadOnly(ReadOnly),
    /// Decks and settings are loaded; progress is read by [`Collection::become_writer`].
    Deferred,
}

/// Why a collection may not write.
#[derive(Clone, Debug)]
enum ReadOnly {
    /// Opened to read: nothing is wrong.
    Chosen,
    /// The lock could not be taken (another Kartu holds it, or the directory is not
    /// writable): the message.
    NoLock(String),
    /// The progress files cannot be used.
    Progress {
        /// What is wrong, for a person.
        message: String,
        /// What may be done about it.
        problem: ProgressProblem,
    },
}

/// What kind of trouble the progress files are in, which decides what may be done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ProgressProblem {
    /// A file does not parse: it may be set aside, and a backup restored.
    Corrupt,
    /// The files read but do not fit together: they are kept, and a backup may be restored
    /// over them.
    Inconsistent,
    /// From a newer Kartu, or unreadable for permissions: left alone.
    Untouchable,
}

impl ProgressProblem {
    fn of(err: &Error) -> Self {
        match err {
            Error::Parse { .. } | Error::JournalGap { .. } | Error::TooLarge { .. } => {
                Self::Corrupt
            }
            Error::Inconsistent { .. } => Self::Inconsistent,
            _ => Self::Untouchable,
        }
    }
}

/// Decks, progress and settings of one data directory.
#[derive(Debug)]
pub struct Collection {
    paths: DataPaths,
    decks: Vec<InstalledDeck>,
    progress: Progress,
    settings: Settings,
    /// One scheduler per deck options preset, by name.
    schedulers: BTreeMap<String, Scheduler>,
    clock: DayClock,
    time_zone: TimeZone,
    fuzz_override: Option<bool>,
    /// Whether it may write.
    mode: Mode,
    /// [`Collection::become_writer`] fails when progress cannot be used ([`Purpose::Write`]:
    /// a command must not go on), instead of staying read-only (the window's way).
    refuse_unusable_progress: bool,
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
    /// Journal records after which a snapshot is due.
    snapshot_every: usize,
    /// The edits journal: deck edits saved but not yet in the deck files.
    edits: edit::EditsState,
}

impl Collection {
    /// An empty, read-only collection of the same data directory and settings, to stand in
    /// while this one is away on another thread (an import being installed): it shows no
    /// decks, and anything that would write says `reason`.
    pub fn stand_in(&self, reason: &str) -> Result<Self> {
        let mut stand_in = Self::empty(
            self.paths.clone(),
            self.settings.clone(),
            self.time_zone.clone(),
            self.fuzz_override,
            Mode::ReadOnly(ReadOnly::NoLock(reason.to_owned())),
        )?;
        stand_in.snapshot_every = self.snapshot_every;
        Ok(stand_in)
    }

    /// A collection with `settings` and no decks nor progress, in `mode`: what stands in for
    /// one that is away ([`Collection::stand_in`]) or still loading ([`Collection::loading`]).
    fn empty(
        paths: DataPaths,
        settings: Settings,
        time_zone: TimeZone,
        fuzz_override: Option<bool>,
        mode: Mode,
    ) -> Result<Self> {
        Ok(Self {
            schedulers: schedulers(&settings, fuzz_override)?,
            clock: DayClock::new(time_zone.clone(), settings.day_start_hour),
            paths,
            decks: Vec::new(),
            progress: Progress::default(),
            settings,
            time_zone,
            fuzz_override,
            mode,
            refuse_unusable_progress: false,
            newest_backup: None,
            problems: Vec::new(),
            notices: Vec::new(),
            settings_unreadable: false,
            unreadable_decks: Vec::new(),
            snapshot_every: crate::core::storage::compaction::COMPACT_AFTER_RECORDS,
            edits: edit::EditsState::default(),
        })
    }

    /// Whether another Kartu (a window, a command) holds the data directory's lock.
    #[must_use]
    pub fn held_by_another(&self) -> bool {
        matches!(self.mode, Mode::ReadOnly(ReadOnly::NoLock(_)))
    }

    /// Only the lock holder writes anything in the data directory.
    fn require_writer(&self) -> Result<()> {
        match &self.mode {
            Mode::Writer(_) => Ok(()),
            Mode::ReadOnly(_) | Mode::Deferred => Err(self.read_only_error()),
        }
    }

    fn read_only_error(&self) -> Error {
        Error::ReadOnly(self.read_only_reason().unwrap_or_default().to_owned())
    }

    /// Why the collection is read-only, if it is: the one place this message is made.
    #[must_use]
    pub fn read_only_reason(&self) -> Option<&str> {
        match &self.mode {
            Mode::Writer(_) => None,
            Mode::Deferred => Some("progress not loaded yet"),
            Mode::ReadOnly(ReadOnly::Chosen) => Some("opened read-only"),
            Mode::ReadOnly(ReadOnly::NoLock(message) | ReadOnly::Progress { message, .. }) => {
                Some(message)
            }
        }
    }

    /// Whether this process holds the lock and may write.
    #[must_use]
    pub fn is_writer(&self) -> bool {
        matches!(self.mode, Mode::Writer(_))
    }

    fn journal_mut(&mut self) -> Option<&mut Journal> {
        match &mut self.mode {
            Mode::Writer(journal) => Some(journal),
            Mode::ReadOnly(_) | Mode::Deferred => None,
        }
    }

    fn progress_problem(&self) -> Option<ProgressProblem> {
        match &self.mode {
            Mode::ReadOnly(ReadOnly::Progress { problem, .. }) => Some(*problem),
            _ => None,
        }
    }

    /// Why the progress files could not be used, if so (the collection is then read-only).
    #[must_use]
    pub fn progress_error(&self) -> Option<&str> {
        match &self.mode {
            Mode::ReadOnly(ReadOnly::Progress { message, .. }) => Some(message),
            _ => None,
        }
    }

    /// Whether progress cannot be used but a backup may be restored over it: its files do
    /// not parse, or do not belong together (as opposed to a newer Kartu's, or unreadable for
    /// permissions).
    #[must_use]
    pub fn progress_restorable(&self) -> bool {
        matches!(
            self.progress_problem(),
            Some(ProgressProblem::Corrupt | ProgressProblem::Inconsistent)
        )
    }

    /// Test failpoint: makes the next journal write fail halfway.
    #[cfg(test)]
    pub(crate) fn fail_next_write(&mut self) {
        if let Some(journal) = self.journal_mut() {
            journal.fail_next_append = true;
        }
    }

    /// Problems met while opening, for the learner to read.
    #[must_use]
    pub fn problems(&self) -> &[String] {
        &self.problems
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
        self.schedulers = schedulers(&self.settings, self.fuzz_override)?;
        self.clock = DayClock::new(self.time_zone.clone(), self.settings.day_start_hour);
        Ok(())
    }

    /// The scheduler of the preset `deck` uses.
    fn scheduler_for(&self, deck: &DeckId) -> Result<&Scheduler> {
        let name = self.settings.preset_name_for(deck);
        self.schedulers
            .get(name)
            .ok_or_else(|| Error::Scheduler(format!("no scheduler for preset {name:?}")))
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

    /// A card's scheduling state (a fresh `new` state when never answered).
    #[must_use]
    pub fn card_progress(&self, deck: &DeckId, card: &CardId) -> CardProgress {
        self.progress.card(deck, card).unwrap_or_default()
    }

    /// What each rating would give the card at `now`.
    pub fn preview(&self, deck: &DeckId, card: &CardId, now: Timestamp) -> Result<NextStates> {
        self.card(deck, card)?;
        let progress = self.card_progress(deck, card);
        let seed = FuzzSeed {
            deck: &deck.0,
            card: &card.0,
        };
        self.scheduler_for(deck)?
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
        self.require_writer()?;
        let next = self.preview(deck, card, now)?.into_rating(rating);
        let before = self.progress.card(deck, card);
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
            after: next.clone(),
        })?;
        Ok(UndoRecord {
            before,
            entry,
            after: next,
        })
    }

    /// Takes back an answer; only the most recent one in the log can be taken back.
    pub fn undo(&mut self, record: &UndoRecord) -> Result<()> {
        self.require_writer()?;
        if self.progress.reviews.last() != Some(&record.entry) {
            return Err(Error::NothingToUndo);
        }
        self.commit(&Change::Undo {
            deck: record.entry.deck.clone(),
            card: record.entry.card.clone(),
            before: record.before.clone(),
        })
    }

    /// Journals a change (on disk when this returns), then applies it in memory; if the write
    /// fails nothing changes, so what is shown is what is stored.
    pub(super) fn commit(&mut self, change: &Change) -> Result<()> {
        let seq = self.progress.seq + 1;
        let Mode::Writer(journal) = &mut self.mode else {
            return Err(self.read_only_error());
        };
        journal.append(&Record {
            seq,
            change: change.clone(),
        })?;
        let cards: Vec<(DeckId, CardId, Option<CardProgress>)> = change
            .cards()
            .into_iter()
            .map(|(deck, card)| (deck.clone(), card.clone(), self.progress.card(deck, card)))
            .collect();
        self.progress.apply(seq, change);
        for (deck, card, before) in cards {
            let after = self.progress.card(&deck, &card);
            if let Some(installed) = self.decks.iter_mut().find(|d| d.deck.id == deck) {
                installed.requeue(&card, before.as_ref(), after.as_ref());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod edit_tests;
#[cfg(test)]
mod fast_path_tests;
#[cfg(test)]
mod list_cache_tests;
#[cfg(test)]
mod tests;

/// A scheduler for each preset of `settings` (fuzz forced on or off by `fuzz_override`).
pub(super) fn schedulers(
    settings: &Settings,
    fuzz_override: Option<bool>,
) -> Result<BTreeMap<String, Scheduler>> {
    settings
        .all_presets()
        .into_iter()
        .map(|preset| {
            let mut config = preset.scheduler_config();
            if let Some(fuzz) = fuzz_override {
                config.fuzz = fuzz;
            }
            Ok((preset.name, Scheduler::new(config)?))
        })
        .collect()
}
