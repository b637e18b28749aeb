//! Interval fuzz, with Anki's ranges, so cards learnt together drift apart.
//!
//! The fuzz factor comes from the card's identity and review count, so the same card answered
//! the same way always gets the same interval (and previews match what an answer will give).

/// `(start_days, end_days, factor)`: each day of the interval inside a range widens the fuzz by
/// `factor` days, on top of one day.
const FUZZ_RANGES: [(f32, f32, f32); 3] =
    [(2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, f32::MAX, 0.05)];

/// A fuzz factor in `[0, 1)` for a card (by its deck and card id) at its `reps`-th review.
#[must_use]
pub fn fuzz_factor(deck_id: &str, card_id: &str, reps: u32) -> f32 {
    let hash = crate::core::ids::fnv64(deck_id.bytes().chain([0]).chain(card_id.bytes()));
    let mixed = splitmix64(hash.wrapping_add(u64::from(reps)));
    // The top 24 bits give a uniform f32 in [0, 1).
    (mixed >> 40) as f32 / (1u64 << 24) as f32
}

fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Rounds `interval_days` to whole days within `[minimum, maximum]`, fuzzed when a factor is given.
#[must_use]
pub fn fuzzed_interval_days(
    fuzz_factor: Option<f32>,
    interval_days: f32,
    minimum: u32,
    maximum: u32,
) -> u32 {
    match fuzz_factor {
        Some(factor) => {
            let (lower, upper) = fuzz_bounds(interval_days, minimum, maximum);
            let span = (upper - lower + 1) as f32;
            ((lower as f32 + factor * span).floor() as u32).min(upper)
        }
        None => round_days(interval_days).clamp(minimum.min(maximum), maximum),
    }
}

/// The inclusive range of days fuzz may pick from, kept inside `[minimum, maximum]`.
#[must_use]
pub fn fuzz_bounds(interval_days: f32, minimum: u32, maximum: u32) -> (u32, u32) {
    let minimum = minimum.min(maximum);
    let interval = interval_days.clamp(minimum as f32, maximum as f32);
    let delta = fuzz_delta_days(interval);
    let lower = round_days(interval - delta).clamp(minimum, maximum);
    let mut upper = round_days(interval + delta).clamp(minimum, maximum);
    // Give the fuzz somewhere to go when the bounds squeeze it to one value.
    if upper == lower && upper > 2 && upper < maximum {
        upper = lower + 1;
    }
    (lower, upper)
}

fn fuzz_delta_days(interval_days: f32) -> f32 {
    if interval_days < 2.5 {
        return 0.0;
    }
    FUZZ_RANGES
        .iter()
        .fold(1.0, |delta, &(start, end, factor)| {
            delta + factor * (interval_days.min(end) - start).max(0.0)
        })
}

fn round_days(days: f32) -> u32 {
    if days.is_nan() || days <= 0.0 {
        0
    } else {
        days.round().min(u32::MAX as f32) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lower_middle_upper(interval: f32, minimum: u32, maximum: u32) -> (u32, u32, u32) {
        (
            fuzzed_interval_days(Some(0.0), interval, minimum, maximum),
            fuzzed_interval_days(Some(0.5), interval, minimum, maximum),
            fuzzed_interval_days(Some(0.99), interval, minimum, maximum),
        )
    }

    #[test]
    fn no_fuzz_rounds_and_clamps() {
        assert_eq!(fuzzed_interval_days(None, 1.5, 1, 100), 2);
        assert_eq!(fuzzed_interval_days(None, 0.1, 1, 100), 1);
        assert_eq!(fuzzed_interval_days(None, 101.0, 1, 100), 100);
    }

    #[test]
    fn fuzz_ranges_match_anki() {
        assert_eq!(lower_middle_upper(1.0, 1, 1000), (1, 1, 1));
        assert_eq!(lower_middle_upper(2.49, 1, 1000), (2, 2, 2));
        assert_eq!(lower_middle_upper(2.5, 1, 1000), (2, 3, 4));
        assert_eq!(lower_middle_upper(7.0, 1, 1000), (5, 7, 9));
        assert_eq!(lower_middle_upper(17.0, 1, 1000), (14, 17, 20));
        assert_eq!(lower_middle_upper(37.0, 1, 1000), (33, 37, 41));
        assert_eq!(lower_middle_upper(20.0, 3, 1000), (17, 20, 23));
    }

    #[test]
    fn fuzz_respects_limits() {
        assert_eq!(lower_middle_upper(2.0, 3, 1000), (3, 4, 4));
        assert_eq!(lower_middle_upper(2.0, 3, 3), (3, 3, 3));
        assert_eq!(lower_middle_upper(100.0, 101, 1000), (101, 105, 108));
        assert_eq!(lower_middle_upper(100.0, 1, 99), (92, 96, 99));
        assert_eq!(lower_middle_upper(100.0, 97, 103), (97, 100, 103));
        // Inverted limits do not panic.
        let _ = fuzz_bounds(1.0, 3, 2);
    }

    #[test]
    fn factor_is_deterministic_per_card_and_rep_and_spread_out() {
        let a = fuzz_factor("deck", "card", 3);
        assert_eq!(a.to_bits(), fuzz_factor("deck", "card", 3).to_bits());
        assert_ne!(a.to_bits(), fuzz_factor("deck", "card", 4).to_bits());
        assert_ne!(a.to_bits(), fuzz_factor("deck", "other", 3).to_bits());
        let samples: Vec<f32> = (0..2000)
            .map(|i| fuzz_factor("d", &i.to_string(), 0))
            .collect();
        assert!(samples.iter().all(|f| (0.0..1.0).contains(f)));
        let mean = samples.iter().sum::<f32>() / samples.len() as f32;
        assert!((mean - 0.5).abs() < 0.03, "mean {mean}");
    }
}
