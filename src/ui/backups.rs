//! The backups screen: every backup with its date and counts, and Restore.

use egui::{Key, Modifiers};

use super::command::Command;
use super::i18n::{Texts, fill};
use super::theme;
use crate::core::storage::backup::BackupInfo;

/// Lists `backups` (newest first); `when` formats a backup's time for the learner.
pub fn backups_ui(
    ui: &mut egui::Ui,
    backups: &[BackupInfo],
    when: &dyn Fn(&BackupInfo) -> String,
    tr: &Texts,
    commands: &mut Vec<Command>,
) {
    if ui.input_mut(|input| input.consume_key(Modifiers::NONE, Key::Escape)) {
        commands.push(Command::ShowDecks);
    }
    ui.horizontal(|ui| {
        if ui.button(tr.back_to_decks).clicked() {
            commands.push(Command::ShowDecks);
        }
        ui.heading(tr.backups);
    });
    ui.label(tr.backups_help);
    ui.add_space(theme::SECTION_GAP / 2.0);
    if backups.is_empty() {
        ui.label(tr.no_backups);
        return;
    }
    egui::Grid::new("backups")
        .num_columns(4)
        .striped(true)
        .spacing([24.0, 8.0])
        .show(ui, |ui| {
            ui.strong(tr.backup_made);
            ui.strong(tr.backup_cards);
            ui.strong(tr.backup_reviews);
            ui.label("");
            ui.end_row();
            for backup in backups {
                ui.label(when(backup));
                ui.label(backup.cards.to_string());
                ui.label(backup.reviews.to_string());
                let restore = ui
                    .button(tr.restore)
                    .on_hover_text(fill(tr.restore_help, &[("when", &when(backup))]));
                if restore.clicked() {
                    commands.push(Command::RestoreBackup(backup.id.clone()));
                }
                ui.end_row();
            }
        });
}
