//! What a package holds, in plain owned data. Integer columns keep Anki's
//! raw values (widened to `i64`) so nothing is lost; helpers decode them.

/// Anki's default day rollover hour.
pub(crate) const DEFAULT_ROLLOVER: u8 = 4;

/// Which database layout the package's collection uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    /// Schema 11: note types, decks and settings are JSON in the `col` table
    /// (`collection.anki2` / `collection.anki21`).
    Legacy11,
    /// Schema 15–18 (Anki 2.1.28+; exports write 18): note types, fields,
    /// templates, decks and settings have their own tables
    /// (`collection.anki21b`).
    Current18,
}

/// Everything read from one `.apkg` or `.colpkg`.
#[derive(Debug, Clone, PartialEq)]
pub struct AnkiCollection {
    /// Database layout of the collection.
    pub schema: Schema,
    /// Collection creation time (`col.crt`), seconds since the Unix epoch.
    /// Review-card `due` values count days from the day this falls in.
    pub created_secs: i64,
    /// Hour (0–23, local time) at which a new study day starts; Anki's
    /// `rollover` setting, 4 when absent.
    pub rollover_hour: u8,
    /// All decks, sorted by id.
    pub decks: Vec<AnkiDeck>,
    /// All note types, sorted by id.
    pub notetypes: Vec<AnkiNotetype>,
    /// All notes, sorted by id.
    pub notes: Vec<AnkiNote>,
    /// All cards, sorted by id.
    pub cards: Vec<AnkiCard>,
    /// The review log, sorted by id (= review time).
    pub revlog: Vec<AnkiRevlog>,
    /// Media files listed in the package's media map, in map order.
    pub media: Vec<AnkiMedia>,
}

/// Whether a deck holds its own cards or borrows them by a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeckKind {
    /// An ordinary deck.
    Normal,
    /// A filtered ("dynamic") deck: its cards remember their home deck in
    /// [`AnkiCard::original_deck_id`].
    Filtered,
}

/// A deck.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnkiDeck {
    /// Deck id (milliseconds since the epoch at creation; 1 = "Default").
    pub id: i64,
    /// Full name, levels joined with `::`, e.g. `Peer::Child`.
    pub name: String,
    /// Normal or filtered.
    pub kind: DeckKind,
}

/// Standard note types make one card per template; cloze ones one per cloze number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotetypeKind {
    /// One card per template whose front is not empty.
    Standard,
    /// One card per `{{cN::…}}` number, all from the single template.
    Cloze,
}

/// A card template of a note type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnkiTemplate {
    /// Template name, e.g. `Card 1`.
    pub name: String,
    /// Position; cards refer to it through [`AnkiCard::ord`].
    pub ord: u32,
    /// Front side, Anki template syntax (`{{Front}}`).
    pub question_format: String,
    /// Back side, Anki template syntax.
    pub answer_format: String,
}

/// A note type ("model").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnkiNotetype {
    /// Note type id.
    pub id: i64,
    /// Name, e.g. `Basic (and reversed card)`.
    pub name: String,
    /// Standard or cloze.
    pub kind: NotetypeKind,
    /// Field names in order; notes store their fields in this order.
    pub fields: Vec<String>,
    /// Templates sorted by `ord`.
    pub templates: Vec<AnkiTemplate>,
}

/// A note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnkiNote {
    /// Note id (creation time in milliseconds).
    pub id: i64,
    /// Globally unique id, used to recognise the same note on re-import.
    pub guid: String,
    /// The note type this note belongs to.
    pub notetype_id: i64,
    /// Field contents (HTML), in the note type's field order.
    pub fields: Vec<String>,
    /// Tags; hierarchical tags use `::`.
    pub tags: Vec<String>,
    /// Last modification, seconds since the epoch.
    pub mtime_secs: i64,
}

/// FSRS memory state of a card, from the JSON in `cards.data`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MemoryState {
    /// Stability in days (`s`).
    pub stability: f32,
    /// Difficulty, 1–10 (`d`).
    pub difficulty: f32,
    /// Desired retention in force when last reviewed (`dr`).
    pub desired_retention: Option<f32>,
    /// Decay of the forgetting curve (`decay`; FSRS-6).
    pub decay: Option<f32>,
    /// Time of the last review, seconds since the epoch (`lrt`).
    pub last_review_secs: Option<i64>,
}

