//! Day counting as Anki does it.
//!
//! Anki never converts review times to calendar dates for FSRS. It takes the
//! timestamp of the *next* day rollover (`SchedTimingToday::next_day_at`,
//! `rslib/src/scheduler/timing.rs`) and counts how many whole 86 400 s periods
//! lie between a review and that instant (`RevlogEntry::days_elapsed` in
//! `rslib/src/scheduler/fsrs/params.rs`). The gap between two reviews is the
//! difference of those counts. [`DayClock`] holds that one timestamp.

const DAY_SECS: i64 = 86_400;
/// Anki caps UTC offsets at ±23 h (`fixed_offset_from_minutes`).
const MAX_OFFSET_SECS: i32 = 23 * 3600;

/// The learner's "today", as the timestamp at which the next day starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DayClock {
    next_day_at_secs: i64,
}

impl DayClock {
    /// A clock whose next day starts at `next_day_at_secs` (Unix seconds), for
    /// callers that already know Anki's `next_day_at`.
    #[must_use]
    pub const fn from_next_day_at(next_day_at_secs: i64) -> Self {
        Self { next_day_at_secs }
    }

    /// The clock at `now_secs` for a learner whose day starts at
    /// `rollover_hour` (Anki's "Next day starts at", default 4) local time, at
    /// `utc_offset_secs` east of UTC. Mirrors `sched_timing_today_v2_new`:
    /// today's rollover if it is still ahead, else tomorrow's.
    #[must_use]
    pub fn at(now_secs: i64, utc_offset_secs: i32, rollover_hour: u8) -> Self {
        let offset = i64::from(utc_offset_secs.clamp(-MAX_OFFSET_SECS, MAX_OFFSET_SECS));
        let local = now_secs + offset;
        let local_midnight = local.div_euclid(DAY_SECS) * DAY_SECS;
        let mut rollover = local_midnight + i64::from(rollover_hour % 24) * 3600;
        // Anki: a rollover exactly at `now` has already passed.
        if rollover <= local {
            rollover += DAY_SECS;
        }
        Self::from_next_day_at(rollover - offset)
    }

    /// When the next day starts, in Unix seconds.
    #[must_use]
    pub const fn next_day_at_secs(&self) -> i64 {
        self.next_day_at_secs
    }

    /// How many whole days before the next rollover a review at `at_ms`
    /// happened: 0 for today, 1 for yesterday. Reviews after the rollover count
    /// as 0, like Anki's clamped `days_elapsed`.
    #[must_use]
    pub fn days_ago(&self, at_ms: i64) -> u32 {
        // Anki truncates the revlog id to seconds before subtracting.
        let elapsed = (self.next_day_at_secs - at_ms / 1000).max(0);
        u32::try_from(elapsed / DAY_SECS).unwrap_or(u32::MAX)
    }

    /// Days between two reviews, `earlier_ms` then `later_ms`, as Anki feeds
    /// them to FSRS (`delta_t`).
    #[must_use]
    pub fn days_between(&self, earlier_ms: i64, later_ms: i64) -> u32 {
        // Saturating: out-of-order input gives 0 rather than wrapping.
        self.days_ago(earlier_ms)
            .saturating_sub(self.days_ago(later_ms))
    }
}

/// The cutoff for Anki's "Ignore cards reviewed before" option: midnight UTC of
/// the given date, in milliseconds (`ignore_revlogs_before_date_to_ms`).
/// Returns `None` for an impossible date.
#[must_use]
pub fn ignore_before_ms_from_date(year: i32, month: u32, day: u32) -> Option<i64> {
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(i64::from(year), i64::from(month), i64::from(day)) * DAY_SECS * 1000)
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// algorithm), so the crate needs no date library.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rollover_is_today_or_tomorrow() {
        // 2026-11-25 10:06:34 UTC, rollover 4 am UTC: next day starts 2026-11-26 04:00.
        let clock = DayClock::at(1_795_601_194, 0, 4);
        assert_eq!(clock.next_day_at_secs(), 1_795_665_600);
        // 03:00 UTC is before today's rollover, so the next day starts at 04:00 today.
        let clock = DayClock::at(1_795_575_600, 0, 4);
        assert_eq!(clock.next_day_at_secs(), 1_795_579_200);
        // Exactly at the rollover counts as passed.
        let clock = DayClock::at(1_795_579_200, 0, 4);
        assert_eq!(clock.next_day_at_secs(), 1_795_665_600);
        // UTC+10, rollover 4 am local = 18:00 UTC of the previous day.
        let clock = DayClock::at(1_795_601_194, 36_000, 4);
        assert_eq!(clock.next_day_at_secs(), 1_795_629_600);
    }

    #[test]
    fn days_ago_counts_whole_days_before_rollover() {
        let clock = DayClock::from_next_day_at(86_400 * 1000);
        assert_eq!(clock.days_ago(86_400 * 1000 * 1000 - 1), 0);
        assert_eq!(clock.days_ago((86_400 * 999 - 1) * 1000), 1);
        assert_eq!(clock.days_ago((86_400 * 1000 + 5) * 1000), 0);
        assert_eq!(
            clock.days_between(86_400 * 990 * 1000, 86_400 * 995 * 1000),
            5
        );
    }

    #[test]
    fn cutoff_date_is_utc_midnight() {
        assert_eq!(ignore_before_ms_from_date(1970, 1, 1), Some(0));
        assert_eq!(
            ignore_before_ms_from_date(2026, 11, 25),
            Some(1_795_564_800_000)
        );
        assert_eq!(ignore_before_ms_from_date(2025, 2, 29), None);
        assert_eq!(
            ignore_before_ms_from_date(2024, 2, 29),
            Some(1_709_164_800_000)
        );
    }
}
