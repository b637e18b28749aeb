//! The note editor: fields by kind (front and back, or cloze text and extra; notes, example
//! and tags for all), tag completion from the tags in use, a live preview of every card the
//! note makes as study shows it, and Anki's cloze keys. Add keeps the editor open and empty
//! for the next note (Anki's habit); Save, Duplicate and Delete act on a note being edited.

use egui::{Key, KeyboardShortcut, Modifiers, RichText};
use egui_commonmark::CommonMarkCache;

use super::command::Command;
use super::i18n::{Texts, fill};
use super::markdown::markdown_ui;
use super::theme;
use crate::core::ids::DeckId;
use crate::core::model::cloze;
use crate::core::model::deck::{Note, NoteId, NoteKind};

/// What the editor edits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteDraft {
    /// The deck the note goes in.
    pub deck: DeckId,
    /// The note (its tags are kept in `tags` while editing).
    pub note: Note,
    /// The tags as typed, separated by spaces.
    pub tags: String,
    /// The note being edited, or `None` when adding.
    pub editing: Option<NoteId>,
    /// Delete asks first: asking now.
    pub confirm_delete: bool,
}

impl NoteDraft {
    /// The note as it would be saved: tags from the field, unused fields empty.
    #[must_use]
    pub fn to_note(&self) -> Note {
        let mut note = self.note.clone();
        note.tags = self.tags.split_whitespace().map(str::to_owned).collect();
        if note.kind == NoteKind::Cloze {
            note.front.clear();
            note.back.clear();
        } else {
            note.text.clear();
            note.extra.clear();
        }
        note.add_reverse = note.kind == NoteKind::OptionalReversed && note.add_reverse;
        for field in [&mut note.notes, &mut note.example] {
            if field.as_ref().is_some_and(|t| t.trim().is_empty()) {
                *field = None;
            }
        }
        note
    }
}

/// What the editor shows besides its draft.
pub struct EditorView<'a> {
    /// Decks a note can go in: id and title.
    pub decks: &'a [(DeckId, String)],
    /// Tags in use, for completion.
    pub known_tags: &'a [String],
    /// Each card the note makes: question and answer, images resolved.
    pub preview: &'a [(String, String)],
    /// Shown in a pane beside the browser's table: fields above the preview, not beside it.
    pub beside: bool,
}

/// Shows the editor.
pub fn editor_ui(
    ui: &mut egui::Ui,
    draft: &mut NoteDraft,
    view: &EditorView<'_>,
    markdown: &mut CommonMarkCache,
    tr: &Texts,
    commands: &mut Vec<Command>,
) {
    let t = tr.edit;
    let (save, cloze_next, cloze_same, close) = ui.input_mut(|input| {
        let same = Modifiers::COMMAND | Modifiers::SHIFT | Modifiers::ALT;
        let next = Modifiers::COMMAND | Modifiers::SHIFT;
        (
            input.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Enter)),
            input.consume_shortcut(&KeyboardShortcut::new(next, Key::C)),
            input.consume_shortcut(&KeyboardShortcut::new(same, Key::C)),
            input.consume_key(Modifiers::NONE, Key::Escape),
        )
    });
    let deck_title = view
        .decks
        .iter()
        .find(|(id, _)| *id == draft.deck)
        .map_or(draft.deck.0.as_str(), |(_, title)| title.as_str());
    let heading = if draft.editing.is_some() {
        t.edit_heading
    } else {
        t.add_heading
    };
    let keys = (cloze_next, cloze_same);
    if view.beside {
        ui.strong(fill(heading, &[("deck", deck_title)]));
        fields_ui(ui, draft, view, t, keys);
    } else {
        ui.heading(fill(heading, &[("deck", deck_title)]));
        ui.add_space(theme::SECTION_GAP / 2.0);
        ui.columns(2, |columns| {
            let (left, right) = columns.split_at_mut(1);
            fields_ui(&mut left[0], draft, view, t, keys);
            preview_ui(&mut right[0], view, markdown, t);
        });
    }
    ui.add_space(theme::SECTION_GAP);
    ui.horizontal_wrapped(|ui| {
        let label = if draft.editing.is_some() {
            t.save
        } else {
            t.add
        };
        if ui.button(label).clicked() || save {
            commands.push(Command::SaveNote);
        }
        if ui.button(t.insert_image).clicked() {
            commands.push(Command::InsertImage);
        }
        if draft.editing.is_some() {
            if ui.button(t.duplicate).clicked() {
                commands.push(Command::DuplicateNote);
            }
            if ui.button(t.delete).clicked() {
                draft.confirm_delete = true;
            }
        }
        if ui.button(t.close).clicked() || close {
            commands.push(Command::CloseEditor);
        }
    });
    if draft.confirm_delete {
        ui.horizontal(|ui| {
            let cards = view.preview.len().to_string();
            ui.label(
                RichText::new(fill(t.delete_confirm, &[("n", &cards)]))
                    .color(theme::LEARNING_COLOR),
            );
            if ui.button(t.delete.trim_end_matches('…')).clicked() {
                commands.push(Command::DeleteNote);
                draft.confirm_delete = false;
            }
            if ui.button(tr.cancel).clicked() {
                draft.confirm_delete = false;
            }
        });
    }
    if view.beside {
        ui.add_space(theme::SECTION_GAP / 2.0);
        preview_ui(ui, view, markdown, t);
    }
}

