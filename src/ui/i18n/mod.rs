//! Every string the window shows, in Indonesian and English.
//!
//! A [`Texts`] struct per language: a missing translation is a compile error, not a blank.
//! Placeholders such as `{n}` are filled with [`fill`].

mod browse;
mod edit;
mod help;
mod stats;
mod transfer;

pub use browse::BrowseTexts;
pub use edit::EditTexts;
pub use help::HelpTexts;
pub use stats::{OptimizeTexts, StatsTexts};
pub use transfer::TransferTexts;

use crate::core::time::{IntervalUnit, interval_in_unit};

/// A UI language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Bahasa Indonesia.
    Id,
    /// English.
    En,
}

impl Lang {
    /// Both, in the order the settings list them.
    pub const ALL: [Self; 2] = [Self::Id, Self::En];

    /// The code stored in settings: `id` or `en`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::En => "en",
        }
    }

    /// The language's own name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Id => "Bahasa Indonesia",
            Self::En => "English",
        }
    }

    /// The language for a code such as `id`, `id-ID`, `en_GB.UTF-8`.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        let lower = code.to_ascii_lowercase();
        if lower.starts_with("id") || lower.starts_with("in") {
            Some(Self::Id)
        } else if lower.starts_with("en") {
            Some(Self::En)
        } else {
            None
        }
    }

    /// The language from settings, else the system locale, else English.
    #[must_use]
    pub fn resolve(setting: Option<&str>) -> Self {
        setting
            .and_then(Self::from_code)
            .or_else(|| {
                sys_locale::get_locale()
                    .as_deref()
                    .and_then(Self::from_code)
            })
            .unwrap_or(Self::En)
    }

    /// This language's strings.
    #[must_use]
    pub fn texts(self) -> &'static Texts {
        match self {
            Self::Id => &ID,
            Self::En => &EN,
        }
    }
}

