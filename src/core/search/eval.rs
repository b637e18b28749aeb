//! Evaluating a compiled query against cards.
//!
//! Per card, each folded view of the text (fields, sort field, tags) is
//! built at most once, lazily, into a buffer that is reused for the next
//! card; results that depend only on the deck name or the note type are
//! cached across cards. After warm-up no card allocates.

use super::ast::StateKind;
use super::cache::FastMap;
use super::card::{CardState, Due, SearchCard, SearchContext};
use super::compile::{CompiledQuery, Expr, FloatProp, IntProp, Leaf};
use super::fold::{Fold, fold_into};
use super::glob::Glob;

impl CompiledQuery {
    /// A matcher holding the reusable buffers for evaluating this query.
    /// Make one per thread and reuse it for all cards.
    #[must_use]
    pub fn matcher(&self) -> Matcher<'_> {
        Matcher {
            query: self,
            scratch: Scratch::new(self.slots),
        }
    }

    /// Indices (in iteration order) of the cards that match. For cards
    /// produced on the fly (views into a packed store), loop with
    /// [`CompiledQuery::matcher`] instead.
    pub fn filter<'c, C, I>(&self, cards: I, ctx: &SearchContext) -> Vec<usize>
    where
        C: SearchCard + 'c,
        I: IntoIterator<Item = &'c C>,
    {
        let mut matcher = self.matcher();
        cards
            .into_iter()
            .enumerate()
            .filter_map(|(i, card)| matcher.matches(card, ctx).then_some(i))
            .collect()
    }
}

/// Evaluates one compiled query card by card, reusing its buffers.
#[derive(Debug)]
pub struct Matcher<'q> {
    query: &'q CompiledQuery,
    scratch: Scratch,
}

impl Matcher<'_> {
    /// Whether `card` matches the query at the moment described by `ctx`.
    pub fn matches<C: SearchCard>(&mut self, card: &C, ctx: &SearchContext) -> bool {
        self.scratch.views.invalidate();
        eval(&self.query.root, card, ctx, &mut self.scratch)
    }
}

#[derive(Clone, Copy)]
enum Source {
    Fields,
    SortField,
    Tags,
}

/// Folded copies of a card's text, built on first use.
#[derive(Debug)]
struct Views {
    bufs: Vec<String>,
    /// Per buffer: `Some(present)` once built for the current card.
    built: Vec<Option<bool>>,
}

impl Views {
    fn invalidate(&mut self) {
        self.built.iter_mut().for_each(|b| *b = None);
    }

    fn get<C: SearchCard>(&mut self, card: &C, source: Source, fold: Fold) -> Option<&str> {
        let i = source as usize * Fold::COUNT + fold.index();
        if self.built[i].is_none() {
            let buf = &mut self.bufs[i];
            buf.clear();
            let text = match source {
                Source::Fields => Some(card.note_fields()),
                Source::SortField => card.sort_field(),
                Source::Tags => Some(card.tags()),
            };
            if let Some(text) = text {
                fold_into(text, fold, buf);
            }
            self.built[i] = Some(text.is_some());
        }
        match self.built[i] {
            Some(true) => Some(&self.bufs[i]),
            _ => None,
        }
    }
}

/// Per-term caches, indexed by the slot the compiler gave the term. They
/// only grow with the number of distinct decks and note types.
#[derive(Debug)]
enum Slot {
    Empty,
    /// Field term: per note type, its field count and the inclusive ranges
    /// of field ordinals whose names match.
    Fields(FastMap<u64, (usize, Vec<(usize, usize)>)>),
    /// Deck term: result per deck name.
    Decks(FastMap<String, bool>),
    /// Note type or template term: result per (note type, ordinal).
    Keys(FastMap<(u64, u32), bool>),
}

#[derive(Debug)]
struct Scratch {
    views: Views,
    slots: Vec<Slot>,
    /// Byte ranges of the fields in the current view.
    bounds: Vec<(usize, usize)>,
    tmp: String,
}

impl Scratch {
    fn new(slots: usize) -> Self {
        let n = 3 * Fold::COUNT;
        Scratch {
            views: Views {
                bufs: vec![String::new(); n],
                built: vec![None; n],
            },
            slots: (0..slots).map(|_| Slot::Empty).collect(),
            bounds: Vec::new(),
            tmp: String::new(),
        }
    }
}

fn eval<C: SearchCard>(expr: &Expr, card: &C, ctx: &SearchContext, s: &mut Scratch) -> bool {
    match expr {
        Expr::Const(b) => *b,
        Expr::And(children) => children.iter().all(|e| eval(e, card, ctx, s)),
        Expr::Or(children) => children.iter().any(|e| eval(e, card, ctx, s)),
        Expr::Not(inner) => !eval(inner, card, ctx, s),
        Expr::Leaf(leaf) => eval_leaf(leaf, card, ctx, s),
    }
}

