//! Statistics on histories with known answers, Anki's true retention on the Anki fixture
//! against Anki's own review log, and the `stats` and `optimize` commands.

// Test helpers may unwrap, like the tests themselves (clippy only exempts `#[test]` functions).
#![allow(clippy::unwrap_used)]

use std::fs;
use std::io::Read as _;
use std::path::Path;

use jiff::tz::TimeZone;
use kartu::core::collection::{Access, Collection, Purpose};
use kartu::core::ids::{CardId, DeckId};
use kartu::core::import::{self, Monitor, Options};
use kartu::core::model::card::Rating;
use kartu::core::stats;
use kartu::core::storage::paths::DataPaths;
use kartu::core::time::Timestamp;

const DECK: &str = "backend-developer-en";

/// Runs the `kartu` binary on the data directory `dir`.
fn kartu(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_kartu"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("KARTU_DATA_DIR")
        .output()
        .unwrap()
}

fn at(text: &str) -> Timestamp {
    Timestamp::parse_rfc3339(text).unwrap()
}

#[test]
fn a_known_history_gives_known_figures() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection =
        Collection::open(DataPaths::new(dir.path()), TimeZone::UTC, Access::ReadWrite).unwrap();
    let deck = DeckId(DECK.into());
    let cards: Vec<CardId> = collection
        .deck(&deck)
        .unwrap()
        .deck
        .cards()
        .take(4)
        .map(|c| CardId(c.id().to_owned()))
        .collect();
    // Three days ago: two new cards at 10:xx (learner days start at 04:00 UTC).
    collection
        .answer(
            &deck,
            &cards[0],
            Rating::Good,
            at("2026-11-22T10:00:00Z"),
            4000,
        )
        .unwrap();
    collection
        .answer(
            &deck,
            &cards[1],
            Rating::Again,
            at("2026-11-22T10:05:00Z"),
            6000,
        )
        .unwrap();
    // Two days ago: one.
    collection
        .answer(
            &deck,
            &cards[2],
            Rating::Easy,
            at("2026-11-23T21:00:00Z"),
            2000,
        )
        .unwrap();
    // Today: three, at 09:xx.
    collection
        .answer(
            &deck,
            &cards[1],
            Rating::Good,
            at("2026-11-25T09:00:00Z"),
            3000,
        )
        .unwrap();
    collection
        .answer(
            &deck,
            &cards[3],
            Rating::Hard,
            at("2026-11-25T09:01:00Z"),
            5000,
        )
        .unwrap();
    collection
        .answer(
            &deck,
            &cards[3],
            Rating::Again,
            at("2026-11-25T09:30:00Z"),
            1000,
        )
        .unwrap();
    collection
        .suspend(&[(deck.clone(), cards[2].clone())], true)
        .unwrap();
    let now = at("2026-11-25T12:00:00Z");
    let figures = stats::compute(&collection, Some(&deck), 30, 30, now).unwrap();

    assert_eq!(figures.today.studied, 3);
    assert_eq!(figures.today.again, 1);
    assert_eq!(figures.today.seconds, 9);
    assert_eq!(figures.total_reviews, 6);
    assert_eq!(figures.current_streak, 1, "yesterday had no answers");
    assert_eq!(figures.longest_streak, 2);
    assert_eq!(&figures.calendar[361..], [2, 1, 0, 3]);
    let per_day: Vec<(u32, u32)> = figures
        .reviews
        .iter()
        .map(|d| (d.days_ago, d.learning + d.review + d.relearning))
        .collect();
    assert_eq!(per_day, [(3, 2), (2, 1), (0, 3)]);
    // Answers to new and learning cards, by button: Again 2, Hard 1, Good 2, Easy 1.
    assert_eq!(figures.buttons_learning.counts, [2, 1, 2, 1]);
    assert_eq!(figures.hours[10].reviews, 2);
    assert_eq!(figures.hours[21].reviews, 1);
    assert_eq!((figures.hours[9].reviews, figures.hours[9].passed), (3, 2));
    assert_eq!(figures.cards.suspended, 1);
    assert_eq!(figures.cards.new, 63);
    let learning = figures.cards.learning + figures.cards.relearning;
    let review = figures.cards.young + figures.cards.mature;
    assert_eq!(learning + review, 4);
    assert!((figures.days_studied_share - 3.0 / 30.0).abs() < 1e-9);
    // The suspended card is not in the due load; the others are.
    let due: u32 = figures.future_due.iter().sum();
    assert_eq!(due, 3);
    // Every deck: the Indonesian deck adds nothing.
    let all = stats::compute(&collection, None, 30, 30, now).unwrap();
    assert_eq!(all.total_reviews, 6);
    assert_eq!(all.cards.new, 63 + 67);
}

