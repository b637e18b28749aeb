//! `field:value` searches.

use crate::common;

use common::{ANKI_BASIC_REV, CLOZE, TestCard, VOCAB, check, ids};

fn collection() -> Vec<TestCard> {
    vec![
        TestCard::basic(1, "dog", "anjing"),
        TestCard::basic(2, "a dog", "anjing"),
        TestCard::basic(3, "", "kosong"),
        TestCard::basic(4, "Dog", ""),
        TestCard::new(5, &VOCAB, &["rumah", "noun", ""]),
        TestCard::new(6, &VOCAB, &["makan", "verb", "high"]),
        TestCard::new(7, &VOCAB, &["x", "", ""]),
        TestCard::new(8, &CLOZE, &["{{c1::Jakarta}} ibu kota", ""]),
        TestCard::new(9, &ANKI_BASIC_REV, &["Straße", "street"]),
        TestCard::basic(10, "DOGS", "x"),
        TestCard::basic(11, "ärger", "x"),
        TestCard::basic(12, "über", "x"),
    ]
}

#[test]
fn value_must_match_the_whole_field() {
    check(
        &collection(),
        &[
            ("front:dog", &[1, 4]),
            ("front:DOG", &[1, 4]),
            ("FRONT:dog", &[1, 4]),
            ("front:dog*", &[1, 4, 10]),
            ("front:*dog*", &[1, 2, 4, 10]),
            ("front:d_g", &[1, 4]),
            (r#""front:a dog""#, &[2]),
            (r#"front:"a dog""#, &[2]),
            ("word:rumah", &[5]),
            ("Word:RUMAH", &[5]),
            ("text:*jakarta*", &[8]),
            ("front:straße", &[9]),
            // No ß/ss equivalence in Anki's field search.
            ("front:STRASSE", &[]),
            ("nosuchfield:dog", &[]),
            // The value never reaches into the next field.
            ("front:dog*anjing", &[]),
        ],
    );
}

#[test]
fn empty_and_non_empty_fields() {
    check(
        &collection(),
        &[
            ("front:", &[3]),
            ("back:", &[4]),
            ("extra:", &[8]),
            ("front:_*", &[1, 2, 4, 9, 10, 11, 12]),
            // Any note that has a Front field.
            ("front:*", &[1, 2, 3, 4, 9, 10, 11, 12]),
        ],
    );
}

#[test]
fn negated_field_search_includes_notes_without_the_field() {
    assert_eq!(
        ids(&collection(), "-front:dog"),
        [2, 3, 5, 6, 7, 8, 9, 10, 11, 12]
    );
}

#[test]
fn field_name_wildcards() {
    check(
        &collection(),
        &[
            ("fro_t:dog", &[1, 4]),
            ("fr*:high", &[6]),
            // A literal `*` in the name: no such field.
            (r"fr\*nt:dog", &[]),
            // Anki matches neighbouring matched fields (Form, Freq) as one
            // text joined by the field separator, except for `*`, `_*`, `*_`.
            ("f*:noun", &[]),
            ("f*:noun*", &[5]),
            ("f*:high", &[]),
            ("f*:*high", &[6]),
            ("f*:_*", &[1, 2, 4, 5, 6, 9, 10, 11, 12]),
            ("f*:", &[3]),
        ],
    );
}

#[test]
fn all_fields_search_is_per_field_and_unicode_case_insensitive() {
    check(
        &collection(),
        &[
            ("*:noun", &[5]),
            ("*:DOG", &[1, 4]),
            ("*:dog*", &[1, 4, 10]),
            // Anki runs `*:` as a case-insensitive regex (all letters), but
            // `front:` through SQL LIKE (ASCII letters only).
            ("*:Ärger", &[11]),
            ("front:Ärger", &[]),
            ("front:ärger", &[11]),
        ],
    );
}

#[test]
fn field_no_combining() {
    check(
        &collection(),
        &[
            ("front:nc:uber", &[12]),
            ("front:nc:UBER", &[12]),
            ("front:nc:u*", &[12]),
            ("front:uber", &[]),
            ("front:nc:arger", &[11]),
        ],
    );
}
