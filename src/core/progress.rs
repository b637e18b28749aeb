//! The learner's progress: each studied card's scheduling state and the review log, and the
//! snapshot file `progress.ron` (RON, format 2; see `docs/progress-format.md`). Changes since
//! the snapshot live in the journal (`journal.rs`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::deck::{CardId, DeckId};
use super::error::{Error, Result, check_format, probe_format, ron_options, ron_parse_error};
use super::scheduler::{CardProgress, CardState, Rating};
use super::storage;
use super::time::Timestamp;

/// The newest progress format this build reads and the one it writes.
///
/// Format 2 added `seq`, the last journal record the snapshot contains; format 1 files load
/// with `seq: 0`.
pub const PROGRESS_FORMAT_VERSION: u32 = 2;

/// Progress files larger than this are refused before parsing.
pub const MAX_PROGRESS_FILE_BYTES: u64 = 1024 * 1024 * 1024;

/// One answer, as kept in the review log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewEntry {
    /// The deck id.
    pub deck: DeckId,
    /// The card id.
    pub card: CardId,
    /// When the answer was given.
    pub at: Timestamp,
    /// The answer.
    pub rating: Rating,
    /// The card's state before the answer (a `new` here means the card was introduced).
    pub state_before: CardState,
    /// Seconds since the card's previous answer (0 for its first).
    pub elapsed_secs: i64,
    /// How long the learner looked at the card before answering, in milliseconds.
    pub duration_ms: u32,
    /// The interval the answer scheduled, in seconds.
    pub interval_secs: u64,
}

/// Everything a learner has done: the contents of `progress.ron`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// The file format version ([`PROGRESS_FORMAT_VERSION`]).
    pub format: u32,
    /// Sequence number of the last journal record included (see `journal.rs`).
    #[serde(default)]
    pub seq: u64,
    /// Scheduling state of every card answered at least once, by deck id then card id.
    /// Cards of decks that are no longer installed are kept, so reinstalling restores them.
    pub cards: BTreeMap<DeckId, BTreeMap<CardId, CardProgress>>,
    /// Every answer, in the order they were recorded (time order, unless `--now` said otherwise).
    pub reviews: Vec<ReviewEntry>,
}

impl Default for Progress {
    fn default() -> Self {
        Self {
            format: PROGRESS_FORMAT_VERSION,
            seq: 0,
            cards: BTreeMap::new(),
            reviews: Vec::new(),
        }
    }
}

/// One value as one line of RON, with spaces after `:` and `,` for reading.
pub(crate) fn compact_ron<T: Serialize>(value: &T) -> String {
    erased::Ron::to_ron(value, &ron_options())
}

/// Object-safe "serialise as compact RON", so one closure serves every entry type.
mod erased {
    pub(super) trait Ron {
        fn to_ron(&self, options: &ron::Options) -> String;
    }

    impl<T: serde::Serialize> Ron for T {
        fn to_ron(&self, options: &ron::Options) -> String {
            // Compact pretty form: one line, but with spaces after `:` and `,` for reading.
            let config = ron::ser::PrettyConfig::new()
                .compact_structs(true)
                .compact_maps(true)
                .compact_arrays(true);
            options.to_string_pretty(self, config).unwrap_or_default()
        }
    }
}

impl Progress {
    /// The state of a card; `None` when it was never answered.
    #[must_use]
    pub fn card(&self, deck: &DeckId, card: &CardId) -> Option<&CardProgress> {
        self.cards.get(deck)?.get(card)
    }

    /// Sets (or, with `None`, forgets) a card's state.
    pub fn set_card(&mut self, deck: &DeckId, card: &CardId, progress: Option<CardProgress>) {
        match progress {
            Some(progress) => {
                self.cards
                    .entry(deck.clone())
                    .or_default()
                    .insert(card.clone(), progress);
            }
            None => {
                if let Some(deck_cards) = self.cards.get_mut(deck) {
                    deck_cards.remove(card);
                    if deck_cards.is_empty() {
                        self.cards.remove(deck);
                    }
                }
            }
        }
    }

