//! The fast path for deck files in the exact form [`Deck::to_ron`](crate::core::model::deck::Deck) writes, read line
//! by line into a [`PackedDeck`].

use std::io::{BufRead, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use super::DECK_FORMAT_VERSION;
use crate::core::error::{Error, Result, check_format};
use crate::core::ids::DeckId;
use crate::core::model::deck::{NoteKind, NoteView, content_problem};
use crate::core::model::packed::cold::{
    BLOCK_NOTES, BlockPlace, BlockSource, BlockText, text_changed,
};
use crate::core::model::packed::{NO_SPAN, NO_TIME, NoteFields, NoteText, PackBuilder, PackedDeck};
use crate::core::storage::format::lines::{Cursor, Next, next_line};

struct Lines<R> {
    reader: R,
    line: String,
    /// Bytes read so far (where a cold block starts and ends).
    consumed: u64,
}

impl<R: BufRead> Lines<R> {
    fn new(reader: R) -> Self {
        Self {
            reader,
            line: String::new(),
            consumed: 0,
        }
    }

    /// The next whole line, or `None` (end of file or anything odd).
    fn next(&mut self, path: &Path) -> Result<Option<&str>> {
        let mut line = std::mem::take(&mut self.line);
        let whole = self.next_into(path, &mut line)?;
        self.line = line;
        Ok(whole.then_some(self.line.as_str()))
    }
}

/// Where a note's lines come from: a file read as it goes ([`Lines`]), or a block of one
/// already in memory ([`BlockLines`]).
trait LineSource {
    /// Reads the next whole line into `out` (a buffer of the caller's, reused: no
    /// allocation per line); `false` at the end of the text or on anything odd.
    fn next_into(&mut self, path: &Path, out: &mut String) -> Result<bool>;
}

/// The lines of a block read back, checked as UTF-8 once, found with `memchr`: reading
/// back is most of what the browser's first search waits for.
struct BlockLines<'a> {
    rest: &'a str,
}

impl LineSource for BlockLines<'_> {
    fn next_into(&mut self, _path: &Path, out: &mut String) -> Result<bool> {
        // As `next_line`: only a line ending in `\n` is whole.
        let Some(end) = memchr::memchr(b'\n', self.rest.as_bytes()) else {
            return Ok(false);
        };
        out.clear();
        out.push_str(&self.rest[..end]);
        self.rest = &self.rest[end + 1..];
        Ok(true)
    }
}

impl<R: BufRead> LineSource for Lines<R> {
    fn next_into(&mut self, path: &Path, out: &mut String) -> Result<bool> {
        let whole = next_line(&mut self.reader, out, path)? == Next::Line;
        if whole {
            // The line and its `\n`.
            self.consumed += out.len() as u64 + 1;
        }
        Ok(whole)
    }
}

macro_rules! some_or_none {
    ($value:expr) => {
        match $value {
            Some(value) => value,
            None => return Ok(None),
        }
    };
}

/// Where a deck read from its file leaves its notes' text (see [`read`]).
pub(crate) enum Text {
    /// In memory, all of it.
    Held,
    /// In the file, read back from `file` when asked for.
    Cold {
        /// The file being read, opened again (its own handle: replacing the file's name
        /// later does not change what this reads).
        file: std::fs::File,
        /// How many notes it has, about ([`count_notes`]).
        notes: usize,
    },
}

/// How many notes a deck file in Kartu's own form has (its `        (` lines), read ahead of
/// the parse so the deck's lists are made their size at once: grown by doubling, a
/// 100,000-note deck would hold its old and new lists together for a moment, 2 MB more at
/// the peak of loading. Leaves `file` at its start.
pub(crate) fn count_notes(file: &mut std::fs::File) -> std::io::Result<usize> {
    const OPENING: &[u8] = b"\n        (\n";
    let finder = memchr::memmem::Finder::new(OPENING);
    let mut buffer = vec![0_u8; 256 * 1024];
    // The end of the previous piece, so an opening split between two pieces is found.
    let mut kept = 0;
    let mut count = 0;
    loop {
        let read = file.read(&mut buffer[kept..])?;
        if read == 0 {
            break;
        }
        let filled = kept + read;
        count += finder.find_iter(&buffer[..filled]).count();
        kept = (OPENING.len() - 1).min(filled);
        buffer.copy_within(filled - kept..filled, 0);
    }
    file.seek(SeekFrom::Start(0))?;
    Ok(count)
}

