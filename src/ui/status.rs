//! The status bar: the read-only banner, the last message (with a backup to restore, when one
//! is offered), the background jobs with their progress and Cancel, and the keys of the
//! screen.

use egui::RichText;

use super::command::Command;
use super::i18n::{Texts, fill};
use super::theme;
use super::worker::RunningJob;

/// Whether a message reports something done or something wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusKind {
    /// Something done.
    Info,
    /// Something wrong.
    Error,
}

/// The message in the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    /// What it says.
    pub text: String,
    /// How it is shown.
    pub kind: StatusKind,
}

impl Status {
    /// Something done.
    #[must_use]
    pub fn info(text: String) -> Self {
        Self {
            text,
            kind: StatusKind::Info,
        }
    }

    /// Something wrong.
    #[must_use]
    pub fn error(text: String) -> Self {
        Self {
            text,
            kind: StatusKind::Error,
        }
    }
}

/// A backup offered for restoring in the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfferedBackup {
    /// Its id.
    pub id: String,
    /// When it was made, for the learner.
    pub when: String,
    /// Cards with progress in it.
    pub cards: usize,
    /// Reviews in it.
    pub reviews: usize,
}

/// Everything the status bar shows.
#[derive(Clone, Debug, Default)]
pub struct StatusView {
    /// Why nothing can be saved, if so.
    pub read_only: Option<String>,
    /// The last message.
    pub status: Option<Status>,
    /// A backup to offer with it.
    pub offered_backup: Option<OfferedBackup>,
    /// Background jobs still running.
    pub jobs: Vec<RunningJob>,
    /// The keys of the screen.
    pub hint: &'static str,
}

/// The status bar at the bottom of the window.
pub fn status_bar_ui(
    ui: &mut egui::Ui,
    view: &StatusView,
    tr: &Texts,
    commands: &mut Vec<Command>,
) {
    if let Some(reason) = &view.read_only {
        ui.colored_label(
            theme::ERROR_COLOR,
            fill(tr.read_only, &[("reason", reason)]),
        );
    }
    if let Some(status) = &view.status {
        ui.horizontal_wrapped(|ui| {
            let color = match status.kind {
                StatusKind::Info => ui.visuals().text_color(),
                StatusKind::Error => theme::ERROR_COLOR,
            };
            ui.colored_label(color, &status.text);
            if let Some(backup) = &view.offered_backup {
                let text = fill(
                    tr.offer_restore,
                    &[
                        ("when", &backup.when),
                        ("cards", &backup.cards.to_string()),
                        ("reviews", &backup.reviews.to_string()),
                    ],
                );
                if ui.button(text).clicked() {
                    commands.push(Command::RestoreBackup(backup.id.clone()));
                }
            }
            if ui.small_button(tr.dismiss).clicked() {
                commands.push(Command::DismissStatus);
            }
        });
    }
    for job in &view.jobs {
        ui.horizontal(|ui| {
            ui.label(&job.label);
            ui.add(
                egui::ProgressBar::new(job.progress)
                    .desired_width(theme::PROGRESS_BAR_WIDTH)
                    .show_percentage(),
            );
            if job.cancellable && ui.small_button(tr.cancel).clicked() {
                commands.push(Command::CancelJob(job.id));
            }
        });
    }
    ui.label(RichText::new(view.hint).small().weak());
}
