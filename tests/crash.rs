//! The real binary killed with SIGKILL at random moments while answering: every answer whose
//! command printed its result survives, the files always load, and no temp file outlives the
//! next start.

// Test helpers may unwrap, like the tests themselves (clippy only exempts `#[test]` functions).
#![allow(clippy::unwrap_used)]

use std::fs;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;

use jiff::tz::TimeZone;
use kartu::core::collection::{Access, Collection};
use kartu::core::storage::paths::{DataPaths, TEMP_PREFIX};
use kartu::core::storage::replay;

const KILLS: usize = 200;

/// A small deterministic generator (xorshift), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound
    }
}

fn temp_files(paths: &DataPaths) -> Vec<String> {
    fs::read_dir(&paths.root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(TEMP_PREFIX))
        .collect()
}

#[test]
fn sigkill_at_random_moments_loses_no_confirmed_answer() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::new(dir.path());
    let deck = "backend-developer-en";
    let cards: Vec<String> = kartu::core::storage::format::deck_file::parse_deck(
        include_str!("../decks/backend-developer.en.ron"),
        std::path::Path::new("en.ron"),
    )
    .unwrap()
    .notes
    .into_iter()
    .map(|n| n.id.0)
    .collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    // How long one answer takes on this machine and build, so the kills are spread over a
    // whole run whether the binary is a debug or a release build.
    let run_micros = {
        let scratch = tempfile::tempdir().unwrap();
        // The fastest of three: the first also pays for loading the binary from disk.
        (0..3)
            .map(|_| {
                let started = std::time::Instant::now();
                let status = Command::new(env!("CARGO_BIN_EXE_kartu"))
                    .arg("--data-dir")
                    .arg(scratch.path())
                    .args([
                        "answer", "--deck", deck, "--card", &cards[0], "--rating", "good",
                    ])
                    .env_remove("KARTU_DATA_DIR")
                    .stdout(Stdio::null())
                    .status()
                    .unwrap();
                assert!(status.success());
                u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX)
            })
            .min()
            .unwrap()
    };
    let mut confirmed = 0;
    let mut killed_mid_run = 0;
    for attempt in 0..KILLS {
        let card = &cards[attempt % cards.len()];
        let now = format!("2026-11-25T{:02}:{:02}:00Z", 9 + attempt / 60, attempt % 60);
        let mut child = Command::new(env!("CARGO_BIN_EXE_kartu"))
            .arg("--data-dir")
            .arg(dir.path())
            // Snapshots every few answers, so kills also land inside atomic snapshot writes.
            .args([
                "--snapshot-every",
                "3",
                "answer",
                "--deck",
                deck,
                "--card",
                card,
            ])
            .args(["--rating", "good", "--now", &now, "--json"])
            .env_remove("KARTU_DATA_DIR")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.below(run_micros * 6 / 5 + 1)));
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        child.kill().ok(); // SIGKILL; an error only means it had already exited.
        child.wait().unwrap();
        let mut stdout = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut stdout)
            .unwrap();
        if stdout.trim_end().ends_with('}') {
            confirmed += 1;
        }

        // The files always load, and hold every confirmed answer (and at most one more:
        // a journalled answer whose output the kill cut off).
        let (progress, _, _) = replay::load(&paths)
            .unwrap_or_else(|err| panic!("attempt {attempt}: progress does not load: {err}"));
        let reviews = progress.reviews.len();
        assert!(
            (confirmed..=confirmed + 1).contains(&reviews),
            "attempt {attempt}: {reviews} reviews stored, {confirmed} confirmed"
        );
        // What the kill left may be unconfirmed; count it as the baseline from here on.
        confirmed = reviews;
    }
    // The next writer start removes any temp file a kill left behind.
    drop(Collection::open(paths.clone(), TimeZone::UTC, Access::ReadWrite).unwrap());
    assert_eq!(temp_files(&paths), Vec::<String>::new());
    eprintln!(
        "{killed_mid_run} of {KILLS} kills hit a running process; {confirmed} answers stored"
    );
    assert!(
        killed_mid_run >= KILLS / 4,
        "only {killed_mid_run} of {KILLS} kills hit a running process"
    );
    assert!(confirmed > 0);
}

