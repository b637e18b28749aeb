//! The line-level pieces of Kartu's own file formats: the cursor the fast readers are built
//! on, line reading, the header line of line-per-record files, and the compact one-line RON
//! writer.
//!
//! Reading the exact lines Kartu's own writers produce, without a general RON parser:
//! loading 100,000 cards must take milliseconds, not seconds.
//!
//! Every reader built on it is a fast path only. It accepts a strict subset of RON (plain
//! strings without escapes, integers without signs or leading zeros, fields in the written
//! order) and answers `None` at the first thing it does not expect; the caller then parses the
//! whole file with `ron`, which also gives the error position. So a file edited by hand is
//! read exactly as before, only slower. Property tests and a fuzz target check that whatever
//! the fast path accepts, `ron` reads the same way.

use std::io::BufRead;
use std::path::Path;

use serde::Serialize;

use crate::core::error::{Error, Result, TextPosition, check_format, ron_options};

/// Reads tokens off the front of a string slice.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cursor<'a> {
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self { rest: text }
    }

    /// Consumes exactly `literal`.
    pub(crate) fn lit(&mut self, literal: &str) -> Option<()> {
        self.rest = self.rest.strip_prefix(literal)?;
        Some(())
    }

    /// Consumes `name: `.
    pub(crate) fn key(&mut self, name: &str) -> Option<()> {
        self.lit(name)?;
        self.lit(": ")
    }

    /// A `"…"` string with no backslash in it (escapes are left to the slow path).
    pub(crate) fn string(&mut self) -> Option<&'a str> {
        let inner = self.rest.strip_prefix('"')?;
        let end = inner.find(['"', '\\'])?;
        if inner.as_bytes()[end] != b'"' {
            return None;
        }
        self.rest = &inner[end + 1..];
        Some(&inner[..end])
    }

    /// An identifier such as `good` or `None`.
    pub(crate) fn word(&mut self) -> Option<&'a str> {
        let len = self
            .rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        if len == 0 {
            return None;
        }
        let (word, rest) = self.rest.split_at(len);
        self.rest = rest;
        Some(word)
    }

    fn digits(&mut self) -> Option<&'a str> {
        let len = self.rest.bytes().take_while(u8::is_ascii_digit).count();
        let digits = &self.rest[..len];
        // No empty number, and no leading zeros (`ron` might read those differently).
        if len == 0 || (len > 1 && digits.starts_with('0')) {
            return None;
        }
        self.rest = &self.rest[len..];
        Some(digits)
    }

    pub(crate) fn u64(&mut self) -> Option<u64> {
        self.digits()?.parse().ok()
    }

    pub(crate) fn u32(&mut self) -> Option<u32> {
        self.digits()?.parse().ok()
    }

    pub(crate) fn i64(&mut self) -> Option<i64> {
        let start = self.rest;
        let negative = self.lit("-").is_some();
        let digits = self.digits()?;
        let len = digits.len() + usize::from(negative);
        start[..len].parse().ok()
    }

    /// A float as `ron` writes one: `-?digits(.digits)?(e-?digits)?`.
    pub(crate) fn f32(&mut self) -> Option<f32> {
        let start = self.rest;
        self.lit("-");
        self.digits()?;
        if self.lit(".").is_some() {
            let len = self.rest.bytes().take_while(u8::is_ascii_digit).count();
            if len == 0 {
                return None;
            }
            self.rest = &self.rest[len..];
        }
        if self.lit("e").is_some() {
            self.lit("-");
            let len = self.rest.bytes().take_while(u8::is_ascii_digit).count();
            if len == 0 {
                return None;
            }
            self.rest = &self.rest[len..];
        }
        let len = start.len() - self.rest.len();
        start[..len].parse().ok()
    }

    /// True when nothing is left.
    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }
}

/// What [`next_line`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Next {
    /// A whole line, now in the buffer without its `\n`.
    Line,
    /// The end of the file, right after a `\n`.
    End,
    /// A last line without `\n`, or bytes that are not UTF-8: for the slow path to judge.
    Odd,
}

/// Reads the next line of a file being read on the fast path.
pub(crate) fn next_line(reader: &mut impl BufRead, line: &mut String, path: &Path) -> Result<Next> {
    line.clear();
    match reader.read_line(line) {
        Ok(0) => Ok(Next::End),
        Ok(_) if line.ends_with('\n') => {
            line.pop();
            Ok(Next::Line)
        }
        Ok(_) => Ok(Next::Odd),
        Err(err) if err.kind() == std::io::ErrorKind::InvalidData => Ok(Next::Odd),
        Err(err) => Err(Error::io(path, err)),
    }
}

/// One value as one line of RON, with spaces after `:` and `,` for reading: the form of every
/// card state, review and journal record Kartu writes.
pub(crate) fn compact_ron<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    let config = ron::ser::PrettyConfig::new()
        .compact_structs(true)
        .compact_maps(true)
        .compact_arrays(true);
    ron_options()
        .to_string_pretty(value, config)
        .map_err(|err| Error::Serialize(err.to_string()))
}

/// FNV-1a (64-bit) of a value's canonical one-line RON ([`compact_ron`]): the same record
/// hashes the same however its line was laid out.
pub fn record_hash<T: Serialize>(record: &T) -> Result<u64> {
    Ok(crate::core::ids::fnv64(compact_ron(record)?.bytes()))
}

/// The header line of a line-per-record file (journal, review log): `PREFIX` and the format
/// number, with its line break.
#[must_use]
pub(crate) fn header_line(prefix: &str, version: u32) -> String {
    format!("{prefix}{version}\n")
}

/// Checks a comment line `line_number` of a line-per-record file: if it is the header
/// (`prefix` and a format number), the format must be one this build reads. A header whose
/// number is not a number is damage, not a newer Kartu. Other comments pass.
pub(crate) fn check_header(
    path: &Path,
    line: &str,
    line_number: usize,
    prefix: &str,
    supported: u32,
) -> Result<()> {
    let Some(format) = line.strip_prefix(prefix) else {
        return Ok(());
    };
    let Ok(found) = format.trim().parse() else {
        return Err(Error::Parse {
            path: path.to_path_buf(),
            position: Some(TextPosition {
                line: line_number,
                col: prefix.chars().count() + 1,
            }),
            message: "the header's format number is damaged".to_owned(),
        });
    };
    check_format(path, found, supported)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tokens_and_refuses_what_it_does_not_know() {
        let mut c = Cursor::new(r#"due: -12, s: 2.5e-3, id: "a-b", w: good"#);
        assert_eq!((c.key("due"), c.i64()), (Some(()), Some(-12)));
        assert_eq!(
            (c.lit(", "), c.key("s"), c.f32()),
            (Some(()), Some(()), Some(2.5e-3))
        );
        assert_eq!(
            (c.lit(", "), c.key("id"), c.string()),
            (Some(()), Some(()), Some("a-b"))
        );
        assert_eq!(
            (c.lit(", "), c.key("w"), c.word()),
            (Some(()), Some(()), Some("good"))
        );
        assert!(c.is_empty());
        for refused in ["007", "+1", "", "x"] {
            assert_eq!(Cursor::new(refused).u64(), None, "{refused}");
        }
        assert_eq!(Cursor::new(r#""a\"b""#).string(), None);
        assert_eq!(Cursor::new("1.").f32(), None);
        assert_eq!(Cursor::new("99999999999").u32(), None);
    }
}
