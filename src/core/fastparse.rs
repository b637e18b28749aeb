//! A cursor for reading the exact lines Kartu's own writers produce, without a general RON
//! parser: loading 100,000 cards must take milliseconds, not seconds.
//!
//! Every reader built on it is a fast path only. It accepts a strict subset of RON (plain
//! strings without escapes, integers without signs or leading zeros, fields in the written
//! order) and answers `None` at the first thing it does not expect; the caller then parses the
//! whole file with `ron`, which also gives the error position. So a file edited by hand is
//! read exactly as before, only slower. Property tests and a fuzz target check that whatever
//! the fast path accepts, `ron` reads the same way.

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
