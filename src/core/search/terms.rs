//! Turning one term's text into a [`Term`]: `key:value` dispatch, escapes,
//! and the numeric arguments of `prop:`, `rated:`, `added:`, `introduced:`.
//!
//! Follows Anki's `search_node_for_text_with_argument` and friends: keys are
//! case-insensitive, `is:`/`prop:` values are not, numbers use Rust's
//! integer/float syntax, and `rated:0`, `added:0`, `introduced:0`, `card:0`
//! are read as 1, as Anki does.

use super::ast::{CmpOp, Prop, StateKind, Term};
use super::error::SearchError;

/// A run of query chars and the char position of its first one.
#[derive(Clone, Copy)]
pub(crate) struct Span<'a> {
    chars: &'a [char],
    start: usize,
}

impl<'a> Span<'a> {
    pub(crate) fn new(chars: &'a [char], start: usize) -> Self {
        Self { chars, start }
    }

    fn len(&self) -> usize {
        self.chars.len()
    }

    fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    fn text(&self) -> String {
        self.chars.iter().collect()
    }

    /// Absolute char position of `i` within this span.
    fn pos(&self, i: usize) -> usize {
        self.start + i
    }

    fn slice(&self, from: usize) -> Span<'a> {
        Span::new(&self.chars[from..], self.start + from)
    }

    fn starts_with(&self, prefix: &str) -> bool {
        prefix
            .chars()
            .enumerate()
            .all(|(i, c)| self.chars.get(i) == Some(&c))
    }

    fn strip_prefix(&self, prefix: &str) -> Option<Span<'a>> {
        self.starts_with(prefix)
            .then(|| self.slice(prefix.chars().count()))
    }

    pub(crate) fn eq_ignore_ascii_case(&self, word: &str) -> bool {
        self.len() == word.chars().count()
            && self
                .chars
                .iter()
                .zip(word.chars())
                .all(|(a, b)| a.eq_ignore_ascii_case(&b))
    }

    /// Splits at the first `sep`, if any.
    fn split_once(&self, sep: char) -> (Span<'a>, Option<Span<'a>>) {
        match self.chars.iter().position(|&c| c == sep) {
            Some(i) => (
                Span::new(&self.chars[..i], self.start),
                Some(self.slice(i + 1)),
            ),
            None => (*self, None),
        }
    }
}

/// A term without surrounding quotes: bare text or `key:value`.
pub(crate) fn search_node_for_text(span: Span<'_>) -> Result<Term, SearchError> {
    // The key ends at the first unescaped colon.
    let mut i = 0;
    while i < span.len() {
        match span.chars[i] {
            ':' => break,
            '\\' => i += 2,
            _ => i += 1,
        }
    }
    if i == 0 {
        return Err(SearchError::new(
            span.start,
            "nothing before the `:`: write a field or keyword before it, e.g. front:dog",
        ));
    }
    if i >= span.len() {
        return Ok(Term::Text {
            text: unescape(span)?,
            no_combining: false,
        });
    }
    with_argument(Span::new(&span.chars[..i], span.start), span.slice(i + 1))
}

/// Searches Anki has that Kartu does not offer; rejecting them keeps them
/// from silently turning into a search of a field with that name.
const UNSUPPORTED_KEYS: &[&str] = &[
    "flag", "resched", "edited", "did", "mid", "nid", "cid", "re", "sc", "w", "dupe", "has-cd",
    "preset",
];

/// `key:value`, after the key has been split off.
pub(crate) fn with_argument(key: Span<'_>, val: Span<'_>) -> Result<Term, SearchError> {
    let lower = key.text().to_ascii_lowercase();
    let ctx = Ctx {
        key: key.text(),
        val,
    };
    Ok(match lower.as_str() {
        "deck" => Term::Deck(unescape(val)?),
        "note" => Term::NoteKind(unescape(val)?),
        "tag" => parse_tag(val)?,
        "card" => match val.text().parse::<u16>() {
            Ok(n) => Term::CardOrd(n.max(1) - 1),
            Err(_) => Term::CardTemplate(unescape(val)?),
        },
        "prop" => parse_prop(&ctx)?,
        "added" => Term::Added(ctx.days(val)?.max(1)),
        "introduced" => Term::Introduced(ctx.days(val)?.max(1)),
        "rated" => parse_rated(&ctx)?,
        "is" => Term::Is(parse_state(&ctx)?),
        "nc" => Term::Text {
            text: unescape(val)?,
            no_combining: true,
        },
        k if UNSUPPORTED_KEYS.contains(&k) => {
            return Err(SearchError::new(
                key.start,
                format!("{}: searches are not supported in Kartu", ctx.key),
            ));
        }
        _ => parse_field(key, val)?,
    })
}

