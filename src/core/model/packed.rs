//! Installed decks in memory: a [`Deck`]'s content with all card text in one buffer.
//!
//! A [`Deck`] of 100,000 cards is half a million small strings, each its own allocation with
//! its own header; packed, it is one text buffer plus 48 bytes per card, less than half the
//! memory (measured in ARCHITECTURE.md), and built without copying when the deck file is in
//! Kartu's own form. [`Deck`] stays the type of deck files (parsing, writing, import).

use std::collections::HashMap;

use crate::core::ids::{CardId, DeckId};
use crate::core::model::deck::{Card, Deck};

/// A range of [`PackedDeck`]'s text (or of its tag list). A length of `u32::MAX` is "none".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    start: u32,
    len: u32,
}

impl Span {
    const NONE: Self = Self {
        start: 0,
        len: u32::MAX,
    };

    fn get(self, text: &str) -> Option<&str> {
        if self.len == u32::MAX {
            return None;
        }
        let start = self.start as usize;
        text.get(start..start + self.len as usize)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct PackedCard {
    id: Span,
    front: Span,
    back: Span,
    notes: Span,
    example: Span,
    /// A range of `tag_refs`.
    tags: Span,
}

/// A deck as held in memory (see the module docs). The header fields are [`Deck`]'s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackedDeck {
    /// The file format version.
    pub format: u32,
    /// Stable deck id; progress is keyed by it.
    pub id: DeckId,
    /// Shown in the deck list.
    pub title: String,
    /// One or two sentences about the deck.
    pub description: String,
    /// The deck's language, a BCP 47 tag such as `id` or `en`.
    pub language: String,
    /// The teacher's version of this deck.
    pub version: u32,
    text: String,
    cards: Vec<PackedCard>,
    /// Each card's tags, as indices into `tag_names`.
    tag_refs: Vec<u32>,
    tag_names: Vec<String>,
}

/// One card of a [`PackedDeck`], borrowed.
#[derive(Clone, Copy, Debug)]
pub struct CardRef<'a> {
    deck: &'a PackedDeck,
    card: &'a PackedCard,
}

impl<'a> CardRef<'a> {
    fn text(&self, span: Span) -> &'a str {
        span.get(&self.deck.text).unwrap_or_default()
    }

    /// Stable id; progress is keyed by it.
    #[must_use]
    pub fn id(&self) -> &'a str {
        self.text(self.card.id)
    }

    /// The question side.
    #[must_use]
    pub fn front(&self) -> &'a str {
        self.text(self.card.front)
    }

    /// The answer side.
    #[must_use]
    pub fn back(&self) -> &'a str {
        self.text(self.card.back)
    }

    /// Extra explanation shown with the answer.
    #[must_use]
    pub fn notes(&self) -> Option<&'a str> {
        self.card.notes.get(&self.deck.text)
    }

    /// A concrete example shown with the answer.
    #[must_use]
    pub fn example(&self) -> Option<&'a str> {
        self.card.example.get(&self.deck.text)
    }

    /// Topic tags.
    pub fn tags(&self) -> impl Iterator<Item = &'a str> + 'a {
        let deck = self.deck;
        let start = self.card.tags.start as usize;
        deck.tag_refs[start..start + self.card.tags.len as usize]
            .iter()
            .map(move |&tag| deck.tag_names[tag as usize].as_str())
    }

    /// The card as a [`Card`] of its own.
    #[must_use]
    pub fn to_card(&self) -> Card {
        Card {
            id: CardId(self.id().to_owned()),
            front: self.front().to_owned(),
            back: self.back().to_owned(),
            notes: self.notes().map(str::to_owned),
            example: self.example().map(str::to_owned),
            tags: self.tags().map(str::to_owned).collect(),
        }
    }
}

impl PackedDeck {
    /// Number of cards.
    #[must_use]
    pub fn len(&self) -> usize {
        self.cards.len()
    }

