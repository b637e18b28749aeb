//! Review log → FSRS items, as Anki builds them.
//!
//! Follows `reviews_for_fsrs` and `fsrs_items_for_training` in Anki's
//! `rslib/src/scheduler/fsrs/params.rs`.

use fsrs::{FSRSItem, FSRSReview};

use super::clock::DayClock;
use super::types::{Review, ReviewKind, sorted_by_card};

/// Training data for the optimiser, in Anki's order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrainingSet {
    /// One item per usable review after a card's first, each holding the
    /// card's history up to and including that review; sorted by review time
    /// across all cards, as Anki sorts them.
    pub items: Vec<FSRSItem>,
    /// The card each item belongs to, aligned with `items` (the crate groups
    /// a card's items by this to train faster).
    pub card_ids: Vec<i64>,
    /// How many review-log entries the items were built from (Anki's
    /// "reviews" figure in the optimiser's progress).
    pub review_count: usize,
}

impl TrainingSet {
    /// Whether there is nothing to train on.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// A card's reviews after Anki's filtering.
pub(crate) struct FilteredHistory {
    /// The entries kept, oldest first.
    pub(crate) entries: Vec<Review>,
    /// Items with the review time of the entry that ends each one.
    pub(crate) items: Vec<(i64, FSRSItem)>,
    /// True when the history starts at a learning step, so the memory state
    /// can be computed from it alone; false when it was truncated and the
    /// first review must be turned into an SM-2 starting state.
    pub(crate) complete: bool,
}

/// Builds Anki's training items from a review log.
///
/// `reviews` may hold many cards in any order; they are grouped by card and
/// sorted by time first. Reviews at or before `ignore_before_ms` (Anki's
/// "Ignore cards reviewed before", see [`super::ignore_before_ms_from_date`];
/// 0 for none) exclude a card whose last learning run started before it.
/// Cards are skipped when they never had a learning step (Anki cannot tell
/// where their history starts), and a review yields an item only if it is not
/// the card's first and falls on a later day than the one before it.
#[must_use]
pub fn training_items(reviews: &[Review], clock: DayClock, ignore_before_ms: i64) -> TrainingSet {
    let sorted = sorted_by_card(reviews);
    let mut review_count = 0;
    let mut tagged: Vec<(i64, i64, FSRSItem)> = Vec::new();
    for card in sorted.chunk_by(|a, b| a.card_id == b.card_id) {
        let Some(history) = filter_history(card.to_vec(), clock, true, ignore_before_ms) else {
            continue;
        };
        review_count += history.entries.len();
        let card_id = card[0].card_id;
        tagged.extend(
            history
                .items
                .into_iter()
                .map(|(at_ms, item)| (at_ms, card_id, item)),
        );
    }
    // Anki orders items by the revlog id of their last review, across cards.
    tagged.sort_by_key(|(at_ms, _, _)| *at_ms);
    let (card_ids, items) = tagged
        .into_iter()
        .map(|(_, card_id, item)| (card_id, item))
        .unzip();
    TrainingSet {
        items,
        card_ids,
        review_count,
    }
}

/// Anki's `reviews_for_fsrs` for one card's entries, oldest first.
///
/// With `training`, every review after the first that starts a new day gives
/// an item; otherwise only the single item of the whole history is returned.
pub(crate) fn filter_history(
    mut entries: Vec<Review>,
    clock: DayClock,
    training: bool,
    ignore_before_ms: i64,
) -> Option<FilteredHistory> {
    let mut first_of_last_learning: Option<usize> = None;
    let mut first_user_grade: Option<usize> = None;
    let mut complete = false;
    // Walk back from the newest entry to find where the usable history starts.
    for (index, entry) in entries.iter().enumerate().rev() {
        if entry.is_cramming() {
            continue;
        }
        // A truncated history starts at the first graded, interday review after the cutoff.
        let within_cutoff = entry.at_ms > ignore_before_ms;
        let interday = entry.interval_days >= 1 || entry.interval_days <= -86_400;
        if entry.has_rating() && within_cutoff && interday {
            first_user_grade = Some(index);
        }
        if entry.has_rating() && entry.kind == ReviewKind::Learning {
            first_of_last_learning = Some(index);
            complete = true;
        } else if entry.is_reset() {
            if first_of_last_learning.is_some() {
                // Learning after a reset: the history before it no longer matters.
                complete = true;
                break;
            } else if first_user_grade.is_some() {
                // Graded after the reset but never relearned: truncated history.
                complete = false;
                break;
            }
            // Reset and never graded since: nothing usable.
            return None;
        } else if first_of_last_learning.is_some() {
            // Older Anki versions logged no reset entry; a non-learning entry
            // before a learning run ends the run.
            break;
        }
    }
    if let Some(index) = first_of_last_learning {
        let started_before_cutoff = entries[index].at_ms < ignore_before_ms;
        if training && started_before_cutoff {
            // Training drops a card whose learning began before the cutoff.
            return None;
        }
        if !training && started_before_cutoff && index < entries.len() - 1 {
            // For memory states, fall back on the first graded review after the cutoff.
            complete = false;
            first_of_last_learning = None;
        }
    }
    if let Some(index) = first_of_last_learning {
        entries.drain(..index);
    } else if training {
        // Without a learning step the optimiser cannot know the initial state.
        return None;
    } else {
        let index = first_user_grade?;
        entries.drain(..index);
    }

    entries.retain(Review::affects_scheduling);
    let reviews: Vec<FSRSReview> = entries
        .iter()
        .enumerate()
        .map(|(index, entry)| FSRSReview {
            rating: u32::from(entry.rating),
            delta_t: if index == 0 {
                0
            } else {
                clock.days_between(entries[index - 1].at_ms, entry.at_ms)
            },
        })
        .collect();

    let items = if training {
        // Same-day repeats stay in the history but are not prediction targets.
        (1..reviews.len())
            .filter(|&index| reviews[index].delta_t > 0)
            .map(|index| {
                let item = FSRSItem {
                    reviews: reviews[..=index].to_vec(),
                };
                (entries[index].at_ms, item)
            })
            .collect()
    } else {
        let last = entries.last()?.at_ms;
        vec![(last, FSRSItem { reviews })]
    };
    if items.is_empty() {
        return None;
    }
    Some(FilteredHistory {
        entries,
        items,
        complete,
    })
}

#[cfg(test)]
mod tests {
    //! Anki's own cases from `params.rs`, restated for this port.
    use super::*;

