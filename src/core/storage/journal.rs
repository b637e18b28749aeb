//! The journal `progress.journal`: one line per change since the snapshot, each appended and
//! flushed to disk before the next card is shown (O(1) however large the collection is).
//!
//! Reading it ([`parse_records`]) tells a torn last line (a crash mid-append, dropped and
//! reported) from damage: a bad line with records after it is an error, since records after
//! it would be replayed out of context; bad whole lines at the end are a damaged end, cut off
//! by the next writer after it keeps a copy. How records fit their snapshot is decided in
//! `replay.rs`.

use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::core::error::{Error, Result, TextPosition, ron_line_error, ron_options};
use crate::core::ids::{CardId, DeckId};
use crate::core::model::progress::Change;
use crate::core::storage::atomic;
use crate::core::storage::format::lines::{self, Cursor, compact_ron};
use crate::core::storage::format::snapshot::{card_state, review_value};
use crate::core::storage::paths::DataPaths;

/// The newest journal format this build reads and the one it writes. Journals from before
/// the header existed read as format 1. Format 2 adds `SetCards` records (suspend, bury,
/// forget); a format 1 journal is rewritten with the new header when a writer opens it, so
/// an older Kartu meets a format it does not know and opens read-only, instead of reading
/// records it cannot parse as damage.
pub const JOURNAL_FORMAT_VERSION: u32 = 2;

const HEADER: &str = "// kartu journal, format ";

/// Journal files larger than this are refused before reading.
pub const MAX_JOURNAL_BYTES: u64 = 1024 * 1024 * 1024;

/// A journal line: a change and its sequence number.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// 1 more than the previous record's (or the snapshot's) sequence number.
    pub seq: u64,
    /// What changed.
    pub change: Change,
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
                lines::check_header(path, line, line_number, HEADER, JOURNAL_FORMAT_VERSION)
                    .map(|()| None)
            }
            Ok(line) => match parse_record_fast(line) {
                Some(record) => Ok(Some(record)),
                None => ron_options()
                    .from_str::<Record>(line)
                    .map(Some)
                    .map_err(|err| ron_line_error(path, line, line_number, &err)),
            },
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

/// A record line exactly as Kartu writes it (the fast path; `ron` reads anything else):
/// `(seq: 3, change: Answer(review: (…), after: (…)))` or
/// `(seq: 4, change: Undo(deck: "…", card: "…", before: None))` or
/// `(seq: 5, change: SetCards(cards: [("…", "…", (…)), ("…", "…", None)]))`.
pub(crate) fn parse_record_fast(line: &str) -> Option<Record> {
    let mut c = Cursor::new(line);
    c.lit("(")?;
    c.key("seq")?;
    let seq = c.u64()?;
    c.lit(", ")?;
    c.key("change")?;
    let change = if c.lit("Answer(").is_some() {
        c.key("review")?;
        let review = review_value(&mut c)?;
        c.lit(", ")?;
        c.key("after")?;
        let after = card_state(&mut c)?;
        Change::Answer { review, after }
    } else if c.lit("SetCards(").is_some() {
        c.key("cards")?;
        c.lit("[")?;
        let mut cards = Vec::new();
        while c.lit("]").is_none() {
            if !cards.is_empty() {
                c.lit(", ")?;
            }
            c.lit("(")?;
            let deck = DeckId(c.string()?.to_owned());
            c.lit(", ")?;
            let card = CardId(c.string()?.to_owned());
            c.lit(", ")?;
            let state = if c.lit("None").is_some() {
                None
            } else {
                Some(card_state(&mut c)?)
            };
            c.lit(")")?;
            cards.push((deck, card, state));
        }
        Change::SetCards { cards }
    } else {
        c.lit("Undo(")?;
        c.key("deck")?;
        let deck = DeckId(c.string()?.to_owned());
        c.lit(", ")?;
        c.key("card")?;
        let card = CardId(c.string()?.to_owned());
        c.lit(", ")?;
        c.key("before")?;
        let before = if c.lit("None").is_some() {
            None
        } else {
            Some(card_state(&mut c)?)
        };
        Change::Undo { deck, card, before }
    };
    c.lit("))")?;
    c.is_empty().then_some(Record { seq, change })
}

/// Reads and parses the journal; `None` when there is none.
pub(crate) fn read_journal(path: &Path) -> Result<Option<ParsedJournal>> {
    match atomic::read_bytes_limited(path, MAX_JOURNAL_BYTES) {
        Ok(bytes) => parse_records(&bytes, path).map(Some),
        Err(Error::Io { cause, .. }) if cause.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err),
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

impl Journal {
    /// Opens the journal for appending, holding `lock`. `intact_len` is what [`load`] found
    /// intact: anything after it (a torn line) is cut off so new records start on a fresh line.
    pub fn open(paths: &DataPaths, lock: File, intact_len: u64, records: usize) -> Result<Self> {
        let path = paths.journal_file();
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
        let mut file = file;
        if intact_len > 0 && written_format(&path)? < JOURNAL_FORMAT_VERSION {
            intact_len = rewrite_keeping(&path, 0)?.0;
            // The rewrite replaced the file: append to the new one, not the handle on the old.
            file = OpenOptions::new()
                .read(true)
                .append(true)
                .open(&path)
                .map_err(|err| Error::io(&path, err))?;
        }
        if intact_len == 0 {
            intact_len = atomic::write_header(&file, &path, &header_line())?;
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
        let mut line = compact_ron(record)?;
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
        let (len, records) = rewrite_keeping(&self.path, seq)?;
        // The old handle points at the replaced file: reopen the new one.
        self.file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(&self.path)
            .map_err(|err| Error::io(&self.path, err))?;
        self.len = len;
        self.records = records;
        Ok(())
    }
}

/// The format number in the journal's header line (1 for a journal without one).
fn written_format(path: &Path) -> Result<u32> {
    let bytes = atomic::read_bytes_limited(path, MAX_JOURNAL_BYTES)?;
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    Ok(std::str::from_utf8(first)
        .ok()
        .and_then(|line| line.strip_prefix(HEADER))
        .and_then(|number| number.trim().parse().ok())
        .unwrap_or(1))
}

/// Rewrites the journal, atomically, with the current header and only the records after
/// `seq`; returns its new length and record count.
fn rewrite_keeping(path: &Path, seq: u64) -> Result<(u64, usize)> {
    let bytes = atomic::read_bytes_limited(path, MAX_JOURNAL_BYTES)?;
    let parsed = parse_records(&bytes, path)?;
    let newer: Vec<&Record> = parsed
        .records
        .iter()
        .map(|r| &r.record)
        .filter(|r| r.seq > seq)
        .collect();
    let mut kept = header_line();
    for record in &newer {
        kept.push_str(&compact_ron(*record)?);
        kept.push('\n');
    }
    atomic::atomic_write(path, kept.as_bytes())?;
    Ok((kept.len() as u64, newer.len()))
}

fn header_line() -> String {
    lines::header_line(HEADER, JOURNAL_FORMAT_VERSION)
}

/// A journal with no records: its header line.
#[must_use]
pub(crate) fn empty_journal() -> String {
    header_line()
}

/// The journal's whole records, as on disk now (a torn or damaged end is left out).
pub fn read_records(paths: &DataPaths) -> Result<Vec<JournalRecord>> {
    Ok(read_journal(&paths.journal_file())?.map_or_else(Vec::new, |parsed| parsed.records))
}
