//! `is:`, `prop:`, `rated:`, `added:` and `introduced:`.

use crate::common;

use common::{NEXT_DAY_AT, NOW, TODAY, TestCard, check, ids, ms_days_ago};
use kartu::core::search::{CardState as S, Due};

/// Start of today, in ms: the boundary of every "last N days" window.
const TODAY_START_MS: i64 = (NEXT_DAY_AT - 86_400) * 1000;

fn card(id: u32) -> TestCard {
    TestCard::basic(id, &format!("card {id}"), "")
}

fn collection() -> Vec<TestCard> {
    vec![
        card(1).added(ms_days_ago(0)),
        card(2).suspended().added(ms_days_ago(2)),
        card(3)
            .state(S::Learning, Due::Secs(NOW - 60))
            .counts(0, 1, 0)
            .added(ms_days_ago(5))
            .review(ms_days_ago(0), 1),
        // Within the 20-minute learn-ahead limit.
        card(4).state(S::Learning, Due::Secs(NOW + 600)),
        card(5).state(S::Learning, Due::Secs(NOW + 3600)),
        card(6)
            .state(S::Review, Due::Day(TODAY))
            .counts(10, 5, 0)
            .memory(10.5, 5.5, 0.875)
            .review(ms_days_ago(10), 3),
        card(7)
            .state(S::Review, Due::Day(TODAY - 2))
            .counts(30, 12, 3)
            .memory(40.0, 8.25, 0.75)
            .review(ms_days_ago(1), 2)
            .review(ms_days_ago(35), 3),
        card(8)
            .state(S::Review, Due::Day(TODAY + 1))
            .counts(3, 4, 1)
            .memory(3.0, 3.25, 0.9375)
            .review(ms_days_ago(0), 4)
            .review(ms_days_ago(3), 1),
        card(9)
            .state(S::Relearning, Due::Secs(NOW - 10))
            .counts(2, 8, 2)
            .review(ms_days_ago(0), 1)
            .review(ms_days_ago(6), 3),
        card(10)
            .state(S::Review, Due::Day(TODAY))
            .counts(5, 6, 0)
            .buried(),
        card(11)
            .state(S::Review, Due::Day(TODAY - 1))
            .counts(7, 9, 0)
            .suspended(),
        // Interday learning step due today.
        card(12)
            .state(S::Learning, Due::Day(TODAY))
            .counts(0, 2, 0)
            .review(ms_days_ago(1), 3)
            .review(ms_days_ago(2), 1),
        // Manually rescheduled today (rating 0): not an answer.
        card(13)
            .state(S::Review, Due::Day(TODAY + 5))
            .counts(5, 3, 0)
            .review(ms_days_ago(0), 0)
            .review(ms_days_ago(50), 3),
        // Added exactly at the start of today, and one millisecond later.
        card(15).added(TODAY_START_MS),
        // A new card with a memory state, which `prop:r` must ignore.
        card(16).added(TODAY_START_MS + 1).memory(1.0, 5.0, 0.125),
        // Answered exactly at the start of today, and one millisecond before.
        card(17)
            .state(S::Review, Due::Day(TODAY + 10))
            .counts(20, 1, 0)
            .review(TODAY_START_MS, 3),
        card(18)
            .state(S::Review, Due::Day(TODAY + 10))
            .counts(20, 1, 0)
            .review(TODAY_START_MS - 1, 3),
        // Learning step that fell due late yesterday.
        card(19)
            .state(S::Learning, Due::Secs(NEXT_DAY_AT - 86_400 - 3600))
            .review(ms_days_ago(1), 1),
    ]
}

#[test]
fn card_states() {
    check(
        &collection(),
        &[
            ("is:new", &[1, 2, 15, 16]),
            ("is:learn", &[3, 4, 5, 9, 12, 19]),
            ("is:review", &[6, 7, 8, 9, 10, 11, 13, 17, 18]),
            ("is:learn is:review", &[9]),
            ("-is:learn is:review", &[6, 7, 8, 10, 11, 13, 17, 18]),
            ("is:learn -is:review", &[3, 4, 5, 12, 19]),
            ("is:due", &[3, 4, 6, 7, 9, 12, 19]),
            ("is:suspended", &[2, 11]),
            ("is:buried", &[10]),
            ("is:due or is:suspended", &[2, 3, 4, 6, 7, 9, 11, 12, 19]),
        ],
    );
}

