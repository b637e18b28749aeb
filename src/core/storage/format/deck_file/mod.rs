//! The deck file format (RON, formats 1 and 2; see `docs/deck-format.md`): reading, with
//! errors at line and column, and the canonical writer.
//!
//! Writing is deterministic: the same deck gives the same bytes (fields in a fixed order,
//! notes in file order, `\n` line ends, four-space indent), so teachers can keep decks in git.
//! A deck is written in the format it was read in (`kartu fmt --upgrade` moves a format 1
//! file to format 2).

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::core::error::{
    Error, Result, TextPosition, check_format, probe_format, ron_options, ron_parse_error,
};
use crate::core::ids::DeckId;
use crate::core::model::deck::{
    DECK_FORMAT_VERSION, Deck, Note, NoteId, NoteKind, check_header, ids_are_valid,
};
use crate::core::model::packed::PackedDeck;
use crate::core::storage::atomic;

/// Deck files larger than this are refused before parsing.
pub const MAX_DECK_FILE_BYTES: u64 = 128 * 1024 * 1024;

/// A format 2 deck file, as written.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeckFile {
    format: u32,
    id: DeckId,
    title: String,
    #[serde(default)]
    description: String,
    language: String,
    version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    parent: Option<DeckId>,
    notes: Vec<Note>,
}

/// A format 2 deck file, borrowed for writing (the same fields as [`DeckFile`]): a large
/// deck is written without a copy of its notes.
#[derive(Serialize)]
struct DeckFileRef<'a> {
    format: u32,
    id: &'a DeckId,
    title: &'a str,
    description: &'a str,
    language: &'a str,
    version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<&'a DeckId>,
    notes: &'a [Note],
}

/// A format 1 deck file: cards with a front and a back.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeckFileV1 {
    format: u32,
    id: DeckId,
    title: String,
    #[serde(default)]
    description: String,
    language: String,
    version: u32,
    cards: Vec<CardV1>,
}

/// A format 1 card; it becomes a basic note whose card keeps the card's id.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CardV1 {
    id: NoteId,
    front: String,
    back: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    example: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
}

impl From<DeckFileV1> for Deck {
    fn from(file: DeckFileV1) -> Self {
        Self {
            format: file.format,
            id: file.id,
            title: file.title,
            description: file.description,
            language: file.language,
            version: file.version,
            parent: None,
            notes: file
                .cards
                .into_iter()
                .map(|card| Note {
                    id: card.id,
                    kind: NoteKind::Basic,
                    front: card.front,
                    back: card.back,
                    notes: card.notes,
                    example: card.example,
                    tags: card.tags,
                    ..Note::default()
                })
                .collect(),
        }
    }
}

impl Deck {
    /// Serialises the deck in the canonical deck file form of its format (ends with a
    /// newline). A format 1 deck must hold only basic notes and no parent.
    pub fn to_ron(&self) -> Result<String> {
        let mut text = String::new();
        self.write_ron(&mut text)?;
        Ok(text)
    }

    /// [`Deck::to_ron`] into `out` as it is made: a deck of 100,000 notes goes to its file
    /// without a 30 MB string first.
    pub fn write_ron(&self, out: &mut dyn std::fmt::Write) -> Result<()> {
        if self.format == 1 {
            return self.write_ron_with_serde(out);
        }
        let not_written = |_| Error::Serialize(format!("deck {:?}: not written", self.id.0));
        write_v2(self, out).map_err(not_written)
    }

