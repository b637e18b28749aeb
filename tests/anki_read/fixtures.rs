//! Real packages and text exports made by Anki 26.9.3's own exporter.

use crate::common;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

use common::{PNG_SIGNATURE, fixture, shared, timed};
use kartu::core::import::anki::{
    AnkiCard, AnkiCollection, AnkiError, AnkiNote, AnkiRevlog, CardQueue, CardType, DeckKind,
    Limits, MemoryState, NotetypeKind, RevlogKind, RowKind, RowSink, Schema, Separator, TextLimits,
    html_to_markdown, read_notes_text, read_package, read_package_with,
};

fn read(name: &str) -> AnkiCollection {
    let path = fixture(name);
    read_package(&path, &Limits::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn deck_names(c: &AnkiCollection) -> Vec<&str> {
    c.decks.iter().map(|d| d.name.as_str()).collect()
}

/// What all four small packages share: the same 40 notes in `Peer` and
/// `Peer::Child`, giving 48 cards, the PNG, the note types' shapes.
fn check_small_common(c: &AnkiCollection) {
    assert_eq!(c.rollover_hour, 4);
    assert!(c.created_secs > 1_700_000_000, "{}", c.created_secs);
    assert_eq!(c.decks.len(), 3);
    for name in ["Default", "Peer", "Peer::Child"] {
        assert!(deck_names(c).contains(&name), "{:?}", deck_names(c));
    }
    assert!(c.decks.iter().all(|d| d.kind == DeckKind::Normal));

    let by_name: HashMap<&str, _> = c.notetypes.iter().map(|n| (n.name.as_str(), n)).collect();
    let basic = by_name["Basic"];
    assert_eq!(basic.kind, NotetypeKind::Standard);
    assert_eq!(basic.fields, ["Front", "Back"]);
    assert_eq!(basic.templates.len(), 1);
    assert_eq!(basic.templates[0].name, "Card 1");
    assert_eq!(basic.templates[0].question_format, "{{Front}}");
    assert!(basic.templates[0].answer_format.contains("{{Back}}"));
    let reversed = by_name["Basic (and reversed card)"];
    assert_eq!(reversed.kind, NotetypeKind::Standard);
    assert_eq!(
        reversed
            .templates
            .iter()
            .map(|t| (t.ord, t.name.as_str()))
            .collect::<Vec<_>>(),
        [(0, "Card 1"), (1, "Card 2")]
    );
    let cloze = by_name["Cloze"];
    assert_eq!(cloze.kind, NotetypeKind::Cloze);
    assert_eq!(cloze.fields, ["Text", "Back Extra"]);
    assert_eq!(cloze.templates[0].question_format, "{{cloze:Text}}");

    // 40 notes: 30 Basic, 5 reversed, 5 Cloze.
    assert_eq!(c.notes.len(), 40);
    let mut per_type: HashMap<&str, usize> = HashMap::new();
    let nt_name: HashMap<i64, &str> = c
        .notetypes
        .iter()
        .map(|n| (n.id, n.name.as_str()))
        .collect();
    for n in &c.notes {
        *per_type.entry(nt_name[&n.notetype_id]).or_default() += 1;
        assert_eq!(n.fields.len(), 2);
        assert!(!n.guid.is_empty());
    }
    assert_eq!(per_type["Basic"], 30);
    assert_eq!(per_type["Basic (and reversed card)"], 5);
    assert_eq!(per_type["Cloze"], 5);
    let first = c
        .notes
        .iter()
        .find(|n| n.fields[1] == "Backend developer")
        .expect("first note");
    assert_eq!(first.fields[0], "Pengembang backend");
    assert_eq!(first.tags, ["indonesian", "peer::basic", "vocab"]);
    let img = c
        .notes
        .iter()
        .find(|n| n.fields[0] == "Question 7")
        .expect("image note");
    assert_eq!(
        img.fields[1],
        r#"Answer <b>7</b><br>line two <img src="peer-dot.png">"#
    );

    // 48 cards; every card points at a known note and deck, and ords fit.
    assert_eq!(c.cards.len(), 48);
    let notes: HashMap<i64, i64> = c.notes.iter().map(|n| (n.id, n.notetype_id)).collect();
    let decks: HashSet<i64> = c.decks.iter().map(|d| d.id).collect();
    for card in &c.cards {
        let nt = notes[&card.note_id];
        assert!(decks.contains(&card.deck_id));
        let kind = c
            .notetypes
            .iter()
            .find(|n| n.id == nt)
            .map(|n| (n.kind, n.templates.len()));
        match kind {
            Some((NotetypeKind::Standard, t)) => assert!((card.ord as usize) < t),
            Some((NotetypeKind::Cloze, _)) => assert!(card.ord < 3),
            None => panic!("card {} has no note type", card.id),
        }
        assert!(card.card_type().is_some() && card.card_queue().is_some());
    }
    // 30 Basic + 5 × 2 reversed + cloze numbers 2+1+3+1+1.
    let cloze_cards = c
        .cards
        .iter()
        .filter(|k| nt_name[&notes[&k.note_id]] == "Cloze")
        .count();
    assert_eq!(cloze_cards, 8);

    assert_eq!(c.media.len(), 1);
    assert_eq!(c.media[0].name, "peer-dot.png");
    assert!(c.media[0].data.starts_with(PNG_SIGNATURE));
    assert_eq!(c.media[0].data.len(), 70);
}

/// The scheduling state of the studied packages.
fn check_scheduling(c: &AnkiCollection) {
    assert_eq!(c.cards.iter().filter(|k| k.memory.is_some()).count(), 24);
    assert_eq!(c.revlog.len(), 66);
    let kinds = c.revlog.iter().fold(BTreeMap::new(), |mut m, r| {
        *m.entry(format!("{:?}", r.revlog_kind())).or_insert(0) += 1;
        m
    });
    assert_eq!(kinds["Some(Learning)"], 45);
    assert_eq!(kinds["Some(Review)"], 21);
    assert!(c.revlog.iter().all(|r| (1..=4).contains(&r.ease)));
    assert!(c.revlog.windows(2).all(|w| w[0].id < w[1].id));
    let cards: HashSet<i64> = c.cards.iter().map(|k| k.id).collect();
    assert!(c.revlog.iter().all(|r| cards.contains(&r.card_id)));

    // Queues: 24 new, 9 learning (6 learn + 3 relearn), 15 review.
    let count = |q, t| {
        c.cards
            .iter()
            .filter(|k| k.card_queue() == Some(q) && k.card_type() == Some(t))
            .count()
    };
    assert_eq!(count(CardQueue::New, CardType::New), 24);
    assert_eq!(count(CardQueue::Learn, CardType::Learn), 6);
    assert_eq!(count(CardQueue::Learn, CardType::Relearn), 3);
    assert_eq!(count(CardQueue::Review, CardType::Review), 15);
    for k in &c.cards {
        match k.card_queue() {
            // New: due is the queue position (small).
            Some(CardQueue::New) => assert!((1..=100).contains(&k.due), "{k:?}"),
            // Intraday learning: due is a Unix timestamp in seconds.
            Some(CardQueue::Learn) => {
                assert!(k.due > c.created_secs && k.remaining_steps() > 0, "{k:?}");
            }
            // Review: due is a day number counted from the collection's creation.
            Some(CardQueue::Review) => assert!((0..1000).contains(&k.due), "{k:?}"),
            other => panic!("unexpected queue {other:?}"),
        }
    }
}

#[test]
fn current_apkg() {
    let c = timed("small.apkg", Duration::from_secs(5), || read("small.apkg"));
    assert_eq!(c.schema, Schema::Current18);
    assert_eq!(c.created_secs, 1_795_579_200);
    assert_eq!(c.notes[0].guid, "j{$9_DwPq3");
    assert_eq!(c.notes[0].id, 1_795_601_193_915);
    assert_eq!(c.notes[0].mtime_secs, 1_795_601_193);
    assert_eq!(c.notetypes.len(), 3);
    check_small_common(&c);
    check_scheduling(&c);

    let card = c
        .cards
        .iter()
        .find(|k| k.id == 1_795_601_193_915)
        .expect("card");
    assert_eq!(
        (
            card.note_id,
            card.deck_id,
            card.ord,
            card.due,
            card.ivl,
            card.factor,
            card.reps
        ),
        (1_795_601_193_915, 1_795_601_193_863, 0, 51, 51, 2500, 4)
    );
    assert_eq!(card.original_position, Some(1));
    assert_eq!(
        card.memory,
        Some(MemoryState {
            stability: 50.7055,
            difficulty: 2.097,
            desired_retention: Some(0.9),
            decay: Some(0.154),
            last_review_secs: Some(1_795_601_194),
        })
    );
    let relearn = c
        .cards
        .iter()
        .find(|k| k.id == 1_795_601_193_926)
        .expect("card");
    assert_eq!(
        (
            relearn.ctype,
            relearn.queue,
            relearn.due,
            relearn.lapses,
            relearn.left
        ),
        (3, 1, 1_795_601_914, 1, 1)
    );
    let r = c.revlog[0];
    assert_eq!(
        (
            r.id,
            r.card_id,
            r.ease,
            r.ivl,
            r.last_ivl,
            r.factor,
            r.time_ms,
            r.revlog_kind()
        ),
        (
            1_794_304_508_038,
            1_795_601_193_915,
            3,
            -600,
            0,
            224,
            3,
            Some(RevlogKind::Learning)
        )
    );
}

#[test]
fn legacy_apkg_matches_current() {
    let legacy = read("small.legacy.apkg");
    let current = read("small.apkg");
    assert_eq!(legacy.schema, Schema::Legacy11);
    check_small_common(&legacy);
    check_scheduling(&legacy);
    // Same content, two layouts: everything the formats share is equal,
    // field by field.
    assert_eq!(legacy.created_secs, current.created_secs);
    assert_eq!(legacy.rollover_hour, current.rollover_hour);
    assert_eq!(legacy.decks, current.decks);
    assert_eq!(legacy.notetypes, current.notetypes);
    assert_eq!(legacy.notes, current.notes);
    assert_eq!(legacy.cards, current.cards);
    assert_eq!(legacy.revlog, current.revlog);
    assert_eq!(legacy.media, current.media);
}

#[test]
fn colpkg_whole_collection() {
    let c = read("small.colpkg");
    assert_eq!(c.schema, Schema::Current18);
    // A whole collection carries all stock note types, used or not.
    let names: Vec<_> = c.notetypes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names.len(), 6, "{names:?}");
    assert!(names.contains(&"Image Occlusion"));
    check_small_common(&c);
    check_scheduling(&c);
    // Same notes as the .apkg (made at another time, so other ids).
    let texts = |c: &AnkiCollection| {
        let mut v: Vec<_> = c
            .notes
            .iter()
            .map(|n| (n.fields.clone(), n.tags.clone()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(texts(&c), texts(&read("small.apkg")));
}

#[test]
fn nosched_apkg_has_only_new_cards() {
    let c = read("small.nosched.apkg");
    check_small_common(&c);
    assert!(c.revlog.is_empty());
    assert!(
        c.cards
            .iter()
            .all(|k| k.card_queue() == Some(CardQueue::New)
                && k.card_type() == Some(CardType::New)
                && k.memory.is_none()
                && k.reps == 0)
    );
}

#[test]
fn notes_text_export() {
    let path = fixture("small.notes.txt");
    let t = read_notes_text(&path, &TextLimits::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t.separator, Separator::Tab);
    assert_eq!(t.html, Some(true));
    assert_eq!(
        (
            t.columns.guid,
            t.columns.notetype,
            t.columns.deck,
            t.columns.tags
        ),
        (Some(0), Some(1), Some(2), Some(5))
    );
    assert_eq!(t.column_count, 6);
    assert_eq!(t.field_columns(), [3, 4]);
    assert_eq!(t.rows.len(), 40);
    assert_eq!(t.rows[0].line, 7);
    assert_eq!(
        t.rows[0].cells,
        [
            "j{$9_DwPq3",
            "Basic",
            "Peer::Child",
            "Pengembang backend",
            "Backend developer",
            "indonesian peer::basic vocab"
        ]
    );
    // Same notes as the package: guid, fields and tags agree row by row.
    let c = read("small.apkg");
    let notes: HashMap<&str, _> = c.notes.iter().map(|n| (n.guid.as_str(), n)).collect();
    for row in &t.rows {
        let note = notes[row.cells[0].as_str()];
        assert_eq!(note.fields, row.cells[3..5], "line {}", row.line);
        assert_eq!(note.tags.join(" "), row.cells[5], "line {}", row.line);
    }
}

#[test]
fn real_field_html_to_markdown() {
    let c = read("small.apkg");
    let md: Vec<String> = c
        .notes
        .iter()
        .flat_map(|n| n.fields.iter().map(|f| html_to_markdown(f)))
        .collect();
    assert!(md.contains(&"Pengembang backend".to_owned()));
    assert!(md.contains(&"Answer **7**\\\nline two ![](peer-dot.png)".to_owned()));
    assert!(md.contains(&"How are you?\\\n(informal: *gimana?*)".to_owned()));
    assert!(md.contains(&"**Pengembang** {{c1::backend}} menulis kode server.".to_owned()));
    assert!(md.contains(&"Each value has exactly **one** owner.".to_owned()));
    assert!(md.contains(&"HTTP status {{c1::404}} means *Not Found*.".to_owned()));
    assert!(md.iter().all(|m| !m.contains('<')), "{md:?}");
}

#[test]
fn scale_packages() {
    for (name, notes, reviews) in [
        ("scale10000.apkg", 10_000, 1_000),
        ("scale100000.apkg", 100_000, 10_000),
    ] {
        let Some(path) = shared(name) else { continue };
        let c = timed(name, Duration::from_secs(30), || {
            read_package(&path, &Limits::default()).unwrap_or_else(|e| panic!("{e}"))
        });
        let deck = name.trim_end_matches(".apkg").replace("scale", "Scale");
        assert!(
            deck_names(&c).contains(&deck.as_str()),
            "{:?}",
            deck_names(&c)
        );
        assert_eq!(
            (c.notes.len(), c.cards.len(), c.revlog.len()),
            (notes, notes, reviews)
        );
        assert_eq!(c.notetypes.len(), 1);
        // About 10 % of the cards are in review, the rest new.
        let review = c
            .cards
            .iter()
            .filter(|k| k.card_queue() == Some(CardQueue::Review))
            .count();
        assert_eq!(review, notes / 10);
        assert!(c.notes.iter().all(|n| n.fields.len() == 2));
    }
}

#[test]
fn scale_text_export() {
    let Some(path) = shared("scale10000.notes.txt") else {
        return;
    };
    let t = read_notes_text(&path, &TextLimits::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t.rows.len(), 10_000);
    assert_eq!(t.rows[2].cells[4], "Answer 2<br>Pengembang backend #2");
    assert!(t.rows.iter().all(|r| r.cells[2] == "Scale10000"));
}

/// Collects what a streaming read delivers, optionally stopping early.
#[derive(Default)]
struct Recorder {
    reserved: Vec<(RowKind, usize)>,
    notes: Vec<AnkiNote>,
    cards: Vec<AnkiCard>,
    revlog: Vec<AnkiRevlog>,
    stop_after_notes: Option<usize>,
}

impl RowSink for Recorder {
    fn reserve(&mut self, kind: RowKind, count: usize) {
        self.reserved.push((kind, count));
    }
    fn note(&mut self, note: AnkiNote) -> bool {
        self.notes.push(note);
        self.stop_after_notes.is_none_or(|n| self.notes.len() < n)
    }
    fn card(&mut self, card: AnkiCard) -> bool {
        self.cards.push(card);
        true
    }
    fn revlog(&mut self, entry: AnkiRevlog) -> bool {
        self.revlog.push(entry);
        true
    }
}

#[test]
fn streaming_read_delivers_the_same_rows() {
    for name in ["small.apkg", "small.legacy.apkg"] {
        let path = fixture(name);
        let whole = read(name);
        let mut rec = Recorder::default();
        let rest = read_package_with(&path, &Limits::default(), &mut rec)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            rec.reserved,
            [
                (RowKind::Notes, 40),
                (RowKind::Cards, 48),
                (RowKind::Revlog, 66)
            ]
        );
        assert_eq!(
            (rec.notes, rec.cards, rec.revlog),
            (whole.notes, whole.cards, whole.revlog)
        );
        assert!(rest.notes.is_empty() && rest.cards.is_empty() && rest.revlog.is_empty());
        assert_eq!(
            (rest.decks, rest.notetypes, rest.media),
            (whole.decks, whole.notetypes, whole.media)
        );

        let mut stopper = Recorder {
            stop_after_notes: Some(5),
            ..Recorder::default()
        };
        let err = read_package_with(&path, &Limits::default(), &mut stopper);
        assert!(matches!(err, Err(AnkiError::Stopped { .. })), "{err:?}");
        assert_eq!((stopper.notes.len(), stopper.cards.len()), (5, 0));
    }
}
