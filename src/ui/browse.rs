//! The card browser: a search box speaking Anki's search language, a table of every card
//! that builds only the rows on screen (smooth at 100,000 cards), sortable by any column,
//! columns to choose, a selection (click, Shift+click, Ctrl+click, Ctrl+A) and actions on it.

use std::collections::BTreeSet;

use egui::{Key, KeyboardShortcut, Modifiers, RichText};
use egui_extras::{Column, TableBuilder};

use super::command::Command;
use super::i18n::{Texts, fill};
use super::theme;
use crate::core::ids::DeckId;
use crate::core::search::SortColumn;

/// What the browser edits in place: the query, the sort, the columns shown, the selection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrowseDraft {
    /// The search as typed.
    pub query: String,
    /// The column sorted by.
    pub sort: SortColumn,
    /// Whether the sort is reversed.
    pub reverse: bool,
    /// Which columns show, by `SortColumn::ALL` position.
    pub shown: [bool; 13],
    /// Selected results, by position in the result.
    pub selected: BTreeSet<usize>,
    /// Where a Shift+click selection starts.
    pub anchor: Option<usize>,
    /// Forget asks first: the count it asks about, while asking.
    pub confirm_forget: bool,
    /// Delete asks first: asking now.
    pub confirm_delete: bool,
    /// Tags typed to add to or remove from the selected cards' notes.
    pub tags: String,
    /// Whether the search box had the keyboard last frame (Ctrl+A there selects every row;
    /// in the editor pane's fields it selects their text).
    pub search_focused: bool,
}

impl Default for BrowseDraft {
    fn default() -> Self {
        let mut shown = [false; 13];
        for column in [0, 1, 4, 5, 6, 9] {
            shown[column] = true;
        }
        Self {
            query: String::new(),
            sort: SortColumn::SortField,
            reverse: false,
            shown,
            selected: BTreeSet::new(),
            anchor: None,
            confirm_forget: false,
            confirm_delete: false,
            tags: String::new(),
            search_focused: false,
        }
    }
}

/// The cells of result rows, built only for the rows on screen.
pub trait BrowseRows {
    /// How many cards match.
    fn len(&self) -> usize;
    /// Whether none does.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The cells of result `position`, by `SortColumn::ALL` position.
    fn cells(&self, position: usize) -> [String; 13];
}

/// What the browser shows besides its draft.
pub struct BrowseView<'a> {
    /// The matching cards.
    pub rows: &'a dyn BrowseRows,
    /// Cards in the collection.
    pub total: usize,
    /// Why the query did not parse, and at which character.
    pub error: Option<(String, usize)>,
    /// Decks the selection can move to: id and title, in tree order.
    pub decks: &'a [(DeckId, String)],
    /// How many notes the selected cards belong to (what Delete deletes), while asking.
    pub selected_notes: usize,
    /// The cards are being gathered (the rows shown, if any, are the last ones).
    pub loading: bool,
}

/// Shows the browser.
pub fn browse_ui(
    ui: &mut egui::Ui,
    draft: &mut BrowseDraft,
    view: &BrowseView<'_>,
    tr: &Texts,
    commands: &mut Vec<Command>,
) {
    let t = tr.browse;
    let count = view.rows.len();
    let free = draft.search_focused || ui.memory(|m| m.focused().is_none());
    ui.input_mut(|input| {
        if free && input.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::A)) {
            draft.selected = (0..count).collect();
        }
        if input.consume_key(Modifiers::NONE, Key::Escape) {
            commands.push(Command::ShowDecks);
        }
    });
    ui.horizontal(|ui| {
        let heading = ui.heading(t.browse);
        let search = ui
            .add(
                egui::TextEdit::singleline(&mut draft.query)
                    .id_salt("browse-search")
                    .hint_text(t.search_hint)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(heading.id);
        if ui.memory(|m| m.focused().is_none()) {
            search.request_focus();
        }
        draft.search_focused = search.has_focus();
    });
    if let Some((error, at)) = &view.error {
        ui.label(
            RichText::new(fill(
                t.query_error,
                &[("error", error), ("at", &(at + 1).to_string())],
            ))
            .color(theme::ERROR_COLOR),
        );
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(fill(
            t.found,
            &[
                ("n", &count.to_string()),
                ("total", &view.total.to_string()),
                ("selected", &draft.selected.len().to_string()),
            ],
        ));
        let any = !draft.selected.is_empty();
        for (label, command) in [
            (t.suspend, Command::SuspendSelected(true)),
            (t.unsuspend, Command::SuspendSelected(false)),
            (t.bury, Command::BurySelected),
        ] {
            if ui.add_enabled(any, egui::Button::new(label)).clicked() {
                commands.push(command);
            }
        }
        if ui.add_enabled(any, egui::Button::new(t.forget)).clicked() {
            draft.confirm_forget = true;
        }
        if ui.add_enabled(any, egui::Button::new(t.delete)).clicked() {
            draft.confirm_delete = true;
        }
        if ui
            .add_enabled(draft.selected.len() == 1, egui::Button::new(t.edit))
            .clicked()
        {
            commands.push(Command::EditCurrent);
        }
        let label = ui.label(t.tags_label);
        ui.add(
            egui::TextEdit::singleline(&mut draft.tags)
                .desired_width(120.0)
                .id_salt("browse-tags"),
        )
        .labelled_by(label.id);
        let tags_given = any && !draft.tags.trim().is_empty();
        for (label, add) in [(t.add_tags, true), (t.remove_tags, false)] {
            if ui
                .add_enabled(tags_given, egui::Button::new(label))
                .clicked()
            {
                commands.push(Command::TagSelected(add, draft.tags.clone()));
            }
        }
        ui.add_enabled_ui(any, |ui| {
            ui.menu_button(t.change_deck, |ui| {
                for (id, title) in view.decks {
                    if ui.button(title).clicked() {
                        commands.push(Command::MoveSelected(id.clone()));
                        ui.close();
                    }
                }
            });
        });
        ui.menu_button(t.columns_menu, |ui| {
            for (i, name) in t.columns.iter().enumerate() {
                // The sort field always shows: a row needs something to recognise it by.
                ui.add_enabled(i != 0, egui::Checkbox::new(&mut draft.shown[i], *name));
            }
        });
    });
    if draft.confirm_forget {
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(fill(
                    t.forget_confirm,
                    &[("n", &draft.selected.len().to_string())],
                ))
                .color(theme::LEARNING_COLOR),
            );
            if ui.button(t.forget.trim_end_matches('…')).clicked() {
                commands.push(Command::ForgetSelected);
                draft.confirm_forget = false;
            }
            if ui.button(tr.cancel).clicked() {
                draft.confirm_forget = false;
            }
        });
    }
    if draft.confirm_delete {
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(fill(
                    t.delete_confirm,
                    &[
                        ("n", &view.selected_notes.to_string()),
                        ("cards", &draft.selected.len().to_string()),
                    ],
                ))
                .color(theme::LEARNING_COLOR),
            );
            if ui.button(t.delete.trim_end_matches('…')).clicked() {
                commands.push(Command::DeleteSelected);
                draft.confirm_delete = false;
            }
            if ui.button(tr.cancel).clicked() {
                draft.confirm_delete = false;
            }
        });
    }
    ui.add_space(theme::SECTION_GAP / 2.0);
    if view.loading {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(t.loading);
        });
    }
    if count == 0 {
        if view.loading {
            return;
        }
        ui.label(t.nothing_found);
        return;
    }
    table_ui(ui, draft, view, tr);
}

