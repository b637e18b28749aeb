//! Scheduling: FSRS-6 through the `fsrs` crate, wrapped in Anki's learning steps, fuzz and
//! rounding.
//!
//! Pure: [`Scheduler::next_states`] takes the card's state, the time and the day clock, and
//! returns what each rating would give. Nothing is stored here.

pub mod anki;
mod fuzz;
mod steps;

use std::fmt;

pub use fuzz::{fuzz_bounds, fuzz_factor, fuzzed_interval_days};
use steps::Steps;

use super::error::{Error, Result};
use super::model::card::{CardProgress, CardState, Rating};
use super::time::{DAY_SECS, DayClock, DayNumber, Timestamp};

/// FSRS's memory state of a card, once it has one.
fn memory(card: &CardProgress) -> Option<fsrs::MemoryState> {
    (card.state != CardState::New && card.stability > 0.0).then_some(fsrs::MemoryState {
        stability: card.stability,
        difficulty: card.difficulty,
    })
}

/// What each rating would turn a card into.
#[derive(Clone, Debug, PartialEq)]
pub struct NextStates {
    /// After Again.
    pub again: CardProgress,
    /// After Hard.
    pub hard: CardProgress,
    /// After Good.
    pub good: CardProgress,
    /// After Easy.
    pub easy: CardProgress,
}

impl NextStates {
    /// The state after `rating`.
    #[must_use]
    pub fn get(&self, rating: Rating) -> &CardProgress {
        match rating {
            Rating::Again => &self.again,
            Rating::Hard => &self.hard,
            Rating::Good => &self.good,
            Rating::Easy => &self.easy,
        }
    }

    /// Takes the state after `rating`.
    #[must_use]
    pub fn into_rating(self, rating: Rating) -> CardProgress {
        match rating {
            Rating::Again => self.again,
            Rating::Hard => self.hard,
            Rating::Good => self.good,
            Rating::Easy => self.easy,
        }
    }
}

/// Scheduler settings.
#[derive(Clone, Debug, PartialEq)]
pub struct SchedulerConfig {
    /// Target probability of recall at the due date.
    pub desired_retention: f32,
    /// No interval is longer than this.
    pub maximum_interval_days: u32,
    /// Delays of the learning steps for new cards, in seconds.
    pub learning_steps_secs: Vec<u32>,
    /// Delays of the relearning steps after a lapse, in seconds.
    pub relearning_steps_secs: Vec<u32>,
    /// Spread review intervals a little so cards learnt together fall due apart.
    pub fuzz: bool,
    /// FSRS parameters fitted to the learner (empty: FSRS-6's defaults).
    pub fsrs_params: Vec<f32>,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        Self {
            desired_retention: 0.9,
            maximum_interval_days: 36_500,
            learning_steps_secs: vec![60, 600],
            relearning_steps_secs: vec![600],
            fuzz: true,
            fsrs_params: Vec::new(),
        }
    }
}

/// Identifies a card for its fuzz seed.
#[derive(Clone, Copy, Debug)]
pub struct FuzzSeed<'a> {
    /// The deck id.
    pub deck: &'a str,
    /// The card id.
    pub card: &'a str,
}

/// FSRS with default parameters plus Anki's steps, fuzz and rounding.
pub struct Scheduler {
    fsrs: fsrs::FSRS,
    config: SchedulerConfig,
}

impl fmt::Debug for Scheduler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scheduler")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// Everything one call needs to know besides the card.
struct Context<'a> {
    now: Timestamp,
    clock: &'a DayClock,
    today: DayNumber,
    fuzz: Option<f32>,
    fsrs: fsrs::NextStates,
    maximum_days: u32,
}

