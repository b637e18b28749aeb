//! Checks against the real Anki 26.9.3 exports in `/work/shared/fixtures/anki`.
//!
//! Two references are used: what Anki stored in `cards.data` while the
//! fixture was studied (rounded to 4 decimals for stability, 3 for difficulty,
//! and replayed answer by answer from those rounded values), and what Anki
//! 26.9.3's own backend (the `anki` wheel: `compute_memory_state`,
//! `compute_fsrs_params`, `evaluate_params_legacy`, `graphs`) returned for the
//! same collection, pinned below.

// Parameters returned untouched are compared bit for bit on purpose.
#![allow(clippy::float_cmp)]

use crate::support;

use std::collections::HashMap;
use std::time::Instant;

use kartu::core::scheduler::anki::{
    CardSchedule, DEFAULT_PARAMETERS, DayClock, FSRS, HistoryOptions, OptimizeOptions,
    RetentionCounts, Review, ReviewKind, evaluate, memory_state_for_card,
    memory_state_from_history, optimize, training_items, true_retention,
};
use support::{TestResult, cards, open, preset, reviews, rollover_hour, studied_at_secs};

/// `compute_memory_state` of Anki 26.9.3 for every studied card of `small`.
const ANKI_MEMORY_STATES: [(i64, f32, f32); 24] = [
    (1_795_601_193_915, 50.703_667, 2.097_455_3),
    (1_795_601_193_918, 10.971_057, 2.104_331_3),
    (1_795_601_193_920, 75.347_98, 1.0),
    (1_795_601_193_922, 1.407_544_7, 7.589_367),
    (1_795_601_193_926, 0.607_701_66, 7.392_237_7),
    (1_795_601_193_929, 4.655_957, 5.082_549),
    (1_795_601_193_934, 2.306_5, 2.118_104),
    (1_795_601_193_938, 0.212, 6.413_3),
    (1_795_601_193_942, 46.316_875, 2.097_455_3),
    (1_795_601_193_943, 10.971_057, 2.104_331_3),
    (1_795_601_193_946, 65.624_26, 1.0),
    (1_795_601_193_950, 1.407_544_7, 7.589_367),
    (1_795_601_193_954, 0.607_701_66, 7.392_237_7),
    (1_795_601_193_958, 4.655_957, 5.082_549),
    (1_795_601_193_962, 2.306_5, 2.118_104),
    (1_795_601_193_966, 0.212, 6.413_3),
    (1_795_601_193_970, 41.496_487, 2.097_455_3),
    (1_795_601_193_974, 10.971_057, 2.104_331_3),
    (1_795_601_193_975, 75.347_98, 1.0),
    (1_795_601_193_976, 1.407_544_7, 7.589_367),
    (1_795_601_193_978, 0.607_701_66, 7.392_237_7),
    (1_795_601_193_982, 4.655_957, 5.082_549),
    (1_795_601_193_983, 2.306_5, 2.118_104),
    (1_795_601_193_987, 0.212, 6.413_3),
];

fn by_card(log: &[Review]) -> HashMap<i64, Vec<Review>> {
    let mut map: HashMap<i64, Vec<Review>> = HashMap::new();
    for review in log {
        map.entry(review.card_id).or_default().push(*review);
    }
    map
}

