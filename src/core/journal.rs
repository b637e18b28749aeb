//! Progress on disk: a snapshot (`progress.ron`) plus an append-only journal
//! (`progress.journal`), and the lock that makes one process the only writer.
//!
//! Each answer appends one line to the journal and flushes it to disk before the next card
//! is shown: O(1) however large the collection is. Loading replays the journal records whose
//! sequence number is past the snapshot's. A torn last line (a crash mid-write) is dropped and
//! reported; a bad line in the middle is an error, since records after it would be replayed
//! out of context. Compaction writes a new snapshot (atomically, possibly on another thread)
//! and then drops the journal records it contains.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::deck::{CardId, DeckId};
use super::error::{Error, Result, TextPosition, ron_line_error, ron_options};
use super::progress::{Folded, Progress, ReviewEntry, ReviewSink, compact_ron, record_hash};
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
    /// Whole lines at the journal's end that do not parse: damage, not a crash. Their
    /// answers are lost; a writer keeps a copy of the journal before cutting them off.
    pub damaged_tail: Option<DamagedTail>,
}

/// Whole lines at the end of the journal that do not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DamagedTail {
    /// The first damaged line (1-based).
    pub line: usize,
    /// How many lines from there on (each was one answer or undo).
    pub lines: usize,
    /// What is wrong with the first one, as `FILE:LINE:COL: message`.
    pub error: String,
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
    let mut progress = Progress::load_snapshot(&paths.progress_file())?;
    check_review_log(paths, &progress)?;
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
    let Some(parsed) = read_journal(&path)? else {
        progress.review_log_bytes = None;
        progress.folded = None;
        return Ok((progress, 0, LoadReport::default()));
    };
    let replayed = replay(
        &mut progress,
        &parsed.records,
        &path,
        u64::MAX,
        &mut |record, progress| {
            if record.seq > logged {
                progress.apply_to_reviews(&record.change);
            }
        },
    )?;
    // What the snapshot says of the files on disk was checked; memory has no use for it.
    progress.review_log_bytes = None;
    progress.folded = None;
    let report = LoadReport {
        replayed: replayed.count,
        dropped_torn_line: matches!(parsed.tail, JournalTail::Torn),
        damaged_tail: match parsed.tail {
            JournalTail::Damaged(damage) => Some(damage),
            JournalTail::Clean | JournalTail::Torn => None,
        },
    };
    Ok((progress, parsed.intact_len, report))
}

/// A snapshot's review log must be there, and no shorter than when the snapshot was
/// written: the log is only ever appended to, so a shorter one lost history.
pub(crate) fn check_review_log(paths: &DataPaths, progress: &Progress) -> Result<()> {
    let Some(generation) = progress.review_log else {
        return Ok(());
    };
    let log = review_log::log_path(paths, generation);
    let len = match fs::metadata(&log) {
        Ok(metadata) => metadata.len(),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::Inconsistent {
                path: log,
                message: format!(
                    "missing, but {} names it: the history of answers is gone",
                    paths.progress_file().display()
                ),
            });
        }
        Err(err) => return Err(Error::io(&log, err)),
    };
    if let Some(expected) = progress.review_log_bytes
        && len < expected
    {
        return Err(Error::Inconsistent {
            path: log,
            message: format!(
                "{len} bytes, shorter than the {expected} bytes {} says it held: answers of the history were lost (the file was cut short)",
                paths.progress_file().display()
            ),
        });
    }
    Ok(())
}

/// One record of the journal and the line it is on.
#[derive(Clone, Debug, PartialEq)]
pub struct JournalRecord {
    /// 1-based line number.
    pub line: usize,
    /// The record.
    pub record: Record,
}

/// What follows the journal's last intact line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JournalTail {
    /// Nothing: every line is whole and reads.
    Clean,
    /// A last line without its line break: an append a crash cut short, whose answer was
    /// never confirmed.
    Torn,
    /// Whole lines at the end that do not read: damage (a disk, a sync tool), not a crash.
    Damaged(DamagedTail),
}

/// A journal as read: its records, the byte length of its intact lines, and what follows.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedJournal {
    /// The records, in file order.
    pub records: Vec<JournalRecord>,
    /// The length of the header and the records that read; anything after is cut off by
    /// the next writer.
    pub intact_len: u64,
    /// What follows the intact lines.
    pub tail: JournalTail,
}