    /// Serialises in the canonical form: one line per card and per review, stable order.
    ///
    /// Written by hand around compact per-entry RON so each card and each review is one line:
    /// small, fast to write, and a diff shows exactly what changed.
    #[must_use]
    pub fn to_ron(&self) -> String {
        let options = ron_options();
        // Plain data of strings and numbers: serialising cannot fail.
        let compact = |value: &dyn erased::Ron| value.to_ron(&options);
        let mut text = String::with_capacity(128 * (self.reviews.len() + 8));
        text.push_str("#![enable(implicit_some)]\n(\n");
        // Writing to a String cannot fail.
        // Whatever format was read, the current one is written.
        writeln!(
            text,
            "    format: {PROGRESS_FORMAT_VERSION},\n    seq: {},\n    cards: {{",
            self.seq
        )
        .ok();
        for (deck, cards) in &self.cards {
            writeln!(text, "        {}: {{", compact(&deck.0)).ok();
            for (card, progress) in cards {
                writeln!(
                    text,
                    "            {}: {},",
                    compact(&card.0),
                    compact(progress)
                )
                .ok();
            }
            text.push_str("        },\n");
        }
        text.push_str("    },\n    reviews: [\n");
        for review in &self.reviews {
            writeln!(text, "        {},", compact(review)).ok();
        }
        text.push_str("    ],\n)\n");
        text
    }

    /// Parses progress file text; `path` is only used in messages.
    pub fn parse(source: &str, path: &Path) -> Result<Self> {
        let options = ron_options();
        probe_format(path, source, PROGRESS_FORMAT_VERSION)?;
        let progress: Self = options
            .from_str(source)
            .map_err(|err| ron_parse_error(path, source, &err))?;
        check_format(path, progress.format, PROGRESS_FORMAT_VERSION)?;
        Ok(progress)
    }

    /// Loads `path`; a missing file is empty progress.
    pub fn load(path: &Path) -> Result<Self> {
        match std::fs::metadata(path) {
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(err) => return Err(Error::io(path, err)),
            Ok(_) => {}
        }
        let text = storage::read_text_limited(path, MAX_PROGRESS_FILE_BYTES)?;
        Self::parse(&text, path)
    }

    /// Writes `path` atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        storage::atomic_write(path, self.to_ron().as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Progress {
        let mut progress = Progress::default();
        let deck = DeckId("d".into());
        for (i, name) in ["b", "a"].iter().enumerate() {
            let card = CardId((*name).into());
            progress.set_card(
                &deck,
                &card,
                Some(CardProgress {
                    state: CardState::Review,
                    due: Timestamp(1_000 + i as i64),
                    interval_secs: 86_400,
                    stability: 2.5,
                    difficulty: 5.25,
                    reps: 2,
                    last_review: Some(Timestamp(10)),
                    ..CardProgress::default()
                }),
            );
            progress.reviews.push(ReviewEntry {
                deck: deck.clone(),
                card,
                at: Timestamp(10),
                rating: Rating::Good,
                state_before: CardState::New,
                elapsed_secs: 0,
                duration_ms: 1200,
                interval_secs: 600,
            });
        }
        progress
    }

    #[test]
    fn round_trips_byte_stable_one_line_per_card() {
        let progress = sample();
        let text = progress.to_ron();
        let parsed = Progress::parse(&text, Path::new("p.ron")).unwrap();
        assert_eq!(parsed, progress);
        assert_eq!(parsed.to_ron(), text);
        let a_line = text.lines().position(|l| l.contains("\"a\": (")).unwrap();
        let b_line = text.lines().position(|l| l.contains("\"b\": (")).unwrap();
        assert_eq!(b_line, a_line + 1, "sorted, one line each:\n{text}");
        assert_eq!(
            text.lines()
                .filter(|l| l.contains("rating: good") && l.contains("deck: \"d\", card:"))
                .count(),
            2,
            "one line per review:\n{text}"
        );
    }

    #[test]
    fn missing_file_is_empty_and_newer_format_is_named() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            Progress::load(&dir.path().join("none.ron")).unwrap(),
            Progress::default()
        );
        let text = sample().to_ron().replace("format: 2", "format: 9");
        assert!(matches!(
            Progress::parse(&text, Path::new("p")),
            Err(Error::NewerFormat { found: 9, .. })
        ));
    }

    #[test]
    fn forgetting_the_last_card_of_a_deck_drops_the_deck() {
        let mut progress = sample();
        let deck = DeckId("d".into());
        progress.set_card(&deck, &CardId("a".into()), None);
        progress.set_card(&deck, &CardId("b".into()), None);
        assert!(progress.cards.is_empty());
    }
}