/// Replaces each `{name}` in `template` with its value.
#[must_use]
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// All UI strings of one language.
#[derive(Debug)]
pub struct Texts {
    /// Deck list heading.
    pub decks_heading: &'static str,
    /// Column: deck title.
    pub column_deck: &'static str,
    /// Column and count: new cards.
    pub new: &'static str,
    /// Column and count: learning cards.
    pub learning: &'static str,
    /// Column and count: due reviews.
    pub due: &'static str,
    /// Button: study a deck.
    pub study: &'static str,
    /// Button: export a deck.
    pub export: &'static str,
    /// Button: import a deck file.
    pub import: &'static str,
    /// Tooltip: fold a deck's sub-decks away.
    pub fold: &'static str,
    /// Tooltip: show a deck's sub-decks.
    pub unfold: &'static str,
    /// Button and heading: settings.
    pub settings: &'static str,
    /// Empty deck list.
    pub no_decks: &'static str,
    /// Keyboard hint under the deck list.
    pub deck_list_hint: &'static str,
    /// `{n}` cards in a deck.
    pub card_count: &'static str,
    /// Button: reveal the answer.
    pub show_answer: &'static str,
    /// What a screen reader says of the card on screen (`{question}`).
    pub spoken_question: &'static str,
    /// … and with its answer shown (`{question}`, `{answer}`).
    pub spoken_answer: &'static str,
    /// Rating buttons, Again to Easy.
    pub ratings: [&'static str; 4],
    /// Button: undo the last answer.
    pub undo: &'static str,
    /// Button: back to the deck list.
    pub back_to_decks: &'static str,
    /// Label above a card's notes.
    pub notes: &'static str,
    /// Label above a card's example.
    pub example: &'static str,
    /// Done screen heading.
    pub done_heading: &'static str,
    /// Done screen: when the next card is due (`{when}`, `{in}`).
    pub next_due: &'static str,
    /// Done screen when nothing will ever be due.
    pub nothing_left: &'static str,
    /// Keyboard hint on the study screen.
    pub study_hint: &'static str,
    /// Settings: language.
    pub language: &'static str,
    /// Settings: follow the system language.
    pub system_language: &'static str,
    /// Settings: new cards per day.
    pub new_per_day: &'static str,
    /// Settings: reviews per day.
    pub reviews_per_day: &'static str,
    /// Settings: desired retention.
    pub desired_retention: &'static str,
    /// Settings: explanation of desired retention.
    pub desired_retention_help: &'static str,
    /// Settings: the hour a new day starts.
    pub day_start_hour: &'static str,
    /// Settings: fuzz.
    pub fuzz: &'static str,
    /// Settings: bury siblings.
    pub bury_siblings: &'static str,
    /// Study: the session's progress (`{done}` answered, `{left}` left today).
    pub session: &'static str,
    /// Settings: the theme.
    pub theme: &'static str,
    /// The themes: system, light, dark.
    pub themes: [&'static str; 3],
    /// Settings: card text size.
    pub card_text_size: &'static str,
    /// Button: save.
    pub save: &'static str,
    /// Button: cancel.
    pub cancel: &'static str,
    /// A background job: writing a backup.
    pub backing_up: &'static str,
    /// A background job: folding answers into the progress snapshot.
    pub saving_progress: &'static str,
    /// A background job: a file dialog is open.
    pub choosing_file: &'static str,
    /// Status: settings saved.
    pub settings_saved: &'static str,
    /// Status: a deck was imported (`{title}`, `{n}`).
    pub imported: &'static str,
    /// Status: a deck was updated (`{title}`, `{old}`, `{new}`).
    pub updated: &'static str,
    /// Status: import failed (`{error}`).
    pub import_failed: &'static str,
    /// Status: exported (`{path}`).
    pub exported: &'static str,
    /// The export's job label, while it is written.
    pub exporting: &'static str,
    /// Status: export failed (`{error}`).
    pub export_failed: &'static str,
    /// Status: an answer could not be saved (`{error}`).
    pub save_failed: &'static str,
    /// Status: something else failed (`{error}`).
    pub failed: &'static str,
    /// Study: in place of a card whose text could not be read back from its deck file
    /// (`{error}`).
    pub card_text_unreadable: &'static str,
    /// Banner: progress is read-only (`{reason}`).
    pub read_only: &'static str,
    /// Banner: files that could not be read at start.
    pub open_problems: &'static str,
    /// Button: hide the status message.
    pub dismiss: &'static str,
    /// Dialog title: import.
    pub import_dialog_title: &'static str,
    /// Dialog title: export.
    pub export_dialog_title: &'static str,
    /// Button and heading: backups.
    pub backups: &'static str,
    /// Backups screen: what backups are.
    pub backups_help: &'static str,
    /// Backups screen: none yet.
    pub no_backups: &'static str,
    /// Column: when a backup was made.
    pub backup_made: &'static str,
    /// Column: cards in a backup.
    pub backup_cards: &'static str,
    /// Column: reviews in a backup.
    pub backup_reviews: &'static str,
    /// Button: restore a backup.
    pub restore: &'static str,
    /// Tooltip of Restore (`{when}`).
    pub restore_help: &'static str,
    /// Status: restored (`{when}`).
    pub restored: &'static str,
    /// Status: unreadable progress was set aside (`{error}`, `{path}`).
    pub set_aside: &'static str,
    /// Progress files that read but do not belong together; `{error}`.
    pub inconsistent: &'static str,
    /// Status: a deck file that does not parse was set aside (`{error}`, `{path}`).
    pub deck_set_aside: &'static str,
    /// Button: restore the newest backup (`{when}`, `{cards}`, `{reviews}`).
    pub offer_restore: &'static str,
    /// Interval unit suffixes: seconds, minutes, hours, days, months, years.
    pub units: [&'static str; 6],
    /// The import and export screens.
    pub transfer: &'static TransferTexts,
    /// The browser and actions on cards.
    pub browse: &'static BrowseTexts,
    /// The note editor and the deck screen.
    pub edit: &'static EditTexts,
    /// The deck options screen.
    pub deck_options: &'static edit::DeckOptionsTexts,
    /// The statistics screen.
    pub stats: &'static StatsTexts,
    /// The keyboard shortcuts window and first steps.
    pub help: &'static HelpTexts,
    /// The optimizer in Settings.
    pub optimize: &'static OptimizeTexts,
    /// The workload simulator.
    pub workload: &'static stats::WorkloadTexts,
}

/// English.
pub static EN: Texts = Texts {
    decks_heading: "Decks",
    column_deck: "Deck",
    new: "New",
    learning: "Learning",
    due: "Due",
    study: "Study",
    export: "Export…",
    import: "Import…",
    fold: "Hide sub-decks (Left)",
    unfold: "Show sub-decks (Right)",
    settings: "Settings",
    no_decks: "No decks yet. Import a deck file to start studying.",
    deck_list_hint: "Up/Down choose a deck · Left/Right fold · Enter study · Ctrl+F browse · Ctrl+O import · Ctrl+, settings",
    card_count: "{n} cards",
    show_answer: "Show answer",
    spoken_question: "Question: {question}",
    spoken_answer: "Question: {question} Answer: {answer}",
    ratings: ["Again", "Hard", "Good", "Easy"],
    undo: "Undo",
    back_to_decks: "Back to decks",
    notes: "Notes",
    example: "Example",
    done_heading: "All done for now!",
    next_due: "The next card is due {when} (in {in}).",
    nothing_left: "There is nothing left to study in this deck.",
    study_hint: "Space/Enter show answer · 1–4 answer · @ suspend · - bury · Ctrl+Z undo · Esc back",
    language: "Language",
    system_language: "System default",
    new_per_day: "New cards per day",
    reviews_per_day: "Reviews per day",
    desired_retention: "Desired retention",
    desired_retention_help: "The chance of remembering a card when it comes due. Higher means more reviews.",
    day_start_hour: "Next day starts at (hour)",
    fuzz: "Spread review dates a little (fuzz)",
    bury_siblings: "After a card, hold its note's other cards until tomorrow",
    session: "{done} done · {left} left today",
    theme: "Theme",
    themes: ["Follow the system", "Light", "Dark"],
    card_text_size: "Card text size",
    save: "Save",
    cancel: "Cancel",
    backing_up: "Backing up progress…",
    saving_progress: "Saving progress…",
    choosing_file: "Choosing a file…",
    settings_saved: "Settings saved.",
    imported: "Imported “{title}” ({n} cards).",
    updated: "Updated “{title}” from version {old} to {new}; your progress is kept.",
    import_failed: "Could not import: {error}",
    exported: "Exported to {path}.",
    exporting: "Exporting…",
    export_failed: "Could not export: {error}",
    save_failed: "Your answer could not be saved, so it was not recorded: {error}. Answer again to retry.",
    failed: "Something went wrong: {error}",
    card_text_unreadable: "This card's text could not be read: {error}",
    read_only: "Progress is read-only: {reason}",
    open_problems: "Some files could not be read:",
    dismiss: "Dismiss",
    import_dialog_title: "Import decks",
    export_dialog_title: "Export deck",
    backups: "Backups",
    backups_help: "Kartu backs up your progress every 30 minutes of study at most, and keeps today's and yesterday's backups, then one a day for 12 days, one a week for 10 weeks and one a month for 9 months.",
    no_backups: "No backups yet: the first is made after your first answers.",
    backup_made: "Made",
    backup_cards: "Cards",
    backup_reviews: "Reviews",
    restore: "Restore",
    restore_help: "Replace your progress with the backup from {when}. Your current progress is backed up first.",
    restored: "Restored the backup from {when}. Your progress before that is a backup too.",
    set_aside: "Your progress could not be read ({error}). The file was kept as {path} and Kartu started with empty progress.",
    inconsistent: "Your progress files do not fit together ({error}). Nothing was changed or written; restore a backup to go on studying (the files are kept).",
    deck_set_aside: "A deck file could not be read ({error}). It was moved to {path}; fix it and import it again.",
    offer_restore: "Restore the newest backup, from {when} ({cards} cards, {reviews} reviews)",
    units: ["s", "m", "h", "d", "mo", "y"],
    transfer: &transfer::EN,
    browse: &browse::EN,
    edit: &edit::EN,
    deck_options: &edit::DECK_OPTIONS_EN,
    stats: &stats::EN,
    help: &help::EN,
    optimize: &stats::OPTIMIZE_EN,
    workload: &stats::WORKLOAD_EN,
};

/// Bahasa Indonesia.
pub static ID: Texts = Texts {
    decks_heading: "Dek",
    column_deck: "Dek",
    new: "Baru",
    learning: "Dipelajari",
    due: "Jatuh tempo",
    study: "Belajar",
    export: "Ekspor…",
    import: "Impor…",
    fold: "Sembunyikan sub-dek (Kiri)",
    unfold: "Tampilkan sub-dek (Kanan)",
    settings: "Pengaturan",
    no_decks: "Belum ada dek. Impor berkas dek untuk mulai belajar.",
    deck_list_hint: "Atas/Bawah pilih dek · Kiri/Kanan lipat · Enter belajar · Ctrl+F jelajahi · Ctrl+O impor · Ctrl+, pengaturan",
    card_count: "{n} kartu",
    show_answer: "Tampilkan jawaban",
    spoken_question: "Pertanyaan: {question}",
    spoken_answer: "Pertanyaan: {question} Jawaban: {answer}",
    ratings: ["Lagi", "Sulit", "Baik", "Mudah"],
    undo: "Urungkan",
    back_to_decks: "Kembali ke dek",
    notes: "Catatan",
    example: "Contoh",
    done_heading: "Selesai untuk saat ini!",
    next_due: "Kartu berikutnya jatuh tempo {when} ({in} lagi).",
    nothing_left: "Tidak ada lagi yang perlu dipelajari di dek ini.",
    study_hint: "Spasi/Enter tampilkan jawaban · 1–4 jawab · @ tangguhkan · - kubur · Ctrl+Z urungkan · Esc kembali",
    language: "Bahasa",
    system_language: "Ikuti sistem",
    new_per_day: "Kartu baru per hari",
    reviews_per_day: "Ulasan per hari",
    desired_retention: "Retensi yang diinginkan",
    desired_retention_help: "Peluang masih ingat saat kartu jatuh tempo. Makin tinggi, makin banyak ulasan.",
    day_start_hour: "Hari baru mulai pukul (jam)",
    fuzz: "Sebar sedikit tanggal ulasan (fuzz)",
    bury_siblings: "Setelah satu kartu, tahan kartu lain dari catatan yang sama sampai besok",
    session: "{done} selesai · {left} tersisa hari ini",
    theme: "Tema",
    themes: ["Ikuti sistem", "Terang", "Gelap"],
    card_text_size: "Ukuran teks kartu",
    save: "Simpan",
    cancel: "Batal",
    backing_up: "Mencadangkan kemajuan…",
    saving_progress: "Menyimpan kemajuan…",
    choosing_file: "Memilih berkas…",
    settings_saved: "Pengaturan disimpan.",
    imported: "Dek “{title}” diimpor ({n} kartu).",
    updated: "Dek “{title}” diperbarui dari versi {old} ke {new}; kemajuan Anda tetap tersimpan.",
    import_failed: "Gagal mengimpor: {error}",
    exported: "Diekspor ke {path}.",
    exporting: "Mengekspor…",
    export_failed: "Gagal mengekspor: {error}",
    save_failed: "Jawaban Anda tidak dapat disimpan sehingga tidak dicatat: {error}. Jawab lagi untuk mencoba ulang.",
    failed: "Terjadi kesalahan: {error}",
    card_text_unreadable: "Teks kartu ini tidak dapat dibaca: {error}",
    read_only: "Kemajuan hanya bisa dibaca: {reason}",
    open_problems: "Beberapa berkas tidak dapat dibaca:",
    dismiss: "Tutup",
    import_dialog_title: "Impor dek Kartu",
    export_dialog_title: "Ekspor dek",
    backups: "Cadangan",
    backups_help: "Kartu mencadangkan kemajuan Anda paling sering setiap 30 menit belajar, dan menyimpan cadangan hari ini dan kemarin, lalu satu per hari selama 12 hari, satu per minggu selama 10 minggu, dan satu per bulan selama 9 bulan.",
    no_backups: "Belum ada cadangan: yang pertama dibuat setelah jawaban pertama Anda.",
    backup_made: "Dibuat",
    backup_cards: "Kartu",
    backup_reviews: "Ulasan",
    restore: "Pulihkan",
    restore_help: "Ganti kemajuan Anda dengan cadangan dari {when}. Kemajuan saat ini dicadangkan lebih dulu.",
    restored: "Cadangan dari {when} dipulihkan. Kemajuan Anda sebelumnya juga disimpan sebagai cadangan.",
    set_aside: "Kemajuan Anda tidak dapat dibaca ({error}). Berkasnya disimpan sebagai {path} dan Kartu mulai dengan kemajuan kosong.",
    inconsistent: "Berkas-berkas kemajuan Anda tidak cocok satu sama lain ({error}). Tidak ada yang diubah atau ditulis; pulihkan cadangan untuk melanjutkan belajar (berkasnya tetap disimpan).",
    deck_set_aside: "Sebuah berkas dek tidak dapat dibaca ({error}). Berkas itu dipindahkan ke {path}; perbaiki lalu impor lagi.",
    offer_restore: "Pulihkan cadangan terbaru, dari {when} ({cards} kartu, {reviews} ulasan)",
    units: ["dtk", "mnt", "j", "h", "bln", "th"],
    transfer: &transfer::ID,
    browse: &browse::ID,
    edit: &edit::ID,
    deck_options: &edit::DECK_OPTIONS_ID,
    stats: &stats::ID,
    help: &help::ID,
    optimize: &stats::OPTIMIZE_ID,
    workload: &stats::WORKLOAD_ID,
};

impl Texts {
    /// An interval with this language's unit: `10m`, `2h` (Indonesian days), `1.5mo`.
    #[must_use]
    pub fn interval(&self, secs: u64) -> String {
        let (value, unit) = interval_in_unit(secs);
        let index = match unit {
            IntervalUnit::Seconds => 0,
            IntervalUnit::Minutes => 1,
            IntervalUnit::Hours => 2,
            IntervalUnit::Days => 3,
            IntervalUnit::Months => 4,
            IntervalUnit::Years => 5,
        };
        format!("{value}{}", self.units[index])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_locales_map_to_languages() {
        assert_eq!(Lang::from_code("id-ID"), Some(Lang::Id));
        assert_eq!(Lang::from_code("en_GB.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::from_code("fr"), None);
        assert_eq!(Lang::resolve(Some("id")), Lang::Id);
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
    }

    #[test]
    fn intervals_use_the_language_units() {
        assert_eq!(EN.interval(600), "10m");
        assert_eq!(ID.interval(600), "10mnt");
        assert_eq!(ID.interval(2 * 86_400), "2h");
        assert_eq!(
            fill(EN.imported, &[("title", "X"), ("n", "3")]),
            "Imported “X” (3 cards)."
        );
    }

    #[test]
    fn translations_differ_where_they_should() {
        assert_ne!(EN.show_answer, ID.show_answer);
        assert_ne!(EN.ratings, ID.ratings);
    }
}
