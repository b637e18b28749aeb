//! The parsed tree and the parse errors (message and position).

use crate::common;

use common::error;
use kartu::core::search::{CmpOp, Node, Prop, StateKind, Term, parse};

fn text(t: &str) -> Node {
    Node::Term(Term::Text {
        text: t.into(),
        no_combining: false,
    })
}

fn root(q: &str) -> Node {
    parse(q).unwrap_or_else(|e| panic!("{q:?}: {e:?}")).root
}

#[test]
fn and_binds_tighter_than_or() {
    assert_eq!(
        root("a b or c"),
        Node::Or(vec![Node::And(vec![text("a"), text("b")]), text("c")])
    );
    assert_eq!(
        root("a or b c"),
        Node::Or(vec![text("a"), Node::And(vec![text("b"), text("c")])])
    );
    assert_eq!(
        root("a (b or c)"),
        Node::And(vec![text("a"), Node::Or(vec![text("b"), text("c")])])
    );
    assert_eq!(
        root("-(a or b) c"),
        Node::And(vec![
            Node::Not(Box::new(Node::Or(vec![text("a"), text("b")]))),
            text("c")
        ])
    );
    assert_eq!(root(""), Node::And(vec![]));
    assert_eq!(root("a"), text("a"));
}

#[test]
fn terms_as_anki_splits_them() {
    // A lone `-` is text; `--a` negates "-a"; quotes and parens split terms.
    assert_eq!(root("-"), text("-"));
    assert_eq!(root("--a"), Node::Not(Box::new(text("-a"))));
    assert_eq!(root(r#"a"b"(c)"#), root("a b (c)"));
    assert_eq!(root("a-b"), text("a-b"));
    // The parser removes \" \: \( \) \- and keeps the wildcard escapes.
    assert_eq!(root(r#"\"\:\(\)\-"#), text(r#"":()-"#));
    assert_eq!(root(r"\\\*\_"), text(r"\\\*\_"));
    assert_eq!(
        root(r#""front:a b""#),
        Node::Term(Term::Field {
            field: "front".into(),
            value: "a b".into(),
            no_combining: false
        })
    );
    assert_eq!(root(r#""front:a b""#), root(r#"front:"a b""#));
    assert_eq!(root(r#""field:va\"lue""#), root(r#"field:va\"lue"#));
    // A colon after the first one needs no escape.
    assert_eq!(root("front:a:b"), root(r"front:a\:b"));
    assert_eq!(
        root(r"fr\:ont:x"),
        Node::Term(Term::Field {
            field: "fr:ont".into(),
            value: "x".into(),
            no_combining: false
        })
    );
}

#[test]
fn keyword_arguments() {
    assert_eq!(root("card:0"), Node::Term(Term::CardOrd(0)));
    assert_eq!(root("card:2"), Node::Term(Term::CardOrd(1)));
    assert_eq!(
        root("rated:0"),
        Node::Term(Term::Rated {
            days: 1,
            rating: None
        })
    );
    assert_eq!(
        root("rated:7:3"),
        Node::Term(Term::Rated {
            days: 7,
            rating: Some(3)
        })
    );
    assert_eq!(root("added:0"), Node::Term(Term::Added(1)));
    assert_eq!(root("IS:due"), Node::Term(Term::Is(StateKind::Due)));
    assert_eq!(
        root("prop:due>=-3"),
        Node::Term(Term::Prop {
            op: CmpOp::Ge,
            prop: Prop::Due(-3)
        })
    );
    assert_eq!(
        root("prop:reps!=2"),
        Node::Term(Term::Prop {
            op: CmpOp::Ne,
            prop: Prop::Reps(2)
        })
    );
    assert_eq!(
        root("prop:d<=0.5"),
        Node::Term(Term::Prop {
            op: CmpOp::Le,
            prop: Prop::Difficulty(0.5)
        })
    );
    assert_eq!(
        root("tag:nc:uber"),
        Node::Term(Term::Tag {
            tag: "uber".into(),
            no_combining: true
        })
    );
}

/// `(query, position, message)`.
const ERRORS: &[(&str, usize, &str)] = &[
    ("prop:ivl>", 9, "prop:ivl> needs a number after >"),
    (
        "prop:ivl>x",
        9,
        "prop:ivl>x: \"x\" is not a whole number of days (0 or more)",
    ),
    (
        "prop:ivl>-1",
        9,
        "prop:ivl>-1: \"-1\" is not a whole number of days (0 or more)",
    ),
    (
        "prop:due>1.5",
        9,
        "prop:due>1.5: \"1.5\" is not a whole number of days",
    ),
    ("prop:s>abc", 7, "prop:s>abc: \"abc\" is not a number"),
    ("prop:r<nan", 7, "prop:r<nan: \"nan\" is not a number"),
    ("prop:d>", 7, "prop:d> needs a number after >"),
    (
        "prop:ivl",
        8,
        "prop:ivl needs a comparison after ivl: =, !=, <, >, <= or >=",
    ),
    (
        "prop:ivl~3",
        8,
        "prop:ivl needs a comparison after ivl: =, !=, <, >, <= or >=",
    ),
    (
        "prop:foo>1",
        5,
        "prop:foo>1: unknown property; use ivl, due, reps, lapses, s, d or r, e.g. prop:ivl>=10",
    ),
    (
        "prop:IVL>1",
        5,
        "prop:IVL>1: unknown property; use ivl, due, reps, lapses, s, d or r, e.g. prop:ivl>=10",
    ),
    ("prop:ease>2", 5, "prop:ease is not supported in Kartu"),
    (
        "is:foo",
        3,
        "is:foo is not a card state; use is:new, is:learn, is:review, is:due, is:suspended or is:buried",
    ),
    (
        "dog is:New",
        7,
        "is:New is not a card state; use is:new, is:learn, is:review, is:due, is:suspended or is:buried",
    ),
    (
        "is:buried-manually",
        3,
        "is:buried-manually is not supported in Kartu; use is:buried",
    ),
    ("(dog", 0, "this ( is never closed"),
    ("dog (cat (mouse)", 4, "this ( is never closed"),
    ("dog)", 3, "this ) has no matching ("),
    ("(a) b)", 5, "this ) has no matching ("),
    ("()", 0, "empty parentheses: put a search inside ( )"),
    ("a ( ) b", 2, "empty parentheses: put a search inside ( )"),
    ("\"dog", 0, "this \" is never closed"),
    ("a \"b", 2, "this \" is never closed"),
    ("front:\"dog", 6, "this \" is never closed"),
    ("\"\"", 0, "empty quotes: put some text between the \"\""),
    ("dog or", 4, "`or` needs a search on both sides"),
    ("or dog", 0, "`or` needs a search on both sides"),
    ("a or or b", 5, "`or` needs a search on both sides"),
    ("dog AND", 4, "`and` needs a search on both sides"),
    ("(and)", 1, "`and` needs a search on both sides"),
    (
        ":dog",
        0,
        "nothing before the `:`: write a field or keyword before it, e.g. front:dog",
    ),
    (
        "a :b",
        2,
        "nothing before the `:`: write a field or keyword before it, e.g. front:dog",
    ),
    (
        r"dog\",
        3,
        r"a search cannot end in a single \ (write \\ to search for a backslash)",
    ),
    (
        r"\x",
        0,
        r#"unknown escape \x: a backslash can only escape \ " * _ : ( ) - (write \\ to search for a backslash)"#,
    ),
    (
        r"front:a\qb",
        7,
        r#"unknown escape \q: a backslash can only escape \ " * _ : ( ) - (write \\ to search for a backslash)"#,
    ),
    (
        r"a\ b",
        1,
        r#"\ cannot escape a space: put the text in quotes instead, e.g. "a b""#,
    ),
    ("rated:", 6, "rated: needs a number of days, e.g. rated:7"),
    (
        "rated:abc",
        6,
        "rated:abc: \"abc\" is not a whole number of days",
    ),
    (
        "rated:-1",
        6,
        "rated:-1: \"-1\" is not a whole number of days",
    ),
    (
        "rated:1:5",
        8,
        "rated:1:5: the answer must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)",
    ),
    (
        "rated:1:",
        8,
        "rated:1:: the answer must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)",
    ),
    ("added:x", 6, "added:x: \"x\" is not a whole number of days"),
    (
        "introduced:1.5",
        11,
        "introduced:1.5: \"1.5\" is not a whole number of days",
    ),
    ("flag:1", 0, "flag: searches are not supported in Kartu"),
    ("a re:x.*y", 2, "re: searches are not supported in Kartu"),
    (
        "front:re:x",
        6,
        "regular-expression searches (re:) are not supported in Kartu",
    ),
    (
        "tag:re:x",
        4,
        "regular-expression searches (re:) are not supported in Kartu",
    ),
    (
        "a -or b",
        2,
        "- cannot negate `and`/`or`; to exclude the word, quote it: -\"or\"",
    ),
    // Positions are char indices into the query as typed.
    ("  (dog", 2, "this ( is never closed"),
    ("ärger (", 6, "this ( is never closed"),
];

#[test]
fn errors_have_exact_messages_and_positions() {
    let failures: Vec<String> = ERRORS
        .iter()
        .filter_map(|&(query, position, message)| {
            let e = error(query);
            (e.position != position || e.message != message).then(|| {
                format!(
                    "{query:?}: want ({position}, {message:?}), got ({}, {:?})",
                    e.position, e.message
                )
            })
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn error_displays_its_message() {
    assert_eq!(
        error("prop:ivl>").to_string(),
        "prop:ivl> needs a number after >"
    );
}
