//! Fuzz-like tests: random, truncated and bit-flipped versions of real
//! files fed to every entry point. Each call must return `Ok` or `Err`,
//! never panic. Deterministic (fixed seeds); `FUZZ_ITERS=n` runs longer.

#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "test data is built from small known values"
)]

use crate::common;

use std::io::{Cursor, Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use common::fixture;
use kartu::core::import::anki::{
    Limits, TextLimits, html_to_markdown, read_notes_text, read_package,
};
use tempfile::TempDir;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// xorshift64*: tiny, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn iters(default: usize) -> usize {
    std::env::var("FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One random change: flip bits, overwrite a run, truncate, duplicate or
/// delete a slice, or insert interesting bytes.
fn mutate(rng: &mut Rng, data: &mut Vec<u8>) {
    if data.is_empty() {
        data.push(rng.next() as u8);
        return;
    }
    match rng.below(6) {
        0 => {
            for _ in 0..=rng.below(8) {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
        }
        1 => {
            let i = rng.below(data.len());
            let n = rng.below(64).min(data.len() - i);
            for b in &mut data[i..i + n] {
                *b = rng.next() as u8;
            }
        }
        2 => data.truncate(rng.below(data.len())),
        3 => {
            let i = rng.below(data.len());
            let n = rng.below(256).min(data.len() - i);
            let slice = data[i..i + n].to_vec();
            let at = rng.below(data.len());
            data.splice(at..at, slice);
        }
        4 => {
            let i = rng.below(data.len());
            let n = rng.below(256).min(data.len() - i);
            data.drain(i..i + n);
        }
        _ => {
            let interesting: &[&[u8]] = &[
                b"\"",
                b"\t",
                b"\n",
                b"\r",
                b"#",
                b"\x1f",
                b"\xff",
                b"\0",
                b"<",
                b"&",
                b"\"\"",
                b"\xff\xff\xff\xff",
            ];
            let at = rng.below(data.len());
            let pick = interesting[rng.below(interesting.len())];
            data.splice(at..at, pick.iter().copied());
        }
    }
}

/// Small limits so pathological cases stay quick.
fn limits() -> Limits {
    Limits {
        max_collection_bytes: 32 << 20,
        max_media_bytes: 1 << 20,
        max_total_media_bytes: 4 << 20,
        max_value_bytes: 4 << 20,
        ..Limits::default()
    }
}

/// Reads `bytes` as a package; fails the test on a panic. Successful reads
/// also go through the HTML converter.
fn check_package(dir: &TempDir, bytes: &[u8], what: &str) -> bool {
    let path = dir.path().join("fuzz.apkg");
    std::fs::write(&path, bytes).expect("write");
    let result = catch_unwind(AssertUnwindSafe(|| {
        let r = read_package(&path, &limits());
        if let Ok(c) = &r {
            for n in &c.notes {
                for f in &n.fields {
                    let _ = html_to_markdown(f);
                }
            }
        }
        r.is_ok()
    }));
    result.unwrap_or_else(|_| panic!("panic on {what}"))
}

fn entries(pkg: &Path) -> Vec<(String, Vec<u8>)> {
    let mut z = ZipArchive::new(std::fs::File::open(pkg).expect("open")).expect("zip");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).expect("entry");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("read");
            (f.name().expect("name").to_string(), data)
        })
        .collect()
}

fn zip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for (name, data) in entries {
        w.start_file(name.as_str(), opts).expect("entry");
        w.write_all(data).expect("write");
    }
    w.finish().expect("zip").into_inner()
}

#[test]
fn mutated_package_files() {
    let dir = TempDir::new().expect("tempdir");
    let mut rng = Rng(0x5eed_0001);
    for name in ["small.apkg", "small.legacy.apkg"] {
        let original = std::fs::read(fixture(name)).expect("fixture");
        assert!(check_package(&dir, &original, name));
        for i in 0..iters(150) {
            let mut data = original.clone();
            for _ in 0..=rng.below(3) {
                mutate(&mut rng, &mut data);
            }
            check_package(&dir, &data, &format!("{name} mutation {i}"));
        }
    }
    for i in 0..iters(50) {
        let len = rng.below(4096);
        let mut data: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        if i % 2 == 0 && data.len() >= 4 {
            data[..4].copy_from_slice(b"PK\x03\x04"); // get past the magic check
        }
        check_package(&dir, &data, &format!("random bytes {i}"));
    }
}

