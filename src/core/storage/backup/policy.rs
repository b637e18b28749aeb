//! Anki's backup policy: when a backup is due, and which ones are kept.

use std::collections::HashSet;

use super::info::BackupInfo;
use crate::core::time::{DayClock, DayNumber, Timestamp};

/// Minimum time between two automatic backups.
pub const MIN_INTERVAL_SECS: i64 = 30 * 60;
/// Days kept after today and yesterday, one backup each.
pub const KEEP_DAILY: usize = 12;
/// Weeks kept after the daily ones, one backup each.
pub const KEEP_WEEKLY: usize = 10;
/// Months kept after the weekly ones, one backup each.
pub const KEEP_MONTHLY: usize = 9;

/// The backup of the latest progress: the highest sequence number (then the latest time).
/// Not simply the latest time: one made while the clock was wrong can be dated in the future.
#[must_use]
pub fn newest(backups: &[BackupInfo]) -> Option<&BackupInfo> {
    backups.iter().max_by_key(|b| (b.seq, b.at))
}

/// Whether an automatic backup is due at `now` for progress at `seq`, given the backup of the
/// latest progress ([`newest`]): none yet, or progress changed since it and it is 30 minutes
/// old. One dated more than 30 minutes after `now` ([`is_from_the_future`]: a clock that went
/// forward and came back) counts as old, or backups would stop until the clock caught up.
#[must_use]
pub fn is_due(newest: Option<&BackupInfo>, seq: u64, now: Timestamp) -> bool {
    newest.is_none_or(|b| {
        b.seq != seq
            && (is_from_the_future(b, now)
                || now.unix_secs() - b.at.unix_secs() >= MIN_INTERVAL_SECS)
    })
}

/// Whether `backup` is dated more than 30 minutes after `now`. (A backup's id may run a few
/// seconds ahead, when two are made in the same second.)
#[must_use]
pub fn is_from_the_future(backup: &BackupInfo, now: Timestamp) -> bool {
    backup.at.unix_secs() - now.unix_secs() > MIN_INTERVAL_SECS
}

/// The backups (of `backups`, newest first) the policy no longer keeps at `now`: today's
/// and yesterday's stay; before that the newest of each day for 12 days, then the newest of
/// each week for 10 weeks, then the newest of each month for 9 months (a week or month that
/// already has a kept backup is skipped, so the tiers reach further back). The backups in
/// `keep` and the newest ([`newest`]) always stay.
#[must_use]
pub fn to_remove<'a>(
    backups: &'a [BackupInfo],
    now: Timestamp,
    clock: &DayClock,
    keep: &[&str],
) -> Vec<&'a BackupInfo> {
    let newest = newest(backups).map(|b| b.id.as_str());
    let yesterday = clock.day(now).0 - 1;
    let (mut daily, mut weekly, mut monthly) = (HashSet::new(), HashSet::new(), HashSet::new());
    let (mut covered_weeks, mut covered_months) = (HashSet::new(), HashSet::new());
    let mut remove = Vec::new();
    for backup in backups {
        let day = clock.day(backup.at);
        if day.0 >= yesterday {
            continue;
        }
        let week = day.0.div_euclid(7);
        let month = month_of(day);
        let keep_it = if daily.len() < KEEP_DAILY || daily.contains(&day) {
            daily.insert(day)
        } else if weekly.len() < KEEP_WEEKLY || weekly.contains(&week) {
            !covered_weeks.contains(&week) && weekly.insert(week)
        } else {
            monthly.len() < KEEP_MONTHLY
                && !covered_months.contains(&month)
                && monthly.insert(month)
        };
        if keep_it {
            covered_weeks.insert(week);
            covered_months.insert(month);
        } else if !keep.contains(&backup.id.as_str()) && Some(backup.id.as_str()) != newest {
            remove.push(backup);
        }
    }
    remove
}

