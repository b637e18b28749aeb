//! Parameter optimisation and evaluation through the fsrs crate, as Anki
//! drives them (`compute_params`, `evaluate_params`, `evaluate_params_legacy`
//! in Anki's `rslib/src/scheduler/fsrs/params.rs`).

use std::sync::PoisonError;
use std::thread;
use std::time::Duration;

use fsrs::{
    CombinedProgressState, ComputeParametersInput, FSRS, FSRSError, MemoryState, TrainingConfig,
};

use super::items::TrainingSet;
use super::types::{Error, Result};

/// Options for [`optimize`].
#[derive(Debug, Clone, PartialEq)]
pub struct OptimizeOptions {
    /// The preset's current parameters (empty = the crate's defaults). As in
    /// Anki, they are kept when the optimised ones do not predict the items
    /// better.
    pub current_params: Vec<f32>,
    /// Number of relearning steps in the preset (Anki passes
    /// `relearn_steps.len()`); shapes the short-term part of the model.
    pub num_relearning_steps: usize,
    /// How often the progress callback is called. Anki polls every 100 ms.
    pub poll_interval: Duration,
}

impl Default for OptimizeOptions {
    fn default() -> Self {
        Self {
            current_params: Vec::new(),
            num_relearning_steps: 1,
            poll_interval: Duration::from_millis(100),
        }
    }
}

/// The outcome of [`optimize`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Optimized {
    /// The parameters to store in the preset.
    pub params: [f32; 21],
    /// True when the current parameters were kept: there were no items, or
    /// the optimised parameters were not better (Anki's check).
    pub kept_current: bool,
}

/// How well parameters predict a training set (the crate's metrics).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation {
    /// Weighted binary cross-entropy of the predicted recall.
    pub log_loss: f32,
    /// RMSE over Anki's recall bins.
    pub rmse_bins: f32,
}

impl From<fsrs::ModelEvaluation> for Evaluation {
    fn from(e: fsrs::ModelEvaluation) -> Self {
        Self {
            log_loss: e.log_loss,
            rmse_bins: e.rmse_bins,
        }
    }
}

/// Anki's training hyper-parameters: the crate's defaults with 8 epochs.
fn anki_training_input(set: &TrainingSet, num_relearning_steps: usize) -> ComputeParametersInput {
    ComputeParametersInput {
        train_set: set.items.clone(),
        card_ids: Some(set.card_ids.clone()),
        progress: None,
        enable_short_term: true,
        num_relearning_steps: Some(num_relearning_steps),
        training_config: Some(TrainingConfig {
            num_epochs: 8,
            ..TrainingConfig::default()
        }),
    }
}

fn to_array(params: &[f32]) -> Result<[f32; 21]> {
    let filled = fsrs::check_and_fill_parameters(params)?;
    filled
        .as_slice()
        .try_into()
        .map_err(|_| Error::ParameterCount(filled.len()))
}

/// Optimises FSRS-6 parameters on `set` with the crate's
/// [`fsrs::compute_parameters`], the way Anki's "Optimize" button does.
///
/// `progress(done, total)` is called from this thread while the crate trains
/// on another; returning `false` cancels. Without items the current
/// parameters are returned untouched, as Anki does. The crate itself returns
/// its default parameters for fewer than 8 usable items, and only fits the
/// initial stabilities for fewer than 64.
///
/// # Errors
/// [`Error::Cancelled`] if `progress` asked to stop; the crate's error for
/// invalid items or parameters; [`Error::Worker`] if training panicked.
pub fn optimize(
    set: &TrainingSet,
    options: &OptimizeOptions,
    mut progress: impl FnMut(usize, usize) -> bool,
) -> Result<Optimized> {
    let current = to_array(&options.current_params)?;
    if set.is_empty() {
        // Anki does not call the crate without items and keeps the preset as is.
        return Ok(Optimized {
            params: current,
            kept_current: true,
        });
    }
    let shared = CombinedProgressState::new_shared();
    let input = ComputeParametersInput {
        progress: Some(shared.clone()),
        ..anki_training_input(set, options.num_relearning_steps)
    };
    let trained = thread::scope(|scope| {
        let worker = scope.spawn(move || fsrs::compute_parameters(input));
        let mut cancelled = false;
        loop {
            let finished = worker.is_finished();
            if !cancelled {
                let mut state = shared.lock().unwrap_or_else(PoisonError::into_inner);
                let (done, total) = (state.current(), state.total());
                if !progress(done, total) {
                    state.want_abort = true;
                    cancelled = true;
                }
            }
            if finished {
                break;
            }
            thread::sleep(options.poll_interval);
        }
        worker.join().map_err(|_| Error::Worker)
    })?;
    let params = match trained {
        Ok(params) => to_array(&params)?,
        Err(FSRSError::Interrupted) => return Err(Error::Cancelled),
        Err(e) => return Err(e.into()),
    };
    keep_better(set, current, params, options.num_relearning_steps)
}

