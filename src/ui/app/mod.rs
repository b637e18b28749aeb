//! The app: owns the collection, builds each screen's view, applies commands after the frame,
//! and runs long work on the background worker.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use egui::{Key, KeyboardShortcut, Modifiers, RichText};
use serde::{Deserialize, Serialize};

mod apply;
mod browse;
mod edit;
mod jobs;
mod loading;
mod screens;
mod stats;
mod transfer;
mod view;

use view::{local_date_text, local_time_text};

use super::command::Command;
use super::dialogs::FileDialogs;
use super::export::ExportDraft;
use super::i18n::{Lang, Texts, fill};
use super::recovery::recover_at_start;
use super::status::{Status, status_bar_ui};
use super::study::{CardView, StudyView};
use super::theme;
use super::worker::{JobKind, Worker};
use crate::core::collection::{Collection, DeckSummary};
use crate::core::model::card::Rating;
use crate::core::model::settings::Settings;
use crate::core::storage::backup::BackupInfo;
use crate::core::study::session::StudySession;
use crate::core::time::Timestamp;

/// Where the app gets the time from (the real clock, or a fixed one in tests).
pub type Clock = Box<dyn Fn() -> Timestamp>;

/// How long to wait before trying a failed snapshot again.
const SNAPSHOT_RETRY: Duration = Duration::from_mins(1);

/// Edited decks are written into their files once edits have paused this long.
const EDIT_FOLD_AFTER: Duration = Duration::from_secs(20);

/// Deck counts are recomputed at least this often, as cards fall due.
const SUMMARY_REFRESH_SECS: i64 = 30;

/// UI preferences kept in eframe's storage (progress and settings live in the data dir).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct UiState {
    /// The deck highlighted in the list.
    selected_deck: Option<String>,
    /// Decks whose sub-decks are folded away in the list.
    collapsed: std::collections::BTreeSet<String>,
    /// The window's zoom (Ctrl+= / Ctrl+- / Ctrl+0), as the learner left it.
    zoom: Option<f32>,
}

/// Which screen is showing.
enum Screen {
    Decks,
    Study(StudyState),
    Settings(Box<Settings>),
    DeckOptions(Box<crate::ui::deck_options::DeckOptionsDraft>),
    Backups(Vec<BackupInfo>),
    Import(Box<transfer::ImportState>),
    Export(ExportDraft),
    Browse(Box<browse::BrowserState>),
    Edit(Box<edit::EditorState>),
    DeckEdit(Box<edit::DeckEditState>),
    Stats(Box<stats::StatsState>),
}

struct StudyState {
    session: StudySession,
    /// Cards answered in this session.
    done: usize,
    revealed: bool,
    /// egui time (seconds) when the current card appeared, for the answer duration.
    shown_at_secs: f64,
}

