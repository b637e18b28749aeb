//! The simulator and optimal-retention search, against Anki 26.9.3's
//! `simulate_fsrs_workload`, `simulate_fsrs_review`, `compute_optimal_retention`
//! and `get_optimal_retention_parameters` (load balancer off, review order
//! "Day", search matching no card, so only new cards are simulated).

use crate::support;

use std::collections::HashMap;
use std::time::Instant;

use kartu::core::scheduler::anki::{
    DayClock, ExistingCard, FSRS, HistoryOptions, Review, ReviewKind, SimulationOptions,
    SimulationPlan, default_retentions, memory_state_from_history, optimal_retention,
    simulate_workload,
};
use support::{TestResult, open, synth};

const NEXT_DAY_AT: i64 = 1_796_011_200;

fn clock() -> DayClock {
    DayClock::from_next_day_at(NEXT_DAY_AT)
}

fn new_cards_plan() -> TestResult<SimulationPlan> {
    let options = SimulationOptions {
        new_cards: 10_000,
        ..SimulationOptions::default()
    };
    Ok(SimulationPlan::new(&[], &[], clock(), &options, &[])?)
}

#[test]
fn workload_matches_anki() -> TestResult {
    let plan = new_cards_plan()?;
    // Anki: dr -> (memorized at the end, total seconds, reviews + new cards).
    let anki = [
        (0.70, 5_990.779, 802_435.1, 32_729),
        (0.80, 6_535.296_4, 972_349.75, 44_921),
        (0.90, 6_046.786, 1_141_011.6, 62_476),
        (0.97, 2_919.885_5, 1_073_585.1, 70_695),
    ];
    let started = Instant::now();
    let all = simulate_workload(&plan, &default_retentions())?;
    println!(
        "simulate_workload: 28 retentions x 365 days x 10 000 cards in {:?}",
        started.elapsed()
    );
    assert_eq!(all.len(), 28);
    for (dr, known, seconds, reviews) in anki {
        let w = all
            .iter()
            .find(|w| (w.desired_retention - dr).abs() < 1e-6)
            .ok_or("retention missing")?;
        println!("  {w:?}");
        assert!((w.cards_known - known).abs() < 0.05, "{w:?}");
        assert!((w.total_minutes * 60.0 - seconds).abs() < 1.0, "{w:?}");
        assert_eq!(w.reviews, reviews, "{w:?}");
        assert!((w.minutes_per_day - w.total_minutes / 365.0).abs() < 1e-3);
    }
    // simulate_fsrs_review at 0.9: 56 120 reviews and 6 356 new cards.
    let run = plan.run(0.9)?;
    assert_eq!(run.review_cnt_per_day.iter().sum::<usize>(), 56_120);
    assert_eq!(run.learn_cnt_per_day.iter().sum::<usize>(), 6_356);
    Ok(())
}

#[test]
fn optimal_retention_matches_anki() -> TestResult {
    let plan = new_cards_plan()?;
    let started = Instant::now();
    let mut iterations = 0;
    let best = optimal_retention(&plan, |i| {
        iterations = i;
        true
    })?;
    println!(
        "optimal_retention: {best} in {:?} ({iterations} progress calls)",
        started.elapsed()
    );
    assert!((best - 0.936_732_1).abs() < 1e-5, "{best}");
    Ok(())
}

