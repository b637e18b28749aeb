//! An in-memory collection for the tests: note types, cards and a clock.
#![allow(dead_code)]

use kartu::core::search::{
    CardState, CompileOptions, Due, Review, SearchCard, SearchContext, SearchError, parse,
};

/// Today's learner day number.
pub const TODAY: i64 = 20_000;
/// The next rollover (start of tomorrow), unix seconds.
pub const NEXT_DAY_AT: i64 = 1_700_000_000;
/// "Now": eight hours before the rollover.
pub const NOW: i64 = NEXT_DAY_AT - 8 * 3600;

pub fn ctx() -> SearchContext {
    SearchContext::new(TODAY, NOW, NEXT_DAY_AT)
}

/// A time `days` learner days ago (0 = today), one hour after that day began.
pub fn ms_days_ago(days: i64) -> i64 {
    (NEXT_DAY_AT - 86_400 * (days + 1) + 3600) * 1000
}

pub struct NoteType {
    pub id: u64,
    pub name: &'static str,
    pub fields: &'static [&'static str],
    pub templates: &'static [&'static str],
}

pub static BASIC: NoteType = NoteType {
    id: 1,
    name: "basic",
    fields: &["Front", "Back"],
    templates: &["Card 1"],
};
pub static REVERSED: NoteType = NoteType {
    id: 2,
    name: "reversed",
    fields: &["Front", "Back"],
    templates: &["Card 1", "Card 2"],
};
pub static CLOZE: NoteType = NoteType {
    id: 3,
    name: "cloze",
    fields: &["Text", "Extra"],
    templates: &["Cloze"],
};
/// A note type as imported from Anki.
pub static ANKI_BASIC_REV: NoteType = NoteType {
    id: 100,
    name: "Basic (and reversed card)",
    fields: &["Front", "Back"],
    templates: &["Card 1", "Card 2"],
};
/// Three fields, two of them starting with "F", to exercise field wildcards.
pub static VOCAB: NoteType = NoteType {
    id: 200,
    name: "Vocab",
    fields: &["Word", "Form", "Freq"],
    templates: &["Recognition"],
};

#[derive(Clone)]
pub struct TestCard {
    pub id: u32,
    pub nt: &'static NoteType,
    pub fields: String,
    pub sort_field: Option<String>,
    pub tags: String,
    pub deck: String,
    pub home_deck: Option<String>,
    pub ord: u32,
    pub state: CardState,
    pub suspended: bool,
    pub buried: bool,
    pub due: Due,
    pub ivl: u32,
    pub reps: u32,
    pub lapses: u32,
    pub stability: Option<f32>,
    pub difficulty: Option<f32>,
    pub retrievability: Option<f32>,
    pub added_ms: i64,
    /// Newest first.
    pub reviews: Vec<Review>,
}

impl TestCard {
    pub fn new(id: u32, nt: &'static NoteType, fields: &[&str]) -> Self {
        assert_eq!(fields.len(), nt.fields.len(), "card {id}");
        TestCard {
            id,
            nt,
            fields: fields.join("\x1f"),
            sort_field: None,
            tags: String::new(),
            deck: "Default".into(),
            home_deck: None,
            ord: 0,
            state: CardState::New,
            suspended: false,
            buried: false,
            due: Due::NotScheduled,
            ivl: 0,
            reps: 0,
            lapses: 0,
            stability: None,
            difficulty: None,
            retrievability: None,
            added_ms: ms_days_ago(400),
            reviews: Vec::new(),
        }
    }

    pub fn basic(id: u32, front: &str, back: &str) -> Self {
        Self::new(id, &BASIC, &[front, back])
    }

    pub fn deck(mut self, deck: &str) -> Self {
        self.deck = deck.into();
        self
    }

    pub fn filtered(mut self, filtered_deck: &str) -> Self {
        self.home_deck = Some(std::mem::replace(&mut self.deck, filtered_deck.into()));
        self
    }

    pub fn tags(mut self, tags: &str) -> Self {
        self.tags = tags.into();
        self
    }

    pub fn ord(mut self, ord: u32) -> Self {
        self.ord = ord;
        self
    }

