//! The statistics cache, `stats-cache.ron`: per deck and per day, counts of the answers in
//! the review log, so statistics read a few hundred lines instead of a million.
//!
//! It is derived data. A cache that is missing, cut short, of another review log, or laid
//! out for another day boundary is rebuilt from the log and written over; one of a newer
//! format is used by nobody and left alone. Its writes are atomic but not the learner's
//! data, so nothing is lost if one fails.
//!
//! Lines, after the header comment (every line one value, read on a fast path only):
//! - `Cover(GENERATION, LOG_BYTES, LAST_SEQ, LINE_HASH, LINE_LEN, ORIGIN)`: the counts are
//!   of `reviews-GENERATION.ron` up to byte `LOG_BYTES`, whose last line (`LINE_LEN` bytes,
//!   FNV-1a `LINE_HASH`) had sequence number `LAST_SEQ`; days start `ORIGIN` seconds after a
//!   UTC midnight;
//! - `Day("DECK", DAY, RELEARNING, SECONDS, [BUTTONS; 12], [RETENTION; 4], [(HOUR, ANSWERS,
//!   PASSED), …])`: one deck's answers in day `DAY` (see [`DayCounts`]);
//! - `Card(NUMBER, INTERVAL)`: the interval (Anki's form) a card's latest answer gave;
//! - `Recent(Some(INTERVAL) | None, REVIEW)`: the latest answers, oldest first, each with the
//!   card's interval before it, so that an undo can take one back;
//! - `End(LINES)`: the number of lines before it, so a torn file is never read as whole.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt::Write as _;
use std::io::BufRead;
use std::path::Path;

use crate::core::error::Result;
use crate::core::ids::DeckId;
use crate::core::model::progress::ReviewEntry;
use crate::core::storage::atomic;
use crate::core::storage::format::lines::{Cursor, compact_ron};
use crate::core::storage::format::snapshot::review_value;

/// The cache format this build reads and writes.
pub const STATS_CACHE_FORMAT_VERSION: u32 = 1;

const HEADER: &str = "// kartu statistics cache, format ";

/// Caches larger than this are not read (a million cards make about 30 MB).
const MAX_STATS_CACHE_BYTES: u64 = 512 * 1024 * 1024;

/// One deck's answers in one day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DayCounts {
    /// Answers by what the card was (0: new, learning or relearning; 1: a young review card;
    /// 2: a mature one) and rating (Again, Hard, Good, Easy).
    pub buttons: [[u32; 4]; 3],
    /// Answers to relearning cards (counted in `buttons[0]` too).
    pub relearning: u32,
    /// Time spent, each answer's whole seconds summed.
    pub seconds: u64,
    /// Answers in Anki's true retention: young passed, young failed, mature passed, mature
    /// failed.
    pub retention: [u32; 4],
    /// Answers and answers passed by hour since the day's start.
    pub hours: [[u32; 2]; 24],
}

impl DayCounts {
    /// All answers.
    #[must_use]
    pub fn answers(&self) -> u32 {
        self.buttons.iter().flatten().sum()
    }
}

/// A latest answer, kept so that an undo can take it back.
#[derive(Clone, Debug, PartialEq)]
pub struct Recent {
    /// The card's interval before the answer (Anki's form), if it had been answered before.
    pub last_interval: Option<i32>,
    /// The answer.
    pub review: ReviewEntry,
}

/// What the counts are of: a review log up to a byte.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// The log's generation (`reviews-N.ron`).
    pub generation: u32,
    /// Bytes of the log counted (whole lines).
    pub log_bytes: u64,
    /// The sequence number of the last log line counted (0 for none).
    pub last_seq: u64,
    /// FNV-1a of that line, with its `\n`.
    pub line_hash: u64,
    /// Its length in bytes, with its `\n`.
    pub line_len: u64,
}

