//! Errors: one variant per kind of rejection, each naming the file it is about.
//!
//! Inner code works with [`Problem`], which does not know the file name; the
//! public entry points attach the path once with [`Problem::at`].

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Why a file was rejected. Every variant names the file, and its `Display`
/// says in plain words what is wrong and, where it helps, what to do.
#[derive(Debug, thiserror::Error)]
pub enum AnkiError {
    /// The file could not be opened or read at all (missing, no permission…).
    #[error("{}: cannot read the file: {source}", file.display())]
    Io {
        /// The file that was being read.
        file: PathBuf,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },

    /// Something in the file is bigger than the configured limit.
    #[error(
        "{}: {what}: larger than the limit of {}; if the file is genuine, raise the limit",
        file.display(),
        Bytes(*limit)
    )]
    TooLarge {
        /// The file that was being read.
        file: PathBuf,
        /// What was too large, e.g. "the collection (collection.anki21b, decompressed)".
        what: String,
        /// The limit in bytes.
        limit: u64,
    },

    /// The file holds more items of some kind than the configured limit.
    #[error(
        "{}: {what}: more than the limit of {limit}; if the file is genuine, raise the limit",
        file.display()
    )]
    TooMany {
        /// The file that was being read.
        file: PathBuf,
        /// What there were too many of, e.g. "zip entries".
        what: String,
        /// The limit (a count).
        limit: u64,
    },

    /// The file is not an Anki package at all (not a zip, or no collection in it).
    #[error(
        "{}: this is not an Anki package (.apkg/.colpkg): {reason}",
        file.display()
    )]
    NotAPackage {
        /// The file that was being read.
        file: PathBuf,
        /// What made it clear the file is not a package.
        reason: String,
    },

    /// The file is an Anki package but its content is damaged or inconsistent.
    #[error(
        "{}: the file is damaged: {what}; export it from Anki again",
        file.display()
    )]
    Corrupt {
        /// The file that was being read.
        file: PathBuf,
        /// What is damaged.
        what: String,
    },

    /// The file uses a format or feature this reader does not handle.
    #[error("{}: not supported: {what}", file.display())]
    Unsupported {
        /// The file that was being read.
        file: PathBuf,
        /// The unsupported format or feature.
        what: String,
    },

    /// A problem in a text export, at a 1-based line number.
    #[error("{}, line {line}: {what}", file.display())]
    Text {
        /// The file that was being read.
        file: PathBuf,
        /// 1-based line number where the problem is.
        line: usize,
        /// What is wrong on that line.
        what: String,
    },

    /// A [`RowSink`](super::RowSink) asked to stop.
    #[error("{}: reading was stopped by the importer", file.display())]
    Stopped {
        /// The file that was being read.
        file: PathBuf,
    },

    /// Reading took longer than the configured time limit.
    #[error(
        "{}: reading took longer than the limit of {} s; the file may be crafted to be slow",
        file.display(),
        limit.as_secs()
    )]
    TimedOut {
        /// The file that was being read.
        file: PathBuf,
        /// The time limit.
        limit: Duration,
    },
}

impl AnkiError {
    /// The file this error is about.
    #[must_use]
    pub fn file(&self) -> &Path {
        match self {
            Self::Io { file, .. }
            | Self::TooLarge { file, .. }
            | Self::TooMany { file, .. }
            | Self::NotAPackage { file, .. }
            | Self::Corrupt { file, .. }
            | Self::Unsupported { file, .. }
            | Self::Text { file, .. }
            | Self::Stopped { file }
            | Self::TimedOut { file, .. } => file,
        }
    }
}

/// An error before the file name is attached; see [`Problem::at`].
#[derive(Debug)]
pub(crate) enum Problem {
    Io(io::Error),
    TooLarge { what: String, limit: u64 },
    TooMany { what: String, limit: u64 },
    NotAPackage(String),
    Corrupt(String),
    Unsupported(String),
    Text { line: usize, what: String },
    Stopped,
    TimedOut(Duration),
}

/// Result type of the inner code.
pub(crate) type Res<T> = Result<T, Problem>;

impl Problem {
    /// Shorthand for [`Problem::Corrupt`].
    pub(crate) fn corrupt(what: impl Into<String>) -> Self {
        Self::Corrupt(what.into())
    }

    /// Shorthand for [`Problem::TooLarge`].
    pub(crate) fn too_large(what: impl Into<String>, limit: u64) -> Self {
        Self::TooLarge {
            what: what.into(),
            limit,
        }
    }

    /// Shorthand for [`Problem::TooMany`].
    pub(crate) fn too_many(what: impl Into<String>, limit: usize) -> Self {
        Self::TooMany {
            what: what.into(),
            limit: u64::try_from(limit).unwrap_or(u64::MAX),
        }
    }

    /// Attaches the file name, giving the public error.
    pub(crate) fn at(self, file: &Path) -> AnkiError {
        let file = file.to_path_buf();
        match self {
            Self::Io(source) => AnkiError::Io { file, source },
            Self::TooLarge { what, limit } => AnkiError::TooLarge { file, what, limit },
            Self::TooMany { what, limit } => AnkiError::TooMany { file, what, limit },
            Self::NotAPackage(reason) => AnkiError::NotAPackage { file, reason },
            Self::Corrupt(what) => AnkiError::Corrupt { file, what },
            Self::Unsupported(what) => AnkiError::Unsupported { file, what },
            Self::Text { line, what } => AnkiError::Text { file, line, what },
            Self::Stopped => AnkiError::Stopped { file },
            Self::TimedOut(limit) => AnkiError::TimedOut { file, limit },
        }
    }
}

/// Formats a byte count for people: `1.0 GiB (1073741824 bytes)`.
pub(crate) struct Bytes(pub u64);

impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
        let n = self.0;
        if n < 1024 {
            return write!(f, "{n} bytes");
        }
        // Integer steps keep this exact and free of float casts; one decimal
        // is enough for a person.
        let mut whole = n;
        let mut unit = 0;
        while whole >= 1024 * 1024 && unit + 1 < UNITS.len() {
            whole /= 1024;
            unit += 1;
        }
        let tenths = (whole % 1024) * 10 / 1024;
        let name = UNITS.get(unit).copied().unwrap_or("TiB");
        write!(f, "{}.{tenths} {name} ({n} bytes)", whole / 1024)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_readable() {
        assert_eq!(Bytes(12).to_string(), "12 bytes");
        assert_eq!(Bytes(1024).to_string(), "1.0 KiB (1024 bytes)");
        assert_eq!(Bytes(50 << 20).to_string(), "50.0 MiB (52428800 bytes)");
        assert_eq!(Bytes(3 << 29).to_string(), "1.5 GiB (1610612736 bytes)");
        assert!(Bytes(u64::MAX).to_string().contains("bytes"));
    }

    #[test]
    fn display_names_file_and_problem() {
        let e = Problem::too_many("zip entries", 10).at(Path::new("/x/a.apkg"));
        let s = e.to_string();
        assert!(
            s.starts_with("/x/a.apkg: zip entries: more than the limit of 10"),
            "{s}"
        );
        assert_eq!(e.file(), Path::new("/x/a.apkg"));
    }
}
