//! Edits to decks, as the edits journal records them: a note put (added or replaced) or
//! removed, a deck's header set (created or changed) or the deck removed. Applying an edit
//! is idempotent, so replaying a journal over deck files it was already folded into changes
//! nothing.

use serde::{Deserialize, Serialize};

use super::deck::{DECK_FORMAT_VERSION, Deck, Note, NoteId};
use crate::core::ids::DeckId;

/// A deck's header: everything but its notes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeckHeader {
    /// The deck id.
    pub id: DeckId,
    /// Its title.
    pub title: String,
    /// One or two sentences about it.
    pub description: String,
    /// Its language (BCP 47).
    pub language: String,
    /// The teacher's version.
    pub version: u32,
    /// The deck it sits under.
    pub parent: Option<DeckId>,
}

impl DeckHeader {
    /// The header of `deck`.
    #[must_use]
    pub fn of(deck: &Deck) -> Self {
        Self {
            id: deck.id.clone(),
            title: deck.title.clone(),
            description: deck.description.clone(),
            language: deck.language.clone(),
            version: deck.version,
            parent: deck.parent.clone(),
        }
    }

    /// The header of a packed `deck` (its text is not needed, so none is read back).
    #[must_use]
    pub fn of_packed(deck: &crate::core::model::packed::PackedDeck) -> Self {
        Self {
            id: deck.id.clone(),
            title: deck.title.clone(),
            description: deck.description.clone(),
            language: deck.language.clone(),
            version: deck.version,
            parent: deck.parent.clone(),
        }
    }

    /// An empty deck with this header.
    #[must_use]
    pub fn to_deck(&self) -> Deck {
        Deck {
            format: DECK_FORMAT_VERSION,
            id: self.id.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            language: self.language.clone(),
            version: self.version,
            parent: self.parent.clone(),
            notes: Vec::new(),
        }
    }
}

/// One edit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Edit {
    /// Puts `note` in `deck`: replaces the note with its id where it is, else inserts it at
    /// `at` (or last).
    PutNote {
        /// The deck.
        deck: DeckId,
        /// The note.
        note: Note,
        /// Where a note not in the deck yet goes.
        at: Option<usize>,
    },
    /// Removes a note (its cards' progress is kept: they are retired, and come back with it).
    RemoveNote {
        /// The deck.
        deck: DeckId,
        /// The note.
        note: NoteId,
    },
    /// Creates a deck with this header, or sets an existing deck's header.
    PutDeck(DeckHeader),
    /// Removes a deck (its progress is kept).
    RemoveDeck(DeckId),
}

impl Edit {
    /// The deck it changes.
    #[must_use]
    pub fn deck(&self) -> &DeckId {
        match self {
            Self::PutNote { deck, .. } | Self::RemoveNote { deck, .. } | Self::RemoveDeck(deck) => {
                deck
            }
            Self::PutDeck(header) => &header.id,
        }
    }

    /// Applies a note or header edit to `deck` (the deck it names); removing the deck itself
    /// is the caller's.
    pub fn apply(&self, deck: &mut Deck) {
        match self {
            Self::PutNote { note, at, .. } => {
                if let Some(i) = deck.notes.iter().position(|n| n.id == note.id) {
                    deck.notes[i] = note.clone();
                } else {
                    let at = at.unwrap_or(deck.notes.len()).min(deck.notes.len());
                    deck.notes.insert(at, note.clone());
                }
            }
            Self::RemoveNote { note, .. } => deck.notes.retain(|n| &n.id != note),
            Self::PutDeck(header) => {
                deck.title.clone_from(&header.title);
                deck.description.clone_from(&header.description);
                deck.language.clone_from(&header.language);
                deck.version = header.version;
                deck.parent.clone_from(&header.parent);
            }
            Self::RemoveDeck(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deck() -> Deck {
        let mut deck = DeckHeader {
            id: DeckId("d".into()),
            title: "D".into(),
            description: String::new(),
            language: "en".into(),
            version: 1,
            parent: None,
        }
        .to_deck();
        deck.notes = vec![Note::basic("a", "A", "1"), Note::basic("b", "B", "2")];
        deck
    }

    #[test]
    fn edits_put_replace_remove_and_are_idempotent() {
        let mut d = deck();
        let put = Edit::PutNote {
            deck: d.id.clone(),
            note: Note::basic("c", "C", "3"),
            at: Some(1),
        };
        put.apply(&mut d);
        put.apply(&mut d);
        let ids: Vec<&str> = d.notes.iter().map(|n| n.id.0.as_str()).collect();
        assert_eq!(ids, ["a", "c", "b"]);
        Edit::PutNote {
            deck: d.id.clone(),
            note: Note::basic("a", "A", "one"),
            at: None,
        }
        .apply(&mut d);
        assert_eq!(
            (d.notes[0].id.0.as_str(), d.notes[0].back.as_str()),
            ("a", "one")
        );
        let remove = Edit::RemoveNote {
            deck: d.id.clone(),
            note: NoteId("c".into()),
        };
        remove.apply(&mut d);
        remove.apply(&mut d);
        assert_eq!(d.notes.len(), 2);
        let mut header = DeckHeader::of(&d);
        header.title = "Renamed".into();
        header.parent = Some(DeckId("p".into()));
        Edit::PutDeck(header).apply(&mut d);
        assert_eq!(
            (d.title.as_str(), d.parent.as_ref().map(|p| p.0.as_str())),
            ("Renamed", Some("p"))
        );
    }
}