/// The calendar month of a learner day.
fn month_of(day: DayNumber) -> (i16, i8) {
    let date = jiff::civil::date(1970, 1, 1)
        .checked_add(jiff::Span::new().days(day.0))
        .unwrap_or_default();
    (date.year(), date.month())
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::core::storage::backup::info::{backup_id, parse_id};
    use crate::core::time::DAY_SECS;

    fn backups_every(hours: i64, count: i64, newest: Timestamp) -> Vec<BackupInfo> {
        (0..count)
            .map(|i| {
                let at = newest.add_secs(-i * hours * 3600);
                BackupInfo {
                    id: backup_id(at),
                    at,
                    cards: 0,
                    reviews: 0,
                    seq: 0,
                    path: PathBuf::new(),
                }
            })
            .collect()
    }

    #[test]
    fn policy_keeps_today_yesterday_then_daily_weekly_monthly() {
        let clock = DayClock::utc(4);
        let now = Timestamp::parse_rfc3339("2026-11-25T12:00:00Z").unwrap();
        // One backup every 6 hours for two years.
        let backups = backups_every(6, 4 * 730, now);
        let removed: HashSet<&str> = to_remove(&backups, now, &clock, &[])
            .iter()
            .map(|b| b.id.as_str())
            .collect();
        let kept: Vec<&BackupInfo> = backups
            .iter()
            .filter(|b| !removed.contains(b.id.as_str()))
            .collect();
        let today = clock.day(now).0;
        let recent = kept
            .iter()
            .filter(|b| clock.day(b.at).0 >= today - 1)
            .count();
        let all_recent = backups
            .iter()
            .filter(|b| clock.day(b.at).0 >= today - 1)
            .count();
        assert_eq!(recent, all_recent, "everything from today and yesterday");
        assert_eq!(kept.len() - recent, KEEP_DAILY + KEEP_WEEKLY + KEEP_MONTHLY);
        let oldest = kept.last().unwrap();
        let age_days = (now.unix_secs() - oldest.at.unix_secs()) / DAY_SECS;
        assert!(
            (250..=400).contains(&age_days),
            "oldest kept is {age_days} days old"
        );
        // Pruning again removes nothing more.
        let kept_owned: Vec<BackupInfo> = kept.into_iter().cloned().collect();
        assert!(to_remove(&kept_owned, now, &clock, &[]).is_empty());
    }

    #[test]
    fn due_only_after_half_an_hour_and_a_change() {
        let now = Timestamp(1_000_000);
        let newest = BackupInfo {
            id: backup_id(now),
            at: now,
            cards: 1,
            reviews: 1,
            seq: 5,
            path: PathBuf::new(),
        };
        assert!(is_due(None, 0, now));
        assert!(!is_due(
            Some(&newest),
            6,
            now.add_secs(MIN_INTERVAL_SECS - 1)
        ));
        assert!(!is_due(Some(&newest), 5, now.add_secs(MIN_INTERVAL_SECS)));
        assert!(is_due(Some(&newest), 6, now.add_secs(MIN_INTERVAL_SECS)));
        // Dated a month ahead (the clock was wrong then): due as soon as progress changes.
        let ahead = BackupInfo {
            at: now.add_secs(30 * DAY_SECS),
            ..newest.clone()
        };
        assert!(is_due(Some(&ahead), 6, now));
        assert!(!is_due(Some(&ahead), 5, now));
        // A few seconds ahead is not the future: ids move on a second when taken.
        let bumped = BackupInfo {
            at: now.add_secs(2),
            ..newest
        };
        assert!(!is_due(Some(&bumped), 6, now));
    }

    #[test]
    fn the_newest_is_the_latest_progress_not_the_latest_date() {
        let now = Timestamp(1_000_000);
        let mut backups = backups_every(1, 3, now);
        for (i, backup) in backups.iter_mut().enumerate() {
            backup.seq = 10 - i as u64;
        }
        // A backup written while the clock was a month ahead, of older progress.
        backups.insert(
            0,
            BackupInfo {
                id: backup_id(now.add_secs(30 * DAY_SECS)),
                at: now.add_secs(30 * DAY_SECS),
                seq: 3,
                ..backups[0].clone()
            },
        );
        assert_eq!(newest(&backups).map(|b| b.seq), Some(10));
    }

    #[test]
    fn pruning_keeps_the_pinned_and_the_newest() {
        let clock = DayClock::utc(4);
        let now = Timestamp::parse_rfc3339("2026-12-30T12:00:00Z").unwrap();
        // Three backups a month ago, the same day: pruning keeps one of that day.
        let old = Timestamp::parse_rfc3339("2026-11-25T10:20:00Z").unwrap();
        let mut backups = backups_every(1, 3, old);
        for (i, backup) in backups.iter_mut().enumerate() {
            backup.seq = 3 - i as u64;
        }
        let removed: Vec<&str> = to_remove(&backups, now, &clock, &[])
            .iter()
            .map(|b| b.id.as_str())
            .collect();
        assert_eq!(removed, vec!["20261125-092000", "20261125-082000"]);
        let pinned = to_remove(&backups, now, &clock, &["20261125-082000"]);
        assert_eq!(pinned.len(), 1);
        assert_eq!(pinned[0].id, "20261125-092000");
    }

    #[test]
    fn ids_round_trip() {
        let at = Timestamp::parse_rfc3339("2026-11-25T09:45:00Z").unwrap();
        assert_eq!(backup_id(at), "20261125-094500");
        assert_eq!(parse_id("20261125-094500"), Some(at));
    }
}