/// Notes `n…` the deck holds, as the next start would see them (deck files and the edits
/// journal), and whether everything loaded without a problem other than a torn last edit.
fn written_notes(paths: &DataPaths, deck: &str) -> usize {
    let collection = Collection::open(paths.clone(), TimeZone::UTC, Access::ReadOnly).unwrap();
    let problems: Vec<&String> = collection
        .problems()
        .iter()
        .filter(|p| !p.contains("cut short") && !p.contains("incomplete"))
        .collect();
    assert!(problems.is_empty(), "{problems:?}");
    assert!(collection.unreadable_decks().is_empty());
    collection
        .deck(&kartu::core::ids::DeckId(deck.into()))
        .unwrap()
        .deck
        .notes()
        .filter(|n| n.id().starts_with('n'))
        .count()
}

#[test]
fn sigkill_at_random_moments_loses_no_confirmed_edit() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::new(dir.path());
    let deck = "backend-developer-en";
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let put = |id: &str| {
        Command::new(env!("CARGO_BIN_EXE_kartu"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(["put-note", "--deck", deck, "--id", id, "--front"])
            .arg(format!("Question {id}?"))
            .args(["--back", "An answer."])
            .env_remove("KARTU_DATA_DIR")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // How long one save takes (journal, then the deck file), as for answers.
    let run_micros = (0..3)
        .map(|i| {
            let scratch = tempfile::tempdir().unwrap();
            let started = std::time::Instant::now();
            let status = Command::new(env!("CARGO_BIN_EXE_kartu"))
                .arg("--data-dir")
                .arg(scratch.path())
                .args([
                    "put-note",
                    "--deck",
                    deck,
                    "--back",
                    "x",
                    "--front",
                    &format!("q{i}"),
                ])
                .env_remove("KARTU_DATA_DIR")
                .stdout(Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
            u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX)
        })
        .min()
        .unwrap();
    let kills = KILLS / 2;
    let mut confirmed = 0;
    let mut killed_mid_run = 0;
    for attempt in 0..kills {
        let mut child = put(&format!("n{attempt:04}"));
        std::thread::sleep(Duration::from_micros(rng.below(run_micros * 6 / 5 + 1)));
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        child.kill().ok();
        child.wait().unwrap();
        let mut stdout = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut stdout)
            .unwrap();
        if stdout.contains("saved note") {
            confirmed += 1;
        }
        let stored = written_notes(&paths, deck);
        assert!(
            (confirmed..=confirmed + 1).contains(&stored),
            "attempt {attempt}: {stored} notes stored, {confirmed} confirmed"
        );
        confirmed = stored;
    }
    drop(Collection::open(paths.clone(), TimeZone::UTC, Access::ReadWrite).unwrap());
    assert_eq!(temp_files(&paths), Vec::<String>::new());
    let decks_dir = paths.decks_dir();
    let stray: Vec<String> = fs::read_dir(&decks_dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(TEMP_PREFIX))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
    eprintln!("{killed_mid_run} of {kills} kills hit a running process; {confirmed} notes stored");
    assert!(
        killed_mid_run >= kills / 4,
        "only {killed_mid_run} kills hit"
    );
    assert!(confirmed > 0);
}

#[test]
fn a_second_writer_is_refused_while_readers_still_work() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::new(dir.path());
    let window = Collection::open(paths, TimeZone::UTC, Access::ReadWrite).unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_kartu"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(args)
            .env_remove("KARTU_DATA_DIR")
            .output()
            .unwrap()
    };
    let answer_args = [
        "answer",
        "--deck",
        "backend-developer-en",
        "--card",
        "what-is-backend-developer",
        "--rating",
        "good",
    ];
    let answer = run(&answer_args);
    assert!(!answer.status.success());
    assert!(
        String::from_utf8_lossy(&answer.stderr).contains("already open"),
        "{answer:?}"
    );
    let decks = run(&["decks", "--json"]);
    assert!(decks.status.success(), "{decks:?}");
    drop(window);
    // A process another test thread is starting can hold a copy of the lock's descriptor
    // until it execs, so the lock may outlive `drop` by a moment.
    let mut answer = run(&answer_args);
    for _ in 0..50 {
        if answer.status.success() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        answer = run(&answer_args);
    }
    assert!(answer.status.success(), "{answer:?}");
}
