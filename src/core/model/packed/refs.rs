//! Borrowed views of one note ([`NoteRef`]) or card ([`CardRef`]) of a [`PackedDeck`], and a
//! note's text fields at once ([`Fields`]).

use std::borrow::Cow;

use super::{NO_TIME, PackedCard, PackedDeck, PackedNote};
use crate::core::error::Result;
use crate::core::model::cloze;
use crate::core::model::deck::{Note, NoteId, NoteKind, NoteView};

/// One note of a [`PackedDeck`], borrowed.
#[derive(Clone, Copy, Debug)]
pub struct NoteRef<'a> {
    pub(super) deck: &'a PackedDeck,
    pub(super) note: &'a PackedNote,
}

impl<'a> NoteRef<'a> {
    /// First, second, notes and example (all `None` when cold text cannot be read back:
    /// [`PackedDeck::load_text`] says why, and writers call it first).
    fn raw_fields(&self) -> [Option<&'a str>; 4] {
        self.deck.fields_of(self.note).unwrap_or([None; 4])
    }

    fn field(&self, index: usize) -> &'a str {
        self.raw_fields()[index].unwrap_or_default()
    }

    /// Reads its text if it is still in the deck's file; `Err` says why it cannot be (the
    /// text accessors then give empty text).
    ///
    /// # Errors
    /// When the deck's file can no longer be read, or no longer holds this note.
    pub fn read_text(&self) -> Result<()> {
        self.deck.fields_of(self.note).map(|_| ())
    }

    /// Its text fields at once (one look-up, for a reader of every field of every note).
    #[must_use]
    pub fn fields(&self) -> Fields<'a> {
        let [first, second, notes, example] = self.raw_fields();
        Fields {
            first: first.unwrap_or_default(),
            second: second.unwrap_or_default(),
            notes,
            example,
        }
    }

    /// Stable id.
    #[must_use]
    pub fn id(&self) -> &'a str {
        self.note.id.get(&self.deck.text).unwrap_or_default()
    }

    /// What cards it makes.
    #[must_use]
    pub fn kind(&self) -> NoteKind {
        self.note.kind
    }

    fn is_cloze(&self) -> bool {
        self.note.kind == NoteKind::Cloze
    }

    /// The front (empty for a cloze note).
    #[must_use]
    pub fn front(&self) -> &'a str {
        if self.is_cloze() { "" } else { self.field(0) }
    }

    /// The back (empty for a cloze note).
    #[must_use]
    pub fn back(&self) -> &'a str {
        if self.is_cloze() { "" } else { self.field(1) }
    }

    /// The cloze text (empty for other notes).
    #[must_use]
    pub fn cloze_text(&self) -> &'a str {
        if self.is_cloze() { self.field(0) } else { "" }
    }

    /// The cloze extra (empty for other notes).
    #[must_use]
    pub fn extra(&self) -> &'a str {
        if self.is_cloze() { self.field(1) } else { "" }
    }

    /// Whether an optional-reversed note makes its reverse card.
    #[must_use]
    pub fn add_reverse(&self) -> bool {
        self.note.add_reverse
    }

    /// Extra explanation shown with the answer.
    #[must_use]
    pub fn notes(&self) -> Option<&'a str> {
        self.raw_fields()[2]
    }

    /// A concrete example shown with the answer.
    #[must_use]
    pub fn example(&self) -> Option<&'a str> {
        self.raw_fields()[3]
    }

    /// Topic tags.
    pub fn tags(self) -> impl Iterator<Item = &'a str> + 'a {
        let deck = self.deck;
        let start = self.note.tags.start as usize;
        deck.tag_refs[start..start + self.note.tags.len as usize]
            .iter()
            .map(move |&tag| deck.tag_names[tag as usize].as_str())
    }

    /// The front, or the cloze text read plainly: the browser's sort field.
    #[must_use]
    pub fn sort_field(&self) -> Cow<'a, str> {
        if self.is_cloze() {
            Cow::Owned(cloze::plain(self.cloze_text()))
        } else {
            Cow::Borrowed(self.front())
        }
    }

    /// The view the validator checks.
    #[must_use]
    pub fn view(&self) -> NoteView<'a> {
        NoteView {
            id: self.id(),
            kind: self.kind(),
            front: self.front(),
            back: self.back(),
            text: self.cloze_text(),
            extra: self.extra(),
        }
    }

    /// The note as a [`Note`] of its own.
    #[must_use]
    pub fn to_note(&self) -> Note {
        Note {
            id: NoteId(self.id().to_owned()),
            kind: self.kind(),
            front: self.front().to_owned(),
            back: self.back().to_owned(),
            text: self.cloze_text().to_owned(),
            extra: self.extra().to_owned(),
            add_reverse: self.add_reverse(),
            notes: self.notes().map(str::to_owned),
            example: self.example().map(str::to_owned),
            tags: self.tags().map(str::to_owned).collect(),
            added: self.added(),
        }
    }

    /// When the note was added, if known.
    #[must_use]
    pub fn added(&self) -> Option<jiff::Timestamp> {
        self.added_ms()
            .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
    }

    /// When the note was added, in milliseconds since the epoch (`None`: not known).
    #[must_use]
    pub fn added_ms(&self) -> Option<i64> {
        (self.note.added_ms != NO_TIME).then_some(self.note.added_ms)
    }
}

