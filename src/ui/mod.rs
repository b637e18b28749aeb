//! The egui shell: one file per screen (`*_ui` functions), a [`command::Command`] enum the
//! screens push and the app applies to the core after the frame, strings in [`i18n`] and
//! colours in [`theme`]. No file is written from here except through the core.

pub mod app;
pub mod backups;
pub mod browse;
pub mod command;
pub mod deck_edit;
pub mod deck_list;
pub mod deck_options;
pub mod dialogs;
pub mod editor;
pub mod export;
pub mod i18n;
pub mod import;
pub mod markdown;
pub mod recovery;
pub mod settings;
pub mod stats;
pub mod status;
pub mod study;
pub mod theme;
pub mod worker;
pub mod workload;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;

use crate::core::collection::{Collection, Purpose};
use crate::core::storage::paths::DataPaths;

/// Opens the data directory and runs the window until it is closed; with `open`, on that
/// file's import preview. When another window has the data directory open, `open` is handed
/// to it instead (and this returns at once).
pub fn run(data_dir: Option<PathBuf>, no_fuzz: bool, open: Option<PathBuf>) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    // Until the collection is in: the window's start and the loader's two threads free and
    // allocate side by side, and what is held freed would add to the peak (given back at
    // once, 20 MB less at 100,000 cards; see ARCHITECTURE.md).
    crate::memory::give_back_at_once(true);
    let paths = DataPaths::resolve(data_dir)?;
    let root = paths.root.clone();
    let time_zone = jiff::tz::TimeZone::system();
    let now: crate::core::time::Timestamp = jiff::Timestamp::now().into();
    // The deck list as the window left it, if nothing it counts from changed since: drawn
    // while the collection loads.
    let cached = open
        .is_none()
        .then(|| crate::core::collection::cached_deck_list(&paths, &time_zone, now))
        .flatten();
    let stand_in = match &cached {
        Some(cached) => Some(Collection::loading(
            paths.clone(),
            time_zone.clone(),
            cached.settings.clone(),
        )?),
        None => None,
    };
    // With the list drawn from the cache, loading waits for that first frame (or a moment):
    // on two cores, loading beside the window's start slows both.
    let (drawn, first_frame) = std::sync::mpsc::channel::<()>();
    let wait_for_frame = cached.is_some();
    let load = move || -> anyhow::Result<Collection> {
        if wait_for_frame {
            let _ = first_frame.recv_timeout(std::time::Duration::from_millis(300));
        }
        // A second window, or a data directory Kartu cannot write, opens read-only and says
        // why.
        let mut collection = Collection::open_for(paths.clone(), time_zone, Purpose::Study)?;
        if no_fuzz {
            collection.override_fuzz(false)?;
        }
        Ok(collection)
    };
    let loading = if let Some(file) = &open {
        // `kartu FILE` first asks whether a window has the data directory already.
        let collection = load()?;
        if collection.held_by_another() {
            let id = format!(
                "{}-{}",
                crate::core::time::Timestamp::from(jiff::Timestamp::now()).compact_id(),
                std::process::id()
            );
            crate::core::storage::requests::request_open(collection.paths(), file, &id)?;
            println!("handed {} to the Kartu window already open", file.display());
            return Ok(());
        }
        std::thread::spawn(move || Ok(collection))
    } else {
        // The collection loads while the window and its GL context come up.
        std::thread::Builder::new()
            .name("kartu-load".into())
            .spawn(load)
            .context("starting the loader thread")?
    };
    let icon = eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon.png"))
        .context("decoding the window icon")?;
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Kartu")
            .with_app_id("kartu")
            .with_inner_size([1040.0, 680.0])
            .with_min_inner_size([480.0, 360.0])
            .with_icon(Arc::new(icon)),
        // UI preferences (window size, selected deck) live beside the data, so `--data-dir`
        // keeps everything in one place.
        persistence_path: Some(root.join("ui-state.ron")),
        ..Default::default()
    };
    let failed = Arc::new(std::sync::Mutex::new(None));
    let failed_in_window = failed.clone();
    eframe::run_native(
        "Kartu",
        options,
        Box::new(move |cc| {
            let dialogs = Arc::new(dialogs::NativeDialogs);
            let clock: app::Clock = Box::new(|| jiff::Timestamp::now().into());
            let mut app = if let (Some(cached), Some(stand_in)) = (cached, stand_in) {
                app::KartuApp::new_loading(
                    cc,
                    stand_in,
                    loading,
                    cached,
                    drawn,
                    failed_in_window,
                    dialogs,
                    clock,
                )
            } else {
                let collection = loading
                    .join()
                    .map_err(|_| anyhow::anyhow!("the loader thread stopped"))??;
                crate::memory::give_back_at_once(false);
                app::KartuApp::new(cc, collection, dialogs, clock)
            };
            app.trace_startup(started);
            if let Some(file) = open {
                app.open_file(file);
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|err| anyhow::anyhow!("the window could not start: {err}"))?;
    // The collection failed to load after the window had opened on the deck list's cache.
    match failed.lock().ok().and_then(|mut failed| failed.take()) {
        Some(err) => Err(err),
        None => Ok(()),
    }
}
