//! Query grammar: terms, quotes, negation, groups and `and`/`or`.
//!
//! The grammar mirrors Anki's `rslib/src/search/parser.rs` rule for rule so
//! that every query splits into the same terms as in Anki, including the
//! corner cases (`a"b"(c)` is three terms, `--a` is "not `-a`", a lone `-`
//! is text). Each rule either matches, declines softly (the caller tries the
//! next alternative, like nom's `Error`), or fails hard with a positioned
//! [`SearchError`] (like nom's `Failure`).

use super::ast::{Node, Query};
use super::error::SearchError;
use super::terms::{self, Span};

/// Parses a query written in Anki's search syntax.
///
/// An empty (or all-whitespace) query matches every card.
///
/// # Errors
/// Returns a [`SearchError`] pointing at the first problem: unbalanced
/// parentheses or quotes, a misplaced `and`/`or`, an unknown escape, an
/// unknown `is:` state or `prop:` property, a malformed number, or an Anki
/// search that Kartu does not support (such as `re:` or `flag:`).
pub fn parse(query: &str) -> Result<Query, SearchError> {
    // Anki treats every kind of whitespace as a plain space, also inside
    // quotes. Mapping char for char keeps positions equal to the input's.
    let chars: Vec<char> = query
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let mut lo = 0;
    while lo < chars.len() && chars[lo] == ' ' {
        lo += 1;
    }
    let mut hi = chars.len();
    while hi > lo && chars[hi - 1] == ' ' {
        hi -= 1;
    }
    if lo == hi {
        return Ok(Query {
            root: Node::And(Vec::new()),
        });
    }
    let parser = Parser {
        chars: &chars[..hi],
    };
    let (rest, nodes) = parser.group_inner(lo)?;
    if rest < hi {
        // Only an unmatched `)` stops the top-level loop early.
        return Err(SearchError::new(rest, "this ) has no matching ("));
    }
    Ok(Query {
        root: to_tree(nodes),
    })
}

/// Anki's flat node list: terms with `and`/`or` between them.
enum Flat {
    /// Char position of an explicit `and`, or `None` when implicit.
    And(Option<usize>),
    Or(usize),
    Not(Box<Flat>),
    Group(Vec<Flat>),
    Term(super::ast::Term),
}

enum Fail {
    /// Not this rule; let the caller try another.
    Soft,
    /// A real error; stop parsing.
    Hard(SearchError),
}

impl From<SearchError> for Fail {
    fn from(e: SearchError) -> Self {
        Fail::Hard(e)
    }
}

type PResult<T> = Result<T, Fail>;

struct Parser<'a> {
    chars: &'a [char],
}

