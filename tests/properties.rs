//! Property tests: the file formats round-trip, the parsers never panic, and a journal replays
//! to the state the answers produced.

// Test helpers may unwrap, like the tests themselves (clippy only exempts `#[test]` functions).
#![allow(clippy::unwrap_used)]

use std::path::Path;

use jiff::tz::TimeZone;
use kartu::core::collection::{Access, Collection};
use kartu::core::error::ron_options;
use kartu::core::ids::{CardId, DeckId};
use kartu::core::model::card::{CardProgress, CardState, Rating};
use kartu::core::model::card_states::CardStates;
use kartu::core::model::deck::{Deck, Note, NoteKind};
use kartu::core::model::progress::Change;
use kartu::core::model::progress::{Progress, ReviewEntry};
use kartu::core::storage::backup::BackupJob;
use kartu::core::storage::format::deck_file::{
    load_packed_deck_file, parse_deck, parse_packed_deck,
};
use kartu::core::storage::journal::Record;
use kartu::core::storage::paths::DataPaths;
use kartu::core::storage::review_log::{self, LogEntry};
use kartu::core::storage::{journal, replay};
use kartu::core::time::DayClock;
use kartu::core::time::Timestamp;
use proptest::prelude::*;

fn id() -> impl Strategy<Value = String> {
    "[a-z0-9][a-z0-9._-]{0,20}"
}

/// Text with the characters that stress the writer: quotes, hashes, backslashes, new lines.
fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 \"'#\\\\\n\t{}()\\[\\],:éü漢]{0,40}"
        .prop_filter("needs a visible character", |t| !t.trim().is_empty())
}

fn deck() -> impl Strategy<Value = Deck> {
    // Every kind of note; cloze text gets a deletion so the note is valid.
    let note = (
        id(),
        0usize..4,
        text(),
        text(),
        any::<bool>(),
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::collection::vec(id(), 0..3),
    )
        .prop_map(
            |(id, kind, first, second, add_reverse, notes, example, tags)| {
                let kind = NoteKind::ALL[kind];
                let base = match kind {
                    NoteKind::Cloze => {
                        Note::cloze(&id, &format!("{first} {{{{c1::{second}}}}}"), &second)
                    }
                    _ => Note::basic(&id, &first, &second),
                };
                Note {
                    kind,
                    add_reverse: add_reverse && kind == NoteKind::OptionalReversed,
                    notes,
                    example,
                    tags,
                    ..base
                }
            },
        );
    (
        id(),
        text(),
        "[a-zA-Z '\"]{0,30}",
        any::<u32>(),
        proptest::option::of(id()),
        proptest::collection::vec(note, 0..8),
    )
        .prop_map(|(id, title, description, version, parent, notes)| {
            // Note ids must be unique: keep the first of each.
            let mut seen = std::collections::HashSet::new();
            let notes: Vec<Note> = notes
                .into_iter()
                .filter(|n| seen.insert(n.id.clone()))
                .collect();
            // Format 1 when it can hold the deck, so both formats are exercised.
            let plain = parent.is_none() && notes.iter().all(|n| n.kind == NoteKind::Basic);
            let parent = parent.filter(|p| p != &id).map(DeckId);
            Deck {
                format: if plain { 1 } else { 2 },
                id: DeckId(id),
                title,
                description,
                language: "en".into(),
                version,
                parent,
                notes,
            }
        })
}

fn state() -> impl Strategy<Value = CardState> {
    prop_oneof![
        Just(CardState::New),
        Just(CardState::Learning),
        Just(CardState::Review),
        Just(CardState::Relearning)
    ]
}

fn rating() -> impl Strategy<Value = Rating> {
    prop_oneof![
        Just(Rating::Again),
        Just(Rating::Hard),
        Just(Rating::Good),
        Just(Rating::Easy)
    ]
}

fn card_progress() -> impl Strategy<Value = CardProgress> {
    (
        state(),
        0u32..5,
        any::<i64>(),
        any::<u64>(),
        0.0f32..40_000.0,
        1.0f32..10.0,
        any::<u32>(),
        any::<u32>(),
        proptest::option::of(any::<i64>()),
        (any::<bool>(), proptest::option::of(any::<i64>())),
    )
        .prop_map(
            |(
                state,
                remaining_steps,
                due,
                interval_secs,
                stability,
                difficulty,
                reps,
                lapses,
                last,
                (suspended, buried),
            )| CardProgress {
                state,
                remaining_steps,
                due: Timestamp(due),
                interval_secs,
                stability,
                difficulty,
                reps,
                lapses,
                last_review: last.map(Timestamp),
                suspended,
                buried_until: buried.map(Timestamp),
            },
        )
}

/// Ids as Kartu writes them, or any text (which the fast path leaves to `ron`).
fn key() -> impl Strategy<Value = String> {
    prop_oneof![4 => id(), 1 => text()]
}

