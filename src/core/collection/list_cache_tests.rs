//! The deck list from its cache is the deck list a load gives, on the day it was written and
//! on later days, and no list at all once anything it depends on changed.

use super::*;
use crate::core::model::deck::Deck;
use crate::core::storage::format::deck_file;
use crate::core::time::DAY_SECS;

fn deck(id: &str, parent: Option<&str>, n: usize) -> Deck {
    Deck {
        parent: parent.map(|p| DeckId(p.into())),
        ..super::tests::test_deck(id, n, 1)
    }
}

fn start() -> Timestamp {
    Timestamp::parse_rfc3339("2026-03-02T09:00:00Z").unwrap()
}

/// A parent with a child deck, cards answered into learning and review over a few days, one
/// suspended and one buried; the window's exit at `start()`.
fn studied() -> (tempfile::TempDir, DataPaths) {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::new(dir.path());
    paths.create_dirs().unwrap();
    Settings {
        new_per_day: 4,
        reviews_per_day: 1,
        ..Settings::default()
    }
    .save(&paths.settings_file())
    .unwrap();
    deck_file::save_deck_file(&deck("p", None, 12), &paths.decks_dir().join("p.ron")).unwrap();
    deck_file::save_deck_file(
        &deck("p-child", Some("p"), 9),
        &paths.decks_dir().join("p-child.ron"),
    )
    .unwrap();
    let mut collection = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadWrite).unwrap();
    collection.override_fuzz(false).unwrap();
    let (p, child) = (DeckId("p".into()), DeckId("p-child".into()));
    // Answers over the last days: reviews due over the coming days, learning cards.
    for (day, deck, card, rating) in [
        (-6, &p, "c0", Rating::Easy),
        (-6, &p, "c1", Rating::Good),
        (-5, &p, "c2", Rating::Easy),
        (-4, &child, "c0", Rating::Easy),
        (-3, &child, "c1", Rating::Good),
        (-2, &p, "c3", Rating::Hard),
        (0, &p, "c4", Rating::Again),
        (0, &child, "c2", Rating::Good),
    ] {
        let at = start().add_secs(day * DAY_SECS - 3600);
        collection
            .answer(deck, &CardId(card.into()), rating, at, 1000)
            .unwrap();
    }
    collection
        .suspend(&[(p.clone(), CardId("c5".into()))], true)
        .unwrap();
    collection
        .bury(&[(child.clone(), CardId("c3".into()))], start())
        .unwrap();
    let seq = collection.snapshot_job(true).unwrap().run().unwrap();
    collection.finish_snapshot(seq).unwrap();
    collection.write_deck_list_cache(start()).unwrap();
    drop(collection);
    (dir, paths)
}

fn loaded(paths: &DataPaths, now: Timestamp) -> Vec<DeckSummary> {
    Collection::open(paths.clone(), TimeZone::UTC, Access::ReadOnly)
        .unwrap()
        .deck_summaries(now)
}

#[test]
fn the_cached_list_is_the_loaded_list_today_and_on_later_days() {
    let (_dir, paths) = studied();
    // Later today, tomorrow (the buried card back), and on: reviews come due, new cards
    // fill the limits again.
    for secs in [
        60,
        3 * 3600,
        DAY_SECS,
        2 * DAY_SECS + 5,
        9 * DAY_SECS,
        60 * DAY_SECS,
    ] {
        let now = start().add_secs(secs);
        let cached = cached_deck_list(&paths, &TimeZone::UTC, now).unwrap();
        assert_eq!(cached.summaries, loaded(&paths, now), "{secs} s later");
        assert!(!cached.nothing_studied);
    }
    // The counts did change over those days (the comparison is not of constants).
    let parent_counts = |secs: i64| {
        cached_deck_list(&paths, &TimeZone::UTC, start().add_secs(secs))
            .unwrap()
            .summaries
            .into_iter()
            .find(|s| s.id.0 == "p")
            .unwrap()
            .counts
    };
    let today = parent_counts(0);
    assert!(today.learning > 0, "cards in learning today");
    assert_ne!(today, parent_counts(9 * DAY_SECS));
    assert_ne!(parent_counts(DAY_SECS), parent_counts(9 * DAY_SECS));
    let count = cached_deck_list(&paths, &TimeZone::UTC, start())
        .unwrap()
        .summaries
        .len();
    assert_eq!(count, 4, "two bundled decks, the parent and its child");
}

#[test]
fn no_list_once_anything_it_counts_from_changed() {
    let (_dir, paths) = studied();
    let now = start().add_secs(60);
    assert!(cached_deck_list(&paths, &TimeZone::UTC, now).is_some());
    // Another zone, an earlier day.
    let zone = TimeZone::get("Asia/Kolkata").unwrap();
    assert!(cached_deck_list(&paths, &zone, now).is_none());
    assert!(cached_deck_list(&paths, &TimeZone::UTC, start().add_secs(-DAY_SECS)).is_none());
    // An answer given by a command since.
    let mut collection = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadWrite).unwrap();
    collection
        .answer(
            &DeckId("p".into()),
            &CardId("c6".into()),
            Rating::Good,
            now,
            1000,
        )
        .unwrap();
    drop(collection);
    assert!(cached_deck_list(&paths, &TimeZone::UTC, now).is_none());
}

#[test]
fn a_card_buried_past_tomorrow_keeps_later_days_from_the_cache() {
    let (_dir, paths) = studied();
    let mut collection = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadWrite).unwrap();
    let until = start().add_secs(3 * DAY_SECS);
    // Buried for three days (the window buries until tomorrow; an older Kartu or a sync may
    // leave longer).
    collection
        .commit(&Change::SetCards {
            cards: vec![(
                DeckId("p".into()),
                CardId("c7".into()),
                Some(crate::core::model::card::CardProgress {
                    buried_until: Some(until),
                    ..crate::core::model::card::CardProgress::default()
                }),
            )],
        })
        .unwrap();
    let seq = collection.snapshot_job(true).unwrap().run().unwrap();
    collection.finish_snapshot(seq).unwrap();
    collection.write_deck_list_cache(start()).unwrap();
    drop(collection);
    let today = start().add_secs(60);
    assert_eq!(
        cached_deck_list(&paths, &TimeZone::UTC, today)
            .unwrap()
            .summaries,
        loaded(&paths, today)
    );
    // Until it is back, later days are not known from the cache; after, they are.
    assert!(cached_deck_list(&paths, &TimeZone::UTC, start().add_secs(DAY_SECS)).is_none());
    let after = start().add_secs(4 * DAY_SECS);
    assert_eq!(
        cached_deck_list(&paths, &TimeZone::UTC, after)
            .unwrap()
            .summaries,
        loaded(&paths, after)
    );
}

#[test]
fn only_the_writer_writes_the_cache_and_a_new_collection_says_nothing_was_studied() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::new(dir.path());
    let reader = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadOnly).unwrap();
    reader.write_deck_list_cache(start()).unwrap();
    assert!(!paths.deck_list_cache_file().exists());
    drop(reader);
    let writer = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadWrite).unwrap();
    writer.write_deck_list_cache(start()).unwrap();
    drop(writer);
    let cached = cached_deck_list(&paths, &TimeZone::UTC, start()).unwrap();
    assert!(cached.nothing_studied);
    assert_eq!(cached.summaries, loaded(&paths, start()));
}
