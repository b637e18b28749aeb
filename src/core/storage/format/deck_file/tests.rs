//! The deck file format's tests: reading, writing, both formats, errors at their place.

use super::*;
use crate::core::ids::DeckId;
use crate::core::model::deck::{Note, NoteId};

/// Two basic notes: a deck format 1 can hold too.
pub(crate) fn sample_deck() -> Deck {
    Deck {
        format: 1,
        id: DeckId("sample".into()),
        title: "Sample".into(),
        description: "Two cards".into(),
        language: "en".into(),
        version: 3,
        parent: None,
        notes: vec![
            Note {
                notes: Some("note".into()),
                tags: vec!["a".into(), "b".into()],
                ..Note::basic("one", "Front \"quoted\"", "Back")
            },
            Note {
                example: Some("ex".into()),
                ..Note::basic("two", "Dua", "Two\nlines")
            },
        ],
    }
}

/// Every kind of note, in a sub-deck.
pub(crate) fn every_kind() -> Deck {
    Deck {
        format: DECK_FORMAT_VERSION,
        id: DeckId("kinds".into()),
        title: "Every kind".into(),
        description: String::new(),
        language: "id".into(),
        version: 1,
        parent: Some(DeckId("sample".into())),
        notes: vec![
            Note::basic("b", "**Front**", "- one\n- two"),
            Note {
                kind: NoteKind::Reversed,
                ..Note::basic("r", "hello", "halo")
            },
            Note {
                kind: NoteKind::OptionalReversed,
                add_reverse: true,
                ..Note::basic("o", "yes", "ya")
            },
            Note {
                kind: NoteKind::OptionalReversed,
                ..Note::basic("o2", "no", "tidak")
            },
            Note {
                tags: vec!["peer::child".into()],
                ..Note::cloze("c", "{{c1::Backend}} on the {{c2::server::where}}", "")
            },
            Note::cloze("c2", "Just {{c3::one}}", "Extra `code`"),
        ],
    }
}

#[test]
fn round_trips_and_is_byte_stable() {
    for deck in [sample_deck(), every_kind()] {
        let text = deck.to_ron().unwrap();
        let parsed = parse_deck(&text, Path::new("x.ron")).unwrap();
        assert_eq!(parsed, deck);
        assert_eq!(parsed.to_ron().unwrap(), text);
        assert!(text.starts_with("#![enable(implicit_some)]\n"), "{text}");
        assert!(!text.contains("example: None"), "{text}");
        // The fast path reads it the same.
        let packed = parse_packed_deck(&text, Path::new("x.ron")).unwrap();
        assert_eq!(packed.to_deck().unwrap(), deck);
        let fast = fast::read(text.as_bytes(), Path::new("x.ron"), fast::Text::Held).unwrap();
        assert_eq!(fast.unwrap().to_deck().unwrap(), deck);
    }
}

#[test]
fn format_1_loads_as_basic_notes_and_stays_format_1_until_upgraded() {
    let text = sample_deck().to_ron().unwrap();
    assert!(
        text.contains("    format: 1,\n") && text.contains("    cards: [\n"),
        "{text}"
    );
    let mut deck = parse_deck(&text, Path::new("v1.ron")).unwrap();
    assert!(deck.notes.iter().all(|n| n.kind == NoteKind::Basic));
    assert_eq!(
        deck.notes[0].card_ids()[0].0,
        "one",
        "the card keeps its id"
    );
    deck.format = DECK_FORMAT_VERSION;
    let upgraded = deck.to_ron().unwrap();
    assert!(upgraded.contains("    format: 2,\n") && upgraded.contains("    notes: [\n"));
    assert!(
        upgraded.contains("            kind: basic,\n"),
        "{upgraded}"
    );
    assert_eq!(parse_deck(&upgraded, Path::new("v2.ron")).unwrap(), deck);
    // A format 1 deck cannot hold what format 2 added.
    let mut kinds = every_kind();
    kinds.format = 1;
    assert!(matches!(kinds.to_ron(), Err(Error::Serialize(_))));
}

