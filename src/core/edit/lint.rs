//! The teachers' linter behind `kartu check`: every problem in a deck file (or a Kartu
//! package's deck), not only the first, each at its line and column. Errors are what stops a
//! deck from loading (invalid or duplicate ids, empty sides, a cloze note without
//! deletions…); warnings are what a learner would trip over (duplicate fronts, a missing or
//! oversized image, an image from a URL, an overly long card).

use std::collections::HashMap;
use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use crate::core::error::{Error, TextPosition};
use crate::core::model::deck::{Deck, NoteKind, NoteView, check_header, check_notes};
use crate::core::model::media::{MAX_IMAGE_BYTES, check_image, image_refs, is_plain_name};
use crate::core::storage::atomic;
use crate::core::storage::format::deck_file::{self, MAX_DECK_FILE_BYTES, locate};
use crate::core::storage::format::package::{DECK_ENTRY, MAX_PACKAGE_ENTRIES, MEDIA_PREFIX};

/// A side longer than this (in characters) is hard to review in one look: a warning.
pub const MAX_SIDE_CHARS: usize = 2_000;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The deck does not load.
    Error,
    /// The deck loads, but a learner would trip over this.
    Warning,
}

/// One problem, where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The file (for a package, its deck file inside it).
    pub path: PathBuf,
    /// Line and column, where known.
    pub position: Option<TextPosition>,
    /// How bad it is.
    pub severity: Severity,
    /// What is wrong, for a person.
    pub message: String,
}

impl fmt::Display for Finding {
    /// `FILE:LINE:COL: message`, or `FILE:LINE:COL: warning: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(position) = self.position {
            write!(f, ":{position}")?;
        }
        match self.severity {
            Severity::Error => write!(f, ": {}", self.message),
            Severity::Warning => write!(f, ": warning: {}", self.message),
        }
    }
}

/// What linting one file found, and the deck when it parsed.
#[derive(Debug, Default)]
pub struct Linted {
    /// Every problem, in file order.
    pub findings: Vec<Finding>,
    /// The deck, when it parsed (with or without errors in its content).
    pub deck: Option<Deck>,
}