/// The statistics cache's contents.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StatsCache {
    /// What the counts are of.
    pub coverage: Coverage,
    /// Days start this many seconds after a UTC midnight (0–86,399).
    pub origin: i64,
    /// Counts per deck and day (days since 1970-01-01 plus `origin`).
    pub days: HashMap<DeckId, BTreeMap<i64, DayCounts>>,
    /// Each card's interval from its latest answer (Anki's form), by Anki card number.
    pub last_interval: HashMap<i64, i32>,
    /// The latest answers, oldest first.
    pub recent: VecDeque<Recent>,
}

impl StatsCache {
    /// Reads the cache at `path`: `None` when there is none, or it cannot be used (damaged,
    /// cut short, or of another format).
    #[must_use]
    pub fn read(path: &Path) -> Option<Self> {
        let (file, _) = atomic::open_limited(path, MAX_STATS_CACHE_BYTES).ok()??;
        // Line by line: the file is not held whole beside what it holds.
        parse(std::io::BufReader::with_capacity(64 * 1024, file))
    }

    /// Whether the file at `path` is of a newer format (then it is not written over).
    #[must_use]
    pub fn is_newer(path: &Path) -> bool {
        let Ok(Some((file, _))) = atomic::open_limited(path, MAX_STATS_CACHE_BYTES) else {
            return false;
        };
        let mut first = String::new();
        let _ = std::io::BufRead::read_line(&mut std::io::BufReader::new(file), &mut first);
        first
            .trim_end()
            .strip_prefix(HEADER)
            .and_then(|n| n.parse::<u32>().ok())
            .is_some_and(|n| n > STATS_CACHE_FORMAT_VERSION)
    }

    /// The cache as the file's text.
    pub fn to_text(&self) -> Result<String> {
        let mut text = format!("{HEADER}{STATS_CACHE_FORMAT_VERSION}\n");
        let mut lines = 0usize;
        let c = &self.coverage;
        let _ = writeln!(
            text,
            "Cover({}, {}, {}, {}, {}, {})",
            c.generation, c.log_bytes, c.last_seq, c.line_hash, c.line_len, self.origin
        );
        lines += 1;
        let mut decks: Vec<_> = self.days.iter().collect();
        decks.sort_by(|a, b| a.0.cmp(b.0));
        for (deck, days) in decks {
            let name = compact_ron(&deck.0)?;
            for (day, counts) in days {
                let _ = write!(
                    text,
                    "Day({name}, {day}, {}, {}, [",
                    counts.relearning, counts.seconds
                );
                write_list(&mut text, counts.buttons.iter().flatten());
                text.push_str("], [");
                write_list(&mut text, counts.retention.iter());
                text.push_str("], [");
                let mut first = true;
                for (hour, [answers, passed]) in counts.hours.iter().enumerate() {
                    if *answers > 0 {
                        if !std::mem::take(&mut first) {
                            text.push_str(", ");
                        }
                        let _ = write!(text, "({hour}, {answers}, {passed})");
                    }
                }
                text.push_str("])\n");
                lines += 1;
            }
        }
        let mut cards: Vec<_> = self.last_interval.iter().collect();
        cards.sort_unstable();
        for (number, interval) in cards {
            let _ = writeln!(text, "Card({number}, {interval})");
            lines += 1;
        }
        for recent in &self.recent {
            let last = recent
                .last_interval
                .map_or_else(|| "None".to_owned(), |i| format!("Some({i})"));
            let _ = writeln!(text, "Recent({last}, {})", compact_ron(&recent.review)?);
            lines += 1;
        }
        let _ = writeln!(text, "End({lines})");
        Ok(text)
    }

    /// Writes the cache to `path` atomically.
    pub fn write(&self, path: &Path) -> Result<()> {
        atomic::atomic_write(path, self.to_text()?.as_bytes())
    }
}

fn write_list<'a>(text: &mut String, values: impl Iterator<Item = &'a u32>) {
    for (i, value) in values.enumerate() {
        if i > 0 {
            text.push_str(", ");
        }
        let _ = write!(text, "{value}");
    }
}