    pub fn sort_field(mut self, sfld: &str) -> Self {
        self.sort_field = Some(sfld.into());
        self
    }

    pub fn state(mut self, state: CardState, due: Due) -> Self {
        self.state = state;
        self.due = due;
        self
    }

    pub fn suspended(mut self) -> Self {
        self.suspended = true;
        self
    }

    pub fn buried(mut self) -> Self {
        self.buried = true;
        self
    }

    pub fn counts(mut self, ivl: u32, reps: u32, lapses: u32) -> Self {
        self.ivl = ivl;
        self.reps = reps;
        self.lapses = lapses;
        self
    }

    pub fn memory(mut self, stability: f32, difficulty: f32, retrievability: f32) -> Self {
        self.stability = Some(stability);
        self.difficulty = Some(difficulty);
        self.retrievability = Some(retrievability);
        self
    }

    pub fn added(mut self, ms: i64) -> Self {
        self.added_ms = ms;
        self
    }

    /// Adds a review; call newest first.
    pub fn review(mut self, time_ms: i64, rating: u8) -> Self {
        self.reviews.push(Review { time_ms, rating });
        self
    }
}

impl SearchCard for TestCard {
    fn note_fields(&self) -> &str {
        &self.fields
    }
    fn sort_field(&self) -> Option<&str> {
        self.sort_field.as_deref()
    }
    fn note_type_id(&self) -> u64 {
        self.nt.id
    }
    fn note_kind(&self) -> &str {
        self.nt.name
    }
    fn field_name(&self, ord: usize) -> Option<&str> {
        self.nt.fields.get(ord).copied()
    }
    fn tags(&self) -> &str {
        &self.tags
    }
    fn deck_name(&self) -> &str {
        &self.deck
    }
    fn original_deck_name(&self) -> Option<&str> {
        self.home_deck.as_deref()
    }
    fn card_ord(&self) -> u32 {
        self.ord
    }
    fn template_name(&self) -> &str {
        let i = usize::try_from(self.ord).unwrap_or(0);
        self.nt
            .templates
            .get(i)
            .or(self.nt.templates.first())
            .copied()
            .unwrap_or("")
    }
    fn state(&self) -> CardState {
        self.state
    }
    fn suspended(&self) -> bool {
        self.suspended
    }
    fn buried(&self) -> bool {
        self.buried
    }
    fn due(&self) -> Due {
        self.due
    }
    fn interval_days(&self) -> u32 {
        self.ivl
    }
    fn reps(&self) -> u32 {
        self.reps
    }
    fn lapses(&self) -> u32 {
        self.lapses
    }
    fn stability(&self) -> Option<f32> {
        self.stability
    }
    fn difficulty(&self) -> Option<f32> {
        self.difficulty
    }
    fn retrievability(&self, _ctx: &SearchContext) -> Option<f32> {
        self.retrievability
    }
    fn added_ms(&self) -> i64 {
        self.added_ms
    }
    fn reviews(&self) -> impl Iterator<Item = Review> + '_ {
        self.reviews.iter().copied()
    }
}

/// Ids of the cards matching `query` (which must parse).
pub fn ids(cards: &[TestCard], query: &str) -> Vec<u32> {
    ids_with(cards, query, &CompileOptions::default())
}

pub fn ids_with(cards: &[TestCard], query: &str, options: &CompileOptions) -> Vec<u32> {
    let parsed = parse(query).unwrap_or_else(|e| panic!("{query:?} failed to parse: {e:?}"));
    parsed
        .compile_with(options)
        .filter(cards, &ctx())
        .into_iter()
        .map(|i| cards[i].id)
        .collect()
}

/// The error for a query that must not parse.
pub fn error(query: &str) -> SearchError {
    match parse(query) {
        Ok(q) => panic!("{query:?} parsed as {q:?}"),
        Err(e) => e,
    }
}

/// Asserts each `(query, ids)` pair, reporting every mismatch at once.
pub fn check(cards: &[TestCard], cases: &[(&str, &[u32])]) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(query, want)| {
            let got = ids(cards, query);
            (got != *want).then(|| format!("{query:?}: want {want:?}, got {got:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
