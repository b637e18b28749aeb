//! Stable ids for what comes in without Kartu ids: decks from Anki deck names, notes from
//! Anki's GUIDs or from a row's first field, so importing the same file again updates in
//! place instead of duplicating.

use std::collections::HashMap;

use crate::core::ids::{DeckId, fnv64, is_valid_id};
use crate::core::model::deck::NoteId;

/// A slug of `text`: lowercase ASCII letters and digits, other runs as one `-`.
fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out.truncate(100);
    out
}

/// Deck ids for deck names (Anki's `A::B::C`, levels as `.`: `a.b.c`), unique among the
/// names given: a name whose slug is taken, or that has no ASCII letters, gets a hash.
#[derive(Debug, Default)]
pub struct DeckIds {
    taken: HashMap<String, String>,
}

impl DeckIds {
    /// The id for the deck named `name`.
    pub fn id(&mut self, name: &str) -> DeckId {
        let levels: Vec<String> = name.split("::").map(|level| slug(level.trim())).collect();
        let mut id = levels.join(".");
        if id.is_empty() || levels.iter().any(String::is_empty) || !is_valid_id(&id) {
            id = format!("deck-{:016x}", fnv64(name.bytes()));
        }
        match self.taken.get(&id) {
            Some(owner) if owner != name => {
                id = format!("{id}-{:08x}", fnv64(name.bytes()) as u32);
            }
            _ => {}
        }
        self.taken.insert(id.clone(), name.to_owned());
        DeckId(id)
    }
}

/// The last level of a deck name: its title.
#[must_use]
pub fn deck_title(name: &str) -> String {
    name.rsplit("::").next().unwrap_or(name).trim().to_owned()
}

/// The parent level of a deck name, if it has one.
#[must_use]
pub fn parent_name(name: &str) -> Option<&str> {
    name.rsplit_once("::").map(|(parent, _)| parent)
}

/// A note id from an Anki GUID: `g` and the GUID's bytes in hex (GUIDs use characters ids
/// may not, and differ only in case).
#[must_use]
pub fn note_id_from_guid(guid: &str) -> NoteId {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut id = String::with_capacity(1 + 2 * guid.len().min(60));
    id.push('g');
    for byte in guid.bytes().take(60) {
        id.push(char::from(HEX[usize::from(byte >> 4)]));
        id.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
    NoteId(id)
}

/// A note id from a row's first field (a spreadsheet with no id column): `r` and a hash, so
/// the same row imported again is the same note.
#[must_use]
pub fn note_id_from_field(text: &str) -> NoteId {
    NoteId(format!("r{:016x}", fnv64(text.trim().bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deck_ids_follow_the_tree_and_stay_unique() {
        let mut ids = DeckIds::default();
        assert_eq!(ids.id("Peer").0, "peer");
        assert_eq!(ids.id("Peer::Child").0, "peer.child");
        assert_eq!(
            ids.id("Peer::Child").0,
            "peer.child",
            "the same name, the same id"
        );
        let clash = ids.id("peer::child");
        assert!(clash.0.starts_with("peer.child-"), "{clash}");
        assert!(ids.id("Bahasa Ã©").0.starts_with("bahasa"));
        let odd = ids.id("日本語");
        assert!(odd.0.starts_with("deck-") && is_valid_id(&odd.0), "{odd}");
        assert_eq!(deck_title("A::B::C"), "C");
        assert_eq!(parent_name("A::B::C"), Some("A::B"));
        assert_eq!(parent_name("A"), None);
    }

    #[test]
    fn note_ids_are_valid_stable_and_distinct() {
        let a = note_id_from_guid("HK&V^Y=)Q#");
        let b = note_id_from_guid("hK&V^Y=)Q#");
        assert!(is_valid_id(&a.0) && is_valid_id(&b.0));
        assert_ne!(a, b);
        // The form installed decks already hold: never to change.
        assert_eq!(note_id_from_guid("Ab~\u{e9}").0, "g41627ec3a9");
        assert_eq!(a, note_id_from_guid("HK&V^Y=)Q#"));
        assert_eq!(note_id_from_field(" rumah "), note_id_from_field("rumah"));
        assert!(is_valid_id(&note_id_from_field("x").0));
    }
}
