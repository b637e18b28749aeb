//! Personal FSRS parameters: the learner's review history turned into Anki's training items
//! and fitted with the `fsrs` crate, as Anki's Optimize does, with the log loss and RMSE of
//! the current and the new parameters. Prepared from a collection, then run anywhere (the
//! window runs it on its worker, with progress and Cancel): it reads the history from the
//! files, so it must not run beside a snapshot or a backup of the same data directory.

use std::collections::HashSet;

use serde::Serialize;

use super::AnkiReviews;
use crate::core::collection::Collection;
use crate::core::error::{Error, Result};
use crate::core::ids::DeckId;
use crate::core::model::settings::Preset;
use crate::core::scheduler::anki;
use crate::core::storage::paths::DataPaths;
use crate::core::time::{DayNumber, Timestamp};

/// The optimizer needs this many training items to fit every parameter (fewer fit only the
/// initial stabilities, and under 8 change nothing).
pub const ITEMS_FOR_A_FULL_FIT: usize = 64;

/// How well a set of parameters predicts the history.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Metrics {
    /// Binary cross-entropy of the predicted recall.
    pub log_loss: f32,
    /// RMSE over Anki's recall bins (0–1).
    pub rmse_bins: f32,
}

/// What optimizing found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Optimized {
    /// The 21 parameters fitted (the current ones when they were kept).
    pub parameters: Vec<f32>,
    /// Reviews the training items were built from.
    pub reviews: usize,
    /// Training items (one per review a day or more after the card's previous one).
    pub items: usize,
    /// The current parameters on the history, when there is enough of it.
    pub current: Option<Metrics>,
    /// The new ones.
    pub new: Option<Metrics>,
    /// Whether the current parameters were kept: the new ones predict no better.
    pub kept_current: bool,
}

/// How well the current parameters predict the history (Evaluate).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evaluated {
    /// Reviews the training items were built from.
    pub reviews: usize,
    /// Training items.
    pub items: usize,
    /// The current parameters on the history, when there is enough of it.
    pub current: Option<Metrics>,
}

/// An optimization, prepared from a collection (see the module docs).
#[derive(Clone, Debug)]
pub struct OptimizeJob {
    preset: String,
    paths: DataPaths,
    decks: HashSet<DeckId>,
    clock: anki::DayClock,
    current: Vec<f32>,
    relearning_steps: usize,
}

impl OptimizeJob {
    /// The reviews of the decks that use the preset `name`, against its parameters, at
    /// `now` (Anki's Optimize in deck options).
    pub fn for_preset(collection: &Collection, name: &str, now: Timestamp) -> Result<Self> {
        let settings = collection.settings();
        let preset = settings
            .preset(name)
            .ok_or_else(|| Error::Invalid(format!("there is no preset {name:?}")))?;
        let decks: Vec<DeckId> = collection
            .decks()
            .iter()
            .map(|d| d.deck.id.clone())
            .filter(|id| settings.preset_name_for(id) == preset.name)
            .collect();
        Ok(Self::with(collection, decks, &preset, now))
    }

    /// The reviews of `deck` (with its sub-decks; `None`: every deck) at `now`, against the
    /// parameters of `deck`'s preset (the Default one for every deck).
    pub fn new(collection: &Collection, deck: Option<&DeckId>, now: Timestamp) -> Result<Self> {
        let settings = collection.settings();
        let preset = deck.map_or_else(|| settings.default_preset(), |d| settings.preset_for(d));
        let decks = super::deck_ids(collection, deck)?;
        Ok(Self::with(collection, decks, &preset, now))
    }

    fn with(
        collection: &Collection,
        decks: impl IntoIterator<Item = DeckId>,
        preset: &Preset,
        now: Timestamp,
    ) -> Self {
        let clock = collection.clock();
        let tomorrow = clock.day_start(DayNumber(clock.day(now).0 + 1));
        Self {
            preset: preset.name.clone(),
            paths: collection.paths().clone(),
            decks: decks.into_iter().collect(),
            clock: anki::DayClock::from_next_day_at(tomorrow.unix_secs()),
            current: if preset.fsrs_params.is_empty() {
                anki::DEFAULT_PARAMETERS.to_vec()
            } else {
                preset.fsrs_params.clone()
            },
            relearning_steps: preset.relearning_steps_secs.len(),
        }
    }

    /// The preset whose parameters are fitted (where new ones go).
    #[must_use]
    pub fn preset(&self) -> &str {
        &self.preset
    }

    /// Reads the history and scores the current parameters on it, fitting nothing (Anki's
    /// Evaluate); `progress` as for [`OptimizeJob::run`].
    pub fn evaluate(&self, mut progress: impl FnMut(usize, usize) -> bool) -> Result<Evaluated> {
        if !progress(0, 2) {
            return Err(Error::Cancelled);
        }
        let set = self.training_set()?;
        if !progress(1, 2) {
            return Err(Error::Cancelled);
        }
        let current = anki::evaluate(&self.current, &set).ok().map(|e| Metrics {
            log_loss: e.log_loss,
            rmse_bins: e.rmse_bins,
        });
        progress(2, 2);
        Ok(Evaluated {
            reviews: set.review_count,
            items: set.items.len(),
            current,
        })
    }

    /// The preset's decks' reviews as Anki's training items.
    fn training_set(&self) -> Result<anki::TrainingSet> {
        let mut reviews = AnkiReviews::default();
        let decks = &self.decks;
        crate::core::collection::for_each_review_in(&self.paths, &mut |review| {
            if decks.contains(&review.deck) {
                reviews.push(review);
            }
            Ok(())
        })?;
        Ok(anki::training_items(&reviews.reviews, self.clock, 0))
    }

    /// Reads the history, builds the training items and fits; `progress(done, total)` is
    /// called as it goes and stops it by returning `false` ([`Error::Cancelled`]).
    pub fn run(&self, mut progress: impl FnMut(usize, usize) -> bool) -> Result<Optimized> {
        let set = self.training_set()?;
        let metrics = |params: &[f32]| {
            anki::evaluate(params, &set).ok().map(|e| Metrics {
                log_loss: e.log_loss,
                rmse_bins: e.rmse_bins,
            })
        };
        let current = metrics(&self.current);
        let options = anki::OptimizeOptions {
            current_params: self.current.clone(),
            num_relearning_steps: self.relearning_steps,
            ..anki::OptimizeOptions::default()
        };
        let optimized = match anki::optimize(&set, &options, &mut progress) {
            Ok(optimized) => optimized,
            Err(anki::Error::Cancelled) => return Err(Error::Cancelled),
            Err(err) => return Err(Error::Scheduler(err.to_string())),
        };
        Ok(Optimized {
            parameters: optimized.params.to_vec(),
            reviews: set.review_count,
            items: set.items.len(),
            current,
            new: metrics(&optimized.params),
            kept_current: optimized.kept_current,
        })
    }
}
