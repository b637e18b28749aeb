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
use super::error::{Error, Result, TextPosition, check_format, ron_line_error, ron_options};
use super::progress::{Progress, ReviewEntry, ReviewSink, compact_ron};
use super::review_log::{self, LogEntry, NewLog};
use super::scheduler::CardProgress;
use super::storage::{self, DataPaths};

/// The newest journal format this build reads and the one it writes. Journals from before
/// the header existed read as format 1.
pub const JOURNAL_FORMAT_VERSION: u32 = 1;

const HEADER: &str = "// kartu journal, format ";

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

impl Change {
    /// The review log line for this change.
    #[must_use]
    pub fn log_entry(&self, seq: u64) -> LogEntry {
        match self {
            Self::Answer { review, .. } => LogEntry::Review(seq, review.clone()),
            Self::Undo { .. } => LogEntry::Undo(seq),
        }
    }
}

impl Progress {
    /// Applies a journalled change and advances the sequence number to `seq`.
    pub fn apply(&mut self, seq: u64, change: &Change) {
        self.apply_to_cards(change);
        self.apply_to_reviews(change);
        self.seq = seq;
    }

    /// Applies a change to the card states only.
    pub fn apply_to_cards(&mut self, change: &Change) {
        match change {
            Change::Answer { review, after } => {
                self.set_card(&review.deck, &review.card, Some(after.clone()));
            }
            Change::Undo { deck, card, before } => self.set_card(deck, card, before.clone()),
        }
    }

    /// Applies a change to the reviews held in memory only.
    pub fn apply_to_reviews(&mut self, change: &Change) {
        match change {
            Change::Answer { review, .. } => self.reviews.push(review.clone()),
            Change::Undo { deck, card, .. } => {
                // In memory only the recent reviews are held; the one taken back is always
                // among them, but never take back a different card's review.
                if self
                    .reviews
                    .last()
                    .is_some_and(|last| &last.deck == deck && &last.card == card)
                {
                    self.reviews.pop();
                }
            }
        }
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
    // Records up to `logged` are in the review log already (and so in `progress.reviews`).
    let logged = match progress.review_log {
        Some(generation) => {
            let tail = review_log::read_tail(
                &review_log::log_path(paths, generation),
                review_log::TAIL_WINDOW_SECS,
            )?;
            progress.reviews = tail.reviews;
            tail.last_seq.max(progress.seq)
        }
        None => progress.seq,
    };
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
        progress.apply_to_cards(&record.change);
        if record.seq > logged {
            progress.apply_to_reviews(&record.change);
        }
        progress.seq = record.seq;
        report.replayed += 1;
    }
    Ok((progress, intact_len, report))
}

