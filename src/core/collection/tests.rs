use std::fs;

use super::*;
use crate::core::model::deck::{DECK_FORMAT_VERSION, Deck, Note};
use crate::core::model::progress::Progress;
use crate::core::storage::format::deck_file;
use crate::core::study::limits::DeckCounts;
use crate::core::time::DAY_SECS;

/// A data directory with one imported deck of `n` cards (`c0`, `c1`, …) and fuzz off.
struct Fixture {
    _dir: tempfile::TempDir,
    collection: Collection,
    deck: DeckId,
}

/// A deck `id` of `n` basic notes `c0`, `c1`, … (front `front N`, back `back N`).
pub(super) fn test_deck(id: &str, n: usize, version: u32) -> Deck {
    Deck {
        format: DECK_FORMAT_VERSION,
        id: DeckId(id.into()),
        title: format!("Test {id}"),
        description: String::new(),
        language: "en".into(),
        version,
        parent: None,
        notes: (0..n)
            .map(|i| {
                Note::basic(
                    &format!("c{i}"),
                    &format!("front {i}"),
                    &format!("back {i}"),
                )
            })
            .collect(),
    }
}

fn fixture(n: usize, settings: &Settings) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::new(dir.path());
    paths.create_dirs().unwrap();
    settings.save(&paths.settings_file()).unwrap();
    deck_file::save_deck_file(&test_deck("t", n, 1), &paths.decks_dir().join("t.ron")).unwrap();
    let mut collection = Collection::open(paths, TimeZone::UTC, Access::ReadWrite).unwrap();
    collection.override_fuzz(false).unwrap();
    assert!(
        collection.problems().is_empty(),
        "{:?}",
        collection.problems()
    );
    Fixture {
        _dir: dir,
        collection,
        deck: DeckId("t".into()),
    }
}

fn now() -> Timestamp {
    Timestamp::parse_rfc3339("2026-03-02T09:00:00Z").unwrap()
}

fn card(id: &str) -> CardId {
    CardId(id.into())
}

fn counts(f: &Fixture, at: Timestamp) -> DeckCounts {
    f.collection
        .deck_summaries(at)
        .into_iter()
        .find(|s| s.id == f.deck)
        .unwrap()
        .counts
}

