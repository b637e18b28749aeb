//! The app: owns the collection, builds each screen's view, applies commands after the frame.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use egui::{Key, KeyboardShortcut, Modifiers, RichText};
use serde::{Deserialize, Serialize};

use super::backups::backups_ui;
use super::command::Command;
use super::deck_list::deck_list_ui;
use super::dialogs::FileDialogs;
use super::i18n::{Lang, Texts, fill};
use super::settings::settings_ui;
use super::study::{CardView, StudyView, study_ui};
use super::theme;
use crate::core::backup::BackupInfo;
use crate::core::collection::{Collection, DeckSummary};
use crate::core::deck::DeckId;
use crate::core::scheduler::Rating;
use crate::core::session::StudySession;
use crate::core::settings::Settings;
use crate::core::time::Timestamp;

/// Where the app gets the time from (the real clock, or a fixed one in tests).
pub type Clock = Box<dyn Fn() -> Timestamp>;

/// How long to wait before trying a failed snapshot again.
const SNAPSHOT_RETRY: Duration = Duration::from_mins(1);

/// Deck counts are recomputed at least this often, as cards fall due.
const SUMMARY_REFRESH_SECS: i64 = 30;

/// UI preferences kept in eframe's storage (progress and settings live in the data dir).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct UiState {
    /// The deck highlighted in the list.
    selected_deck: Option<String>,
}

/// Which screen is showing.
enum Screen {
    Decks,
    Study(StudyState),
    Settings(Box<Settings>),
    Backups(Vec<BackupInfo>),
}

struct StudyState {
    session: StudySession,
    revealed: bool,
    /// egui time (seconds) when the current card appeared, for the answer duration.
    shown_at_secs: f64,
}

enum StatusKind {
    Info,
    Error,
}

struct Status {
    text: String,
    kind: StatusKind,
}

/// A file dialog's answer, sent back from its worker thread.
enum DialogOutcome {
    Import(Option<PathBuf>),
    Export(DeckId, Option<PathBuf>),
}

/// The Kartu window.
pub struct KartuApp {
    state: UiState,
    collection: Collection,
    screen: Screen,
    lang: Lang,
    selected_deck: usize,
    summaries: Vec<DeckSummary>,
    summaries_at: Option<Timestamp>,
    status: Option<Status>,
    dialogs: Arc<dyn FileDialogs>,
    dialog_sender: Sender<DialogOutcome>,
    dialog_receiver: Receiver<DialogOutcome>,
    dialog_open: bool,
    /// Answers of a finished background snapshot: the sequence number it holds.
    snapshot_sender: Sender<crate::core::Result<u64>>,
    snapshot_receiver: Receiver<crate::core::Result<u64>>,
    snapshot_running: bool,
    /// After a failed snapshot, no new one before this (the journal keeps the answers safe).
    snapshot_retry_at: Option<std::time::Instant>,
    /// Background backups not yet reported back.
    backups_running: usize,
    /// Results of background backups.
    backup_sender: Sender<crate::core::Result<BackupInfo>>,
    backup_receiver: Receiver<crate::core::Result<BackupInfo>>,
    /// After unreadable progress was set aside: the backup offered in the status bar.
    offered_backup: Option<BackupInfo>,
    clock: Clock,
    commands: Vec<Command>,
}

