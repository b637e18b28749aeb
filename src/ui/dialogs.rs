//! Native open/save dialogs behind a trait, run on a worker thread (`rfd` blocks while a
//! dialog is open). Tests replace them with a fake.

use std::path::PathBuf;

/// Asks the user for files.
pub trait FileDialogs: Send + Sync {
    /// A deck file to import; `None` when cancelled.
    fn pick_deck_file(&self, title: &str) -> Option<PathBuf>;
    /// Where to save a deck; `None` when cancelled.
    fn save_deck_file(&self, title: &str, suggested_name: &str) -> Option<PathBuf>;
}

/// The platform's dialogs through `rfd` (the XDG portal on Linux).
#[derive(Clone, Copy, Debug, Default)]
pub struct NativeDialogs;

impl FileDialogs for NativeDialogs {
    fn pick_deck_file(&self, title: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title(title)
            .add_filter("Kartu deck (RON)", &["ron"])
            .pick_file()
    }

    fn save_deck_file(&self, title: &str, suggested_name: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title(title)
            .add_filter("Kartu deck (RON)", &["ron"])
            .set_file_name(suggested_name)
            .save_file()
    }
}
