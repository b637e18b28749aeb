//! The collection's public types: how it is opened, what the deck list shows, what an answer
//! leaves to undo, what an import did, and what a one-shot command leaves due.

use crate::core::error::Result;
use crate::core::ids::{CardId, DeckId};
use crate::core::model::card::CardProgress;
use crate::core::model::progress::ReviewEntry;
use crate::core::storage::backup::{BackupInfo, BackupJob};
use crate::core::storage::compaction::SnapshotJob;
use crate::core::storage::journal::Journal;
use crate::core::study::limits::DeckCounts;

/// One line of the deck list.
#[derive(Clone, Debug, PartialEq)]
pub struct DeckSummary {
    /// Deck id.
    pub id: DeckId,
    /// Deck title.
    pub title: String,
    /// Deck language.
    pub language: String,
    /// The deck it sits under, if any (and installed).
    pub parent: Option<DeckId>,
    /// How deep in the tree: 0 at the top.
    pub depth: usize,
    /// Number of cards, sub-decks' included.
    pub card_count: usize,
    /// Today's counts, sub-decks' included.
    pub counts: DeckCounts,
}

/// What is needed to take one answer back (and to give it again).
#[derive(Clone, Debug, PartialEq)]
pub struct UndoRecord {
    /// The card's state before the answer (`None`: it was new).
    pub before: Option<CardProgress>,
    /// The review log entry the answer added.
    pub entry: ReviewEntry,
    /// The card's state after the answer.
    pub after: CardProgress,
}

/// Card states, by deck and card (`None`: new, no progress).
pub type CardStates = Vec<(DeckId, CardId, Option<CardProgress>)>;

/// Something the learner did that can be taken back, and then done again: one undo history
/// for answers and changes to cards.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// An answer.
    Answer(UndoRecord),
    /// Card states set directly: suspended, unsuspended, buried, forgotten.
    SetCards {
        /// The states before.
        before: CardStates,
        /// The states after.
        after: CardStates,
    },
    /// Edits to decks.
    Edit {
        /// What takes them back.
        before: Vec<crate::core::model::edit::Edit>,
        /// The edits.
        after: Vec<crate::core::model::edit::Edit>,
    },
    /// Several actions as one (moving notes: their progress, then the notes): undone last
    /// first.
    Many(Vec<Action>),
}

impl Action {
    /// How many cards it changed.
    #[must_use]
    pub fn card_count(&self) -> usize {
        match self {
            Self::Answer(_) => 1,
            Self::SetCards { after, .. } => after.len(),
            Self::Edit { after, .. } => after.len(),
            Self::Many(actions) => actions.iter().map(Self::card_count).max().unwrap_or(0),
        }
    }
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

/// The snapshot and backup a one-shot command leaves due (see [`Collection::into_upkeep`]).
#[derive(Debug)]
pub struct Upkeep {
    /// Holds the lock; trimmed after the snapshot.
    pub(crate) journal: Option<Journal>,
    pub(crate) snapshot: Option<SnapshotJob>,
    pub(crate) backup: Option<BackupJob>,
    pub(crate) notices: Vec<String>,
}

impl Upkeep {
    /// What the learner should hear about (see [`Collection::take_notices`]).
    pub fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    /// Runs the snapshot (then trims the journal) and the backup, if due. Either may fail
    /// without the other being skipped; the answers are safe in the journal regardless.
    pub fn run(mut self) -> (Result<()>, Result<Option<BackupInfo>>) {
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

/// What the shell wants a collection for; [`super::Collection::open_for`] decides how to
/// open it (take the lock or not, fall back to read-only or not, refuse unusable files or
/// not), so the window and the command line decide the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// The window: the writer if it can be (the lock is free and the directory writable),
    /// else read-only, saying why. Unusable files are reported and kept, never a refusal.
    Study,
    /// Commands that only read (`decks`, `next`, `card`): no lock, nothing created or
    /// written, so they work while a window is open. Progress or deck files that cannot be
    /// used are an error.
    Read,
    /// Commands that write (`answer`, `generate`): decks and settings now, so arguments are
    /// checked before progress is read, once, under the lock, by
    /// [`super::Collection::become_writer`] (which refuses progress that cannot be used).
    /// Deck files that cannot be used are an error.
    Write,
    /// The way out (`backup list`, `backup restore`): read-only whatever state progress is
    /// in; a restore takes the lock itself.
    Repair,
}
