//! The review log: every answer ever given, one RON line each, in `reviews-N.ron`.
//!
//! The log is only ever appended to (by compaction, from the journal) and never rewritten,
//! so a snapshot stays the size of the card states however long the history grows, and
//! loading reads only the log's end: the reviews of the last two days, which the daily limits
//! need. Statistics and backups stream it.
//!
//! Lines are `Review(SEQ, (deck: …, card: …, …))` and `Undo(SEQ)`, after a header comment
//! with the format number. An `Undo` takes back the latest review not already taken back, as
//! the journal's undo does. `SEQ` is the journal sequence number the line came from, so
//! compaction knows where the log ends; reviews brought in from a whole document (on
//! migration or restore) carry 0, being older than any journal record. `N`, the generation, changes
//! only when a restore replaces the whole history: the new log is written under a new name
//! and the snapshot that names it is the single point where the switch happens.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::{Error, Result, ron_line_error, ron_options};
use super::fastparse::Cursor;
use super::journal::{Change, Record};
use super::progress::{ReviewEntry, ReviewSink, compact_ron, review_value};
use super::storage::{self, DataPaths};
use super::time::Timestamp;

/// The newest review log format this build reads and the one it writes.
pub const REVIEW_LOG_FORMAT_VERSION: u32 = 1;

/// Review logs larger than this are refused.
pub const MAX_REVIEW_LOG_BYTES: u64 = 16 * 1024 * 1024 * 1024;

const HEADER: &str = "// kartu review log, format ";

/// How much of the file is read at a time from its end.
const CHUNK_BYTES: usize = 256 * 1024;

/// Longer lines are damage (a review line is about 170 bytes).
const MAX_LINE_BYTES: u64 = 1024 * 1024;

/// One line of the log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum LogEntry {
    /// An answer, and the sequence number it was journalled with.
    Review(u64, ReviewEntry),
    /// The latest review not yet taken back was taken back.
    Undo(u64),
}

impl LogEntry {
    /// The sequence number.
    #[must_use]
    pub fn seq(&self) -> u64 {
        match self {
            Self::Review(seq, _) | Self::Undo(seq) => *seq,
        }
    }

    /// The entry as a log line, with its `\n`.
    #[must_use]
    pub fn to_line(&self) -> String {
        let mut line = compact_ron(self);
        line.push('\n');
        line
    }
}

/// The log file of generation `generation`.
#[must_use]
pub fn log_path(paths: &DataPaths, generation: u32) -> PathBuf {
    paths.root.join(format!("reviews-{generation}.ron"))
}

/// The generation of a file name `reviews-N.ron`.
#[must_use]
pub fn generation_of(name: &str) -> Option<u32> {
    name.strip_prefix("reviews-")?
        .strip_suffix(".ron")?
        .parse()
        .ok()
}

/// The end of a log, as loading needs it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tail {
    /// The reviews (not taken back) from the first one before `since` on, in log order.
    pub reviews: Vec<ReviewEntry>,
    /// The sequence number of the last whole line (0 for an empty or missing log).
    pub last_seq: u64,
    /// The length of the whole lines; anything after is a torn write.
    pub intact_len: u64,
}

/// Parses one log line: the fast path for the form Kartu writes, else `ron`.
///
/// # Errors
/// When the line is not a log entry.
pub fn parse_line(line: &str) -> std::result::Result<LogEntry, ron::error::SpannedError> {
    let fast = (|| {
        let mut c = Cursor::new(line);
        if c.lit("Undo(").is_some() {
            let seq = c.u64()?;
            c.lit(")")?;
            return c.is_empty().then_some(LogEntry::Undo(seq));
        }
        c.lit("Review(")?;
        let seq = c.u64()?;
        c.lit(", ")?;
        let review = review_value(&mut c)?;
        c.lit(")")?;
        c.is_empty().then_some(LogEntry::Review(seq, review))
    })();
    match fast {
        Some(entry) => Ok(entry),
        None => ron_options().from_str(line),
    }
}

/// The error for a bad line starting at byte `offset` of the file at `path`.
fn line_error(path: &Path, offset: u64, line: &str, err: &ron::error::SpannedError) -> Error {
    ron_line_error(path, line, line_number_at(path, offset), err)
}

