//! The deck list without loading the collection: the window writes the list's cache
//! (`storage::deck_list_cache`) at exit, and the next start draws the list from it while the
//! collection loads, when the cache is exactly what loading would show: the same files, the
//! same program and time zone, and either the same learner day (no buried card back since) or
//! a later one (no card buried into it), whose counts follow from the cards' due days.

use jiff::tz::TimeZone;

use super::{Collection, DeckSummary, Mode};
use crate::core::bundled::BUNDLED_DECKS;
use crate::core::error::Result;
use crate::core::ids::DeckId;
use crate::core::model::settings::Settings;
use crate::core::storage::deck_list_cache::{
    CachedDeck, DECK_LIST_CACHE_FORMAT_VERSION, DeckListCache, fingerprint,
};
use crate::core::storage::paths::DataPaths;
use crate::core::study::limits::DeckCounts;
use crate::core::time::{DayClock, DayNumber, Timestamp};

/// The deck list drawn from the cache.
#[derive(Clone, Debug, PartialEq)]
pub struct CachedDeckList {
    /// What [`Collection::deck_summaries`] will give once the collection is loaded.
    pub summaries: Vec<DeckSummary>,
    /// No card was ever studied.
    pub nothing_studied: bool,
    /// The settings the counts were checked with (read once at start, for the stand-in).
    pub settings: Settings,
}

/// What else the counts depend on: the program (its rules and bundled decks) and the time
/// zone; `None` for a zone without a name (no cache then).
fn context(time_zone: &TimeZone) -> Option<String> {
    let bundled = crate::core::ids::fnv64(
        BUNDLED_DECKS
            .iter()
            .flat_map(|(name, text)| name.bytes().chain(text.bytes())),
    );
    Some(format!(
        "kartu {}; {}; {bundled:016x}",
        env!("CARGO_PKG_VERSION"),
        time_zone.iana_name()?
    ))
}

/// Cards due in each learner day, from a queue in due order.
fn by_day<'a>(
    clock: &DayClock,
    due: impl Iterator<Item = &'a (Timestamp, u32)>,
) -> Vec<(i64, u32)> {
    let mut days: Vec<(i64, u32)> = Vec::new();
    let mut day_end = i64::MIN;
    for (at, _) in due {
        if at.unix_secs() >= day_end || days.is_empty() {
            let day = clock.day(*at).0;
            day_end = clock.day_start(DayNumber(day + 1)).unix_secs();
            match days.last_mut() {
                Some((last, count)) if *last == day => *count += 1,
                _ => days.push((day, 1)),
            }
        } else if let Some((_, count)) = days.last_mut() {
            *count += 1;
        }
    }
    days
}

impl Collection {
    /// A stand-in while the collection in `paths` loads on another thread: its `settings`
    /// (those of [`CachedDeckList`]), no decks, nothing written.
    pub fn loading(paths: DataPaths, time_zone: TimeZone, settings: Settings) -> Result<Self> {
        Self::empty(paths, settings, time_zone, None, Mode::Deferred)
    }

    /// The deck list's cache as of `now`: call it last, once nothing more will be written.
    #[must_use]
    pub fn deck_list_cache(&self, now: Timestamp) -> Option<DeckListCache> {
        let context = context(&self.time_zone)?;
        let summaries = self.deck_summaries(now);
        let mut decks = Vec::with_capacity(summaries.len());
        for ((_, i), summary) in self.tree().into_iter().zip(summaries) {
            let installed = &self.decks[i];
            let own = self.own_counts(installed, now);
            let limits = self.limits(&installed.deck.id);
            decks.push(CachedDeck {
                id: summary.id.0,
                title: summary.title,
                language: summary.language,
                parent: summary.parent.map(|p| p.0),
                depth: summary.depth,
                card_count: summary.card_count,
                counts: [own.new, own.learning, own.due],
                unseen: installed.queues.unseen.len(),
                limits: [limits.new_per_day, limits.reviews_per_day],
                learning: by_day(&self.clock, installed.queues.learning.iter()),
                review: by_day(&self.clock, installed.queues.review.iter()),
            });
        }
        let buried = self
            .decks
            .iter()
            .flat_map(|d| d.buried.values())
            .map(|until| until.unix_secs())
            .filter(|until| *until > now.unix_secs());
        let (next_unburied, last_unburied) = buried.fold((None, None), |(min, max), until| {
            (
                Some(min.map_or(until, |m: i64| m.min(until))),
                Some(max.map_or(until, |m: i64| m.max(until))),
            )
        });
        Some(DeckListCache {
            format: DECK_LIST_CACHE_FORMAT_VERSION,
            context,
            files: fingerprint(&self.paths),
            day: self.clock.day(now).0,
            next_unburied,
            last_unburied,
            nothing_studied: self.progress.card_count() == 0,
            decks,
        })
    }

