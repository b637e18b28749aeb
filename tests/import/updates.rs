//! Updates: importing a deck that is installed already changes it in place, after saying
//! what it will do; progress stays with every card whose id survives, removed cards are
//! retired with their history and come back with it.

use std::fs;

use kartu::core::collection::Collection;
use kartu::core::ids::{CardId, DeckId};
use kartu::core::import::Options;
use kartu::core::model::card::Rating;
use kartu::core::time::Timestamp;

use super::support::{NOW, fingerprint, fixture, import_into, kartu, ok, open};

fn reviews_of(collection: &Collection, card: &str) -> usize {
    let mut count = 0;
    collection
        .for_each_review(&mut |review| {
            count += usize::from(review.card.0 == card);
            Ok(())
        })
        .unwrap();
    count
}

#[test]
fn a_spreadsheet_update_keeps_progress_and_retired_cards_come_back_with_theirs() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("class.csv");
    let data = dir.path().join("data");
    let deck = DeckId("class".into());
    let options = || Options {
        deck: Some(deck.clone()),
        ..Options::default()
    };
    fs::write(
        &sheet,
        "id,front,back\nrumah,rumah,house\nkucing,kucing,cat\nair,air,water\n",
    )
    .unwrap();
    let mut collection = open(&data);
    let (plan, _) = import_into(&mut collection, &sheet, options()).unwrap();
    assert_eq!(plan.decks[0].added.len(), 3);
    assert_eq!(plan.decks[0].added_count, 3);
    for card in ["rumah", "air"] {
        collection
            .answer(&deck, &CardId(card.into()), Rating::Good, NOW, 1000)
            .unwrap();
    }

    // The teacher fixes one card, drops one, adds one.
    fs::write(
        &sheet,
        "id,front,back\nrumah,rumah,a house\nkucing,kucing,cat\nmakan,makan,to eat\n",
    )
    .unwrap();
    let later = Timestamp(NOW.0 + 600);
    let mut incoming = kartu::core::import::read(
        &sheet,
        &Options {
            now: later,
            ..options()
        },
        kartu::core::import::Monitor::silent(),
    )
    .unwrap();
    let installed = kartu::core::import::InstalledDecks::of(&collection);
    kartu::core::import::adopt_installed(&installed, &mut incoming);
    let plan = kartu::core::import::plan(&installed, &incoming);
    let changes = &plan.decks[0];
    assert_eq!(changes.installed_version, Some(1));
    assert_eq!(changes.version, 2);
    let ids = |notes: &[kartu::core::import::NoteSummary]| -> Vec<String> {
        notes.iter().map(|n| n.id.clone()).collect()
    };
    assert_eq!(ids(&changes.added), ["makan"]);
    assert_eq!(ids(&changes.removed), ["air"]);
    assert_eq!(changes.unchanged, 1);
    assert_eq!(changes.changed.len(), 1);
    assert_eq!(changes.changed[0].old.back, "house");
    assert_eq!(changes.changed[0].new.back, "a house");
    assert_eq!(
        (
            changes.added_count,
            changes.changed_count,
            changes.removed_count
        ),
        (1, 1, 1)
    );
    // Listing none, the plan still counts every note.
    let counted = kartu::core::import::plan_listing(&installed, &incoming, 0);
    let counted = &counted.decks[0];
    assert!(counted.added.is_empty() && counted.changed.is_empty() && counted.removed.is_empty());
    assert_eq!(
        (
            counted.added_count,
            counted.changed_count,
            counted.removed_count,
            counted.unchanged
        ),
        (1, 1, 1, 1)
    );
    // The window makes the plan on its worker against the decks as they were, and makes it
    // again if they changed meanwhile (an update changes them).
    assert!(installed.same_as(&kartu::core::import::InstalledDecks::of(&collection)));
    kartu::core::import::install(&mut collection, incoming, later, &|| false).unwrap();
    assert!(!installed.same_as(&kartu::core::import::InstalledDecks::of(&collection)));
    drop(installed);

    let rumah = collection.card_progress(&deck, &CardId("rumah".into()));
    assert_eq!(rumah.reps, 1, "the changed card keeps its progress");
    assert_eq!(
        collection
            .card(&deck, &CardId("rumah".into()))
            .unwrap()
            .answer(),
        "a house"
    );
    assert!(
        collection.card(&deck, &CardId("air".into())).is_err(),
        "retired"
    );
    assert_eq!(
        collection.deck_counts(&deck, later).unwrap().new,
        2,
        "the retired card is out of study"
    );
    // Each note says when it came into the collection: an update keeps the first time.
    let added = |card: &str| {
        collection
            .card(&deck, &CardId(card.into()))
            .unwrap()
            .note()
            .added()
            .map(jiff::Timestamp::as_second)
    };
    assert_eq!(added("rumah"), Some(NOW.0));
    assert_eq!(added("makan"), Some(later.0));
    drop(collection);

    // It comes back, after a restart, with its progress and history.
    fs::write(
        &sheet,
        "id,front,back\nrumah,rumah,a house\nkucing,kucing,cat\nmakan,makan,to eat\nair,air,water\n",
    )
    .unwrap();
    let mut collection = open(&data);
    let (plan, _) = import_into(&mut collection, &sheet, options()).unwrap();
    assert_eq!(ids(&plan.decks[0].added), ["air"]);
    assert_eq!(
        collection.card_progress(&deck, &CardId("air".into())).reps,
        1
    );
    assert_eq!(reviews_of(&collection, "air"), 1);
}

