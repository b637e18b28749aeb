//! A deterministic synthetic review log, large enough to time the optimiser
//! and varied enough to exercise every filtering rule (resets, crams, manual
//! and rescheduled entries, truncated histories, relearning).
//!
//! The fixtures' own logs are tiny (`small`: 66 entries) or carry no graded
//! review at all (`scale*`: one "set due date" entry per card), so the
//! numbers this log yields were checked once against real Anki 26.9.3 (the
//! `anki` wheel) and are pinned in `tests/synthetic.rs`.

use fsrs::{FSRS, MemoryState};
use kartu::core::scheduler::anki::{Review, ReviewKind};

const DAY_MS: i64 = 86_400_000;

/// splitmix64: tiny, seedable, and identical everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    #[allow(clippy::cast_precision_loss)]
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, p: f32) -> bool {
        self.unit() < p
    }
}

/// One card's log under construction.
struct Card<'a> {
    rng: &'a mut Rng,
    fsrs: &'a FSRS,
    id: i64,
    out: Vec<Review>,
    /// Current time in ms; strictly increases with each entry.
    now: i64,
    interval: i32,
    state: Option<MemoryState>,
    /// Time of the last review that FSRS saw.
    last_review: i64,
}

impl Card<'_> {
    fn push(&mut self, rating: u8, kind: ReviewKind, interval: i32, ease_factor: u32) {
        #[allow(clippy::cast_possible_truncation)]
        let answer_ms = 2_000 + self.rng.below(18_000) as u32;
        // Anki logs manual and rescheduling entries with no answer time.
        let duration_ms = if rating == 0 { 0 } else { answer_ms };
        self.out.push(Review {
            at_ms: self.now,
            card_id: self.id,
            rating,
            kind,
            interval_days: interval,
            last_interval_days: self.interval,
            ease_factor,
            duration_ms,
        });
        self.interval = interval;
        self.now += 1_000 + i64::try_from(self.rng.below(60_000)).unwrap_or(0);
    }

    fn factor(&self) -> u32 {
        // FSRS logs difficulty d as ((d - 1) / 9 + 0.1) * 1000.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        self.state.map_or(2500, |s| {
            (((s.difficulty - 1.0) / 9.0 + 0.1) * 1000.0) as u32
        })
    }

    fn answer(&mut self, rating: u8) {
        let elapsed =
            u32::try_from((self.now / DAY_MS - self.last_review / DAY_MS).max(0)).unwrap_or(0);
        if let Ok(next) = self.fsrs.next_states(self.state, 0.9, elapsed) {
            let chosen = match rating {
                1 => next.again,
                2 => next.hard,
                3 => next.good,
                _ => next.easy,
            };
            self.state = Some(chosen.memory);
        }
        self.last_review = self.now;
    }

    fn next_interval(&self) -> i32 {
        let stability = self.state.map_or(1.0, |s| s.stability);
        let days = self
            .fsrs
            .next_interval(Some(stability), 0.9, 3)
            .round()
            .clamp(1.0, 3650.0);
        #[allow(clippy::cast_possible_truncation)]
        {
            days as i32
        }
    }

    /// Learning steps on one day, then graduation.
    fn learn(&mut self) {
        let first = match self.rng.unit() {
            x if x < 0.2 => 1,
            x if x < 0.3 => 2,
            x if x < 0.85 => 3,
            _ => 4,
        };
        self.answer(first);
        if first == 4 {
            let ivl = self.next_interval();
            self.push(4, ReviewKind::Learning, ivl, self.factor());
            return;
        }
        self.push(first, ReviewKind::Learning, -600, self.factor());
        if first == 1 {
            self.push(3, ReviewKind::Learning, -600, self.factor());
        }
        self.answer(3);
        let ivl = self.next_interval();
        self.push(3, ReviewKind::Learning, ivl, self.factor());
    }

    /// Reviews until `end`, with the occasional odd entry mixed in.
    fn review_until(&mut self, end: i64) {
        while self.now + i64::from(self.interval.max(1)) * DAY_MS < end {
            self.now += i64::from(self.interval.max(1)) * DAY_MS;
            if self.rng.chance(0.02) {
                // Cram in a filtered deck without rescheduling: ignored by FSRS.
                let rating = 1 + u8::try_from(self.rng.below(4)).unwrap_or(0);
                let ivl = self.interval;
                self.push(rating, ReviewKind::Filtered, ivl, 0);
            }
            if self.rng.chance(0.02) {
                // "Set due date".
                let ivl = self.interval;
                self.push(0, ReviewKind::Manual, ivl, self.factor());
            }
            if self.rng.chance(0.01) {
                let ivl = self.interval;
                self.push(0, ReviewKind::Rescheduled, ivl, self.factor());
            }
            if self.rng.chance(0.01) {
                // Reset to new, then learnt again some days later.
                self.push(0, ReviewKind::Manual, 0, 0);
                self.state = None;
                self.now += i64::try_from(1 + self.rng.below(20)).unwrap_or(1) * DAY_MS;
                self.learn();
                continue;
            }
            let elapsed = (self.now - self.last_review) / DAY_MS;
            #[allow(clippy::cast_precision_loss)]
            let recall = self.state.map_or(0.9, |s| {
                fsrs::current_retrievability(s, elapsed as f32, fsrs::FSRS6_DEFAULT_DECAY)
            });
            let kind = if self.rng.chance(0.03) {
                // Reviewed early in a filtered deck that reschedules: counts.
                ReviewKind::Filtered
            } else {
                ReviewKind::Review
            };
            if self.rng.chance(recall) {
                let rating = match self.rng.unit() {
                    x if x < 0.15 => 2,
                    x if x < 0.9 => 3,
                    _ => 4,
                };
                self.answer(rating);
                let ivl = self.next_interval();
                self.push(rating, kind, ivl, self.factor());
            } else {
                self.answer(1);
                self.push(1, kind, -600, self.factor());
                self.answer(3);
                let ivl = self.next_interval();
                self.push(3, ReviewKind::Relearning, ivl, self.factor());
            }
        }
    }
}

