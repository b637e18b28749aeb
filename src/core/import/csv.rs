//! CSV and TSV: one note per row. The separator (`,` `;` tab `|`) and a header row are
//! detected; a header names the columns (`front`, `back`, `notes`, `example`, `tags`, `id`,
//! `deck`, `kind`, `text`, `extra`, `add_reverse`), else the columns are front, back, then ignored. The
//! window's preview lets the learner change the mapping. UTF-8 with or without a BOM; a file
//! that is not UTF-8, or a row with a different number of cells, is an error naming its line,
//! and nothing is imported.

use std::collections::BTreeMap;
use std::path::Path;

use super::ids::note_id_from_field;
use super::{Incoming, Monitor, Options};
use crate::core::collection::NewDeck;
use crate::core::error::{Error, Result, TextPosition};
use crate::core::export::csv::FORMULA_STARTS;
use crate::core::ids::DeckId;
use crate::core::model::deck::{DECK_FORMAT_VERSION, Deck, Note, NoteId, NoteKind};
use crate::core::storage::atomic;

/// CSV files larger than this are refused before reading.
pub const MAX_CSV_BYTES: u64 = 256 * 1024 * 1024;

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    /// Nothing: ignored.
    Ignore,
    /// The front (or a cloze note's text).
    Front,
    /// The back (or a cloze note's extra).
    Back,
    /// Notes shown with the answer.
    Notes,
    /// An example shown with the answer.
    Example,
    /// Tags, separated by spaces.
    Tags,
    /// The note's id (else one is made from the front).
    Id,
    /// The deck's id or name (else `--deck`, or the file's name).
    Deck,
    /// The note kind: `basic`, `reversed`, `optional_reversed`, `cloze`.
    Kind,
    /// For an optional-reversed note: not empty to make the reverse card too.
    AddReverse,
}

impl Column {
    /// Every choice, in the order the preview offers them.
    pub const ALL: [Self; 10] = [
        Self::Ignore,
        Self::Front,
        Self::Back,
        Self::Notes,
        Self::Example,
        Self::Tags,
        Self::Id,
        Self::Deck,
        Self::Kind,
        Self::AddReverse,
    ];

    /// The header word for the column (what a header row may say).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Ignore => "ignore",
            Self::Front => "front",
            Self::Back => "back",
            Self::Notes => "notes",
            Self::Example => "example",
            Self::Tags => "tags",
            Self::Id => "id",
            Self::Deck => "deck",
            Self::Kind => "kind",
            Self::AddReverse => "add_reverse",
        }
    }

    fn from_header(cell: &str) -> Option<Self> {
        let word = cell.trim().to_ascii_lowercase();
        Some(match word.as_str() {
            "front" | "question" | "text" => Self::Front,
            "back" | "answer" | "extra" => Self::Back,
            "notes" | "note" => Self::Notes,
            "example" => Self::Example,
            "tags" | "tag" => Self::Tags,
            "id" | "guid" => Self::Id,
            "deck" => Self::Deck,
            "kind" | "type" | "note type" | "notetype" => Self::Kind,
            "add_reverse" | "add reverse" => Self::AddReverse,
            _ => return None,
        })
    }
}

/// How a CSV file is read: its separator, whether the first row is a header, and what each
/// column holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvLayout {
    /// The separator byte.
    pub separator: u8,
    /// Whether the first row names the columns (and is not a note).
    pub header: bool,
    /// What each column holds.
    pub columns: Vec<Column>,
}

/// The first rows of a CSV file and the layout detected, for the window's preview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvPreview {
    /// The detected layout (the preview may change it).
    pub layout: CsvLayout,
    /// The first rows, as cells (the header row included, if any).
    pub rows: Vec<Vec<String>>,
}

fn bad(path: &Path, line: usize, message: impl Into<String>) -> Error {
    Error::Parse {
        path: path.to_path_buf(),
        position: Some(TextPosition { line, col: 1 }),
        message: message.into(),
    }
}

/// The file as text: UTF-8, a BOM dropped. Not UTF-8 is an error at the line it starts on.
fn text(path: &Path) -> Result<String> {
    let bytes = atomic::read_bytes_limited(path, MAX_CSV_BYTES)?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(err) => {
            let line = bytecount_lines(&bytes[..err.valid_up_to()]) + 1;
            Err(bad(path, line, "not UTF-8 text (save the file as UTF-8)"))
        }
    }
}

