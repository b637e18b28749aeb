//! Start-up with the deck list drawn from its cache while the collection loads on its thread:
//! the list, the top bar and the status bar show at once; what the learner asks for meanwhile
//! (study a deck, open a screen) waits in the command queue and is done once the collection
//! is in, a tenth of a second later at 100,000 cards.

use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::{KartuApp, status_bar_ui};
use crate::core::collection::{CachedDeckList, Collection};
use crate::ui::deck_list::deck_list_ui;
use crate::ui::dialogs::FileDialogs;

use super::Clock;

/// The collection loading on its thread, and where a failure to load is left for the
/// process to report once the window has closed.
pub struct Loading {
    handle: Option<JoinHandle<anyhow::Result<Collection>>>,
    /// Tells the loader the first frame is drawn (it waits for that).
    drawn: Option<Sender<()>>,
    nothing_studied: bool,
    failed: Arc<Mutex<Option<anyhow::Error>>>,
}

impl Loading {
    /// The loaded collection, or `None` with the failure left for the process to report.
    fn join(&self, handle: JoinHandle<anyhow::Result<Collection>>) -> Option<Collection> {
        let loaded = handle
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the loader thread stopped")));
        match loaded {
            Ok(collection) => Some(collection),
            Err(err) => {
                if let Ok(mut failed) = self.failed.lock() {
                    *failed = Some(err);
                }
                None
            }
        }
    }
}

impl KartuApp {
    /// A window showing the deck list `cached` at once, on a stand-in collection (see
    /// [`Collection::loading`]) until `handle` gives the loaded one; `drawn` is told when the
    /// first frame is drawn. If loading fails, the window closes and the error is left in
    /// `failed`.
    #[allow(clippy::too_many_arguments)] // What the window starts from, each its own.
    pub fn new_loading(
        cc: &eframe::CreationContext<'_>,
        stand_in: Collection,
        handle: JoinHandle<anyhow::Result<Collection>>,
        cached: CachedDeckList,
        drawn: Sender<()>,
        failed: Arc<Mutex<Option<anyhow::Error>>>,
        dialogs: Arc<dyn FileDialogs>,
        clock: Clock,
    ) -> Self {
        let mut app = Self::build(cc, stand_in, dialogs, clock);
        app.summaries = cached.summaries;
        app.select_remembered_deck();
        app.loading = Some(Loading {
            handle: Some(handle),
            drawn: Some(drawn),
            nothing_studied: cached.nothing_studied,
            failed,
        });
        app
    }

    /// Whether the collection is still loading; once it is in, it is taken up.
    pub(super) fn still_loading(&mut self, ctx: &egui::Context) -> bool {
        let Some(loading) = &mut self.loading else {
            return false;
        };
        if loading
            .handle
            .as_ref()
            .is_some_and(|handle| !handle.is_finished())
        {
            // Look again soon: nothing else wakes the window when the thread is done.
            ctx.request_repaint_after(Duration::from_millis(2));
            return true;
        }
        let Some(handle) = loading.handle.take() else {
            // It failed: the window is closing.
            return true;
        };
        let Some(collection) = loading.join(handle) else {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return true;
        };
        if std::env::var_os("KARTU_TRACE_STARTUP").is_some() {
            eprintln!(
                "kartu: collection loaded {:.1} ms after the window opened, VmHWM {}",
                self.opened.elapsed().as_secs_f64() * 1e3,
                super::view::peak_memory()
            );
        }
        self.loading = None;
        // The loader is done: freed memory may wait again (see `ui::run`).
        crate::memory::give_back_at_once(false);
        self.collection = collection;
        self.adopt_collection();
        false
    }

    /// Waits for the collection (the window is closing before it came).
    pub(super) fn wait_for_loading(&mut self) {
        if let Some(mut loading) = self.loading.take()
            && let Some(handle) = loading.handle.take()
            && let Some(collection) = loading.join(handle)
        {
            self.collection = collection;
        }
    }

    /// A frame while loading: the bars and the deck list from the cache; commands wait.
    pub(super) fn loading_frame(&mut self, ui: &mut egui::Ui) {
        let nothing_studied = self.loading.as_ref().is_some_and(|l| l.nothing_studied);
        egui::Panel::top("top-bar").show(ui, |ui| self.top_bar_ui(ui));
        let mut status = self.status_view();
        // The stand-in is read-only only until the collection is in.
        status.read_only = None;
        let tr = self.texts();
        egui::Panel::bottom("status-bar").show(ui, |ui| {
            status_bar_ui(ui, &status, tr, &mut self.commands);
        });
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .auto_shrink(false)
                .show(ui, |ui| {
                    deck_list_ui(
                        ui,
                        &self.summaries,
                        nothing_studied,
                        &self.state.collapsed,
                        &mut self.selected_deck,
                        tr,
                        &mut self.commands,
                    );
                });
        });
        if let Some(summary) = self.summaries.get(self.selected_deck) {
            self.state.selected_deck = Some(summary.id.0.clone());
        }
        self.report_startup(&ui.ctx().clone());
        if let Some(drawn) = self.loading.as_mut().and_then(|l| l.drawn.take()) {
            // The loader may have stopped waiting already: nothing to tell then.
            let _ = drawn.send(());
        }
    }
}
