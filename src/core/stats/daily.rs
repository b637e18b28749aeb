//! The review history's figures from per-day counts: the statistics cache
//! ([`StatsCache`]) is brought up to the review log's end (reading only the lines added since
//! it was written, or the whole log once), the journal's answers not yet in the log are
//! counted on top, and the figures are sums over days.
//!
//! Days are Anki's: windows of 24 hours counted back from the next day's start, so today is
//! the 24 hours before the next rollover and the true-retention periods are whole windows, as
//! in Anki's `calculate_true_retention`. Hours of the day are taken at the present UTC offset,
//! as Anki's hourly graph does. When the day's start moves against UTC (a time-zone or
//! rollover change, daylight saving time), the counts are made again.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

use super::review::{anki_interval, anki_review, card_number};
use super::{DayReviews, MATURE_DAYS, Retention, RetentionRow, Stats, rating_index};
use crate::core::error::{Error, Result};
use crate::core::ids::DeckId;
use crate::core::ids::fnv64;
use crate::core::model::card::{CardState, Rating};
use crate::core::model::progress::{Change, ReviewEntry};
use crate::core::scheduler::anki::{RetentionClass, RetentionCounts, retention_class};
use crate::core::storage::paths::DataPaths;
use crate::core::storage::review_log::{LogEntry, check_header, lines_from, parse_line};
use crate::core::storage::stats_cache::{Coverage, Recent, StatsCache};
use crate::core::time::DAY_SECS;

/// Latest answers kept for undos: an undo reaching further back makes the counts again.
pub(crate) const RECENT_ANSWERS: usize = 256;

/// The cache file is written again once this many answers were counted beyond it.
const WRITE_AFTER_ANSWERS: usize = 2_000;

/// Where the days lie: the next day's start, and the hour of the day each hour of a day
/// window is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DayWindows {
    /// Seconds after a UTC midnight that every day starts.
    pub origin: i64,
    /// Today's number (days since the Unix epoch shifted by `origin`).
    pub today: i64,
    /// The local hour (0–23) of each hour since a day's start.
    pub local_hour: [u8; 24],
}

impl DayWindows {
    /// The windows of a learner day that ends at `next_day_start`, in a zone `utc_offset`
    /// seconds ahead of UTC now.
    pub(crate) fn new(next_day_start: i64, utc_offset: i64) -> Self {
        let origin = next_day_start.rem_euclid(DAY_SECS);
        let mut local_hour = [0u8; 24];
        for (slot, hour) in (0i64..).zip(&mut local_hour) {
            *hour = u8::try_from((origin + slot * 3600 + utc_offset).rem_euclid(DAY_SECS) / 3600)
                .unwrap_or(0);
        }
        Self {
            origin,
            today: (next_day_start - origin) / DAY_SECS - 1,
            local_hour,
        }
    }

    /// The windows of `clock`'s learner day at `now`.
    pub(crate) fn at(
        clock: &crate::core::time::DayClock,
        now: crate::core::time::Timestamp,
    ) -> Self {
        let next_day = crate::core::time::DayNumber(clock.day(now).0 + 1);
        Self::new(
            clock.day_start(next_day).unix_secs(),
            i64::from(clock.utc_offset_secs(now)),
        )
    }

    fn day(&self, at: i64) -> i64 {
        (at - self.origin).div_euclid(DAY_SECS)
    }

    fn slot(&self, at: i64) -> usize {
        usize::try_from((at - self.origin).rem_euclid(DAY_SECS) / 3600).unwrap_or(0)
    }
}

