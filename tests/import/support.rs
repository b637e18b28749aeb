//! Shared helpers: a collection in a temp dir, importing through the library and the binary,
//! and a fingerprint of every file in a data directory.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use jiff::tz::TimeZone;
use kartu::core::collection::{Collection, Installed, Purpose};
use kartu::core::import::{self, Monitor, Options, Plan};
use kartu::core::storage::paths::DataPaths;
use kartu::core::time::Timestamp;

/// 2026-11-25T09:00:00Z: after every review in the fixtures.
pub const NOW: Timestamp = Timestamp(1_795_597_200);

/// A fixture shipped with the tests.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/anki")
        .join(name)
}

/// A fixture from the shared folder beside the project (the large ones), if it is there.
pub fn shared_fixture(name: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures/anki")
        .join(name);
    path.exists().then_some(path)
}

/// A writer collection on `dir`, in UTC.
pub fn open(dir: &Path) -> Collection {
    let mut collection =
        Collection::open_for(DataPaths::new(dir), TimeZone::UTC, Purpose::Write).unwrap();
    collection.become_writer().unwrap();
    collection
}

/// Reads, plans and installs `file` into `collection`.
pub fn import_into(
    collection: &mut Collection,
    file: &Path,
    options: Options,
) -> kartu::core::Result<(Plan, Installed)> {
    let options = Options {
        clock: Some(collection.clock().clone()),
        now: NOW,
        ..options
    };
    let mut incoming = import::read(file, &options, Monitor::silent())?;
    let installed = import::InstalledDecks::of(collection);
    import::adopt_installed(&installed, &mut incoming);
    let plan = import::plan(&installed, &incoming);
    drop(installed);
    let installed = import::install(collection, incoming, NOW, &|| false)?;
    Ok((plan, installed))
}

/// Runs the `kartu` binary on `data_dir`.
pub fn kartu(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kartu"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("KARTU_DATA_DIR")
        .output()
        .unwrap()
}

/// stdout of a run that must succeed.
pub fn ok(output: &Output) -> String {
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Every file under `dir` with its bytes: equal before and after means nothing changed.
pub fn fingerprint(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        let Ok(entries) = fs::read_dir(&at) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n != "kartu.lock") {
                files.insert(path.clone(), fs::read(&path).unwrap());
            }
        }
    }
    files
}