/// The 1-based line number of the line starting at byte `offset` (counted only on the rare
/// path of an error).
fn line_number_at(path: &Path, offset: u64) -> usize {
    File::open(path).ok().map_or(0, |file| {
        BufReader::new(file.take(offset)).split(b'\n').count()
    }) + 1
}

/// Damage found at the line starting at byte `offset`.
fn damage_at(path: &Path, offset: u64, message: String) -> Error {
    Error::Parse {
        path: path.to_path_buf(),
        position: Some(super::error::TextPosition {
            line: line_number_at(path, offset),
            col: 1,
        }),
        message,
    }
}

/// Sequence numbers rise line by line (reviews brought in whole, on migration or restore,
/// carry 0 and come first). A line repeating an earlier one exactly (a sync tool's doing) is
/// skipped, as the journal skips a repeated record; a different line under a number already
/// used, or a number out of order, is damage: a review counted twice would skew backups and
/// statistics. Checking costs nothing until a number fails to rise: only then are the lines
/// read so far hashed, to tell a repeat from a conflict.
#[derive(Default)]
struct SeqGuard {
    max_seq: u64,
    /// Hash of the line of every number seen, built at the first number that did not rise.
    seen: Option<HashMap<u64, u64>>,
}

fn line_hash(line: &str) -> u64 {
    line.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl SeqGuard {
    /// Whether the line at byte `offset` of `path` (read in file order) counts: `false` for
    /// an exact repeat of an earlier line.
    fn admit(&mut self, path: &Path, offset: u64, seq: u64, line: &str) -> Result<bool> {
        if seq == 0 {
            if self.max_seq > 0 {
                return Err(damage_at(
                    path,
                    offset,
                    format!(
                        "a review without a sequence number after number {}: the review log is out of order (damaged)",
                        self.max_seq
                    ),
                ));
            }
            return Ok(true);
        }
        if seq > self.max_seq {
            self.max_seq = seq;
            if let Some(seen) = &mut self.seen {
                seen.insert(seq, line_hash(line));
            }
            return Ok(true);
        }
        if self.seen.is_none() {
            // The lines before this one all rose: hash them once.
            let mut seen = HashMap::new();
            scan_lines(path, offset, &mut |_, line| {
                if let Ok(entry) = parse_line(line)
                    && entry.seq() > 0
                {
                    seen.insert(entry.seq(), line_hash(line));
                }
                Ok(())
            })?;
            self.seen = Some(seen);
        }
        match self.seen.as_ref().and_then(|seen| seen.get(&seq)) {
            Some(&hash) if hash == line_hash(line) => Ok(false),
            Some(_) => Err(damage_at(
                path,
                offset,
                format!(
                    "sequence number {seq} appears twice with different reviews: the review log is damaged"
                ),
            )),
            None => Err(damage_at(
                path,
                offset,
                format!(
                    "sequence number {seq} follows {}: the review log is out of order (damaged)",
                    self.max_seq
                ),
            )),
        }
    }
}

/// Checks the header line, if the file has one.
fn check_header(path: &Path, first_line: &str) -> Result<()> {
    storage::check_header(
        path,
        first_line.trim_end_matches('\n'),
        1,
        HEADER,
        REVIEW_LOG_FORMAT_VERSION,
    )
}

fn open_limited(path: &Path) -> Result<Option<(File, u64)>> {
    storage::open_limited(path, MAX_REVIEW_LOG_BYTES)
}

/// How far back loading reads the log: two days before the newest review covers "today" in
/// any time zone and day length.
pub const TAIL_WINDOW_SECS: i64 = 2 * super::time::DAY_SECS;

/// Reads the end of the log at `path` backwards: the reviews from the first one more than
/// `window_secs` older than the newest one on (the log is in answer order). A missing log is
/// empty. A torn last line is left out (it is cut off before the next append).
pub fn read_tail(path: &Path, window_secs: i64) -> Result<Tail> {
    let Some((mut file, len)) = open_limited(path)? else {
        return Ok(Tail::default());
    };
    let mut first = Vec::new();
    BufReader::new((&file).take(MAX_LINE_BYTES + 1))
        .read_until(b'\n', &mut first)
        .map_err(|err| Error::io(path, err))?;
    // A header without its line break is a torn first write, like any torn last line: it
    // holds nothing, and the next append cuts it off.
    if first.last() == Some(&b'\n') {
        check_header(path, &String::from_utf8_lossy(&first))?;
    }
    // `buf` holds the file from offset `base` to `end`.
    let mut buf: Vec<u8> = Vec::new();
    let mut base = len;
    let read_before = |file: &mut File, buf: &mut Vec<u8>, base: &mut u64| -> Result<bool> {
        if *base == 0 {
            return Ok(false);
        }
        let take = (*base).min(CHUNK_BYTES as u64);
        let start = *base - take;
        let mut chunk = vec![0; usize::try_from(take).unwrap_or(CHUNK_BYTES)];
        file.seek(SeekFrom::Start(start))
            .and_then(|_| file.read_exact(&mut chunk))
            .map_err(|err| Error::io(path, err))?;
        chunk.extend_from_slice(buf);
        *buf = chunk;
        *base = start;
        Ok(true)
    };
    // A damaged file may have no line break for gigabytes: never hold more than one
    // over-long line's worth.
    let too_long = || Error::Parse {
        path: path.to_path_buf(),
        position: None,
        message: format!("a line longer than {MAX_LINE_BYTES} bytes"),
    };
    // Find where the whole lines end.
    let intact_len = loop {
        if let Some(pos) = buf.iter().rposition(|b| *b == b'\n') {
            break base + pos as u64 + 1;
        }
        if len - base > MAX_LINE_BYTES {
            return Err(too_long());
        }
        if !read_before(&mut file, &mut buf, &mut base)? {
            break 0;
        }
    };
    let mut tail = TailBuilder::new(intact_len, window_secs);
    let mut line_end = intact_len;
    // The smallest sequence number among the lines after this one (reading backwards, they
    // must fall), and whether one of them had none.
    let mut min_later: Option<u64> = None;
    let mut zero_later = false;
    // Walk whole lines from the end; `line_end` is just past a line's `\n`.
    while line_end > 0 {
        let line_start = loop {
            let rel_newline = usize::try_from(line_end - 1 - base).unwrap_or(0);
            if let Some(pos) = buf[..rel_newline].iter().rposition(|b| *b == b'\n') {
                break base + pos as u64 + 1;
            }
            if line_end - base > MAX_LINE_BYTES {
                return Err(too_long());
            }
            if !read_before(&mut file, &mut buf, &mut base)? {
                break 0;
            }
        };
        let rel_start = usize::try_from(line_start - base).unwrap_or(0);
        let rel_end = usize::try_from(line_end - base).unwrap_or(0) - 1;
        let bytes = &buf[rel_start..rel_end];
        line_end = line_start;
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Err(Error::Parse {
                path: path.to_path_buf(),
                position: None,
                message: format!("not UTF-8 text in the line at byte {line_start}"),
            });
        };
        if text.trim().is_empty() || text.starts_with("//") {
            continue;
        }
        let entry = parse_line(text).map_err(|err| line_error(path, line_start, text, &err))?;
        let seq = entry.seq();
        if seq != 0 && (zero_later || min_later.is_some_and(|later| seq >= later)) {
            // A number that does not rise: a repeated line, or damage. Rare, so the whole
            // log is read in order, where repeats are told from conflicts.
            return read_tail_in_order(path, intact_len, window_secs);
        }
        if seq == 0 {
            zero_later = true;
        } else {
            min_later = Some(seq);
        }
        if !tail.take(entry) {
            break;
        }
    }
    Ok(tail.finish())
}

