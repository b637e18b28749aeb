//! Every keyboard shortcut, screen by screen, in both languages (the `?` / F1 window).

/// `(keys, what they do)` per screen.
#[derive(Debug)]
pub struct HelpTexts {
    /// The window's title.
    pub title: &'static str,
    /// Anywhere.
    pub anywhere: &'static [(&'static str, &'static str)],
    /// The deck list.
    pub decks: &'static [(&'static str, &'static str)],
    /// Studying.
    pub study: &'static [(&'static str, &'static str)],
    /// The browser.
    pub browse: &'static [(&'static str, &'static str)],
    /// The note editor.
    pub editor: &'static [(&'static str, &'static str)],
    /// The import screen.
    pub import: &'static [(&'static str, &'static str)],
    /// First steps shown on the deck list to someone who has not studied yet.
    pub first_steps: &'static str,
}

/// English.
pub static EN: HelpTexts = HelpTexts {
    title: "Keyboard shortcuts",
    anywhere: &[
        ("? or F1", "this list"),
        ("Ctrl+O", "import a file"),
        ("Ctrl+F or B", "browse cards"),
        ("Ctrl+,", "settings"),
        ("Ctrl+Z / Ctrl+Shift+Z", "undo / redo (answers and changes)"),
        ("Ctrl+= / Ctrl+- / Ctrl+0", "zoom in / out / reset"),
        ("Esc", "back"),
    ],
    decks: &[
        ("Up / Down", "choose a deck"),
        ("Left / Right", "fold / unfold sub-decks"),
        ("Enter", "study the deck"),
    ],
    study: &[
        (
            "Space or Enter",
            "show the answer; on the answer side: Good",
        ),
        ("1 2 3 4", "Again, Hard, Good, Easy"),
        ("E", "edit the card's note"),
        ("@", "suspend the card"),
        ("-", "bury the card until tomorrow"),
    ],
    browse: &[
        ("Click, Shift+click, Ctrl+click", "select"),
        ("Ctrl+A", "select every card found"),
    ],
    editor: &[
        ("Ctrl+Enter", "add (or save) the note"),
        ("Ctrl+Shift+C", "make the selection the next cloze"),
        ("Ctrl+Shift+Alt+C", "the same cloze number again"),
    ],
    import: &[("Enter", "import what the screen shows"), ("Esc", "cancel")],
    first_steps: "New here? Study one of the bundled decks (select it and press Enter), import a deck from Anki or a spreadsheet (Ctrl+O), or write your own (New deck…). Press ? for every shortcut.",
};

/// Bahasa Indonesia.
pub static ID: HelpTexts = HelpTexts {
    title: "Pintasan papan ketik",
    anywhere: &[
        ("? atau F1", "daftar ini"),
        ("Ctrl+O", "impor berkas"),
        ("Ctrl+F atau B", "jelajahi kartu"),
        ("Ctrl+,", "pengaturan"),
        (
            "Ctrl+Z / Ctrl+Shift+Z",
            "urungkan / ulangi (jawaban dan perubahan)",
        ),
        ("Ctrl+= / Ctrl+- / Ctrl+0", "perbesar / perkecil / normal"),
        ("Esc", "kembali"),
    ],
    decks: &[
        ("Atas / Bawah", "pilih dek"),
        ("Kiri / Kanan", "lipat / buka sub-dek"),
        ("Enter", "pelajari dek"),
    ],
    study: &[
        (
            "Spasi atau Enter",
            "tampilkan jawaban; di sisi jawaban: Baik",
        ),
        ("1 2 3 4", "Lagi, Sulit, Baik, Mudah"),
        ("E", "ubah catatan kartu"),
        ("@", "tangguhkan kartu"),
        ("-", "kubur kartu sampai besok"),
    ],
    browse: &[
        ("Klik, Shift+klik, Ctrl+klik", "pilih"),
        ("Ctrl+A", "pilih semua kartu yang ditemukan"),
    ],
    editor: &[
        ("Ctrl+Enter", "tambah (atau simpan) catatan"),
        ("Ctrl+Shift+C", "jadikan pilihan cloze berikutnya"),
        ("Ctrl+Shift+Alt+C", "nomor cloze yang sama lagi"),
    ],
    import: &[("Enter", "impor yang ditampilkan"), ("Esc", "batal")],
    first_steps: "Baru di sini? Pelajari salah satu dek bawaan (pilih lalu tekan Enter), impor dek dari Anki atau lembar kerja (Ctrl+O), atau tulis sendiri (Dek baru…). Tekan ? untuk semua pintasan.",
};
