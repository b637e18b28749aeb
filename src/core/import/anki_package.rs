//! Anki packages (`.apkg`, `.colpkg`) with the learner's progress: notes become notes of the
//! kinds Kartu has, decks `A::B` become the sub-deck tree, and each card's state, due date,
//! interval, reps, lapses and FSRS memory come along, with the review log as the history.
//! Cards without a memory state (SM-2 users) get one from their review history, or from ease
//! and interval, as Anki computes them when FSRS is switched on.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use super::anki::{
    AnkiCard, AnkiDeck, AnkiNote, AnkiNotetype, AnkiRevlog, CardQueue, CardType, Limits,
    NotetypeKind, RowSink, read_package_with,
};
use super::anki_text::{kind_of_notetype_name, note_from_fields};
use super::ids::{DeckIds, deck_title, note_id_from_guid, parent_name};
use super::{Incoming, Monitor, Options};
use crate::core::collection::{MediaFile, NewDeck, NewHistory};
use crate::core::error::{Error, Result};
use crate::core::ids::{CardId, DeckId};
use crate::core::model::card::{CardProgress, CardState, Rating};
use crate::core::model::deck::{DECK_FORMAT_VERSION, Deck, Note, NoteKind, card_id};
use crate::core::model::media::{check_image, image_refs};
use crate::core::model::progress::ReviewEntry;
use crate::core::scheduler::anki as fsrs_anki;
use crate::core::time::{DAY_SECS, DayClock, DayNumber, Timestamp};

/// The Kartu kind of a note type: by its name when stock, else by its shape (a cloze type,
/// one template, or two where the second is the first turned round); `None`: no kind fits,
/// and its notes become basic notes from their first two fields.
fn kind_of(notetype: &AnkiNotetype) -> Option<NoteKind> {
    if notetype.kind == NotetypeKind::Cloze {
        return Some(NoteKind::Cloze);
    }
    if let Some(kind) = kind_of_notetype_name(&notetype.name) {
        return Some(kind);
    }
    match notetype.templates.as_slice() {
        [_] if notetype.fields.len() >= 2 => Some(NoteKind::Basic),
        [_, second]
            if notetype.fields.len() == 2
                && second
                    .question_format
                    .contains(&format!("{{{{{}}}}}", notetype.fields[1])) =>
        {
            Some(NoteKind::Reversed)
        }
        _ => None,
    }
}

/// Notes converted as they are read; cards and the review log kept compactly.
#[derive(Default)]
struct Sink {
    kinds: HashMap<i64, Option<NoteKind>>,
    /// The notes, and beside them each one's Anki id and whether its note type had no kind.
    notes: Vec<Note>,
    note_ids: Vec<i64>,
    unknown: Vec<bool>,
    cards: Vec<AnkiCard>,
    revlog: Vec<AnkiRevlog>,
    decks: Vec<AnkiDeck>,
}

impl RowSink for Sink {
    fn begin(&mut self, decks: &[AnkiDeck], notetypes: &[AnkiNotetype]) {
        self.decks = decks.to_vec();
        self.kinds = notetypes.iter().map(|t| (t.id, kind_of(t))).collect();
    }

    fn reserve(&mut self, kind: super::anki::RowKind, count: usize) {
        match kind {
            super::anki::RowKind::Notes => {
                self.notes.reserve_exact(count);
                self.note_ids.reserve_exact(count);
                self.unknown.reserve_exact(count);
            }
            super::anki::RowKind::Cards => self.cards.reserve_exact(count),
            super::anki::RowKind::Revlog => self.revlog.reserve_exact(count),
        }
    }

    fn note(&mut self, note: AnkiNote) -> bool {
        let kind = self.kinds.get(&note.notetype_id).copied().flatten();
        let fields: Vec<&str> = note.fields.iter().map(String::as_str).collect();
        let converted = note_from_fields(
            note_id_from_guid(&note.guid),
            kind,
            &fields,
            true,
            note.tags,
        );
        self.notes.push(converted);
        self.note_ids.push(note.id);
        self.unknown.push(kind.is_none());
        true
    }

    fn card(&mut self, card: AnkiCard) -> bool {
        self.cards.push(card);
        true
    }

    fn cards(&mut self, cards: Vec<AnkiCard>) -> bool {
        // Taken whole: a hundred thousand cards not copied one by one, with both copies held.
        take_all(&mut self.cards, cards);
        true
    }

