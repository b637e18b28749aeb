//! The progress journal and snapshot under crashes, torn writes and a second writer.

// Test helpers may unwrap, like the tests themselves (clippy only exempts `#[test]` functions).
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::Path;

use jiff::tz::TimeZone;
use kartu::core::collection::{Access, Collection};
use kartu::core::export::{ExportFormat, ExportJob};
use kartu::core::ids::{CardId, DeckId};
use kartu::core::model::card::Rating;
use kartu::core::storage::paths::DataPaths;
use kartu::core::storage::replay as journal;
use kartu::core::time::Timestamp;

const DECK: &str = "backend-developer-en";

fn now() -> Timestamp {
    Timestamp::parse_rfc3339("2026-11-25T09:00:00Z").unwrap()
}

/// A data directory with `answers` answers in its journal (no snapshot yet).
fn answered(answers: usize) -> (tempfile::TempDir, DataPaths) {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::new(dir.path());
    let mut collection = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadWrite).unwrap();
    let deck = DeckId(DECK.into());
    for i in 0..answers {
        let card = collection.next_card(&deck, now()).unwrap().unwrap();
        collection
            .answer(&deck, &card, Rating::Good, now().add_secs(i as i64), 100)
            .unwrap();
    }
    (dir, paths)
}

#[test]
fn a_journal_torn_anywhere_in_its_last_record_keeps_every_complete_one() {
    let (_dir, paths) = answered(3);
    let path = paths.journal_file();
    let full = fs::read(&path).unwrap();
    let last_start = full[..full.len() - 1]
        .iter()
        .rposition(|&b| b == b'\n')
        .unwrap()
        + 1;
    for cut in last_start..full.len() {
        fs::write(&path, &full[..cut]).unwrap();
        let (progress, intact_len, report) = journal::load(&paths).unwrap();
        assert_eq!(progress.reviews.len(), 2, "cut at {cut}");
        assert_eq!(intact_len, last_start as u64);
        assert_eq!(report.dropped_torn_line, cut > last_start, "cut at {cut}");
    }
    // The writer cuts the torn tail off before appending, so the next record is whole.
    fs::write(&path, &full[..full.len() - 5]).unwrap();
    let mut collection = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadWrite).unwrap();
    assert!(
        collection
            .problems()
            .iter()
            .any(|p| p.contains("cut short"))
    );
    let deck = DeckId(DECK.into());
    let card = collection.next_card(&deck, now()).unwrap().unwrap();
    collection
        .answer(&deck, &card, Rating::Easy, now(), 0)
        .unwrap();
    drop(collection);
    let (progress, _, report) = journal::load(&paths).unwrap();
    assert_eq!(
        (progress.reviews.len(), report.dropped_torn_line),
        (3, false)
    );
}

#[test]
fn a_bad_line_in_the_middle_is_an_error_with_its_line() {
    let (_dir, paths) = answered(3);
    let path = paths.journal_file();
    let text = fs::read_to_string(&path).unwrap();
    let broken: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, line)| {
            if i == 1 {
                line.replace("rating: good", "rating: meh")
            } else {
                line.to_owned()
            }
        })
        .collect();
    fs::write(&path, broken.join("\n") + "\n").unwrap();
    let err = journal::load(&paths).unwrap_err().to_string();
    assert!(err.contains("progress.journal:2:"), "{err}");
    let collection = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadWrite).unwrap();
    assert!(collection.read_only_reason().is_some());
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        broken.join("\n") + "\n",
        "kept as it was"
    );
}

#[test]
fn snapshot_then_journal_survive_reopening_and_temp_files_are_swept() {
    let (_dir, paths) = answered(5);
    let mut collection = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadWrite).unwrap();
    let job = collection.snapshot_job(true).unwrap();
    let seq = job.run().unwrap();
    collection.finish_snapshot(seq).unwrap();
    let expected = collection.progress().clone();
    drop(collection);
    // A crash during an atomic write leaves a temp file; the next writer removes it.
    let stray = paths.root.join(".kartu-tmp-crashed");
    fs::write(&stray, "half a snapshot").unwrap();
    let collection = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadWrite).unwrap();
    assert!(!stray.exists());
    assert_eq!(collection.progress(), &expected);
    assert_eq!(
        fs::read_to_string(paths.journal_file()).unwrap(),
        "// kartu journal, format 2\n",
        "only the header is left"
    );
    let card = collection.progress().card(
        &DeckId(DECK.into()),
        &CardId("what-is-backend-developer".into()),
    );
    assert!(card.is_some());
}