/// Counts one answer (of the card numbered `number`) in (`sign` 1) or takes it back out
/// (`sign` -1); `last` is the card's interval from its answer before (Anki's form).
fn apply(
    cache: &mut StatsCache,
    windows: &DayWindows,
    review: &ReviewEntry,
    number: i64,
    last: Option<i32>,
    sign: i32,
) {
    let at = review.at.unix_secs();
    // The deck's id is cloned once per deck, not once per answer.
    if !cache.days.contains_key(&review.deck) {
        cache.days.insert(review.deck.clone(), BTreeMap::new());
    }
    let Some(deck_days) = cache.days.get_mut(&review.deck) else {
        return;
    };
    let counts = deck_days.entry(windows.day(at)).or_default();
    let bump = |value: &mut u32, by: bool| {
        if by {
            *value = value.wrapping_add_signed(sign);
        }
    };
    let kind = match review.state_before {
        CardState::New | CardState::Learning | CardState::Relearning => 0,
        CardState::Review if review.elapsed_secs / DAY_SECS < MATURE_DAYS as i64 => 1,
        CardState::Review => 2,
    };
    let passed = review.rating != Rating::Again;
    bump(&mut counts.buttons[kind][rating_index(review.rating)], true);
    bump(
        &mut counts.relearning,
        review.state_before == CardState::Relearning,
    );
    let seconds = u64::from(review.duration_ms / 1000);
    counts.seconds = if sign > 0 {
        counts.seconds.wrapping_add(seconds)
    } else {
        counts.seconds.wrapping_sub(seconds)
    };
    let hour = &mut counts.hours[windows.slot(at)];
    bump(&mut hour[0], true);
    bump(&mut hour[1], passed);
    // Anki's true retention, by the rule `true_retention` applies.
    let anki = anki_review(review, number, last.unwrap_or(0));
    if let Some(class) = retention_class(&anki) {
        let index = match class {
            RetentionClass::YoungPassed => 0,
            RetentionClass::YoungFailed => 1,
            RetentionClass::MaturePassed => 2,
            RetentionClass::MatureFailed => 3,
        };
        bump(&mut counts.retention[index], true);
    }
}

/// Counts an answer.
fn add(cache: &mut StatsCache, windows: &DayWindows, review: ReviewEntry) {
    let number = card_number(&review.deck, &review.card);
    let last = cache
        .last_interval
        .insert(number, anki_interval(review.interval_secs));
    apply(cache, windows, &review, number, last, 1);
    if cache.recent.len() == RECENT_ANSWERS {
        cache.recent.pop_front();
    }
    cache.recent.push_back(Recent {
        last_interval: last,
        review,
    });
}

/// Takes the latest answer back; false when it is no longer known.
fn take_back(cache: &mut StatsCache, windows: &DayWindows) -> bool {
    let Some(Recent {
        last_interval,
        review,
    }) = cache.recent.pop_back()
    else {
        return false;
    };
    let number = card_number(&review.deck, &review.card);
    match last_interval {
        Some(interval) => cache.last_interval.insert(number, interval),
        None => cache.last_interval.remove(&number),
    };
    apply(cache, windows, &review, number, last_interval, -1);
    true
}

/// Why the counts could not go on from where they were.
enum Stop {
    /// A repeated line, or an undo of an answer no longer known: start again.
    Again,
    /// The log is damaged (or could not be read).
    Failed(Error),
}

impl From<Error> for Stop {
    fn from(err: Error) -> Self {
        Self::Failed(err)
    }
}

/// Counts the log's lines from where `cache` stopped to the end; the number counted.
fn catch_up(
    cache: &mut StatsCache,
    windows: &DayWindows,
    log: &Path,
) -> std::result::Result<usize, Stop> {
    let mut counted = 0usize;
    let mut stop = None;
    let from = cache.coverage.log_bytes;
    // The last line counted, hashed once at the end.
    let mut last_line: Option<String> = None;
    let result = lines_from(log, from, u64::MAX, &mut |start, line| {
        if stop.is_some() {
            return Ok(());
        }
        if start == 0 {
            check_header(log, line)?;
        }
        let end = start + line.len() as u64 + 1;
        let mut covered = |cache: &mut StatsCache| {
            cache.coverage.log_bytes = end;
            let kept = last_line.get_or_insert_with(String::new);
            kept.clear();
            kept.push_str(line);
        };
        if line.trim().is_empty() || line.starts_with("//") {
            covered(cache);
            return Ok(());
        }
        let Ok(entry) = parse_line(line) else {
            // Damage: the full reading names the line.
            stop = Some(Stop::Again);
            return Ok(());
        };
        let seq = entry.seq();
        if seq != 0 && seq <= cache.coverage.last_seq || seq == 0 && cache.coverage.last_seq > 0 {
            stop = Some(Stop::Again);
            return Ok(());
        }
        match entry {
            LogEntry::Review(_, review) => add(cache, windows, review),
            LogEntry::Undo(_) => {
                if !take_back(cache, windows) {
                    stop = Some(Stop::Again);
                    return Ok(());
                }
            }
        }
        cache.coverage.last_seq = seq;
        covered(cache);
        counted += 1;
        Ok(())
    });
    result?;
    if let Some(line) = last_line {
        let line = format!("{line}\n");
        cache.coverage.line_len = line.len() as u64;
        cache.coverage.line_hash = fnv64(line.bytes());
    }
    match stop {
        Some(stop) => Err(stop),
        None => Ok(counted),
    }
}