fn parse_field(key: Span<'_>, val: Span<'_>) -> Result<Term, SearchError> {
    let field = unescape(key)?;
    if val.starts_with("re:") {
        return Err(regex_unsupported(val.start));
    }
    if let Some(rest) = val.strip_prefix("nc:") {
        // Anki only unescapes \" here; the rest stays as typed and every
        // `\x` then stands for a literal x.
        return Ok(Term::Field {
            field,
            value: unescape_quotes(rest),
            no_combining: true,
        });
    }
    Ok(Term::Field {
        field,
        value: unescape(val)?,
        no_combining: false,
    })
}

fn parse_tag(val: Span<'_>) -> Result<Term, SearchError> {
    if val.starts_with("re:") {
        return Err(regex_unsupported(val.start));
    }
    Ok(match val.strip_prefix("nc:") {
        Some(rest) => Term::Tag {
            tag: unescape(rest)?,
            no_combining: true,
        },
        None => Term::Tag {
            tag: unescape(val)?,
            no_combining: false,
        },
    })
}

fn regex_unsupported(position: usize) -> SearchError {
    SearchError::new(
        position,
        "regular-expression searches (re:) are not supported in Kartu",
    )
}

/// The key as typed and the value, for messages.
struct Ctx<'a> {
    key: String,
    val: Span<'a>,
}

impl Ctx<'_> {
    fn term(&self) -> String {
        format!("{}:{}", self.key, self.val.text())
    }

    /// A whole number of days ≥ 0 (Anki's `parse_u32`).
    fn days(&self, num: Span<'_>) -> Result<u32, SearchError> {
        num.text().parse::<u32>().map_err(|_| {
            if num.is_empty() {
                SearchError::new(
                    num.start,
                    format!("{}: needs a number of days, e.g. {}:7", self.key, self.key),
                )
            } else {
                SearchError::new(
                    num.start,
                    format!(
                        "{}: \"{}\" is not a whole number of days",
                        self.term(),
                        num.text()
                    ),
                )
            }
        })
    }
}

fn parse_state(ctx: &Ctx<'_>) -> Result<StateKind, SearchError> {
    // Case-sensitive, like Anki: `is:New` is an error there too.
    Ok(match ctx.val.text().as_str() {
        "new" => StateKind::New,
        "learn" => StateKind::Learn,
        "review" => StateKind::Review,
        "due" => StateKind::Due,
        "suspended" => StateKind::Suspended,
        "buried" => StateKind::Buried,
        v @ ("buried-manually" | "buried-sibling") => {
            return Err(SearchError::new(
                ctx.val.start,
                format!("is:{v} is not supported in Kartu; use is:buried"),
            ));
        }
        v => {
            return Err(SearchError::new(
                ctx.val.start,
                format!(
                    "is:{v} is not a card state; use is:new, is:learn, is:review, is:due, \
                     is:suspended or is:buried"
                ),
            ));
        }
    })
}

fn parse_rated(ctx: &Ctx<'_>) -> Result<Term, SearchError> {
    let (days, button) = ctx.val.split_once(':');
    let days = ctx.days(days)?.max(1);
    let rating = match button {
        None => None,
        Some(b) => match b.text().parse::<u8>() {
            Ok(n @ 1..=4) => Some(n),
            _ => {
                return Err(SearchError::new(
                    b.start,
                    format!(
                        "{}: the answer must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)",
                        ctx.term()
                    ),
                ));
            }
        },
    };
    Ok(Term::Rated { days, rating })
}

/// Properties in Anki's matching order (a prefix match: `reps` before `r`).
const PROPERTIES: &[&str] = &[
    "ivl", "due", "reps", "lapses", "ease", "pos", "rated", "resched", "s", "d", "r",
];

const OPERATORS: &[(&str, CmpOp)] = &[
    ("<=", CmpOp::Le),
    (">=", CmpOp::Ge),
    ("!=", CmpOp::Ne),
    ("=", CmpOp::Eq),
    ("<", CmpOp::Lt),
    (">", CmpOp::Gt),
];

