//! Bare words, phrases, wildcards, escapes, boolean logic and `nc:`.

use crate::common;

use common::{TestCard, check, ids, ids_with};
use kartu::core::search::{CaseFolding, CompileOptions};

fn collection() -> Vec<TestCard> {
    vec![
        TestCard::basic(1, "dog", "anjing"),
        TestCard::basic(2, "Hot Dog", "makanan"),
        TestCard::basic(3, "cat", "kucing"),
        TestCard::basic(4, "DOGMA", "ajaran"),
        TestCard::basic(5, "a dog barks", "anjing menggonggong"),
        TestCard::basic(6, "dig", "gali"),
        TestCard::basic(7, "dg", "x"),
        TestCard::basic(8, "a_b", "a*b"),
        TestCard::basic(9, r"back\slash", r#""quoted""#),
        TestCard::basic(10, "über", "over"),
        TestCard::basic(11, "Ärger", "trouble"),
        TestCard::basic(12, "heißen", "to be called"),
        TestCard::basic(13, "mouse", "tikus"),
        TestCard::basic(14, "(paren)", "-dash"),
        TestCard::basic(15, "colon:here", "x"),
        // "d" ends one field and "g" starts the next.
        TestCard::basic(16, "word d", "g word"),
        // Formatting splits the word; Anki finds it through the sort field.
        TestCard::basic(17, "<b>exa</b>mple", "y").sort_field("example"),
        TestCard::basic(18, "ПРИВЕТ", "hello"),
        TestCard::basic(19, "dog and cat", "anjing dan kucing"),
        TestCard::basic(20, "and", "or"),
        TestCard::basic(21, "axb", "z"),
        TestCard::basic(22, "<i>exa</i>mple", "y"),
    ]
}

const ALL: &[u32] = &[
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
];

fn all_but(excluded: &[u32]) -> Vec<u32> {
    ALL.iter()
        .copied()
        .filter(|i| !excluded.contains(i))
        .collect()
}

#[test]
fn bare_words_are_anded_and_case_insensitive() {
    check(
        &collection(),
        &[
            ("dog", &[1, 2, 4, 5, 19]),
            ("DOG", &[1, 2, 4, 5, 19]),
            ("dog cat", &[19]),
            ("dog and cat", &[19]),
            ("dog AND cat", &[19]),
            ("a dog", &[1, 2, 4, 5, 19]),
            ("dog\u{3000}cat", &[19]),
            ("dog\tcat", &[19]),
            ("  dog   cat  ", &[19]),
        ],
    );
}

#[test]
fn empty_query_and_match_all_patterns() {
    let cards = collection();
    for q in ["", "   ", "*", "_", "nc:", "dog or -dog"] {
        assert_eq!(ids(&cards, q), ALL, "{q:?}");
    }
}

#[test]
fn or_not_and_precedence() {
    let cards = collection();
    check(
        &cards,
        &[
            ("dog or cat", &[1, 2, 3, 4, 5, 19]),
            ("dog OR cat", &[1, 2, 3, 4, 5, 19]),
            ("dog -cat", &[1, 2, 4, 5]),
            // Anki: AND binds tighter than OR, so this is (anjing dog) or mouse.
            ("anjing dog or mouse", &[1, 5, 13, 19]),
            ("mouse or anjing dog", &[1, 5, 13, 19]),
            ("anjing (dog or mouse)", &[1, 5, 19]),
            ("anjing and (dog or mouse)", &[1, 5, 19]),
            // No spaces needed where the split is clear.
            (r#"a"dog"(barks)"#, &[5]),
        ],
    );
    assert_eq!(ids(&cards, "-dog"), all_but(&[1, 2, 4, 5, 19]));
    assert_eq!(ids(&cards, "-(dog or cat)"), all_but(&[1, 2, 3, 4, 5, 19]));
    assert_eq!(ids(&cards, "-dog -cat"), all_but(&[1, 2, 3, 4, 5, 19]));
    assert_eq!(ids(&cards, r#"-"a dog""#), all_but(&[5]));
    // `--dash` negates the text "-dash" (a second `-` is not another negation).
    assert_eq!(ids(&cards, "--dash"), all_but(&[14]));
}

#[test]
fn phrases_and_quoted_operators() {
    check(
        &collection(),
        &[
            (r#""a dog""#, &[5]),
            (r#""dog barks""#, &[5]),
            (r#""and""#, &[19, 20]),
            (r#""or""#, &[16, 20]),
        ],
    );
}

#[test]
fn wildcards() {
    check(
        &collection(),
        &[
            // `_` is exactly one character: also the field separator (card 16),
            // as in Anki, where fields are searched joined by \x1f.
            ("d_g", &[1, 2, 4, 5, 6, 16, 19]),
            // `*` is any run, including none and across fields.
            ("d*g", &[1, 2, 4, 5, 6, 7, 16, 19]),
            ("a_b", &[8, 21]),
            ("a*b", &[5, 8, 17, 21]),
            ("dog*", &[1, 2, 4, 5, 19]),
            ("*dog", &[1, 2, 4, 5, 19]),
        ],
    );
}

#[test]
fn escapes() {
    let cards = collection();
    check(
        &cards,
        &[
            (r"a\_b", &[8]),
            (r"a\*b", &[8]),
            (r"back\\slash", &[9]),
            (r#"\"quoted\""#, &[9]),
            (r#""\"quoted\"""#, &[9]),
            (r"\(paren\)", &[14]),
            (r#""(paren)""#, &[14]),
            (r#""\(paren\)""#, &[14]),
            (r"\-dash", &[14]),
            (r#""-dash""#, &[14]),
            (r"colon\:here", &[15]),
            // Unescaped, the colon makes a field search on a field named
            // "colon", which no note has: nothing, as in Anki.
            ("colon:here", &[]),
        ],
    );
    assert_eq!(ids(&cards, "-dash"), all_but(&[14]));
}

#[test]
fn case_folding_is_ascii_only_like_anki() {
    check(
        &collection(),
        &[
            ("über", &[10]),
            ("Über", &[]),
            ("ärger", &[]),
            ("Ärger", &[11]),
            ("привет", &[]),
            ("ПРИВЕТ", &[18]),
            ("HeIßen", &[12]),
        ],
    );
}

#[test]
fn unicode_case_folding_option() {
    let cards = collection();
    let unicode = CompileOptions {
        case_folding: CaseFolding::Unicode,
        ..CompileOptions::default()
    };
    assert_eq!(ids_with(&cards, "Über", &unicode), [10]);
    assert_eq!(ids_with(&cards, "ärger", &unicode), [11]);
    assert_eq!(ids_with(&cards, "привет", &unicode), [18]);
    assert_eq!(ids_with(&cards, "front:привет", &unicode), [18]);
}

#[test]
fn no_combining() {
    check(
        &collection(),
        &[
            ("nc:uber", &[10]),
            ("nc:UBER", &[10]),
            ("nc:über", &[10]),
            ("nc:arger", &[11]),
            // ß is treated as s, not ss.
            ("nc:heisen", &[12]),
            ("nc:heißen", &[12]),
            ("nc:heissen", &[]),
            ("uber", &[]),
            ("nc:u_er", &[10]),
        ],
    );
}

#[test]
fn ignore_accents_option_makes_bare_words_nc() {
    let cards = collection();
    let opts = CompileOptions {
        ignore_accents: true,
        ..CompileOptions::default()
    };
    assert_eq!(ids_with(&cards, "uber", &opts), [10]);
    assert_eq!(ids_with(&cards, "arger", &opts), [11]);
}

#[test]
fn sort_field_is_searched_too() {
    check(
        &collection(),
        &[("example", &[17]), ("exa*mple", &[17, 22])],
    );
}

#[test]
fn nfc_query_matches_nfc_text() {
    // "über" typed with a combining diaeresis finds the precomposed text.
    assert_eq!(ids(&collection(), "u\u{308}ber"), [10]);
}
