//! The fast readers stay honest: every file Kartu writes (deck, snapshot, whole document,
//! review log, journal), made here by Kartu's own writers with every field filled in, is read
//! by the fast path, never by the `ron` fallback. Adding a field to a card state, a review or
//! a deck without teaching the fast reader fails here, instead of silently making every
//! start 15 times slower.

use std::fs;
use std::io::BufReader;

use jiff::tz::TimeZone;

use super::{Access, Collection};
use crate::core::ids::{CardId, DeckId};
use crate::core::model::card::Rating;
use crate::core::model::deck::{DECK_FORMAT_VERSION, Deck, Note, NoteKind};
use crate::core::storage::backup::BackupJob;
use crate::core::storage::format::deck_file::{self, fast};
use crate::core::storage::format::snapshot::read_fast;
use crate::core::storage::journal::parse_record_fast;
use crate::core::storage::paths::DataPaths;
use crate::core::storage::review_log::parse_line_fast;
use crate::core::time::{DAY_SECS, DayClock, Timestamp};

/// A deck using every field, and the text shapes the writer has (quotes, line breaks).
fn full_deck() -> Deck {
    Deck {
        format: DECK_FORMAT_VERSION,
        id: DeckId("full".into()),
        title: "Full \"quoted\" title".into(),
        description: "Two\nlines".into(),
        language: "en".into(),
        version: 2,
        parent: Some(DeckId("elsewhere".into())),
        notes: (0..4)
            .map(|i| Note {
                notes: (i % 2 == 0).then(|| format!("note {i}")),
                example: (i % 3 == 0).then(|| "an example".to_owned()),
                tags: if i == 1 {
                    vec![]
                } else {
                    vec!["a".into(), format!("t{i}")]
                },
                // Whole seconds and milliseconds print differently.
                added: (i != 2).then(|| {
                    jiff::Timestamp::from_millisecond(1_795_601_193_915 + i64::from(i) * 85)
                        .unwrap()
                }),
                ..Note::basic(
                    &format!("c{i}"),
                    &format!("What is \"{i}\"?"),
                    &format!("It's {i},\nover two lines"),
                )
            })
            .chain([
                Note {
                    kind: NoteKind::Reversed,
                    ..Note::basic("r", "front", "back")
                },
                Note {
                    kind: NoteKind::OptionalReversed,
                    add_reverse: true,
                    ..Note::basic("o", "front", "back")
                },
                Note::cloze("z", "A {{c1::cloze::hint}} and {{c2::two}}", "extra"),
                Note::cloze("z2", "No extra {{c1::here}}", ""),
            ])
            .collect(),
    }
}

fn lines_of(path: &std::path::Path) -> Vec<String> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_file_kartu_writes_is_read_by_the_fast_path() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::new(dir.path());
    paths.create_dirs().unwrap();
    let deck = full_deck();
    let source = dir.path().join("full.ron");
    deck_file::save_deck_file(&deck, &source).unwrap();
    let mut collection = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadWrite).unwrap();
    collection.import_deck_file(&source).unwrap();
    let id = deck.id.clone();
    let start = Timestamp::parse_rfc3339("2026-11-25T09:00:00Z").unwrap();
    // Learning, review and relearning states; an undo of a new card and of a studied one.
    let mut at = start;
    for (card, rating) in [
        ("c0", Rating::Easy),
        ("c1", Rating::Good),
        ("c2", Rating::Again),
        ("c3", Rating::Hard),
    ] {
        collection
            .answer(&id, &CardId(card.into()), rating, at, 1_500)
            .unwrap();
        at = at.add_secs(60);
    }
    let undo_new = collection
        .answer(&id, &CardId("c1".into()), Rating::Good, at, 0)
        .unwrap();
    collection.undo(&undo_new).unwrap();
    at = at.add_secs(10 * DAY_SECS);
    collection
        .answer(&id, &CardId("c0".into()), Rating::Again, at, 700)
        .unwrap();
    let lapse = collection
        .answer(
            &id,
            &CardId("c0".into()),
            Rating::Good,
            at.add_secs(900),
            700,
        )
        .unwrap();
    collection.undo(&lapse).unwrap();
    // Card states set directly: suspended (a state), and made new (none), two cards at once.
    let two = [
        (id.clone(), CardId("c1".into())),
        (id.clone(), CardId("c3".into())),
    ];
    collection.suspend(&two, true).unwrap();
    collection.bury(&two, at).unwrap();
    collection.forget(&two).unwrap();

    // The journal, before compaction folds it.
    let records: Vec<String> = lines_of(&paths.journal_file())
        .into_iter()
        .filter(|l| !l.starts_with("//"))
        .collect();
    assert!(records.len() >= 11, "{records:?}");
    for line in &records {
        assert!(
            parse_record_fast(line).is_some(),
            "journal line read by ron: {line}"
        );
    }

    // The snapshot and the review log compaction writes.
    let seq = collection.snapshot_job(true).unwrap().run().unwrap();
    collection.finish_snapshot(seq).unwrap();
    let snapshot = fs::File::open(paths.progress_file()).unwrap();
    let mut reviews = Vec::new();
    let read = read_fast(
        BufReader::new(snapshot),
        &paths.progress_file(),
        &mut reviews,
    )
    .unwrap();
    let text = fs::read_to_string(paths.progress_file()).unwrap();
    assert!(read.is_some(), "snapshot read by ron:\n{text}");
    assert!(
        text.contains("folded: (") && text.contains("review_log_bytes: "),
        "{text}"
    );
    let log = paths.review_log_file(1);
    for line in lines_of(&log).iter().filter(|l| !l.starts_with("//")) {
        assert!(
            parse_line_fast(line).is_some(),
            "review log line read by ron: {line}"
        );
    }

    // A backup: a whole document, every review inline.
    let backup = BackupJob::new(&paths, at.add_secs(3_600), DayClock::utc(4))
        .run()
        .unwrap();
    let document: String = lines_of(&backup.path)
        .into_iter()
        .skip(1)
        .map(|l| l + "\n")
        .collect();
    let mut inline = Vec::new();
    let read = read_fast(document.as_bytes(), &backup.path, &mut inline).unwrap();
    assert!(read.is_some(), "backup read by ron:\n{document}");
    assert_eq!(inline.len(), backup.reviews);

    // The review log a restore writes (reviews brought in whole).
    collection
        .restore_backup(&backup.id, at.add_secs(7_200))
        .unwrap();
    let restored_log = paths.review_log_file(2);
    for line in lines_of(&restored_log)
        .iter()
        .filter(|l| !l.starts_with("//"))
    {
        assert!(
            parse_line_fast(line).is_some(),
            "restored log line read by ron: {line}"
        );
    }

    // Deck files: the one installed in `decks/`, and an export.
    let exported = dir.path().join("exported.ron");
    collection.export_deck(&id, &exported).unwrap();
    for file in [paths.decks_dir().join("full.ron"), exported] {
        let reader = BufReader::new(fs::File::open(&file).unwrap());
        let packed = fast::read(reader, &file, fast::Text::Held).unwrap();
        let text = fs::read_to_string(&file).unwrap();
        assert!(packed.is_some(), "deck read by ron:\n{text}");
        assert_eq!(packed.unwrap().to_deck().unwrap(), deck);
        // Loaded from its file, its text is left there, and read back the same.
        let loaded = deck_file::load_packed_deck_file(&file).unwrap();
        assert_eq!(loaded.cold_blocks(), (1, 1));
        assert_eq!(loaded.to_deck().unwrap(), deck);
    }
}
