//! Editing decks: every change is appended to the edits journal and flushed before it counts
//! as saved (one short line whatever the deck's size), applied to the deck in memory, and
//! folded into the deck files later ([`Collection::edit_fold_job`]); at start the journal is
//! replayed over the deck files. An edit to a bundled deck makes it the learner's own copy
//! in `decks/`, one version up, so it wins over the bundled one; progress is kept, being
//! keyed by card id.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::Collection;
use super::installed::DeckSource;
use super::types::Action;
use crate::core::error::{Error, Result};
use crate::core::ids::DeckId;
use crate::core::model::deck::{Deck, Note, NoteId};
use crate::core::model::edit::{DeckHeader, Edit};
use crate::core::model::packed::PackedDeck;
use crate::core::storage::edits::{self, EditFoldJob, EditsJournal, ReadEdits};
use crate::core::time::Timestamp;

/// The edits journal's state in a collection.
#[derive(Debug, Default)]
pub(crate) struct EditsState {
    /// Open for appending (a writer, after its first edit).
    journal: Option<EditsJournal>,
    /// What reading the journal at start found.
    read: ReadEdits,
    /// Decks with edits not yet in their files.
    edited: BTreeSet<DeckId>,
    /// Decks removed, whose files are not moved aside yet.
    removed: BTreeSet<DeckId>,
    /// Why the journal cannot be used (it does not read): no edits until it is fixed.
    unreadable: Option<String>,
}

/// Whether `id` is the id of a deck built into Kartu (it would come back at the next start).
fn is_bundled(id: &DeckId) -> bool {
    crate::core::bundled::BUNDLED_DECKS
        .iter()
        .any(|(name, text)| {
            crate::core::storage::format::deck_file::parse_packed_deck(
                text,
                std::path::Path::new(name),
            )
            .is_ok_and(|deck| &deck.id == id)
        })
}

impl Collection {
    /// Replays the edits journal over the decks just loaded.
    pub(super) fn load_edits(&mut self) {
        match edits::read(&self.paths) {
            Ok(read) => {
                let list: Vec<Edit> = read.records.iter().map(|r| r.edit.clone()).collect();
                if read.dropped_torn_line {
                    self.problems.push(format!(
                        "{}: the last line was cut short (Kartu was stopped while saving an edit); that unconfirmed edit was dropped",
                        self.paths.edits_file().display()
                    ));
                }
                if let Err(err) = self.apply_edits(&list) {
                    self.problems.push(format!(
                        "{}: {err}; the edits are left out",
                        self.paths.edits_file().display()
                    ));
                }
                self.edits.read = read;
            }
            Err(err) => {
                let message = format!(
                    "{err}. Deck edits cannot be saved until the file is fixed or moved away; it is left as it is."
                );
                self.problems.push(message.clone());
                self.edits.unreadable = Some(message);
            }
        }
    }

    /// The common edit, in place: a note's text, kind-for-kind, or a deck's header. No card
    /// appears or goes, so nothing is packed or queued again. `false` when it does not apply
    /// (nothing changed).
    fn apply_in_place(&mut self, list: &[Edit]) -> bool {
        let fits = self.fits_in_place(list);
        if !fits {
            return false;
        }
        for edit in list {
            let id = edit.deck().clone();
            let path = self.paths.deck_file(&id);
            let Some(installed) = self.decks.iter_mut().find(|d| d.deck.id == id) else {
                continue;
            };
            match edit {
                Edit::PutDeck(header) => {
                    let deck = std::sync::Arc::make_mut(&mut installed.deck);
                    deck.title.clone_from(&header.title);
                    deck.description.clone_from(&header.description);
                    deck.language.clone_from(&header.language);
                    deck.version = header.version;
                    deck.parent.clone_from(&header.parent);
                }
                Edit::PutNote { note, .. } => {
                    if let Some(at) = installed.deck.note_position(&note.id.0) {
                        std::sync::Arc::make_mut(&mut installed.deck).replace_note(at, note);
                    }
                }
                Edit::RemoveNote { .. } | Edit::RemoveDeck(_) => {}
            }
            installed.source = DeckSource::File(path);
            self.edits.edited.insert(id);
        }
        // A new title or parent moves the deck in the list.
        super::installed::sort_decks(&mut self.decks);
        true
    }

