//! Statistics for one deck (with its sub-decks) or the whole collection: today, the future
//! due load, a calendar of study days with streaks, reviews per day by kind, card counts,
//! distributions of interval, stability, difficulty and retrievability, answer buttons by
//! card maturity, an hourly breakdown, and Anki's true-retention table. The cards' figures
//! come from their states in memory, the history's from per-day counts kept in the
//! statistics cache (`daily`); the figures follow Anki's definitions (young: interval under
//! 21 days; a pass is any answer but Again).

mod daily;
mod optimize;
mod review;
mod simulate;

use std::collections::HashSet;

use serde::Serialize;

pub use optimize::{Evaluated, ITEMS_FOR_A_FULL_FIT, Metrics, OptimizeJob, Optimized};
pub use review::AnkiReviews;
pub use simulate::{SimulateJob, Simulated, WorkloadPoint};

use crate::core::collection::Collection;
use crate::core::error::Result;
use crate::core::ids::DeckId;
use crate::core::model::card::{CardProgress, CardState, Rating};
use crate::core::scheduler::anki::RetentionCounts;
use crate::core::storage::stats_cache::StatsCache;
use crate::core::time::{DAY_SECS, DayNumber, Timestamp};
use daily::DayWindows;

/// Interval (in days) from which a review card counts as mature, as in Anki.
pub const MATURE_DAYS: u64 = 21;

/// Today's work.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Today {
    /// Answers given today.
    pub studied: u32,
    /// Time spent on them, in seconds.
    pub seconds: u64,
    /// Answers that were Again.
    pub again: u32,
    /// Share of review answers (of cards in review) that were not Again; `null` without any.
    pub correct_rate: Option<f64>,
}

/// One learner day of the past.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DayReviews {
    /// Days before today (0 = today).
    pub days_ago: u32,
    /// Answers to new and learning cards.
    pub learning: u32,
    /// Answers to review cards.
    pub review: u32,
    /// Answers to relearning cards.
    pub relearning: u32,
    /// Time spent, in seconds.
    pub seconds: u64,
}

/// How a rating's answers split, for one kind of card.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Buttons {
    /// Answers per rating, Again to Easy.
    pub counts: [u32; 4],
}

/// Answers by the hour they were given (local time).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Hour {
    /// The hour, 0–23.
    pub hour: u8,
    /// Answers.
    pub reviews: u32,
    /// Answers that were not Again.
    pub passed: u32,
}

/// Cards by state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CardCounts {
    /// Never answered.
    pub new: usize,
    /// In their first learning steps.
    pub learning: usize,
    /// Relearning after a lapse.
    pub relearning: usize,
    /// In review, interval under 21 days.
    pub young: usize,
    /// In review, interval of 21 days or more.
    pub mature: usize,
    /// Suspended (also counted by state).
    pub suspended: usize,
    /// Buried now (also counted by state).
    pub buried: usize,
}

/// A histogram: how many values fall in each bucket `[edges[i], edges[i + 1])`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Histogram {
    /// Bucket edges (one more than the counts; the last bucket is open above).
    pub edges: Vec<f64>,
    /// Values per bucket.
    pub counts: Vec<u32>,
}

impl Histogram {
    fn new(edges: &[f64]) -> Self {
        Self {
            edges: edges.to_vec(),
            counts: vec![0; edges.len()],
        }
    }

    fn add(&mut self, value: f64) {
        let bucket = self
            .edges
            .iter()
            .rposition(|edge| value >= *edge)
            .unwrap_or(0);
        self.counts[bucket] += 1;
    }
}

/// Pass rates of Anki's true-retention table.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RetentionRow {
    /// Young cards passed and failed.
    pub young_passed: u32,
    /// Young cards failed.
    pub young_failed: u32,
    /// Mature cards passed.
    pub mature_passed: u32,
    /// Mature cards failed.
    pub mature_failed: u32,
    /// Young pass rate.
    pub young: Option<f64>,
    /// Mature pass rate.
    pub mature: Option<f64>,
    /// Both.
    pub total: Option<f64>,
}