    fn review_log(&mut self, entries: Vec<AnkiRevlog>) -> bool {
        take_all(&mut self.revlog, entries);
        true
    }

    fn revlog(&mut self, entry: AnkiRevlog) -> bool {
        self.revlog.push(entry);
        true
    }
}

impl Sink {
    /// Where each card's note is in `notes` (read in id order), by the card's place in
    /// `cards`. Anki gives a note and its cards ids from the same clock, so a card's note is
    /// nearly always the previous card's or the next: looked at first, before a binary
    /// search.
    fn card_notes(&self) -> Vec<Option<u32>> {
        let mut near = 0;
        self.cards
            .iter()
            .map(|card| {
                let found = [near, near + 1]
                    .into_iter()
                    .find(|&at| self.note_ids.get(at) == Some(&card.note_id))
                    .or_else(|| self.note_ids.binary_search(&card.note_id).ok())?;
                near = found;
                Some(found as u32)
            })
            .collect()
    }

    /// Where the card with Anki id `id` is in `cards` (read in id order).
    fn card_position(&self, id: i64) -> Option<usize> {
        self.cards.binary_search_by_key(&id, |card| card.id).ok()
    }
}

/// A deck the notes go to.
struct Slot {
    id: DeckId,
    /// Its Anki name (`A::B`).
    name: String,
    notes: Vec<Note>,
}

/// Appends `more` to `list`, taking its buffer when `list` is empty.
fn take_all<T>(list: &mut Vec<T>, more: Vec<T>) {
    if list.is_empty() {
        *list = more;
    } else {
        list.extend(more);
    }
}

/// Where an Anki card went: its note (`index` in `slot`) and its number there.
#[derive(Clone, Copy)]
struct KartuCard {
    // u32: a hundred thousand of these are held at once.
    slot: u32,
    index: u32,
    number: u32,
}

impl KartuCard {
    /// Its deck's id and its own.
    fn ids(self, slots: &[Slot]) -> (DeckId, CardId) {
        let slot = &slots[self.slot as usize];
        let note = &slot.notes[self.index as usize];
        (slot.id.clone(), card_id(&note.id.0, note.kind, self.number))
    }
}

/// The card's home deck (a card in a filtered deck remembers it).
fn home_deck(card: &AnkiCard) -> i64 {
    if card.original_deck_id != 0 {
        card.original_deck_id
    } else {
        card.deck_id
    }
}