#[test]
fn bundled_decks_are_installed_with_the_same_card_ids() {
    let f = fixture(1, &Settings::default());
    let id = f
        .collection
        .deck(&DeckId("backend-developer-id".into()))
        .unwrap();
    let en = f
        .collection
        .deck(&DeckId("backend-developer-en".into()))
        .unwrap();
    assert!(id.deck.len() >= 40);
    let ids = |d: &InstalledDeck| {
        d.deck
            .cards()
            .map(|c| c.id().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(id), ids(en));
    assert_eq!(
        (id.deck.language.as_str(), en.deck.language.as_str()),
        ("id", "en")
    );
}

#[test]
fn new_cards_come_in_deck_order_within_the_daily_limit() {
    let mut f = fixture(
        5,
        &Settings {
            new_per_day: 2,
            ..Settings::default()
        },
    );
    assert_eq!(
        counts(&f, now()),
        DeckCounts {
            new: 2,
            learning: 0,
            due: 0
        }
    );
    assert_eq!(
        f.collection.next_card(&f.deck, now()).unwrap(),
        Some(card("c0"))
    );
    f.collection
        .answer(&f.deck, &card("c0"), Rating::Easy, now(), 100)
        .unwrap();
    assert_eq!(
        f.collection.next_card(&f.deck, now()).unwrap(),
        Some(card("c1"))
    );
    f.collection
        .answer(&f.deck, &card("c1"), Rating::Easy, now(), 100)
        .unwrap();
    assert_eq!(
        f.collection.next_card(&f.deck, now()).unwrap(),
        None,
        "limit reached"
    );
    assert_eq!(counts(&f, now()).new, 0);
    // Tomorrow (after the 04:00 day start) the limit is fresh again.
    let tomorrow = Timestamp::parse_rfc3339("2026-03-03T04:00:00Z").unwrap();
    assert_eq!(counts(&f, tomorrow).new, 2);
    assert_eq!(
        f.collection.next_due(&f.deck, now()).unwrap(),
        Some(tomorrow)
    );
}

#[test]
fn learning_cards_come_back_before_new_ones_and_learn_ahead() {
    let mut f = fixture(3, &Settings::default());
    f.collection
        .answer(&f.deck, &card("c0"), Rating::Again, now(), 0)
        .unwrap();
    // c0 is due in a minute: c1 (new) first, then c0 early rather than waiting.
    assert_eq!(
        f.collection.next_card(&f.deck, now()).unwrap(),
        Some(card("c1"))
    );
    assert_eq!(
        f.collection.next_card(&f.deck, now().add_secs(60)).unwrap(),
        Some(card("c0"))
    );
    assert_eq!(
        counts(&f, now()),
        DeckCounts {
            new: 2,
            learning: 1,
            due: 0
        }
    );
    let session_end = now().add_secs(1);
    f.collection
        .answer(&f.deck, &card("c1"), Rating::Easy, session_end, 0)
        .unwrap();
    f.collection
        .answer(&f.deck, &card("c2"), Rating::Easy, session_end, 0)
        .unwrap();
    assert_eq!(
        f.collection.next_card(&f.deck, session_end).unwrap(),
        Some(card("c0")),
        "learn ahead"
    );
}

#[test]
fn reviews_respect_their_daily_limit() {
    let mut f = fixture(
        3,
        &Settings {
            reviews_per_day: 1,
            ..Settings::default()
        },
    );
    for id in ["c0", "c1", "c2"] {
        f.collection
            .answer(&f.deck, &card(id), Rating::Easy, now(), 0)
            .unwrap();
    }
    let later = now().add_secs(40 * DAY_SECS);
    assert_eq!(
        counts(&f, later),
        DeckCounts {
            new: 0,
            learning: 0,
            due: 1
        }
    );
    let first = f.collection.next_card(&f.deck, later).unwrap().unwrap();
    f.collection
        .answer(&f.deck, &first, Rating::Good, later, 0)
        .unwrap();
    assert_eq!(f.collection.next_card(&f.deck, later).unwrap(), None);
}

#[test]
fn answers_survive_a_reload_and_undo_restores_the_file() {
    let mut f = fixture(2, &Settings::default());
    let record = f
        .collection
        .answer(&f.deck, &card("c0"), Rating::Good, now(), 1500)
        .unwrap();
    let paths = f.collection.paths().clone();
    let reloaded = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadOnly).unwrap();
    let state = reloaded.card_progress(&f.deck, &card("c0"));
    assert_eq!(
        (state.state, state.reps, state.interval_secs),
        (CardState::Learning, 1, 600)
    );
    assert_eq!(reloaded.progress().reviews.len(), 1);
    assert_eq!(reloaded.progress().reviews[0].duration_ms, 1500);

    f.collection.undo(&record).unwrap();
    assert!(f.collection.undo(&record).is_err(), "only once");
    let reloaded = Collection::open(paths, TimeZone::UTC, Access::ReadOnly).unwrap();
    assert_eq!(
        reloaded.card_progress(&f.deck, &card("c0")),
        CardProgress::default()
    );
    assert!(reloaded.progress().reviews.is_empty());
}

