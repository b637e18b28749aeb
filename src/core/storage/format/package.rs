//! The layout of a Kartu package (`.kartu`): a zip holding the deck file `deck.ron`, its
//! images under `media/` (plain file names only), and, when exported with progress,
//! `progress.ron`: a whole progress document (format 4, reviews inline) for the deck's cards.

/// Packages larger than this are refused before they are opened.
pub const MAX_PACKAGE_BYTES: u64 = 1024 * 1024 * 1024;
/// A package with more entries than this is refused.
pub const MAX_PACKAGE_ENTRIES: usize = 10_000;
/// The progress document in a package is refused past this size.
pub const MAX_PROGRESS_BYTES: u64 = 512 * 1024 * 1024;
/// The deck file's entry.
pub const DECK_ENTRY: &str = "deck.ron";
/// The folder of images.
pub const MEDIA_PREFIX: &str = "media/";
/// The progress document's entry.
pub const PROGRESS_ENTRY: &str = "progress.ron";
