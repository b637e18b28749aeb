//! The learner's progress: each studied card's scheduling state and the reviews, and the
//! changes that move it on (an answer, an undo).
//!
//! The data only. Its files are in `storage/`: the snapshot and whole-document format in
//! `storage/format/snapshot/`, the append-only review log in `storage/review_log/`, the
//! journal of changes in `storage/journal.rs`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::core::ids::{CardId, DeckId};
use crate::core::model::card::{CardProgress, CardState, Rating};
use crate::core::model::card_states::CardStates;
use crate::core::time::Timestamp;

/// The newest progress format this build reads and the one it writes.
///
/// Format 2 added `seq`, the last journal record the snapshot contains; format 1 files load
/// with `seq: 0`. Format 3 added `review_log`: a snapshot with it keeps its reviews in that
/// review log instead of inline. Format 4 added `review_log_bytes` and `folded`, so loading
/// can tell a review log cut short, or a snapshot that claims journal records it lacks.
pub const PROGRESS_FORMAT_VERSION: u32 = 4;

/// One answer, as kept in the review log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewEntry {
    /// The deck id.
    pub deck: DeckId,
    /// The card id.
    pub card: CardId,
    /// When the answer was given.
    pub at: Timestamp,
    /// The answer.
    pub rating: Rating,
    /// The card's state before the answer (a `new` here means the card was introduced).
    pub state_before: CardState,
    /// Seconds since the card's previous answer (0 for its first).
    pub elapsed_secs: i64,
    /// How long the learner looked at the card before answering, in milliseconds.
    pub duration_ms: u32,
    /// The interval the answer scheduled, in seconds.
    pub interval_secs: u64,
}

/// Everything a learner has done: the contents of a progress file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// The file format version ([`PROGRESS_FORMAT_VERSION`]).
    pub format: u32,
    /// Sequence number of the last journal record included (see `journal.rs`).
    #[serde(default)]
    pub seq: u64,
    /// The generation of the review log holding the history (`reviews-N.ron`), in a
    /// snapshot; `None` in a whole document, whose reviews are all in `reviews`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_log: Option<u32>,
    /// In a snapshot: the review log's length in bytes when the snapshot was written. The
    /// log only grows, so a shorter log lost history (format 4; `None` before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_log_bytes: Option<u64>,
    /// In a snapshot: the last journal record it accounts for (folded in, or replaced by a
    /// restore), so journal records at or below `seq` can be told from records it never
    /// saw (format 4; `None`: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folded: Option<Folded>,
    /// Scheduling state of every card answered at least once, by deck id then card id.
    /// Cards of decks that are no longer installed are kept, so reinstalling restores them.
    pub cards: BTreeMap<DeckId, CardStates>,
    /// Answers in the order they were recorded (time order, unless `--now` said otherwise).
    /// In a whole document, all of them; in a collection loaded from a snapshot, only the
    /// recent ones (at least today's): the rest stay in the review log on disk.
    #[serde(default)]
    pub reviews: Vec<ReviewEntry>,
}

/// The last journal record a snapshot accounts for: its sequence number and a hash of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Folded {
    /// The record's sequence number.
    pub seq: u64,
    /// FNV-1a of the record in its canonical one-line form ([`record_hash`]).
    pub hash: u64,
}

impl Default for Progress {
    fn default() -> Self {
        Self {
            format: PROGRESS_FORMAT_VERSION,
            seq: 0,
            review_log: None,
            review_log_bytes: None,
            folded: None,
            cards: BTreeMap::new(),
            reviews: Vec::new(),
        }
    }
}

impl Progress {
    /// The state of a card; `None` when it was never answered.
    #[must_use]
    pub fn card(&self, deck: &DeckId, card: &CardId) -> Option<CardProgress> {
        self.cards.get(deck)?.get(&card.0)
    }

    /// Cards with progress, in all decks.
    #[must_use]
    pub fn card_count(&self) -> usize {
        self.cards.values().map(CardStates::len).sum()
    }

    /// Sets (or, with `None`, forgets) a card's state.
    pub fn set_card(&mut self, deck: &DeckId, card: &CardId, progress: Option<CardProgress>) {
        match progress {
            Some(progress) => {
                if let Some(deck_cards) = self.cards.get_mut(deck) {
                    deck_cards.insert(card.clone(), progress);
                } else {
                    self.cards
                        .entry(deck.clone())
                        .or_default()
                        .insert(card.clone(), progress);
                }
            }
            None => {
                if let Some(deck_cards) = self.cards.get_mut(deck) {
                    deck_cards.remove(&card.0);
                    if deck_cards.is_empty() {
                        self.cards.remove(deck);
                    }
                }
            }
        }
    }
}

/// One change to progress, as journalled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Change {
    /// A card was answered: its new state, and the review appended to the log.
    Answer {
        /// The review log entry.
        review: ReviewEntry,
        /// The card's state after the answer.
        after: CardProgress,
    },
    /// The last answer was taken back: the log's last entry is removed and the card's state
    /// before it restored (`None`: the card was new).
    Undo {
        /// The deck id.
        deck: DeckId,
        /// The card id.
        card: CardId,
        /// The state to restore.
        before: Option<CardProgress>,
    },
    /// Card states set directly, without an answer (suspend, unsuspend, bury, forget): each
    /// card's new state (`None`: new again). Undone by another `SetCards` with the states
    /// before. Journal format 2.
    SetCards {
        /// The cards and their new states.
        cards: Vec<(DeckId, CardId, Option<CardProgress>)>,
    },
}

impl Change {
    /// The cards it changes.
    #[must_use]
    pub fn cards(&self) -> Vec<(&DeckId, &CardId)> {
        match self {
            Self::Answer { review, .. } => vec![(&review.deck, &review.card)],
            Self::Undo { deck, card, .. } => vec![(deck, card)],
            Self::SetCards { cards } => cards.iter().map(|(deck, card, _)| (deck, card)).collect(),
        }
    }
}

impl Progress {
    /// Applies a journalled change and advances the sequence number to `seq`.
    pub fn apply(&mut self, seq: u64, change: &Change) {
        self.apply_to_cards(change);
        self.apply_to_reviews(change);
        self.seq = seq;
    }

    /// Applies a change to the card states only.
    pub fn apply_to_cards(&mut self, change: &Change) {
        match change {
            Change::Answer { review, after } => {
                self.set_card(&review.deck, &review.card, Some(after.clone()));
            }
            Change::Undo { deck, card, before } => self.set_card(deck, card, before.clone()),
            Change::SetCards { cards } => {
                for (deck, card, state) in cards {
                    self.set_card(deck, card, state.clone());
                }
            }
        }
    }

    /// Applies a change to the reviews held in memory only.
    pub fn apply_to_reviews(&mut self, change: &Change) {
        match change {
            Change::Answer { review, .. } => self.reviews.push(review.clone()),
            Change::Undo { deck, card, .. } => {
                // In memory only the recent reviews are held; the one taken back is always
                // among them, but never take back a different card's review.
                if self
                    .reviews
                    .last()
                    .is_some_and(|last| &last.deck == deck && &last.card == card)
                {
                    self.reviews.pop();
                }
            }
            Change::SetCards { .. } => {}
        }
    }
}