pub(super) fn read(path: &Path, options: &Options, monitor: Monitor<'_>) -> Result<Incoming> {
    let mut sink = Sink::default();
    let limits = Limits::default();
    (monitor.progress)(0, 4);
    let collection = read_package_with(path, &limits, &mut sink)
        .map_err(|err| Error::Invalid(err.to_string()))?;
    monitor.check()?;
    (monitor.progress)(1, 4);
    let clock = options
        .clock
        .clone()
        .unwrap_or_else(|| DayClock::utc(collection.rollover_hour));
    // Each note's deck: its first card's home deck. Notes and cards come in id order, so a
    // note or card is found by search, with no map of a hundred thousand entries.
    let card_notes = sink.card_notes();
    let mut first_card: Vec<Option<(u32, i64)>> = vec![None; sink.notes.len()];
    for (card, note) in sink.cards.iter().zip(&card_notes) {
        if let Some(position) = *note {
            let slot = &mut first_card[position as usize];
            if slot.is_none_or(|(ord, _)| card.ord < ord) {
                *slot = Some((card.ord, home_deck(card)));
            }
        }
    }
    let mut warnings = Vec::new();
    // Cards of a note in other decks than its first card's go with the note.
    let scattered = sink
        .cards
        .iter()
        .zip(&card_notes)
        .filter(|(c, note)| {
            note.and_then(|position| first_card[position as usize])
                .is_some_and(|(_, deck)| deck != home_deck(c))
        })
        .count();
    if scattered > 0 {
        warnings.push(format!(
            "{scattered} cards were in another deck than the first card of their note; they are in the note's deck"
        ));
    }
    // The decks notes go to, each Anki deck's id made once (`--deck`: all in one).
    let names: HashMap<i64, &str> = sink.decks.iter().map(|d| (d.id, d.name.as_str())).collect();
    let mut deck_ids = DeckIds::default();
    let mut slots: Vec<Slot> = Vec::new();
    let mut slot_of_deck: HashMap<i64, usize> = HashMap::new();
    // (Two Anki decks can give one id: the same name, or `--deck`. Up to 50,000 decks: a
    // map, not a search.)
    let mut slot_of_id: HashMap<DeckId, usize> = HashMap::new();
    let targets: Vec<Option<usize>> = first_card
        .iter()
        .map(|first| {
            let (_, deck) = (*first)?;
            let slot = *slot_of_deck.entry(deck).or_insert_with(|| {
                let name = names.get(&deck).copied().unwrap_or("Imported");
                let id = options.deck.clone().unwrap_or_else(|| deck_ids.id(name));
                *slot_of_id.entry(id.clone()).or_insert_with(|| {
                    slots.push(Slot {
                        id,
                        name: name.to_owned(),
                        notes: Vec::new(),
                    });
                    slots.len() - 1
                })
            });
            Some(slot)
        })
        .collect();
    let notes_as_basic = sink
        .unknown
        .iter()
        .zip(&targets)
        .filter(|(unknown, target)| **unknown && target.is_some())
        .count();
    // Where each note went: its deck's slot and its place there.
    let mut placed: Vec<Option<(usize, usize)>> = Vec::with_capacity(targets.len());
    let notes = std::mem::take(&mut sink.notes);
    if slots.len() == 1 && targets.iter().all(Option::is_some) {
        // Every note in one deck (a deck's package, or `--deck`): the notes stay where they
        // are, a hundred thousand of them not moved.
        placed.extend((0..notes.len()).map(|index| Some((0, index))));
        slots[0].notes = notes;
    } else {
        for (note, target) in notes.into_iter().zip(&targets) {
            placed.push(target.map(|slot| {
                slots[slot].notes.push(note);
                (slot, slots[slot].notes.len() - 1)
            }));
        }
    }
    // Held no longer than needed: each is a hundred thousand entries.
    drop((first_card, targets));
    monitor.check()?;
    (monitor.progress)(2, 4);
    // Progress: each card's Kartu note and number (by the card's place in `sink.cards`); its
    // id is made only for a card with progress or reviews.
    let mut kartu_card: Vec<Option<KartuCard>> = Vec::with_capacity(sink.cards.len());
    let mut dropped_cards = 0;
    for (card, note) in sink.cards.iter().zip(&card_notes) {
        let Some((slot, index)) = note.and_then(|position| placed[position as usize]) else {
            kartu_card.push(None);
            continue;
        };
        let note = &mut slots[slot].notes[index];
        let number = card.ord + 1;
        if !note.makes_card(number) {
            // A card of a note type Kartu has no kind for, past its first.
            dropped_cards += 1;
            kartu_card.push(None);
            continue;
        }
        kartu_card.push(Some(KartuCard {
            slot: slot as u32,
            index: index as u32,
            number,
        }));
        // Anki's card id is when the card was made: `added:` asks about it. A note's time
        // is its first card's.
        if let Ok(made) = jiff::Timestamp::from_millisecond(card.id)
            && note.added.is_none_or(|added| made < added)
        {
            note.added = Some(made);
        }
    }
    drop((placed, card_notes));
    if dropped_cards > 0 {
        warnings.push(format!(
            "{dropped_cards} cards of note types Kartu has no kind for were left out (each note keeps its first card)"
        ));
    }
    let history = history(&sink, &kartu_card, &slots, &collection, &clock, options.now)?;
    // The deck tree, in id order: the notes' decks, and parents even without notes of their
    // own (`--deck` puts every note in one deck: no tree).
    let mut decks: BTreeMap<DeckId, (String, Vec<Note>)> = slots
        .into_iter()
        .map(|slot| (slot.id, (slot.name, slot.notes)))
        .collect();
    let mut parents: Vec<(DeckId, String)> = Vec::new();
    for (name, _) in decks.values().filter(|_| options.deck.is_none()) {
        let mut at = parent_name(name);
        while let Some(parent) = at {
            parents.push((deck_ids.id(parent), parent.to_owned()));
            at = parent_name(parent);
        }
    }
    for (id, name) in parents {
        decks.entry(id).or_insert_with(|| (name, Vec::new()));
    }
    monitor.check()?;
    (monitor.progress)(3, 4);
    // Media, to the decks whose notes show them.
    let mut media_by_name: HashMap<&str, &[u8]> = HashMap::new();
    for file in &collection.media {
        media_by_name.insert(&file.name, &file.data);
    }
    let mut checked: HashMap<&str, bool> = HashMap::new();
    let mut new_decks = Vec::with_capacity(decks.len());
    for (id, (name, notes)) in decks {
        let mut media = Vec::new();
        let mut used: HashSet<&str> = HashSet::new();
        // (A package without media files has no image to look for.)
        for note in notes.iter().filter(|_| !media_by_name.is_empty()) {
            for field in [&note.front, &note.back, &note.text, &note.extra] {
                for image in image_refs(field) {
                    let Some((&name, bytes)) = media_by_name.get_key_value(image.target) else {
                        continue;
                    };
                    if !used.insert(name) {
                        continue;
                    }
                    let ok = *checked
                        .entry(name)
                        .or_insert_with(|| match check_image(bytes) {
                            Ok(_) => true,
                            Err(problem) => {
                                warnings.push(format!("{name}: {problem}; left out"));
                                false
                            }
                        });
                    if ok {
                        media.push(MediaFile {
                            name: name.to_owned(),
                            bytes: bytes.to_vec(),
                        });
                    }
                }
            }
        }
        let parent = parent_name(&name)
            .filter(|_| options.deck.is_none())
            .map(|p| deck_ids.id(p));
        new_decks.push(NewDeck {
            deck: Deck {
                format: DECK_FORMAT_VERSION,
                title: deck_title(&name),
                id,
                description: String::new(),
                language: String::from("und"),
                version: 1,
                parent,
                notes,
            },
            media,
        });
    }
    (monitor.progress)(4, 4);
    Ok(Incoming {
        decks: new_decks,
        history: Some(history),
        notes_as_basic,
        warnings,
        headerless: true,
    })
}

