//! Anki packages and text exports against what Anki itself holds: the collection database in
//! each package is read here directly (SQL over Anki's own tables), independently of Kartu's
//! reader, and the imported decks, card states, memory states and reviews must agree.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::Read as _;
use std::path::Path;

use kartu::core::collection::Collection;
use kartu::core::ids::{CardId, DeckId};
use kartu::core::import::Options;
use kartu::core::import::ids::{DeckIds, note_id_from_guid};
use kartu::core::model::card::CardState;
use kartu::core::model::deck::{NoteKind, card_id};
use rusqlite::{Connection, OpenFlags};

use super::support::{fixture, import_into, open, shared_fixture};

/// One card as Anki has it.
#[derive(Debug)]
struct AnkiCard {
    deck: String,
    kartu_id: CardId,
    card_type: i64,
    queue: i64,
    reps: u32,
    lapses: u32,
    stability: Option<f32>,
    reviews: usize,
}

/// The collection database of a package, extracted to a temp dir and opened read-only.
fn anki_db(package: &Path) -> (tempfile::TempDir, Connection, bool) {
    let mut archive = zip::ZipArchive::new(fs::File::open(package).unwrap()).unwrap();
    let (bytes, current) = if let Ok(mut entry) = archive.by_name("collection.anki21b") {
        let mut packed = Vec::new();
        entry.read_to_end(&mut packed).unwrap();
        (zstd::decode_all(packed.as_slice()).unwrap(), true)
    } else {
        let mut entry = archive.by_name("collection.anki21").unwrap();
        let mut plain = Vec::new();
        entry.read_to_end(&mut plain).unwrap();
        (plain, false)
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("collection.sqlite");
    fs::write(&path, bytes).unwrap();
    let db = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    (dir, db, current)
}

/// Deck and note type names by id, from either schema.
fn names(db: &Connection, current: bool) -> (HashMap<i64, String>, HashMap<i64, String>) {
    if current {
        let decks = db
            .prepare("select id, name from decks")
            .unwrap()
            .query_map([], |r| {
                Ok((r.get(0)?, r.get::<_, String>(1)?.replace('\x1f', "::")))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let types = db
            .prepare("select id, name from notetypes")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        (decks, types)
    } else {
        let (decks, models): (String, String) = db
            .query_row("select decks, models from col", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        let by_id = |json: &str| -> HashMap<i64, String> {
            let value: serde_json::Value = serde_json::from_str(json).unwrap();
            value
                .as_object()
                .unwrap()
                .iter()
                .map(|(id, v)| (id.parse().unwrap(), v["name"].as_str().unwrap().to_owned()))
                .collect()
        };
        (by_id(&decks), by_id(&models))
    }
}

fn kind_of(notetype: &str) -> NoteKind {
    match notetype {
        "Basic (and reversed card)" => NoteKind::Reversed,
        "Basic (optional reversed card)" => NoteKind::OptionalReversed,
        "Cloze" => NoteKind::Cloze,
        _ => NoteKind::Basic,
    }
}

/// Every card of the package as Anki has it.
fn anki_cards(package: &Path) -> Vec<AnkiCard> {
    let (_dir, db, current) = anki_db(package);
    let (decks, types) = names(&db, current);
    let mut reviews: HashMap<i64, usize> = HashMap::new();
    let mut stmt = db
        .prepare("select cid from revlog where ease between 1 and 4 and type <= 3")
        .unwrap();
    for cid in stmt.query_map([], |r| r.get::<_, i64>(0)).unwrap() {
        *reviews.entry(cid.unwrap()).or_default() += 1;
    }
    let mut stmt = db
        .prepare(
            "select c.id, n.guid, n.mid, c.ord, case when c.odid != 0 then c.odid else c.did end, \
             c.type, c.queue, c.reps, c.lapses, c.data from cards c join notes n on c.nid = n.id",
        )
        .unwrap();
    stmt.query_map([], |r| {
        let id: i64 = r.get(0)?;
        let guid: String = r.get(1)?;
        let notetype: i64 = r.get(2)?;
        let ord: u32 = r.get(3)?;
        let deck: i64 = r.get(4)?;
        let data: String = r.get(9)?;
        let kind = kind_of(&types[&notetype]);
        let stability = serde_json::from_str::<serde_json::Value>(&data)
            .ok()
            .and_then(|v| v.get("s").and_then(serde_json::Value::as_f64))
            .map(|s| s as f32);
        Ok(AnkiCard {
            deck: decks[&deck].clone(),
            kartu_id: card_id(&note_id_from_guid(&guid).0, kind, ord + 1),
            card_type: r.get(5)?,
            queue: r.get(6)?,
            reps: r.get(7)?,
            lapses: r.get(8)?,
            stability,
            reviews: reviews.get(&id).copied().unwrap_or(0),
        })
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// Counts per deck: cards, and cards per type (new, learning, review, relearning) and held
/// queue (suspended, buried).
type Counts = BTreeMap<String, [usize; 7]>;

fn anki_counts(cards: &[AnkiCard], ids: &mut DeckIds) -> Counts {
    let mut counts = Counts::new();
    for card in cards {
        let row = counts.entry(ids.id(&card.deck).0).or_default();
        row[0] += 1;
        row[1 + usize::try_from(card.card_type).unwrap()] += 1;
        match card.queue {
            -1 => row[5] += 1,
            -2 | -3 => row[6] += 1,
            _ => {}
        }
    }
    counts
}

fn kartu_counts(collection: &Collection) -> Counts {
    let mut counts = Counts::new();
    for installed in collection.decks() {
        let deck = &installed.deck;
        if deck.id.0.starts_with("backend-developer") {
            continue;
        }
        let row = counts.entry(deck.id.0.clone()).or_default();
        for card in deck.cards() {
            row[0] += 1;
            let progress = collection
                .progress()
                .card(&deck.id, &CardId(card.id().to_owned()))
                .unwrap_or_default();
            row[1 + match progress.state {
                CardState::New => 0,
                CardState::Learning => 1,
                CardState::Review => 2,
                CardState::Relearning => 3,
            }] += 1;
            if progress.suspended {
                row[5] += 1;
            }
            if progress.buried_until.is_some() {
                row[6] += 1;
            }
        }
    }
    counts
}

/// Imports `package` and checks it against Anki's own tables: decks, counts per state, and
/// per card reps, lapses, stability and the number of reviews. Returns the cards Anki has
/// as studied (reps above 0) and in review.
fn agrees_with_anki(package: &Path) -> (usize, usize) {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = open(dir.path());
    let (plan, installed) = import_into(&mut collection, package, Options::default()).unwrap();
    let cards = anki_cards(package);
    let mut ids = DeckIds::default();
    assert_eq!(
        kartu_counts(&collection),
        anki_counts(&cards, &mut ids),
        "{}: cards per deck and state",
        package.display()
    );
    let mut reviews: HashMap<(DeckId, CardId), usize> = HashMap::new();
    collection
        .for_each_review(&mut |review| {
            *reviews
                .entry((review.deck.clone(), review.card.clone()))
                .or_default() += 1;
            Ok(())
        })
        .unwrap();
    let mut studied = 0;
    for card in &cards {
        let deck = ids.id(&card.deck);
        collection.card(&deck, &card.kartu_id).unwrap();
        let progress = collection
            .progress()
            .card(&deck, &card.kartu_id)
            .unwrap_or_default();
        let at = format!("{}: {}/{}", package.display(), deck, card.kartu_id);
        assert_eq!(progress.reps, card.reps, "{at}: reps");
        assert_eq!(progress.lapses, card.lapses, "{at}: lapses");
        if let Some(stability) = card.stability {
            assert!(
                (progress.stability - stability).abs() <= 0.01,
                "{at}: stability {} in Kartu, {stability} in Anki",
                progress.stability
            );
        }
        assert_eq!(
            reviews
                .get(&(deck.clone(), card.kartu_id.clone()))
                .copied()
                .unwrap_or(0),
            card.reviews,
            "{at}: reviews"
        );
        studied += usize::from(card.reps > 0);
    }
    assert_eq!(
        installed.reviews,
        cards.iter().map(|c| c.reviews).sum::<usize>()
    );
    assert_eq!(plan.reviews, installed.reviews);
    (studied, cards.iter().filter(|c| c.card_type == 2).count())
}

#[test]
fn the_current_package_format_agrees_with_anki() {
    let (studied, _) = agrees_with_anki(&fixture("small.apkg"));
    assert_eq!(studied, 24, "the fixture's studied cards");
}

#[test]
fn the_legacy_package_format_agrees_with_anki() {
    let (studied, _) = agrees_with_anki(&fixture("small.legacy.apkg"));
    assert_eq!(studied, 24, "the fixture's studied cards");
}

#[test]
fn a_collection_package_agrees_with_anki() {
    let (studied, _) = agrees_with_anki(&fixture("small.colpkg"));
    assert_eq!(studied, 24, "the fixture's studied cards");
}

#[test]
fn a_package_with_ten_thousand_notes_agrees_with_anki() {
    let Some(package) = shared_fixture("scale10000.apkg") else {
        eprintln!("skipped: ../shared/fixtures/anki/scale10000.apkg is not here");
        return;
    };
    // Its cards were scheduled with "set due date", not studied: review cards, no reviews.
    let (_, in_review) = agrees_with_anki(&package);
    assert!(in_review > 500, "{in_review} cards in review");
}

#[test]
fn the_package_brings_sub_decks_kinds_tags_markdown_and_media() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = open(dir.path());
    let (plan, installed) =
        import_into(&mut collection, &fixture("small.apkg"), Options::default()).unwrap();
    assert_eq!(plan.notes_as_basic, 0);
    let child = collection.deck(&DeckId("peer.child".into())).unwrap();
    assert_eq!(child.deck.parent, Some(DeckId("peer".into())));
    assert_eq!(child.deck.title, "Child");
    let notes: Vec<_> = collection
        .decks()
        .iter()
        .filter(|d| d.deck.id.0.starts_with("peer"))
        .flat_map(|d| d.deck.notes().map(|n| n.to_note()).collect::<Vec<_>>())
        .collect();
    let count = |kind| notes.iter().filter(|n| n.kind == kind).count();
    assert_eq!(
        (
            count(NoteKind::Basic),
            count(NoteKind::Reversed),
            count(NoteKind::Cloze)
        ),
        (30, 5, 5)
    );
    let rust = notes.iter().find(|n| n.front.contains("Rust")).unwrap();
    assert_eq!(rust.front, "**Rust** ownership");
    assert!(
        rust.tags.iter().any(|t| t == "peer::basic"),
        "{:?}",
        rust.tags
    );
    let with_image = notes
        .iter()
        .find(|n| n.back.contains("peer-dot.png"))
        .unwrap();
    assert!(
        with_image.back.contains("![](peer-dot.png)"),
        "{}",
        with_image.back
    );
    assert_eq!(installed.media, 1);
    let media = collection.media_dir(&DeckId("peer.child".into())).unwrap();
    assert!(media.join("peer-dot.png").is_file());
    // The parent's study covers its sub-deck, as in Anki.
    let summaries = collection.deck_summaries(super::support::NOW);
    let peer = summaries.iter().find(|s| s.id.0 == "peer").unwrap();
    assert_eq!(peer.card_count, 48);
}

#[test]
fn a_package_without_scheduling_brings_new_cards_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = open(dir.path());
    let (plan, installed) = import_into(
        &mut collection,
        &fixture("small.nosched.apkg"),
        Options::default(),
    )
    .unwrap();
    assert_eq!((plan.reviews, installed.reviews), (0, 0));
    assert_eq!(collection.progress().card_count(), 0);
    let counts = kartu_counts(&collection);
    assert_eq!(counts.values().map(|c| c[0]).sum::<usize>(), 48);
    assert_eq!(counts.values().map(|c| c[1]).sum::<usize>(), 48);
}

#[test]
fn the_text_export_makes_the_same_notes_as_the_package() {
    let from_text = tempfile::tempdir().unwrap();
    let mut text = open(from_text.path());
    import_into(&mut text, &fixture("small.notes.txt"), Options::default()).unwrap();
    let from_package = tempfile::tempdir().unwrap();
    let mut package = open(from_package.path());
    import_into(&mut package, &fixture("small.apkg"), Options::default()).unwrap();
    for id in ["peer", "peer.child"] {
        let id = DeckId(id.into());
        let notes = |c: &Collection| -> Vec<_> {
            c.deck(&id)
                .unwrap()
                .deck
                .notes()
                // Plain text carries no `added` time (the package's are Anki's card ids).
                .map(|n| kartu::core::model::deck::Note {
                    added: None,
                    ..n.to_note()
                })
                .collect()
        };
        assert_eq!(notes(&text), notes(&package), "deck {id}");
    }
    // And importing the package over the text import is no change at all.
    let (plan, _) = import_into(&mut text, &fixture("small.apkg"), Options::default()).unwrap();
    for deck in &plan.decks {
        assert!(
            deck.added.is_empty() && deck.changed.is_empty() && deck.removed.is_empty(),
            "{deck:?}"
        );
    }
}

#[test]
fn a_package_imported_into_one_deck_keeps_every_card_and_its_progress() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = open(dir.path());
    let options = Options {
        deck: Some(DeckId("mine".into())),
        ..Options::default()
    };
    let (plan, installed) = import_into(&mut collection, &fixture("small.apkg"), options).unwrap();
    assert_eq!(plan.decks.len(), 1);
    let mine = collection.deck(&DeckId("mine".into())).unwrap();
    assert_eq!(mine.deck.parent, None);
    assert_eq!(mine.deck.cards().len(), 48);
    assert_eq!(installed.cards_with_progress, 24);
    assert!(collection.deck(&DeckId("peer".into())).is_err());
}