#[test]
fn a_failed_write_leaves_memory_and_disk_as_they_were() {
    let mut f = fixture(2, &Settings::default());
    f.collection
        .answer(&f.deck, &card("c0"), Rating::Good, now(), 0)
        .unwrap();
    let journal_file = f.collection.paths().journal_file();
    let on_disk = fs::read_to_string(&journal_file).unwrap();
    // The write stops halfway through the line and fails.
    f.collection.fail_next_write();
    let err = f
        .collection
        .answer(&f.deck, &card("c1"), Rating::Good, now(), 0)
        .unwrap_err();
    assert!(err.to_string().contains("injected failure"), "{err}");
    assert_eq!(
        f.collection.card_progress(&f.deck, &card("c1")),
        CardProgress::default()
    );
    assert_eq!(f.collection.progress().reviews.len(), 1);
    assert_eq!(
        fs::read_to_string(&journal_file).unwrap(),
        on_disk,
        "half line cut off"
    );
    // And the retry works, and is what a reload sees.
    f.collection
        .answer(&f.deck, &card("c1"), Rating::Good, now(), 0)
        .unwrap();
    let paths = f.collection.paths().clone();
    let reloaded = Collection::open(paths, TimeZone::UTC, Access::ReadOnly).unwrap();
    assert!(reloaded.problems().is_empty(), "{:?}", reloaded.problems());
    assert_eq!(reloaded.progress(), f.collection.progress());
}

#[test]
fn a_second_writer_is_refused_but_readers_are_not() {
    let f = fixture(1, &Settings::default());
    let paths = f.collection.paths().clone();
    let err = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadWrite).unwrap_err();
    assert!(matches!(err, Error::Locked(_)), "{err:?}");
    assert!(err.to_string().contains("already open"));
    let reader = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadOnly).unwrap();
    assert_eq!(reader.read_only_reason(), Some("opened read-only"));
    drop(f);
    Collection::open(paths, TimeZone::UTC, Access::ReadWrite).unwrap();
}

#[test]
fn snapshots_fold_the_journal_and_reload_the_same() {
    let mut f = fixture(
        30,
        &Settings {
            new_per_day: 100,
            ..Settings::default()
        },
    );
    for i in 0..20 {
        let id = format!("c{i}");
        f.collection
            .answer(&f.deck, &card(&id), Rating::Good, now(), 0)
            .unwrap();
    }
    let job = f.collection.snapshot_job(true).unwrap();
    let seq = job.run().unwrap();
    assert_eq!(seq, 20);
    // Answers given while the snapshot was being written stay in the journal.
    f.collection
        .answer(&f.deck, &card("c20"), Rating::Easy, now(), 0)
        .unwrap();
    f.collection.finish_snapshot(seq).unwrap();
    let journal_text = fs::read_to_string(f.collection.paths().journal_file()).unwrap();
    let records: Vec<&str> = journal_text
        .lines()
        .filter(|l| !l.starts_with("//"))
        .collect();
    assert_eq!(records.len(), 1, "{journal_text}");
    assert!(records[0].starts_with("(seq: 21, "), "{journal_text}");
    assert!(
        journal_text.starts_with("// kartu journal, format 2\n"),
        "{journal_text}"
    );
    // The snapshot holds card states only; the 20 folded reviews went to the review log.
    let snapshot = fs::read_to_string(f.collection.paths().progress_file()).unwrap();
    assert!(
        snapshot.contains("review_log: 1,") && !snapshot.contains("reviews:"),
        "{snapshot}"
    );
    let log = fs::read_to_string(f.collection.paths().root.join("reviews-1.ron")).unwrap();
    assert_eq!(
        log.lines().filter(|l| l.starts_with("Review(")).count(),
        20,
        "{log}"
    );
    let reloaded = Collection::open(
        f.collection.paths().clone(),
        TimeZone::UTC,
        Access::ReadOnly,
    )
    .unwrap();
    assert_eq!(reloaded.progress(), f.collection.progress());
    assert!(
        f.collection.snapshot_job(false).is_none(),
        "not due after one answer"
    );
}

#[test]
fn an_unreadable_progress_file_is_kept_and_the_collection_is_read_only() {
    let f = fixture(1, &Settings::default());
    let paths = f.collection.paths().clone();
    fs::write(paths.progress_file(), "(format: 1, cards: {").unwrap();
    let mut broken = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadOnly).unwrap();
    assert!(
        broken
            .read_only_reason()
            .unwrap()
            .contains("progress.ron:1:"),
        "{:?}",
        broken.read_only_reason()
    );
    let err = broken
        .answer(&f.deck, &card("c0"), Rating::Good, now(), 0)
        .unwrap_err();
    assert!(matches!(err, Error::ReadOnly(_)));
    assert_eq!(
        fs::read_to_string(paths.progress_file()).unwrap(),
        "(format: 1, cards: {"
    );
}

