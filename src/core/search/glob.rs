//! A small wildcard matcher for Anki patterns: `*` is any run of characters
//! (including none), `_` exactly one character, `\x` a literal `x`.
//!
//! Patterns are folded at compile time and card text is folded before
//! matching, so comparisons here are exact byte comparisons. Literal runs
//! are searched with `str::find`, which is fast (SIMD-assisted in std) and,
//! because UTF-8 is self-synchronising, only ever matches at char
//! boundaries. No regex engine is needed: between two `*`s the leftmost
//! occurrence of a segment is always the best choice, so matching never
//! backtracks further than one segment.

use super::fold::{Fold, fold_char_into};

/// One element of a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Token {
    /// A literal character.
    Lit(char),
    /// `_`
    One,
    /// `*`
    Many,
}

/// Splits an Anki pattern into tokens; `\x` is a literal `x` for any `x`.
pub(crate) fn tokenize(pattern: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        out.push(match c {
            '\\' => match chars.next() {
                Some(n) => Token::Lit(n),
                None => Token::Lit('\\'),
            },
            '*' => Token::Many,
            '_' => Token::One,
            c => Token::Lit(c),
        });
    }
    out
}

/// Tokens for text taken literally (no wildcards).
pub(crate) fn literal(text: &str) -> Vec<Token> {
    text.chars().map(Token::Lit).collect()
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub(crate) struct Glob {
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    /// `*`: everything.
    Any,
    /// No wildcard: the whole text.
    Exact(String),
    /// `*lit*`
    Contains(String),
    /// `lit*`
    Prefix(String),
    /// `*lit`
    Suffix(String),
    General(General),
}

#[derive(Debug, Clone)]
struct General {
    anchored_start: bool,
    anchored_end: bool,
    has_many: bool,
    /// The parts between `*`s; never empty.
    segments: Vec<Segment>,
}

#[derive(Debug, Clone)]
struct Segment {
    parts: Vec<Part>,
    /// Length in chars, to find where a final segment must start.
    chars: usize,
}

#[derive(Debug, Clone)]
enum Part {
    Lit(String),
    /// That many `_` in a row.
    One(usize),
}

impl Glob {
    /// Compiles tokens, folding literal characters with `fold`.
    pub(crate) fn new(tokens: &[Token], fold: Fold) -> Glob {
        let has_many = tokens.contains(&Token::Many);
        let anchored_start = tokens.first() != Some(&Token::Many);
        let anchored_end = tokens.last() != Some(&Token::Many);
        let segments: Vec<Segment> = tokens
            .split(|t| *t == Token::Many)
            .filter(|s| !s.is_empty())
            .map(|s| Segment::new(s, fold))
            .collect();
        let single_literal = match segments.as_slice() {
            [Segment { parts, .. }] => match parts.as_slice() {
                [Part::Lit(s)] => Some(s.clone()),
                _ => None,
            },
            _ => None,
        };
        let kind = match (has_many, segments.is_empty(), single_literal) {
            (false, true, _) => Kind::Exact(String::new()),
            (true, true, _) => Kind::Any,
            (false, false, Some(s)) => Kind::Exact(s),
            (true, false, Some(s)) if !anchored_start && !anchored_end => Kind::Contains(s),
            (true, false, Some(s)) if anchored_start => Kind::Prefix(s),
            (true, false, Some(s)) if anchored_end => Kind::Suffix(s),
            _ => Kind::General(General {
                anchored_start,
                anchored_end,
                has_many,
                segments,
            }),
        };
        Glob { kind }
    }

    /// Whether the whole of `hay` matches.
    pub(crate) fn is_match(&self, hay: &str) -> bool {
        match &self.kind {
            Kind::Any => true,
            Kind::Exact(s) => hay == s,
            Kind::Contains(s) => hay.contains(s.as_str()),
            Kind::Prefix(s) => hay.starts_with(s.as_str()),
            Kind::Suffix(s) => hay.ends_with(s.as_str()),
            Kind::General(g) => g.is_match(hay),
        }
    }

    /// Whether `hay` matches as a whole or up to any occurrence of `sep`:
    /// a parent deck or tag also matches its children.
    pub(crate) fn matches_hierarchy(&self, hay: &str, sep: &str) -> bool {
        match &self.kind {
            Kind::Any => return true,
            // A parent's name, or the name followed by a separator.
            Kind::Exact(s) => {
                return hay
                    .strip_prefix(s.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(sep));
            }
            // Every prefix of a match also starts with the literal.
            Kind::Prefix(s) => return hay.starts_with(s.as_str()),
            _ => {}
        }
        if self.is_match(hay) {
            return true;
        }
        let Some(&first) = sep.as_bytes().first() else {
            return false;
        };
        // Every start of `sep` counts, overlapping ones too (":::" holds
        // "::" twice), as with Anki's backtracking regex.
        hay.bytes()
            .enumerate()
            .any(|(i, b)| b == first && hay[i..].starts_with(sep) && self.is_match(&hay[..i]))
    }
}

impl General {
    fn is_match(&self, hay: &str) -> bool {
        let mut segments = self.segments.as_slice();
        let mut pos = 0;
        let mut end = hay.len();
        if self.anchored_start {
            let Some((first, rest)) = segments.split_first() else {
                return hay.is_empty();
            };
            match first.match_at(hay, 0, end) {
                Some(p) => pos = p,
                None => return false,
            }
            segments = rest;
        }
        if !self.has_many {
            return pos == end;
        }
        if self.anchored_end
            && let Some((last, rest)) = segments.split_last()
        {
            let Some(start) = back_chars(hay, end, last.chars) else {
                return false;
            };
            if start < pos || last.match_at(hay, start, end) != Some(end) {
                return false;
            }
            end = start;
            segments = rest;
        }
        for segment in segments {
            match segment.find(hay, pos, end) {
                Some(p) => pos = p,
                None => return false,
            }
        }
        true
    }
}

impl Segment {
    fn new(tokens: &[Token], fold: Fold) -> Segment {
        let mut parts: Vec<Part> = Vec::new();
        for token in tokens {
            match (token, parts.last_mut()) {
                (Token::Lit(c), Some(Part::Lit(s))) => fold_char_into(*c, fold, s),
                (Token::Lit(c), _) => {
                    let mut s = String::new();
                    fold_char_into(*c, fold, &mut s);
                    parts.push(Part::Lit(s));
                }
                (Token::One, Some(Part::One(n))) => *n += 1,
                (Token::One, _) => parts.push(Part::One(1)),
                (Token::Many, _) => {}
            }
        }
        // Folding can turn a char into nothing (a lone combining mark under
        // `nc:`), which would leave an empty literal behind.
        parts.retain(|p| !matches!(p, Part::Lit(s) if s.is_empty()));
        let chars = parts
            .iter()
            .map(|p| match p {
                Part::Lit(s) => s.chars().count(),
                Part::One(n) => *n,
            })
            .sum();
        Segment { parts, chars }
    }

    /// Matches the segment at byte `pos`, not past `end`; returns where the
    /// match ends.
    fn match_at(&self, hay: &str, pos: usize, end: usize) -> Option<usize> {
        let mut p = pos;
        for part in &self.parts {
            match part {
                Part::Lit(s) => {
                    if !bytes_at(&hay.as_bytes()[p..end], s.as_bytes()) {
                        return None;
                    }
                    p += s.len();
                }
                Part::One(n) => {
                    for _ in 0..*n {
                        if p >= end {
                            return None;
                        }
                        p += utf8_len(hay.as_bytes()[p]);
                    }
                }
            }
        }
        Some(p)
    }

    /// Leftmost match starting at or after `from`; returns its end.
    fn find(&self, hay: &str, from: usize, end: usize) -> Option<usize> {
        match self.parts.first() {
            Some(Part::Lit(first)) => {
                let step = first.chars().next().map_or(1, char::len_utf8);
                let mut start = from;
                while start <= end {
                    let at = start + find_literal(&hay[start..end], first)?;
                    if let Some(e) = self.match_at(hay, at, end) {
                        return Some(e);
                    }
                    start = at + step;
                }
                None
            }
            Some(Part::One(_)) => {
                let mut at = from;
                loop {
                    if let Some(e) = self.match_at(hay, at, end) {
                        return Some(e);
                    }
                    if at >= end {
                        return None;
                    }
                    at += utf8_len(hay.as_bytes()[at]);
                }
            }
            // An empty segment (only possible after folding) matches anywhere.
            None => Some(from),
        }
    }
}

/// Whether `hay` starts with `lit`. A plain loop: literals are short, and a
/// `memcmp` call costs more than the comparison itself.
fn bytes_at(hay: &[u8], lit: &[u8]) -> bool {
    hay.len() >= lit.len() && hay.iter().zip(lit).all(|(h, l)| h == l)
}

/// `str::find`, with a plain byte scan for one-byte needles, which avoids
/// the searcher set-up cost on short card text.
fn find_literal(hay: &str, needle: &str) -> Option<usize> {
    match needle.as_bytes() {
        [b] => hay.bytes().position(|h| h == *b),
        _ => hay.find(needle),
    }
}

/// Length of the UTF-8 sequence starting with byte `b`.
fn utf8_len(b: u8) -> usize {
    match b {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// Byte index `n` chars before `end`, if there are that many.
fn back_chars(hay: &str, end: usize, n: usize) -> Option<usize> {
    let mut p = end;
    for _ in 0..n {
        if p == 0 {
            return None;
        }
        p -= 1;
        while !hay.is_char_boundary(p) {
            p -= 1;
        }
    }
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, hay: &str) -> bool {
        Glob::new(&tokenize(pattern), Fold::Ascii).is_match(hay)
    }

    #[test]
    fn wildcards() {
        assert!(m("d_g", "dog"));
        assert!(!m("d_g", "dg"));
        assert!(m("d*g", "dg"));
        assert!(m("d*g", "dung"));
        assert!(!m("d*g", "dogs"));
        assert!(m("*a*b*", "xxaxxbxx"));
        assert!(!m("*a*b*", "xxbxxaxx"));
        assert!(m("a*a", "aa"));
        assert!(!m("a*a", "a"));
        assert!(m("_*", "é"));
        assert!(!m("_*", ""));
        assert!(m("", ""));
        assert!(!m("", "x"));
        assert!(m("*", ""));
        assert!(m("*_b_*", "ééébé"));
        assert!(m("a_*_c", "abbc"));
        assert!(!m("a_*_c", "ac"));
        assert!(m("*ab*abc", "abababc"));
        assert!(m(r"a\*b", "a*b"));
        assert!(!m(r"a\*b", "axb"));
        assert!(m(r"a\_b", "a_b"));
        assert!(!m(r"a\_b", "axb"));
        assert!(m(r"a\\b", r"a\b"));
    }

    /// Textbook dynamic-programming matcher over chars, for comparison.
    fn reference(tokens: &[Token], hay: &str) -> bool {
        let hay: Vec<char> = hay.chars().collect();
        // reach[j]: the tokens so far can match hay[..j].
        let mut reach = vec![false; hay.len() + 1];
        reach[0] = true;
        for token in tokens {
            let mut next = vec![false; hay.len() + 1];
            for j in 0..=hay.len() {
                match token {
                    Token::Many => next[j] = reach[..=j].iter().any(|&r| r),
                    Token::One => next[j] = j > 0 && reach[j - 1],
                    Token::Lit(c) => next[j] = j > 0 && reach[j - 1] && hay[j - 1] == *c,
                }
            }
            reach = next;
        }
        reach[hay.len()]
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_reference(pattern in "[ab*_é]{0,8}", hay in "[abé]{0,12}") {
            let tokens = tokenize(&pattern);
            let glob = Glob::new(&tokens, Fold::Ascii);
            proptest::prop_assert_eq!(glob.is_match(&hay), reference(&tokens, &hay));
        }

        #[test]
        fn hierarchy_agrees_with_prefixes(pattern in "[ab:*_]{0,6}", hay in "[ab:]{0,10}") {
            let tokens = tokenize(&pattern);
            let glob = Glob::new(&tokens, Fold::Ascii);
            let want = reference(&tokens, &hay)
                || (0..hay.len()).any(|i| hay[i..].starts_with("::") && reference(&tokens, &hay[..i]));
            proptest::prop_assert_eq!(glob.matches_hierarchy(&hay, "::"), want);
        }
    }

    #[test]
    fn hierarchy() {
        let g = Glob::new(&tokenize("a"), Fold::Ascii);
        assert!(g.matches_hierarchy("a", "::"));
        assert!(g.matches_hierarchy("a::b", "::"));
        assert!(!g.matches_hierarchy("ab", "::"));
        assert!(!g.matches_hierarchy("b::a", "::"));
    }
}