impl KartuApp {
    /// A window on `collection`, asking for files through `dialogs` and the time from `clock`.
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        collection: Collection,
        dialogs: Arc<dyn FileDialogs>,
        clock: Clock,
    ) -> Self {
        theme::apply(&cc.egui_ctx);
        let state: UiState = cc
            .storage
            .and_then(|storage| eframe::get_value(storage, eframe::APP_KEY))
            .unwrap_or_default();
        let (dialog_sender, dialog_receiver) = channel();
        let (snapshot_sender, snapshot_receiver) = channel();
        let (backup_sender, backup_receiver) = channel();
        let lang = Lang::resolve(collection.settings().language.as_deref());
        let status = (!collection.problems().is_empty()).then(|| Status {
            text: format!(
                "{} {}",
                lang.texts().open_problems,
                collection.problems().join(" · ")
            ),
            kind: StatusKind::Error,
        });
        let mut app = Self {
            state,
            collection,
            screen: Screen::Decks,
            lang,
            selected_deck: 0,
            summaries: Vec::new(),
            summaries_at: None,
            status,
            dialogs,
            dialog_sender,
            dialog_receiver,
            dialog_open: false,
            snapshot_sender,
            snapshot_receiver,
            snapshot_running: false,
            snapshot_retry_at: None,
            backups_running: 0,
            backup_sender,
            backup_receiver,
            offered_backup: None,
            clock,
            commands: Vec::new(),
        };
        let progress_set_aside = app.recover_unreadable_progress();
        app.set_aside_unreadable_decks(progress_set_aside);
        app.refresh_summaries((app.clock)());
        if let Some(id) = &app.state.selected_deck {
            app.selected_deck = app
                .summaries
                .iter()
                .position(|s| &s.id.0 == id)
                .unwrap_or(0);
        }
        app
    }

    /// The collection, for tests.
    #[must_use]
    pub fn collection(&self) -> &Collection {
        &self.collection
    }

    fn texts(&self) -> &'static Texts {
        self.lang.texts()
    }

    fn refresh_summaries(&mut self, now: Timestamp) {
        self.summaries = self.collection.deck_summaries(now);
        self.summaries_at = Some(now);
    }

    fn set_error(&mut self, template: &str, error: &dyn std::fmt::Display) {
        self.status = Some(Status {
            text: fill(template, &[("error", &error.to_string())]),
            kind: StatusKind::Error,
        });
    }

    fn set_info(&mut self, text: String) {
        self.status = Some(Status {
            text,
            kind: StatusKind::Info,
        });
    }

    fn study_view(&self, study: &StudyState, now: Timestamp) -> StudyView {
        let tr = self.texts();
        let deck_id = study.session.deck();
        let deck = self.collection.deck(deck_id).ok();
        let card = study.session.current().and_then(|card_id| {
            let card = deck?.card(card_id)?;
            let preview = self.collection.preview(deck_id, card_id, now).ok()?;
            Some(CardView {
                front: card.front().to_owned(),
                back: card.back().to_owned(),
                notes: card.notes().map(str::to_owned),
                example: card.example().map(str::to_owned),
                tags: card.tags().map(str::to_owned).collect(),
                intervals: Rating::ALL.map(|rating| tr.interval(preview.get(rating).interval_secs)),
            })
        });
        let next_due = if card.is_none() {
            self.collection
                .next_due(deck_id, now)
                .ok()
                .flatten()
                .map(|due| {
                    let wait_secs = u64::try_from(due.unix_secs() - now.unix_secs()).unwrap_or(0);
                    (local_time_text(due), tr.interval(wait_secs))
                })
        } else {
            None
        };
        StudyView {
            deck_title: deck.map(|d| d.deck.title.clone()).unwrap_or_default(),
            counts: self
                .collection
                .deck_counts(deck_id, now)
                .unwrap_or_default(),
            card,
            revealed: study.revealed,
            can_undo: study.session.can_undo(),
            next_due,
        }
    }

    /// Deck files that do not parse are set aside (kept, renamed) and the learner told where.
    /// `after_progress`: the status already says progress was set aside; add to it.
    fn set_aside_unreadable_decks(&mut self, after_progress: bool) {
        if self.collection.unreadable_decks().is_empty()
            || self.collection.read_only_reason().is_some()
        {
            return;
        }
        let tr = self.texts();
        match self.collection.set_aside_unreadable_decks((self.clock)()) {
            Ok(moved) => {
                let text: Vec<String> = moved
                    .iter()
                    .map(|(path, error)| {
                        fill(
                            tr.deck_set_aside,
                            &[("error", error), ("path", &path.display().to_string())],
                        )
                    })
                    .collect();
                let mut text = text.join(" ");
                if !after_progress {
                    // Replaces the list of problems read at start, which named the deck.
                    let others = self.collection.problems();
                    if !others.is_empty() {
                        text = format!("{text} {} {}", tr.open_problems, others.join(" · "));
                    }
                } else if let Some(status) = &self.status {
                    // After the message about progress set aside.
                    text = format!("{} {text}", status.text);
                }
                self.status = Some(Status {
                    text,
                    kind: StatusKind::Error,
                });
            }
            Err(err) => self.set_error(tr.failed, &err),
        }
    }

    /// Progress that does not parse is set aside (kept, renamed) so the learner can go on,
    /// and the newest backup is offered.
    /// Returns whether it did (and said so in the status line).
    fn recover_unreadable_progress(&mut self) -> bool {
        let Some(error) = self.collection.progress_error().map(str::to_owned) else {
            return false;
        };
        let tr = self.texts();
        match self.collection.set_aside_corrupt_progress((self.clock)()) {
            Ok(moved) if !moved.is_empty() => {
                let paths: Vec<String> = moved.iter().map(|p| p.display().to_string()).collect();
                self.status = Some(Status {
                    text: fill(
                        tr.set_aside,
                        &[("error", &error), ("path", &paths.join(", "))],
                    ),
                    kind: StatusKind::Error,
                });
                self.offered_backup = self.newest_backup();
                true
            }
            // Files that read but do not fit together: kept as they are, a backup offered.
            Ok(_) if self.collection.progress_restorable() => {
                self.status = Some(Status {
                    text: fill(tr.inconsistent, &[("error", &error)]),
                    kind: StatusKind::Error,
                });
                self.offered_backup = self.newest_backup();
                true
            }
            // Not a parse problem (permissions, a newer Kartu): stay read-only, as the banner says.
            Ok(_) => false,
            Err(err) => {
                self.set_error(tr.failed, &err);
                false
            }
        }
    }

    /// The backup of the latest progress, to offer when progress cannot be used.
    fn newest_backup(&self) -> Option<BackupInfo> {
        let backups = self.collection.backups().ok()?;
        crate::core::backup::newest(&backups).cloned()
    }

    /// Writes a backup on a worker thread when the policy says one is due.
    fn start_backup_if_due(&mut self, ctx: &egui::Context, now: Timestamp) {
        // Both read the files a snapshot rewrites: one background job at a time.
        if self.snapshot_running || self.backups_running > 0 {
            return;
        }
        let Some(job) = self.collection.backup_job(now) else {
            return;
        };
        let sender = self.backup_sender.clone();
        let ctx = ctx.clone();
        self.backups_running += 1;
        std::thread::spawn(move || {
            // The receiver only goes away when the app closes, and on_exit waits for us.
            sender.send(job.run()).ok();
            ctx.request_repaint();
        });
    }

    fn poll_backups(&mut self) {
        while let Ok(result) = self.backup_receiver.try_recv() {
            self.finish_backup(result);
        }
    }

    fn finish_backup(&mut self, result: crate::core::Result<BackupInfo>) {
        self.backups_running = self.backups_running.saturating_sub(1);
        // Progress itself is safe; say so rather than hide a failing backup.
        if let Err(err) = result {
            self.set_error(self.texts().failed, &err);
        }
    }

    /// Waits for background snapshot and backup writes, so nothing lands after what follows.
    fn wait_for_background_writes(&mut self) {
        if self.snapshot_running
            && let Ok(result) = self.snapshot_receiver.recv()
        {
            self.finish_snapshot(result);
        }
        while self.backups_running > 0 {
            let Ok(result) = self.backup_receiver.recv() else {
                break;
            };
            self.finish_backup(result);
        }
    }

    /// Folds the journal into a new snapshot on a worker thread when it has grown long.
    fn start_snapshot_if_due(&mut self, ctx: &egui::Context) {
        if self.snapshot_running
            || self.backups_running > 0
            || self
                .snapshot_retry_at
                .is_some_and(|at| std::time::Instant::now() < at)
        {
            return;
        }
        let Some(job) = self.collection.snapshot_job(false) else {
            return;
        };
        self.snapshot_running = true;
        let sender = self.snapshot_sender.clone();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            // The receiver only goes away when the app closes, and on_exit waits for us.
            sender.send(job.run()).ok();
            ctx.request_repaint();
        });
    }

    fn finish_snapshot(&mut self, result: crate::core::Result<u64>) {
        self.snapshot_running = false;
        let outcome = result.and_then(|seq| self.collection.finish_snapshot(seq));
        // The answers are safe in the journal either way; try again in a minute, not at once.
        match outcome {
            Ok(()) => self.snapshot_retry_at = None,
            Err(err) => {
                self.snapshot_retry_at = Some(std::time::Instant::now() + SNAPSHOT_RETRY);
                self.set_error(self.texts().failed, &err);
            }
        }
    }

    fn poll_snapshot(&mut self) {
        if let Ok(result) = self.snapshot_receiver.try_recv() {
            self.finish_snapshot(result);
        }
    }

    fn poll_dialogs(&mut self) {
        while let Ok(outcome) = self.dialog_receiver.try_recv() {
            self.dialog_open = false;
            let tr = self.texts();
            match outcome {
                // A cancelled dialog does nothing.
                DialogOutcome::Import(None) | DialogOutcome::Export(_, None) => {}
                DialogOutcome::Import(Some(path)) => {
                    match self.collection.import_deck_file(&path) {
                        Ok(outcome) => {
                            let text = match outcome.replaced_version {
                                Some(old) => fill(
                                    tr.updated,
                                    &[
                                        ("title", &outcome.title),
                                        ("old", &old.to_string()),
                                        (
                                            "new",
                                            &self
                                                .collection
                                                .deck(&outcome.deck)
                                                .map(|d| d.deck.version.to_string())
                                                .unwrap_or_default(),
                                        ),
                                    ],
                                ),
                                None => fill(
                                    tr.imported,
                                    &[
                                        ("title", &outcome.title),
                                        ("n", &outcome.card_count.to_string()),
                                    ],
                                ),
                            };
                            self.set_info(text);
                            self.summaries_at = None;
                            if let Some(row) = self
                                .collection
                                .deck_summaries((self.clock)())
                                .iter()
                                .position(|s| s.id == outcome.deck)
                            {
                                self.selected_deck = row;
                            }
                        }
                        Err(err) => self.set_error(tr.import_failed, &err),
                    }
                }
                DialogOutcome::Export(deck, Some(path)) => {
                    match self.collection.export_deck(&deck, &path) {
                        Ok(()) => self
                            .set_info(fill(tr.exported, &[("path", &path.display().to_string())])),
                        Err(err) => self.set_error(tr.export_failed, &err),
                    }
                }
            }
        }
    }

    /// Runs a file dialog on a worker thread; its answer arrives through the channel.
    fn spawn_dialog(
        &mut self,
        ctx: &egui::Context,
        ask: impl FnOnce(&dyn FileDialogs) -> DialogOutcome + Send + 'static,
    ) {
        if self.dialog_open {
            return;
        }
        self.dialog_open = true;
        let dialogs = Arc::clone(&self.dialogs);
        let sender = self.dialog_sender.clone();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let outcome = ask(dialogs.as_ref());
            // The receiver only goes away when the app closes; then the answer is moot.
            sender.send(outcome).ok();
            ctx.request_repaint();
        });
    }

    fn apply_commands(&mut self, ctx: &egui::Context, now: Timestamp) {
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
                    DialogOutcome::Import(dialogs.pick_deck_file(title))
                });
            }
            Command::ExportDeck(deck) => {
                let title = tr.export_dialog_title;
                let name = format!("{}.ron", deck.0);
                self.spawn_dialog(ctx, move |dialogs| {
                    let path = dialogs.save_deck_file(title, &name);
                    DialogOutcome::Export(deck, path)
                });
            }
            Command::DismissStatus => {
                self.status = None;
                self.offered_backup = None;
            }
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

    fn top_bar_ui(&mut self, ui: &mut egui::Ui) {
        let tr = self.texts();
        ui.add_space(theme::BAR_PADDING);
        ui.horizontal(|ui| {
            ui.label(RichText::new("Kartu").strong().size(18.0));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button(tr.settings).clicked() {
                    self.commands.push(Command::ShowSettings);
                }
                if ui.button(tr.backups).clicked() {
                    self.commands.push(Command::ShowBackups);
                }
                if ui
                    .add_enabled(!self.dialog_open, egui::Button::new(tr.import))
                    .clicked()
                {
                    self.commands.push(Command::ImportDeck);
                }
            });
        });
        ui.add_space(theme::BAR_PADDING);
    }

    fn status_bar_ui(&mut self, ui: &mut egui::Ui) {
        let tr = self.texts();
        if let Some(reason) = self.collection.read_only_reason() {
            ui.colored_label(
                theme::ERROR_COLOR,
                fill(tr.read_only, &[("reason", reason)]),
            );
        }
        if let Some(status) = &self.status {
            ui.horizontal_wrapped(|ui| {
                let color = match status.kind {
                    StatusKind::Info => ui.visuals().text_color(),
                    StatusKind::Error => theme::ERROR_COLOR,
                };
                ui.colored_label(color, &status.text);
                if let Some(backup) = &self.offered_backup {
                    let text = fill(
                        tr.offer_restore,
                        &[
                            ("when", &local_time_text(backup.at)),
                            ("cards", &backup.cards.to_string()),
                            ("reviews", &backup.reviews.to_string()),
                        ],
                    );
                    if ui.button(text).clicked() {
                        self.commands
                            .push(Command::RestoreBackup(backup.id.clone()));
                    }
                }
                if ui.small_button(tr.dismiss).clicked() {
                    self.commands.push(Command::DismissStatus);
                }
            });
        }
        let hint = match self.screen {
            Screen::Study(_) => tr.study_hint,
            Screen::Decks | Screen::Settings(_) | Screen::Backups(_) => tr.deck_list_hint,
        };
        ui.label(RichText::new(hint).small().weak());
    }
}

