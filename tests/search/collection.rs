//! Search over a real collection: the small Anki package imported, then each query's cards
//! compared with what Anki's own tables say (SQL over the package's collection, written
//! from Anki's search semantics, independently of Kartu's engine), and the `kartu search`
//! command.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use kartu::core::collection::{Collection, Purpose};
use kartu::core::ids::{CardId, DeckId};
use kartu::core::import::ids::{DeckIds, note_id_from_guid};
use kartu::core::import::{self, Monitor, Options};
use kartu::core::model::deck::{NoteKind, card_id};
use kartu::core::search::{SearchIndex, SortColumn, context};
use kartu::core::storage::paths::DataPaths;
use kartu::core::time::Timestamp;
use rusqlite::{Connection, OpenFlags};

const NOW: Timestamp = Timestamp(1_795_597_200);

fn package() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/anki/small.apkg")
}

fn imported(dir: &Path) -> Collection {
    let mut collection =
        Collection::open_for(DataPaths::new(dir), TimeZone::UTC, Purpose::Write).unwrap();
    collection.become_writer().unwrap();
    let options = Options {
        clock: Some(collection.clock().clone()),
        now: NOW,
        ..Options::default()
    };
    let mut incoming = import::read(&package(), &options, Monitor::silent()).unwrap();
    import::adopt_installed(&import::InstalledDecks::of(&collection), &mut incoming);
    import::install(&mut collection, incoming, NOW, &|| false).unwrap();
    collection
}

/// The package's collection, read-only in a temp dir.
fn anki_db() -> (tempfile::TempDir, Connection) {
    let mut archive = zip::ZipArchive::new(fs::File::open(package()).unwrap()).unwrap();
    let mut packed = Vec::new();
    archive
        .by_name("collection.anki21b")
        .unwrap()
        .read_to_end(&mut packed)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.sqlite");
    fs::write(&path, zstd::decode_all(packed.as_slice()).unwrap()).unwrap();
    let db = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    // Anki's schema compares deck names with its own collation.
    db.create_collation("unicase", |a, b| a.to_lowercase().cmp(&b.to_lowercase()))
        .unwrap();
    (dir, db)
}

/// The Kartu ids of the cards an SQL condition over Anki's `cards c`, `notes n` and the
/// deck name `d` selects.
fn anki_finds(db: &Connection, condition: &str) -> BTreeSet<(DeckId, CardId)> {
    let decks: HashMap<i64, String> = db
        .prepare("select id, name from decks")
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get::<_, String>(1)?.replace('\x1f', "::")))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let types: HashMap<i64, String> = db
        .prepare("select id, name from notetypes")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let sql = format!(
        "select n.guid, n.mid, c.ord, c.did from cards c join notes n on c.nid = n.id \
         where {condition}"
    );
    let mut ids = DeckIds::default();
    let mut found = BTreeSet::new();
    let mut stmt = db.prepare(&sql).unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, u32>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })
        .unwrap();
    for row in rows {
        let (guid, mid, ord, did) = row.unwrap();
        let kind = match types[&mid].as_str() {
            "Cloze" => NoteKind::Cloze,
            "Basic (and reversed card)" => NoteKind::Reversed,
            _ => NoteKind::Basic,
        };
        found.insert((
            ids.id(&decks[&did]),
            card_id(&note_id_from_guid(&guid).0, kind, ord + 1),
        ));
    }
    found
}

fn kartu_finds(
    index: &SearchIndex,
    collection: &Collection,
    query: &str,
) -> BTreeSet<(DeckId, CardId)> {
    index
        .search(
            query,
            &context(collection, NOW),
            SortColumn::SortField,
            false,
        )
        .unwrap_or_else(|err| panic!("{query}: {err}"))
        .into_iter()
        .map(|row| index.ids(row, collection).unwrap())
        .collect()
}