fn eval_leaf<C: SearchCard>(leaf: &Leaf, card: &C, ctx: &SearchContext, s: &mut Scratch) -> bool {
    match leaf {
        Leaf::Text { glob, fold } => {
            s.views
                .get(card, Source::Fields, *fold)
                .is_some_and(|t| glob.is_match(t))
                || s.views
                    .get(card, Source::SortField, *fold)
                    .is_some_and(|t| glob.is_match(t))
        }
        Leaf::Field {
            names,
            value,
            fold,
            join_adjacent,
            slot,
        } => field_matches(card, names, value, *fold, *join_adjacent, *slot, s),
        Leaf::AllFields { value } => s
            .views
            .get(card, Source::Fields, Fold::Unicode)
            .is_some_and(|t| split_byte(t, 0x1f).any(|f| value.is_match(f))),
        Leaf::Deck { glob, slot } => {
            deck_matches(
                glob,
                card.deck_name(),
                Some(&mut s.slots[*slot]),
                &mut s.tmp,
            ) || card
                .original_deck_name()
                .is_some_and(|home| deck_matches(glob, home, None, &mut s.tmp))
        }
        Leaf::DeckFiltered => card.original_deck_name().is_some(),
        Leaf::Tag { glob, fold } => s.views.get(card, Source::Tags, *fold).is_some_and(|tags| {
            split_byte(tags, b' ').any(|t| !t.is_empty() && glob.matches_hierarchy(t, "::"))
        }),
        Leaf::TagNone => split_byte(card.tags(), b' ').all(str::is_empty),
        Leaf::NoteKind { glob, slot } => {
            let key = (card.note_type_id(), 0);
            cached(&mut s.slots[*slot], key, &mut s.tmp, glob, || {
                card.note_kind()
            })
        }
        Leaf::Template { glob, slot } => {
            let key = (card.note_type_id(), card.card_ord());
            cached(&mut s.slots[*slot], key, &mut s.tmp, glob, || {
                card.template_name()
            })
        }
        Leaf::CardOrd(ord) => card.card_ord() == *ord,
        Leaf::Is(state) => is_state(card, *state, ctx),
        Leaf::Int { what, op, value } => {
            let actual = match what {
                IntProp::Interval => card.interval_days(),
                IntProp::Reps => card.reps(),
                IntProp::Lapses => card.lapses(),
            };
            op.holds(i64::from(actual), *value)
        }
        Leaf::Due { op, days } => match queue_due(card) {
            Due::Day(day) => op.holds(day, ctx.today + days),
            // SQLite's integer division truncates toward zero; so does i64's.
            Due::Secs(secs) => op.holds((secs - ctx.next_day_at_secs) / 86_400, *days),
            Due::NotScheduled => false,
        },
        Leaf::Float { what, op, value } => {
            let actual = match what {
                FloatProp::Stability => card.stability(),
                FloatProp::Difficulty => card.difficulty(),
                // Anki never matches new cards here.
                FloatProp::Retrievability => (card.state() != CardState::New)
                    .then(|| card.retrievability(ctx))
                    .flatten(),
            };
            // No memory state is SQL NULL: no comparison holds, `!=` included.
            actual.is_some_and(|a| op.holds(f64::from(a), *value))
        }
        Leaf::Rated { days, rating } => {
            let start = ctx.window_start_ms(*days);
            card.reviews()
                .take_while(|r| r.time_ms >= start)
                .any(|r| rating.map_or(r.rating > 0, |want| r.rating == want))
        }
        Leaf::Added(days) => card.added_ms() > ctx.window_start_ms(*days),
        Leaf::Introduced(days) => card
            .first_answer_ms()
            .is_some_and(|t| t > ctx.window_start_ms(*days)),
    }
}

/// Splits at an ASCII byte. `str::split` sets up a general searcher per
/// call, which is noticeable on short per-card strings.
fn split_byte(text: &str, sep: u8) -> SplitByte<'_> {
    SplitByte {
        rest: Some(text),
        sep,
    }
}

struct SplitByte<'a> {
    rest: Option<&'a str>,
    sep: u8,
}

impl<'a> Iterator for SplitByte<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        // Next to an ASCII byte, so both are char boundaries.
        if let Some(i) = rest.bytes().position(|b| b == self.sep) {
            self.rest = rest.get(i + 1..);
            rest.get(..i)
        } else {
            self.rest = None;
            Some(rest)
        }
    }
}