/// What a background job hands back to the UI thread.
enum JobDone {
    /// A snapshot was written up to this sequence number (or failed).
    Snapshot(crate::core::Result<u64>),
    /// A backup was written (or failed).
    Backup(crate::core::Result<BackupInfo>),
    /// The import dialog's answer.
    Import(Option<PathBuf>),
    /// A file read for import (or why not), with a CSV file's first rows.
    ImportRead(PathBuf, Box<transfer::ImportRead>),
    /// The export dialog's answer, for this export.
    Export(ExportDraft, Option<PathBuf>),
    /// The image dialog's answer.
    Image(Option<PathBuf>),
    /// Edited decks were written into their files up to this edit (or failed).
    EditFold(crate::core::Result<u64>),
    /// The optimizer's result (or why it stopped).
    Optimized(String, crate::core::Result<crate::core::stats::Optimized>),
    /// What Evaluate found, for a preset.
    Evaluated(String, crate::core::Result<crate::core::stats::Evaluated>),
    /// An import installed (or why not), with the collection back.
    Installed(Box<transfer::Installing>),
    /// An export written (or why not), and where.
    Exported(PathBuf, crate::core::Result<crate::core::export::Exported>),
    /// The browser's search index, built.
    Index(Box<crate::core::search::SearchIndex>),
    /// The statistics for a deck and range, and the history's counts to keep for the next.
    Stats(
        crate::ui::stats::StatsDraft,
        Box<crate::core::Result<crate::core::stats::Stats>>,
        Option<Box<crate::core::storage::stats_cache::StatsCache>>,
    ),
    /// The workload simulator's result, for a preset.
    Simulated(String, crate::core::Result<crate::core::stats::Simulated>),
    /// The statistics cache brought up to date (or not: it is only a head start, and a
    /// history that cannot be read says so when the statistics open).
    Counted,
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
    /// When the process started, while `KARTU_TRACE_STARTUP` asks when the deck list is
    /// first drawn.
    startup: Option<std::time::Instant>,
    status: Option<Status>,
    dialogs: Arc<dyn FileDialogs>,
    /// Snapshots, backups and file dialogs, each on its own thread.
    worker: Worker<JobDone>,
    /// After a failed snapshot, no new one before this (the journal keeps the answers safe).
    snapshot_retry_at: Option<std::time::Instant>,
    /// After progress could not be used: the backup offered in the status bar.
    offered_backup: Option<BackupInfo>,
    clock: Clock,
    commands: Vec<Command>,
    /// What can be taken back (answers and changes to cards), oldest first.
    history: Vec<crate::core::collection::Action>,
    /// When the open-requests folder was last looked at.
    requests_checked: Option<std::time::Instant>,
    /// Whether the keyboard shortcuts window is open (`?`, F1).
    show_help: bool,
    /// The zoom factor in the last frame, kept with the UI state.
    zoom_now: Option<f32>,
    /// What the last optimization found.
    optimized: Option<(String, crate::core::stats::Optimized)>,
    /// What the last Evaluate found, for which preset.
    evaluated: Option<(String, crate::core::stats::Evaluated)>,
    /// What the last simulation found, for which preset.
    simulated: Option<(String, crate::core::stats::Simulated)>,
    /// The review history's counts from the last statistics run: the next goes on from them
    /// (out while a run has them).
    stats_counts: Option<Box<crate::core::storage::stats_cache::StatsCache>>,
    /// The review log generation the statistics cache was last brought up to date for (0:
    /// none yet; generations start at 1), or `None` before it was.
    stats_counted_for: Option<u32>,
    /// When the window opened.
    opened: std::time::Instant,
    /// The collection still loading on its thread (the deck list drawn from its cache).
    loading: Option<loading::Loading>,
    /// Since when the app has seen unfolded edits (the fold waits for a pause).
    last_edit_check: Option<std::time::Instant>,
    /// What was taken back and can be done again, most recent last.
    redo: Vec<crate::core::collection::Action>,
    /// Parsed Markdown of the cards on screen.
    markdown: egui_commonmark::CommonMarkCache,
    /// Images already checked (size in bytes and pixels), by file: shown only when they pass.
    checked_images: std::cell::RefCell<std::collections::HashMap<PathBuf, bool>>,
}