    /// [`Deck::write_ron`] through `ron`'s pretty printer: format 1, and what the format 2
    /// writer is checked against.
    fn write_ron_with_serde(&self, out: &mut dyn std::fmt::Write) -> Result<()> {
        let config = ron::ser::PrettyConfig::new()
            .new_line("\n")
            .indentor("    ")
            // Unescaped: apostrophes stay plain, text with quotes becomes a raw string r#"…"#,
            // and line breaks are real line breaks, which read and diff better.
            .escape_strings(false)
            .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
        let failed = |err: ron::Error| Error::Serialize(format!("deck {:?}: {err}", self.id.0));
        let options = ron::Options::default();
        if self.format == 1 {
            let Some(cards) = self.v1_cards() else {
                return Err(Error::Serialize(format!(
                    "deck {:?}: format 1 holds only basic notes and no parent deck; upgrade it to format {DECK_FORMAT_VERSION}",
                    self.id.0
                )));
            };
            let file = DeckFileV1 {
                format: 1,
                id: self.id.clone(),
                title: self.title.clone(),
                description: self.description.clone(),
                language: self.language.clone(),
                version: self.version,
                cards,
            };
            options
                .to_writer_pretty(&mut *out, &file, config)
                .map_err(failed)?;
        } else {
            let file = DeckFileRef {
                format: DECK_FORMAT_VERSION,
                id: &self.id,
                title: &self.title,
                description: &self.description,
                language: &self.language,
                version: self.version,
                parent: self.parent.as_ref(),
                notes: &self.notes,
            };
            options
                .to_writer_pretty(&mut *out, &file, config)
                .map_err(failed)?;
        }
        out.write_char('\n')
            .map_err(|_| Error::Serialize(format!("deck {:?}: not written", self.id.0)))
    }

    /// The notes as format 1 cards, when they can be.
    fn v1_cards(&self) -> Option<Vec<CardV1>> {
        if self.parent.is_some() {
            return None;
        }
        self.notes
            .iter()
            .map(|note| {
                (note.kind == NoteKind::Basic).then(|| CardV1 {
                    id: note.id.clone(),
                    front: note.front.clone(),
                    back: note.back.clone(),
                    notes: note.notes.clone(),
                    example: note.example.clone(),
                    tags: note.tags.clone(),
                })
            })
            .collect()
    }
}

/// The `format` number written near the top of a deck file, read without parsing the rest
/// (a file with a syntax error further down is still read in its own format, so the error
/// is the one the teacher made).
fn written_format(source: &str) -> Option<u32> {
    let at = source.find("format")?;
    let rest = source[at + "format".len()..]
        .trim_start()
        .strip_prefix(':')?;
    let rest = rest.trim_start();
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    rest[..digits].parse().ok()
}

/// Parses and validates deck file text (format 1 or 2); `path` is only used in messages.
pub fn parse_deck(source: &str, path: &Path) -> Result<Deck> {
    let deck = parse_deck_unchecked(source, path)?;
    validate(&deck, source, path)?;
    Ok(deck)
}

/// Parses deck file text without checking its content (for a linter that reports every
/// problem, not the first); `path` is only used in messages.
pub fn parse_deck_unchecked(source: &str, path: &Path) -> Result<Deck> {
    probe_format(path, source, DECK_FORMAT_VERSION)?;
    let options = ron_options();
    let deck: Deck = if written_format(source) == Some(1) {
        options
            .from_str::<DeckFileV1>(source)
            .map_err(|err| ron_parse_error(path, source, &err))?
            .into()
    } else {
        let file: DeckFile = options
            .from_str(source)
            .map_err(|err| ron_parse_error(path, source, &err))?;
        Deck {
            format: file.format,
            id: file.id,
            title: file.title,
            description: file.description,
            language: file.language,
            version: file.version,
            parent: file.parent,
            notes: file.notes,
        }
    };
    Ok(deck)
}

/// Reads, parses and validates a deck file.
pub fn load_deck_file(path: &Path) -> Result<Deck> {
    load_packed_deck_file(path)?.to_deck()
}

