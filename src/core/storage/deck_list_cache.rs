//! The deck list's cache, `deck-list.ron`: the deck list with its counts as the window
//! left it, and what the counts of a later day need (each deck's unseen cards, daily limits,
//! and its learning and review cards by due day), so the next start draws the list before
//! the collection is loaded.
//!
//! It is derived data, and used only while it is exactly true: it names every file the
//! counts come from (length and modification time), the program and time zone, and the
//! learner day it was written on; anything different and it is ignored (and written again at
//! the next exit). A cache that does not parse, or of another format, is ignored too.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::core::error::{Result, ron_options};
use crate::core::storage::atomic;
use crate::core::storage::format::lines::compact_ron;
use crate::core::storage::paths::DataPaths;

/// The cache format this build reads and writes.
pub const DECK_LIST_CACHE_FORMAT_VERSION: u32 = 1;

/// Caches larger than this are not read.
const MAX_DECK_LIST_CACHE_BYTES: u64 = 16 * 1024 * 1024;

/// A file the counts come from, as it was.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    /// Its path under the data directory.
    pub name: String,
    /// Its length in bytes.
    pub len: u64,
    /// When it was last modified: seconds since the Unix epoch…
    pub secs: u64,
    /// …and nanoseconds.
    pub nanos: u32,
}

/// One deck of the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedDeck {
    /// Deck id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Language.
    pub language: String,
    /// The deck it sits under in the list.
    pub parent: Option<String>,
    /// Depth in the tree.
    pub depth: usize,
    /// Cards, sub-decks' included.
    pub card_count: usize,
    /// The deck's own counts on the day written: new, learning, due.
    pub counts: [usize; 3],
    /// Cards never studied (not suspended).
    pub unseen: usize,
    /// New cards and reviews a day.
    pub limits: [usize; 2],
    /// Learning cards by the learner day they are due, earliest first.
    pub learning: Vec<(i64, u32)>,
    /// Review cards by the learner day they are due, earliest first.
    pub review: Vec<(i64, u32)>,
}

/// The cache's contents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeckListCache {
    /// [`DECK_LIST_CACHE_FORMAT_VERSION`].
    pub format: u32,
    /// The program, the time zone and the bundled decks the counts were made with.
    pub context: String,
    /// Every file the counts come from.
    pub files: Vec<FileStamp>,
    /// The learner day the counts are of.
    pub day: i64,
    /// The soonest a buried card comes back (Unix seconds), after the cache was written.
    pub next_unburied: Option<i64>,
    /// The latest a buried card comes back.
    pub last_unburied: Option<i64>,
    /// No card was ever studied (the deck list then says how to begin).
    pub nothing_studied: bool,
    /// The list, in tree order.
    pub decks: Vec<CachedDeck>,
}

impl DeckListCache {
    /// Reads the cache; `None` when there is none or it cannot be used.
    #[must_use]
    pub fn read(path: &Path) -> Option<Self> {
        let text = atomic::read_text_limited(path, MAX_DECK_LIST_CACHE_BYTES).ok()?;
        let cache: Self = ron_options().from_str(&text).ok()?;
        (cache.format == DECK_LIST_CACHE_FORMAT_VERSION).then_some(cache)
    }

    /// Writes the cache atomically.
    pub fn write(&self, path: &Path) -> Result<()> {
        let mut text = compact_ron(self)?;
        text.push('\n');
        atomic::atomic_write(path, text.as_bytes())
    }
}

/// The files the deck list's counts come from, as they are now: settings, progress (snapshot,
/// journal, review logs), the edits journal and the deck files.
#[must_use]
pub fn fingerprint(paths: &DataPaths) -> Vec<FileStamp> {
    let mut files = Vec::new();
    let mut add = |name: String, path: &Path| {
        if let Ok(metadata) = std::fs::metadata(path)
            && metadata.is_file()
        {
            let modified = metadata
                .modified()
                .ok()
                .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok())
                .unwrap_or_default();
            files.push(FileStamp {
                name,
                len: metadata.len(),
                secs: modified.as_secs(),
                nanos: modified.subsec_nanos(),
            });
        }
    };
    for path in [
        paths.settings_file(),
        paths.progress_file(),
        paths.journal_file(),
        paths.edits_file(),
    ] {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        add(name, &path);
    }
    for (dir, prefix) in [(paths.root.clone(), ""), (paths.decks_dir(), "decks/")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| {
                // The review logs (today's reviews count against the limits), and every
                // file among the decks.
                !prefix.is_empty()
                    || crate::core::storage::paths::review_log_generation(name).is_some()
            })
            .collect();
        names.sort();
        for name in names {
            add(format!("{prefix}{name}"), &dir.join(&name));
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_reads_back_and_the_fingerprint_sees_every_change() {
        let dir = tempfile::tempdir().unwrap();
        let paths = DataPaths::new(dir.path());
        paths.create_dirs().unwrap();
        std::fs::write(paths.settings_file(), "()").unwrap();
        std::fs::write(paths.decks_dir().join("a.ron"), "(…)").unwrap();
        std::fs::write(paths.review_log_file(2), "// log\n").unwrap();
        std::fs::write(paths.root.join("ui-state.ron"), "x").unwrap();
        let before = fingerprint(&paths);
        let names: Vec<&str> = before.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["settings.ron", "reviews-2.ron", "decks/a.ron"]);
        // Not a file the counts come from.
        std::fs::write(paths.root.join("ui-state.ron"), "xy").unwrap();
        assert_eq!(fingerprint(&paths), before);
        std::fs::write(paths.decks_dir().join("a.ron"), "(…!)").unwrap();
        assert_ne!(fingerprint(&paths), before);
        let cache = DeckListCache {
            format: DECK_LIST_CACHE_FORMAT_VERSION,
            context: "kartu 1; UTC".into(),
            files: fingerprint(&paths),
            day: 20_000,
            next_unburied: Some(5),
            last_unburied: None,
            nothing_studied: false,
            decks: vec![CachedDeck {
                id: "a".into(),
                title: "A \"quoted\" title".into(),
                language: "en".into(),
                parent: None,
                depth: 0,
                card_count: 3,
                counts: [1, 2, 3],
                unseen: 1,
                limits: [20, 200],
                learning: vec![(20_000, 2)],
                review: vec![(19_990, 1), (20_001, 4)],
            }],
        };
        let path = paths.root.join("deck-list.ron");
        cache.write(&path).unwrap();
        assert_eq!(DeckListCache::read(&path), Some(cache.clone()));
        std::fs::write(&path, "(format: 1, decks: [").unwrap();
        assert_eq!(DeckListCache::read(&path), None);
        let newer = DeckListCache {
            format: DECK_LIST_CACHE_FORMAT_VERSION + 1,
            ..cache
        };
        newer.write(&path).unwrap();
        assert_eq!(DeckListCache::read(&path), None);
    }
}
