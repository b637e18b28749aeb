//! Decks as teachers write them: notes that make cards, and the one validator of their
//! content.
//!
//! A deck holds **notes**; a note makes one or more **cards**, each with a stable id that
//! progress is keyed by. The first card of a basic or reversed note has the note's own id
//! (so a format 1 card, which becomes a basic note, keeps its progress); the others are
//! `NOTE:N`, N being the card's number (2 for the reverse, the cloze number for cloze
//! cards). The file format (parsing, the canonical writer, error positions) is in
//! `storage/format/deck_file.rs`; this is the data and its rules, with no I/O.

use std::borrow::Cow;
use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::core::ids::{CardId, DeckId, is_valid_id};
use crate::core::model::cloze;

/// The newest deck file format this build reads and the one it writes. Format 1 (cards with
/// a front and a back, no notes) still loads: each card becomes a basic note.
pub const DECK_FORMAT_VERSION: u32 = 2;

/// A note's id, unique within its deck; its first card's id too (see the module docs).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NoteId(pub String);

/// What cards a note makes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// One card: front → back.
    #[default]
    Basic,
    /// Two cards: front → back and back → front, each with its own progress.
    Reversed,
    /// Front → back, and back → front only when `add_reverse` is set (Anki's "optional
    /// reversed card").
    OptionalReversed,
    /// One card per cloze number in `text` (`{{c1::answer}}`, `{{c1::answer::hint}}`).
    Cloze,
}

impl NoteKind {
    /// All kinds.
    pub const ALL: [Self; 4] = [
        Self::Basic,
        Self::Reversed,
        Self::OptionalReversed,
        Self::Cloze,
    ];

    /// `basic`, `reversed`, `optional_reversed` or `cloze`: the word deck files use.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Basic => "basic",
            Self::Reversed => "reversed",
            Self::OptionalReversed => "optional_reversed",
            Self::Cloze => "cloze",
        }
    }

    /// The kind a word of [`NoteKind::as_str`] names.
    #[must_use]
    pub fn from_word(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == word)
    }
}

// Serde's `skip_serializing_if` hands the field by reference.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_false(value: &bool) -> bool {
    !value
}

/// One note, as written in a deck file (format 2). Which text fields a note uses depends on
/// its kind: `front` and `back` for basic and reversed notes, `text` and `extra` for cloze.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// Stable id; its cards' ids come from it.
    pub id: NoteId,
    /// What cards it makes.
    #[serde(default)]
    pub kind: NoteKind,
    /// The question side (basic and reversed notes). Markdown.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub front: String,
    /// The answer side (basic and reversed notes). Markdown.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub back: String,
    /// The text with cloze deletions (cloze notes). Markdown.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// Shown with a cloze card's answer (cloze notes). Markdown.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub extra: String,
    /// Make the reverse card too (optional-reversed notes).
    #[serde(default, skip_serializing_if = "is_false")]
    pub add_reverse: bool,
    /// Extra explanation shown with the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// A concrete example shown with the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Topic tags; `a::b` is tag `b` under `a`.
    #[serde(default)]
    pub tags: Vec<String>,
    /// When the note was added to the collection (RFC 3339, to the millisecond): set by the
    /// editor, by an Anki import (from the card ids Anki made) and by any import for a note
    /// new to the collection. `added:N` searches it; `None` in files that never had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added: Option<jiff::Timestamp>,
}

impl Note {
    /// A basic note.
    #[must_use]
    pub fn basic(id: &str, front: &str, back: &str) -> Self {
        Self {
            id: NoteId(id.to_owned()),
            kind: NoteKind::Basic,
            front: front.to_owned(),
            back: back.to_owned(),
            ..Self::default()
        }
    }

    /// A cloze note.
    #[must_use]
    pub fn cloze(id: &str, text: &str, extra: &str) -> Self {
        Self {
            id: NoteId(id.to_owned()),
            kind: NoteKind::Cloze,
            text: text.to_owned(),
            extra: extra.to_owned(),
            ..Self::default()
        }
    }

    /// The numbers of the cards this note makes, in order: 1 (and 2 for the reverse), or the
    /// cloze numbers.
    #[must_use]
    pub fn card_numbers(&self) -> Vec<u32> {
        card_numbers(self.kind, self.add_reverse, &self.text)
    }

    /// Whether the note makes card `number` ([`Note::card_numbers`] without a list for the
    /// kinds whose numbers are fixed).
    #[must_use]
    pub fn makes_card(&self, number: u32) -> bool {
        match self.kind {
            NoteKind::Basic => number == 1,
            NoteKind::Reversed => number == 1 || number == 2,
            NoteKind::OptionalReversed => number == 1 || (number == 2 && self.add_reverse),
            NoteKind::Cloze => self.card_numbers().contains(&number),
        }
    }

