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
    let paths = DataPaths::resolve(data_dir)?;
    let root = paths.root.clone();
    let time_zone = jiff::tz::TimeZone::system();
    let load = move || -> anyhow::Result<Collection> {
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
    eframe::run_native(
        "Kartu",
        options,
        Box::new(move |cc| {
            let collection = loading
                .join()
                .map_err(|_| anyhow::anyhow!("the loader thread stopped"))??;
            let mut app = app::KartuApp::new(
                cc,
                collection,
                Arc::new(dialogs::NativeDialogs),
                Box::new(|| jiff::Timestamp::now().into()),
            );
            app.trace_startup(started);
            if let Some(file) = open {
                app.open_file(file);
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|err| anyhow::anyhow!("the window could not start: {err}"))
}
