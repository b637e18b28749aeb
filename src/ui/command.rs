//! What screens ask the app to do; applied to the core after the frame.

use super::export::ExportDraft;
use crate::core::ids::DeckId;
use crate::core::import::CsvLayout;
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
    /// Take back the last action (an answer, or a change to cards).
    Undo,
    /// Do the last action taken back again.
    Redo,
    /// Suspend the card on screen in study.
    SuspendCurrent,
    /// Open the card browser.
    ShowBrowser,
    /// Open the statistics screen.
    ShowStats,
    /// Fit this preset's FSRS parameters to its decks' review history (on the worker).
    Optimize(String),
    /// Score this preset's FSRS parameters on its decks' history (on the worker).
    Evaluate(String),
    /// Run the workload simulator on the worker for this preset's decks.
    Simulate(String),
    /// The deck options screen of this deck (its preset, and the presets).
    DeckOptions(DeckId),
    /// Open the editor to add a note to this deck.
    AddNote(DeckId),
    /// Open the editor on this card's note.
    EditCard(DeckId, crate::core::ids::CardId),
    /// Edit the note of the card on screen (study) or the one selected (browser).
    EditCurrent,
    /// Add or save the note in the editor.
    SaveNote,
    /// Put a copy of the note in the editor, to edit.
    DuplicateNote,
    /// Delete the note in the editor (asked first).
    DeleteNote,
    /// Pick an image and put it in the note in the editor.
    InsertImage,
    /// Leave the editor (back where it was opened from).
    CloseEditor,
    /// Open the deck screen for a new deck (under this one).
    NewDeck(Option<DeckId>),
    /// Open the deck screen for this deck.
    EditDeck(DeckId),
    /// Save the deck screen.
    SaveDeck,
    /// Delete the deck on the deck screen (asked first).
    DeleteDeck,
    /// Suspend (`true`) or unsuspend the cards selected in the browser.
    SuspendSelected(bool),
    /// Bury the cards selected in the browser until tomorrow.
    BurySelected,
    /// Make the cards selected in the browser new again (asked first).
    ForgetSelected,
    /// Add (`true`) or remove these tags (separated by spaces) on the selected cards' notes.
    TagSelected(bool, String),
    /// Delete the selected cards' notes (asked first).
    DeleteSelected,
    /// Move the selected cards' notes (all their cards) to this deck.
    MoveSelected(DeckId),
    /// Bury the card on screen in study until tomorrow.
    BuryCurrent,
    /// Back to the deck list.
    ShowDecks,
    /// Open the settings screen.
    ShowSettings,
    /// Save these settings (and the language in them).
    SaveSettings(Settings),
    /// Ask for a file to import (any format Kartu reads).
    ImportDeck,
    /// Read this file for import (from `kartu FILE`, or handed over by a second one).
    OpenFile(std::path::PathBuf),
    /// Install what the import screen shows.
    ConfirmImport,
    /// Leave the import screen; nothing changes.
    CancelImport,
    /// Read the CSV file on the import screen again with this mapping.
    RereadImport(CsvLayout),
    /// Open the export screen for a deck.
    ExportDeck(DeckId),
    /// Ask where to save the export the screen describes, then write it.
    ExportTo(ExportDraft),
    /// Fold or unfold a deck's sub-decks in the list.
    ToggleDeck(DeckId),
    /// Open the backups screen.
    ShowBackups,
    /// Replace progress with this backup (the current state is backed up first).
    RestoreBackup(String),
    /// Hide the status message.
    DismissStatus,
    /// Stop a background job (by its worker id); it leaves everything as it was.
    CancelJob(u64),
}