    /// Writes the deck list's cache (see [`Collection::deck_list_cache`]); the writer only.
    pub fn write_deck_list_cache(&self, now: Timestamp) -> Result<()> {
        if !self.is_writer() {
            return Ok(());
        }
        match self.deck_list_cache(now) {
            Some(cache) => cache.write(&self.paths.deck_list_cache_file()),
            None => Ok(()),
        }
    }
}

/// The deck list of the collection in `paths` at `now`, from its cache, if the cache is
/// exactly what loading the collection would show; `None` otherwise.
#[must_use]
pub fn cached_deck_list(
    paths: &DataPaths,
    time_zone: &TimeZone,
    now: Timestamp,
) -> Option<CachedDeckList> {
    let cache = DeckListCache::read(&paths.deck_list_cache_file())?;
    if Some(&cache.context) != context(time_zone).as_ref() || cache.files != fingerprint(paths) {
        return None;
    }
    // The settings are among the files: their rollover hour is the one the cache used. (One
    // that does not read is reported by the load; meanwhile, defaults.)
    let settings = Settings::load(&paths.settings_file()).unwrap_or_default();
    let clock = DayClock::new(time_zone.clone(), settings.day_start_hour);
    let today = clock.day(now).0;
    let own: Vec<[usize; 3]> = match today.cmp(&cache.day) {
        // The same day: the counts as they were, unless a buried card has come back.
        std::cmp::Ordering::Equal => {
            if cache.next_unburied.is_some_and(|at| at <= now.unix_secs()) {
                return None;
            }
            cache.decks.iter().map(|d| d.counts).collect()
        }
        // A later day: nothing answered yet, so the limits are whole; nothing buried.
        std::cmp::Ordering::Greater => {
            let day_start = clock.day_start(DayNumber(today)).unix_secs();
            if cache.last_unburied.is_some_and(|at| at > day_start) {
                return None;
            }
            let due_by = |days: &[(i64, u32)]| -> usize {
                days.iter()
                    .take_while(|(day, _)| *day <= today)
                    .map(|(_, count)| *count as usize)
                    .sum()
            };
            cache
                .decks
                .iter()
                .map(|d| {
                    [
                        d.unseen.min(d.limits[0]),
                        due_by(&d.learning),
                        due_by(&d.review).min(d.limits[1]),
                    ]
                })
                .collect()
        }
        // The clock went back.
        std::cmp::Ordering::Less => return None,
    };
    // A parent's counts include its sub-decks' (the decks after it, deeper in the tree).
    let summaries = cache
        .decks
        .iter()
        .enumerate()
        .map(|(at, deck)| {
            let mut counts = DeckCounts::default();
            let family = std::iter::once(at).chain(
                (at + 1..cache.decks.len()).take_while(|j| cache.decks[*j].depth > deck.depth),
            );
            for j in family {
                counts.new += own[j][0];
                counts.learning += own[j][1];
                counts.due += own[j][2];
            }
            DeckSummary {
                id: DeckId(deck.id.clone()),
                title: deck.title.clone(),
                language: deck.language.clone(),
                parent: deck.parent.clone().map(DeckId),
                depth: deck.depth,
                card_count: deck.card_count,
                counts,
            }
        })
        .collect();
    Some(CachedDeckList {
        summaries,
        nothing_studied: cache.nothing_studied,
        settings,
    })
}
