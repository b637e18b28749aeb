//! The progress file format (RON, format 4; see `docs/progress-format.md`): reading and
//! writing [`Progress`].
//!
//! The same format serves two kinds of file. `progress.ron` is a snapshot of card states; its
//! `review_log` names the append-only file holding the history (`storage/review_log/`), so
//! the snapshot stays small however many reviews there are. A backup (and any format 1–2
//! file) is a whole document, with every review inline. Changes since the snapshot live in
//! the journal (`storage/journal.rs`).

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read as _};
use std::path::Path;

use crate::core::error::{Error, Result, check_format, probe_format, ron_options, ron_parse_error};
use crate::core::ids::{CardId, DeckId};
use crate::core::model::card::{CardProgress, CardState, Rating};
use crate::core::model::card_states::CardStatesBuilder;
use crate::core::model::progress::{Folded, PROGRESS_FORMAT_VERSION, Progress, ReviewEntry};
use crate::core::storage::atomic;
use crate::core::storage::format::lines::{Cursor, Next, compact_ron, next_line};
use crate::core::time::Timestamp;

/// Progress files larger than this are refused before parsing.
pub const MAX_PROGRESS_FILE_BYTES: u64 = 1024 * 1024 * 1024;

/// Where the reviews of a progress file go while it is read: kept in memory, or streamed
/// somewhere (a new review log) so a million of them never sit in memory at once.
pub(crate) trait ReviewSink {
    /// One more review, in file order.
    fn review(&mut self, review: ReviewEntry) -> Result<()>;
    /// Forget every review given so far: the file is being read again from the start.
    fn restart(&mut self) -> Result<()>;
}

impl ReviewSink for Vec<ReviewEntry> {
    fn review(&mut self, review: ReviewEntry) -> Result<()> {
        self.push(review);
        Ok(())
    }

    fn restart(&mut self) -> Result<()> {
        self.clear();
        Ok(())
    }
}

impl Progress {
    /// Serialises in the canonical form: one line per card and per review, stable order. A
    /// snapshot (with `review_log`) has no reviews inline.
    pub fn to_ron(&self) -> Result<String> {
        let mut text = String::with_capacity(128 * (self.reviews.len() + 8));
        self.write_head(&mut text)?;
        if self.review_log.is_none() {
            text.push_str("    reviews: [\n");
            for review in &self.reviews {
                push_review_line(&mut text, review)?;
            }
            text.push_str("    ],\n");
        }
        text.push_str(")\n");
        Ok(text)
    }

    /// Everything up to the end of `cards`: format, seq, review log and card lines.
    ///
    /// Written by hand around compact per-entry RON so each card is one line: small, fast to
    /// write, and a diff shows exactly what changed.
    pub(crate) fn write_head(&self, text: &mut String) -> Result<()> {
        // Writing to a String cannot fail. Whatever format was read, the current one is
        // written.
        text.push_str("#![enable(implicit_some)]\n(\n");
        writeln!(
            text,
            "    format: {PROGRESS_FORMAT_VERSION},\n    seq: {},",
            self.seq
        )
        .ok();
        if let Some(generation) = self.review_log {
            writeln!(text, "    review_log: {generation},").ok();
            if let Some(bytes) = self.review_log_bytes {
                writeln!(text, "    review_log_bytes: {bytes},").ok();
            }
            if let Some(Folded { seq, hash }) = self.folded {
                writeln!(text, "    folded: (seq: {seq}, hash: {hash}),").ok();
            }
        }
        text.push_str("    cards: {\n");
        for (deck, cards) in &self.cards {
            text.push_str("        ");
            push_key(text, &deck.0)?;
            text.push_str(": {\n");
            for (card, progress) in cards.iter() {
                text.push_str("            ");
                push_key(text, card)?;
                text.push_str(": ");
                push_card_progress(text, &progress);
                text.push_str(",\n");
            }
            text.push_str("        },\n");
        }
        text.push_str("    },\n");
        Ok(())
    }

    /// Parses progress file text; `path` is only used in messages.
    pub fn parse(source: &str, path: &Path) -> Result<Self> {
        let mut reviews = Vec::new();
        if let Some(parsed) = read_fast(source.as_bytes(), path, &mut reviews)? {
            let mut progress = parsed;
            progress.reviews = reviews;
            return Ok(progress);
        }
        Self::parse_ron(source, path)
    }

