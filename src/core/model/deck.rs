//! Decks and cards as teachers write them, and the one validator of their content.
//!
//! The deck file format (parsing, the canonical writer, error positions) is in
//! `storage/format/deck_file.rs`; this is the data and its rules, with no I/O.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::core::ids::{CardId, DeckId, is_valid_id};

/// The newest deck file format this build reads and the one it writes.
pub const DECK_FORMAT_VERSION: u32 = 1;

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

    /// Checks the deck's content with [`check`].
    pub fn check(&self) -> Result<(), DeckProblem> {
        check(
            self.format,
            &self.id.0,
            &self.title,
            &self.language,
            self.cards
                .iter()
                .map(|card| (card.id.0.as_str(), card.front.as_str(), card.back.as_str())),
        )
    }
}

/// What is wrong with a deck's content, and where a reader of its file should look: the
/// `nth` (0-based) occurrence of `needle` in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeckProblem {
    /// For a person.
    pub message: String,
    /// Text to find in the file: a field name or a quoted card id.
    pub needle: String,
    /// Which occurrence of it.
    pub nth: usize,
}

impl DeckProblem {
    fn new(needle: impl Into<String>, nth: usize, message: String) -> Self {
        Self {
            message,
            needle: needle.into(),
            nth,
        }
    }
}

/// The one validator of deck content, for decks read whole and decks read packed alike:
/// the current format, valid and unique ids, a title, a language, and both sides of every
/// card (`cards` gives each card's id, front and back, in order).
pub fn check<'a>(
    format: u32,
    id: &str,
    title: &str,
    language: &str,
    cards: impl Iterator<Item = (&'a str, &'a str, &'a str)>,
) -> Result<(), DeckProblem> {
    if format != DECK_FORMAT_VERSION {
        return Err(DeckProblem::new(
            "format",
            0,
            format!("format must be {DECK_FORMAT_VERSION}"),
        ));
    }
    if !is_valid_id(id) {
        return Err(DeckProblem::new(
            format!("{id:?}"),
            0,
            format!("deck id {id:?} must use only a-z, 0-9, '-', '_' and '.'"),
        ));
    }
    if title.trim().is_empty() {
        return Err(DeckProblem::new(
            "title",
            0,
            "the deck needs a title".into(),
        ));
    }
    if language.trim().is_empty() {
        return Err(DeckProblem::new(
            "language",
            0,
            "the deck needs a language, e.g. \"id\" or \"en\"".into(),
        ));
    }
    let mut seen = HashSet::new();
    for (card, front, back) in cards {
        let quoted = format!("{card:?}");
        if !is_valid_id(card) {
            return Err(DeckProblem::new(
                quoted,
                0,
                format!("card id {card:?} must use only a-z, 0-9, '-', '_' and '.'"),
            ));
        }
        if !seen.insert(card) {
            // The second occurrence of the id in the text is this card's.
            return Err(DeckProblem::new(
                quoted,
                1,
                format!("duplicate card id {card:?}"),
            ));
        }
        if front.trim().is_empty() || back.trim().is_empty() {
            return Err(DeckProblem::new(
                quoted,
                0,
                format!("card {card:?} needs both a front and a back"),
            ));
        }
    }
    Ok(())
}
