//! `deck:`, `tag:`, `note:` and `card:`.

use crate::common;

use common::{ANKI_BASIC_REV, CLOZE, REVERSED, TestCard, VOCAB, check, ids, ids_with};
use kartu::core::search::CompileOptions;

fn collection() -> Vec<TestCard> {
    vec![
        TestCard::basic(1, "one", "").deck("a").tags("a"),
        TestCard::basic(2, "two", "").deck("a::b").tags("a::b"),
        TestCard::basic(3, "three", "").deck("ab").tags("ab"),
        TestCard::basic(4, "four", "")
            .deck("a::b::c")
            .tags("A::B::C"),
        TestCard::basic(5, "five", "").deck("b::a").tags("b::a"),
        TestCard::basic(6, "six", "").deck("French Vocab"),
        TestCard::basic(7, "seven", "")
            .deck("a::b")
            .filtered("Filtered Deck 1")
            .tags("x y"),
        TestCard::new(8, &REVERSED, &["eight", ""])
            .ord(1)
            .tags("Ärger"),
        TestCard::new(9, &CLOZE, &["{{c3::nine}}", ""])
            .ord(2)
            .tags("über"),
        TestCard::new(10, &ANKI_BASIC_REV, &["ten", ""])
            .deck("Deutsch")
            .tags("de"),
        TestCard::new(11, &VOCAB, &["eleven", "", ""]).tags("a:b"),
        TestCard::basic(12, "twelve", "").deck("a_b").tags(" a_b "),
    ]
}

const ALL: &[u32] = &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

fn all_but(excluded: &[u32]) -> Vec<u32> {
    ALL.iter()
        .copied()
        .filter(|i| !excluded.contains(i))
        .collect()
}

#[test]
fn deck_includes_children_and_home_deck_of_filtered_cards() {
    let cards = collection();
    check(
        &cards,
        &[
            ("deck:a", &[1, 2, 4, 7]),
            ("deck:A", &[1, 2, 4, 7]),
            ("deck:a::b", &[2, 4, 7]),
            ("deck:a::*", &[2, 4, 7]),
            ("deck:a -deck:a::*", &[1]),
            ("deck:a*", &[1, 2, 3, 4, 7, 12]),
            ("deck:b", &[5]),
            (r#"deck:"french vocab""#, &[6]),
            (r#""deck:french vocab""#, &[6]),
            ("deck:french*", &[6]),
            ("deck:french", &[]),
            // Spaces around `::` are trimmed, as in Anki's deck names.
            (r#"deck:"a :: b""#, &[2, 4, 7]),
            // `_` is one character, and Anki's `::` is one character (\x1f).
            ("deck:a_b", &[2, 4, 7, 12]),
            (r"deck:a\_b", &[12]),
            ("deck:filtered", &[7]),
            ("deck:filtered*", &[7]),
            ("deck:current", &[8, 9, 11]),
        ],
    );
    assert_eq!(ids(&cards, "deck:*"), ALL);
    assert_eq!(ids(&cards, "-deck:a"), all_but(&[1, 2, 4, 7]));
    assert_eq!(ids(&cards, "-deck:filtered"), all_but(&[7]));
    let current = CompileOptions {
        current_deck: Some("a::b".into()),
        ..CompileOptions::default()
    };
    assert_eq!(ids_with(&cards, "deck:current", &current), [2, 4, 7]);
}

#[test]
fn tag_includes_children_but_not_longer_names() {
    let cards = collection();
    check(
        &cards,
        &[
            ("tag:a", &[1, 2, 4]),
            ("tag:A", &[1, 2, 4]),
            ("tag:a::b", &[2, 4]),
            ("tag:a::*", &[2, 4]),
            ("tag:a*", &[1, 2, 3, 4, 11, 12]),
            ("tag:b", &[5]),
            ("tag:a_b", &[11, 12]),
            (r"tag:a\_b", &[12]),
            ("tag:x", &[7]),
            ("tag:y", &[7]),
            ("tag:none", &[6]),
            ("tag:ärger", &[8]),
            ("tag:ÄRGER", &[8]),
            ("tag:nc:uber", &[9]),
            ("tag:uber", &[]),
            // Tags never contain spaces.
            (r#""tag:x y""#, &[]),
            ("tag:", &[]),
        ],
    );
    // `tag:*` is every note, with or without tags.
    assert_eq!(ids(&cards, "tag:*"), ALL);
    assert_eq!(ids(&cards, "-tag:none"), all_but(&[6]));
    assert_eq!(ids(&cards, "-tag:a"), all_but(&[1, 2, 4]));
}

#[test]
fn note_type_by_name() {
    check(
        &collection(),
        &[
            ("note:basic", &[1, 2, 3, 4, 5, 6, 7, 12]),
            ("note:BASIC", &[1, 2, 3, 4, 5, 6, 7, 12]),
            ("note:basic*", &[1, 2, 3, 4, 5, 6, 7, 10, 12]),
            (r#"note:"Basic (and reversed card)""#, &[10]),
            (r#""note:basic (and reversed card)""#, &[10]),
            ("note:reversed", &[8]),
            ("note:cloze", &[9]),
            ("note:*rev*", &[8, 10]),
            ("note:vocab", &[11]),
            ("note:bas", &[]),
        ],
    );
}

#[test]
fn card_by_ordinal_and_template_name() {
    let cards = collection();
    check(
        &cards,
        &[
            ("card:2", &[8]),
            ("card:3", &[9]),
            ("card:+2", &[8]),
            ("card:cloze", &[9]),
            (r#"card:"card 2""#, &[8]),
            ("card:Recognition", &[11]),
            // Beyond u16 it is a template name, as in Anki.
            ("card:70000", &[]),
        ],
    );
    assert_eq!(ids(&cards, "card:1"), all_but(&[8, 9]));
    assert_eq!(ids(&cards, "card:0"), all_but(&[8, 9]));
    assert_eq!(ids(&cards, "card:card*"), all_but(&[9, 11]));
}
