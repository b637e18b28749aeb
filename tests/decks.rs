//! Deck files end to end: format 1 files keep loading (golden file), `kartu fmt --upgrade`,
//! every note kind studied through the binary.

// Test helpers may unwrap, like the tests themselves (clippy only exempts `#[test]` functions).
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn kartu(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kartu"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("KARTU_DATA_DIR")
        .output()
        .unwrap()
}

fn ok(output: &Output) -> String {
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn json(output: &Output) -> Value {
    serde_json::from_str(&ok(output)).unwrap()
}

const GOLDEN_V1: &str = include_str!("golden/deck-v1.ron");

#[test]
fn a_format_1_deck_loads_unchanged_and_upgrades_keeping_card_ids_and_progress() {
    let dir = tempfile::tempdir().unwrap();
    let v1 = dir.path().join("teacher.ron");
    // The golden file under an id of its own, so it does not clash with the bundled deck.
    let text = GOLDEN_V1.replace("backend-developer-en", "teacher-deck");
    fs::write(&v1, &text).unwrap();
    let checked = ok(&kartu(dir.path(), &["check", v1.to_str().unwrap()]));
    assert!(
        checked.contains("ok, deck \"teacher-deck\" with 67 cards"),
        "{checked}"
    );
    // `fmt` keeps format 1; it is already canonical.
    let formatted = ok(&kartu(dir.path(), &["fmt", v1.to_str().unwrap()]));
    assert!(formatted.contains("already canonical"), "{formatted}");
    assert_eq!(fs::read_to_string(&v1).unwrap(), text);

    // A learner studies the format 1 deck.
    let data = dir.path().join("data");
    fs::create_dir_all(data.join("decks")).unwrap();
    fs::copy(&v1, data.join("decks/teacher-deck.ron")).unwrap();
    let answered = json(&kartu(
        &data,
        &[
            "answer",
            "--deck",
            "teacher-deck",
            "--card",
            "what-is-backend-developer",
            "--rating",
            "easy",
            "--now",
            "2026-11-25T09:00:00Z",
            "--json",
        ],
    ));
    assert_eq!(answered["state"], "review");

    // The teacher upgrades the file; the learner's copy is replaced by it.
    let upgraded = ok(&kartu(
        dir.path(),
        &["fmt", "--upgrade", v1.to_str().unwrap()],
    ));
    assert!(upgraded.contains("rewritten as format 2"), "{upgraded}");
    let new_text = fs::read_to_string(&v1).unwrap();
    assert!(
        new_text.contains("    format: 2,\n") && new_text.contains("            kind: basic,\n")
    );
    fs::copy(&v1, data.join("decks/teacher-deck.ron")).unwrap();
    let card = json(&kartu(
        &data,
        &[
            "card",
            "--deck",
            "teacher-deck",
            "--card",
            "what-is-backend-developer",
            "--json",
        ],
    ));
    assert_eq!(card["reps"], 1, "progress kept: the card has the same id");
    assert_eq!(card["state"], "review");
}

#[test]
fn every_note_kind_is_studied_through_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    fs::create_dir_all(data.join("decks")).unwrap();
    let deck = r#"#![enable(implicit_some)]
(
    format: 2,
    id: "kinds",
    title: "Kinds",
    description: "",
    language: "en",
    version: 1,
    notes: [
        (
            id: "rev",
            kind: reversed,
            front: "hello",
            back: "halo",
            tags: [],
        ),
        (
            id: "clz",
            kind: cloze,
            text: "The {{c1::backend}} runs on the {{c2::server::where?}}.",
            extra: "From the article.",
            tags: [
                "peer::child",
            ],
        ),
    ],
)
"#;
    fs::write(data.join("decks/kinds.ron"), deck).unwrap();
    let decks = json(&kartu(
        data,
        &["decks", "--json", "--now", "2026-11-25T09:00:00Z"],
    ));
    let kinds = decks
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "kinds")
        .unwrap();
    assert_eq!(kinds["cards"], 4);
    // With siblings buried, one card per note today.
    let mut seen = Vec::new();
    for minute in 0..6 {
        let now = format!("2026-11-25T09:0{minute}:00Z");
        let next = json(&kartu(
            data,
            &["next", "--deck", "kinds", "--now", &now, "--json"],
        ));
        let Some(card) = next["card"].as_str() else {
            break;
        };
        if seen.contains(&card.to_owned()) {
            break;
        }
        seen.push(card.to_owned());
        if card == "clz:2" {
            assert_eq!(next["front"], "The backend runs on the [where?].");
            assert!(
                next["back"]
                    .as_str()
                    .unwrap()
                    .starts_with("The backend runs on the **server**.")
            );
            assert_eq!(next["tags"][0], "peer::child");
        }
        if card == "rev:2" {
            assert_eq!(
                (next["front"].as_str(), next["back"].as_str()),
                (Some("halo"), Some("hello"))
            );
        }
        ok(&kartu(
            data,
            &[
                "answer", "--deck", "kinds", "--card", card, "--rating", "easy", "--now", &now,
            ],
        ));
    }
    assert_eq!(seen, ["rev", "clz:1"], "the siblings wait for tomorrow");
    let tomorrow = json(&kartu(
        data,
        &[
            "next",
            "--deck",
            "kinds",
            "--now",
            "2026-11-26T09:00:00Z",
            "--json",
        ],
    ));
    assert_eq!(tomorrow["card"], "rev:2");
}