/// Whether `cache` is of the log at `log` as it is now: the line it stopped after is still
/// there, byte for byte.
fn still_fits(cache: &StatsCache, log: &Path, generation: u32, windows: &DayWindows) -> bool {
    use std::io::{Read as _, Seek as _};
    let c = &cache.coverage;
    if c.generation != generation || cache.origin != windows.origin || c.line_len > c.log_bytes {
        return false;
    }
    let Ok(mut file) = std::fs::File::open(log) else {
        return false;
    };
    if file.metadata().map_or(true, |m| m.len() < c.log_bytes) {
        return false;
    }
    let mut line = vec![0u8; usize::try_from(c.line_len).unwrap_or(0)];
    file.seek(std::io::SeekFrom::Start(c.log_bytes - c.line_len))
        .and_then(|_| file.read_exact(&mut line))
        .is_ok()
        && fnv64(line) == c.line_hash
}

/// The counts of the review log `generation` up to its end: from `cached` (kept in memory),
/// else from the cache file, else from the whole log. Also whether they are worth writing to
/// the file (made afresh, or many answers beyond it); `None` for a log that only the full
/// reading can take (repeated lines, undos reaching back far).
pub(crate) fn log_counts(
    paths: &DataPaths,
    generation: u32,
    windows: &DayWindows,
    cached: Option<StatsCache>,
) -> Result<Option<(StatsCache, bool)>> {
    let log = paths.review_log_file(generation);
    let from_file = cached.is_none();
    let cached = cached
        .or_else(|| StatsCache::read(&paths.stats_cache_file()))
        .filter(|cache| still_fits(cache, &log, generation, windows));
    if let Some(mut cache) = cached {
        match catch_up(&mut cache, windows, &log) {
            Ok(counted) => {
                let worth = from_file && counted >= WRITE_AFTER_ANSWERS;
                return Ok(Some((cache, worth)));
            }
            Err(Stop::Failed(err)) => return Err(err),
            Err(Stop::Again) => {}
        }
    }
    let mut cache = StatsCache {
        coverage: Coverage {
            generation,
            ..Coverage::default()
        },
        origin: windows.origin,
        ..StatsCache::default()
    };
    match catch_up(&mut cache, windows, &log) {
        Ok(_) => Ok(Some((cache, true))),
        Err(Stop::Failed(err)) => Err(err),
        Err(Stop::Again) => Ok(None),
    }
}

/// Writes `counts` to the cache file when they are `worth` it and not empty (an empty
/// history is counted in no time), unless a newer Kartu's cache is there; true if written. A
/// cache that cannot be written is made again next time: no harm.
pub(crate) fn keep(paths: &DataPaths, counts: &StatsCache, worth: bool) -> bool {
    let file = paths.stats_cache_file();
    worth && !counts.days.is_empty() && !StatsCache::is_newer(&file) && counts.write(&file).is_ok()
}

/// Counts the journal's answers past the log (`records`, in order) on top of `cache`.
pub(crate) fn count_later(
    cache: &mut StatsCache,
    windows: &DayWindows,
    records: &[crate::core::storage::journal::Record],
) -> bool {
    let mut last_seq = cache.coverage.last_seq;
    for record in records {
        // Records already in the log, and exact repeats, were counted.
        if record.seq <= last_seq {
            continue;
        }
        last_seq = record.seq;
        match &record.change {
            Change::Answer { review, .. } => add(cache, windows, review.clone()),
            Change::Undo { .. } => {
                if !take_back(cache, windows) {
                    return false;
                }
            }
            Change::SetCards { .. } => {}
        }
    }
    true
}

/// Counts every review of the history in `paths` (streamed, undos resolved across it).
pub(crate) fn count_all(paths: &DataPaths, windows: &DayWindows) -> Result<StatsCache> {
    let mut cache = StatsCache {
        origin: windows.origin,
        ..StatsCache::default()
    };
    crate::core::collection::for_each_review_in(paths, &mut |review| {
        add(&mut cache, windows, review.clone());
        Ok(())
    })?;
    Ok(cache)
}

