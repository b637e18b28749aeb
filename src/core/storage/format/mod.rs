//! Kartu's own text formats: a fast line reader for the exact form Kartu writes, with the
//! general RON parser as the fallback for anything else (a file edited by hand).

pub mod deck_file;
pub(crate) mod lines;
pub mod package;
pub mod snapshot;
