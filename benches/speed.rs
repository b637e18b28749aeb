//! Speed targets, with the bundled decks, a generated 10,000-card deck, and the scale
//! collection of issue 3 (100,000 cards and 1,000,000 reviews, made by the same generator as
//! the hidden `kartu generate`): loading the collection, start-up to the first frame
//! (headless, through `egui_kittest`), and answer → next card including the durable
//! (fdatasync'd) journal append. `answer_latency` also prints the median and 99th percentile
//! of 2,000 single answers at scale and the time of one compaction there (criterion reports
//! means and medians, not tails). `stats` times the statistics at scale.
//!
//! Run: `cargo bench --bench speed` (or one group: `cargo bench --bench speed -- load`).

/// The binary's allocator (see `src/main.rs`), so the figures are the ones a user gets.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod common;

use std::sync::Arc;

use common::{data_dir, open, start};
use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use kartu::core::collection::{Access, Collection};
use kartu::core::ids::DeckId;
use kartu::core::model::card::Rating;
use kartu::core::model::progress::Progress;
use kartu::core::storage::paths::DataPaths;
use kartu::core::study::session::StudySession;
use kartu::core::time::Timestamp;
use kartu::ui::app::KartuApp;
use kartu::ui::dialogs::NativeDialogs;

const BUNDLED_DECK: &str = "backend-developer-en";
const BIG_DECK: &str = "generated";

/// The collections benchmarked: name, generated cards, generated reviews, deck studied.
const SIZES: [(&str, usize, usize, &str); 3] = [
    ("bundled", 0, 0, BUNDLED_DECK),
    ("10k", 10_000, 0, BIG_DECK),
    ("100k_1M", 100_000, 1_000_000, BIG_DECK),
];

/// The two big files of the scale collection read on their own: the snapshot and the deck,
/// each by the fast path for Kartu's own form and by the general RON parser.
fn parse(c: &mut Criterion) {
    let (name, cards, reviews, _) = SIZES[2];
    let dir = data_dir(cards, reviews);
    let paths = DataPaths::new(dir.path());
    let snapshot = std::fs::read_to_string(paths.progress_file()).expect("snapshot");
    let deck_file = paths.decks_dir().join("generated.ron");
    let deck_text = std::fs::read_to_string(&deck_file).expect("deck");
    let mut group = c.benchmark_group("parse");
    group.sample_size(10);
    group.bench_function(format!("snapshot_{name}"), |b| {
        b.iter(|| Progress::parse(&snapshot, &paths.progress_file()).expect("parse"));
    });
    group.bench_function(format!("snapshot_{name}_ron"), |b| {
        b.iter(|| Progress::parse_ron(&snapshot, &paths.progress_file()).expect("parse"));
    });
    group.bench_function(format!("deck_{name}"), |b| {
        b.iter(|| {
            kartu::core::storage::format::deck_file::load_packed_deck_file(&deck_file)
                .expect("parse")
        });
    });
    // Its card text, left in the file by the parse above, read back whole (what the first
    // search or export pays).
    group.bench_function(format!("deck_{name}_and_text"), |b| {
        b.iter(|| {
            let deck = kartu::core::storage::format::deck_file::load_packed_deck_file(&deck_file)
                .expect("parse");
            deck.load_text().expect("text");
            deck
        });
    });
    group.bench_function(format!("deck_{name}_ron"), |b| {
        b.iter(|| {
            kartu::core::storage::format::deck_file::parse_deck(&deck_text, &deck_file)
                .expect("parse")
        });
    });
    group.finish();
}

/// Opening a data directory read-only: decks, settings, snapshot, review log tail, journal.
fn load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    for (name, cards, reviews, _) in SIZES {
        let dir = data_dir(cards, reviews);
        group.bench_function(name, |b| {
            b.iter(|| {
                Collection::open(
                    DataPaths::new(dir.path()),
                    jiff::tz::TimeZone::UTC,
                    Access::ReadOnly,
                )
                .expect("collection")
            });
        });
    }
    group.finish();
}

