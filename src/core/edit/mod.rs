//! Authoring decks: the teachers' linter (`kartu check`).

pub mod lint;