/// Card type (`cards.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardType {
    /// 0: never studied.
    New,
    /// 1: in the learning steps.
    Learn,
    /// 2: graduated.
    Review,
    /// 3: lapsed and in the relearning steps.
    Relearn,
}

/// Card queue (`cards.queue`): where the scheduler looks for it now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardQueue {
    /// -3: buried by the user.
    UserBuried,
    /// -2: buried automatically (sibling).
    SchedBuried,
    /// -1: suspended.
    Suspended,
    /// 0: new; `due` is the position in the new queue.
    New,
    /// 1: learning within the day; `due` is a Unix timestamp in seconds.
    Learn,
    /// 2: review; `due` is a day number counted from the collection's creation day.
    Review,
    /// 3: learning across days; `due` is a day number like review.
    DayLearn,
    /// 4: preview in a filtered deck.
    Preview,
}

/// A card.
#[derive(Debug, Clone, PartialEq)]
pub struct AnkiCard {
    /// Card id.
    pub id: i64,
    /// The note the card belongs to.
    pub note_id: i64,
    /// The deck the card is in now (a filtered deck if it was moved there).
    pub deck_id: i64,
    /// Home deck while in a filtered deck (`odid`), else 0.
    pub original_deck_id: i64,
    /// Template index (standard) or cloze number minus one (cloze).
    pub ord: u32,
    /// Raw `type`, see [`AnkiCard::card_type`].
    pub ctype: i64,
    /// Raw `queue`, see [`AnkiCard::card_queue`].
    pub queue: i64,
    /// Meaning depends on the queue: new position, Unix seconds, or day number.
    pub due: i64,
    /// Interval in days (review cards).
    pub ivl: i64,
    /// Ease factor in permille (2500 = 250 %); 0 for new/learning cards.
    pub factor: i64,
    /// Number of reviews.
    pub reps: i64,
    /// Number of lapses.
    pub lapses: i64,
    /// Learning steps left; see [`AnkiCard::remaining_steps`].
    pub left: i64,
    /// Due before the card went into a filtered deck, else 0.
    pub original_due: i64,
    /// Flags; the low 3 bits are the user's colour flag.
    pub flags: i64,
    /// Position the card had in the new queue (`pos` in `cards.data`).
    pub original_position: Option<u32>,
    /// FSRS memory, when `cards.data` has both `s` and `d`.
    pub memory: Option<MemoryState>,
}

impl AnkiCard {
    /// Decoded [`ctype`](Self::ctype); `None` for values Anki does not define.
    #[must_use]
    pub fn card_type(&self) -> Option<CardType> {
        match self.ctype {
            0 => Some(CardType::New),
            1 => Some(CardType::Learn),
            2 => Some(CardType::Review),
            3 => Some(CardType::Relearn),
            _ => None,
        }
    }

    /// Decoded [`queue`](Self::queue); `None` for values Anki does not define.
    #[must_use]
    pub fn card_queue(&self) -> Option<CardQueue> {
        match self.queue {
            -3 => Some(CardQueue::UserBuried),
            -2 => Some(CardQueue::SchedBuried),
            -1 => Some(CardQueue::Suspended),
            0 => Some(CardQueue::New),
            1 => Some(CardQueue::Learn),
            2 => Some(CardQueue::Review),
            3 => Some(CardQueue::DayLearn),
            4 => Some(CardQueue::Preview),
            _ => None,
        }
    }

    /// Learning steps still to do. Old schedulers stored
    /// `steps_today * 1000 + steps_left` in `left`; the last three digits
    /// are the count in both encodings.
    #[must_use]
    pub fn remaining_steps(&self) -> i64 {
        self.left.rem_euclid(1000)
    }

    /// The user's colour flag, 0 (none) to 7.
    #[must_use]
    pub fn user_flag(&self) -> u8 {
        // Masked to 3 bits, so it always fits.
        u8::try_from(self.flags & 0b111).unwrap_or(0)
    }
}

/// Kind of review in the log (`revlog.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevlogKind {
    /// 0: answered while learning.
    Learning,
    /// 1: answered as a review.
    Review,
    /// 2: answered while relearning.
    Relearning,
    /// 3: answered in a filtered deck without rescheduling (cram).
    Filtered,
    /// 4: manually rescheduled or reset (no answer; `ease` 0).
    Manual,
    /// 5: rescheduled by "reschedule cards on change" (no answer).
    Rescheduled,
}