#[test]
fn importing_a_new_version_keeps_progress_and_refuses_downgrades() {
    let mut f = fixture(2, &Settings::default());
    f.collection
        .answer(&f.deck, &card("c1"), Rating::Easy, now(), 0)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let v2 = dir.path().join("v2.ron");
    let mut deck = test_deck("t", 3, 2);
    deck.notes.reverse();
    deck_file::save_deck_file(&deck, &v2).unwrap();
    let outcome = f.collection.import_deck_file(&v2).unwrap();
    assert_eq!((outcome.card_count, outcome.replaced_version), (3, Some(1)));
    assert_eq!(
        f.collection.card_progress(&f.deck, &card("c1")).state,
        CardState::Review
    );
    assert_eq!(f.collection.deck(&f.deck).unwrap().deck.version, 2);

    let v1 = dir.path().join("v1.ron");
    deck_file::save_deck_file(&test_deck("t", 1, 1), &v1).unwrap();
    assert!(
        f.collection
            .import_deck_file(&v1)
            .unwrap_err()
            .to_string()
            .contains("older")
    );
    assert_eq!(f.collection.deck(&f.deck).unwrap().deck.len(), 3);
}

#[test]
fn a_bad_deck_file_imports_nothing() {
    let mut f = fixture(1, &Settings::default());
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.ron");
    let text = test_deck("fresh", 2, 1)
        .to_ron()
        .unwrap()
        .replace("\"c1\"", "\"c0\"");
    fs::write(&bad, text).unwrap();
    let before: Vec<_> = fs::read_dir(f.collection.paths().decks_dir())
        .unwrap()
        .collect();
    let err = f.collection.import_deck_file(&bad).unwrap_err();
    assert!(err.to_string().contains("duplicate id \"c0\""), "{err}");
    assert!(f.collection.deck(&DeckId("fresh".into())).is_err());
    let after: Vec<_> = fs::read_dir(f.collection.paths().decks_dir())
        .unwrap()
        .collect();
    assert_eq!(before.len(), after.len());
}