/// Older whole-document progress files load, and the first writer moves their reviews to a
/// review log, keeping the old file beside the new snapshot.
fn migrates(golden: &str, format: u32, seq: u64, reviews: usize) {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::new(dir.path());
    fs::write(paths.progress_file(), golden).unwrap();
    let reader = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadOnly).unwrap();
    assert_eq!(reader.progress().reviews.len(), reviews);
    let mut collection = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadWrite).unwrap();
    assert!(
        collection.problems().is_empty(),
        "{:?}",
        collection.problems()
    );
    let deck = DeckId(DECK.into());
    let state = collection.card_progress(&deck, &CardId("what-is-backend-developer".into()));
    assert_eq!((state.reps, state.interval_secs), (1, 600));
    assert_eq!(collection.progress().reviews.len(), reviews);
    assert_eq!(collection.progress().cards, reader.progress().cards);
    let kept = dir.path().join(format!("progress.ron.format-{format}"));
    assert_eq!(
        fs::read_to_string(&kept).unwrap(),
        golden,
        "the old file is kept"
    );
    let text = fs::read_to_string(paths.progress_file()).unwrap();
    assert!(
        text.contains(&format!(
            "    format: 4,\n    seq: {seq},\n    review_log: 1,\n    review_log_bytes: "
        )),
        "{text}"
    );
    let log = fs::read_to_string(dir.path().join("reviews-1.ron")).unwrap();
    assert_eq!(
        log.lines().filter(|l| l.starts_with("Review(0, ")).count(),
        reviews,
        "{log}"
    );
    // Answering and compacting go on from there.
    let card = CardId("backend-behind-the-scenes".into());
    collection
        .answer(&deck, &card, Rating::Good, now(), 0)
        .unwrap();
    let seq_after = collection.snapshot_job(true).unwrap().run().unwrap();
    collection.finish_snapshot(seq_after).unwrap();
    assert_eq!(seq_after, seq + 1);
    drop(collection);
    let reopened = Collection::open(paths, TimeZone::UTC, Access::ReadOnly).unwrap();
    assert_eq!(reopened.progress().reviews.len(), reviews + 1);
}

#[test]
fn a_format_1_progress_file_from_kartu_0_1_still_loads() {
    migrates(include_str!("golden/progress-v1.ron"), 1, 0, 1);
}

#[test]
fn a_format_2_progress_file_with_its_reviews_inline_is_migrated() {
    migrates(include_str!("golden/progress-v2.ron"), 2, 3, 3);
}

#[test]
fn bytes_that_are_not_text_are_forgiven_only_in_the_torn_last_line() {
    let (_dir, paths) = answered(2);
    let path = paths.journal_file();
    let mut bytes = fs::read(&path).unwrap();
    // A write cut inside a multi-byte character: the last line is torn, the rest loads.
    bytes.extend_from_slice(b"(seq: 3, change: \xe2\x82");
    fs::write(&path, &bytes).unwrap();
    let (progress, _, report) = journal::load(&paths).unwrap();
    assert_eq!(
        (progress.reviews.len(), report.dropped_torn_line),
        (2, true)
    );
    // The same damage in a line with a record after it is an error naming that line.
    let record = String::from_utf8_lossy(&bytes)
        .lines()
        .nth(2)
        .unwrap()
        .replace("(seq: 2,", "(seq: 4,");
    bytes.extend_from_slice(format!("\n{record}\n").as_bytes());
    fs::write(&path, &bytes).unwrap();
    let err = journal::load(&paths).unwrap_err().to_string();
    // Line 1 is the journal's header.
    assert!(err.contains("progress.journal:4:1: not UTF-8"), "{err}");
}

