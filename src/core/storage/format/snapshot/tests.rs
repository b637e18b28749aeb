//! The progress file format's tests: writing, the fast reader against `ron`, card lines
//! against `compact_ron`.

use super::*;

fn any_state() -> impl proptest::strategy::Strategy<Value = CardProgress> {
    use proptest::prelude::*;
    let float = prop_oneof![
        any::<f32>(),
        Just(f32::NAN),
        Just(-f32::NAN),
        Just(f32::INFINITY),
        Just(-0.0_f32),
        Just(1e-30_f32),
        Just(3.0e20_f32),
    ];
    (
        prop::sample::select(vec![
            CardState::New,
            CardState::Learning,
            CardState::Review,
            CardState::Relearning,
        ]),
        any::<u32>(),
        any::<i64>(),
        any::<u64>(),
        (float.clone(), float),
        (any::<u32>(), any::<u32>()),
        proptest::option::of(any::<i64>()),
        any::<bool>(),
        proptest::option::of(any::<i64>()),
    )
        .prop_map(
            |(
                state,
                remaining_steps,
                due,
                interval_secs,
                (stability, difficulty),
                (reps, lapses),
                last_review,
                suspended,
                buried_until,
            )| CardProgress {
                state,
                remaining_steps,
                due: Timestamp(due),
                interval_secs,
                stability,
                difficulty,
                reps,
                lapses,
                last_review: last_review.map(Timestamp),
                suspended,
                buried_until: buried_until.map(Timestamp),
            },
        )
}

proptest::proptest! {
    #[test]
    fn card_lines_are_written_by_hand_exactly_as_ron_writes_them(
        state in any_state(),
        id in "[a-z0-9:._-]{1,12}|\\PC{0,8}",
    ) {
        let mut by_hand = String::new();
        push_card_progress(&mut by_hand, &state);
        proptest::prop_assert_eq!(&by_hand, &compact_ron(&state).unwrap());
        let mut key = String::new();
        push_key(&mut key, &id).unwrap();
        proptest::prop_assert_eq!(&key, &compact_ron(&id).unwrap());
    }
}

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
    let text = progress.to_ron().unwrap();
    let parsed = Progress::parse(&text, Path::new("p.ron")).unwrap();
    assert_eq!(parsed, progress);
    assert_eq!(parsed.to_ron().unwrap(), text);
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
fn only_a_missing_snapshot_is_empty_and_newer_format_is_named() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        Progress::load_snapshot(&dir.path().join("none.ron")).unwrap(),
        Progress::default()
    );
    // A backup or import that is not there is an error, never empty progress.
    assert!(matches!(
        Progress::load(&dir.path().join("none.ron")),
        Err(Error::Io { .. })
    ));
    let text = sample()
        .to_ron()
        .unwrap()
        .replace(&format!("format: {PROGRESS_FORMAT_VERSION}"), "format: 9");
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
