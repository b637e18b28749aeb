//! The decks a collection offers: bundled decks and the data directory's deck files, each
//! with its cards sorted by id and its due-time queues.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::core::bundled::BUNDLED_DECKS;
use crate::core::error::Error;
use crate::core::ids::{CardId, DeckId};
use crate::core::model::card::CardProgress;
use crate::core::model::card_states::CardStates;
use crate::core::model::packed::{CardRef, PackedDeck};
use crate::core::storage::format::deck_file;
use crate::core::study::limits::Slot;
use crate::core::study::queues::{Queue, Queues};
use crate::core::study::sorted_set::SortedSet;
use crate::core::time::Timestamp;

/// Where an installed deck came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeckSource {
    /// Built into the binary.
    Bundled,
    /// A deck file in the data directory's `decks/` folder.
    File(PathBuf),
}

/// A deck available for study.
#[derive(Clone, Debug)]
pub struct InstalledDeck {
    /// The deck itself; shared, so a copy for another thread (the browser's index) costs
    /// nothing (an edit while one is out copies it first).
    pub deck: Arc<PackedDeck>,
    /// Where it came from.
    pub source: DeckSource,
    /// Positions in the deck, sorted by card id: finds a card by id without a copy of
    /// every id. A card's place in this list is its *rank*.
    by_id: Vec<u32>,
    /// Which card is due when, kept up to date with every answer.
    pub(crate) queues: Queues,
    /// Cards buried until a later time, by position.
    pub(crate) buried: HashMap<u32, Timestamp>,
}

impl InstalledDeck {
    pub(crate) fn new(deck: PackedDeck, source: DeckSource) -> Self {
        let len = u32::try_from(deck.len()).unwrap_or(u32::MAX);
        // Sorted on each id's first eight bytes as a number, the whole ids compared only
        // where those are equal: a hundred thousand cards in a few ms, not twenty.
        let mut keyed: Vec<(u64, u32)> = (0..len)
            .map(|position| (id_prefix(deck.card_at(position as usize).id()), position))
            .collect();
        keyed.sort_unstable_by(|&(a_prefix, a), &(b_prefix, b)| {
            a_prefix.cmp(&b_prefix).then_with(|| {
                deck.card_at(a as usize)
                    .id()
                    .cmp(deck.card_at(b as usize).id())
            })
        });
        let by_id: Vec<u32> = keyed.into_iter().map(|(_, position)| position).collect();
        let queues = Queues::unseen(len);
        Self {
            deck: Arc::new(deck),
            source,
            by_id,
            queues,
            buried: HashMap::new(),
        }
    }