#[test]
fn notes_make_their_cards_with_stable_ids() {
    let packed = PackedDeck::from_deck(&every_kind());
    let cards: Vec<(&str, String, String)> = packed
        .cards()
        .map(|c| (c.id(), c.question().into_owned(), c.answer().into_owned()))
        .collect();
    let ids: Vec<&str> = cards.iter().map(|c| c.0).collect();
    assert_eq!(
        ids,
        ["b", "r", "r:2", "o", "o:2", "o2", "c:1", "c:2", "c2:3"]
    );
    assert_eq!(cards[2].1, "halo");
    assert_eq!(cards[2].2, "hello");
    assert_eq!(cards[6].1, "[...] on the server");
    assert_eq!(cards[7].1, "Backend on the [where]");
    assert_eq!(cards[7].2, "Backend on the **server**");
    assert_eq!(cards[8].2, "Just **one**\n\nExtra `code`");
    assert_eq!(packed.note_count(), 6);
    assert_eq!(
        packed.card_at(6).tags().collect::<Vec<_>>(),
        ["peer::child"]
    );
    // What the Anki import asks of a note, card by card, agrees with the list.
    for note in &every_kind().notes {
        for number in 0..5 {
            assert_eq!(
                note.makes_card(number),
                note.card_numbers().contains(&number),
                "{} card {number}",
                note.id.0
            );
        }
    }
}

#[test]
fn syntax_errors_carry_line_and_column() {
    let text = sample_deck()
        .to_ron()
        .unwrap()
        .replace("back: \"Back\",", "back: \"Back\" oops,");
    let err = parse_deck(&text, Path::new("deck.ron")).unwrap_err();
    let line = text.lines().position(|l| l.contains("oops")).unwrap() + 1;
    let Error::Parse {
        position: Some(position),
        ..
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(position.line, line, "{err}");
    assert!(
        err.to_string().starts_with(&format!("deck.ron:{line}:")),
        "{err}"
    );
}

#[test]
fn duplicate_ids_point_at_the_second_one() {
    let text = sample_deck()
        .to_ron()
        .unwrap()
        .replace("id: \"two\"", "id: \"one\"");
    let err = parse_deck(&text, Path::new("d.ron")).unwrap_err();
    let line = text
        .match_indices("\"one\"")
        .nth(1)
        .map(|(i, _)| text[..i].lines().count())
        .unwrap();
    assert!(err.to_string().contains(&format!("d.ron:{line}:")), "{err}");
    assert!(err.to_string().contains("duplicate id \"one\""), "{err}");
}

#[test]
fn newer_format_is_named_not_misparsed() {
    let text = every_kind()
        .to_ron()
        .unwrap()
        .replace("format: 2,", "format: 3,\n    shiny: true,");
    let err = parse_deck(&text, Path::new("d.ron")).unwrap_err();
    assert!(
        matches!(err, Error::NewerFormat { found: 3, .. }),
        "{err:?}"
    );
}

#[test]
fn rejects_bad_ids_empty_sides_and_clozes_without_deletions() {
    let text = sample_deck()
        .to_ron()
        .unwrap()
        .replace("\"two\"", "\"Two Words\"");
    assert!(
        parse_deck(&text, Path::new("d.ron"))
            .unwrap_err()
            .to_string()
            .contains("id \"Two Words\" must use only")
    );
    let text = sample_deck()
        .to_ron()
        .unwrap()
        .replace("back: \"Back\"", "back: \"  \"");
    assert!(
        parse_deck(&text, Path::new("d.ron"))
            .unwrap_err()
            .to_string()
            .contains("front and a back")
    );
    let text = every_kind()
        .to_ron()
        .unwrap()
        .replace("Just {{c3::one}}", "Just one");
    let err = parse_deck(&text, Path::new("d.ron"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("no cloze deletion"), "{err}");
    assert!(parse_packed_deck(&text, Path::new("d.ron")).is_err());
}

#[test]
fn never_panics_on_arbitrary_text() {
    // Every prefix of a valid file: a cheap stand-in for the fuzzer in CI.
    for deck in [sample_deck(), every_kind()] {
        let text = deck.to_ron().unwrap();
        for end in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            let _ = parse_deck(&text[..end], Path::new("d.ron"));
            let _ = parse_packed_deck(&text[..end], Path::new("d.ron"));
        }
    }
}

#[test]
fn an_oversized_deck_file_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.ron");
    // Sparse: no disk space, no time.
    std::fs::File::create(&path)
        .unwrap()
        .set_len(MAX_DECK_FILE_BYTES + 1)
        .unwrap();
    let err = load_packed_deck_file(&path).unwrap_err().to_string();
    assert!(err.contains("the limit is"), "{err}");
}

