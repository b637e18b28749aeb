//! Reads Anki packages (`.apkg`, `.colpkg`; legacy schema 11 and current
//! schema 18) and Anki's "Notes in plain text" exports, treating every file
//! as hostile, and converts Anki's field HTML to CommonMark.
//!
//! - [`read_package`]: a package into an [`AnkiCollection`] (decks, note
//!   types, notes, cards with FSRS memory, review log, media);
//!   [`read_package_with`] streams the rows to a [`RowSink`] instead.
//! - [`read_notes_text`]: a text export into rows plus which column is what.
//! - [`html_to_markdown`]: one field's HTML into Markdown.
//!
//! Every rejection is one [`AnkiError`] naming the file. Nothing from a
//! file is written anywhere except a private temporary copy of the
//! collection database, deleted when reading ends.
//!
//! ```no_run
//! use std::path::Path;
//! use kartu::core::import::anki::{Limits, html_to_markdown, read_package};
//!
//! let collection = read_package(Path::new("deck.apkg"), &Limits::default())?;
//! for note in &collection.notes {
//!     let front = note.fields.first().map(|f| html_to_markdown(f));
//!     println!("{front:?}");
//! }
//! # Ok::<(), kartu::core::import::anki::AnkiError>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![allow(
    clippy::module_name_repetitions,
    reason = "Anki* type names mirror Anki's own vocabulary"
)]
#![allow(
    clippy::missing_errors_doc,
    reason = "every public function fails only with AnkiError, documented there"
)]

mod archive;
mod card_data;
mod collection;
mod entities;
mod error;
mod escape;
mod html;
mod limits;
mod markdown;
mod media;
mod model;
mod package;
mod proto;
mod records;
mod schema11;
mod schema18;
mod sqlite;
mod text;

pub use error::AnkiError;
pub use html::html_to_markdown;
pub use limits::{Limits, TextLimits};
pub use model::{
    AnkiCard, AnkiCollection, AnkiDeck, AnkiMedia, AnkiNote, AnkiNotetype, AnkiRevlog,
    AnkiTemplate, CardQueue, CardType, DeckKind, MemoryState, NotetypeKind, RevlogKind, RowKind,
    RowSink, Schema,
};
pub use package::{read_package, read_package_with};
pub use text::{NotesText, Separator, TextColumns, TextRow, read_notes_text};
