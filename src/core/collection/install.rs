//! Installing decks brought in from outside (imports), with their media and, for packages
//! that carry it, the learner's progress: all prepared first, then put in place, so a failed
//! or cancelled install leaves every file as it was.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::PathBuf;

use super::Collection;
use super::installed::{DeckSource, InstalledDeck};
use crate::core::error::{Error, Result};
use crate::core::ids::{CardId, DeckId};
use crate::core::model::card::CardProgress;
use crate::core::model::deck::Deck;
use crate::core::model::packed::PackedDeck;
use crate::core::model::progress::{Progress, ReviewEntry};
use crate::core::storage::atomic::AtomicWriter;
use crate::core::storage::backup::{BackupInfo, BackupJob};
use crate::core::storage::format::snapshot::ReviewSink;
use crate::core::storage::paths::DataPaths;
use crate::core::storage::replay::HistoryOnDisk;
use crate::core::storage::review_log::ReviewStream;
use crate::core::time::Timestamp;

/// A media file of a deck: a plain file name and its bytes (checked by whoever read them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaFile {
    /// The name notes use in `![alt](name)`.
    pub name: String,
    /// The content.
    pub bytes: Vec<u8>,
}

/// A deck to install, with its media.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDeck {
    /// The deck (format 2 when written).
    pub deck: Deck,
    /// Files its notes show.
    pub media: Vec<MediaFile>,
}

/// Progress brought in with decks: card states and the reviews that led to them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NewHistory {
    /// Card states.
    pub cards: Vec<(DeckId, CardId, CardProgress)>,
    /// Reviews, oldest first.
    pub reviews: Vec<ReviewEntry>,
}

/// What [`Collection::install`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Installed {
    /// Decks written.
    pub decks: usize,
    /// Media files written.
    pub media: usize,
    /// Card states taken from the file (cards the learner had studied keep their own).
    pub cards_with_progress: usize,
    /// Reviews added to the history (ones already there are not added twice).
    pub reviews: usize,
    /// The backup of the progress before the history changed, if it did.
    pub backup: Option<BackupInfo>,
}

/// Every deck valid (the checks a dry run made already, made again: `install` is also
/// called on its own).
fn check_decks(decks: &[NewDeck]) -> Result<()> {
    decks.iter().try_for_each(|new| {
        new.deck.check().map_err(|problem| {
            Error::Invalid(format!("deck {:?}: {}", new.deck.id.0, problem.message))
        })
    })
}

/// Writes each deck's file beside its place, synced to disk: the writers to finish.
fn write_deck_files(paths: &DataPaths, decks: &[NewDeck]) -> Result<Vec<AtomicWriter>> {
    decks
        .iter()
        .map(|new| {
            let target = paths.deck_file(&new.deck.id);
            let mut writer = AtomicWriter::create(&target)?;
            crate::core::storage::format::deck_file::write_deck_into(&new.deck, &mut writer)?;
            writer.sync()?;
            Ok(writer)
        })
        .collect()
}

/// Writes each deck's media files beside their places (`decks/ID.media/`): the writers to
/// finish.
fn write_media(paths: &DataPaths, decks: &[NewDeck]) -> Result<Vec<AtomicWriter>> {
    let mut pending = Vec::new();
    for new in decks.iter().filter(|new| !new.media.is_empty()) {
        let dir = paths.deck_media_dir(&new.deck.id);
        fs::create_dir_all(&dir).map_err(|err| Error::io(&dir, err))?;
        for file in &new.media {
            let mut writer = AtomicWriter::create(&dir.join(&file.name))?;
            writer.write(&file.bytes)?;
            pending.push(writer);
        }
    }
    Ok(pending)
}

impl Collection {
    /// The folder of `deck`'s media (`decks/ID.media/`), for a deck installed from a file.
    #[must_use]
    pub fn media_dir(&self, deck: &DeckId) -> Option<PathBuf> {
        let installed = self.deck(deck).ok()?;
        match &installed.source {
            DeckSource::File(_) => Some(self.paths.deck_media_dir(deck)),
            DeckSource::Bundled => None,
        }
    }

