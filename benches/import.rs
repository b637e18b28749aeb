//! Import speed (issue targets: `scale100000.apkg`, 100,000 notes with scheduling, in
//! ≤ 0.3 s and ≤ 100 MB peak; a 100,000-row CSV in ≤ 0.3 s), split into reading the file
//! (checked, converted, nothing written) and the whole import into an empty data directory
//! (reading, planning, and installing the deck file and the progress). Peak memory is
//! measured outside criterion, with `/usr/bin/time -v kartu import …` (see the README).
//!
//! The Anki packages come from `../shared/fixtures/anki/` and are skipped when absent; the
//! CSV file is generated. Run: `cargo bench --bench import`.

/// The binary's allocator (see `src/main.rs`), so the figures are the ones a user gets.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use jiff::tz::TimeZone;
use kartu::core::collection::{Collection, Purpose};
use kartu::core::import::{self, Monitor, Options};
use kartu::core::storage::paths::DataPaths;
use kartu::core::time::Timestamp;

const NOW: Timestamp = Timestamp(1_795_597_200);

fn shared(name: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures/anki")
        .join(name);
    path.exists().then_some(path)
}

/// A CSV file of `rows` notes with a header, in `dir`.
fn csv_file(dir: &Path, rows: usize) -> PathBuf {
    let mut text = String::from("id,front,back,tags\n");
    for i in 0..rows {
        // Writing to a String cannot fail.
        writeln!(
            text,
            "n{i},Question {i} with **bold** text,\"Answer {i}, with a comma\",batch{} scale",
            i % 10
        )
        .ok();
    }
    let path = dir.join("notes.csv");
    std::fs::write(&path, text).expect("write csv");
    path
}

fn open(dir: &Path) -> Collection {
    let mut collection =
        Collection::open_for(DataPaths::new(dir), TimeZone::UTC, Purpose::Write).expect("open");
    collection.become_writer().expect("writer");
    collection
}

fn options(collection: &Collection) -> Options {
    Options {
        clock: Some(collection.clock().clone()),
        now: NOW,
        ..Options::default()
    }
}

/// Reading, planning and installing `file` into the empty collection in `dir`.
fn whole_import(dir: &Path, file: &Path) {
    let mut collection = open(dir);
    let mut incoming = import::read(file, &options(&collection), Monitor::silent()).expect("read");
    let installed = import::InstalledDecks::of(&collection);
    import::adopt_installed(&installed, &mut incoming);
    let plan = import::plan(&installed, &incoming);
    drop(installed);
    assert_eq!(plan.decks.len(), 1);
    import::install(&mut collection, incoming, NOW, &|| false).expect("install");
}

fn bench(c: &mut Criterion) {
    let scratch = tempfile::tempdir().expect("temp dir");
    let csv = csv_file(scratch.path(), 100_000);
    let mut files = vec![("csv_100k", csv)];
    for (name, file) in [
        ("apkg_10k", "scale10000.apkg"),
        ("apkg_100k", "scale100000.apkg"),
    ] {
        match shared(file) {
            Some(path) => files.push((name, path)),
            None => eprintln!("skipped {name}: ../shared/fixtures/anki/{file} is not here"),
        }
    }
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    for (name, file) in &files {
        let reader = open(scratch.path());
        group.bench_function(format!("read/{name}"), |b| {
            b.iter(|| import::read(file, &options(&reader), Monitor::silent()).expect("read"));
        });
        drop(reader);
        group.bench_function(format!("whole/{name}"), |b| {
            b.iter_batched(
                || tempfile::tempdir().expect("temp dir"),
                |dir| whole_import(dir.path(), file),
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
