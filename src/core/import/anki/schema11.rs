//! Schema 11: note types, decks and settings as JSON objects in the single
//! `col` row (`models`, `decks`, `conf`). Ids are object keys and are
//! repeated inside; older clients wrote some numbers as strings and some
//! flags as booleans, so those are read leniently.
//!
//! The JSON is decoded straight into small typed records (unknown keys are
//! skipped without being stored) and the number of entries is capped while
//! parsing, so a huge object cannot blow up into a huge in-memory tree.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess,
    Visitor,
};

use super::error::{Problem, Res};
use super::model::{
    AnkiDeck, AnkiNotetype, AnkiTemplate, DEFAULT_ROLLOVER, DeckKind, NotetypeKind,
};
use super::sqlite::{Db, text};

/// What schema 11 keeps outside the row tables.
pub(crate) struct Legacy {
    pub rollover: u8,
    pub decks: Vec<AnkiDeck>,
    pub notetypes: Vec<AnkiNotetype>,
}

/// Reads `col.conf`, `col.models` and `col.decks`.
pub(crate) fn read(db: &Db) -> Res<Legacy> {
    let cap = db.limits().max_decks_or_notetypes;
    let mut found = None;
    db.each_row(
        "SELECT conf, models, decks FROM col ORDER BY id LIMIT 1",
        "the collection settings (`col`)",
        |row| {
            let conf: Conf = serde_json::from_str(text(row, 0, &"col")?).unwrap_or_default();
            let models =
                parse_capped::<Model>(text(row, 1, &"col")?, cap, "note types (`col.models`)")?;
            let decks = parse_capped::<Deck>(text(row, 2, &"col")?, cap, "decks (`col.decks`)")?;
            found = Some(Legacy {
                rollover: conf
                    .rollover
                    .0
                    .and_then(|h| u8::try_from(h).ok())
                    .filter(|h| *h < 24)
                    .unwrap_or(DEFAULT_ROLLOVER),
                decks: decks_from(decks)?,
                notetypes: notetypes_from(models)?,
            });
            Ok(())
        },
    )?;
    found.ok_or_else(|| Problem::corrupt("the `col` table is empty"))
}

/// `col.conf`: settings are optional, anything odd means the default.
#[derive(Default, Deserialize)]
#[serde(default)]
struct Conf {
    rollover: Int,
}

#[derive(Deserialize)]
struct Deck {
    #[serde(default)]
    id: Int,
    name: String,
    #[serde(default, rename = "dyn")]
    dynamic: Int,
}

#[derive(Deserialize)]
struct Model {
    #[serde(default)]
    id: Int,
    name: String,
    #[serde(default, rename = "type")]
    kind: Int,
    flds: Vec<Field>,
    tmpls: Vec<Template>,
}

#[derive(Deserialize)]
struct Field {
    name: String,
}

#[derive(Deserialize)]
struct Template {
    name: String,
    #[serde(default)]
    ord: Int,
    qfmt: String,
    afmt: String,
}

const TOO_MANY: &str = "anki_read: too many entries";

/// Parses a JSON object into `(key, value)` pairs, failing as soon as
/// there are more than `cap`.
fn parse_capped<T: DeserializeOwned>(json: &str, cap: usize, what: &str) -> Res<Vec<(String, T)>> {
    let mut de = serde_json::Deserializer::from_str(json);
    let parsed = CappedMap::<T> {
        cap,
        item: PhantomData,
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|()| v));
    parsed.map_err(|e| {
        if e.to_string().starts_with(TOO_MANY) {
            Problem::too_many(format!("the {what}"), cap)
        } else {
            Problem::corrupt(format!("the {what} are not valid ({e})"))
        }
    })
}

struct CappedMap<T> {
    cap: usize,
    item: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for CappedMap<T> {
    type Value = Vec<(String, T)>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for CappedMap<T> {
    type Value = Vec<(String, T)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.len() >= self.cap {
                return Err(de::Error::custom(TOO_MANY));
            }
            out.push((key, map.next_value::<T>()?));
        }
        Ok(out)
    }
}

/// An integer given as a JSON number, a numeric string or a boolean;
/// anything else reads as absent.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Int(Option<i64>);

impl<'de> Deserialize<'de> for Int {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(IntVisitor)
    }
}

struct IntVisitor;

