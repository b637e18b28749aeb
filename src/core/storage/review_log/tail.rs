//! Reading the end of the review log, backwards: what loading needs.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use super::common::{CHUNK_BYTES, MAX_LINE_BYTES, check_header, line_error, open_limited};
use super::entry::{LogEntry, parse_line};
use super::stream::scan;
use crate::core::error::{Error, Result};
use crate::core::model::progress::ReviewEntry;
use crate::core::time::{DAY_SECS, Timestamp};

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

/// How far back loading reads the log: two days before the newest review covers "today" in
/// any time zone and day length.
pub const TAIL_WINDOW_SECS: i64 = 2 * DAY_SECS;

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