    /// Whether `list` changes only notes' text kind-for-kind and decks' headers.
    fn fits_in_place(&self, list: &[Edit]) -> bool {
        list.iter().all(|edit| match edit {
            Edit::PutDeck(header) => self.deck(&header.id).is_ok(),
            Edit::PutNote { deck, note, .. } => self.deck(deck).is_ok_and(|d| {
                d.deck.note_position(&note.id.0).is_some_and(|at| {
                    d.deck.notes().nth(at).is_some_and(|old| {
                        old.kind() == note.kind
                            && old.to_note().card_numbers() == note.card_numbers()
                    })
                })
            }),
            Edit::RemoveNote { .. } | Edit::RemoveDeck(_) => false,
        })
    }

    /// For edits that fit in place: each note and header checked on its own, and what takes
    /// them back, without a copy of any deck.
    fn check_in_place(&self, list: &[Edit]) -> Result<Vec<Edit>> {
        let mut before = Vec::with_capacity(list.len());
        for edit in list {
            let id = edit.deck();
            let installed = self.deck(id)?;
            let invalid = |problem: crate::core::model::deck::DeckProblem| {
                Error::Invalid(format!("deck {:?}: {}", id.0, problem.message))
            };
            match edit {
                Edit::PutDeck(header) => {
                    crate::core::model::deck::check_header(
                        crate::core::model::deck::DECK_FORMAT_VERSION,
                        &header.id.0,
                        &header.title,
                        &header.language,
                        header.parent.as_ref().map(|p| p.0.as_str()),
                    )
                    .map_err(invalid)?;
                    before.push(Edit::PutDeck(DeckHeader::of_packed(&installed.deck)));
                }
                Edit::PutNote { note, .. } => {
                    crate::core::model::deck::check_notes(std::iter::once(
                        crate::core::model::deck::NoteView::of(note),
                    ))
                    .map_err(invalid)?;
                    let at = installed.deck.note_position(&note.id.0);
                    if let Some(old) = at.and_then(|at| installed.deck.notes().nth(at)) {
                        before.push(Edit::PutNote {
                            deck: id.clone(),
                            note: old.to_note(),
                            at,
                        });
                    }
                }
                Edit::RemoveNote { .. } | Edit::RemoveDeck(_) => {}
            }
        }
        before.reverse();
        Ok(before)
    }

    /// Applies edits to the decks in memory (all or nothing): every deck they touch is
    /// checked before anything changes.
    fn apply_edits(&mut self, list: &[Edit]) -> Result<()> {
        let mut touched: BTreeMap<DeckId, Option<Deck>> = BTreeMap::new();
        for edit in list {
            let id = edit.deck().clone();
            let slot = match touched.entry(id.clone()) {
                std::collections::btree_map::Entry::Occupied(slot) => slot.into_mut(),
                std::collections::btree_map::Entry::Vacant(slot) => {
                    slot.insert(self.whole_deck(&id)?)
                }
            };
            match edit {
                Edit::RemoveDeck(_) => *slot = None,
                Edit::PutDeck(header) if slot.is_none() => *slot = Some(header.to_deck()),
                _ => match slot {
                    Some(deck) => edit.apply(deck),
                    None => return Err(Error::UnknownDeck(id.0)),
                },
            }
        }
        for deck in touched.values().flatten() {
            deck.check().map_err(|problem| {
                Error::Invalid(format!("deck {:?}: {}", deck.id.0, problem.message))
            })?;
        }
        for (id, deck) in touched {
            self.edits.edited.insert(id.clone());
            if let Some(deck) = deck {
                self.edits.removed.remove(&id);
                let path = self.paths.deck_file(&id);
                self.install_deck(PackedDeck::from_deck(&deck), DeckSource::File(path));
            } else {
                self.edits.removed.insert(id.clone());
                self.decks.retain(|d| d.deck.id != id);
            }
        }
        Ok(())
    }

