//! Applying the screens' commands to the core, after the frame.

use super::{JobDone, KartuApp, Screen, StudyState, local_time_text};
use crate::core::study::session::StudySession;
use crate::core::time::Timestamp;
use crate::ui::command::Command;
use crate::ui::i18n::{Lang, fill};
use crate::ui::status::{Status, StatusKind};

impl KartuApp {
    pub(super) fn apply_commands(&mut self, ctx: &egui::Context, now: Timestamp) {
        let egui_time = ctx.input(|input| input.time);
        for command in std::mem::take(&mut self.commands) {
            self.apply(command, ctx, now, egui_time);
        }
    }

    fn apply(&mut self, command: Command, ctx: &egui::Context, now: Timestamp, egui_time: f64) {
        let tr = self.texts();
        match command {
            Command::Study(deck) => {
                match StudySession::start(&self.collection, deck.clone(), now) {
                    Ok(session) => {
                        self.state.selected_deck = Some(deck.0);
                        self.screen = Screen::Study(StudyState {
                            session,
                            revealed: false,
                            shown_at_secs: egui_time,
                        });
                    }
                    Err(err) => self.set_error(tr.failed, &err),
                }
            }
            Command::Reveal => {
                if let Screen::Study(study) = &mut self.screen {
                    study.revealed = true;
                }
            }
            Command::Answer(rating) => {
                let Screen::Study(study) = &mut self.screen else {
                    return;
                };
                if !study.revealed || study.session.current().is_none() {
                    return;
                }
                let duration_ms = ((egui_time - study.shown_at_secs).max(0.0) * 1000.0)
                    .min(f64::from(u32::MAX)) as u32;
                match study
                    .session
                    .answer(&mut self.collection, rating, now, duration_ms)
                {
                    Ok(()) => {
                        study.revealed = false;
                        study.shown_at_secs = egui_time;
                        if matches!(
                            self.status,
                            Some(Status {
                                kind: StatusKind::Error,
                                ..
                            })
                        ) {
                            self.status = None;
                        }
                    }
                    Err(err @ crate::core::Error::ReadOnly(_)) => self.set_error(tr.failed, &err),
                    Err(err) => self.set_error(tr.save_failed, &err),
                }
                self.summaries_at = None;
            }
            Command::Undo => {
                let Screen::Study(study) = &mut self.screen else {
                    return;
                };
                if !study.session.can_undo() {
                    return;
                }
                match study.session.undo(&mut self.collection) {
                    Ok(()) => {
                        study.revealed = false;
                        study.shown_at_secs = egui_time;
                    }
                    Err(err) => self.set_error(tr.failed, &err),
                }
                self.summaries_at = None;
            }
            Command::ShowDecks => {
                self.screen = Screen::Decks;
                self.summaries_at = None;
            }
            Command::ShowSettings => {
                self.screen = Screen::Settings(Box::new(self.collection.settings().clone()));
            }
            Command::SaveSettings(settings) => match self.collection.update_settings(settings) {
                Ok(()) => {
                    self.lang = Lang::resolve(self.collection.settings().language.as_deref());
                    self.set_info(self.texts().settings_saved.to_owned());
                    self.screen = Screen::Decks;
                    self.summaries_at = None;
                }
                Err(err) => self.set_error(tr.failed, &err),
            },
            Command::ImportDeck => {
                let title = tr.import_dialog_title;
                self.spawn_dialog(ctx, move |dialogs| {
                    JobDone::Import(dialogs.pick_deck_file(title))
                });
            }
            Command::ConfirmImport => self.confirm_import(now),
            Command::CancelImport => self.cancel_import(),
            Command::RereadImport(layout) => {
                if let Screen::Import(state) = &self.screen {
                    let path = state.path.clone();
                    self.start_import_read(ctx, path, Some(layout), now);
                }
            }
            Command::ExportDeck(deck) => {
                if let Some(draft) = self.export_draft(deck) {
                    self.screen = Screen::Export(draft);
                }
            }
            Command::ExportTo(draft) => self.ask_where_to_export(ctx, draft),
            Command::ToggleDeck(deck) => {
                if !self.state.collapsed.remove(&deck.0) {
                    self.state.collapsed.insert(deck.0);
                }
            }
            Command::DismissStatus => {
                self.status = None;
                self.offered_backup = None;
            }
            Command::CancelJob(id) => self.worker.cancel(id),
            Command::ShowBackups => match self.collection.backups() {
                Ok(backups) => self.screen = Screen::Backups(backups),
                Err(err) => self.set_error(tr.failed, &err),
            },
            Command::RestoreBackup(id) => {
                // A running snapshot must not land after the restored one.
                self.wait_for_background_writes();
                let when = self
                    .collection
                    .backups()
                    .ok()
                    .and_then(|all| all.into_iter().find(|b| b.id == id))
                    .map_or_else(|| id.clone(), |b| local_time_text(b.at));
                match self.collection.restore_backup(&id, now) {
                    Ok(_) => {
                        self.set_info(fill(tr.restored, &[("when", &when)]));
                        self.offered_backup = None;
                        self.screen = Screen::Decks;
                        self.summaries_at = None;
                    }
                    Err(err) => self.set_error(tr.failed, &err),
                }
            }
        }
    }
}
