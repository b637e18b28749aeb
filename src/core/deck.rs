//! Decks and cards, and the deck file format (RON, format 1; see `docs/deck-format.md`).
//!
//! Writing is deterministic: the same deck gives the same bytes (fields in a fixed order, cards
//! in file order, `\n` line ends, four-space indent), so teachers can keep decks in git.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::error::{
    Error, Result, TextPosition, check_format, probe_format, ron_options, ron_parse_error,
};
use super::storage;

/// The newest deck file format this build reads and the one it writes.
pub const DECK_FORMAT_VERSION: u32 = 1;

/// Deck files larger than this are refused before parsing.
pub const MAX_DECK_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// A deck's stable id, e.g. `backend-developer-id`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeckId(pub String);

/// A card's id, stable across deck versions and unique within its deck.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CardId(pub String);

impl fmt::Display for DeckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for CardId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One concept card.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Card {
    /// Stable id; progress is keyed by it.
    pub id: CardId,
    /// The question side.
    pub front: String,
    /// The answer side.
    pub back: String,
    /// Extra explanation shown with the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// A concrete example shown with the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Topic tags, ASCII slugs.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// A deck as stored in a deck file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deck {
    /// The file format version ([`DECK_FORMAT_VERSION`]).
    pub format: u32,
    /// Stable deck id; progress is keyed by it.
    pub id: DeckId,
    /// Shown in the deck list.
    pub title: String,
    /// One or two sentences about the deck.
    #[serde(default)]
    pub description: String,
    /// The deck's language, a BCP 47 tag such as `id` or `en`.
    pub language: String,
    /// The teacher's version of this deck; a higher version replaces a lower one on import.
    pub version: u32,
    /// The cards, in the order new cards are introduced.
    pub cards: Vec<Card>,
}

impl Deck {
    /// The card with this id.
    #[must_use]
    pub fn card(&self, id: &CardId) -> Option<&Card> {
        self.cards.iter().find(|card| &card.id == id)
    }

