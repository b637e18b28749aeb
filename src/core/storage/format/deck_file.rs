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
    DECK_FORMAT_VERSION, Deck, Note, NoteId, NoteKind, check_header, check_notes,
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
        let config = ron::ser::PrettyConfig::new()
            .new_line("\n")
            .indentor("    ")
            // Unescaped: apostrophes stay plain, text with quotes becomes a raw string r#"…"#,
            // and line breaks are real line breaks, which read and diff better.
            .escape_strings(false)
            .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
        let failed = |err: ron::Error| Error::Serialize(format!("deck {:?}: {err}", self.id.0));
        let mut text = if self.format == 1 {
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
            ron::ser::to_string_pretty(&file, config).map_err(failed)?
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
            ron::ser::to_string_pretty(&file, config).map_err(failed)?
        };
        text.push('\n');
        Ok(text)
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
    load_packed_deck_file(path).map(|deck| deck.to_deck())
}

/// Reads, parses and validates a deck file into the packed form decks are held in.
///
/// A file in the exact form Kartu writes is read line by line, never whole (a 100,000-card
/// deck in milliseconds and without a second copy in memory); anything else, or anything
/// that fails validation, goes through `ron` and [`parse_deck`], which names the position.
pub fn load_packed_deck_file(path: &Path) -> Result<PackedDeck> {
    let file = std::fs::File::open(path).map_err(|err| Error::io(path, err))?;
    let len = file.metadata().map_err(|err| Error::io(path, err))?.len();
    if len <= MAX_DECK_FILE_BYTES {
        let reader = std::io::BufReader::with_capacity(256 * 1024, file);
        if let Some(deck) = fast::read(reader, path)?
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
    if let Some(deck) = fast::read(source.as_bytes(), path)?
        && is_valid_packed(&deck)
    {
        return Ok(deck);
    }
    parse_deck(source, path).map(|deck| PackedDeck::from_deck(&deck))
}

/// The checks of [`validate`] on a packed deck, without positions (the slow path finds
/// those).
fn is_valid_packed(deck: &PackedDeck) -> bool {
    check_header(
        deck.format,
        &deck.id.0,
        &deck.title,
        &deck.language,
        deck.parent.as_ref().map(|p| p.0.as_str()),
    )
    .is_ok()
        && check_notes(deck.notes().map(|note| note.view())).is_ok()
}

/// The fast path for deck files in the exact form [`Deck::to_ron`] writes, read line by line
/// into a [`PackedDeck`].
pub(crate) mod fast {
    use std::io::BufRead;
    use std::path::Path;

    use super::DECK_FORMAT_VERSION;
    use crate::core::error::{Result, check_format};
    use crate::core::ids::DeckId;
    use crate::core::model::deck::NoteKind;
    use crate::core::model::packed::{NO_SPAN, NoteFields, PackBuilder, PackedDeck, Span};
    use crate::core::storage::format::lines::{Cursor, Next, next_line};

    struct Lines<R> {
        reader: R,
        line: String,
    }

    impl<R: BufRead> Lines<R> {
        /// The next whole line, or `None` (end of file or anything odd).
        fn next(&mut self, path: &Path) -> Result<Option<&str>> {
            Ok(
                (next_line(&mut self.reader, &mut self.line, path)? == Next::Line)
                    .then_some(self.line.as_str()),
            )
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

    /// `Ok(None)`: not in Kartu's own form; the caller parses with `ron`.
    pub(crate) fn read(reader: impl BufRead, path: &Path) -> Result<Option<PackedDeck>> {
        let mut lines = Lines {
            reader,
            line: String::new(),
        };
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
        if line == open {
            loop {
                match some_or_none!(lines.next(path)?) {
                    "    ]," => break,
                    "        (" => {}
                    _ => return Ok(None),
                }
                if note(&mut lines, path, &mut builder, format)?.is_none() {
                    return Ok(None);
                }
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
        Ok(Some(builder.finish()))
    }

    /// One note (a format 1 card), after its `        (` line, up to and with its
    /// `        ),` line. Fields come in the order the writer writes them; the optional ones
    /// may be missing.
    fn note(
        lines: &mut Lines<impl BufRead>,
        path: &Path,
        builder: &mut PackBuilder,
        format: u32,
    ) -> Result<Option<()>> {
        let mut field = |lines: &mut Lines<_>, first: &str, prefix: &str| -> Result<Option<Span>> {
            let start = builder.text_len();
            let ok = string_into(lines, path, first, prefix, builder.text_mut())?;
            Ok(ok.then(|| builder.span_since(start)))
        };
        let next = |lines: &mut Lines<_>| -> Result<Option<String>> {
            Ok(lines.next(path)?.map(str::to_owned))
        };
        let line = some_or_none!(next(lines)?);
        let id = some_or_none!(field(lines, &line, "            id: ")?);
        let mut line = some_or_none!(next(lines)?);
        let mut kind = NoteKind::Basic;
        if format >= 2 {
            let word = some_or_none!(
                line.strip_prefix("            kind: ")
                    .and_then(|rest| rest.strip_suffix(','))
            );
            kind = some_or_none!(NoteKind::from_word(word));
            line = some_or_none!(next(lines)?);
        }
        // Optional fields, in written order; a missing text field is empty.
        let mut optional =
            |lines: &mut Lines<_>, line: &mut String, prefix: &str| -> Result<Option<Span>> {
                if !line.starts_with(prefix) {
                    return Ok(Some(NO_SPAN));
                }
                let first = line.clone();
                let Some(span) = field(lines, &first, prefix)? else {
                    return Ok(None);
                };
                *line = match lines.next(path)? {
                    Some(next) => next.to_owned(),
                    None => return Ok(None),
                };
                Ok(Some(span))
            };
        let front = some_or_none!(optional(lines, &mut line, "            front: ")?);
        let back = some_or_none!(optional(lines, &mut line, "            back: ")?);
        let text = some_or_none!(optional(lines, &mut line, "            text: ")?);
        let extra = some_or_none!(optional(lines, &mut line, "            extra: ")?);
        let mut add_reverse = false;
        if line == "            add_reverse: true," {
            add_reverse = true;
            line = some_or_none!(next(lines)?);
        }
        let notes = some_or_none!(optional(lines, &mut line, "            notes: ")?);
        let example = some_or_none!(optional(lines, &mut line, "            example: ")?);
        match line.as_str() {
            "            tags: []," => {}
            "            tags: [" => loop {
                let line = some_or_none!(next(lines)?);
                if line == "            ]," {
                    break;
                }
                let mut tag = String::new();
                if !string_into(lines, path, &line, "                ", &mut tag)? {
                    return Ok(None);
                }
                builder.push_tag(&tag);
            },
            _ => return Ok(None),
        }
        if lines.next(path)? != Some("        ),") {
            return Ok(None);
        }
        // The fields a kind uses; an empty one is written out, so absent means empty.
        let mut empty = |span: Span| {
            if span == NO_SPAN {
                builder.push_text("")
            } else {
                span
            }
        };
        let (first, second, unused) = match kind {
            NoteKind::Cloze => (text, extra, [front, back]),
            _ => (front, back, [text, extra]),
        };
        if unused.iter().any(|span| *span != NO_SPAN) {
            // Text the kind does not use: the validator names it, on the slow path.
            return Ok(None);
        }
        let fields = NoteFields {
            id,
            kind,
            add_reverse,
            first: empty(first),
            second: empty(second),
            notes,
            example,
        };
        builder.finish_note(&fields);
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
        lines: &mut Lines<impl BufRead>,
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
        let closing = format!("\"{}", "#".repeat(hashes.unwrap_or(0)));
        let start = out.len();
        let mut segment = body.to_owned();
        loop {
            if let Some(end) = segment.find(closing.as_str()) {
                out.push_str(&segment[..end]);
                let after = &segment[end + closing.len()..];
                // A raw string needs a `#` (the writer always uses one); a plain one no `\`.
                let ok = after == ","
                    && hashes.is_none_or(|n| n > 0)
                    && !(hashes.is_none() && out[start..].contains('\\'));
                return Ok(ok);
            }
            out.push_str(&segment);
            out.push('\n');
            let Some(next) = lines.next(path)? else {
                return Ok(false);
            };
            next.clone_into(&mut segment);
        }
    }
}

/// Writes a deck file atomically in canonical form.
pub fn save_deck_file(deck: &Deck, path: &Path) -> Result<()> {
    atomic::atomic_write(path, deck.to_ron()?.as_bytes())
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
pub(crate) mod tests {
    use super::*;
    use crate::core::ids::DeckId;
    use crate::core::model::deck::Note;

    /// Two basic notes: a deck format 1 can hold too.
    pub(crate) fn sample_deck() -> Deck {
        Deck {
            format: 1,
            id: DeckId("sample".into()),
            title: "Sample".into(),
            description: "Two cards".into(),
            language: "en".into(),
            version: 3,
            parent: None,
            notes: vec![
                Note {
                    notes: Some("note".into()),
                    tags: vec!["a".into(), "b".into()],
                    ..Note::basic("one", "Front \"quoted\"", "Back")
                },
                Note {
                    example: Some("ex".into()),
                    ..Note::basic("two", "Dua", "Two\nlines")
                },
            ],
        }
    }

    /// Every kind of note, in a sub-deck.
    pub(crate) fn every_kind() -> Deck {
        Deck {
            format: DECK_FORMAT_VERSION,
            id: DeckId("kinds".into()),
            title: "Every kind".into(),
            description: String::new(),
            language: "id".into(),
            version: 1,
            parent: Some(DeckId("sample".into())),
            notes: vec![
                Note::basic("b", "**Front**", "- one\n- two"),
                Note {
                    kind: NoteKind::Reversed,
                    ..Note::basic("r", "hello", "halo")
                },
                Note {
                    kind: NoteKind::OptionalReversed,
                    add_reverse: true,
                    ..Note::basic("o", "yes", "ya")
                },
                Note {
                    kind: NoteKind::OptionalReversed,
                    ..Note::basic("o2", "no", "tidak")
                },
                Note {
                    tags: vec!["peer::child".into()],
                    ..Note::cloze("c", "{{c1::Backend}} on the {{c2::server::where}}", "")
                },
                Note::cloze("c2", "Just {{c3::one}}", "Extra `code`"),
            ],
        }
    }

    #[test]
    fn round_trips_and_is_byte_stable() {
        for deck in [sample_deck(), every_kind()] {
            let text = deck.to_ron().unwrap();
            let parsed = parse_deck(&text, Path::new("x.ron")).unwrap();
            assert_eq!(parsed, deck);
            assert_eq!(parsed.to_ron().unwrap(), text);
            assert!(text.starts_with("#![enable(implicit_some)]\n"), "{text}");
            assert!(!text.contains("example: None"), "{text}");
            // The fast path reads it the same.
            let packed = parse_packed_deck(&text, Path::new("x.ron")).unwrap();
            assert_eq!(packed.to_deck(), deck);
            assert_eq!(
                fast::read(text.as_bytes(), Path::new("x.ron")).unwrap(),
                Some(packed)
            );
        }
    }

    #[test]
    fn format_1_loads_as_basic_notes_and_stays_format_1_until_upgraded() {
        let text = sample_deck().to_ron().unwrap();
        assert!(
            text.contains("    format: 1,\n") && text.contains("    cards: [\n"),
            "{text}"
        );
        let mut deck = parse_deck(&text, Path::new("v1.ron")).unwrap();
        assert!(deck.notes.iter().all(|n| n.kind == NoteKind::Basic));
        assert_eq!(
            deck.notes[0].card_ids()[0].0,
            "one",
            "the card keeps its id"
        );
        deck.format = DECK_FORMAT_VERSION;
        let upgraded = deck.to_ron().unwrap();
        assert!(upgraded.contains("    format: 2,\n") && upgraded.contains("    notes: [\n"));
        assert!(
            upgraded.contains("            kind: basic,\n"),
            "{upgraded}"
        );
        assert_eq!(parse_deck(&upgraded, Path::new("v2.ron")).unwrap(), deck);
        // A format 1 deck cannot hold what format 2 added.
        let mut kinds = every_kind();
        kinds.format = 1;
        assert!(matches!(kinds.to_ron(), Err(Error::Serialize(_))));
    }

    #[test]
    fn notes_make_their_cards_with_stable_ids() {
        let packed = PackedDeck::from_deck(&every_kind());
        let cards: Vec<(&str, String, String)> = packed
            .cards()
            .map(|c| (c.id(), c.question().into_owned(), c.answer().into_owned()))
            .collect();
        let ids: Vec<&str> = cards.iter().map(|c| c.0).collect();
        assert_eq!(
            ids,
            ["b", "r", "r:2", "o", "o:2", "o2", "c:1", "c:2", "c2:3"]
        );
        assert_eq!(cards[2].1, "halo");
        assert_eq!(cards[2].2, "hello");
        assert_eq!(cards[6].1, "[...] on the server");
        assert_eq!(cards[7].1, "Backend on the [where]");
        assert_eq!(cards[7].2, "Backend on the **server**");
        assert_eq!(cards[8].2, "Just **one**\n\nExtra `code`");
        assert_eq!(packed.note_count(), 6);
        assert_eq!(
            packed.card_at(6).tags().collect::<Vec<_>>(),
            ["peer::child"]
        );
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let text = sample_deck()
            .to_ron()
            .unwrap()
            .replace("back: \"Back\",", "back: \"Back\" oops,");
        let err = parse_deck(&text, Path::new("deck.ron")).unwrap_err();
        let line = text.lines().position(|l| l.contains("oops")).unwrap() + 1;
        let Error::Parse {
            position: Some(position),
            ..
        } = &err
        else {
            panic!("{err:?}");
        };
        assert_eq!(position.line, line, "{err}");
        assert!(
            err.to_string().starts_with(&format!("deck.ron:{line}:")),
            "{err}"
        );
    }

    #[test]
    fn duplicate_ids_point_at_the_second_one() {
        let text = sample_deck()
            .to_ron()
            .unwrap()
            .replace("id: \"two\"", "id: \"one\"");
        let err = parse_deck(&text, Path::new("d.ron")).unwrap_err();
        let line = text
            .match_indices("\"one\"")
            .nth(1)
            .map(|(i, _)| text[..i].lines().count())
            .unwrap();
        assert!(err.to_string().contains(&format!("d.ron:{line}:")), "{err}");
        assert!(err.to_string().contains("duplicate id \"one\""), "{err}");
    }

    #[test]
    fn newer_format_is_named_not_misparsed() {
        let text = every_kind()
            .to_ron()
            .unwrap()
            .replace("format: 2,", "format: 3,\n    shiny: true,");
        let err = parse_deck(&text, Path::new("d.ron")).unwrap_err();
        assert!(
            matches!(err, Error::NewerFormat { found: 3, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn rejects_bad_ids_empty_sides_and_clozes_without_deletions() {
        let text = sample_deck()
            .to_ron()
            .unwrap()
            .replace("\"two\"", "\"Two Words\"");
        assert!(
            parse_deck(&text, Path::new("d.ron"))
                .unwrap_err()
                .to_string()
                .contains("id \"Two Words\" must use only")
        );
        let text = sample_deck()
            .to_ron()
            .unwrap()
            .replace("back: \"Back\"", "back: \"  \"");
        assert!(
            parse_deck(&text, Path::new("d.ron"))
                .unwrap_err()
                .to_string()
                .contains("front and a back")
        );
        let text = every_kind()
            .to_ron()
            .unwrap()
            .replace("Just {{c3::one}}", "Just one");
        let err = parse_deck(&text, Path::new("d.ron"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("no cloze deletion"), "{err}");
        assert!(parse_packed_deck(&text, Path::new("d.ron")).is_err());
    }

    #[test]
    fn never_panics_on_arbitrary_text() {
        // Every prefix of a valid file: a cheap stand-in for the fuzzer in CI.
        for deck in [sample_deck(), every_kind()] {
            let text = deck.to_ron().unwrap();
            for end in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
                let _ = parse_deck(&text[..end], Path::new("d.ron"));
                let _ = parse_packed_deck(&text[..end], Path::new("d.ron"));
            }
        }
    }

    #[test]
    fn an_oversized_deck_file_is_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.ron");
        // Sparse: no disk space, no time.
        std::fs::File::create(&path)
            .unwrap()
            .set_len(MAX_DECK_FILE_BYTES + 1)
            .unwrap();
        let err = load_packed_deck_file(&path).unwrap_err().to_string();
        assert!(err.contains("the limit is"), "{err}");
    }

    #[test]
    fn packing_keeps_every_field_and_unpacks_to_the_same_deck() {
        let deck = sample_deck();
        let packed = PackedDeck::from_deck(&deck);
        assert_eq!(packed.to_deck(), deck);
        assert_eq!(packed.len(), 2);
        let one = packed.card_at(0);
        assert_eq!(one.id(), "one");
        assert_eq!(one.notes(), Some("note"));
        assert_eq!(one.example(), None);
        assert_eq!(one.tags().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(packed.card_at(1).tags().count(), 0);
    }
}
