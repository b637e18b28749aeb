//! Schema 15–18: note types, fields, templates, decks and settings in
//! their own tables, with per-row settings as protobuf blobs.
//!
//! Protobuf fields read (from Anki's `notetypes.proto` / `decks.proto`):
//! `Notetype.Config.kind = 1` (0 normal, 1 cloze);
//! `Notetype.Template.Config.q_format = 1`, `a_format = 2`;
//! `Deck.KindContainer { normal = 1, filtered = 2 }`.

use std::collections::HashMap;

use super::error::{Problem, Res};
use super::model::{
    AnkiDeck, AnkiNotetype, AnkiTemplate, DEFAULT_ROLLOVER, DeckKind, NotetypeKind,
};
use super::proto::{self, Fields, Value};
use super::sqlite::{Db, RowId, bytes, int, text};

/// Average fields or templates per note type the caps allow.
const PARTS_PER_NOTETYPE: usize = 100;

/// What schema 18 keeps outside the row tables.
pub(crate) struct Current {
    pub rollover: u8,
    pub decks: Vec<AnkiDeck>,
    pub notetypes: Vec<AnkiNotetype>,
}

/// Reads the note type, field, template, deck and config tables.
pub(crate) fn read(db: &Db) -> Res<Current> {
    db.require_tables(&["notetypes", "fields", "templates", "decks"])?;
    // Note types first, as in schema 11, so limits fail the same way.
    let rollover = read_rollover(db)?;
    let notetypes = read_notetypes(db)?;
    Ok(Current {
        rollover,
        notetypes,
        decks: read_decks(db)?,
    })
}

fn read_rollover(db: &Db) -> Res<u8> {
    // The config table is optional for our purposes: no table, no setting.
    if !db.has_object("config")? {
        return Ok(DEFAULT_ROLLOVER);
    }
    db.require_tables(&["config"])?;
    let mut hour = None;
    db.each_row(
        "SELECT val FROM config WHERE KEY = 'rollover'",
        "the settings (`config`)",
        |row| {
            // Values are JSON; a missing or odd value means the default.
            hour = std::str::from_utf8(bytes(row, 0, &"config `rollover`")?)
                .ok()
                .and_then(|s| s.trim().parse::<u8>().ok())
                .filter(|h| *h < 24);
            Ok(())
        },
    )?;
    Ok(hour.unwrap_or(DEFAULT_ROLLOVER))
}

fn read_decks(db: &Db) -> Res<Vec<AnkiDeck>> {
    let n = db.count_rows("decks", db.limits().max_decks_or_notetypes, "decks")?;
    let mut decks = Vec::with_capacity(n);
    db.each_row(
        "SELECT id, name, kind FROM decks ORDER BY id",
        "the decks",
        |row| {
            let id = int(row, 0, &"a deck id")?;
            let what = &RowId("deck", id);
            decks.push(AnkiDeck {
                id,
                // Levels are separated by \x1f in this schema, `::` everywhere else.
                name: text(row, 1, what)?.replace('\x1f', "::"),
                kind: deck_kind(bytes(row, 2, what)?)
                    .ok_or_else(|| Problem::corrupt(format!("{what}: its kind is not valid")))?,
            });
            Ok(())
        },
    )?;
    Ok(decks)
}

/// The `oneof kind` of `Deck.KindContainer`; the last one present wins, as
/// in protobuf. Neither present is read as normal.
fn deck_kind(blob: &[u8]) -> Option<DeckKind> {
    let mut kind = DeckKind::Normal;
    for field in Fields::new(blob) {
        match field.ok()? {
            (1, Value::Bytes(_)) => kind = DeckKind::Normal,
            (2, Value::Bytes(_)) => kind = DeckKind::Filtered,
            _ => {}
        }
    }
    Some(kind)
}