/// Line breaks in `bytes`.
fn bytecount_lines(bytes: &[u8]) -> usize {
    bytes.split(|b| *b == b'\n').count() - 1
}

/// The separator that splits the first lines into the same number of cells, the most.
fn detect_separator(text: &str, tsv: bool) -> u8 {
    if tsv {
        return b'\t';
    }
    let sample: String = text.lines().take(20).collect::<Vec<_>>().join("\n");
    let mut best = (b',', 0usize);
    for separator in [b'\t', b',', b';', b'|'] {
        let mut reader = ::csv::ReaderBuilder::new()
            .delimiter(separator)
            .has_headers(false)
            .flexible(true)
            .from_reader(sample.as_bytes());
        let widths: Vec<usize> = reader
            .records()
            .map_while(std::result::Result::ok)
            .map(|r| r.len())
            .collect();
        let Some(&first) = widths.first() else {
            continue;
        };
        if first > 1 && widths.iter().all(|&w| w == first) && first > best.1 {
            best = (separator, first);
        }
    }
    best.0
}

/// The layout of a file's first row: a header if it names known columns.
fn detect_layout(first: &[String], separator: u8) -> CsvLayout {
    let named: Vec<Option<Column>> = first.iter().map(|c| Column::from_header(c)).collect();
    let header = named.iter().filter(|c| c.is_some()).count() >= 1
        && named.iter().any(|c| matches!(c, Some(Column::Front)));
    let columns = if header {
        named
            .into_iter()
            .map(|c| c.unwrap_or(Column::Ignore))
            .collect()
    } else {
        (0..first.len())
            .map(|i| match i {
                0 => Column::Front,
                1 => Column::Back,
                _ => Column::Ignore,
            })
            .collect()
    };
    CsvLayout {
        separator,
        header,
        columns,
    }
}

fn reader(text: &str, separator: u8) -> ::csv::Reader<&[u8]> {
    ::csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(false)
        .from_reader(text.as_bytes())
}

/// The first `rows` rows of a CSV file and its detected layout.
pub fn preview_csv(path: &Path, rows: usize) -> Result<CsvPreview> {
    let text = text(path)?;
    let tsv = super::Format::of(path) == Some(super::Format::Tsv);
    let separator = detect_separator(&text, tsv);
    let mut found = Vec::new();
    for record in reader(&text, separator).records().take(rows) {
        let record = record.map_err(|err| csv_error(path, &err))?;
        found.push(record.iter().map(str::to_owned).collect::<Vec<_>>());
    }
    let layout = detect_layout(found.first().map_or(&[][..], Vec::as_slice), separator);
    Ok(CsvPreview {
        layout,
        rows: found,
    })
}

fn csv_error(path: &Path, err: &::csv::Error) -> Error {
    let line = err
        .position()
        .map_or(1, |p| usize::try_from(p.line()).unwrap_or(1));
    let message = match err.kind() {
        ::csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("this row has {len} cells, the rows before it {expected_len}"),
        _ => err.to_string(),
    };
    bad(path, line, message)
}