#[test]
fn integer_properties() {
    check(
        &collection(),
        &[
            ("prop:ivl>=10", &[6, 7, 17, 18]),
            ("prop:ivl=0", &[1, 2, 3, 4, 5, 12, 15, 16, 19]),
            ("prop:ivl<5", &[1, 2, 3, 4, 5, 8, 9, 12, 15, 16, 19]),
            ("prop:ivl!=0", &[6, 7, 8, 9, 10, 11, 13, 17, 18]),
            ("prop:ivl>30", &[]),
            ("prop:reps>5", &[7, 9, 10, 11]),
            ("prop:reps<=1", &[1, 2, 3, 4, 5, 15, 16, 17, 18, 19]),
            ("prop:lapses>1", &[7, 9]),
            ("prop:lapses=1", &[8]),
        ],
    );
}

#[test]
fn due_relative_to_today() {
    check(
        &collection(),
        &[
            // Intraday learning counts days from the next rollover with
            // truncating division, as Anki's SQL does.
            ("prop:due=0", &[3, 4, 5, 6, 9, 12]),
            ("prop:due=1", &[8]),
            ("prop:due=-1", &[19]),
            ("prop:due=-2", &[7]),
            // Suspended and buried cards are in no dated queue.
            ("prop:due<0", &[7, 19]),
            ("prop:due<=-1", &[7, 19]),
            ("prop:due>=1", &[8, 13, 17, 18]),
            ("prop:due>-1 prop:due<1", &[3, 4, 5, 6, 9, 12]),
            ("prop:due!=0", &[7, 8, 13, 17, 18, 19]),
        ],
    );
}

#[test]
fn fsrs_properties() {
    check(
        &collection(),
        &[
            ("prop:s>21", &[7]),
            ("prop:s<5", &[8, 16]),
            ("prop:s=10.5", &[6]),
            // Cards without a memory state never match, `!=` included.
            ("prop:s!=10.5", &[7, 8, 16]),
            // prop:d takes Anki's 0–1 scale: stored = d × 9 + 1.
            ("prop:d>0.5", &[7]),
            ("prop:d=0.5", &[6]),
            ("prop:d<0.3", &[8]),
            ("prop:d>=0.25", &[6, 7, 8, 16]),
            // Retrievability never matches new cards (card 16).
            ("prop:r<0.9", &[6, 7]),
            ("prop:r>0.9", &[8]),
            ("prop:r<0.5", &[]),
        ],
    );
}

#[test]
fn float_values_compare_like_anki_sql() {
    // Anki prints the typed value into SQL and compares it with the stored
    // f32 widened to f64, so an f32 0.9 is *less than* the literal 0.9.
    let cards = vec![
        card(1)
            .state(S::Review, Due::Day(TODAY))
            .memory(0.9, 1.0, 0.9),
    ];
    assert_eq!(ids(&cards, "prop:s=0.9"), Vec::<u32>::new());
    assert_eq!(ids(&cards, "prop:s<0.9"), [1]);
    assert_eq!(ids(&cards, "prop:r<0.9"), [1]);
    assert_eq!(ids(&cards, "prop:d=0"), [1]);
}

#[test]
fn rated_counts_today_as_day_one() {
    let cards = collection();
    check(
        &cards,
        &[
            ("rated:1", &[3, 8, 9, 17]),
            // Anki reads rated:0 as rated:1.
            ("rated:0", &[3, 8, 9, 17]),
            ("rated:2", &[3, 7, 8, 9, 12, 17, 18, 19]),
            ("rated:1:1", &[3, 9]),
            ("rated:1:4", &[8]),
            ("rated:7:1", &[3, 8, 9, 12, 19]),
            ("rated:31:3", &[6, 9, 12, 17, 18]),
            ("rated:365:3", &[6, 7, 9, 12, 13, 17, 18]),
            ("rated:1 -rated:1:1", &[8, 17]),
        ],
    );
}

#[test]
fn added_and_introduced() {
    check(
        &collection(),
        &[
            // Strictly after the window start (Anki: card id > cutoff).
            ("added:1", &[1, 16]),
            ("added:0", &[1, 16]),
            ("added:2", &[1, 15, 16]),
            ("added:3", &[1, 2, 15, 16]),
            ("added:7", &[1, 2, 3, 15, 16]),
            // First answer strictly after the window start; manual
            // rescheduling (card 13 today) is not an answer.
            ("introduced:1", &[3]),
            ("introduced:2", &[3, 17, 18, 19]),
            ("introduced:3", &[3, 12, 17, 18, 19]),
            ("introduced:7", &[3, 8, 9, 12, 17, 18, 19]),
        ],
    );
}
