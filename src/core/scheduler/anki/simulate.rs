//! Workload simulation and optimal retention through the fsrs crate, set up
//! as Anki sets them up (`simulate_request_to_config`, `simulate_workload`,
//! `compute_optimal_retention` in Anki's `rslib/src/scheduler/fsrs/simulator.rs`
//! and `retention.rs`).

use std::sync::Arc;
use std::thread;

use fsrs::{MemoryState, ReviewPriorityFn, RevlogEntry, RevlogReviewKind, SimulatorConfig};

use super::clock::DayClock;
use super::types::{Error, Result, Review, ReviewKind, sorted_by_card};

/// Deck-preset settings for a simulation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimulationOptions {
    /// How many days to simulate (Anki's default 365).
    pub days: usize,
    /// Cards not yet studied that the simulation may introduce.
    pub new_cards: usize,
    /// New cards per day; 0 introduces none.
    pub new_limit: usize,
    /// Maximum reviews per day.
    pub review_limit: usize,
    /// Whether new cards may be shown after the review limit is reached.
    pub new_cards_ignore_review_limit: bool,
    /// Maximum interval in days.
    pub max_interval: u32,
    /// Suspend a card after this many lapses (Anki's leech action "suspend").
    pub suspend_after_lapses: Option<u32>,
    /// Number of learning steps in the preset.
    pub learning_step_count: usize,
    /// Number of relearning steps in the preset.
    pub relearning_step_count: usize,
    /// New cards already introduced today, which delay the first new-card day.
    pub introduced_today: usize,
}

impl Default for SimulationOptions {
    /// Anki's preset defaults: 20 new / 200 reviews a day, steps 1m 10m and
    /// 10m, maximum interval 36 500 days, a year simulated.
    fn default() -> Self {
        Self {
            days: 365,
            new_cards: 0,
            new_limit: 20,
            review_limit: 200,
            new_cards_ignore_review_limit: false,
            max_interval: 36_500,
            suspend_after_lapses: None,
            learning_step_count: 2,
            relearning_step_count: 1,
            introduced_today: 0,
        }
    }
}

/// A card already in study, for the simulator to carry forward.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExistingCard {
    /// The card id (positive; the simulator gives new cards negative ids).
    pub id: i64,
    /// Its current memory state.
    pub memory: MemoryState,
    /// Its current interval in days.
    pub interval_days: u32,
    /// Days from today until it is due (negative when overdue).
    pub due_in_days: i32,
    /// How many times it lapsed.
    pub lapses: u32,
    /// True for a card in intraday (re)learning or buried, which Anki places
    /// at day 0; false for a review or interday-learning card.
    pub in_learning: bool,
}

/// A ready-to-run simulation: the crate's config plus the starting cards.
#[derive(Debug)]
pub struct SimulationPlan {
    /// The crate's simulator settings; adjust fields (e.g. a
    /// `post_scheduling_fn` for load balancing) before running if wanted.
    pub config: SimulatorConfig,
    /// Existing and new cards, in the crate's form.
    pub cards: Vec<fsrs::Card>,
    /// The FSRS parameters, filled to 21 values.
    pub params: Vec<f32>,
}

