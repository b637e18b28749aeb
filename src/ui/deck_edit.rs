//! The deck screen: a new deck, or a deck's title, description, language and place in the
//! tree; a new sub-deck inside it; deleting it (asks first; undo brings it back).

use egui::RichText;

use super::command::Command;
use super::i18n::{Texts, fill};
use super::theme;
use crate::core::ids::DeckId;
use crate::core::model::edit::DeckHeader;

/// What the deck screen edits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeckDraft {
    /// The header being edited (a new deck's id is made from its title when saved).
    pub header: DeckHeader,
    /// Whether the deck does not exist yet.
    pub is_new: bool,
    /// Delete asks first: asking now.
    pub confirm_delete: bool,
}

/// What the deck screen shows besides its draft.
pub struct DeckView<'a> {
    /// Decks it can sit under (not itself or its sub-decks): id and title.
    pub parents: &'a [(DeckId, String)],
    /// Cards it holds (sub-decks' included).
    pub cards: usize,
}

/// Shows the deck screen.
pub fn deck_edit_ui(
    ui: &mut egui::Ui,
    draft: &mut DeckDraft,
    view: &DeckView<'_>,
    tr: &Texts,
    commands: &mut Vec<Command>,
) {
    let t = tr.edit;
    if draft.is_new {
        ui.heading(t.deck_new_heading);
    } else {
        ui.heading(fill(t.deck_heading, &[("title", &draft.header.title)]));
    }
    ui.add_space(theme::SECTION_GAP / 2.0);
    let header = &mut draft.header;
    egui::Grid::new("deck-fields")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            let label = ui.label(t.deck_fields[0]);
            ui.add(egui::TextEdit::singleline(&mut header.title).desired_width(360.0))
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(t.deck_fields[1]);
            ui.add(
                egui::TextEdit::multiline(&mut header.description)
                    .desired_rows(2)
                    .desired_width(360.0),
            )
            .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(t.deck_fields[2]);
            ui.add(egui::TextEdit::singleline(&mut header.language).desired_width(80.0))
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(t.deck_fields[3]);
            let current = header.parent.as_ref().map_or(t.top_level.to_owned(), |p| {
                view.parents
                    .iter()
                    .find(|(id, _)| id == p)
                    .map_or(p.0.clone(), |(_, title)| title.clone())
            });
            egui::ComboBox::from_id_salt("deck-parent")
                .selected_text(current)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut header.parent, None, t.top_level);
                    for (id, title) in view.parents {
                        ui.selectable_value(&mut header.parent, Some(id.clone()), title);
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
        });
    ui.add_space(theme::SECTION_GAP);
    ui.horizontal(|ui| {
        let can_save =
            !draft.header.title.trim().is_empty() && !draft.header.language.trim().is_empty();
        if ui
            .add_enabled(can_save, egui::Button::new(tr.save))
            .clicked()
        {
            commands.push(Command::SaveDeck);
        }
        if !draft.is_new {
            if ui.button(t.new_sub_deck).clicked() {
                commands.push(Command::NewDeck(Some(draft.header.id.clone())));
            }
            if ui.button(t.add_note).clicked() {
                commands.push(Command::AddNote(draft.header.id.clone()));
            }
            if ui.button(t.delete).clicked() {
                draft.confirm_delete = true;
            }
        }
        if ui.button(tr.cancel).clicked() {
            commands.push(Command::ShowDecks);
        }
    });
    if draft.confirm_delete {
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(fill(
                    t.deck_delete_confirm,
                    &[
                        ("title", &draft.header.title),
                        ("n", &view.cards.to_string()),
                    ],
                ))
                .color(theme::LEARNING_COLOR),
            );
            if ui.button(t.delete.trim_end_matches('…')).clicked() {
                commands.push(Command::DeleteDeck);
                draft.confirm_delete = false;
            }
            if ui.button(tr.cancel).clicked() {
                draft.confirm_delete = false;
            }
        });
    }
    if ui.input(|input| input.key_pressed(egui::Key::Escape)) {
        commands.push(Command::ShowDecks);
    }
}
