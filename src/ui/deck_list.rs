//! The deck list: today's counts per deck, keyboard selection, Study and Export.

use egui::{Key, RichText};

use super::command::Command;
use super::i18n::{Texts, fill};
use super::theme;
use crate::core::collection::DeckSummary;

/// Shows the deck list. `selected` is the highlighted row (moved with ↑/↓, studied with Enter).
pub fn deck_list_ui(
    ui: &mut egui::Ui,
    decks: &[DeckSummary],
    selected: &mut usize,
    tr: &Texts,
    commands: &mut Vec<Command>,
) {
    ui.heading(tr.decks_heading);
    ui.add_space(theme::SECTION_GAP / 2.0);
    if decks.is_empty() {
        ui.label(tr.no_decks);
        if ui.button(tr.import).clicked() {
            commands.push(Command::ImportDeck);
        }
        return;
    }
    *selected = (*selected).min(decks.len() - 1);
    ui.input(|input| {
        if input.key_pressed(Key::ArrowDown) {
            *selected = (*selected + 1).min(decks.len() - 1);
        }
        if input.key_pressed(Key::ArrowUp) {
            *selected = selected.saturating_sub(1);
        }
    });
    if ui.input(|input| input.key_pressed(Key::Enter))
        && let Some(deck) = decks.get(*selected)
    {
        commands.push(Command::Study(deck.id.clone()));
    }

    egui::Grid::new("deck-list")
        .num_columns(6)
        .striped(true)
        .spacing([24.0, 10.0])
        .show(ui, |ui| {
            ui.strong(tr.column_deck);
            ui.strong(RichText::new(tr.new).color(theme::NEW_COLOR));
            ui.strong(RichText::new(tr.learning).color(theme::LEARNING_COLOR));
            ui.strong(RichText::new(tr.due).color(theme::DUE_COLOR));
            ui.label("");
            ui.label("");
            ui.end_row();
            for (row, deck) in decks.iter().enumerate() {
                let title = ui
                    .selectable_label(row == *selected, RichText::new(&deck.title).size(16.0))
                    .on_hover_text(format!(
                        "{} · {}",
                        deck.id,
                        fill(tr.card_count, &[("n", &deck.card_count.to_string())])
                    ));
                if title.clicked() {
                    *selected = row;
                }
                if title.double_clicked() {
                    commands.push(Command::Study(deck.id.clone()));
                }
                ui.label(RichText::new(deck.counts.new.to_string()).color(theme::NEW_COLOR));
                ui.label(
                    RichText::new(deck.counts.learning.to_string()).color(theme::LEARNING_COLOR),
                );
                ui.label(RichText::new(deck.counts.due.to_string()).color(theme::DUE_COLOR));
                if ui.button(tr.study).clicked() {
                    *selected = row;
                    commands.push(Command::Study(deck.id.clone()));
                }
                if ui.button(tr.export).clicked() {
                    commands.push(Command::ExportDeck(deck.id.clone()));
                }
                ui.end_row();
            }
        });
}