    /// The ids of the cards this note makes, in order.
    #[must_use]
    pub fn card_ids(&self) -> Vec<CardId> {
        self.card_numbers()
            .into_iter()
            .map(|number| card_id(&self.id.0, self.kind, number))
            .collect()
    }

    /// What the note is about, in one field: the front, or the cloze text read plainly (the
    /// browser's sort field; what a duplicate check compares).
    #[must_use]
    pub fn sort_field(&self) -> String {
        match self.kind {
            NoteKind::Cloze => cloze::plain(&self.text),
            NoteKind::Basic | NoteKind::Reversed | NoteKind::OptionalReversed => self.front.clone(),
        }
    }
}

/// The card numbers a note of `kind` makes (see [`Note::card_numbers`]).
#[must_use]
pub fn card_numbers(kind: NoteKind, add_reverse: bool, text: &str) -> Vec<u32> {
    match kind {
        NoteKind::Reversed => vec![1, 2],
        NoteKind::OptionalReversed if add_reverse => vec![1, 2],
        NoteKind::Basic | NoteKind::OptionalReversed => vec![1],
        NoteKind::Cloze => cloze::numbers(text),
    }
}

/// The id of card `number` of note `note` (see the module docs).
#[must_use]
pub fn card_id(note: &str, kind: NoteKind, number: u32) -> CardId {
    if number == 1 && kind != NoteKind::Cloze {
        CardId(note.to_owned())
    } else {
        CardId(format!("{note}:{number}"))
    }
}

/// A deck as stored in a deck file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deck {
    /// The file format version the deck was read in (and is written in): 1 or 2.
    pub format: u32,
    /// Stable deck id; progress is keyed by it.
    pub id: DeckId,
    /// Shown in the deck list.
    pub title: String,
    /// One or two sentences about the deck.
    pub description: String,
    /// The deck's language, a BCP 47 tag such as `id` or `en`.
    pub language: String,
    /// The teacher's version of this deck; a higher version replaces a lower one on import.
    pub version: u32,
    /// The deck this one sits under, if any (a sub-deck).
    pub parent: Option<DeckId>,
    /// The notes, in the order their cards are introduced.
    pub notes: Vec<Note>,
}

impl Deck {
    /// The note with this id.
    #[must_use]
    pub fn note(&self, id: &NoteId) -> Option<&Note> {
        self.notes.iter().find(|note| &note.id == id)
    }

    /// How many cards the notes make.
    #[must_use]
    pub fn card_count(&self) -> usize {
        self.notes
            .iter()
            .map(|note| note.card_numbers().len())
            .sum()
    }

    /// Checks the deck's content with [`check`].
    pub fn check(&self) -> Result<(), DeckProblem> {
        self.check_header()?;
        self.check_notes()
    }

    /// The header's part of [`Deck::check`]: id, title, language, parent.
    pub fn check_header(&self) -> Result<(), DeckProblem> {
        check_header(
            self.format,
            &self.id.0,
            &self.title,
            &self.language,
            self.parent.as_ref().map(|p| p.0.as_str()),
        )
    }

    /// The notes' part of [`Deck::check`] (the long part in a big deck).
    pub fn check_notes(&self) -> Result<(), DeckProblem> {
        check_notes(self.notes.iter().map(NoteView::of))
    }
}

/// What is wrong with a deck's content, and where a reader of its file should look: the
/// `nth` (0-based) occurrence of `needle` in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeckProblem {
    /// For a person.
    pub message: String,
    /// Text to find in the file: a field name or a quoted id.
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

/// A note as the validator sees it: borrowed, so packed decks are checked without a copy.
#[derive(Clone, Copy, Debug)]
pub struct NoteView<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its kind.
    pub kind: NoteKind,
    /// Its `front`.
    pub front: &'a str,
    /// Its `back`.
    pub back: &'a str,
    /// Its `text`.
    pub text: &'a str,
    /// Its `extra`.
    pub extra: &'a str,
}

impl<'a> NoteView<'a> {
    /// The view of a [`Note`].
    #[must_use]
    pub fn of(note: &'a Note) -> Self {
        Self {
            id: &note.id.0,
            kind: note.kind,
            front: &note.front,
            back: &note.back,
            text: &note.text,
            extra: &note.extra,
        }
    }

