//! What screens ask the app to do; applied to the core after the frame.

use crate::core::ids::DeckId;
use crate::core::model::card::Rating;
use crate::core::model::settings::Settings;

/// One request from a screen.
#[must_use]
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Start studying a deck.
    Study(DeckId),
    /// Show the answer side.
    Reveal,
    /// Answer the card on screen.
    Answer(Rating),
    /// Take back the last answer.
    Undo,
    /// Back to the deck list.
    ShowDecks,
    /// Open the settings screen.
    ShowSettings,
    /// Save these settings (and the language in them).
    SaveSettings(Settings),
    /// Ask for a deck file to import.
    ImportDeck,
    /// Ask where to export a deck.
    ExportDeck(DeckId),
    /// Open the backups screen.
    ShowBackups,
    /// Replace progress with this backup (the current state is backed up first).
    RestoreBackup(String),
    /// Hide the status message.
    DismissStatus,
    /// Stop a background job (by its worker id); it leaves everything as it was.
    CancelJob(u64),
}