    /// What takes `list` back, given the decks as they are now (before it).
    fn inverse(&self, list: &[Edit]) -> Vec<Edit> {
        let mut inverse = Vec::new();
        // Later edits in `list` see the state after the earlier ones: track it.
        let mut decks: BTreeMap<DeckId, Option<Deck>> = BTreeMap::new();
        for edit in list {
            let id = edit.deck().clone();
            let deck = decks
                .entry(id.clone())
                // `check_whole` read these decks' text just before, so it is all held now.
                .or_insert_with(|| self.whole_deck(&id).ok().flatten());
            match edit {
                // A note edit to a deck that does not exist is refused before this.
                Edit::PutNote { .. } | Edit::RemoveNote { .. } if deck.is_none() => {}
                Edit::PutNote { note, .. } => {
                    let before = deck.as_ref().and_then(|d| {
                        d.notes
                            .iter()
                            .position(|n| n.id == note.id)
                            .map(|i| (i, d.notes[i].clone()))
                    });
                    inverse.push(match before {
                        Some((at, old)) => Edit::PutNote {
                            deck: id.clone(),
                            note: old,
                            at: Some(at),
                        },
                        None => Edit::RemoveNote {
                            deck: id.clone(),
                            note: note.id.clone(),
                        },
                    });
                }
                Edit::RemoveNote { note, .. } => {
                    if let Some((at, old)) = deck.as_ref().and_then(|d| {
                        d.notes
                            .iter()
                            .position(|n| &n.id == note)
                            .map(|i| (i, d.notes[i].clone()))
                    }) {
                        inverse.push(Edit::PutNote {
                            deck: id.clone(),
                            note: old,
                            at: Some(at),
                        });
                    }
                }
                Edit::PutDeck(_) => inverse.push(match deck {
                    Some(d) => Edit::PutDeck(DeckHeader::of(d)),
                    None => Edit::RemoveDeck(id.clone()),
                }),
                Edit::RemoveDeck(_) => {
                    if let Some(d) = deck {
                        // Put back in reverse: the header, then the notes in order.
                        let mut back: Vec<Edit> = d
                            .notes
                            .iter()
                            .rev()
                            .map(|note| Edit::PutNote {
                                deck: id.clone(),
                                note: note.clone(),
                                at: None,
                            })
                            .collect();
                        back.push(Edit::PutDeck(DeckHeader::of(d)));
                        inverse.extend(back);
                    }
                }
            }
            match edit {
                Edit::RemoveDeck(_) => *deck = None,
                Edit::PutDeck(header) if deck.is_none() => *deck = Some(header.to_deck()),
                _ => {
                    if let Some(d) = deck {
                        edit.apply(d);
                    }
                }
            }
        }
        inverse.reverse();
        inverse
    }

    /// Saves `list` (journalled, on disk when this returns) and applies it; returns what
    /// takes it back. An edit to a bundled deck first makes it the learner's copy, one
    /// version up. Nothing is saved when a deck it leaves would not be valid.
    pub fn edit(&mut self, list: Vec<Edit>) -> Result<Action> {
        self.require_writer()?;
        let mut all = Vec::with_capacity(list.len() + 1);
        let mut bumped = BTreeSet::new();
        for edit in &list {
            let id = edit.deck();
            if let Edit::RemoveDeck(_) = edit
                && is_bundled(id)
            {
                return Err(Error::Invalid(format!(
                    "{:?} is a bundled deck: it cannot be deleted (its cards can be suspended)",
                    self.deck(id)
                        .map_or(id.0.as_str(), |d| d.deck.title.as_str())
                )));
            }
            if let Ok(installed) = self.deck(id)
                && matches!(installed.source, DeckSource::Bundled)
                && !self.edits.edited.contains(id)
                && bumped.insert(id.clone())
            {
                let mut header = DeckHeader::of_packed(&installed.deck);
                header.version = header.version.saturating_add(1);
                all.push(Edit::PutDeck(header));
            }
        }
        all.extend(list);
        self.save_edits(&all)
    }

