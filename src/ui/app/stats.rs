//! The statistics screen's state: the figures for the chosen deck and range, computed again
//! when either changes (and when the screen opens, so they include the latest answers). The
//! cards' part is quick and done at once; the history's counts are brought up to date on the
//! worker, and the screen shows a spinner if they take long.

use super::{JobDone, KartuApp, Screen, local_date_text};
use crate::core::stats::{self, Stats};
use crate::core::time::{DayNumber, Timestamp};
use crate::ui::stats::StatsDraft;
use crate::ui::worker::JobKind;

/// Days of the future due chart.
const FUTURE_DAYS: u32 = 30;

/// How long after the window opens the statistics cache is brought up to date.
const COUNT_AFTER: std::time::Duration = std::time::Duration::from_secs(5);

/// Figures that take longer than this show a spinner meanwhile.
const SPINNER_AFTER: std::time::Duration = std::time::Duration::from_millis(50);

/// The statistics screen's state.
pub(crate) struct StatsState {
    /// The deck and range chosen.
    pub(crate) draft: StatsDraft,
    /// What `stats` was computed for.
    computed_for: Option<StatsDraft>,
    /// What is being computed on the worker.
    pub(crate) computing: Option<StatsDraft>,
    /// When the figures shown stopped being the ones asked for.
    asked_at: Option<std::time::Instant>,
    /// The figures.
    pub(crate) stats: Stats,
    /// The calendar's dates, oldest first.
    pub(crate) dates: Vec<String>,
}

impl StatsState {
    /// Whether the figures shown are the ones for the deck and range chosen.
    pub(crate) fn is_current(&self) -> bool {
        self.computed_for.as_ref() == Some(&self.draft)
    }

    /// Whether figures were computed yet (for any deck and range).
    pub(crate) fn is_ready(&self) -> bool {
        self.computed_for.is_some()
    }

    /// Whether to show the spinner: figures usually come back within a frame or two, so it
    /// shows only once they are [`SPINNER_AFTER`] late (a repaint is asked for then).
    pub(crate) fn shows_spinner(&mut self, ctx: &egui::Context) -> bool {
        if self.is_current() {
            self.asked_at = None;
            return false;
        }
        let waited = self
            .asked_at
            .get_or_insert_with(std::time::Instant::now)
            .elapsed();
        if waited < SPINNER_AFTER {
            ctx.request_repaint_after(SPINNER_AFTER.saturating_sub(waited));
            return false;
        }
        true
    }
}

impl KartuApp {
    /// Whether the statistics screen is waiting for its figures (for tests and benchmarks).
    #[must_use]
    pub fn stats_pending(&self) -> bool {
        matches!(&self.screen, Screen::Stats(state) if !state.is_current())
    }

    /// A while after the window opens, and after an import or restore changed the review
    /// log, brings the statistics cache up to date on the worker (it is quick unless the
    /// cache is missing or of another log), so the statistics open quickly the first time.
    pub(super) fn start_counting_if_due(&mut self, ctx: &egui::Context, now: Timestamp) {
        let log = self.collection.progress().review_log.unwrap_or(0);
        if self.stats_counted_for == Some(log) || !self.collection.is_writer() {
            return;
        }
        let waited = self.opened.elapsed();
        if waited < COUNT_AFTER {
            ctx.request_repaint_after(COUNT_AFTER.saturating_sub(waited));
            return;
        }
        // Not beside the jobs that rewrite or read the history files, nor the statistics.
        if self.worker.is_busy() {
            return;
        }
        self.stats_counted_for = Some(log);
        let job = stats::CountsJob::new(&self.collection, now);
        let label = self.texts().stats.counting.to_owned();
        self.worker
            .spawn(ctx, JobKind::Stats, label, false, move |_| {
                let _ = job.run();
                JobDone::Counted
            });
    }

    /// Whether work runs in the background (for tests and benchmarks).
    #[must_use]
    pub fn background_busy(&self) -> bool {
        self.worker.is_busy()
    }

    /// Opens the statistics screen (for the deck selected in the list).
    pub(super) fn open_stats(&mut self, ctx: &egui::Context, now: Timestamp) {
        let deck = self.summaries.get(self.selected_deck).map(|s| s.id.clone());
        let clock = self.collection.clock();
        let today = clock.day(now).0;
        let dates = (0..365)
            .map(|i| local_date_text(clock.day_start(DayNumber(today - 364 + i)).add_secs(3600)))
            .collect();
        self.screen = Screen::Stats(Box::new(StatsState {
            draft: StatsDraft {
                deck,
                ..StatsDraft::default()
            },
            computed_for: None,
            computing: None,
            asked_at: None,
            stats: Stats::default(),
            dates,
        }));
        self.refresh_stats(ctx, now);
    }

    /// Starts computing the figures when the deck or range changed (one run at a time, and
    /// not beside a snapshot or a backup, which rewrite the history files).
    pub(super) fn refresh_stats(&mut self, ctx: &egui::Context, now: Timestamp) {
        let Screen::Stats(state) = &self.screen else {
            return;
        };
        if state.computed_for.as_ref() == Some(&state.draft)
            || state.computing.is_some()
            || [JobKind::Snapshot, JobKind::Backup, JobKind::Stats]
                .into_iter()
                .any(|kind| self.worker.is_running(kind))
        {
            return;
        }
        let draft = state.draft.clone();
        let job = match stats::StatsJob::new(
            &self.collection,
            draft.deck.as_ref(),
            draft.days,
            FUTURE_DAYS,
            now,
        ) {
            Ok(job) => job,
            Err(err) => {
                self.set_error(self.texts().failed, &err);
                if let Screen::Stats(state) = &mut self.screen {
                    state.computed_for = Some(draft);
                }
                return;
            }
        };
        let label = self.texts().stats.computing.to_owned();
        if let Screen::Stats(state) = &mut self.screen {
            state.computing = Some(draft.clone());
        }
        let kept = self.stats_counts.take();
        self.worker
            .spawn(ctx, JobKind::Stats, label, false, move |_| {
                let (figures, counts) = job.run_with(kept.map(|counts| *counts));
                JobDone::Stats(draft, Box::new(figures), counts.map(Box::new))
            });
    }

    /// The figures are back: shown if the screen still asks for them.
    pub(super) fn stats_done(&mut self, draft: StatsDraft, result: crate::core::Result<Stats>) {
        let tr = self.texts();
        let Screen::Stats(state) = &mut self.screen else {
            return;
        };
        state.computing = None;
        match result {
            Ok(figures) => {
                state.stats = figures;
                state.computed_for = Some(draft);
            }
            Err(err) => {
                state.computed_for = Some(draft);
                self.set_error(tr.failed, &err);
            }
        }
    }
}
