//! The import screen: what an import will do before anything changes (per deck: new notes,
//! changed ones old and new side by side, removed ones), the progress the file brings, and
//! for a CSV file the column mapping over its first rows. Import or Cancel.

use egui::{Key, RichText};

use super::command::Command;
use super::i18n::{Texts, fill};
use super::theme;
use crate::core::import::{Column, CsvLayout, DeckChanges, NoteSummary, Plan};

/// Rows listed per section; the rest are counted.
/// Notes listed of each kind per deck; the plan is made with only these
/// ([`crate::core::import::plan_listing`]), the counts whole.
pub const LISTED: usize = 50;

/// What the import screen shows.
pub struct ImportView<'a> {
    /// The file's name.
    pub file_name: String,
    /// What the import would do, once the file is read.
    pub plan: Option<&'a Plan>,
    /// Why the file could not be read (with the mapping chosen).
    pub error: Option<&'a str>,
    /// A CSV file's first rows, for the mapping.
    pub csv_rows: Option<&'a [Vec<String>]>,
    /// Whether the file is being read now.
    pub reading: bool,
    /// Whether it is being installed now (on the worker).
    pub installing: bool,
}

/// Shows the import screen; `layout` is the CSV mapping being edited (CSV files only).
pub fn import_ui(
    ui: &mut egui::Ui,
    view: &ImportView<'_>,
    layout: Option<&mut CsvLayout>,
    tr: &Texts,
    commands: &mut Vec<Command>,
) {
    let t = tr.transfer;
    ui.heading(fill(t.import_heading, &[("file", &view.file_name)]));
    ui.add_space(theme::SECTION_GAP / 2.0);
    if let (Some(layout), Some(rows)) = (layout, view.csv_rows) {
        mapping_ui(ui, layout, rows, tr, commands);
        ui.add_space(theme::SECTION_GAP);
    }
    if view.reading || view.installing {
        let line = if view.installing {
            t.installing
        } else {
            t.reading
        };
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(fill(line, &[("file", &view.file_name)]));
        });
    }
    if let Some(error) = view.error {
        ui.label(RichText::new(error).color(theme::ERROR_COLOR));
    }
    let can_import =
        view.plan.is_some() && !view.reading && !view.installing && view.error.is_none();
    if let Some(plan) = view.plan.filter(|_| view.error.is_none()) {
        plan_ui(ui, plan, tr);
    }
    ui.add_space(theme::SECTION_GAP);
    ui.horizontal(|ui| {
        if ui
            .add_enabled(can_import, egui::Button::new(t.confirm))
            .clicked()
        {
            commands.push(Command::ConfirmImport);
        }
        if ui.button(tr.cancel).clicked() {
            commands.push(Command::CancelImport);
        }
    });
    ui.input(|input| {
        if input.key_pressed(Key::Enter) && can_import {
            commands.push(Command::ConfirmImport);
        }
        if input.key_pressed(Key::Escape) {
            commands.push(Command::CancelImport);
        }
    });
}

fn mapping_ui(
    ui: &mut egui::Ui,
    layout: &mut CsvLayout,
    rows: &[Vec<String>],
    tr: &Texts,
    commands: &mut Vec<Command>,
) {
    let t = tr.transfer;
    ui.strong(t.columns);
    ui.checkbox(&mut layout.header, t.header_row);
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    layout.columns.resize(width, Column::Ignore);
    egui::ScrollArea::horizontal()
        .id_salt("csv-mapping")
        .show(ui, |ui| {
            egui::Grid::new("csv-preview")
                .striped(true)
                .spacing([16.0, 6.0])
                .show(ui, |ui| {
                    for (index, column) in layout.columns.iter_mut().enumerate() {
                        let name = |c: Column| {
                            let at = Column::ALL.iter().position(|x| *x == c).unwrap_or(0);
                            t.column_names[at]
                        };
                        egui::ComboBox::from_id_salt(("csv-column", index))
                            .selected_text(name(*column))
                            .show_ui(ui, |ui| {
                                for choice in Column::ALL {
                                    ui.selectable_value(column, choice, name(choice));
                                }
                            });
                    }
                    ui.end_row();
                    for row in rows {
                        for cell in row {
                            let short: String = cell.chars().take(40).collect();
                            ui.label(short);
                        }
                        ui.end_row();
                    }
                });
        });
    if ui.button(t.reread).clicked() {
        commands.push(Command::RereadImport(layout.clone()));
    }
}

