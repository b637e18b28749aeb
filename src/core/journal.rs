//! Progress on disk: a snapshot (`progress.ron`) plus an append-only journal
//! (`progress.journal`), and the lock that makes one process the only writer.
//!
//! Each answer appends one line to the journal and flushes it to disk before the next card
//! is shown: O(1) however large the collection is. Loading replays the journal records whose
//! sequence number is past the snapshot's. A torn last line (a crash mid-write) is dropped and
//! reported; a bad line in the middle is an error, since records after it would be replayed
//! out of context. Compaction writes a new snapshot (atomically, possibly on another thread)
//! and then drops the journal records it contains.

use std::fs::{self, File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::deck::{CardId, DeckId};
use super::error::{Error, Result, TextPosition, ron_options, ron_parse_error};
use super::progress::{Progress, ReviewEntry, compact_ron};
use super::scheduler::CardProgress;
use super::storage::{self, DataPaths};

/// Journal files larger than this are refused before reading.
pub const MAX_JOURNAL_BYTES: u64 = 1024 * 1024 * 1024;

/// After this many journal records a snapshot is due.
pub const COMPACT_AFTER_RECORDS: usize = 1000;

/// One change to progress, as journalled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Change {
    /// A card was answered: its new state, and the review appended to the log.
    Answer {
        /// The review log entry.
        review: ReviewEntry,
        /// The card's state after the answer.
        after: CardProgress,
    },
    /// The last answer was taken back: the log's last entry is removed and the card's state
    /// before it restored (`None`: the card was new).
    Undo {
        /// The deck id.
        deck: DeckId,
        /// The card id.
        card: CardId,
        /// The state to restore.
        before: Option<CardProgress>,
    },
}

/// A journal line: a change and its sequence number.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// 1 more than the previous record's (or the snapshot's) sequence number.
    pub seq: u64,
    /// What changed.
    pub change: Change,
}

impl Progress {
    /// Applies a journalled change and advances the sequence number to `seq`.
    pub fn apply(&mut self, seq: u64, change: &Change) {
        match change {
            Change::Answer { review, after } => {
                self.set_card(&review.deck, &review.card, Some(after.clone()));
                self.reviews.push(review.clone());
            }
            Change::Undo { deck, card, before } => {
                self.reviews.pop();
                self.set_card(deck, card, before.clone());
            }
        }
        self.seq = seq;
    }
}

/// What loading found besides the progress itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// Journal records replayed on top of the snapshot.
    pub replayed: usize,
    /// A torn last journal line was dropped (its answer had not been confirmed).
    pub dropped_torn_line: bool,
}

/// The journal's path.
#[must_use]
pub fn journal_path(paths: &DataPaths) -> PathBuf {
    paths.root.join("progress.journal")
}

/// Reads the snapshot and replays the journal. Returns the progress, the byte length of the
/// journal's intact part, and a report.
///
/// A reader without the lock can race the writer's compaction (old snapshot, then the
/// already-trimmed journal); the sequence numbers show that, and the load is simply tried again.
pub fn load(paths: &DataPaths) -> Result<(Progress, u64, LoadReport)> {
    let mut attempt = 0;
    loop {
        match load_once(paths) {
            Err(Error::JournalGap { .. }) if attempt < 5 => attempt += 1,
            other => return other,
        }
    }
}

fn load_once(paths: &DataPaths) -> Result<(Progress, u64, LoadReport)> {
    let mut progress = Progress::load(&paths.progress_file())?;
    let path = journal_path(paths);
    let bytes = match read_bytes_limited(&path) {
        Ok(bytes) => bytes,
        Err(Error::Io { cause, .. }) if cause.kind() == std::io::ErrorKind::NotFound => {
            return Ok((progress, 0, LoadReport::default()));
        }
        Err(err) => return Err(err),
    };
    let text = journal_text(&bytes, &path)?;
    let (records, intact_len, dropped_torn_line) = parse_records(text, &path)?;
    let mut report = LoadReport {
        replayed: 0,
        dropped_torn_line,
    };
    for record in records {
        if record.seq <= progress.seq {
            // Already in the snapshot: compaction stopped before trimming the journal.
            continue;
        }
        if record.seq != progress.seq + 1 {
            return Err(Error::JournalGap {
                path: path.clone(),
                expected: progress.seq + 1,
                found: record.seq,
            });
        }
        progress.apply(record.seq, &record.change);
        report.replayed += 1;
    }
    Ok((progress, intact_len, report))
}