/// Reads, parses and validates a deck file into the packed form decks are held in.
///
/// A file in the exact form Kartu writes is read line by line, never whole (a 100,000-card
/// deck in milliseconds and without a second copy in memory), and its notes' text is left in
/// the file until asked for (the deck keeps the file open: see
/// [`crate::core::model::packed::cold`]); anything else, or anything that fails validation,
/// goes through `ron` and [`parse_deck`], which names the position.
pub fn load_packed_deck_file(path: &Path) -> Result<PackedDeck> {
    let file = std::fs::File::open(path).map_err(|err| Error::io(path, err))?;
    let len = file.metadata().map_err(|err| Error::io(path, err))?.len();
    if len <= MAX_DECK_FILE_BYTES {
        let mut file = file;
        let notes = fast::count_notes(&mut file).map_err(|err| Error::io(path, err))?;
        let text = fast::Text::Cold {
            file: file.try_clone().map_err(|err| Error::io(path, err))?,
            notes,
        };
        let reader = std::io::BufReader::with_capacity(256 * 1024, file);
        if let Some(deck) = fast::read(reader, path, text)?
            && is_valid_packed(&deck)
        {
            return Ok(deck);
        }
    }
    let text = atomic::read_text_limited(path, MAX_DECK_FILE_BYTES)?;
    parse_deck(&text, path).map(|deck| PackedDeck::from_deck(&deck))
}

/// Parses and validates deck file text into the packed form; `path` is only for messages.
pub fn parse_packed_deck(source: &str, path: &Path) -> Result<PackedDeck> {
    if let Some(deck) = fast::read(source.as_bytes(), path, fast::Text::Held)?
        && is_valid_packed(&deck)
    {
        return Ok(deck);
    }
    parse_deck(source, path).map(|deck| PackedDeck::from_deck(&deck))
}

/// The checks of [`validate`] on a packed deck the fast reader made, without positions (the
/// slow path finds those): its header and ids (the reader checked each note's content).
fn is_valid_packed(deck: &PackedDeck) -> bool {
    check_header(
        deck.format,
        &deck.id.0,
        &deck.title,
        &deck.language,
        deck.parent.as_ref().map(|p| p.0.as_str()),
    )
    .is_ok()
        && ids_are_valid(deck.notes().map(|note| note.id()))
}

/// The fast path for deck files in the exact form [`Deck::to_ron`] writes, read line by line
/// into a [`PackedDeck`].
pub(crate) mod fast;

/// A format 2 deck file, written by hand in exactly the form `ron`'s pretty printer gives it
/// (the tests compare the two on arbitrary decks), several times quicker: an imported deck of
/// 100,000 notes is written in a fraction of the time.
fn write_v2(deck: &Deck, out: &mut dyn std::fmt::Write) -> std::fmt::Result {
    out.write_str("#![enable(implicit_some)]\n(\n")?;
    writeln!(out, "    format: {DECK_FORMAT_VERSION},")?;
    field(out, "    ", "id", &deck.id.0)?;
    field(out, "    ", "title", &deck.title)?;
    field(out, "    ", "description", &deck.description)?;
    field(out, "    ", "language", &deck.language)?;
    writeln!(out, "    version: {},", deck.version)?;
    if let Some(parent) = &deck.parent {
        field(out, "    ", "parent", &parent.0)?;
    }
    if deck.notes.is_empty() {
        out.write_str("    notes: [],\n")?;
    } else {
        out.write_str("    notes: [\n")?;
        for note in &deck.notes {
            const IN: &str = "            ";
            out.write_str("        (\n")?;
            field(out, IN, "id", &note.id.0)?;
            out.write_str(IN)?;
            out.write_str("kind: ")?;
            out.write_str(note.kind.as_str())?;
            out.write_str(",\n")?;
            for (name, text) in [
                ("front", &note.front),
                ("back", &note.back),
                ("text", &note.text),
                ("extra", &note.extra),
            ] {
                if !text.is_empty() {
                    field(out, IN, name, text)?;
                }
            }
            if note.add_reverse {
                writeln!(out, "{IN}add_reverse: true,")?;
            }
            for (name, text) in [("notes", &note.notes), ("example", &note.example)] {
                if let Some(text) = text {
                    field(out, IN, name, text)?;
                }
            }
            if note.tags.is_empty() {
                writeln!(out, "{IN}tags: [],")?;
            } else {
                writeln!(out, "{IN}tags: [")?;
                for tag in &note.tags {
                    out.write_str(IN)?;
                    out.write_str("    ")?;
                    string(out, tag)?;
                    out.write_str(",\n")?;
                }
                writeln!(out, "{IN}],")?;
            }
            if let Some(added) = note.added {
                writeln!(out, "{IN}added: \"{added}\",")?;
            }
            out.write_str("        ),\n")?;
        }
        out.write_str("    ],\n")?;
    }
    out.write_str(")\n")
}