impl Context<'_> {
    /// A review state `days` from today, due at the start of that learner day.
    fn review(&self, memory: &fsrs::ItemState, days: u32, base: &CardProgress) -> CardProgress {
        CardProgress {
            state: CardState::Review,
            remaining_steps: 0,
            due: self
                .clock
                .day_start(DayNumber(self.today.0 + i64::from(days))),
            interval_secs: u64::from(days) * DAY_SECS as u64,
            stability: memory.memory.stability,
            difficulty: memory.memory.difficulty,
            ..base.clone()
        }
    }

    /// A (re)learning state `secs` from now.
    fn step(
        &self,
        state: CardState,
        remaining: u32,
        secs: u32,
        memory: &fsrs::ItemState,
        base: &CardProgress,
    ) -> CardProgress {
        CardProgress {
            state,
            remaining_steps: remaining,
            due: self.now.add_secs(i64::from(secs)),
            interval_secs: u64::from(secs),
            stability: memory.memory.stability,
            difficulty: memory.memory.difficulty,
            ..base.clone()
        }
    }

    /// Whole days for an interval, fuzzed, at least `minimum`.
    fn days(&self, interval_days: f32, minimum: u32) -> u32 {
        let maximum = self.maximum_days.max(1);
        fuzzed_interval_days(self.fuzz, interval_days, minimum.clamp(1, maximum), maximum)
    }

    /// Graduating intervals for Good and Easy, Easy kept above Good.
    fn graduating_days(&self) -> (u32, u32) {
        let good = self.days(self.fsrs.good.interval, 1);
        let easy = self.days(self.fsrs.easy.interval.round().max(1.0), good + 1);
        (good, easy)
    }
}

impl Scheduler {
    /// A scheduler with the configured FSRS parameters (FSRS-6's defaults when none are).
    pub fn new(config: SchedulerConfig) -> Result<Self> {
        let params: &[f32] = if config.fsrs_params.is_empty() {
            &fsrs::DEFAULT_PARAMETERS
        } else {
            &config.fsrs_params
        };
        let fsrs = fsrs::FSRS::new(params).map_err(|err| Error::Scheduler(err.to_string()))?;
        Ok(Self { fsrs, config })
    }

    /// The settings in use.
    #[must_use]
    pub fn config(&self) -> &SchedulerConfig {
        &self.config
    }

    /// What each rating would give `card` if answered at `now`.
    pub fn next_states(
        &self,
        card: &CardProgress,
        now: Timestamp,
        clock: &DayClock,
        seed: FuzzSeed<'_>,
    ) -> Result<NextStates> {
        let elapsed_days = card
            .last_review
            .map_or(0, |last| clock.days_between(last, now));
        let fsrs = self
            .fsrs
            .next_states(memory(card), self.config.desired_retention, elapsed_days)
            .map_err(|err| Error::Scheduler(err.to_string()))?;
        let ctx = Context {
            now,
            clock,
            today: clock.day(now),
            fuzz: self
                .config
                .fuzz
                .then(|| fuzz_factor(seed.deck, seed.card, card.reps)),
            fsrs,
            maximum_days: self.config.maximum_interval_days,
        };
        let base = CardProgress {
            reps: card.reps + 1,
            last_review: Some(now),
            ..card.clone()
        };
        let learning = &self.config.learning_steps_secs;
        let relearning = &self.config.relearning_steps_secs;
        let mut next = match card.state {
            CardState::New => {
                let all_steps = u32::try_from(learning.len()).unwrap_or(u32::MAX);
                Self::stepping(&ctx, &base, learning, CardState::Learning, all_steps)
            }
            CardState::Learning => Self::stepping(
                &ctx,
                &base,
                learning,
                CardState::Learning,
                card.remaining_steps,
            ),
            CardState::Review => Self::review(&ctx, &base, relearning),
            CardState::Relearning => Self::stepping(
                &ctx,
                &base,
                relearning,
                CardState::Relearning,
                card.remaining_steps,
            ),
        };
        if card.state == CardState::Review {
            next.again.lapses = card.lapses + 1;
        }
        Ok(next)
    }

    /// Learning (new cards) and relearning (lapses) work alike, each with its own steps.
    fn stepping(
        ctx: &Context<'_>,
        base: &CardProgress,
        steps: &[u32],
        state: CardState,
        remaining: u32,
    ) -> NextStates {
        let steps = Steps(steps);
        let fsrs = &ctx.fsrs;
        let (good_days, easy_days) = ctx.graduating_days();
        let step = |remaining, secs, memory| ctx.step(state, remaining, secs, memory, base);
        NextStates {
            again: match steps.again_delay_secs() {
                Some(secs) => step(steps.remaining_for_again(), secs, &fsrs.again),
                None => ctx.review(&fsrs.again, ctx.days(fsrs.again.interval, 1), base),
            },
            hard: match steps.hard_delay_secs(remaining) {
                Some(secs) => step(remaining, secs, &fsrs.hard),
                None => ctx.review(&fsrs.hard, ctx.days(fsrs.hard.interval, 1), base),
            },
            good: match steps.good_delay_secs(remaining) {
                Some(secs) => step(steps.remaining_for_good(remaining), secs, &fsrs.good),
                None => ctx.review(&fsrs.good, good_days, base),
            },
            easy: ctx.review(&fsrs.easy, easy_days, base),
        }
    }