/// Anki's true-retention counts straight from the package's review log: graded reviews of
/// cards that had been in review (a review entry, or a previous interval of a day or more),
/// young below 21 days of previous interval, passed unless Again.
fn anki_all_time(package: &Path) -> (u32, u32, u32, u32) {
    let mut archive = zip::ZipArchive::new(fs::File::open(package).unwrap()).unwrap();
    let mut packed = Vec::new();
    archive
        .by_name("collection.anki21b")
        .unwrap()
        .read_to_end(&mut packed)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.sqlite");
    fs::write(&path, zstd::decode_all(packed.as_slice()).unwrap()).unwrap();
    let db =
        rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let count = |condition: &str| -> u32 {
        db.query_row(
            &format!(
                "select count(*) from revlog where ease between 1 and 4 and type <= 3 \
                 and (type = 1 or lastIvl >= 1) and {condition}"
            ),
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    (
        count("lastIvl < 21 and ease > 1"),
        count("lastIvl < 21 and ease = 1"),
        count("lastIvl >= 21 and ease > 1"),
        count("lastIvl >= 21 and ease = 1"),
    )
}

#[test]
fn true_retention_on_an_anki_collection_counts_what_anki_counts() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection =
        Collection::open_for(DataPaths::new(dir.path()), TimeZone::UTC, Purpose::Write).unwrap();
    collection.become_writer().unwrap();
    let package = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/anki/small.apkg");
    let now = at("2026-11-25T12:00:00Z");
    let options = Options {
        clock: Some(collection.clock().clone()),
        now,
        ..Options::default()
    };
    let incoming = import::read(&package, &options, Monitor::silent()).unwrap();
    import::install(&mut collection, incoming, now, &|| false).unwrap();
    let figures = stats::compute(&collection, None, 0, 30, now).unwrap();
    let row = &figures.retention.all_time;
    let expected = anki_all_time(&package);
    assert_eq!(
        (
            row.young_passed,
            row.young_failed,
            row.mature_passed,
            row.mature_failed
        ),
        expected
    );
    assert!(expected.0 + expected.1 > 0, "the fixture has such reviews");
    assert_eq!(figures.total_reviews, 66);
}

#[test]
fn the_commands_print_the_figures_and_optimize_applies_only_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| kartu(dir.path(), args);
    let package = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/anki/small.apkg");
    assert!(
        run(&[
            "import",
            package.to_str().unwrap(),
            "--now",
            "2026-11-25T12:00:00Z"
        ])
        .status
        .success()
    );
    let out = run(&[
        "stats",
        "--deck",
        "peer",
        "--days",
        "0",
        "--json",
        "--now",
        "2026-11-25T12:00:00Z",
    ]);
    assert!(out.status.success(), "{out:?}");
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for field in [
        "today",
        "future_due",
        "calendar",
        "reviews",
        "cards",
        "intervals",
        "stability",
        "difficulty",
        "retrievability",
        "buttons_young",
        "hours",
        "retention",
        "current_streak",
    ] {
        assert!(value.get(field).is_some(), "{field}");
    }
    assert_eq!(value["total_reviews"], 66);
    let out = run(&["optimize", "--json", "--now", "2026-11-25T12:00:00Z"]);
    assert!(out.status.success(), "{out:?}");
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["parameters"].as_array().unwrap().len(), 21);
    assert_eq!(value["applied"], false);
    assert!(value["items"].as_u64().unwrap() > 0);
    let settings = fs::read_to_string(dir.path().join("settings.ron")).unwrap_or_default();
    assert!(
        !settings.contains("fsrs_params"),
        "not applied without --apply"
    );
}

#[test]
fn personal_parameters_in_settings_drive_the_scheduler() {
    let intervals = |params: Vec<f32>| {
        let dir = tempfile::tempdir().unwrap();
        let paths = DataPaths::new(dir.path());
        paths.create_dirs().unwrap();
        kartu::core::model::settings::Settings {
            fsrs_params: params,
            fuzz: false,
            ..kartu::core::model::settings::Settings::default()
        }
        .save(&paths.settings_file())
        .unwrap();
        let mut collection = Collection::open(paths, TimeZone::UTC, Access::ReadWrite).unwrap();
        let deck = DeckId(DECK.into());
        let card = CardId("what-is-backend-developer".into());
        let now = at("2026-11-25T12:00:00Z");
        collection
            .answer(&deck, &card, Rating::Easy, now, 0)
            .unwrap();
        collection.card_progress(&deck, &card).interval_secs
    };
    let mut params = kartu::core::scheduler::anki::DEFAULT_PARAMETERS.to_vec();
    let default = intervals(Vec::new());
    assert_eq!(intervals(params.clone()), default);
    // A larger initial stability for Easy: a longer first interval.
    params[3] *= 3.0;
    assert!(intervals(params) > default);
}

