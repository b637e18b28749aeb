//! Due-time queues: a deck's cards by what they need next, so choosing the next card and
//! counting what is due take time in proportion to the answer, not to the deck.

use std::collections::BTreeSet;

use crate::core::model::card::{CardProgress, CardState};
use crate::core::time::Timestamp;

/// A deck's cards by what they need next. Cards are named by *rank* (their place in the deck
/// sorted by card id) in the due-time sets, so equal due times go in card id order, and by
/// *position* (their place in the deck) among the unseen, which come in deck order.
#[derive(Clone, Debug, Default)]
pub struct Queues {
    /// Learning and relearning cards by due time.
    pub(crate) learning: BTreeSet<(Timestamp, u32)>,
    /// Review cards by due time.
    pub(crate) review: BTreeSet<(Timestamp, u32)>,
    /// Positions of cards never answered, in deck order (the order new cards come in).
    pub(crate) unseen: BTreeSet<u32>,
}

impl Queues {
    /// Queues for a deck of `len` cards, none answered yet.
    #[must_use]
    pub fn unseen(len: u32) -> Self {
        Self {
            unseen: (0..len).collect(),
            ..Self::default()
        }
    }

    fn set_for(&mut self, state: CardState) -> Option<&mut BTreeSet<(Timestamp, u32)>> {
        match state {
            CardState::Learning | CardState::Relearning => Some(&mut self.learning),
            CardState::Review => Some(&mut self.review),
            CardState::New => None,
        }
    }

    /// Queues the card at `rank` and `position` in `state` (`None`: never answered). A
    /// suspended card is in no queue; a card whose progress was reset (state `new`) is
    /// unseen again.
    pub fn insert(&mut self, rank: u32, position: u32, state: Option<&CardProgress>) {
        match state {
            Some(state) if state.suspended => {}
            Some(state) if state.state != CardState::New => {
                if let Some(set) = self.set_for(state.state) {
                    set.insert((state.due, rank));
                }
            }
            Some(_) | None => {
                self.unseen.insert(position);
            }
        }
    }

    /// Takes the card at `rank` and `position`, queued in `state`, out of its queue.
    pub fn remove(&mut self, rank: u32, position: u32, state: Option<&CardProgress>) {
        match state {
            Some(state) if state.suspended => {}
            Some(state) if state.state != CardState::New => {
                if let Some(set) = self.set_for(state.state) {
                    set.remove(&(state.due, rank));
                }
            }
            Some(_) | None => {
                self.unseen.remove(&position);
            }
        }
    }
}