fn review() -> impl Strategy<Value = ReviewEntry> {
    (
        key(),
        key(),
        any::<i64>(),
        rating(),
        state(),
        any::<i64>(),
        any::<u32>(),
        any::<u64>(),
    )
        .prop_map(
            |(deck, card, at, rating, state_before, elapsed_secs, duration_ms, interval_secs)| {
                ReviewEntry {
                    deck: DeckId(deck),
                    card: CardId(card),
                    at: Timestamp(at),
                    rating,
                    state_before,
                    elapsed_secs,
                    duration_ms,
                    interval_secs,
                }
            },
        )
}

fn progress() -> impl Strategy<Value = Progress> {
    let cards = proptest::collection::btree_map(
        key(),
        proptest::collection::btree_map(key(), card_progress(), 1..4),
        0..4,
    );
    (
        any::<u64>(),
        cards,
        proptest::collection::vec(review(), 0..10),
    )
        .prop_map(|(seq, cards, reviews)| Progress {
            seq,
            cards: cards
                .into_iter()
                .map(|(deck, cards)| {
                    (
                        DeckId(deck),
                        cards
                            .into_iter()
                            .map(|(card, p)| (CardId(card), p))
                            .collect::<CardStates>(),
                    )
                })
                .collect(),
            reviews,
            ..Progress::default()
        })
}

/// A small edit of the kind a person (or a damaged disk) makes: something inserted, a
/// character deleted, a line doubled or two lines swapped.
fn edit(text: &str, at: usize, kind: usize) -> String {
    const INSERTS: [&str; 12] = [
        " ", "\n", "\"", "\\", "#", "r#\"", ",", "0", "-", "//x\n", "(", "None",
    ];
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let (before, after) = text.split_at(at);
    match kind {
        0..12 => format!("{before}{}{after}", INSERTS[kind]),
        12 => {
            let mut rest = after.chars();
            rest.next();
            format!("{before}{}", rest.as_str())
        }
        _ => {
            let mut lines: Vec<&str> = text.split('\n').collect();
            let line = text[..at].matches('\n').count();
            if kind == 13 {
                lines.insert(line, lines[line]);
            } else if line + 1 < lines.len() {
                lines.swap(line, line + 1);
            }
            lines.join("\n")
        }
    }
}

