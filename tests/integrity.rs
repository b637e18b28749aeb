//! Progress integrity under what a learner's machine does to files: restores on a later day,
//! clocks that jump, files a disk or a sync tool damages, output that cannot be written.
//! Each test failed before the fix it guards.

// Test helpers may unwrap, like the tests themselves (clippy only exempts `#[test]` functions).
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const DECK: &str = "backend-developer-en";

fn kartu(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kartu"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("KARTU_DATA_DIR")
        .output()
        .unwrap()
}

fn ok(output: &Output) -> String {
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json(output: &Output) -> Value {
    serde_json::from_str(&ok(output)).unwrap()
}

fn answer(dir: &Path, card: &str, now: &str) -> Output {
    kartu(
        dir,
        &[
            "answer", "--deck", DECK, "--card", card, "--rating", "easy", "--now", now,
        ],
    )
}

/// Cards of the English deck, in deck order.
const CARDS: [&str; 6] = [
    "what-is-backend-developer",
    "backend-behind-the-scenes",
    "backend-brain-of-app",
    "backend-pillar-of-software",
    "house-analogy-overview",
    "house-analogy-structure",
];

fn studied(dir: &Path, now: &str) -> u64 {
    let decks = json(&kartu(dir, &["decks", "--json", "--now", now]));
    let en = decks
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == DECK)
        .unwrap()
        .clone();
    20 - en["new"].as_u64().unwrap()
}

fn backup_ids(dir: &Path) -> Vec<String> {
    json(&kartu(dir, &["backup", "list", "--json"]))
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap().to_owned())
        .collect()
}

fn files_named(dir: &Path, prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(prefix))
        .collect();
    names.sort();
    names
}

/// Three answers 40 minutes apart on 2026-11-25: three backups.
fn three_backups() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (card, now) in [
        (CARDS[0], "2026-11-25T09:00:00Z"),
        (CARDS[1], "2026-11-25T09:40:00Z"),
        (CARDS[2], "2026-11-25T10:20:00Z"),
    ] {
        ok(&answer(dir.path(), card, now));
    }
    assert_eq!(backup_ids(dir.path()).len(), 3);
    dir
}

#[test]
fn restoring_a_backup_a_month_later_restores_it_and_keeps_it() {
    let dir = three_backups();
    // A month later the backup of the current state prunes the 25th down to one backup a
    // day: the one being restored must survive that, and be what is restored.
    let out = ok(&kartu(
        dir.path(),
        &[
            "backup",
            "restore",
            "20261125-090000",
            "--now",
            "2026-12-30T12:00:00Z",
        ],
    ));
    assert!(out.contains("Restored backup 20261125-090000"), "{out}");
    assert_eq!(studied(dir.path(), "2026-11-25T10:30:00Z"), 1);
    let ids = backup_ids(dir.path());
    assert!(ids.contains(&"20261125-090000".to_owned()), "{ids:?}");
    assert!(ids.contains(&"20261230-120000".to_owned()), "{ids:?}");
}

#[test]
fn a_missing_or_unreadable_backup_is_an_error_that_changes_nothing() {
    let dir = three_backups();
    let before = fs::read(dir.path().join("progress.journal")).unwrap();
    let missing = kartu(
        dir.path(),
        &[
            "backup",
            "restore",
            "20261125-080000",
            "--now",
            "2026-11-26T12:00:00Z",
        ],
    );
    assert!(!missing.status.success());
    assert!(
        stderr(&missing).contains("no backup with id"),
        "{missing:?}"
    );
    // A backup damaged on disk: refused before anything is written, the current progress
    // is not even backed up.
    let damaged = dir.path().join("backups/backup-20261125-094000.ron");
    let text = fs::read_to_string(&damaged).unwrap();
    fs::write(&damaged, text.replace("cards: {", "cards: oops {")).unwrap();
    let refused = kartu(
        dir.path(),
        &[
            "backup",
            "restore",
            "20261125-094000",
            "--now",
            "2026-11-26T12:00:00Z",
        ],
    );
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("backup-20261125-094000.ron:"),
        "{refused:?}"
    );
    assert_eq!(
        backup_ids(dir.path()).len(),
        3,
        "no backup of the current state"
    );
    assert_eq!(
        fs::read(dir.path().join("progress.journal")).unwrap(),
        before
    );
    assert_eq!(studied(dir.path(), "2026-11-25T10:30:00Z"), 3);
    assert!(files_named(dir.path(), "reviews-").len() <= 1);
}