impl SimulationPlan {
    /// Builds the simulation Anki would run: rating probabilities, step
    /// transitions and answer times measured from `reviews` by the crate's
    /// [`fsrs::extract_simulator_config`]; existing cards converted as Anki
    /// converts them; and `options.new_cards` new cards spread over the days by
    /// the new-card limit. Reviews are ordered by due date, Anki's default.
    ///
    /// # Errors
    /// The crate's error for invalid parameters.
    pub fn new(
        params: &[f32],
        reviews: &[Review],
        clock: DayClock,
        options: &SimulationOptions,
        existing: &[ExistingCard],
    ) -> Result<Self> {
        let params = fsrs::check_and_fill_parameters(params)?;
        let shared = Arc::new(params.clone());
        let mut cards: Vec<fsrs::Card> = existing
            .iter()
            .map(|card| existing_card(card, &shared))
            .collect();
        if options.new_limit > 0 {
            cards.extend((0..options.new_cards).map(|i| new_card(i, options, &shared)));
        }
        // Only graded entries: Anki's ungraded ones carry no answer time, so the
        // crate skips them anyway, and a timed rating 0 would underflow its
        // `rating - 1` (a panic in debug builds).
        let revlog = sorted_by_card(reviews)
            .iter()
            .filter(|r| r.rating > 0)
            .map(to_crate_revlog)
            .collect();
        let measured = fsrs::extract_simulator_config(revlog, clock.next_day_at_secs(), true);
        let config = SimulatorConfig {
            deck_size: cards.len(),
            learn_span: options.days,
            // Anki does not cap daily time; only the count limits apply.
            max_cost_perday: f32::MAX,
            #[expect(clippy::cast_precision_loss, reason = "intervals are far below 2^24")]
            max_ivl: options.max_interval as f32,
            learn_limit: options.new_limit,
            review_limit: options.review_limit,
            new_cards_ignore_review_limit: options.new_cards_ignore_review_limit,
            suspend_after_lapses: options.suspend_after_lapses,
            post_scheduling_fn: None,
            review_priority_fn: Some(due_date_order()),
            learning_step_count: options.learning_step_count,
            relearning_step_count: options.relearning_step_count,
            ..measured
        };
        Ok(Self {
            config,
            cards,
            params,
        })
    }

    /// The plan's cards with every card aiming at `desired_retention`, as
    /// Anki sets them before each run.
    fn cards_at(&self, desired_retention: f32) -> Vec<fsrs::Card> {
        self.cards
            .iter()
            .map(|card| fsrs::Card {
                desired_retention,
                ..card.clone()
            })
            .collect()
    }

    /// Runs the crate's simulator once at `desired_retention` (seed fixed by
    /// the crate, so runs repeat exactly) and returns its daily figures.
    ///
    /// # Errors
    /// The crate's error, e.g. `InvalidDeckSize` when there are no cards.
    pub fn run(&self, desired_retention: f32) -> Result<fsrs::SimulationResult> {
        Ok(fsrs::simulate(
            &self.config,
            &self.params,
            desired_retention,
            None,
            Some(self.cards_at(desired_retention)),
        )?)
    }
}

/// Anki's "Day" review order: earliest scheduled due date first.
fn due_date_order() -> ReviewPriorityFn {
    #[expect(
        clippy::cast_possible_truncation,
        reason = "Anki truncates the due day"
    )]
    ReviewPriorityFn::new(|card: &fsrs::Card| card.scheduled_due() as i32)
}

/// Anki's `Card::convert`.
fn existing_card(card: &ExistingCard, params: &Arc<Vec<f32>>) -> fsrs::Card {
    #[expect(clippy::cast_precision_loss, reason = "day counts are far below 2^24")]
    let (due, last_date) = if card.in_learning {
        (0.0, 0.0)
    } else {
        let interval = i32::try_from(card.interval_days).unwrap_or(i32::MAX);
        (
            card.due_in_days as f32,
            (card.due_in_days.saturating_sub(interval)).min(0) as f32,
        )
    };
    #[expect(clippy::cast_precision_loss, reason = "intervals are far below 2^24")]
    let interval = card.interval_days as f32;
    fsrs::Card {
        id: card.id,
        difficulty: card.memory.difficulty,
        stability: card.memory.stability,
        last_date,
        due,
        interval,
        lapses: card.lapses,
        desired_retention: 0.9,
        parameters: params.clone(),
    }
}

/// Anki's placeholder for a card not yet introduced.
fn new_card(index: usize, options: &SimulationOptions, params: &Arc<Vec<f32>>) -> fsrs::Card {
    #[expect(clippy::cast_precision_loss, reason = "day counts are far below 2^24")]
    let due = ((options.introduced_today + index) / options.new_limit) as f32;
    fsrs::Card {
        id: -i64::try_from(index).unwrap_or(i64::MAX),
        difficulty: f32::NEG_INFINITY,
        // Tiny but positive, so the crate does not drop it as empty.
        stability: 1e-8,
        // Negative infinity marks the card as new to the simulator.
        last_date: f32::NEG_INFINITY,
        due,
        interval: f32::NEG_INFINITY,
        lapses: 0,
        desired_retention: 0.9,
        parameters: params.clone(),
    }
}

