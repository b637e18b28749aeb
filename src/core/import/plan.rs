//! What an import would change, before anything changes: per deck, the notes added, changed
//! (old and new side by side) and removed. A deck whose id is already installed is an
//! update: progress stays with every card whose id survives; removed cards are retired with
//! their history kept, and come back with it if they return.

use serde::Serialize;

use std::collections::BTreeMap;
use std::sync::Arc;

use super::Incoming;
use crate::core::collection::{Collection, Installed};
use crate::core::error::Result;
use crate::core::ids::DeckId;
use crate::core::model::deck::{Note, NoteKind};
use crate::core::model::packed::{NoteRef, PackedDeck};
use crate::core::time::Timestamp;

/// The installed decks an import is planned against: a collection's, taken as shared copies
/// (each deck an `Arc`, so taking them costs nothing), so the window's worker can make the
/// plan while the window goes on with the collection.
#[derive(Clone, Debug, Default)]
pub struct InstalledDecks(BTreeMap<DeckId, Arc<PackedDeck>>);

impl InstalledDecks {
    /// The decks `collection` has installed.
    #[must_use]
    pub fn of(collection: &Collection) -> Self {
        Self(
            collection
                .decks()
                .iter()
                .map(|installed| (installed.deck.id.clone(), Arc::clone(&installed.deck)))
                .collect(),
        )
    }

    fn get(&self, id: &DeckId) -> Option<&PackedDeck> {
        self.0.get(id).map(|deck| &**deck)
    }

    /// Whether both are the same decks, unchanged since either was taken.
    #[must_use]
    pub fn same_as(&self, other: &Self) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(&other.0)
                .all(|((a_id, a), (b_id, b))| a_id == b_id && Arc::ptr_eq(a, b))
    }
}

/// A note in a summary: its id, kind and two sides (the cloze text and extra for a cloze
/// note).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NoteSummary {
    /// The note id.
    pub id: String,
    /// Its kind.
    pub kind: &'static str,
    /// Front, or cloze text.
    pub front: String,
    /// Back, or cloze extra.
    pub back: String,
}

impl NoteSummary {
    fn of(note: &Note) -> Self {
        let (front, back) = match note.kind {
            NoteKind::Cloze => (note.text.clone(), note.extra.clone()),
            _ => (note.front.clone(), note.back.clone()),
        };
        Self {
            id: note.id.0.clone(),
            kind: note.kind.as_str(),
            front,
            back,
        }
    }
}

/// A note that is in both, changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NoteChange {
    /// As installed.
    pub old: NoteSummary,
    /// As in the file.
    pub new: NoteSummary,
}

/// What installing one deck would do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeckChanges {
    /// The deck id.
    pub deck: String,
    /// Its title.
    pub title: String,
    /// The installed version, when this is an update.
    pub installed_version: Option<u32>,
    /// The version it would have.
    pub version: u32,
    /// Notes not installed yet (the first few, from [`plan_listing`]).
    pub added: Vec<NoteSummary>,
    /// Notes whose text, kind or tags change (the first few, from [`plan_listing`]).
    pub changed: Vec<NoteChange>,
    /// Installed notes the file does not have: retired, their progress kept (the first few,
    /// from [`plan_listing`]).
    pub removed: Vec<NoteSummary>,
    /// How many notes are added, listed or not.
    pub added_count: usize,
    /// How many notes change, listed or not.
    pub changed_count: usize,
    /// How many notes are removed, listed or not.
    pub removed_count: usize,
    /// Notes the same in both.
    pub unchanged: usize,
    /// Cards the deck would have.
    pub cards: usize,
    /// Media files it brings.
    pub media: usize,
}

/// What an import would do, deck by deck.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// Per deck.
    pub decks: Vec<DeckChanges>,
    /// Card states the file brings.
    pub cards_with_progress: usize,
    /// Reviews the file brings.
    pub reviews: usize,
    /// Notes of note types Kartu has no kind for, imported as basic notes.
    pub notes_as_basic: usize,
    /// What was left out, for a person.
    pub warnings: Vec<String>,
}

fn same(old: &NoteRef<'_>, new: &Note) -> bool {
    old.kind() == new.kind
        && old.front() == new.front
        && old.back() == new.back
        && old.cloze_text() == new.text
        && old.extra() == new.extra
        && old.add_reverse() == new.add_reverse
        && old.notes() == new.notes.as_deref()
        && old.example() == new.example.as_deref()
        && old.tags().eq(new.tags.iter().map(String::as_str))
}

/// For a file without deck headers (CSV, text, Anki: [`Incoming::headerless`]): a deck
/// installed already keeps its title, description, language and place in the tree (where
/// the file gives none), and gets a version above its own when its notes change, so the
/// update replaces it; the same notes again keep the version.
pub fn adopt_installed(installed: &InstalledDecks, incoming: &mut Incoming) {
    if !incoming.headerless {
        return;
    }
    for new in &mut incoming.decks {
        let Some(old) = installed.get(&new.deck.id) else {
            continue;
        };
        new.deck.title.clone_from(&old.title);
        new.deck.language.clone_from(&old.language);
        new.deck.description.clone_from(&old.description);
        if new.deck.parent.is_none() {
            new.deck.parent.clone_from(&old.parent);
        }
        // The same notes again is the same version; anything else is a newer one.
        let unchanged = old.notes().len() == new.deck.notes.len()
            && old
                .notes()
                .zip(&new.deck.notes)
                .all(|(before, note)| before.id() == note.id.0 && same(&before, note));
        new.deck.version = if unchanged {
            old.version
        } else {
            new.deck.version.max(old.version.saturating_add(1))
        };
    }
}

