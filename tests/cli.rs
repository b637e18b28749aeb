//! The `kartu` binary end to end, over a temporary data directory.

// Test helpers may unwrap, like the tests themselves (clippy only exempts `#[test]` functions).
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const DECK: &str = "backend-developer-en";
const CARD: &str = "what-is-backend-developer";

fn kartu(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kartu"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("KARTU_DATA_DIR")
        .output()
        .unwrap()
}

fn json(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn answer(dir: &Path, rating: &str, now: &str) -> Value {
    json(&kartu(
        dir,
        &[
            "--no-fuzz",
            "answer",
            "--deck",
            DECK,
            "--card",
            CARD,
            "--rating",
            rating,
            "--now",
            now,
            "--json",
        ],
    ))
}

#[test]
fn decks_lists_the_bundled_decks_with_counts() {
    let dir = tempfile::tempdir().unwrap();
    let decks = json(&kartu(dir.path(), &["decks", "--json"]));
    let decks = decks.as_array().unwrap();
    assert_eq!(decks.len(), 2);
    for deck in decks {
        assert_eq!(deck["new"], 20, "default daily limit");
        assert_eq!(
            (deck["learning"].as_u64(), deck["due"].as_u64()),
            (Some(0), Some(0))
        );
        assert!(deck["cards"].as_u64().unwrap() >= 40);
    }
    assert!(
        fs::read_dir(dir.path()).unwrap().next().is_none(),
        "reading writes nothing"
    );
}

#[test]
fn answers_follow_the_public_schedule_and_survive_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let next = json(&kartu(
        dir.path(),
        &[
            "next",
            "--deck",
            DECK,
            "--now",
            "2026-11-25T09:00:00Z",
            "--json",
        ],
    ));
    assert_eq!(
        (next["card"].as_str(), next["state"].as_str()),
        (Some(CARD), Some("new"))
    );

    // Each command is a fresh process: the state comes back from the progress file.
    let mut now = "2026-11-25T09:00:00Z".to_owned();
    let mut days = Vec::new();
    for rating in ["good", "good", "good", "good"] {
        let state = answer(dir.path(), rating, &now);
        days.push(state["interval_secs"].as_u64().unwrap() / 86_400);
        now = state["due"].as_str().unwrap().to_owned();
    }
    assert_eq!(days, vec![0, 2, 11, 46]);

    let card = json(&kartu(
        dir.path(),
        &[
            "--no-fuzz",
            "card",
            "--deck",
            DECK,
            "--card",
            CARD,
            "--now",
            &now,
            "--json",
        ],
    ));
    assert_eq!(
        (card["state"].as_str(), card["reps"].as_u64()),
        (Some("review"), Some(4))
    );
    for rating in ["again", "hard", "good", "easy"] {
        let next = &card["next"][rating];
        assert!(
            next["interval_secs"].is_u64()
                && next["stability"].is_f64()
                && next["difficulty"].is_f64(),
            "{card}"
        );
    }
    assert_eq!(
        card["next"]["good"]["interval_secs"].as_u64().unwrap() / 86_400,
        163
    );
    assert_eq!(card["next"]["again"]["state"], "relearning");
}

#[test]
fn options_work_before_or_after_the_command_and_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let after = Command::new(env!("CARGO_BIN_EXE_kartu"))
        .args([
            "answer",
            "--deck",
            DECK,
            "--card",
            CARD,
            "--rating",
            "easy",
            "--json",
            "--no-fuzz",
        ])
        .args(["--now", "2026-11-25T09:00:00Z", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(json(&after)["state"], "review");
    let from_env = Command::new(env!("CARGO_BIN_EXE_kartu"))
        .args(["card", "--deck", DECK, "--card", CARD, "--json"])
        .env("KARTU_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(json(&from_env)["reps"], 1);
}

#[test]
fn unknown_deck_or_card_fails_clearly_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let output = kartu(
        dir.path(),
        &[
            "answer", "--deck", "nope", "--card", CARD, "--rating", "good",
        ],
    );
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("no deck with id \"nope\""));
    let output = kartu(dir.path(), &["card", "--deck", DECK, "--card", "nope"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("has no card with id \"nope\""));
    let output = kartu(
        dir.path(),
        &["answer", "--deck", DECK, "--card", CARD, "--rating", "meh"],
    );
    assert!(!output.status.success());
    assert!(fs::read_dir(dir.path()).unwrap().next().is_none());
}

#[test]
fn check_prints_file_line_col_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.ron");
    fs::write(
        &bad,
        "(\n    format: 1,\n    id: \"ok\",\n    title: \"T\",\n    language: en,\n)",
    )
    .unwrap();
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("decks/backend-developer.id.ron");
    let output = Command::new(env!("CARGO_BIN_EXE_kartu"))
        .arg("check")
        .arg(&good)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(&format!("{}:5:15: ", bad.display())),
        "{stdout}"
    );
    assert!(stdout.contains("backend-developer.id.ron: ok"), "{stdout}");
}

#[test]
fn next_reports_when_nothing_is_left() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("settings.ron"), "(new_per_day: 1)").unwrap();
    answer(dir.path(), "easy", "2026-11-25T09:00:00Z");
    let next = json(&kartu(
        dir.path(),
        &[
            "next",
            "--deck",
            DECK,
            "--now",
            "2026-11-25T09:01:00Z",
            "--json",
        ],
    ));
    assert!(next["card"].is_null(), "{next}");
    assert_eq!(
        next["next_due"], "2026-11-26T04:00:00Z",
        "tomorrow's new card, at the day start"
    );
}

