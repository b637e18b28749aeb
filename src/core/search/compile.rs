//! Compiling a parsed [`Query`] into matchers: patterns are normalised
//! (NFC), folded and turned into [`Glob`]s once, constant terms are folded
//! away, and cheap tests are moved before expensive ones.

use unicode_normalization::{UnicodeNormalization, is_nfc};

use super::ast::{CmpOp, Node, Prop, Query, StateKind, Term};
use super::fold::Fold;
use super::glob::{Glob, Token, literal, tokenize};

/// How letter case is compared in bare-word and `field:value` searches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum CaseFolding {
    /// Exactly as Anki: bare words, `nc:` and `field:value` ignore case for
    /// ASCII letters only (Anki uses `SQLite` `LIKE` there), while deck, tag,
    /// note type, template and field names ignore case for all letters.
    #[default]
    Anki,
    /// Ignore case for all letters everywhere (`ärger` finds `Ärger`). This
    /// finds more than Anki on non-Latin text.
    Unicode,
}

/// Settings that affect how a query is compiled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompileOptions {
    /// Case comparison for text searches.
    pub case_folding: CaseFolding,
    /// Anki's "Ignore accents in search" preference: bare words behave as
    /// `nc:` searches.
    pub ignore_accents: bool,
    /// Full name of the deck `deck:current` refers to; Anki falls back to
    /// "Default" when there is none, and so do we.
    pub current_deck: Option<String>,
}

/// A query ready to be evaluated against cards; see
/// [`CompiledQuery::matcher`] and [`CompiledQuery::filter`].
#[derive(Debug, Clone)]
pub struct CompiledQuery {
    pub(crate) root: Expr,
    /// Number of per-term caches the evaluator needs.
    pub(crate) slots: usize,
}

#[derive(Debug, Clone)]
pub(crate) enum Expr {
    Const(bool),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Leaf(Leaf),
}

/// Where a text search looks.
#[derive(Debug, Clone)]
pub(crate) enum Leaf {
    /// Bare word: the joined fields or the sort field.
    Text {
        glob: Glob,
        fold: Fold,
    },
    /// `field:value` for named fields; `join_adjacent` reproduces Anki's
    /// treatment of neighbouring matched fields as one text.
    Field {
        names: Glob,
        value: Glob,
        fold: Fold,
        join_adjacent: bool,
        slot: usize,
    },
    /// `*:value`: each field on its own.
    AllFields {
        value: Glob,
    },
    Deck {
        glob: Glob,
        slot: usize,
    },
    DeckFiltered,
    Tag {
        glob: Glob,
        fold: Fold,
    },
    TagNone,
    NoteKind {
        glob: Glob,
        slot: usize,
    },
    CardOrd(u32),
    Template {
        glob: Glob,
        slot: usize,
    },
    Is(StateKind),
    Int {
        what: IntProp,
        op: CmpOp,
        value: i64,
    },
    Due {
        op: CmpOp,
        days: i64,
    },
    Float {
        what: FloatProp,
        op: CmpOp,
        value: f64,
    },
    Rated {
        days: u32,
        rating: Option<u8>,
    },
    Added(u32),
    Introduced(u32),
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum IntProp {
    Interval,
    Reps,
    Lapses,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum FloatProp {
    Stability,
    Difficulty,
    Retrievability,
}

impl Query {
    /// Compiles with Anki's default settings.
    #[must_use]
    pub fn compile(&self) -> CompiledQuery {
        self.compile_with(&CompileOptions::default())
    }

    /// Compiles with explicit settings.
    #[must_use]
    pub fn compile_with(&self, options: &CompileOptions) -> CompiledQuery {
        let mut compiler = Compiler { options, slots: 0 };
        let root = compiler.node(&self.root);
        CompiledQuery {
            root,
            slots: compiler.slots,
        }
    }
}

struct Compiler<'o> {
    options: &'o CompileOptions,
    slots: usize,
}

impl Compiler<'_> {
    fn slot(&mut self) -> usize {
        self.slots += 1;
        self.slots - 1
    }

