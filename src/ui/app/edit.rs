//! Writing in the window: the note editor (add, edit, duplicate, delete, insert an image),
//! the deck screen (create, change, move, delete), opened from the deck list, from study
//! (`E`) and from the browser, and back where it was opened from.

use std::collections::BTreeSet;
use std::path::Path;

use super::{JobDone, KartuApp, Screen};
use crate::core::ids::{CardId, DeckId};
use crate::core::model::cloze;
use crate::core::model::deck::{Note, NoteId, NoteKind, NoteView};
use crate::core::model::edit::{DeckHeader, Edit};
use crate::core::model::media::MAX_IMAGE_BYTES;
use crate::core::storage::atomic;
use crate::core::time::Timestamp;
use crate::ui::deck_edit::DeckDraft;
use crate::ui::editor::NoteDraft;
use crate::ui::i18n::fill;

/// The editor screen's state.
pub(crate) struct EditorState {
    /// What is being edited.
    pub(crate) draft: NoteDraft,
    /// Where Close goes back to.
    back: Option<Box<Screen>>,
    /// Tags in use, for completion.
    pub(crate) known_tags: Vec<String>,
    /// The note being edited as saved, and its deck: what the draft changes.
    original: Option<(DeckId, Note)>,
}

impl EditorState {
    /// An editor for a saved note of `deck`, in the browser's pane.
    pub(super) fn beside(deck: DeckId, note: Note, known_tags: Vec<String>) -> Self {
        Self {
            draft: NoteDraft {
                tags: note.tags.join(" "),
                deck: deck.clone(),
                note: note.clone(),
                editing: Some(note.id.clone()),
                confirm_delete: false,
            },
            back: None,
            known_tags,
            original: Some((deck, note)),
        }
    }

    /// Whether the draft differs from the saved note.
    pub(super) fn is_changed(&self) -> bool {
        self.original
            .as_ref()
            .is_some_and(|(deck, note)| *deck != self.draft.deck || *note != self.draft.to_note())
    }
}

/// The deck screen's state.
pub(crate) struct DeckEditState {
    /// What is being edited.
    pub(crate) draft: DeckDraft,
}

/// A readable id from text: lowercase ASCII letters and digits, other runs as `-`.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// `base`, or `base-2`, `base-3`…: the first that `taken` does not hold.
fn unique(base: &str, taken: &dyn Fn(&str) -> bool) -> String {
    let base = if base.is_empty() { "note" } else { base };
    if !taken(base) {
        return base.to_owned();
    }
    // A deck holds fewer notes than this, so one of these is free.
    (2..u32::MAX)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .unwrap_or_default()
}

impl KartuApp {
    /// Every card the draft makes, question and answer as study shows them.
    pub(super) fn preview(&self, draft: &NoteDraft) -> Vec<(String, String)> {
        let note = draft.to_note();
        let media = self
            .collection
            .paths()
            .decks_dir()
            .join(format!("{}.media", draft.deck.0));
        let show = |text: &str| self.with_images(text, Some(&media));
        if note.kind != NoteKind::Cloze
            && note.front.trim().is_empty()
            && note.back.trim().is_empty()
        {
            return Vec::new();
        }
        // The same sides study shows (`NoteView::question`, `answer`).
        let view = NoteView::of(&note);
        note.card_numbers()
            .into_iter()
            .map(|number| (show(&view.question(number)), show(&view.answer(number))))
            .collect()
    }

    /// Decks a note can go in: id and title, in tree order.
    pub(super) fn deck_choices(&self) -> Vec<(DeckId, String)> {
        self.collection
            .deck_tree()
            .into_iter()
            .map(|(id, title, depth)| (id, format!("{}{title}", "  ".repeat(depth))))
            .collect()
    }

    /// The editor showing: the editor screen, or the pane beside the browser's table.
    pub(super) fn editor(&self) -> Option<&EditorState> {
        match &self.screen {
            Screen::Edit(state) => Some(state),
            Screen::Browse(browser) => browser.pane.as_deref(),
            _ => None,
        }
    }