#[test]
fn a_deck_file_that_does_not_parse_stops_data_commands_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let decks = dir.path().join("decks");
    fs::create_dir_all(&decks).unwrap();
    let broken = decks.join("teacher.ron");
    fs::write(&broken, "(\n    format: 1,\n    id: oops,\n)\n").unwrap();
    for args in [
        &["decks"][..],
        &["answer", "--deck", DECK, "--card", CARD, "--rating", "good"][..],
    ] {
        let output = kartu(dir.path(), args);
        assert_eq!(output.status.code(), Some(1), "{output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("teacher.ron:3:9"), "{stderr}");
    }
    assert!(broken.exists(), "the CLI leaves the file where it is");
    assert!(
        !dir.path().join("progress.journal").exists(),
        "nothing was answered"
    );
}

#[test]
fn an_unreadable_progress_file_is_reported_with_its_position_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let progress = dir.path().join("progress.ron");
    fs::write(&progress, "(format: 1, cards: {\n  oops\n").unwrap();
    let output = kartu(
        dir.path(),
        &["answer", "--deck", DECK, "--card", CARD, "--rating", "good"],
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("progress.ron:2:"), "{stderr}");
    assert_eq!(
        fs::read_to_string(&progress).unwrap(),
        "(format: 1, cards: {\n  oops\n"
    );
}

#[test]
fn fmt_rewrites_a_deck_into_canonical_form() {
    let dir = tempfile::tempdir().unwrap();
    let deck = dir.path().join("d.ron");
    fs::write(&deck, "(format:1,id:\"d\",title:\"T\",language:\"en\",version:1,cards:[(id:\"a\",front:\"f\",back:\"b\")])").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_kartu"))
        .arg("fmt")
        .arg(&deck)
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = fs::read_to_string(&deck).unwrap();
    assert!(
        text.starts_with("#![enable(implicit_some)]\n(\n    format: 1,\n    id: \"d\",\n"),
        "{text}"
    );
    assert!(text.contains("            tags: [],\n"), "{text}");
}

#[test]
fn backups_follow_the_policy_and_restore_with_the_current_state_saved_first() {
    let dir = tempfile::tempdir().unwrap();
    // Three answers 40 minutes apart, then one 5 minutes later: three backups, not four.
    for (card, now) in [
        ("what-is-backend-developer", "2026-11-25T09:00:00Z"),
        ("backend-behind-the-scenes", "2026-11-25T09:40:00Z"),
        ("backend-brain-of-app", "2026-11-25T10:20:00Z"),
        ("backend-pillar-of-software", "2026-11-25T10:25:00Z"),
    ] {
        let output = kartu(
            dir.path(),
            &[
                "answer", "--deck", DECK, "--card", card, "--rating", "easy", "--now", now,
            ],
        );
        assert!(output.status.success(), "{output:?}");
    }
    let list = json(&kartu(dir.path(), &["backup", "list", "--json"]));
    let list = list.as_array().unwrap();
    let ids: Vec<&str> = list.iter().map(|b| b["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        vec!["20261125-102000", "20261125-094000", "20261125-090000"]
    );
    assert_eq!(
        (list[2]["cards"].as_u64(), list[2]["reviews"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(list[0]["reviews"], 3);

    let output = kartu(
        dir.path(),
        &[
            "backup",
            "restore",
            "20261125-090000",
            "--now",
            "2026-11-25T10:30:00Z",
        ],
    );
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("Current progress backed up"));
    let decks = json(&kartu(
        dir.path(),
        &["decks", "--json", "--now", "2026-11-25T10:30:00Z"],
    ));
    let en = decks
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == DECK)
        .unwrap();
    assert_eq!(en["new"], 19, "one card studied, as in the restored backup");
    let list = json(&kartu(dir.path(), &["backup", "list", "--json"]));
    assert_eq!(
        list.as_array().unwrap()[0]["reviews"],
        4,
        "the state before restoring is a backup"
    );
    let missing = kartu(dir.path(), &["backup", "restore", "19990101-000000"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no backup with id"));
}

#[test]
fn unreadable_progress_is_set_aside_when_a_backup_is_restored() {
    let dir = tempfile::tempdir().unwrap();
    answer(dir.path(), "easy", "2026-11-25T09:00:00Z");
    let id = json(&kartu(dir.path(), &["backup", "list", "--json"]))[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // A bad line with a record after it: not a damaged end that can be cut off.
    let journal = dir.path().join("progress.journal");
    let text = fs::read_to_string(&journal).unwrap();
    fs::write(
        &journal,
        text.replacen("\n(seq: 1,", "\ngarbage\n(seq: 1,", 1),
    )
    .unwrap();
    let decks = kartu(dir.path(), &["decks"]);
    assert!(!decks.status.success());
    assert!(
        String::from_utf8_lossy(&decks.stderr).contains("progress.journal:2:"),
        "{decks:?}"
    );

    let output = kartu(
        dir.path(),
        &["backup", "restore", &id, "--now", "2026-11-25T09:30:00Z"],
    );
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("Unreadable progress moved to"));
    let aside: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("progress.journal.unreadable-"))
        .collect();
    assert_eq!(aside.len(), 1, "the bad file is kept beside");
    let card = json(&kartu(
        dir.path(),
        &["card", "--deck", DECK, "--card", CARD, "--json"],
    ));
    assert_eq!(card["reps"], 1);
}
