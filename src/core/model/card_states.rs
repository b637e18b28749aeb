//! One deck's card states, held compactly: [`CardStates`].
//!
//! A `BTreeMap<CardId, CardProgress>` of 100,000 cards takes 11 MB even with full nodes: a
//! 24-byte `String` and a 16-byte allocation per id, and 72 bytes per state. Here the states
//! loaded in one go (a snapshot lists them in id order) sit in one sorted list of 40-byte
//! entries, their ids beside them (5 MB in all); states set later (answers, suspends) go
//! to a small map of changes that wins over the list. A lookup tries the map, then a small
//! index of every 16th id's first bytes, then a binary search of 16 entries. The list grows
//! a chunk of 1,024 entries at a time, so loading never holds two copies of it.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::core::ids::CardId;
use crate::core::model::card::{CardProgress, CardState};
use crate::core::time::Timestamp;

/// A state in the sorted list, 40 bytes. A state that does not fit one (an interval past
/// `u32` seconds, answers, lapses or steps past `u16`, an id past 255 bytes or its chunk's
/// ids past 64 KiB) is kept in the changes instead, whole.
#[derive(Clone, Copy, Debug)]
struct Entry {
    due: i64,
    /// `i64::MIN`: never.
    last_review: i64,
    stability: f32,
    difficulty: f32,
    interval_secs: u32,
    reps: u16,
    lapses: u16,
    /// Where its id starts in its chunk's `ids`.
    id_start: u16,
    remaining_steps: u16,
    id_len: u8,
    state: CardState,
    /// [`SUSPENDED`], [`BURIED`].
    flags: u8,
}

/// Entries per run of the prefix index: a run's entries and ids span a few cache lines.
const RUN: usize = 16;

/// The first eight bytes of `id`, big-endian, zero-padded: ordered as the ids are, except
/// that ids equal in them must still be compared whole.
fn prefix(id: &str) -> u64 {
    let mut bytes = [0_u8; 8];
    for (slot, byte) in bytes.iter_mut().zip(id.bytes()) {
        *slot = byte;
    }
    u64::from_be_bytes(bytes)
}

const SUSPENDED: u8 = 1;
/// Its `buried_until` is in [`CardStates::buried`].
const BURIED: u8 = 2;
const NEVER: i64 = i64::MIN;

/// Entries per chunk of the list: the list grows a chunk at a time, never copied whole (a
/// doubled 5 MB list would hold both copies for a moment, while loading).
#[cfg(not(test))]
const CHUNK: usize = 1024;
/// Small in tests, so their few states fill several chunks.
#[cfg(test)]
const CHUNK: usize = 4;

/// Changes kept beside the list before they are folded into it (or a quarter of the list,
/// when that is more): folding 100,000 states takes about 10 ms.
#[cfg(not(test))]
const FOLD_AT: usize = 4096;
/// Small in tests, so their changes are folded now and then.
#[cfg(test)]
const FOLD_AT: usize = 6;

/// [`CHUNK`] entries (the last chunk fewer), and their ids.
#[derive(Clone, Default)]
struct Chunk {
    entries: Vec<Entry>,
    ids: String,
}

/// One deck's card states by card id (see the module docs): what a
/// `BTreeMap<CardId, CardProgress>` does, in about half the memory, with states handed out
/// by value.
#[derive(Clone, Default)]
pub struct CardStates {
    /// The list: sorted by id, each id once, in chunks of [`CHUNK`].
    chunks: Vec<Chunk>,
    /// Entries in the list.
    listed: usize,
    /// `buried_until` of the entries that have one: (entry index, time), by index.
    buried: Vec<(u32, i64)>,
    /// The first eight bytes of every [`RUN`]th entry's id (see [`prefix`]), for lookups.
    prefixes: Vec<u64>,
    /// States set (`Some`) or removed (`None`) since the list was built; they win over it.
    changes: BTreeMap<CardId, Option<CardProgress>>,
    /// Changes that were there when the list was last built (states that fit no entry):
    /// folding again is for changes made since.
    unfit: usize,
    len: usize,
}

impl CardStates {
    /// No states.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Entry `index` of the list and its id.
    fn entry(&self, index: usize) -> (&Entry, &str) {
        let chunk = &self.chunks[index / CHUNK];
        let entry = &chunk.entries[index % CHUNK];
        let start = usize::from(entry.id_start);
        let id = chunk
            .ids
            .get(start..start + usize::from(entry.id_len))
            .unwrap_or_default();
        (entry, id)
    }