/// Mutates the collection database inside a valid zip (the zip's CRC would
/// otherwise reject most changes before SQLite sees them).
#[test]
fn mutated_collection_databases() {
    let dir = TempDir::new().expect("tempdir");
    let mut rng = Rng(0x5eed_0002);
    let legacy = entries(&fixture("small.legacy.apkg"));
    let current = entries(&fixture("small.apkg"));
    let db_of = |e: &[(String, Vec<u8>)], name: &str| {
        e.iter().position(|(n, _)| n == name).expect("collection")
    };
    let (li, ci) = (
        db_of(&legacy, "collection.anki21"),
        db_of(&current, "collection.anki21b"),
    );
    let current_db = zstd::decode_all(&current[ci].1[..]).expect("zstd");
    let mut accepted = 0;
    for i in 0..iters(120) {
        // Legacy: plain database.
        let mut e = legacy.clone();
        let db = &mut e[li].1;
        for _ in 0..=rng.below(4) {
            // Half the time aim at the first pages (header, schema).
            if rng.below(2) == 0 {
                let i = rng.below(8192.min(db.len()));
                db[i] ^= 1 << rng.below(8);
            } else {
                mutate(&mut rng, db);
            }
        }
        accepted += usize::from(check_package(
            &dir,
            &zip(&e),
            &format!("legacy db mutation {i}"),
        ));

        // Current: zstd-compressed database, protobuf blobs in rows.
        let mut db = current_db.clone();
        for _ in 0..=rng.below(4) {
            mutate(&mut rng, &mut db);
        }
        let mut e = current.clone();
        e[ci].1 = zstd::encode_all(&db[..], 1).expect("zstd");
        accepted += usize::from(check_package(
            &dir,
            &zip(&e),
            &format!("current db mutation {i}"),
        ));
    }
    eprintln!("{accepted} mutated databases were still readable");
}

#[test]
fn mutated_meta_and_media_maps() {
    let dir = TempDir::new().expect("tempdir");
    let mut rng = Rng(0x5eed_0003);
    for name in ["small.apkg", "small.legacy.apkg"] {
        let original = entries(&fixture(name));
        let zstd_map = name == "small.apkg";
        for i in 0..iters(150) {
            let mut e = original.clone();
            for (entry, data) in &mut e {
                if entry == "media" {
                    let mut map = if zstd_map {
                        zstd::decode_all(&data[..]).expect("map")
                    } else {
                        data.clone()
                    };
                    mutate(&mut rng, &mut map);
                    *data = if zstd_map {
                        zstd::encode_all(&map[..], 1).expect("zstd")
                    } else {
                        map
                    };
                } else if (entry == "meta" || entry == "0") && rng.below(4) == 0 {
                    mutate(&mut rng, data);
                }
            }
            check_package(&dir, &zip(&e), &format!("{name} map mutation {i}"));
        }
    }
}

#[test]
fn mutated_text_exports() {
    let dir = TempDir::new().expect("tempdir");
    let path = dir.path().join("fuzz.txt");
    let mut rng = Rng(0x5eed_0004);
    let original = std::fs::read(fixture("small.notes.txt")).expect("fixture");
    let limits = TextLimits::default();
    for i in 0..iters(400) {
        let mut data = original.clone();
        for _ in 0..=rng.below(6) {
            mutate(&mut rng, &mut data);
        }
        if i % 10 == 0 {
            data = (0..rng.below(2048)).map(|_| rng.next() as u8).collect();
        }
        std::fs::write(&path, &data).expect("write");
        let result = catch_unwind(AssertUnwindSafe(|| {
            if let Ok(t) = read_notes_text(&path, &limits) {
                assert!(t.rows.iter().all(|r| r.cells.len() == t.column_count));
                for r in &t.rows {
                    for c in &r.cells {
                        let _ = html_to_markdown(c);
                    }
                }
            }
        }));
        assert!(result.is_ok(), "panic on text mutation {i}");
    }
}