    /// The question of card `number` (Markdown): the front, the back of a reverse card, or
    /// the cloze text with that number's deletions hidden.
    #[must_use]
    pub fn question(&self, number: u32) -> Cow<'a, str> {
        match self.kind {
            NoteKind::Cloze => Cow::Owned(cloze::question(self.text, number)),
            _ if number == 2 => Cow::Borrowed(self.back),
            _ => Cow::Borrowed(self.front),
        }
    }

    /// The answer of card `number` (Markdown): the back, the front of a reverse card, or the
    /// cloze text with that number's deletions highlighted and the extra after it.
    #[must_use]
    pub fn answer(&self, number: u32) -> Cow<'a, str> {
        match self.kind {
            NoteKind::Cloze => {
                let mut answer = cloze::answer(self.text, number);
                if !self.extra.trim().is_empty() {
                    answer.push_str("\n\n");
                    answer.push_str(self.extra);
                }
                Cow::Owned(answer)
            }
            _ if number == 2 => Cow::Borrowed(self.front),
            _ => Cow::Borrowed(self.back),
        }
    }
}

/// The header half of the one validator: a format this build reads, a valid id, a title, a
/// language, and a parent that is a valid id other than the deck's own.
pub fn check_header(
    format: u32,
    id: &str,
    title: &str,
    language: &str,
    parent: Option<&str>,
) -> Result<(), DeckProblem> {
    if format == 0 || format > DECK_FORMAT_VERSION {
        return Err(DeckProblem::new(
            "format",
            0,
            format!("format must be 1 or {DECK_FORMAT_VERSION}"),
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
    if let Some(parent) = parent {
        if !is_valid_id(parent) {
            return Err(DeckProblem::new(
                "parent",
                0,
                format!("parent deck id {parent:?} must use only a-z, 0-9, '-', '_' and '.'"),
            ));
        }
        if parent == id {
            return Err(DeckProblem::new(
                "parent",
                0,
                "a deck cannot sit under itself".into(),
            ));
        }
    }
    Ok(())
}

/// What is wrong with one note's content, on its own (the fields its kind needs and none it
/// does not use), for a message; `None` when nothing is. The rest of [`check_notes`] is about
/// ids, which [`ids_are_valid`] checks alone.
#[must_use]
pub fn content_problem(note: &NoteView<'_>) -> Option<String> {
    let id = note.id;
    match note.kind {
        NoteKind::Cloze if !note.front.is_empty() || !note.back.is_empty() => Some(format!(
            "cloze note {id:?} uses `text` and `extra`, not `front` and `back`"
        )),
        NoteKind::Cloze if cloze::numbers(note.text).is_empty() => Some(format!(
            "cloze note {id:?} has no cloze deletion such as {{{{c1::answer}}}} in its text"
        )),
        NoteKind::Cloze => None,
        _ if !note.text.is_empty() || !note.extra.is_empty() => Some(format!(
            "{} note {id:?} uses `front` and `back`, not `text` and `extra`",
            note.kind.as_str()
        )),
        _ if note.front.trim().is_empty() || note.back.trim().is_empty() => {
            Some(format!("note {id:?} needs both a front and a back"))
        }
        _ => None,
    }
}

/// Whether every id is valid and none repeats: [`check_notes`] without the content, for a
/// reader that checked each note's content as it went (and no longer holds the text).
pub fn ids_are_valid<'a>(ids: impl Iterator<Item = &'a str>) -> bool {
    let mut seen = HashSet::with_capacity(ids.size_hint().0);
    for id in ids {
        if !is_valid_id(id) || !seen.insert(id) {
            return false;
        }
    }
    true
}

/// The notes half of the one validator, for decks read whole and decks read packed alike:
/// valid and unique ids, and for each kind the fields it needs (both sides of a basic or
/// reversed note, at least one deletion in a cloze note) and none it does not use.
pub fn check_notes<'a>(notes: impl Iterator<Item = NoteView<'a>>) -> Result<(), DeckProblem> {
    // Checked for every note of every deck at every start: no allocation per note.
    let mut seen = HashSet::with_capacity(notes.size_hint().0);
    for note in notes {
        let id = note.id;
        let quoted = || format!("{id:?}");
        if !is_valid_id(id) {
            return Err(DeckProblem::new(
                quoted(),
                0,
                format!("id {id:?} must use only a-z, 0-9, '-', '_' and '.'"),
            ));
        }
        if !seen.insert(id) {
            // The second occurrence of the id in the text is this note's.
            return Err(DeckProblem::new(
                quoted(),
                1,
                format!("duplicate id {id:?}"),
            ));
        }
        let problem = content_problem(&note);
        if let Some(message) = problem {
            return Err(DeckProblem::new(quoted(), 0, message));
        }
    }
    Ok(())
}