#[test]
fn optimizing_a_real_history_can_be_cancelled_and_then_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection =
        Collection::open(DataPaths::new(dir.path()), TimeZone::UTC, Access::ReadWrite).unwrap();
    let now = at("2026-11-25T12:00:00Z");
    collection.generate_history(3_000, 60_000, now).unwrap();
    let job = stats::OptimizeJob::new(&collection, None, now).unwrap();
    let mut calls = 0;
    let cancelled = job.run(|_, _| {
        calls += 1;
        false
    });
    assert!(
        matches!(cancelled, Err(kartu::core::Error::Cancelled)),
        "{cancelled:?} after {calls} progress calls"
    );
    assert!(collection.settings().fsrs_params.is_empty());
    // Run to the end: parameters and both sets of metrics.
    let found = job.run(|_, _| true).unwrap();
    assert_eq!(found.parameters.len(), 21);
    assert!(
        found.items >= stats::ITEMS_FOR_A_FULL_FIT,
        "{}",
        found.items
    );
    assert!(found.current.is_some() && found.new.is_some());
    // Evaluate scores the parameters in use the same way, fitting nothing.
    let evaluated = job.evaluate(|_, _| true).unwrap();
    // The crate sums in parallel: the last bits of a float may differ between runs.
    let (evaluated_m, found_m) = (evaluated.current.unwrap(), found.current.unwrap());
    assert!((evaluated_m.log_loss - found_m.log_loss).abs() < 1e-5);
    assert!((evaluated_m.rmse_bins - found_m.rmse_bins).abs() < 1e-5);
    assert_eq!(
        (evaluated.reviews, evaluated.items),
        (found.reviews, found.items)
    );
    assert!(matches!(
        job.evaluate(|_, _| false),
        Err(kartu::core::Error::Cancelled)
    ));
    drop(collection);
    let output = kartu(
        dir.path(),
        &[
            "optimize",
            "--evaluate",
            "--now",
            "2026-11-25T12:00:00Z",
            "--json",
        ],
    );
    assert!(output.status.success(), "{output:?}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let log_loss = json["current"]["log_loss"].as_f64().unwrap();
    let expected = f64::from(found.current.unwrap().log_loss);
    assert!((log_loss - expected).abs() < 1e-4, "{json}");
}

#[test]
fn the_simulator_gives_a_year_at_each_retention_and_the_cheapest_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection =
        Collection::open(DataPaths::new(dir.path()), TimeZone::UTC, Access::ReadWrite).unwrap();
    let now = at("2026-11-25T12:00:00Z");
    collection.generate_history(500, 5_000, now).unwrap();
    let deck = DeckId("generated".into());
    // A suspended card is left out, as Anki leaves it out.
    collection
        .suspend(&[(deck.clone(), CardId("card-000001".into()))], true)
        .unwrap();
    let job = stats::SimulateJob::new(&collection, Some(&deck), now).unwrap();
    assert_eq!(job.card_count(), 499);
    assert!(matches!(
        job.run(|_, _| false),
        Err(kartu::core::Error::Cancelled)
    ));
    let mut last = (0, 0);
    let found = job
        .run(|done, total| {
            last = (done, total);
            true
        })
        .unwrap();
    assert_eq!(last.0, last.1, "the progress reaches its end");
    assert_eq!(found.days, 365);
    assert_eq!(found.cards, 499);
    let retentions: Vec<u32> = found
        .workload
        .iter()
        .map(|p| (p.desired_retention * 100.0).round() as u32)
        .collect();
    assert_eq!(retentions, (70..=97).collect::<Vec<_>>());
    let first = found.workload[0];
    let highest = found.workload[27];
    // Remembering more costs more time and keeps more cards.
    assert!(highest.minutes_per_day > first.minutes_per_day, "{found:?}");
    assert!(highest.cards_known > first.cards_known, "{found:?}");
    assert!((0.7..=0.95).contains(&found.optimal_retention));
    assert!((found.current_retention - 0.9).abs() < 1e-6);
    // The command prints the same as JSON.
    drop(collection);
    let output = kartu(
        dir.path(),
        &[
            "simulate",
            "--deck",
            "generated",
            "--now",
            "2026-11-25T12:00:00Z",
            "--json",
        ],
    );
    assert!(output.status.success(), "{output:?}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["cards"], 499);
    assert_eq!(json["workload"].as_array().unwrap().len(), 28);
    let optimal = json["optimal_retention"].as_f64().unwrap();
    assert!((optimal - f64::from(found.optimal_retention)).abs() < 1e-6);
}
