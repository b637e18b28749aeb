//! The workload simulator: for the scheduler's parameters and a deck's cards, the minutes of
//! study a day and the cards known after a year at each desired retention from 0.70 to 0.97,
//! and the retention that costs least time per card remembered, through the `fsrs` crate's
//! simulator and optimal-retention search (set up as Anki sets them up, in
//! `scheduler::anki`). Prepared from a collection, then run anywhere (the window runs it on
//! its worker, with progress and Cancel); it reads the history from the files for the
//! learner's own answer times and rating shares.

use std::collections::HashSet;

use serde::Serialize;

use super::AnkiReviews;
use crate::core::collection::{Collection, InstalledDeck};
use crate::core::error::{Error, Result};
use crate::core::ids::DeckId;
use crate::core::model::card::CardState;
use crate::core::model::settings::Preset;
use crate::core::scheduler::anki::{self, ExistingCard, MemoryState, SimulationOptions};
use crate::core::storage::paths::DataPaths;
use crate::core::time::{DAY_SECS, DayNumber, Timestamp};

/// What one desired retention costs and gives over the simulated year.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct WorkloadPoint {
    /// The desired retention simulated.
    pub desired_retention: f32,
    /// Average minutes of study a day.
    pub minutes_per_day: f32,
    /// Cards expected to be remembered on the last day.
    pub cards_known: f32,
}

/// What the simulator found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Simulated {
    /// Days simulated.
    pub days: usize,
    /// Cards in study, and new cards the simulation introduces.
    pub cards: usize,
    /// The desired retention in use now.
    pub current_retention: f32,
    /// One point per desired retention, 0.70 to 0.97.
    pub workload: Vec<WorkloadPoint>,
    /// The desired retention with the least time per card remembered (0.70 to 0.95).
    pub optimal_retention: f32,
}

/// A simulation, prepared from a collection (see the module docs).
#[derive(Clone, Debug)]
pub struct SimulateJob {
    paths: DataPaths,
    decks: HashSet<DeckId>,
    clock: anki::DayClock,
    params: Vec<f32>,
    options: SimulationOptions,
    existing: Vec<ExistingCard>,
    current_retention: f32,
}

impl SimulateJob {
    /// The cards of the decks that use the preset `name`, with its parameters and limits, at
    /// `now` (Anki's simulator in deck options).
    pub fn for_preset(collection: &Collection, name: &str, now: Timestamp) -> Result<Self> {
        let settings = collection.settings();
        let preset = settings
            .preset(name)
            .ok_or_else(|| Error::Invalid(format!("there is no preset {name:?}")))?;
        let decks: Vec<_> = collection
            .decks()
            .iter()
            .filter(|d| settings.preset_name_for(&d.deck.id) == preset.name)
            .collect();
        Ok(Self::with(collection, &decks, &preset, now))
    }

    /// The cards of `deck` (with its sub-decks; `None`: every deck) at `now`, with the
    /// parameters and limits of `deck`'s preset (the Default one for every deck). Suspended
    /// cards are left out, as in Anki.
    pub fn new(collection: &Collection, deck: Option<&DeckId>, now: Timestamp) -> Result<Self> {
        let family: Vec<_> = match deck {
            Some(id) => collection.family(id)?,
            None => collection.decks().iter().collect(),
        };
        let settings = collection.settings();
        let preset = deck.map_or_else(|| settings.default_preset(), |d| settings.preset_for(d));
        Ok(Self::with(collection, &family, &preset, now))
    }

