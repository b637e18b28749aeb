//! A card's scheduling state and the learner's answers: the words progress files and the
//! command line use for them, defined once.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::core::time::{DAY_SECS, Timestamp};

/// Where a card is in its life.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CardState {
    /// Never answered.
    #[default]
    New,
    /// Going through the learning steps (minutes apart).
    Learning,
    /// Graduated: scheduled in days by FSRS.
    Review,
    /// Forgotten after graduating: going through the relearning steps.
    Relearning,
}

impl CardState {
    /// All four, in a card's life order.
    pub const ALL: [Self; 4] = [Self::New, Self::Learning, Self::Review, Self::Relearning];

    /// The state a word of [`CardState::as_str`] names (the one table of these words).
    #[must_use]
    pub fn from_word(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == word)
    }

    /// `new`, `learning`, `review` or `relearning`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Learning => "learning",
            Self::Review => "review",
            Self::Relearning => "relearning",
        }
    }
}

impl fmt::Display for CardState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The learner's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    /// Forgot.
    Again,
    /// Recalled with serious difficulty.
    Hard,
    /// Recalled.
    Good,
    /// Recalled with no effort.
    Easy,
}

impl Rating {
    /// All four, in button order.
    pub const ALL: [Self; 4] = [Self::Again, Self::Hard, Self::Good, Self::Easy];

    /// The rating a word of [`Rating::as_str`] names (the one table of these words).
    #[must_use]
    pub fn from_word(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|rating| rating.as_str() == word)
    }

    /// `again`, `hard`, `good` or `easy`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Again => "again",
            Self::Hard => "hard",
            Self::Good => "good",
            Self::Easy => "easy",
        }
    }

    /// FSRS's number for the rating, 1–4 (also the keyboard key).
    #[must_use]
    pub fn number(self) -> u32 {
        match self {
            Self::Again => 1,
            Self::Hard => 2,
            Self::Good => 3,
            Self::Easy => 4,
        }
    }
}

impl FromStr for Rating {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let word = text.trim().to_ascii_lowercase();
        Self::from_word(&word)
            .or_else(|| {
                Self::ALL
                    .into_iter()
                    .find(|r| r.number().to_string() == word)
            })
            .ok_or_else(|| format!("unknown rating {text:?}: use again, hard, good or easy"))
    }
}

/// A card's scheduling state, as stored in the progress file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CardProgress {
    /// New, learning, review or relearning.
    pub state: CardState,
    /// Learning or relearning steps left (Anki's "remaining steps").
    pub remaining_steps: u32,
    /// When the card is next due.
    pub due: Timestamp,
    /// The interval that was scheduled at the last answer: a step in seconds, or whole days.
    pub interval_secs: u64,
    /// FSRS memory stability, in days (0 when new).
    pub stability: f32,
    /// FSRS difficulty, 1–10 (0 when new).
    pub difficulty: f32,
    /// Answers given.
    pub reps: u32,
    /// Times forgotten after graduating.
    pub lapses: u32,
    /// When it was last answered.
    pub last_review: Option<Timestamp>,
    /// Kept out of study until unsuspended (the learner's `@`, or an Anki import).
    #[serde(skip_serializing_if = "is_false")]
    pub suspended: bool,
    /// Kept out of study until this time, the start of a later learner day (the learner's
    /// `-`, or an Anki import).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buried_until: Option<Timestamp>,
}

// Serde's `skip_serializing_if` hands the field by reference.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_false(value: &bool) -> bool {
    !value
}

impl CardProgress {
    /// Whether the card is kept out of study at `now`: suspended, or buried until later.
    #[must_use]
    pub fn is_held(&self, now: Timestamp) -> bool {
        self.suspended || self.buried_until.is_some_and(|until| until > now)
    }

    /// The interval in whole days when it is a review interval, else `None`.
    #[must_use]
    pub fn interval_days(&self) -> Option<u64> {
        (self.state == CardState::Review).then_some(self.interval_secs / DAY_SECS as u64)
    }
}
