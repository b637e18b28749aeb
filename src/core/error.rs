//! The core's error type.

use std::fmt;
use std::path::PathBuf;

/// A `Result` whose error is the core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where in a text file a problem is: 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextPosition {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
}

impl fmt::Display for TextPosition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A file did not parse or did not make sense; `position` points at the problem.
    #[error("{}{}: {message}", path.display(), position.map(|p| format!(":{p}")).unwrap_or_default())]
    Parse {
        /// The file.
        path: PathBuf,
        /// Line and column, where known.
        position: Option<TextPosition>,
        /// What is wrong, for a person.
        message: String,
    },
    /// A file was written by a newer Kartu than this one.
    #[error("{}: written by a newer Kartu (format {found}; this version reads up to format {supported})", path.display())]
    NewerFormat {
        /// The file.
        path: PathBuf,
        /// The format version in the file.
        found: u32,
        /// The newest format this build reads.
        supported: u32,
    },
    /// No deck with this id.
    #[error("no deck with id {0:?}")]
    UnknownDeck(String),
    /// No card with this id in the deck.
    #[error("deck {deck:?} has no card with id {card:?}")]
    UnknownCard {
        /// The deck id.
        deck: String,
        /// The card id.
        card: String,
    },
    /// The FSRS model rejected its input (a corrupt memory state).
    #[error("scheduler: {0}")]
    Scheduler(String),
    /// Nothing to undo.
    #[error("nothing to undo")]
    NothingToUndo,
    /// The collection is open read-only (its files came from a newer Kartu).
    #[error("progress is read-only: {0}")]
    ReadOnly(String),
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}
