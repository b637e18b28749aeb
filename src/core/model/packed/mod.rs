//! Installed decks in memory: a [`Deck`]'s notes with their ids and text in one buffer, and
//! the cards the notes make.
//!
//! A [`Deck`] of 100,000 notes is half a million small strings, each its own allocation with
//! its own header; packed, it is one text buffer plus 32 bytes per note (64 with its text
//! held) and 16 per card, less than half the memory (measured in ARCHITECTURE.md), and built without copying when
//! the deck file is in Kartu's own form. [`Deck`] stays the type of deck files (parsing,
//! writing, import).
//!
//! A deck read from its file in Kartu's own form goes further: its notes' text stays in the
//! file until asked for ([`cold`]); only ids, tags and cards are held.

use std::sync::Arc;

use crate::core::error::Result;
use crate::core::ids::DeckId;
use crate::core::model::deck::{Deck, Note, NoteKind};

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

    /// `len` bytes from `start` (lengths past `u32` are cut to an empty read, never a wrong
    /// one: decks are capped far below).
    fn of(start: usize, len: usize) -> Self {
        Self {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            len: u32::try_from(len).unwrap_or(u32::MAX - 1),
        }
    }

    fn get(self, text: &str) -> Option<&str> {
        if self.len == u32::MAX {
            return None;
        }
        let start = self.start as usize;
        text.get(start..start + self.len as usize)
    }
}

/// The "none" span, for optional fields that are absent.
pub(crate) const NO_SPAN: Span = Span::NONE;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct PackedNote {
    id: Span,
    /// A range of `tag_refs`.
    tags: Span,
    /// When the note was added, in milliseconds since the epoch ([`NO_TIME`]: not known).
    added_ms: i64,
    /// Where its text is: an index into [`PackedDeck`]'s `hot`, or with [`COLD`] set, its
    /// place among the notes whose text stays in the file.
    text: u32,
    kind: NoteKind,
    add_reverse: bool,
}

/// The bit of [`PackedNote::text`] that says its text is cold.
const COLD: u32 = 1 << 31;

/// [`PackedNote::added_ms`] of a note with no `added` time.
pub(crate) const NO_TIME: i64 = i64::MIN;

