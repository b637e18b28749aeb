//! The hidden generator of scale collections (`kartu generate`): a big deck and a long
//! history, for measuring Kartu at 100,000 cards and 1,000,000 reviews.

use crate::core::collection::{Collection, DeckSource};
use crate::core::error::Result;
use crate::core::ids::{CardId, DeckId};
use crate::core::model::card::{CardProgress, CardState, Rating};
use crate::core::model::deck::{DECK_FORMAT_VERSION, Deck, Note};
use crate::core::model::packed::PackedDeck;
use crate::core::model::progress::{Progress, ReviewEntry};
use crate::core::storage::format::deck_file;
use crate::core::storage::format::snapshot::ReviewSink;
use crate::core::time::{DAY_SECS, Timestamp};

impl Collection {
    /// Replaces everything with a generated deck of `cards` cards (`generated`) and a history
    /// of `reviews` reviews ending at `now`: the scale tests' collection. Writers only.
    pub fn generate_history(&mut self, cards: usize, reviews: usize, now: Timestamp) -> Result<()> {
        let deck = Deck {
            format: DECK_FORMAT_VERSION,
            id: DeckId("generated".into()),
            title: "Generated".into(),
            description: "A large deck for scale tests.".into(),
            language: "en".into(),
            version: 1,
            parent: None,
            notes: (0..cards)
                .map(|i| Note {
                    tags: vec!["generated".into()],
                    ..Note::basic(
                        &format!("card-{i:06}"),
                        &format!("Question {i}: what does this generated card ask about?"),
                        &format!("Answer {i}, a line of text of a typical length."),
                    )
                })
                .collect(),
        };
        self.paths().create_dirs()?;
        deck_file::save_deck_file(&deck, &self.paths().decks_dir().join("generated.ron"))?;
        let span_secs = 2 * 365 * DAY_SECS;
        let ratings = [
            Rating::Good,
            Rating::Good,
            Rating::Good,
            Rating::Again,
            Rating::Hard,
            Rating::Easy,
        ];
        self.replace_history(&mut |log| {
            let mut progress = Progress::default();
            for i in 0..reviews {
                let card = &CardId(deck.notes[i % cards.max(1)].id.0.clone());
                let at = now.add_secs(-span_secs + (i as i64 * span_secs) / reviews.max(1) as i64);
                log.review(ReviewEntry {
                    deck: deck.id.clone(),
                    card: card.clone(),
                    at,
                    rating: ratings[i % ratings.len()],
                    state_before: if i < cards {
                        CardState::New
                    } else {
                        CardState::Review
                    },
                    elapsed_secs: 86_400 * (i as i64 % 30),
                    duration_ms: 4_000,
                    interval_secs: 86_400 * (1 + i as u64 % 60),
                })?;
                let due = at.add_secs(86_400 * (1 + i as i64 % 60));
                progress.set_card(
                    &deck.id,
                    card,
                    Some(CardProgress {
                        state: CardState::Review,
                        remaining_steps: 0,
                        due,
                        interval_secs: 86_400 * (1 + i as u64 % 60),
                        stability: 1.0 + (i % 97) as f32,
                        difficulty: 1.0 + (i % 9) as f32,
                        reps: u32::try_from(i / cards.max(1) + 1).unwrap_or(u32::MAX),
                        lapses: 0,
                        last_review: Some(at),
                        ..CardProgress::default()
                    }),
                );
            }
            Ok(progress)
        })?;
        let source = DeckSource::File(self.paths().decks_dir().join("generated.ron"));
        self.install_deck(PackedDeck::from_deck(&deck), source);
        Ok(())
    }
}
