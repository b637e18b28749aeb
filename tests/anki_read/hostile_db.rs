//! Hostile collection databases and text exports, each built here. Every
//! one must give one clear error (never a panic), quickly, without large
//! memory use.

#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "test data is built from small known values"
)]

use crate::common;

use common::build::*;
use common::{fixture, timed};
use kartu::core::import::anki::{AnkiError, Limits, TextLimits, read_notes_text, read_package};
use tempfile::TempDir;

#[test]
fn collection_that_is_not_a_database() {
    let dir = TempDir::new().expect("tempdir");
    let path = write(
        &dir,
        "text.apkg",
        &legacy_pkg(b"this is not a database at all".repeat(100)),
    );
    let err = reject(&path, &Limits::default());
    assert!(
        matches!(&err, AnkiError::Corrupt { what, .. } if what.contains("not an SQLite database")),
        "{err:?}"
    );
    // Right magic, garbage after it.
    let mut fake = b"SQLite format 3\0".to_vec();
    fake.extend((0..8192u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    let path = write(&dir, "fake.apkg", &legacy_pkg(fake));
    let err = reject(&path, &Limits::default());
    assert!(matches!(err, AnkiError::Corrupt { .. }), "{err:?}");
}

#[test]
fn database_failing_its_integrity_check() {
    let (db, _) = legacy_parts();
    // Find the notes table's root page and overwrite it with garbage.
    let dir = TempDir::new().expect("tempdir");
    let p = dir.path().join("c.db");
    std::fs::write(&p, &db).expect("write");
    let conn = rusqlite::Connection::open(&p).expect("open");
    let root: i64 = conn
        .query_row(
            "SELECT rootpage FROM sqlite_master WHERE name = 'notes'",
            [],
            |r| r.get(0),
        )
        .expect("root");
    let page: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .expect("page size");
    let (root, page) = (root as usize, page as usize);
    drop(conn);
    let mut bad = db.clone();
    let start = (root - 1) * page;
    for (i, b) in bad[start + 8..start + page].iter_mut().enumerate() {
        *b = (i * 37 % 251) as u8;
    }
    let path = write(&dir, "corrupt.apkg", &legacy_pkg(bad));
    let err = reject(&path, &Limits::default());
    assert!(
        matches!(&err, AnkiError::Corrupt { what, .. } if what.contains("integrity")),
        "{err:?}"
    );
}

#[test]
fn views_and_generated_columns_named_like_tables() {
    let (db, _) = legacy_parts();
    let dir = TempDir::new().expect("tempdir");
    // A view standing in for `notes`.
    let view = edit_db(
        &db,
        "ALTER TABLE notes RENAME TO real_notes; CREATE VIEW notes AS SELECT * FROM real_notes;",
    );
    let path = write(&dir, "view.apkg", &legacy_pkg(view));
    let err = reject(&path, &Limits::default());
    assert!(
        matches!(&err, AnkiError::Corrupt { what, .. } if what.contains("not a plain table")),
        "{err:?}"
    );
    // A generated column runs an expression from the file on every read.
    let generated = edit_db(
        &db,
        "ALTER TABLE cards ADD COLUMN evil AS (zeroblob(1000000000));",
    );
    let path = write(&dir, "generated.apkg", &legacy_pkg(generated));
    let err = reject(&path, &Limits::default());
    assert!(
        matches!(&err, AnkiError::Corrupt { what, .. } if what.contains("generated")),
        "{err:?}"
    );
    // Triggers named like tables cannot fire on reads (and are disabled):
    // the data reads back unchanged.
    let trig = edit_db(
        &db,
        "CREATE TRIGGER notes AFTER INSERT ON revlog BEGIN DELETE FROM notes; END;
         CREATE TRIGGER cards BEFORE DELETE ON cards BEGIN SELECT RAISE(ABORT, 'x'); END;",
    );
    let path = write(&dir, "trigger.apkg", &legacy_pkg(trig));
    let c = read_package(&path, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((c.notes.len(), c.cards.len()), (40, 48));
}

#[test]
fn oversized_value_and_odd_schema_versions() {
    let (db, _) = legacy_parts();
    let dir = TempDir::new().expect("tempdir");
    let big = edit_db(
        &db,
        "UPDATE notes SET flds = flds || zeroblob(8000000) WHERE id = (SELECT min(id) FROM notes);",
    );
    let path = write(&dir, "big-value.apkg", &legacy_pkg(big));
    let err = reject(
        &path,
        &Limits {
            max_value_bytes: MIB,
            ..Limits::default()
        },
    );
    assert!(
        matches!(&err, AnkiError::TooLarge { what, .. } if what.contains("single value")),
        "{err:?}"
    );
    for ver in [5, 12, 19] {
        let odd = edit_db(&db, &format!("UPDATE col SET ver = {ver};"));
        let path = write(&dir, "ver.apkg", &legacy_pkg(odd));
        let err = reject(&path, &Limits::default());
        assert!(
            matches!(err, AnkiError::Unsupported { .. }),
            "{ver}: {err:?}"
        );
    }
    let wrong_type = edit_db(
        &db,
        "UPDATE cards SET due = 'soon' WHERE id = (SELECT min(id) FROM cards);",
    );
    let path = write(&dir, "type.apkg", &legacy_pkg(wrong_type));
    let err = reject(&path, &Limits::default());
    assert!(
        matches!(&err, AnkiError::Corrupt { what, .. } if what.contains("`due`")),
        "{err:?}"
    );
    let no_notes = edit_db(&db, "DROP TABLE notes;");
    let path = write(&dir, "no-notes.apkg", &legacy_pkg(no_notes));
    let err = reject(&path, &Limits::default());
    assert!(
        matches!(&err, AnkiError::Corrupt { what, .. } if what.contains("no `notes` table")),
        "{err:?}"
    );
}

fn reject_text(dir: &TempDir, name: &str, bytes: &[u8], limits: &TextLimits) -> AnkiError {
    let path = write(dir, name, bytes);
    let err = timed("text rejection", FAST, || read_notes_text(&path, limits))
        .err()
        .unwrap_or_else(|| panic!("{name} was accepted"));
    assert!(
        err.to_string().starts_with(&path.display().to_string()),
        "{err}"
    );
    eprintln!("{err}");
    err
}

#[test]
fn hostile_text_exports() {
    let dir = TempDir::new().expect("tempdir");
    let limits = TextLimits::default();
    let err = reject_text(
        &dir,
        "latin1.txt",
        b"#separator:tab\nok\tfine\ncaf\xe9\tx\n",
        &limits,
    );
    assert!(
        matches!(&err, AnkiError::Text { line: 3, what, .. } if what.contains("UTF-8")),
        "{err:?}"
    );
    let err = reject_text(
        &dir,
        "ragged.txt",
        b"#separator:tab\n#html:false\na\tb\tc\nd\te\tf\ng\th\n",
        &limits,
    );
    assert!(matches!(err, AnkiError::Text { line: 5, .. }), "{err:?}");
    let err = reject_text(
        &dir,
        "open-quote.txt",
        b"#separator:comma\na,\"b\nc\n",
        &limits,
    );
    assert!(matches!(err, AnkiError::Text { line: 2, .. }), "{err:?}");
    let err = reject_text(
        &dir,
        "big.txt",
        &vec![b'a'; 2048],
        &TextLimits {
            max_file_bytes: 1024,
            ..limits.clone()
        },
    );
    assert!(matches!(err, AnkiError::TooLarge { .. }), "{err:?}");
    let wide = "x,".repeat(5000) + "x\n";
    let err = reject_text(&dir, "wide.txt", wide.as_bytes(), &limits);
    assert!(matches!(err, AnkiError::Text { line: 1, .. }), "{err:?}");
    let err = reject_text(&dir, "sep.txt", b"#separator:banana\na\n", &limits);
    assert!(matches!(err, AnkiError::Text { line: 1, .. }), "{err:?}");
}

#[test]
fn row_counts_are_capped_before_reading() {
    let small = fixture("small.apkg");
    let legacy = fixture("small.legacy.apkg");
    for (limits, what) in [
        (
            Limits {
                max_notes: 39,
                ..Limits::default()
            },
            "notes",
        ),
        (
            Limits {
                max_cards: 47,
                ..Limits::default()
            },
            "cards",
        ),
        (
            Limits {
                max_revlog: 65,
                ..Limits::default()
            },
            "review log",
        ),
        (
            Limits {
                max_decks_or_notetypes: 2,
                ..Limits::default()
            },
            "note types",
        ),
    ] {
        for path in [&small, &legacy] {
            let err = reject(path, &limits);
            assert!(
                matches!(&err, AnkiError::TooMany { what: w, .. } if w.contains(what)),
                "{err:?}"
            );
        }
    }
    // A legacy deck list inflated to 200,000 entries (a few MiB of JSON that
    // would be far more as a parsed tree) stops at the cap while parsing.
    let (db, _) = legacy_parts();
    let decks = (0..200_000)
        .map(|i| format!(r#""{i}":{{"name":"d{i}"}}"#))
        .collect::<Vec<_>>()
        .join(",");
    let inflated = edit_db(&db, &format!("UPDATE col SET decks = '{{{decks}}}';"));
    let dir = TempDir::new().expect("tempdir");
    let path = write(&dir, "many-decks.apkg", &legacy_pkg(inflated));
    let err = reject(&path, &Limits::default());
    assert!(
        matches!(&err, AnkiError::TooMany { what, .. } if what.contains("decks")),
        "{err:?}"
    );
}