    const NEXT_DAY_AT: i64 = 86_400 * 1000;

    fn clock() -> DayClock {
        DayClock::from_next_day_at(NEXT_DAY_AT)
    }

    fn days_ago_ms(days: i64) -> i64 {
        (NEXT_DAY_AT - days * 86_400) * 1000
    }

    fn entry(kind: ReviewKind, days_ago: i64) -> Review {
        let rating = if matches!(kind, ReviewKind::Manual | ReviewKind::Rescheduled) {
            0
        } else {
            3
        };
        Review {
            at_ms: days_ago_ms(days_ago),
            card_id: 1,
            rating,
            kind,
            interval_days: 1,
            ..Review::default()
        }
    }

    fn manual(days_ago: i64, ease_factor: u32) -> Review {
        Review {
            ease_factor,
            ..entry(ReviewKind::Manual, days_ago)
        }
    }

    fn convert(entries: &[Review], training: bool, ignore_before_ms: i64) -> Option<Vec<Vec<u32>>> {
        filter_history(entries.to_vec(), clock(), training, ignore_before_ms).map(|h| {
            h.items
                .into_iter()
                .map(|(_, item)| item.reviews.iter().map(|r| r.delta_t).collect())
                .collect()
        })
    }

    use ReviewKind::{Filtered, Learning, Relearning, Review as Rev};

    #[test]
    fn delta_t_and_items() {
        let log = [entry(Learning, 1), entry(Rev, 0)];
        assert_eq!(convert(&log, true, 0), Some(vec![vec![0, 1]]));
        let log = [
            entry(Learning, 15),
            entry(Learning, 13),
            entry(Rev, 10),
            entry(Rev, 5),
        ];
        assert_eq!(
            convert(&log, true, 0),
            Some(vec![vec![0, 2], vec![0, 2, 3], vec![0, 2, 3, 5]])
        );
    }

