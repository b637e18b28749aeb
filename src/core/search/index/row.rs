//! A row of the index as the search engine asks about it.

use super::{NoteRow, Row, SearchIndex, field_names, kind_name};
use crate::core::model::card;
use crate::core::search::card::{CardState, Due, Review, SearchCard, SearchContext};
use crate::core::time::DAY_SECS;

/// One row of a [`SearchIndex`], borrowed.
#[derive(Clone, Copy, Debug)]
pub struct IndexedCard<'a> {
    pub(super) index: &'a SearchIndex,
    pub(super) row: usize,
}

impl IndexedCard<'_> {
    fn row(&self) -> &Row {
        &self.index.rows[self.row]
    }

    fn note(&self) -> &NoteRow {
        &self.index.notes[self.row().note as usize]
    }
}

impl SearchCard for IndexedCard<'_> {
    fn note_fields(&self) -> &str {
        self.index.slice(self.note().fields)
    }

    fn note_type_id(&self) -> u64 {
        self.note().note_type
    }

    fn note_kind(&self) -> &str {
        kind_name(self.note().note_type)
    }

    fn field_name(&self, ord: usize) -> Option<&str> {
        field_names(self.note().note_type).get(ord).copied()
    }

    fn tags(&self) -> &str {
        self.index.slice(self.note().tags)
    }

    fn deck_name(&self) -> &str {
        &self.index.decks[self.row().deck as usize].name
    }

    fn card_ord(&self) -> u32 {
        self.row().number.saturating_sub(1)
    }

    fn template_name(&self) -> &str {
        match (self.note().note_type / 4, self.row().number) {
            (3, _) => "Cloze",
            (_, 1) => "Card 1",
            _ => "Card 2",
        }
    }

    fn state(&self) -> CardState {
        match self.row().progress.state {
            card::CardState::New => CardState::New,
            card::CardState::Learning => CardState::Learning,
            card::CardState::Review => CardState::Review,
            card::CardState::Relearning => CardState::Relearning,
        }
    }

    fn suspended(&self) -> bool {
        self.row().progress.suspended
    }

    fn buried(&self) -> bool {
        self.row().buried
    }

    fn due(&self) -> Due {
        let p = &self.row().progress;
        match p.state {
            card::CardState::New => Due::NotScheduled,
            card::CardState::Review => Due::Day(self.row().due_day),
            // Steps shorter than a day are due at a time; longer ones on a day.
            _ if p.interval_secs < DAY_SECS as u64 => Due::Secs(p.due.unix_secs()),
            _ => Due::Day(self.row().due_day),
        }
    }

    fn interval_days(&self) -> u32 {
        let p = &self.row().progress;
        match p.state {
            card::CardState::Review | card::CardState::Relearning => {
                u32::try_from(p.interval_secs / DAY_SECS as u64).unwrap_or(u32::MAX)
            }
            _ => 0,
        }
    }

    fn reps(&self) -> u32 {
        self.row().progress.reps
    }

    fn lapses(&self) -> u32 {
        self.row().progress.lapses
    }

    fn stability(&self) -> Option<f32> {
        let p = &self.row().progress;
        (p.state != card::CardState::New && p.stability > 0.0).then_some(p.stability)
    }

    fn difficulty(&self) -> Option<f32> {
        let p = &self.row().progress;
        (p.state != card::CardState::New && p.stability > 0.0).then_some(p.difficulty)
    }

    fn retrievability(&self, ctx: &SearchContext) -> Option<f32> {
        let p = &self.row().progress;
        let stability = self.stability()?;
        let last = p.last_review?;
        let days = (ctx.now_secs - last.unix_secs()).max(0) as f32 / DAY_SECS as f32;
        Some(fsrs::current_retrievability(
            fsrs::MemoryState {
                stability,
                difficulty: p.difficulty,
            },
            days,
            self.index.decay,
        ))
    }

    fn added_ms(&self) -> i64 {
        // A note with no `added` time (a file that never had one) is never "added recently".
        self.index.notes[self.row().note as usize].added_ms
    }

    fn reviews(&self) -> impl Iterator<Item = Review> + '_ {
        let slice = self
            .index
            .reviews
            .as_ref()
            .map_or(&[][..], |(starts, all)| {
                let start = starts[self.row] as usize;
                let end = starts[self.row + 1] as usize;
                all.get(start..end).unwrap_or_default()
            });
        slice.iter().copied()
    }
}
