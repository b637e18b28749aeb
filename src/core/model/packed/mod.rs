//! Installed decks in memory: a [`Deck`]'s notes with all their text in one buffer, and the
//! cards the notes make.
//!
//! A [`Deck`] of 100,000 notes is half a million small strings, each its own allocation with
//! its own header; packed, it is one text buffer plus about 60 bytes per note and 16 per card,
//! less than half the memory (measured in ARCHITECTURE.md), and built without copying when
//! the deck file is in Kartu's own form. [`Deck`] stays the type of deck files (parsing,
//! writing, import).

use std::borrow::Cow;

use crate::core::ids::DeckId;
use crate::core::model::cloze;
use crate::core::model::deck::{Deck, Note, NoteId, NoteKind, NoteView};

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

/// The "none" span, for optional fields that are absent.
pub(crate) const NO_SPAN: Span = Span::NONE;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct PackedNote {
    id: Span,
    kind: NoteKind,
    add_reverse: bool,
    /// `front` (basic and reversed notes) or `text` (cloze notes).
    first: Span,
    /// `back` or `extra`.
    second: Span,
    /// Its `notes` and `example`, as an index into [`PackedDeck`]'s `extras` ([`NO_EXTRAS`]:
    /// neither): most notes have neither, so they take no room there.
    extras: u32,
    /// A range of `tag_refs`.
    tags: Span,
    /// When the note was added, in milliseconds since the epoch ([`NO_TIME`]: not known).
    added_ms: i64,
}

/// [`PackedNote::extras`] of a note with neither `notes` nor `example`.
const NO_EXTRAS: u32 = u32::MAX;

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
    /// The deck this one sits under, if any.
    pub parent: Option<DeckId>,
    text: String,
    notes: Vec<PackedNote>,
    /// The `notes` and `example` of the notes that have either.
    extras: Vec<[Span; 2]>,
    cards: Vec<PackedCard>,
    /// Each note's tags, as indices into `tag_names`.
    tag_refs: Vec<u32>,
    tag_names: Vec<String>,
}

/// One note of a [`PackedDeck`], borrowed.
#[derive(Clone, Copy, Debug)]
pub struct NoteRef<'a> {
    deck: &'a PackedDeck,
    note: &'a PackedNote,
}

impl<'a> NoteRef<'a> {
    fn text(&self, span: Span) -> &'a str {
        span.get(&self.deck.text).unwrap_or_default()
    }

    /// Stable id.
    #[must_use]
    pub fn id(&self) -> &'a str {
        self.text(self.note.id)
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
        if self.is_cloze() {
            ""
        } else {
            self.text(self.note.first)
        }
    }

    /// The back (empty for a cloze note).
    #[must_use]
    pub fn back(&self) -> &'a str {
        if self.is_cloze() {
            ""
        } else {
            self.text(self.note.second)
        }
    }

    /// The cloze text (empty for other notes).
    #[must_use]
    pub fn cloze_text(&self) -> &'a str {
        if self.is_cloze() {
            self.text(self.note.first)
        } else {
            ""
        }
    }

    /// The cloze extra (empty for other notes).
    #[must_use]
    pub fn extra(&self) -> &'a str {
        if self.is_cloze() {
            self.text(self.note.second)
        } else {
            ""
        }
    }

    /// Whether an optional-reversed note makes its reverse card.
    #[must_use]
    pub fn add_reverse(&self) -> bool {
        self.note.add_reverse
    }

    /// Extra explanation shown with the answer.
    #[must_use]
    pub fn notes(&self) -> Option<&'a str> {
        self.extra_field(0)
    }

    fn extra_field(&self, index: usize) -> Option<&'a str> {
        let extras = self.deck.extras.get(self.note.extras as usize)?;
        extras[index].get(&self.deck.text)
    }

    /// A concrete example shown with the answer.
    #[must_use]
    pub fn example(&self) -> Option<&'a str> {
        self.extra_field(1)
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

/// One card of a [`PackedDeck`], borrowed.
#[derive(Clone, Copy, Debug)]
pub struct CardRef<'a> {
    deck: &'a PackedDeck,
    card: &'a PackedCard,
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
    #[must_use]
    pub fn to_deck(&self) -> Deck {
        Deck {
            format: self.format,
            id: self.id.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            language: self.language.clone(),
            version: self.version,
            parent: self.parent.clone(),
            notes: self.notes().map(|note| note.to_note()).collect(),
        }
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
            Span {
                start: u32::try_from(start).unwrap_or(u32::MAX),
                len: u32::try_from(text.len()).unwrap_or(u32::MAX - 1),
            }
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
        let extras = self.extras_index(old.extras, notes, example);
        self.notes[position] = PackedNote {
            id: old.id,
            kind: note.kind,
            add_reverse: note.add_reverse,
            first,
            second,
            extras,
            tags,
            added_ms: added_ms(note.added),
        };
        true
    }

    /// Where a note's `notes` and `example` go: in its slot of `extras` (`slot`, if it had
    /// one), or a new one; none when it has neither.
    fn extras_index(&mut self, slot: u32, notes: Span, example: Span) -> u32 {
        if notes == Span::NONE && example == Span::NONE {
            return NO_EXTRAS;
        }
        if let Some(extras) = self.extras.get_mut(slot as usize) {
            *extras = [notes, example];
            return slot;
        }
        self.extras.push([notes, example]);
        u32::try_from(self.extras.len() - 1).unwrap_or(NO_EXTRAS)
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
                first,
                second,
                notes,
                example,
                added_ms: added_ms(note.added),
            });
        }
        builder.finish()
    }
}

mod build;

pub(crate) use build::{NoteFields, PackBuilder};

#[cfg(test)]
mod tests {
    use super::*;

    fn with_extras(id: &str, notes: Option<&str>, example: Option<&str>) -> Note {
        Note {
            notes: notes.map(str::to_owned),
            example: example.map(str::to_owned),
            ..Note::basic(id, &format!("front {id}"), &format!("back {id}"))
        }
    }

    /// A note's `notes` and `example` (kept aside, as most notes have neither) come back as
    /// they went in, through packing and through edits that add, change or drop them.
    #[test]
    fn notes_and_examples_survive_packing_and_edits() {
        let deck = Deck {
            format: crate::core::model::deck::DECK_FORMAT_VERSION,
            id: DeckId("d".into()),
            title: "D".into(),
            description: String::new(),
            language: "en".into(),
            version: 1,
            parent: None,
            notes: vec![
                with_extras("a", None, None),
                with_extras("b", Some("why b"), Some("b in use")),
                with_extras("c", None, Some("c in use")),
            ],
        };
        let mut packed = PackedDeck::from_deck(&deck);
        assert_eq!(packed.to_deck(), deck);

        let mut edited = deck.clone();
        edited.notes[0] = with_extras("a", Some("why a"), None);
        edited.notes[1] = with_extras("b", None, None);
        edited.notes[2] = with_extras("c", Some("why c"), Some("c again"));
        for (position, note) in edited.notes.iter().enumerate() {
            assert!(packed.replace_note(position, note));
        }
        assert_eq!(packed.to_deck(), edited);
        // A note that lost both, given them again.
        let again = with_extras("b", Some("why b now"), Some("b now"));
        assert!(packed.replace_note(1, &again));
        edited.notes[1] = again;
        assert_eq!(packed.to_deck(), edited);
    }
}
