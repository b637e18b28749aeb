//! The statistics screen's state: the figures for the chosen deck and range, computed again
//! when either changes (and when the screen opens, so they include the latest answers). The
//! cards' part is quick and done at once; the pass over the review history runs on the
//! worker, and the screen shows a spinner until it is back.

use super::{JobDone, KartuApp, Screen, local_date_text};
use crate::core::stats::{self, Stats};
use crate::core::time::{DayNumber, Timestamp};
use crate::ui::stats::StatsDraft;
use crate::ui::worker::JobKind;

/// Days of the future due chart.
const FUTURE_DAYS: u32 = 30;

/// The statistics screen's state.
pub(crate) struct StatsState {
    /// The deck and range chosen.
    pub(crate) draft: StatsDraft,
    /// What `stats` was computed for.
    computed_for: Option<StatsDraft>,
    /// What is being computed on the worker.
    pub(crate) computing: Option<StatsDraft>,
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
}

impl KartuApp {
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
        self.worker
            .spawn(ctx, JobKind::Stats, label, false, move |_| {
                JobDone::Stats(draft, Box::new(job.run()))
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