    /// The card with this id.
    #[must_use]
    pub fn card(&self, id: &CardId) -> Option<CardRef<'_>> {
        self.rank(id).map(|rank| self.card_at_rank(rank))
    }

    /// The card's position in the deck (`deck.card_at`), if the deck has it.
    #[must_use]
    pub fn position_of(&self, id: &CardId) -> Option<usize> {
        self.rank(id).map(|rank| self.by_id[rank as usize] as usize)
    }

    pub(crate) fn rank(&self, id: &CardId) -> Option<u32> {
        let rank = self
            .by_id
            .binary_search_by(|&position| self.deck.card_at(position as usize).id().cmp(&id.0))
            .ok()?;
        u32::try_from(rank).ok()
    }

    pub(crate) fn card_at_rank(&self, rank: u32) -> CardRef<'_> {
        self.deck.card_at(self.by_id[rank as usize] as usize)
    }

    /// The position of the card in `slot`.
    pub(crate) fn position(&self, slot: Slot) -> u32 {
        match slot {
            Slot::Learning(rank) | Slot::Review(rank) => self.by_id[rank as usize],
            Slot::Unseen(position) => position,
        }
    }

    /// The card in `slot`.
    pub(crate) fn card_in(&self, slot: Slot) -> CardRef<'_> {
        self.deck.card_at(self.position(slot) as usize)
    }

    fn hold(&mut self, position: u32, state: Option<&CardProgress>) {
        match state.and_then(|s| s.buried_until) {
            Some(until) => self.buried.insert(position, until),
            None => self.buried.remove(&position),
        };
    }

    /// Each card's position and progress (`None`: never answered), walking the cards in id
    /// order beside `studied` (also in id order): no lookup per card. Progress of cards the
    /// deck no longer has is passed over.
    pub fn progress_by_position<'a>(
        &'a self,
        studied: Option<&'a CardStates>,
    ) -> impl Iterator<Item = (u32, Option<CardProgress>)> + 'a {
        progress_by_position(&self.deck, &self.by_id, studied)
    }

    /// The deck's card positions in card id order (a copy, for work on another thread).
    #[must_use]
    pub fn positions_by_id(&self) -> Vec<u32> {
        self.by_id.clone()
    }

    /// Fills the queues from `studied` (this deck's card states, sorted by card id like
    /// `by_id`, so one merge pass pairs them up).
    pub(crate) fn rebuild_queues(&mut self, studied: Option<&CardStates>) {
        let len = u32::try_from(self.deck.len()).unwrap_or(u32::MAX);
        // The old queues go before the new are built (at 100,000 cards, not both at once).
        self.queues = Queues::default();
        let Some(studied) = studied else {
            self.queues = Queues::unseen(len);
            self.buried.clear();
            return;
        };
        // Each queue's cards gathered, then built in one go: sets built that way have full
        // nodes (inserted one at a time in card order, a third of their room stays empty).
        let mut unseen = vec![true; len as usize];
        let mut learning = Vec::new();
        let mut review = Vec::new();
        let mut buried = HashMap::new();
        for (rank, (position, state)) in self.progress_by_position(Some(studied)).enumerate() {
            let Some(state) = state else {
                continue;
            };
            let rank = u32::try_from(rank).unwrap_or(u32::MAX);
            let queue = Queues::queue_of(&state);
            match queue {
                Queue::Learning => learning.push((state.due, rank)),
                Queue::Review => review.push((state.due, rank)),
                Queue::Unseen | Queue::None => {}
            }
            unseen[position as usize] = queue == Queue::Unseen;
            if let Some(until) = state.buried_until {
                buried.insert(position, until);
            }
        }
        learning.sort_unstable();
        review.sort_unstable();
        self.buried = buried;
        // Each sorted list is the queue itself: no second copy is made from it.
        self.queues = Queues {
            learning: SortedSet::from_sorted(learning),
            review: SortedSet::from_sorted(review),
            unseen: SortedSet::from_sorted((0..len).filter(|&p| unseen[p as usize]).collect()),
        };
    }

    /// A card's state changed from `before` to `after` (`None`: never answered).
    pub(crate) fn requeue(
        &mut self,
        id: &CardId,
        before: Option<&CardProgress>,
        after: Option<&CardProgress>,
    ) {
        let Some(rank) = self.rank(id) else {
            return;
        };
        let position = self.by_id[rank as usize];
        self.queues.remove(rank, position, before);
        self.queues.insert(rank, position, after);
        self.hold(position, after);
    }
}

/// [`InstalledDeck::progress_by_position`] of `deck`, whose card positions in id order are
/// `by_id`: usable away from the collection (the search index's worker).
pub fn progress_by_position<'a>(
    deck: &'a PackedDeck,
    by_id: &'a [u32],
    studied: Option<&'a CardStates>,
) -> impl Iterator<Item = (u32, Option<CardProgress>)> + 'a {
    let mut states = studied.into_iter().flat_map(CardStates::iter).peekable();
    by_id.iter().map(move |&position| {
        let id = deck.card_at(position as usize).id();
        while states.next_if(|(card, _)| *card < id).is_some() {}
        let state = states
            .next_if(|(card, _)| *card == id)
            .map(|(_, state)| state);
        (position, state)
    })
}

/// The first eight bytes of `id`, big-endian, zero-padded: ordered as the ids are, except
/// that ids equal in them must still be compared whole.
fn id_prefix(id: &str) -> u64 {
    let mut bytes = [0_u8; 8];
    for (slot, byte) in bytes.iter_mut().zip(id.bytes()) {
        *slot = byte;
    }
    u64::from_be_bytes(bytes)
}

pub(crate) fn sort_decks(decks: &mut [InstalledDeck]) {
    decks.sort_by(|a, b| (&a.deck.title, &a.deck.id).cmp(&(&b.deck.title, &b.deck.id)));
}

