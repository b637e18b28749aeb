//! Building a [`PackedDeck`] note by note, text appended straight into its buffer or left in
//! the file (the fast deck file reader and [`PackedDeck::from_deck`] both build through it).

use std::collections::HashMap;
use std::sync::Arc;

use super::cold::{BlockPlace, BlockSource, ColdText};
use super::{COLD, PackedCard, PackedDeck, PackedNote, Span};
use crate::core::ids::DeckId;
use crate::core::model::deck::{NoteKind, card_id, card_numbers};

/// Where a note's text is, for [`PackBuilder::finish_note`].
pub(crate) enum NoteText<'t> {
    /// In the buffer: first (`front` or `text`), second (`back` or `extra`), `notes`,
    /// `example`.
    Held([Span; 4]),
    /// Left in the file; the cloze text (empty for other kinds) gives the cards it makes.
    Cold { cloze: &'t str },
}

/// A note's fields for [`PackBuilder::finish_note`], as spans of the text buffer.
pub(crate) struct NoteFields<'t> {
    pub(crate) id: Span,
    pub(crate) kind: NoteKind,
    pub(crate) add_reverse: bool,
    /// Milliseconds since the epoch, or `NO_TIME`.
    pub(crate) added_ms: i64,
    pub(crate) text: NoteText<'t>,
}

/// Builds a [`PackedDeck`] note by note.
pub(crate) struct PackBuilder {
    deck: PackedDeck,
    tag_index: HashMap<String, u32>,
    /// Where the current note's tags start in `tag_refs`.
    tags_start: usize,
    /// Notes left cold so far.
    cold_notes: u32,
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
                hot: Vec::new(),
                cold: None,
                cards: Vec::new(),
                tag_refs: Vec::new(),
                tag_names: Vec::new(),
            },
            tag_index: HashMap::new(),
            tags_start: 0,
            cold_notes: 0,
        }
    }

    /// Room for `notes` notes, about as many cards, `tags` tag uses and `text` bytes of
    /// text: a builder that knows the sizes ahead grows nothing (a doubled 20 MB buffer is
    /// copied, and both halves are held meanwhile).
    pub(crate) fn reserve(&mut self, notes: usize, tags: usize, text: usize) {
        self.deck.notes.reserve_exact(notes);
        self.deck.hot.reserve_exact(notes);
        self.deck.cards.reserve(notes);
        self.deck.tag_refs.reserve_exact(tags);
        self.deck.text.reserve_exact(text);
    }

    /// Room for about `notes` notes and their cards, their text left in the file.
    pub(crate) fn reserve_notes(&mut self, notes: usize) {
        self.deck.notes.reserve_exact(notes);
        // Room for some reverse and cloze cards too: past it the list would double (room
        // never written to is never resident).
        self.deck.cards.reserve_exact(notes + notes / 4);
        self.deck.tag_refs.reserve(notes);
    }

    /// The deck this one sits under.
    pub(crate) fn set_parent(&mut self, parent: Option<DeckId>) {
        self.deck.parent = parent;
    }

    /// Appends `text` to the buffer; its span.
    pub(crate) fn push_text(&mut self, text: &str) -> Span {
        let start = self.deck.text.len();
        self.deck.text.push_str(text);
        Span::of(start, text.len())
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
    pub(crate) fn finish_note(&mut self, fields: &NoteFields<'_>) {
        let tags = Span::of(self.tags_start, self.deck.tag_refs.len() - self.tags_start);
        self.tags_start = self.deck.tag_refs.len();
        let note_index = u32::try_from(self.deck.notes.len()).unwrap_or(u32::MAX);
        let cloze = match (&fields.text, fields.kind) {
            (_, kind) if kind != NoteKind::Cloze => "",
            (NoteText::Held(spans), _) => spans[0].get(&self.deck.text).unwrap_or_default(),
            (NoteText::Cold { cloze }, _) => cloze,
        };
        let numbers = card_numbers(fields.kind, fields.add_reverse, cloze);
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
        let text = match fields.text {
            NoteText::Held(spans) => {
                self.deck.hot.push(spans);
                u32::try_from(self.deck.hot.len() - 1).unwrap_or(u32::MAX)
            }
            NoteText::Cold { .. } => {
                self.cold_notes += 1;
                (self.cold_notes - 1) | COLD
            }
        };
        self.deck.notes.push(PackedNote {
            id: fields.id,
            tags,
            added_ms: fields.added_ms,
            text,
            kind: fields.kind,
            add_reverse: fields.add_reverse,
        });
    }

    /// The deck, its text all held.
    pub(crate) fn finish(mut self) -> PackedDeck {
        self.deck.text.shrink_to_fit();
        self.deck.notes.shrink_to_fit();
        self.deck.hot.shrink_to_fit();
        self.deck.cards.shrink_to_fit();
        self.deck.tag_refs.shrink_to_fit();
        self.deck
    }

    /// The deck, its cold notes' text to be read back from `source` at `places` (blocks of
    /// [`super::cold::BLOCK_NOTES`] notes each, the last maybe fewer). Every note must have
    /// been left cold.
    pub(crate) fn finish_cold(
        self,
        source: Box<dyn BlockSource>,
        places: Vec<BlockPlace>,
    ) -> PackedDeck {
        debug_assert!(self.deck.hot.is_empty());
        let mut deck = self.finish();
        deck.cold = Some(Arc::new(ColdText::new(source, places)));
        deck
    }
}
