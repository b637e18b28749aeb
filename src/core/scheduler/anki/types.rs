//! The review log entry, as Anki records it, and this module's errors.

/// Errors from this module.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The fsrs crate rejected the input or failed.
    #[error("fsrs: {0}")]
    Fsrs(#[from] fsrs::FSRSError),
    /// The caller's progress callback asked to stop.
    #[error("cancelled")]
    Cancelled,
    /// The crate returned a parameter vector that is not FSRS-6 sized.
    #[error("expected 21 parameters, got {0}")]
    ParameterCount(usize),
    /// A background worker panicked.
    #[error("worker thread panicked")]
    Worker,
}

/// Result alias for this module.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What kind of event a review-log entry records (Anki's `revlog.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ReviewKind {
    /// A learning step of a new card (type 0).
    #[default]
    Learning,
    /// A review of a graduated card (type 1).
    Review,
    /// A relearning step after a lapse (type 2).
    Relearning,
    /// A review in a filtered deck (type 3); with `ease_factor == 0` it is a
    /// cram that does not reschedule.
    Filtered,
    /// A manual schedule change (type 4): "set due date", or with
    /// `ease_factor == 0` a reset to new ("forget").
    Manual,
    /// An automatic reschedule after a parameter change (type 5).
    Rescheduled,
}

impl ReviewKind {
    /// Maps Anki's numeric `revlog.type`. Unknown values become
    /// [`ReviewKind::Learning`], as Anki's revlog reader defaults them.
    #[must_use]
    pub fn from_anki(kind: i64) -> Self {
        match kind {
            1 => Self::Review,
            2 => Self::Relearning,
            3 => Self::Filtered,
            4 => Self::Manual,
            5 => Self::Rescheduled,
            _ => Self::Learning,
        }
    }
}

/// One review-log entry (a row of Anki's `revlog`), in Kartu-neutral form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Review {
    /// When the review happened, in milliseconds since the Unix epoch (Anki's
    /// revlog id).
    pub at_ms: i64,
    /// The card reviewed.
    pub card_id: i64,
    /// The answer button: 1 = Again, 2 = Hard, 3 = Good, 4 = Easy; 0 for a
    /// manual or rescheduling entry that the learner did not grade.
    pub rating: u8,
    /// What kind of event this is.
    pub kind: ReviewKind,
    /// Interval after the review: days if positive, seconds if negative.
    pub interval_days: i32,
    /// Interval before the review: days if positive, seconds if negative.
    pub last_interval_days: i32,
    /// Anki's `revlog.factor`: SM-2 ease in permille (2500 = 250 %), or under
    /// FSRS the difficulty mapped to 100..=1100. Needed because Anki tells a
    /// reset (Manual) and a cram (Filtered) from their siblings by a zero here.
    pub ease_factor: u32,
    /// Time spent answering, in milliseconds.
    pub duration_ms: u32,
}

impl Review {
    pub(super) fn has_rating(&self) -> bool {
        self.rating > 0
    }

    /// Anki's `RevlogEntry::is_reset`: a "forget" entry.
    pub(super) fn is_reset(&self) -> bool {
        self.kind == ReviewKind::Manual && self.ease_factor == 0
    }

    /// Anki's `RevlogEntry::is_cramming`: a filtered-deck review that did not
    /// reschedule.
    pub(super) fn is_cramming(&self) -> bool {
        self.kind == ReviewKind::Filtered && self.ease_factor == 0
    }

    /// Anki's `has_rating_and_affects_scheduling`.
    pub(super) fn affects_scheduling(&self) -> bool {
        self.has_rating() && !self.is_cramming()
    }

    /// The review time in whole seconds, truncated like Anki's
    /// `RevlogId::as_secs`.
    pub(super) fn at_secs(&self) -> i64 {
        self.at_ms / 1000
    }
}

/// Sorts a copy of `reviews` by card, then time: the order Anki reads its
/// revlog in (`order by cid, id`) before grouping it by card.
pub(super) fn sorted_by_card(reviews: &[Review]) -> Vec<Review> {
    let mut sorted = reviews.to_vec();
    sorted.sort_by_key(|r| (r.card_id, r.at_ms));
    sorted
}
