//! Hostile packages at the zip level, each built here: bombs, too many
//! entries, path tricks, missing parts. Every one must give one clear
//! error (never a panic), quickly, without large memory use.

#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "test data is built from small known values"
)]

use crate::common;

use std::io::{self, Cursor, Read, Write};
use std::path::Path;
use std::time::Duration;

use common::build::*;
use common::fixture;
use kartu::core::import::anki::{AnkiError, Limits, read_package};
use tempfile::TempDir;
use zip::ZipWriter;

#[test]
fn zip_bomb_collection_stops_at_the_limit() {
    let dir = TempDir::new().expect("tempdir");
    // 256 MiB of zeros deflates to ~250 KiB: reading stops at the 8 MiB cap.
    let pkg = zip_bytes(vec![("collection.anki21", Body::Zeros(256 * MIB), bomb())]);
    assert!(pkg.len() < 2 * MIB as usize);
    let path = write(&dir, "bomb.apkg", &pkg);
    let limits = Limits {
        max_collection_bytes: 8 * MIB,
        ..Limits::default()
    };
    let err = reject(&path, &limits);
    assert!(
        matches!(&err, AnkiError::TooLarge { what, limit, .. } if what.contains("collection") && *limit == 8 * MIB),
        "{err:?}"
    );
}

#[test]
fn zip_bomb_with_lying_10_gb_header() {
    // A zip64 entry whose headers claim 10 GB: sizes in headers are never
    // trusted, the read is capped all the same.
    let real: u64 = 64 * MIB + 12_345;
    let mut pkg = zip_bytes(vec![(
        "collection.anki21",
        Body::Zeros(real),
        bomb().large_file(true),
    )]);
    let needle = real.to_le_bytes();
    let fake = (10_000_000_000u64).to_le_bytes();
    let mut patched = 0;
    let mut i = 0;
    while i + 8 <= pkg.len() {
        if pkg[i..i + 8] == needle {
            pkg[i..i + 8].copy_from_slice(&fake);
            patched += 1;
        }
        i += 1;
    }
    assert!(patched >= 1, "declared size not found");
    let dir = TempDir::new().expect("tempdir");
    let path = write(&dir, "liar.apkg", &pkg);
    let limits = Limits {
        max_collection_bytes: 8 * MIB,
        ..Limits::default()
    };
    let err = reject(&path, &limits);
    assert!(
        matches!(err, AnkiError::TooLarge { .. } | AnkiError::Corrupt { .. }),
        "{err:?}"
    );
}