impl KartuApp {
    /// A window on `collection`, asking for files through `dialogs` and the time from `clock`.
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        collection: Collection,
        dialogs: Arc<dyn FileDialogs>,
        clock: Clock,
    ) -> Self {
        let mut app = Self::build(cc, collection, dialogs, clock);
        app.adopt_collection();
        app
    }

    /// The window around `collection` (loaded or a stand-in), before anything is shown.
    fn build(
        cc: &eframe::CreationContext<'_>,
        collection: Collection,
        dialogs: Arc<dyn FileDialogs>,
        clock: Clock,
    ) -> Self {
        theme::apply(&cc.egui_ctx);
        theme::set_theme(&cc.egui_ctx, collection.settings().theme);
        // `file://` images (a deck's checked media); no network loader is installed.
        egui_extras::install_image_loaders(&cc.egui_ctx);
        let state: UiState = cc
            .storage
            .and_then(|storage| eframe::get_value(storage, eframe::APP_KEY))
            .unwrap_or_default();
        let lang = Lang::resolve(collection.settings().language.as_deref());
        let app = Self {
            state,
            collection,
            screen: Screen::Decks,
            lang,
            selected_deck: 0,
            summaries: Vec::new(),
            summaries_at: None,
            startup: None,
            status: None,
            dialogs,
            worker: Worker::default(),
            snapshot_retry_at: None,
            offered_backup: None,
            clock,
            commands: Vec::new(),
            history: Vec::new(),
            show_help: false,
            optimized: None,
            evaluated: None,
            simulated: None,
            stats_counts: None,
            stats_counted_for: None,
            opened: std::time::Instant::now(),
            loading: None,
            requests_checked: None,
            zoom_now: None,
            last_edit_check: None,
            redo: Vec::new(),
            markdown: egui_commonmark::CommonMarkCache::default(),
            checked_images: std::cell::RefCell::default(),
        };
        if let Some(zoom) = app
            .state
            .zoom
            .filter(|z| z.is_finite() && (0.5..=3.0).contains(z))
        {
            cc.egui_ctx.set_zoom_factor(zoom);
        }
        app
    }

    /// Takes up the loaded collection: what went wrong at start said, the deck list counted,
    /// the deck chosen last time chosen again.
    fn adopt_collection(&mut self) {
        let now = (self.clock)();
        let recovery = recover_at_start(&mut self.collection, self.lang.texts(), now);
        self.status = recovery.status;
        self.offered_backup = recovery.offered_backup;
        self.refresh_summaries(now);
        self.select_remembered_deck();
    }

    fn select_remembered_deck(&mut self) {
        if let Some(id) = &self.state.selected_deck {
            self.selected_deck = self
                .summaries
                .iter()
                .position(|s| &s.id.0 == id)
                .unwrap_or(0);
        }
    }

    /// Opens `file`'s import preview on the first frame (`kartu FILE`).
    pub fn open_file(&mut self, file: PathBuf) {
        self.commands.push(Command::OpenFile(file));
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
        self.status = Some(Status::error(fill(
            template,
            &[("error", &error.to_string())],
        )));
    }

    fn set_info(&mut self, text: String) {
        self.status = Some(Status::info(text));
    }

    fn study_view(&self, study: &StudyState, now: Timestamp, egui_time: f64) -> StudyView {
        let tr = self.texts();
        let deck_id = study.session.deck();
        let deck = self.collection.deck(deck_id).ok();
        // The card may be in a sub-deck of the deck studied.
        let card_deck = study.session.current_deck().unwrap_or(deck_id);
        let card = study.session.current().and_then(|card_id| {
            let card = self.collection.card(card_deck, card_id).ok()?;
            let preview = self.collection.preview(card_deck, card_id, now).ok()?;
            let media = self.collection.media_dir(card_deck);
            let show = |text: &str| self.with_images(text, media.as_deref());
            // Text left in a deck file changed since: say so, rather than show a blank card.
            let front = match card.note().read_text() {
                Ok(()) => show(&card.question()),
                Err(err) => fill(tr.card_text_unreadable, &[("error", &err.to_string())]),
            };
            Some(CardView {
                front,
                back: show(&card.answer()),
                notes: card.notes().map(show),
                example: card.example().map(show),
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
            can_undo: !self.history.is_empty(),
            next_due,
            text_size: theme::card_text_size(self.collection.settings().card_text_scale),
            done: study.done,
            shown_for: {
                let secs = (egui_time - study.shown_at_secs).max(0.0) as u64;
                format!("{}:{:02}", secs / 60, secs % 60)
            },
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
                if ui.button(tr.browse.browse).clicked() {
                    self.commands.push(Command::ShowBrowser);
                }
                if ui.button(tr.stats.statistics).clicked() {
                    self.commands.push(Command::ShowStats);
                }
                if ui.button(tr.edit.new_deck).clicked() {
                    self.commands.push(Command::NewDeck(None));
                }
                if ui
                    .add_enabled(
                        !self.worker.is_running(JobKind::Dialog),
                        egui::Button::new(tr.import),
                    )
                    .clicked()
                {
                    self.commands.push(Command::ImportDeck);
                }
            });
        });
        ui.add_space(theme::BAR_PADDING);
    }
}