/// `2026-11-25 14:30` in the system time zone.
fn local_time_text(at: Timestamp) -> String {
    jiff::Timestamp::from_second(at.unix_secs()).map_or_else(
        |_| at.to_rfc3339(),
        |t| {
            t.to_zoned_datetime(jiff::tz::TimeZone::system())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        },
    )
}

impl eframe::App for KartuApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.poll_dialogs();
        self.poll_snapshot();
        self.poll_backups();
        let now = (self.clock)();
        // Only the deck list shows every deck's counts; the study screen counts its own deck.
        let stale = self
            .summaries_at
            .is_none_or(|at| now.unix_secs() - at.unix_secs() >= SUMMARY_REFRESH_SECS);
        if stale && matches!(self.screen, Screen::Decks) {
            self.refresh_summaries(now);
        }
        ui.input_mut(|input| {
            if input.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::O)) {
                self.commands.push(Command::ImportDeck);
            }
            if input.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Comma)) {
                self.commands.push(Command::ShowSettings);
            }
        });

        egui::Panel::top("top-bar").show(ui, |ui| self.top_bar_ui(ui));
        egui::Panel::bottom("status-bar").show(ui, |ui| self.status_bar_ui(ui));

        let tr = self.texts();
        let mut commands = std::mem::take(&mut self.commands);
        if let Screen::Study(study) = &mut self.screen
            && study.session.current().is_none()
        {
            // On the done screen, look again: a learning card may have come due.
            study.revealed = false;
            study.shown_at_secs = ui.input(|input| input.time);
            if let Err(err) = study.session.refresh(&self.collection, now) {
                self.set_error(tr.failed, &err);
            }
        }
        let study_view = match &self.screen {
            Screen::Study(study) => Some(self.study_view(study, now)),
            _ => None,
        };
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .auto_shrink(false)
                .show(ui, |ui| match (&mut self.screen, &study_view) {
                    (Screen::Study(_), Some(view)) => study_ui(ui, view, tr, &mut commands),
                    (Screen::Settings(draft), _) => settings_ui(ui, draft, tr, &mut commands),
                    (Screen::Backups(backups), _) => {
                        backups_ui(ui, backups, &|b| local_time_text(b.at), tr, &mut commands);
                    }
                    _ => deck_list_ui(
                        ui,
                        &self.summaries,
                        &mut self.selected_deck,
                        tr,
                        &mut commands,
                    ),
                });
        });
        if let Some(StudyView { card: None, .. }) = &study_view {
            // Come back when the next learning card is due (at most a minute from now).
            ui.ctx().request_repaint_after(Duration::from_mins(1));
        }
        self.commands = commands;
        self.apply_commands(&ui.ctx().clone(), now);
        self.start_snapshot_if_due(&ui.ctx().clone());
        self.start_backup_if_due(&ui.ctx().clone(), now);
        let notices = self.collection.take_notices();
        if !notices.is_empty() {
            self.set_info(notices.join(" · "));
        }
        if let Some(summary) = self.summaries.get(self.selected_deck) {
            self.state.selected_deck = Some(summary.id.0.clone());
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.state);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // One snapshot at a time, or an older one could land after a newer one; and no
        // backup left half-written.
        self.wait_for_background_writes();
        if let Some(job) = self.collection.snapshot_job(true) {
            let outcome = job
                .run()
                .and_then(|seq| self.collection.finish_snapshot(seq));
            // Nothing is lost if this fails: the next start replays the journal.
            if let Err(err) = outcome {
                eprintln!("kartu: writing the progress snapshot at exit: {err}");
            }
        }
    }
}