/// Reads the next line into `line` (without its `\n`); false at the end or on bad bytes.
fn next_line(reader: &mut impl BufRead, line: &mut String) -> bool {
    line.clear();
    match reader.read_line(line) {
        Ok(0) | Err(_) => false,
        Ok(_) => {
            if line.ends_with('\n') {
                line.pop();
            }
            true
        }
    }
}

/// Parses a cache; `None` for anything but a whole cache of this format.
fn parse(mut reader: impl BufRead) -> Option<StatsCache> {
    let mut line = String::new();
    if !next_line(&mut reader, &mut line) {
        return None;
    }
    let format: u32 = line.strip_prefix(HEADER)?.parse().ok()?;
    if format != STATS_CACHE_FORMAT_VERSION || !next_line(&mut reader, &mut line) {
        return None;
    }
    let mut cache = StatsCache::default();
    let mut c = Cursor::new(&line);
    c.lit("Cover(")?;
    let generation = c.u32()?;
    let next = |c: &mut Cursor<'_>| {
        c.lit(", ")?;
        c.u64()
    };
    cache.coverage = Coverage {
        generation,
        log_bytes: next(&mut c)?,
        last_seq: next(&mut c)?,
        line_hash: next(&mut c)?,
        line_len: next(&mut c)?,
    };
    c.lit(", ")?;
    cache.origin = c.i64()?;
    c.lit(")")?;
    let mut index = 0usize;
    while next_line(&mut reader, &mut line) {
        let mut c = Cursor::new(&line);
        if c.lit("Day(").is_some() {
            let (deck, day, counts) = day_line(&mut c)?;
            cache.days.entry(deck).or_default().insert(day, counts);
        } else if c.lit("Card(").is_some() {
            let number = c.i64()?;
            c.lit(", ")?;
            let interval = i32::try_from(c.i64()?).ok()?;
            cache.last_interval.insert(number, interval);
        } else if c.lit("Recent(").is_some() {
            let last_interval = if c.lit("None").is_some() {
                None
            } else {
                c.lit("Some(")?;
                let interval = i32::try_from(c.i64()?).ok()?;
                c.lit(")")?;
                Some(interval)
            };
            c.lit(", ")?;
            let review = review_value(&mut c)?;
            cache.recent.push_back(Recent {
                last_interval,
                review,
            });
        } else {
            c.lit("End(")?;
            let lines: usize = usize::try_from(c.u64()?).ok()?;
            c.lit(")")?;
            // The lines before `End`: `Cover` and the `index` after it.
            return (c.is_empty() && lines == index + 1).then_some(cache);
        }
        c.lit(")")?;
        if !c.is_empty() {
            return None;
        }
        index += 1;
    }
    // No `End`: cut short.
    None
}