fn parse_prop(ctx: &Ctx<'_>) -> Result<Term, SearchError> {
    let val = ctx.val;
    let custom = ["cdn:", "cds:"].iter().any(|p| {
        val.strip_prefix(p)
            .is_some_and(|rest| rest.chars.first().is_some_and(char::is_ascii_alphanumeric))
    });
    let Some(prop) = PROPERTIES.iter().copied().find(|p| val.starts_with(p)) else {
        if custom {
            return Err(SearchError::new(
                val.start,
                "custom-data searches (prop:cdn:, prop:cds:) are not supported in Kartu",
            ));
        }
        return Err(SearchError::new(
            val.start,
            format!(
                "{}: unknown property; use ivl, due, reps, lapses, s, d or r, e.g. prop:ivl>=10",
                ctx.term()
            ),
        ));
    };
    if matches!(prop, "ease" | "pos" | "rated" | "resched") {
        return Err(SearchError::new(
            val.start,
            format!("prop:{prop} is not supported in Kartu"),
        ));
    }
    let after_prop = val.slice(prop.len());
    let Some((op_text, op)) = OPERATORS
        .iter()
        .copied()
        .find(|(text, _)| after_prop.starts_with(text))
    else {
        return Err(SearchError::new(
            after_prop.start,
            format!(
                "{}:{prop} needs a comparison after {prop}: =, !=, <, >, <= or >=",
                ctx.key
            ),
        ));
    };
    let num = after_prop.slice(op_text.len());
    let text = num.text();
    let bad = |kind: &str| {
        if num.is_empty() {
            SearchError::new(
                num.start,
                format!("{} needs a number after {op_text}", ctx.term()),
            )
        } else {
            SearchError::new(
                num.start,
                format!("{}: \"{text}\" is not {kind}", ctx.term()),
            )
        }
    };
    let whole = |kind: &str| text.parse::<u32>().map_err(|_| bad(kind));
    let real = || {
        text.parse::<f32>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| bad("a number"))
    };
    let prop = match prop {
        "ivl" => Prop::Interval(whole("a whole number of days (0 or more)")?),
        "reps" => Prop::Reps(whole("a whole number (0 or more)")?),
        "lapses" => Prop::Lapses(whole("a whole number (0 or more)")?),
        "due" => Prop::Due(
            text.parse::<i32>()
                .map_err(|_| bad("a whole number of days"))?,
        ),
        "s" => Prop::Stability(real()?),
        "d" => Prop::Difficulty(real()?),
        _ => Prop::Retrievability(real()?),
    };
    Ok(Term::Prop { op, prop })
}

/// Removes the escapes that only matter to the parser (`\" \: \( \) \-`)
/// and keeps the wildcard escapes (`\\ \* \_`); any other `\x` is an error.
fn unescape(span: Span<'_>) -> Result<String, SearchError> {
    let mut out = String::with_capacity(span.len());
    let mut i = 0;
    while i < span.len() {
        let c = span.chars[i];
        if c != '\\' {
            out.push(c);
            i += 1;
            continue;
        }
        match span.chars.get(i + 1).copied() {
            Some(n @ ('"' | ':' | '(' | ')' | '-')) => out.push(n),
            Some(n @ ('\\' | '*' | '_')) => {
                out.push('\\');
                out.push(n);
            }
            Some(n) => {
                return Err(SearchError::new(
                    span.pos(i),
                    format!(
                        "unknown escape \\{n}: a backslash can only escape \\ \" * _ : ( ) - \
                         (write \\\\ to search for a backslash)"
                    ),
                ));
            }
            None => {
                return Err(SearchError::new(
                    span.pos(i),
                    r"a search cannot end in a single \ (write \\ to search for a backslash)",
                ));
            }
        }
        i += 2;
    }
    Ok(out)
}

/// Anki's `unescape_quotes`: only `\"` becomes `"`.
fn unescape_quotes(span: Span<'_>) -> String {
    let mut out = String::with_capacity(span.len());
    let mut i = 0;
    while i < span.len() {
        if span.chars[i] == '\\' && span.chars.get(i + 1) == Some(&'"') {
            out.push('"');
            i += 2;
        } else {
            out.push(span.chars[i]);
            i += 1;
        }
    }
    out
}