/// One entry of the review log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnkiRevlog {
    /// Review time in milliseconds since the epoch (also the unique id).
    pub id: i64,
    /// The reviewed card.
    pub card_id: i64,
    /// Button: 1 again, 2 hard, 3 good, 4 easy; 0 for manual entries.
    pub ease: i64,
    /// New interval: days if positive, seconds if negative.
    pub ivl: i64,
    /// Previous interval, same encoding.
    pub last_ivl: i64,
    /// Ease factor after the review in permille; with FSRS, difficulty-derived.
    pub factor: i64,
    /// Time spent answering, milliseconds.
    pub time_ms: i64,
    /// Raw `type`, see [`AnkiRevlog::revlog_kind`].
    pub kind: i64,
}

impl AnkiRevlog {
    /// Decoded [`kind`](Self::kind); `None` for values Anki does not define.
    #[must_use]
    pub fn revlog_kind(&self) -> Option<RevlogKind> {
        match self.kind {
            0 => Some(RevlogKind::Learning),
            1 => Some(RevlogKind::Review),
            2 => Some(RevlogKind::Relearning),
            3 => Some(RevlogKind::Filtered),
            4 => Some(RevlogKind::Manual),
            5 => Some(RevlogKind::Rescheduled),
            _ => None,
        }
    }
}

/// A media file from the package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnkiMedia {
    /// File name as notes refer to it (`<img src="…">`, `[sound:…]`).
    /// Checked to be a plain file name: no path separators, no `..`.
    pub name: String,
    /// The file's content, decompressed.
    pub data: Vec<u8>,
}

/// Which rows a [`RowSink::reserve`] call announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// Notes.
    Notes,
    /// Cards.
    Cards,
    /// Review log entries.
    Revlog,
}

/// Receives notes, cards and review log entries one at a time, so an
/// importer can write them out without holding the whole collection in
/// memory (see [`read_package_with`](super::read_package_with)).
///
/// Rows arrive in id order: all notes, then all cards, then the review
/// log. Return `false` from a method to stop reading; the read then ends
/// with [`AnkiError::Stopped`](super::AnkiError::Stopped).
pub trait RowSink {
    /// The decks and note types, before any row arrives (so rows can be converted as they
    /// come).
    fn begin(&mut self, decks: &[AnkiDeck], notetypes: &[AnkiNotetype]) {
        let _ = (decks, notetypes);
    }

    /// Announces how many rows of a kind are about to arrive.
    fn reserve(&mut self, kind: RowKind, count: usize) {
        let _ = (kind, count);
    }

    /// One note.
    fn note(&mut self, note: AnkiNote) -> bool;

    /// One card.
    fn card(&mut self, card: AnkiCard) -> bool;

    /// All the cards at once, in id order (read on a second connection): by default one at a
    /// time through [`RowSink::card`].
    fn cards(&mut self, cards: Vec<AnkiCard>) -> bool {
        self.reserve(RowKind::Cards, cards.len());
        cards.into_iter().all(|card| self.card(card))
    }

    /// One review log entry.
    fn revlog(&mut self, entry: AnkiRevlog) -> bool;

    /// The whole review log at once, in id order (read on a second connection): by default
    /// one entry at a time through [`RowSink::revlog`].
    fn review_log(&mut self, entries: Vec<AnkiRevlog>) -> bool {
        self.reserve(RowKind::Revlog, entries.len());
        entries.into_iter().all(|entry| self.revlog(entry))
    }
}

/// The sink behind [`read_package`](super::read_package): keeps every row.
#[derive(Debug, Default)]
pub(crate) struct CollectRows {
    pub notes: Vec<AnkiNote>,
    pub cards: Vec<AnkiCard>,
    pub revlog: Vec<AnkiRevlog>,
}

impl RowSink for CollectRows {
    fn reserve(&mut self, kind: RowKind, count: usize) {
        // `count` was checked against the limits before this call.
        match kind {
            RowKind::Notes => self.notes.reserve_exact(count),
            RowKind::Cards => self.cards.reserve_exact(count),
            RowKind::Revlog => self.revlog.reserve_exact(count),
        }
    }

    fn note(&mut self, note: AnkiNote) -> bool {
        self.notes.push(note);
        true
    }

    fn card(&mut self, card: AnkiCard) -> bool {
        self.cards.push(card);
        true
    }

    fn revlog(&mut self, entry: AnkiRevlog) -> bool {
        self.revlog.push(entry);
        true
    }
}
