//! Reading Anki packages for the tests: unzip, zstd-decompress the current
//! format, open the `SQLite` collection read-only, and pull out the review log,
//! the cards' stored FSRS state and the preset's options.

#![allow(dead_code)] // each test file uses a different subset

pub mod synth;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use kartu::core::scheduler::anki::{Review, ReviewKind};
use rusqlite::{Connection, OpenFlags};

pub type TestResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// Where a fixture is: the small ones are copied into `tests/fixtures/anki`, the scale ones
/// are read from the shared folder beside the project.
fn fixture_path(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let local = root.join("tests/fixtures/anki").join(name);
    if local.exists() {
        local
    } else {
        root.join("../shared/fixtures/anki").join(name)
    }
}

/// An Anki collection extracted to a temporary directory, removed on drop.
pub struct Collection {
    // Declared first so the connection closes before the directory goes.
    pub db: Connection,
    /// True for the current format (schema 18, protobuf deck configs).
    pub current_format: bool,
    /// Holds the database and any side files SQLite makes beside it.
    pub dir: tempfile::TempDir,
}

/// Opens `name` (e.g. `small.apkg`) from the shared fixtures.
pub fn open(name: &str) -> TestResult<Collection> {
    let file = fs::File::open(fixture_path(name))?;
    let mut archive = zip::ZipArchive::new(file)?;
    let (bytes, current_format) = if let Ok(mut entry) = archive.by_name("collection.anki21b") {
        let mut packed = Vec::new();
        entry.read_to_end(&mut packed)?;
        (zstd::decode_all(packed.as_slice())?, true)
    } else {
        let mut entry = archive.by_name("collection.anki21")?;
        let mut plain = Vec::new();
        entry.read_to_end(&mut plain)?;
        (plain, false)
    };
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("collection.sqlite");
    fs::write(&path, bytes)?;
    let db = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    Ok(Collection {
        db,
        current_format,
        dir,
    })
}

