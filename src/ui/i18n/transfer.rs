//! The strings of the import and export screens, in both languages.

/// Import and export strings of one language.
#[derive(Debug)]
pub struct TransferTexts {
    /// Import screen heading (`{file}`).
    pub import_heading: &'static str,
    /// Job label and screen line while a file is read (`{file}`).
    pub reading: &'static str,
    /// Job label and screen line while it is installed (`{file}`).
    pub installing: &'static str,
    /// Why nothing can be changed while an import is installed.
    pub installing_reason: &'static str,
    /// A deck not installed yet (`{title}`, `{notes}`, `{cards}`).
    pub new_deck: &'static str,
    /// An update (`{title}`, `{old}`, `{new}`, `{added}`, `{changed}`, `{removed}`,
    /// `{unchanged}`).
    pub update: &'static str,
    /// A deck installed already with the same notes (`{title}`).
    pub same: &'static str,
    /// Heading: notes the import adds.
    pub added: &'static str,
    /// Heading: notes the import changes.
    pub changed: &'static str,
    /// Column: a changed note as it is now.
    pub now: &'static str,
    /// Column: a changed note after the import.
    pub after: &'static str,
    /// Heading: notes the import retires.
    pub removed: &'static str,
    /// More rows than shown (`{n}`).
    pub more: &'static str,
    /// Progress the file brings (`{cards}`, `{reviews}`).
    pub progress: &'static str,
    /// Notes of other note types (`{n}`).
    pub as_basic: &'static str,
    /// Button: install what the screen shows.
    pub confirm: &'static str,
    /// Keyboard hint on the import screen.
    pub hint: &'static str,
    /// Heading of a CSV file's column mapping.
    pub columns: &'static str,
    /// Checkbox: the first row names the columns.
    pub header_row: &'static str,
    /// Button: read the file again with the mapping chosen.
    pub reread: &'static str,
    /// What a column can hold: ignore, front, back, notes, example, tags, id, deck, kind,
    /// add reverse (the order of `Column::ALL`).
    pub column_names: [&'static str; 10],
    /// Status: imported (`{decks}`, `{notes}`, `{reviews}`).
    pub imported: &'static str,
    /// Status: the import was cancelled.
    pub cancelled: &'static str,
    /// Export screen heading (`{title}`).
    pub export_heading: &'static str,
    /// The export formats: Kartu package, deck file, CSV, Anki text.
    pub formats: [&'static str; 4],
    /// Checkbox: include progress (packages only).
    pub with_progress: &'static str,
    /// Button: choose where to save.
    pub save_as: &'static str,
    /// Export warnings (`{warnings}`).
    pub export_warnings: &'static str,
}

/// English.
pub static EN: TransferTexts = TransferTexts {
    import_heading: "Import {file}",
    reading: "Reading {file}…",
    installing: "Importing {file}…",
    installing_reason: "an import is being installed; wait for it to finish",
    new_deck: "New deck “{title}”: {notes} notes, {cards} cards",
    update: "Update “{title}” (version {old} to {new}): {added} new, {changed} changed, {removed} removed, {unchanged} unchanged",
    same: "“{title}” is installed already with these notes: nothing changes",
    added: "New",
    changed: "Changed",
    now: "Now",
    after: "After the import",
    removed: "Removed: their progress is kept, and comes back if they return",
    more: "…and {n} more",
    progress: "Brings the progress of {cards} cards and {reviews} reviews. Cards you have studied keep your own progress.",
    as_basic: "{n} notes of other note types become basic notes (their first two fields).",
    confirm: "Import",
    hint: "Enter import · Esc cancel",
    columns: "Columns",
    header_row: "The first row names the columns",
    reread: "Read again with these columns",
    column_names: [
        "(ignore)",
        "Front",
        "Back",
        "Notes",
        "Example",
        "Tags",
        "Id",
        "Deck",
        "Kind",
        "Add reverse",
    ],
    imported: "Imported {decks} decks ({notes} notes) and {reviews} reviews.",
    cancelled: "Import cancelled: nothing was changed.",
    export_heading: "Export “{title}”",
    formats: [
        "Kartu package (.kartu): the deck with its images",
        "Kartu deck file (.ron)",
        "Spreadsheet (.csv), with its sub-decks",
        "Anki notes in plain text (.txt), with its sub-decks",
    ],
    with_progress: "Include my progress and reviews",
    save_as: "Save as…",
    export_warnings: "Exported, but: {warnings}",
};

/// Bahasa Indonesia.
pub static ID: TransferTexts = TransferTexts {
    import_heading: "Impor {file}",
    reading: "Membaca {file}…",
    installing: "Mengimpor {file}…",
    installing_reason: "impor sedang dipasang; tunggu sampai selesai",
    new_deck: "Dek baru “{title}”: {notes} catatan, {cards} kartu",
    update: "Perbarui “{title}” (versi {old} ke {new}): {added} baru, {changed} berubah, {removed} dihapus, {unchanged} tetap",
    same: "“{title}” sudah terpasang dengan catatan yang sama: tidak ada yang berubah",
    added: "Baru",
    changed: "Berubah",
    now: "Sekarang",
    after: "Setelah impor",
    removed: "Dihapus: kemajuannya tetap disimpan, dan kembali bila kartunya kembali",
    more: "…dan {n} lagi",
    progress: "Membawa kemajuan {cards} kartu dan {reviews} ulasan. Kartu yang sudah Anda pelajari tetap memakai kemajuan Anda.",
    as_basic: "{n} catatan dari jenis catatan lain menjadi catatan dasar (dua kolom pertamanya).",
    confirm: "Impor",
    hint: "Enter impor · Esc batal",
    columns: "Kolom",
    header_row: "Baris pertama berisi nama kolom",
    reread: "Baca lagi dengan kolom ini",
    column_names: [
        "(abaikan)",
        "Depan",
        "Belakang",
        "Catatan",
        "Contoh",
        "Tag",
        "Id",
        "Dek",
        "Jenis",
        "Tambah kebalikan",
    ],
    imported: "{decks} dek ({notes} catatan) dan {reviews} ulasan diimpor.",
    cancelled: "Impor dibatalkan: tidak ada yang diubah.",
    export_heading: "Ekspor “{title}”",
    formats: [
        "Paket Kartu (.kartu): dek beserta gambarnya",
        "Berkas dek Kartu (.ron)",
        "Lembar kerja (.csv), beserta sub-deknya",
        "Catatan Anki dalam teks biasa (.txt), beserta sub-deknya",
    ],
    with_progress: "Sertakan kemajuan dan ulasan saya",
    save_as: "Simpan sebagai…",
    export_warnings: "Diekspor, tetapi: {warnings}",
};
