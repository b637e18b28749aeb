//! Every file and folder of a data directory, named in one place; the writer's lock; the
//! sweep of temp files a crash left behind.

use std::fs::{self, File, OpenOptions};
use std::path::PathBuf;

use crate::core::error::{Error, Result};
use crate::core::ids::DeckId;

/// Prefix of the temporary files [`super::atomic::atomic_write`] creates beside its target.
pub const TEMP_PREFIX: &str = ".kartu-tmp-";

/// The files of one Kartu data directory.
#[derive(Clone, Debug)]
pub struct DataPaths {
    /// The data directory itself.
    pub root: PathBuf,
}

impl DataPaths {
    /// Paths inside `root` (nothing is created yet).
    #[must_use]
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The platform data directory (`~/.local/share/kartu` on Linux), unless overridden.
    ///
    /// `override_dir` comes from `--data-dir` or `KARTU_DATA_DIR`.
    pub fn resolve(override_dir: Option<PathBuf>) -> Result<Self> {
        if let Some(dir) = override_dir {
            return Ok(Self::new(dir));
        }
        let dirs = directories::ProjectDirs::from("", "", "kartu").ok_or_else(|| {
            Error::io(
                "~",
                std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no home directory; set KARTU_DATA_DIR or pass --data-dir",
                ),
            )
        })?;
        Ok(Self::new(dirs.data_dir()))
    }

    /// Imported decks, one canonical deck file each.
    #[must_use]
    pub fn decks_dir(&self) -> PathBuf {
        self.root.join("decks")
    }

    /// An imported deck's file, `decks/ID.ron`.
    #[must_use]
    pub fn deck_file(&self, deck: &DeckId) -> PathBuf {
        self.decks_dir().join(format!("{}.ron", deck.0))
    }

    /// An imported deck's media folder, beside its file: `decks/ID.media/`.
    #[must_use]
    pub fn deck_media_dir(&self, deck: &DeckId) -> PathBuf {
        self.decks_dir().join(format!("{}.media", deck.0))
    }

    /// The learner's progress: scheduling state and review log.
    #[must_use]
    pub fn progress_file(&self) -> PathBuf {
        self.root.join("progress.ron")
    }

    /// Study settings and the chosen UI language.
    #[must_use]
    pub fn settings_file(&self) -> PathBuf {
        self.root.join("settings.ron")
    }

    /// Creates the data directory and its `decks/` folder if missing.
    pub fn create_dirs(&self) -> Result<()> {
        let decks = self.decks_dir();
        fs::create_dir_all(&decks).map_err(|err| Error::io(&decks, err))
    }

    /// The journal of changes since the snapshot.
    #[must_use]
    pub fn journal_file(&self) -> PathBuf {
        self.root.join("progress.journal")
    }

    /// The journal of edits to decks not yet folded into their deck files.
    #[must_use]
    pub fn edits_file(&self) -> PathBuf {
        self.root.join("edits.journal")
    }

    /// Files handed to the window already open by a second `kartu FILE` (one request per
    /// file, holding the path).
    #[must_use]
    pub fn open_requests_dir(&self) -> PathBuf {
        self.root.join("open-requests")
    }

    /// The review log of generation `generation`.
    #[must_use]
    pub fn review_log_file(&self, generation: u32) -> PathBuf {
        self.root.join(format!("reviews-{generation}.ron"))
    }

    /// The statistics cache (derived from the review log; see `stats_cache`).
    #[must_use]
    pub fn stats_cache_file(&self) -> PathBuf {
        self.root.join("stats-cache.ron")
    }

    /// The deck list's cache (derived; see `deck_list_cache`).
    #[must_use]
    pub fn deck_list_cache_file(&self) -> PathBuf {
        self.root.join("deck-list.ron")
    }

    /// The folder of backups.
    #[must_use]
    pub fn backups_dir(&self) -> PathBuf {
        self.root.join("backups")
    }

    /// The file the writer holds its lock on.
    #[must_use]
    pub fn lock_file(&self) -> PathBuf {
        self.root.join("kartu.lock")
    }
}

/// The generation of a review log file name `reviews-N.ron`.
#[must_use]
pub fn review_log_generation(name: &str) -> Option<u32> {
    name.strip_prefix("reviews-")?
        .strip_suffix(".ron")?
        .parse()
        .ok()
}

/// Takes the data directory's lock, so this process is its only writer.
pub fn lock(paths: &DataPaths) -> Result<File> {
    let root = &paths.root;
    fs::create_dir_all(root).map_err(|err| Error::io(root, err))?;
    let path = paths.lock_file();
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|err| Error::io(&path, err))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(Error::Locked(root.clone())),
        Err(fs::TryLockError::Error(err)) => Err(Error::io(&path, err)),
    }
}

/// Removes temp files a crash left behind (only ever call this holding the lock).
pub fn sweep_temp_files(paths: &DataPaths) {
    for dir in [paths.root.clone(), paths.decks_dir(), paths.backups_dir()] {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
                // One that cannot be removed now is tried again at the next start.
                fs::remove_file(entry.path()).ok();
            }
        }
    }
}
