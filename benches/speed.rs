//! Speed targets of the walking skeleton, with the bundled decks and a generated 10,000-card
//! deck: start-up to the first frame (headless, through `egui_kittest`) and answer → next card,
//! including the durable (fdatasync'd) journal append.
//!
//! Run: `cargo bench --bench speed`.

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use kartu::core::collection::{Access, Collection};
use kartu::core::deck::DeckId;
use kartu::core::scheduler::Rating;
use kartu::core::session::StudySession;
use kartu::core::settings::Settings;
use kartu::core::storage::DataPaths;
use kartu::core::time::Timestamp;
use kartu::ui::app::KartuApp;
use kartu::ui::dialogs::NativeDialogs;

const BUNDLED_DECK: &str = "backend-developer-en";
const BIG_DECK: &str = "generated";

/// A data directory with settings that never run out of new cards, and optionally a
/// generated deck of `cards` cards.
fn data_dir(cards: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let paths = DataPaths::new(dir.path());
    paths.create_dirs().expect("data dirs");
    Settings {
        new_per_day: 1_000_000,
        reviews_per_day: 1_000_000,
        language: Some("en".into()),
        ..Settings::default()
    }
    .save(&paths.settings_file())
    .expect("settings");
    if cards > 0 {
        // The same generator as the hidden `kartu generate`, without a history.
        open(&dir)
            .generate_history(cards, 0, start())
            .expect("generated deck");
    }
    dir
}

fn open(dir: &tempfile::TempDir) -> Collection {
    Collection::open(
        DataPaths::new(dir.path()),
        jiff::tz::TimeZone::UTC,
        Access::ReadWrite,
    )
    .expect("collection")
}

fn start() -> Timestamp {
    Timestamp::parse_rfc3339("2026-11-25T09:00:00Z").expect("time")
}

fn startup(c: &mut Criterion) {
    let mut group = c.benchmark_group("startup_to_first_frame");
    group.sample_size(20);
    for (name, cards) in [("bundled", 0), ("10k", 10_000)] {
        let dir = data_dir(cards);
        group.bench_function(name, |b| {
            b.iter(|| {
                let collection = open(&dir);
                let mut harness =
                    Harness::builder()
                        .with_size([1000.0, 700.0])
                        .build_eframe(move |cc| {
                            KartuApp::new(cc, collection, Arc::new(NativeDialogs), Box::new(start))
                        });
                harness.step();
                harness
            });
        });
    }
    group.finish();
}

fn answer_to_next_card(c: &mut Criterion) {
    let mut group = c.benchmark_group("answer_to_next_card");
    for (name, cards, deck) in [("bundled", 0, BUNDLED_DECK), ("10k", 10_000, BIG_DECK)] {
        let dir = data_dir(cards);
        let mut collection = open(&dir);
        let mut now = start();
        let mut session =
            StudySession::start(&collection, DeckId(deck.into()), now).expect("session");
        group.bench_function(name, |b| {
            b.iter(|| {
                // Time moves on a minute per answer; when nothing is due, skip ahead a day.
                now = now.add_secs(60);
                while session.current().is_none() {
                    now = now.add_secs(86_400);
                    session.refresh(&collection, now).expect("refresh");
                }
                let answered = collection.progress().reviews.len();
                session
                    .answer(&mut collection, Rating::Good, now, 1_000)
                    .expect("answer");
                assert_eq!(
                    collection.progress().reviews.len(),
                    answered + 1,
                    "an answer was recorded"
                );
                session.current().cloned()
            });
        });
    }
    group.finish();
}

criterion_group!(benches, startup, answer_to_next_card);
criterion_main!(benches);
