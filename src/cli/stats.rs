//! `kartu stats` and `kartu optimize`.

use std::io::Write;
use std::process::ExitCode;

use crate::core::collection::Collection;
use crate::core::ids::DeckId;
use crate::core::stats;
use crate::core::time::Timestamp;

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "n/a".to_owned(), |s| format!("{:.1}%", s * 100.0))
}

/// `kartu stats [--deck ID] [--days N] [--json]`.
pub(super) fn stats(
    collection: &Collection,
    deck: Option<&str>,
    days: u32,
    now: Timestamp,
    as_json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let deck = deck.map(|d| DeckId(d.to_owned()));
    let figures = stats::compute(collection, deck.as_ref(), days, 30, now)?;
    if as_json {
        writeln!(out, "{}", serde_json::to_string_pretty(&figures)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let t = &figures.today;
    writeln!(
        out,
        "today: {} cards studied in {} min, {} again, correct {}",
        t.studied,
        t.seconds / 60,
        t.again,
        percent(t.correct_rate)
    )?;
    let c = &figures.cards;
    writeln!(
        out,
        "cards: {} new, {} learning, {} relearning, {} young, {} mature ({} suspended, {} buried)",
        c.new, c.learning, c.relearning, c.young, c.mature, c.suspended, c.buried
    )?;
    let week: u32 = figures.future_due.iter().take(7).sum();
    writeln!(
        out,
        "due: {} today ({} overdue), {} in the next 7 days",
        figures.future_due.first().copied().unwrap_or(0),
        figures.overdue,
        week
    )?;
    writeln!(
        out,
        "reviews: {} in the range; streak {} days (longest {}); studied on {:.0}% of days",
        figures.total_reviews,
        figures.current_streak,
        figures.longest_streak,
        figures.days_studied_share * 100.0
    )?;
    writeln!(out, "true retention   young    mature   total")?;
    let r = &figures.retention;
    for (name, row) in [
        ("today", &r.today),
        ("yesterday", &r.yesterday),
        ("last week", &r.week),
        ("last month", &r.month),
        ("last year", &r.year),
        ("all time", &r.all_time),
    ] {
        writeln!(
            out,
            "  {name:<14} {:>7}  {:>7}  {:>7}",
            percent(row.young),
            percent(row.mature),
            percent(row.total)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// How well a set of parameters predicts the history.
#[derive(serde::Serialize)]
struct Metrics {
    log_loss: f32,
    rmse_bins: f32,
}

/// `kartu optimize --json`.
#[derive(serde::Serialize)]
struct OptimizeOut {
    /// The 21 parameters fitted (the current ones when they were kept).
    parameters: Vec<f32>,
    /// Reviews the training items were built from.
    reviews: usize,
    /// Training items (one per review after a card's first, a day or more apart).
    items: usize,
    current: Option<Metrics>,
    new: Option<Metrics>,
    /// Whether the current parameters were kept (the new ones predict no better).
    kept_current: bool,
    /// Whether `--apply` put the new parameters in use.
    applied: bool,
}

/// The optimizer needs this many training items to fit every parameter (fewer fit only the
/// initial stabilities, and under 8 change nothing).
const ITEMS_FOR_A_FULL_FIT: usize = 64;

/// `kartu optimize [--deck ID] [--apply] [--json]`.
pub(super) fn optimize(
    collection: &mut Collection,
    deck: Option<&str>,
    apply: bool,
    now: Timestamp,
    as_json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    use crate::core::scheduler::anki;
    let decks: std::collections::HashSet<DeckId> = match deck {
        Some(id) => collection
            .family(&DeckId(id.to_owned()))?
            .iter()
            .map(|d| d.deck.id.clone())
            .collect(),
        None => collection
            .decks()
            .iter()
            .map(|d| d.deck.id.clone())
            .collect(),
    };
    let mut reviews = stats::AnkiReviews::default();
    collection.for_each_review(&mut |review| {
        if decks.contains(&review.deck) {
            reviews.push(review);
        }
        Ok(())
    })?;
    let clock = collection.clock();
    let today = clock.day(now);
    let anki_clock = anki::DayClock::from_next_day_at(
        clock
            .day_start(crate::core::time::DayNumber(today.0 + 1))
            .unix_secs(),
    );
    let set = anki::training_items(&reviews.reviews, anki_clock, 0);
    let current: Vec<f32> = if collection.settings().fsrs_params.is_empty() {
        anki::DEFAULT_PARAMETERS.to_vec()
    } else {
        collection.settings().fsrs_params.clone()
    };
    let metrics = |params: &[f32]| {
        anki::evaluate(params, &set).ok().map(|e| Metrics {
            log_loss: e.log_loss,
            rmse_bins: e.rmse_bins,
        })
    };
    let before = metrics(&current);
    let options = anki::OptimizeOptions {
        current_params: current.clone(),
        num_relearning_steps: collection.settings().relearning_steps_secs.len(),
        ..anki::OptimizeOptions::default()
    };
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let optimized = anki::optimize(&set, &options, |done, total| {
        if terminal && total > 0 {
            eprint!("\roptimizing… {:>3}%", done * 100 / total);
        }
        true
    })
    .map_err(|err| anyhow::anyhow!("optimizing: {err}"))?;
    if terminal {
        eprint!("\r\x1b[K");
    }
    let after = metrics(&optimized.params);
    let mut applied = false;
    if apply && !optimized.kept_current {
        let mut settings = collection.settings().clone();
        settings.fsrs_params = optimized.params.to_vec();
        collection.become_writer()?;
        collection.update_settings(settings)?;
        applied = true;
    }
    let value = OptimizeOut {
        parameters: optimized.params.to_vec(),
        reviews: set.review_count,
        items: set.items.len(),
        current: before,
        new: after,
        kept_current: optimized.kept_current,
        applied,
    };
    if as_json {
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let list: Vec<String> = value.parameters.iter().map(|p| format!("{p:.4}")).collect();
    writeln!(out, "parameters: {}", list.join(", "))?;
    writeln!(
        out,
        "from {} reviews ({} training items)",
        value.reviews, value.items
    )?;
    if value.items < ITEMS_FOR_A_FULL_FIT {
        writeln!(
            out,
            "too little history for a full fit: {} more training items are needed (one per review a day or more after a card's previous one)",
            ITEMS_FOR_A_FULL_FIT - value.items
        )?;
    }
    for (name, m) in [("current", &value.current), ("new", &value.new)] {
        match m {
            Some(m) => writeln!(
                out,
                "{name}: log loss {:.4}, RMSE (bins) {:.2}%",
                m.log_loss,
                m.rmse_bins * 100.0
            )?,
            None => writeln!(out, "{name}: not enough reviews to evaluate")?,
        }
    }
    writeln!(
        out,
        "{}",
        match (value.kept_current, value.applied, apply) {
            (true, _, _) => "the current parameters predict as well or better: kept",
            (false, true, _) => "applied: the new parameters are in use",
            (false, false, _) => "run with --apply to use the new parameters",
        }
    )?;
    Ok(ExitCode::SUCCESS)
}