/// A review log for `card_ids`, each card starting 30 to 730 days before
/// `end_ms` and studied until then.
#[must_use]
pub fn review_log(card_ids: &[i64], end_ms: i64, seed: u64) -> Vec<Review> {
    let fsrs = FSRS::default();
    let mut rng = Rng(seed);
    let mut log = Vec::new();
    for &id in card_ids {
        let start = end_ms
            - i64::try_from(30 + rng.below(700)).unwrap_or(30) * DAY_MS
            - i64::try_from(rng.below(80_000_000)).unwrap_or(0);
        let truncated = rng.chance(0.08);
        let mut card = Card {
            rng: &mut rng,
            fsrs: &fsrs,
            id,
            out: Vec::new(),
            now: start,
            interval: 0,
            state: None,
            last_review: start,
        };
        if truncated {
            // History before FSRS was cut off: the first entry is a review
            // with an SM-2 ease, or with an FSRS-written one (<= 110 %).
            let ivl = i32::try_from(1 + card.rng.below(60)).unwrap_or(1);
            let fsrs_written = card.rng.chance(0.3);
            let factor = if fsrs_written {
                100 + u32::try_from(card.rng.below(1000)).unwrap_or(0)
            } else {
                1300 + 50 * u32::try_from(card.rng.below(30)).unwrap_or(0)
            };
            card.interval = ivl;
            card.push(3, ReviewKind::Review, ivl, factor);
            card.last_review = card.now;
        } else {
            card.learn();
        }
        card.review_until(end_ms);
        log.append(&mut card.out);
    }
    // Revlog ids are unique in Anki; nudge the rare same-millisecond clash.
    log.sort_by_key(|r| r.at_ms);
    for i in 1..log.len() {
        if log[i].at_ms <= log[i - 1].at_ms {
            log[i].at_ms = log[i - 1].at_ms + 1;
        }
    }
    log
}
