//! The history's figures from the statistics cache equal those of a full reading of the
//! history, whatever happened in between: answers, snapshots appending to the review log,
//! undos of answers already in the log or the cache, a damaged or foreign cache, another
//! time zone.

use jiff::tz::TimeZone;

use super::*;
use crate::core::collection::{Access, UndoRecord};
use crate::core::ids::CardId;
use crate::core::storage::paths::DataPaths;
use crate::core::storage::stats_cache::DayCounts;
use crate::core::time::DAY_SECS;

const DECK: &str = "backend-developer-en";

fn deck() -> DeckId {
    DeckId(DECK.into())
}

fn open(dir: &std::path::Path, zone: TimeZone) -> Collection {
    Collection::open(DataPaths::new(dir), zone, Access::ReadWrite).unwrap()
}

fn cards(collection: &Collection) -> Vec<CardId> {
    collection
        .deck(&deck())
        .unwrap()
        .deck
        .cards()
        .map(|c| CardId(c.id().to_owned()))
        .collect()
}

/// `count` answers from `start`, a few hours apart, cycling through cards and ratings.
fn answer_many(collection: &mut Collection, start: i64, count: usize) -> Vec<UndoRecord> {
    let cards = cards(collection);
    let ratings = [Rating::Good, Rating::Again, Rating::Hard, Rating::Easy];
    (0..count)
        .map(|i| {
            let at = Timestamp(start + i64::try_from(i).unwrap() * 7 * 3600);
            collection
                .answer(
                    &deck(),
                    &cards[i % 9],
                    ratings[i % 4],
                    at,
                    1_500 * u32::try_from(i % 5).unwrap(),
                )
                .unwrap()
        })
        .collect()
}

fn snapshot(collection: &mut Collection) {
    let seq = collection.snapshot_job(true).unwrap().run().unwrap();
    collection.finish_snapshot(seq).unwrap();
}

/// The figures by a full reading of the history, without any cache.
fn reference(collection: &Collection, deck: Option<&DeckId>, days: u32, now: Timestamp) -> Stats {
    let mut job = StatsJob::new(collection, deck, days, 30, now).unwrap();
    job.generation = None;
    job.run().unwrap()
}

/// The figures through the cache (file and all) equal the full reading's, for a few ranges.
fn check(collection: &Collection, now: Timestamp) {
    for days in [0, 1, 7, 30, 365] {
        for deck in [None, Some(deck())] {
            let figures = compute(collection, deck.as_ref(), days, 30, now).unwrap();
            assert_eq!(
                figures,
                reference(collection, deck.as_ref(), days, now),
                "{days} days of {deck:?}"
            );
        }
    }
}

const START: i64 = 1_790_000_000;

#[test]
fn the_cache_gives_what_the_full_reading_gives() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = open(dir.path(), TimeZone::UTC);
    let cache_file = collection.paths().stats_cache_file();
    answer_many(&mut collection, START, 40);
    let now = Timestamp(START + 40 * 7 * 3600);
    // A history only in the journal.
    check(&collection, now);
    snapshot(&mut collection);
    check(&collection, now);
    assert!(cache_file.exists(), "made and written at the first reading");
    // More answers, then a snapshot: the cache goes on from where it stopped.
    let records = answer_many(&mut collection, START + 40 * 7 * 3600, 30);
    snapshot(&mut collection);
    let now = Timestamp(START + 70 * 7 * 3600);
    check(&collection, now);
    // Undos of answers already in the log (and in the cache), then one in the journal.
    for record in records.iter().rev().take(3) {
        collection.undo(record).unwrap();
    }
    check(&collection, now);
    snapshot(&mut collection);
    check(&collection, now);
    let record = answer_many(&mut collection, now.unix_secs(), 1).remove(0);
    collection.undo(&record).unwrap();
    check(&collection, now);
    // The counts a window keeps between runs go on the same way.
    let (first, kept) = StatsJob::new(&collection, None, 0, 30, now)
        .unwrap()
        .run_with(None);
    assert_eq!(first.unwrap(), reference(&collection, None, 0, now));
    answer_many(&mut collection, now.unix_secs(), 5);
    snapshot(&mut collection);
    let (second, kept) = StatsJob::new(&collection, None, 0, 30, now)
        .unwrap()
        .run_with(kept);
    assert_eq!(second.unwrap(), reference(&collection, None, 0, now));
    assert!(kept.is_some());
}