/// [`read_tail`] by reading the whole log in order: for a log whose numbers do not rise.
fn read_tail_in_order(path: &Path, intact_len: u64, window_secs: i64) -> Result<Tail> {
    let mut entries = Vec::new();
    scan(path, &mut |entry| {
        entries.push(entry);
        Ok(())
    })?;
    let mut tail = TailBuilder::new(intact_len, window_secs);
    for entry in entries.into_iter().rev() {
        if !tail.take(entry) {
            break;
        }
    }
    Ok(tail.finish())
}

/// A [`Tail`] built from the log's entries, last first.
struct TailBuilder {
    tail: Tail,
    window_secs: i64,
    found_last: bool,
    pending_undos: usize,
    since: Option<Timestamp>,
}

impl TailBuilder {
    fn new(intact_len: u64, window_secs: i64) -> Self {
        Self {
            tail: Tail {
                intact_len,
                ..Tail::default()
            },
            window_secs,
            found_last: false,
            pending_undos: 0,
            since: None,
        }
    }

    /// Takes the entry before the ones taken so far; `false` once the window is full.
    fn take(&mut self, entry: LogEntry) -> bool {
        if !self.found_last {
            self.tail.last_seq = entry.seq();
            self.found_last = true;
        }
        match entry {
            LogEntry::Undo(_) => self.pending_undos += 1,
            LogEntry::Review(..) if self.pending_undos > 0 => self.pending_undos -= 1,
            LogEntry::Review(_, review) => {
                let newest = *self.since.get_or_insert(review.at);
                let before_since = review.at < newest.add_secs(-self.window_secs);
                self.tail.reviews.push(review);
                if before_since {
                    return false;
                }
            }
        }
        true
    }