/// The simulator settings measured from a review log, as Anki's
/// `get_optimal_retention_parameters` reported for the synthetic log.
#[test]
fn measured_config_matches_anki() -> TestResult {
    let log = synthetic_log()?;
    let plan = SimulationPlan::new(&[], &log, clock(), &SimulationOptions::default(), &[])?;
    let close =
        |ours: &[f32], anki: &[f32]| ours.iter().zip(anki).all(|(a, b)| (a - b).abs() < 1e-5);
    let c = &plan.config;
    assert!(close(
        &c.first_rating_prob,
        &[0.201_381_36, 0.100_907_74, 0.548_569_3, 0.149_141_6]
    ));
    assert!(close(
        &c.review_rating_prob,
        &[0.148_059_41, 0.752_188_15, 0.099_752_426]
    ));
    assert!(close(
        &c.state_rating_costs[0],
        &[11.25, 11.34, 11.03, 10.98]
    ));
    assert!(close(
        &c.state_rating_costs[1],
        &[11.14, 11.05, 11.01, 10.97]
    ));
    assert!(close(
        &c.state_rating_costs[2],
        &[16.44, 15.25, 11.07, 8.03]
    ));
    assert!(close(
        &c.learning_step_transitions[0],
        &[0.009_327_9, 0.001_987_5, 0.986_817, 0.001_865_1]
    ));
    assert!(close(
        &c.relearning_step_transitions[0],
        &[
            0.001_366_541_7,
            0.000_488_754_25,
            0.997_678,
            0.000_466_142_8
        ]
    ));
    assert!(close(
        &c.relearning_step_transitions[1],
        &[0.064_814_81, 0.447_963, 0.432_870_36, 0.054_351_85]
    ));
    Ok(())
}

fn synthetic_log() -> TestResult<Vec<Review>> {
    let col = open("scale10000.apkg")?;
    let mut stmt = col.db.prepare("select id from cards")?;
    let mut ids: Vec<i64> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    ids.sort_unstable();
    Ok(synth::review_log(&ids, 1_796_000_000_000, 2026))
}

/// A whole collection carried forward: 10 000 studied cards from the
/// synthetic log plus 5 000 new ones, over every offered retention.
#[test]
fn workload_with_existing_cards() -> TestResult {
    let log = synthetic_log()?;
    let fsrs = FSRS::default();
    let mut per_card: HashMap<i64, Vec<Review>> = HashMap::new();
    for r in &log {
        per_card.entry(r.card_id).or_default().push(*r);
    }
    let mut existing = Vec::new();
    for (id, history) in &per_card {
        let Some(memory) =
            memory_state_from_history(&fsrs, history, clock(), &HistoryOptions::default())?
        else {
            continue;
        };
        let Some(last) = history
            .iter()
            .rev()
            .find(|r| r.rating > 0 && r.kind != ReviewKind::Manual)
        else {
            continue;
        };
        let interval = u32::try_from(last.interval_days.max(0))?;
        let due = i64::from(interval) - i64::from(clock().days_ago(last.at_ms));
        existing.push(ExistingCard {
            id: *id,
            memory,
            interval_days: interval,
            due_in_days: i32::try_from(due)?,
            lapses: u32::try_from(
                history
                    .iter()
                    .filter(|r| r.rating == 1 && r.kind == ReviewKind::Review)
                    .count(),
            )?,
            in_learning: last.interval_days <= 0,
        });
    }
    let options = SimulationOptions {
        new_cards: 5_000,
        ..SimulationOptions::default()
    };
    let plan = SimulationPlan::new(&[], &log, clock(), &options, &existing)?;
    assert_eq!(plan.config.deck_size, existing.len() + 5_000);
    let started = Instant::now();
    let all = simulate_workload(&plan, &default_retentions())?;
    println!(
        "simulate_workload with {} existing + 5 000 new cards, 28 retentions: {:?}",
        existing.len(),
        started.elapsed()
    );
    for w in &all {
        assert!(
            w.minutes_per_day.is_finite() && w.minutes_per_day > 0.0,
            "{w:?}"
        );
        assert!(w.cards_known.is_finite() && w.cards_known > 0.0, "{w:?}");
    }
    let started = Instant::now();
    let best = optimal_retention(&plan, |_| true)?;
    println!(
        "optimal_retention with existing cards: {best} in {:?}",
        started.elapsed()
    );
    assert!((0.7..=0.95).contains(&best));
    Ok(())
}