    /// Journals and applies `list` as it is; returns what takes it back.
    fn save_edits(&mut self, list: &[Edit]) -> Result<Action> {
        self.require_writer()?;
        if let Some(reason) = &self.edits.unreadable {
            return Err(Error::ReadOnly(reason.clone()));
        }
        // Checked in memory first: a deck left invalid is refused before anything is saved.
        let in_place = self.fits_in_place(list);
        let before = if in_place {
            self.check_in_place(list)?
        } else {
            self.check_whole(list)?;
            self.inverse(list)
        };
        if self.edits.journal.is_none() {
            self.paths.create_dirs()?;
            self.edits.journal = Some(EditsJournal::open(&self.paths, &self.edits.read)?);
        }
        let journal = self
            .edits
            .journal
            .as_mut()
            .ok_or_else(|| Error::ReadOnly("the edits journal is not open".to_owned()))?;
        journal.append_all(list)?;
        if !(in_place && self.apply_in_place(list)) {
            self.apply_edits(list)?;
        }
        Ok(Action::Edit {
            before,
            after: list.to_vec(),
        })
    }

    /// Installed deck `id` whole (`None`: not installed).
    ///
    /// # Errors
    /// When its text can no longer be read back from its file.
    fn whole_deck(&self, id: &DeckId) -> Result<Option<Deck>> {
        self.deck(id)
            .ok()
            .map(|installed| installed.deck.to_deck())
            .transpose()
    }

    /// Checks the decks `list` leaves, each whole.
    fn check_whole(&self, list: &[Edit]) -> Result<()> {
        let mut trial: BTreeMap<DeckId, Option<Deck>> = BTreeMap::new();
        for edit in list {
            let id = edit.deck().clone();
            let deck = match trial.entry(id.clone()) {
                std::collections::btree_map::Entry::Occupied(slot) => slot.into_mut(),
                std::collections::btree_map::Entry::Vacant(slot) => {
                    slot.insert(self.whole_deck(&id)?)
                }
            };
            match edit {
                Edit::RemoveDeck(_) => *deck = None,
                Edit::PutDeck(header) if deck.is_none() => *deck = Some(header.to_deck()),
                _ => match deck {
                    Some(d) => edit.apply(d),
                    None => return Err(Error::UnknownDeck(id.0)),
                },
            }
        }
        for deck in trial.values().flatten() {
            deck.check().map_err(|problem| {
                Error::Invalid(format!("deck {:?}: {}", deck.id.0, problem.message))
            })?;
        }
        Ok(())
    }

    /// Takes back or does again a list of edits (from an [`Action::Edit`]).
    pub(super) fn replay_edits(&mut self, list: &[Edit]) -> Result<()> {
        self.save_edits(list).map(|_| ())
    }

    /// Sets `note.added`: the time of the note with its id in `deck` if there is one (kept,
    /// even unknown), else `now` (the note is new to the collection).
    pub fn stamp_added(&self, deck: &DeckId, note: &mut Note, now: Timestamp) {
        let existing = self.deck(deck).ok().and_then(|installed| {
            let position = installed.deck.note_position(&note.id.0)?;
            Some(installed.deck.notes().nth(position)?.added())
        });
        note.added = existing.unwrap_or_else(|| jiff::Timestamp::from_second(now.0).ok());
    }

    /// Puts a note in a deck (added, or replacing the note with its id).
    pub fn put_note(&mut self, deck: &DeckId, note: Note) -> Result<Action> {
        self.edit(vec![Edit::PutNote {
            deck: deck.clone(),
            note,
            at: None,
        }])
    }

    /// Removes a note; its cards' progress is kept (they come back with it).
    pub fn remove_note(&mut self, deck: &DeckId, note: &NoteId) -> Result<Action> {
        self.remove_notes(&[(deck.clone(), note.clone())])
    }

    /// Removes notes, as one action (one undo brings them all back); their cards' progress
    /// is kept.
    pub fn remove_notes(&mut self, notes: &[(DeckId, NoteId)]) -> Result<Action> {
        self.edit(
            notes
                .iter()
                .map(|(deck, note)| Edit::RemoveNote {
                    deck: deck.clone(),
                    note: note.clone(),
                })
                .collect(),
        )
    }