proptest! {
    /// Whatever the fast path for deck files accepts, `ron` reads the same way; whatever it
    /// refuses goes to `ron`, so both give the same result for any text.
    #[test]
    fn the_deck_fast_path_reads_exactly_like_ron(deck in deck(), at in any::<usize>(), kind in 0usize..15) {
        for text in [deck.to_ron().unwrap(), edit(&deck.to_ron().unwrap(), at, kind)] {
            let fast = parse_packed_deck(&text, Path::new("d.ron")).and_then(|d| d.to_deck());
            let slow = parse_deck(&text, Path::new("d.ron"));
            // Read from a file, the text is left there and read back when asked for.
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("d.ron");
            std::fs::write(&file, &text).unwrap();
            let cold = load_packed_deck_file(&file).and_then(|d| d.to_deck());
            match (&fast, &slow, &cold) {
                (Ok(a), Ok(b), Ok(c)) => {
                    prop_assert_eq!(a, b);
                    prop_assert_eq!(c, b);
                }
                (Err(_), Err(_), Err(_)) => {}
                _ => prop_assert!(false, "fast {fast:?}, cold {cold:?} but ron {slow:?} for\n{text}"),
            }
        }
    }

    /// The same for progress files and review log lines.
    #[test]
    fn the_progress_fast_paths_read_exactly_like_ron(
        progress in progress(),
        review in review(),
        at in any::<usize>(),
        kind in 0usize..15,
    ) {
        for text in [progress.to_ron().unwrap(), edit(&progress.to_ron().unwrap(), at, kind)] {
            let fast = Progress::parse(&text, Path::new("p.ron"));
            let slow = Progress::parse_ron(&text, Path::new("p.ron"));
            match (&fast, &slow) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
                (Err(_), Err(_)) => {}
                _ => prop_assert!(false, "fast {fast:?} but ron {slow:?} for\n{text}"),
            }
        }
        let entry = if kind == 14 { LogEntry::Undo(at as u64) } else { LogEntry::Review(at as u64, review) };
        let line = entry.to_line().unwrap().trim_end().to_owned();
        prop_assert_eq!(review_log::parse_line(&line).ok(), Some(entry));
        for text in [line.clone(), edit(&line, at, kind)] {
            let fast = review_log::parse_line(&text).ok();
            let slow = ron_options().from_str::<LogEntry>(&text).ok();
            prop_assert_eq!(fast, slow, "{}", text);
        }
    }

    /// The same for journal records (the fast path is behind `parse_records`).
    #[test]
    fn the_journal_fast_path_reads_exactly_like_ron(
        review in review(),
        state in card_progress(),
        at in any::<usize>(),
        kind in 0usize..15,
    ) {
        let change = match kind % 3 {
            0 => Change::Answer { review: review.clone(), after: state },
            1 => Change::Undo { deck: review.deck.clone(), card: review.card.clone(), before: Some(state) },
            _ => Change::Undo { deck: review.deck.clone(), card: review.card.clone(), before: None },
        };
        let record = Record { seq: at as u64, change };
        let line = ron_compact(&record);
        let read = journal::parse_records(format!("{line}\n").as_bytes(), Path::new("j")).unwrap();
        prop_assert_eq!(read.records.first().map(|r| &r.record), Some(&record));
        // Journal records are lines: an edit that breaks the line in two is not one record.
        for text in [line.clone(), edit(&line, at, kind)].into_iter().filter(|t| !t.contains('\n')) {
            let fast = journal::parse_records(format!("{text}\n").as_bytes(), Path::new("j"))
                .ok()
                .and_then(|parsed| parsed.records.into_iter().next().map(|r| r.record));
            let slow = ron_options().from_str::<Record>(&text).ok();
            prop_assert_eq!(fast, slow, "{}", text);
        }
    }

    #[test]
    fn decks_round_trip_byte_stable(deck in deck()) {
        let text = deck.to_ron().unwrap();
        let parsed = parse_deck(&text, Path::new("d.ron")).unwrap();
        prop_assert_eq!(&parsed, &deck);
        prop_assert_eq!(parsed.to_ron().unwrap(), text);
    }

    #[test]
    fn progress_round_trips_byte_stable(progress in progress()) {
        let text = progress.to_ron().unwrap();
        let parsed = Progress::parse(&text, Path::new("p.ron")).unwrap();
        prop_assert_eq!(&parsed, &progress);
        prop_assert_eq!(parsed.to_ron().unwrap(), text);
    }

    #[test]
    fn parsers_never_panic(input in "\\PC{0,200}", deck in deck()) {
        let _ = parse_deck(&input, Path::new("x"));
        let _ = Progress::parse(&input, Path::new("x"));
        let _ = journal::parse_records(input.as_bytes(), Path::new("x"));
        // Damaged versions of valid files: every prefix, and one byte changed.
        let text = deck.to_ron().unwrap();
        for end in (0..text.len()).step_by(7).filter(|&i| text.is_char_boundary(i)) {
            let _ = parse_deck(&text[..end], Path::new("x"));
        }
        let mut bytes = text.into_bytes();
        if !bytes.is_empty() {
            let at = input.len() % bytes.len();
            bytes[at] = bytes[at].wrapping_add(1);
            if let Ok(changed) = String::from_utf8(bytes) {
                let _ = parse_deck(&changed, Path::new("x"));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Answers and undos applied to a collection, with snapshots at random points and time
    /// jumping days ahead now and then: reloading (snapshot, review log tail and journal
    /// replay) gives exactly the card states in memory and the reviews of the last two days,
    /// and a backup streamed from the files holds every review not taken back.
    #[test]
    fn journals_replay_to_the_state_the_answers_made(
        steps in proptest::collection::vec((rating(), any::<bool>(), any::<bool>(), 0u8..8), 1..40),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let paths = DataPaths::new(dir.path());
        let mut collection = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadWrite).unwrap();
        let deck = DeckId("backend-developer-en".into());
        let mut now = Timestamp::parse_rfc3339("2026-11-25T09:00:00Z").unwrap();
        let mut undo = Vec::new();
        let mut last_answer = now;
        for (rating, take_back, snapshot, jump) in steps {
            now = now.add_secs(if jump == 0 { 3 * 86_400 } else { 3_600 });
            if take_back && let Some(record) = undo.pop() {
                collection.undo(&record).unwrap();
            } else if let Some(card) = collection.next_card(&deck, now).unwrap() {
                undo.push(collection.answer(&deck, &card, rating, now, 10).unwrap());
                last_answer = now;
            }
            if snapshot && let Some(job) = collection.snapshot_job(true) {
                let seq = job.run().unwrap();
                collection.finish_snapshot(seq).unwrap();
            }
        }
        let (replayed, _, report) = replay::load(&paths).unwrap();
        prop_assert!(!report.dropped_torn_line);
        let in_memory = collection.progress();
        prop_assert_eq!(&replayed.cards, &in_memory.cards);
        prop_assert_eq!(replayed.seq, in_memory.seq);
        // All of this session's reviews are in memory; reloading keeps the recent ones.
        let all = &in_memory.reviews;
        prop_assert!(all.ends_with(&replayed.reviews), "{:?} vs {:?}", replayed.reviews, all);
        // Every review of the two days before the last answer (taken back or not: the log's
        // newest line may be one), which covers "today" for the daily limits.
        let window_start = last_answer.add_secs(-review_log::TAIL_WINDOW_SECS);
        let recent = all.iter().filter(|r| r.at >= window_start).count();
        prop_assert!(replayed.reviews.len() >= recent);
        let backup = BackupJob::new(&paths, now, DayClock::utc(4)).run().unwrap();
        prop_assert_eq!(backup.reviews, all.len());
        let restored = Progress::load(&backup.path).unwrap();
        prop_assert_eq!(&restored.reviews, all);
        prop_assert_eq!(&restored.cards, &in_memory.cards);
    }
}

/// A record as the journal writes it: compact RON on one line.
fn ron_compact(record: &Record) -> String {
    let config = ron::ser::PrettyConfig::new()
        .compact_structs(true)
        .compact_maps(true)
        .compact_arrays(true);
    ron_options().to_string_pretty(record, config).unwrap()
}
