//! Building a [`PackedDeck`] note by note, text appended straight into its buffer (the fast
//! deck file reader and [`PackedDeck::from_deck`] both build through it).

use std::collections::HashMap;

use super::{NO_EXTRAS, PackedCard, PackedDeck, PackedNote, Span};
use crate::core::ids::DeckId;
use crate::core::model::deck::{NoteKind, card_id, card_numbers};

/// A note's fields for [`PackBuilder::finish_note`], as spans of the text buffer.
pub(crate) struct NoteFields {
    pub(crate) id: Span,
    pub(crate) kind: NoteKind,
    pub(crate) add_reverse: bool,
    /// `front` or `text`.
    pub(crate) first: Span,
    /// `back` or `extra`.
    pub(crate) second: Span,
    pub(crate) notes: Span,
    pub(crate) example: Span,
    /// Milliseconds since the epoch, or `NO_TIME`.
    pub(crate) added_ms: i64,
}

/// Builds a [`PackedDeck`] note by note, text appended straight into its buffer.
pub(crate) struct PackBuilder {
    deck: PackedDeck,
    tag_index: HashMap<String, u32>,
    /// Where the current note's tags start in `tag_refs`.
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
                parent: None,
                text: String::new(),
                notes: Vec::new(),
                extras: Vec::new(),
                cards: Vec::new(),
                tag_refs: Vec::new(),
                tag_names: Vec::new(),
            },
            tag_index: HashMap::new(),
            tags_start: 0,
        }
    }

    /// Room for `notes` notes, about as many cards, `tags` tag uses and `text` bytes of
    /// text: a builder that knows the sizes ahead grows nothing (a doubled 20 MB buffer is
    /// copied, and both halves are held meanwhile).
    pub(crate) fn reserve(&mut self, notes: usize, tags: usize, text: usize) {
        self.deck.notes.reserve_exact(notes);
        self.deck.cards.reserve(notes);
        self.deck.tag_refs.reserve_exact(tags);
        self.deck.text.reserve_exact(text);
    }

    /// The deck this one sits under.
    pub(crate) fn set_parent(&mut self, parent: Option<DeckId>) {
        self.deck.parent = parent;
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

    /// A tag of the note being built.
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

    /// Ends the note being built (its tags are the ones pushed since the last note), and adds
    /// the cards it makes.
    pub(crate) fn finish_note(&mut self, fields: &NoteFields) {
        let tags = Span {
            start: u32::try_from(self.tags_start).unwrap_or(u32::MAX),
            len: u32::try_from(self.deck.tag_refs.len() - self.tags_start).unwrap_or(0),
        };
        self.tags_start = self.deck.tag_refs.len();
        let note_index = u32::try_from(self.deck.notes.len()).unwrap_or(u32::MAX);
        let text = match fields.kind {
            NoteKind::Cloze => fields.first.get(&self.deck.text).unwrap_or_default(),
            _ => "",
        };
        let numbers = card_numbers(fields.kind, fields.add_reverse, text);
        for number in numbers {
            // The first card of a basic or reversed note shares the note's id text.
            let span = if number == 1 && fields.kind != NoteKind::Cloze {
                fields.id
            } else {
                let note_id = fields.id.get(&self.deck.text).unwrap_or_default();
                let id = card_id(note_id, fields.kind, number);
                self.push_text(&id.0)
            };
            self.deck.cards.push(PackedCard {
                id: span,
                note: note_index,
                number,
            });
        }
        let extras = self
            .deck
            .extras_index(NO_EXTRAS, fields.notes, fields.example);
        self.deck.notes.push(PackedNote {
            id: fields.id,
            kind: fields.kind,
            add_reverse: fields.add_reverse,
            first: fields.first,
            second: fields.second,
            extras,
            tags,
            added_ms: fields.added_ms,
        });
    }

    pub(crate) fn finish(mut self) -> PackedDeck {
        self.deck.text.shrink_to_fit();
        self.deck.notes.shrink_to_fit();
        self.deck.extras.shrink_to_fit();
        self.deck.cards.shrink_to_fit();
        self.deck.tag_refs.shrink_to_fit();
        self.deck
    }
}
