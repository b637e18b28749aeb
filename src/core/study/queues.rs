//! Due-time queues: a deck's cards by what they need next, so choosing the next card and
//! counting what is due take time in proportion to the answer, not to the deck.

use super::sorted_set::SortedSet;
use crate::core::model::card::{CardProgress, CardState};
use crate::core::time::Timestamp;

/// Which queue a card is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Queue {
    /// Learning or relearning, by due time.
    Learning,
    /// Review, by due time.
    Review,
    /// Never answered, or reset: in deck order.
    Unseen,
    /// Suspended: in none.
    None,
}

/// A deck's cards by what they need next. Cards are named by *rank* (their place in the deck
/// sorted by card id) in the due-time sets, so equal due times go in card id order, and by
/// *position* (their place in the deck) among the unseen, which come in deck order.
#[derive(Clone, Debug, Default)]
pub struct Queues {
    /// Learning and relearning cards by due time.
    pub(crate) learning: SortedSet<(Timestamp, u32)>,
    /// Review cards by due time.
    pub(crate) review: SortedSet<(Timestamp, u32)>,
    /// Positions of cards never answered, in deck order (the order new cards come in).
    pub(crate) unseen: SortedSet<u32>,
}

impl Queues {
    /// Queues for a deck of `len` cards, none answered yet.
    #[must_use]
    pub fn unseen(len: u32) -> Self {
        Self {
            unseen: SortedSet::from_sorted((0..len).collect()),
            ..Self::default()
        }
    }

    /// The queue a card in `state` goes in.
    pub(crate) fn queue_of(state: &CardProgress) -> Queue {
        if state.suspended {
            Queue::None
        } else {
            match state.state {
                CardState::Learning | CardState::Relearning => Queue::Learning,
                CardState::Review => Queue::Review,
                CardState::New => Queue::Unseen,
            }
        }
    }

    /// The due-time set of `queue`, if it is one.
    fn timed(&mut self, queue: Queue) -> Option<&mut SortedSet<(Timestamp, u32)>> {
        match queue {
            Queue::Learning => Some(&mut self.learning),
            Queue::Review => Some(&mut self.review),
            Queue::Unseen | Queue::None => None,
        }
    }

    /// Queues the card at `rank` and `position` in `state` (`None`: never answered). A
    /// suspended card is in no queue; a card whose progress was reset (state `new`) is
    /// unseen again.
    pub fn insert(&mut self, rank: u32, position: u32, state: Option<&CardProgress>) {
        match state {
            None => {
                self.unseen.insert(position);
            }
            Some(state) => match Self::queue_of(state) {
                Queue::Unseen => {
                    self.unseen.insert(position);
                }
                queue => {
                    if let Some(set) = self.timed(queue) {
                        set.insert((state.due, rank));
                    }
                }
            },
        }
    }

    /// Takes the card at `rank` and `position`, queued in `state`, out of its queue.
    pub fn remove(&mut self, rank: u32, position: u32, state: Option<&CardProgress>) {
        match state {
            None => {
                self.unseen.remove(&position);
            }
            Some(state) => match Self::queue_of(state) {
                Queue::Unseen => {
                    self.unseen.remove(&position);
                }
                queue => {
                    if let Some(set) = self.timed(queue) {
                        set.remove(&(state.due, rank));
                    }
                }
            },
        }
    }
}