    fn editor_mut(&mut self) -> Option<&mut EditorState> {
        match &mut self.screen {
            Screen::Edit(state) => Some(state),
            Screen::Browse(browser) => browser.pane.as_deref_mut(),
            _ => None,
        }
    }

    /// Opens the editor on a note (`None`: a new one in `deck`), coming back to the screen
    /// showing now when closed.
    pub(super) fn open_editor(&mut self, deck: DeckId, note: Option<Note>) {
        let editing = note.as_ref().map(|n| n.id.clone());
        let original = note.clone().map(|n| (deck.clone(), n));
        let note = note.unwrap_or_default();
        let draft = NoteDraft {
            tags: note.tags.join(" "),
            deck,
            note,
            editing,
            confirm_delete: false,
        };
        let back = std::mem::replace(&mut self.screen, Screen::Decks);
        let back = match back {
            Screen::Edit(state) => state.back,
            other => Some(Box::new(other)),
        };
        self.screen = Screen::Edit(Box::new(EditorState {
            draft,
            back,
            known_tags: self.collection.tags_in_use(),
            original,
        }));
    }

    /// `E` in study, Edit in the browser: the note of the card on screen or selected.
    pub(super) fn edit_current(&mut self) {
        let card = match &self.screen {
            Screen::Study(study) => study
                .session
                .current_card()
                .map(|(d, c)| (d.clone(), c.clone())),
            Screen::Browse(browser) if browser.draft.selected.len() == 1 => {
                browser.selected_ids(&self.collection).into_iter().next()
            }
            _ => None,
        };
        if let Some((deck, card)) = card {
            self.edit_card(deck, &card);
        }
    }

    pub(super) fn edit_card(&mut self, deck: DeckId, card: &CardId) {
        let Ok(found) = self.collection.card(&deck, card) else {
            return;
        };
        let note = found.note().to_note();
        self.open_editor(deck, Some(note));
    }

    /// Leaves the editor, back where it was opened from (study shows the same card).
    pub(super) fn close_editor(&mut self, now: Timestamp) {
        if matches!(self.screen, Screen::Browse(_)) {
            if !self.save_pane_if_changed(now) {
                return;
            }
            if let Screen::Browse(browser) = &mut self.screen {
                // The pane closes with the selection it showed.
                browser.close_pane();
            }
            return;
        }
        let screen = std::mem::replace(&mut self.screen, Screen::Decks);
        if let Screen::Edit(state) = screen {
            self.screen = state.back.map_or(Screen::Decks, |back| *back);
        }
        self.summaries_at = None;
        if let Screen::Browse(browser) = &mut self.screen {
            browser.stale = true;
        }
        let _ = now;
    }

    /// Add (the editor stays, empty, for the next note) or Save (back where it came from).
    pub(super) fn save_note(&mut self, now: Timestamp) {
        let tr = self.texts();
        let Some(state) = self.editor() else {
            return;
        };
        let draft = state.draft.clone();
        let original = state.original.clone();
        let mut note = draft.to_note();
        let deck = draft.deck.clone();
        if draft.editing.is_none() {
            let taken = |id: &str| {
                self.collection
                    .deck(&deck)
                    .is_ok_and(|d| d.deck.notes().any(|n| n.id() == id))
            };
            let source = if note.kind == NoteKind::Cloze {
                cloze::plain(&note.text)
            } else {
                note.front.clone()
            };
            note.id = NoteId(unique(&slug(&source), &taken));
            self.collection.stamp_added(&deck, &mut note, now);
        }
        let cards = note.card_numbers().len();
        let done = match original {
            // Another deck chosen for a saved note: saved where it is, then moved.
            Some((from, saved)) if from != deck && draft.editing.is_some() => {
                self.save_and_move(&from, &saved, &note, &deck)
            }
            _ => self.collection.put_note(&deck, note.clone()),
        };
        let added = draft.editing.is_none();
        let text = if added { tr.edit.added } else { tr.edit.saved };
        match done {
            Ok(action) => {
                self.history.push(action);
                self.redo.clear();
                self.set_info(fill(text, &[("n", &cards.to_string())]));
                if let Screen::Browse(browser) = &mut self.screen
                    && let Some(pane) = &mut browser.pane
                {
                    // The pane stays on the saved note.
                    pane.original = Some((deck, note));
                    browser.stale = true;
                } else if added {
                    // Anki's Add window: empty again, keeping deck, kind and tags.
                    let known_tags = self.collection.tags_in_use();
                    if let Screen::Edit(state) = &mut self.screen {
                        let kind = state.draft.note.kind;
                        state.draft.note = Note {
                            kind,
                            ..Note::default()
                        };
                        state.known_tags = known_tags;
                    }
                } else {
                    self.close_editor(now);
                    self.after_edit(now);
                }
            }
            Err(err) => self.set_error(tr.failed, &err),
        }
    }