/// `Ok(None)`: not in Kartu's own form (or a note that fails validation); the caller parses
/// with `ron`. Each note's content is checked here, as it is read, so cold text is checked
/// without being held; the caller checks the header and the ids.
pub(crate) fn read(reader: impl BufRead, path: &Path, text: Text) -> Result<Option<PackedDeck>> {
    let mut lines = Lines::new(reader);
    for expected in ["#![enable(implicit_some)]", "("] {
        if some_or_none!(lines.next(path)?) != expected {
            return Ok(None);
        }
    }
    let format = some_or_none!(number(some_or_none!(lines.next(path)?), "    format: "));
    // Past u32 `ron` reports an error; so leave that to it.
    let format = some_or_none!(u32::try_from(format).ok());
    check_format(path, format, DECK_FORMAT_VERSION)?;
    let mut header = |prefix: &str| -> Result<Option<String>> {
        let mut text = String::new();
        let Some(first) = lines.next(path)?.map(str::to_owned) else {
            return Ok(None);
        };
        Ok(string_into(&mut lines, path, &first, prefix, &mut text)?.then_some(text))
    };
    let id = some_or_none!(header("    id: ")?);
    let title = some_or_none!(header("    title: ")?);
    let description = some_or_none!(header("    description: ")?);
    let language = some_or_none!(header("    language: ")?);
    let version = some_or_none!(number(some_or_none!(lines.next(path)?), "    version: "));
    let mut builder = PackBuilder::new(
        format,
        DeckId(id),
        title,
        description,
        language,
        some_or_none!(u32::try_from(version).ok()),
    );
    let mut line = some_or_none!(lines.next(path)?).to_owned();
    if format >= 2 && line.starts_with("    parent: ") {
        let mut parent = String::new();
        let first = line.clone();
        if !string_into(&mut lines, path, &first, "    parent: ", &mut parent)? {
            return Ok(None);
        }
        builder.set_parent(Some(DeckId(parent)));
        some_or_none!(lines.next(path)?).clone_into(&mut line);
    }
    let (empty, open) = if format == 1 {
        ("    cards: [],", "    cards: [")
    } else {
        ("    notes: [],", "    notes: [")
    };
    let cold = matches!(text, Text::Cold { .. });
    if let Text::Cold { notes, .. } = text {
        builder.reserve_notes(notes);
    }
    let mut places = Vec::new();
    if line == open {
        // One line buffer and one note for every note: no allocation per line.
        let mut buffer = String::new();
        let mut parsed = ParsedNote::default();
        let mut block = BlockPlace {
            offset: 0,
            len: 0,
            notes: 0,
        };
        loop {
            let start = lines.consumed;
            match some_or_none!(lines.next(path)?) {
                "    ]," => break,
                "        (" => {}
                _ => return Ok(None),
            }
            if note(&mut lines, path, format, &mut buffer, &mut parsed)?.is_none()
                || content_problem(&parsed.view()).is_some()
            {
                return Ok(None);
            }
            let id = builder.push_text(parsed.get(parsed.id));
            for &tag in &parsed.tags {
                builder.push_tag(parsed.get(Some(tag)));
            }
            let note_text = if cold {
                if block.notes == 0 {
                    block.offset = start;
                }
                block.notes += 1;
                if block.notes as usize == BLOCK_NOTES {
                    places.push(ending_at(block, lines.consumed));
                    block.notes = 0;
                }
                NoteText::Cold {
                    cloze: parsed.view().text,
                }
            } else {
                let [first, second] = parsed.sides().map(|side| builder.push_text(side));
                let [notes, example] = [parsed.notes, parsed.example]
                    .map(|field| field.map_or(NO_SPAN, |_| builder.push_text(parsed.get(field))));
                NoteText::Held([first, second, notes, example])
            };
            builder.finish_note(&NoteFields {
                id,
                kind: parsed.kind,
                add_reverse: parsed.add_reverse,
                added_ms: parsed.added_ms,
                text: note_text,
            });
        }
        if block.notes > 0 {
            places.push(ending_at(block, lines.consumed));
        }
    } else if line != empty {
        return Ok(None);
    }
    if some_or_none!(lines.next(path)?) != ")" {
        return Ok(None);
    }
    // Only blank lines may follow.
    loop {
        match next_line(&mut lines.reader, &mut lines.line, path)? {
            Next::End => break,
            Next::Line if lines.line.trim().is_empty() => {}
            Next::Line | Next::Odd => return Ok(None),
        }
    }
    Ok(Some(match text {
        Text::Held => builder.finish(),
        Text::Cold { file, .. } => {
            let source = DeckFileSource::new(file, path, format)?;
            builder.finish_cold(Box::new(source), places)
        }
    }))
}

/// `block`, ending at byte `end`.
fn ending_at(mut block: BlockPlace, end: u64) -> BlockPlace {
    block.len = u32::try_from(end - block.offset).unwrap_or(u32::MAX);
    block
}

/// A deck file read back block by block: the handle the deck was read through, and what
/// the file was then (a file changed in place since is refused, not misread).
#[derive(Debug)]
struct DeckFileSource {
    path: PathBuf,
    file: Mutex<std::fs::File>,
    format: u32,
    stamp: (u64, Option<std::time::SystemTime>),
}