    fn text_fold(&self, no_combining: bool) -> Fold {
        let fold = match self.options.case_folding {
            CaseFolding::Anki => Fold::Ascii,
            CaseFolding::Unicode => Fold::Unicode,
        };
        if no_combining {
            fold.without_combining()
        } else {
            fold
        }
    }

    fn node(&mut self, node: &Node) -> Expr {
        match node {
            Node::And(children) => {
                let mut out = Vec::with_capacity(children.len());
                for child in children {
                    match self.node(child) {
                        Expr::Const(true) => {}
                        Expr::Const(false) => return Expr::Const(false),
                        e => out.push(e),
                    }
                }
                combine(out, Expr::And, true)
            }
            Node::Or(children) => {
                let mut out = Vec::with_capacity(children.len());
                for child in children {
                    match self.node(child) {
                        Expr::Const(false) => {}
                        Expr::Const(true) => return Expr::Const(true),
                        e => out.push(e),
                    }
                }
                combine(out, Expr::Or, false)
            }
            Node::Not(inner) => match self.node(inner) {
                Expr::Const(b) => Expr::Const(!b),
                e => Expr::Not(Box::new(e)),
            },
            Node::Term(term) => self.term(term),
        }
    }

    fn term(&mut self, term: &Term) -> Expr {
        let leaf = match term {
            Term::Text { text, no_combining } => {
                // Anki wraps bare text in `%…%`: it may match anywhere.
                let mut tokens = vec![Token::Many];
                tokens.extend(tokenize(&nfc(text)));
                tokens.push(Token::Many);
                let fold = self.text_fold(*no_combining || self.options.ignore_accents);
                Leaf::Text {
                    glob: Glob::new(&tokens, fold),
                    fold,
                }
            }
            Term::Field {
                field,
                value,
                no_combining,
            } => self.field(&nfc(field), &nfc(value), *no_combining),
            Term::Deck(name) => return self.deck(&nfc(name)),
            Term::Tag { tag, no_combining } => {
                let tag = nfc(tag);
                match tag.as_str() {
                    "none" => Leaf::TagNone,
                    "*" => return Expr::Const(true),
                    // Tags never contain spaces.
                    t if t.contains(' ') => return Expr::Const(false),
                    t => {
                        let fold = if *no_combining {
                            Fold::NcUnicode
                        } else {
                            Fold::Unicode
                        };
                        Leaf::Tag {
                            glob: Glob::new(&tokenize(t), fold),
                            fold,
                        }
                    }
                }
            }
            Term::NoteKind(name) => Leaf::NoteKind {
                glob: Glob::new(&tokenize(&nfc(name)), Fold::Unicode),
                slot: self.slot(),
            },
            Term::CardOrd(ord) => Leaf::CardOrd(u32::from(*ord)),
            Term::CardTemplate(name) => Leaf::Template {
                glob: Glob::new(&tokenize(&nfc(name)), Fold::Unicode),
                slot: self.slot(),
            },
            Term::Is(state) => Leaf::Is(*state),
            Term::Prop { op, prop } => prop_leaf(*op, *prop),
            Term::Rated { days, rating } => Leaf::Rated {
                days: *days,
                rating: *rating,
            },
            Term::Added(days) => Leaf::Added(*days),
            Term::Introduced(days) => Leaf::Introduced(*days),
        };
        Expr::Leaf(leaf)
    }

    fn field(&mut self, field: &str, value: &str, no_combining: bool) -> Leaf {
        let whole_field_wildcard = matches!(value, "*" | "_*" | "*_");
        if matches!(field, "*" | "_*" | "*_") {
            // Anki runs these as a case-insensitive regex over each field and
            // ignores `nc:` there.
            return Leaf::AllFields {
                value: Glob::new(&tokenize(value), Fold::Unicode),
            };
        }
        let fold = self.text_fold(no_combining);
        Leaf::Field {
            names: Glob::new(&tokenize(field), Fold::Unicode),
            value: Glob::new(&tokenize(value), fold),
            fold,
            join_adjacent: !whole_field_wildcard,
            slot: self.slot(),
        }
    }

