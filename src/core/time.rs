//! Instants and the learner's day.
//!
//! The core never reads the clock: callers pass a [`Timestamp`] in. Days are counted by the
//! learner's local calendar, starting at a configurable hour (Anki's "next day starts at"), so a
//! review at 01:00 still counts for the evening before.

use std::fmt;

use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

/// Seconds in one day.
pub const DAY_SECS: i64 = 86_400;

/// A point in time: whole seconds since the Unix epoch (UTC).
///
/// Stored as a plain integer in progress files so that loading a million reviews stays cheap.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// Seconds since the Unix epoch.
    #[must_use]
    pub fn unix_secs(self) -> i64 {
        self.0
    }

    /// This instant plus (or minus) some seconds, saturating at the ends of the range.
    #[must_use]
    pub fn add_secs(self, secs: i64) -> Self {
        Self(self.0.saturating_add(secs))
    }

    /// Parses RFC 3339 (`2026-11-25T09:00:00Z`, `2026-11-25T16:00:00+07:00`).
    pub fn parse_rfc3339(text: &str) -> Result<Self, String> {
        let parsed: jiff::Timestamp = text
            .trim()
            .parse()
            .map_err(|err| format!("not an RFC 3339 time ({err}): {text:?}"))?;
        Ok(Self(parsed.as_second()))
    }

    /// RFC 3339 in UTC, e.g. `2026-11-25T09:00:00Z`.
    #[must_use]
    pub fn to_rfc3339(self) -> String {
        self.to_jiff().to_string()
    }

    /// The UTC time as `YYYYMMDD-HHMMSS`: backup ids and the suffix of files set aside.
    #[must_use]
    pub fn compact_id(self) -> String {
        jiff::Timestamp::from_second(self.0).map_or_else(
            |_| self.0.to_string(),
            |t| t.strftime("%Y%m%d-%H%M%S").to_string(),
        )
    }

    fn to_jiff(self) -> jiff::Timestamp {
        // Out-of-range values only come from corrupt files; clamp rather than panic.
        jiff::Timestamp::from_second(self.0).unwrap_or(if self.0 < 0 {
            jiff::Timestamp::MIN
        } else {
            jiff::Timestamp::MAX
        })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl From<jiff::Timestamp> for Timestamp {
    fn from(value: jiff::Timestamp) -> Self {
        Self(value.as_second())
    }
}

/// A learner's day number: days since 1970-01-01 in local time, shifted by the day start hour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DayNumber(pub i64);

/// Turns instants into learner days: a time zone plus the hour at which a new day starts.
#[derive(Clone, Debug)]
pub struct DayClock {
    time_zone: TimeZone,
    day_start_hour: u8,
}

impl DayClock {
    /// A clock for `time_zone` whose days start at `day_start_hour` (0–23, clamped).
    #[must_use]
    pub fn new(time_zone: TimeZone, day_start_hour: u8) -> Self {
        Self {
            time_zone,
            day_start_hour: day_start_hour.min(23),
        }
    }

    /// UTC with days starting at `day_start_hour`: for tests and reproducible scripts.
    #[must_use]
    pub fn utc(day_start_hour: u8) -> Self {
        Self::new(TimeZone::UTC, day_start_hour)
    }

    /// The hour (0–23) at which a new learner day starts.
    #[must_use]
    pub fn day_start_hour(&self) -> u8 {
        self.day_start_hour
    }

    /// The time zone's offset from UTC at `at`, in seconds.
    #[must_use]
    pub fn utc_offset_secs(&self, at: Timestamp) -> i32 {
        self.time_zone.to_offset(at.to_jiff()).seconds()
    }

    /// The learner day that `at` falls in.
    #[must_use]
    pub fn day(&self, at: Timestamp) -> DayNumber {
        let shifted = at.to_jiff().to_zoned_datetime(self.time_zone.clone());
        let local_date = shifted.date();
        // Before the start hour we are still in yesterday.
        let date = if shifted.hour() < i8::try_from(self.day_start_hour).unwrap_or(0) {
            local_date.yesterday().unwrap_or(local_date)
        } else {
            local_date
        };
        DayNumber(days_since_epoch(date))
    }

    /// The instant at which learner day `day` starts (its start hour, local time).
    #[must_use]
    pub fn day_start(&self, day: DayNumber) -> Timestamp {
        let epoch = jiff::civil::date(1970, 1, 1);
        let Ok(date) = epoch.checked_add(jiff::Span::new().days(day.0)) else {
            return Timestamp(day.0.saturating_mul(DAY_SECS));
        };
        let hour = i8::try_from(self.day_start_hour).unwrap_or(0);
        match date
            .at(hour, 0, 0, 0)
            .to_zoned_datetime(self.time_zone.clone())
        {
            Ok(zoned) => zoned.timestamp().into(),
            Err(_) => Timestamp(day.0.saturating_mul(DAY_SECS)),
        }
    }

    /// Whole learner days from `from` to `to` (0 when the same day, never negative).
    #[must_use]
    pub fn days_between(&self, from: Timestamp, to: Timestamp) -> u32 {
        let days = self.day(to).0 - self.day(from).0;
        u32::try_from(days.max(0)).unwrap_or(u32::MAX)
    }
}

/// The unit an interval is best shown in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntervalUnit {
    /// Seconds.
    Seconds,
    /// Minutes.
    Minutes,
    /// Hours.
    Hours,
    /// Days.
    Days,
    /// Months (30.44 days).
    Months,
    /// Years (365.25 days).
    Years,
}

