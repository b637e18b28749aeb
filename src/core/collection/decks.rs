//! The collection's decks: finding them, installing one, importing and exporting deck files,
//! and setting aside deck files that do not parse.

use std::fs;
use std::path::{Path, PathBuf};

use super::installed::{DeckSource, InstalledDeck, sort_decks};
use super::{Collection, ImportOutcome};
use crate::core::error::{Error, Result};
use crate::core::ids::{CardId, DeckId};
use crate::core::model::packed::{CardRef, PackedDeck};
use crate::core::model::progress::Progress;
use crate::core::storage::atomic;
use crate::core::storage::format::deck_file;
use crate::core::time::Timestamp;

impl Collection {
    /// Installed decks, sorted by title then id.
    #[must_use]
    pub fn decks(&self) -> &[InstalledDeck] {
        &self.decks
    }

    /// The installed deck with this id.
    pub fn deck(&self, id: &DeckId) -> Result<&InstalledDeck> {
        self.decks
            .iter()
            .find(|d| &d.deck.id == id)
            .ok_or_else(|| Error::UnknownDeck(id.0.clone()))
    }

    /// A card of an installed deck.
    pub fn card(&self, deck: &DeckId, card: &CardId) -> Result<CardRef<'_>> {
        self.deck(deck)?
            .card(card)
            .ok_or_else(|| Error::UnknownCard {
                deck: deck.0.clone(),
                card: card.0.clone(),
            })
    }

    /// Replaces progress in memory and requeues every deck.
    pub(super) fn set_progress(&mut self, progress: Progress) {
        self.progress = progress;
        for installed in &mut self.decks {
            installed.rebuild_queues(self.progress.cards.get(&installed.deck.id));
        }
    }

    /// Installs (or replaces) a deck, queued from the progress in memory.
    pub(crate) fn install_deck(&mut self, deck: PackedDeck, source: DeckSource) {
        let mut installed = InstalledDeck::new(deck, source);
        installed.rebuild_queues(self.progress.cards.get(&installed.deck.id));
        self.install_built(installed);
    }

    /// Installs (or replaces) a deck already indexed and queued from the progress in memory
    /// (built off this thread by an import).
    pub(crate) fn install_built(&mut self, installed: InstalledDeck) {
        self.decks.retain(|d| d.deck.id != installed.deck.id);
        self.decks.push(installed);
        sort_decks(&mut self.decks);
    }

    /// Deck files in `decks/` that do not parse, with the error naming path, line and column.
    #[must_use]
    pub fn unreadable_decks(&self) -> &[(PathBuf, String)] {
        &self.unreadable_decks
    }

    /// Moves deck files that do not parse aside (`NAME.ron.unreadable-ID`, no longer loaded),
    /// so the learner sees what happened once and the teacher's file is kept. Returns the
    /// file each went to, with its error. Writers only.
    pub fn set_aside_unreadable_decks(&mut self, now: Timestamp) -> Result<Vec<(PathBuf, String)>> {
        self.require_writer()?;
        let suffix = format!("unreadable-{}", now.compact_id());
        let mut moved = Vec::new();
        for (path, error) in std::mem::take(&mut self.unreadable_decks) {
            let aside = atomic::set_aside_name(&path, &suffix);
            fs::rename(&path, &aside).map_err(|err| Error::io(&path, err))?;
            self.problems.retain(|p| !p.starts_with(&error));
            moved.push((aside, error));
        }
        Ok(moved)
    }

    /// Validates a deck file and installs it into the data directory; nothing is written when
    /// the file has any problem. A deck with the same id is replaced (progress is kept, being
    /// keyed by card id) unless the installed version is newer.
    pub fn import_deck_file(&mut self, path: &Path) -> Result<ImportOutcome> {
        self.require_writer()?;
        let deck = deck_file::load_deck_file(path)?;
        let replaced_version = self.deck(&deck.id).ok().map(|d| d.deck.version);
        if let Some(installed) = replaced_version
            && installed > deck.version
        {
            return Err(Error::OlderVersion {
                path: path.to_path_buf(),
                deck: deck.id.0.clone(),
                version: deck.version,
                installed,
            });
        }
        self.paths.create_dirs()?;
        let target = self.paths.deck_file(&deck.id);
        deck_file::save_deck_file(&deck, &target)?;
        let outcome = ImportOutcome {
            deck: deck.id.clone(),
            title: deck.title.clone(),
            card_count: deck.card_count(),
            replaced_version,
        };
        self.install_deck(PackedDeck::from_deck(&deck), DeckSource::File(target));
        Ok(outcome)
    }

    /// Writes an installed deck to `path` as a deck file.
    pub fn export_deck(&self, deck: &DeckId, path: &Path) -> Result<()> {
        deck_file::save_deck_file(&self.deck(deck)?.deck.to_deck()?, path)
    }
}
