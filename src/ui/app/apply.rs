//! Applying the screens' commands to the core, after the frame.

use super::jobs::PresetWork;
use super::{JobDone, KartuApp, Screen, StudyState, local_time_text};
use crate::core::collection::Action;
use crate::core::ids::{CardId, DeckId};
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
                            done: 0,
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
                    Ok(record) => {
                        study.revealed = false;
                        study.shown_at_secs = egui_time;
                        study.done += 1;
                        if let Some(record) = record {
                            self.history.push(Action::Answer(record));
                            self.redo.clear();
                        }
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
            Command::ShowBrowser => self.open_browser(),
            Command::ShowStats => self.open_stats(ctx, now),
            Command::Optimize(preset) => {
                self.start_preset_work(ctx, PresetWork::Optimize, preset, now);
            }
            Command::Evaluate(preset) => {
                self.start_preset_work(ctx, PresetWork::Evaluate, preset, now);
            }
            Command::Simulate(preset) => {
                self.start_preset_work(ctx, PresetWork::Simulate, preset, now);
            }
            Command::DeckOptions(deck) => {
                if let Ok(installed) = self.collection.deck(&deck) {
                    let title = installed.deck.title.clone();
                    self.screen = Screen::DeckOptions(Box::new(
                        crate::ui::deck_options::DeckOptionsDraft::new(
                            deck,
                            title,
                            self.collection.settings().clone(),
                        ),
                    ));
                }
            }
            Command::AddNote(deck) => self.open_editor(deck, None),
            Command::EditCard(deck, card) => self.edit_card(deck, &card),
            Command::EditCurrent => self.edit_current(),
            Command::SaveNote => self.save_note(now),
            Command::DuplicateNote => self.duplicate_note(),
            Command::DeleteNote => self.delete_note(now),
            Command::InsertImage => self.ask_for_image(ctx),
            Command::CloseEditor => self.close_editor(now),
            Command::NewDeck(parent) => self.open_deck_screen(None, parent),
            Command::EditDeck(deck) => self.open_deck_screen(Some(deck), None),
            Command::SaveDeck => self.save_deck(),
            Command::DeleteDeck => self.delete_deck(),
            Command::SuspendSelected(_) | Command::BurySelected | Command::ForgetSelected => {
                let Screen::Browse(browser) = &self.screen else {
                    return;
                };
                let cards = browser.selected_ids(&self.collection);
                let (done, text) = match command {
                    Command::SuspendSelected(true) => {
                        (self.collection.suspend(&cards, true), tr.browse.suspended)
                    }
                    Command::SuspendSelected(false) => (
                        self.collection.suspend(&cards, false),
                        tr.browse.unsuspended,
                    ),
                    Command::BurySelected => (self.collection.bury(&cards, now), tr.browse.buried),
                    _ => (self.collection.forget(&cards), tr.browse.forgotten),
                };
                self.record(done, text);
                self.after_progress_changed(cards);
            }
            Command::TagSelected(add, tags) => {
                self.tag_selected(add, &tags);
                self.after_cards_changed(now, egui_time);
            }
            Command::DeleteSelected => {
                self.delete_selected(now);
                self.after_cards_changed(now, egui_time);
            }
            Command::MoveSelected(deck) => {
                self.move_selected(&deck, now);
                self.after_cards_changed(now, egui_time);
            }
            Command::Undo => self.undo(now, egui_time),
            Command::Redo => self.redo(now, egui_time),
            Command::SuspendCurrent | Command::BuryCurrent => {
                let Screen::Study(study) = &self.screen else {
                    return;
                };
                let Some((deck, card)) = study.session.current_card() else {
                    return;
                };
                let cards = [(deck.clone(), card.clone())];
                let done = if command == Command::SuspendCurrent {
                    self.collection.suspend(&cards, true)
                } else {
                    self.collection.bury(&cards, now)
                };
                let text = if command == Command::SuspendCurrent {
                    tr.browse.suspended
                } else {
                    tr.browse.buried
                };
                self.record(done, text);
                self.after_cards_changed(now, egui_time);
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
                    crate::ui::theme::set_theme(ctx, self.collection.settings().theme);
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
            Command::OpenFile(path) => self.start_import_read(ctx, path, None, now),
            Command::ConfirmImport => self.confirm_import(ctx, now),
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

impl KartuApp {
    /// Keeps a done action in the history (a new action clears what could be redone), or
    /// says why it failed.
    pub(super) fn record(&mut self, done: crate::core::Result<Action>, text: &str) {
        match done {
            Ok(action) => {
                let n = action.card_count().to_string();
                self.history.push(action);
                self.redo.clear();
                self.set_info(fill(text, &[("n", &n)]));
            }
            Err(err) => self.set_error(self.texts().failed, &err),
        }
    }

    /// After cards changed: study looks again for the card to show, counts are recounted.
    fn after_cards_changed(&mut self, now: Timestamp, egui_time: f64) {
        self.summaries_at = None;
        let tr = self.texts();
        if let Screen::Study(study) = &mut self.screen {
            study.revealed = false;
            study.shown_at_secs = egui_time;
            if let Err(err) = study.session.refresh(&self.collection, now) {
                self.set_error(tr.failed, &err);
            }
        }
        if let Screen::Browse(browser) = &mut self.screen {
            browser.stale = true;
        }
    }

    /// After cards' states alone changed (in the browser): counts are recounted, and the
    /// browser takes the cards' new progress without building its index again.
    fn after_progress_changed(&mut self, cards: Vec<(DeckId, CardId)>) {
        self.summaries_at = None;
        if let Screen::Browse(browser) = &mut self.screen {
            browser.progress_changed.extend(cards);
        }
    }

    /// After `action` was taken back or done again.
    fn after_action(&mut self, action: &Action, now: Timestamp, egui_time: f64) {
        match (action, &self.screen) {
            (Action::SetCards { after, .. }, Screen::Browse(_)) => {
                let cards = after
                    .iter()
                    .map(|(d, c, _)| (d.clone(), c.clone()))
                    .collect();
                self.after_progress_changed(cards);
            }
            _ => self.after_cards_changed(now, egui_time),
        }
    }

    /// Takes back the last action; an answer taken back in study shows its card again.
    fn undo(&mut self, now: Timestamp, egui_time: f64) {
        let tr = self.texts();
        let Some(action) = self.history.pop() else {
            return;
        };
        match self.collection.undo_action(&action) {
            Ok(()) => {
                self.after_action(&action, now, egui_time);
                if let (Action::Answer(record), Screen::Study(study)) = (&action, &mut self.screen)
                {
                    study
                        .session
                        .show(record.entry.deck.clone(), record.entry.card.clone());
                }
                self.set_info(tr.browse.undone.to_owned());
                self.redo.push(action);
            }
            Err(err) => self.set_error(tr.failed, &err),
        }
    }

    /// Does the last action taken back again.
    fn redo(&mut self, now: Timestamp, egui_time: f64) {
        let tr = self.texts();
        let Some(action) = self.redo.pop() else {
            return;
        };
        match self.collection.redo_action(&action) {
            Ok(()) => {
                self.after_action(&action, now, egui_time);
                self.set_info(tr.browse.redone.to_owned());
                self.history.push(action);
            }
            Err(err) => self.set_error(tr.failed, &err),
        }
    }
}