/// An interval as a number in its best unit: `(2.0, Days)`, `(1.5, Months)`.
///
/// Under ten units it keeps one decimal (`1.5h`), from ten on it is whole (`12d`).
#[must_use]
pub fn interval_in_unit(secs: u64) -> (f64, IntervalUnit) {
    let secs = secs as f64;
    let day = DAY_SECS as f64;
    let (value, unit) = if secs < 60.0 {
        (secs, IntervalUnit::Seconds)
    } else if secs < 3600.0 {
        (secs / 60.0, IntervalUnit::Minutes)
    } else if secs < day {
        (secs / 3600.0, IntervalUnit::Hours)
    } else if secs < 30.0 * day {
        (secs / day, IntervalUnit::Days)
    } else if secs < 365.0 * day {
        (secs / (30.44 * day), IntervalUnit::Months)
    } else {
        (secs / (365.25 * day), IntervalUnit::Years)
    };
    let rounded = if value < 10.0
        && matches!(
            unit,
            IntervalUnit::Hours | IntervalUnit::Months | IntervalUnit::Years
        ) {
        (value * 10.0).round() / 10.0
    } else {
        value.round()
    };
    (rounded, unit)
}

/// An interval in short English form: `45s`, `10m`, `1.5h`, `2d`, `1.2mo`, `3.4y`.
#[must_use]
pub fn format_interval(secs: u64) -> String {
    let (value, unit) = interval_in_unit(secs);
    let suffix = match unit {
        IntervalUnit::Seconds => "s",
        IntervalUnit::Minutes => "m",
        IntervalUnit::Hours => "h",
        IntervalUnit::Days => "d",
        IntervalUnit::Months => "mo",
        IntervalUnit::Years => "y",
    };
    format!("{value}{suffix}")
}

fn days_since_epoch(date: jiff::civil::Date) -> i64 {
    let epoch = jiff::civil::date(1970, 1, 1);
    date.since(epoch)
        .map_or(0, |span| i64::from(span.get_days()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        Timestamp::parse_rfc3339(text).unwrap()
    }

    #[test]
    fn rfc3339_round_trip() {
        let t = at("2026-11-25T16:00:00+07:00");
        assert_eq!(t.to_rfc3339(), "2026-11-25T09:00:00Z");
        assert!(Timestamp::parse_rfc3339("yesterday").is_err());
    }

    #[test]
    fn day_starts_at_the_configured_hour() {
        let clock = DayClock::utc(4);
        let evening = at("2026-11-25T23:00:00Z");
        let small_hours = at("2026-11-26T03:59:59Z");
        let morning = at("2026-11-26T04:00:00Z");
        assert_eq!(clock.day(evening), clock.day(small_hours));
        assert_eq!(clock.day(morning).0, clock.day(evening).0 + 1);
        assert_eq!(clock.day_start(clock.day(morning)), morning);
        assert_eq!(clock.days_between(evening, morning), 1);
        assert_eq!(clock.days_between(morning, evening), 0);
    }

    #[test]
    fn intervals_read_like_anki_buttons() {
        assert_eq!(format_interval(45), "45s");
        assert_eq!(format_interval(600), "10m");
        assert_eq!(format_interval(330), "6m");
        assert_eq!(format_interval(5400), "1.5h");
        assert_eq!(format_interval(2 * 86_400), "2d");
        assert_eq!(format_interval(46 * 86_400), "1.5mo");
        assert_eq!(format_interval(498 * 86_400), "1.4y");
    }

    #[test]
    fn day_boundary_follows_the_time_zone() {
        let jakarta = DayClock::new(TimeZone::fixed(jiff::tz::offset(7)), 4);
        // 20:59 UTC is 03:59 in Jakarta: still the previous learner day.
        let before = at("2026-11-25T20:59:00Z");
        let after = at("2026-11-25T21:00:00Z");
        assert_eq!(jakarta.day(after).0, jakarta.day(before).0 + 1);
        assert_eq!(jakarta.day_start(jakarta.day(after)), after);
    }
}