    /// Every tag the installed decks' notes use (and have used since they were read), once
    /// each, in order: what the editor completes from.
    #[must_use]
    pub fn tags_in_use(&self) -> Vec<String> {
        let tags: BTreeSet<&str> = self.decks.iter().flat_map(|d| d.deck.tag_names()).collect();
        tags.into_iter().map(str::to_owned).collect()
    }

    /// Copies an image into `deck`'s media folder (`decks/ID.media/`), checked for size in
    /// bytes and pixels first; returns the name notes use (`name`, or `name-2.png` when a
    /// different file has that name already). Written atomically before this returns.
    pub fn add_media(&mut self, deck: &DeckId, name: &str, bytes: &[u8]) -> Result<String> {
        self.require_writer()?;
        self.deck(deck)?;
        let problem = |message: String| Error::Invalid(format!("{name}: {message}"));
        if !crate::core::model::media::is_plain_name(name) {
            return Err(problem("not a plain file name".to_owned()));
        }
        crate::core::model::media::check_image(bytes).map_err(problem)?;
        let dir = self.paths.deck_media_dir(deck);
        std::fs::create_dir_all(&dir).map_err(|err| Error::io(&dir, err))?;
        let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
        let mut chosen = name.to_owned();
        for n in 2.. {
            let path = dir.join(&chosen);
            match std::fs::read(&path) {
                Ok(existing) if existing == bytes => return Ok(chosen),
                Ok(_) => chosen = format!("{stem}-{n}.{ext}"),
                Err(_) => break,
            }
        }
        crate::core::storage::atomic::atomic_write(&dir.join(&chosen), bytes)?;
        Ok(chosen)
    }

    /// Whether any deck has edits not yet written into its file.
    #[must_use]
    pub fn has_unfolded_edits(&self) -> bool {
        !self.edits.edited.is_empty()
    }

    /// Writing the edited decks into their files, to run anywhere (then
    /// [`Collection::finish_edit_fold`]); `None` when there is nothing to write.
    #[must_use]
    pub fn edit_fold_job(&self, now: Timestamp) -> Option<EditFoldJob> {
        let journal = self.edits.journal.as_ref();
        let through = match journal {
            Some(journal) => journal.next_seq().saturating_sub(1),
            None => self.edits.read.records.last()?.seq,
        };
        if self.edits.edited.is_empty() || !self.is_writer() {
            return None;
        }
        let decks = self
            .edits
            .edited
            .iter()
            .filter(|id| !self.edits.removed.contains(*id))
            .filter_map(|id| self.deck(id).ok())
            .map(|installed| {
                let path = self.paths.deck_file(&installed.deck.id);
                (Arc::clone(&installed.deck), path)
            })
            .collect();
        let removed = self
            .edits
            .removed
            .iter()
            .map(|id| self.paths.deck_file(id))
            .collect();
        Some(EditFoldJob {
            decks,
            removed,
            through,
            suffix: format!("removed-{}", now.compact_id()),
        })
    }

    /// Writes the edited decks into their files now (before an import replaces a deck, and at
    /// exit).
    pub fn fold_edits(&mut self, now: Timestamp) -> Result<()> {
        match self.edit_fold_job(now) {
            Some(job) => {
                let through = job.run()?;
                self.finish_edit_fold(through)
            }
            None => Ok(()),
        }
    }

    /// After an [`EditFoldJob`] wrote the decks up to edit `through`: trims the journal.
    pub fn finish_edit_fold(&mut self, through: u64) -> Result<()> {
        if self.edits.journal.is_none() {
            self.edits.journal = Some(EditsJournal::open(&self.paths, &self.edits.read)?);
        }
        if let Some(journal) = self.edits.journal.as_mut() {
            journal.trim_through(through)?;
            // Edits after `through` (made while the job ran) still wait for the next fold.
            if journal.next_seq().saturating_sub(1) <= through {
                self.edits.edited.clear();
                self.edits.removed.clear();
            }
        }
        Ok(())
    }
}
