//! Exports read back by Kartu's own importers: the same notes (and, from a package with
//! progress, the same card states, reviews and images).

use std::fs;

use kartu::core::collection::Collection;
use kartu::core::export::{ExportFormat, export};
use kartu::core::ids::DeckId;
use kartu::core::import::Options;
use kartu::core::model::deck::Note;

use super::support::{fixture, import_into, kartu, open};

fn notes(collection: &Collection, deck: &str) -> Vec<Note> {
    collection
        .deck(&DeckId(deck.into()))
        .unwrap()
        .deck
        .notes()
        .map(|n| n.to_note())
        .collect()
}

/// The notes without their `added` times, which CSV and Anki's plain text do not carry (a
/// note read from them is stamped when it is installed).
fn content(collection: &Collection, deck: &str) -> Vec<Note> {
    let mut notes = notes(collection, deck);
    for note in &mut notes {
        note.added = None;
    }
    notes
}

/// A collection with the small Anki package imported.
fn with_peer() -> (tempfile::TempDir, Collection) {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = open(&dir.path().join("data"));
    import_into(&mut collection, &fixture("small.apkg"), Options::default()).unwrap();
    (dir, collection)
}

#[test]
fn a_package_with_progress_brings_the_deck_its_images_and_the_learners_history() {
    let (dir, source) = with_peer();
    let file = dir.path().join("child.kartu");
    let exported = export(
        &source,
        &DeckId("peer.child".into()),
        ExportFormat::Kartu,
        true,
        &file,
    )
    .unwrap();
    assert_eq!(exported.media, 1);
    assert!(
        exported.card_states > 0 && exported.reviews > 0,
        "{exported:?}"
    );

    let mut target = open(&dir.path().join("other"));
    let (plan, installed) = import_into(&mut target, &file, Options::default()).unwrap();
    assert_eq!(plan.decks.len(), 1);
    assert_eq!(installed.cards_with_progress, exported.card_states);
    assert_eq!(installed.reviews, exported.reviews);
    assert_eq!(notes(&target, "peer.child"), notes(&source, "peer.child"));
    let deck = DeckId("peer.child".into());
    for card in source.deck(&deck).unwrap().deck.cards() {
        let id = kartu::core::ids::CardId(card.id().to_owned());
        assert_eq!(
            target.card_progress(&deck, &id),
            source.card_progress(&deck, &id)
        );
    }
    assert_eq!(
        fs::read(target.media_dir(&deck).unwrap().join("peer-dot.png")).unwrap(),
        fs::read(source.media_dir(&deck).unwrap().join("peer-dot.png")).unwrap()
    );
}

#[test]
fn a_deck_file_and_a_csv_file_read_back_as_the_same_notes() {
    let (dir, source) = with_peer();
    let ron = dir.path().join("peer.ron");
    export(
        &source,
        &DeckId("peer".into()),
        ExportFormat::Ron,
        false,
        &ron,
    )
    .unwrap();
    let csv = dir.path().join("peer.csv");
    let exported = export(
        &source,
        &DeckId("peer".into()),
        ExportFormat::Csv,
        false,
        &csv,
    )
    .unwrap();
    assert_eq!(
        (exported.decks, exported.notes),
        (2, 40),
        "the deck and its sub-deck"
    );

    let mut from_ron = open(&dir.path().join("a"));
    import_into(&mut from_ron, &ron, Options::default()).unwrap();
    assert_eq!(notes(&from_ron, "peer"), notes(&source, "peer"));

    let mut from_csv = open(&dir.path().join("b"));
    import_into(&mut from_csv, &csv, Options::default()).unwrap();
    for deck in ["peer", "peer.child"] {
        assert_eq!(content(&from_csv, deck), content(&source, deck), "{deck}");
    }
}

