//! The browser's state in the app: the search index (built when the browser opens and after
//! cards change), the current result, and actions on the selection.

use super::{KartuApp, Screen, local_date_text};
use crate::core::collection::Collection;
use crate::core::ids::{CardId, DeckId};
use crate::core::model::card::CardState;
use crate::core::search::{SearchIndex, SortColumn, context, plain_text};
use crate::core::time::Timestamp;
use crate::ui::browse::{BrowseDraft, BrowseRows};
use crate::ui::i18n::Texts;

/// The browser screen's state.
pub(crate) struct BrowserState {
    /// What the learner edits.
    pub(crate) draft: BrowseDraft,
    index: SearchIndex,
    /// The result: index rows in order.
    pub(crate) results: Vec<usize>,
    /// The query, sort and direction the result is for.
    searched: Option<(String, SortColumn, bool)>,
    /// Why the query does not parse, and where.
    pub(crate) error: Option<(String, usize)>,
    /// Cards changed: build the index again before the next frame.
    pub(crate) stale: bool,
}

impl BrowserState {
    /// Cards in the collection.
    pub(crate) fn total(&self) -> usize {
        self.index.len()
    }

    /// Searches again if the query, sort or cards changed since the last search.
    pub(crate) fn refresh(&mut self, collection: &Collection, now: Timestamp) {
        if self.stale {
            self.index = SearchIndex::build(collection, now);
            self.searched = None;
        }
        let wanted = (
            self.draft.query.clone(),
            self.draft.sort,
            self.draft.reverse,
        );
        if self.searched.as_ref() == Some(&wanted) {
            return;
        }
        let query = &self.draft.query;
        if SearchIndex::query_needs_reviews(query).unwrap_or(false)
            && let Err(err) = self.index.load_reviews(collection)
        {
            self.error = Some((err.to_string(), 0));
            return;
        }
        match self
            .index
            .search(query, &context(collection, now), wanted.1, wanted.2)
        {
            Ok(found) => {
                // After an action on the cards the same result keeps its selection.
                let same_query = self
                    .searched
                    .as_ref()
                    .is_some_and(|(q, _, _)| q == &wanted.0);
                if !(self.stale || same_query) || found.len() != self.results.len() {
                    self.draft.selected.clear();
                    self.draft.anchor = None;
                }
                self.results = found;
                self.error = None;
            }
            // The last good result stays on screen under the error.
            Err(err) => self.error = Some((err.message, err.position)),
        }
        self.stale = false;
        self.searched = Some(wanted);
    }

    /// The selected cards' ids.
    pub(crate) fn selected_ids(&self, collection: &Collection) -> Vec<(DeckId, CardId)> {
        self.draft
            .selected
            .iter()
            .filter_map(|&position| self.results.get(position))
            .filter_map(|&row| self.index.ids(row, collection))
            .collect()
    }

    /// The result rows, for the table.
    pub(crate) fn rows<'a>(&'a self, tr: &'static Texts) -> RowsView<'a> {
        RowsView { browser: self, tr }
    }
}

/// The result as table cells, built row by row for the rows on screen.
pub(crate) struct RowsView<'a> {
    browser: &'a BrowserState,
    tr: &'static Texts,
}

impl BrowseRows for RowsView<'_> {
    fn len(&self) -> usize {
        self.browser.results.len()
    }

    fn cells(&self, position: usize) -> [String; 12] {
        let index = &self.browser.index;
        let Some(&row) = self.browser.results.get(position) else {
            return Default::default();
        };
        let (Some(text), Some((p, buried))) = (index.row_text(row), index.progress(row)) else {
            return Default::default();
        };
        let t = self.tr.browse;
        let new = p.state == CardState::New;
        let mut state = t.states[p.state as usize].to_owned();
        for (held, word) in [(p.suspended, t.held[0]), (buried, t.held[1])] {
            if held {
                state.push_str(", ");
                state.push_str(word);
            }
        }
        let known = !new && p.stability > 0.0;
        [
            plain_text(text[0]),
            text[1].to_owned(),
            text[2].to_owned(),
            text[3].to_owned(),
            state,
            if new {
                String::new()
            } else {
                local_date_text(p.due)
            },
            if new {
                String::new()
            } else {
                self.tr.interval(p.interval_secs)
            },
            if known {
                format!("{:.1}", p.stability)
            } else {
                String::new()
            },
            if known {
                format!("{:.1}", p.difficulty)
            } else {
                String::new()
            },
            p.reps.to_string(),
            p.lapses.to_string(),
            p.last_review.map(local_date_text).unwrap_or_default(),
        ]
    }
}

impl KartuApp {
    /// Opens the browser (its index is built now, off nothing else: at 100,000 cards this
    /// takes tens of milliseconds, once).
    pub(super) fn open_browser(&mut self, now: Timestamp) {
        if matches!(self.screen, Screen::Browse(_)) {
            return;
        }
        let mut browser = BrowserState {
            draft: BrowseDraft::default(),
            index: SearchIndex::build(&self.collection, now),
            results: Vec::new(),
            searched: None,
            error: None,
            stale: false,
        };
        browser.refresh(&self.collection, now);
        self.screen = Screen::Browse(Box::new(browser));
    }
}