/// Replays every studied card of `name` and compares with Anki's state.
fn check_memory_states(name: &str) -> TestResult {
    let col = open(name)?;
    let log = reviews(&col)?;
    let preset = preset(&col)?;
    // The preset never optimised: empty parameters mean the FSRS-6 defaults.
    assert!(
        preset.fsrs_params.is_empty(),
        "{name}: {:?}",
        preset.fsrs_params
    );
    assert!((preset.desired_retention - 0.9).abs() < 1e-6);
    let fsrs = FSRS::new(&preset.fsrs_params)?;
    let clock = DayClock::at(studied_at_secs(&log), 0, rollover_hour(&col));
    let options = HistoryOptions {
        historical_retention: preset.historical_retention,
        ignore_before_ms: 0,
    };
    let history = by_card(&log);
    let anki: HashMap<i64, (f32, f32)> = ANKI_MEMORY_STATES
        .iter()
        .map(|&(id, s, d)| (id, (s, d)))
        .collect();
    let (mut compared, mut worst_stored, mut worst_anki) = (0, 0f32, 0f32);
    for card in cards(&col)? {
        let schedule = CardSchedule {
            is_new: card.ctype == 0,
            interval_days: u32::try_from(card.interval)?,
            ease_factor: u32::try_from(card.ease_factor)?,
        };
        let own = history.get(&card.id).map_or(&[][..], Vec::as_slice);
        let ours = memory_state_for_card(&fsrs, own, clock, &schedule, &options)?;
        let Some((s, d)) = card.stored else {
            assert!(
                ours.is_none(),
                "{name}: card {} has no stored state",
                card.id
            );
            continue;
        };
        let ours = ours.ok_or("no state computed")?;
        // Difficulty is stored on FSRS's own 1..=10 scale.
        assert!((1.0..=10.0).contains(&d));
        let stored_diff = (ours.stability - s).abs().max((ours.difficulty - d).abs());
        assert!(
            stored_diff < 0.01,
            "{name}: card {}: {ours:?} vs stored ({s}, {d})",
            card.id
        );
        worst_stored = worst_stored.max(stored_diff);
        let (anki_s, anki_d) = anki[&card.id];
        let anki_diff = (ours.stability - anki_s)
            .abs()
            .max((ours.difficulty - anki_d).abs());
        assert!(
            anki_diff < 1e-4,
            "{name}: card {}: {ours:?} vs Anki ({anki_s}, {anki_d})",
            card.id
        );
        worst_anki = worst_anki.max(anki_diff);
        // `dr` is the preset's retention, `decay` the parameters' w20, 3 decimals.
        let (dr, decay) = card.dr_decay.ok_or("no dr/decay")?;
        assert!((dr - preset.desired_retention).abs() < 1e-6);
        assert!((decay - (DEFAULT_PARAMETERS[20] * 1000.0).round() / 1000.0).abs() < 1e-6);
        compared += 1;
    }
    assert_eq!(compared, 24);
    println!(
        "{name}: 24 cards, max |Δ| vs cards.data {worst_stored:.6}, vs Anki compute_memory_state {worst_anki:.2e}"
    );
    Ok(())
}

#[test]
fn memory_states_match_anki_current_format() -> TestResult {
    check_memory_states("small.apkg")
}

#[test]
fn memory_states_match_anki_legacy_format() -> TestResult {
    check_memory_states("small.legacy.apkg")
}

#[test]
fn memory_state_does_not_depend_on_today() -> TestResult {
    let col = open("small.apkg")?;
    let log = reviews(&col)?;
    let fsrs = FSRS::default();
    let options = HistoryOptions::default();
    for card in by_card(&log).values() {
        let studied = DayClock::at(studied_at_secs(&log), 0, 4);
        let later = DayClock::from_next_day_at(studied.next_day_at_secs() + 30 * 86_400);
        let a = memory_state_from_history(&fsrs, card, studied, &options)?;
        let b = memory_state_from_history(&fsrs, card, later, &options)?;
        assert_eq!(a, b);
    }
    Ok(())
}

#[test]
fn small_training_items_and_metrics_match_anki() -> TestResult {
    let col = open("small.apkg")?;
    let log = reviews(&col)?;
    assert_eq!(log.len(), 66);
    let clock = DayClock::at(studied_at_secs(&log), 0, 4);
    let set = training_items(&log, clock, 0);
    // Anki 26.9.3's compute_fsrs_params reported fsrs_items = 21.
    assert_eq!(set.items.len(), 21);
    assert_eq!(set.card_ids.len(), 21);
    // 66 entries less the 6 cards with a single learning step (no item, so not counted).
    assert_eq!(set.review_count, 60);
    // evaluate_params_legacy with the default parameters.
    let metrics = evaluate(&[], &set)?;
    println!("small: 21 items from 60 reviews; default params {metrics:?}");
    assert!((metrics.log_loss - 0.518_684_4).abs() < 1e-5, "{metrics:?}");
    assert!(
        (metrics.rmse_bins - 0.092_942_44).abs() < 1e-5,
        "{metrics:?}"
    );

    // What the crate itself makes of so little: after dropping outliers (rare
    // first-rating / interval pairs) fewer than 8 items remain, so it returns
    // its defaults untouched.
    let raw = fsrs::compute_parameters(fsrs::ComputeParametersInput {
        train_set: set.items.clone(),
        card_ids: Some(set.card_ids.clone()),
        ..fsrs::ComputeParametersInput::default()
    })?;
    println!("small: crate's compute_parameters -> {raw:?}");
    assert_eq!(raw, DEFAULT_PARAMETERS.to_vec());
    // Anki then finds them no better than the defaults and keeps the preset
    // (it returned an empty list, i.e. "already optimal").
    let outcome = optimize(&set, &OptimizeOptions::default(), |_, _| true)?;
    assert!(outcome.kept_current);
    assert_eq!(outcome.params, DEFAULT_PARAMETERS);
    Ok(())
}