fn day_line(c: &mut Cursor<'_>) -> Option<(DeckId, i64, DayCounts)> {
    let deck = DeckId(c.string()?.to_owned());
    c.lit(", ")?;
    let day = c.i64()?;
    let mut counts = DayCounts::default();
    c.lit(", ")?;
    counts.relearning = c.u32()?;
    c.lit(", ")?;
    counts.seconds = c.u64()?;
    c.lit(", [")?;
    for (i, slot) in counts.buttons.iter_mut().flatten().enumerate() {
        if i > 0 {
            c.lit(", ")?;
        }
        *slot = c.u32()?;
    }
    c.lit("], [")?;
    for (i, slot) in counts.retention.iter_mut().enumerate() {
        if i > 0 {
            c.lit(", ")?;
        }
        *slot = c.u32()?;
    }
    c.lit("], [")?;
    let mut first = true;
    while c.lit("]").is_none() {
        if !std::mem::take(&mut first) {
            c.lit(", ")?;
        }
        c.lit("(")?;
        let hour = usize::try_from(c.u32()?).ok()?;
        c.lit(", ")?;
        let answers = c.u32()?;
        c.lit(", ")?;
        let passed = c.u32()?;
        c.lit(")")?;
        *counts.hours.get_mut(hour)? = [answers, passed];
    }
    Some((deck, day, counts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ids::CardId;
    use crate::core::model::card::{CardState, Rating};
    use crate::core::time::Timestamp;

    fn sample() -> StatsCache {
        let mut cache = StatsCache {
            coverage: Coverage {
                generation: 3,
                log_bytes: 12_345,
                last_seq: 77,
                line_hash: u64::MAX - 5,
                line_len: 170,
            },
            origin: 14_400,
            ..StatsCache::default()
        };
        let mut counts = DayCounts {
            relearning: 2,
            seconds: 95,
            retention: [4, 1, 0, 3],
            ..DayCounts::default()
        };
        counts.buttons[0] = [1, 2, 3, 4];
        counts.buttons[2][1] = 9;
        counts.hours[0] = [3, 2];
        counts.hours[23] = [1, 0];
        cache
            .days
            .entry(DeckId("a \"quoted\" deck".into()))
            .or_default()
            .insert(-3, counts.clone());
        cache
            .days
            .entry(DeckId("b".into()))
            .or_default()
            .insert(20_400, DayCounts::default());
        cache.last_interval.insert(i64::MAX, -600);
        cache.last_interval.insert(12, 30);
        cache.recent.push_back(Recent {
            last_interval: None,
            review: ReviewEntry {
                deck: DeckId("b".into()),
                card: CardId("c-1".into()),
                at: Timestamp(1_800_000_000),
                rating: Rating::Hard,
                state_before: CardState::Review,
                elapsed_secs: 86_400,
                duration_ms: 4_000,
                interval_secs: 172_800,
            },
        });
        cache.recent.push_back(Recent {
            last_interval: Some(-60),
            ..cache.recent[0].clone()
        });
        cache
    }

    #[test]
    fn the_text_reads_back_as_written() {
        let cache = sample();
        let text = cache.to_text().unwrap();
        // A deck id with quotes is written escaped; the fast path then declines the file
        // (a rebuild), so it is tested without that deck too.
        assert_eq!(parse(text.as_bytes()), None);
        let mut plain = cache;
        plain.days.remove(&DeckId("a \"quoted\" deck".into()));
        let mut counts = DayCounts {
            seconds: 7,
            ..DayCounts::default()
        };
        counts.hours[5] = [2, 2];
        plain
            .days
            .entry(DeckId("a".into()))
            .or_default()
            .insert(-3, counts);
        let text = plain.to_text().unwrap();
        assert_eq!(parse(text.as_bytes()), Some(plain.clone()));
        // The same text again: written in a stable order.
        assert_eq!(plain.to_text().unwrap(), text);
    }

    #[test]
    fn a_torn_or_foreign_cache_is_not_read() {
        let mut cache = sample();
        cache.days.remove(&DeckId("a \"quoted\" deck".into()));
        let text = cache.to_text().unwrap();
        for cut in [0, 10, text.len() / 2, text.len() - 9, text.len() - 2] {
            assert_eq!(parse(&text.as_bytes()[..cut]), None, "cut at {cut}");
        }
        // A line left out: the count in `End` tells.
        let mut without_card = text
            .lines()
            .filter(|l| !l.starts_with("Card(12,"))
            .collect::<Vec<_>>()
            .join("\n");
        without_card.push('\n');
        assert_eq!(parse(without_card.as_bytes()), None);
        assert_eq!(parse(text.replace("format 1", "format 2").as_bytes()), None);
        assert_eq!(parse(text.replace("Cover(", "Cover (").as_bytes()), None);
    }

    #[test]
    fn only_a_newer_format_is_reported_newer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stats-cache.ron");
        assert!(!StatsCache::is_newer(&path));
        sample().write(&path).unwrap();
        assert!(!StatsCache::is_newer(&path));
        std::fs::write(&path, format!("{HEADER}9\nCover(…)\n")).unwrap();
        assert!(StatsCache::is_newer(&path));
        assert_eq!(StatsCache::read(&path), None);
    }
}
