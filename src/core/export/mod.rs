//! Taking decks out: as a Kartu deck file (`.ron`), a Kartu package (`.kartu`: the deck, its
//! images and, if asked, the learner's progress), CSV or TSV (one row per note), or Anki's
//! "Notes in plain text" (`.txt`, Markdown as HTML, with the columns Anki needs to pick the
//! right note types and decks and to update the same notes when imported again).
//!
//! Every export is written beside its place and moved there when whole: a failed export
//! leaves no half-written file.

pub mod anki_text;
pub mod csv;
pub mod html;
mod kartu;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::core::collection::{Collection, InstalledDeck};
use crate::core::error::{Error, Result};
use crate::core::ids::DeckId;
use crate::core::model::card_states::CardStates;
use crate::core::model::packed::PackedDeck;
use crate::core::storage::format::deck_file;
use crate::core::storage::paths::DataPaths;

/// The formats Kartu exports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// A Kartu package, `.kartu`.
    Kartu,
    /// A Kartu deck file, `.ron`.
    Ron,
    /// CSV (TSV when the file name ends in `.tsv`).
    Csv,
    /// Anki's "Notes in plain text", `.txt`.
    AnkiText,
}

impl ExportFormat {
    /// Every format, as the CLI and the window name them.
    pub const ALL: [Self; 4] = [Self::Kartu, Self::Ron, Self::Csv, Self::AnkiText];

    /// The name `--format` takes.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Kartu => "kartu",
            Self::Ron => "ron",
            Self::Csv => "csv",
            Self::AnkiText => "anki-txt",
        }
    }

    /// The format named `name` (as [`ExportFormat::name`] gives it).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|format| format.name() == name)
    }

    /// The file extension it is usually saved with.
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            Self::Kartu => "kartu",
            Self::Ron => "ron",
            Self::Csv => "csv",
            Self::AnkiText => "txt",
        }
    }

    /// Whether the format can carry the learner's progress.
    #[must_use]
    pub fn carries_progress(self) -> bool {
        self == Self::Kartu
    }

    /// Whether it holds one deck only (else the deck and every deck under it).
    #[must_use]
    pub fn single_deck(self) -> bool {
        matches!(self, Self::Kartu | Self::Ron)
    }
}

/// What an export wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Exported {
    /// Decks written (a CSV or text export holds the deck's sub-decks too).
    pub decks: usize,
    /// Notes (rows) written.
    pub notes: usize,
    /// Cards those notes make.
    pub cards: usize,
    /// Image files written (packages).
    pub media: usize,
    /// Card states written (packages with progress).
    pub card_states: usize,
    /// Reviews written (packages with progress).
    pub reviews: usize,
    /// What the format could not carry, for a person.
    pub warnings: Vec<String>,
}

/// The format a deck is best exported in when the learner does not say: a package when the
/// deck has images, else a deck file.
#[must_use]
pub fn default_format(collection: &Collection, deck: &DeckId) -> ExportFormat {
    let has_media = collection
        .media_dir(deck)
        .and_then(|dir| std::fs::read_dir(dir).ok())
        .is_some_and(|mut entries| entries.next().is_some());
    if has_media {
        ExportFormat::Kartu
    } else {
        ExportFormat::Ron
    }
}

/// Writes `deck` (and, for CSV and text, every deck under it) to `path` in `format`, with the
/// learner's progress when `with_progress` (packages only).
pub fn export(
    collection: &Collection,
    deck: &DeckId,
    format: ExportFormat,
    with_progress: bool,
    path: &Path,
) -> Result<Exported> {
    ExportJob::new(collection, deck, format, with_progress)?.run(path)
}

/// An export, prepared from a collection (what it takes is shared or copied), then written
/// anywhere: the window writes it on its worker.
#[derive(Clone, Debug)]
pub struct ExportJob {
    format: ExportFormat,
    /// The deck, then (for CSV and text) the decks under it.
    decks: Vec<Arc<PackedDeck>>,
    /// Each deck's name in Anki (titles from the top of the tree).
    names: HashMap<DeckId, String>,
    /// The first deck's media folder, if it has one.
    media: Option<PathBuf>,
    /// The first deck's card states, when the export carries progress.
    progress: Option<CardStates>,
    paths: DataPaths,
}

impl ExportJob {
    /// What exporting `deck` in `format` needs (see [`export`]).
    pub fn new(
        collection: &Collection,
        deck: &DeckId,
        format: ExportFormat,
        with_progress: bool,
    ) -> Result<Self> {
        if with_progress && !format.carries_progress() {
            return Err(Error::Invalid(format!(
                "progress travels only in a Kartu package: export with --format kartu, not {}",
                format.name()
            )));
        }
        let decks: Vec<&InstalledDeck> = if format.single_deck() {
            vec![collection.deck(deck)?]
        } else {
            collection.family(deck)?
        };
        Ok(Self {
            format,
            names: decks
                .iter()
                .map(|d| {
                    (
                        d.deck.id.clone(),
                        anki_text::anki_deck_name(collection, &d.deck.id),
                    )
                })
                .collect(),
            decks: decks.iter().map(|d| Arc::clone(&d.deck)).collect(),
            media: collection.media_dir(deck),
            progress: with_progress.then(|| {
                collection
                    .progress()
                    .cards
                    .get(deck)
                    .cloned()
                    .unwrap_or_default()
            }),
            paths: collection.paths().clone(),
        })
    }

    /// Writes the export to `path` (beside it first, then moved there when whole).
    pub fn run(&self, path: &Path) -> Result<Exported> {
        let decks: Vec<&PackedDeck> = self.decks.iter().map(AsRef::as_ref).collect();
        let mut exported = Exported {
            decks: decks.len(),
            ..Exported::default()
        };
        for deck in &decks {
            // Text still in a deck file, read back first: an export never has text missing.
            deck.load_text()?;
            exported.notes += deck.notes().len();
            exported.cards += deck.cards().len();
        }
        let Some(first) = decks.first() else {
            return Ok(exported);
        };
        match self.format {
            ExportFormat::Ron => {
                deck_file::save_deck_file(&first.to_deck()?, path)?;
                exported.media = copy_media(self.media.as_deref(), &path.with_extension("media"))?;
            }
            ExportFormat::Kartu => kartu::write(self, first, path, &mut exported)?,
            ExportFormat::Csv => csv::write(&decks, path)?,
            ExportFormat::AnkiText => anki_text::write(&decks, &self.names, path, &mut exported)?,
        }
        Ok(exported)
    }
}

/// Copies a deck's images (from `media`) into `target` (the `NAME.media/` folder beside a deck file, where
/// Kartu's import looks for them); returns how many.
fn copy_media(media: Option<&Path>, target: &Path) -> Result<usize> {
    let Some(dir) = media.filter(|dir| dir.is_dir()) else {
        return Ok(0);
    };
    let names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|err| Error::io(dir, err))?
        .filter_map(std::result::Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| crate::core::model::media::is_plain_name(name))
        .collect();
    if names.is_empty() {
        return Ok(0);
    }
    std::fs::create_dir_all(target).map_err(|err| Error::io(target, err))?;
    for name in &names {
        let bytes = crate::core::storage::atomic::read_bytes_limited(
            &dir.join(name),
            crate::core::model::media::MAX_IMAGE_BYTES as u64,
        )?;
        crate::core::storage::atomic::atomic_write(&target.join(name), &bytes)?;
    }
    Ok(names.len())
}
