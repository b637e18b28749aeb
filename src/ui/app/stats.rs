//! The statistics screen's state: the figures for the chosen deck and range, computed again
//! when either changes (and when the screen opens, so they include the latest answers).

use super::{KartuApp, Screen, local_date_text};
use crate::core::stats::{self, Stats};
use crate::core::time::{DayNumber, Timestamp};
use crate::ui::stats::StatsDraft;

/// Days of the future due chart.
const FUTURE_DAYS: u32 = 30;

/// The statistics screen's state.
pub(crate) struct StatsState {
    /// The deck and range chosen.
    pub(crate) draft: StatsDraft,
    /// What `stats` was computed for.
    computed_for: Option<StatsDraft>,
    /// The figures.
    pub(crate) stats: Stats,
    /// The calendar's dates, oldest first.
    pub(crate) dates: Vec<String>,
}

impl StatsState {
    /// An empty state, held for a moment while the real one is refreshed.
    pub(crate) fn placeholder() -> Self {
        Self {
            draft: StatsDraft::default(),
            computed_for: None,
            stats: Stats::default(),
            dates: Vec::new(),
        }
    }
}

impl KartuApp {
    /// Opens the statistics screen (for the deck selected in the list).
    pub(super) fn open_stats(&mut self, now: Timestamp) {
        let deck = self.summaries.get(self.selected_deck).map(|s| s.id.clone());
        let mut state = StatsState {
            draft: StatsDraft {
                deck,
                ..StatsDraft::default()
            },
            computed_for: None,
            stats: Stats::default(),
            dates: Vec::new(),
        };
        self.refresh_stats(&mut state, now);
        self.screen = Screen::Stats(Box::new(state));
    }

    /// Computes the figures again when the deck or range changed.
    pub(super) fn refresh_stats(&mut self, state: &mut StatsState, now: Timestamp) {
        if state.computed_for.as_ref() == Some(&state.draft) {
            return;
        }
        match stats::compute(
            &self.collection,
            state.draft.deck.as_ref(),
            state.draft.days,
            FUTURE_DAYS,
            now,
        ) {
            Ok(figures) => state.stats = figures,
            Err(err) => self.set_error(self.texts().failed, &err),
        }
        let clock = self.collection.clock();
        let today = clock.day(now).0;
        state.dates = (0..365)
            .map(|i| local_date_text(clock.day_start(DayNumber(today - 364 + i)).add_secs(3600)))
            .collect();
        state.computed_for = Some(state.draft.clone());
    }
}