/// The Kartu progress of every studied (or suspended, or buried) card, and the review log.
fn history(
    sink: &Sink,
    kartu_card: &[Option<KartuCard>],
    slots: &[Slot],
    collection: &super::anki::AnkiCollection,
    clock: &DayClock,
    now: Timestamp,
) -> Result<NewHistory> {
    // Reviews by card, oldest first (the log is in id = time order).
    let mut by_card: HashMap<i64, Vec<&AnkiRevlog>> = HashMap::new();
    for entry in &sink.revlog {
        by_card.entry(entry.card_id).or_default().push(entry);
    }
    let fsrs = fsrs_anki::FSRS::new(&fsrs_anki::DEFAULT_PARAMETERS)
        .map_err(|err| Error::Scheduler(err.to_string()))?;
    let anki_clock = fsrs_anki::DayClock::at(
        now.unix_secs(),
        clock.utc_offset_secs(now),
        collection.rollover_hour,
    );
    // Anki's day numbers count from the collection's creation day.
    let created = collection.created_secs;
    let day_of = |number: i64| -> Timestamp {
        let at = Timestamp(created.saturating_add(number.saturating_mul(DAY_SECS)) + 3_600);
        clock.day_start(clock.day(at))
    };
    let tomorrow = clock.day_start(DayNumber(clock.day(now).0 + 1));
    let mut cards = Vec::new();
    let mut reviews = Vec::new();
    for (card, kartu) in sink.cards.iter().zip(kartu_card) {
        let Some(kartu) = kartu else {
            continue;
        };
        let log = by_card.get(&card.id).map_or(&[][..], Vec::as_slice);
        let graded: Vec<&&AnkiRevlog> = log
            .iter()
            .filter(|e| (1..=4).contains(&e.ease) && e.kind <= 3)
            .collect();
        let queue = card.card_queue();
        let held_new = matches!(
            queue,
            Some(CardQueue::Suspended | CardQueue::UserBuried | CardQueue::SchedBuried)
        );
        let state = match card.card_type() {
            Some(CardType::Learn) => CardState::Learning,
            Some(CardType::Review) => CardState::Review,
            Some(CardType::Relearn) => CardState::Relearning,
            Some(CardType::New) | None => CardState::New,
        };
        if state == CardState::New && !held_new {
            continue;
        }
        let raw_due = if card.original_deck_id != 0 && card.original_due != 0 {
            card.original_due
        } else {
            card.due
        };
        let due = match state {
            CardState::New => now,
            // Learning within the day: Unix seconds; across days: a day number.
            CardState::Learning | CardState::Relearning if raw_due > 1_000_000_000 => {
                Timestamp(raw_due)
            }
            _ => day_of(raw_due),
        };
        let last_review = card
            .memory
            .and_then(|m| m.last_review_secs)
            .or_else(|| graded.last().map(|e| e.id / 1000))
            .map(Timestamp);
        let memory = match card.memory {
            Some(memory) => Some((memory.stability, memory.difficulty)),
            None if state != CardState::New => {
                let history: Vec<fsrs_anki::Review> = log
                    .iter()
                    .map(|e| fsrs_anki::Review {
                        at_ms: e.id,
                        card_id: e.card_id,
                        rating: u8::try_from(e.ease.clamp(0, 4)).unwrap_or(0),
                        kind: fsrs_anki::ReviewKind::from_anki(e.kind),
                        interval_days: i32::try_from(e.ivl).unwrap_or(i32::MAX),
                        last_interval_days: i32::try_from(e.last_ivl).unwrap_or(i32::MAX),
                        ease_factor: u32::try_from(e.factor.max(0)).unwrap_or(0),
                        duration_ms: u32::try_from(e.time_ms.max(0)).unwrap_or(u32::MAX),
                    })
                    .collect();
                let schedule = fsrs_anki::CardSchedule {
                    is_new: false,
                    interval_days: u32::try_from(card.ivl.max(0)).unwrap_or(0),
                    ease_factor: u32::try_from(card.factor.max(0)).unwrap_or(0),
                };
                fsrs_anki::memory_state_for_card(
                    &fsrs,
                    &history,
                    anki_clock,
                    &schedule,
                    &fsrs_anki::HistoryOptions::default(),
                )
                .map_err(|err| Error::Scheduler(err.to_string()))?
                .map(|m| (m.stability, m.difficulty))
            }
            None => None,
        };
        let (stability, difficulty) = memory.unwrap_or((0.0, 0.0));
        let interval_secs = match state {
            CardState::Review | CardState::Relearning => {
                u64::try_from(card.ivl.max(0)).unwrap_or(0) * DAY_SECS as u64
            }
            CardState::Learning => last_review.map_or(0, |last| {
                u64::try_from(due.unix_secs() - last.unix_secs()).unwrap_or(0)
            }),
            CardState::New => 0,
        };
        let (deck, id) = kartu.ids(slots);
        cards.push((
            deck,
            id,
            CardProgress {
                state,
                remaining_steps: match state {
                    CardState::Learning | CardState::Relearning => {
                        u32::try_from(card.remaining_steps()).unwrap_or(0)
                    }
                    _ => 0,
                },
                due,
                interval_secs,
                stability,
                difficulty,
                reps: u32::try_from(card.reps.max(0)).unwrap_or(u32::MAX),
                lapses: u32::try_from(card.lapses.max(0)).unwrap_or(u32::MAX),
                last_review,
                suspended: queue == Some(CardQueue::Suspended),
                buried_until: matches!(queue, Some(CardQueue::UserBuried | CardQueue::SchedBuried))
                    .then_some(tomorrow),
            },
        ));
    }
    // The review log, answers only (manual reschedules are not answers).
    let mut previous: HashMap<i64, Timestamp> = HashMap::new();
    for entry in &sink.revlog {
        let Some(kartu) = sink
            .card_position(entry.card_id)
            .and_then(|position| kartu_card[position])
        else {
            continue;
        };
        let rating = match entry.ease {
            1 => Rating::Again,
            2 => Rating::Hard,
            3 => Rating::Good,
            4 => Rating::Easy,
            _ => continue,
        };
        let at = Timestamp(entry.id / 1000);
        let state_before = match entry.kind {
            0 if !previous.contains_key(&entry.card_id) => CardState::New,
            0 => CardState::Learning,
            1 | 3 => CardState::Review,
            2 => CardState::Relearning,
            _ => continue,
        };
        let elapsed_secs = previous
            .insert(entry.card_id, at)
            .map_or(0, |before| at.unix_secs() - before.unix_secs());
        let (deck, card) = kartu.ids(slots);
        reviews.push(ReviewEntry {
            deck,
            card,
            at,
            rating,
            state_before,
            elapsed_secs,
            duration_ms: u32::try_from(entry.time_ms.max(0)).unwrap_or(u32::MAX),
            interval_secs: if entry.ivl >= 0 {
                u64::try_from(entry.ivl).unwrap_or(0) * DAY_SECS as u64
            } else {
                entry.ivl.unsigned_abs()
            },
        });
    }
    Ok(NewHistory { cards, reviews })
}
