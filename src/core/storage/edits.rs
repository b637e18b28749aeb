//! The edits journal, `edits.journal`: every edit to a deck (a note put or removed, a deck
//! created, changed or removed) appended as one line and flushed to disk before the editor
//! says it is saved, as answers are. A saved edit costs one short append whatever the deck's
//! size; the deck files catch up when the journal is folded into them (in the background and
//! at exit), after which the folded records are trimmed.
//!
//! Lines are `(seq: N, edit: …)` in compact RON after a header comment with the format. A
//! last line cut short by a crash is dropped (the edit was never confirmed); any other line
//! that does not read is an error naming it, and nothing is written over the file.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::atomic;
use super::format::lines::{self, compact_ron};
use super::paths::DataPaths;
use crate::core::error::{Error, Result, TextPosition, ron_options};
use crate::core::model::edit::Edit;
use crate::core::model::packed::PackedDeck;
use crate::core::storage::format::deck_file;

/// The edits journal format this build reads and writes.
pub const EDITS_FORMAT_VERSION: u32 = 1;

const HEADER: &str = "// kartu edits, format ";

/// Edits journals larger than this are refused before reading.
const MAX_EDITS_BYTES: u64 = 512 * 1024 * 1024;

/// One line of the journal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditRecord {
    /// Its number: one more than the line before.
    pub seq: u64,
    /// The edit.
    pub edit: Edit,
}

/// What reading the journal found.
#[derive(Debug, Default)]
pub struct ReadEdits {
    /// The records, in order.
    pub records: Vec<EditRecord>,
    /// Bytes up to the end of the last whole line (where the next record goes).
    pub intact_len: u64,
    /// Whether a last line cut short was left out.
    pub dropped_torn_line: bool,
}

/// Reads `edits.journal` (a missing file has no records).
pub fn read(paths: &DataPaths) -> Result<ReadEdits> {
    let path = paths.edits_file();
    if !path.exists() {
        return Ok(ReadEdits::default());
    }
    let bytes = atomic::read_bytes_limited(&path, MAX_EDITS_BYTES)?;
    let mut read = ReadEdits::default();
    let mut at = 0usize;
    let mut line_number = 0usize;
    while at < bytes.len() {
        line_number += 1;
        let end = bytes[at..].iter().position(|b| *b == b'\n');
        let Some(end) = end.map(|e| at + e) else {
            // No line break: a write the crash cut short, never confirmed.
            read.dropped_torn_line = true;
            break;
        };
        let bad = |message: String| Error::Parse {
            path: path.clone(),
            position: Some(TextPosition {
                line: line_number,
                col: 1,
            }),
            message,
        };
        let line = std::str::from_utf8(&bytes[at..end]).map_err(|_| bad("not UTF-8".to_owned()))?;
        if line_number == 1 {
            lines::check_header(&path, line, line_number, HEADER, EDITS_FORMAT_VERSION)?;
        }
        if !line.trim().is_empty() && !line.starts_with("//") {
            let record: EditRecord = ron_options()
                .from_str(line)
                .map_err(|err| bad(format!("not an edit: {}", err.code)))?;
            if let Some(last) = read.records.last()
                && record.seq <= last.seq
            {
                return Err(bad(format!(
                    "edit {} after edit {}: out of order",
                    record.seq, last.seq
                )));
            }
            read.records.push(record);
        }
        at = end + 1;
        read.intact_len = at as u64;
    }
    Ok(read)
}

/// The journal, open for appending (writers only: the caller holds the data directory's
/// lock).
#[derive(Debug)]
pub struct EditsJournal {
    path: PathBuf,
    file: File,
    len: u64,
    next_seq: u64,
}

impl EditsJournal {
    /// Opens it for appending after what [`read`] found intact; a torn last line is cut
    /// off, a new file gets its header.
    pub fn open(paths: &DataPaths, read: &ReadEdits) -> Result<Self> {
        let path = paths.edits_file();
        let file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&path)
            .map_err(|err| Error::io(&path, err))?;
        let len = file.metadata().map_err(|err| Error::io(&path, err))?.len();
        if len != read.intact_len {
            file.set_len(read.intact_len)
                .map_err(|err| Error::io(&path, err))?;
        }
        let mut len = read.intact_len;
        if len == 0 {
            let header = lines::header_line(HEADER, EDITS_FORMAT_VERSION);
            len = atomic::write_header(&file, &path, &header)?;
        }
        Ok(Self {
            path,
            file,
            len,
            next_seq: read.records.last().map_or(1, |r| r.seq + 1),
        })
    }

    /// Appends edits and flushes them to disk (one flush for them all); returns the last
    /// one's number. On failure the file is cut back, so a half line never stays.
    pub fn append_all(&mut self, list: &[Edit]) -> Result<u64> {
        let mut text = String::new();
        let mut seq = self.next_seq;
        for edit in list {
            text.push_str(&compact_ron(&EditRecord {
                seq,
                edit: edit.clone(),
            })?);
            text.push('\n');
            seq += 1;
        }
        let written = self
            .file
            .write_all(text.as_bytes())
            .and_then(|()| self.file.sync_data());
        if let Err(err) = written {
            self.file.set_len(self.len).ok();
            return Err(Error::io(&self.path, err));
        }
        self.len += text.len() as u64;
        self.next_seq = seq;
        Ok(seq - 1)
    }

    /// The number the next edit gets.
    #[must_use]
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    /// After the decks are written up to edit `seq`: keeps only the newer records.
    pub fn trim_through(&mut self, seq: u64) -> Result<()> {
        let read = read_path(&self.path)?;
        let mut kept = lines::header_line(HEADER, EDITS_FORMAT_VERSION);
        for record in read.records.iter().filter(|r| r.seq > seq) {
            kept.push_str(&compact_ron(record)?);
            kept.push('\n');
        }
        atomic::atomic_write(&self.path, kept.as_bytes())?;
        // The old handle points at the replaced file.
        self.file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(&self.path)
            .map_err(|err| Error::io(&self.path, err))?;
        self.len = kept.len() as u64;
        Ok(())
    }
}

fn read_path(path: &Path) -> Result<ReadEdits> {
    let root = path.parent().unwrap_or(Path::new("."));
    read(&DataPaths::new(root))
}

/// Writing edited decks into their files: built on the UI thread (a shared copy of each
/// deck, so building it costs nothing), run anywhere; then [`EditsJournal::trim_through`] with the edit number it returns.
#[derive(Debug)]
pub struct EditFoldJob {
    /// Each deck to write, and its file.
    pub decks: Vec<(Arc<PackedDeck>, PathBuf)>,
    /// Files of removed decks, to move aside.
    pub removed: Vec<PathBuf>,
    /// The last edit the decks hold.
    pub through: u64,
    /// Names the copies of removed decks' files.
    pub suffix: String,
}

impl EditFoldJob {
    /// Writes each deck atomically (canonical form, so a teacher's diff shows only what
    /// changed) and moves removed decks' files aside (`FILE.removed-TIME`); returns the last
    /// edit written.
    pub fn run(self) -> Result<u64> {
        for (deck, path) in &self.decks {
            let mut deck = deck.to_deck()?;
            deck.format = crate::core::model::deck::DECK_FORMAT_VERSION;
            deck_file::save_deck_file(&deck, path)?;
        }
        for path in &self.removed {
            if path.exists() {
                let aside = atomic::set_aside_name(path, &self.suffix);
                std::fs::rename(path, &aside).map_err(|err| Error::io(path, err))?;
                atomic::sync_parent(path)?;
            }
        }
        Ok(self.through)
    }
}
