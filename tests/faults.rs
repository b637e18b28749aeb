//! Storage faults: a full file-size limit, a read-only data directory, one unwritable file.
//! Each leaves the old data intact, gives a clear error, and leaves no temp file.
//!
//! Runs the real binary. The permission tests run it as `nobody` (through `setpriv`), since
//! root ignores file modes; they are Unix-only.
#![cfg(unix)]
// Test helpers may unwrap, like the tests themselves (clippy only exempts `#[test]` functions).
#![allow(clippy::unwrap_used)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use kartu::core::storage::paths::{DataPaths, TEMP_PREFIX};

const DECK: &str = "backend-developer-en";
const CARDS: [&str; 6] = [
    "what-is-backend-developer",
    "backend-behind-the-scenes",
    "backend-brain-of-app",
    "backend-pillar-of-software",
    "role-beyond-development",
    "backend-needs-many-technologies",
];

fn answer_args(card: &str) -> Vec<String> {
    [
        "answer",
        "--deck",
        DECK,
        "--card",
        card,
        "--rating",
        "good",
        "--now",
        "2026-11-25T09:00:00Z",
    ]
    .map(str::to_owned)
    .to_vec()
}

/// `kartu --data-dir DIR ARGS`, through `sh -c PREFIX` (limits, user switch).
fn kartu_via(prefix: &str, dir: &Path, args: &[String]) -> Output {
    let script = format!("{prefix} exec \"$0\" \"$@\"");
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_kartu"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("KARTU_DATA_DIR")
        .output()
        .unwrap()
}

/// A data directory (readable by everyone) with a few answers in its journal.
fn with_answers(answers: usize) -> (tempfile::TempDir, std::path::PathBuf) {
    let top = tempfile::tempdir().unwrap();
    fs::set_permissions(top.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let dir = top.path().join("data");
    for card in &CARDS[..answers] {
        let output = kartu_via("", &dir, &answer_args(card));
        assert!(output.status.success(), "{output:?}");
    }
    (top, dir)
}

fn no_temp_files(dir: &Path) {
    let stray: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(TEMP_PREFIX))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

fn chown_all(dir: &Path, uid: u32) {
    std::os::unix::fs::chown(dir, Some(uid), Some(uid)).unwrap();
    for entry in fs::read_dir(dir).unwrap().flatten() {
        std::os::unix::fs::chown(entry.path(), Some(uid), Some(uid)).unwrap();
    }
}

const NOBODY: u32 = 65_534;
const AS_NOBODY: &str = "exec setpriv --reuid=65534 --regid=65534 --clear-groups sh -c 'exec \"$0\" \"$@\"' \"$0\" \"$@\";";

#[test]
fn a_file_size_limit_fails_the_answer_cleanly() {
    let (_top, dir) = with_answers(4);
    let journal = DataPaths::new(&dir).journal_file();
    let before = fs::read(&journal).unwrap();
    assert!(
        before.len() > 1024,
        "the journal is past the limit set below"
    );
    // SIGXFSZ ignored, so the write returns EFBIG instead of killing the process.
    let output = kartu_via("trap '' XFSZ; ulimit -f 1;", &dir, &answer_args(CARDS[4]));
    assert!(!output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("progress.journal") && stderr.to_lowercase().contains("too large"),
        "{stderr}"
    );
    assert_eq!(
        fs::read(&journal).unwrap(),
        before,
        "old data intact, no half line"
    );
    no_temp_files(&dir);
    // Without the limit the same answer goes through.
    assert!(kartu_via("", &dir, &answer_args(CARDS[4])).status.success());
}

#[test]
fn a_read_only_data_directory_gives_a_clear_error_and_changes_nothing() {
    let (_top, dir) = with_answers(2);
    chown_all(&dir, NOBODY);
    for entry in fs::read_dir(&dir).unwrap().flatten() {
        fs::set_permissions(entry.path(), fs::Permissions::from_mode(0o444)).unwrap();
    }
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o555)).unwrap();
    let journal = DataPaths::new(&dir).journal_file();
    let before = fs::read(&journal).unwrap();
    let output = kartu_via(AS_NOBODY, &dir, &answer_args(CARDS[2]));
    assert!(!output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("Permission denied") && stderr.contains("kartu.lock"),
        "{stderr}"
    );
    assert_eq!(fs::read(&journal).unwrap(), before);
    no_temp_files(&dir);
    // Reading still works.
    let decks = kartu_via(AS_NOBODY, &dir, &["decks".to_owned()]);
    assert!(decks.status.success(), "{decks:?}");
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn an_unwritable_journal_gives_a_clear_error_and_changes_nothing() {
    let (_top, dir) = with_answers(2);
    chown_all(&dir, NOBODY);
    let journal = DataPaths::new(&dir).journal_file();
    fs::set_permissions(&journal, fs::Permissions::from_mode(0o444)).unwrap();
    let before = fs::read(&journal).unwrap();
    let output = kartu_via(AS_NOBODY, &dir, &answer_args(CARDS[2]));
    assert!(!output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("progress.journal") && stderr.contains("Permission denied"),
        "{stderr}"
    );
    assert_eq!(fs::read(&journal).unwrap(), before);
    no_temp_files(&dir);
}