fn table_ui(ui: &mut egui::Ui, draft: &mut BrowseDraft, view: &BrowseView<'_>, tr: &Texts) {
    let t = tr.browse;
    let shown: Vec<usize> = (0..SortColumn::ALL.len())
        .filter(|&i| draft.shown[i])
        .collect();
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let modifiers = ui.input(|input| input.modifiers);
    let mut table = TableBuilder::new(ui)
        .id_salt("browser")
        .striped(true)
        .resizable(true)
        .sense(egui::Sense::click())
        .auto_shrink(false);
    for &i in &shown {
        table = table.column(if i == 0 {
            Column::initial(theme::BROWSER_FIRST_COLUMN).clip(true)
        } else {
            Column::auto().clip(true)
        });
    }
    table
        .header(row_height, |mut header| {
            for &i in &shown {
                header.col(|ui| {
                    let column = SortColumn::ALL[i];
                    let arrow = match (draft.sort == column, draft.reverse) {
                        (true, false) => " ^",
                        (true, true) => " v",
                        (false, _) => "",
                    };
                    let label = format!("{}{arrow}", t.columns[i]);
                    if ui.button(RichText::new(label).strong()).clicked() {
                        if draft.sort == column {
                            draft.reverse = !draft.reverse;
                        } else {
                            draft.sort = column;
                            draft.reverse = false;
                        }
                        draft.selected.clear();
                        draft.anchor = None;
                    }
                });
            }
        })
        .body(|body| {
            body.rows(row_height, view.rows.len(), |mut row| {
                let position = row.index();
                row.set_selected(draft.selected.contains(&position));
                let cells = view.rows.cells(position);
                for &i in &shown {
                    row.col(|ui| {
                        ui.add(egui::Label::new(&cells[i]).truncate().selectable(false));
                    });
                }
                if row.response().clicked() {
                    select(draft, position, modifiers);
                }
            });
        });
}

/// A click on result `position`: alone, extending (Shift), or toggling (Ctrl).
fn select(draft: &mut BrowseDraft, position: usize, modifiers: Modifiers) {
    if modifiers.shift
        && let Some(anchor) = draft.anchor
    {
        let (low, high) = (anchor.min(position), anchor.max(position));
        if !modifiers.command {
            draft.selected.clear();
        }
        draft.selected.extend(low..=high);
        return;
    }
    if modifiers.command {
        if !draft.selected.remove(&position) {
            draft.selected.insert(position);
        }
    } else {
        draft.selected.clear();
        draft.selected.insert(position);
    }
    draft.anchor = Some(position);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clicks_select_one_a_range_or_toggle() {
        let mut draft = BrowseDraft::default();
        select(&mut draft, 3, Modifiers::NONE);
        select(&mut draft, 6, Modifiers::SHIFT);
        assert_eq!(draft.selected, (3..=6).collect());
        select(&mut draft, 4, Modifiers::COMMAND);
        assert_eq!(draft.selected, [3, 5, 6].into_iter().collect());
        select(&mut draft, 9, Modifiers::NONE);
        assert_eq!(draft.selected, [9].into_iter().collect());
        select(&mut draft, 7, Modifiers::SHIFT);
        assert_eq!(draft.selected, [7, 8, 9].into_iter().collect());
    }
}
