//! Searching a collection: every card of every installed deck as a row the search engine can
//! ask about ([`SearchCard`]), built once and reused for every keystroke, with sort keys
//! ranked in advance so a sorted result is an integer sort.
//!
//! Kartu's notes look to the engine like Anki's: fields Front and Back (basic, reversed),
//! Front, Back and Add Reverse (optional reversed), Text and Back Extra (cloze), then Notes
//! and Example when the note has them; note types named by kind (`note:cloze`); decks by
//! their titles from the top of the tree (`deck:Peer::Child`).

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use super::card::{Review, SearchContext};
use super::{SearchError, parse};

mod columns;
mod rank;
mod row;
mod text;

pub use columns::{Found, SortColumn};
pub use row::IndexedCard;
pub use text::plain_text;

use crate::core::collection::Collection;
use crate::core::collection::progress_by_position;
use crate::core::ids::{CardId, DeckId};
use crate::core::model::card::{CardProgress, CardState, Rating};
use crate::core::model::card_states::CardStates;
use crate::core::model::deck::NoteKind;
use crate::core::model::packed::PackedDeck;
use crate::core::time::Timestamp;

/// One card, as the index holds it.
#[derive(Clone, Debug)]
pub(super) struct Row {
    /// Index into `decks`.
    pub(super) deck: u32,
    /// The card's position in its packed deck.
    pub(super) card: u32,
    /// Index into `notes`.
    pub(super) note: u32,
    /// Which card of the note, 1-based.
    pub(super) number: u32,
    pub(super) progress: CardProgress,
    /// The learner day it is due on.
    pub(super) due_day: i64,
    /// Whether it was buried when the index was built.
    pub(super) buried: bool,
}

/// One note: its fields and tags in the text buffer.
#[derive(Clone, Debug)]
pub(super) struct NoteRow {
    pub(super) fields: (u32, u32),
    pub(super) tags: (u32, u32),
    pub(super) sort_field: (u32, u32),
    pub(super) note_type: u64,
    /// When the note was added, in milliseconds (`i64::MIN`: not known).
    pub(super) added_ms: i64,
}

#[derive(Clone, Debug)]
pub(super) struct DeckRow {
    pub(super) id: DeckId,
    /// The row of the deck's first card: its cards' rows follow in card order.
    first_row: usize,
    /// Titles from the top of the tree, joined with `::`.
    pub(super) name: String,
}

/// The field names of a note type id (see [`note_type`]).
pub(super) fn field_names(note_type: u64) -> &'static [&'static str] {
    const NAMES: [[&[&str]; 4]; 4] = [
        [
            &["Front", "Back"],
            &["Front", "Back", "Notes"],
            &["Front", "Back", "Example"],
            &["Front", "Back", "Notes", "Example"],
        ],
        [
            &["Front", "Back"],
            &["Front", "Back", "Notes"],
            &["Front", "Back", "Example"],
            &["Front", "Back", "Notes", "Example"],
        ],
        [
            &["Front", "Back", "Add Reverse"],
            &["Front", "Back", "Add Reverse", "Notes"],
            &["Front", "Back", "Add Reverse", "Example"],
            &["Front", "Back", "Add Reverse", "Notes", "Example"],
        ],
        [
            &["Text", "Back Extra"],
            &["Text", "Back Extra", "Notes"],
            &["Text", "Back Extra", "Example"],
            &["Text", "Back Extra", "Notes", "Example"],
        ],
    ];
    let kind = usize::try_from(note_type / 4).unwrap_or(0).min(3);
    let extras = usize::try_from(note_type % 4).unwrap_or(0);
    NAMES[kind][extras]
}

fn kind_index(kind: NoteKind) -> u64 {
    match kind {
        NoteKind::Basic => 0,
        NoteKind::Reversed => 1,
        NoteKind::OptionalReversed => 2,
        NoteKind::Cloze => 3,
    }
}