/// A note's text fields, borrowed ([`NoteRef::fields`]).
#[derive(Clone, Copy, Debug)]
pub struct Fields<'a> {
    /// The front, or a cloze note's text.
    pub first: &'a str,
    /// The back, or a cloze note's extra.
    pub second: &'a str,
    /// Extra explanation shown with the answer.
    pub notes: Option<&'a str>,
    /// A concrete example shown with the answer.
    pub example: Option<&'a str>,
}

/// One card of a [`PackedDeck`], borrowed.
#[derive(Clone, Copy, Debug)]
pub struct CardRef<'a> {
    pub(super) deck: &'a PackedDeck,
    pub(super) card: &'a PackedCard,
}

impl<'a> CardRef<'a> {
    /// Stable id; progress is keyed by it.
    #[must_use]
    pub fn id(&self) -> &'a str {
        self.card.id.get(&self.deck.text).unwrap_or_default()
    }

    /// The note that makes this card.
    #[must_use]
    pub fn note(&self) -> NoteRef<'a> {
        NoteRef {
            deck: self.deck,
            note: &self.deck.notes[self.card.note as usize],
        }
    }

    /// Its note's position in the deck (as [`PackedDeck::notes`] gives them).
    #[must_use]
    pub fn note_index(&self) -> usize {
        self.card.note as usize
    }

    /// Which of its note's cards it is: 1, 2 for a reverse card, the cloze number.
    #[must_use]
    pub fn number(&self) -> u32 {
        self.card.number
    }

    /// The question, as the learner sees it (Markdown): the front, the back of a reverse
    /// card, or the cloze text with this card's deletions hidden.
    #[must_use]
    pub fn question(&self) -> Cow<'a, str> {
        self.note().view().question(self.number())
    }

    /// The answer (Markdown): the back, the front of a reverse card, or the cloze text with
    /// this card's deletions highlighted and the extra after it.
    #[must_use]
    pub fn answer(&self) -> Cow<'a, str> {
        self.note().view().answer(self.number())
    }

    /// Extra explanation shown with the answer.
    #[must_use]
    pub fn notes(&self) -> Option<&'a str> {
        self.note().notes()
    }

    /// A concrete example shown with the answer.
    #[must_use]
    pub fn example(&self) -> Option<&'a str> {
        self.note().example()
    }

    /// Topic tags (the note's).
    pub fn tags(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.note().tags()
    }
}
