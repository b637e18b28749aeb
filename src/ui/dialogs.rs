//! Native open/save dialogs behind a trait, run on a worker thread (`rfd` blocks while a
//! dialog is open). Tests replace them with a fake.

use std::path::PathBuf;

use crate::core::import::Format;

/// Asks the user for files.
pub trait FileDialogs: Send + Sync {
    /// A file to import (any format Kartu reads); `None` when cancelled.
    fn pick_deck_file(&self, title: &str) -> Option<PathBuf>;
    /// An image to put in a note; `None` when cancelled (and wherever there is no dialog).
    fn pick_image(&self, title: &str) -> Option<PathBuf> {
        let _ = title;
        None
    }
    /// Where to save an export (the suggested name's extension is its format); `None` when
    /// cancelled.
    fn save_deck_file(&self, title: &str, suggested_name: &str) -> Option<PathBuf>;
}

/// The platform's dialogs through `rfd` (the XDG portal on Linux).
#[derive(Clone, Copy, Debug, Default)]
pub struct NativeDialogs;

impl FileDialogs for NativeDialogs {
    fn pick_deck_file(&self, title: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title(title)
            .add_filter("Decks Kartu imports", &Format::EXTENSIONS)
            .add_filter("Kartu (.ron, .kartu)", &["ron", "kartu"])
            .add_filter("CSV, TSV", &["csv", "tsv"])
            .add_filter("Anki (.apkg, .colpkg, .txt)", &["apkg", "colpkg", "txt"])
            .pick_file()
    }

    fn pick_image(&self, title: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title(title)
            .add_filter(
                "PNG, JPEG, GIF, WebP",
                &["png", "jpg", "jpeg", "gif", "webp"],
            )
            .pick_file()
    }

    fn save_deck_file(&self, title: &str, suggested_name: &str) -> Option<PathBuf> {
        // The filter follows the format chosen, by the suggested name's extension.
        let extension = std::path::Path::new(suggested_name)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("ron");
        rfd::FileDialog::new()
            .set_title(title)
            .add_filter(extension, &[extension])
            .set_file_name(suggested_name)
            .save_file()
    }
}