fn read_bytes_limited(path: &Path) -> Result<Vec<u8>> {
    let len = fs::metadata(path)
        .map_err(|err| Error::io(path, err))?
        .len();
    if len > MAX_JOURNAL_BYTES {
        return Err(Error::Parse {
            path: path.to_path_buf(),
            position: None,
            message: format!("file is {len} bytes; the limit is {MAX_JOURNAL_BYTES}"),
        });
    }
    fs::read(path).map_err(|err| Error::io(path, err))
}

/// The journal as text. Bytes that are not UTF-8 are only forgiven in the last, unfinished
/// line (a write cut short inside a character); anywhere else the file is damaged.
fn journal_text<'a>(bytes: &'a [u8], path: &Path) -> Result<&'a str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(err) => {
            let bad = err.valid_up_to();
            if bytes[bad..].contains(&b'\n') {
                let line = String::from_utf8_lossy(&bytes[..bad])
                    .lines()
                    .count()
                    .max(1);
                return Err(Error::Parse {
                    path: path.to_path_buf(),
                    position: Some(TextPosition { line, col: 1 }),
                    message: "not UTF-8 text".to_owned(),
                });
            }
            // Only the torn last line is damaged: `parse_records` drops it.
            Ok(std::str::from_utf8(&bytes[..bad]).unwrap_or_default())
        }
    }
}

/// Parses journal text: the records, the byte length of the intact lines, and whether a torn
/// last line was dropped.
pub fn parse_records(text: &str, path: &Path) -> Result<(Vec<Record>, u64, bool)> {
    let mut records = Vec::new();
    let mut intact_len = 0;
    let mut rest = text;
    let mut line_number = 0;
    while !rest.is_empty() {
        line_number += 1;
        let (line, complete) = match rest.find('\n') {
            Some(end) => (&rest[..end], true),
            None => (rest, false),
        };
        let consumed = line.len() + usize::from(complete);
        let is_last = consumed == rest.len();
        rest = &rest[consumed..];
        if line.trim().is_empty() && complete {
            intact_len += consumed;
            continue;
        }
        match ron_options().from_str::<Record>(line) {
            Ok(record) if complete => {
                records.push(record);
                intact_len += consumed;
            }
            Err(err) if !is_last => {
                // A bad line with records after it: not a crash mid-write, so stop here.
                return Err(match ron_parse_error(path, line, &err) {
                    Error::Parse {
                        path,
                        position,
                        message,
                    } => Error::Parse {
                        path,
                        position: position.map(|p| TextPosition {
                            line: line_number,
                            col: p.col,
                        }),
                        message,
                    },
                    other => other,
                });
            }
            // The last line, cut short (no newline) or unreadable: a write a crash
            // interrupted, whose answer was never confirmed.
            _ => return Ok((records, intact_len as u64, true)),
        }
    }
    Ok((records, intact_len as u64, false))
}

/// The writer's side: the lock and the open journal.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    len: u64,
    records: usize,
    _lock: File,
    /// A failed append could not be cut back; nothing more may be appended.
    poisoned: bool,
    /// Test failpoint: the next append writes half its line, then fails.
    #[cfg(test)]
    pub(crate) fail_next_append: bool,
}