    fn deck(&mut self, name: &str) -> Expr {
        let tokens = match name {
            "*" => return Expr::Const(true),
            "filtered" => return Expr::Leaf(Leaf::DeckFiltered),
            "current" => {
                let current = self.options.current_deck.as_deref().unwrap_or("Default");
                literal(&current.split("::").collect::<Vec<_>>().join("\x1f"))
            }
            _ => tokenize(&native_deck_pattern(name)),
        };
        Expr::Leaf(Leaf::Deck {
            glob: Glob::new(&tokens, Fold::Unicode),
            slot: self.slot(),
        })
    }
}

/// Anki normalises each `::`-separated part of a deck search like a deck
/// name: control characters dropped, spaces and colons trimmed, an empty
/// part becomes "blank". Parts are joined with `\x1f`, Anki's separator.
fn native_deck_pattern(name: &str) -> String {
    name.split("::")
        .map(|part| {
            let cleaned: String = part.chars().filter(|c| !c.is_ascii_control()).collect();
            let trimmed = cleaned.trim_matches(|c: char| c.is_whitespace() || c == ':');
            if trimmed.is_empty() {
                "blank".to_string()
            } else {
                trimmed.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\x1f")
}

fn prop_leaf(op: CmpOp, prop: Prop) -> Leaf {
    match prop {
        Prop::Interval(v) => Leaf::Int {
            what: IntProp::Interval,
            op,
            value: i64::from(v),
        },
        Prop::Reps(v) => Leaf::Int {
            what: IntProp::Reps,
            op,
            value: i64::from(v),
        },
        Prop::Lapses(v) => Leaf::Int {
            what: IntProp::Lapses,
            op,
            value: i64::from(v),
        },
        Prop::Due(days) => Leaf::Due {
            op,
            days: i64::from(days),
        },
        Prop::Stability(v) => Leaf::Float {
            what: FloatProp::Stability,
            op,
            value: as_sql_literal(v),
        },
        // Anki's search scale is 0–1; stored difficulty is 1–10.
        Prop::Difficulty(v) => Leaf::Float {
            what: FloatProp::Difficulty,
            op,
            value: as_sql_literal(v * 9.0 + 1.0),
        },
        Prop::Retrievability(v) => Leaf::Float {
            what: FloatProp::Retrievability,
            op,
            value: as_sql_literal(v),
        },
    }
}

/// Anki prints the f32 into its SQL and `SQLite` reads it back as a double:
/// `0.3` stays 0.3, not 0.30000001192…. Do the same round trip.
fn as_sql_literal(v: f32) -> f64 {
    v.to_string().parse().unwrap_or(f64::from(v))
}

fn nfc(s: &str) -> String {
    if is_nfc(s) {
        s.to_string()
    } else {
        s.nfc().collect()
    }
}

/// Collapses a finished child list; cheap children go first (evaluation is
/// pure, so order only changes speed).
fn combine(mut children: Vec<Expr>, make: fn(Vec<Expr>) -> Expr, empty: bool) -> Expr {
    match children.len() {
        0 => Expr::Const(empty),
        1 => children.pop().unwrap_or(Expr::Const(empty)),
        _ => {
            children.sort_by_key(cost);
            make(children)
        }
    }
}

/// Rough relative cost of evaluating an expression on one card.
fn cost(expr: &Expr) -> u32 {
    match expr {
        Expr::Const(_) => 0,
        Expr::Not(inner) => cost(inner),
        Expr::And(children) | Expr::Or(children) => children.iter().map(cost).sum(),
        Expr::Leaf(leaf) => match leaf {
            Leaf::Is(_)
            | Leaf::CardOrd(_)
            | Leaf::Int { .. }
            | Leaf::Due { .. }
            | Leaf::Added(_)
            | Leaf::DeckFiltered => 1,
            Leaf::Float { .. } | Leaf::NoteKind { .. } | Leaf::Template { .. } => 2,
            Leaf::Deck { .. } | Leaf::TagNone => 3,
            Leaf::Rated { .. } | Leaf::Introduced(_) => 4,
            Leaf::Tag { .. } => 5,
            Leaf::Field { .. } => 6,
            Leaf::Text { .. } => 8,
            Leaf::AllFields { .. } => 9,
        },
    }
}