impl Linted {
    /// Whether any finding is an error.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

/// Where a deck's images are looked up.
trait Media {
    /// The bytes of image `name` (up to the cap and one byte more), or `None` when missing.
    fn get(&mut self, name: &str) -> Option<Vec<u8>>;
    /// The folder's name, for messages.
    fn place(&self) -> String;
}

/// A deck file's images: the folder `NAME.media/` beside `NAME.ron`.
struct Folder(PathBuf);

impl Media for Folder {
    fn get(&mut self, name: &str) -> Option<Vec<u8>> {
        let path = self.0.join(name);
        let file = std::fs::File::open(path).ok()?;
        let mut bytes = Vec::new();
        file.take(MAX_IMAGE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .ok()?;
        Some(bytes)
    }

    fn place(&self) -> String {
        let name = self.0.file_name().map(|n| n.to_string_lossy().into_owned());
        format!("{}/", name.unwrap_or_default())
    }
}

/// A package's images: its `media/` entries.
struct Entries(zip::ZipArchive<std::fs::File>);

impl Media for Entries {
    fn get(&mut self, name: &str) -> Option<Vec<u8>> {
        let entry = self.0.by_name(&format!("{MEDIA_PREFIX}{name}")).ok()?;
        let mut bytes = Vec::new();
        entry
            .take(MAX_IMAGE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .ok()?;
        Some(bytes)
    }

    fn place(&self) -> String {
        MEDIA_PREFIX.to_owned()
    }
}

fn error_finding(err: &Error, path: &Path) -> Finding {
    match err {
        Error::Parse {
            path,
            position,
            message,
        } => Finding {
            path: path.clone(),
            position: *position,
            severity: Severity::Error,
            message: message.clone(),
        },
        other => {
            let text = other.to_string();
            let prefix = format!("{}: ", path.display());
            Finding {
                path: path.to_path_buf(),
                position: None,
                severity: Severity::Error,
                message: text.strip_prefix(&prefix).unwrap_or(&text).to_owned(),
            }
        }
    }
}

/// Lints a deck file (`.ron`, its images in `NAME.media/` beside it) or a Kartu package
/// (`.kartu`).
#[must_use]
pub fn lint_file(path: &Path) -> Linted {
    let is_package = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("kartu"));
    if is_package {
        return lint_package(path);
    }
    match atomic::read_text_limited(path, MAX_DECK_FILE_BYTES) {
        Ok(source) => lint_source(&source, path, &mut Folder(path.with_extension("media"))),
        Err(err) => Linted {
            findings: vec![error_finding(&err, path)],
            deck: None,
        },
    }
}

fn lint_package(path: &Path) -> Linted {
    let failed = |message: String| Linted {
        findings: vec![Finding {
            path: path.to_path_buf(),
            position: None,
            severity: Severity::Error,
            message,
        }],
        deck: None,
    };
    let archive = std::fs::File::open(path)
        .map_err(|err| err.to_string())
        .and_then(|file| zip::ZipArchive::new(file).map_err(|err| err.to_string()));
    let mut archive = match archive {
        Ok(archive) if archive.len() <= MAX_PACKAGE_ENTRIES => archive,
        Ok(archive) => {
            return failed(format!(
                "{} entries; a package holds at most {MAX_PACKAGE_ENTRIES}",
                archive.len()
            ));
        }
        Err(err) => return failed(format!("not a Kartu package (a zip file): {err}")),
    };
    let mut source = String::new();
    let read = match archive.by_name(DECK_ENTRY) {
        Ok(entry) => entry
            .take(MAX_DECK_FILE_BYTES + 1)
            .read_to_string(&mut source)
            .map_err(|err| format!("{DECK_ENTRY}: {err}")),
        Err(_) => Err(format!("no {DECK_ENTRY} in the package")),
    };
    if let Err(message) = read {
        return failed(message);
    }
    if source.len() as u64 > MAX_DECK_FILE_BYTES {
        return failed(format!("{DECK_ENTRY} is over {MAX_DECK_FILE_BYTES} bytes"));
    }
    lint_source(&source, &path.join(DECK_ENTRY), &mut Entries(archive))
}

/// Where each note's `id: "…"` is, in order: found one after another from the list of notes
/// on, so a note id that also appears earlier (as the deck's id, in a text) is not mistaken.
fn note_positions(source: &str, deck: &Deck) -> Vec<Option<TextPosition>> {
    let start = ["notes", "cards"]
        .iter()
        .filter_map(|key| source.find(&format!("{key}:")).or_else(|| source.find(key)))
        .min()
        .unwrap_or(0);
    let mut from = start;
    let mut positions = Vec::with_capacity(deck.notes.len());
    for note in &deck.notes {
        let quoted = format!("{:?}", note.id.0);
        let mut found = None;
        let mut at = from;
        while let Some(offset) = source.get(at..).and_then(|rest| rest.find(&quoted)) {
            let index = at + offset;
            let before = source[..index].trim_end();
            if before
                .strip_suffix(':')
                .is_some_and(|b| b.trim_end().ends_with("id"))
            {
                found = Some(index);
                break;
            }
            at = index + quoted.len();
        }
        match found {
            Some(index) => {
                let nth = source[..index].matches(&quoted).count();
                positions.push(locate(source, &quoted, nth));
                from = index + quoted.len();
            }
            None => positions.push(None),
        }
    }
    positions
}

/// The text a learner sees first: the front, or a cloze note's text, folded for comparing.
fn front_key(view: &NoteView<'_>) -> String {
    let text = if view.kind == NoteKind::Cloze {
        view.text
    } else {
        view.front
    };
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn lint_source(source: &str, path: &Path, media: &mut dyn Media) -> Linted {
    let deck = match deck_file::parse_deck_unchecked(source, path) {
        Ok(deck) => deck,
        Err(err) => {
            return Linted {
                findings: vec![error_finding(&err, path)],
                deck: None,
            };
        }
    };
    let mut findings = Vec::new();
    let mut found = |position: Option<TextPosition>, severity, message: String| {
        findings.push(Finding {
            path: path.to_path_buf(),
            position,
            severity,
            message,
        });
    };
    if let Err(problem) = check_header(
        deck.format,
        &deck.id.0,
        &deck.title,
        &deck.language,
        deck.parent.as_ref().map(|p| p.0.as_str()),
    ) {
        found(
            locate(source, &problem.needle, problem.nth),
            Severity::Error,
            problem.message,
        );
    }
    let positions = note_positions(source, &deck);
    let mut ids: HashMap<&str, Option<TextPosition>> = HashMap::new();
    let mut fronts: HashMap<String, (&str, Option<TextPosition>)> = HashMap::new();
    let mut checked: HashMap<String, Option<String>> = HashMap::new();
    for (note, &position) in deck.notes.iter().zip(&positions) {
        let view = NoteView::of(note);
        let id = note.id.0.as_str();
        if let Some(first) = ids.insert(id, position) {
            let line = first
                .map(|p| format!(" (first at line {})", p.line))
                .unwrap_or_default();
            found(
                position,
                Severity::Error,
                format!("duplicate id {id:?}{line}"),
            );
            continue;
        }
        // The one validator, note by note, so every note's problem is reported.
        if let Err(problem) = check_notes(std::iter::once(view)) {
            found(position, Severity::Error, problem.message);
            continue;
        }
        let key = front_key(&view);
        if let Some((other, at)) = fronts.get(&key) {
            let line = at.map(|p| format!(", line {}", p.line)).unwrap_or_default();
            found(
                position,
                Severity::Warning,
                format!("note {id:?} has the same front as note {other:?}{line}"),
            );
        } else {
            fronts.insert(key, (id, position));
        }
        let sides = [&note.front, &note.back, &note.text, &note.extra];
        if let Some(longest) = sides.iter().map(|s| s.chars().count()).max()
            && longest > MAX_SIDE_CHARS
        {
            found(
                position,
                Severity::Warning,
                format!(
                    "note {id:?} has a side of {longest} characters; over {MAX_SIDE_CHARS} is hard to review at a glance, split it"
                ),
            );
        }
        let extras = [note.notes.as_deref(), note.example.as_deref()];
        let texts = sides
            .iter()
            .map(|s| s.as_str())
            .chain(extras.into_iter().flatten());
        for text in texts {
            for image in image_refs(text) {
                let name = image.target;
                if !is_plain_name(name) {
                    found(
                        position,
                        Severity::Warning,
                        format!(
                            "note {id:?} shows {name:?}: only files in the deck's {} folder are shown, nothing is fetched",
                            media.place()
                        ),
                    );
                    continue;
                }
                let verdict =
                    checked
                        .entry(name.to_owned())
                        .or_insert_with(|| match media.get(name) {
                            None => Some(format!("{name:?} is not in {}", media.place())),
                            Some(bytes) => check_image(&bytes)
                                .err()
                                .map(|problem| format!("{name:?}: {problem}")),
                        });
                if let Some(problem) = verdict {
                    found(
                        position,
                        Severity::Warning,
                        format!("note {id:?} shows image {problem}"),
                    );
                }
            }
        }
    }
    Linted {
        findings,
        deck: Some(deck),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lint(source: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.ron");
        std::fs::write(&path, source).unwrap();
        std::fs::create_dir(dir.path().join("d.media")).unwrap();
        std::fs::write(dir.path().join("d.media/big.png"), vec![0u8; 16]).unwrap();
        lint_file(&path)
            .findings
            .iter()
            .map(|f| {
                f.to_string()
                    .replace(&dir.path().display().to_string(), "DIR")
            })
            .collect()
    }

    #[test]
    fn every_problem_is_found_at_its_note() {
        let long = "x".repeat(MAX_SIDE_CHARS + 1);
        let found = lint(&format!(
            r#"(format: 2, id: "one", title: "T", description: "d", language: "en", version: 1, notes: [
    (id: "one", front: "Rumah", back: "house"),
    (id: "two", front: "rumah ", back: "home"),
    (id: "one", front: "x", back: "y"),
    (id: "empty", front: "e", back: " "),
    (id: "cloze", kind: cloze, text: "no deletions"),
    (id: "long", front: "{long}", back: "b"),
    (id: "pics", front: "![a](missing.png) ![b](big.png) ![c](https://x.org/c.png)", back: "b"),
])"#
        ));
        assert_eq!(
            found,
            [
                "DIR/d.ron:3:10: warning: note \"two\" has the same front as note \"one\", line 2",
                "DIR/d.ron:4:10: duplicate id \"one\" (first at line 2)",
                "DIR/d.ron:5:10: note \"empty\" needs both a front and a back",
                "DIR/d.ron:6:10: cloze note \"cloze\" has no cloze deletion such as {{c1::answer}} in its text",
                &format!(
                    "DIR/d.ron:7:10: warning: note \"long\" has a side of {} characters; over {MAX_SIDE_CHARS} is hard to review at a glance, split it",
                    MAX_SIDE_CHARS + 1
                ),
                "DIR/d.ron:8:10: warning: note \"pics\" shows image \"missing.png\" is not in d.media/",
                "DIR/d.ron:8:10: warning: note \"pics\" shows image \"big.png\": not an image Kartu shows (PNG, JPEG, GIF or WebP)",
                "DIR/d.ron:8:10: warning: note \"pics\" shows \"https://x.org/c.png\": only files in the deck's d.media/ folder are shown, nothing is fetched",
            ]
        );
    }

    #[test]
    fn a_syntax_error_is_one_error_at_its_place() {
        let found = lint("(format: 2, id: \"x\", title: \"T\",\n  oops)");
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("DIR/d.ron:2:"), "{found:?}");
    }
}