#[test]
fn one_answer_from_the_future_does_not_stop_backups() {
    let dir = tempfile::tempdir().unwrap();
    ok(&answer(dir.path(), CARDS[0], "2026-12-25T09:00:00Z"));
    // Back to the real date: study goes on, and so do backups, saying why once.
    let first = answer(dir.path(), CARDS[1], "2026-11-25T09:00:00Z");
    ok(&first);
    assert!(
        stderr(&first).contains("dated after the current time"),
        "{first:?}"
    );
    let second = answer(dir.path(), CARDS[2], "2026-11-25T09:40:00Z");
    ok(&second);
    assert!(
        !stderr(&second).contains("dated after"),
        "said once: {second:?}"
    );
    let ids = backup_ids(dir.path());
    assert!(ids.contains(&"20261125-090000".to_owned()), "{ids:?}");
    assert!(ids.contains(&"20261125-094000".to_owned()), "{ids:?}");
    // And not on every answer: 10 minutes later, none.
    ok(&answer(dir.path(), CARDS[3], "2026-11-25T09:50:00Z"));
    assert_eq!(backup_ids(dir.path()).len(), 3);
}

/// A data directory with `n` answers in the journal (no snapshot yet).
fn answered(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (i, card) in CARDS.iter().take(n).enumerate() {
        ok(&answer(
            dir.path(),
            card,
            &format!("2026-11-25T09:0{i}:00Z"),
        ));
    }
    dir
}

#[test]
fn a_damaged_journal_end_is_reported_kept_and_counted() {
    let dir = answered(4);
    let journal = dir.path().join("progress.journal");
    let text = fs::read_to_string(&journal).unwrap();
    // The last two records damaged, each still a whole line.
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let n = lines.len();
    lines[n - 2] = lines[n - 2].replace("rating: easy", "rating: meh");
    lines[n - 1] = lines[n - 1].replace("(seq:", "[seq:");
    let damaged = lines.join("\n") + "\n";
    fs::write(&journal, &damaged).unwrap();

    // A reader says so, and how much.
    let decks = kartu(dir.path(), &["decks", "--now", "2026-11-25T10:00:00Z"]);
    ok(&decks);
    assert!(
        stderr(&decks).contains("2 answers cannot be read"),
        "{decks:?}"
    );
    assert!(stderr(&decks).contains("progress.journal:4:"), "{decks:?}");
    assert_eq!(studied(dir.path(), "2026-11-25T10:00:00Z"), 2);
    assert_eq!(
        fs::read_to_string(&journal).unwrap(),
        damaged,
        "a reader writes nothing"
    );

    // The writer keeps a copy before cutting the damage off.
    let next = answer(dir.path(), CARDS[4], "2026-11-25T09:30:00Z");
    ok(&next);
    assert!(stderr(&next).contains("2 answers lost"), "{next:?}");
    let copies = files_named(dir.path(), "progress.journal.unreadable-");
    assert_eq!(copies.len(), 1, "{copies:?}");
    assert_eq!(
        fs::read_to_string(dir.path().join(&copies[0])).unwrap(),
        damaged
    );
    assert_eq!(studied(dir.path(), "2026-11-25T10:00:00Z"), 3);
}

#[test]
fn a_journal_cut_mid_record_is_reported_to_readers_too() {
    let dir = answered(3);
    let journal = dir.path().join("progress.journal");
    let bytes = fs::read(&journal).unwrap();
    fs::write(&journal, &bytes[..bytes.len() - 40]).unwrap();
    let decks = kartu(dir.path(), &["decks", "--now", "2026-11-25T10:00:00Z"]);
    ok(&decks);
    assert!(
        stderr(&decks).contains("last line is incomplete"),
        "{decks:?}"
    );
}

