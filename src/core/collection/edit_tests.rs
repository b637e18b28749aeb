//! Deck edits: journalled before they count, replayed at start, folded into canonical deck
//! files, undone and redone; bundled decks become the learner's copy, one version up.

use std::fs;

use super::{Access, Action, Collection};
use crate::core::ids::{CardId, DeckId};
use crate::core::model::card::Rating;
use crate::core::model::deck::{Note, NoteId, NoteKind};
use crate::core::model::edit::{DeckHeader, Edit};
use crate::core::storage::format::deck_file;
use crate::core::storage::paths::DataPaths;
use crate::core::time::Timestamp;

const NOW: Timestamp = Timestamp(1_795_597_200);
const EN: &str = "backend-developer-en";

fn open(dir: &std::path::Path) -> Collection {
    Collection::open(
        DataPaths::new(dir),
        jiff::tz::TimeZone::UTC,
        Access::ReadWrite,
    )
    .unwrap()
}

fn fold(collection: &mut Collection) {
    let job = collection.edit_fold_job(NOW).unwrap();
    let through = job.run().unwrap();
    collection.finish_edit_fold(through).unwrap();
}

#[test]
fn an_edit_to_a_bundled_deck_is_durable_keeps_progress_and_becomes_the_learners_copy() {
    let dir = tempfile::tempdir().unwrap();
    let deck = DeckId(EN.into());
    let card = CardId("what-is-backend-developer".into());
    let mut collection = open(dir.path());
    let bundled_version = collection.deck(&deck).unwrap().deck.version;
    collection
        .answer(&deck, &card, Rating::Good, NOW, 1)
        .unwrap();
    let mut note = collection.card(&deck, &card).unwrap().note().to_note();
    note.back = "Someone who builds the **server side**.".into();
    collection.put_note(&deck, note.clone()).unwrap();
    assert_eq!(
        collection.card(&deck, &card).unwrap().answer(),
        "Someone who builds the **server side**."
    );
    assert!(collection.has_unfolded_edits());
    // Not folded: a crash now loses nothing, the journal is replayed.
    drop(collection);
    assert!(!dir.path().join("decks/backend-developer-en.ron").exists());
    let mut collection = open(dir.path());
    let installed = collection.deck(&deck).unwrap();
    assert_eq!(installed.deck.version, bundled_version + 1);
    assert_eq!(collection.card(&deck, &card).unwrap().answer(), note.back);
    assert_eq!(
        collection.card_progress(&deck, &card).reps,
        1,
        "progress kept"
    );
    fold(&mut collection);
    assert!(!collection.has_unfolded_edits());
    let file = dir.path().join("decks/backend-developer-en.ron");
    let written = deck_file::load_deck_file(&file).unwrap();
    assert_eq!(written.version, bundled_version + 1);
    assert_eq!(
        fs::read_to_string(&file).unwrap(),
        written.to_ron().unwrap(),
        "canonical"
    );
    let journal = fs::read_to_string(dir.path().join("edits.journal")).unwrap();
    assert_eq!(
        journal.lines().count(),
        1,
        "only the header is left: {journal}"
    );
    drop(collection);
    let collection = open(dir.path());
    assert_eq!(collection.card(&deck, &card).unwrap().answer(), note.back);
    assert_eq!(
        collection.deck(&deck).unwrap().deck.version,
        bundled_version + 1
    );
}