/// A note's `added` time in milliseconds ([`NO_TIME`] when it has none).
pub(crate) fn added_ms(added: Option<jiff::Timestamp>) -> i64 {
    added.map_or(NO_TIME, jiff::Timestamp::as_millisecond)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct PackedCard {
    id: Span,
    note: u32,
    number: u32,
}

/// A deck as held in memory (see the module docs). The header fields are [`Deck`]'s.
#[derive(Clone, Debug)]
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
    /// The deck this one sits under, if any.
    pub parent: Option<DeckId>,
    /// Ids, and the text of the notes whose text is held.
    text: String,
    notes: Vec<PackedNote>,
    /// The fields of the notes whose text is held: first (`front` or `text`), second
    /// (`back` or `extra`), `notes`, `example`.
    hot: Vec<[Span; 4]>,
    /// Where the other notes' text is (shared by clones, so each block is read once).
    cold: Option<Arc<cold::ColdText>>,
    cards: Vec<PackedCard>,
    /// Each note's tags, as indices into `tag_names`.
    tag_refs: Vec<u32>,
    tag_names: Vec<String>,
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

    /// The card at `position` (deck order: notes in order, each note's cards in order).
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

    /// Number of notes.
    #[must_use]
    pub fn note_count(&self) -> usize {
        self.notes.len()
    }

    /// The notes in deck order.
    #[must_use = "an iterator does nothing unless used"]
    pub fn notes(&self) -> impl ExactSizeIterator<Item = NoteRef<'_>> {
        self.notes
            .iter()
            .map(move |note| NoteRef { deck: self, note })
    }

    /// The deck as a [`Deck`] of owned notes (for writing a deck file).
    ///
    /// # Errors
    /// When text left in the deck's file cannot be read back ([`Self::load_text`]): a deck
    /// is never written with text missing.
    pub fn to_deck(&self) -> Result<Deck> {
        self.load_text()?;
        Ok(Deck {
            format: self.format,
            id: self.id.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            language: self.language.clone(),
            version: self.version,
            parent: self.parent.clone(),
            notes: self.notes().map(|note| note.to_note()).collect(),
        })
    }

    /// Reads back every note's text still in the deck's file (see [`cold`]); afterwards the
    /// deck holds all its text.
    ///
    /// # Errors
    /// When the file can no longer be read, or no longer holds the notes it held.
    pub fn load_text(&self) -> Result<()> {
        let Some(cold) = &self.cold else {
            return Ok(());
        };
        let blocks = cold.block_count();
        if cold.loaded_blocks() == blocks {
            return Ok(());
        }
        // Reading back is parsing, so it spreads over the cores, all but one: the window's
        // own thread keeps a core to itself (on two cores, sharing both made its frames
        // wait up to 19 ms while the browser's index was built).
        let threads = std::thread::available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .saturating_sub(1)
            .min(4)
            .min(blocks.div_ceil(32))
            .max(1);
        let read = |first: usize| -> Result<()> {
            for block in (first..blocks).step_by(threads) {
                self.cold_block(cold, block)?;
            }
            Ok(())
        };
        if threads == 1 {
            return read(0);
        }
        std::thread::scope(|scope| {
            let others: Vec<_> = (1..threads)
                .map(|first| scope.spawn(move || read(first)))
                .collect();
            let mine = read(0);
            others
                .into_iter()
                .map(|other| {
                    other
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .chain([mine])
                .collect()
        })
    }

    /// How many blocks of text are still in the deck's file, of how many it has.
    #[must_use]
    pub fn cold_blocks(&self) -> (usize, usize) {
        self.cold.as_ref().map_or((0, 0), |cold| {
            (
                cold.block_count() - cold.loaded_blocks(),
                cold.block_count(),
            )
        })
    }

    fn cold_block<'a>(
        &'a self,
        cold: &'a cold::ColdText,
        block: usize,
    ) -> Result<&'a cold::BlockText> {
        let first = block * cold::BLOCK_NOTES;
        cold.block(block, |k| {
            self.notes
                .get(first + k)
                .and_then(|note| note.id.get(&self.text))
        })
    }

    /// A note's four fields, from the buffer or read back from the file.
    fn fields_of(&self, note: &PackedNote) -> Result<[Option<&str>; 4]> {
        if note.text & COLD == 0 {
            let spans = self.hot.get(note.text as usize).copied();
            return Ok(spans.map_or([None; 4], |spans| spans.map(|span| span.get(&self.text))));
        }
        let ordinal = (note.text & !COLD) as usize;
        let cold = self.cold.as_deref().ok_or_else(|| self.lost())?;
        let block = self.cold_block(cold, ordinal / cold::BLOCK_NOTES)?;
        block
            .fields(ordinal % cold::BLOCK_NOTES)
            .ok_or_else(|| self.lost())
    }

    fn lost(&self) -> crate::core::error::Error {
        crate::core::error::Error::Serialize(format!("the text of deck {:?} is missing", self.id.0))
    }

    /// The tags the deck's notes use (and have used since it was packed), each once.
    pub fn tag_names(&self) -> impl Iterator<Item = &str> {
        self.tag_names.iter().map(String::as_str)
    }

    /// The position of the note with id `id`, if any.
    #[must_use]
    pub fn note_position(&self, id: &str) -> Option<usize> {
        self.notes().position(|note| note.id() == id)
    }

    /// Replaces the note at `position` with `note` in place, when it makes the same cards
    /// (same id, kind and card numbers): its text is appended to the buffer (the old text
    /// stays until the deck is packed again), so a fix to one note costs the same in a deck
    /// of any size. Returns `false`, changing nothing, when the cards would differ.
    pub fn replace_note(&mut self, position: usize, note: &Note) -> bool {
        let Some(old) = self.notes.get(position).copied() else {
            return false;
        };
        let current = NoteRef {
            deck: self,
            note: &old,
        };
        if current.id() != note.id.0
            || current.kind() != note.kind
            || current.to_note().card_numbers() != note.card_numbers()
        {
            return false;
        }
        let mut push = |text: &str| {
            let start = self.text.len();
            self.text.push_str(text);
            Span::of(start, text.len())
        };
        let (first, second) = match note.kind {
            NoteKind::Cloze => (push(&note.text), push(&note.extra)),
            _ => (push(&note.front), push(&note.back)),
        };
        let notes = note.notes.as_deref().map_or(Span::NONE, &mut push);
        let example = note.example.as_deref().map_or(Span::NONE, &mut push);
        let tags_start = self.tag_refs.len();
        for tag in &note.tags {
            let index = self
                .tag_names
                .iter()
                .position(|t| t == tag)
                .unwrap_or_else(|| {
                    self.tag_names.push(tag.clone());
                    self.tag_names.len() - 1
                });
            self.tag_refs.push(u32::try_from(index).unwrap_or(u32::MAX));
        }
        let tags = Span {
            start: u32::try_from(tags_start).unwrap_or(u32::MAX),
            len: u32::try_from(note.tags.len()).unwrap_or(0),
        };
        let fields = [first, second, notes, example];
        // A note whose text was held keeps its slot; a cold one gets one.
        let text = if old.text & COLD == 0 {
            self.hot[old.text as usize] = fields;
            old.text
        } else {
            self.hot.push(fields);
            u32::try_from(self.hot.len() - 1).unwrap_or(u32::MAX)
        };
        self.notes[position] = PackedNote {
            id: old.id,
            tags,
            added_ms: added_ms(note.added),
            text,
            kind: note.kind,
            add_reverse: note.add_reverse,
        };
        true
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
        builder.set_parent(deck.parent.clone());
        let fields = |note: &super::deck::Note| {
            let (first, second) = match note.kind {
                NoteKind::Cloze => (&note.text, &note.extra),
                _ => (&note.front, &note.back),
            };
            // Cards past a note's first have ids of their own: the note's and `:N`.
            let more_cards = match note.kind {
                NoteKind::Basic => 0,
                _ => 2 * (note.id.0.len() + 3),
            };
            note.id.0.len()
                + first.len()
                + second.len()
                + note.notes.as_ref().map_or(0, String::len)
                + note.example.as_ref().map_or(0, String::len)
                + more_cards
        };
        builder.reserve(
            deck.notes.len(),
            deck.notes.iter().map(|n| n.tags.len()).sum(),
            deck.notes.iter().map(fields).sum(),
        );
        for note in &deck.notes {
            let id = builder.push_text(&note.id.0);
            let (first, second) = match note.kind {
                NoteKind::Cloze => (&note.text, &note.extra),
                _ => (&note.front, &note.back),
            };
            let first = builder.push_text(first);
            let second = builder.push_text(second);
            let notes = note
                .notes
                .as_deref()
                .map_or(Span::NONE, |t| builder.push_text(t));
            let example = note
                .example
                .as_deref()
                .map_or(Span::NONE, |t| builder.push_text(t));
            for tag in &note.tags {
                builder.push_tag(tag);
            }
            builder.finish_note(&NoteFields {
                id,
                kind: note.kind,
                add_reverse: note.add_reverse,
                added_ms: added_ms(note.added),
                text: NoteText::Held([first, second, notes, example]),
            });
        }
        builder.finish()
    }
}

mod build;
pub mod cold;
mod refs;

pub(crate) use build::{NoteFields, NoteText, PackBuilder};
pub use refs::{CardRef, Fields, NoteRef};

#[cfg(test)]
mod tests;