#[test]
fn a_review_log_cut_short_is_found_kept_and_a_backup_restores() {
    let dir = tempfile::tempdir().unwrap();
    for (i, card) in CARDS.iter().take(4).enumerate() {
        let now = format!("2026-11-25T09:{:02}:00Z", i * 40 % 60);
        let out = kartu(
            dir.path(),
            &[
                "--snapshot-every",
                "2",
                "answer",
                "--deck",
                DECK,
                "--card",
                card,
                "--rating",
                "good",
                "--now",
                &now,
            ],
        );
        ok(&out);
    }
    let log = dir.path().join("reviews-1.ron");
    let text = fs::read_to_string(&log).unwrap();
    let cut = text.lines().take(2).collect::<Vec<_>>().join("\n") + "\n";
    fs::write(&log, &cut).unwrap();

    let decks = kartu(dir.path(), &["decks"]);
    assert!(!decks.status.success());
    assert!(stderr(&decks).contains("reviews-1.ron"), "{decks:?}");
    assert!(stderr(&decks).contains("shorter than"), "{decks:?}");
    // Answering refuses too, and nothing is written over the evidence.
    let refused = answer(dir.path(), CARDS[5], "2026-11-25T11:00:00Z");
    assert!(!refused.status.success());
    assert_eq!(fs::read_to_string(&log).unwrap(), cut);

    let id = backup_ids(dir.path())[0].clone();
    let out = ok(&kartu(
        dir.path(),
        &["backup", "restore", &id, "--now", "2026-11-25T12:00:00Z"],
    ));
    assert!(out.contains("Restored backup"), "{out}");
    // The files that did not fit together are kept.
    assert_eq!(
        files_named(dir.path(), "reviews-1.ron.inconsistent-").len(),
        1
    );
    assert_eq!(
        files_named(dir.path(), "progress.ron.inconsistent-").len(),
        1
    );
    ok(&kartu(dir.path(), &["decks"]));
    ok(&answer(dir.path(), CARDS[5], "2026-11-25T12:30:00Z"));
}

#[test]
fn a_snapshot_ahead_of_its_journal_is_refused_not_compacted_over() {
    let dir = answered(3);
    // The snapshot and journal of one state, then a snapshot from elsewhere claiming more.
    ok(&kartu(
        dir.path(),
        &[
            "--snapshot-every",
            "1",
            "answer",
            "--deck",
            DECK,
            "--card",
            CARDS[3],
            "--rating",
            "good",
            "--now",
            "2026-11-25T09:10:00Z",
        ],
    ));
    for (i, card) in CARDS[4..].iter().enumerate() {
        ok(&answer(
            dir.path(),
            card,
            &format!("2026-11-25T09:2{i}:00Z"),
        ));
    }
    let snapshot = dir.path().join("progress.ron");
    let text = fs::read_to_string(&snapshot).unwrap();
    assert!(text.contains("    seq: 4,\n"), "{text}");
    fs::write(&snapshot, text.replace("    seq: 4,\n", "    seq: 9,\n")).unwrap();
    let journal_before = fs::read(dir.path().join("progress.journal")).unwrap();

    let decks = kartu(dir.path(), &["decks"]);
    assert!(!decks.status.success());
    assert!(
        stderr(&decks).contains("do not belong together"),
        "{decks:?}"
    );
    let refused = kartu(
        dir.path(),
        &[
            "--snapshot-every",
            "1",
            "answer",
            "--deck",
            DECK,
            "--card",
            "duty-security",
            "--rating",
            "good",
            "--now",
            "2026-11-25T09:40:00Z",
        ],
    );
    assert!(!refused.status.success(), "{refused:?}");
    assert_eq!(
        fs::read(dir.path().join("progress.journal")).unwrap(),
        journal_before,
        "the journal's answers are not compacted away"
    );
}

#[test]
fn a_journal_gap_names_its_line_and_restore_sets_the_journal_aside() {
    let dir = answered(4);
    ok(&kartu(dir.path(), &["backup", "list"]));
    let journal = dir.path().join("progress.journal");
    let text = fs::read_to_string(&journal).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != 2)
        .map(|(_, l)| l)
        .collect();
    fs::write(&journal, kept.join("\n") + "\n").unwrap();
    let decks = kartu(dir.path(), &["decks"]);
    assert!(!decks.status.success());
    assert!(stderr(&decks).contains("progress.journal:3:"), "{decks:?}");

    let id = backup_ids(dir.path())[0].clone();
    let out = ok(&kartu(
        dir.path(),
        &["backup", "restore", &id, "--now", "2026-11-25T12:00:00Z"],
    ));
    assert!(out.contains("Unreadable progress moved to"), "{out}");
    assert_eq!(
        files_named(dir.path(), "progress.journal.unreadable-").len(),
        1
    );
    assert_eq!(studied(dir.path(), "2026-11-25T12:00:00Z"), 1);
}