impl<'de> Visitor<'de> for IntVisitor {
    type Value = Int;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Int, E> {
        Ok(Int(Some(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Int, E> {
        Ok(Int(i64::try_from(v).ok()))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Int, E> {
        Ok(Int(None))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Int, E> {
        Ok(Int(Some(i64::from(v))))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Int, E> {
        Ok(Int(v.trim().parse().ok()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Int, E> {
        Ok(Int(None))
    }

    fn visit_none<E: de::Error>(self) -> Result<Int, E> {
        Ok(Int(None))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Int, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Int, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Int(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Int, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Int(None))
    }
}

/// The object's `id`, falling back to its key in the parent object.
fn id_of(key: &str, id: Int, what: &str) -> Res<i64> {
    id.0.or_else(|| key.parse().ok())
        .ok_or_else(|| Problem::corrupt(format!("{what} `{key}` has no valid id")))
}

fn decks_from(entries: Vec<(String, Deck)>) -> Res<Vec<AnkiDeck>> {
    let mut decks = Vec::with_capacity(entries.len());
    for (key, d) in entries {
        decks.push(AnkiDeck {
            id: id_of(&key, d.id, "deck")?,
            name: d.name,
            // `dyn` is 0/1 (true/false in files from old clients).
            kind: if d.dynamic.0.unwrap_or(0) == 0 {
                DeckKind::Normal
            } else {
                DeckKind::Filtered
            },
        });
    }
    decks.sort_by_key(|d| d.id);
    Ok(decks)
}

fn notetypes_from(entries: Vec<(String, Model)>) -> Res<Vec<AnkiNotetype>> {
    let mut notetypes = Vec::with_capacity(entries.len());
    for (key, m) in entries {
        let id = id_of(&key, m.id, "note type")?;
        let kind = match m.kind.0 {
            None | Some(0) => NotetypeKind::Standard,
            Some(1) => NotetypeKind::Cloze,
            Some(k) => {
                return Err(Problem::corrupt(format!(
                    "note type {id} has the unknown type {k}"
                )));
            }
        };
        let mut templates: Vec<AnkiTemplate> = m
            .tmpls
            .into_iter()
            .enumerate()
            .map(|(i, t)| AnkiTemplate {
                name: t.name,
                // `ord` may be null in files from old clients: position decides then.
                ord: t
                    .ord
                    .0
                    .and_then(|o| u32::try_from(o).ok())
                    .unwrap_or_else(|| u32::try_from(i).unwrap_or(u32::MAX)),
                question_format: t.qfmt,
                answer_format: t.afmt,
            })
            .collect();
        templates.sort_by_key(|t| t.ord);
        notetypes.push(AnkiNotetype {
            id,
            name: m.name,
            kind,
            fields: m.flds.into_iter().map(|f| f.name).collect(),
            templates,
        });
    }
    notetypes.sort_by_key(|n| n.id);
    Ok(notetypes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decks(json: &str) -> Res<Vec<AnkiDeck>> {
        decks_from(parse_capped(json, 10, "decks")?)
    }

    fn notetypes(json: &str) -> Res<Vec<AnkiNotetype>> {
        notetypes_from(parse_capped(json, 10, "note types")?)
    }

    #[test]
    fn decks_accept_string_ids_and_bool_dyn() {
        let d =
            decks(r#"{"5":{"id":"5","name":"B","dyn":true,"x":[1]},"2":{"name":"A::x","dyn":0}}"#)
                .unwrap_or_default();
        assert_eq!(d.len(), 2);
        assert_eq!(
            (d[0].id, d[0].name.as_str(), d[0].kind),
            (2, "A::x", DeckKind::Normal)
        );
        assert_eq!((d[1].id, d[1].kind), (5, DeckKind::Filtered));
        assert!(decks(r#"{"x":{"name":"A"}}"#).is_err());
        assert!(decks(r#"{"1":{"id":1}}"#).is_err());
        assert!(decks(r#"{"1":[]}"#).is_err());
        assert!(decks(r#"{"1":{"name":"A"}} trailing"#).is_err());
        let many = format!(
            "{{{}}}",
            (0..11)
                .map(|i| format!(r#""{i}":{{"name":"d"}}"#))
                .collect::<Vec<_>>()
                .join(",")
        );
        assert!(matches!(decks(&many), Err(Problem::TooMany { .. })));
    }

    #[test]
    fn notetypes_need_names_fields_and_templates() {
        let ok = notetypes(
            r#"{"7":{"id":7,"name":"Cloze","type":1,"flds":[{"name":"Text","ord":0}],
                "tmpls":[{"name":"Cloze","ord":null,"qfmt":"{{cloze:Text}}","afmt":"x"}]}}"#,
        )
        .unwrap_or_default();
        assert_eq!(ok.len(), 1);
        assert_eq!(ok[0].kind, NotetypeKind::Cloze);
        assert_eq!(ok[0].fields, ["Text"]);
        assert_eq!(ok[0].templates[0].ord, 0);
        for bad in [
            r#"{"7":{"id":7,"name":"X","type":9,"flds":[],"tmpls":[]}}"#,
            r#"{"7":{"id":7,"name":"X","flds":[{"n":1}],"tmpls":[]}}"#,
            r#"{"7":{"id":7,"name":"X","flds":[],"tmpls":[{"name":"a"}]}}"#,
            r#"{"7":{"id":7,"flds":[],"tmpls":[]}}"#,
            r#"{"7":{"id":7,"name":"X","tmpls":[]}}"#,
            "[1]",
        ] {
            assert!(notetypes(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rollover_is_lenient() {
        let r = |s: &str| {
            serde_json::from_str::<Conf>(s)
                .unwrap_or_default()
                .rollover
                .0
        };
        assert_eq!(r(r#"{"rollover":2}"#), Some(2));
        assert_eq!(r(r#"{"rollover":"5"}"#), Some(5));
        assert_eq!(r(r#"{"rollover":[1]}"#), None);
        assert_eq!(r("{}"), None);
        assert_eq!(r("garbage"), None);
    }
}