    fn find(&self, id: &str) -> Option<usize> {
        // The run of entries it can be in, from the small prefix index (in cache), then a
        // binary search of that run alone: a few cache misses instead of two per halving.
        let key = prefix(id);
        let mut low = self
            .prefixes
            .partition_point(|&p| p < key)
            .saturating_sub(1)
            * RUN;
        let mut high = (self.prefixes.partition_point(|&p| p <= key) * RUN).min(self.listed);
        while low < high {
            let middle = low + (high - low) / 2;
            match self.entry(middle).1.cmp(id) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Some(middle),
            }
        }
        None
    }

    fn unpack(&self, index: usize) -> CardProgress {
        let (entry, _) = self.entry(index);
        let buried_until = if entry.flags & BURIED == 0 {
            None
        } else {
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            self.buried
                .binary_search_by_key(&index, |(at, _)| *at)
                .ok()
                .map(|at| Timestamp(self.buried[at].1))
        };
        CardProgress {
            state: entry.state,
            remaining_steps: u32::from(entry.remaining_steps),
            due: Timestamp(entry.due),
            interval_secs: u64::from(entry.interval_secs),
            stability: entry.stability,
            difficulty: entry.difficulty,
            reps: u32::from(entry.reps),
            lapses: u32::from(entry.lapses),
            last_review: (entry.last_review != NEVER).then_some(Timestamp(entry.last_review)),
            suspended: entry.flags & SUSPENDED != 0,
            buried_until,
        }
    }

    /// The state of card `id`, if it has one.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<CardProgress> {
        if let Some(change) = self.changes.get(id) {
            return change.clone();
        }
        self.find(id).map(|index| self.unpack(index))
    }

    /// Whether card `id` has a state.
    #[must_use]
    pub fn contains_key(&self, id: &str) -> bool {
        match self.changes.get(id) {
            Some(change) => change.is_some(),
            None => self.find(id).is_some(),
        }
    }

    /// Sets card `id`'s state.
    pub fn insert(&mut self, id: CardId, state: CardProgress) {
        if !self.contains_key(&id.0) {
            self.len += 1;
        }
        self.changes.insert(id, Some(state));
        self.fold_if_many();
    }

    /// Folds the changes into the list once they are many (a learner forgetting or
    /// suspending thousands of cards at once): a big map of changes would hold three times
    /// the memory of the list, and make every copy and walk of the states slow.
    fn fold_if_many(&mut self) {
        if self.changes.len() <= self.unfit + FOLD_AT.max(self.listed / 4) {
            return;
        }
        let mut builder = CardStatesBuilder::new();
        for (id, state) in self.iter() {
            builder.push(id, &state);
        }
        *self = builder.finish();
    }

    /// Removes card `id`'s state; the state it had.
    pub fn remove(&mut self, id: &str) -> Option<CardProgress> {
        let old = self.get(id)?;
        self.len -= 1;
        if self.find(id).is_some() {
            self.changes.insert(CardId(id.to_owned()), None);
            self.fold_if_many();
        } else {
            self.changes.remove(id);
        }
        Some(old)
    }

    /// How many cards have a state.
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no card has a state.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every card id and its state, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, CardProgress)> + '_ {
        let mut list = (0..self.listed).peekable();
        let mut changed = self.changes.iter().peekable();
        std::iter::from_fn(move || {
            loop {
                let from_list = list.peek().map(|&index| self.entry(index).1);
                let from_changes = changed.peek().map(|(id, _)| id.0.as_str());
                match (from_list, from_changes) {
                    (None, None) => return None,
                    (Some(id), Some(other)) if other <= id => {
                        if other == id {
                            list.next();
                        }
                        let (id, change) = changed.next()?;
                        if let Some(state) = change {
                            return Some((id.0.as_str(), state.clone()));
                        }
                    }
                    (Some(id), _) => {
                        let index = list.next()?;
                        return Some((id, self.unpack(index)));
                    }
                    (None, Some(_)) => {
                        let (id, change) = changed.next()?;
                        if let Some(state) = change {
                            return Some((id.0.as_str(), state.clone()));
                        }
                    }
                }
            }
        })
    }

    /// The card ids, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.iter().map(|(id, _)| id)
    }

    /// The states, in card id order.
    pub fn values(&self) -> impl Iterator<Item = CardProgress> + '_ {
        self.iter().map(|(_, state)| state)
    }
}