    /// After a note changed: study looks again (the card on screen stays if it still exists).
    fn after_edit(&mut self, now: Timestamp) {
        self.summaries_at = None;
        if let Screen::Study(study) = &mut self.screen
            && let Some((deck, card)) = study
                .session
                .current_card()
                .map(|(d, c)| (d.clone(), c.clone()))
            && self.collection.card(&deck, &card).is_err()
            && let Err(err) = study.session.refresh(&self.collection, now)
        {
            self.status = Some(crate::ui::status::Status::error(err.to_string()));
        }
    }

    /// Duplicate: the same fields as a new note.
    pub(super) fn duplicate_note(&mut self) {
        if let Screen::Browse(browser) = &self.screen
            && let Some(pane) = &browser.pane
        {
            // The copy is a new note: written in the editor screen, back to the browser.
            let (deck, note) = (pane.draft.deck.clone(), pane.draft.to_note());
            self.open_editor(deck, Some(note));
        }
        if let Screen::Edit(state) = &mut self.screen {
            state.draft.editing = None;
            state.draft.note.id = NoteId::default();
            state.original = None;
        }
    }

    /// Saves `note` (edited from `saved`) in deck `from`, then moves it to `to`: one action.
    fn save_and_move(
        &mut self,
        from: &DeckId,
        saved: &Note,
        note: &Note,
        to: &DeckId,
    ) -> crate::core::Result<crate::core::collection::Action> {
        use crate::core::collection::Action;
        let mut actions = Vec::new();
        if note != saved {
            actions.push(self.collection.put_note(from, note.clone())?);
        }
        let card = note.card_ids().into_iter().next();
        let moved = match card {
            Some(card) => self.collection.move_notes(&[(from.clone(), card)], to),
            None => Ok(None),
        };
        match moved {
            Ok(moved) => {
                actions.extend(moved);
                Ok(Action::Many(actions))
            }
            Err(err) => {
                // The text is saved; the move is what failed.
                if let Some(put) = actions.pop() {
                    self.history.push(put);
                }
                Err(err)
            }
        }
    }

    /// Deletes the note being edited (asked first by the editor).
    pub(super) fn delete_note(&mut self, now: Timestamp) {
        let tr = self.texts();
        let Some(state) = self.editor() else {
            return;
        };
        let Some(id) = state.draft.editing.clone() else {
            return;
        };
        let deck = state.draft.deck.clone();
        match self.collection.remove_note(&deck, &id) {
            Ok(action) => {
                self.history.push(action);
                self.redo.clear();
                self.set_info(tr.edit.deleted.to_owned());
                self.close_editor(now);
                self.after_edit(now);
            }
            Err(err) => self.set_error(tr.failed, &err),
        }
    }

    /// Asks for an image (on the worker: the dialog blocks).
    pub(super) fn ask_for_image(&mut self, ctx: &egui::Context) {
        let title = self.texts().edit.insert_image;
        self.spawn_dialog(ctx, move |dialogs| {
            JobDone::Image(dialogs.pick_image(title))
        });
    }