#[test]
fn a_format_3_snapshot_with_its_log_and_a_format_1_journal_loads_and_is_rewritten_as_the_current_formats()
 {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::new(dir.path());
    for name in ["progress.ron", "reviews-1.ron", "progress.journal"] {
        fs::copy(
            Path::new("tests/golden/progress-v3").join(name),
            dir.path().join(name),
        )
        .unwrap();
    }
    let reader = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadOnly).unwrap();
    assert!(reader.problems().is_empty(), "{:?}", reader.problems());
    assert_eq!(reader.progress().seq, 3);
    assert_eq!(reader.progress().card_count(), 3);
    assert_eq!(reader.progress().reviews.len(), 3);
    let mut collection = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadWrite).unwrap();
    // A writer gives the format 1 journal the format 2 header, its records unchanged.
    let journal = fs::read_to_string(paths.journal_file()).unwrap();
    let golden = fs::read_to_string("tests/golden/progress-v3/progress.journal").unwrap();
    assert!(
        journal.starts_with("// kartu journal, format 2\n"),
        "{journal}"
    );
    let records = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with("//"))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(records(&journal), records(&golden));
    assert_eq!(collection.progress(), reader.progress());
    // An answer after the upgrade lands in the rewritten journal, and is there at the next
    // start (not in the file the rewrite replaced).
    let card = collection
        .deck(&DeckId(DECK.into()))
        .unwrap()
        .deck
        .card_at(5)
        .id()
        .to_owned();
    collection
        .answer(
            &DeckId(DECK.into()),
            &CardId(card.clone()),
            kartu::core::model::card::Rating::Good,
            kartu::core::time::Timestamp::parse_rfc3339("2026-11-26T09:00:00Z").unwrap(),
            0,
        )
        .unwrap();
    drop(collection);
    let after = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadOnly).unwrap();
    assert_eq!(after.progress().seq, reader.progress().seq + 1);
    assert!(
        after
            .progress()
            .card(&DeckId(DECK.into()), &CardId(card))
            .is_some()
    );
    drop(after);
    let mut collection = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadWrite).unwrap();
    let seq = collection.snapshot_job(true).unwrap().run().unwrap();
    collection.finish_snapshot(seq).unwrap();
    drop(collection);
    let text = fs::read_to_string(paths.progress_file()).unwrap();
    assert!(
        text.contains("    format: 4,\n    seq: 4,\n    review_log: 1,\n    review_log_bytes: "),
        "{text}"
    );
    assert!(text.contains("    folded: (seq: 4, hash: "), "{text}");
    let reopened = Collection::open(paths, TimeZone::UTC, Access::ReadOnly).unwrap();
    assert_eq!(
        reopened.progress().reviews.len(),
        reader.progress().reviews.len() + 1
    );
    assert_eq!(
        reopened.progress().card_count(),
        reader.progress().card_count() + 1
    );
}

#[test]
fn a_repeated_journal_record_counts_once_and_a_conflicting_one_is_damage() {
    let (_dir, paths) = answered(3);
    let path = paths.journal_file();
    let text = fs::read_to_string(&path).unwrap();
    let second = text.lines().nth(2).unwrap().to_owned();
    fs::write(&path, format!("{text}{second}\n")).unwrap();
    // Anywhere after itself (a sync tool's doing), a repeat is skipped.
    let (progress, _, _) = journal::load(&paths).unwrap();
    assert_eq!((progress.seq, progress.reviews.len()), (3, 3));
    let lines: Vec<&str> = text.lines().collect();
    let repeated = [lines[0], lines[1], lines[2], lines[2], lines[3]].join("\n") + "\n";
    fs::write(&path, &repeated).unwrap();
    let (progress, _, _) = journal::load(&paths).unwrap();
    assert_eq!((progress.seq, progress.reviews.len()), (3, 3));
    // The same number with a different change is damage.
    let conflicting = [
        lines[0],
        lines[1],
        lines[2],
        &lines[2].replace("rating: good", "rating: hard"),
        lines[3],
    ]
    .join("\n")
        + "\n";
    fs::write(&path, &conflicting).unwrap();
    let err = journal::load(&paths).unwrap_err().to_string();
    assert!(err.contains("progress.journal:4:"), "{err}");
    assert!(err.contains("appears twice"), "{err}");
}