impl eframe::App for KartuApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let now = (self.clock)();
        if self.still_loading(ui.ctx()) {
            self.loading_frame(ui);
            return;
        }
        self.zoom_now = Some(ui.ctx().zoom_factor());
        self.poll_jobs(&ui.ctx().clone(), now);
        // Only the deck list shows every deck's counts; the study screen counts its own deck.
        let counts_stale = self
            .summaries_at
            .is_none_or(|at| now.unix_secs() - at.unix_secs() >= SUMMARY_REFRESH_SECS);
        if counts_stale && matches!(self.screen, Screen::Decks) {
            self.refresh_summaries(now);
        }
        ui.input_mut(|input| {
            if input.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::O)) {
                self.commands.push(Command::ImportDeck);
            }
            if input.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Comma)) {
                self.commands.push(Command::ShowSettings);
            }
            if input.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::F)) {
                self.commands.push(Command::ShowBrowser);
            }
            if input.consume_key(Modifiers::NONE, Key::F1) {
                self.show_help = !self.show_help;
            }
            // One undo history for answers and changes to cards, from every screen.
            let redo = Modifiers::COMMAND | Modifiers::SHIFT;
            if input.consume_shortcut(&KeyboardShortcut::new(redo, Key::Z)) {
                self.commands.push(Command::Redo);
            }
            if input.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Z)) {
                self.commands.push(Command::Undo);
            }
        });

        egui::Panel::top("top-bar").show(ui, |ui| self.top_bar_ui(ui));
        let status = self.status_view();
        let tr = self.texts();
        egui::Panel::bottom("status-bar").show(ui, |ui| {
            status_bar_ui(ui, &status, tr, &mut self.commands);
        });

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
        if matches!(self.screen, Screen::Stats(_)) {
            self.refresh_stats(&ui.ctx().clone(), now);
        }
        if matches!(self.screen, Screen::Browse(_)) {
            self.refresh_browser(&ui.ctx().clone(), now);
            self.sync_browser_pane(now);
        } else if ui.memory(|m| m.focused().is_none())
            && ui.input_mut(|input| input.consume_key(Modifiers::NONE, Key::B))
        {
            // As in Anki: B opens the browser (when no text field has the keyboard).
            commands.push(Command::ShowBrowser);
        }
        // `?` (typed, on any layout) when no text field has the keyboard.
        if ui.memory(|m| m.focused().is_none()) {
            let asked = ui.input_mut(|input| {
                let before = input.events.len();
                input
                    .events
                    .retain(|e| !matches!(e, egui::Event::Text(t) if t == "?"));
                input.events.len() != before
            });
            if asked {
                self.show_help = !self.show_help;
            }
        }
        if self.show_help {
            self.help_ui(ui);
        }
        let study_view = self.screen_ui(ui, now, tr, &mut commands);
        match &study_view {
            // Come back when the next learning card is due (at most a minute from now).
            Some(StudyView { card: None, .. }) => {
                ui.ctx().request_repaint_after(Duration::from_mins(1));
            }
            // The card's timer ticks each second.
            Some(_) => ui.ctx().request_repaint_after(Duration::from_secs(1)),
            None => {}
        }
        self.commands = commands;
        // Files a second `kartu FILE` handed to this window, once a second.
        if self.collection.is_writer()
            && self
                .requests_checked
                .is_none_or(|at| at.elapsed() >= Duration::from_secs(1))
        {
            self.requests_checked = Some(std::time::Instant::now());
            for file in crate::core::storage::requests::take_open_requests(self.collection.paths())
            {
                self.commands.push(Command::OpenFile(file));
            }
            ui.ctx().request_repaint_after(Duration::from_secs(1));
        }
        self.apply_commands(&ui.ctx().clone(), now);
        self.start_snapshot_if_due(&ui.ctx().clone());
        self.start_edit_fold_if_due(&ui.ctx().clone(), now);
        self.start_backup_if_due(&ui.ctx().clone(), now);
        self.start_counting_if_due(&ui.ctx().clone(), now);
        let notices = self.collection.take_notices();
        if !notices.is_empty() {
            self.set_info(notices.join(" · "));
        }
        if let Some(summary) = self.summaries.get(self.selected_deck) {
            self.state.selected_deck = Some(summary.id.0.clone());
        }
        self.report_startup(&ui.ctx().clone());
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if let Some(zoom) = self.zoom_now {
            self.state.zoom = Some(zoom);
        }
        eframe::set_value(storage, eframe::APP_KEY, &self.state);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.wait_for_loading();
        // An import being installed has the collection: it finishes, and it comes back.
        for (_, done) in self.worker.wait_for(JobKind::Import) {
            if let JobDone::Installed(done) = done {
                self.collection = done.into_collection();
            }
        }
        // One snapshot at a time, or an older one could land after a newer one; and no
        // backup left half-written.
        self.wait_for_background_writes();
        // Edits are safe in their journal; writing them into the deck files now keeps the
        // files in `decks/` current for a teacher's git.
        if let Err(err) = self.collection.fold_edits((self.clock)()) {
            eprintln!("kartu: writing edited decks at exit: {err}");
        }
        if let Some(job) = self.collection.snapshot_job(true) {
            let outcome = job
                .run()
                .and_then(|seq| self.collection.finish_snapshot(seq));
            // Nothing is lost if this fails: the next start replays the journal.
            if let Err(err) = outcome {
                eprintln!("kartu: writing the progress snapshot at exit: {err}");
            }
        }
        // Last, once nothing else will be written: the next start draws the list from it.
        if let Err(err) = self.collection.write_deck_list_cache((self.clock)()) {
            eprintln!("kartu: writing the deck list's cache at exit: {err}");
        }
    }
}
