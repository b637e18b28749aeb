//! `kartu stats` and `kartu optimize`.

use std::io::Write;
use std::process::ExitCode;

use crate::core::collection::Collection;
use crate::core::ids::DeckId;
use crate::core::stats;
use crate::core::time::Timestamp;

/// A long job's progress on stderr (`what… N%`) when stderr is a terminal, cleared when
/// dropped.
struct StderrProgress {
    what: &'static str,
    terminal: bool,
}

impl StderrProgress {
    fn new(what: &'static str) -> Self {
        Self {
            what,
            terminal: std::io::IsTerminal::is_terminal(&std::io::stderr()),
        }
    }

    /// Shows `done` of `total`; never cancels.
    fn report(&self, done: usize, total: usize) -> bool {
        if self.terminal && total > 0 {
            eprint!("\r{}… {:>3}%", self.what, done * 100 / total);
        }
        true
    }
}

impl Drop for StderrProgress {
    fn drop(&mut self) {
        if self.terminal {
            eprint!("\r\x1b[K");
        }
    }
}

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

/// `kartu optimize --json`: what optimizing found, and whether `--apply` put it in use.
#[derive(serde::Serialize)]
struct OptimizeOut {
    #[serde(flatten)]
    optimized: stats::Optimized,
    /// Whether `--apply` put the new parameters in use.
    applied: bool,
}

/// `kartu optimize [--deck ID] [--apply] [--json]`.
pub(super) fn optimize(
    collection: &mut Collection,
    deck: Option<&str>,
    apply: bool,
    now: Timestamp,
    as_json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let deck = deck.map(|d| DeckId(d.to_owned()));
    let job = stats::OptimizeJob::new(collection, deck.as_ref(), now)?;
    let shown = StderrProgress::new("optimizing");
    let optimized = job.run(|done, total| shown.report(done, total))?;
    drop(shown);
    let mut applied = false;
    if apply && !optimized.kept_current {
        // Into the preset of the deck (the Default one without `--deck`).
        let mut settings = collection.settings().clone();
        let mut preset = settings.preset(job.preset()).unwrap_or_default();
        preset.fsrs_params.clone_from(&optimized.parameters);
        settings.put_preset(preset);
        collection.become_writer()?;
        collection.update_settings(settings)?;
        applied = true;
    }
    if as_json {
        let value = OptimizeOut { optimized, applied };
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let list: Vec<String> = optimized
        .parameters
        .iter()
        .map(|p| format!("{p:.4}"))
        .collect();
    writeln!(out, "parameters: {}", list.join(", "))?;
    writeln!(
        out,
        "from {} reviews ({} training items)",
        optimized.reviews, optimized.items
    )?;
    if optimized.items < stats::ITEMS_FOR_A_FULL_FIT {
        writeln!(
            out,
            "too little history for a full fit: {} more training items are needed (one per review a day or more after a card's previous one)",
            stats::ITEMS_FOR_A_FULL_FIT - optimized.items
        )?;
    }
    for (name, m) in [("current", &optimized.current), ("new", &optimized.new)] {
        write_metrics(out, name, m.as_ref())?;
    }
    writeln!(
        out,
        "{}",
        match (optimized.kept_current, applied) {
            (true, _) => "the current parameters predict as well or better: kept",
            (false, true) => "applied: the new parameters are in use",
            (false, false) => "run with --apply to use the new parameters",
        }
    )?;
    Ok(ExitCode::SUCCESS)
}

pub(super) fn simulate(
    collection: &Collection,
    deck: Option<&str>,
    now: Timestamp,
    as_json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let deck = deck.map(|d| DeckId(d.to_owned()));
    let job = stats::SimulateJob::new(collection, deck.as_ref(), now)?;
    let shown = StderrProgress::new("simulating");
    let simulated = job.run(|done, total| shown.report(done, total))?;
    drop(shown);
    if as_json {
        writeln!(out, "{}", serde_json::to_string_pretty(&simulated)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{} cards over {} days; desired retention now {:.2}",
        simulated.cards, simulated.days, simulated.current_retention
    )?;
    writeln!(out, "retention  minutes/day  cards known")?;
    for point in &simulated.workload {
        writeln!(
            out,
            "{:>9.2}  {:>11.1}  {:>11.0}",
            point.desired_retention, point.minutes_per_day, point.cards_known
        )?;
    }
    writeln!(
        out,
        "least time per card remembered at desired retention {:.2}",
        simulated.optimal_retention
    )?;
    Ok(ExitCode::SUCCESS)
}

pub(super) fn evaluate(
    collection: &Collection,
    deck: Option<&str>,
    now: Timestamp,
    as_json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let deck = deck.map(|d| DeckId(d.to_owned()));
    let job = stats::OptimizeJob::new(collection, deck.as_ref(), now)?;
    let evaluated = job.evaluate(|_, _| true)?;
    if as_json {
        writeln!(out, "{}", serde_json::to_string_pretty(&evaluated)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "from {} reviews ({} training items)",
        evaluated.reviews, evaluated.items
    )?;
    write_metrics(out, "current", evaluated.current.as_ref())?;
    Ok(ExitCode::SUCCESS)
}

/// `NAME: log loss …, RMSE (bins) …%`, or that there were too few reviews.
fn write_metrics(
    out: &mut dyn Write,
    name: &str,
    metrics: Option<&stats::Metrics>,
) -> std::io::Result<()> {
    match metrics {
        Some(m) => writeln!(
            out,
            "{name}: log loss {:.4}, RMSE (bins) {:.2}%",
            m.log_loss,
            m.rmse_bins * 100.0
        ),
        None => writeln!(out, "{name}: not enough reviews to evaluate"),
    }
}
