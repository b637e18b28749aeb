//! A card's memory state from its review log, as Anki computes it.
//!
//! Follows `fsrs_item_for_memory_state` and `Card::set_memory_state` in Anki's
//! `rslib/src/scheduler/fsrs/memory_state.rs`.

use fsrs::{FSRS, FSRSItem, MemoryState};

use super::clock::DayClock;
use super::items::filter_history;
use super::types::{Result, Review};

/// Deck-preset options that affect memory states.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HistoryOptions {
    /// Anki's "Historical retention" (`historical_retention`, legacy JSON
    /// `sm2Retention`): the retention assumed for reviews done before FSRS,
    /// used to turn an SM-2 interval into a stability. Anki's default is 0.9.
    pub historical_retention: f32,
    /// Anki's "Ignore cards reviewed before" cutoff in milliseconds, 0 for none.
    pub ignore_before_ms: i64,
}

impl Default for HistoryOptions {
    fn default() -> Self {
        Self {
            historical_retention: 0.9,
            ignore_before_ms: 0,
        }
    }
}

/// What a card's scheduler currently says, for when its history is unusable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CardSchedule {
    /// The card has never been studied (or was reset to new).
    pub is_new: bool,
    /// Current interval in days.
    pub interval_days: u32,
    /// Current SM-2 ease in permille (2500 = 250 %).
    pub ease_factor: u32,
}

/// The memory state of one card from its review log alone.
///
/// `reviews` are that card's entries in any order. Returns `None` when there
/// is no usable history (a new card, only manual entries, everything before the
/// cutoff, or reset without a grade since). When the log starts with a learning
/// step the whole history is replayed from scratch; when it was truncated (no
/// learning step), the first graded review is turned into an SM-2 starting
/// state from its interval and ease, as Anki does, and the rest replayed on top.
///
/// # Errors
/// The crate's error if the history gives a non-finite state.
pub fn memory_state_from_history(
    fsrs: &FSRS,
    reviews: &[Review],
    clock: DayClock,
    options: &HistoryOptions,
) -> Result<Option<MemoryState>> {
    let Some((item, starting_state)) = item_for_memory_state(fsrs, reviews, clock, options)? else {
        return Ok(None);
    };
    Ok(Some(fsrs.memory_state(item, starting_state)?))
}

/// The memory state Anki gives a card when FSRS is switched on or the card is
/// first answered under FSRS: from its history if usable, otherwise from its
/// current SM-2 interval and ease ([`memory_state_from_sm2`] at the preset's
/// historical retention), and `None` for a new card or one with no interval.
///
/// # Errors
/// The crate's error if either computation gives a non-finite state.
pub fn memory_state_for_card(
    fsrs: &FSRS,
    reviews: &[Review],
    clock: DayClock,
    card: &CardSchedule,
    options: &HistoryOptions,
) -> Result<Option<MemoryState>> {
    if let Some(state) = memory_state_from_history(fsrs, reviews, clock, options)? {
        return Ok(Some(state));
    }
    if card.is_new || card.interval_days == 0 {
        return Ok(None);
    }
    #[expect(
        clippy::cast_precision_loss,
        reason = "ease and interval are small integers, exact in f32"
    )]
    let (ease, interval) = (card.ease_factor as f32 / 1000.0, card.interval_days as f32);
    memory_state_from_sm2(fsrs, ease, interval, options.historical_retention).map(Some)
}

/// The crate's conversion of an SM-2 card to an FSRS memory state: stability
/// from the interval at `sm2_retention`, difficulty from the ease multiplier
/// (`ease_factor` 2.5 = 250 %) under the parameters in `fsrs`.
///
/// # Errors
/// The crate's error when the result is not finite (e.g. a zero ease).
pub fn memory_state_from_sm2(
    fsrs: &FSRS,
    ease_factor: f32,
    interval_days: f32,
    sm2_retention: f32,
) -> Result<MemoryState> {
    Ok(fsrs.memory_state_from_sm2(ease_factor, interval_days, sm2_retention)?)
}

