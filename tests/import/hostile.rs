//! Hostile files: each is refused with one clear message naming the file (or loses only the
//! part that is bad, with a warning), and the data directory is left exactly as it was.

use std::fs;
use std::io::Write as _;
use std::path::Path;

use kartu::core::import::Options;
use zip::write::SimpleFileOptions;

use super::support::{fingerprint, import_into, open};

const DECK: &str = r#"(format: 2, id: "safe", title: "Safe", description: "d", language: "en", version: 1, notes: [
    (id: "one", front: "one ![dot](dot.png)", back: "1"),
])"#;

/// A zip with `entries` (name, bytes), deflated.
fn zip_file(path: &Path, entries: &[(&str, &[u8])]) {
    let mut zip = zip::ZipWriter::new(fs::File::create(path).unwrap());
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

/// Imports `file` into a data dir that already holds progress, expecting a refusal whose
/// message contains `expected`, and no file changed.
fn refused(file: &Path, expected: &str) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut collection = open(&data);
    collection
        .answer(
            &kartu::core::ids::DeckId("backend-developer-en".into()),
            &kartu::core::ids::CardId("what-is-backend-developer".into()),
            kartu::core::model::card::Rating::Good,
            super::support::NOW,
            1000,
        )
        .unwrap();
    let before = fingerprint(&data);
    let err = import_into(&mut collection, file, Options::default()).unwrap_err();
    let message = err.to_string();
    assert!(message.contains(expected), "{message}");
    let name = file.file_name().unwrap().to_str().unwrap();
    assert!(message.contains(name), "names the file: {message}");
    assert_eq!(fingerprint(&data), before, "{name}: nothing changed");
}

/// A PNG header of `side` × `side` pixels (all a size check reads) and an empty data chunk.
fn png(side: u32) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    bytes.extend_from_slice(&13u32.to_be_bytes());
    bytes.extend_from_slice(&ihdr);
    bytes.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    bytes.extend_from_slice(&0u32.to_be_bytes());
    bytes.extend_from_slice(b"IDAT");
    bytes.extend_from_slice(&crc32(b"IDAT").to_be_bytes());
    bytes
}

#[test]
fn a_zip_bomb_stops_at_the_deck_file_cap() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("bomb.kartu");
    // 200 MiB of spaces: a few hundred KiB compressed, over the 128 MiB deck file cap.
    let spaces = vec![b' '; 200 * 1024 * 1024];
    zip_file(&bomb, &[("deck.ron", &spaces)]);
    assert!(fs::metadata(&bomb).unwrap().len() < 1024 * 1024);
    drop(spaces);
    refused(&bomb, "limit");
}

#[test]
fn a_package_with_too_many_entries_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let many = dir.path().join("many.kartu");
    let names: Vec<String> = (0..10_001).map(|i| format!("media/{i}.png")).collect();
    let entries: Vec<(&str, &[u8])> = std::iter::once(("deck.ron", DECK.as_bytes()))
        .chain(names.iter().map(|n| (n.as_str(), &b""[..])))
        .collect();
    zip_file(&many, &entries);
    refused(&many, "entries");
}

#[test]
fn paths_in_an_archive_are_never_followed_and_oversized_images_are_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let package = dir.path().join("paths.kartu");
    let dot = png(1);
    let huge = png(100_000);
    zip_file(
        &package,
        &[
            ("deck.ron", DECK.as_bytes()),
            ("media/dot.png", &dot),
            ("media/../escape.png", &dot),
            ("../escape.png", &dot),
            ("/tmp/escape.png", &dot),
            ("media/huge.png", &huge),
        ],
    );
    let data = dir.path().join("data");
    let mut collection = open(&data);
    let (plan, installed) = import_into(&mut collection, &package, Options::default()).unwrap();
    assert_eq!(installed.media, 1, "only the plain name under media/");
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.contains("huge.png") && w.contains("pixels")),
        "{plan:?}"
    );
    let media = collection
        .media_dir(&kartu::core::ids::DeckId("safe".into()))
        .unwrap();
    let names: Vec<String> = fs::read_dir(&media)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["dot.png"]);
    assert!(!dir.path().join("escape.png").exists());
    assert!(!data.join("escape.png").exists() && !data.join("decks/escape.png").exists());
}

#[test]
fn deep_nesting_in_a_deck_file_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let deep = dir.path().join("deep.ron");
    let nesting = 100_000;
    fs::write(
        &deep,
        format!("{}{}", "[".repeat(nesting), "]".repeat(nesting)),
    )
    .unwrap();
    refused(&deep, "deep.ron");
    let package = dir.path().join("deep.kartu");
    let text = format!(
        "(format: 2, id: \"x\", title: \"x\", description: \"d\", language: \"en\", version: 1, notes: {}{})",
        "[".repeat(nesting),
        "]".repeat(nesting)
    );
    zip_file(&package, &[("deck.ron", text.as_bytes())]);
    refused(&package, "deep.kartu");
}

#[test]
fn a_spreadsheet_that_is_not_utf8_or_ragged_names_its_line_and_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let latin = dir.path().join("latin.csv");
    fs::write(&latin, b"front,back\nrumah,house\ncaf\xe9,coffee\n").unwrap();
    refused(&latin, "latin.csv:3:");
    let ragged = dir.path().join("ragged.csv");
    fs::write(&ragged, "front,back\nrumah,house\nkucing,cat,extra\n").unwrap();
    refused(&ragged, "ragged.csv:3:");
    let empty_back = dir.path().join("half.csv");
    fs::write(&empty_back, "front,back\nrumah,house\nkucing,\n").unwrap();
    refused(&empty_back, "half.csv:3:");
}

#[test]
fn a_damaged_anki_package_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let good = fs::read(super::support::fixture("small.apkg")).unwrap();
    let cut = dir.path().join("cut.apkg");
    fs::write(&cut, &good[..good.len() / 2]).unwrap();
    refused(&cut, "cut.apkg");
    let junk = dir.path().join("junk.colpkg");
    fs::write(&junk, b"PK\x03\x04 not really a zip").unwrap();
    refused(&junk, "junk.colpkg");
    let text = dir.path().join("unknown.docx");
    fs::write(&text, b"x").unwrap();
    refused(&text, "imports");
}