impl DeckFileSource {
    fn new(file: std::fs::File, path: &Path, format: u32) -> Result<Self> {
        let stamp = Self::stamp(&file, path)?;
        Ok(Self {
            path: path.to_path_buf(),
            file: Mutex::new(file),
            format,
            stamp,
        })
    }

    fn stamp(file: &std::fs::File, path: &Path) -> Result<(u64, Option<std::time::SystemTime>)> {
        let meta = file.metadata().map_err(|err| Error::io(path, err))?;
        Ok((meta.len(), meta.modified().ok()))
    }
}

impl BlockSource for DeckFileSource {
    fn load(&self, place: BlockPlace, into: &mut BlockText) -> Result<()> {
        let mut bytes = vec![0; place.len as usize];
        {
            let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
            if Self::stamp(&file, &self.path)? != self.stamp {
                return Err(text_changed(&self.path));
            }
            file.seek(SeekFrom::Start(place.offset))
                .and_then(|_| file.read_exact(&mut bytes))
                .map_err(|err| Error::io(&self.path, err))?;
        }
        let text = std::str::from_utf8(&bytes).map_err(|_| text_changed(&self.path))?;
        let mut lines = BlockLines { rest: text };
        let mut buffer = String::new();
        let mut parsed = ParsedNote::default();
        for _ in 0..place.notes {
            if !lines.next_into(&self.path, &mut buffer)?
                || buffer != "        ("
                || note(
                    &mut lines,
                    &self.path,
                    self.format,
                    &mut buffer,
                    &mut parsed,
                )?
                .is_none()
            {
                return Err(text_changed(&self.path));
            }
            let [first, second] = parsed.sides();
            into.push_note(
                parsed.get(parsed.id),
                first,
                second,
                parsed.notes.map(|_| parsed.get(parsed.notes)),
                parsed.example.map(|_| parsed.get(parsed.example)),
            );
        }
        Ok(())
    }

    fn path(&self) -> &Path {
        &self.path
    }
}

/// One note as read, its text in one buffer reused for every note.
#[derive(Default)]
struct ParsedNote {
    text: String,
    /// Ranges of `text`; `None`: the field is absent.
    id: Field,
    front: Field,
    back: Field,
    cloze: Field,
    extra: Field,
    notes: Field,
    example: Field,
    tags: Vec<(usize, usize)>,
    kind: NoteKind,
    add_reverse: bool,
    added_ms: i64,
}

type Field = Option<(usize, usize)>;

impl ParsedNote {
    fn get(&self, field: Field) -> &str {
        field.map_or("", |(start, end)| &self.text[start..end])
    }

    fn view(&self) -> NoteView<'_> {
        NoteView {
            id: self.get(self.id),
            kind: self.kind,
            front: self.get(self.front),
            back: self.get(self.back),
            text: self.get(self.cloze),
            extra: self.get(self.extra),
        }
    }

    /// The fields its kind uses: front and back, or cloze text and extra.
    fn sides(&self) -> [&str; 2] {
        match self.kind {
            NoteKind::Cloze => [self.get(self.cloze), self.get(self.extra)],
            _ => [self.get(self.front), self.get(self.back)],
        }
    }
}