#[test]
fn decks_are_created_nested_filled_undone_and_redone() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = open(dir.path());
    let header = |id: &str, parent: Option<&str>| DeckHeader {
        id: DeckId(id.into()),
        title: id.to_uppercase(),
        description: String::new(),
        language: "id".into(),
        version: 1,
        parent: parent.map(|p| DeckId(p.into())),
    };
    let created = collection
        .edit(vec![
            Edit::PutDeck(header("kata", None)),
            Edit::PutDeck(header("kata.benda", Some("kata"))),
        ])
        .unwrap();
    let benda = DeckId("kata.benda".into());
    let mut note = Note::basic("rumah", "rumah", "house");
    note.kind = NoteKind::Reversed;
    let added = collection.put_note(&benda, note).unwrap();
    assert_eq!(collection.deck(&benda).unwrap().deck.len(), 2);
    let summaries = collection.deck_summaries(NOW);
    let kata = summaries.iter().find(|s| s.id.0 == "kata").unwrap();
    assert_eq!(kata.card_count, 2, "a parent counts its sub-deck");
    // Invalid: refused, nothing saved.
    let journal = fs::read_to_string(dir.path().join("edits.journal")).unwrap();
    let err = collection
        .put_note(&benda, Note::basic("kosong", "kosong", " "))
        .unwrap_err();
    assert!(
        err.to_string().contains("needs both a front and a back"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("edits.journal")).unwrap(),
        journal
    );

    collection.undo_action(&added).unwrap();
    assert!(collection.deck(&benda).unwrap().deck.is_empty());
    collection.redo_action(&added).unwrap();
    assert_eq!(collection.deck(&benda).unwrap().deck.len(), 2);
    let removed = collection
        .edit(vec![Edit::RemoveDeck(benda.clone())])
        .unwrap();
    assert!(collection.deck(&benda).is_err());
    collection.undo_action(&removed).unwrap();
    assert_eq!(
        collection.deck(&benda).unwrap().deck.len(),
        2,
        "back with its notes"
    );
    collection.undo_action(&added).unwrap();
    collection.undo_action(&created).unwrap();
    assert!(collection.deck(&DeckId("kata".into())).is_err());
    collection.redo_action(&created).unwrap();
    collection.redo_action(&added).unwrap();
    fold(&mut collection);
    drop(collection);
    let collection = open(dir.path());
    assert_eq!(
        collection.deck(&benda).unwrap().deck.parent,
        Some(DeckId("kata".into()))
    );
    assert_eq!(collection.deck(&benda).unwrap().deck.len(), 2);
}

#[test]
fn a_removed_note_takes_its_cards_out_of_study_and_brings_their_progress_back() {
    let dir = tempfile::tempdir().unwrap();
    let deck = DeckId(EN.into());
    let card = CardId("what-is-backend-developer".into());
    let mut collection = open(dir.path());
    collection
        .answer(&deck, &card, Rating::Easy, NOW, 1)
        .unwrap();
    let removed = collection
        .remove_note(&deck, &NoteId(card.0.clone()))
        .unwrap();
    assert!(collection.card(&deck, &card).is_err());
    assert_eq!(collection.deck(&deck).unwrap().deck.len(), 66);
    collection.undo_action(&removed).unwrap();
    assert_eq!(collection.card_progress(&deck, &card).reps, 1);
    assert_eq!(
        collection.deck(&deck).unwrap().deck.card_at(0).id(),
        card.0,
        "back in its place"
    );
    assert!(matches!(removed, Action::Edit { .. }));
    let err = collection
        .edit(vec![Edit::RemoveDeck(deck.clone())])
        .unwrap_err();
    assert!(err.to_string().contains("bundled"), "{err}");
}

#[test]
fn a_torn_last_edit_is_dropped_and_a_damaged_journal_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let deck = DeckId(EN.into());
    let mut collection = open(dir.path());
    collection
        .put_note(&deck, Note::basic("extra-1", "One?", "1"))
        .unwrap();
    drop(collection);
    let path = dir.path().join("edits.journal");
    let mut text = fs::read_to_string(&path).unwrap();
    text.push_str("(seq: 3, edit: PutNote(deck: \"backend");
    fs::write(&path, &text).unwrap();
    let mut collection = open(dir.path());
    assert!(collection.card(&deck, &CardId("extra-1".into())).is_ok());
    assert!(
        collection
            .problems()
            .iter()
            .any(|p| p.contains("cut short")),
        "{:?}",
        collection.problems()
    );
    // The next edit goes after the whole lines.
    collection
        .put_note(&deck, Note::basic("extra-2", "Two?", "2"))
        .unwrap();
    drop(collection);
    let collection = open(dir.path());
    assert!(collection.card(&deck, &CardId("extra-2".into())).is_ok());
    drop(collection);
    // A damaged line in the middle: the edits are left out and not written over.
    let text = fs::read_to_string(&path).unwrap();
    let damaged = text.replacen("PutNote", "PutNot", 1);
    fs::write(&path, &damaged).unwrap();
    let mut collection = open(dir.path());
    assert!(collection.card(&deck, &CardId("extra-2".into())).is_err());
    let err = collection
        .put_note(&deck, Note::basic("extra-3", "Three?", "3"))
        .unwrap_err();
    assert!(err.to_string().contains("edits.journal"), "{err}");
    assert_eq!(fs::read_to_string(&path).unwrap(), damaged);
}

