//! The export screen: the format (a Kartu package, a deck file, CSV or Anki text) and, for a
//! package, whether the learner's progress goes with it; then the save dialog.

use super::command::Command;
use super::i18n::{Texts, fill};
use super::theme;
use crate::core::export::ExportFormat;
use crate::core::ids::DeckId;

/// What the export screen edits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportDraft {
    /// The deck.
    pub deck: DeckId,
    /// Its title.
    pub title: String,
    /// The format chosen.
    pub format: ExportFormat,
    /// Whether progress goes too (packages only).
    pub with_progress: bool,
}

/// Shows the export screen.
pub fn export_ui(
    ui: &mut egui::Ui,
    draft: &mut ExportDraft,
    tr: &Texts,
    commands: &mut Vec<Command>,
) {
    let t = tr.transfer;
    ui.heading(fill(t.export_heading, &[("title", &draft.title)]));
    ui.add_space(theme::SECTION_GAP / 2.0);
    for (format, label) in ExportFormat::ALL.into_iter().zip(t.formats) {
        ui.radio_value(&mut draft.format, format, label);
    }
    ui.add_space(theme::SECTION_GAP / 2.0);
    if !draft.format.carries_progress() {
        draft.with_progress = false;
    }
    ui.add_enabled(
        draft.format.carries_progress(),
        egui::Checkbox::new(&mut draft.with_progress, t.with_progress),
    );
    ui.add_space(theme::SECTION_GAP);
    ui.horizontal(|ui| {
        if ui.button(t.save_as).clicked() {
            commands.push(Command::ExportTo(draft.clone()));
        }
        if ui.button(tr.cancel).clicked() {
            commands.push(Command::ShowDecks);
        }
    });
    if ui.input(|input| input.key_pressed(egui::Key::Escape)) {
        commands.push(Command::ShowDecks);
    }
}