/// Anki's post-check: keep the current parameters when the optimised ones do
/// not lower the log loss, unless the current ones let stability grow back
/// through the relearning steps too little.
fn keep_better(
    set: &TrainingSet,
    current: [f32; 21],
    optimized: [f32; 21],
    num_relearning_steps: usize,
) -> Result<Optimized> {
    let kept = Optimized {
        params: current,
        kept_current: true,
    };
    let new = Optimized {
        params: optimized,
        kept_current: false,
    };
    let current_fsrs = FSRS::new(&current)?;
    let current_loss = current_fsrs.evaluate(set.items.clone(), |_| true)?.log_loss;
    let optimized_loss = FSRS::new(&optimized)?
        .evaluate(set.items.clone(), |_| true)?
        .log_loss;
    if current_loss > optimized_loss {
        return Ok(new);
    }
    if num_relearning_steps <= 1 {
        return Ok(kept);
    }
    // With several relearning steps Anki keeps the current parameters only if
    // a lapse followed by those steps leaves stability below where it began.
    let start = MemoryState {
        stability: 1.0,
        difficulty: 1.0,
    };
    let mut state = current_fsrs.next_states(Some(start), 0.9, 2)?.again.memory;
    for _ in 0..num_relearning_steps {
        state = current_fsrs.next_states(Some(state), 0.9, 0)?.good.memory;
    }
    Ok(if state.stability < start.stability {
        kept
    } else {
        new
    })
}

/// Log loss and RMSE of `params` on `set`, with the crate's
/// [`FSRS::evaluate_with_card_ids`] (the same numbers as Anki's
/// `FSRS::evaluate`, computed once per card instead of once per item).
///
/// # Errors
/// The crate's `NotEnoughData` for an empty set, or its error for invalid
/// parameters.
pub fn evaluate(params: &[f32], set: &TrainingSet) -> Result<Evaluation> {
    let fsrs = FSRS::new(params)?;
    let evaluation =
        fsrs.evaluate_with_card_ids(set.items.clone(), set.card_ids.clone(), |_| true)?;
    Ok(evaluation.into())
}

/// Anki's "Evaluate" button: the crate's
/// [`fsrs::evaluate_with_time_series_splits`], which trains on earlier
/// reviews and scores on later ones, so no parameters are passed.
/// `progress(done, total)` counts splits; returning `false` cancels.
///
/// # Errors
/// [`Error::Cancelled`], or the crate's `NotEnoughData` when the set is too
/// small to split.
pub fn evaluate_time_series(
    set: &TrainingSet,
    num_relearning_steps: usize,
    mut progress: impl FnMut(usize, usize) -> bool,
) -> Result<Evaluation> {
    let input = anki_training_input(set, num_relearning_steps);
    match fsrs::evaluate_with_time_series_splits(input, |p| progress(p.current, p.total)) {
        Ok(evaluation) => Ok(evaluation.into()),
        Err(FSRSError::Interrupted) => Err(Error::Cancelled),
        Err(e) => Err(e.into()),
    }
}

/// Anki's optional health check after optimising: `None` for 300 items or
/// fewer (Anki skips it) or when the evaluation fails, else whether the fit is
/// acceptable once the metrics are adjusted for the learner's pass rate and
/// the amount of data.
#[must_use]
pub fn health_check(set: &TrainingSet, num_relearning_steps: usize) -> Option<bool> {
    if set.items.len() <= 300 {
        return None;
    }
    let input = anki_training_input(set, num_relearning_steps);
    let evaluation = fsrs::evaluate_with_time_series_splits(input, |_| true).ok()?;
    let passed = set
        .items
        .iter()
        .filter(|item| item.reviews.last().is_some_and(|r| r.rating > 1))
        .count();
    #[expect(
        clippy::cast_precision_loss,
        reason = "counts far below 2^24 in practice; a ratio is wanted"
    )]
    let (r, count) = (
        passed as f32 / set.items.len() as f32,
        set.items.len() as f32,
    );
    // Anki's fitted expectations for log loss and RMSE at this pass rate and size.
    let expected_log_loss = 0.623 * (4.0 * r * (1.0 - r)).powf(0.738);
    let expected_rmse =
        0.0135 / (r.powf(0.504) - 1.14) + 0.176 / ((count / 1000.0).powf(0.825) + 2.22) + 0.101;
    Some(
        evaluation.log_loss / expected_log_loss <= 1.11
            || evaluation.rmse_bins / expected_rmse <= 1.53,
    )
}