/// Reads a CSV or TSV file into notes, grouped by deck.
pub(super) fn read(path: &Path, options: &Options, monitor: Monitor<'_>) -> Result<Incoming> {
    let text = text(path)?;
    let tsv = super::Format::of(path) == Some(super::Format::Tsv);
    let layout = if let Some(layout) = &options.csv {
        layout.clone()
    } else {
        let separator = detect_separator(&text, tsv);
        let first: Vec<String> = reader(&text, separator)
            .records()
            .next()
            .transpose()
            .map_err(|err| csv_error(path, &err))?
            .map(|r| r.iter().map(str::to_owned).collect())
            .unwrap_or_default();
        detect_layout(&first, separator)
    };
    if !layout.columns.contains(&Column::Front) {
        return Err(Error::Invalid(format!(
            "{}: no column is the front; choose one",
            path.display()
        )));
    }
    let default_deck = options.deck.clone().unwrap_or_else(|| {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("imported");
        super::ids::DeckIds::default().id(stem)
    });
    let column = |wanted: Column| layout.columns.iter().position(|c| *c == wanted);
    let (front, back, notes_col, example, tags, id, deck_col, kind_col, add_reverse) = (
        column(Column::Front),
        column(Column::Back),
        column(Column::Notes),
        column(Column::Example),
        column(Column::Tags),
        column(Column::Id),
        column(Column::Deck),
        column(Column::Kind),
        column(Column::AddReverse),
    );
    let total = text.len() as u64;
    let mut decks: BTreeMap<DeckId, Vec<Note>> = BTreeMap::new();
    let mut deck_ids = super::ids::DeckIds::default();
    let mut seen: BTreeMap<(DeckId, NoteId), usize> = BTreeMap::new();
    let mut record = ::csv::StringRecord::new();
    let mut reader = reader(&text, layout.separator);
    let mut row = 0usize;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(err) => return Err(csv_error(path, &err)),
        }
        row += 1;
        let line = record
            .position()
            .map_or(row, |p| usize::try_from(p.line()).unwrap_or(row));
        if row == 1 && layout.header {
            continue;
        }
        if row.is_multiple_of(4096) {
            monitor.check()?;
            (monitor.progress)(record.position().map_or(0, ::csv::Position::byte), total);
        }
        let cell = |index: Option<usize>| {
            let cell = index.and_then(|i| record.get(i)).unwrap_or("");
            // Kartu's CSV export makes formula-like cells inert with a leading `'`.
            match cell.strip_prefix('\'') {
                Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
                _ => cell.trim(),
            }
        };
        let first = cell(front);
        if first.is_empty() && record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let kind = match kind_col.map(|i| record.get(i).unwrap_or("").trim()) {
            None | Some("") => NoteKind::Basic,
            Some(word) => NoteKind::from_word(&word.to_ascii_lowercase().replace(' ', "_"))
                .ok_or_else(|| bad(path, line, format!("unknown note kind {word:?}")))?,
        };
        let note_id = match cell(id) {
            "" => note_id_from_field(first),
            given if crate::core::ids::is_valid_id(given) => NoteId(given.to_owned()),
            given => super::ids::note_id_from_guid(given),
        };
        let deck = match cell(deck_col) {
            // `--deck` puts every row in one deck.
            _ if options.deck.is_some() => default_deck.clone(),
            "" => default_deck.clone(),
            name if crate::core::ids::is_valid_id(name) => DeckId(name.to_owned()),
            name => deck_ids.id(name),
        };
        let optional = |index: Option<usize>| {
            Some(cell(index))
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
        };
        let mut note = Note {
            id: note_id.clone(),
            kind,
            notes: optional(notes_col),
            example: optional(example),
            tags: cell(tags).split_whitespace().map(str::to_owned).collect(),
            ..Note::default()
        };
        if kind == NoteKind::Cloze {
            first.clone_into(&mut note.text);
            cell(back).clone_into(&mut note.extra);
        } else {
            first.clone_into(&mut note.front);
            cell(back).clone_into(&mut note.back);
            note.add_reverse = kind == NoteKind::OptionalReversed && !cell(add_reverse).is_empty();
        }
        if let Err(problem) = crate::core::model::deck::check_notes(std::iter::once(
            crate::core::model::deck::NoteView::of(&note),
        )) {
            return Err(bad(path, line, problem.message));
        }
        let notes = decks.entry(deck.clone()).or_default();
        // A repeated row (the same id) replaces the earlier one: the last wins.
        if let Some(&at) = seen.get(&(deck.clone(), note_id.clone())) {
            notes[at] = note;
        } else {
            seen.insert((deck, note_id), notes.len());
            notes.push(note);
        }
    }
    (monitor.progress)(total, total);
    Ok(Incoming {
        decks: decks
            .into_iter()
            .map(|(id, notes)| NewDeck {
                deck: Deck {
                    format: DECK_FORMAT_VERSION,
                    title: id.0.clone(),
                    id,
                    description: String::new(),
                    language: String::from("und"),
                    version: 1,
                    parent: None,
                    notes,
                },
                media: Vec::new(),
            })
            .collect(),
        headerless: true,
        ..Incoming::default()
    })
}