/// The due date as Anki's queue has it: suspended and buried cards (and new
/// cards) are in no dated queue.
fn queue_due<C: SearchCard>(card: &C) -> Due {
    if card.suspended() || card.buried() || card.state() == CardState::New {
        Due::NotScheduled
    } else {
        card.due()
    }
}

fn is_state<C: SearchCard>(card: &C, state: StateKind, ctx: &SearchContext) -> bool {
    use CardState as S;
    match state {
        StateKind::New => card.state() == S::New,
        StateKind::Learn => matches!(card.state(), S::Learning | S::Relearning),
        StateKind::Review => matches!(card.state(), S::Review | S::Relearning),
        StateKind::Suspended => card.suspended(),
        StateKind::Buried => card.buried(),
        StateKind::Due => match queue_due(card) {
            Due::Day(day) => day <= ctx.today,
            Due::Secs(secs) => secs <= ctx.now_secs + ctx.learn_ahead_secs,
            Due::NotScheduled => false,
        },
    }
}

fn field_matches<C: SearchCard>(
    card: &C,
    names: &Glob,
    value: &Glob,
    fold: Fold,
    join_adjacent: bool,
    slot: usize,
    s: &mut Scratch,
) -> bool {
    let ntid = card.note_type_id();
    if !matches!(s.slots[slot], Slot::Fields(_)) {
        s.slots[slot] = Slot::Fields(FastMap::default());
    }
    let Slot::Fields(per_type) = &mut s.slots[slot] else {
        return false;
    };
    let (field_count, ranges) = per_type
        .entry(ntid)
        .or_insert_with(|| matching_fields(card, names, join_adjacent, &mut s.tmp));
    if ranges.is_empty() {
        return false;
    }
    let Some(text) = s.views.get(card, Source::Fields, fold) else {
        return false;
    };
    s.bounds.clear();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == 0x1f {
            s.bounds.push((start, i));
            start = i + 1;
        }
    }
    s.bounds.push((start, text.len()));
    // Anki's pattern spells out every field separator of the note type; a
    // note with a different number of fields never matches it.
    if s.bounds.len() != *field_count {
        return false;
    }
    ranges.iter().any(|&(first, last)| {
        let from = s.bounds[first].0;
        let to = s.bounds[last].1;
        value.is_match(&text[from..to])
    })
}

/// The field ordinals of one note type whose names match, as inclusive
/// ranges. Anki merges neighbouring matches into one range (and then
/// matches the value against those fields joined by the separator) unless
/// the value is one of `*`, `_*`, `*_`.
fn matching_fields<C: SearchCard>(
    card: &C,
    names: &Glob,
    join_adjacent: bool,
    tmp: &mut String,
) -> (usize, Vec<(usize, usize)>) {
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut ord = 0;
    while let Some(name) = card.field_name(ord) {
        tmp.clear();
        fold_into(name, Fold::Unicode, tmp);
        if names.is_match(tmp) {
            match ranges.last_mut() {
                Some((_, last)) if join_adjacent && *last + 1 == ord => *last = ord,
                _ => ranges.push((ord, ord)),
            }
        }
        ord += 1;
    }
    (ord, ranges)
}

/// Deck names match as a whole or up to a `::`; `::` is compared as Anki's
/// single `\x1f` separator, so `_` can stand for it as in Anki.
fn deck_matches(glob: &Glob, name: &str, cache: Option<&mut Slot>, tmp: &mut String) -> bool {
    let cache = cache.map(|slot| {
        if !matches!(slot, Slot::Decks(_)) {
            *slot = Slot::Decks(FastMap::default());
        }
        slot
    });
    if let Some(Slot::Decks(seen)) = cache.as_deref()
        && let Some(&result) = seen.get(name)
    {
        return result;
    }
    tmp.clear();
    for (i, part) in name.split("::").enumerate() {
        if i > 0 {
            tmp.push('\x1f');
        }
        fold_into(part, Fold::Unicode, tmp);
    }
    let result = glob.matches_hierarchy(tmp, "\x1f");
    if let Some(Slot::Decks(seen)) = cache {
        seen.insert(name.to_string(), result);
    }
    result
}

/// A whole-name match cached by note type (and template ordinal).
fn cached<'c>(
    slot: &mut Slot,
    key: (u64, u32),
    tmp: &mut String,
    glob: &Glob,
    name: impl FnOnce() -> &'c str,
) -> bool {
    if !matches!(slot, Slot::Keys(_)) {
        *slot = Slot::Keys(FastMap::default());
    }
    let Slot::Keys(seen) = slot else {
        return false;
    };
    *seen.entry(key).or_insert_with(|| {
        tmp.clear();
        fold_into(name(), Fold::Unicode, tmp);
        glob.is_match(tmp)
    })
}