/// A note type id: the kind, and which of notes and example the note has (field lists
/// differ, and the engine caches by this id).
fn note_type(kind: NoteKind, notes: bool, example: bool) -> u64 {
    kind_index(kind) * 4 + u64::from(notes) + 2 * u64::from(example)
}

/// Every card of a collection, ready to search.
#[derive(Debug)]
pub struct SearchIndex {
    pub(super) decks: Vec<DeckRow>,
    pub(super) notes: Vec<NoteRow>,
    pub(super) rows: Vec<Row>,
    text: String,
    /// Per row, ranks of the text columns (sort field, deck, kind, tags) among all rows.
    ranks: Vec<[u32; 4]>,
    /// Reviews newest first, per row (`review_at[row]..review_at[row + 1]`), when loaded.
    pub(super) reviews: Option<(Vec<u32>, Vec<Review>)>,
    /// Retrievability's decay (FSRS-6 default until personal parameters exist).
    pub(super) decay: f32,
}

/// Whether a query asks about review history (`rated:`, `introduced:`).
fn needs_reviews(node: &super::Node) -> bool {
    match node {
        super::Node::And(children) | super::Node::Or(children) => {
            children.iter().any(needs_reviews)
        }
        super::Node::Not(child) => needs_reviews(child),
        super::Node::Term(term) => {
            matches!(term, super::Term::Rated { .. } | super::Term::Introduced(_))
        }
    }
}

/// The search context at `now` for `collection`'s learner days.
#[must_use]
pub fn context(collection: &Collection, now: Timestamp) -> SearchContext {
    let clock = collection.clock();
    let today = clock.day(now);
    let next = clock.day_start(crate::core::time::DayNumber(today.0 + 1));
    SearchContext::new(today.0, now.unix_secs(), next.unix_secs())
}

impl Default for SearchIndex {
    /// An index of no cards.
    fn default() -> Self {
        Self {
            decks: Vec::new(),
            notes: Vec::new(),
            rows: Vec::new(),
            text: String::new(),
            ranks: Vec::new(),
            reviews: None,
            decay: fsrs::FSRS6_DEFAULT_DECAY,
        }
    }
}

/// What an index is built from, copied out of a collection so the build can run on another
/// thread: each deck (packed: a few buffers, no per-note copies) with its card positions in
/// id order and its card states (a few buffers too), the titles of the tree, and the time.
/// Pairing each card with its state is left to the build.
#[derive(Clone, Debug)]
pub struct IndexSource {
    decks: Vec<(Arc<PackedDeck>, Vec<u32>, Option<CardStates>)>,
    clock: crate::core::time::DayClock,
    now: Timestamp,
}

impl IndexSource {
    /// The collection's decks and progress at `now`.
    #[must_use]
    pub fn new(collection: &Collection, now: Timestamp) -> Self {
        let decks = collection
            .decks()
            .iter()
            .map(|installed| {
                let studied = collection.progress().cards.get(&installed.deck.id);
                (
                    installed.deck.clone(),
                    installed.positions_by_id(),
                    studied.cloned(),
                )
            })
            .collect();
        Self {
            decks,
            clock: collection.clock().clone(),
            now,
        }
    }
}

impl SearchIndex {
    /// Every card of every installed deck, with its progress as of `now` (burying ends with
    /// the day: build again on a new day).
    #[must_use]
    pub fn build(collection: &Collection, now: Timestamp) -> Self {
        Self::build_from(&IndexSource::new(collection, now))
    }

