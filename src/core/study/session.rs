//! A study session on one deck: the card on screen and answering it. Undo is the app's one
//! history of actions ([`crate::core::collection::Action`]); a card taken back is shown again
//! with [`StudySession::show`].

use crate::core::collection::{Collection, UndoRecord};
use crate::core::error::Result;
use crate::core::ids::{CardId, DeckId};
use crate::core::model::card::Rating;
use crate::core::time::Timestamp;

/// Studying one deck and its sub-decks. The queue is not stored: the next card is chosen
/// from the collection after every answer, so learning cards come back when their step is
/// over.
#[derive(Clone, Debug)]
pub struct StudySession {
    deck: DeckId,
    /// The card on screen, and the deck it is in (the deck studied, or a sub-deck).
    current: Option<(DeckId, CardId)>,
}

impl StudySession {
    /// Starts studying `deck` at `now`.
    pub fn start(collection: &Collection, deck: DeckId, now: Timestamp) -> Result<Self> {
        let current = collection.next_study_card(&deck, now)?;
        Ok(Self { deck, current })
    }

    /// The deck being studied.
    #[must_use]
    pub fn deck(&self) -> &DeckId {
        &self.deck
    }

    /// The card on screen; `None` when there is nothing left to study for now.
    #[must_use]
    pub fn current(&self) -> Option<&CardId> {
        self.current.as_ref().map(|(_, card)| card)
    }

    /// The deck of the card on screen (the deck studied, or one of its sub-decks).
    #[must_use]
    pub fn current_deck(&self) -> Option<&DeckId> {
        self.current.as_ref().map(|(deck, _)| deck)
    }

    /// Looks again for a card (after waiting on the done screen, or a settings change).
    pub fn refresh(&mut self, collection: &Collection, now: Timestamp) -> Result<()> {
        self.current = collection.next_study_card(&self.deck, now)?;
        Ok(())
    }

    /// Answers the card on screen; it is on disk before the next card is chosen. Returns what
    /// takes it back.
    pub fn answer(
        &mut self,
        collection: &mut Collection,
        rating: Rating,
        now: Timestamp,
        duration_ms: u32,
    ) -> Result<Option<UndoRecord>> {
        let Some((deck, card)) = self.current.clone() else {
            return Ok(None);
        };
        let record = collection.answer(&deck, &card, rating, now, duration_ms)?;
        self.refresh(collection, now)?;
        Ok(Some(record))
    }

    /// Puts a card back on screen (an answer to it was taken back).
    pub fn show(&mut self, deck: DeckId, card: CardId) {
        self.current = Some((deck, card));
    }

    /// The card on screen with its deck.
    #[must_use]
    pub fn current_card(&self) -> Option<(&DeckId, &CardId)> {
        self.current.as_ref().map(|(deck, card)| (deck, card))
    }
}