/// One note (a format 1 card), after its `        (` line, up to and with its
/// `        ),` line, into `out`. Fields come in the order the writer writes them; the
/// optional ones may be missing.
fn note<L: LineSource>(
    lines: &mut L,
    path: &Path,
    format: u32,
    line: &mut String,
    out: &mut ParsedNote,
) -> Result<Option<()>> {
    out.text.clear();
    out.tags.clear();
    let field = |lines: &mut L, first: &str, prefix: &str, text: &mut String| -> Result<Field> {
        let start = text.len();
        let ok = string_into(lines, path, first, prefix, text)?;
        Ok(ok.then_some((start, text.len())))
    };
    if !lines.next_into(path, line)? {
        return Ok(None);
    }
    out.id = Some(some_or_none!(field(
        lines,
        line,
        "            id: ",
        &mut out.text
    )?));
    if !lines.next_into(path, line)? {
        return Ok(None);
    }
    out.kind = NoteKind::Basic;
    if format >= 2 {
        let word = some_or_none!(
            line.strip_prefix("            kind: ")
                .and_then(|rest| rest.strip_suffix(','))
        );
        out.kind = some_or_none!(NoteKind::from_word(word));
        if !lines.next_into(path, line)? {
            return Ok(None);
        }
    }
    // Optional fields, in written order; `Some(None)`: absent.
    let optional = |lines: &mut L,
                    line: &mut String,
                    prefix: &str,
                    text: &mut String|
     -> Result<Option<Field>> {
        if !line.starts_with(prefix) {
            return Ok(Some(None));
        }
        let Some(span) = field(lines, line, prefix, text)? else {
            return Ok(None);
        };
        if !lines.next_into(path, line)? {
            return Ok(None);
        }
        Ok(Some(Some(span)))
    };
    out.front = some_or_none!(optional(lines, line, "            front: ", &mut out.text)?);
    out.back = some_or_none!(optional(lines, line, "            back: ", &mut out.text)?);
    out.cloze = some_or_none!(optional(lines, line, "            text: ", &mut out.text)?);
    out.extra = some_or_none!(optional(lines, line, "            extra: ", &mut out.text)?);
    out.add_reverse = false;
    if line == "            add_reverse: true," {
        out.add_reverse = true;
        if !lines.next_into(path, line)? {
            return Ok(None);
        }
    }
    out.notes = some_or_none!(optional(lines, line, "            notes: ", &mut out.text)?);
    out.example = some_or_none!(optional(
        lines,
        line,
        "            example: ",
        &mut out.text
    )?);
    match line.as_str() {
        "            tags: []," => {}
        "            tags: [" => loop {
            if !lines.next_into(path, line)? {
                return Ok(None);
            }
            if line == "            ]," {
                break;
            }
            let start = out.text.len();
            if !string_into(lines, path, line, "                ", &mut out.text)? {
                return Ok(None);
            }
            out.tags.push((start, out.text.len()));
        },
        _ => return Ok(None),
    }
    if !lines.next_into(path, line)? {
        return Ok(None);
    }
    out.added_ms = NO_TIME;
    if let Some(rest) = line.strip_prefix("            added: \"") {
        let at = rest.strip_suffix("\",").map(str::parse::<jiff::Timestamp>);
        let Some(Ok(at)) = at else {
            return Ok(None);
        };
        out.added_ms = at.as_millisecond();
        if !lines.next_into(path, line)? {
            return Ok(None);
        }
    }
    if line != "        )," {
        return Ok(None);
    }
    let unused = match out.kind {
        NoteKind::Cloze => [out.front, out.back],
        _ => [out.cloze, out.extra],
    };
    if unused.iter().any(Option::is_some) {
        // Text the kind does not use: the validator names it, on the slow path.
        return Ok(None);
    }
    Ok(Some(()))
}

/// `PREFIX123,`
fn number(line: &str, prefix: &str) -> Option<u64> {
    let mut c = Cursor::new(line);
    c.lit(prefix)?;
    let value = c.u64()?;
    c.lit(",")?;
    c.is_empty().then_some(value)
}

/// Appends to `out` a string value starting in `first` after `prefix` and ending with
/// `",` or `"#,` on this or a later line; `false` if it is not one. Plain strings may hold
/// no `\` (escapes go to the slow path).
fn string_into(
    lines: &mut impl LineSource,
    path: &Path,
    first: &str,
    prefix: &str,
    out: &mut String,
) -> Result<bool> {
    let Some(rest) = first.strip_prefix(prefix) else {
        return Ok(false);
    };
    let (body, hashes) = if let Some(body) = rest.strip_prefix('"') {
        (body, None)
    } else if let Some(raw) = rest.strip_prefix('r') {
        let hashes = raw.bytes().take_while(|b| *b == b'#').count();
        let Some(body) = raw[hashes..].strip_prefix('"') else {
            return Ok(false);
        };
        (body, Some(hashes))
    } else {
        return Ok(false);
    };
    // Plain strings (nearly all) close with a lone quote: no allocation for them.
    let raw_closing;
    let closing = match hashes {
        None | Some(0) => "\"",
        Some(n) => {
            raw_closing = format!("\"{}", "#".repeat(n));
            raw_closing.as_str()
        }
    };
    let start = out.len();
    // A raw string needs a `#` (the writer always uses one); a plain one no `\`.
    let ends_well = |after: &str, out: &str| {
        after == ","
            && hashes.is_none_or(|n| n > 0)
            && !(hashes.is_none() && out[start..].contains('\\'))
    };
    // A lone quote is found by `memchr`; a `&str` pattern takes the general (much slower)
    // substring search, even of one byte.
    let find = |text: &str| {
        if closing.len() == 1 {
            text.find('"')
        } else {
            text.find(closing)
        }
    };
    if let Some(end) = find(body) {
        out.push_str(&body[..end]);
        return Ok(ends_well(&body[end + closing.len()..], out));
    }
    out.push_str(body);
    out.push('\n');
    let mut segment = String::new();
    loop {
        if !lines.next_into(path, &mut segment)? {
            return Ok(false);
        }
        if let Some(end) = find(&segment) {
            out.push_str(&segment[..end]);
            return Ok(ends_well(&segment[end + closing.len()..], out));
        }
        out.push_str(&segment);
        out.push('\n');
    }
}
