//! The deck file format (RON, format 1; see `docs/deck-format.md`): reading, with errors at
//! line and column, and the canonical writer.
//!
//! Writing is deterministic: the same deck gives the same bytes (fields in a fixed order, cards
//! in file order, `\n` line ends, four-space indent), so teachers can keep decks in git.

use std::path::Path;

use crate::core::error::{
    Error, Result, TextPosition, check_format, probe_format, ron_options, ron_parse_error,
};
use crate::core::model::deck::{DECK_FORMAT_VERSION, Deck, check};
use crate::core::model::packed::PackedDeck;
use crate::core::storage::atomic;

/// Deck files larger than this are refused before parsing.
pub const MAX_DECK_FILE_BYTES: u64 = 128 * 1024 * 1024;

impl Deck {
    /// Serialises the deck in the canonical deck file form (ends with a newline).
    pub fn to_ron(&self) -> Result<String> {
        let config = ron::ser::PrettyConfig::new()
            .new_line("\n")
            .indentor("    ")
            // Unescaped: apostrophes stay plain, text with quotes becomes a raw string r#"…"#,
            // and line breaks are real line breaks, which read and diff better.
            .escape_strings(false)
            .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
        let mut text = ron::ser::to_string_pretty(self, config)
            .map_err(|err| Error::Serialize(format!("deck {:?}: {err}", self.id.0)))?;
        text.push('\n');
        Ok(text)
    }
}

/// Parses and validates deck file text; `path` is only used in messages.
pub fn parse_deck(source: &str, path: &Path) -> Result<Deck> {
    probe_format(path, source, DECK_FORMAT_VERSION)?;
    let deck: Deck = ron_options()
        .from_str(source)
        .map_err(|err| ron_parse_error(path, source, &err))?;
    validate(&deck, source, path)?;
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
    check(
        deck.format,
        &deck.id.0,
        &deck.title,
        &deck.language,
        deck.cards()
            .map(|card| (card.id(), card.front(), card.back())),
    )
    .is_ok()
}

/// The fast path for deck files in the exact form [`Deck::to_ron`] writes, read line by line
/// into a [`PackedDeck`].
pub(crate) mod fast {
    use std::io::BufRead;
    use std::path::Path;

    use super::DECK_FORMAT_VERSION;
    use crate::core::error::{Result, check_format};
    use crate::core::ids::DeckId;
    use crate::core::model::packed::{NO_SPAN, PackBuilder, PackedDeck, Span};
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
        match some_or_none!(lines.next(path)?) {
            "    cards: []," => {}
            "    cards: [" => loop {
                match some_or_none!(lines.next(path)?) {
                    "    ]," => break,
                    "        (" => {}
                    _ => return Ok(None),
                }
                if card(&mut lines, path, &mut builder)?.is_none() {
                    return Ok(None);
                }
            },
            _ => return Ok(None),
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

    /// One card, after its `        (` line, up to and with its `        ),` line.
    fn card(
        lines: &mut Lines<impl BufRead>,
        path: &Path,
        builder: &mut PackBuilder,
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
        let line = some_or_none!(next(lines)?);
        let front = some_or_none!(field(lines, &line, "            front: ")?);
        let line = some_or_none!(next(lines)?);
        let back = some_or_none!(field(lines, &line, "            back: ")?);
        // Optional fields, in written order, then the tags.
        let mut line = some_or_none!(next(lines)?);
        let mut notes = NO_SPAN;
        if line.starts_with("            notes: ") {
            notes = some_or_none!(field(lines, &line, "            notes: ")?);
            line = some_or_none!(next(lines)?);
        }
        let mut example = NO_SPAN;
        if line.starts_with("            example: ") {
            example = some_or_none!(field(lines, &line, "            example: ")?);
            line = some_or_none!(next(lines)?);
        }
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
        builder.finish_card(id, front, back, notes, example);
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
fn locate(source: &str, needle: &str, nth: usize) -> Option<TextPosition> {
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
    use crate::core::ids::{CardId, DeckId};
    use crate::core::model::deck::Card;

    pub(crate) fn sample_deck() -> Deck {
        Deck {
            format: DECK_FORMAT_VERSION,
            id: DeckId("sample".into()),
            title: "Sample".into(),
            description: "Two cards".into(),
            language: "en".into(),
            version: 3,
            cards: vec![
                Card {
                    id: CardId("one".into()),
                    front: "Front \"quoted\"".into(),
                    back: "Back".into(),
                    notes: Some("note".into()),
                    example: None,
                    tags: vec!["a".into(), "b".into()],
                },
                Card {
                    id: CardId("two".into()),
                    front: "Dua".into(),
                    back: "Two\nlines".into(),
                    notes: None,
                    example: Some("ex".into()),
                    tags: vec![],
                },
            ],
        }
    }

    #[test]
    fn round_trips_and_is_byte_stable() {
        let deck = sample_deck();
        let text = deck.to_ron().unwrap();
        let parsed = parse_deck(&text, Path::new("x.ron")).unwrap();
        assert_eq!(parsed, deck);
        assert_eq!(parsed.to_ron().unwrap(), text);
        assert!(text.starts_with("#![enable(implicit_some)]\n"), "{text}");
        assert!(!text.contains("example: None"), "{text}");
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
        assert!(err.to_string().contains("duplicate card id"), "{err}");
    }

    #[test]
    fn newer_format_is_named_not_misparsed() {
        let text = sample_deck()
            .to_ron()
            .unwrap()
            .replace("format: 1,", "format: 2,\n    shiny: true,");
        let err = parse_deck(&text, Path::new("d.ron")).unwrap_err();
        assert!(
            matches!(err, Error::NewerFormat { found: 2, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn rejects_bad_ids_and_empty_sides() {
        let text = sample_deck()
            .to_ron()
            .unwrap()
            .replace("\"two\"", "\"Two Words\"");
        assert!(
            parse_deck(&text, Path::new("d.ron"))
                .unwrap_err()
                .to_string()
                .contains("card id")
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
    }

    #[test]
    fn never_panics_on_arbitrary_text() {
        // Every prefix of a valid file: a cheap stand-in for the fuzzer in CI.
        let text = sample_deck().to_ron().unwrap();
        for end in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            let _ = parse_deck(&text[..end], Path::new("d.ron"));
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
