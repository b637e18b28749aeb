//! The workload simulator in Settings: Simulate runs the `fsrs` crate's simulator on the
//! worker (progress and Cancel in the status bar), then two charts over desired retention
//! from 0.70 to 0.97, minutes of study a day and cards known after a year, with the
//! retention that costs least time per card remembered and the one in use marked.

use egui::RichText;
use egui_plot::{Legend, Line, Plot, PlotPoints, VLine};

use super::command::Command;
use super::i18n::{Texts, fill};
use super::theme;
use crate::core::model::settings::Preset;
use crate::core::stats::Simulated;

/// What the simulator shows.
pub struct WorkloadView<'a> {
    /// Whether it is running now.
    pub running: bool,
    /// What the last run found.
    pub result: Option<&'a Simulated>,
}

/// The simulator's section.
pub fn workload_ui(
    ui: &mut egui::Ui,
    draft: &mut Preset,
    view: &WorkloadView<'_>,
    tr: &Texts,
    commands: &mut Vec<Command>,
) {
    let t = tr.workload;
    ui.strong(t.heading);
    ui.label(RichText::new(t.explain).weak());
    if ui
        .add_enabled(!view.running, egui::Button::new(t.simulate))
        .clicked()
    {
        commands.push(Command::Simulate(draft.name.clone()));
    }
    let Some(result) = view.result else {
        return;
    };
    ui.label(fill(
        t.found,
        &[
            ("cards", &result.cards.to_string()),
            ("days", &result.days.to_string()),
            ("optimal", &format!("{:.2}", result.optimal_retention)),
            ("current", &format!("{:.2}", result.current_retention)),
        ],
    ));
    let series = |pick: fn(&crate::core::stats::WorkloadPoint) -> f32| -> Vec<[f64; 2]> {
        result
            .workload
            .iter()
            .map(|p| [f64::from(p.desired_retention), f64::from(pick(p))])
            .collect()
    };
    for (id, name, points, colour) in [
        (
            "workload-minutes",
            t.minutes,
            series(|p| p.minutes_per_day),
            theme::DUE_COLOR,
        ),
        (
            "workload-known",
            t.known,
            series(|p| p.cards_known),
            theme::MATURE_COLOR,
        ),
    ] {
        Plot::new(id)
            .height(theme::CHART_HEIGHT)
            .allow_zoom(false)
            .allow_drag(false)
            .allow_scroll(false)
            .legend(Legend::default())
            .x_axis_label(t.retention_axis)
            .show(ui, |plot| {
                plot.line(Line::new(name, PlotPoints::from(points)).color(colour));
                plot.vline(VLine::new(t.optimal, result.optimal_retention).color(theme::NEW_COLOR));
                plot.vline(
                    VLine::new(t.current, result.current_retention).color(theme::LEARNING_COLOR),
                );
            });
        ui.add_space(theme::SECTION_GAP / 2.0);
    }
    // Into the settings on screen: saved with the others.
    let optimal = (result.optimal_retention * 100.0).round() / 100.0;
    if (draft.desired_retention - optimal).abs() >= 0.005
        && ui
            .button(fill(
                t.use_optimal,
                &[("optimal", &format!("{optimal:.2}"))],
            ))
            .clicked()
    {
        draft.desired_retention = optimal;
    }
}
