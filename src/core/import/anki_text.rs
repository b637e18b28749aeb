//! Anki's "Notes in plain text" export (`.txt`): header lines (`#separator:`, `#html:`,
//! `#tags:`, `#columns:`, `#notetype column:`, `#deck column:`, `#tags column:`,
//! `#guid column:`), then one note per row. Note types map to Kartu's kinds by name (Basic,
//! Basic (and reversed card), Basic (optional reversed card), Basic (type in the answer),
//! Cloze); any other becomes a basic note from its first two fields. GUIDs become note ids,
//! so importing the same file again updates in place.

use std::collections::BTreeMap;
use std::path::Path;

use super::anki::{TextLimits, html_to_markdown, read_notes_text};
use super::ids::{DeckIds, note_id_from_field, note_id_from_guid};
use super::{Incoming, Monitor, Options};
use crate::core::collection::NewDeck;
use crate::core::error::{Error, Result};
use crate::core::export::anki_text::KARTU_GUID_PREFIX;
use crate::core::ids::DeckId;
use crate::core::model::deck::{DECK_FORMAT_VERSION, Deck, Note, NoteId, NoteKind};

/// The Kartu kind of an Anki note type, by its (English, stock) name; `None` for other types.
#[must_use]
pub fn kind_of_notetype_name(name: &str) -> Option<NoteKind> {
    Some(match name.trim() {
        "Basic" | "Basic (type in the answer)" => NoteKind::Basic,
        "Basic (and reversed card)" => NoteKind::Reversed,
        "Basic (optional reversed card)" => NoteKind::OptionalReversed,
        "Cloze" => NoteKind::Cloze,
        _ => return None,
    })
}

/// A Kartu note from an Anki note's fields, by kind; `html`: the fields are HTML.
#[must_use]
pub fn note_from_fields(
    id: crate::core::model::deck::NoteId,
    kind: Option<NoteKind>,
    fields: &[&str],
    html: bool,
    tags: Vec<String>,
) -> Note {
    let convert = |i: usize| {
        let field = fields.get(i).copied().unwrap_or("");
        if html {
            html_to_markdown(field)
        } else {
            field.trim().to_owned()
        }
    };
    let mut note = Note {
        id,
        kind: kind.unwrap_or(NoteKind::Basic),
        tags,
        ..Note::default()
    };
    match note.kind {
        NoteKind::Cloze => {
            note.text = convert(0);
            note.extra = convert(1);
        }
        NoteKind::OptionalReversed => {
            note.front = convert(0);
            note.back = convert(1);
            note.add_reverse = !convert(2).trim().is_empty();
        }
        NoteKind::Basic | NoteKind::Reversed => {
            note.front = convert(0);
            note.back = convert(1);
        }
    }
    note
}

pub(super) fn read(path: &Path, options: &Options, monitor: Monitor<'_>) -> Result<Incoming> {
    let text = read_notes_text(path, &TextLimits::default()).map_err(|err| match err {
        super::anki::AnkiError::Text { line, .. } => Error::Parse {
            path: path.to_path_buf(),
            position: Some(crate::core::error::TextPosition { line, col: 1 }),
            message: err.to_string(),
        },
        other => Error::Invalid(other.to_string()),
    })?;
    let html = text.html.unwrap_or(true);
    let fields = text.field_columns();
    let default_deck_name = text.deck.clone();
    let mut deck_ids = DeckIds::default();
    let default_deck = options
        .deck
        .clone()
        .unwrap_or_else(|| match &default_deck_name {
            Some(name) => deck_ids.id(name),
            // The file's name only names rows without a deck: it claims no id of the decks
            // the rows name.
            None => DeckIds::default().id(path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("imported")),
        });
    let mut decks: BTreeMap<DeckId, (String, Vec<Note>)> = BTreeMap::new();
    let mut notes_as_basic = 0;
    let total = text.rows.len() as u64;
    for (done, row) in text.rows.iter().enumerate() {
        if done % 4096 == 0 {
            monitor.check()?;
            (monitor.progress)(done as u64, total);
        }
        let cell = |index: Option<usize>| {
            index
                .and_then(|i| row.cells.get(i))
                .map_or("", String::as_str)
        };
        let notetype = match text.columns.notetype {
            Some(_) => Some(cell(text.columns.notetype)),
            None => text.notetype.as_deref(),
        };
        let kind = notetype.map_or(Some(NoteKind::Basic), kind_of_notetype_name);
        if kind.is_none() {
            notes_as_basic += 1;
        }
        let values: Vec<&str> = fields.iter().map(|&i| cell(Some(i))).collect();
        let id = match cell(text.columns.guid) {
            "" => note_id_from_field(values.first().copied().unwrap_or("")),
            // A note Kartu exported keeps its id.
            guid => match guid.strip_prefix(KARTU_GUID_PREFIX) {
                Some(id) if crate::core::ids::is_valid_id(id) => NoteId(id.to_owned()),
                _ => note_id_from_guid(guid),
            },
        };
        let mut tags: Vec<String> = text.tags.clone();
        tags.extend(
            cell(text.columns.tags)
                .split_whitespace()
                .map(str::to_owned),
        );
        let note = note_from_fields(id, kind, &values, html, tags);
        let (deck, name) = match cell(text.columns.deck) {
            "" => (
                default_deck.clone(),
                default_deck_name
                    .clone()
                    .unwrap_or_else(|| default_deck.0.clone()),
            ),
            name => (
                options.deck.clone().unwrap_or_else(|| deck_ids.id(name)),
                name.to_owned(),
            ),
        };
        decks
            .entry(deck)
            .or_insert_with(|| (name, Vec::new()))
            .1
            .push(note);
    }
    // `A::B` sits under `A`, which exists even without notes of its own.
    let names: Vec<String> = if options.deck.is_some() {
        Vec::new()
    } else {
        decks.values().map(|(name, _)| name.clone()).collect()
    };
    for name in names {
        let mut at = super::ids::parent_name(&name);
        while let Some(parent) = at {
            decks
                .entry(deck_ids.id(parent))
                .or_insert_with(|| (parent.to_owned(), Vec::new()));
            at = super::ids::parent_name(parent);
        }
    }
    Ok(Incoming {
        decks: decks
            .into_iter()
            .map(|(id, (name, notes))| NewDeck {
                deck: Deck {
                    format: DECK_FORMAT_VERSION,
                    title: super::ids::deck_title(&name),
                    parent: super::ids::parent_name(&name)
                        .filter(|_| options.deck.is_none())
                        .map(|p| deck_ids.id(p)),
                    id,
                    description: String::new(),
                    language: String::from("und"),
                    version: 1,
                    notes,
                },
                media: Vec::new(),
            })
            .collect(),
        notes_as_basic,
        headerless: true,
        ..Incoming::default()
    })
}
