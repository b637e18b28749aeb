//! What the window shows around the screens: the keyboard shortcuts window and the status
//! bar's view, and times in the learner's time zone.

use egui::{Key, Modifiers};

use super::{KartuApp, Screen};
use crate::core::time::Timestamp;
use crate::ui::status::{OfferedBackup, StatusView};
use crate::ui::worker::JobKind;

impl KartuApp {
    /// The keyboard shortcuts of everywhere and of the screen showing.
    pub(super) fn help_ui(&mut self, ui: &mut egui::Ui) {
        let help = self.texts().help;
        let screen: &[(&str, &str)] = match self.screen {
            Screen::Decks => help.decks,
            Screen::Study(_) => help.study,
            Screen::Browse(_) => help.browse,
            Screen::Edit(_) => help.editor,
            Screen::Import(_) => help.import,
            _ => &[],
        };
        let mut open = true;
        egui::Window::new(help.title)
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::vec2(0.0, 0.0))
            .show(ui.ctx(), |ui| {
                egui::Grid::new("shortcuts")
                    .striped(true)
                    .spacing([24.0, 6.0])
                    .show(ui, |ui| {
                        for (keys, what) in screen.iter().chain(help.anywhere) {
                            ui.strong(*keys);
                            ui.label(*what);
                            ui.end_row();
                        }
                    });
            });
        let closed = ui.input_mut(|input| input.consume_key(Modifiers::NONE, Key::Escape));
        if !open || closed {
            self.show_help = false;
        }
    }

    pub(super) fn status_view(&self) -> StatusView {
        let tr = self.texts();
        StatusView {
            read_only: self.collection.read_only_reason().map(str::to_owned),
            status: self.status.clone(),
            offered_backup: self.offered_backup.as_ref().map(|backup| OfferedBackup {
                id: backup.id.clone(),
                when: local_time_text(backup.at),
                cards: backup.cards,
                reviews: backup.reviews,
            }),
            jobs: self
                .worker
                .running()
                .into_iter()
                .filter(|job| job.kind != JobKind::Dialog)
                .collect(),
            hint: match self.screen {
                Screen::Study(_) => tr.study_hint,
                Screen::Import(_) => tr.transfer.hint,
                Screen::Browse(_) => tr.browse.hint,
                Screen::Edit(_) => tr.edit.hint,
                Screen::DeckEdit(_)
                | Screen::Stats(_)
                | Screen::DeckOptions(_)
                | Screen::Decks
                | Screen::Settings(_)
                | Screen::Backups(_)
                | Screen::Export(_) => tr.deck_list_hint,
            },
        }
    }
}

/// `2026-11-25` in the system time zone.
pub(super) fn local_date_text(at: Timestamp) -> String {
    jiff::Timestamp::from_second(at.unix_secs()).map_or_else(
        |_| at.to_rfc3339(),
        |t| {
            t.to_zoned_datetime(jiff::tz::TimeZone::system())
                .strftime("%Y-%m-%d")
                .to_string()
        },
    )
}

/// `2026-11-25 14:30` in the system time zone.
pub(super) fn local_time_text(at: Timestamp) -> String {
    jiff::Timestamp::from_second(at.unix_secs()).map_or_else(
        |_| at.to_rfc3339(),
        |t| {
            t.to_zoned_datetime(jiff::tz::TimeZone::system())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        },
    )
}

impl KartuApp {
    /// With `KARTU_TRACE_STARTUP` set, says on stderr how long after `started` (the process's
    /// start) the deck list is first drawn, and the memory held then (`VmHWM`); with
    /// `KARTU_TRACE_STARTUP=exit` the window then closes (for measuring start-up).
    pub fn trace_startup(&mut self, started: std::time::Instant) {
        if std::env::var_os("KARTU_TRACE_STARTUP").is_some() {
            self.startup = Some(started);
        }
    }

    /// At the end of a frame: reports start-up once the deck list has been drawn.
    pub(super) fn report_startup(&mut self, ctx: &egui::Context) {
        if !matches!(self.screen, Screen::Decks) {
            return;
        }
        let Some(started) = self.startup.take() else {
            return;
        };
        eprintln!(
            "kartu: deck list drawn {:.1} ms after start, VmHWM {}{}",
            started.elapsed().as_secs_f64() * 1e3,
            peak_memory(),
            if self.loading.is_some() {
                " (from the deck list's cache, the collection still loading)"
            } else {
                ""
            }
        );
        if std::env::var("KARTU_TRACE_STARTUP").is_ok_and(|v| v == "exit") {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
}

/// The process's peak resident memory (`VmHWM`), for start-up traces; empty off Linux.
pub(super) fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:").map(|v| v.trim().to_owned()))
        })
        .unwrap_or_default()
}
