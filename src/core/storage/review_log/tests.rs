//! Review log tests: tails across chunks, damage, repeats, torn headers.

use std::fs;
use std::io::Write;

use super::*;
use crate::core::error::Error;
use crate::core::ids::{CardId, DeckId};
use crate::core::model::card::{CardState, Rating};
use crate::core::model::progress::ReviewEntry;
use crate::core::storage::review_log::common::HEADER;
use crate::core::time::Timestamp;

fn review(card: &str, at: i64) -> ReviewEntry {
    ReviewEntry {
        deck: DeckId("d".into()),
        card: CardId(card.into()),
        at: Timestamp(at),
        rating: Rating::Good,
        state_before: CardState::New,
        elapsed_secs: 0,
        duration_ms: 900,
        interval_secs: 60,
    }
}

#[test]
fn tail_reads_back_to_since_with_undos_resolved_and_torn_line_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reviews-1.ron");
    let mut entries: Vec<LogEntry> = (0..5_000)
        .map(|i| LogEntry::Review(i + 1, review(&format!("c{i}"), 1_000 + i as i64)))
        .collect();
    // The last review is taken back.
    entries.push(LogEntry::Undo(5_001));
    append(&path, &entries).unwrap();
    fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap()
        .write_all(b"Review(5002, (deck: \"d\"")
        .unwrap();
    let tail = read_tail(&path, 1_000).unwrap();
    assert_eq!(tail.last_seq, 5_001);
    let cards: Vec<&str> = tail.reviews.iter().map(|r| r.card.0.as_str()).collect();
    // From the first review over 1000 s before the newest one not taken back (c4998, at
    // 5998): c3997 at 4997.
    assert_eq!(cards.first(), Some(&"c3997"));
    assert_eq!(cards.last(), Some(&"c4998"));
    assert_eq!(cards.len(), 1_002);
    // Appending cuts the torn line off first.
    append(&path, &[LogEntry::Review(5_002, review("x", 9_999))]).unwrap();
    let tail = read_tail(&path, 0).unwrap();
    assert_eq!(tail.last_seq, 5_002);
    let mut all = Vec::new();
    let stream = ReviewStream::prepare(Vec::new(), Some(&path), &[]).unwrap();
    assert_eq!(stream.len(), 5_000);
    stream
        .for_each(&mut |r| {
            all.push(r.card.0.clone());
            Ok(())
        })
        .unwrap();
    assert_eq!(all.len(), 5_000);
    assert_eq!(all.last().map(String::as_str), Some("x"));
    assert!(!all.contains(&"c4999".to_owned()));
}

#[test]
fn bad_line_is_reported_with_its_line_number_and_newer_format_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reviews-1.ron");
    append(&path, &[LogEntry::Review(1, review("a", 1))]).unwrap();
    let mut text = fs::read_to_string(&path).unwrap();
    text.push_str("Review(2, oops)\nUndo(3)\n");
    fs::write(&path, &text).unwrap();
    let err = read_tail(&path, 0).unwrap_err();
    assert!(
        matches!(&err, Error::Parse { position: Some(p), .. } if p.line == 3),
        "{err}"
    );
    fs::write(&path, format!("{HEADER}9\n")).unwrap();
    assert!(matches!(
        read_tail(&path, 0),
        Err(Error::NewerFormat { found: 9, .. })
    ));
}

#[test]
fn a_log_without_line_breaks_is_refused_without_reading_it_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reviews-1.ron");
    fs::write(&path, vec![b'x'; 3 * 1024 * 1024]).unwrap();
    let err = read_tail(&path, 0).unwrap_err().to_string();
    assert!(err.contains("a line longer than"), "{err}");
}

#[test]
fn streaming_stops_at_damage_with_an_error_never_silently() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reviews-1.ron");
    append(
        &path,
        &[
            LogEntry::Review(1, review("a", 1)),
            LogEntry::Review(2, review("b", 2)),
        ],
    )
    .unwrap();
    let mut bytes = fs::read(&path).unwrap();
    let second = bytes.iter().rposition(|b| *b == b'(').unwrap();
    bytes[second + 3] = 0xff;
    fs::write(&path, &bytes).unwrap();
    let stream = ReviewStream::prepare(Vec::new(), Some(&path), &[]);
    let err = stream.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("not UTF-8"), "{err}");
}

#[test]
fn a_repeated_line_counts_once_anywhere_and_a_conflicting_one_is_damage() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reviews-1.ron");
    let entries: Vec<LogEntry> = (1..=4)
        .map(|i| LogEntry::Review(i, review(&format!("c{i}"), i as i64)))
        .collect();
    append(&path, &entries).unwrap();
    let clean = fs::read_to_string(&path).unwrap();
    // Line 3 (seq 2) repeated after the last line, as a sync tool might.
    let repeated = clean.lines().nth(2).unwrap().to_owned();
    fs::write(&path, format!("{clean}{repeated}\n")).unwrap();
    let tail = read_tail(&path, 1_000).unwrap();
    assert_eq!(tail.reviews.len(), 4);
    assert_eq!(tail.last_seq, 4);
    let stream = ReviewStream::prepare(Vec::new(), Some(&path), &[]).unwrap();
    assert_eq!(stream.len(), 4);
    // The same number with a different review.
    let conflict = repeated.replace("rating: good", "rating: easy");
    fs::write(&path, format!("{clean}{conflict}\n")).unwrap();
    for err in [
        read_tail(&path, 1_000).unwrap_err(),
        ReviewStream::prepare(Vec::new(), Some(&path), &[])
            .err()
            .unwrap(),
    ] {
        assert!(
            matches!(&err, Error::Parse { position: Some(p), .. } if p.line == 6),
            "{err}"
        );
        assert!(err.to_string().contains("appears twice"), "{err}");
    }
    // A number out of order that repeats nothing.
    let stray = LogEntry::Review(3, review("other", 9)).to_line().unwrap();
    let mut lines: Vec<&str> = clean.lines().collect();
    lines.insert(2, stray.trim_end());
    fs::write(&path, lines.join("\n") + "\n").unwrap();
    let err = read_tail(&path, 1_000).unwrap_err().to_string();
    assert!(
        err.contains("out of order") || err.contains("appears twice"),
        "{err}"
    );
}

#[test]
fn a_torn_header_is_an_empty_log_and_the_next_append_repairs_it() {
    // Found by the review_log fuzz target: the first append cut short inside its header.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reviews-1.ron");
    fs::write(&path, HEADER).unwrap();
    let tail = read_tail(&path, TAIL_WINDOW_SECS).unwrap();
    assert_eq!((tail.intact_len, tail.reviews.len()), (0, 0));
    append(&path, &[LogEntry::Review(1, review("a", 1))]).unwrap();
    let text = fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches(HEADER).count(), 1, "{text}");
    assert_eq!(read_tail(&path, TAIL_WINDOW_SECS).unwrap().reviews.len(), 1);
}

#[test]
fn a_damaged_header_is_damage_not_a_newer_format() {
    // Found by the review_log fuzz target: a header line longer than the first read.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reviews-1.ron");
    fs::write(&path, format!("{HEADER}{}\n", "x".repeat(400))).unwrap();
    assert!(matches!(read_tail(&path, 0), Err(Error::Parse { .. })));
    assert!(matches!(
        ReviewStream::prepare(Vec::new(), Some(&path), &[]),
        Err(Error::Parse { .. })
    ));
}