/// Settings files of every format load: the scheduling values of formats 1 and 2 are the
/// Default preset's; format 3 adds presets and which deck uses which.
#[test]
fn settings_of_every_format_load_and_older_values_become_the_default_preset() {
    use kartu::core::model::settings::{DEFAULT_PRESET, Settings};
    let dir = tempfile::tempdir().unwrap();
    let load = |name: &str, text: &str| {
        let path = dir.path().join(name);
        fs::write(&path, text).unwrap();
        Settings::load(&path)
    };
    let v1 = load("v1.ron", include_str!("golden/settings-v1.ron")).unwrap();
    let default = v1.default_preset();
    assert_eq!(default.name, DEFAULT_PRESET);
    assert_eq!((default.new_per_day, default.reviews_per_day), (15, 150));
    assert!((default.desired_retention - 0.85).abs() < 1e-6);
    assert_eq!(default.maximum_interval_days, 3650);
    assert!(v1.presets.is_empty() && v1.fsrs_params.is_empty());
    let deck = DeckId(DECK.into());
    assert_eq!(v1.preset_name_for(&deck), DEFAULT_PRESET);

    let v2 = load("v2.ron", include_str!("golden/settings-v2.ron")).unwrap();
    assert_eq!(v2.default_preset().fsrs_params.len(), 21);
    assert!(!v2.default_preset().fuzz);
    assert_eq!(v2.preset_for(&deck).new_per_day, 10);

    let v3 = load("v3.ron", include_str!("golden/settings-v3.ron")).unwrap();
    assert_eq!(v3.preset_name_for(&deck), "Exam");
    let exam = v3.preset_for(&deck);
    assert_eq!((exam.new_per_day, exam.maximum_interval_days), (50, 60));
    assert_eq!(v3.daily_limits(&deck), (50, 500));
    assert_eq!(
        v3.daily_limits(&DeckId("backend-developer-id".into())),
        (20, 200)
    );
    // Written back, format 3 reads the same.
    let path = dir.path().join("again.ron");
    v1.save(&path).unwrap();
    let again = Settings::load(&path).unwrap();
    assert_eq!(again.default_preset(), v1.default_preset());
    assert_eq!(again.format, 3, "saved in the current format");

    // A newer format is refused by name, not misread.
    let newer = include_str!("golden/settings-v3.ron").replace("format: 3", "format: 4");
    let err = load("v4.ron", &newer).unwrap_err();
    assert!(err.to_string().contains("newer Kartu"), "{err}");
}

/// Each deck studies and schedules with its own preset: limits, desired retention, maximum
/// interval; a preset renamed keeps its decks, one removed sends them back to the Default.
#[test]
fn each_deck_follows_its_preset() {
    use kartu::core::model::settings::{DEFAULT_PRESET, Preset};
    let dir = tempfile::tempdir().unwrap();
    let mut collection =
        Collection::open(DataPaths::new(dir.path()), TimeZone::UTC, Access::ReadWrite).unwrap();
    let en = DeckId(DECK.into());
    let id = DeckId("backend-developer-id".into());
    let mut settings = collection.settings().clone();
    settings.fuzz = false;
    settings.put_preset(Preset {
        name: "Exam".into(),
        new_per_day: 3,
        desired_retention: 0.97,
        maximum_interval_days: 2,
        fuzz: false,
        ..Preset::default()
    });
    settings.use_preset(&en, "Exam");
    collection.update_settings(settings).unwrap();
    assert_eq!(collection.deck_counts(&en, now()).unwrap().new, 3);
    assert_eq!(collection.deck_counts(&id, now()).unwrap().new, 20);
    // The same card and answers in both decks: the Exam preset caps the interval at 2 days.
    let card = CardId("what-is-backend-developer".into());
    let mut at = now();
    for _ in 0..4 {
        for deck in [&en, &id] {
            collection
                .answer(deck, &card, Rating::Easy, at, 1_000)
                .unwrap();
        }
        at = at.add_secs(30 * 86_400);
    }
    let exam = collection.card_progress(&en, &card);
    let default = collection.card_progress(&id, &card);
    assert!(exam.interval_secs <= 2 * 86_400, "{exam:?}");
    assert!(default.interval_secs > 30 * 86_400, "{default:?}");
    // After a restart, the same.
    drop(collection);
    let mut collection =
        Collection::open(DataPaths::new(dir.path()), TimeZone::UTC, Access::ReadWrite).unwrap();
    assert_eq!(collection.settings().preset_name_for(&en), "Exam");
    let mut settings = collection.settings().clone();
    assert!(settings.rename_preset("Exam", "Test week"));
    assert!(!settings.rename_preset(DEFAULT_PRESET, "Other"));
    assert_eq!(settings.preset_name_for(&en), "Test week");
    settings.remove_preset("Test week");
    assert_eq!(settings.preset_name_for(&en), DEFAULT_PRESET);
    collection.update_settings(settings).unwrap();
    assert_eq!(
        collection.deck_counts(&en, at).unwrap().new,
        20,
        "the Default limit again"
    );
}