    /// Installs `decks` (replacing installed decks with the same ids, whose progress stays
    /// with every card whose id survives) and merges `history` into the learner's progress:
    /// a card the learner has progress for keeps it; reviews already in the history are not
    /// added twice. Everything is written to temp files first; `cancelled` is asked between
    /// steps, and a cancel or an error before the end leaves every file as it was. Then deck
    /// files and media are put in place, and (after a backup of the progress) the new
    /// history, whose snapshot is the one moment it switches. Writers only.
    pub fn install(
        &mut self,
        mut decks: Vec<NewDeck>,
        history: Option<NewHistory>,
        now: Timestamp,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<Installed> {
        self.require_writer()?;
        // Edits to a deck the import replaces must be in its file first, or they would be
        // replayed over the new version at the next start.
        self.fold_edits(now)?;
        let stopped = || Error::Cancelled;
        for new in &decks {
            if let Ok(installed) = self.deck(&new.deck.id)
                && installed.deck.version > new.deck.version
            {
                return Err(Error::OlderVersion {
                    path: PathBuf::from(format!("{}.ron", new.deck.id.0)),
                    deck: new.deck.id.0.clone(),
                    version: new.deck.version,
                    installed: installed.deck.version,
                });
            }
        }
        self.paths.create_dirs()?;
        // Installed decks are written in the current format, and every note says when it
        // came into the collection: the installed version's time for a note it had, else now
        // (a file's own time, such as an Anki note's, wins).
        let stamp = jiff::Timestamp::from_second(now.0).ok();
        for new in &mut decks {
            new.deck.format = crate::core::model::deck::DECK_FORMAT_VERSION;
            let installed = self.deck(&new.deck.id).ok();
            for note in new.deck.notes.iter_mut().filter(|n| n.added.is_none()) {
                let before = installed.and_then(|d| {
                    let position = d.deck.note_position(&note.id.0)?;
                    d.deck.notes().nth(position)?.added()
                });
                note.added = before.or(stamp);
            }
        }
        // 1. Every file, written beside its place: the deck files on a second thread, while
        // the decks are checked here, then their media written and the decks packed and
        // indexed for memory (for a deck of 100,000 notes each step takes ms to tens of ms).
        // A deck that fails its check leaves nothing behind: the temp files go with their
        // writers.
        if cancelled() {
            return Err(stopped());
        }
        let paths = &self.paths;
        let progress = &self.progress;
        let (written, here) = std::thread::scope(|scope| {
            let writing = scope.spawn(|| write_deck_files(paths, &decks));
            let here = check_decks(&decks).and_then(|()| {
                let media = write_media(paths, &decks)?;
                let built: Vec<InstalledDeck> = decks
                    .iter()
                    .map(|new| {
                        let target = paths.deck_file(&new.deck.id);
                        let mut installed = InstalledDeck::new(
                            PackedDeck::from_deck(&new.deck),
                            DeckSource::File(target),
                        );
                        installed.rebuild_queues(progress.cards.get(&new.deck.id));
                        installed
                    })
                    .collect();
                Ok((media, built))
            });
            let written = writing
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (written, here)
        });
        // Written and packed, the decks as read are done with: their memory goes back before
        // the history is merged.
        drop(decks);
        let (mut pending, built) = here?;
        let media = pending.len();
        // Media first: a deck in place never names an image that is not.
        pending.extend(written?);
        if cancelled() {
            return Err(stopped());
        }
        // 2. In place. (A crash here leaves some decks installed: importing again finishes.)
        for writer in pending {
            writer.finish()?;
        }
        let mut outcome = Installed {
            media,
            ..Installed::default()
        };
        for installed in built {
            self.install_built(installed);
            outcome.decks += 1;
        }
        // 3. The history, merged and switched in one step.
        if let Some(history) = history
            && (!history.cards.is_empty() || !history.reviews.is_empty())
        {
            if self.progress.seq > 0 || self.progress.card_count() > 0 {
                let backup = BackupJob::new(&self.paths, now, self.clock.clone()).run()?;
                self.refresh_newest_backup()?;
                outcome.backup = Some(backup);
            }
            let (cards, reviews) = self.merge_history(history)?;
            outcome.cards_with_progress = cards;
            outcome.reviews = reviews;
        }
        Ok(outcome)
    }

    /// Writes a new history: the learner's reviews and `history`'s, in time order, and the
    /// card states of both (the learner's where both have one). Returns how many card states
    /// and reviews came from `history`.
    fn merge_history(&mut self, history: NewHistory) -> Result<(usize, usize)> {
        let on_disk = HistoryOnDisk::read(&self.paths)?;
        let decks: HashSet<&DeckId> = history.cards.iter().map(|(deck, _, _)| deck).collect();
        // The learner's reviews of these decks, so a second import adds none twice.
        let mut existing: HashSet<(DeckId, CardId, Timestamp)> = HashSet::new();
        ReviewStream::prepare(
            on_disk.inline.clone(),
            on_disk.log.as_deref(),
            &on_disk.later,
        )?
        .for_each(&mut |review| {
            if decks.contains(&review.deck) {
                existing.insert((review.deck.clone(), review.card.clone(), review.at));
            }
            Ok(())
        })?;
        let mut imported: Vec<ReviewEntry> = history
            .reviews
            .into_iter()
            .filter(|r| !existing.contains(&(r.deck.clone(), r.card.clone(), r.at)))
            .collect();
        imported.sort_by_key(|r| r.at);
        let added_reviews = imported.len();
        let mut cards = self.progress.cards.clone();
        let mut incoming: BTreeMap<DeckId, Vec<(CardId, CardProgress)>> = BTreeMap::new();
        for (deck, card, state) in history.cards {
            // The learner's state wins over the import's.
            if !cards
                .get(&deck)
                .is_some_and(|states| states.contains_key(&card.0))
            {
                incoming.entry(deck).or_default().push((card, state));
            }
        }
        let mut added_cards = 0;
        for (deck, mut new) in incoming {
            // Of a card the import repeats, its first state wins (a stable sort keeps it
            // first).
            new.sort_by(|a, b| a.0.cmp(&b.0));
            new.dedup_by(|later, first| later.0 == first.0);
            added_cards += new.len();
            let before = cards.remove(&deck).unwrap_or_default();
            let merged = before
                .iter()
                .map(|(card, state)| (CardId(card.to_owned()), state))
                .chain(new)
                .collect();
            cards.insert(deck, merged);
        }
        let mut stream = Some(ReviewStream::prepare(
            on_disk.inline,
            on_disk.log.as_deref(),
            &on_disk.later,
        )?);
        self.replace_history(&mut |log| {
            // Both in time order (the learner's as recorded): merge them.
            let mut next = imported.iter().peekable();
            if let Some(stream) = stream.take() {
                stream.for_each(&mut |review| {
                    while let Some(earlier) = next.next_if(|r| r.at <= review.at) {
                        log.review(earlier.clone())?;
                    }
                    log.review(review.clone())
                })?;
            }
            for rest in next {
                log.review(rest.clone())?;
            }
            Ok(Progress {
                cards: std::mem::take(&mut cards),
                ..Progress::default()
            })
        })?;
        Ok((added_cards, added_reviews))
    }
}