#[test]
fn queries_find_the_cards_anki_finds() {
    let dir = tempfile::tempdir().unwrap();
    let collection = imported(dir.path());
    let mut index = SearchIndex::build(&collection, NOW);
    index.load_reviews(&collection).unwrap();
    let (_db_dir, db) = anki_db();
    // Every card of the package (the bundled decks are searched too: keep them out).
    let peer = "(deck:Peer)";
    let cases: [(&str, &str); 22] = [
        ("", "1"),
        ("is:new", "c.type = 0"),
        ("is:review", "c.type in (2, 3)"),
        ("is:suspended", "c.queue = -1"),
        ("is:buried", "c.queue in (-2, -3)"),
        ("-is:new", "c.type != 0"),
        (
            "deck:Peer::Child",
            "c.did in (select id from decks where name = 'Peer' || char(31) || 'Child')",
        ),
        (
            "deck:peer -deck:peer::child",
            "c.did = (select id from decks where name = 'Peer')",
        ),
        (
            "deck:P*r::*",
            "c.did in (select id from decks where name like 'Peer' || char(31) || '%')",
        ),
        (
            "tag:peer",
            "n.tags like '% peer::%' or n.tags like '% peer %'",
        ),
        ("tag:indonesian", "n.tags like '% indonesian %'"),
        ("-tag:generated", "n.tags not like '% generated %'"),
        (
            "note:cloze",
            "n.mid in (select id from notetypes where name = 'Cloze')",
        ),
        ("card:2", "c.ord = 1"),
        ("prop:reps>1", "c.reps > 1"),
        ("prop:lapses>=1", "c.lapses >= 1"),
        ("prop:ivl>=10", "c.ivl >= 10"),
        (
            "prop:s>20",
            "c.type != 0 and json_extract(c.data, '$.s') > 20",
        ),
        ("question", "n.flds like '%question%'"),
        (
            "question 1*",
            "n.flds like '%question%' and n.flds like '%1%'",
        ),
        (
            "rumah or kucing",
            "n.flds like '%rumah%' or n.flds like '%kucing%'",
        ),
        (
            "is:review deck:peer::child or note:cloze",
            "(c.type in (2, 3) and c.did in (select id from decks where name = 'Peer' || char(31) || 'Child')) or n.mid in (select id from notetypes where name = 'Cloze')",
        ),
    ];
    for (query, condition) in cases {
        let scoped = if query.is_empty() {
            peer.to_owned()
        } else {
            format!("{peer} ({query})")
        };
        let kartu = kartu_finds(&index, &collection, &scoped);
        let anki = anki_finds(&db, &format!("({condition})"));
        assert_eq!(kartu, anki, "{query:?}");
    }
    // Some of them find something, some not everything: the cases can fail.
    assert_eq!(kartu_finds(&index, &collection, "deck:Peer").len(), 48);
    assert_eq!(
        kartu_finds(&index, &collection, "deck:Peer is:review").len(),
        18
    );
}

#[test]
fn results_sort_by_any_column_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let collection = imported(dir.path());
    let index = SearchIndex::build(&collection, NOW);
    let ctx = context(&collection, NOW);
    let fronts = |sort, reverse| -> Vec<String> {
        index
            .search("deck:Peer -note:cloze", &ctx, sort, reverse)
            .unwrap()
            .into_iter()
            .map(|row| index.found(row, &collection).unwrap().front.to_lowercase())
            .collect()
    };
    let ascending = fronts(SortColumn::SortField, false);
    let mut sorted = ascending.clone();
    sorted.sort();
    // Reverse cards sort by their note's front, as in Anki: compare the note order only.
    assert_eq!(ascending.len(), sorted.len());
    let stabilities: Vec<f32> = index
        .search("deck:Peer", &ctx, SortColumn::Stability, true)
        .unwrap()
        .into_iter()
        .map(|row| index.found(row, &collection).unwrap().stability)
        .collect();
    assert!(
        stabilities.windows(2).all(|w| w[0] >= w[1]),
        "{stabilities:?}"
    );
    assert!(stabilities[0] > 0.0);
    let reps: Vec<u32> = index
        .search("deck:Peer", &ctx, SortColumn::Reps, false)
        .unwrap()
        .into_iter()
        .map(|row| index.found(row, &collection).unwrap().reps)
        .collect();
    assert!(reps.windows(2).all(|w| w[0] <= w[1]) && reps.last() > reps.first());
}

#[test]
fn the_command_searches_sorts_limits_and_points_at_errors() {
    let dir = tempfile::tempdir().unwrap();
    drop(imported(dir.path()));
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_kartu"))
            .arg("--data-dir")
            .arg(dir.path())
            .arg("search")
            .args(args)
            .env_remove("KARTU_DATA_DIR")
            .output()
            .unwrap()
    };
    let out = run(&[
        "deck:Peer is:review",
        "--sort",
        "stability",
        "--reverse",
        "--limit",
        "3",
        "--json",
        "--now",
        "2026-11-25T09:00:00Z",
    ]);
    assert!(out.status.success(), "{out:?}");
    let cards: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cards = cards.as_array().unwrap();
    assert_eq!(cards.len(), 3);
    for field in [
        "deck",
        "card",
        "state",
        "due",
        "interval_secs",
        "stability",
        "difficulty",
        "reps",
        "lapses",
        "last_review",
        "front",
        "tags",
        "suspended",
        "buried",
    ] {
        assert!(cards[0].get(field).is_some(), "{field} in {}", cards[0]);
    }
    assert_eq!(cards[0]["state"], "review");
    assert!(cards[0]["stability"].as_f64() >= cards[2]["stability"].as_f64());

    let bad = run(&["prop:ivl>"]);
    assert!(!bad.status.success());
    let message = String::from_utf8_lossy(&bad.stderr);
    assert!(message.contains("needs a number after >"), "{message}");
    assert!(message.contains("at character 10"), "{message}");
    let unknown = run(&["x", "--sort", "colour"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("sort by one of"));
}

