//! The core's error type.

use std::fmt;
use std::path::{Path, PathBuf};

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
    #[error("{}: {cause}", path.display())]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// What the operating system said. Shown in the message, so not also chained as
        /// the error's source (which would print it twice).
        cause: std::io::Error,
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
    /// A file is larger than Kartu reads (checked before reading it).
    #[error("{}: file is {len} bytes; the limit is {limit}", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        len: u64,
        /// The limit for this kind of file.
        limit: u64,
    },
    /// A deck older than the one installed was offered as a replacement.
    #[error("{}: deck {deck:?} version {version} is older than the installed version {installed}", path.display())]
    OlderVersion {
        /// The deck file.
        path: PathBuf,
        /// The deck id.
        deck: String,
        /// Its version.
        version: u32,
        /// The installed version.
        installed: u32,
    },
    /// A value could not be written as text (never expected; reported rather than writing an
    /// empty file).
    #[error("could not write {0}")]
    Serialize(String),
    /// Progress cannot be used by a command that needs it (the message says why and that the
    /// files were kept); `kartu backup restore` is the way out.
    #[error("{0}")]
    ProgressUnusable(String),
    /// Deck files in `decks/` that do not parse stop a command (the window moves them aside).
    #[error(
        "{0}\nthe file was left as it is; fix or remove it (opening the window moves it aside)"
    )]
    UnreadableDecks(String),
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
    /// Another Kartu (a window or a command) is writing to this data directory.
    #[error("Kartu is already open on {} (another window or command holds its lock); close it and try again", .0.display())]
    Locked(PathBuf),
    /// The journal's records do not follow on from the snapshot (read while the writer was
    /// compacting, or damaged).
    #[error("{}:{line}: record {found} follows record {}, a gap (the file is damaged)", path.display(), expected - 1)]
    JournalGap {
        /// The journal.
        path: PathBuf,
        /// The line of the record after the gap.
        line: usize,
        /// The sequence number that should have come next.
        expected: u64,
        /// The one that came.
        found: u64,
    },
    /// Progress files that each read but do not belong together: a review log shorter than
    /// its snapshot says, or a snapshot claiming journal records it does not hold. Nothing
    /// is moved or written; the learner is offered a backup.
    #[error("{}: {message}", path.display())]
    Inconsistent {
        /// The file found wanting.
        path: PathBuf,
        /// What does not fit, for a person.
        message: String,
    },
    /// The learner cancelled a long job; nothing was changed.
    #[error("cancelled; nothing was changed")]
    Cancelled,
    /// Content that breaks a rule (a deck to install that does not validate, an import
    /// that cannot be mapped): what is wrong, for a person.
    #[error("{0}")]
    Invalid(String),
    /// No backup with this id.
    #[error("no backup with id {0:?} (see `kartu backup list`)")]
    UnknownBackup(String),
    /// Nothing to undo.
    #[error("nothing to undo")]
    NothingToUndo,
    /// The collection is open read-only: opened so, another Kartu holds the lock, or the
    /// progress files could not be read or come from a newer Kartu.
    #[error("progress is read-only: {0}")]
    ReadOnly(String),
}

/// The options every Kartu RON file is read with: `implicit_some` on, so optional fields are
/// written as plain values.
#[must_use]
pub fn ron_options() -> ron::Options {
    // Kartu's files nest a few levels deep; a hostile file nesting thousands cannot exhaust
    // the stack.
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_recursion_limit(64)
}

/// Turns a RON error into [`Error::Parse`], pointing at the offending token: RON reports the
/// end of the previous token, so the position is moved past any white space.
#[must_use]
pub fn ron_parse_error(path: &Path, source: &str, err: &ron::error::SpannedError) -> Error {
    let (mut line, mut col) = (err.span.start.line.max(1), err.span.start.col.max(1));
    let rest = source
        .lines()
        .nth(line - 1)
        .map(|text| text.chars().skip(col - 1).collect::<String>())
        .unwrap_or_default();
    let mut following = std::iter::once(rest.as_str())
        .chain(source.lines().skip(line))
        .peekable();
    // Walk forward over spaces and blank lines to the first character of the next token.
    while let Some(text) = following.next() {
        let blank = text.chars().take_while(|c| c.is_whitespace()).count();
        if blank < text.chars().count() {
            col += blank;
            break;
        }
        if following.peek().is_none() {
            break;
        }
        line += 1;
        col = 1;
    }
    Error::Parse {
        path: path.to_path_buf(),
        position: Some(TextPosition { line, col }),
        message: err.code.to_string(),
    }
}

/// [`ron_parse_error`] for one line of a line-per-value file (journal, review log), with
/// the position moved to that line of the file.
#[must_use]
pub fn ron_line_error(
    path: &Path,
    line: &str,
    line_number: usize,
    err: &ron::error::SpannedError,
) -> Error {
    match ron_parse_error(path, line, err) {
        Error::Parse {
            path,
            position,
            message,
        } => Error::Parse {
            path,
            position: position.map(|p| TextPosition {
                line: line_number,
                col: p.col,
            }),
            message,
        },
        other => other,
    }
}

/// Refuses a file whose format number is newer than this build reads.
pub fn check_format(path: &Path, found: u32, supported: u32) -> Result<()> {
    if found > supported {
        return Err(Error::NewerFormat {
            path: path.to_path_buf(),
            found,
            supported,
        });
    }
    Ok(())
}

/// Reads only the `format` field (ignoring everything else), so a file from a newer Kartu gets
/// a clear message instead of whatever parse error its new fields would cause.
pub fn probe_format(path: &Path, source: &str, supported: u32) -> Result<()> {
    #[derive(serde::Deserialize)]
    struct FormatProbe {
        format: Option<u32>,
    }
    match ron_options().from_str::<FormatProbe>(source) {
        Ok(FormatProbe {
            format: Some(found),
        }) => check_format(path, found, supported),
        _ => Ok(()),
    }
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, cause: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            cause,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn position(source: &str) -> TextPosition {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)] // Only parsed, to get an error.
        struct Sample {
            name: String,
        }
        let err = ron_options().from_str::<Sample>(source).unwrap_err();
        match ron_parse_error(Path::new("f.ron"), source, &err) {
            Error::Parse {
                position: Some(position),
                ..
            } => position,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn positions_point_at_the_offending_token() {
        assert_eq!(position("(name: oops)"), TextPosition { line: 1, col: 8 });
        assert_eq!(
            position("(name:\n\n    oops)"),
            TextPosition { line: 3, col: 5 }
        );
        // Running off the end still gives a position inside the file.
        let end = position("(name: ");
        assert_eq!(end.line, 1);
    }
}