    /// Parses with the general RON parser only, never the fast path: the reference the fast
    /// path is tested against.
    pub fn parse_ron(source: &str, path: &Path) -> Result<Self> {
        let options = ron_options();
        probe_format(path, source, PROGRESS_FORMAT_VERSION)?;
        let progress: Self = options
            .from_str(source)
            .map_err(|err| ron_parse_error(path, source, &err))?;
        check_format(path, progress.format, PROGRESS_FORMAT_VERSION)?;
        Ok(progress)
    }

    /// Loads a whole progress file (a backup, say); a missing file is an error.
    pub fn load(path: &Path) -> Result<Self> {
        let mut reviews = Vec::new();
        let mut progress = Self::load_with(path, &mut reviews)?;
        progress.reviews = reviews;
        Ok(progress)
    }

    /// Loads the snapshot `progress.ron`. Its absence means a first start: empty progress.
    /// (Only this file may be missing; see [`Progress::load`].)
    pub fn load_snapshot(path: &Path) -> Result<Self> {
        let mut reviews = Vec::new();
        let mut progress = Self::load_snapshot_with(path, &mut reviews)?;
        progress.reviews = reviews;
        Ok(progress)
    }

    /// [`Progress::load_snapshot`], handing inline reviews to `sink`.
    pub(crate) fn load_snapshot_with(path: &Path, sink: &mut dyn ReviewSink) -> Result<Self> {
        match Self::load_with(path, sink) {
            Err(Error::Io { cause, .. }) if cause.kind() == std::io::ErrorKind::NotFound => {
                Ok(Self::default())
            }
            other => other,
        }
    }

    /// Loads `path`, handing its inline reviews to `sink` rather than keeping them; a missing
    /// file is an error. Files Kartu wrote are read line by line, never whole.
    pub(crate) fn load_with(path: &Path, sink: &mut dyn ReviewSink) -> Result<Self> {
        let Some((file, _)) = atomic::open_limited(path, MAX_PROGRESS_FILE_BYTES)? else {
            return Err(Error::io(
                path,
                std::io::Error::from(std::io::ErrorKind::NotFound),
            ));
        };
        let reader = BufReader::with_capacity(256 * 1024, file.take(MAX_PROGRESS_FILE_BYTES));
        if let Some(progress) = read_fast(reader, path, sink)? {
            return Ok(progress);
        }
        // Not in the form Kartu writes (edited by hand?): the general parser, whole file.
        sink.restart()?;
        let text = atomic::read_text_limited(path, MAX_PROGRESS_FILE_BYTES)?;
        let mut progress = Self::parse_ron(&text, path)?;
        for review in std::mem::take(&mut progress.reviews) {
            sink.review(review)?;
        }
        Ok(progress)
    }

    /// Writes `path` atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        atomic::atomic_write(path, self.to_ron()?.as_bytes())
    }
}

/// A deck or card id as [`compact_ron`] writes it: quoted as it is when it holds only the
/// characters ids are made of (always, for ids Kartu checked), else through `ron`.
fn push_key(text: &mut String, id: &str) -> Result<()> {
    if id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
    {
        text.push('"');
        text.push_str(id);
        text.push('"');
    } else {
        text.push_str(&compact_ron(id)?);
    }
    Ok(())
}

/// A card's state exactly as [`compact_ron`] writes it (the tests compare the two on
/// arbitrary states), written by hand: a snapshot of 100,000 cards is written in a few ms
/// rather than a hundred and fifty.
fn push_card_progress(text: &mut String, progress: &CardProgress) {
    let state = match progress.state {
        CardState::New => "new",
        CardState::Learning => "learning",
        CardState::Review => "review",
        CardState::Relearning => "relearning",
    };
    // `ron` writes a float as its `Debug` form, with a sign before a negative NaN.
    let float = |value: f32| {
        let sign = if value.is_nan() && value.is_sign_negative() {
            "-"
        } else {
            ""
        };
        format!("{sign}{value:?}")
    };
    write!(
        text,
        "(state: {state}, remaining_steps: {}, due: {}, interval_secs: {}, stability: {}, \
         difficulty: {}, reps: {}, lapses: {}, last_review: ",
        progress.remaining_steps,
        progress.due.0,
        progress.interval_secs,
        float(progress.stability),
        float(progress.difficulty),
        progress.reps,
        progress.lapses,
    )
    .ok();
    match progress.last_review {
        Some(at) => write!(text, "{}", at.0).ok(),
        None => text.write_str("None").ok(),
    };
    if progress.suspended {
        text.push_str(", suspended: true");
    }
    if let Some(until) = progress.buried_until {
        write!(text, ", buried_until: {}", until.0).ok();
    }
    text.push(')');
}