fn startup(c: &mut Criterion) {
    let mut group = c.benchmark_group("startup_to_first_frame");
    group.sample_size(10);
    for (name, cards, reviews, _) in SIZES {
        let dir = data_dir(cards, reviews);
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
    for (name, cards, reviews, deck) in SIZES {
        let dir = data_dir(cards, reviews);
        let mut collection = open(&dir);
        let mut now = start();
        let mut session =
            StudySession::start(&collection, DeckId(deck.into()), now).expect("session");
        group.bench_function(name, |b| {
            b.iter(|| answer_one(&mut collection, &mut session, &mut now));
        });
    }
    group.finish();
}

/// One answer and the choice of the next card, as the window does it. Time moves on a minute
/// per answer; when nothing is due, it skips ahead a day.
fn answer_one(
    collection: &mut Collection,
    session: &mut StudySession,
    now: &mut Timestamp,
) -> Option<kartu::core::ids::CardId> {
    *now = now.add_secs(60);
    while session.current().is_none() {
        *now = now.add_secs(86_400);
        session.refresh(collection, *now).expect("refresh");
    }
    let seq = collection.progress().seq;
    session
        .answer(collection, Rating::Good, *now, 1_000)
        .expect("answer");
    assert_eq!(collection.progress().seq, seq + 1, "an answer was recorded");
    session.current().cloned()
}

/// The tail criterion does not report: 2,000 single answers at scale, median and 99th
/// percentile, and one compaction of their journal (which the window runs on a worker).
fn answer_latency(_c: &mut Criterion) {
    let (name, cards, reviews, deck) = SIZES[2];
    let dir = data_dir(cards, reviews);
    let mut collection = open(&dir);
    collection.set_snapshot_every(usize::MAX);
    let mut now = start();
    let mut session = StudySession::start(&collection, DeckId(deck.into()), now).expect("session");
    let mut times: Vec<std::time::Duration> = (0..2_000)
        .map(|_| {
            let started = std::time::Instant::now();
            std::hint::black_box(answer_one(&mut collection, &mut session, &mut now));
            started.elapsed()
        })
        .collect();
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    eprintln!(
        "answer_latency/{name}: median {:.3} ms, p99 {:.3} ms, max {:.3} ms over {} answers",
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        at(1.0).as_secs_f64() * 1e3,
        times.len()
    );
    let job = collection.snapshot_job(true).expect("a snapshot is due");
    let started = std::time::Instant::now();
    let seq = job.run().expect("snapshot");
    let snapshot_time = started.elapsed();
    collection.finish_snapshot(seq).expect("trim");
    eprintln!(
        "compaction/{name}: {:.0} ms for 2,000 journal records (on a worker thread in the window)",
        snapshot_time.as_secs_f64() * 1e3
    );
}

/// The statistics of the scale collection, as `kartu stats` computes them: with the
/// statistics cache in place (each range), and made afresh from the whole review log
/// (`first_reading`, once per data directory). `job_new` is the part the window does in its
/// frame (the cards' states copied for the worker).
fn stats(c: &mut Criterion) {
    let mut group = c.benchmark_group("stats");
    group.sample_size(10);
    let dir = data_dir(100_000, 1_000_000);
    let collection = Collection::open(
        DataPaths::new(dir.path()),
        jiff::tz::TimeZone::UTC,
        Access::ReadOnly,
    )
    .expect("collection");
    let cache = collection.paths().stats_cache_file();
    group.bench_function("100k_1M/first_reading", |b| {
        b.iter(|| {
            let _ = std::fs::remove_file(&cache);
            kartu::core::stats::compute(&collection, None, 0, 30, start()).expect("stats")
        });
    });
    for (name, days) in [("month", 30), ("year", 365), ("all", 0)] {
        group.bench_function(format!("100k_1M/{name}"), |b| {
            b.iter(|| {
                kartu::core::stats::compute(&collection, None, days, 30, start()).expect("stats")
            });
        });
    }
    group.bench_function("100k_1M/job_new", |b| {
        b.iter(|| {
            kartu::core::stats::StatsJob::new(&collection, None, 30, 30, start()).expect("job")
        });
    });
    group.finish();
}

criterion_group!(
    benches,
    parse,
    load,
    startup,
    answer_to_next_card,
    answer_latency,
    stats
);
criterion_main!(benches);