/// Builds [`CardStates`] from states that come in id order (a snapshot's), straight into the
/// sorted list; any out of order (a file edited by hand) go to the changes, the later of a
/// repeated id winning.
#[derive(Default)]
pub struct CardStatesBuilder {
    states: CardStates,
    /// The id pushed last.
    last: String,
}

impl CardStatesBuilder {
    /// An empty builder.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds card `id`'s state.
    pub fn push(&mut self, id: &str, state: &CardProgress) {
        let states = &mut self.states;
        let in_order = states.listed == 0 && states.changes.is_empty() || id > self.last.as_str();
        // A new chunk when every chunk is full (one opened for a state that then did not
        // fit the list is still empty, and used).
        if in_order && states.listed == states.chunks.len() * CHUNK {
            states.chunks.push(Chunk {
                entries: Vec::with_capacity(CHUNK),
                ids: String::new(),
            });
        }
        let listed = states
            .chunks
            .last_mut()
            .filter(|_| in_order)
            .and_then(|chunk| {
                let entry = pack(&chunk.ids, id, state)?;
                chunk.ids.push_str(id);
                chunk.entries.push(entry);
                Some(())
            });
        match listed {
            Some(()) => {
                if states.listed.is_multiple_of(RUN) {
                    states.prefixes.push(prefix(id));
                }
                if let Some(until) = state.buried_until {
                    let index = u32::try_from(states.listed).unwrap_or(u32::MAX);
                    states.buried.push((index, until.0));
                }
                states.listed += 1;
            }
            None => {
                states
                    .changes
                    .insert(CardId(id.to_owned()), Some(state.clone()));
            }
        }
        if in_order {
            id.clone_into(&mut self.last);
        }
    }

    /// The states.
    #[must_use]
    pub fn finish(self) -> CardStates {
        let mut states = self.states;
        // A chunk opened for an entry that did not fit the list.
        if states
            .chunks
            .last()
            .is_some_and(|chunk| chunk.entries.is_empty())
        {
            states.chunks.pop();
        }
        for chunk in &mut states.chunks {
            chunk.entries.shrink_to_fit();
            chunk.ids.shrink_to_fit();
        }
        states.buried.shrink_to_fit();
        states.prefixes.shrink_to_fit();
        // Changes made while building hold states the list may also hold (a repeated id).
        states.unfit = states.changes.len();
        states.len = states.listed
            + states
                .changes
                .keys()
                .filter(|id| states.find(&id.0).is_none())
                .count();
        states
    }
}

/// `state` as an entry of the list, its id to be appended to its chunk's `ids`; `None` when
/// it does not fit one.
fn pack(ids: &str, id: &str, state: &CardProgress) -> Option<Entry> {
    let last_review = state.last_review.map_or(NEVER, |at| at.0);
    if state.last_review.is_some() && last_review == NEVER {
        return None;
    }
    let mut flags = 0;
    if state.suspended {
        flags |= SUSPENDED;
    }
    if state.buried_until.is_some() {
        flags |= BURIED;
    }
    Some(Entry {
        due: state.due.0,
        last_review,
        stability: state.stability,
        difficulty: state.difficulty,
        reps: u16::try_from(state.reps).ok()?,
        lapses: u16::try_from(state.lapses).ok()?,
        interval_secs: u32::try_from(state.interval_secs).ok()?,
        id_start: u16::try_from(ids.len()).ok()?,
        id_len: u8::try_from(id.len()).ok()?,
        remaining_steps: u16::try_from(state.remaining_steps).ok()?,
        state: state.state,
        flags,
    })
}

impl FromIterator<(CardId, CardProgress)> for CardStates {
    fn from_iter<I: IntoIterator<Item = (CardId, CardProgress)>>(iter: I) -> Self {
        let mut all: Vec<(CardId, CardProgress)> = iter.into_iter().collect();
        // Stable: of repeated ids, the later stays later, and wins.
        all.sort_by(|a, b| a.0.cmp(&b.0));
        let mut builder = CardStatesBuilder::new();
        for (id, state) in &all {
            builder.push(&id.0, state);
        }
        builder.finish()
    }
}