impl From<RetentionCounts> for RetentionRow {
    fn from(counts: RetentionCounts) -> Self {
        Self {
            young_passed: counts.young_passed,
            young_failed: counts.young_failed,
            mature_passed: counts.mature_passed,
            mature_failed: counts.mature_failed,
            young: counts.young(),
            mature: counts.mature(),
            total: counts.total(),
        }
    }
}

/// The true-retention table: today, yesterday, last 7, 30 and 365 days, and all time.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Retention {
    /// Today.
    pub today: RetentionRow,
    /// Yesterday.
    pub yesterday: RetentionRow,
    /// The last 7 days.
    pub week: RetentionRow,
    /// The last 30 days.
    pub month: RetentionRow,
    /// The last 365 days.
    pub year: RetentionRow,
    /// All history.
    pub all_time: RetentionRow,
}

/// The whole statistics screen's figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Stats {
    /// The deck (with its sub-decks), or `null` for the whole collection.
    pub deck: Option<String>,
    /// Days of history the range covers.
    pub days: u32,
    /// Today's work.
    pub today: Today,
    /// Cards due on each of the next days (index 0 = today, overdue included there).
    pub future_due: Vec<u32>,
    /// Cards overdue (due before today), also in `future_due[0]`.
    pub overdue: u32,
    /// Answers per day over the range, oldest first (`days_ago` counts down to 0).
    pub reviews: Vec<DayReviews>,
    /// Answers per day over the last 365 days (index 0 = 364 days ago), for the calendar.
    pub calendar: Vec<u32>,
    /// Days in a row with answers, up to today (or yesterday, if today has none yet).
    pub current_streak: u32,
    /// The longest run of days with answers, ever.
    pub longest_streak: u32,
    /// Share of the range's days with answers.
    pub days_studied_share: f64,
    /// Cards by state.
    pub cards: CardCounts,
    /// Intervals of review cards, in days.
    pub intervals: Histogram,
    /// Stability of studied cards, in days.
    pub stability: Histogram,
    /// Difficulty of studied cards, 1–10.
    pub difficulty: Histogram,
    /// Retrievability of studied cards now, 0–1.
    pub retrievability: Histogram,
    /// Answer buttons over the range: learning cards.
    pub buttons_learning: Buttons,
    /// Young review cards.
    pub buttons_young: Buttons,
    /// Mature review cards.
    pub buttons_mature: Buttons,
    /// Answers by hour over the range.
    pub hours: Vec<Hour>,
    /// Anki's true retention.
    pub retention: Retention,
    /// Answers in the range.
    pub total_reviews: u32,
}

fn rating_index(rating: Rating) -> usize {
    match rating {
        Rating::Again => 0,
        Rating::Hard => 1,
        Rating::Good => 2,
        Rating::Easy => 3,
    }
}

/// The ids of `deck` and its sub-decks (`None`: every deck).
pub(crate) fn deck_ids(collection: &Collection, deck: Option<&DeckId>) -> Result<HashSet<DeckId>> {
    Ok(match deck {
        Some(id) => collection
            .family(id)?
            .iter()
            .map(|d| d.deck.id.clone())
            .collect(),
        None => collection
            .decks()
            .iter()
            .map(|d| d.deck.id.clone())
            .collect(),
    })
}

/// Computes the statistics of `deck` (with its sub-decks; `None`: every deck) over the last
/// `days` learner days (0: all history) at `now`, the future due load over `future_days`.
pub fn compute(
    collection: &Collection,
    deck: Option<&DeckId>,
    days: u32,
    future_days: u32,
    now: Timestamp,
) -> Result<Stats> {
    let (mut job, cards) = StatsJob::prepare(collection, deck, days, future_days, now)?;
    card_pass(
        &mut job.stats,
        cards.iter(),
        job.unseen,
        &job.clock,
        job.today,
        now,
    );
    job.history(None, false).0.map(|()| job.stats)
}

/// Brings the statistics cache file up to the review log's end when that is worth it (no
/// cache yet, or one of another log after an import or restore, or many answers since), so
/// the statistics open quickly the first time too: the window runs it on its worker a while
/// after it opens, not beside a snapshot or backup of the same data directory.
#[derive(Clone, Debug)]
pub struct CountsJob {
    paths: crate::core::storage::paths::DataPaths,
    generation: Option<u32>,
    windows: DayWindows,
}

