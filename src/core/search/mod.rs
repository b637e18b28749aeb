//! Anki's card-browser search language for Kartu.
//!
//! A query is parsed once ([`parse`]), compiled once ([`Query::compile`])
//! and then evaluated card by card through the [`SearchCard`] trait:
//!
//! ```
//! use kartu::core::search::{parse, SearchCard, SearchContext};
//! # use kartu::core::search::{CardState, Due, Review};
//! # struct Card { fields: &'static str, deck: &'static str }
//! # impl SearchCard for Card {
//! #     fn note_fields(&self) -> &str { self.fields }
//! #     fn note_type_id(&self) -> u64 { 1 }
//! #     fn note_kind(&self) -> &str { "basic" }
//! #     fn field_name(&self, ord: usize) -> Option<&str> { ["Front", "Back"].get(ord).copied() }
//! #     fn tags(&self) -> &str { "" }
//! #     fn deck_name(&self) -> &str { self.deck }
//! #     fn card_ord(&self) -> u32 { 0 }
//! #     fn template_name(&self) -> &str { "Card 1" }
//! #     fn state(&self) -> CardState { CardState::New }
//! #     fn suspended(&self) -> bool { false }
//! #     fn buried(&self) -> bool { false }
//! #     fn due(&self) -> Due { Due::NotScheduled }
//! #     fn interval_days(&self) -> u32 { 0 }
//! #     fn reps(&self) -> u32 { 0 }
//! #     fn lapses(&self) -> u32 { 0 }
//! #     fn stability(&self) -> Option<f32> { None }
//! #     fn difficulty(&self) -> Option<f32> { None }
//! #     fn retrievability(&self, _: &SearchContext) -> Option<f32> { None }
//! #     fn added_ms(&self) -> i64 { 0 }
//! #     fn reviews(&self) -> impl Iterator<Item = Review> + '_ { std::iter::empty() }
//! # }
//! let cards = [
//!     Card { fields: "dog\x1fanjing", deck: "Bahasa::Hewan" },
//!     Card { fields: "cat\x1fkucing", deck: "English" },
//! ];
//! let query = parse("deck:bahasa front:dog")?.compile();
//! let ctx = SearchContext::new(19_000, 1_641_600_000, 1_641_614_400);
//! assert_eq!(query.filter(&cards, &ctx), vec![0]);
//! # Ok::<(), kartu::core::search::SearchError>(())
//! ```
//!
//! The syntax and its meaning follow Anki exactly for the supported set;
//! see `SEARCH.md`.

mod ast;
mod cache;
mod card;
mod compile;
mod error;
mod eval;
mod fold;
mod glob;
mod index;
mod parser;
mod terms;

pub use ast::{CmpOp, Node, Prop, Query, StateKind, Term};
pub use card::{CardState, Due, Review, SearchCard, SearchContext};
pub use compile::{CaseFolding, CompileOptions, CompiledQuery};
pub use error::SearchError;
pub use eval::Matcher;
pub use index::{Found, IndexSource, IndexedCard, SearchIndex, SortColumn, context, plain_text};
pub use parser::parse;
