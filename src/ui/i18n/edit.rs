//! The strings of the note editor and the deck screen, in both languages.

/// Editor strings of one language.
#[derive(Debug)]
pub struct EditTexts {
    /// Heading: adding a note (`{deck}`).
    pub add_heading: &'static str,
    /// Heading: editing a note (`{deck}`).
    pub edit_heading: &'static str,
    /// Label: the deck.
    pub deck: &'static str,
    /// Label: the note kind.
    pub kind: &'static str,
    /// The kinds: basic, reversed, optional reversed, cloze.
    pub kinds: [&'static str; 4],
    /// Field labels: front, back, text, extra, notes, example, tags.
    pub fields: [&'static str; 7],
    /// Checkbox: make the reverse card (optional reversed).
    pub add_reverse: &'static str,
    /// Hint under the cloze text.
    pub cloze_hint: &'static str,
    /// Hint in the tags field.
    pub tags_hint: &'static str,
    /// Heading: the preview.
    pub preview: &'static str,
    /// Preview: card `{n}` of the note.
    pub card_n: &'static str,
    /// Preview: question and answer.
    pub question_answer: [&'static str; 2],
    /// Preview: the note makes no card yet.
    pub no_cards: &'static str,
    /// Button: add the note (editor stays open).
    pub add: &'static str,
    /// Button: save the changes.
    pub save: &'static str,
    /// Button: a copy of the note, to edit.
    pub duplicate: &'static str,
    /// Button: delete the note.
    pub delete: &'static str,
    /// Asks before deleting (`{n}` cards).
    pub delete_confirm: &'static str,
    /// Button: pick an image to insert.
    pub insert_image: &'static str,
    /// Button: close the editor.
    pub close: &'static str,
    /// Status: a note was added (`{n}` cards).
    pub added: &'static str,
    /// Status: saved.
    pub saved: &'static str,
    /// Status: deleted.
    pub deleted: &'static str,
    /// Status: an image was copied into the deck's media (`{name}`).
    pub image_added: &'static str,
    /// Keyboard hint in the editor.
    pub hint: &'static str,
    /// Button: a new deck.
    pub new_deck: &'static str,
    /// Button: a new sub-deck of this one.
    pub new_sub_deck: &'static str,
    /// Button on a deck row: add a note.
    pub add_note: &'static str,
    /// Button on a deck row: edit the deck.
    pub edit_deck: &'static str,
    /// Heading: a new deck.
    pub deck_new_heading: &'static str,
    /// Heading: a deck's settings (`{title}`).
    pub deck_heading: &'static str,
    /// Deck fields: title, description, language, parent.
    pub deck_fields: [&'static str; 4],
    /// The parent choice for a deck at the top.
    pub top_level: &'static str,
    /// Asks before deleting a deck (`{title}`, `{n}` cards).
    pub deck_delete_confirm: &'static str,
    /// Status: deck saved (`{title}`).
    pub deck_saved: &'static str,
    /// Status: deck deleted (`{title}`).
    pub deck_deleted: &'static str,
}

/// English.
pub static EN: EditTexts = EditTexts {
    add_heading: "Add a note to “{deck}”",
    edit_heading: "Edit a note in “{deck}”",
    deck: "Deck",
    kind: "Kind",
    kinds: [
        "Basic",
        "Basic and reversed",
        "Basic, optional reverse",
        "Cloze",
    ],
    fields: ["Front", "Back", "Text", "Extra", "Notes", "Example", "Tags"],
    add_reverse: "Make the reverse card too",
    cloze_hint: "Select words and press Ctrl+Shift+C for the next cloze (Ctrl+Shift+Alt+C: the same number).",
    tags_hint: "words separated by spaces; a::b is b under a",
    preview: "Preview",
    card_n: "Card {n}",
    question_answer: ["Question", "Answer"],
    no_cards: "This note makes no card yet.",
    add: "Add",
    save: "Save",
    duplicate: "Duplicate",
    delete: "Delete…",
    delete_confirm: "Delete this note and its {n} cards? Their progress is kept, and comes back if you undo (Ctrl+Z).",
    insert_image: "Insert image…",
    close: "Close",
    added: "Note added ({n} cards). The editor is ready for the next one.",
    saved: "Saved.",
    deleted: "Note deleted (Ctrl+Z brings it back).",
    image_added: "Image {name} copied into the deck's media.",
    hint: "Ctrl+Enter add or save · Ctrl+Shift+C cloze · Esc close",
    new_deck: "New deck…",
    new_sub_deck: "New sub-deck…",
    add_note: "Add…",
    edit_deck: "Edit…",
    deck_new_heading: "New deck",
    deck_heading: "Deck “{title}”",
    deck_fields: ["Title", "Description", "Language (e.g. id, en)", "Inside"],
    top_level: "(top level)",
    deck_delete_confirm: "Delete “{title}” and its {n} cards? Their progress is kept; Ctrl+Z brings the deck back.",
    deck_saved: "Deck “{title}” saved.",
    deck_deleted: "Deck “{title}” deleted (Ctrl+Z brings it back).",
};

/// Bahasa Indonesia.
pub static ID: EditTexts = EditTexts {
    add_heading: "Tambah catatan ke “{deck}”",
    edit_heading: "Ubah catatan di “{deck}”",
    deck: "Dek",
    kind: "Jenis",
    kinds: [
        "Dasar",
        "Dasar dan kebalikan",
        "Dasar, kebalikan opsional",
        "Cloze",
    ],
    fields: [
        "Depan", "Belakang", "Teks", "Tambahan", "Catatan", "Contoh", "Tag",
    ],
    add_reverse: "Buat juga kartu kebalikannya",
    cloze_hint: "Pilih kata lalu tekan Ctrl+Shift+C untuk cloze berikutnya (Ctrl+Shift+Alt+C: nomor yang sama).",
    tags_hint: "kata dipisah spasi; a::b artinya b di bawah a",
    preview: "Pratinjau",
    card_n: "Kartu {n}",
    question_answer: ["Pertanyaan", "Jawaban"],
    no_cards: "Catatan ini belum menghasilkan kartu.",
    add: "Tambah",
    save: "Simpan",
    duplicate: "Duplikat",
    delete: "Hapus…",
    delete_confirm: "Hapus catatan ini dan {n} kartunya? Kemajuannya tetap disimpan, dan kembali bila Anda membatalkan (Ctrl+Z).",
    insert_image: "Sisipkan gambar…",
    close: "Tutup",
    added: "Catatan ditambahkan ({n} kartu). Editor siap untuk catatan berikutnya.",
    saved: "Disimpan.",
    deleted: "Catatan dihapus (Ctrl+Z mengembalikannya).",
    image_added: "Gambar {name} disalin ke media dek.",
    hint: "Ctrl+Enter tambah atau simpan · Ctrl+Shift+C cloze · Esc tutup",
    new_deck: "Dek baru…",
    new_sub_deck: "Sub-dek baru…",
    add_note: "Tambah…",
    edit_deck: "Ubah…",
    deck_new_heading: "Dek baru",
    deck_heading: "Dek “{title}”",
    deck_fields: ["Judul", "Deskripsi", "Bahasa (mis. id, en)", "Di dalam"],
    top_level: "(tingkat atas)",
    deck_delete_confirm: "Hapus “{title}” dan {n} kartunya? Kemajuannya tetap disimpan; Ctrl+Z mengembalikan dek ini.",
    deck_saved: "Dek “{title}” disimpan.",
    deck_deleted: "Dek “{title}” dihapus (Ctrl+Z mengembalikannya).",
};

/// The deck options screen.
#[derive(Debug)]
pub struct DeckOptionsTexts {
    /// Heading (`{deck}`).
    pub heading: &'static str,
    /// Button on each deck: its options.
    pub open: &'static str,
    /// Label: the preset the deck uses.
    pub preset: &'static str,
    /// How many decks use the preset (`{n}`).
    pub used_by: &'static str,
    /// Button: a new preset with the default values.
    pub new_preset: &'static str,
    /// The first name a new preset gets.
    pub new_name: &'static str,
    /// Button: a copy of the preset shown.
    pub clone: &'static str,
    /// A copy's name (`{name}`).
    pub copy_of: &'static str,
    /// Label: the preset's name.
    pub name: &'static str,
    /// Button: rename.
    pub rename: &'static str,
    /// Button: delete the preset (asks first).
    pub delete: &'static str,
    /// Confirmation of Delete (`{name}`).
    pub delete_confirm: &'static str,
    /// Label: maximum interval.
    pub maximum_interval: &'static str,
    /// Above the Settings screen's scheduling values.
    pub default_note: &'static str,
}

/// English.
pub static DECK_OPTIONS_EN: DeckOptionsTexts = DeckOptionsTexts {
    heading: "Options of “{deck}”",
    open: "Options…",
    preset: "Preset",
    used_by: "used by {n} decks",
    new_preset: "New preset",
    new_name: "Preset",
    clone: "Clone",
    copy_of: "{name} copy",
    name: "Name",
    rename: "Rename",
    delete: "Delete preset…",
    delete_confirm: "Delete the preset “{name}”? Its decks go back to the Default preset.",
    maximum_interval: "Maximum interval (days)",
    default_note: "The values below, with the parameters and the simulator, are the Default preset's: every deck without a preset of its own uses them (see each deck's Options…).",
};

/// Bahasa Indonesia.
pub static DECK_OPTIONS_ID: DeckOptionsTexts = DeckOptionsTexts {
    heading: "Opsi “{deck}”",
    open: "Opsi…",
    preset: "Preset",
    used_by: "dipakai {n} dek",
    new_preset: "Preset baru",
    new_name: "Preset",
    clone: "Salin",
    copy_of: "Salinan {name}",
    name: "Nama",
    rename: "Ganti nama",
    delete: "Hapus preset…",
    delete_confirm: "Hapus preset “{name}”? Deknya kembali memakai preset Default.",
    maximum_interval: "Interval maksimum (hari)",
    default_note: "Nilai di bawah ini, beserta parameter dan simulator, milik preset Default: dipakai setiap dek tanpa preset sendiri (lihat Opsi… pada tiap dek).",
};
