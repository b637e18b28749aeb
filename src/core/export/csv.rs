//! CSV and TSV: one row per note, with a header row naming the columns Kartu's own CSV import
//! reads back (`id`, `deck`, `kind`, `front`, `back`, `add_reverse`, `notes`, `example`,
//! `tags`). A cloze note's text is its front and its extra its back.

use std::path::Path;

use crate::core::error::{Error, Result};
use crate::core::model::deck::NoteKind;
use crate::core::model::packed::PackedDeck;
use crate::core::storage::atomic::AtomicWriter;

/// The header row.
pub const HEADER: [&str; 9] = [
    "id",
    "deck",
    "kind",
    "front",
    "back",
    "add_reverse",
    "notes",
    "example",
    "tags",
];

/// The characters that make a spreadsheet read a cell as a formula when they start it.
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `cell`, made inert for spreadsheets: one starting like a formula gets a leading `'`
/// (which spreadsheets show as text, and Kartu's CSV import takes off again).
#[must_use]
pub fn inert(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

pub(super) fn write(decks: &[&PackedDeck], path: &Path) -> Result<()> {
    let tsv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv"));
    let mut writer = ::csv::WriterBuilder::new()
        .delimiter(if tsv { b'\t' } else { b',' })
        .from_writer(Vec::new());
    let failed = |err: ::csv::Error| Error::Invalid(format!("{}: {err}", path.display()));
    writer.write_record(HEADER).map_err(failed)?;
    for deck in decks {
        for note in deck.notes() {
            let (front, back) = if note.kind() == NoteKind::Cloze {
                (note.cloze_text(), note.extra())
            } else {
                (note.front(), note.back())
            };
            let tags = note.tags().collect::<Vec<_>>().join(" ");
            let add_reverse = if note.add_reverse() { "y" } else { "" };
            let row = [
                note.id(),
                deck.id.0.as_str(),
                note.kind().as_str(),
                front,
                back,
                add_reverse,
                note.notes().unwrap_or(""),
                note.example().unwrap_or(""),
                &tags,
            ];
            writer
                .write_record(row.iter().map(|cell| inert(cell).into_owned()))
                .map_err(failed)?;
        }
    }
    let bytes = writer
        .into_inner()
        .map_err(|err| Error::Invalid(format!("{}: {err}", path.display())))?;
    let mut file = AtomicWriter::create(path)?;
    file.write(&bytes)?;
    file.finish()
}