    /// Copies the picked image into the deck's media and puts it at the end of the answer.
    pub(super) fn insert_image(&mut self, path: &Path) {
        let tr = self.texts();
        let Some(state) = self.editor() else {
            return;
        };
        let deck = state.draft.deck.clone();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().replace(' ', "-"))
            .unwrap_or_default();
        let added = atomic::read_bytes_limited(path, MAX_IMAGE_BYTES as u64)
            .and_then(|bytes| self.collection.add_media(&deck, &name, &bytes));
        match added {
            Ok(name) => {
                if let Some(state) = self.editor_mut() {
                    let note = &mut state.draft.note;
                    let field = if note.kind == NoteKind::Cloze {
                        &mut note.extra
                    } else {
                        &mut note.back
                    };
                    if !field.is_empty() {
                        field.push_str("\n\n");
                    }
                    field.push_str("![](");
                    field.push_str(&name);
                    field.push(')');
                }
                self.set_info(fill(tr.edit.image_added, &[("name", &name)]));
            }
            Err(err) => self.set_error(tr.failed, &err),
        }
    }

    /// The deck screen for a new deck (under `parent`) or an existing one.
    pub(super) fn open_deck_screen(&mut self, deck: Option<DeckId>, parent: Option<DeckId>) {
        let draft = match deck.and_then(|id| self.collection.deck(&id).ok()) {
            Some(installed) => DeckDraft {
                header: DeckHeader::of_packed(&installed.deck),
                is_new: false,
                confirm_delete: false,
            },
            None => DeckDraft {
                header: DeckHeader {
                    id: DeckId(String::new()),
                    title: String::new(),
                    description: String::new(),
                    language: self.lang.code().to_owned(),
                    version: 1,
                    parent,
                },
                is_new: true,
                confirm_delete: false,
            },
        };
        self.screen = Screen::DeckEdit(Box::new(DeckEditState { draft }));
    }

    /// Decks `deck` can sit under: not itself or its sub-decks.
    pub(super) fn parent_choices(&self, deck: &DeckId) -> Vec<(DeckId, String)> {
        let family: BTreeSet<DeckId> = self
            .collection
            .family(deck)
            .map(|decks| decks.iter().map(|d| d.deck.id.clone()).collect())
            .unwrap_or_default();
        self.deck_choices()
            .into_iter()
            .filter(|(id, _)| id != deck && !family.contains(id))
            .collect()
    }

    /// Saves the deck screen: a new deck (its id made from its title) or the changes.
    pub(super) fn save_deck(&mut self) {
        let tr = self.texts();
        let Screen::DeckEdit(state) = &self.screen else {
            return;
        };
        let mut header = state.draft.header.clone();
        let title = header.title.trim().to_owned();
        header.title = title;
        if state.draft.is_new {
            let base = match &header.parent {
                Some(parent) => format!("{}.{}", parent.0, slug(&header.title)),
                None => slug(&header.title),
            };
            let base = if base.is_empty() || base.ends_with('.') {
                format!("{base}deck")
            } else {
                base
            };
            header.id = DeckId(unique(&base, &|id| {
                self.collection.deck(&DeckId(id.to_owned())).is_ok()
            }));
        }
        let title = header.title.clone();
        match self.collection.edit(vec![Edit::PutDeck(header)]) {
            Ok(action) => {
                self.history.push(action);
                self.redo.clear();
                self.set_info(fill(tr.edit.deck_saved, &[("title", &title)]));
                self.screen = Screen::Decks;
                self.summaries_at = None;
            }
            Err(err) => self.set_error(tr.failed, &err),
        }
    }

    /// Deletes the deck on the deck screen (asked first by it).
    pub(super) fn delete_deck(&mut self) {
        let tr = self.texts();
        let Screen::DeckEdit(state) = &self.screen else {
            return;
        };
        let id = state.draft.header.id.clone();
        let title = state.draft.header.title.clone();
        match self.collection.edit(vec![Edit::RemoveDeck(id)]) {
            Ok(action) => {
                self.history.push(action);
                self.redo.clear();
                self.set_info(fill(tr.edit.deck_deleted, &[("title", &title)]));
                self.screen = Screen::Decks;
                self.summaries_at = None;
            }
            Err(err) => self.set_error(tr.failed, &err),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_are_readable_and_unique() {
        assert_eq!(slug("What is a *backend*?"), "what-is-a-backend");
        assert_eq!(slug("Apa itu API?"), "apa-itu-api");
        let taken = |id: &str| id == "rumah" || id == "rumah-2";
        assert_eq!(unique("rumah", &taken), "rumah-3");
        assert_eq!(unique("", &|_| false), "note");
    }
}