fn read_notetypes(db: &Db) -> Res<Vec<AnkiNotetype>> {
    let cap = db.limits().max_decks_or_notetypes;
    let n = db.count_rows("notetypes", cap, "note types")?;
    // Fields and templates: allow a generous average per note type.
    let parts = cap.saturating_mul(PARTS_PER_NOTETYPE);
    db.count_rows("fields", parts, "note type fields")?;
    db.count_rows("templates", parts, "card templates")?;
    let mut notetypes = Vec::with_capacity(n);
    db.each_row(
        "SELECT id, name, config FROM notetypes ORDER BY id",
        "the note types",
        |row| {
            let id = int(row, 0, &"a note type id")?;
            let what = &RowId("note type", id);
            let kind = notetype_kind(bytes(row, 2, what)?)
                .ok_or_else(|| Problem::corrupt(format!("{what}: its settings are not valid")))?;
            notetypes.push(AnkiNotetype {
                id,
                name: text(row, 1, what)?.to_owned(),
                kind,
                fields: Vec::new(),
                templates: Vec::new(),
            });
            Ok(())
        },
    )?;
    let index: HashMap<i64, usize> = notetypes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id, i))
        .collect();

    // Rows for note types that are not in the package (Anki leaves some
    // behind on export) are skipped.
    db.each_row(
        "SELECT ntid, ord, name FROM fields ORDER BY ntid, ord",
        "the note type fields",
        |row| {
            let ntid = int(row, 0, &"a field's note type id")?;
            if let Some(nt) = index.get(&ntid).and_then(|&i| notetypes.get_mut(i)) {
                nt.fields
                    .push(text(row, 2, &RowId("a field of note type", ntid))?.to_owned());
            }
            Ok(())
        },
    )?;
    db.each_row(
        "SELECT ntid, ord, name, config FROM templates ORDER BY ntid, ord",
        "the card templates",
        |row| {
            let ntid = int(row, 0, &"a template's note type id")?;
            let Some(nt) = index.get(&ntid).and_then(|&i| notetypes.get_mut(i)) else {
                return Ok(());
            };
            let what = &RowId("a template of note type", ntid);
            let ord = int(row, 1, what)?;
            let ord = u32::try_from(ord)
                .map_err(|_| Problem::corrupt(format!("{what} has the number {ord}")))?;
            let (question_format, answer_format) = template_formats(bytes(row, 3, what)?)
                .ok_or_else(|| Problem::corrupt(format!("{what}: its settings are not valid")))?;
            nt.templates.push(AnkiTemplate {
                name: text(row, 2, what)?.to_owned(),
                ord,
                question_format,
                answer_format,
            });
            Ok(())
        },
    )?;
    Ok(notetypes)
}

/// `Notetype.Config.kind` (field 1).
fn notetype_kind(blob: &[u8]) -> Option<NotetypeKind> {
    let mut kind = NotetypeKind::Standard;
    for field in Fields::new(blob) {
        if let (1, Value::Varint(v)) = field.ok()? {
            kind = match v {
                0 => NotetypeKind::Standard,
                1 => NotetypeKind::Cloze,
                _ => return None,
            };
        }
    }
    Some(kind)
}

/// `Notetype.Template.Config.q_format` (1) and `a_format` (2).
fn template_formats(blob: &[u8]) -> Option<(String, String)> {
    let mut q = "";
    let mut a = "";
    for field in Fields::new(blob) {
        match field.ok()? {
            (1, Value::Bytes(b)) => q = proto::utf8(b).ok()?,
            (2, Value::Bytes(b)) => a = proto::utf8(b).ok()?,
            _ => {}
        }
    }
    Some((q.to_owned(), a.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_blobs() {
        assert_eq!(deck_kind(&[0x0a, 0x00]), Some(DeckKind::Normal));
        assert_eq!(deck_kind(&[0x12, 0x00]), Some(DeckKind::Filtered));
        assert_eq!(deck_kind(&[]), Some(DeckKind::Normal));
        assert_eq!(deck_kind(&[0x12]), None);
        assert_eq!(notetype_kind(&[0x08, 0x01]), Some(NotetypeKind::Cloze));
        assert_eq!(notetype_kind(&[0x08, 0x05]), None);
        assert_eq!(
            template_formats(&[0x0a, 0x01, b'q', 0x12, 0x01, b'a']),
            Some(("q".into(), "a".into()))
        );
        assert_eq!(template_formats(&[0x0a, 0x01, 0xff]), None);
    }
}