/// Takes the data directory's lock, so this process is its only writer.
pub fn lock(paths: &DataPaths) -> Result<File> {
    let root = &paths.root;
    fs::create_dir_all(root).map_err(|err| Error::io(root, err))?;
    let path = root.join("kartu.lock");
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

impl Journal {
    /// Opens the journal for appending, holding `lock`. `intact_len` is what [`load`] found
    /// intact: anything after it (a torn line) is cut off so new records start on a fresh line.
    pub fn open(paths: &DataPaths, lock: File, intact_len: u64, records: usize) -> Result<Self> {
        let path = journal_path(paths);
        let file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&path)
            .map_err(|err| Error::io(&path, err))?;
        let len = file.metadata().map_err(|err| Error::io(&path, err))?.len();
        if len != intact_len {
            file.set_len(intact_len)
                .map_err(|err| Error::io(&path, err))?;
            file.sync_data().map_err(|err| Error::io(&path, err))?;
        }
        Ok(Self {
            path,
            file,
            len: intact_len,
            records,
            _lock: lock,
            poisoned: false,
            #[cfg(test)]
            fail_next_append: false,
        })
    }

    /// Journal records since the last snapshot.
    #[must_use]
    pub fn records(&self) -> usize {
        self.records
    }

    /// Appends a record and flushes it to disk. On failure the journal is cut back to where
    /// it was, so a half-written line never stays in front of later records.
    pub fn append(&mut self, record: &Record) -> Result<()> {
        let mut line = compact_ron(record);
        line.push('\n');
        if self.poisoned {
            return Err(Error::io(
                &self.path,
                std::io::Error::other("an earlier write could not be undone; restart Kartu"),
            ));
        }
        if let Err(err) = self.write_line(line.as_bytes()) {
            let cut_back = self
                .file
                .set_len(self.len)
                .and_then(|()| self.file.seek(SeekFrom::End(0)).map(|_| ()));
            // A half line left in place must not have records appended after it: it would
            // become a bad middle line. Refuse to write until a restart drops it as torn.
            self.poisoned = cut_back.is_err();
            return Err(Error::io(&self.path, err));
        }
        self.len += line.len() as u64;
        self.records += 1;
        Ok(())
    }

    fn write_line(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        #[cfg(test)]
        if std::mem::take(&mut self.fail_next_append) {
            self.file.write_all(&bytes[..bytes.len() / 2])?;
            return Err(std::io::Error::other("injected failure"));
        }
        self.file.write_all(bytes)?;
        self.file.sync_data()
    }

    /// After a snapshot up to `seq` is safely written: keeps only the newer records.
    pub fn trim_through(&mut self, seq: u64) -> Result<()> {
        let text = fs::read_to_string(&self.path).map_err(|err| Error::io(&self.path, err))?;
        let (records, _, _) = parse_records(&text, &self.path)?;
        let newer: Vec<&Record> = records.iter().filter(|r| r.seq > seq).collect();
        let mut kept = String::new();
        for record in &newer {
            kept.push_str(&compact_ron(*record));
            kept.push('\n');
        }
        storage::atomic_write(&self.path, kept.as_bytes())?;
        // The old handle points at the replaced file: reopen the new one.
        self.file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(&self.path)
            .map_err(|err| Error::io(&self.path, err))?;
        self.len = kept.len() as u64;
        self.records = newer.len();
        Ok(())
    }
}

/// A snapshot to write, possibly on another thread: a copy of the progress at `seq`.
#[derive(Debug)]
pub struct SnapshotJob {
    path: PathBuf,
    progress: Progress,
}

impl SnapshotJob {
    /// A job writing `progress` to the snapshot file of `paths`.
    #[must_use]
    pub fn new(paths: &DataPaths, progress: Progress) -> Self {
        Self {
            path: paths.progress_file(),
            progress,
        }
    }

    /// Writes the snapshot atomically; returns its sequence number.
    pub fn run(self) -> Result<u64> {
        self.progress.save(&self.path)?;
        Ok(self.progress.seq)
    }
}

/// Removes temp files a crash left behind (only ever call this holding the lock).
pub fn sweep_temp_files(paths: &DataPaths) {
    for dir in [
        paths.root.clone(),
        paths.decks_dir(),
        super::backup::backups_dir(paths),
    ] {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with(storage::TEMP_PREFIX)
            {
                // One that cannot be removed now is tried again at the next start.
                fs::remove_file(entry.path()).ok();
            }
        }
    }
}