#[test]
fn an_invalid_deck_installs_nothing_not_even_its_media() {
    let mut f = fixture(1, &Settings::default());
    let mut deck = test_deck("fresh", 3, 1);
    // Checked beside the writing of its file: found invalid, nothing may stay behind.
    deck.notes[2].id = deck.notes[0].id.clone();
    let decks_dir = f.collection.paths().decks_dir();
    let listing = || {
        let mut names: Vec<String> = fs::read_dir(&decks_dir)
            .map(|entries| {
                entries
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };
    let before = listing();
    let new = NewDeck {
        deck,
        media: vec![MediaFile {
            name: "dot.png".into(),
            bytes: vec![1, 2, 3],
        }],
    };
    let err = f
        .collection
        .install(vec![new], None, Timestamp(1_000), &|| false)
        .unwrap_err();
    assert!(err.to_string().contains("duplicate id"), "{err}");
    assert_eq!(listing(), before);
    assert!(f.collection.deck(&DeckId("fresh".into())).is_err());
}

#[test]
fn export_writes_a_deck_file_that_imports_back() {
    let f = fixture(3, &Settings::default());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.ron");
    f.collection.export_deck(&f.deck, &out).unwrap();
    let deck = deck_file::load_deck_file(&out).unwrap();
    assert_eq!(
        deck,
        f.collection.deck(&f.deck).unwrap().deck.to_deck().unwrap()
    );
}

#[test]
fn setting_aside_moves_exactly_the_unreadable_files() {
    let mut f = fixture(3, &Settings::default());
    for id in ["c0", "c1"] {
        f.collection
            .answer(&f.deck, &card(id), Rating::Good, now(), 0)
            .unwrap();
    }
    let seq = f.collection.snapshot_job(true).unwrap().run().unwrap();
    f.collection.finish_snapshot(seq).unwrap();
    f.collection
        .answer(&f.deck, &card("c2"), Rating::Good, now(), 0)
        .unwrap();
    let paths = f.collection.paths().clone();
    let expected_cards = f.collection.progress().cards.clone();
    drop(f.collection);

    // A damaged review log: only it goes; the card states stay.
    let log = paths.root.join("reviews-1.ron");
    let mut text = fs::read_to_string(&log).unwrap();
    text.insert_str(text.find("Review(").unwrap(), "garbage\n");
    fs::write(&log, &text).unwrap();
    let mut opened = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadOnly).unwrap();
    assert!(
        opened
            .progress_error()
            .unwrap()
            .contains("reviews-1.ron:2:")
    );
    let moved = opened.set_aside_corrupt_progress(now()).unwrap();
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert!(
        moved[0]
            .to_string_lossy()
            .contains("reviews-1.ron.unreadable-")
    );
    assert_eq!(
        fs::read_to_string(&moved[0]).unwrap(),
        text,
        "kept as it was"
    );
    assert_eq!(opened.progress().cards, expected_cards);
    assert!(opened.read_only_reason().is_none());
    drop(opened);

    // A damaged snapshot: its journal and review log go with it (its records need that
    // snapshot, and a new writer would start a new log in its place).
    fs::write(paths.progress_file(), "(format: 3, seq: oops").unwrap();
    let mut opened = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadOnly).unwrap();
    let moved = opened.set_aside_corrupt_progress(now()).unwrap();
    let names: Vec<String> = moved
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names[0].starts_with("progress.ron.unreadable-"));
    assert!(names[1].starts_with("progress.journal.unreadable-"));
    assert!(names[2].starts_with("reviews-1.ron.unreadable-"));
    assert!(
        opened.read_only_reason().is_none(),
        "{:?}",
        opened.read_only_reason()
    );
    assert!(opened.progress().cards.is_empty());
}

/// A data directory with these decks installed (fuzz off, generous limits).
fn with_decks(decks: &[Deck], settings: &Settings) -> (tempfile::TempDir, Collection) {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::new(dir.path());
    paths.create_dirs().unwrap();
    settings.save(&paths.settings_file()).unwrap();
    for deck in decks {
        let file = paths.deck_file(&deck.id);
        deck_file::save_deck_file(deck, &file).unwrap();
    }
    let mut collection = Collection::open(paths, TimeZone::UTC, Access::ReadWrite).unwrap();
    collection.override_fuzz(false).unwrap();
    assert!(
        collection.problems().is_empty(),
        "{:?}",
        collection.problems()
    );
    (dir, collection)
}

#[test]
fn a_parent_deck_shows_and_studies_its_sub_decks() {
    let parent = test_deck("p", 1, 1);
    let mut child = test_deck("p-child", 2, 1);
    child.title = "Child".into();
    child.parent = Some(DeckId("p".into()));
    let mut grandchild = test_deck("p-grand", 1, 1);
    grandchild.parent = Some(DeckId("p-child".into()));
    // A deck under itself, through another: both sit at the top.
    let mut loop_a = test_deck("loop-a", 1, 1);
    loop_a.parent = Some(DeckId("loop-b".into()));
    let mut loop_b = test_deck("loop-b", 1, 1);
    loop_b.parent = Some(DeckId("loop-a".into()));
    let (_dir, mut collection) = with_decks(
        &[parent, child, grandchild, loop_a, loop_b],
        &Settings::default(),
    );
    let summaries = collection.deck_summaries(now());
    let tree: Vec<(&str, usize, usize)> = summaries
        .iter()
        .map(|s| (s.id.0.as_str(), s.depth, s.counts.new))
        .collect();
    let at = |id: &str| tree.iter().position(|t| t.0 == id).unwrap();
    assert_eq!(tree[at("p")], ("p", 0, 4), "own 1 + child 2 + grandchild 1");
    assert_eq!(tree[at("p-child")], ("p-child", 1, 3));
    assert_eq!(tree[at("p-grand")], ("p-grand", 2, 1));
    assert_eq!(at("p-child"), at("p") + 1);
    assert_eq!(at("p-grand"), at("p") + 2);
    assert_eq!((tree[at("loop-a")].1, tree[at("loop-b")].1), (0, 0));
    assert_eq!(summaries[at("p")].card_count, 4);
    // Studying the parent goes through every card of the family.
    let p = DeckId("p".into());
    let mut seen = Vec::new();
    while let Some((deck, card)) = collection.next_study_card(&p, now()).unwrap() {
        collection
            .answer(&deck, &card, Rating::Easy, now(), 0)
            .unwrap();
        seen.push(format!("{deck}/{card}"));
    }
    assert_eq!(seen, ["p/c0", "p-child/c0", "p-child/c1", "p-grand/c0"]);
    assert_eq!(
        collection.deck_counts(&p, now()).unwrap(),
        DeckCounts::default()
    );
    assert!(collection.next_due(&p, now()).unwrap().is_some());
}

