//! The browser's state in the app: the search index (built when the browser opens and after
//! cards change), the current result, and actions on the selection.

use std::collections::BTreeSet;

use super::edit::EditorState;
use super::{JobDone, KartuApp, Screen, local_date_text};
use crate::core::collection::Collection;
use crate::core::ids::{CardId, DeckId};
use crate::core::model::card::CardState;
use crate::core::model::deck::NoteId;
use crate::core::model::edit::Edit;
use crate::core::search::{IndexSource, SearchIndex, SortColumn, context, plain_text};
use crate::core::time::Timestamp;
use crate::ui::browse::{BrowseDraft, BrowseRows};
use crate::ui::i18n::{Texts, fill};
use crate::ui::worker::JobKind;

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
    /// Cards changed: build the index again (on the worker).
    pub(crate) stale: bool,
    /// The index is being built on the worker: the rows on screen are the last index's, and
    /// the selection acts on nothing until it is back.
    pub(crate) building: bool,
    /// A new index arrived: search again, keeping the pane's card selected.
    fresh: bool,
    /// Cards whose progress alone changed: the index takes their new progress (cheaper than
    /// building it again).
    pub(crate) progress_changed: Vec<(DeckId, CardId)>,
    /// The editor beside the table, on the note of the one selected card.
    pub(crate) pane: Option<Box<EditorState>>,
    /// The card the pane was opened for.
    pane_card: Option<(DeckId, CardId)>,
}

impl BrowserState {
    /// Cards in the collection.
    pub(crate) fn total(&self) -> usize {
        self.index.len()
    }

    /// After the rows changed places (a saved note sorts elsewhere): the pane's card is the
    /// selection again, wherever it is now.
    fn reselect_pane_card(&mut self, collection: &Collection) {
        let Some(card) = &self.pane_card else {
            return;
        };
        let position = self
            .results
            .iter()
            .position(|&row| self.index.ids(row, collection).as_ref() == Some(card));
        self.draft.selected = position.into_iter().collect();
        self.draft.anchor = position;
    }

    /// Closes the editor pane, and the selection it showed.
    pub(crate) fn close_pane(&mut self) {
        self.pane = None;
        self.pane_card = None;
        self.draft.selected.clear();
        self.draft.anchor = None;
        self.stale = true;
    }

    /// Searches again if the query, sort or cards changed since the last search. When the
    /// index must be built again, returns what to build it from (the caller builds it on the
    /// worker and hands it to [`BrowserState::install_index`]).
    pub(crate) fn refresh(
        &mut self,
        collection: &Collection,
        now: Timestamp,
    ) -> Option<IndexSource> {
        if self.building {
            return None;
        }
        let changed = std::mem::take(&mut self.progress_changed);
        if !self.stale
            && !changed.is_empty()
            && !self.index.refresh_cards(collection, &changed, now)
        {
            self.stale = true;
        }
        if self.stale {
            self.stale = false;
            self.building = true;
            return Some(IndexSource::new(collection, now));
        }
        let rebuilt = std::mem::take(&mut self.fresh);
        let keep_selection = rebuilt || !changed.is_empty();
        if !changed.is_empty() {
            self.searched = None;
        }
        let wanted = (
            self.draft.query.clone(),
            self.draft.sort,
            self.draft.reverse,
        );
        if self.searched.as_ref() == Some(&wanted) {
            return None;
        }
        let query = &self.draft.query;
        if SearchIndex::query_needs_reviews(query).unwrap_or(false)
            && let Err(err) = self.index.load_reviews(collection)
        {
            self.error = Some((err.to_string(), 0));
            return None;
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
                if !(keep_selection || same_query) || found.len() != self.results.len() {
                    self.draft.selected.clear();
                    self.draft.anchor = None;
                }
                self.results = found;
                self.error = None;
                if rebuilt {
                    self.reselect_pane_card(collection);
                }
            }
            // The last good result stays on screen under the error.
            Err(err) => self.error = Some((err.message, err.position)),
        }
        self.searched = Some(wanted);
        None
    }

    /// The index built on the worker: searched at the next frame.
    pub(crate) fn install_index(&mut self, index: SearchIndex) {
        self.index = index;
        self.building = false;
        self.fresh = true;
        self.searched = None;
    }

    /// The selected cards' ids.
    pub(crate) fn selected_ids(&self, collection: &Collection) -> Vec<(DeckId, CardId)> {
        if self.building {
            // The rows on screen may no longer be where the cards are.
            return Vec::new();
        }
        self.draft
            .selected
            .iter()
            .filter_map(|&position| self.results.get(position))
            .filter_map(|&row| self.index.ids(row, collection))
            .collect()
    }

    /// The notes of the selected cards, each once, with their decks.
    pub(crate) fn selected_notes(&self, collection: &Collection) -> BTreeSet<(DeckId, NoteId)> {
        self.selected_ids(collection)
            .into_iter()
            .filter_map(|(deck, card)| {
                let note = NoteId(collection.card(&deck, &card).ok()?.note().id().to_owned());
                Some((deck, note))
            })
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

    fn cells(&self, position: usize) -> [String; 13] {
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
            index
                .added_ms(row)
                .map(|ms| local_date_text(Timestamp(ms.div_euclid(1000))))
                .unwrap_or_default(),
            p.last_review.map(local_date_text).unwrap_or_default(),
        ]
    }
}

