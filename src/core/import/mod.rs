//! Bringing decks in: Kartu deck files (`.ron`) and packages (`.kartu`), CSV and TSV, Anki's
//! "Notes in plain text" (`.txt`), and Anki packages (`.apkg`, `.colpkg`) with the learner's
//! progress.
//!
//! Every file is hostile until checked: sizes are capped before parsing, archives are read
//! only by the entry names expected and through byte limits, SQLite is opened read-only on a
//! private copy, and images are checked before anything decodes them. Reading produces an
//! [`Incoming`] and writes nothing; [`plan`] says what installing it would change (added,
//! changed and removed notes per deck); [`install`] puts it in place, all or nothing.

pub mod anki;
mod anki_package;
mod anki_text;
mod csv;
pub mod ids;
mod kartu;
mod plan;

use std::path::Path;

pub use self::csv::{Column, CsvLayout, CsvPreview, preview_csv};
pub use plan::{
    DeckChanges, InstalledDecks, NoteChange, NoteSummary, Plan, adopt_installed, check_against,
    check_notes, install, plan, plan_listing, prepare,
};

use crate::core::collection::{NewDeck, NewHistory};
use crate::core::error::{Error, Result};
use crate::core::ids::DeckId;
use crate::core::time::{DayClock, Timestamp};

/// The file formats Kartu imports, by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A Kartu deck file, `.ron`.
    Kartu,
    /// A Kartu package, `.kartu`: a deck file with its media (and optionally progress).
    KartuPackage,
    /// Comma- (or semicolon-, pipe-) separated values, `.csv`.
    Csv,
    /// Tab-separated values, `.tsv`.
    Tsv,
    /// Anki's "Notes in plain text" export, `.txt`.
    AnkiText,
    /// An Anki deck package, `.apkg`, or collection package, `.colpkg`.
    AnkiPackage,
}

impl Format {
    /// Every extension Kartu imports (the file dialog's filter).
    pub const EXTENSIONS: [&'static str; 7] =
        ["ron", "kartu", "csv", "tsv", "txt", "apkg", "colpkg"];

    /// The format of `path`, by its extension.
    #[must_use]
    pub fn of(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "ron" => Self::Kartu,
            "kartu" => Self::KartuPackage,
            "csv" => Self::Csv,
            "tsv" | "tab" => Self::Tsv,
            "txt" => Self::AnkiText,
            "apkg" | "colpkg" => Self::AnkiPackage,
            _ => return None,
        })
    }
}

/// How to read a file.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The deck every note goes into (CSV, text and Anki files), or the id a Kartu file's
    /// deck is installed under; else the decks the file names, or one named after the file.
    pub deck: Option<DeckId>,
    /// For CSV and TSV: the layout chosen in the window's preview (else detected).
    pub csv: Option<CsvLayout>,
    /// The learner-day clock, to place Anki due dates on learner days.
    pub clock: Option<DayClock>,
    /// The time of the import (buried cards stay buried until the next day).
    pub now: Timestamp,
}

/// Reports progress and hears a cancel, from a long read.
#[derive(Clone, Copy)]
pub struct Monitor<'a> {
    /// `done` of `total` units.
    pub progress: &'a dyn Fn(u64, u64),
    /// Whether the learner asked to stop.
    pub cancelled: &'a dyn Fn() -> bool,
}

impl Monitor<'_> {
    /// A monitor that reports nowhere and never cancels.
    #[must_use]
    pub fn silent() -> Monitor<'static> {
        Monitor {
            progress: &|_, _| {},
            cancelled: &|| false,
        }
    }

    fn check(&self) -> Result<()> {
        if (self.cancelled)() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }
}

/// What a file holds, read and checked, not yet installed.
#[derive(Clone, Debug, Default)]
pub struct Incoming {
    /// The decks, with their media.
    pub decks: Vec<NewDeck>,
    /// The learner's progress in the file, if it carries some.
    pub history: Option<NewHistory>,
    /// Notes of note types Kartu has no kind for, imported as basic notes from their first
    /// two fields.
    pub notes_as_basic: usize,
    /// Things left out, for a person (an image over the cap).
    pub warnings: Vec<String>,
    /// Whether the file has no deck headers (CSV, text, Anki): a deck installed already
    /// keeps its title, description, language and place in the tree, and its version goes
    /// up when its notes change.
    pub headerless: bool,
}

/// Reads `path` (its format by extension) into an [`Incoming`]; writes nothing.
pub fn read(path: &Path, options: &Options, monitor: Monitor<'_>) -> Result<Incoming> {
    let format = Format::of(path).ok_or_else(|| {
        Error::Invalid(format!(
            "{}: Kartu imports .{} files",
            path.display(),
            Format::EXTENSIONS.join(", .")
        ))
    })?;
    let mut incoming = match format {
        Format::Kartu => kartu::read_deck_file(path)?,
        Format::KartuPackage => kartu::read_package(path, monitor)?,
        Format::Csv | Format::Tsv => csv::read(path, options, monitor)?,
        Format::AnkiText => anki_text::read(path, options, monitor)?,
        Format::AnkiPackage => anki_package::read(path, options, monitor)?,
    };
    // `--deck` names the deck a single-deck file goes into.
    if let Some(deck) = &options.deck
        && incoming.decks.len() == 1
        && matches!(
            format,
            Format::Kartu | Format::KartuPackage | Format::AnkiPackage
        )
    {
        let old = std::mem::replace(&mut incoming.decks[0].deck.id, deck.clone());
        if let Some(history) = &mut incoming.history {
            for (card_deck, _, _) in &mut history.cards {
                if *card_deck == old {
                    card_deck.clone_from(deck);
                }
            }
            for review in &mut history.reviews {
                if review.deck == old {
                    review.deck.clone_from(deck);
                }
            }
        }
    }
    Ok(incoming)
}
