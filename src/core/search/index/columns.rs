//! The browser's sort columns, and a found card as the command line prints it.

use serde::Serialize;

/// What the result can be sorted by (the browser's columns).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SortColumn {
    /// The front, or a cloze note's text (Anki's sort field).
    SortField,
    /// The deck's name.
    Deck,
    /// The note kind.
    Kind,
    /// The tags.
    Tags,
    /// New, learning, review, relearning.
    State,
    /// The due time (new cards last).
    Due,
    /// The interval.
    Interval,
    /// FSRS stability.
    Stability,
    /// FSRS difficulty.
    Difficulty,
    /// Answers.
    Reps,
    /// Lapses.
    Lapses,
    /// When the note was added.
    Added,
    /// The last answer.
    LastReview,
}

impl SortColumn {
    /// Every column, in the browser's order.
    pub const ALL: [Self; 13] = [
        Self::SortField,
        Self::Deck,
        Self::Kind,
        Self::Tags,
        Self::State,
        Self::Due,
        Self::Interval,
        Self::Stability,
        Self::Difficulty,
        Self::Reps,
        Self::Lapses,
        Self::Added,
        Self::LastReview,
    ];

    /// The name `--sort` takes.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::SortField => "sort_field",
            Self::Deck => "deck",
            Self::Kind => "kind",
            Self::Tags => "tags",
            Self::State => "state",
            Self::Due => "due",
            Self::Interval => "interval",
            Self::Stability => "stability",
            Self::Difficulty => "difficulty",
            Self::Reps => "reps",
            Self::Lapses => "lapses",
            Self::Added => "added",
            Self::LastReview => "last_review",
        }
    }

    /// The column named `name` (as [`SortColumn::name`] gives it; `front` is the sort field).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        if name == "front" {
            return Some(Self::SortField);
        }
        Self::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// One card found, for a person or a script.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Found {
    /// The deck.
    pub deck: String,
    /// The card.
    pub card: String,
    /// new, learning, review or relearning.
    pub state: &'static str,
    /// When it is due (RFC 3339); `null` for a new card.
    pub due: Option<String>,
    /// The interval, in seconds.
    pub interval_secs: u64,
    /// FSRS stability in days.
    pub stability: f32,
    /// FSRS difficulty, 1 to 10.
    pub difficulty: f32,
    /// Answers.
    pub reps: u32,
    /// Lapses.
    pub lapses: u32,
    /// The last answer (RFC 3339), if any.
    pub last_review: Option<String>,
    /// When the note was added (RFC 3339), if known.
    pub added: Option<String>,
    /// The question, as study shows it.
    pub front: String,
    /// The note's tags.
    pub tags: Vec<String>,
    /// Whether it is suspended.
    pub suspended: bool,
    /// Whether it is buried now.
    pub buried: bool,
}
