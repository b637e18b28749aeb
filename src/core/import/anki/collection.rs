//! Reads the collection's rows: the parts common to both schemas (notes,
//! cards, review log) here; decks, note types and settings in
//! [`super::schema11`] and [`super::schema18`].

use super::card_data::CardData;
use super::error::{Problem, Res};
use super::model::{
    AnkiCard, AnkiCollection, AnkiNote, AnkiRevlog, CollectRows, RowKind, RowSink, Schema,
};
use super::sqlite::{Db, RowId, int, text};
use super::{schema11, schema18};

/// Reads everything but media, cards and the review log from an opened collection; notes
/// go to `sink` (the returned lists stay empty). [`read_progress`] reads the rest, on a
/// second connection beside this.
pub(crate) fn read(db: &Db, sink: &mut dyn RowSink) -> Res<AnkiCollection> {
    db.require_tables(&["col", "notes", "cards", "revlog"])?;
    let (created_secs, ver) = read_col(db)?;
    let (schema, rollover_hour, decks, notetypes) = match ver {
        11 => {
            let legacy = schema11::read(db)?;
            (
                Schema::Legacy11,
                legacy.rollover,
                legacy.decks,
                legacy.notetypes,
            )
        }
        15..=18 => {
            let current = schema18::read(db)?;
            (
                Schema::Current18,
                current.rollover,
                current.decks,
                current.notetypes,
            )
        }
        v if v > 18 => {
            return Err(Problem::Unsupported(format!(
                "collection schema {v} is from a newer Anki (this reader knows 11 and 15–18)"
            )));
        }
        v => {
            return Err(Problem::Unsupported(format!(
                "collection schema {v} (this reader knows 11 and 15–18); \
                 open the file in a recent Anki and export it again"
            )));
        }
    };
    sink.begin(&decks, &notetypes);
    read_notes(db, sink)?;
    Ok(AnkiCollection {
        schema,
        created_secs,
        rollover_hour,
        decks,
        notetypes,
        notes: Vec::new(),
        cards: Vec::new(),
        revlog: Vec::new(),
        media: Vec::new(),
    })
}

/// The cards and the review log, in id order, into `rows`.
pub(crate) fn read_progress(db: &Db, rows: &mut CollectRows) -> Res<()> {
    db.require_tables(&["cards", "revlog"])?;
    read_cards(db, rows)?;
    read_revlog(db, rows)
}

/// `(crt, ver)` from the single `col` row.
fn read_col(db: &Db) -> Res<(i64, i64)> {
    let mut found = None;
    db.each_row(
        "SELECT crt, ver FROM col ORDER BY id LIMIT 1",
        "the collection header (`col`)",
        |row| {
            found = Some((int(row, 0, &"col.crt")?, int(row, 1, &"col.ver")?));
            Ok(())
        },
    )?;
    found.ok_or_else(|| Problem::corrupt("the `col` table is empty"))
}

/// Turns a sink's "stop" into the matching problem.
fn keep_going(more: bool) -> Res<()> {
    if more { Ok(()) } else { Err(Problem::Stopped) }
}

fn read_notes(db: &Db, sink: &mut dyn RowSink) -> Res<()> {
    let n = db.count_rows("notes", db.limits().max_notes, "notes")?;
    sink.reserve(RowKind::Notes, n);
    db.each_row(
        "SELECT id, guid, mid, mod, tags, flds FROM notes ORDER BY id",
        "the notes",
        |row| {
            let id = int(row, 0, &"a note id")?;
            let what = &RowId("note", id);
            keep_going(
                sink.note(AnkiNote {
                    id,
                    guid: text(row, 1, what)?.to_owned(),
                    notetype_id: int(row, 2, what)?,
                    mtime_secs: int(row, 3, what)?,
                    // Stored as " tag1 tag2 ": surrounding spaces make whole-tag
                    // matching with LIKE easy for Anki.
                    tags: text(row, 4, what)?
                        .split_whitespace()
                        .map(str::to_owned)
                        .collect(),
                    fields: text(row, 5, what)?
                        .split('\x1f')
                        .map(str::to_owned)
                        .collect(),
                }),
            )
        },
    )
}

fn read_cards(db: &Db, sink: &mut dyn RowSink) -> Res<()> {
    let n = db.count_rows("cards", db.limits().max_cards, "cards")?;
    sink.reserve(RowKind::Cards, n);
    db.each_row(
        "SELECT id, nid, did, odid, ord, type, queue, due, ivl, factor, reps, lapses, \
         left, odue, flags, data FROM cards ORDER BY id",
        "the cards",
        |row| {
            let id = int(row, 0, &"a card id")?;
            let what = &RowId("card", id);
            let ord = int(row, 4, what)?;
            let ord = u32::try_from(ord)
                .map_err(|_| Problem::corrupt(format!("{what} has the template number {ord}")))?;
            let data = CardData::parse(text(row, 15, what)?);
            keep_going(sink.card(AnkiCard {
                id,
                note_id: int(row, 1, what)?,
                deck_id: int(row, 2, what)?,
                original_deck_id: int(row, 3, what)?,
                ord,
                ctype: int(row, 5, what)?,
                queue: int(row, 6, what)?,
                due: int(row, 7, what)?,
                ivl: int(row, 8, what)?,
                factor: int(row, 9, what)?,
                reps: int(row, 10, what)?,
                lapses: int(row, 11, what)?,
                left: int(row, 12, what)?,
                original_due: int(row, 13, what)?,
                flags: int(row, 14, what)?,
                original_position: data.original_position(),
                memory: data.memory(),
            }))
        },
    )
}

fn read_revlog(db: &Db, sink: &mut dyn RowSink) -> Res<()> {
    let n = db.count_rows("revlog", db.limits().max_revlog, "review log entries")?;
    sink.reserve(RowKind::Revlog, n);
    db.each_row(
        "SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY id",
        "the review log",
        |row| {
            let id = int(row, 0, &"a review log id")?;
            let what = &RowId("review log entry", id);
            keep_going(sink.revlog(AnkiRevlog {
                id,
                card_id: int(row, 1, what)?,
                ease: int(row, 2, what)?,
                ivl: int(row, 3, what)?,
                last_ivl: int(row, 4, what)?,
                factor: int(row, 5, what)?,
                time_ms: int(row, 6, what)?,
                kind: int(row, 7, what)?,
            }))
        },
    )
}