#[test]
fn re_importing_an_anki_package_keeps_what_the_learner_did_since() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = open(dir.path());
    import_into(&mut collection, &fixture("small.apkg"), Options::default()).unwrap();
    let deck = DeckId("peer".into());
    let studied = collection
        .deck(&deck)
        .unwrap()
        .deck
        .cards()
        .map(|c| CardId(c.id().to_owned()))
        .find(|c| collection.card_progress(&deck, c).reps > 0)
        .unwrap();
    let before = collection.card_progress(&deck, &studied);
    let later = Timestamp(NOW.0 + 86_400 * 30);
    collection
        .answer(&deck, &studied, Rating::Good, later, 1000)
        .unwrap();
    let mine = collection.card_progress(&deck, &studied);
    assert_eq!(mine.reps, before.reps + 1);
    let reviews = reviews_of(&collection, &studied.0);

    let (plan, installed) =
        import_into(&mut collection, &fixture("small.apkg"), Options::default()).unwrap();
    assert!(
        plan.decks
            .iter()
            .all(|d| d.added.is_empty() && d.changed.is_empty())
    );
    assert_eq!(installed.reviews, 0, "no review is added twice");
    assert!(
        installed.backup.is_some(),
        "the progress was backed up first"
    );
    assert_eq!(collection.card_progress(&deck, &studied), mine);
    assert_eq!(reviews_of(&collection, &studied.0), reviews);
}

#[test]
fn an_older_deck_file_is_refused_and_a_newer_one_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = |version: u32, back: &str| {
        let path = dir.path().join(format!("teacher-{version}.ron"));
        fs::write(
            &path,
            format!(
                "(format: 2, id: \"teacher\", title: \"Teacher\", description: \"d\", language: \"en\", \
                 version: {version}, notes: [(id: \"one\", front: \"one\", back: \"{back}\")])"
            ),
        )
        .unwrap();
        path
    };
    let mut collection = open(&data);
    import_into(&mut collection, &file(2, "1"), Options::default()).unwrap();
    let deck = DeckId("teacher".into());
    collection
        .answer(&deck, &CardId("one".into()), Rating::Easy, NOW, 1)
        .unwrap();
    let before = fingerprint(&data);
    let err = import_into(&mut collection, &file(1, "old"), Options::default()).unwrap_err();
    assert!(err.to_string().contains("version"), "{err}");
    assert_eq!(fingerprint(&data), before, "nothing changed");
    // A dry run refuses it the same way, naming the file.
    let older = file(1, "old");
    let dry = kartu(&data, &["import", older.to_str().unwrap(), "--dry-run"]);
    assert!(!dry.status.success());
    let message = String::from_utf8_lossy(&dry.stderr);
    assert!(
        message.contains("teacher-1.ron") && message.contains("version"),
        "{message}"
    );
    import_into(&mut collection, &file(3, "new"), Options::default()).unwrap();
    assert_eq!(
        collection
            .card(&deck, &CardId("one".into()))
            .unwrap()
            .answer(),
        "new"
    );
    assert_eq!(
        collection.card_progress(&deck, &CardId("one".into())).reps,
        1
    );
}

#[test]
fn the_command_line_dry_run_says_what_would_change_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let package = fixture("small.apkg");
    let package = package.to_str().unwrap();
    ok(&kartu(&data, &["decks"]));
    let before = fingerprint(&data);
    let text = ok(&kartu(&data, &["import", package, "--dry-run"]));
    assert!(text.contains("deck peer (Peer): new deck"), "{text}");
    assert!(text.contains("20 added"), "{text}");
    assert!(text.contains("dry run: nothing was changed"), "{text}");
    assert_eq!(fingerprint(&data), before);

    let json: serde_json::Value = serde_json::from_str(&ok(&kartu(
        &data,
        &["import", package, "--dry-run", "--json"],
    )))
    .unwrap();
    assert_eq!(json["dry_run"], true);
    assert_eq!(json["decks"][1]["deck"], "peer.child");
    assert_eq!(json["decks"][1]["added"].as_array().unwrap().len(), 20);
    assert_eq!(json["reviews"], 66);
    assert!(json["installed"].is_null());
    assert_eq!(fingerprint(&data), before);

    let json: serde_json::Value =
        serde_json::from_str(&ok(&kartu(&data, &["import", package, "--json"]))).unwrap();
    assert_eq!(json["installed"]["decks"], 2);
    assert_eq!(json["installed"]["reviews"], 66);
    let decks = ok(&kartu(&data, &["decks", "--json"]));
    assert!(decks.contains("\"peer.child\""), "{decks}");
    // Again: the same notes, nothing to do.
    let text = ok(&kartu(&data, &["import", package]));
    assert!(text.contains("installed already, version 1"), "{text}");
    assert!(
        text.contains("imported 2 decks, 1 media files, 0 card states, 0 reviews"),
        "{text}"
    );
}