#[test]
fn a_repeated_review_log_line_counts_once_and_a_conflicting_one_is_damage() {
    let dir = tempfile::tempdir().unwrap();
    for (i, card) in CARDS.iter().take(3).enumerate() {
        ok(&kartu(
            dir.path(),
            &[
                "--snapshot-every",
                "1",
                "answer",
                "--deck",
                DECK,
                "--card",
                card,
                "--rating",
                "good",
                "--now",
                &format!("2026-11-25T{:02}:00:00Z", 8 + i),
            ],
        ));
    }
    let log = dir.path().join("reviews-1.ron");
    let text = fs::read_to_string(&log).unwrap();
    let second = text.lines().nth(2).unwrap().to_owned();
    // A sync tool repeats a line: the same review, counted once.
    fs::write(&log, format!("{text}{second}\n")).unwrap();
    ok(&kartu(
        dir.path(),
        &[
            "backup",
            "restore",
            &backup_ids(dir.path())[0],
            "--now",
            "2026-11-25T12:00:00Z",
        ],
    ));
    let list = json(&kartu(dir.path(), &["backup", "list", "--json"]));
    assert_eq!(list[0]["reviews"], 3, "{list}");

    // A different review under a number already used is damage, named by line.
    let dir = tempfile::tempdir().unwrap();
    for (i, card) in CARDS.iter().take(3).enumerate() {
        ok(&kartu(
            dir.path(),
            &[
                "--snapshot-every",
                "1",
                "answer",
                "--deck",
                DECK,
                "--card",
                card,
                "--rating",
                "good",
                "--now",
                &format!("2026-11-25T{:02}:00:00Z", 8 + i),
            ],
        ));
    }
    let log = dir.path().join("reviews-1.ron");
    let text = fs::read_to_string(&log).unwrap();
    let second = text
        .lines()
        .nth(2)
        .unwrap()
        .replace("rating: good", "rating: hard");
    fs::write(&log, format!("{text}{second}\n")).unwrap();
    let decks = kartu(dir.path(), &["decks"]);
    assert!(!decks.status.success(), "{decks:?}");
    assert!(stderr(&decks).contains("reviews-1.ron:5:"), "{decks:?}");
    assert!(stderr(&decks).contains("appears twice"), "{decks:?}");
}

#[cfg(unix)]
#[test]
fn an_answer_that_cannot_be_printed_is_still_saved_and_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let full = fs::OpenOptions::new().write(true).open("/dev/full");
    let Ok(full) = full else {
        return;
    };
    let output = Command::new(env!("CARGO_BIN_EXE_kartu"))
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "answer",
            "--deck",
            DECK,
            "--card",
            CARDS[0],
            "--rating",
            "good",
            "--now",
            "2026-11-25T09:00:00Z",
        ])
        .stdout(Stdio::from(full))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(
        stderr(&output).contains("answer saved; could not print it"),
        "{output:?}"
    );
    assert_eq!(studied(dir.path(), "2026-11-25T09:30:00Z"), 1);
}

#[cfg(unix)]
#[test]
fn progress_kept_behind_symbolic_links_stays_there() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let elsewhere = dir.path().join("synced");
    fs::create_dir_all(&data).unwrap();
    fs::create_dir_all(&elsewhere).unwrap();
    for name in ["progress.ron", "progress.journal"] {
        std::os::unix::fs::symlink(elsewhere.join(name), data.join(name)).unwrap();
    }
    // The links point at files not there yet: the first answer creates the journal through
    // its link; then snapshots replace the targets, never the links.
    fs::write(elsewhere.join("progress.ron"), "").unwrap();
    fs::remove_file(elsewhere.join("progress.ron")).unwrap();
    fs::write(elsewhere.join("progress.journal"), "").unwrap();
    fs::write(elsewhere.join("progress.ron"), "#![enable(implicit_some)]\n(\n    format: 3,\n    seq: 0,\n    cards: {\n    },\n    reviews: [\n    ],\n)\n").unwrap();
    for (i, card) in CARDS.iter().take(3).enumerate() {
        ok(&kartu(
            &data,
            &[
                "--snapshot-every",
                "2",
                "answer",
                "--deck",
                DECK,
                "--card",
                card,
                "--rating",
                "good",
                "--now",
                &format!("2026-11-25T09:0{i}:00Z"),
            ],
        ));
    }
    for name in ["progress.ron", "progress.journal"] {
        assert!(
            fs::symlink_metadata(data.join(name))
                .unwrap()
                .file_type()
                .is_symlink(),
            "{name} is still a link"
        );
    }
    let snapshot = fs::read_to_string(elsewhere.join("progress.ron")).unwrap();
    assert!(snapshot.contains("review_log: 1"), "{snapshot}");
    assert_eq!(studied(&data, "2026-11-25T10:00:00Z"), 3);
}