/// Anki's `fsrs_item_for_memory_state`: the item to replay and, for a
/// truncated history, the starting state that replaces its first review.
fn item_for_memory_state(
    fsrs: &FSRS,
    reviews: &[Review],
    clock: DayClock,
    options: &HistoryOptions,
) -> Result<Option<(FSRSItem, Option<MemoryState>)>> {
    let mut entries = reviews.to_vec();
    entries.sort_by_key(|r| r.at_ms);
    let Some(mut history) = filter_history(entries, clock, false, options.ignore_before_ms) else {
        return Ok(None);
    };
    let Some((_, mut item)) = history.items.pop() else {
        return Ok(None);
    };
    if history.complete {
        return Ok(Some((item, None)));
    }
    let Some(first) = history.entries.first() else {
        return Ok(None);
    };
    // Anki: an unset ease means the SM-2 default of 250 %.
    let ease_permille = if first.ease_factor == 0 {
        2500
    } else {
        first.ease_factor
    };
    #[expect(
        clippy::cast_precision_loss,
        reason = "ease and interval are small integers, exact in f32"
    )]
    let (ease, interval) = (
        ease_permille as f32 / 1000.0,
        first.interval_days.max(1) as f32,
    );
    let mut start = fsrs.memory_state_from_sm2(ease, interval, options.historical_retention)?;
    // An ease of at most 110 % can only have been written by FSRS, which logs
    // difficulty d as (d - 1) / 9 + 0.1; Anki reads the difficulty back.
    if ease <= 1.1 {
        start.difficulty = (ease - 0.1) * 9.0 + 1.0;
    }
    // The first review became the starting state.
    item.reviews.remove(0);
    Ok(Some((item, Some(start))))
}

#[cfg(test)]
mod tests {
    //! Anki's memory-state cases from `memory_state.rs`.
    use super::super::types::ReviewKind;
    use super::*;

    fn review(days_ago: i64, clock: DayClock) -> Review {
        Review {
            at_ms: (clock.next_day_at_secs() - days_ago * 86_400) * 1000,
            card_id: 1,
            rating: 3,
            kind: ReviewKind::Review,
            interval_days: 1,
            ..Review::default()
        }
    }

    #[test]
    fn truncated_history_starts_from_sm2() -> Result<()> {
        let fsrs = FSRS::new(&[])?;
        let clock = DayClock::from_next_day_at(1_800_000_000);
        let first = Review {
            ease_factor: 2500,
            interval_days: 100,
            ..review(99, clock)
        };
        let log = [first, review(0, clock)];
        let options = HistoryOptions::default();
        let Some((item, start)) = item_for_memory_state(&fsrs, &log, clock, &options)? else {
            panic!("expected an item");
        };
        let start = start.unwrap_or(MemoryState {
            stability: 0.0,
            difficulty: 0.0,
        });
        assert_eq!(
            (start.stability.round(), start.difficulty.round()),
            (100.0, 5.0)
        );
        assert_eq!(item.reviews.len(), 1);
        let state = memory_state_from_history(&fsrs, &log, clock, &options)?;
        let state = state.map(|s| (s.stability.round(), s.difficulty.round()));
        assert_eq!(state, Some((249.0, 5.0)));
        // A single review-kind entry still gives a state, from SM-2 alone.
        let state = memory_state_from_history(&fsrs, &[first], clock, &options)?;
        let state = state.map(|s| (s.stability.round(), s.difficulty.round()));
        assert_eq!(state, Some((100.0, 5.0)));
        Ok(())
    }

    #[test]
    fn no_history_falls_back_to_card() -> Result<()> {
        let fsrs = FSRS::new(&[])?;
        let clock = DayClock::from_next_day_at(1_800_000_000);
        let card = CardSchedule {
            is_new: false,
            interval_days: 100,
            ease_factor: 1300,
        };
        let state = memory_state_for_card(&fsrs, &[], clock, &card, &HistoryOptions::default())?;
        // Anki's test rounds to integers too (its literal 9.98 predates FSRS-6).
        let state = state.map(|s| (s.stability.round(), s.difficulty.round()));
        assert_eq!(state, Some((100.0, 10.0)));
        let new = CardSchedule {
            is_new: true,
            ..card
        };
        let none = memory_state_for_card(&fsrs, &[], clock, &new, &HistoryOptions::default())?;
        assert_eq!(none, None);
        Ok(())
    }
}