/// Parses journal bytes; `path` is only used in messages.
///
/// A line that does not read (or is not UTF-8) with a record after it is an error naming its
/// line: the records after it would be replayed out of context. At the end it is a
/// [`JournalTail`]: torn (no line break, a crash mid-append) or damaged.
pub fn parse_records(bytes: &[u8], path: &Path) -> Result<ParsedJournal> {
    let mut records = Vec::new();
    let mut intact_len = 0usize;
    let mut offset = 0usize;
    let mut line_number = 0;
    // The first line that did not read, not yet followed by one that did.
    let mut bad: Option<(usize, Error)> = None;
    let mut bad_lines = 0;
    while offset < bytes.len() {
        line_number += 1;
        let rest = &bytes[offset..];
        let (raw, complete) = match rest.iter().position(|&b| b == b'\n') {
            Some(end) => (&rest[..end], true),
            None => (rest, false),
        };
        offset += raw.len() + usize::from(complete);
        if !complete {
            // A torn last line (a write cut short, possibly inside a character).
            return Ok(ParsedJournal {
                records,
                intact_len: intact_len as u64,
                tail: match bad {
                    Some((line, error)) => damaged_tail(line, bad_lines + 1, &error),
                    None => JournalTail::Torn,
                },
            });
        }
        let parsed = match std::str::from_utf8(raw) {
            Err(_) => Err(Error::Parse {
                path: path.to_path_buf(),
                position: Some(TextPosition {
                    line: line_number,
                    col: 1,
                }),
                message: "not UTF-8 text".to_owned(),
            }),
            Ok(line) if line.trim().is_empty() => Ok(None),
            Ok(line) if line.starts_with("//") => {
                storage::check_header(path, line, line_number, HEADER, JOURNAL_FORMAT_VERSION)
                    .map(|()| None)
            }
            Ok(line) => ron_options()
                .from_str::<Record>(line)
                .map(Some)
                .map_err(|err| ron_line_error(path, line, line_number, &err)),
        };
        match parsed {
            Err(err @ Error::NewerFormat { .. }) => return Err(err),
            Err(err) => {
                if bad.is_none() {
                    bad = Some((line_number, err));
                }
                bad_lines += 1;
            }
            Ok(record) => {
                if let Some((_, err)) = bad {
                    // A bad line with records after it: not a crash mid-write, so stop here.
                    return Err(err);
                }
                if let Some(record) = record {
                    records.push(JournalRecord {
                        line: line_number,
                        record,
                    });
                }
                intact_len = offset;
            }
        }
    }
    Ok(ParsedJournal {
        records,
        intact_len: intact_len as u64,
        tail: match bad {
            Some((line, error)) => damaged_tail(line, bad_lines, &error),
            None => JournalTail::Clean,
        },
    })
}

fn damaged_tail(line: usize, lines: usize, error: &Error) -> JournalTail {
    JournalTail::Damaged(DamagedTail {
        line,
        lines,
        error: error.to_string(),
    })
}

/// Reads and parses the journal; `None` when there is none.
fn read_journal(path: &Path) -> Result<Option<ParsedJournal>> {
    match storage::read_bytes_limited(path, MAX_JOURNAL_BYTES) {
        Ok(bytes) => parse_records(&bytes, path).map(Some),
        Err(Error::Io { cause, .. }) if cause.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err),
    }
}

/// What [`replay`] did.
pub(crate) struct Replayed {
    /// Records applied.
    pub count: usize,
    /// The last journal record at or below the new `seq`: what a snapshot at that `seq`
    /// accounts for.
    pub folded: Option<Folded>,
}

