//! Changing cards without an answer (suspend, unsuspend, bury, forget), and the one undo
//! history: any [`Action`], an answer or such a change, taken back and done again. Each is
//! journalled like an answer: on disk before the call returns.

use super::Collection;
use super::types::{Action, CardStates};
use crate::core::error::{Error, Result};
use crate::core::ids::{CardId, DeckId};
use crate::core::model::card::CardProgress;
use crate::core::model::progress::Change;
use crate::core::time::{DayNumber, Timestamp};

impl Collection {
    /// Sets the cards' states (journalled); returns the action that undoes and redoes it.
    fn set_cards(&mut self, after: CardStates) -> Result<Action> {
        for (deck, card, _) in &after {
            self.card(deck, card)?;
        }
        self.set_card_states(after)
    }

    /// Sets the cards' states as given, whether or not the cards are installed now (a move
    /// gives the target deck its cards' states before the notes arrive); journalled.
    pub(super) fn set_card_states(&mut self, after: CardStates) -> Result<Action> {
        self.require_writer()?;
        let before: CardStates = after
            .iter()
            .map(|(deck, card, _)| (deck.clone(), card.clone(), self.progress.card(deck, card)))
            .collect();
        self.commit(&Change::SetCards {
            cards: after.clone(),
        })?;
        Ok(Action::SetCards { before, after })
    }

    /// Each card's state changed by `change` (a new card gets a state of its own to carry it).
    fn map_cards(
        &mut self,
        cards: &[(DeckId, CardId)],
        change: impl Fn(&mut CardProgress),
    ) -> Result<Action> {
        let after = cards
            .iter()
            .map(|(deck, card)| {
                let mut state = self.card_progress(deck, card);
                change(&mut state);
                (deck.clone(), card.clone(), Some(state))
            })
            .collect();
        self.set_cards(after)
    }

    /// Suspends the cards (`suspended`), or unsuspends them: a suspended card is never
    /// studied until unsuspended.
    pub fn suspend(&mut self, cards: &[(DeckId, CardId)], suspended: bool) -> Result<Action> {
        self.map_cards(cards, |state| state.suspended = suspended)
    }

    /// Buries the cards until the next learner day after `now`.
    pub fn bury(&mut self, cards: &[(DeckId, CardId)], now: Timestamp) -> Result<Action> {
        let tomorrow = self.clock.day_start(DayNumber(self.clock.day(now).0 + 1));
        self.map_cards(cards, |state| state.buried_until = Some(tomorrow))
    }

    /// Makes the cards new again (their reviews stay in the history).
    pub fn forget(&mut self, cards: &[(DeckId, CardId)]) -> Result<Action> {
        let after = cards
            .iter()
            .map(|(deck, card)| (deck.clone(), card.clone(), None))
            .collect();
        self.set_cards(after)
    }

    /// Takes `action` back. An answer can be taken back only while it is the last one in the
    /// history ([`Error::NothingToUndo`] otherwise).
    pub fn undo_action(&mut self, action: &Action) -> Result<()> {
        match action {
            Action::Answer(record) => self.undo(record),
            Action::SetCards { before, .. } => {
                self.require_writer()?;
                self.commit(&Change::SetCards {
                    cards: before.clone(),
                })
            }
            Action::Edit { before, .. } => self.replay_edits(before),
            Action::Many(actions) => actions
                .iter()
                .rev()
                .try_for_each(|action| self.undo_action(action)),
        }
    }