/// A deck of `notes` notes (every tenth a cloze note, every seventh with notes and an
/// example), written where a learner's installed decks are.
fn installed_deck(paths: &DataPaths, notes: usize) -> kartu::core::model::deck::Deck {
    use kartu::core::model::deck::{DECK_FORMAT_VERSION, Deck, Note};
    let deck = Deck {
        format: DECK_FORMAT_VERSION,
        id: DeckId("cold".into()),
        title: "Cold".into(),
        description: String::new(),
        language: "en".into(),
        version: 1,
        parent: None,
        notes: (0..notes)
            .map(|i| {
                let note = if i % 10 == 0 {
                    Note::cloze(
                        &format!("n{i}"),
                        &format!("{{{{c1::{i}}}}} and {{{{c2::more}}}}"),
                        "",
                    )
                } else {
                    Note::basic(
                        &format!("n{i}"),
                        &format!("front {i}"),
                        &format!("back {i}\nsecond line"),
                    )
                };
                Note {
                    notes: (i % 7 == 0).then(|| format!("why {i}")),
                    example: (i % 7 == 0).then(|| format!("like {i}")),
                    tags: vec![format!("t{}", i % 3)],
                    ..note
                }
            })
            .collect(),
    };
    paths.create_dirs().unwrap();
    kartu::core::storage::format::deck_file::save_deck_file(&deck, &paths.deck_file(&deck.id))
        .unwrap();
    deck
}

/// An installed deck's card text stays in its file until a card is shown (then only that
/// card's block is read), comes back exactly, and survives the file being replaced; a file
/// changed in place is an error when the deck is written out, never a deck with text missing.
#[test]
fn card_text_stays_in_the_deck_file_until_a_card_is_shown() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::new(dir.path());
    let deck = installed_deck(&paths, 300);
    let id = deck.id.clone();
    let mut collection = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadWrite).unwrap();
    let cold = |collection: &Collection| collection.deck(&id).unwrap().deck.cold_blocks();
    // 300 notes: blocks of 128, 128 and 44; what the deck list needs reads none.
    assert_eq!(cold(&collection), (3, 3));
    let counts = collection.deck_counts(&id, now()).unwrap();
    assert!(counts.new > 0, "{counts:?}");
    let _ = collection.deck_tree();
    let _ = collection.deck_list_cache(now());
    let card = collection.next_card(&id, now()).unwrap().unwrap();
    assert_eq!(cold(&collection), (3, 3));
    // Showing a card reads its block alone.
    let question = collection.card(&id, &card).unwrap().question().into_owned();
    assert!(
        question.contains("[...]") || question.starts_with("front"),
        "{question}"
    );
    assert_eq!(cold(&collection), (2, 3));
    collection
        .answer(&id, &card, Rating::Good, now(), 100)
        .unwrap();
    let last = collection
        .deck(&id)
        .unwrap()
        .deck
        .card_at(collection.deck(&id).unwrap().deck.len() - 1);
    assert_eq!(last.note().back(), "back 299\nsecond line");
    assert_eq!(last.note().notes(), None);
    assert_eq!(cold(&collection), (1, 3));

    // The file replaced under its name (as every writer does): the open deck reads what it
    // loaded.
    let other = dir.path().join("other.ron");
    fs::write(&other, "not a deck").unwrap();
    fs::rename(&other, paths.deck_file(&id)).unwrap();
    assert_eq!(collection.deck(&id).unwrap().deck.to_deck().unwrap(), deck);
    assert_eq!(cold(&collection), (0, 3));

    // The file changed in place: text not yet read cannot be read back, and nothing is
    // written without it.
    drop(collection);
    installed_deck(&paths, 300);
    let reopened = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadWrite).unwrap();
    fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(paths.deck_file(&id))
        .unwrap();
    let first = reopened.deck(&id).unwrap().deck.card_at(0);
    assert_eq!(first.question(), "");
    let err = reopened
        .deck(&id)
        .unwrap()
        .deck
        .to_deck()
        .unwrap_err()
        .to_string();
    assert!(err.contains("changed while Kartu had it open"), "{err}");
    let exported = dir.path().join("out.ron");
    assert!(reopened.export_deck(&id, &exported).is_err());
    assert!(!exported.exists());
    // Every export format alike (a CSV reads the fields one by one, not through a whole
    // deck).
    for format in [
        ExportFormat::Csv,
        ExportFormat::AnkiText,
        ExportFormat::Kartu,
    ] {
        let out = dir.path().join("out.export");
        let job = ExportJob::new(&reopened, &id, format, false).unwrap();
        let err = job.run(&out).unwrap_err().to_string();
        assert!(err.contains("changed while Kartu had it open"), "{err}");
        assert!(!out.exists());
    }
}