/// Replays journal `records` with sequence numbers up to `through` onto `progress`'s card
/// states, advancing its `seq`; `each` is called with every record applied (and the progress
/// after it). The one place that decides whether a journal fits its snapshot:
///
/// - records at or below the snapshot's `seq` were folded into it by a compaction that
///   stopped before trimming the journal, and are skipped: but only those the snapshot says
///   it accounts for (`folded`, format 4), the last of them byte for byte. Records a snapshot
///   claims without having seen them (a sync tool mixing versions of the two files) are an
///   [`Error::Inconsistent`], so nothing compacts over them;
/// - the records after follow on one by one: a gap is [`Error::JournalGap`];
/// - a record repeated exactly is skipped; a different record with the same number, or one
///   out of order, is damage naming its line.
pub(crate) fn replay(
    progress: &mut Progress,
    records: &[JournalRecord],
    path: &Path,
    through: u64,
    each: &mut dyn FnMut(&Record, &mut Progress),
) -> Result<Replayed> {
    let snapshot_seq = progress.seq;
    let mut replayed = Replayed {
        count: 0,
        folded: progress.folded,
    };
    // Records by number, to tell a repeated record (skipped) from a conflicting one.
    let mut seen: HashMap<u64, &Record> = HashMap::with_capacity(records.len());
    let mut last_seq = 0;
    // Format 1–3 snapshots say nothing of what they folded: trusted, as they always were.
    let checked = progress.format >= 4;
    let mut below_snapshot = false;
    for JournalRecord { line, record } in records {
        if let Some(&earlier) = seen.get(&record.seq) {
            if earlier == record {
                continue;
            }
            return Err(journal_damage(
                path,
                *line,
                format!(
                    "record {} appears twice with different changes: the journal is damaged",
                    record.seq
                ),
            ));
        }
        if record.seq < last_seq {
            return Err(journal_damage(
                path,
                *line,
                format!(
                    "record {} comes after record {last_seq}: the journal is out of order (damaged)",
                    record.seq
                ),
            ));
        }
        seen.insert(record.seq, record);
        last_seq = record.seq;
        if record.seq <= snapshot_seq {
            below_snapshot = true;
            if checked {
                let accounted = progress.folded.is_some_and(|folded| {
                    record.seq < folded.seq
                        || (record.seq == folded.seq && record_hash(record) == folded.hash)
                });
                if !accounted {
                    return Err(snapshot_ahead(path, *line, record.seq, snapshot_seq));
                }
            }
            replayed.folded = Some(Folded {
                seq: record.seq,
                hash: record_hash(record),
            });
            continue;
        }
        if record.seq > through {
            break;
        }
        if record.seq != progress.seq + 1 {
            return Err(Error::JournalGap {
                path: path.to_path_buf(),
                line: *line,
                expected: progress.seq + 1,
                found: record.seq,
            });
        }
        progress.apply_to_cards(&record.change);
        progress.seq = record.seq;
        replayed.count += 1;
        replayed.folded = Some(Folded {
            seq: record.seq,
            hash: record_hash(record),
        });
        each(record, progress);
    }
    // Records below the snapshot must reach the record it names, or it claims records that
    // are not there.
    if checked
        && below_snapshot
        && let Some(folded) = progress.folded
        && !records.iter().any(|r| r.record.seq == folded.seq)
    {
        let line = records.first().map_or(1, |r| r.line);
        return Err(snapshot_ahead(path, line, folded.seq, snapshot_seq));
    }
    Ok(replayed)
}

fn journal_damage(path: &Path, line: usize, message: String) -> Error {
    Error::Parse {
        path: path.to_path_buf(),
        position: Some(TextPosition { line, col: 1 }),
        message,
    }
}

fn snapshot_ahead(path: &Path, line: usize, seq: u64, snapshot_seq: u64) -> Error {
    Error::Inconsistent {
        path: path.to_path_buf(),
        message: format!(
            "line {line}: record {seq} is one progress.ron (at {snapshot_seq}) says it holds, but it does not hold this record: the two files do not belong together (copied or synced separately?)"
        ),
    }
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
        let bytes = storage::read_bytes_limited(&self.path, MAX_JOURNAL_BYTES)?;
        let parsed = parse_records(&bytes, &self.path)?;
        let newer: Vec<&Record> = parsed
            .records
            .iter()
            .map(|r| &r.record)
            .filter(|r| r.seq > seq)
            .collect();
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
    storage::header_line(HEADER, JOURNAL_FORMAT_VERSION)
}

/// A journal with no records: its header line.
#[must_use]
pub(crate) fn empty_journal() -> String {
    header_line()
}

/// The journal's whole records, as on disk now (a torn or damaged end is left out).
pub fn read_records(paths: &DataPaths) -> Result<Vec<JournalRecord>> {
    Ok(read_journal(&journal_path(paths))?.map_or_else(Vec::new, |parsed| parsed.records))
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
        let mut progress = Progress::load_snapshot_with(&snapshot_path, &mut sink)?;
        if progress.review_log.is_none() {
            // A whole document: its reviews are the new log's start.
            let log = match sink.log {
                Some(log) => log,
                None => NewLog::create(&log_path, 0)?,
            };
            log.finish()?;
        } else if progress.review_log != Some(self.generation) {
            return Err(Error::Inconsistent {
                path: snapshot_path,
                message: format!(
                    "the snapshot names review log {:?}, expected {}",
                    progress.review_log, self.generation
                ),
            });
        } else {
            check_review_log(&self.paths, &progress)?;
        }
        if progress.seq >= self.through && progress.review_log.is_some() {
            return Ok(progress.seq);
        }
        let logged = review_log::read_tail(&log_path, 0)?
            .last_seq
            .max(progress.seq);
        let mut entries = Vec::new();
        let journal = journal_path(&self.paths);
        let replayed = replay(
            &mut progress,
            &read_records(&self.paths)?,
            &journal,
            self.through,
            &mut |record, _| {
                if record.seq > logged {
                    entries.push(record.change.log_entry(record.seq));
                }
            },
        )?;
        if progress.seq != self.through {
            return Err(Error::Inconsistent {
                path: journal,
                message: format!(
                    "ends at record {}, but the answers in memory reach record {}",
                    progress.seq, self.through
                ),
            });
        }
        let log_bytes = review_log::append(&log_path, &entries)?;
        progress.review_log = Some(self.generation);
        progress.review_log_bytes = Some(log_bytes);
        progress.folded = replayed.folded;
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
