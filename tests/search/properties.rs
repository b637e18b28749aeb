//! Property tests: the parser never panics, error positions stay inside the
//! query, any parsed query evaluates without panicking, and escaping makes
//! any text searchable literally.

use crate::common;

use common::{TestCard, ctx, ids};
use kartu::core::search::parse;
use proptest::prelude::*;

/// Characters that drive the grammar into its corners.
const SYNTAX: &str = "[a-zA-Z0-9:\"()\\\\*_ <>=!.+\\-äß\u{3000}\t]{0,40}";

fn keyword_query() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "",
        "deck:",
        "tag:",
        "note:",
        "card:",
        "is:",
        "prop:",
        "prop:ivl",
        "prop:due",
        "prop:s",
        "prop:d",
        "prop:r",
        "rated:",
        "added:",
        "introduced:",
        "nc:",
        "front:",
        "f*:",
        "*:",
        "front:nc:",
        "tag:nc:",
        "-",
        "(",
        "\"",
    ]);
    (key, SYNTAX).prop_map(|(k, rest)| format!("{k}{rest}"))
}

fn sample_cards() -> Vec<TestCard> {
    vec![
        TestCard::basic(1, "dog", "anjing")
            .deck("a::b")
            .tags("x::y z"),
        TestCard::basic(2, "", "Ärger").deck("ab"),
        TestCard::new(3, &common::VOCAB, &["a", "b", "c"]),
    ]
}

/// Escapes every character that has a meaning inside quotes or patterns.
fn escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if matches!(c, '\\' | '"' | '*' | '_' | ':' | '(' | ')' | '-') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parse_never_panics_on_any_input(query in any::<String>()) {
        if let Err(e) = parse(&query) {
            prop_assert!(e.position <= query.chars().count());
            prop_assert!(!e.message.is_empty());
        }
    }

    #[test]
    fn syntax_heavy_queries_parse_or_fail_cleanly(query in keyword_query()) {
        match parse(&query) {
            Err(e) => prop_assert!(e.position <= query.chars().count()),
            Ok(q) => {
                // Whatever parses also compiles and evaluates.
                let compiled = q.compile();
                let _ = compiled.filter(&sample_cards(), &ctx());
            }
        }
    }

    #[test]
    fn escaped_quoted_text_finds_itself(text in "[a-zA-Z0-9 :\"()\\\\*_\\-.,!?éñ]{1,20}") {
        let cards = vec![
            TestCard::basic(1, &format!("<{text}>"), ""),
            TestCard::basic(2, "unrelated", ""),
        ];
        let query = format!("\"{}\"", escape(&text));
        let found = ids(&cards, &query);
        prop_assert!(found.contains(&1), "{query:?} found {found:?}");
        // And as an exact field search.
        let exact = format!("\"front:<{}>\"", escape(&text));
        prop_assert_eq!(ids(&cards, &exact), vec![1]);
    }
}