    #[test]
    fn cram_and_set_due_date_are_filtered() {
        let cram = Review {
            ease_factor: 0,
            ..entry(Filtered, 7)
        };
        let log = [entry(Learning, 10), entry(Rev, 9), cram, entry(Rev, 4)];
        assert_eq!(
            convert(&log, true, 0),
            Some(vec![vec![0, 1], vec![0, 1, 5]])
        );
        let log = [
            entry(Learning, 10),
            entry(Rev, 9),
            manual(7, 100),
            entry(Rev, 4),
        ];
        assert_eq!(
            convert(&log, true, 0),
            Some(vec![vec![0, 1], vec![0, 1, 5]])
        );
    }

    #[test]
    fn reset_drops_earlier_history() {
        let log = [
            entry(Learning, 10),
            manual(7, 0),
            entry(Learning, 4),
            entry(Rev, 0),
        ];
        assert_eq!(convert(&log, true, 0), Some(vec![vec![0, 4]]));
        let log = [
            entry(Learning, 10),
            entry(Rev, 9),
            manual(7, 0),
            manual(7, 100),
        ];
        assert_eq!(convert(&log, false, 0), None);
        let log = [
            entry(Learning, 10),
            entry(Rev, 9),
            manual(7, 0),
            entry(Rev, 1),
            entry(Relearning, 0),
        ];
        assert_eq!(convert(&log, true, 0), None);
        let log = [
            entry(Rev, 9),
            manual(7, 0),
            entry(Rev, 1),
            entry(Relearning, 0),
        ];
        assert_eq!(convert(&log, false, 0), Some(vec![vec![0, 1]]));
    }

    #[test]
    fn single_learning_step() {
        assert_eq!(convert(&[entry(Learning, 1)], true, 0), None);
        assert_eq!(
            convert(&[entry(Learning, 1)], false, 0),
            Some(vec![vec![0]])
        );
    }

    #[test]
    fn cutoff_when_training() {
        let log = [entry(Learning, 10), entry(Learning, 8)];
        assert_eq!(convert(&log, true, days_ago_ms(7)), None);
        assert_eq!(convert(&log, true, days_ago_ms(9)), None);
        assert_eq!(convert(&log, true, days_ago_ms(10)), convert(&log, true, 0));
        assert_eq!(convert(&log, true, days_ago_ms(11)), convert(&log, true, 0));
        let log = [entry(Learning, 10), entry(Learning, 8), entry(Rev, 6)];
        assert_eq!(convert(&log, true, days_ago_ms(9)), None);
    }

    #[test]
    fn cutoff_for_memory_state() {
        let again = Review {
            rating: 1,
            interval_days: -600,
            ..entry(Rev, 8)
        };
        let log = [entry(Rev, 10), again, entry(Relearning, 8), entry(Rev, 6)];
        assert_eq!(convert(&log, false, days_ago_ms(9)), Some(vec![vec![0, 2]]));
        let log = [entry(Learning, 10), entry(Learning, 8), entry(Rev, 2)];
        let cut = convert(&log, false, days_ago_ms(9)).unwrap_or_default();
        assert_eq!(cut.last().map(Vec::len), Some(2));
        assert_eq!(
            convert(&log, false, days_ago_ms(11)),
            convert(&log, false, 0)
        );
        let log = [entry(Rev, 10), entry(Rev, 8), entry(Rev, 6)];
        let cut = convert(&log, false, days_ago_ms(9)).unwrap_or_default();
        assert_eq!(cut.last().map(Vec::len), Some(2));
        let log = [entry(Learning, 10), entry(Rev, 6)];
        assert_eq!(convert(&log, false, days_ago_ms(4)), None);
    }

    #[test]
    fn items_are_sorted_by_time_with_aligned_card_ids() {
        let card = |id: i64, kind, days| Review {
            card_id: id,
            ..entry(kind, days)
        };
        let log = [
            card(1, Learning, 10),
            card(1, Rev, 7),
            card(1, Rev, 1),
            card(2, Learning, 9),
            card(2, Rev, 8),
        ];
        let set = training_items(&log, clock(), 0);
        assert_eq!(set.card_ids, vec![2, 1, 1]);
        let lens: Vec<usize> = set.items.iter().map(|i| i.reviews.len()).collect();
        assert_eq!(lens, vec![2, 2, 3]);
        assert_eq!(set.review_count, 5);
    }
}