    /// True when the deck has no cards.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.cards.is_empty()
    }

    /// The card at `position` (deck order).
    ///
    /// # Panics
    /// If `position` is out of range, like slice indexing.
    #[must_use]
    pub fn card_at(&self, position: usize) -> CardRef<'_> {
        CardRef {
            deck: self,
            card: &self.cards[position],
        }
    }

    /// The cards in deck order.
    #[must_use = "an iterator does nothing unless used"]
    pub fn cards(&self) -> impl ExactSizeIterator<Item = CardRef<'_>> {
        self.cards
            .iter()
            .map(move |card| CardRef { deck: self, card })
    }

    /// The deck as a [`Deck`] of owned cards (for writing a deck file).
    #[must_use]
    pub fn to_deck(&self) -> Deck {
        Deck {
            format: self.format,
            id: self.id.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            language: self.language.clone(),
            version: self.version,
            cards: self.cards().map(|card| card.to_card()).collect(),
        }
    }

    /// Packs a deck.
    #[must_use]
    pub fn from_deck(deck: &Deck) -> Self {
        let mut builder = PackBuilder::new(
            deck.format,
            deck.id.clone(),
            deck.title.clone(),
            deck.description.clone(),
            deck.language.clone(),
            deck.version,
        );
        for card in &deck.cards {
            let id = builder.push_text(&card.id.0);
            let front = builder.push_text(&card.front);
            let back = builder.push_text(&card.back);
            let notes = card
                .notes
                .as_deref()
                .map_or(Span::NONE, |t| builder.push_text(t));
            let example = card
                .example
                .as_deref()
                .map_or(Span::NONE, |t| builder.push_text(t));
            for tag in &card.tags {
                builder.push_tag(tag);
            }
            builder.finish_card(id, front, back, notes, example);
        }
        builder.finish()
    }
}

/// Builds a [`PackedDeck`] card by card, text appended straight into its buffer.
pub(crate) struct PackBuilder {
    deck: PackedDeck,
    tag_index: HashMap<String, u32>,
    /// Where the current card's tags start in `tag_refs`.
    tags_start: usize,
}

impl PackBuilder {
    pub(crate) fn new(
        format: u32,
        id: DeckId,
        title: String,
        description: String,
        language: String,
        version: u32,
    ) -> Self {
        Self {
            deck: PackedDeck {
                format,
                id,
                title,
                description,
                language,
                version,
                text: String::new(),
                cards: Vec::new(),
                tag_refs: Vec::new(),
                tag_names: Vec::new(),
            },
            tag_index: HashMap::new(),
            tags_start: 0,
        }
    }

    /// The text buffer, for a reader that appends a field in pieces; see [`Self::span_since`].
    pub(crate) fn text_mut(&mut self) -> &mut String {
        &mut self.deck.text
    }

    /// The span from `start` (an earlier length of the text) to the end.
    pub(crate) fn span_since(&self, start: usize) -> Span {
        Span {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            len: u32::try_from(self.deck.text.len() - start).unwrap_or(u32::MAX - 1),
        }
    }

    /// The text buffer's length now.
    pub(crate) fn text_len(&self) -> usize {
        self.deck.text.len()
    }

    pub(crate) fn push_text(&mut self, text: &str) -> Span {
        let start = self.deck.text.len();
        self.deck.text.push_str(text);
        self.span_since(start)
    }

    /// A tag of the card being built.
    pub(crate) fn push_tag(&mut self, tag: &str) {
        let next = u32::try_from(self.deck.tag_names.len()).unwrap_or(u32::MAX);
        let index = if let Some(&index) = self.tag_index.get(tag) {
            index
        } else {
            self.tag_index.insert(tag.to_owned(), next);
            self.deck.tag_names.push(tag.to_owned());
            next
        };
        self.deck.tag_refs.push(index);
    }

    /// Ends the card being built (its tags are the ones pushed since the last card).
    pub(crate) fn finish_card(
        &mut self,
        id: Span,
        front: Span,
        back: Span,
        notes: Span,
        example: Span,
    ) {
        let tags = Span {
            start: u32::try_from(self.tags_start).unwrap_or(u32::MAX),
            len: u32::try_from(self.deck.tag_refs.len() - self.tags_start).unwrap_or(0),
        };
        self.tags_start = self.deck.tag_refs.len();
        self.deck.cards.push(PackedCard {
            id,
            front,
            back,
            notes,
            example,
            tags,
        });
    }

    pub(crate) fn finish(mut self) -> PackedDeck {
        self.deck.text.shrink_to_fit();
        self.deck.cards.shrink_to_fit();
        self.deck.tag_refs.shrink_to_fit();
        self.deck
    }
}

/// The "none" span, for optional fields that are absent.
pub(crate) const NO_SPAN: Span = Span::NONE;