#[test]
fn check_lints_every_problem_errors_fail_and_warnings_alone_pass() {
    let dir = tempfile::tempdir().unwrap();
    let warned = dir.path().join("warned.ron");
    fs::write(
        &warned,
        "(format: 2, id: \"w\", title: \"W\", description: \"d\", language: \"en\", version: 1, notes: [\n\
         \x20   (id: \"a\", front: \"Rumah\", back: \"house\"),\n\
         \x20   (id: \"b\", front: \"rumah\", back: \"home ![dot](dot.png)\"),\n\
         ])",
    )
    .unwrap();
    let broken = dir.path().join("broken.ron");
    fs::write(
        &broken,
        "(format: 2, id: \"b\", title: \"B\", description: \"d\", language: \"en\", version: 1, notes: [\n\
         \x20   (id: \"a\", front: \"x\", back: \"\"),\n\
         \x20   (id: \"a\", front: \"y\", back: \"z\"),\n\
         \x20   (id: \"c\", kind: cloze, text: \"none\"),\n\
         ])",
    )
    .unwrap();
    let only_warnings = kartu(dir.path(), &["check", warned.to_str().unwrap()]);
    let text = ok(&only_warnings);
    let w = warned.display();
    assert!(
        text.contains(&format!(
            "{w}:3:10: warning: note \"b\" has the same front as note \"a\", line 2"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{w}:3:10: warning: note \"b\" shows image \"dot.png\" is not in warned.media/"
        )),
        "{text}"
    );
    assert!(
        text.contains("ok, deck \"w\" with 2 cards, 2 warnings"),
        "{text}"
    );

    let both = kartu(
        dir.path(),
        &["check", broken.to_str().unwrap(), warned.to_str().unwrap()],
    );
    assert_eq!(both.status.code(), Some(1));
    let text = String::from_utf8_lossy(&both.stdout);
    let b = broken.display();
    for expected in [
        format!("{b}:2:10: note \"a\" needs both a front and a back"),
        format!("{b}:3:10: duplicate id \"a\" (first at line 2)"),
        format!("{b}:4:10: cloze note \"c\" has no cloze deletion"),
    ] {
        assert!(text.contains(&expected), "{expected} in\n{text}");
    }
    assert!(
        text.contains("ok, deck \"w\""),
        "the other file is still checked: {text}"
    );
}