#[test]
fn packing_keeps_every_field_and_unpacks_to_the_same_deck() {
    let deck = sample_deck();
    let packed = PackedDeck::from_deck(&deck);
    assert_eq!(packed.to_deck().unwrap(), deck);
    assert_eq!(packed.len(), 2);
    let one = packed.card_at(0);
    assert_eq!(one.id(), "one");
    assert_eq!(one.notes(), Some("note"));
    assert_eq!(one.example(), None);
    assert_eq!(one.tags().collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(packed.card_at(1).tags().count(), 0);
}

/// Text with everything that changes how `ron` writes a string: quotes, backslashes, runs
/// of `#`, line breaks, tabs, non-ASCII.
fn tricky_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::strategy::Strategy as _;
    proptest::collection::vec(
        proptest::prop_oneof![
            proptest::strategy::Just("\"".to_owned()),
            proptest::strategy::Just("\\".to_owned()),
            proptest::strategy::Just("#".to_owned()),
            proptest::strategy::Just("##".to_owned()),
            proptest::strategy::Just("\n".to_owned()),
            proptest::strategy::Just("\t".to_owned()),
            proptest::strategy::Just("é✓ 🙂".to_owned()),
            "[a-z ]{0,6}",
            proptest::arbitrary::any::<String>(),
        ],
        0..5,
    )
    .prop_map(|pieces| pieces.concat())
}

fn any_note() -> impl proptest::strategy::Strategy<Value = Note> {
    use proptest::prelude::*;
    (
        "[a-z0-9][a-z0-9_.-]{0,12}",
        prop::sample::select(NoteKind::ALL.to_vec()),
        [tricky_text(), tricky_text(), tricky_text(), tricky_text()],
        any::<bool>(),
        proptest::option::of(tricky_text()),
        proptest::option::of(tricky_text()),
        prop::collection::vec(tricky_text(), 0..3),
        proptest::option::of(0_i64..4_000_000_000_000),
    )
        .prop_map(
            |(id, kind, [front, back, text, extra], add_reverse, notes, example, tags, added)| {
                Note {
                    id: NoteId(id),
                    kind,
                    front,
                    back,
                    text,
                    extra,
                    add_reverse,
                    notes,
                    example,
                    tags,
                    added: added.and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok()),
                }
            },
        )
}

proptest::proptest! {
    #[test]
    fn the_hand_written_format_2_is_exactly_what_ron_writes(
        title in tricky_text(),
        description in tricky_text(),
        parent in proptest::option::of("[a-z]{1,8}"),
        version in proptest::arbitrary::any::<u32>(),
        notes in proptest::collection::vec(any_note(), 0..4),
    ) {
        let deck = Deck {
            format: DECK_FORMAT_VERSION,
            id: DeckId("deck".into()),
            title,
            description,
            language: "id".into(),
            version,
            parent: parent.map(DeckId),
            notes,
        };
        let mut by_hand = String::new();
        deck.write_ron(&mut by_hand).unwrap();
        let mut by_ron = String::new();
        deck.write_ron_with_serde(&mut by_ron).unwrap();
        proptest::prop_assert_eq!(by_hand, by_ron);
    }
}

#[test]
fn the_sample_decks_are_written_by_hand_as_ron_writes_them() {
    for deck in [
        Deck {
            format: DECK_FORMAT_VERSION,
            ..sample_deck()
        },
        every_kind(),
        Deck {
            notes: Vec::new(),
            ..every_kind()
        },
    ] {
        let mut by_ron = String::new();
        deck.write_ron_with_serde(&mut by_ron).unwrap();
        assert_eq!(deck.to_ron().unwrap(), by_ron);
    }
}

/// The notes of a deck file are counted ahead of the parse, across the reader's pieces, and
/// the file is left at its start.
#[test]
fn notes_are_counted_ahead_across_pieces() {
    use std::io::Read;
    let mut deck = every_kind();
    let base = deck.notes.clone();
    for copy in 0..600 {
        deck.notes.extend(base.iter().map(|note| Note {
            id: NoteId(format!("{}-{copy}", note.id.0)),
            ..note.clone()
        }));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.ron");
    save_deck_file(&deck, &path).unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() > 512 * 1024);
    let mut file = std::fs::File::open(&path).unwrap();
    assert_eq!(fast::count_notes(&mut file).unwrap(), deck.notes.len());
    let mut start = [0_u8; 2];
    file.read_exact(&mut start).unwrap();
    assert_eq!(&start, b"#!");
    assert_eq!(
        load_packed_deck_file(&path).unwrap().to_deck().unwrap(),
        deck
    );
}
