//! Packing and unpacking notes.

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
    assert_eq!(packed.to_deck().unwrap(), deck);

    let mut edited = deck.clone();
    edited.notes[0] = with_extras("a", Some("why a"), None);
    edited.notes[1] = with_extras("b", None, None);
    edited.notes[2] = with_extras("c", Some("why c"), Some("c again"));
    for (position, note) in edited.notes.iter().enumerate() {
        assert!(packed.replace_note(position, note));
    }
    assert_eq!(packed.to_deck().unwrap(), edited);
    // A note that lost both, given them again.
    let again = with_extras("b", Some("why b now"), Some("b now"));
    assert!(packed.replace_note(1, &again));
    edited.notes[1] = again;
    assert_eq!(packed.to_deck().unwrap(), edited);
}