/// One review as a document line (`        (deck: …),`).
pub(crate) fn push_review_line(text: &mut String, review: &ReviewEntry) -> Result<()> {
    text.push_str("        ");
    text.push_str(&compact_ron(review)?);
    text.push_str(",\n");
    Ok(())
}

/// The fast path for progress files in the exact form Kartu writes, read line by line.
/// `Ok(None)`: not that form (nothing is wrong yet; the caller parses with `ron`).
/// The reviews go to `sink`; the returned progress has none.
pub(crate) fn read_fast(
    mut reader: impl BufRead,
    path: &Path,
    sink: &mut dyn ReviewSink,
) -> Result<Option<Progress>> {
    let mut line = String::new();
    let mut next_line = |line: &mut String| next_line(&mut reader, line, path);
    macro_rules! expect_line {
        () => {
            if next_line(&mut line)? != Next::Line {
                return Ok(None);
            }
        };
    }
    expect_line!();
    if line != "#![enable(implicit_some)]" {
        return Ok(None);
    }
    expect_line!();
    if line != "(" {
        return Ok(None);
    }
    expect_line!();
    let Some(format) = header_number(&line, "format") else {
        return Ok(None);
    };
    // Past u32 `ron` reports an error; so leave that to it.
    let Ok(format) = u32::try_from(format) else {
        return Ok(None);
    };
    check_format(path, format, PROGRESS_FORMAT_VERSION)?;
    let mut progress = Progress {
        format,
        ..Progress::default()
    };
    expect_line!();
    if let Some(seq) = header_number(&line, "seq") {
        progress.seq = seq;
        expect_line!();
    }
    if let Some(generation) = header_number(&line, "review_log") {
        let Ok(generation) = u32::try_from(generation) else {
            return Ok(None);
        };
        progress.review_log = Some(generation);
        expect_line!();
        if let Some(bytes) = header_number(&line, "review_log_bytes") {
            progress.review_log_bytes = Some(bytes);
            expect_line!();
        }
        if let Some(folded) = folded_line(&line) {
            progress.folded = Some(folded);
            expect_line!();
        }
    }
    if line != "    cards: {" {
        return Ok(None);
    }
    loop {
        expect_line!();
        if line == "    }," {
            break;
        }
        let mut cursor = Cursor::new(&line);
        let deck = (|| {
            cursor.lit("        ")?;
            let deck = cursor.string()?;
            cursor.lit(": {")?;
            cursor.is_empty().then_some(deck)
        })();
        let Some(deck) = deck else {
            return Ok(None);
        };
        let deck = DeckId(deck.to_owned());
        // A snapshot lists cards in id order: straight into the sorted list.
        let mut cards = CardStatesBuilder::new();
        loop {
            expect_line!();
            if line == "        }," {
                break;
            }
            let Some((card, state)) = card_line(&line) else {
                return Ok(None);
            };
            // Of repeated keys, `ron` keeps the last; so does this.
            cards.push(card, &state);
        }
        progress.cards.insert(deck, cards.finish());
    }
    expect_line!();
    if line == "    reviews: [" {
        loop {
            expect_line!();
            if line == "    ]," {
                break;
            }
            let Some(review) = Cursor::new(&line)
                .lit("        ")
                .and_then(|()| review_line(&line["        ".len()..]))
            else {
                return Ok(None);
            };
            sink.review(review)?;
        }
        expect_line!();
    } else if progress.review_log.is_none() {
        // `reviews` is required in a whole document.
        return Ok(None);
    }
    if line != ")" {
        return Ok(None);
    }
    // Only white space may follow.
    loop {
        match next_line(&mut line)? {
            Next::End => return Ok(Some(progress)),
            Next::Line if line.trim().is_empty() => {}
            Next::Line | Next::Odd => return Ok(None),
        }
    }
}