fn read_bytes_limited(path: &Path) -> Result<Vec<u8>> {
    storage::read_bytes_limited(path, MAX_JOURNAL_BYTES)
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
        if line.starts_with("//") && complete {
            if let Some(format) = line.strip_prefix(HEADER) {
                // A number that is not one is damage, not a newer Kartu.
                let Ok(found) = format.trim().parse() else {
                    return Err(Error::Parse {
                        path: path.to_path_buf(),
                        position: Some(TextPosition {
                            line: line_number,
                            col: HEADER.chars().count() + 1,
                        }),
                        message: "the header's format number is damaged".to_owned(),
                    });
                };
                check_format(path, found, JOURNAL_FORMAT_VERSION)?;
            }
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
                return Err(ron_line_error(path, line, line_number, &err));
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
        let mut intact_len = intact_len;
        if intact_len == 0 {
            let header = header_line();
            (&file)
                .write_all(header.as_bytes())
                .and_then(|()| file.sync_data())
                .map_err(|err| Error::io(&path, err))?;
            storage::sync_parent(&path)?;
            intact_len = header.len() as u64;
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
        let mut kept = header_line();
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

fn header_line() -> String {
    format!("{HEADER}{JOURNAL_FORMAT_VERSION}\n")
}

/// The journal's whole records, as on disk now (a torn last line is left out).
pub fn read_records(paths: &DataPaths) -> Result<Vec<Record>> {
    let path = journal_path(paths);
    let bytes = match read_bytes_limited(&path) {
        Ok(bytes) => bytes,
        Err(Error::Io { cause, .. }) if cause.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Vec::new());
        }
        Err(err) => return Err(err),
    };
    let text = journal_text(&bytes, &path)?;
    Ok(parse_records(text, &path)?.0)
}

/// Reviews read from a whole progress document go into a new review log, created only when
/// the first one comes (an older snapshot being migrated).
struct MigratingSink {
    path: PathBuf,
    log: Option<NewLog>,
}

impl ReviewSink for MigratingSink {
    fn review(&mut self, review: ReviewEntry) -> Result<()> {
        if self.log.is_none() {
            self.log = Some(NewLog::create(&self.path, 0)?);
        }
        self.log.as_mut().map_or(Ok(()), |log| log.review(review))
    }

    fn restart(&mut self) -> Result<()> {
        self.log.as_mut().map_or(Ok(()), NewLog::restart)
    }
}

/// Compaction: folds the journal, as it is on disk, into a new snapshot. Runs anywhere (it
/// holds no copy of the progress: it reads the last snapshot and the journal), one at a
/// time; afterwards [`Journal::trim_through`] drops the records it holds.
///
/// The journal's new reviews are appended to the review log first and flushed, then the
/// snapshot is replaced atomically: a crash in between leaves the old snapshot, whose
/// journal records are replayed as before (the log's sequence numbers show which reviews it
/// already has). A whole-document snapshot from before the review log (format 1–2) is
/// migrated the same way: its reviews go to a new log before the new snapshot names it.
#[derive(Debug)]
pub struct SnapshotJob {
    paths: DataPaths,
    through: u64,
    generation: u32,
}

impl SnapshotJob {
    /// A job folding journal records up to `through` into a snapshot whose review log is
    /// generation `generation`.
    #[must_use]
    pub fn new(paths: &DataPaths, through: u64, generation: u32) -> Self {
        Self {
            paths: paths.clone(),
            through,
            generation,
        }
    }

    /// Writes the snapshot; returns its sequence number.
    pub fn run(self) -> Result<u64> {
        let snapshot_path = self.paths.progress_file();
        let log_path = review_log::log_path(&self.paths, self.generation);
        let mut sink = MigratingSink {
            path: log_path.clone(),
            log: None,
        };
        let mut progress = Progress::load_with(&snapshot_path, &mut sink)?;
        if progress.review_log.is_none() {
            // A whole document: its reviews are the new log's start.
            let log = match sink.log {
                Some(log) => log,
                None => NewLog::create(&log_path, 0)?,
            };
            log.finish()?;
        } else if progress.review_log != Some(self.generation) {
            return Err(Error::Parse {
                path: snapshot_path,
                position: None,
                message: format!(
                    "the snapshot names review log {:?}, expected {}",
                    progress.review_log, self.generation
                ),
            });
        }
        if progress.seq >= self.through && progress.review_log.is_some() {
            return Ok(progress.seq);
        }
        let logged = review_log::read_tail(&log_path, 0)?
            .last_seq
            .max(progress.seq);
        let mut entries = Vec::new();
        for record in read_records(&self.paths)? {
            if record.seq <= progress.seq || record.seq > self.through {
                continue;
            }
            if record.seq != progress.seq + 1 {
                return Err(Error::JournalGap {
                    path: journal_path(&self.paths),
                    expected: progress.seq + 1,
                    found: record.seq,
                });
            }
            progress.apply_to_cards(&record.change);
            progress.seq = record.seq;
            if record.seq > logged {
                entries.push(record.change.log_entry(record.seq));
            }
        }
        if progress.seq != self.through {
            return Err(Error::JournalGap {
                path: journal_path(&self.paths),
                expected: progress.seq + 1,
                found: self.through,
            });
        }
        review_log::append(&log_path, &entries)?;
        progress.review_log = Some(self.generation);
        progress.reviews.clear();
        progress.save(&snapshot_path)?;
        Ok(progress.seq)
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
