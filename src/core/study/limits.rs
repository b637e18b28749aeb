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

/// A card in a deck's queues, and which queue: learning and review cards by rank, unseen
/// cards by position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// A learning or relearning card, by rank.
    Learning(u32),
    /// A review card, by rank.
    Review(u32),
    /// A card not yet studied, by position.
    Unseen(u32),
}

/// Whether a card is kept out of study now (buried until later, or a sibling of a card
/// answered today); suspended cards are not in the queues at all.
pub type Skip<'a> = &'a dyn Fn(Slot) -> bool;

/// Today's counts for a deck's queues.
#[must_use]
pub fn counts(
    queues: &Queues,
    done: DoneToday,
    limits: DailyLimits,
    clock: &DayClock,
    now: Timestamp,
    skip: Skip<'_>,
) -> DeckCounts {
    let day_end = clock.day_start(DayNumber(clock.day(now).0 + 1));
    let new_left = limits.new_per_day.saturating_sub(done.introduced);
    let reviews_left = limits.reviews_per_day.saturating_sub(done.reviewed);
    // Counting stops at the limit: a deck with 50,000 overdue cards costs no more.
    DeckCounts {
        new: queues
            .unseen
            .iter()
            .filter(|&&position| !skip(Slot::Unseen(position)))
            .take(new_left)
            .count(),
        learning: queues
            .learning
            .range(..(day_end, 0))
            .filter(|(_, rank)| !skip(Slot::Learning(*rank)))
            .count(),
        due: queues
            .review
            .range(..(day_end, 0))
            .filter(|(_, rank)| !skip(Slot::Review(*rank)))
            .take(reviews_left)
            .count(),
    }
}

/// What kind of card [`next_card`] picked, in the order they are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PickKind {
    /// A learning card that is due.
    LearningDue,
    /// A review card that is due.
    Review,
    /// A new card.
    New,
    /// A learning card due within [`LEARN_AHEAD_SECS`].
    LearnAhead,
}

/// The card to study next in one deck: what kind, when it is due (new cards: never), and
/// where it is. Picks from several decks (a deck and its sub-decks) compare by kind, then
/// due time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pick {
    /// Which kind.
    pub kind: PickKind,
    /// When due.
    pub due: Timestamp,
    /// Which card.
    pub slot: Slot,
}

/// The card to study next at `now`: learning cards that are due, then reviews, then new cards
/// (within the daily limits), then learning cards due within 20 minutes. Equal due times go
/// in card id order; cards `skip` names are passed over.
#[must_use]
pub fn next_card(
    queues: &Queues,
    done: DoneToday,
    limits: DailyLimits,
    now: Timestamp,
    skip: Skip<'_>,
) -> Option<Pick> {
    let learning = queues
        .learning
        .iter()
        .find(|(_, rank)| !skip(Slot::Learning(*rank)))
        .copied();
    if let Some((due, rank)) = learning
        && due <= now
    {
        return Some(Pick {
            kind: PickKind::LearningDue,
            due,
            slot: Slot::Learning(rank),
        });
    }
    if done.reviewed < limits.reviews_per_day
        && let Some(&(due, rank)) = queues
            .review
            .iter()
            .take_while(|(due, _)| *due <= now)
            .find(|(_, rank)| !skip(Slot::Review(*rank)))
    {
        return Some(Pick {
            kind: PickKind::Review,
            due,
            slot: Slot::Review(rank),
        });
    }
    if done.introduced < limits.new_per_day
        && let Some(&position) = queues
            .unseen
            .iter()
            .find(|&&position| !skip(Slot::Unseen(position)))
    {
        return Some(Pick {
            kind: PickKind::New,
            due: Timestamp(i64::MAX),
            slot: Slot::Unseen(position),
        });
    }
    learning
        .filter(|(due, _)| *due <= now.add_secs(LEARN_AHEAD_SECS))
        .map(|(due, rank)| Pick {
            kind: PickKind::LearnAhead,
            due,
            slot: Slot::Learning(rank),
        })
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
