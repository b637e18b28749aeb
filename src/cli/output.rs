//! What the commands print: typed structs, written as text or as `--json`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use crate::core::ids::{CardId, DeckId};
use crate::core::model::card::{CardProgress, CardState};
use crate::core::time::Timestamp;

/// `kartu backup list --json`: one backup.
#[derive(Serialize)]
pub(super) struct BackupOut<'a> {
    pub(super) id: &'a str,
    pub(super) at: String,
    pub(super) cards: usize,
    pub(super) reviews: usize,
    pub(super) seq: u64,
    pub(super) path: String,
}

/// `kartu decks --json`: one deck.
#[derive(Serialize)]
pub(super) struct DeckOut<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) language: &'a str,
    pub(super) cards: usize,
    pub(super) new: usize,
    pub(super) learning: usize,
    pub(super) due: usize,
}

/// `kartu next --json` when nothing is left.
#[derive(Serialize)]
pub(super) struct NothingNext<'a> {
    pub(super) deck: &'a str,
    pub(super) card: Option<&'a str>,
    pub(super) next_due: Option<String>,
}

/// What one rating would give, in `kartu card --json`'s `next`.
#[derive(Serialize)]
pub(super) struct NextOut {
    pub(super) state: &'static str,
    pub(super) due: String,
    pub(super) interval_secs: u64,
    pub(super) stability: f32,
    pub(super) difficulty: f32,
}

/// A card's state as the CLI prints it (`--json`: these fields; the optional ones only where
/// the command gives them). Floats are the `f32` they are, so they print as such (`6.4133`).
#[derive(Serialize)]
pub(super) struct CardOut<'a> {
    pub(super) deck: &'a str,
    pub(super) card: &'a str,
    pub(super) state: &'static str,
    pub(super) due: String,
    pub(super) interval_secs: u64,
    pub(super) stability: f32,
    pub(super) difficulty: f32,
    pub(super) reps: u32,
    pub(super) lapses: u32,
    pub(super) remaining_steps: u32,
    pub(super) last_review: Option<String>,
    /// `front` and `back`, where the command shows the card.
    #[serde(flatten)]
    pub(super) sides: Option<Sides<'a>>,
    /// `notes`, `example` and `tags`, where the command shows them.
    #[serde(flatten)]
    pub(super) details: Option<Details<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) rating: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) previous_state: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) next: Option<BTreeMap<&'static str, NextOut>>,
}

/// A card's two sides.
#[derive(Serialize)]
pub(super) struct Sides<'a> {
    pub(super) front: Cow<'a, str>,
    pub(super) back: Cow<'a, str>,
}

/// What a card shows with its answer.
#[derive(Serialize)]
pub(super) struct Details<'a> {
    pub(super) notes: Option<&'a str>,
    pub(super) example: Option<&'a str>,
    pub(super) tags: Vec<&'a str>,
}

impl<'a> CardOut<'a> {
    pub(super) fn new(
        deck: &'a DeckId,
        card: &'a CardId,
        progress: &CardProgress,
        now: Timestamp,
    ) -> Self {
        // A new card has no due time of its own: it is available now, as the daily limit
        // allows.
        let due = if progress.state == CardState::New {
            now
        } else {
            progress.due
        };
        Self {
            deck: &deck.0,
            card: &card.0,
            state: progress.state.as_str(),
            due: due.to_rfc3339(),
            interval_secs: progress.interval_secs,
            stability: progress.stability,
            difficulty: progress.difficulty,
            reps: progress.reps,
            lapses: progress.lapses,
            remaining_steps: progress.remaining_steps,
            last_review: progress.last_review.map(Timestamp::to_rfc3339),
            sides: None,
            details: None,
            rating: None,
            previous_state: None,
            next: None,
        }
    }
}

pub(super) fn print_card(
    card: &CardOut<'_>,
    as_json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if as_json {
        writeln!(out, "{}", serde_json::to_string_pretty(card)?)?;
        return Ok(());
    }
    writeln!(out, "{} / {}", card.deck, card.card)?;
    if let Some(Sides { front, back }) = &card.sides {
        writeln!(out, "  front: {front}")?;
        writeln!(out, "  back:  {back}")?;
    }
    writeln!(
        out,
        "  state: {}  due: {}  interval: {}s  stability: {}  difficulty: {}  reps: {}  lapses: {}",
        card.state,
        card.due,
        card.interval_secs,
        card.stability,
        card.difficulty,
        card.reps,
        card.lapses
    )?;
    Ok(())
}