#[test]
fn small_true_retention_matches_anki_graphs() -> TestResult {
    let col = open("small.apkg")?;
    let log = reviews(&col)?;
    // Anki's graphs were asked on 2026-11-30, next day at 04:00 UTC.
    let table = true_retention(&log, DayClock::from_next_day_at(1_796_011_200));
    let young = |passed, failed| RetentionCounts {
        young_passed: passed,
        young_failed: failed,
        ..RetentionCounts::default()
    };
    assert_eq!(table.today, young(0, 0));
    assert_eq!(table.yesterday, young(0, 0));
    assert_eq!(table.week, young(15, 3));
    assert_eq!(table.month, young(18, 3));
    assert_eq!(table.year, young(18, 3));
    assert_eq!(table.all_time, young(18, 3));
    // On the day it was studied, those 15 + 3 fell on "today".
    let that_day = true_retention(&log, DayClock::at(studied_at_secs(&log), 0, 4));
    assert_eq!(that_day.today, young(15, 3));
    assert_eq!(that_day.today.young(), Some(15.0 / 18.0));
    assert_eq!(that_day.today.mature(), None);
    Ok(())
}

#[test]
fn scale_collections_have_no_usable_history() -> TestResult {
    for (name, cards_in_review) in [("scale10000.apkg", 1_000), ("scale100000.apkg", 10_000)] {
        let col = open(name)?;
        let log = reviews(&col)?;
        // One "set due date" entry per review card, nothing graded.
        assert_eq!(log.len(), cards_in_review);
        assert!(
            log.iter()
                .all(|r| r.kind == ReviewKind::Manual && r.rating == 0)
        );
        let clock = DayClock::at(studied_at_secs(&log), 0, rollover_hour(&col));
        let set = training_items(&log, clock, 0);
        // Anki 26.9.3: fsrs_items = 0, and evaluate says "insufficient history".
        assert!(set.is_empty());
        assert_eq!(set.review_count, 0);
        assert!(evaluate(&[], &set).is_err());

        // Optimising keeps the preset, as Anki does, and reports progress never
        // because nothing runs; the crate alone returns its defaults.
        let started = Instant::now();
        let outcome = optimize(&set, &OptimizeOptions::default(), |_, _| true)?;
        assert!(outcome.kept_current);
        assert_eq!(outcome.params, DEFAULT_PARAMETERS);
        let raw = fsrs::compute_parameters(fsrs::ComputeParametersInput::default())?;
        assert_eq!(raw, DEFAULT_PARAMETERS.to_vec());
        println!(
            "{name}: {} revlog entries, 0 usable; optimize returned in {:?}",
            log.len(),
            started.elapsed()
        );

        // No memory states: review cards with interval 0 and no graded history.
        let fsrs = FSRS::default();
        let history = by_card(&log);
        for card in cards(&col)? {
            assert!(card.stored.is_none());
            let schedule = CardSchedule {
                is_new: card.ctype == 0,
                interval_days: u32::try_from(card.interval)?,
                ease_factor: u32::try_from(card.ease_factor)?,
            };
            let own = history.get(&card.id).map_or(&[][..], Vec::as_slice);
            let options = HistoryOptions::default();
            assert!(memory_state_for_card(&fsrs, own, clock, &schedule, &options)?.is_none());
        }
    }
    Ok(())
}

#[test]
fn sm2_fallback_for_scale_cards_with_an_interval() -> TestResult {
    // The scale cards sit in review with ease 250 % but interval 0. Give one an
    // interval, as after an SM-2 history was deleted: Anki then infers the state
    // from ease and interval at the historical retention.
    let fsrs = FSRS::default();
    let card = CardSchedule {
        is_new: false,
        interval_days: 30,
        ease_factor: 2500,
    };
    let clock = DayClock::from_next_day_at(1_796_011_200);
    let state = memory_state_for_card(&fsrs, &[], clock, &card, &HistoryOptions::default())?
        .ok_or("expected a state")?;
    let direct = kartu::core::scheduler::anki::memory_state_from_sm2(&fsrs, 2.5, 30.0, 0.9)?;
    assert_eq!(state, direct);
    // At the historical retention the SM-2 interval is the stability.
    assert!((state.stability - 30.0).abs() < 1e-3, "{state:?}");
    assert!((1.0..=10.0).contains(&state.difficulty));
    Ok(())
}
