//! The deck list: the deck tree with today's counts, keyboard selection and folding, Study
//! and Export.

use std::collections::BTreeSet;

use egui::{Key, RichText};

use super::command::Command;
use super::i18n::{Texts, fill};
use super::theme;
use crate::core::collection::DeckSummary;

/// Shows the deck list as a tree: sub-decks indented under their parent (whose counts include
/// theirs), foldable. `selected` is the highlighted row (moved with ↑/↓, folded with ←/→,
/// studied with Enter); `collapsed` holds the ids of folded decks.
pub fn deck_list_ui(
    ui: &mut egui::Ui,
    decks: &[DeckSummary],
    first_time: bool,
    collapsed: &BTreeSet<String>,
    selected: &mut usize,
    tr: &Texts,
    commands: &mut Vec<Command>,
) {
    ui.heading(tr.decks_heading);
    ui.add_space(theme::SECTION_GAP / 2.0);
    if first_time {
        ui.label(RichText::new(tr.help.first_steps).color(theme::NEW_COLOR));
        ui.add_space(theme::SECTION_GAP / 2.0);
    }
    if decks.is_empty() {
        ui.label(tr.no_decks);
        if ui.button(tr.import).clicked() {
            commands.push(Command::ImportDeck);
        }
        return;
    }
    let has_children = |row: usize| {
        decks
            .get(row + 1)
            .is_some_and(|next| next.depth > decks[row].depth)
    };
    // Rows under a folded deck are hidden.
    let mut visible = Vec::with_capacity(decks.len());
    let mut folded_at: Option<usize> = None;
    for (row, deck) in decks.iter().enumerate() {
        if folded_at.is_some_and(|depth| deck.depth > depth) {
            continue;
        }
        folded_at = (collapsed.contains(&deck.id.0) && has_children(row)).then_some(deck.depth);
        visible.push(row);
    }
    if !visible.contains(selected) {
        // The selected deck was folded away: select the visible row above it.
        *selected = visible
            .iter()
            .rev()
            .find(|&&row| row <= *selected)
            .copied()
            .unwrap_or(visible[0]);
    }
    let at = visible.iter().position(|row| row == selected).unwrap_or(0);
    // With a control focused (Tab), Enter and the arrows are the control's.
    let free = ui.memory(|m| m.focused().is_none());
    ui.input(|input| {
        if !free {
            return;
        }
        if input.key_pressed(Key::ArrowDown) {
            *selected = visible[(at + 1).min(visible.len() - 1)];
        }
        if input.key_pressed(Key::ArrowUp) {
            *selected = visible[at.saturating_sub(1)];
        }
        let folded = collapsed.contains(&decks[*selected].id.0);
        if has_children(*selected)
            && ((input.key_pressed(Key::ArrowLeft) && !folded)
                || (input.key_pressed(Key::ArrowRight) && folded))
        {
            commands.push(Command::ToggleDeck(decks[*selected].id.clone()));
        }
    });
    if free
        && ui.input(|input| input.key_pressed(Key::Enter))
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
            for &row in &visible {
                let deck = &decks[row];
                ui.horizontal(|ui| {
                    ui.add_space(theme::TREE_INDENT * deck.depth as f32);
                    // The fold button's slot is there for every row, so titles line up.
                    let height = ui.spacing().interact_size.y;
                    let (slot, _) = ui.allocate_exact_size(
                        egui::vec2(theme::TREE_INDENT, height),
                        egui::Sense::hover(),
                    );
                    if has_children(row) {
                        let folded = collapsed.contains(&deck.id.0);
                        let (arrow, hint) = if folded {
                            ("+", tr.unfold)
                        } else {
                            ("−", tr.fold)
                        };
                        let button = ui.put(slot, egui::Button::new(arrow).small());
                        if button.on_hover_text(hint).clicked() {
                            commands.push(Command::ToggleDeck(deck.id.clone()));
                        }
                    }
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
                });
                ui.label(RichText::new(deck.counts.new.to_string()).color(theme::NEW_COLOR));
                ui.label(
                    RichText::new(deck.counts.learning.to_string()).color(theme::LEARNING_COLOR),
                );
                ui.label(RichText::new(deck.counts.due.to_string()).color(theme::DUE_COLOR));
                if ui.button(tr.study).clicked() {
                    *selected = row;
                    commands.push(Command::Study(deck.id.clone()));
                }
                ui.horizontal(|ui| {
                    if ui.button(tr.edit.add_note).clicked() {
                        commands.push(Command::AddNote(deck.id.clone()));
                    }
                    if ui.button(tr.edit.edit_deck).clicked() {
                        commands.push(Command::EditDeck(deck.id.clone()));
                    }
                    if ui.button(tr.deck_options.open).clicked() {
                        commands.push(Command::DeckOptions(deck.id.clone()));
                    }
                    if ui.button(tr.export).clicked() {
                        commands.push(Command::ExportDeck(deck.id.clone()));
                    }
                });
                ui.end_row();
            }
        });
}
