//! The parsed form of a query.
//!
//! Text-like values (`Text`, `Field`, `Deck`, `Tag`, `NoteKind`,
//! `CardTemplate`) are kept as **patterns** in Anki's intermediate form: the
//! parser has already removed the escapes that only matter to the parser
//! (`\"`, `\:`, `\(`, `\)`, `\-`), and what remains uses `*` (any run of
//! characters), `_` (exactly one character) and the escapes `\*`, `\_`, `\\`
//! for a literal `*`, `_`, `\`.

/// A parsed query, ready to be compiled with [`Query::compile`].
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// The query's expression. An empty query is `And(vec![])`, which
    /// matches every card.
    pub root: Node,
}

/// A boolean expression over search terms.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// All children match (`a b`, `a and b`). Empty: always true.
    And(Vec<Node>),
    /// At least one child matches (`a or b`).
    Or(Vec<Node>),
    /// The child does not match (`-a`, `-(a or b)`).
    Not(Box<Node>),
    /// A single search term.
    Term(Term),
}

/// One search term.
#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    /// A bare word or quoted phrase (`dog`, `"a dog"`, `d*g`), or with
    /// `no_combining` an `nc:` search; matches anywhere in the note's fields.
    Text {
        /// Pattern (see the module docs).
        text: String,
        /// `nc:`: compare with combining marks removed.
        no_combining: bool,
    },
    /// `field:value`: the value must match the whole field.
    Field {
        /// Field-name pattern, matched case-insensitively.
        field: String,
        /// Value pattern.
        value: String,
        /// `field:nc:value`: compare with combining marks removed.
        no_combining: bool,
    },
    /// `deck:NAME`, including sub-decks. `*`, `filtered` and `current` are
    /// the special values Anki gives them.
    Deck(String),
    /// `tag:NAME`, including child tags. `none` and `*` are special.
    Tag {
        /// Tag pattern.
        tag: String,
        /// `tag:nc:NAME`: compare with combining marks removed.
        no_combining: bool,
    },
    /// `note:NAME`: note type name pattern.
    NoteKind(String),
    /// `card:N`: template ordinal, **0-based** (`card:1` is `CardOrd(0)`;
    /// like Anki, `card:0` is read as `card:1`).
    CardOrd(u16),
    /// `card:NAME`: template name pattern.
    CardTemplate(String),
    /// `is:STATE`.
    Is(StateKind),
    /// `prop:NAME<op>VALUE`.
    Prop {
        /// Comparison operator.
        op: CmpOp,
        /// Property and the value it is compared with.
        prop: Prop,
    },
    /// `rated:N` / `rated:N:R`: answered in the last `days` days (today is
    /// day 1), optionally with answer button `rating`.
    Rated {
        /// Window length in days, at least 1.
        days: u32,
        /// Answer button 1–4, or any answer.
        rating: Option<u8>,
    },
    /// `added:N`: card created in the last N days (at least 1).
    Added(u32),
    /// `introduced:N`: first answered in the last N days (at least 1).
    Introduced(u32),
}

/// Card states for `is:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StateKind {
    /// `is:new`.
    New,
    /// `is:learn`: learning and relearning cards.
    Learn,
    /// `is:review`: review and relearning cards.
    Review,
    /// `is:due`: review or learning cards due now.
    Due,
    /// `is:suspended`.
    Suspended,
    /// `is:buried`.
    Buried,
}

/// A numeric card property for `prop:` with the value typed by the learner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Prop {
    /// `prop:ivl`: interval in days.
    Interval(u32),
    /// `prop:due`: days from today (1 = tomorrow, -1 = yesterday).
    Due(i32),
    /// `prop:reps`: number of answers.
    Reps(u32),
    /// `prop:lapses`: number of lapses.
    Lapses(u32),
    /// `prop:s`: FSRS stability in days.
    Stability(f32),
    /// `prop:d`: FSRS difficulty on Anki's 0–1 search scale.
    Difficulty(f32),
    /// `prop:r`: FSRS retrievability, 0–1.
    Retrievability(f32),
}

/// Comparison operators of `prop:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `>`
    Gt,
    /// `<=`
    Le,
    /// `>=`
    Ge,
}

impl CmpOp {
    /// Applies the operator to two values.
    #[must_use]
    pub fn holds<T: PartialOrd + Copy>(self, left: T, right: T) -> bool {
        match self {
            CmpOp::Eq => left == right,
            CmpOp::Ne => left != right,
            CmpOp::Lt => left < right,
            CmpOp::Gt => left > right,
            CmpOp::Le => left <= right,
            CmpOp::Ge => left >= right,
        }
    }

    /// The operator as typed.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Gt => ">",
            CmpOp::Le => "<=",
            CmpOp::Ge => ">=",
        }
    }
}