#[test]
fn every_note_kind_and_field_survives_csv_and_formulas_are_inert() {
    let dir = tempfile::tempdir().unwrap();
    let deck_file = dir.path().join("kinds.ron");
    fs::write(
        &deck_file,
        r#"(format: 2, id: "kinds", title: "Kinds", description: "d", language: "en", version: 1, notes: [
    (id: "basic", front: "=SUM(A1:A9)", back: "-1", notes: "@mention", example: "+62 21", tags: ["a::b", "c"]),
    (id: "rev", kind: reversed, front: "rumah", back: "house"),
    (id: "opt", kind: optional_reversed, front: "kucing", back: "cat", add_reverse: true),
    (id: "opt2", kind: optional_reversed, front: "air", back: "water"),
    (id: "cloze", kind: cloze, text: "{{c1::Jakarta::city}} is in {{c2::Java}}", extra: "Big, \"busy\"\nand hot"),
])"#,
    )
    .unwrap();
    let mut source = open(&dir.path().join("data"));
    import_into(&mut source, &deck_file, Options::default()).unwrap();
    let csv = dir.path().join("kinds.csv");
    export(
        &source,
        &DeckId("kinds".into()),
        ExportFormat::Csv,
        false,
        &csv,
    )
    .unwrap();
    let text = fs::read_to_string(&csv).unwrap();
    assert!(text.contains("'=SUM(A1:A9)"), "{text}");
    assert!(text.contains(",'-1,"), "{text}");
    assert!(text.contains("'@mention"), "{text}");
    assert!(!text.contains(",=") && !text.contains(",+6"), "{text}");

    let tsv = dir.path().join("kinds.tsv");
    export(
        &source,
        &DeckId("kinds".into()),
        ExportFormat::Csv,
        false,
        &tsv,
    )
    .unwrap();
    assert!(
        fs::read_to_string(&tsv)
            .unwrap()
            .starts_with("id\tdeck\tkind")
    );

    for file in [&csv, &tsv] {
        let mut back = open(&dir.path().join(file.extension().unwrap()));
        import_into(&mut back, file, Options::default()).unwrap();
        assert_eq!(
            notes(&back, "kinds"),
            notes(&source, "kinds"),
            "{}",
            file.display()
        );
        assert_eq!(
            back.deck(&DeckId("kinds".into()))
                .unwrap()
                .deck
                .cards()
                .len(),
            8,
            "basic 1, reversed 2, optional 2 + 1, cloze 2"
        );
    }
}

#[test]
fn anki_text_has_the_headers_anki_needs_and_reads_back_as_the_same_notes() {
    let (dir, source) = with_peer();
    let file = dir.path().join("peer.txt");
    export(
        &source,
        &DeckId("peer".into()),
        ExportFormat::AnkiText,
        false,
        &file,
    )
    .unwrap();
    let text = fs::read_to_string(&file).unwrap();
    for header in [
        "#separator:tab",
        "#html:true",
        "#guid column:1",
        "#notetype column:2",
        "#deck column:3",
        "#tags column:6",
    ] {
        assert!(text.lines().any(|l| l == header), "{header} in\n{text}");
    }
    // Anki's own GUIDs go back out, so Anki updates its notes instead of adding copies.
    assert!(
        text.contains("\"HK&V^Y=)Q#\"\tBasic\tPeer::Child\t<strong>Rust</strong> ownership"),
        "{text}"
    );
    assert!(text.contains("\tCloze\tPeer\t"), "{text}");
    assert!(text.contains("\tBasic (and reversed card)\t"), "{text}");

    let mut back = open(&dir.path().join("back"));
    import_into(&mut back, &file, Options::default()).unwrap();
    for deck in ["peer", "peer.child"] {
        assert_eq!(content(&back, deck), content(&source, deck), "{deck}");
    }
}

