//! The figures of Anki's "True retention" statistics table, as computed by
//! `calculate_true_retention` in Anki's `rslib/src/stats/graphs/retention.rs`.

use super::clock::DayClock;
use super::types::{Review, ReviewKind};

const DAY_SECS: i64 = 86_400;
/// A day in seconds, for intervals stored as negative seconds.
const DAY_SECS_I32: i32 = 86_400;
/// Anki calls a card mature once its interval before the review is 21 days.
const MATURE_INTERVAL_DAYS: i32 = 21;

/// Pass and fail counts for one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RetentionCounts {
    /// Young reviews (previous interval under 21 days) answered Hard, Good or Easy.
    pub young_passed: u32,
    /// Young reviews answered Again.
    pub young_failed: u32,
    /// Mature reviews (previous interval 21 days or more) answered Hard, Good or Easy.
    pub mature_passed: u32,
    /// Mature reviews answered Again.
    pub mature_failed: u32,
}

impl RetentionCounts {
    /// Young pass rate, `None` when there were no young reviews (Anki shows "N/A").
    #[must_use]
    pub fn young(&self) -> Option<f64> {
        rate(self.young_passed, self.young_failed)
    }

    /// Mature pass rate, `None` when there were no mature reviews.
    #[must_use]
    pub fn mature(&self) -> Option<f64> {
        rate(self.mature_passed, self.mature_failed)
    }

    /// Pass rate over young and mature reviews together.
    #[must_use]
    pub fn total(&self) -> Option<f64> {
        rate(
            self.young_passed + self.mature_passed,
            self.young_failed + self.mature_failed,
        )
    }

    fn add(&mut self, review: &Review) {
        match retention_class(review) {
            Some(RetentionClass::YoungPassed) => self.young_passed += 1,
            Some(RetentionClass::YoungFailed) => self.young_failed += 1,
            Some(RetentionClass::MaturePassed) => self.mature_passed += 1,
            Some(RetentionClass::MatureFailed) => self.mature_failed += 1,
            None => {}
        }
    }
}

/// Which of the true-retention counts a review adds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetentionClass {
    /// Young (previous interval under 21 days), answered Hard, Good or Easy.
    YoungPassed,
    /// Young, answered Again.
    YoungFailed,
    /// Mature, answered Hard, Good or Easy.
    MaturePassed,
    /// Mature, answered Again.
    MatureFailed,
}

/// Where `review` counts in true retention, whatever its period; `None` when it does not
/// count (see [`true_retention`]). Per-day counts (Kartu's statistics cache) use it so their
/// sums equal [`true_retention`]'s.
#[must_use]
pub fn retention_class(review: &Review) -> Option<RetentionClass> {
    if !counts_for_retention(review) {
        return None;
    }
    let passed = review.rating > 1;
    Some(
        match (review.last_interval_days < MATURE_INTERVAL_DAYS, passed) {
            (true, true) => RetentionClass::YoungPassed,
            (true, false) => RetentionClass::YoungFailed,
            (false, true) => RetentionClass::MaturePassed,
            (false, false) => RetentionClass::MatureFailed,
        },
    )
}

fn rate(passed: u32, failed: u32) -> Option<f64> {
    let total = passed + failed;
    (total > 0).then(|| f64::from(passed) / f64::from(total))
}

/// The rows of Anki's true-retention table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TrueRetention {
    /// The current learner day.
    pub today: RetentionCounts,
    /// The day before.
    pub yesterday: RetentionCounts,
    /// The last 7 learner days, today included.
    pub week: RetentionCounts,
    /// The last 30 learner days.
    pub month: RetentionCounts,
    /// The last 365 learner days.
    pub year: RetentionCounts,
    /// Every review before the next rollover.
    pub all_time: RetentionCounts,
}

/// Anki's true retention over `reviews`, with periods counted back from the
/// clock's next rollover.
///
/// Only graded reviews that affect scheduling count (no manual entries, no
/// cramming), and only those of cards that had an interval of at least a day:
/// review-kind entries, or any entry whose previous interval was one day or
/// more. Relearning and filtered entries therefore count when the card was
/// in review before them. Again is a fail, anything else a pass.
///
/// Anki's statistics screen only loads the review log of the selected range
/// (1 month, 3 months, 1 year, or all), so its "all time" row, shown for the
/// "all" range, matches [`TrueRetention::all_time`] only over the whole log.
#[must_use]
pub fn true_retention(reviews: &[Review], clock: DayClock) -> TrueRetention {
    let next_day = clock.next_day_at_secs();
    let since = |days: i64| next_day - days * DAY_SECS;
    let mut table = TrueRetention::default();
    for review in reviews {
        let at = review.at_secs();
        let periods = [
            (&mut table.today, since(1), next_day),
            (&mut table.yesterday, since(2), since(1)),
            (&mut table.week, since(7), next_day),
            (&mut table.month, since(30), next_day),
            (&mut table.year, since(365), next_day),
            (&mut table.all_time, 0, next_day),
        ];
        for (counts, start, end) in periods {
            if (start..end).contains(&at) {
                counts.add(review);
            }
        }
    }
    table
}

fn counts_for_retention(review: &Review) -> bool {
    review.affects_scheduling()
        && (review.kind == ReviewKind::Review
            || review.last_interval_days <= -DAY_SECS_I32
            || review.last_interval_days >= 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(clock: DayClock, secs_before_rollover: i64) -> i64 {
        (clock.next_day_at_secs() - secs_before_rollover) * 1000
    }

    #[test]
    fn periods_and_classes() {
        let clock = DayClock::from_next_day_at(1_800_000_000);
        let review = |secs_before, rating, kind, last| Review {
            at_ms: at(clock, secs_before),
            card_id: 1,
            rating,
            kind,
            interval_days: 1,
            last_interval_days: last,
            ease_factor: 2500,
            duration_ms: 1000,
        };
        let log = [
            review(10, 3, ReviewKind::Review, 5),  // today, young pass
            review(20, 1, ReviewKind::Review, 30), // today, mature fail
            review(DAY_SECS + 5, 2, ReviewKind::Review, 21), // yesterday, mature pass
            review(3 * DAY_SECS, 3, ReviewKind::Relearning, -600), // learning step: excluded
            review(3 * DAY_SECS, 3, ReviewKind::Relearning, 2), // counts, young pass
            review(3 * DAY_SECS, 0, ReviewKind::Manual, 2), // manual: excluded
            review(40 * DAY_SECS, 1, ReviewKind::Learning, -86_400), // young fail, all time
            review(-5, 3, ReviewKind::Review, 5),  // after rollover: excluded
        ];
        let table = true_retention(&log, clock);
        assert_eq!(
            table.today,
            RetentionCounts {
                young_passed: 1,
                mature_failed: 1,
                ..RetentionCounts::default()
            }
        );
        assert_eq!(table.yesterday.mature_passed, 1);
        assert_eq!(table.week.young_passed, 2);
        assert_eq!(table.month, table.week);
        assert_eq!(table.all_time.young_failed, 1);
        assert_eq!(table.all_time.total(), Some(3.0 / 5.0));
        assert_eq!(table.today.young(), Some(1.0));
        assert_eq!(RetentionCounts::default().mature(), None);
    }
}