fn to_crate_revlog(review: &Review) -> RevlogEntry {
    RevlogEntry {
        id: review.at_ms,
        cid: review.card_id,
        usn: 0,
        button_chosen: review.rating,
        interval: review.interval_days,
        last_interval: review.last_interval_days,
        ease_factor: review.ease_factor,
        taken_millis: review.duration_ms,
        review_kind: match review.kind {
            ReviewKind::Learning => RevlogReviewKind::Learning,
            ReviewKind::Review => RevlogReviewKind::Review,
            ReviewKind::Relearning => RevlogReviewKind::Relearning,
            ReviewKind::Filtered => RevlogReviewKind::Filtered,
            // The crate has no "rescheduled" kind; Anki maps it to manual.
            ReviewKind::Manual | ReviewKind::Rescheduled => RevlogReviewKind::Manual,
        },
    }
}

/// What a simulation at one desired retention predicts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Workload {
    /// The desired retention simulated.
    pub desired_retention: f32,
    /// Average study time per simulated day, in minutes.
    pub minutes_per_day: f32,
    /// Total study time, in minutes.
    pub total_minutes: f32,
    /// Expected number of cards remembered on the last day.
    pub cards_known: f32,
    /// Reviews plus new-card introductions over the whole run.
    pub reviews: usize,
}

/// The desired retentions Kartu offers: 0.70 to 0.97 in steps of 0.01.
#[must_use]
pub fn default_retentions() -> Vec<f32> {
    (70_u16..=97).map(|r| f32::from(r) / 100.0).collect()
}

/// Simulates the plan at each desired retention (Anki's workload graph),
/// spreading the runs over the available cores.
///
/// # Errors
/// The first error from the crate's simulator.
pub fn simulate_workload(plan: &SimulationPlan, retentions: &[f32]) -> Result<Vec<Workload>> {
    let threads = thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let chunk = retentions.len().div_ceil(threads).max(1);
    thread::scope(|scope| {
        let workers: Vec<_> = retentions
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(|&r| workload(plan, r)).collect()))
            .collect();
        let mut all = Vec::with_capacity(retentions.len());
        for worker in workers {
            let part: Result<Vec<Workload>> = worker.join().map_err(|_| Error::Worker)?;
            all.extend(part?);
        }
        Ok(all)
    })
}

fn workload(plan: &SimulationPlan, desired_retention: f32) -> Result<Workload> {
    let result = plan.run(desired_retention)?;
    let total_seconds: f32 = result.cost_per_day.iter().sum();
    let reviews = result.review_cnt_per_day.iter().sum::<usize>()
        + result.learn_cnt_per_day.iter().sum::<usize>();
    #[expect(clippy::cast_precision_loss, reason = "day counts are far below 2^24")]
    let days = result.cost_per_day.len().max(1) as f32;
    Ok(Workload {
        desired_retention,
        minutes_per_day: total_seconds / 60.0 / days,
        total_minutes: total_seconds / 60.0,
        cards_known: result.memorized_cnt_per_day.last().copied().unwrap_or(0.0),
        reviews,
    })
}

/// The crate's optimal-retention search ([`fsrs::optimal_retention`]: Brent
/// minimisation of time per remembered card over simulations), clamped to
/// 0.70..=0.95 as Anki clamps it. `progress(iteration)` returning `false`
/// cancels.
///
/// # Errors
/// [`Error::Cancelled`], or the crate's `OptimalNotFound` / simulation error.
pub fn optimal_retention(
    plan: &SimulationPlan,
    mut progress: impl FnMut(usize) -> bool + Send,
) -> Result<f32> {
    match fsrs::optimal_retention(
        &plan.config,
        &plan.params,
        |p| progress(p.current),
        Some(plan.cards.clone()),
        None,
    ) {
        Ok(retention) => Ok(retention.clamp(0.7, 0.95)),
        Err(fsrs::FSRSError::Interrupted) => Err(Error::Cancelled),
        Err(e) => Err(e.into()),
    }
}