impl CountsJob {
    /// The job for the collection's review log and day boundary at `now`.
    #[must_use]
    pub fn new(collection: &Collection, now: Timestamp) -> Self {
        Self {
            paths: collection.paths().clone(),
            generation: collection.progress().review_log,
            windows: DayWindows::at(collection.clock(), now),
        }
    }

    /// Counts what the cache lacks and writes it; true when it was written.
    pub fn run(self) -> Result<bool> {
        let Some(generation) = self
            .generation
            .filter(|g| self.paths.review_log_file(*g).exists())
        else {
            return Ok(false);
        };
        Ok(
            match daily::log_counts(&self.paths, generation, &self.windows, None)? {
                Some((counts, worth)) => daily::keep(&self.paths, &counts, worth),
                None => false,
            },
        )
    }
}

/// Statistics being computed: the cards' part is done from the collection when the job is
/// made (it is quick); [`StatsJob::run`] reads the review history's counts (the statistics
/// cache, brought up to date from the files), so the window runs it on its worker (not
/// beside a snapshot or a backup, which rewrite those files).
#[derive(Clone, Debug)]
pub struct StatsJob {
    stats: Stats,
    /// The states of the cards studied at least once.
    cards: Vec<CardProgress>,
    /// Cards never studied.
    unseen: usize,
    now: Timestamp,
    decks: HashSet<DeckId>,
    paths: crate::core::storage::paths::DataPaths,
    clock: crate::core::time::DayClock,
    today: DayNumber,
    days: u32,
    /// The review log's generation, if the history is in one.
    generation: Option<u32>,
    windows: DayWindows,
}

impl StatsJob {
    /// The cards' figures of `deck` (with its sub-decks; `None`: every deck) at `now`, and
    /// what the history pass needs (see [`compute`]).
    pub fn new(
        collection: &Collection,
        deck: Option<&DeckId>,
        days: u32,
        future_days: u32,
        now: Timestamp,
    ) -> Result<Self> {
        let (mut job, cards) = StatsJob::prepare(collection, deck, days, future_days, now)?;
        // The cards' states, copied for the worker (the figures are made in `run`).
        job.cards = cards;
        Ok(job)
    }

