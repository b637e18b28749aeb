//! The screen showing, drawn in the central panel (and the browser's editor pane beside it),
//! each screen's `*_ui` given the view data it needs.

use super::{KartuApp, Screen, local_time_text};
use crate::core::model::settings::DEFAULT_PRESET;
use crate::core::stats::{Evaluated, Optimized, Simulated};
use crate::core::time::Timestamp;
use crate::ui::backups::backups_ui;
use crate::ui::browse::{BrowseView, browse_ui};
use crate::ui::command::Command;
use crate::ui::deck_edit::{DeckView, deck_edit_ui};
use crate::ui::deck_list::deck_list_ui;
use crate::ui::deck_options::deck_options_ui;
use crate::ui::editor::{EditorView, editor_ui};
use crate::ui::export::export_ui;
use crate::ui::i18n::Texts;
use crate::ui::import::{ImportView, import_ui};
use crate::ui::settings::{OptimizeView, settings_ui};
use crate::ui::stats::{StatsView, stats_ui};
use crate::ui::study::{StudyView, study_ui};
use crate::ui::theme;
use crate::ui::worker::{JobKind, Worker};
use crate::ui::workload::WorkloadView;

impl KartuApp {
    /// Draws the screen showing; returns the study view it drew, if studying.
    pub(super) fn screen_ui(
        &mut self,
        ui: &mut egui::Ui,
        now: Timestamp,
        tr: &'static Texts,
        commands: &mut Vec<Command>,
    ) -> Option<StudyView> {
        let editor_extras = self
            .editor()
            .map(|editor| (self.preview(&editor.draft), self.deck_choices()));
        let browse_decks = matches!(self.screen, Screen::Browse(_)).then(|| self.deck_choices());
        let selected_notes = match &self.screen {
            Screen::Browse(browser) if browser.draft.confirm_delete => {
                browser.selected_notes(&self.collection).len()
            }
            _ => 0,
        };
        let deck_extras = match &self.screen {
            Screen::DeckEdit(deck_screen) => {
                let id = &deck_screen.draft.header.id;
                let cards = self
                    .collection
                    .deck_summaries(now)
                    .iter()
                    .find(|s| &s.id == id)
                    .map_or(0, |s| s.card_count);
                let parents = if deck_screen.draft.is_new {
                    self.deck_choices()
                } else {
                    self.parent_choices(id)
                };
                Some((parents, cards))
            }
            _ => None,
        };
        let stats_decks = matches!(self.screen, Screen::Stats(_)).then(|| self.deck_choices());
        let study_view = match &self.screen {
            Screen::Study(study) => Some(self.study_view(study, now, ui.input(|i| i.time))),
            _ => None,
        };
        if let (Screen::Browse(browser), Some((preview, decks))) =
            (&mut self.screen, &editor_extras)
            && let Some(pane) = &mut browser.pane
        {
            egui::Panel::right("browse-pane")
                .default_size(theme::PANE_WIDTH)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        ui.label(egui::RichText::new(tr.browse.pane_hint).small().weak());
                        let view = EditorView {
                            decks,
                            known_tags: &pane.known_tags,
                            preview,
                            beside: true,
                        };
                        editor_ui(ui, &mut pane.draft, &view, &mut self.markdown, tr, commands);
                    });
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .auto_shrink(false)
                .show(ui, |ui| match (&mut self.screen, &study_view) {
                    (Screen::Study(_), Some(view)) => {
                        study_ui(ui, view, &mut self.markdown, tr, commands);
                    }
                    (Screen::Import(import), _) => {
                        let view = ImportView {
                            file_name: import.file_name(),
                            plan: import.plan.as_ref(),
                            error: import.error.as_deref(),
                            csv_rows: import.csv_rows.as_deref(),
                            reading: import.reading,
                            installing: import.installing,
                        };
                        import_ui(ui, &view, import.layout.as_mut(), tr, commands);
                    }
                    (Screen::Export(draft), _) => export_ui(ui, draft, tr, commands),
                    (Screen::Stats(state), _) => {
                        let decks = stats_decks.as_deref().unwrap_or_default();
                        let computing = state.shows_spinner(ui.ctx());
                        let view = StatsView {
                            stats: &state.stats,
                            decks,
                            calendar_dates: &state.dates,
                            computing,
                            ready: state.is_ready(),
                        };
                        stats_ui(ui, &mut state.draft, &view, tr, commands);
                    }
                    (Screen::Edit(editor), _) => {
                        if let Some((preview, decks)) = &editor_extras {
                            let view = EditorView {
                                decks,
                                known_tags: &editor.known_tags,
                                preview,
                                beside: false,
                            };
                            editor_ui(
                                ui,
                                &mut editor.draft,
                                &view,
                                &mut self.markdown,
                                tr,
                                commands,
                            );
                        }
                    }
                    (Screen::DeckEdit(deck_screen), _) => {
                        if let Some((parents, cards)) = &deck_extras {
                            let view = DeckView {
                                parents,
                                cards: *cards,
                            };
                            deck_edit_ui(ui, &mut deck_screen.draft, &view, tr, commands);
                        }
                    }
                    (Screen::Browse(browser), _) => {
                        let mut draft = std::mem::take(&mut browser.draft);
                        let view = BrowseView {
                            rows: &browser.rows(tr),
                            total: browser.total(),
                            error: browser.error.clone(),
                            decks: browse_decks.as_deref().unwrap_or_default(),
                            selected_notes,
                            loading: browser.building || browser.stale,
                        };
                        browse_ui(ui, &mut draft, &view, tr, commands);
                        browser.draft = draft;
                    }
                    (Screen::Settings(draft), _) => {
                        let (view, workload) = preset_views(
                            &self.worker,
                            self.optimized.as_ref(),
                            self.evaluated.as_ref(),
                            self.simulated.as_ref(),
                            DEFAULT_PRESET,
                        );
                        settings_ui(ui, draft, &view, &workload, tr, commands);
                    }
                    (Screen::DeckOptions(draft), _) => {
                        let preset = draft.preset.clone();
                        let (view, workload) = preset_views(
                            &self.worker,
                            self.optimized.as_ref(),
                            self.evaluated.as_ref(),
                            self.simulated.as_ref(),
                            &preset,
                        );
                        deck_options_ui(ui, draft, &view, &workload, tr, commands);
                    }
                    (Screen::Backups(backups), _) => {
                        backups_ui(ui, backups, &|b| local_time_text(b.at), tr, commands);
                    }
                    _ => deck_list_ui(
                        ui,
                        &self.summaries,
                        self.collection.progress().card_count() == 0,
                        &self.state.collapsed,
                        &mut self.selected_deck,
                        tr,
                        commands,
                    ),
                });
        });
        study_view
    }
}

/// What Optimize and the simulator show for the preset `name`: running, and what the last
/// run for it found.
fn preset_views<'a>(
    worker: &Worker<super::JobDone>,
    optimized: Option<&'a (String, Optimized)>,
    evaluated: Option<&'a (String, Evaluated)>,
    simulated: Option<&'a (String, Simulated)>,
    name: &str,
) -> (OptimizeView<'a>, WorkloadView<'a>) {
    let optimize = OptimizeView {
        running: worker.is_running(JobKind::Optimize),
        result: optimized
            .filter(|(preset, _)| preset == name)
            .map(|(_, found)| found),
        evaluated: evaluated
            .filter(|(preset, _)| preset == name)
            .map(|(_, found)| found),
    };
    let workload = WorkloadView {
        running: worker.is_running(JobKind::Simulate),
        result: simulated
            .filter(|(preset, _)| preset == name)
            .map(|(_, found)| found),
    };
    (optimize, workload)
}
