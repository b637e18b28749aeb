//! Study policy: the daily limits on new cards and reviews, the order cards come in, and
//! learning ahead.

use crate::core::ids::DeckId;
use crate::core::model::card::CardState;
use crate::core::model::progress::ReviewEntry;
use crate::core::study::queues::Queues;
use crate::core::time::{DayClock, DayNumber, Timestamp};

/// Learning cards due this soon are shown rather than making the learner wait (Anki's
/// "learn ahead limit").
pub const LEARN_AHEAD_SECS: i64 = 20 * 60;

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

/// The daily limits, per deck.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DailyLimits {
    /// New cards introduced per day.
    pub new_per_day: usize,
    /// Reviews per day.
    pub reviews_per_day: usize,
}

/// What a deck has done today: new cards introduced and reviews done.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DoneToday {
    /// New cards introduced.
    pub introduced: usize,
    /// Reviews done.
    pub reviewed: usize,
}

/// How many new cards were introduced and reviews done in `deck` today, from the recent
/// reviews (in answer order, so today's are at the end).
#[must_use]
pub fn done_today(
    reviews: &[ReviewEntry],
    deck: &DeckId,
    clock: &DayClock,
    now: Timestamp,
) -> DoneToday {
    let day_start = clock.day_start(clock.day(now));
    let mut done = DoneToday::default();
    for entry in reviews.iter().rev().take_while(|e| e.at >= day_start) {
        if &entry.deck == deck && entry.at <= now {
            match entry.state_before {
                CardState::New => done.introduced += 1,
                CardState::Review => done.reviewed += 1,
                CardState::Learning | CardState::Relearning => {}
            }
        }
    }
    done
}

/// Today's counts for a deck's queues.
#[must_use]
pub fn counts(
    queues: &Queues,
    done: DoneToday,
    limits: DailyLimits,
    clock: &DayClock,
    now: Timestamp,
) -> DeckCounts {
    let day_end = clock.day_start(DayNumber(clock.day(now).0 + 1));
    let new_left = limits.new_per_day.saturating_sub(done.introduced);
    let reviews_left = limits.reviews_per_day.saturating_sub(done.reviewed);
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

/// The card to study next, as the queues name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextCard {
    /// A learning or review card, by rank.
    Rank(u32),
    /// A new card, by position.
    Position(u32),
}

/// The card to study next at `now`: learning cards that are due, then reviews, then new cards
/// (within the daily limits), then learning cards due within 20 minutes. Equal due times go
/// in card id order.
#[must_use]
pub fn next_card(
    queues: &Queues,
    done: DoneToday,
    limits: DailyLimits,
    now: Timestamp,
) -> Option<NextCard> {
    let learning = queues.learning.first().copied();
    if let Some((due, rank)) = learning
        && due <= now
    {
        return Some(NextCard::Rank(rank));
    }
    if let Some(&(due, rank)) = queues.review.first()
        && due <= now
        && done.reviewed < limits.reviews_per_day
    {
        return Some(NextCard::Rank(rank));
    }
    if done.introduced < limits.new_per_day
        && let Some(&position) = queues.unseen.first()
    {
        return Some(NextCard::Position(position));
    }
    learning
        .filter(|(due, _)| *due <= now.add_secs(LEARN_AHEAD_SECS))
        .map(|(_, rank)| NextCard::Rank(rank))
}

/// When the queues next have something to study after `now`, if ever (for the "done for
/// now" screen). New cards wait for tomorrow's limit.
#[must_use]
pub fn next_due(queues: &Queues, clock: &DayClock, now: Timestamp) -> Option<Timestamp> {
    let after_now = (now.add_secs(1), 0);
    let earliest_studied = [&queues.learning, &queues.review]
        .into_iter()
        .filter_map(|set| set.range(after_now..).next().map(|(due, _)| *due))
        .min();
    let tomorrow =
        (!queues.unseen.is_empty()).then(|| clock.day_start(DayNumber(clock.day(now).0 + 1)));
    earliest_studied.into_iter().chain(tomorrow).min()
}