fn plan_ui(ui: &mut egui::Ui, plan: &Plan, tr: &Texts) {
    let t = tr.transfer;
    for deck in &plan.decks {
        ui.add_space(theme::SECTION_GAP / 2.0);
        ui.label(RichText::new(deck_line(deck, tr)).strong());
        notes_ui(
            ui,
            ("added", &deck.deck),
            t.added,
            &deck.added,
            deck.added_count,
            tr,
        );
        if deck.changed_count > 0 {
            egui::CollapsingHeader::new(format!("{} ({})", t.changed, deck.changed_count))
                .id_salt(("changed", &deck.deck))
                .default_open(true)
                .show(ui, |ui| {
                    egui::Grid::new(("changed-grid", &deck.deck))
                        .striped(true)
                        .spacing([24.0, 6.0])
                        .show(ui, |ui| {
                            ui.strong(t.now);
                            ui.strong(t.after);
                            ui.end_row();
                            for change in deck.changed.iter().take(LISTED) {
                                ui.label(sides(&change.old));
                                ui.label(sides(&change.new));
                                ui.end_row();
                            }
                        });
                    more_ui(ui, deck.changed_count, tr);
                });
        }
        notes_ui(
            ui,
            ("removed", &deck.deck),
            t.removed,
            &deck.removed,
            deck.removed_count,
            tr,
        );
    }
    ui.add_space(theme::SECTION_GAP / 2.0);
    if plan.cards_with_progress > 0 || plan.reviews > 0 {
        ui.label(fill(
            t.progress,
            &[
                ("cards", &plan.cards_with_progress.to_string()),
                ("reviews", &plan.reviews.to_string()),
            ],
        ));
    }
    if plan.notes_as_basic > 0 {
        ui.label(fill(t.as_basic, &[("n", &plan.notes_as_basic.to_string())]));
    }
    for warning in &plan.warnings {
        ui.label(RichText::new(warning).color(theme::LEARNING_COLOR));
    }
}

/// One line per deck: new, an update with its counts, or nothing to do.
fn deck_line(deck: &DeckChanges, tr: &Texts) -> String {
    let t = tr.transfer;
    match deck.installed_version {
        None => fill(
            t.new_deck,
            &[
                ("title", &deck.title),
                ("notes", &deck.added_count.to_string()),
                ("cards", &deck.cards.to_string()),
            ],
        ),
        Some(_) if deck.added_count == 0 && deck.changed_count == 0 && deck.removed_count == 0 => {
            fill(t.same, &[("title", &deck.title)])
        }
        Some(old) => fill(
            t.update,
            &[
                ("title", &deck.title),
                ("old", &old.to_string()),
                ("new", &deck.version.to_string()),
                ("added", &deck.added_count.to_string()),
                ("changed", &deck.changed_count.to_string()),
                ("removed", &deck.removed_count.to_string()),
                ("unchanged", &deck.unchanged.to_string()),
            ],
        ),
    }
}

/// A note's two sides on one line each.
fn sides(note: &NoteSummary) -> String {
    let short = |text: &str| -> String {
        let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut cut: String = line.chars().take(80).collect();
        if cut.len() < line.len() {
            cut.push('…');
        }
        cut
    };
    format!("{}\n{}", short(&note.front), short(&note.back))
}

/// The first notes of a kind (`notes`) and how many there are in all (`count`).
fn notes_ui(
    ui: &mut egui::Ui,
    id: (&str, &str),
    heading: &str,
    notes: &[NoteSummary],
    count: usize,
    tr: &Texts,
) {
    if count == 0 {
        return;
    }
    egui::CollapsingHeader::new(format!("{heading} ({count})"))
        .id_salt(id)
        .default_open(false)
        .show(ui, |ui| {
            for note in notes.iter().take(LISTED) {
                ui.label(sides(note));
            }
            more_ui(ui, count, tr);
        });
}

fn more_ui(ui: &mut egui::Ui, count: usize, tr: &Texts) {
    if count > LISTED {
        ui.label(fill(
            tr.transfer.more,
            &[("n", &(count - LISTED).to_string())],
        ));
    }
}
