//! What the window benches share: data directories with the generated scale collections
//! (the generator of the hidden `kartu generate`) and a fixed time.

use kartu::core::collection::{Access, Collection};
use kartu::core::model::settings::Settings;
use kartu::core::storage::backup::BackupJob;
use kartu::core::storage::paths::DataPaths;
use kartu::core::time::{DayClock, Timestamp};

/// The time the benches run at.
pub fn start() -> Timestamp {
    Timestamp::parse_rfc3339("2026-11-25T09:00:00Z").expect("time")
}

/// A data directory with settings that never run out of new cards, and optionally a
/// generated deck of `cards` cards with a history of `reviews` reviews.
pub fn data_dir(cards: usize, reviews: usize) -> tempfile::TempDir {
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
        open(&dir)
            .generate_history(cards, reviews, start())
            .expect("generated deck");
        // A current backup, so opening the window does not start one (at 1,000,000 reviews
        // it streams for seconds on a worker, and the window waits for it at exit).
        BackupJob::new(&paths, start(), DayClock::utc(4))
            .run()
            .expect("backup");
    }
    dir
}

/// The collection in `dir`, as the window opens it.
pub fn open(dir: &tempfile::TempDir) -> Collection {
    Collection::open(
        DataPaths::new(dir.path()),
        jiff::tz::TimeZone::UTC,
        Access::ReadWrite,
    )
    .expect("collection")
}