/// Bundled decks, then the data directory's deck files; of decks sharing an id the highest
/// version wins, a file winning a tie (it may hold the teacher's edits).
pub(crate) fn load_decks(
    dir: &Path,
    problems: &mut Vec<String>,
    unreadable: &mut Vec<(PathBuf, String)>,
) -> Vec<InstalledDeck> {
    let mut by_id: HashMap<DeckId, InstalledDeck> = HashMap::new();
    for (name, text) in BUNDLED_DECKS {
        match deck_file::parse_packed_deck(text, Path::new(name)) {
            Ok(deck) => {
                by_id.insert(
                    deck.id.clone(),
                    InstalledDeck::new(deck, DeckSource::Bundled),
                );
            }
            Err(err) => problems.push(format!("bundled deck {err}")),
        }
    }
    let mut files: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "ron"))
            .collect(),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(err) => {
            problems.push(format!("{}: {err}", dir.display()));
            Vec::new()
        }
    };
    files.sort();
    for path in files {
        match deck_file::load_packed_deck_file(&path) {
            Ok(deck) => {
                // A shipped update (bundled) or another file with a higher version wins.
                let newer_installed = by_id
                    .get(&deck.id)
                    .is_some_and(|d| d.deck.version > deck.version);
                if !newer_installed {
                    by_id.insert(
                        deck.id.clone(),
                        InstalledDeck::new(deck, DeckSource::File(path)),
                    );
                }
            }
            Err(err) => {
                if matches!(err, Error::Parse { .. } | Error::TooLarge { .. }) {
                    unreadable.push((path.clone(), err.to_string()));
                }
                problems.push(format!("{err} (deck skipped; the file was left as it is)"));
            }
        }
    }
    let mut decks: Vec<InstalledDeck> = by_id.into_values().collect();
    sort_decks(&mut decks);
    decks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::card::CardState;
    use crate::core::model::deck::{DECK_FORMAT_VERSION, Deck, Note};

    proptest::proptest! {
        #[test]
        fn cards_are_found_by_id_whatever_their_ids_share(
            ids in proptest::collection::btree_set(
                "[a-z0-9][a-z0-9._:-]{0,12}|aaaaaaaa[a-z]{0,3}|g[0-9a-f]{2}",
                0..40,
            ),
            order in proptest::collection::vec(proptest::arbitrary::any::<u32>(), 40),
        ) {
            // The deck's notes in an order of their own, not the ids' order.
            let mut shuffled: Vec<&String> = ids.iter().collect();
            shuffled.sort_by_key(|id| order[ids.iter().position(|i| &i == id).unwrap_or(0)]);
            let deck = Deck {
                format: DECK_FORMAT_VERSION,
                id: DeckId("d".into()),
                title: String::new(),
                description: String::new(),
                language: "id".into(),
                version: 1,
                parent: None,
                notes: shuffled.iter().map(|id| Note::basic(id, "f", "b")).collect(),
            };
            let installed = InstalledDeck::new(PackedDeck::from_deck(&deck), DeckSource::Bundled);
            let sorted: Vec<&str> = installed
                .by_id
                .iter()
                .map(|&position| installed.deck.card_at(position as usize).id())
                .collect();
            let expected: Vec<&str> = ids.iter().map(String::as_str).collect();
            proptest::prop_assert_eq!(&sorted, &expected);
            for id in &ids {
                let card = installed.card(&CardId(id.clone()));
                proptest::prop_assert_eq!(card.map(|c| c.id().to_owned()), Some(id.clone()));
            }
        }
    }

    /// Built in one go, the queues and buried cards are what queueing each card in turn
    /// gives: every state, equal due times, and progress of a card the deck no longer has.
    #[test]
    fn queues_built_at_once_are_those_built_card_by_card() {
        let packed = PackedDeck::from_deck(&super::super::tests::test_deck("d", 40, 1));
        let mut studied = CardStates::new();
        for (i, card) in packed.cards().enumerate().filter(|(i, _)| i % 9 != 0) {
            let state = match i % 5 {
                0 => CardState::New,
                1 => CardState::Learning,
                2 => CardState::Relearning,
                _ => CardState::Review,
            };
            let progress = CardProgress {
                state,
                // Every third card due at the same time as another.
                due: Timestamp(1_000 + i64::try_from(i % 3 * 60 + i % 2).unwrap()),
                suspended: i % 7 == 3,
                buried_until: (i % 6 == 1).then_some(Timestamp(5_000)),
                ..CardProgress::default()
            };
            studied.insert(CardId(card.id().to_owned()), progress);
        }
        studied.insert(CardId("retired".into()), CardProgress::default());

        let mut at_once = InstalledDeck::new(packed.clone(), DeckSource::Bundled);
        at_once.rebuild_queues(Some(&studied));
        let mut in_turn = InstalledDeck::new(packed, DeckSource::Bundled);
        for (card, progress) in studied.iter() {
            in_turn.requeue(&CardId(card.to_owned()), None, Some(&progress));
        }
        assert_eq!(at_once.queues.learning, in_turn.queues.learning);
        assert_eq!(at_once.queues.review, in_turn.queues.review);
        assert_eq!(at_once.queues.unseen, in_turn.queues.unseen);
        assert_eq!(at_once.buried, in_turn.buried);
        // Each kind is there, so the comparison covers it.
        assert!(!at_once.queues.learning.is_empty() && !at_once.queues.review.is_empty());
        assert!(at_once.queues.unseen.len() > 4 && !at_once.buried.is_empty());
    }
}