    /// The job without its cards, and the states of the cards studied.
    fn prepare(
        collection: &Collection,
        deck: Option<&DeckId>,
        days: u32,
        future_days: u32,
        now: Timestamp,
    ) -> Result<(Self, Vec<CardProgress>)> {
        let decks = deck_ids(collection, deck)?;
        let clock = collection.clock();
        let today = clock.day(now);
        let stats = Stats {
            deck: deck.map(|d| d.0.clone()),
            days,
            future_due: vec![0; future_days.max(1) as usize],
            calendar: vec![0; 365],
            intervals: Histogram::new(&[
                0.0, 1.0, 3.0, 7.0, 14.0, 21.0, 30.0, 60.0, 90.0, 180.0, 365.0,
            ]),
            stability: Histogram::new(&[0.0, 1.0, 3.0, 7.0, 14.0, 30.0, 60.0, 90.0, 180.0, 365.0]),
            difficulty: Histogram::new(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]),
            retrievability: Histogram::new(&[0.0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98]),
            hours: (0..24)
                .map(|hour| Hour {
                    hour,
                    ..Hour::default()
                })
                .collect(),
            ..Stats::default()
        };
        let mut cards = Vec::new();
        let mut unseen = 0;
        for installed in collection.decks() {
            if !decks.contains(&installed.deck.id) {
                continue;
            }
            let studied = collection.progress().cards.get(&installed.deck.id);
            for (_, state) in installed.progress_by_position(studied) {
                match state {
                    Some(p) => cards.push(p),
                    None => unseen += 1,
                }
            }
        }
        let windows = DayWindows::at(clock, now);
        let job = Self {
            stats,
            cards: Vec::new(),
            unseen,
            now,
            decks,
            paths: collection.paths().clone(),
            clock: clock.clone(),
            today,
            days,
            generation: collection.progress().review_log,
            windows,
        };
        Ok((job, cards))
    }

    /// Reads the history and finishes the figures.
    pub fn run(self) -> Result<Stats> {
        self.run_with(None).0
    }

    /// [`StatsJob::run`] going on from the history's counts of an earlier run (which the
    /// window keeps between runs), giving back the counts to keep for the next.
    pub fn run_with(mut self, kept: Option<StatsCache>) -> (Result<Stats>, Option<StatsCache>) {
        let cards = std::mem::take(&mut self.cards);
        card_pass(
            &mut self.stats,
            cards.iter(),
            self.unseen,
            &self.clock,
            self.today,
            self.now,
        );
        let (done, kept) = self.history(kept, true);
        (done.map(|()| self.stats), kept)
    }

    /// The review history's part of the figures, from its counts: those `kept` from an
    /// earlier run, or the cache file, brought up to the files' end. Gives back the counts of
    /// the review log, to keep.
    /// With `give_back` false nothing is kept, and the counts are not copied.
    fn history(
        &mut self,
        kept: Option<StatsCache>,
        give_back: bool,
    ) -> (Result<()>, Option<StatsCache>) {
        let mut log_counts = None;
        let counted = (|| -> Result<StatsCache> {
            let in_log = match self.generation {
                Some(generation) if self.paths.review_log_file(generation).exists() => {
                    daily::log_counts(&self.paths, generation, &self.windows, kept)?
                }
                _ => None,
            };
            if let Some((counts, worth)) = in_log {
                daily::keep(&self.paths, &counts, worth);
                let records: Vec<_> = crate::core::storage::journal::read_records(&self.paths)?
                    .into_iter()
                    .map(|r| r.record)
                    .collect();
                // Answers not in the log yet are not kept: they may be taken back.
                if give_back {
                    log_counts = Some(counts.clone());
                }
                let mut with_later = counts;
                if daily::count_later(&mut with_later, &self.windows, &records) {
                    return Ok(with_later);
                }
            }
            // A history not in a review log yet, or one only a full reading resolves.
            daily::count_all(&self.paths, &self.windows)
        })();
        let done = counted.map(|counts| {
            daily::history_figures(
                &mut self.stats,
                &counts,
                &self.decks,
                &self.windows,
                self.days,
            );
        });
        (done, log_counts)
    }
}

/// The cards' part of the figures: counts, the future, distributions.
fn card_pass<'a>(
    stats: &mut Stats,
    cards: impl Iterator<Item = &'a CardProgress>,
    unseen: usize,
    clock: &crate::core::time::DayClock,
    today: DayNumber,
    now: Timestamp,
) {
    stats.cards.new += unseen;
    let decay = fsrs::FSRS6_DEFAULT_DECAY;
    for p in cards {
        match p.state {
            CardState::New => stats.cards.new += 1,
            CardState::Learning => stats.cards.learning += 1,
            CardState::Relearning => stats.cards.relearning += 1,
            CardState::Review if p.interval_secs / (DAY_SECS as u64) < MATURE_DAYS => {
                stats.cards.young += 1;
            }
            CardState::Review => stats.cards.mature += 1,
        }
        stats.cards.suspended += usize::from(p.suspended);
        let buried = p.buried_until.is_some_and(|until| until > now);
        stats.cards.buried += usize::from(buried);
        if p.state == CardState::New {
            continue;
        }
        if !p.suspended {
            let due_day = clock.day(p.due).0 - today.0;
            if due_day < 0 {
                stats.overdue += 1;
            }
            if let Some(slot) = stats
                .future_due
                .get_mut(usize::try_from(due_day.max(0)).unwrap_or(0))
            {
                *slot += 1;
            }
        }
        if p.state == CardState::Review {
            stats
                .intervals
                .add(p.interval_secs as f64 / DAY_SECS as f64);
        }
        if p.stability > 0.0 {
            stats.stability.add(f64::from(p.stability));
            stats.difficulty.add(f64::from(p.difficulty));
            if let Some(last) = p.last_review {
                let elapsed = (now.unix_secs() - last.unix_secs()).max(0) as f32 / DAY_SECS as f32;
                let r = fsrs::current_retrievability(
                    fsrs::MemoryState {
                        stability: p.stability,
                        difficulty: p.difficulty,
                    },
                    elapsed,
                    decay,
                );
                stats.retrievability.add(f64::from(r));
            }
        }
    }
}

#[cfg(test)]
mod tests;
