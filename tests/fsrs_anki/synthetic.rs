//! A large synthetic review log (see `support/synth.rs`), cross-checked once
//! against Anki 26.9.3's backend and timed.

// Parameters returned untouched are compared bit for bit on purpose.
#![allow(clippy::float_cmp)]

use crate::support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use kartu::core::scheduler::anki::{
    DEFAULT_PARAMETERS, DayClock, FSRS, HistoryOptions, OptimizeOptions, RetentionCounts, Review,
    evaluate, evaluate_time_series, health_check, memory_state_from_history, optimize,
    training_items, true_retention,
};
use support::{TestResult, open, synth};

/// Anki's next rollover when the oracle ran: 2026-11-30 04:00 UTC.
const NEXT_DAY_AT: i64 = 1_796_011_200;
/// The log ends an hour before that midnight-ish point.
const END_MS: i64 = 1_796_000_000_000;

fn card_ids() -> TestResult<Vec<i64>> {
    let col = open("scale10000.apkg")?;
    let mut stmt = col.db.prepare("select id from cards")?;
    let mut ids: Vec<i64> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    ids.sort_unstable();
    Ok(ids)
}

fn log() -> TestResult<Vec<Review>> {
    Ok(synth::review_log(&card_ids()?, END_MS, 2026))
}

fn clock() -> DayClock {
    DayClock::from_next_day_at(NEXT_DAY_AT)
}