    /// The index of what `source` holds (anywhere: the window builds it on its worker).
    #[must_use]
    pub fn build_from(source: &IndexSource) -> Self {
        let (clock, now) = (&source.clock, source.now);
        let mut index = Self::default();
        let titles: HashMap<&DeckId, (&str, Option<&DeckId>)> = source
            .decks
            .iter()
            .map(|(d, _, _)| (&d.id, (d.title.as_str(), d.parent.as_ref())))
            .collect();
        for (deck, by_id, studied) in &source.decks {
            // Each card's progress by position, from one walk in id order (no lookups).
            let mut states = vec![None; deck.len()];
            for (position, state) in progress_by_position(deck, by_id, studied.as_ref()) {
                if let Some(slot) = states.get_mut(position as usize) {
                    *slot = state;
                }
            }
            // Text still in the deck's file, read back at once (on every core) rather than
            // block by block below. Text that cannot be read back is searched as empty; the
            // error is the writers' to report (they refuse to write without it).
            let _ = deck.load_text();
            // The titles from the top of the tree down (loops were broken when the tree was
            // built; the depth cap keeps this finite whatever the files say).
            let mut levels = Vec::new();
            let mut at = Some(&deck.id);
            while let Some(id) = at
                && levels.len() < 64
            {
                let Some((title, parent)) = titles.get(id) else {
                    break;
                };
                levels.push(title.replace("::", ":"));
                at = *parent;
            }
            levels.reverse();
            let deck_index = u32::try_from(index.decks.len()).unwrap_or(u32::MAX);
            index.decks.push(DeckRow {
                id: deck.id.clone(),
                name: levels.join("::"),
                first_row: index.rows.len(),
            });
            let first_note = index.notes.len();
            for note in deck.notes() {
                let start = index.text.len();
                let text = note.fields();
                let (first, second) = (text.first, text.second);
                index.text.push_str(first);
                let sort_field = (as_u32(start), as_u32(index.text.len()));
                index.text.push('\x1f');
                index.text.push_str(second);
                if note.kind() == NoteKind::OptionalReversed {
                    index.text.push('\x1f');
                    if note.add_reverse() {
                        index.text.push('y');
                    }
                }
                for extra in [text.notes, text.example].into_iter().flatten() {
                    index.text.push('\x1f');
                    index.text.push_str(extra);
                }
                let fields = (as_u32(start), as_u32(index.text.len()));
                let tags_start = index.text.len();
                for (i, tag) in note.tags().enumerate() {
                    if i > 0 {
                        index.text.push(' ');
                    }
                    index.text.push_str(tag);
                }
                index.notes.push(NoteRow {
                    fields,
                    tags: (as_u32(tags_start), as_u32(index.text.len())),
                    sort_field,
                    note_type: note_type(note.kind(), text.notes.is_some(), text.example.is_some()),
                    added_ms: note.added_ms().unwrap_or(i64::MIN),
                });
            }
            for (position, card) in deck.cards().enumerate() {
                let progress = states.get(position).cloned().flatten().unwrap_or_default();
                index.rows.push(Row {
                    deck: deck_index,
                    card: as_u32(position),
                    note: as_u32(first_note + card.note_index()),
                    number: card.number(),
                    due_day: clock.day(progress.due).0,
                    buried: progress.buried_until.is_some_and(|until| until > now),
                    progress,
                });
            }
        }
        index.rank();
        index
    }

    /// Takes the cards' progress as it is now (after a suspend, bury or forget, or taking one
    /// back): cheaper than building again when only progress changed. `false` (nothing to
    /// trust) when a card is not where the index has it; then build again.
    pub fn refresh_cards(
        &mut self,
        collection: &Collection,
        cards: &[(DeckId, CardId)],
        now: Timestamp,
    ) -> bool {
        let clock = collection.clock();
        for (deck, card) in cards {
            let Some((row, position)) = self.decks.iter().find(|d| &d.id == deck).and_then(|d| {
                let position = collection.deck(deck).ok()?.position_of(card)?;
                Some((d.first_row + position, position))
            }) else {
                return false;
            };
            let Some(slot) = self.rows.get_mut(row) else {
                return false;
            };
            if slot.card as usize != position || self.decks[slot.deck as usize].id != *deck {
                return false;
            }
            let progress = collection.progress().card(deck, card).unwrap_or_default();
            slot.due_day = clock.day(progress.due).0;
            slot.buried = progress.buried_until.is_some_and(|until| until > now);
            slot.progress = progress;
        }
        true
    }