#[test]
fn siblings_wait_for_the_next_day_unless_the_setting_is_off() {
    use crate::core::model::deck::NoteKind;
    let mut deck = test_deck("s", 0, 1);
    deck.notes = vec![
        Note {
            kind: NoteKind::Reversed,
            ..Note::basic("r", "hello", "halo")
        },
        Note::cloze("z", "{{c1::one}} {{c2::two}}", ""),
    ];
    let s = DeckId("s".into());
    for bury in [true, false] {
        let settings = Settings {
            bury_siblings: bury,
            ..Settings::default()
        };
        let (_dir, mut collection) = with_decks(std::slice::from_ref(&deck), &settings);
        assert_eq!(collection.deck_counts(&s, now()).unwrap().new, 4);
        collection
            .answer(&s, &card("r"), Rating::Good, now(), 0)
            .unwrap();
        collection
            .answer(&s, &card("z:1"), Rating::Good, now(), 0)
            .unwrap();
        let counts = collection.deck_counts(&s, now()).unwrap();
        let next = collection.next_card(&s, now()).unwrap();
        if bury {
            assert_eq!(counts.new, 0, "both siblings wait");
            // The learning cards themselves still come back.
            assert_eq!(counts.learning, 2);
            let later = now().add_secs(3_600);
            let learning = collection.next_card(&s, later).unwrap().unwrap();
            assert!(["r", "z:1"].contains(&learning.0.as_str()), "{learning}");
            // Tomorrow the siblings are back.
            let tomorrow = now().add_secs(DAY_SECS);
            assert_eq!(collection.deck_counts(&s, tomorrow).unwrap().new, 2);
        } else {
            assert_eq!(counts.new, 2);
            assert_eq!(next, Some(card("r:2")));
        }
    }
}

#[test]
fn suspended_and_buried_cards_are_not_studied() {
    let (dir, collection) = with_decks(&[test_deck("h", 3, 1)], &Settings::default());
    let paths = collection.paths().clone();
    drop(collection);
    let h = DeckId("h".into());
    let mut progress = Progress::default();
    progress.set_card(
        &h,
        &card("c0"),
        Some(CardProgress {
            suspended: true,
            ..CardProgress::default()
        }),
    );
    progress.set_card(
        &h,
        &card("c1"),
        Some(CardProgress {
            buried_until: Some(now().add_secs(3_600)),
            ..CardProgress::default()
        }),
    );
    progress.save(&paths.progress_file()).unwrap();
    let collection = Collection::open(paths, TimeZone::UTC, Access::ReadOnly).unwrap();
    assert_eq!(collection.next_card(&h, now()).unwrap(), Some(card("c2")));
    assert_eq!(collection.deck_counts(&h, now()).unwrap().new, 1);
    // After the bury ends, c1 comes back in deck order; c0 stays suspended.
    let later = now().add_secs(7_200);
    assert_eq!(collection.next_card(&h, later).unwrap(), Some(card("c1")));
    assert_eq!(collection.deck_counts(&h, later).unwrap().new, 2);
    drop(dir);
}