impl Parser<'_> {
    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    fn skip_spaces(&self, mut i: usize) -> usize {
        while self.at(i) == Some(' ') {
            i += 1;
        }
        i
    }

    fn span(&self, from: usize, to: usize) -> Span<'_> {
        Span::new(&self.chars[from..to], from)
    }

    /// Zero or more nodes, with implicit `and`s inserted; stops before `)`
    /// or at the end.
    fn group_inner(&self, start: usize) -> Result<(usize, Vec<Flat>), SearchError> {
        let mut nodes: Vec<Flat> = Vec::new();
        let mut p = start;
        loop {
            match self.node(p) {
                Ok((next, node)) => {
                    p = next;
                    let is_bool = matches!(node, Flat::And(_) | Flat::Or(_));
                    if nodes.len().is_multiple_of(2) {
                        if is_bool {
                            return Err(misplaced(&node));
                        }
                    } else if !is_bool {
                        nodes.push(Flat::And(None));
                    }
                    nodes.push(node);
                }
                Err(Fail::Soft) => break,
                Err(Fail::Hard(e)) => return Err(e),
            }
        }
        if let Some(last @ (Flat::And(_) | Flat::Or(_))) = nodes.last() {
            return Err(misplaced(last));
        }
        Ok((self.skip_spaces(p), nodes))
    }

    /// Optional spaces, then a negated node, a group or a term.
    fn node(&self, p: usize) -> PResult<(usize, Flat)> {
        let p = self.skip_spaces(p);
        match self.negated(p) {
            Err(Fail::Soft) => {}
            other => return other,
        }
        match self.group(p) {
            Err(Fail::Soft) => {}
            other => return other,
        }
        self.text(p)
    }

    fn negated(&self, p: usize) -> PResult<(usize, Flat)> {
        if self.at(p) != Some('-') {
            return Err(Fail::Soft);
        }
        // Only a group or a term may follow: `--a` negates the text `-a`.
        let inner = match self.group(p + 1) {
            Err(Fail::Soft) => self.text(p + 1),
            other => other,
        }?;
        if matches!(inner.1, Flat::And(_) | Flat::Or(_)) {
            // Anki turns this into broken SQL; say what to write instead.
            return Err(SearchError::new(
                p,
                "- cannot negate `and`/`or`; to exclude the word, quote it: -\"or\"",
            )
            .into());
        }
        Ok((inner.0, Flat::Not(Box::new(inner.1))))
    }

    fn group(&self, p: usize) -> PResult<(usize, Flat)> {
        if self.at(p) != Some('(') {
            return Err(Fail::Soft);
        }
        let (after, inner) = self.group_inner(p + 1)?;
        if self.at(after) == Some(')') {
            if inner.is_empty() {
                return Err(
                    SearchError::new(p, "empty parentheses: put a search inside ( )").into(),
                );
            }
            Ok((after + 1, Flat::Group(inner)))
        } else {
            Err(SearchError::new(p, "this ( is never closed").into())
        }
    }

    fn text(&self, p: usize) -> PResult<(usize, Flat)> {
        match self.quoted_term(p) {
            Err(Fail::Soft) => {}
            other => return other,
        }
        match self.partially_quoted_term(p) {
            Err(Fail::Soft) => {}
            other => return other,
        }
        self.unquoted_term(p)
    }

    /// `"…"`: the whole term quoted, e.g. `"a dog"`, `"deck:a b"`.
    fn quoted_term(&self, p: usize) -> PResult<(usize, Flat)> {
        if self.at(p) != Some('"') {
            return Err(Fail::Soft);
        }
        let (next, inner) = self.quoted_str(p)?;
        let term = terms::search_node_for_text(self.span(inner.0, inner.1))?;
        Ok((next, Flat::Term(term)))
    }

    /// `key:"value"`: only the part after the colon quoted.
    fn partially_quoted_term(&self, p: usize) -> PResult<(usize, Flat)> {
        let mut i = p;
        while let Some(c) = self.at(i) {
            match c {
                '"' | '(' | ')' | ':' | ' ' => break,
                '\\' => match self.at(i + 1) {
                    Some(n) if n != ' ' => i += 2,
                    _ => return Err(Fail::Soft),
                },
                _ => i += 1,
            }
        }
        if i == p || self.at(i) != Some(':') || self.at(i + 1) != Some('"') {
            return Err(Fail::Soft);
        }
        let (next, inner) = self.quoted_str(i + 1)?;
        let term = terms::with_argument(self.span(p, i), self.span(inner.0, inner.1))?;
        Ok((next, Flat::Term(term)))
    }

    /// A term up to the next space, quote or parenthesis; `and`/`or` here
    /// are operators.
    fn unquoted_term(&self, p: usize) -> PResult<(usize, Flat)> {
        let mut i = p;
        while let Some(c) = self.at(i) {
            match c {
                '"' | '(' | ')' | ' ' => break,
                '\\' => match self.at(i + 1) {
                    None => {
                        return Err(SearchError::new(
                            i,
                            r"a search cannot end in a single \ (write \\ to search for a backslash)",
                        )
                        .into());
                    }
                    Some(' ') => {
                        return Err(SearchError::new(
                            i,
                            r#"\ cannot escape a space: put the text in quotes instead, e.g. "a b""#,
                        )
                        .into());
                    }
                    Some(_) => i += 2,
                },
                _ => i += 1,
            }
        }
        if i == p {
            return Err(Fail::Soft);
        }
        let span = self.span(p, i);
        let node = if span.eq_ignore_ascii_case("and") {
            Flat::And(Some(p))
        } else if span.eq_ignore_ascii_case("or") {
            Flat::Or(p)
        } else {
            Flat::Term(terms::search_node_for_text(span)?)
        };
        Ok((i, node))
    }

    /// A string in double quotes starting at `p`; returns the position after
    /// the closing quote and the (start, end) of the text inside.
    fn quoted_str(&self, p: usize) -> PResult<(usize, (usize, usize))> {
        let start = p + 1;
        if self.at(start) == Some('"') {
            return Err(SearchError::new(p, "empty quotes: put some text between the \"\"").into());
        }
        let mut i = start;
        loop {
            match self.at(i) {
                None => {
                    return Err(SearchError::new(p, "this \" is never closed").into());
                }
                Some('"') => return Ok((i + 1, (start, i))),
                Some('\\') => {
                    if self.at(i + 1).is_none() {
                        return Err(SearchError::new(p, "this \" is never closed").into());
                    }
                    i += 2;
                }
                Some(_) => i += 1,
            }
        }
    }
}

fn misplaced(node: &Flat) -> SearchError {
    match node {
        Flat::Or(pos) => SearchError::new(*pos, "`or` needs a search on both sides"),
        Flat::And(pos) => SearchError::new(pos.unwrap_or(0), "`and` needs a search on both sides"),
        _ => SearchError::new(0, "misplaced operator"),
    }
}

/// Anki writes the flat list into SQL as `a and b or c`, where AND binds
/// tighter than OR; build the same tree.
fn to_tree(nodes: Vec<Flat>) -> Node {
    let mut alternatives: Vec<Node> = Vec::new();
    let mut conjunction: Vec<Node> = Vec::new();
    for node in nodes {
        match node {
            Flat::And(_) => {}
            Flat::Or(_) => alternatives.push(collapse(std::mem::take(&mut conjunction), Node::And)),
            other => conjunction.push(flat_to_node(other)),
        }
    }
    alternatives.push(collapse(conjunction, Node::And));
    collapse(alternatives, Node::Or)
}

fn flat_to_node(node: Flat) -> Node {
    match node {
        Flat::Term(t) => Node::Term(t),
        Flat::Not(inner) => Node::Not(Box::new(flat_to_node(*inner))),
        Flat::Group(inner) => to_tree(inner),
        // Operators never reach here: `to_tree` consumes them.
        Flat::And(_) | Flat::Or(_) => Node::And(Vec::new()),
    }
}

fn collapse(mut nodes: Vec<Node>, make: fn(Vec<Node>) -> Node) -> Node {
    if nodes.len() == 1 {
        nodes.pop().unwrap_or(Node::And(Vec::new()))
    } else {
        make(nodes)
    }
}