impl<'a> FromIterator<(&'a str, CardProgress)> for CardStates {
    fn from_iter<I: IntoIterator<Item = (&'a str, CardProgress)>>(iter: I) -> Self {
        iter.into_iter()
            .map(|(id, state)| (CardId(id.to_owned()), state))
            .collect()
    }
}

impl PartialEq for CardStates {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl fmt::Debug for CardStates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for CardStates {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for CardStates {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<CardId, CardProgress>::deserialize(deserializer)?;
        Ok(map.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn state(n: u8) -> CardProgress {
        CardProgress {
            state: CardState::ALL[usize::from(n % 4)],
            remaining_steps: u32::from(n % 3),
            due: Timestamp(1_800_000_000 + i64::from(n)),
            interval_secs: if n.is_multiple_of(11) {
                u64::from(u32::MAX) + 1
            } else {
                u64::from(n) * 86_400
            },
            stability: f32::from(n) / 3.0,
            difficulty: 5.5,
            // Past what an entry holds, now and then: kept beside the list.
            reps: if n.is_multiple_of(13) {
                70_000
            } else {
                u32::from(n)
            },
            lapses: u32::from(n / 7),
            last_review: (!n.is_multiple_of(5)).then_some(Timestamp(1_700_000_000 + i64::from(n))),
            suspended: n.is_multiple_of(6),
            buried_until: (n % 4 == 1).then_some(Timestamp(1_900_000_000 + i64::from(n))),
        }
    }

    #[derive(Clone, Debug)]
    enum Op {
        Insert(u8, u8),
        Remove(u8),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u8..40, any::<u8>()).prop_map(|(id, s)| Op::Insert(id, s)),
            (0u8..40).prop_map(Op::Remove),
        ]
    }

    proptest! {
        /// Built from states in any order (sorted, as a snapshot gives them, or not, with
        /// repeats) and then changed, they hold exactly what a `BTreeMap` would.
        #[test]
        fn card_states_behave_like_a_map(
            loaded in prop::collection::vec((0u8..40, any::<u8>()), 0..90),
            sorted in any::<bool>(),
            ops in prop::collection::vec(op(), 0..60),
        ) {
            // Short ids, and ids alike in their first eight bytes and more (the lookup's
            // prefix index must then compare them whole).
            let id = |n: u8| if n % 17 == 5 {
                format!("z{}{n:02}", "-".repeat(300))
            } else if n.is_multiple_of(3) { format!("a-long-shared-start-{n:02}") } else { format!("c{n:02}") };
            let mut loaded: Vec<(String, CardProgress)> =
                loaded.into_iter().map(|(n, s)| (id(n), state(s))).collect();
            if sorted {
                loaded.sort_by(|a, b| a.0.cmp(&b.0));
            }
            let mut model: BTreeMap<String, CardProgress> = BTreeMap::new();
            let mut builder = CardStatesBuilder::new();
            for (card, progress) in &loaded {
                model.insert(card.clone(), progress.clone());
                builder.push(card, progress);
            }
            let mut states = builder.finish();
            let collected: CardStates =
                loaded.iter().map(|(card, p)| (CardId(card.clone()), p.clone())).collect();
            prop_assert_eq!(&collected, &states);
            for op in ops {
                match op {
                    Op::Insert(n, s) => {
                        model.insert(id(n), state(s));
                        states.insert(CardId(id(n)), state(s));
                    }
                    Op::Remove(n) => {
                        prop_assert_eq!(states.remove(&id(n)), model.remove(&id(n)));
                    }
                }
                prop_assert_eq!(states.len(), model.len());
            }
            let listed: Vec<(String, CardProgress)> =
                states.iter().map(|(card, p)| (card.to_owned(), p)).collect();
            let expected: Vec<(String, CardProgress)> = model.clone().into_iter().collect();
            prop_assert_eq!(listed, expected);
            for n in 0..40 {
                prop_assert_eq!(states.get(&id(n)), model.get(&id(n)).cloned());
                prop_assert_eq!(states.contains_key(&id(n)), model.contains_key(&id(n)));
            }
            // Through serde and back, the same.
            let text = ron::to_string(&states).unwrap();
            let again: CardStates = ron::from_str(&text).unwrap();
            prop_assert_eq!(again, states);
        }
    }

    /// The list holds what fits it; the rest is kept whole beside it.
    #[test]
    fn entries_are_40_bytes() {
        assert_eq!(std::mem::size_of::<Entry>(), 40);
    }
}
