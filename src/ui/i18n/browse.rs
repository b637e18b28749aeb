//! The strings of the card browser and of actions on cards, in both languages.

/// Browser and card-action strings of one language.
#[derive(Debug)]
pub struct BrowseTexts {
    /// Button and heading: the browser.
    pub browse: &'static str,
    /// Hint in the empty search box.
    pub search_hint: &'static str,
    /// How many cards match (`{n}`, `{total}`), and how many are selected (`{selected}`).
    pub found: &'static str,
    /// The columns: sort field, deck, kind, tags, state, due, interval, stability,
    /// difficulty, reps, lapses, added, last review (the order of `SortColumn::ALL`).
    pub columns: [&'static str; 13],
    /// Menu: which columns show.
    pub columns_menu: &'static str,
    /// Button: suspend the selected cards.
    pub suspend: &'static str,
    /// Button: unsuspend the selected cards.
    pub unsuspend: &'static str,
    /// Button: bury the selected cards until tomorrow.
    pub bury: &'static str,
    /// Button: make the selected cards new again.
    pub forget: &'static str,
    /// Button: edit the selected card's note.
    pub edit: &'static str,
    /// Label of the tags field.
    pub tags_label: &'static str,
    /// Button: add the tags to the selected cards' notes.
    pub add_tags: &'static str,
    /// Button: remove the tags from them.
    pub remove_tags: &'static str,
    /// Status: tags changed on `{n}` notes.
    pub tagged: &'static str,
    /// The menu that moves the selected cards' notes to another deck.
    pub change_deck: &'static str,
    /// Status: `{n}` notes moved to deck `{deck}`.
    pub moved: &'static str,
    /// Above the editor pane: the selected card's note, saved with Save (Ctrl+Enter).
    pub pane_hint: &'static str,
    /// While the cards are being gathered (and the job's label).
    pub loading: &'static str,
    /// Confirmation of Forget (`{n}`).
    pub forget_confirm: &'static str,
    /// Button: delete the selected cards' notes (asks first).
    pub delete: &'static str,
    /// Confirmation of Delete (`{n}` notes, `{cards}` cards).
    pub delete_confirm: &'static str,
    /// Status: `{n}` notes deleted.
    pub deleted: &'static str,
    /// Status: cards suspended (`{n}`).
    pub suspended: &'static str,
    /// Status: cards unsuspended (`{n}`).
    pub unsuspended: &'static str,
    /// Status: cards buried (`{n}`).
    pub buried: &'static str,
    /// Status: cards made new (`{n}`).
    pub forgotten: &'static str,
    /// Status: the last action was taken back.
    pub undone: &'static str,
    /// Status: the action taken back was done again.
    pub redone: &'static str,
    /// A query error (`{error}`, `{at}`).
    pub query_error: &'static str,
    /// Keyboard hint in the browser.
    pub hint: &'static str,
    /// No card matches.
    pub nothing_found: &'static str,
    /// Words for the states: new, learning, review, relearning.
    pub states: [&'static str; 4],
    /// Markers in the state column: suspended, buried.
    pub held: [&'static str; 2],
}

/// English.
pub static EN: BrowseTexts = BrowseTexts {
    browse: "Browse",
    search_hint: "Search, as in Anki: deck:Name tag:x is:due prop:ivl>10 \"a phrase\" -word",
    found: "{n} of {total} cards · {selected} selected",
    columns: [
        "Sort field",
        "Deck",
        "Kind",
        "Tags",
        "State",
        "Due",
        "Interval",
        "Stability",
        "Difficulty",
        "Reviews",
        "Lapses",
        "Added",
        "Last review",
    ],
    columns_menu: "Columns",
    suspend: "Suspend",
    unsuspend: "Unsuspend",
    bury: "Bury",
    forget: "Forget…",
    edit: "Edit note",
    tags_label: "Tags",
    add_tags: "Add tags",
    remove_tags: "Remove tags",
    tagged: "Tags changed on {n} notes (Ctrl+Z takes it back).",
    change_deck: "Change deck…",
    moved: "{n} notes moved to {deck}, with their progress (Ctrl+Z takes it back).",
    pane_hint: "The selected card's note. Save with Ctrl+Enter; changes are also saved when you select another card.",
    loading: "Gathering the cards…",
    forget_confirm: "Make {n} cards new again? Their reviews stay in your history.",
    delete: "Delete notes…",
    delete_confirm: "Delete {n} notes ({cards} cards)? Their progress is kept and comes back if you undo.",
    deleted: "{n} notes deleted (Ctrl+Z takes it back).",
    suspended: "{n} cards suspended (Ctrl+Z takes it back).",
    unsuspended: "{n} cards unsuspended.",
    buried: "{n} cards buried until tomorrow (Ctrl+Z takes it back).",
    forgotten: "{n} cards are new again (Ctrl+Z takes it back).",
    undone: "Taken back (Ctrl+Shift+Z does it again).",
    redone: "Done again.",
    query_error: "{error} (at character {at})",
    hint: "Ctrl+F search · Click, Shift+click, Ctrl+click select · Ctrl+A all · Ctrl+Z undo · Esc back",
    nothing_found: "No card matches this search.",
    states: ["new", "learning", "review", "relearning"],
    held: ["suspended", "buried"],
};

/// Bahasa Indonesia.
pub static ID: BrowseTexts = BrowseTexts {
    browse: "Jelajahi",
    search_hint: "Cari, seperti di Anki: deck:Nama tag:x is:due prop:ivl>10 \"sebuah frasa\" -kata",
    found: "{n} dari {total} kartu · {selected} dipilih",
    columns: [
        "Kolom urut",
        "Dek",
        "Jenis",
        "Tag",
        "Status",
        "Jatuh tempo",
        "Interval",
        "Stabilitas",
        "Kesulitan",
        "Ulasan",
        "Lupa",
        "Ditambahkan",
        "Ulasan terakhir",
    ],
    columns_menu: "Kolom",
    suspend: "Tangguhkan",
    unsuspend: "Batalkan penangguhan",
    bury: "Kubur",
    forget: "Lupakan…",
    edit: "Ubah catatan",
    tags_label: "Tag",
    add_tags: "Tambah tag",
    remove_tags: "Hapus tag",
    tagged: "Tag diubah pada {n} catatan (Ctrl+Z membatalkannya).",
    change_deck: "Pindahkan ke dek…",
    moved: "{n} catatan dipindahkan ke {deck}, beserta kemajuannya (Ctrl+Z membatalkannya).",
    pane_hint: "Catatan dari kartu yang dipilih. Simpan dengan Ctrl+Enter; perubahan juga disimpan saat Anda memilih kartu lain.",
    loading: "Mengumpulkan kartu…",
    forget_confirm: "Jadikan {n} kartu baru lagi? Ulasannya tetap ada di riwayat Anda.",
    delete: "Hapus catatan…",
    delete_confirm: "Hapus {n} catatan ({cards} kartu)? Kemajuannya tetap disimpan dan kembali jika Anda membatalkan.",
    deleted: "{n} catatan dihapus (Ctrl+Z membatalkannya).",
    suspended: "{n} kartu ditangguhkan (Ctrl+Z membatalkannya).",
    unsuspended: "Penangguhan {n} kartu dibatalkan.",
    buried: "{n} kartu dikubur sampai besok (Ctrl+Z membatalkannya).",
    forgotten: "{n} kartu menjadi baru lagi (Ctrl+Z membatalkannya).",
    undone: "Dibatalkan (Ctrl+Shift+Z mengulanginya).",
    redone: "Diulangi.",
    query_error: "{error} (pada karakter ke-{at})",
    hint: "Ctrl+F cari · Klik, Shift+klik, Ctrl+klik pilih · Ctrl+A semua · Ctrl+Z batal · Esc kembali",
    nothing_found: "Tidak ada kartu yang cocok dengan pencarian ini.",
    states: ["baru", "belajar", "ulasan", "belajar ulang"],
    held: ["ditangguhkan", "dikubur"],
};