/// The review history's figures of `decks` over the last `days` days (0: all history).
pub(crate) fn history_figures(
    stats: &mut Stats,
    cache: &StatsCache,
    decks: &HashSet<DeckId>,
    windows: &DayWindows,
    days: u32,
) {
    let today = windows.today;
    let in_range = |ago: i64| days == 0 || ago < i64::from(days);
    let mut per_day: BTreeMap<i64, DayReviews> = BTreeMap::new();
    let mut studied_days: BTreeSet<i64> = BTreeSet::new();
    let mut retention = [RetentionCounts::default(); 6];
    let mut review_passed = (0u32, 0u32);
    for (deck, deck_days) in &cache.days {
        if !decks.contains(deck) {
            continue;
        }
        // Days after today are answers from a clock that was ahead: left out, as Anki does.
        for (day, counts) in deck_days.range(..=today) {
            let answers = counts.answers();
            if answers == 0 {
                continue;
            }
            let ago = today - day;
            studied_days.insert(*day);
            if ago < 365 {
                stats.calendar[364 - usize::try_from(ago).unwrap_or(0)] += answers;
            }
            if ago == 0 {
                stats.today.studied += answers;
                stats.today.seconds += counts.seconds;
                stats.today.again += counts.buttons.iter().map(|b| b[0]).sum::<u32>();
                for buttons in &counts.buttons[1..] {
                    review_passed.0 += buttons[1..].iter().sum::<u32>();
                    review_passed.1 += buttons[0];
                }
            }
            let [young_passed, young_failed, mature_passed, mature_failed] = counts.retention;
            let row = RetentionCounts {
                young_passed,
                young_failed,
                mature_passed,
                mature_failed,
            };
            for (period, applies) in
                retention
                    .iter_mut()
                    .zip([ago == 0, ago == 1, ago < 7, ago < 30, ago < 365, true])
            {
                if applies {
                    period.young_passed += row.young_passed;
                    period.young_failed += row.young_failed;
                    period.mature_passed += row.mature_passed;
                    period.mature_failed += row.mature_failed;
                }
            }
            if !in_range(ago) {
                continue;
            }
            stats.total_reviews += answers;
            let entry = per_day.entry(*day).or_insert_with(|| DayReviews {
                days_ago: u32::try_from(ago).unwrap_or(0),
                ..DayReviews::default()
            });
            entry.learning += counts.buttons[0].iter().sum::<u32>() - counts.relearning;
            entry.relearning += counts.relearning;
            entry.review += counts.buttons[1..].iter().flatten().sum::<u32>();
            entry.seconds += counts.seconds;
            for (total, kind) in [
                &mut stats.buttons_learning,
                &mut stats.buttons_young,
                &mut stats.buttons_mature,
            ]
            .into_iter()
            .zip(&counts.buttons)
            {
                for (sum, count) in total.counts.iter_mut().zip(kind) {
                    *sum += count;
                }
            }
            for (slot, [answers, passed]) in counts.hours.iter().enumerate() {
                let hour = &mut stats.hours[usize::from(windows.local_hour[slot])];
                hour.reviews += answers;
                hour.passed += passed;
            }
        }
    }
    let (passed, failed) = review_passed;
    stats.today.correct_rate =
        (passed + failed > 0).then(|| f64::from(passed) / f64::from(passed + failed));
    stats.reviews = per_day.into_values().collect();
    // Streaks.
    let mut longest = 0;
    let mut run = 0;
    let mut previous: Option<i64> = None;
    for day in &studied_days {
        run = if previous == Some(day - 1) {
            run + 1
        } else {
            1
        };
        longest = longest.max(run);
        previous = Some(*day);
    }
    stats.longest_streak = longest;
    let start = if studied_days.contains(&today) {
        today
    } else {
        today - 1
    };
    let mut current = 0;
    while studied_days.contains(&(start - i64::from(current))) {
        current += 1;
    }
    stats.current_streak = current;
    let range_days = if days == 0 {
        studied_days.first().map_or(1, |first| today - first + 1)
    } else {
        i64::from(days)
    };
    let studied_in_range = studied_days
        .iter()
        .filter(|d| in_range(today - **d))
        .count();
    stats.days_studied_share = studied_in_range as f64 / range_days.max(1) as f64;
    let [today_row, yesterday, week, month, year, all_time] = retention.map(RetentionRow::from);
    stats.retention = Retention {
        today: today_row,
        yesterday,
        week,
        month,
        year,
        all_time,
    };
}