    /// Serialises the deck in the canonical deck file form (ends with a newline).
    #[must_use]
    pub fn to_ron(&self) -> String {
        let config = ron::ser::PrettyConfig::new()
            .new_line("\n")
            .indentor("    ")
            // Unescaped: apostrophes stay plain, text with quotes becomes a raw string r#"…"#,
            // and line breaks are real line breaks, which read and diff better.
            .escape_strings(false)
            .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
        // Serialising plain structs of strings and integers cannot fail.
        let mut text = ron::ser::to_string_pretty(self, config).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// Parses and validates deck file text; `path` is only used in messages.
pub fn parse_deck(source: &str, path: &Path) -> Result<Deck> {
    if let Some(deck) = fast::read(source.as_bytes(), path)?
        && validate(&deck, source, path).is_ok()
    {
        return Ok(deck);
    }
    probe_format(path, source, DECK_FORMAT_VERSION)?;
    let deck: Deck = ron_options()
        .from_str(source)
        .map_err(|err| ron_parse_error(path, source, &err))?;
    validate(&deck, source, path)?;
    Ok(deck)
}

/// Reads, parses and validates a deck file.
///
/// A file in the exact form Kartu writes is read line by line, never whole (a 100,000-card
/// deck in milliseconds and without a second copy in memory); anything else, or anything
/// that fails validation, goes through `ron` and [`parse_deck`], which names the position.
pub fn load_deck_file(path: &Path) -> Result<Deck> {
    let file = std::fs::File::open(path).map_err(|err| Error::io(path, err))?;
    let len = file.metadata().map_err(|err| Error::io(path, err))?.len();
    if len <= MAX_DECK_FILE_BYTES {
        let reader = std::io::BufReader::with_capacity(256 * 1024, file);
        if let Some(deck) = fast::read(reader, path)?
            && validate(&deck, "", path).is_ok()
        {
            return Ok(deck);
        }
    }
    let text = storage::read_text_limited(path, MAX_DECK_FILE_BYTES)?;
    parse_deck(&text, path)
}

/// The fast path for deck files in the exact form [`Deck::to_ron`] writes.
mod fast {
    use std::io::BufRead;
    use std::path::Path;

    use super::{Card, CardId, DECK_FORMAT_VERSION, Deck, DeckId};
    use crate::core::error::{Result, check_format};
    use crate::core::fastparse::Cursor;
    use crate::core::progress::{Next, next_line};

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

    /// `Ok(None)`: not in Kartu's own form; the caller parses with `ron`.
    pub(super) fn read(reader: impl BufRead, path: &Path) -> Result<Option<Deck>> {
        let mut lines = Lines {
            reader,
            line: String::new(),
        };
        macro_rules! line {
            () => {
                match lines.next(path)? {
                    Some(line) => line,
                    None => return Ok(None),
                }
            };
        }
        macro_rules! exactly {
            ($expected:expr) => {
                if line!() != $expected {
                    return Ok(None);
                }
            };
        }
        macro_rules! try_some {
            ($value:expr) => {
                match $value {
                    Some(value) => value,
                    None => return Ok(None),
                }
            };
        }
        exactly!("#![enable(implicit_some)]");
        exactly!("(");
        let format = try_some!(number(line!(), "    format: "));
        check_format(
            path,
            u32::try_from(format).unwrap_or(u32::MAX),
            DECK_FORMAT_VERSION,
        )?;
        let id = try_some!(field(&mut lines, path, "    id: ")?);
        let title = try_some!(field(&mut lines, path, "    title: ")?);
        let description = try_some!(field(&mut lines, path, "    description: ")?);
        let language = try_some!(field(&mut lines, path, "    language: ")?);
        let version = try_some!(number(line!(), "    version: "));
        let mut deck = Deck {
            format: try_some!(u32::try_from(format).ok()),
            id: DeckId(id),
            title,
            description,
            language,
            version: try_some!(u32::try_from(version).ok()),
            cards: Vec::new(),
        };
        match line!() {
            "    cards: []," => {}
            "    cards: [" => loop {
                match line!() {
                    "    ]," => break,
                    "        (" => {}
                    _ => return Ok(None),
                }
                let card = try_some!(card(&mut lines, path)?);
                deck.cards.push(card);
            },
            _ => return Ok(None),
        }
        exactly!(")");
        // Only blank lines may follow.
        loop {
            match next_line(&mut lines.reader, &mut lines.line, path)? {
                Next::End => break,
                Next::Line if lines.line.trim().is_empty() => {}
                Next::Line | Next::Odd => return Ok(None),
            }
        }
        deck.cards.shrink_to_fit();
        Ok(Some(deck))
    }

    fn card(lines: &mut Lines<impl BufRead>, path: &Path) -> Result<Option<Card>> {
        let Some(id) = field(lines, path, "            id: ")? else {
            return Ok(None);
        };
        let Some(front) = field(lines, path, "            front: ")? else {
            return Ok(None);
        };
        let Some(back) = field(lines, path, "            back: ")? else {
            return Ok(None);
        };
        let mut card = Card {
            id: CardId(id),
            front,
            back,
            notes: None,
            example: None,
            tags: Vec::new(),
        };
        // Optional fields, in written order, then the tags.
        let mut next = lines.next(path)?.map(str::to_owned);
        if let Some(line) = next.as_deref()
            && line.starts_with("            notes: ")
        {
            card.notes = string_from(lines, path, line, "            notes: ")?;
            if card.notes.is_none() {
                return Ok(None);
            }
            next = lines.next(path)?.map(str::to_owned);
        }
        if let Some(line) = next.as_deref()
            && line.starts_with("            example: ")
        {
            card.example = string_from(lines, path, line, "            example: ")?;
            if card.example.is_none() {
                return Ok(None);
            }
            next = lines.next(path)?.map(str::to_owned);
        }
        match next.as_deref() {
            Some("            tags: [],") => {}
            Some("            tags: [") => loop {
                let Some(line) = lines.next(path)? else {
                    return Ok(None);
                };
                if line == "            ]," {
                    break;
                }
                let line = line.to_owned();
                let Some(tag) = string_from(lines, path, &line, "                ")? else {
                    return Ok(None);
                };
                card.tags.push(tag);
            },
            _ => return Ok(None),
        }
        if lines.next(path)? != Some("        ),") {
            return Ok(None);
        }
        Ok(Some(card))
    }

    /// `PREFIX123,`
    fn number(line: &str, prefix: &str) -> Option<u64> {
        let mut c = Cursor::new(line);
        c.lit(prefix)?;
        let value = c.u64()?;
        c.lit(",")?;
        c.is_empty().then_some(value)
    }

    /// The next line(s): `PREFIX"text",` or a raw string, possibly over several lines.
    fn field(lines: &mut Lines<impl BufRead>, path: &Path, prefix: &str) -> Result<Option<String>> {
        let Some(first) = lines.next(path)? else {
            return Ok(None);
        };
        let first = first.to_owned();
        string_from(lines, path, &first, prefix)
    }

    /// A string value starting in `first` after `prefix`, ending with `",` or `"#,` on this
    /// or a later line. Plain strings may hold no `\` (escapes go to the slow path).
    fn string_from(
        lines: &mut Lines<impl BufRead>,
        path: &Path,
        first: &str,
        prefix: &str,
    ) -> Result<Option<String>> {
        let Some(rest) = first.strip_prefix(prefix) else {
            return Ok(None);
        };
        let (body, closing) = if let Some(body) = rest.strip_prefix('"') {
            (body, "\"".to_owned())
        } else if let Some(raw) = rest.strip_prefix('r') {
            let hashes = raw.bytes().take_while(|b| *b == b'#').count();
            let Some(body) = raw[hashes..].strip_prefix('"') else {
                return Ok(None);
            };
            (body, format!("\"{}", "#".repeat(hashes)))
        } else {
            return Ok(None);
        };
        let plain = closing.len() == 1;
        let mut text = String::new();
        let mut segment = body.to_owned();
        loop {
            if let Some(end) = segment.find(closing.as_str()) {
                text.push_str(&segment[..end]);
                let after = &segment[end + closing.len()..];
                let ok = after == "," && !(plain && text.contains('\\'));
                return Ok(ok.then_some(text));
            }
            text.push_str(&segment);
            text.push('\n');
            let Some(next) = lines.next(path)? else {
                return Ok(None);
            };
            segment = next.to_owned();
        }
    }
}

/// Writes a deck file atomically in canonical form.
pub fn save_deck_file(deck: &Deck, path: &Path) -> Result<()> {
    storage::atomic_write(path, deck.to_ron().as_bytes())
}

/// True for ids made of `a-z`, `0-9`, `-`, `_` and `.`, starting with a letter or digit.
#[must_use]
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
        && id.len() <= 128
}

fn validate(deck: &Deck, source: &str, path: &Path) -> Result<()> {
    let fail = |needle: &str, nth: usize, message: String| Error::Parse {
        path: path.to_path_buf(),
        position: locate(source, needle, nth),
        message,
    };
    check_format(path, deck.format, DECK_FORMAT_VERSION)?;
    if deck.format != DECK_FORMAT_VERSION {
        return Err(fail(
            "format",
            0,
            format!("format must be {DECK_FORMAT_VERSION}"),
        ));
    }
    if !is_valid_id(&deck.id.0) {
        return Err(fail(
            &format!("{:?}", deck.id.0),
            0,
            format!(
                "deck id {:?} must use only a-z, 0-9, '-', '_' and '.'",
                deck.id.0
            ),
        ));
    }
    if deck.title.trim().is_empty() {
        return Err(fail("title", 0, "the deck needs a title".into()));
    }
    if deck.language.trim().is_empty() {
        return Err(fail(
            "language",
            0,
            "the deck needs a language, e.g. \"id\" or \"en\"".into(),
        ));
    }
    let mut seen = HashSet::new();
    for card in &deck.cards {
        let quoted = format!("{:?}", card.id.0);
        // Which occurrence of this id string in the text belongs to this card.
        let nth = usize::from(seen.contains(card.id.0.as_str()));
        if !is_valid_id(&card.id.0) {
            return Err(fail(
                &quoted,
                0,
                format!(
                    "card id {:?} must use only a-z, 0-9, '-', '_' and '.'",
                    card.id.0
                ),
            ));
        }
        if !seen.insert(card.id.0.as_str()) {
            return Err(fail(
                &quoted,
                nth,
                format!("duplicate card id {:?}", card.id.0),
            ));
        }
        if card.front.trim().is_empty() || card.back.trim().is_empty() {
            return Err(fail(
                &quoted,
                0,
                format!("card {:?} needs both a front and a back", card.id.0),
            ));
        }
    }
    Ok(())
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
mod tests {
    use super::*;

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
        let text = deck.to_ron();
        let parsed = parse_deck(&text, Path::new("x.ron")).unwrap();
        assert_eq!(parsed, deck);
        assert_eq!(parsed.to_ron(), text);
        assert!(text.starts_with("#![enable(implicit_some)]\n"), "{text}");
        assert!(!text.contains("example: None"), "{text}");
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let text = sample_deck()
            .to_ron()
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
        let text = sample_deck().to_ron().replace("id: \"two\"", "id: \"one\"");
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
            .replace("format: 1,", "format: 2,\n    shiny: true,");
        let err = parse_deck(&text, Path::new("d.ron")).unwrap_err();
        assert!(
            matches!(err, Error::NewerFormat { found: 2, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn rejects_bad_ids_and_empty_sides() {
        let text = sample_deck().to_ron().replace("\"two\"", "\"Two Words\"");
        assert!(
            parse_deck(&text, Path::new("d.ron"))
                .unwrap_err()
                .to_string()
                .contains("card id")
        );
        let text = sample_deck()
            .to_ron()
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
        let text = sample_deck().to_ron();
        for end in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            let _ = parse_deck(&text[..end], Path::new("d.ron"));
        }
    }
}