    fn finish(mut self) -> Tail {
        self.tail.reviews.reverse();
        self.tail
    }
}

/// Every review of a history not taken back, in order, without holding them in memory: the
/// reviews of a whole document (`inline`), then of a review log, then of journal records past
/// the log (`later`), undos resolved across all three. Nothing may append to the log while
/// a stream is in use.
pub struct ReviewStream<'a> {
    inline: Vec<ReviewEntry>,
    log: Option<PathBuf>,
    later: &'a [Record],
    taken_back: HashSet<usize>,
    len: usize,
}

impl<'a> ReviewStream<'a> {
    /// Reads the log once to find what undos took back.
    pub fn prepare(
        inline: Vec<ReviewEntry>,
        log: Option<&Path>,
        later: &'a [Record],
    ) -> Result<Self> {
        // By their place among all reviews. The reviews not taken back form a stack, kept
        // as runs of consecutive places: as many runs as undos, not a million entries.
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut taken_back: HashSet<usize> = HashSet::new();
        let mut count = 0usize;
        let mut note = |is_review: bool| {
            if is_review {
                match runs.last_mut() {
                    Some((_, end)) if *end == count => *end += 1,
                    _ => runs.push((count, count + 1)),
                }
                count += 1;
            } else if let Some((start, end)) = runs.last_mut() {
                *end -= 1;
                taken_back.insert(*end);
                if end == start {
                    runs.pop();
                }
            }
        };
        for _ in &inline {
            note(true);
        }
        if let Some(log) = log {
            scan(log, &mut |entry| {
                note(matches!(entry, LogEntry::Review(..)));
                Ok(())
            })?;
        }
        for record in later {
            note(matches!(record.change, Change::Answer { .. }));
        }
        Ok(Self {
            inline,
            log: log.map(Path::to_path_buf),
            later,
            len: count - taken_back.len(),
            taken_back,
        })
    }

    /// How many reviews [`ReviewStream::for_each`] will give.
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Calls `each` with every review, in order.
    pub fn for_each(self, each: &mut dyn FnMut(&ReviewEntry) -> Result<()>) -> Result<()> {
        let mut index = 0usize;
        let taken_back = &self.taken_back;
        let mut give = |review: &ReviewEntry| -> Result<()> {
            let keep = !taken_back.contains(&index);
            index += 1;
            if keep { each(review) } else { Ok(()) }
        };
        for review in &self.inline {
            give(review)?;
        }
        if let Some(log) = &self.log {
            scan(log, &mut |entry| match entry {
                LogEntry::Review(_, review) => give(&review),
                LogEntry::Undo(_) => Ok(()),
            })?;
        }
        for record in self.later {
            if let Change::Answer { review, .. } = &record.change {
                give(review)?;
            }
        }
        Ok(())
    }
}

