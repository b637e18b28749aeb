//! Deck options, as in Anki: which preset a deck uses, the presets themselves (new, clone,
//! rename, delete; the Default one cannot be renamed or deleted), and the chosen preset's
//! values: daily limits, desired retention, maximum interval, fuzz, its own FSRS parameters
//! (Optimize) and the workload simulator. Saved together with Save.

use egui::{Key, Modifiers, RichText};

use super::command::Command;
use super::i18n::{Texts, fill};
use super::settings::{OptimizeView, optimize_ui};
use super::theme;
use super::workload::{WorkloadView, workload_ui};
use crate::core::ids::DeckId;
use crate::core::model::settings::{DEFAULT_PRESET, Preset, Settings};

/// What the deck options screen edits.
#[derive(Clone, Debug, PartialEq)]
pub struct DeckOptionsDraft {
    /// The deck.
    pub deck: DeckId,
    /// Its title.
    pub title: String,
    /// The settings being edited (presets and which deck uses which).
    pub settings: Settings,
    /// The preset shown (and chosen for the deck).
    pub preset: String,
    /// The new name typed for the preset shown.
    pub rename: String,
    /// Delete asks first: asking now.
    pub confirm_delete: bool,
}

impl DeckOptionsDraft {
    /// The options of `deck` in `settings`.
    #[must_use]
    pub fn new(deck: DeckId, title: String, settings: Settings) -> Self {
        let preset = settings.preset_name_for(&deck).to_owned();
        Self {
            deck,
            title,
            rename: preset.clone(),
            preset,
            settings,
            confirm_delete: false,
        }
    }

    /// A name not in use: `base`, or `base 2`, `base 3`…
    fn free_name(&self, base: &str) -> String {
        if self.settings.preset(base).is_none() {
            return base.to_owned();
        }
        (2..u32::MAX)
            .map(|n| format!("{base} {n}"))
            .find(|name| self.settings.preset(name).is_none())
            .unwrap_or_default()
    }

    /// Shows (and gives the deck) the preset named `name`.
    fn choose(&mut self, name: &str) {
        name.clone_into(&mut self.preset);
        name.clone_into(&mut self.rename);
        self.settings.use_preset(&self.deck, name);
        self.confirm_delete = false;
    }
}

/// Shows the deck options.
pub fn deck_options_ui(
    ui: &mut egui::Ui,
    draft: &mut DeckOptionsDraft,
    optimize: &OptimizeView<'_>,
    workload: &WorkloadView<'_>,
    tr: &Texts,
    commands: &mut Vec<Command>,
) {
    let t = tr.deck_options;
    if ui.input_mut(|input| input.consume_key(Modifiers::NONE, Key::Escape)) {
        commands.push(Command::ShowDecks);
    }
    ui.heading(fill(t.heading, &[("deck", &draft.title)]));
    ui.add_space(theme::SECTION_GAP / 2.0);
    let names: Vec<String> = draft
        .settings
        .all_presets()
        .into_iter()
        .map(|p| p.name)
        .collect();
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(t.preset);
        let mut chosen = draft.preset.clone();
        egui::ComboBox::from_id_salt("deck-preset")
            .selected_text(&chosen)
            .show_ui(ui, |ui| {
                for name in &names {
                    ui.selectable_value(&mut chosen, name.clone(), name);
                }
            })
            .response
            .labelled_by(label.id);
        if chosen != draft.preset {
            draft.choose(&chosen);
        }
        let users = draft
            .settings
            .deck_presets
            .values()
            .filter(|name| **name == draft.preset)
            .count();
        if draft.preset != DEFAULT_PRESET {
            ui.label(RichText::new(fill(t.used_by, &[("n", &users.to_string())])).weak());
        }
    });
    ui.horizontal_wrapped(|ui| {
        if ui.button(t.new_preset).clicked() {
            let name = draft.free_name(t.new_name);
            draft.settings.put_preset(Preset {
                name: name.clone(),
                ..Preset::default()
            });
            draft.choose(&name);
        }
        if ui.button(t.clone).clicked() {
            let name = draft.free_name(&fill(t.copy_of, &[("name", &draft.preset)]));
            let mut copy = draft.settings.preset(&draft.preset).unwrap_or_default();
            copy.name.clone_from(&name);
            draft.settings.put_preset(copy);
            draft.choose(&name);
        }
        if draft.preset != DEFAULT_PRESET {
            let label = ui.label(t.name);
            ui.add(egui::TextEdit::singleline(&mut draft.rename).desired_width(140.0))
                .labelled_by(label.id);
            let to = draft.rename.trim().to_owned();
            if ui
                .add_enabled(to != draft.preset, egui::Button::new(t.rename))
                .clicked()
                && draft.settings.rename_preset(&draft.preset.clone(), &to)
            {
                draft.preset = to;
            }
            if ui.button(t.delete).clicked() {
                draft.confirm_delete = true;
            }
        }
    });
    if draft.confirm_delete {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(fill(t.delete_confirm, &[("name", &draft.preset)]))
                    .color(theme::LEARNING_COLOR),
            );
            if ui.button(t.delete.trim_end_matches('…')).clicked() {
                let gone = draft.preset.clone();
                draft.settings.remove_preset(&gone);
                draft.choose(DEFAULT_PRESET);
            }
            if ui.button(tr.cancel).clicked() {
                draft.confirm_delete = false;
            }
        });
    }
    ui.add_space(theme::SECTION_GAP / 2.0);
    let Some(mut preset) = draft.settings.preset(&draft.preset) else {
        return;
    };
    preset_ui(ui, &mut preset, tr);
    ui.add_space(theme::SECTION_GAP);
    optimize_ui(ui, &mut preset, optimize, tr, commands);
    ui.add_space(theme::SECTION_GAP);
    workload_ui(ui, &mut preset, workload, tr, commands);
    draft.settings.put_preset(preset);
    ui.add_space(theme::SECTION_GAP);
    ui.horizontal(|ui| {
        if ui.button(tr.save).clicked() {
            commands.push(Command::SaveSettings(draft.settings.clone()));
        }
        if ui.button(tr.cancel).clicked() {
            commands.push(Command::ShowDecks);
        }
    });
}

/// The preset's daily limits and scheduling values (the Default preset's in Settings too).
pub(crate) fn preset_ui(ui: &mut egui::Ui, preset: &mut Preset, tr: &Texts) {
    egui::Grid::new("deck-options")
        .num_columns(2)
        .spacing([24.0, 12.0])
        .show(ui, |ui| {
            let label = ui.label(tr.new_per_day);
            ui.add(egui::DragValue::new(&mut preset.new_per_day).range(0..=9999))
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(tr.reviews_per_day);
            ui.add(egui::DragValue::new(&mut preset.reviews_per_day).range(0..=99_999))
                .labelled_by(label.id);
            ui.end_row();
            let label = ui
                .label(tr.desired_retention)
                .on_hover_text(tr.desired_retention_help);
            ui.add(egui::Slider::new(&mut preset.desired_retention, 0.70..=0.99).fixed_decimals(2))
                .on_hover_text(tr.desired_retention_help)
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(tr.deck_options.maximum_interval);
            ui.add(egui::DragValue::new(&mut preset.maximum_interval_days).range(1..=36_500))
                .labelled_by(label.id);
            ui.end_row();
            ui.label("");
            ui.checkbox(&mut preset.fuzz, tr.fuzz);
            ui.end_row();
        });
}