#[test]
fn the_figures_come_from_the_cache_file_while_it_fits_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = open(dir.path(), TimeZone::UTC);
    let cache_file = collection.paths().stats_cache_file();
    answer_many(&mut collection, START, 20);
    snapshot(&mut collection);
    let now = Timestamp(START + 20 * 7 * 3600);
    let honest = compute(&collection, None, 0, 30, now).unwrap();
    // A cache changed behind Kartu's back is believed (so it is really read)…
    let text = std::fs::read_to_string(&cache_file).unwrap();
    let seconds = format!(", {}, [", honest.reviews[0].seconds);
    assert!(text.contains(&seconds), "{text}");
    let forged = text.replacen(&seconds, &format!(", {}, [", 99_999), 1);
    std::fs::write(&cache_file, &forged).unwrap();
    let believed = compute(&collection, None, 0, 30, now).unwrap();
    assert_eq!(believed.reviews[0].seconds, 99_999);
    // …until it no longer fits the log's line it stopped after: then it is made again.
    let cover = forged.lines().nth(1).unwrap();
    let fields: Vec<&str> = cover.split(", ").collect();
    let other = cover.replace(fields[3], "12345");
    std::fs::write(&cache_file, forged.replace(cover, &other)).unwrap();
    assert_eq!(compute(&collection, None, 0, 30, now).unwrap(), honest);
    // A cache cut short is not read.
    let whole = std::fs::read_to_string(&cache_file).unwrap();
    std::fs::write(&cache_file, &whole[..whole.len() / 2]).unwrap();
    assert_eq!(compute(&collection, None, 0, 30, now).unwrap(), honest);
    // A newer format is left alone.
    std::fs::write(&cache_file, "// kartu statistics cache, format 99\n").unwrap();
    assert_eq!(compute(&collection, None, 0, 30, now).unwrap(), honest);
    assert_eq!(
        std::fs::read_to_string(&cache_file).unwrap(),
        "// kartu statistics cache, format 99\n"
    );
}

#[test]
fn undos_reaching_past_the_kept_answers_are_read_in_full() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = open(dir.path(), TimeZone::UTC);
    let records = answer_many(&mut collection, START, daily_recent() + 14);
    snapshot(&mut collection);
    let now = Timestamp(START + DAY_SECS * 200);
    check(&collection, now);
    for record in records.iter().rev().take(daily_recent() + 4) {
        collection.undo(record).unwrap();
    }
    check(&collection, now);
    snapshot(&mut collection);
    check(&collection, now);
    let figures = compute(&collection, None, 0, 30, now).unwrap();
    assert_eq!(figures.total_reviews, 10);
}

fn daily_recent() -> usize {
    daily::RECENT_ANSWERS
}

#[test]
fn another_time_zone_makes_the_counts_again_with_its_days_and_hours() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = open(dir.path(), TimeZone::UTC);
    // 10:00 UTC.
    let at = Timestamp(START - START.rem_euclid(DAY_SECS) + 10 * 3600);
    collection
        .answer(&deck(), &cards(&collection)[0], Rating::Good, at, 1000)
        .unwrap();
    snapshot(&mut collection);
    let now = at.add_secs(60);
    check(&collection, now);
    assert_eq!(
        compute(&collection, None, 0, 30, now).unwrap().hours[10].reviews,
        1
    );
    drop(collection);
    // India is 5:30 ahead: the same answer was at 15:30 there.
    let zone = TimeZone::get("Asia/Kolkata").unwrap();
    let collection = open(dir.path(), zone);
    check(&collection, now);
    let figures = compute(&collection, None, 0, 30, now).unwrap();
    assert_eq!(figures.hours[15].reviews, 1);
    assert_eq!(figures.today.studied, 1);
}

#[test]
fn the_counts_job_writes_the_cache_only_when_worth_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = open(dir.path(), TimeZone::UTC);
    let cache_file = collection.paths().stats_cache_file();
    let now = Timestamp(START + 10 * 7 * 3600);
    // Nothing in a review log yet: nothing to do.
    assert!(!CountsJob::new(&collection, now).run().unwrap());
    answer_many(&mut collection, START, 10);
    snapshot(&mut collection);
    assert!(CountsJob::new(&collection, now).run().unwrap());
    let written = StatsCache::read(&cache_file).unwrap();
    let log_len = std::fs::metadata(
        collection
            .paths()
            .review_log_file(written.coverage.generation),
    )
    .unwrap()
    .len();
    assert_eq!(written.coverage.log_bytes, log_len, "up to the log's end");
    assert_eq!(
        written
            .days
            .values()
            .flat_map(|d| d.values())
            .map(DayCounts::answers)
            .sum::<u32>(),
        10
    );
    // A few answers more are counted when the statistics open, not written.
    answer_many(&mut collection, START + 10 * 7 * 3600, 3);
    snapshot(&mut collection);
    assert!(!CountsJob::new(&collection, now).run().unwrap());
    assert_eq!(StatsCache::read(&cache_file).unwrap(), written);
    check(&collection, now);
}