impl KartuApp {
    /// Opens the browser; its index is built on the worker (tens of milliseconds at 100,000
    /// cards) while the screen shows that it is loading.
    pub(super) fn open_browser(&mut self) {
        if matches!(self.screen, Screen::Browse(_)) {
            return;
        }
        let browser = BrowserState {
            draft: BrowseDraft::default(),
            index: SearchIndex::default(),
            results: Vec::new(),
            searched: None,
            error: None,
            stale: true,
            building: false,
            fresh: false,
            pane: None,
            pane_card: None,
            progress_changed: Vec::new(),
        };
        self.screen = Screen::Browse(Box::new(browser));
    }

    /// Looks again at the browser's search, building its index on the worker when needed.
    pub(super) fn refresh_browser(&mut self, ctx: &egui::Context, now: Timestamp) {
        let Screen::Browse(browser) = &mut self.screen else {
            return;
        };
        if let Some(source) = browser.refresh(&self.collection, now) {
            let label = self.texts().browse.loading.to_owned();
            self.worker
                .spawn(ctx, JobKind::Index, label, false, move |_| {
                    JobDone::Index(Box::new(SearchIndex::build_from(&source)))
                });
        }
    }

    /// Saves what the learner changed in the editor pane (before the pane goes: Anki's
    /// browser saves its editor whenever it leaves a note). `false` when it could not be
    /// saved (the status bar says why): then the pane stays, with the learner's text.
    pub(super) fn save_pane_if_changed(&mut self, now: Timestamp) -> bool {
        let changed = |app: &Self| {
            matches!(&app.screen, Screen::Browse(browser)
                if browser.pane.as_ref().is_some_and(|pane| pane.is_changed()))
        };
        if changed(self) {
            self.save_note(now);
        }
        !changed(self)
    }

    /// Keeps the editor pane on the one selected card's note: a changed note is saved before
    /// the pane shows another (Anki's habit), and the pane closes when not one card is
    /// selected.
    pub(super) fn sync_browser_pane(&mut self, now: Timestamp) {
        let Screen::Browse(browser) = &self.screen else {
            return;
        };
        if browser.building {
            return;
        }
        let wanted = if browser.draft.selected.len() == 1 {
            browser.selected_ids(&self.collection).into_iter().next()
        } else {
            None
        };
        if wanted == browser.pane_card {
            return;
        }
        if browser.pane.as_ref().is_some_and(|pane| pane.is_changed()) {
            self.save_note(now);
            if let Screen::Browse(browser) = &self.screen
                && browser.pane.as_ref().is_some_and(|pane| pane.is_changed())
            {
                // Not saved (the status bar says why): the pane keeps the learner's text.
                return;
            }
        }
        let pane = wanted.as_ref().and_then(|(deck, card)| {
            let note = self.collection.card(deck, card).ok()?.note().to_note();
            Some(Box::new(EditorState::beside(
                deck.clone(),
                note,
                self.collection.tags_in_use(),
            )))
        });
        if let Screen::Browse(browser) = &mut self.screen {
            browser.pane = pane;
            browser.pane_card = wanted;
        }
    }
}

