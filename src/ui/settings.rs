//! The settings screen: language, daily limits, desired retention, day start, fuzz, burying
//! siblings, theme and card text size.

use egui::{Key, Modifiers};

use super::command::Command;
use super::deck_options::preset_ui;
use super::i18n::{Lang, Texts, fill};
use super::theme;
use super::workload::{WorkloadView, workload_ui};
use crate::core::model::settings::{Preset, Settings, Theme};
use crate::core::stats::{Evaluated, ITEMS_FOR_A_FULL_FIT, Optimized};

fn theme_index(theme: Theme) -> usize {
    Theme::ALL.iter().position(|t| *t == theme).unwrap_or(0)
}

/// The optimizer's part of the settings screen.
pub struct OptimizeView<'a> {
    /// Whether it is running now (its progress and Cancel are in the status bar).
    pub running: bool,
    /// What the last run found.
    pub result: Option<&'a Optimized>,
    /// What the last Evaluate found.
    pub evaluated: Option<&'a Evaluated>,
}

/// Edits `draft`; Save pushes it, Cancel (or Esc) goes back unchanged.
pub fn settings_ui(
    ui: &mut egui::Ui,
    draft: &mut Settings,
    optimize: &OptimizeView<'_>,
    workload: &WorkloadView<'_>,
    tr: &Texts,
    commands: &mut Vec<Command>,
) {
    if ui.input_mut(|input| input.consume_key(Modifiers::NONE, Key::Escape)) {
        commands.push(Command::ShowDecks);
    }
    ui.heading(tr.settings);
    ui.add_space(theme::SECTION_GAP / 2.0);
    egui::Grid::new("settings")
        .num_columns(2)
        .spacing([24.0, 12.0])
        .show(ui, |ui| {
            // Each control is labelled by the text beside it, for screen readers.
            let label = ui.label(tr.language);
            let current = draft.language.as_deref().and_then(Lang::from_code);
            egui::ComboBox::from_id_salt("language")
                .selected_text(current.map_or(tr.system_language, Lang::name))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut draft.language, None, tr.system_language);
                    for lang in Lang::ALL {
                        ui.selectable_value(
                            &mut draft.language,
                            Some(lang.code().to_owned()),
                            lang.name(),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();

            let label = ui.label(tr.day_start_hour);
            ui.add(
                egui::DragValue::new(&mut draft.day_start_hour)
                    .range(0..=23)
                    .suffix(":00"),
            )
            .labelled_by(label.id);
            ui.end_row();

            ui.label("");
            ui.checkbox(&mut draft.bury_siblings, tr.bury_siblings);
            ui.end_row();

            let label = ui.label(tr.theme);
            egui::ComboBox::from_id_salt("theme")
                .selected_text(tr.themes[theme_index(draft.theme)])
                .show_ui(ui, |ui| {
                    for choice in Theme::ALL {
                        ui.selectable_value(
                            &mut draft.theme,
                            choice,
                            tr.themes[theme_index(choice)],
                        );
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();

            let label = ui.label(tr.card_text_size);
            ui.add(
                egui::Slider::new(&mut draft.card_text_scale, 0.75..=2.0)
                    .step_by(0.05)
                    .custom_formatter(|v, _| format!("{:.0}%", v * 100.0)),
            )
            .labelled_by(label.id);
            ui.end_row();
        });
    // The values above, the parameters and the simulator are the Default preset's (other
    // presets are in each deck's options).
    let mut preset = draft.default_preset();
    ui.add_space(theme::SECTION_GAP);
    ui.label(egui::RichText::new(tr.deck_options.default_note).weak());
    preset_ui(ui, &mut preset, tr);
    ui.add_space(theme::SECTION_GAP);
    optimize_ui(ui, &mut preset, optimize, tr, commands);
    ui.add_space(theme::SECTION_GAP);
    workload_ui(ui, &mut preset, workload, tr, commands);
    draft.put_preset(preset);
    ui.add_space(theme::SECTION_GAP);
    ui.horizontal(|ui| {
        if ui.button(tr.save).clicked() {
            commands.push(Command::SaveSettings(draft.clone()));
        }
        if ui.button(tr.cancel).clicked() {
            commands.push(Command::ShowDecks);
        }
    });
}

/// A preset's FSRS parameters: which are in use, Optimize (on the worker), what it found,
/// and Apply (into the values on screen, saved with them).
pub fn optimize_ui(
    ui: &mut egui::Ui,
    draft: &mut Preset,
    optimize: &OptimizeView<'_>,
    tr: &Texts,
    commands: &mut Vec<Command>,
) {
    let t = tr.optimize;
    ui.strong(t.heading);
    ui.label(if draft.fsrs_params.is_empty() {
        t.defaults_in_use
    } else {
        t.personal_in_use
    });
    ui.horizontal(|ui| {
        if ui
            .add_enabled(!optimize.running, egui::Button::new(t.optimize))
            .clicked()
        {
            commands.push(Command::Optimize(draft.name.clone()));
        }
        if ui
            .add_enabled(!optimize.running, egui::Button::new(t.evaluate))
            .clicked()
        {
            commands.push(Command::Evaluate(draft.name.clone()));
        }
        if !draft.fsrs_params.is_empty() && ui.button(t.use_defaults).clicked() {
            draft.fsrs_params.clear();
        }
    });
    let metrics = |m: Option<&crate::core::stats::Metrics>| {
        m.map_or_else(
            || t.not_enough.to_owned(),
            |m| format!("{:.4} · {:.2}%", m.log_loss, m.rmse_bins * 100.0),
        )
    };
    if let Some(evaluated) = optimize.evaluated {
        ui.label(fill(
            t.evaluated,
            &[
                ("reviews", &evaluated.reviews.to_string()),
                ("items", &evaluated.items.to_string()),
                ("metrics", &metrics(evaluated.current.as_ref())),
            ],
        ));
    }
    let Some(result) = optimize.result else {
        return;
    };
    ui.label(fill(
        t.found,
        &[
            ("reviews", &result.reviews.to_string()),
            ("items", &result.items.to_string()),
        ],
    ));
    if result.items < ITEMS_FOR_A_FULL_FIT {
        ui.label(fill(
            t.too_little,
            &[("n", &(ITEMS_FOR_A_FULL_FIT - result.items).to_string())],
        ));
    }
    egui::Grid::new("optimize-metrics")
        .spacing([24.0, 6.0])
        .show(ui, |ui| {
            ui.label("");
            ui.strong(t.metrics);
            ui.end_row();
            ui.label(t.current);
            ui.label(metrics(result.current.as_ref()));
            ui.end_row();
            ui.label(t.new);
            ui.label(metrics(result.new.as_ref()));
            ui.end_row();
        });
    ui.label(if result.kept_current {
        t.kept
    } else {
        t.better
    });
    // Apply when better; the learner may also choose the new ones anyway.
    let label = if result.kept_current {
        t.apply_anyway
    } else {
        t.apply
    };
    // Into the values on screen: saved with them.
    if draft.fsrs_params != result.parameters && ui.button(label).clicked() {
        draft.fsrs_params.clone_from(&result.parameters);
    }
}