#[test]
fn the_bundled_deck_exports_with_its_notes_and_examples_and_kartu_ids() {
    let dir = tempfile::tempdir().unwrap();
    let source = open(&dir.path().join("data"));
    let deck = DeckId("backend-developer-en".into());
    let csv = dir.path().join("bundled.csv");
    export(&source, &deck, ExportFormat::Csv, false, &csv).unwrap();
    let txt = dir.path().join("bundled.txt");
    let exported = export(&source, &deck, ExportFormat::AnkiText, false, &txt).unwrap();
    assert!(
        exported.warnings.iter().any(|w| w.contains("left out")),
        "{exported:?}"
    );
    assert!(fs::read_to_string(&txt).unwrap().contains("kartu:"));

    let mut back = open(&dir.path().join("back"));
    let renamed = Options {
        deck: Some(DeckId("copy".into())),
        ..Options::default()
    };
    import_into(&mut back, &csv, renamed).unwrap();
    assert_eq!(
        content(&back, "copy"),
        content(&source, "backend-developer-en")
    );
    let ids = |c: &Collection, d: &str| -> Vec<String> {
        notes(c, d).into_iter().map(|n| n.id.0).collect()
    };
    let mut from_text = open(&dir.path().join("text"));
    let (plan, _) = import_into(
        &mut from_text,
        &txt,
        Options {
            deck: Some(DeckId("copy".into())),
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(plan.decks.len(), 1, "--deck puts every note in one deck");
    assert_eq!(
        ids(&from_text, "copy"),
        ids(&source, "backend-developer-en")
    );
}

#[test]
fn the_command_line_exports_by_format_and_refuses_progress_outside_a_package() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = dir.path().join("x.csv");
    let run = |args: &[&str]| kartu(&data, args);
    let done = run(&[
        "export",
        "--deck",
        "backend-developer-id",
        "--format",
        "csv",
        out.to_str().unwrap(),
    ]);
    assert!(done.status.success(), "{done:?}");
    assert!(
        fs::read_to_string(&out)
            .unwrap()
            .starts_with("id,deck,kind,front,back")
    );
    let refused = run(&[
        "export",
        "--deck",
        "backend-developer-id",
        "--format",
        "csv",
        "--with-progress",
        out.to_str().unwrap(),
    ]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("Kartu package"),
        "{refused:?}"
    );
    let unknown = run(&[
        "export",
        "--deck",
        "nope",
        "--format",
        "ron",
        out.to_str().unwrap(),
    ]);
    assert!(!unknown.status.success());
    let package = dir.path().join("id.kartu");
    let json = run(&[
        "export",
        "--deck",
        "backend-developer-id",
        "--with-progress",
        "--json",
        package.to_str().unwrap(),
    ]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["notes"], value["cards"], "{value}");
    assert_eq!(value["reviews"], 0);
}

#[test]
fn a_deck_file_brings_its_media_folder_and_leaves_with_it_as_a_package() {
    let dir = tempfile::tempdir().unwrap();
    let deck_file = dir.path().join("pictures.ron");
    fs::write(
        &deck_file,
        r#"(format: 2, id: "pictures", title: "Pictures", description: "d", language: "en", version: 1, notes: [
    (id: "dot", front: "What is this? ![a dot](dot.png)", back: "A dot ![gone](gone.png)"),
])"#,
    )
    .unwrap();
    fs::create_dir(dir.path().join("pictures.media")).unwrap();
    let dot =
        fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dot.png"))
            .unwrap();
    fs::write(dir.path().join("pictures.media/dot.png"), &dot).unwrap();
    let mut collection = open(&dir.path().join("data"));
    let (plan, installed) = import_into(&mut collection, &deck_file, Options::default()).unwrap();
    assert_eq!(installed.media, 1);
    assert!(
        plan.warnings.iter().any(|w| w.contains("gone.png")),
        "{plan:?}"
    );
    let deck = DeckId("pictures".into());
    assert_eq!(
        kartu::core::export::default_format(&collection, &deck),
        ExportFormat::Kartu,
        "a deck with images leaves as a package"
    );
    let package = dir.path().join("pictures.kartu");
    let exported = export(&collection, &deck, ExportFormat::Kartu, false, &package).unwrap();
    assert_eq!(exported.media, 1);
    let mut other = open(&dir.path().join("other"));
    import_into(&mut other, &package, Options::default()).unwrap();
    assert_eq!(
        fs::read(other.media_dir(&deck).unwrap().join("dot.png")).unwrap(),
        dot
    );
}