/// The whole review log. No ORDER BY: the current schema's `unicase`
/// collation is not registered, and the module sorts for itself anyway.
pub fn reviews(col: &Collection) -> TestResult<Vec<Review>> {
    let mut stmt = col.db.prepare(
        "select id, cid, ease, cast(ivl as integer), cast(lastIvl as integer), factor, time, type \
         from revlog",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok(Review {
            at_ms: row.get(0)?,
            card_id: row.get(1)?,
            rating: row.get(2)?,
            interval_days: row.get(3)?,
            last_interval_days: row.get(4)?,
            ease_factor: row.get(5)?,
            duration_ms: row.get(6)?,
            kind: ReviewKind::from_anki(row.get(7)?),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A card row with the FSRS state Anki stored in `cards.data`.
#[derive(Debug, Clone)]
pub struct CardRow {
    pub id: i64,
    pub ctype: i64,
    pub interval: i64,
    pub ease_factor: i64,
    /// `s` and `d` from `cards.data`, when present.
    pub stored: Option<(f32, f32)>,
    /// `dr` and `decay` from `cards.data`, when present.
    pub dr_decay: Option<(f32, f32)>,
}

pub fn cards(col: &Collection) -> TestResult<Vec<CardRow>> {
    let mut stmt = col
        .db
        .prepare("select id, type, ivl, factor, data from cards")?;
    let rows = stmt.query_map([], |row| {
        let data: String = row.get(4)?;
        let s = json_number(&data, "s");
        let d = json_number(&data, "d");
        let dr = json_number(&data, "dr");
        let decay = json_number(&data, "decay");
        Ok(CardRow {
            id: row.get(0)?,
            ctype: row.get(1)?,
            interval: row.get(2)?,
            ease_factor: row.get(3)?,
            stored: s.zip(d),
            dr_decay: dr.zip(decay),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The options of the deck preset with id 1 ("Default").
#[derive(Debug, Clone, Default)]
pub struct Preset {
    pub fsrs_params: Vec<f32>,
    pub desired_retention: f32,
    pub historical_retention: f32,
    pub relearning_steps: usize,
    pub ignore_before_date: String,
}

pub fn preset(col: &Collection) -> TestResult<Preset> {
    if col.current_format {
        let blob: Vec<u8> =
            col.db
                .query_row("select config from deck_config where id = 1", [], |r| {
                    r.get(0)
                })?;
        preset_from_proto(&blob)
    } else {
        let json: String = col
            .db
            .query_row("select dconf from col", [], |r| r.get(0))?;
        Ok(preset_from_legacy_json(&json))
    }
}

/// Decodes the few fields of Anki's `DeckConfig.Config` protobuf we need
/// (`proto/anki/deck_config.proto`): 2 `relearn_steps`, 6 `fsrs_params_6`,
/// 37 `desired_retention`, 40 `historical_retention`, 46 ignore date.
fn preset_from_proto(mut buf: &[u8]) -> TestResult<Preset> {
    let mut preset = Preset {
        historical_retention: 0.9,
        ..Preset::default()
    };
    while !buf.is_empty() {
        let key = varint(&mut buf)?;
        let (field, wire) = (key >> 3, key & 7);
        match wire {
            0 => {
                varint(&mut buf)?;
            }
            1 => buf = buf.get(8..).ok_or("truncated")?,
            5 => {
                let value = f32::from_le_bytes(buf.get(..4).ok_or("truncated")?.try_into()?);
                buf = &buf[4..];
                match field {
                    37 => preset.desired_retention = value,
                    40 => preset.historical_retention = value,
                    6 => preset.fsrs_params.push(value),
                    2 => preset.relearning_steps += 1,
                    _ => {}
                }
            }
            2 => {
                let len = usize::try_from(varint(&mut buf)?)?;
                let body = buf.get(..len).ok_or("truncated")?;
                buf = &buf[len..];
                let floats = body
                    .chunks_exact(4)
                    .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]));
                match field {
                    6 => preset.fsrs_params.extend(floats),
                    2 => preset.relearning_steps += floats.count(),
                    46 => preset.ignore_before_date = String::from_utf8(body.to_vec())?,
                    _ => {}
                }
            }
            _ => return Err("unexpected wire type".into()),
        }
    }
    Ok(preset)
}

fn varint(buf: &mut &[u8]) -> TestResult<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = buf.split_first().ok_or("truncated varint")?;
        *buf = rest;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err("varint too long".into())
}

/// Reads the legacy `col.dconf` JSON for preset 1 without a JSON library:
/// the keys we need are flat numbers, arrays of numbers, or strings.
fn preset_from_legacy_json(json: &str) -> Preset {
    let lapse = json.find("\"lapse\"").map_or("", |i| &json[i..]);
    Preset {
        fsrs_params: json_array(json, "fsrsParams6"),
        desired_retention: json_number(json, "desiredRetention").unwrap_or(0.9),
        historical_retention: json_number(json, "sm2Retention").unwrap_or(0.9),
        relearning_steps: json_array(lapse, "delays").len(),
        ignore_before_date: json_string(json, "ignoreRevlogsBeforeDate").unwrap_or_default(),
    }
}

fn after_key<'a>(json: &'a str, key: &str) -> Option<&'a str> {
    let pattern = format!("\"{key}\":");
    json.find(&pattern)
        .map(|i| json[i + pattern.len()..].trim_start())
}

pub fn json_number(json: &str, key: &str) -> Option<f32> {
    let rest = after_key(json, key)?;
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | 'e' | 'E' | '+')))
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

fn json_array(json: &str, key: &str) -> Vec<f32> {
    let Some(rest) = after_key(json, key).and_then(|r| r.strip_prefix('[')) else {
        return Vec::new();
    };
    let body = &rest[..rest.find(']').unwrap_or(0)];
    body.split(',')
        .filter_map(|v| v.trim().parse().ok())
        .collect()
}

fn json_string(json: &str, key: &str) -> Option<String> {
    let rest = after_key(json, key)?.strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

/// The collection's "now": the newest review, i.e. when the fixture was studied.
pub fn studied_at_secs(reviews: &[Review]) -> i64 {
    reviews.iter().map(|r| r.at_ms / 1000).max().unwrap_or(0)
}

/// The rollover hour: `config.rollover` if set, else Anki's default 4.
pub fn rollover_hour(col: &Collection) -> u8 {
    let value: Option<String> = if col.current_format {
        col.db
            .query_row("select val from config where key = 'rollover'", [], |r| {
                r.get::<_, Vec<u8>>(0)
            })
            .ok()
            .and_then(|v| String::from_utf8(v).ok())
    } else {
        col.db
            .query_row("select conf from col", [], |r| r.get::<_, String>(0))
            .ok()
            .and_then(|conf| json_number(&conf, "rollover").map(|v| v.to_string()))
    };
    value.and_then(|v| v.trim().parse().ok()).unwrap_or(4)
}
