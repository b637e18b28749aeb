//! Builders for hostile packages, shared by the hostile-file tests.

use std::io::{self, Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use kartu::core::import::anki::{AnkiError, Limits, read_package};
use tempfile::TempDir;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use super::{fixture, peak_rss, timed};

pub const MIB: u64 = 1024 * 1024;
/// Every rejection must arrive within this.
pub const FAST: Duration = Duration::from_secs(5);
/// And the whole test process must stay under this.
pub const MEMORY: u64 = 300 * MIB;

/// One zip entry to write: name, content source, compression.
pub enum Body {
    Bytes(Vec<u8>),
    /// `n` zero bytes, streamed (so the test itself stays small).
    Zeros(u64),
}

pub fn deflated() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(1))
}

/// Best ratio, for bombs (deflate tops out near 1000:1).
pub fn bomb() -> SimpleFileOptions {
    deflated().compression_level(Some(9))
}

pub fn stored() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(CompressionMethod::Stored)
}

pub fn zip_bytes(entries: Vec<(&str, Body, SimpleFileOptions)>) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, body, opts) in entries {
        w.start_file(name, opts).expect("start entry");
        match body {
            Body::Bytes(b) => w.write_all(&b).expect("write"),
            Body::Zeros(n) => {
                io::copy(&mut io::repeat(0).take(n), &mut w).expect("write zeros");
            }
        }
    }
    w.finish().expect("finish zip").into_inner()
}

pub fn write(dir: &TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).expect("write test file");
    p
}

pub fn entry(pkg: &Path, name: &str) -> Vec<u8> {
    let mut z = ZipArchive::new(std::fs::File::open(pkg).expect("open")).expect("zip");
    let mut out = Vec::new();
    z.by_name(name)
        .expect("entry")
        .read_to_end(&mut out)
        .expect("read");
    out
}

/// The legacy fixture's parts: (plain SQLite collection, PNG).
pub fn legacy_parts() -> (Vec<u8>, Vec<u8>) {
    let p = fixture("small.legacy.apkg");
    (entry(&p, "collection.anki21"), entry(&p, "0"))
}

/// A legacy package around `db`, with the fixture's media map and PNG.
pub fn legacy_pkg(db: Vec<u8>) -> Vec<u8> {
    let (_, png) = legacy_parts();
    zip_bytes(vec![
        ("collection.anki21", Body::Bytes(db), deflated()),
        (
            "media",
            Body::Bytes(br#"{"0":"peer-dot.png"}"#.to_vec()),
            stored(),
        ),
        ("0", Body::Bytes(png), stored()),
    ])
}

/// Reads a package, asserting it fails fast and within memory; returns the error.
pub fn reject(path: &Path, limits: &Limits) -> AnkiError {
    let result = timed("rejection", FAST, || read_package(path, limits));
    if let Some(peak) = peak_rss() {
        assert!(peak < MEMORY, "peak memory {} MiB", peak / MIB);
    }
    let err = result
        .err()
        .unwrap_or_else(|| panic!("{} was accepted", path.display()));
    // One clear message naming the file.
    let msg = err.to_string();
    assert!(msg.starts_with(&path.display().to_string()), "{msg}");
    assert_eq!(err.file(), path);
    eprintln!("{msg}");
    err
}

/// Changes a legacy collection with SQL, returning the new bytes.
pub fn edit_db(db: &[u8], sql: &str) -> Vec<u8> {
    let dir = TempDir::new().expect("tempdir");
    let p = dir.path().join("c.db");
    std::fs::write(&p, db).expect("write");
    let conn = rusqlite::Connection::open(&p).expect("open");
    conn.execute_batch(sql).expect("edit");
    drop(conn);
    std::fs::read(&p).expect("read")
}

pub fn current_pkg(collection: Vec<u8>) -> Vec<u8> {
    zip_bytes(vec![
        ("meta", Body::Bytes(vec![0x08, 0x03]), stored()),
        ("collection.anki21b", Body::Bytes(collection), stored()),
        (
            "media",
            Body::Bytes(zstd::encode_all(&[][..], 0).expect("zstd")),
            stored(),
        ),
    ])
}