    pub(super) fn slice(&self, (start, end): (u32, u32)) -> &str {
        self.text
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }

    /// How many cards it holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether it holds no cards.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Loads every card's reviews (for `rated:` and `introduced:`): read once, kept.
    pub fn load_reviews(&mut self, collection: &Collection) -> crate::core::Result<()> {
        if self.reviews.is_some() {
            return Ok(());
        }
        let mut by_card: HashMap<(&DeckId, &str), usize> = HashMap::with_capacity(self.rows.len());
        let packed: Vec<_> = self
            .decks
            .iter()
            .map(|d| collection.deck(&d.id).ok())
            .collect();
        for (i, row) in self.rows.iter().enumerate() {
            if let Some(Some(installed)) = packed.get(row.deck as usize)
                && let Some(card) = installed.deck.cards().nth(row.card as usize)
            {
                by_card.insert((&self.decks[row.deck as usize].id, card.id()), i);
            }
        }
        let mut per_row: Vec<Vec<Review>> = vec![Vec::new(); self.rows.len()];
        collection.for_each_review(&mut |review| {
            if let Some(&row) = by_card.get(&(&review.deck, review.card.0.as_str())) {
                per_row[row].push(Review {
                    time_ms: review.at.unix_secs().saturating_mul(1000),
                    rating: match review.rating {
                        Rating::Again => 1,
                        Rating::Hard => 2,
                        Rating::Good => 3,
                        Rating::Easy => 4,
                    },
                });
            }
            Ok(())
        })?;
        let mut starts = Vec::with_capacity(per_row.len() + 1);
        let mut all = Vec::new();
        for mut reviews in per_row {
            starts.push(as_u32(all.len()));
            reviews.reverse();
            all.extend(reviews);
        }
        starts.push(as_u32(all.len()));
        self.reviews = Some((starts, all));
        Ok(())
    }

    /// The rows matching `query`, sorted by `sort` (reversed when `reverse`); ties keep the
    /// decks' and cards' order. A query that does not parse is an error naming where.
    /// `rated:` and `introduced:` need [`SearchIndex::load_reviews`] first (else they find
    /// nothing).
    pub fn search(
        &self,
        query: &str,
        ctx: &SearchContext,
        sort: SortColumn,
        reverse: bool,
    ) -> Result<Vec<usize>, SearchError> {
        let compiled = parse(query)?.compile();
        let mut matcher = compiled.matcher();
        let mut found: Vec<usize> = (0..self.rows.len())
            .filter(|&row| matcher.matches(&self.card(row), ctx))
            .collect();
        self.sort(&mut found, sort);
        if reverse {
            found.reverse();
        }
        Ok(found)
    }

    /// Whether `query` asks about review history (so the reviews must be loaded first).
    pub fn query_needs_reviews(query: &str) -> Result<bool, SearchError> {
        Ok(needs_reviews(&parse(query)?.root))
    }

    /// Sorts rows by a column (stable: equal keys keep the collection's order).
    pub fn sort(&self, rows: &mut [usize], sort: SortColumn) {
        let p = |row: usize| &self.rows[row].progress;
        match sort {
            SortColumn::SortField => rows.sort_by_key(|&r| self.ranks[r][0]),
            SortColumn::Deck => rows.sort_by_key(|&r| self.ranks[r][1]),
            SortColumn::Kind => rows.sort_by_key(|&r| self.ranks[r][2]),
            SortColumn::Tags => rows.sort_by_key(|&r| self.ranks[r][3]),
            SortColumn::State => rows.sort_by_key(|&r| p(r).state as u8),
            SortColumn::Due => rows.sort_by_key(|&r| match p(r).state {
                CardState::New => i64::MAX,
                _ => p(r).due.unix_secs(),
            }),
            SortColumn::Interval => rows.sort_by_key(|&r| p(r).interval_secs),
            SortColumn::Stability => {
                rows.sort_by(|&a, &b| float_order(p(a).stability, p(b).stability));
            }
            SortColumn::Difficulty => {
                rows.sort_by(|&a, &b| float_order(p(a).difficulty, p(b).difficulty));
            }
            SortColumn::Reps => rows.sort_by_key(|&r| p(r).reps),
            SortColumn::Lapses => rows.sort_by_key(|&r| p(r).lapses),
            SortColumn::Added => rows.sort_by_key(|&r| self.added_ms(r).unwrap_or(i64::MIN)),
            SortColumn::LastReview => {
                rows.sort_by_key(|&r| p(r).last_review.map_or(i64::MIN, Timestamp::unix_secs));
            }
        }
    }