    fn with(
        collection: &Collection,
        family: &[&InstalledDeck],
        settings: &Preset,
        now: Timestamp,
    ) -> Self {
        let clock = collection.clock();
        let today = clock.day(now);
        let tomorrow = clock.day_start(DayNumber(today.0 + 1));
        let mut existing = Vec::new();
        let mut new_cards = 0;
        for installed in family {
            let studied = collection.progress().cards.get(&installed.deck.id);
            for card in installed.deck.cards() {
                let Some(p) = studied.and_then(|cards| cards.get(card.id())) else {
                    new_cards += 1;
                    continue;
                };
                if p.suspended {
                    continue;
                }
                if p.state == CardState::New || p.stability <= 0.0 {
                    new_cards += 1;
                    continue;
                }
                let due_day = clock.day(p.due).0;
                existing.push(ExistingCard {
                    id: i64::try_from(existing.len() + 1).unwrap_or(i64::MAX),
                    memory: MemoryState {
                        stability: p.stability,
                        difficulty: p.difficulty,
                    },
                    interval_days: u32::try_from(p.interval_secs / DAY_SECS.unsigned_abs())
                        .unwrap_or(u32::MAX),
                    due_in_days: i32::try_from(due_day - today.0).unwrap_or(i32::MAX),
                    lapses: p.lapses,
                    in_learning: matches!(p.state, CardState::Learning | CardState::Relearning),
                });
            }
        }
        let options = SimulationOptions {
            new_cards,
            new_limit: settings.new_per_day as usize,
            review_limit: settings.reviews_per_day as usize,
            max_interval: settings.maximum_interval_days,
            learning_step_count: settings.learning_steps_secs.len(),
            relearning_step_count: settings.relearning_steps_secs.len(),
            ..SimulationOptions::default()
        };
        Self {
            paths: collection.paths().clone(),
            decks: family.iter().map(|d| d.deck.id.clone()).collect(),
            clock: anki::DayClock::from_next_day_at(tomorrow.unix_secs()),
            params: if settings.fsrs_params.is_empty() {
                anki::DEFAULT_PARAMETERS.to_vec()
            } else {
                settings.fsrs_params.clone()
            },
            options,
            existing,
            current_retention: settings.desired_retention,
        }
    }

    /// Cards the simulation starts with: studied ones and new ones.
    #[must_use]
    pub fn card_count(&self) -> usize {
        self.existing.len() + self.options.new_cards
    }

    /// Reads the history (for answer times and rating shares), simulates each desired
    /// retention, then searches the optimal one; `progress(done, total)` is called as it
    /// goes and stops it by returning `false` ([`Error::Cancelled`]).
    pub fn run(&self, mut progress: impl FnMut(usize, usize) -> bool + Send) -> Result<Simulated> {
        if self.card_count() == 0 {
            return Err(Error::Invalid(
                "there are no cards to simulate (suspended cards are left out)".to_owned(),
            ));
        }
        let mut reviews = AnkiReviews::default();
        crate::core::collection::for_each_review_in(&self.paths, &mut |review| {
            if self.decks.contains(&review.deck) {
                reviews.push(review);
            }
            Ok(())
        })?;
        let failed = |err: anki::Error| match err {
            anki::Error::Cancelled => Error::Cancelled,
            err => Error::Scheduler(err.to_string()),
        };
        let plan = anki::SimulationPlan::new(
            &self.params,
            &reviews.reviews,
            self.clock,
            &self.options,
            &self.existing,
        )
        .map_err(failed)?;
        let retentions = anki::default_retentions();
        // The optimal-retention search counts as a fifth of the work.
        let total = retentions.len() * 5 / 4;
        let mut workload = Vec::with_capacity(retentions.len());
        // A few retentions at a time, one per core (`simulate_workload` spreads them), with
        // progress and Cancel between.
        let at_once = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        for (i, some) in retentions.chunks(at_once).enumerate() {
            if !progress(i * at_once, total) {
                return Err(Error::Cancelled);
            }
            let points = anki::simulate_workload(&plan, some).map_err(failed)?;
            workload.extend(points.iter().map(|w| WorkloadPoint {
                desired_retention: w.desired_retention,
                minutes_per_day: w.minutes_per_day,
                cards_known: w.cards_known,
            }));
        }
        let done = retentions.len();
        let optimal =
            anki::optimal_retention(&plan, |step| progress((done + step).min(total - 1), total))
                .map_err(failed)?;
        progress(total, total);
        Ok(Simulated {
            days: self.options.days,
            cards: self.card_count(),
            current_retention: self.current_retention,
            workload,
            optimal_retention: optimal,
        })
    }
}