/// Writes the synthetic log into a copy of `scale10000` at `$FSRS_ANKI_EXPORT`
/// so Anki itself can be asked about it. Run by hand with `--ignored`.
#[test]
#[ignore = "writes a collection for the Anki oracle"]
fn export_for_anki_oracle() -> TestResult {
    let path = std::env::var("FSRS_ANKI_EXPORT")?;
    let col = open("scale10000.apkg")?;
    std::fs::copy(col.dir.path().join("collection.sqlite"), &path)?;
    drop(col);
    let mut db = rusqlite::Connection::open(&path)?;
    let tx = db.transaction()?;
    tx.execute("delete from revlog", [])?;
    {
        let mut insert = tx.prepare(
            "insert into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) \
             values (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for r in log()? {
            let kind = match r.kind {
                kartu::core::scheduler::anki::ReviewKind::Learning => 0,
                kartu::core::scheduler::anki::ReviewKind::Review => 1,
                kartu::core::scheduler::anki::ReviewKind::Relearning => 2,
                kartu::core::scheduler::anki::ReviewKind::Filtered => 3,
                kartu::core::scheduler::anki::ReviewKind::Manual => 4,
                kartu::core::scheduler::anki::ReviewKind::Rescheduled => 5,
            };
            insert.execute(rusqlite::params![
                r.at_ms,
                r.card_id,
                r.rating,
                r.interval_days,
                r.last_interval_days,
                r.ease_factor,
                r.duration_ms,
                kind
            ])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// The cutoff used for the "ignore reviews before" check: 2026-03-01.
const CUTOFF_MS: i64 = 1_772_323_200_000;

fn per_card(log: &[Review]) -> HashMap<i64, Vec<Review>> {
    let mut map: HashMap<i64, Vec<Review>> = HashMap::new();
    for r in log {
        map.entry(r.card_id).or_default().push(*r);
    }
    map
}

#[test]
fn training_items_match_anki() -> TestResult {
    let log = log()?;
    assert_eq!(log.len(), 121_397);
    let started = Instant::now();
    let set = training_items(&log, clock(), 0);
    let elapsed = started.elapsed();
    // Anki 26.9.3 compute_fsrs_params: fsrs_items 73 338; with the cutoff 19 694.
    assert_eq!(set.items.len(), 73_338);
    assert_eq!(set.card_ids.len(), set.items.len());
    assert_eq!(set.review_count, 99_359);
    assert_eq!(training_items(&log, clock(), CUTOFF_MS).items.len(), 19_694);
    println!(
        "training_items: {} entries -> {} items in {elapsed:?}",
        log.len(),
        set.items.len()
    );
    Ok(())
}

/// Sums over all 10 000 cards of Anki's `compute_memory_state`, and a sample.
#[test]
fn memory_states_match_anki() -> TestResult {
    const SAMPLE: [(i64, f32, f32); 10] = [
        (1_796_002_633_608, 497.876_7, 2.083_724),
        (1_796_002_633_609, 85.289_26, 9.148_191),
        (1_796_002_633_610, 367.198, 7.569_167),
        (1_796_002_634_385, 55.544_655, 4.652_663),
        (1_796_002_634_842, 1.812_653_4, 9.935_402),
        (1_796_002_637_929, 509.550_4, 1.0),
        (1_796_002_638_608, 332.636_26, 6.433_65),
        (1_796_002_640_397, 115.419_28, 7.537_552),
        (1_796_002_642_496, 79.791_34, 9.629_139),
        (1_796_002_643_607, 46.316_875, 2.097_455_3),
    ];
    let log = log()?;
    let cards = per_card(&log);
    let fsrs = FSRS::default();
    let sums = |options: &HistoryOptions| -> TestResult<(usize, f64, f64)> {
        let (mut n, mut s, mut d) = (0, 0f64, 0f64);
        for history in cards.values() {
            if let Some(state) = memory_state_from_history(&fsrs, history, clock(), options)? {
                n += 1;
                s += f64::from(state.stability);
                d += f64::from(state.difficulty);
            }
        }
        Ok((n, s, d))
    };
    let started = Instant::now();
    let (n, s, d) = sums(&HistoryOptions::default())?;
    println!("10 000 memory states in {:?}", started.elapsed());
    assert_eq!(n, 10_000);
    assert!((s - 2_943_050.761_442_84).abs() < 0.5, "{s}");
    assert!((d - 55_092.810_052_990_91).abs() < 0.01, "{d}");
    let cut = HistoryOptions {
        ignore_before_ms: CUTOFF_MS,
        ..HistoryOptions::default()
    };
    let (n, s, d) = sums(&cut)?;
    assert_eq!(n, 8_845);
    assert!((s - 2_411_956.450_514_495_4).abs() < 0.5, "{s}");
    assert!((d - 50_834.364_746_928_215).abs() < 0.01, "{d}");
    for (id, anki_s, anki_d) in SAMPLE {
        let ours =
            memory_state_from_history(&fsrs, &cards[&id], clock(), &HistoryOptions::default())?
                .ok_or("no state")?;
        assert!(
            (ours.stability - anki_s).abs() <= anki_s * 1e-6,
            "{id}: {ours:?}"
        );
        assert!((ours.difficulty - anki_d).abs() < 1e-5, "{id}: {ours:?}");
    }
    Ok(())
}

#[test]
fn evaluation_matches_anki() -> TestResult {
    let set = training_items(&log()?, clock(), 0);
    // evaluate_params_legacy(default params): 0.318 434 18, 0.012 984 438.
    let started = Instant::now();
    let metrics = evaluate(&[], &set)?;
    println!("evaluate: {metrics:?} in {:?}", started.elapsed());
    assert!(
        (metrics.log_loss - 0.318_434_18).abs() < 1e-5,
        "{metrics:?}"
    );
    assert!(
        (metrics.rmse_bins - 0.012_984_438).abs() < 1e-5,
        "{metrics:?}"
    );
    // evaluate_params (time-series splits): 0.316 735 83, 0.013 406 986.
    let started = Instant::now();
    let mut calls = 0;
    let split = evaluate_time_series(&set, 1, |_, _| {
        calls += 1;
        true
    })?;
    println!(
        "evaluate_time_series: {split:?} in {:?}, {calls} progress calls",
        started.elapsed()
    );
    assert!((split.log_loss - 0.316_735_83).abs() < 1e-4, "{split:?}");
    assert!((split.rmse_bins - 0.013_406_986).abs() < 1e-4, "{split:?}");
    assert_eq!(health_check(&set, 1), Some(true));
    Ok(())
}

/// The preset Anki was given: the defaults with an implausible w2, so the
/// optimised parameters win and Anki returns them.
const BAD_CURRENT: [f32; 21] = [
    0.212, 1.2931, 20.0, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835,
    0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
];

/// Anki 26.9.3 `compute_fsrs_params` on this log, one relearning step.
const ANKI_OPTIMIZED: [f32; 21] = [
    0.159_126_49,
    1.264_518_5,
    3.008_612_4,
    8.367_719,
    5.957_272_5,
    0.317_856_07,
    3.151_03,
    0.001_186_350_2,
    1.932_127,
    0.245_924_1,
    1.107_946,
    1.371_324,
    0.101_756_945,
    0.279_875_04,
    1.743_07,
    0.649_505_1,
    1.591_226_5,
    0.470_487_24,
    0.020_342_18,
    0.040_450_2,
    0.100_073_345,
];

#[test]
fn optimize_matches_anki_and_is_fast() -> TestResult {
    let set = training_items(&log()?, clock(), 0);
    let options = OptimizeOptions {
        current_params: BAD_CURRENT.to_vec(),
        num_relearning_steps: 1,
        poll_interval: Duration::from_millis(20),
    };
    let mut seen = Vec::new();
    let started = Instant::now();
    let outcome = optimize(&set, &options, |done, total| {
        seen.push((done, total));
        true
    })?;
    let elapsed = started.elapsed();
    let last = seen.last().copied().unwrap_or_default();
    println!(
        "optimize: {} items from {} reviews in {elapsed:?}; {} progress calls, last {last:?}",
        set.items.len(),
        set.review_count,
        seen.len()
    );
    println!("optimize: params {:?}", outcome.params);
    assert!(elapsed.as_secs_f32() < 10.0);
    assert!(!outcome.kept_current);
    assert!(last.1 > 0 && last.0 == last.1, "{last:?}");
    for (i, (ours, anki)) in outcome.params.iter().zip(ANKI_OPTIMIZED).enumerate() {
        assert!(
            (ours - anki).abs() <= 1e-4 * anki.abs().max(1.0),
            "w{i}: {ours} vs {anki}"
        );
    }
    // With the defaults as the preset, Anki found nothing better and kept them.
    let keep = optimize(&set, &OptimizeOptions::default(), |_, _| true)?;
    assert!(keep.kept_current);
    assert_eq!(keep.params, DEFAULT_PARAMETERS);
    Ok(())
}

#[test]
fn optimize_can_be_cancelled() -> TestResult {
    let set = training_items(&log()?, clock(), 0);
    let options = OptimizeOptions {
        poll_interval: Duration::from_millis(5),
        ..OptimizeOptions::default()
    };
    let started = Instant::now();
    let result = optimize(&set, &options, |done, _| done == 0);
    println!("cancelled after {:?}", started.elapsed());
    assert!(
        matches!(result, Err(kartu::core::scheduler::anki::Error::Cancelled)),
        "{result:?}"
    );
    Ok(())
}

#[test]
fn true_retention_matches_anki() -> TestResult {
    let table = true_retention(&log()?, clock());
    // Anki's graphs(): [young passed, young failed, mature passed, mature failed].
    let row = |c: RetentionCounts| {
        [
            c.young_passed,
            c.young_failed,
            c.mature_passed,
            c.mature_failed,
        ]
    };
    assert_eq!(row(table.today), [61, 8, 54, 11]);
    assert_eq!(row(table.yesterday), [51, 13, 58, 4]);
    assert_eq!(row(table.week), [383, 44, 382, 46]);
    assert_eq!(row(table.month), [2073, 238, 1651, 193]);
    assert_eq!(row(table.year), [30_372, 3577, 17_611, 1997]);
    assert_eq!(row(table.all_time), [52_022, 6255, 25_432, 2762]);
    Ok(())
}

/// Compares every card's state with a dump from Anki (`cid\ts\td`, or
/// `none`), optionally under the cutoff `$FSRS_ANKI_CUTOFF_MS`.
#[test]
#[ignore = "compares with a dump of Anki's states at $FSRS_ANKI_STATES"]
fn compare_all_states_with_anki_dump() -> TestResult {
    let text = std::fs::read_to_string(std::env::var("FSRS_ANKI_STATES")?)?;
    let cutoff: i64 = std::env::var("FSRS_ANKI_CUTOFF_MS").map_or(Ok(0), |v| v.parse())?;
    let options = kartu::core::scheduler::anki::HistoryOptions {
        ignore_before_ms: cutoff,
        ..Default::default()
    };
    let log = log()?;
    let fsrs = kartu::core::scheduler::anki::FSRS::default();
    let mut per_card: HashMap<i64, Vec<Review>> = HashMap::default();
    for r in &log {
        per_card.entry(r.card_id).or_default().push(*r);
    }
    let (mut worst_s, mut worst_d, mut n, mut none) = (0f32, 0f32, 0, 0);
    for line in text.lines() {
        let parts: Vec<&str> = line.split('\t').collect();
        let cid: i64 = parts[0].parse()?;
        let ours = kartu::core::scheduler::anki::memory_state_from_history(
            &fsrs,
            &per_card[&cid],
            clock(),
            &options,
        )?;
        if parts[1] == "none" {
            assert!(ours.is_none(), "card {cid}: {ours:?}, Anki none");
            none += 1;
            continue;
        }
        let (s, d): (f32, f32) = (parts[1].parse()?, parts[2].parse()?);
        let ours = ours.ok_or_else(|| format!("card {cid}: none, Anki ({s}, {d})"))?;
        worst_s = worst_s.max((ours.stability - s).abs());
        worst_d = worst_d.max((ours.difficulty - d).abs());
        n += 1;
    }
    let items = kartu::core::scheduler::anki::training_items(&log, clock(), cutoff)
        .items
        .len();
    println!("{n} states (+{none} none): max |Δs| {worst_s}, max |Δd| {worst_d}; {items} items");
    Ok(())
}