/// Reads the log's whole lines in order (a torn last line is left out), with undos and
/// repeats as written: each entry once, checked by [`SeqGuard`].
fn scan(path: &Path, each: &mut dyn FnMut(LogEntry) -> Result<()>) -> Result<()> {
    let mut first = true;
    let mut guard = SeqGuard::default();
    scan_lines(path, u64::MAX, &mut |start, line| {
        if std::mem::take(&mut first) {
            check_header(path, line)?;
        }
        if line.trim().is_empty() || line.starts_with("//") {
            return Ok(());
        }
        let entry = parse_line(line).map_err(|err| line_error(path, start, line, &err))?;
        if guard.admit(path, start, entry.seq(), line)? {
            each(entry)?;
        }
        Ok(())
    })
}

/// Calls `each` with every whole line starting before byte `limit`, and its offset.
fn scan_lines(
    path: &Path,
    limit: u64,
    each: &mut dyn FnMut(u64, &str) -> Result<()>,
) -> Result<()> {
    let Some((file, _)) = open_limited(path)? else {
        return Ok(());
    };
    let mut reader = BufReader::with_capacity(CHUNK_BYTES, file);
    let mut bytes = Vec::new();
    let mut offset = 0u64;
    while offset < limit {
        bytes.clear();
        let read = (&mut reader)
            .take(MAX_LINE_BYTES + 1)
            .read_until(b'\n', &mut bytes)
            .map_err(|err| Error::io(path, err))?;
        if bytes.pop() != Some(b'\n') {
            if read as u64 > MAX_LINE_BYTES {
                return Err(Error::Parse {
                    path: path.to_path_buf(),
                    position: None,
                    message: format!("a line longer than {MAX_LINE_BYTES} bytes"),
                });
            }
            // The end, or a torn last line (its records are still in the journal).
            return Ok(());
        }
        let start = offset;
        offset += read as u64;
        let Ok(line) = std::str::from_utf8(&bytes) else {
            return Err(Error::Parse {
                path: path.to_path_buf(),
                position: None,
                message: format!("not UTF-8 text in the line at byte {start}"),
            });
        };
        each(start, line)?;
    }
    Ok(())
}

/// Appends `entries` to the log at `path` and flushes them to disk; returns the log's length
/// after. A torn last line left by a crash is cut off first (even with nothing to append);
/// a new file gets the header.
pub fn append(path: &Path, entries: &[LogEntry]) -> Result<u64> {
    let tail_len = read_tail(path, 0)?.intact_len;
    let created = !path.exists();
    let mut file = OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(false)
        .open(path)
        .map_err(|err| Error::io(path, err))?;
    let len = file.metadata().map_err(|err| Error::io(path, err))?.len();
    if len != tail_len {
        file.set_len(tail_len).map_err(|err| Error::io(path, err))?;
    }
    let mut text = String::new();
    if tail_len == 0 {
        text.push_str(&header_line());
    }
    for entry in entries {
        text.push_str(&entry.to_line());
    }
    let written = file
        .seek(SeekFrom::Start(tail_len))
        .and_then(|_| file.write_all(text.as_bytes()))
        .and_then(|()| file.sync_data());
    if let Err(err) = written {
        // Whole lines only: what was half written goes (the journal still has it all).
        file.set_len(tail_len).ok();
        return Err(Error::io(path, err));
    }
    if created {
        storage::sync_parent(path)?;
    }
    Ok(tail_len + text.len() as u64)
}

fn header_line() -> String {
    storage::header_line(HEADER, REVIEW_LOG_FORMAT_VERSION)
}

/// A new log written at `path` (atomically, when finished) holding reviews that all carry
/// sequence number `seq`.
pub(crate) struct NewLog {
    writer: storage::AtomicWriter,
    seq: u64,
    /// Bytes written so far.
    len: u64,
}

impl NewLog {
    /// Starts a new log file at `path`.
    pub(crate) fn create(path: &Path, seq: u64) -> Result<Self> {
        let mut log = Self {
            writer: storage::AtomicWriter::create(path)?,
            seq,
            len: 0,
        };
        log.write(&header_line())?;
        Ok(log)
    }