/// `    name: 123,`
fn header_number(line: &str, name: &str) -> Option<u64> {
    let mut cursor = Cursor::new(line);
    cursor.lit("    ")?;
    cursor.key(name)?;
    let value = cursor.u64()?;
    cursor.lit(",")?;
    cursor.is_empty().then_some(value)
}

/// `    folded: (seq: 12, hash: 345),`
fn folded_line(line: &str) -> Option<Folded> {
    let mut c = Cursor::new(line);
    c.lit("    ")?;
    c.key("folded")?;
    c.lit("(")?;
    c.key("seq")?;
    let seq = c.u64()?;
    c.lit(", ")?;
    c.key("hash")?;
    let hash = c.u64()?;
    c.lit("),")?;
    c.is_empty().then_some(Folded { seq, hash })
}

/// `            "card": (state: review, …),`
fn card_line(line: &str) -> Option<(&str, CardProgress)> {
    let mut c = Cursor::new(line);
    c.lit("            ")?;
    let card = c.string()?;
    c.lit(": ")?;
    let state = card_state(&mut c)?;
    c.lit(",")?;
    c.is_empty().then_some((card, state))
}

/// `(state: review, remaining_steps: 0, …, last_review: 123)`, fields in written order.
pub(crate) fn card_state(c: &mut Cursor<'_>) -> Option<CardProgress> {
    c.lit("(")?;
    c.key("state")?;
    let state = CardState::from_word(c.word()?)?;
    c.lit(", ")?;
    c.key("remaining_steps")?;
    let remaining_steps = c.u32()?;
    c.lit(", ")?;
    c.key("due")?;
    let due = Timestamp(c.i64()?);
    c.lit(", ")?;
    c.key("interval_secs")?;
    let interval_secs = c.u64()?;
    c.lit(", ")?;
    c.key("stability")?;
    let stability = c.f32()?;
    c.lit(", ")?;
    c.key("difficulty")?;
    let difficulty = c.f32()?;
    c.lit(", ")?;
    c.key("reps")?;
    let reps = c.u32()?;
    c.lit(", ")?;
    c.key("lapses")?;
    let lapses = c.u32()?;
    c.lit(", ")?;
    c.key("last_review")?;
    let last_review = if c.lit("None").is_some() {
        None
    } else {
        Some(Timestamp(c.i64()?))
    };
    // Written only when set.
    let suspended = c.lit(", suspended: true").is_some();
    let buried_until = if c.lit(", buried_until: ").is_some() {
        Some(Timestamp(c.i64()?))
    } else {
        None
    };
    c.lit(")")?;
    Some(CardProgress {
        state,
        remaining_steps,
        due,
        interval_secs,
        stability,
        difficulty,
        reps,
        lapses,
        last_review,
        suspended,
        buried_until,
    })
}

/// `(deck: "d", card: "c", at: 1, rating: good, …)` and nothing after it but `,`.
pub(crate) fn review_line(text: &str) -> Option<ReviewEntry> {
    let mut c = Cursor::new(text);
    let review = review_value(&mut c)?;
    c.lit(",")?;
    c.is_empty().then_some(review)
}

/// `(deck: "d", card: "c", at: 1, rating: good, …)`, fields in written order.
pub(crate) fn review_value(c: &mut Cursor<'_>) -> Option<ReviewEntry> {
    c.lit("(")?;
    c.key("deck")?;
    let deck = DeckId(c.string()?.to_owned());
    c.lit(", ")?;
    c.key("card")?;
    let card = CardId(c.string()?.to_owned());
    c.lit(", ")?;
    c.key("at")?;
    let at = Timestamp(c.i64()?);
    c.lit(", ")?;
    c.key("rating")?;
    let rating = Rating::from_word(c.word()?)?;
    c.lit(", ")?;
    c.key("state_before")?;
    let state_before = CardState::from_word(c.word()?)?;
    c.lit(", ")?;
    c.key("elapsed_secs")?;
    let elapsed_secs = c.i64()?;
    c.lit(", ")?;
    c.key("duration_ms")?;
    let duration_ms = c.u32()?;
    c.lit(", ")?;
    c.key("interval_secs")?;
    let interval_secs = c.u64()?;
    c.lit(")")?;
    Some(ReviewEntry {
        deck,
        card,
        at,
        rating,
        state_before,
        elapsed_secs,
        duration_ms,
        interval_secs,
    })
}

#[cfg(test)]
mod tests;
