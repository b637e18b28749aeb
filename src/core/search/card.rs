//! What the search engine needs to know about a card, and about "now".
//!
//! Everything here is borrowed from the implementor, so a packed store (all
//! card text in one buffer) can answer every question without allocating.

/// Anki's card *type*: the learning phase a card is in, independent of
/// whether it is suspended or buried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CardState {
    /// Never answered.
    New,
    /// In its first learning steps.
    Learning,
    /// Graduated review card.
    Review,
    /// Lapsed review card going through relearning steps.
    Relearning,
}

/// When a card is next due, as Anki's scheduling queue sees it.
///
/// Give the home-deck due date; suspension and burying are reported
/// separately ([`SearchCard::suspended`], [`SearchCard::buried`]) and the
/// engine applies them the way Anki's queue does (a suspended or buried card
/// is never `is:due` and never matches `prop:due`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Due {
    /// No due date: new cards (Anki's new queue).
    NotScheduled,
    /// Due on a learner day number (same scale as [`SearchContext::today`]):
    /// review cards and learning cards whose next step is a day or more away
    /// (Anki's review and day-learn queues).
    Day(i64),
    /// Due at a unix time in seconds: learning and relearning cards in
    /// intraday steps (Anki's learn and preview-repeat queues).
    Secs(i64),
}

/// One entry of a card's review log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Review {
    /// When the review happened, unix time in milliseconds (Anki's revlog id).
    pub time_ms: i64,
    /// Answer button 1 (Again) to 4 (Easy); 0 for log entries that are not
    /// answers (manual rescheduling, "set due date"), which `rated:` and
    /// `introduced:` ignore as Anki does.
    pub rating: u8,
}

/// Read access to one card and its note.
///
/// Every method borrows from `self`; none needs to allocate. Text is expected
/// in Unicode NFC (Anki normalises note text to NFC on save and the engine
/// normalises the query the same way).
pub trait SearchCard {
    /// All of the note's field texts joined with `'\x1f'`, in field order
    /// (Anki's `notes.flds` layout). Bare words match anywhere in this text;
    /// a `*` wildcard may therefore span a field boundary, exactly as in Anki.
    fn note_fields(&self) -> &str;

    /// Anki's sort-field cache (`notes.sfld`: the sort field with HTML
    /// stripped), which bare words also search. Notes created in Kartu can
    /// return `None`; imported Anki notes should return the stored value so
    /// that words split by formatting in the sort field are found as in Anki.
    fn sort_field(&self) -> Option<&str> {
        None
    }

    /// Identifies the note type. Field names and template names must be the
    /// same for all cards with the same id: the engine caches per-id results.
    fn note_type_id(&self) -> u64;

    /// The note type's name as the learner sees it (`note:`): Kartu's kind
    /// ("basic", "reversed", "cloze") or the Anki note type name for notes
    /// imported from Anki ("Basic (and reversed card)").
    fn note_kind(&self) -> &str;

    /// Name of the note type's field number `ord` (0-based), `None` past the
    /// last field.
    fn field_name(&self, ord: usize) -> Option<&str>;

    /// The note's tags separated by single spaces (Anki's `notes.tags`
    /// layout, leading/trailing spaces allowed); hierarchy uses `::`.
    fn tags(&self) -> &str;

    /// Full name of the card's deck, levels joined with `::` (`a::b`).
    fn deck_name(&self) -> &str;

    /// For a card that sits in a filtered deck: the name of its home deck.
    /// `deck:` matches either name, and `deck:filtered` matches cards for
    /// which this is `Some`. Kartu without filtered decks keeps the default.
    fn original_deck_name(&self) -> Option<&str> {
        None
    }

    /// The card's template ordinal, 0-based (Anki's `cards.ord`); `card:1`
    /// matches ordinal 0. For cloze notes this is the cloze number minus one.
    fn card_ord(&self) -> u32;

    /// Name of the card's template (`card:NAME`), e.g. "Card 1", "Cloze".
    fn template_name(&self) -> &str;

    /// Learning phase (Anki's card type).
    fn state(&self) -> CardState;

    /// Whether the card is suspended.
    fn suspended(&self) -> bool;

    /// Whether the card is buried (by the learner or as a sibling).
    fn buried(&self) -> bool;

    /// Next due date, ignoring suspension and burying.
    fn due(&self) -> Due;

    /// Current interval in days (0 for new and first-time learning cards).
    fn interval_days(&self) -> u32;

    /// Number of answers.
    fn reps(&self) -> u32;

    /// Number of lapses.
    fn lapses(&self) -> u32;

    /// FSRS stability in days, `None` without a memory state.
    fn stability(&self) -> Option<f32>;

    /// FSRS difficulty on Kartu's (and FSRS's) internal 1–10 scale, `None`
    /// without a memory state. `prop:d` takes Anki's 0–1 scale and maps it
    /// onto this one.
    fn difficulty(&self) -> Option<f32>;

    /// FSRS retrievability (0–1) at `ctx.now_secs`, `None` without a memory
    /// state. Only asked for by `prop:r`, and never for new cards.
    fn retrievability(&self, ctx: &SearchContext) -> Option<f32>;

    /// When the card was created, unix time in milliseconds (Anki's card id).
    fn added_ms(&self) -> i64;

    /// The card's review log, **newest first**. `rated:N` stops reading at
    /// the first entry older than its window, so only recent entries are
    /// visited; an implementor storing the log oldest-first can return
    /// `slice.iter().rev().copied()`.
    fn reviews(&self) -> impl Iterator<Item = Review> + '_;

    /// Time of the first answer (rating 1–4) in milliseconds, for
    /// `introduced:`. The default scans the whole log; override it when the
    /// value is stored.
    fn first_answer_ms(&self) -> Option<i64> {
        self.reviews()
            .filter(|r| r.rating != 0)
            .map(|r| r.time_ms)
            .min()
    }
}

/// The moment a search is run at. All day arithmetic follows Anki: a
/// learner day starts at the learner's rollover hour and lasts 86,400 s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SearchContext {
    /// Today's learner day number (same scale as [`Due::Day`]).
    pub today: i64,
    /// Current unix time in seconds.
    pub now_secs: i64,
    /// Unix time in seconds at which the next learner day starts (the
    /// rollover after `now_secs`). `rated:`, `added:`, `introduced:` and
    /// `prop:due` for intraday learning cards count days back from it.
    pub next_day_at_secs: i64,
    /// How far ahead intraday learning cards count as due (Anki's "learn
    /// ahead limit", 1,200 s by default).
    pub learn_ahead_secs: i64,
}

impl SearchContext {
    /// A context with Anki's default 20-minute learn-ahead limit.
    #[must_use]
    pub fn new(today: i64, now_secs: i64, next_day_at_secs: i64) -> Self {
        Self {
            today,
            now_secs,
            next_day_at_secs,
            learn_ahead_secs: 1200,
        }
    }

    /// Start of the learner day `days - 1` days before today, in ms: the
    /// lower bound of "in the last `days` days, today included".
    pub(crate) fn window_start_ms(&self, days: u32) -> i64 {
        (self.next_day_at_secs - 86_400 * i64::from(days)) * 1000
    }
}