    fn write(&mut self, text: &str) -> Result<()> {
        self.writer.write(text.as_bytes())?;
        self.len += text.len() as u64;
        Ok(())
    }

    /// Flushes the file to disk and puts it in place; returns its length.
    pub(crate) fn finish(self) -> Result<u64> {
        self.writer.finish()?;
        Ok(self.len)
    }
}

impl ReviewSink for NewLog {
    fn review(&mut self, review: ReviewEntry) -> Result<()> {
        self.write(&LogEntry::Review(self.seq, review).to_line())
    }

    fn restart(&mut self) -> Result<()> {
        self.writer.restart()?;
        self.len = 0;
        self.write(&header_line())
    }
}

/// Removes log files of other generations than `current` (left by a restore that was cut
/// short, or not yet removed after one). Only ever call this holding the lock.
pub fn sweep_other_generations(paths: &DataPaths, current: u32) {
    let Ok(entries) = fs::read_dir(&paths.root) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if let Some(generation) = name.to_str().and_then(generation_of)
            && generation != current
        {
            // Tried again at the next start if it cannot be removed now.
            fs::remove_file(entry.path()).ok();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::deck::{CardId, DeckId};
    use crate::core::scheduler::{CardState, Rating};

    fn review(card: &str, at: i64) -> ReviewEntry {
        ReviewEntry {
            deck: DeckId("d".into()),
            card: CardId(card.into()),
            at: Timestamp(at),
            rating: Rating::Good,
            state_before: CardState::New,
            elapsed_secs: 0,
            duration_ms: 900,
            interval_secs: 60,
        }
    }

    #[test]
    fn tail_reads_back_to_since_with_undos_resolved_and_torn_line_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reviews-1.ron");
        let mut entries: Vec<LogEntry> = (0..5_000)
            .map(|i| LogEntry::Review(i + 1, review(&format!("c{i}"), 1_000 + i as i64)))
            .collect();
        // The last review is taken back.
        entries.push(LogEntry::Undo(5_001));
        append(&path, &entries).unwrap();
        fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"Review(5002, (deck: \"d\"")
            .unwrap();
        let tail = read_tail(&path, 1_000).unwrap();
        assert_eq!(tail.last_seq, 5_001);
        let cards: Vec<&str> = tail.reviews.iter().map(|r| r.card.0.as_str()).collect();
        // From the first review over 1000 s before the newest one not taken back (c4998, at
        // 5998): c3997 at 4997.
        assert_eq!(cards.first(), Some(&"c3997"));
        assert_eq!(cards.last(), Some(&"c4998"));
        assert_eq!(cards.len(), 1_002);
        // Appending cuts the torn line off first.
        append(&path, &[LogEntry::Review(5_002, review("x", 9_999))]).unwrap();
        let tail = read_tail(&path, 0).unwrap();
        assert_eq!(tail.last_seq, 5_002);
        let mut all = Vec::new();
        let stream = ReviewStream::prepare(Vec::new(), Some(&path), &[]).unwrap();
        assert_eq!(stream.len(), 5_000);
        stream
            .for_each(&mut |r| {
                all.push(r.card.0.clone());
                Ok(())
            })
            .unwrap();
        assert_eq!(all.len(), 5_000);
        assert_eq!(all.last().map(String::as_str), Some("x"));
        assert!(!all.contains(&"c4999".to_owned()));
    }

    #[test]
    fn bad_line_is_reported_with_its_line_number_and_newer_format_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reviews-1.ron");
        append(&path, &[LogEntry::Review(1, review("a", 1))]).unwrap();
        let mut text = fs::read_to_string(&path).unwrap();
        text.push_str("Review(2, oops)\nUndo(3)\n");
        fs::write(&path, &text).unwrap();
        let err = read_tail(&path, 0).unwrap_err();
        assert!(
            matches!(&err, Error::Parse { position: Some(p), .. } if p.line == 3),
            "{err}"
        );
        fs::write(&path, format!("{HEADER}9\n")).unwrap();
        assert!(matches!(
            read_tail(&path, 0),
            Err(Error::NewerFormat { found: 9, .. })
        ));
    }

    #[test]
    fn a_log_without_line_breaks_is_refused_without_reading_it_all() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reviews-1.ron");
        fs::write(&path, vec![b'x'; 3 * 1024 * 1024]).unwrap();
        let err = read_tail(&path, 0).unwrap_err().to_string();
        assert!(err.contains("a line longer than"), "{err}");
    }

    #[test]
    fn streaming_stops_at_damage_with_an_error_never_silently() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reviews-1.ron");
        append(
            &path,
            &[
                LogEntry::Review(1, review("a", 1)),
                LogEntry::Review(2, review("b", 2)),
            ],
        )
        .unwrap();
        let mut bytes = fs::read(&path).unwrap();
        let second = bytes.iter().rposition(|b| *b == b'(').unwrap();
        bytes[second + 3] = 0xff;
        fs::write(&path, &bytes).unwrap();
        let stream = ReviewStream::prepare(Vec::new(), Some(&path), &[]);
        let err = stream.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("not UTF-8"), "{err}");
    }

    #[test]
    fn a_repeated_line_counts_once_anywhere_and_a_conflicting_one_is_damage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reviews-1.ron");
        let entries: Vec<LogEntry> = (1..=4)
            .map(|i| LogEntry::Review(i, review(&format!("c{i}"), i as i64)))
            .collect();
        append(&path, &entries).unwrap();
        let clean = fs::read_to_string(&path).unwrap();
        // Line 3 (seq 2) repeated after the last line, as a sync tool might.
        let repeated = clean.lines().nth(2).unwrap().to_owned();
        fs::write(&path, format!("{clean}{repeated}\n")).unwrap();
        let tail = read_tail(&path, 1_000).unwrap();
        assert_eq!(tail.reviews.len(), 4);
        assert_eq!(tail.last_seq, 4);
        let stream = ReviewStream::prepare(Vec::new(), Some(&path), &[]).unwrap();
        assert_eq!(stream.len(), 4);
        // The same number with a different review.
        let conflict = repeated.replace("rating: good", "rating: easy");
        fs::write(&path, format!("{clean}{conflict}\n")).unwrap();
        for err in [
            read_tail(&path, 1_000).unwrap_err(),
            ReviewStream::prepare(Vec::new(), Some(&path), &[])
                .err()
                .unwrap(),
        ] {
            assert!(
                matches!(&err, Error::Parse { position: Some(p), .. } if p.line == 6),
                "{err}"
            );
            assert!(err.to_string().contains("appears twice"), "{err}");
        }
        // A number out of order that repeats nothing.
        let stray = LogEntry::Review(3, review("other", 9)).to_line();
        let mut lines: Vec<&str> = clean.lines().collect();
        lines.insert(2, stray.trim_end());
        fs::write(&path, lines.join("\n") + "\n").unwrap();
        let err = read_tail(&path, 1_000).unwrap_err().to_string();
        assert!(
            err.contains("out of order") || err.contains("appears twice"),
            "{err}"
        );
    }

    #[test]
    fn a_torn_header_is_an_empty_log_and_the_next_append_repairs_it() {
        // Found by the review_log fuzz target: the first append cut short inside its header.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reviews-1.ron");
        fs::write(&path, HEADER).unwrap();
        let tail = read_tail(&path, TAIL_WINDOW_SECS).unwrap();
        assert_eq!((tail.intact_len, tail.reviews.len()), (0, 0));
        append(&path, &[LogEntry::Review(1, review("a", 1))]).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches(HEADER).count(), 1, "{text}");
        assert_eq!(read_tail(&path, TAIL_WINDOW_SECS).unwrap().reviews.len(), 1);
    }

    #[test]
    fn a_damaged_header_is_damage_not_a_newer_format() {
        // Found by the review_log fuzz target: a header line longer than the first read.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reviews-1.ron");
        fs::write(&path, format!("{HEADER}{}\n", "x".repeat(400))).unwrap();
        assert!(matches!(read_tail(&path, 0), Err(Error::Parse { .. })));
        assert!(matches!(
            ReviewStream::prepare(Vec::new(), Some(&path), &[]),
            Err(Error::Parse { .. })
        ));
    }
}