#[test]
fn moved_notes_take_their_progress_and_images_along_and_the_move_undoes_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = open(dir.path());
    let header = |id: &str| DeckHeader {
        id: DeckId(id.into()),
        title: id.to_uppercase(),
        description: String::new(),
        language: "id".into(),
        version: 1,
        parent: None,
    };
    collection
        .edit(vec![
            Edit::PutDeck(header("kata")),
            Edit::PutDeck(header("lain")),
        ])
        .unwrap();
    let (kata, lain) = (DeckId("kata".into()), DeckId("lain".into()));
    let png = crate::core::model::media::tests::png(4);
    let name = collection.add_media(&kata, "rumah.png", &png).unwrap();
    let mut rumah = Note::basic("rumah", "rumah", &format!("house ![]({name})"));
    rumah.kind = NoteKind::Reversed;
    collection.put_note(&kata, rumah).unwrap();
    collection
        .put_note(&kata, Note::basic("pintu", "pintu", "door"))
        .unwrap();
    // The target already has a note `pintu`, and a different image called rumah.png.
    collection
        .put_note(&lain, Note::basic("pintu", "pintu?", "a door"))
        .unwrap();
    let mut other = png.clone();
    other.extend_from_slice(b"trailing bytes make it another file");
    collection.add_media(&lain, "rumah.png", &other).unwrap();
    let card = |id: &str| CardId(id.into());
    collection
        .answer(&kata, &card("rumah:2"), Rating::Good, NOW, 1)
        .unwrap();
    collection
        .answer(&kata, &card("pintu"), Rating::Easy, NOW, 2)
        .unwrap();
    let before_rumah = collection.card_progress(&kata, &card("rumah:2"));

    // Selecting one card of a note moves the whole note.
    let moved = collection
        .move_notes(
            &[(kata.clone(), card("rumah")), (kata.clone(), card("pintu"))],
            &lain,
        )
        .unwrap()
        .unwrap();
    assert!(collection.deck(&kata).unwrap().deck.is_empty());
    assert_eq!(
        collection.card_progress(&lain, &card("rumah:2")),
        before_rumah
    );
    assert_eq!(
        collection.card_progress(&lain, &card("pintu-2")).reps,
        1,
        "renamed, with its progress"
    );
    assert_eq!(collection.card_progress(&lain, &card("pintu")).reps, 0);
    let answer = collection
        .card(&lain, &card("rumah"))
        .unwrap()
        .answer()
        .into_owned();
    assert_eq!(answer, "house ![](rumah-2.png)");
    assert_eq!(
        fs::read(dir.path().join("decks/lain.media/rumah-2.png")).unwrap(),
        png
    );
    // Nothing to move: already there.
    assert!(
        collection
            .move_notes(&[(lain.clone(), card("rumah"))], &lain)
            .unwrap()
            .is_none()
    );

    drop(collection);
    let mut collection = open(dir.path());
    assert_eq!(
        collection.card_progress(&lain, &card("rumah:2")),
        before_rumah
    );
    collection.undo_action(&moved).unwrap();
    assert_eq!(collection.deck(&kata).unwrap().deck.len(), 3);
    assert_eq!(collection.deck(&lain).unwrap().deck.len(), 1);
    assert_eq!(
        collection.card_progress(&kata, &card("rumah:2")),
        before_rumah
    );
    assert_eq!(collection.card_progress(&lain, &card("rumah:2")).reps, 0);
    collection.redo_action(&moved).unwrap();
    assert_eq!(collection.deck(&lain).unwrap().deck.len(), 4);
    assert_eq!(collection.card_progress(&lain, &card("pintu-2")).reps, 1);
    assert!(matches!(
        collection.move_notes(&[(lain.clone(), card("rumah"))], &DeckId("nope".into())),
        Err(crate::core::error::Error::UnknownDeck(_))
    ));
}
