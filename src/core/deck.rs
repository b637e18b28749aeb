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
    probe_format(path, source, DECK_FORMAT_VERSION)?;
    let deck: Deck = ron_options()
        .from_str(source)
        .map_err(|err| ron_parse_error(path, source, &err))?;
    validate(&deck, source, path)?;
    Ok(deck)
}

/// Reads, parses and validates a deck file.
pub fn load_deck_file(path: &Path) -> Result<Deck> {
    let text = storage::read_text_limited(path, MAX_DECK_FILE_BYTES)?;
    parse_deck(&text, path)
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
        let nth = usize::from(seen.contains(&card.id.0));
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
        if !seen.insert(card.id.0.clone()) {
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
