//! Reading the whole review log in order: backups (and statistics) stream it.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use super::common::{
    CHUNK_BYTES, MAX_LINE_BYTES, check_header, damage_at, line_error, open_limited,
};
use super::entry::{LogEntry, parse_line};
use crate::core::error::{Error, Result};
use crate::core::ids::fnv64;
use crate::core::model::progress::{Change, ReviewEntry};
use crate::core::storage::journal::Record;

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
                seen.insert(seq, fnv64(line.bytes()));
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
                    seen.insert(entry.seq(), fnv64(line.bytes()));
                }
                Ok(())
            })?;
            self.seen = Some(seen);
        }
        match self.seen.as_ref().and_then(|seen| seen.get(&seq)) {
            Some(&hash) if hash == fnv64(line.bytes()) => Ok(false),
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
            match record.change {
                Change::Answer { .. } => note(true),
                Change::Undo { .. } => note(false),
                // Card states set directly neither add nor take back a review.
                Change::SetCards { .. } => {}
            }
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
pub(crate) fn scan(path: &Path, each: &mut dyn FnMut(LogEntry) -> Result<()>) -> Result<()> {
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
pub(crate) fn scan_lines(
    path: &Path,
    limit: u64,
    each: &mut dyn FnMut(u64, &str) -> Result<()>,
) -> Result<()> {
    lines_from(path, 0, limit, each)
}

/// Calls `each` with every whole line from byte `from` (where a line starts) to before byte
/// `limit`, and its offset: for a reader that goes on where it stopped (the statistics
/// cache). Entries are not checked; see [`parse_line`] and [`check_header`].
pub fn lines_from(
    path: &Path,
    from: u64,
    limit: u64,
    each: &mut dyn FnMut(u64, &str) -> Result<()>,
) -> Result<()> {
    let Some((mut file, _)) = open_limited(path)? else {
        return Ok(());
    };
    if from > 0 {
        std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(from))
            .map_err(|err| Error::io(path, err))?;
    }
    let mut reader = BufReader::with_capacity(CHUNK_BYTES, file);
    let mut bytes = Vec::new();
    let mut offset = from;
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