/// `INDENTname: "text",` and a line break.
fn field(out: &mut dyn std::fmt::Write, indent: &str, name: &str, text: &str) -> std::fmt::Result {
    out.write_str(indent)?;
    out.write_str(name)?;
    out.write_str(": ")?;
    string(out, text)?;
    out.write_str(",\n")
}

/// A string as `ron` writes it unescaped: in quotes, or as a raw string `r#"…"#` (with one
/// more `#` than the longest run in the text) when it holds a quote or a backslash.
fn string(out: &mut dyn std::fmt::Write, text: &str) -> std::fmt::Result {
    if memchr::memchr2(b'"', b'\\', text.as_bytes()).is_some() {
        let mut longest = 0;
        let mut run = 0;
        for byte in text.bytes() {
            run = if byte == b'#' { run + 1 } else { 0 };
            longest = longest.max(run);
        }
        let hashes = "#".repeat(longest + 1);
        write!(out, "r{hashes}\"{text}\"{hashes}")
    } else {
        out.write_char('"')?;
        out.write_str(text)?;
        out.write_char('"')
    }
}

/// Writes a deck file atomically in canonical form.
pub fn save_deck_file(deck: &Deck, path: &Path) -> Result<()> {
    let mut writer = atomic::AtomicWriter::create(path)?;
    write_deck_into(deck, &mut writer)?;
    writer.finish()
}

/// Writes `deck` in canonical form into `writer` as it is made: a deck of 100,000 notes goes
/// to its file without a 30 MB string first.
pub fn write_deck_into(deck: &Deck, writer: &mut atomic::AtomicWriter) -> Result<()> {
    let mut text = TextInto {
        writer,
        failed: None,
    };
    let written = deck.write_ron(&mut text);
    if let Some(err) = text.failed {
        return Err(err);
    }
    written
}

/// Text written into an [`atomic::AtomicWriter`], keeping the first error (which
/// `fmt::Write` cannot carry).
struct TextInto<'a> {
    writer: &'a mut atomic::AtomicWriter,
    failed: Option<Error>,
}

impl std::fmt::Write for TextInto<'_> {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.writer.write(text.as_bytes()).map_err(|err| {
            self.failed.get_or_insert(err);
            std::fmt::Error
        })
    }
}

/// [`check`] with the problem's position found in `source`, after the format check (a newer
/// format is named as such, not as a bad value).
fn validate(deck: &Deck, source: &str, path: &Path) -> Result<()> {
    check_format(path, deck.format, DECK_FORMAT_VERSION)?;
    deck.check().map_err(|problem| Error::Parse {
        path: path.to_path_buf(),
        position: locate(source, &problem.needle, problem.nth),
        message: problem.message,
    })
}

/// Line and column of the `nth` (0-based) occurrence of `needle` in `source`.
#[must_use]
pub fn locate(source: &str, needle: &str, nth: usize) -> Option<TextPosition> {
    let offset = source.match_indices(needle).nth(nth)?.0;
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = source[line_start..offset].chars().count() + 1;
    Some(TextPosition { line, col })
}

#[cfg(test)]
pub(crate) mod tests;