#[test]
fn zip_bomb_media_file() {
    let (db, _) = legacy_parts();
    let pkg = zip_bytes(vec![
        ("collection.anki21", Body::Bytes(db), deflated()),
        (
            "media",
            Body::Bytes(br#"{"0":"big.png"}"#.to_vec()),
            stored(),
        ),
        ("0", Body::Zeros(256 * MIB), bomb()),
    ]);
    let dir = TempDir::new().expect("tempdir");
    let path = write(&dir, "media-bomb.apkg", &pkg);
    let limits = Limits {
        max_media_bytes: MIB,
        ..Limits::default()
    };
    let err = reject(&path, &limits);
    assert!(
        matches!(&err, AnkiError::TooLarge { what, .. } if what.contains("big.png")),
        "{err:?}"
    );
    // The total cap is checked too.
    let limits = Limits {
        max_total_media_bytes: 1000,
        ..Limits::default()
    };
    let err = reject(&path, &limits);
    assert!(
        matches!(&err, AnkiError::TooLarge { what, .. } if what.contains("together")),
        "{err:?}"
    );
}

#[test]
fn zstd_bomb_collection() {
    let mut enc = zstd::stream::Encoder::new(Vec::new(), 1).expect("encoder");
    io::copy(&mut io::repeat(0).take(512 * MIB), &mut enc).expect("compress");
    let frame = enc.finish().expect("finish");
    assert!(frame.len() < MIB as usize, "{}", frame.len());
    let dir = TempDir::new().expect("tempdir");
    let path = write(&dir, "zstd-bomb.apkg", &current_pkg(frame));
    let limits = Limits {
        max_collection_bytes: 16 * MIB,
        ..Limits::default()
    };
    let err = reject(&path, &limits);
    assert!(matches!(err, AnkiError::TooLarge { .. }), "{err:?}");
}

#[test]
fn zstd_frame_demanding_a_huge_window() {
    // A frame header asking for a 1 GiB window is refused before the
    // decoder allocates it.
    let mut enc = zstd::stream::Encoder::new(Vec::new(), 3).expect("encoder");
    enc.include_contentsize(false).expect("param");
    enc.window_log(30).expect("param");
    enc.long_distance_matching(true).expect("param");
    enc.write_all(&[7u8; 4096]).expect("write");
    let frame = enc.finish().expect("finish");
    let dir = TempDir::new().expect("tempdir");
    let path = write(&dir, "window.apkg", &current_pkg(frame));
    let err = reject(&path, &Limits::default());
    assert!(matches!(err, AnkiError::Corrupt { .. }), "{err:?}");
}

#[test]
fn too_many_entries() {
    let many = |n: usize| {
        let names: Vec<String> = (0..n).map(|i| i.to_string()).collect();
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        for name in &names {
            w.start_file(name.as_str(), stored()).expect("entry");
        }
        w.finish().expect("zip").into_inner()
    };
    let dir = TempDir::new().expect("tempdir");
    let path = write(&dir, "many.apkg", &many(2_000));
    let err = reject(
        &path,
        &Limits {
            max_entries: 100,
            ..Limits::default()
        },
    );
    assert!(
        matches!(err, AnkiError::TooMany { limit: 100, .. }),
        "{err:?}"
    );
    // So many that even the zip directory is over budget: the parser is
    // stopped before it has built them all.
    let path = write(&dir, "huge-dir.apkg", &many(40_000));
    let err = reject(
        &path,
        &Limits {
            max_entries: 10,
            ..Limits::default()
        },
    );
    assert!(
        matches!(&err, AnkiError::TooLarge { what, .. } if what.contains("table of contents")),
        "{err:?}"
    );
}

#[test]
fn path_traversal_names_are_never_used() {
    let (db, png) = legacy_parts();
    let dir = TempDir::new().expect("tempdir");
    let nested = dir.path().join("a/b");
    std::fs::create_dir_all(&nested).expect("dirs");
    let pkg = zip_bytes(vec![
        (
            "../collection.anki21",
            Body::Bytes(b"evil".to_vec()),
            stored(),
        ),
        ("../../evil.txt", Body::Bytes(b"evil".to_vec()), stored()),
        ("/abs.txt", Body::Bytes(b"evil".to_vec()), stored()),
        ("..\\win.txt", Body::Bytes(b"evil".to_vec()), stored()),
        ("collection.anki21", Body::Bytes(db), deflated()),
        (
            "media",
            Body::Bytes(br#"{"0":"peer-dot.png"}"#.to_vec()),
            stored(),
        ),
        ("0", Body::Bytes(png), stored()),
    ]);
    let path = nested.join("traversal.apkg");
    std::fs::write(&path, &pkg).expect("write");
    let got = read_package(&path, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
    let want = read_package(&fixture("small.legacy.apkg"), &Limits::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(got, want);
    for leftover in ["a/evil.txt", "evil.txt", "a/b/evil.txt", "abs.txt"] {
        assert!(
            !dir.path().join(leftover).exists(),
            "{leftover} was written"
        );
    }
    assert!(!Path::new("/abs.txt").exists());

    // The collection only under a `../` name: no collection at all.
    let only_evil = zip_bytes(vec![(
        "../collection.anki21",
        Body::Bytes(legacy_parts().0),
        stored(),
    )]);
    let path = write(&dir, "only-evil.apkg", &only_evil);
    let err = reject(&path, &Limits::default());
    assert!(matches!(err, AnkiError::NotAPackage { .. }), "{err:?}");

    // A media map steering names or entries outside: refused.
    for map in [
        &br#"{"../0":"x.png"}"#[..],
        br#"{"0":"../x.png"}"#,
        br#"{"0":"a\\x.png"}"#,
        br#"{"meta":"x.png"}"#,
    ] {
        let pkg = zip_bytes(vec![
            (
                "collection.anki21",
                Body::Bytes(legacy_parts().0),
                deflated(),
            ),
            ("media", Body::Bytes(map.to_vec()), stored()),
            ("0", Body::Bytes(b"x".to_vec()), stored()),
        ]);
        let path = write(&dir, "bad-map.apkg", &pkg);
        let err = reject(&path, &Limits::default());
        assert!(matches!(err, AnkiError::Corrupt { .. }), "{err:?}");
    }
}

#[test]
fn package_without_a_collection() {
    let dir = TempDir::new().expect("tempdir");
    for (name, pkg) in [
        (
            "meta-only.apkg",
            zip_bytes(vec![("meta", Body::Bytes(vec![0x08, 0x03]), stored())]),
        ),
        ("empty.apkg", zip_bytes(vec![])),
        (
            "readme.apkg",
            zip_bytes(vec![(
                "README.txt",
                Body::Bytes(b"hi".to_vec()),
                deflated(),
            )]),
        ),
    ] {
        let path = write(&dir, name, &pkg);
        let err = reject(&path, &Limits::default());
        assert!(
            matches!(err, AnkiError::NotAPackage { .. }),
            "{name}: {err:?}"
        );
    }
}

#[test]
fn media_map_pointing_at_a_missing_entry() {
    let (db, png) = legacy_parts();
    let pkg = zip_bytes(vec![
        ("collection.anki21", Body::Bytes(db), deflated()),
        (
            "media",
            Body::Bytes(br#"{"0":"peer-dot.png","7":"gone.png"}"#.to_vec()),
            stored(),
        ),
        ("0", Body::Bytes(png), stored()),
    ]);
    let dir = TempDir::new().expect("tempdir");
    let path = write(&dir, "missing-media.apkg", &pkg);
    let err = reject(&path, &Limits::default());
    assert!(
        matches!(&err, AnkiError::Corrupt { what, .. } if what.contains("gone.png") && what.contains("`7`")),
        "{err:?}"
    );
    let err = reject(
        &fixture("small.apkg"),
        &Limits {
            max_media_files: 0,
            ..Limits::default()
        },
    );
    assert!(matches!(err, AnkiError::TooMany { .. }), "{err:?}");
}

#[test]
fn files_that_are_not_packages() {
    let dir = TempDir::new().expect("tempdir");
    let (_, png) = legacy_parts();
    let path = write(&dir, "picture.apkg", &png);
    assert!(matches!(
        reject(&path, &Limits::default()),
        AnkiError::NotAPackage { .. }
    ));
    let small = std::fs::read(fixture("small.apkg")).expect("fixture");
    let path = write(&dir, "truncated.apkg", &small[..small.len() / 2]);
    assert!(matches!(
        reject(&path, &Limits::default()),
        AnkiError::NotAPackage { .. }
    ));
    let path = write(&dir, "empty-file.apkg", b"");
    assert!(matches!(
        reject(&path, &Limits::default()),
        AnkiError::NotAPackage { .. }
    ));
    assert!(matches!(
        reject(dir.path(), &Limits::default()),
        AnkiError::NotAPackage { .. } | AnkiError::Io { .. }
    ));
    let missing = dir.path().join("missing.apkg");
    assert!(matches!(
        reject(&missing, &Limits::default()),
        AnkiError::Io { .. }
    ));
    let err = reject(
        &fixture("small.apkg"),
        &Limits {
            max_package_bytes: 1000,
            ..Limits::default()
        },
    );
    assert!(
        matches!(err, AnkiError::TooLarge { limit: 1000, .. }),
        "{err:?}"
    );
    // A newer package version than we know.
    let newer = zip_bytes(vec![("meta", Body::Bytes(vec![0x08, 0x04]), stored())]);
    let path = write(&dir, "newer.apkg", &newer);
    assert!(matches!(
        reject(&path, &Limits::default()),
        AnkiError::Unsupported { .. }
    ));
    let err = reject(
        &fixture("small.apkg"),
        &Limits {
            max_duration: Duration::ZERO,
            ..Limits::default()
        },
    );
    assert!(matches!(err, AnkiError::TimedOut { .. }), "{err:?}");
}