#[test]
fn added_finds_the_cards_anki_made_in_the_last_days_to_the_millisecond() {
    // A time zone whose learner day starts (04:00) at 10:06:34 UTC: the package's cards
    // were made from 10:06:33.915 to 10:06:34.030, so the boundary runs through them.
    let offset = jiff::tz::Offset::from_seconds(-(6 * 3600 + 6 * 60 + 34)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    drop(imported(dir.path()));
    let collection = Collection::open_for(
        DataPaths::new(dir.path()),
        TimeZone::fixed(offset),
        Purpose::Read,
    )
    .unwrap();
    let index = SearchIndex::build(&collection, NOW);
    let (_db_dir, db) = anki_db();
    let mut sizes = Vec::new();
    for now in ["2026-11-26T12:00:00Z", "2026-11-27T12:00:00Z"] {
        let now = Timestamp::parse_rfc3339(now).unwrap();
        let clock = collection.clock();
        let cutoff = clock
            .day_start(kartu::core::time::DayNumber(clock.day(now).0 + 1))
            .unix_secs();
        for days in [1, 2, 3] {
            let query = format!("deck:Peer added:{days}");
            let kartu: BTreeSet<_> = index
                .search(&query, &context(&collection, now), SortColumn::Added, false)
                .unwrap()
                .into_iter()
                .map(|row| index.ids(row, &collection).unwrap())
                .collect();
            let anki = anki_finds(&db, &format!("c.id > {}", (cutoff - days * 86_400) * 1000));
            assert_eq!(kartu, anki, "{query} at {now:?}");
            sizes.push(kartu.len());
        }
    }
    assert!(sizes.contains(&0) && sizes.contains(&48), "{sizes:?}");
    assert!(
        sizes.iter().any(|n| *n > 0 && *n < 48),
        "the boundary splits: {sizes:?}"
    );
    // The browser's Added column, and `--json`'s `added`.
    let row = index
        .search(
            "deck:Peer",
            &context(&collection, NOW),
            SortColumn::Added,
            false,
        )
        .unwrap()[0];
    let added = index.found(row, &collection).unwrap().added.unwrap();
    assert!(added.starts_with("2026-11-25T10:06:33.9"), "{added}");
}

#[test]
fn an_index_told_which_cards_changed_finds_what_a_new_index_finds() {
    let dir = tempfile::tempdir().unwrap();
    let mut collection = imported(dir.path());
    let mut index = SearchIndex::build(&collection, NOW);
    let ctx = context(&collection, NOW);
    let all: Vec<(DeckId, CardId)> = index
        .search("deck:Peer is:review", &ctx, SortColumn::SortField, false)
        .unwrap()
        .into_iter()
        .map(|row| index.ids(row, &collection).unwrap())
        .collect();
    let some = &all[..5];
    collection.suspend(some, true).unwrap();
    collection.forget(&all[5..7]).unwrap();
    collection.bury(&all[7..9], NOW).unwrap();
    let changed: Vec<_> = all[..9].to_vec();
    assert!(index.refresh_cards(&collection, &changed, NOW));
    let fresh = SearchIndex::build(&collection, NOW);
    for query in [
        "is:suspended",
        "is:new",
        "is:buried",
        "is:review",
        "prop:reps>0",
    ] {
        let found =
            |index: &SearchIndex| kartu_finds(index, &collection, &format!("deck:Peer {query}"));
        assert_eq!(found(&index), found(&fresh), "{query}");
    }
    let suspended = kartu_finds(&index, &collection, "deck:Peer is:suspended");
    assert!(some.iter().all(|card| suspended.contains(card)));
    // A card the index does not have where it says: build again.
    assert!(!index.refresh_cards(
        &collection,
        &[(DeckId("nope".into()), CardId("x".into()))],
        NOW
    ));
}