    fn review(ctx: &Context<'_>, base: &CardProgress, relearning_steps: &[u32]) -> NextStates {
        let fsrs = &ctx.fsrs;
        // Each passing interval is longer than the one before it.
        let hard = ctx.days(fsrs.hard.interval, 1);
        let good = ctx.days(fsrs.good.interval, hard + 1);
        let easy = ctx.days(fsrs.easy.interval, good + 1);
        let steps = Steps(relearning_steps);
        NextStates {
            again: match steps.again_delay_secs() {
                Some(secs) => ctx.step(
                    CardState::Relearning,
                    steps.remaining_for_again(),
                    secs,
                    &fsrs.again,
                    base,
                ),
                None => ctx.review(&fsrs.again, ctx.days(fsrs.again.interval, 1), base),
            },
            hard: ctx.review(&fsrs.hard, hard, base),
            good: ctx.review(&fsrs.good, good, base),
            easy: ctx.review(&fsrs.easy, easy, base),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: FuzzSeed<'static> = FuzzSeed {
        deck: "d",
        card: "c",
    };

    fn scheduler(fuzz: bool) -> Scheduler {
        Scheduler::new(SchedulerConfig {
            fuzz,
            ..SchedulerConfig::default()
        })
        .unwrap()
    }

    fn start() -> Timestamp {
        Timestamp::parse_rfc3339("2026-01-05T10:00:00Z").unwrap()
    }

    /// Answers a new card with `ratings`, each exactly when due; returns the intervals in days.
    fn intervals_when_due(ratings: &[Rating]) -> Vec<u64> {
        let scheduler = scheduler(false);
        let clock = DayClock::utc(4);
        let mut card = CardProgress::default();
        let mut now = start();
        let mut intervals = Vec::new();
        for &rating in ratings {
            card = scheduler
                .next_states(&card, now, &clock, SEED)
                .unwrap()
                .into_rating(rating);
            intervals.push(card.interval_secs / DAY_SECS as u64);
            now = card.due;
        }
        intervals
    }

    #[test]
    fn public_check_intervals_with_fuzz_off() {
        use Rating::{Again, Good};
        let ratings = [
            Good, Good, Good, Good, Good, Good, Again, Again, Good, Good, Good, Good, Good,
        ];
        assert_eq!(
            intervals_when_due(&ratings),
            vec![0, 2, 11, 46, 163, 498, 0, 0, 2, 4, 7, 12, 21]
        );
    }

    #[test]
    fn public_check_memory_state() {
        use Rating::{Again, Good};
        let scheduler = scheduler(false);
        let clock = DayClock::utc(0);
        let mut card = CardProgress::default();
        let mut now = start();
        for (rating, elapsed_days) in [
            (Again, 0),
            (Good, 0),
            (Good, 1),
            (Good, 3),
            (Good, 8),
            (Good, 21),
        ] {
            now = now.add_secs(elapsed_days * DAY_SECS);
            card = scheduler
                .next_states(&card, now, &clock, SEED)
                .unwrap()
                .into_rating(rating);
        }
        assert!(
            (card.stability - 53.627).abs() < 0.01,
            "stability {}",
            card.stability
        );
        assert!(
            (card.difficulty - 6.357).abs() < 0.01,
            "difficulty {}",
            card.difficulty
        );
    }

    #[test]
    fn new_card_walks_the_learning_steps() {
        let scheduler = scheduler(false);
        let clock = DayClock::utc(4);
        let next = scheduler
            .next_states(&CardProgress::default(), start(), &clock, SEED)
            .unwrap();
        assert_eq!(
            (next.again.state, next.again.interval_secs),
            (CardState::Learning, 60)
        );
        assert_eq!(
            (next.hard.state, next.hard.interval_secs),
            (CardState::Learning, 330)
        );
        assert_eq!(
            (
                next.good.state,
                next.good.interval_secs,
                next.good.remaining_steps
            ),
            (CardState::Learning, 600, 1)
        );
        assert_eq!(next.easy.state, CardState::Review);
        assert_eq!(next.good.due, start().add_secs(600));
        assert!(next.easy.reps == 1 && next.easy.last_review == Some(start()));
        // Again on the last step goes back to the first.
        let on_last = next.good;
        let again = scheduler
            .next_states(&on_last, on_last.due, &clock, SEED)
            .unwrap()
            .again;
        assert_eq!((again.remaining_steps, again.interval_secs), (2, 60));
    }

    #[test]
    fn review_intervals_are_ordered_and_lapses_count() {
        let scheduler = scheduler(false);
        let clock = DayClock::utc(4);
        let mut card = CardProgress::default();
        let mut now = start();
        for _ in 0..3 {
            card = scheduler
                .next_states(&card, now, &clock, SEED)
                .unwrap()
                .good;
            now = card.due;
        }
        assert_eq!(card.state, CardState::Review);
        let next = scheduler.next_states(&card, now, &clock, SEED).unwrap();
        assert!(next.hard.interval_secs < next.good.interval_secs);
        assert!(next.good.interval_secs < next.easy.interval_secs);
        assert_eq!(
            (next.again.state, next.again.lapses, next.good.lapses),
            (CardState::Relearning, 1, 0)
        );
    }

    #[test]
    fn review_due_dates_fall_on_the_day_start() {
        let scheduler = scheduler(false);
        let clock = DayClock::utc(4);
        let easy = scheduler
            .next_states(&CardProgress::default(), start(), &clock, SEED)
            .unwrap()
            .easy;
        let days = easy.interval_days().unwrap();
        let expected = clock.day_start(DayNumber(clock.day(start()).0 + days as i64));
        assert_eq!(easy.due, expected);
    }

    #[test]
    fn fuzz_stays_inside_anki_bounds_and_is_deterministic() {
        let plain = scheduler(false);
        let fuzzed = scheduler(true);
        let clock = DayClock::utc(4);
        let mut card = CardProgress::default();
        let mut now = start();
        for _ in 0..4 {
            card = plain.next_states(&card, now, &clock, SEED).unwrap().good;
            now = card.due;
        }
        let mut spread = std::collections::BTreeSet::new();
        for i in 0..200 {
            let name = format!("card-{i}");
            let seed = FuzzSeed {
                deck: "d",
                card: &name,
            };
            let base = plain
                .next_states(&card, now, &clock, seed)
                .unwrap()
                .good
                .interval_days()
                .unwrap();
            let first = fuzzed.next_states(&card, now, &clock, seed).unwrap();
            let again = fuzzed.next_states(&card, now, &clock, seed).unwrap();
            assert_eq!(first, again);
            let days = first.good.interval_days().unwrap();
            let (lower, upper) = fuzz_bounds(base as f32, 1, 36_500);
            assert!(
                (u64::from(lower)..=u64::from(upper)).contains(&days),
                "{days} outside {lower}..={upper}"
            );
            spread.insert(days);
        }
        assert!(spread.len() > 3, "fuzz should spread intervals: {spread:?}");
    }

    #[test]
    fn maximum_interval_is_respected() {
        let scheduler = Scheduler::new(SchedulerConfig {
            maximum_interval_days: 5,
            fuzz: false,
            ..SchedulerConfig::default()
        })
        .unwrap();
        let clock = DayClock::utc(4);
        let mut card = CardProgress::default();
        let mut now = start();
        for _ in 0..8 {
            card = scheduler
                .next_states(&card, now, &clock, SEED)
                .unwrap()
                .easy;
            assert!(card.interval_days().unwrap() <= 5);
            now = card.due;
        }
    }

    #[test]
    fn rating_parses_names_and_numbers() {
        assert_eq!("Good".parse::<Rating>(), Ok(Rating::Good));
        assert_eq!("1".parse::<Rating>(), Ok(Rating::Again));
        assert!("meh".parse::<Rating>().is_err());
    }
}