/// Readies `incoming` (read from `path`, its notes checked: [`check_notes`]) for installing
/// over the decks `installed`: takes their headers where the file has none
/// ([`adopt_installed`]), refuses what [`Collection::install`] would ([`check_against`]),
/// so a dry run fails where the import would, and says what it would change, listing
/// `listed` notes of each kind ([`plan_listing`]). The window runs it on its worker.
pub fn prepare(
    installed: &InstalledDecks,
    incoming: &mut Incoming,
    path: &std::path::Path,
    listed: usize,
) -> Result<Plan> {
    adopt_installed(installed, incoming);
    check_against(installed, incoming, path)?;
    Ok(plan_listing(installed, incoming, listed))
}

/// The notes' part of what [`Collection::install`] checks, which needs no collection (the
/// window runs it on its worker, after reading the file): every note of every deck valid.
pub fn check_notes(incoming: &Incoming, path: &std::path::Path) -> Result<()> {
    for new in &incoming.decks {
        new.deck
            .check_notes()
            .map_err(|problem| invalid(path, &new.deck.id.0, &problem.message))?;
    }
    Ok(())
}

fn invalid(path: &std::path::Path, deck: &str, message: &str) -> crate::core::error::Error {
    crate::core::error::Error::Invalid(format!("{}: deck {deck:?}: {message}", path.display()))
}

/// The rest of what [`Collection::install`] checks, against what is installed: no deck older than the installed one,
/// every header valid (after [`adopt_installed`]).
pub fn check_against(
    installed: &InstalledDecks,
    incoming: &Incoming,
    path: &std::path::Path,
) -> Result<()> {
    for new in &incoming.decks {
        if let Some(old) = installed.get(&new.deck.id)
            && old.version > new.deck.version
        {
            return Err(crate::core::error::Error::OlderVersion {
                path: path.to_path_buf(),
                deck: new.deck.id.0.clone(),
                version: new.deck.version,
                installed: old.version,
            });
        }
        new.deck
            .check_header()
            .map_err(|problem| invalid(path, &new.deck.id.0, &problem.message))?;
    }
    Ok(())
}

/// What installing `incoming` would change in `collection`, every note listed.
#[must_use]
pub fn plan(installed: &InstalledDecks, incoming: &Incoming) -> Plan {
    plan_listing(installed, incoming, usize::MAX)
}

/// [`plan`] listing at most `listed` notes of each kind per deck (the counts are whole): a
/// printed summary of a 100,000-note import copies twenty notes' text, not all of it.
#[must_use]
pub fn plan_listing(installed: &InstalledDecks, incoming: &Incoming, listed: usize) -> Plan {
    let mut plan = Plan {
        notes_as_basic: incoming.notes_as_basic,
        warnings: incoming.warnings.clone(),
        ..Plan::default()
    };
    if let Some(history) = &incoming.history {
        plan.cards_with_progress = history.cards.len();
        plan.reviews = history.reviews.len();
    }
    for new in &incoming.decks {
        let deck = &new.deck;
        let old_deck = installed.get(&deck.id);
        let mut changes = DeckChanges {
            deck: deck.id.0.clone(),
            title: deck.title.clone(),
            installed_version: old_deck.map(|d| d.version),
            version: deck.version,
            added: Vec::new(),
            changed: Vec::new(),
            removed: Vec::new(),
            added_count: 0,
            changed_count: 0,
            removed_count: 0,
            unchanged: 0,
            cards: deck.card_count(),
            media: new.media.len(),
        };
        match old_deck {
            None => {
                changes.added_count = deck.notes.len();
                changes.added = deck
                    .notes
                    .iter()
                    .take(listed)
                    .map(NoteSummary::of)
                    .collect();
            }
            Some(old_deck) => {
                let old: std::collections::HashMap<&str, NoteRef<'_>> =
                    old_deck.notes().map(|n| (n.id(), n)).collect();
                let mut kept = std::collections::HashSet::new();
                for note in &deck.notes {
                    match old.get(note.id.0.as_str()) {
                        None => {
                            changes.added_count += 1;
                            if changes.added.len() < listed {
                                changes.added.push(NoteSummary::of(note));
                            }
                        }
                        Some(before) => {
                            kept.insert(note.id.0.as_str());
                            if same(before, note) {
                                changes.unchanged += 1;
                            } else {
                                changes.changed_count += 1;
                                if changes.changed.len() < listed {
                                    changes.changed.push(NoteChange {
                                        old: NoteSummary::of(&before.to_note()),
                                        new: NoteSummary::of(note),
                                    });
                                }
                            }
                        }
                    }
                }
                for gone in old_deck.notes().filter(|n| !kept.contains(n.id())) {
                    changes.removed_count += 1;
                    if changes.removed.len() < listed {
                        changes.removed.push(NoteSummary::of(&gone.to_note()));
                    }
                }
            }
        }
        plan.decks.push(changes);
    }
    plan
}

/// Installs `incoming` (see [`Collection::install`]).
pub fn install(
    collection: &mut Collection,
    incoming: Incoming,
    now: Timestamp,
    cancelled: &dyn Fn() -> bool,
) -> Result<Installed> {
    collection.install(incoming.decks, incoming.history, now, cancelled)
}