fn fields_ui(
    ui: &mut egui::Ui,
    draft: &mut NoteDraft,
    view: &EditorView<'_>,
    t: &super::i18n::EditTexts,
    (cloze_next, cloze_same): (bool, bool),
) {
    egui::Grid::new("editor-fields")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            let label = ui.label(t.deck);
            egui::ComboBox::from_id_salt("editor-deck")
                .selected_text(
                    view.decks
                        .iter()
                        .find(|(id, _)| *id == draft.deck)
                        .map_or(draft.deck.0.clone(), |(_, title)| title.clone()),
                )
                .show_ui(ui, |ui| {
                    for (id, title) in view.decks {
                        ui.selectable_value(&mut draft.deck, id.clone(), title);
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(t.kind);
            egui::ComboBox::from_id_salt("editor-kind")
                .selected_text(t.kinds[kind_index(draft.note.kind)])
                .show_ui(ui, |ui| {
                    for kind in NoteKind::ALL {
                        ui.selectable_value(&mut draft.note.kind, kind, t.kinds[kind_index(kind)]);
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
        });
    let width = ui.available_width();
    let field = |ui: &mut egui::Ui, label: &str, text: &mut String, rows: usize| {
        let label = ui.label(label);
        ui.add(
            egui::TextEdit::multiline(text)
                .desired_rows(rows)
                .desired_width(width),
        )
        .labelled_by(label.id)
    };
    if draft.note.kind == NoteKind::Cloze {
        let label = ui.label(t.fields[2]);
        let output = egui::TextEdit::multiline(&mut draft.note.text)
            .desired_rows(4)
            .desired_width(width)
            .id_salt("editor-cloze-text")
            .show(ui);
        output.response.response.clone().labelled_by(label.id);
        if (cloze_next || cloze_same)
            && let Some(range) = output.cursor_range
        {
            let (start, end) = (
                range.primary.index.0.min(range.secondary.index.0),
                range.primary.index.0.max(range.secondary.index.0),
            );
            draft.note.text = wrap_cloze(&draft.note.text, start, end, cloze_same);
        }
        ui.label(RichText::new(t.cloze_hint).small().weak());
        field(ui, t.fields[3], &mut draft.note.extra, 2);
    } else {
        field(ui, t.fields[0], &mut draft.note.front, 2);
        field(ui, t.fields[1], &mut draft.note.back, 3);
        if draft.note.kind == NoteKind::OptionalReversed {
            ui.checkbox(&mut draft.note.add_reverse, t.add_reverse);
        }
    }
    for (label, slot) in [
        (t.fields[4], &mut draft.note.notes),
        (t.fields[5], &mut draft.note.example),
    ] {
        let mut text = slot.clone().unwrap_or_default();
        if field(ui, label, &mut text, 1).changed() {
            *slot = Some(text);
        }
    }
    let label = ui.label(t.fields[6]);
    ui.add(
        egui::TextEdit::singleline(&mut draft.tags)
            .hint_text(t.tags_hint)
            .desired_width(width),
    )
    .labelled_by(label.id);
    // Completion: tags in use that start like the word being typed.
    let typed = if draft.tags.ends_with(' ') {
        ""
    } else {
        draft.tags.split_whitespace().last().unwrap_or("")
    };
    if !typed.is_empty() {
        let lower = typed.to_lowercase();
        let typed = typed.to_owned();
        let present: Vec<String> = draft.tags.split_whitespace().map(str::to_owned).collect();
        ui.horizontal_wrapped(|ui| {
            for tag in view
                .known_tags
                .iter()
                .filter(|tag| tag.to_lowercase().starts_with(&lower) && **tag != typed)
                .filter(|tag| !present.contains(tag))
                .take(8)
            {
                if ui.small_button(tag).clicked() {
                    let keep = draft.tags.len() - typed.len();
                    draft.tags.truncate(keep);
                    draft.tags.push_str(tag);
                    draft.tags.push(' ');
                }
            }
        });
    }
}

fn preview_ui(
    ui: &mut egui::Ui,
    view: &EditorView<'_>,
    markdown: &mut CommonMarkCache,
    t: &super::i18n::EditTexts,
) {
    ui.strong(t.preview);
    if view.preview.is_empty() {
        ui.label(RichText::new(t.no_cards).weak());
        return;
    }
    egui::ScrollArea::vertical()
        .id_salt("editor-preview")
        .max_height(ui.available_height().max(200.0))
        .show(ui, |ui| {
            for (i, (question, answer)) in view.preview.iter().enumerate() {
                egui::Frame::new()
                    .fill(theme::card_fill(ui))
                    .corner_radius(theme::CARD_CORNER)
                    .inner_margin(theme::CARD_MARGIN / 2)
                    .show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.label(
                            RichText::new(fill(t.card_n, &[("n", &(i + 1).to_string())]))
                                .small()
                                .weak(),
                        );
                        markdown_ui(ui, markdown, question, theme::CARD_DETAIL_SIZE);
                        ui.separator();
                        markdown_ui(ui, markdown, answer, theme::CARD_DETAIL_SIZE);
                    });
                ui.add_space(theme::SECTION_GAP / 2.0);
            }
        });
}

fn kind_index(kind: NoteKind) -> usize {
    NoteKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

/// `text` with the characters `start..end` (char indices) made a cloze deletion: the next
/// number, or the highest one already there when `same` (as Anki's Ctrl+Shift+C and
/// Ctrl+Shift+Alt+C). An empty selection inserts an empty deletion at the cursor.
#[must_use]
pub fn wrap_cloze(text: &str, start: usize, end: usize, same: bool) -> String {
    let highest = cloze::numbers(text).into_iter().max().unwrap_or(0);
    let number = if same { highest.max(1) } else { highest + 1 };
    let byte = |char_index: usize| {
        text.char_indices()
            .nth(char_index)
            .map_or(text.len(), |(i, _)| i)
    };
    let (from, to) = (byte(start), byte(end));
    format!(
        "{}{{{{c{number}::{}}}}}{}",
        &text[..from],
        &text[from..to],
        &text[to..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloze_keys_number_deletions_like_anki() {
        let text = "Jakarta is the capital";
        let first = wrap_cloze(text, 0, 7, false);
        assert_eq!(first, "{{c1::Jakarta}} is the capital");
        let chars = first.chars().count();
        let second = wrap_cloze(&first, chars - 7, chars, false);
        assert_eq!(second, "{{c1::Jakarta}} is the {{c2::capital}}");
        let same = wrap_cloze(&second, 16, 18, true);
        assert_eq!(same, "{{c1::Jakarta}} {{c2::is}} the {{c2::capital}}");
        assert_eq!(wrap_cloze("é x", 0, 1, false), "{{c1::é}} x");
        assert_eq!(wrap_cloze("ab", 1, 1, true), "a{{c1::}}b");
    }

    #[test]
    fn the_saved_note_drops_what_its_kind_does_not_use() {
        let mut draft = NoteDraft {
            deck: DeckId("d".into()),
            note: Note {
                kind: NoteKind::Cloze,
                front: "left over".into(),
                text: "{{c1::x}}".into(),
                notes: Some("  ".into()),
                ..Note::default()
            },
            tags: " a  b::c ".into(),
            editing: None,
            confirm_delete: false,
        };
        let note = draft.to_note();
        assert_eq!((note.front.as_str(), note.notes), ("", None));
        assert_eq!(note.tags, ["a", "b::c"]);
        draft.note.kind = NoteKind::Basic;
        assert_eq!(draft.to_note().text, "");
    }
}
