//! Moving notes to another deck (the browser's "Change deck"). Progress is keyed by deck and
//! card, so a move is two journalled steps, undone as one: first each card's state is copied
//! to the target deck, then the notes are taken out of their decks and put in the target.
//! The source decks' progress is left as it was (a card that leaves a deck is retired there,
//! as after any removal), so a crash between the steps loses nothing: at worst the target
//! holds states for cards it does not have yet. Images the notes show are copied into the
//! target's media folder, renamed (and the text with them) where a different file has the
//! name. The review history stays under the deck where each answer was given.

use std::collections::{BTreeMap, BTreeSet};

use super::Collection;
use super::types::{Action, CardStates};
use crate::core::error::Result;
use crate::core::ids::{CardId, DeckId};
use crate::core::model::deck::{Note, NoteId, card_id};
use crate::core::model::edit::Edit;
use crate::core::model::media::{MAX_IMAGE_BYTES, image_refs, is_plain_name};
use crate::core::storage::atomic;

impl Collection {
    /// Moves the notes of `cards` (every card of each note goes along) into deck `to`;
    /// notes already there stay. A note whose id the target deck already uses gets a new one
    /// (`id-2`, …) and its cards' states follow it. Returns what undoes it, or `None` when
    /// every note is already in `to`.
    pub fn move_notes(
        &mut self,
        cards: &[(DeckId, CardId)],
        to: &DeckId,
    ) -> Result<Option<Action>> {
        self.require_writer()?;
        let target = self.deck(to)?;
        let mut taken: BTreeSet<String> = target.deck.notes().map(|n| n.id().to_owned()).collect();
        // Each note once, in the order first selected.
        let mut seen = BTreeSet::new();
        let mut moving: Vec<(DeckId, Note)> = Vec::new();
        for (deck, card) in cards {
            if deck == to {
                continue;
            }
            let note = self.card(deck, card)?.note().to_note();
            if seen.insert((deck.clone(), note.id.clone())) {
                moving.push((deck.clone(), note));
            }
        }
        if moving.is_empty() {
            return Ok(None);
        }
        let mut states: CardStates = Vec::new();
        let mut edits = Vec::new();
        let mut puts = Vec::new();
        for (from, mut note) in moving {
            let old_cards = note.card_ids();
            let old_id = note.id.clone();
            if taken.contains(&note.id.0) {
                let free = (2..u32::MAX)
                    .map(|n| format!("{}-{n}", old_id.0))
                    .find(|id| !taken.contains(id))
                    .unwrap_or_default();
                note.id = NoteId(free);
            }
            taken.insert(note.id.0.clone());
            for (number, old) in note.card_numbers().into_iter().zip(&old_cards) {
                let new = card_id(&note.id.0, note.kind, number);
                states.push((to.clone(), new, self.progress.card(&from, old)));
            }
            self.copy_images(&from, to, &mut note)?;
            edits.push(Edit::RemoveNote {
                deck: from,
                note: old_id,
            });
            puts.push(Edit::PutNote {
                deck: to.clone(),
                note,
                at: None,
            });
        }
        edits.extend(puts);
        let progress = self.set_card_states(states)?;
        match self.edit(edits) {
            Ok(moved) => Ok(Some(Action::Many(vec![progress, moved]))),
            Err(err) => {
                // Nothing moved: the target's states go back to what they were.
                self.undo_action(&progress)?;
                Err(err)
            }
        }
    }

    /// Copies the images `note` shows from deck `from`'s media into deck `to`'s, renaming
    /// the references of any that had to take another name. A missing image stays missing.
    fn copy_images(&mut self, from: &DeckId, to: &DeckId, note: &mut Note) -> Result<()> {
        let media = self.paths.deck_media_dir(from);
        let mut renamed = BTreeMap::new();
        let texts = [&note.front, &note.back, &note.text, &note.extra]
            .into_iter()
            .chain(note.notes.iter())
            .chain(note.example.iter());
        let names: BTreeSet<String> = texts
            .flat_map(|text| image_refs(text))
            .map(|image| image.target.to_owned())
            .filter(|name| is_plain_name(name))
            .collect();
        for name in names {
            let Ok(bytes) = atomic::read_bytes_limited(&media.join(&name), MAX_IMAGE_BYTES as u64)
            else {
                continue;
            };
            let chosen = self.add_media(to, &name, &bytes)?;
            if chosen != name {
                renamed.insert(name, chosen);
            }
        }
        if renamed.is_empty() {
            return Ok(());
        }
        let rename = |text: &mut String| {
            let mut out = String::with_capacity(text.len());
            let mut from = 0;
            for image in image_refs(text) {
                if let Some(new) = renamed.get(image.target) {
                    let whole = &text[image.range.clone()];
                    out.push_str(&text[from..image.range.start]);
                    out.push_str(&whole.replacen(image.target, new, 1));
                    from = image.range.end;
                }
            }
            out.push_str(&text[from..]);
            *text = out;
        };
        for text in [
            &mut note.front,
            &mut note.back,
            &mut note.text,
            &mut note.extra,
        ] {
            rename(text);
        }
        for text in [note.notes.as_mut(), note.example.as_mut()]
            .into_iter()
            .flatten()
        {
            rename(text);
        }
        Ok(())
    }
}