    /// Does `action` again, after [`Collection::undo_action`]: the same answer (the same
    /// review and state) or the same change.
    pub fn redo_action(&mut self, action: &Action) -> Result<()> {
        self.require_writer()?;
        match action {
            Action::Answer(record) => {
                if self.progress.card(&record.entry.deck, &record.entry.card) != record.before {
                    return Err(Error::NothingToUndo);
                }
                self.commit(&Change::Answer {
                    review: record.entry.clone(),
                    after: record.after.clone(),
                })
            }
            Action::SetCards { after, .. } => self.commit(&Change::SetCards {
                cards: after.clone(),
            }),
            Action::Edit { after, .. } => self.replay_edits(after),
            Action::Many(actions) => actions
                .iter()
                .try_for_each(|action| self.redo_action(action)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::collection::{Access, Collection};
    use crate::core::model::card::Rating;
    use crate::core::storage::paths::DataPaths;

    const DECK: &str = "backend-developer-en";

    fn open(dir: &std::path::Path) -> Collection {
        Collection::open(
            DataPaths::new(dir),
            jiff::tz::TimeZone::UTC,
            Access::ReadWrite,
        )
        .unwrap()
    }

    fn ids(cards: &[&str]) -> Vec<(DeckId, CardId)> {
        cards
            .iter()
            .map(|c| (DeckId(DECK.into()), CardId((*c).into())))
            .collect()
    }

    #[test]
    fn suspend_bury_forget_are_durable_undoable_and_redoable() {
        let dir = tempfile::tempdir().unwrap();
        let now = Timestamp(1_795_597_200);
        let deck = DeckId(DECK.into());
        let mut collection = open(dir.path());
        let first = collection.next_card(&deck, now).unwrap().unwrap();
        let answered = collection
            .answer(&deck, &first, Rating::Good, now, 1)
            .unwrap();
        let answered = Action::Answer(answered);
        let cards = ids(&[first.0.as_str(), "backend-behind-the-scenes"]);
        let suspended = collection.suspend(&cards, true).unwrap();
        assert!(collection.card_progress(&deck, &first).suspended);
        assert_eq!(
            collection.card_progress(&deck, &first).reps,
            1,
            "progress kept"
        );
        let new_before = collection.deck_counts(&deck, now).unwrap().new;
        drop(collection);

        // Durable: a restart reads it back from the journal.
        let mut collection = open(dir.path());
        assert!(collection.card_progress(&deck, &cards[1].1).suspended);
        assert_eq!(collection.deck_counts(&deck, now).unwrap().new, new_before);
        collection.undo_action(&suspended).unwrap();
        assert!(!collection.card_progress(&deck, &first).suspended);
        assert_eq!(
            collection.progress().card(&deck, &cards[1].1),
            None,
            "new again"
        );
        collection.redo_action(&suspended).unwrap();
        assert!(collection.card_progress(&deck, &first).suspended);
        collection.undo_action(&suspended).unwrap();

        // The answer before it is still the last review: it can be undone and redone too.
        collection.undo_action(&answered).unwrap();
        assert_eq!(collection.progress().card(&deck, &first), None);
        collection.redo_action(&answered).unwrap();
        assert_eq!(collection.card_progress(&deck, &first).reps, 1);

        let buried = collection.bury(&ids(&[first.0.as_str()]), now).unwrap();
        assert!(collection.card_progress(&deck, &first).is_held(now));
        assert_eq!(buried.card_count(), 1);
        let forgotten = collection.forget(&ids(&[first.0.as_str()])).unwrap();
        assert_eq!(collection.progress().card(&deck, &first), None);
        collection.undo_action(&forgotten).unwrap();
        assert_eq!(collection.card_progress(&deck, &first).reps, 1);
        let mut reviews = 0;
        collection
            .for_each_review(&mut |_| {
                reviews += 1;
                Ok(())
            })
            .unwrap();
        assert_eq!(
            reviews, 1,
            "suspending and forgetting add or take back no review"
        );
        // After a compaction too.
        let job = collection.snapshot_job(true).unwrap();
        let seq = job.run().unwrap();
        collection.finish_snapshot(seq).unwrap();
        drop(collection);
        let collection = open(dir.path());
        assert_eq!(collection.card_progress(&deck, &first).reps, 1);
        assert!(collection.card_progress(&deck, &first).is_held(now));
    }

    #[test]
    fn an_unknown_card_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut collection = open(dir.path());
        let err = collection
            .suspend(&ids(&["what-is-backend-developer", "no-such-card"]), true)
            .unwrap_err();
        assert!(matches!(err, Error::UnknownCard { .. }), "{err:?}");
        assert_eq!(collection.progress().card_count(), 0);
    }
}