    /// Row `row`'s sort field (the front, or a cloze note's text), deck name, note kind and
    /// tags, as the browser shows them.
    #[must_use]
    pub fn row_text(&self, row: usize) -> Option<[&str; 4]> {
        let r = self.rows.get(row)?;
        let note = &self.notes[r.note as usize];
        Some([
            self.slice(note.sort_field),
            &self.decks[r.deck as usize].name,
            kind_name(note.note_type),
            self.slice(note.tags),
        ])
    }

    /// When row `row`'s note was added, in milliseconds since the epoch (`None`: not known).
    #[must_use]
    pub fn added_ms(&self, row: usize) -> Option<i64> {
        let r = self.rows.get(row)?;
        let added = self.notes[r.note as usize].added_ms;
        (added != i64::MIN).then_some(added)
    }

    /// Row `row`'s progress, and whether it is buried now.
    #[must_use]
    pub fn progress(&self, row: usize) -> Option<(&CardProgress, bool)> {
        self.rows.get(row).map(|r| (&r.progress, r.buried))
    }

    /// Row `row` as the search engine sees it.
    #[must_use]
    pub fn card(&self, row: usize) -> IndexedCard<'_> {
        IndexedCard { index: self, row }
    }

    /// The deck and card id of row `row`.
    #[must_use]
    pub fn ids(&self, row: usize, collection: &Collection) -> Option<(DeckId, CardId)> {
        let r = self.rows.get(row)?;
        let deck = &self.decks[r.deck as usize].id;
        let installed = collection.deck(deck).ok()?;
        let card = installed.deck.cards().nth(r.card as usize)?;
        Some((deck.clone(), CardId(card.id().to_owned())))
    }

    /// Row `row` for a person or a script.
    #[must_use]
    pub fn found(&self, row: usize, collection: &Collection) -> Option<Found> {
        let r = self.rows.get(row)?;
        let deck = &self.decks[r.deck as usize].id;
        let installed = collection.deck(deck).ok()?;
        let card = installed.deck.cards().nth(r.card as usize)?;
        let p = &r.progress;
        let new = p.state == CardState::New;
        Some(Found {
            deck: deck.0.clone(),
            card: card.id().to_owned(),
            state: p.state.as_str(),
            due: (!new).then(|| p.due.to_rfc3339()),
            interval_secs: p.interval_secs,
            stability: p.stability,
            difficulty: p.difficulty,
            reps: p.reps,
            lapses: p.lapses,
            last_review: p.last_review.map(Timestamp::to_rfc3339),
            added: card.note().added().map(|at| at.to_string()),
            front: card.question().into_owned(),
            tags: card.tags().map(str::to_owned).collect(),
            suspended: p.suspended,
            buried: r.buried,
        })
    }
}

fn float_order(a: f32, b: f32) -> Ordering {
    a.total_cmp(&b)
}

pub(super) fn kind_name(note_type: u64) -> &'static str {
    match note_type / 4 {
        0 => "basic",
        1 => "reversed",
        2 => "optional_reversed",
        _ => "cloze",
    }
}

fn as_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}