impl KartuApp {
    /// Adds or removes tags on the notes of the cards selected in the browser (one edit,
    /// undone at once).
    pub(super) fn tag_selected(&mut self, add: bool, tags: &str) {
        let tr = self.texts();
        let Screen::Browse(browser) = &self.screen else {
            return;
        };
        let wanted: Vec<&str> = tags.split_whitespace().collect();
        let mut seen = BTreeSet::new();
        let mut list = Vec::new();
        for (deck, card) in browser.selected_ids(&self.collection) {
            let Ok(found) = self.collection.card(&deck, &card) else {
                continue;
            };
            let mut note = found.note().to_note();
            if !seen.insert((deck.clone(), note.id.clone())) {
                continue;
            }
            let before = note.tags.clone();
            if add {
                for tag in &wanted {
                    if !note.tags.iter().any(|t| t == tag) {
                        note.tags.push((*tag).to_owned());
                    }
                }
            } else {
                note.tags.retain(|t| !wanted.contains(&t.as_str()));
            }
            if note.tags != before {
                list.push(Edit::PutNote {
                    deck,
                    note,
                    at: None,
                });
            }
        }
        if list.is_empty() {
            return;
        }
        let n = list.len().to_string();
        match self.collection.edit(list) {
            Ok(action) => {
                self.history.push(action);
                self.redo.clear();
                self.set_info(fill(tr.browse.tagged, &[("n", &n)]));
            }
            Err(err) => self.set_error(tr.failed, &err),
        }
    }

    /// Deletes the selected cards' notes (asked first), in one undoable edit; their cards'
    /// progress is kept and comes back with them.
    pub(super) fn delete_selected(&mut self, now: Timestamp) {
        if !self.save_pane_if_changed(now) {
            return;
        }
        let tr = self.texts();
        let Screen::Browse(browser) = &mut self.screen else {
            return;
        };
        let notes: Vec<_> = browser
            .selected_notes(&self.collection)
            .into_iter()
            .collect();
        browser.close_pane();
        if notes.is_empty() {
            return;
        }
        match self.collection.remove_notes(&notes) {
            Ok(action) => {
                self.history.push(action);
                self.redo.clear();
                self.set_info(fill(tr.browse.deleted, &[("n", &notes.len().to_string())]));
            }
            Err(err) => self.set_error(tr.failed, &err),
        }
    }

    /// Moves the selected cards' notes to `to`, their progress and images with them.
    pub(super) fn move_selected(&mut self, to: &DeckId, now: Timestamp) {
        if !self.save_pane_if_changed(now) {
            return;
        }
        let tr = self.texts();
        let Screen::Browse(browser) = &mut self.screen else {
            return;
        };
        let cards = browser.selected_ids(&self.collection);
        let mut notes = browser.selected_notes(&self.collection);
        notes.retain(|(deck, _)| deck != to);
        // The selection's rows change places: it is cleared with the new result.
        browser.close_pane();
        match self.collection.move_notes(&cards, to) {
            Ok(Some(action)) => {
                self.history.push(action);
                self.redo.clear();
                let title = self
                    .collection
                    .deck(to)
                    .map_or(to.0.clone(), |d| d.deck.title.clone());
                let n = notes.len().to_string();
                self.set_info(fill(tr.browse.moved, &[("n", &n), ("deck", &title)]));
            }
            Ok(None) => {}
            Err(err) => self.set_error(tr.failed, &err),
        }
    }
}
