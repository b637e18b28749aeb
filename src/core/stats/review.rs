//! Kartu's review history in the form the FSRS glue (`scheduler::anki`) takes: Anki's
//! review-log rows, so true retention and the optimizer see exactly what Anki would.

use std::collections::HashMap;

use crate::core::ids::{CardId, DeckId};
use crate::core::model::card::{CardState, Rating};
use crate::core::model::progress::ReviewEntry;
use crate::core::scheduler::anki::{Review, ReviewKind};
use crate::core::time::DAY_SECS;

/// A stable number for a card (Anki's reviews name cards by number).
pub(super) fn card_number(deck: &DeckId, card: &CardId) -> i64 {
    let hash = crate::core::ids::fnv64(deck.0.bytes().chain([0]).chain(card.0.bytes()));
    // Positive, as Anki's ids are.
    i64::try_from(hash >> 1).unwrap_or(i64::MAX)
}

/// An interval as Anki's log writes it: days when a day or more, else negative seconds.
pub(super) fn anki_interval(secs: u64) -> i32 {
    let secs_i = i64::try_from(secs).unwrap_or(i64::MAX);
    if secs_i >= DAY_SECS {
        i32::try_from(secs_i / DAY_SECS).unwrap_or(i32::MAX)
    } else {
        -i32::try_from(secs_i).unwrap_or(i32::MAX)
    }
}

/// Turns Kartu's reviews (oldest first) into Anki's, one by one, remembering each card's
/// last interval.
#[derive(Debug, Default)]
pub struct AnkiReviews {
    last_interval: HashMap<i64, i32>,
    /// The reviews so far.
    pub reviews: Vec<Review>,
}

impl AnkiReviews {
    /// Adds one review.
    pub fn push(&mut self, entry: &ReviewEntry) {
        let card_id = card_number(&entry.deck, &entry.card);
        let interval = anki_interval(entry.interval_secs);
        let last = self.last_interval.insert(card_id, interval).unwrap_or(0);
        self.reviews.push(anki_review(entry, card_id, last));
    }
}

/// Kartu's review as Anki's review-log row, for the card numbered `card_id` whose interval
/// before it was `last_interval_days` (Anki's form).
pub(super) fn anki_review(entry: &ReviewEntry, card_id: i64, last_interval_days: i32) -> Review {
    Review {
        at_ms: entry.at.unix_secs().saturating_mul(1000),
        card_id,
        rating: match entry.rating {
            Rating::Again => 1,
            Rating::Hard => 2,
            Rating::Good => 3,
            Rating::Easy => 4,
        },
        kind: match entry.state_before {
            CardState::New | CardState::Learning => ReviewKind::Learning,
            CardState::Review => ReviewKind::Review,
            CardState::Relearning => ReviewKind::Relearning,
        },
        interval_days: anki_interval(entry.interval_secs),
        last_interval_days,
        // Anki tells resets and crams by a zero here; Kartu logs answers only.
        ease_factor: 2500,
        duration_ms: entry.duration_ms,
    }
}
