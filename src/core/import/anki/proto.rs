//! A minimal protobuf wire-format reader, enough for the few small messages
//! Anki stores (package meta, media map, note type / template / deck
//! configs). It never allocates and never reads past the slice it is given.

/// One field's value as found on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Value<'a> {
    /// Wire type 0.
    Varint(u64),
    /// Wire type 1 (8 bytes) or 5 (4 bytes), little-endian, widened.
    Fixed(u64),
    /// Wire type 2: strings, bytes and nested messages.
    Bytes(&'a [u8]),
}

/// Iterates over `(field number, value)` pairs of one message.
///
/// Yields `Err` once (then stops) on anything malformed: truncated data,
/// over-long varints, lengths past the end, groups, field number 0.
pub(crate) struct Fields<'a> {
    rest: &'a [u8],
    failed: bool,
}

/// Why a message could not be decoded (kept short: callers add context).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Malformed;

impl<'a> Fields<'a> {
    /// Starts reading the message in `buf`.
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Self {
            rest: buf,
            failed: false,
        }
    }

    fn varint(&mut self) -> Result<u64, Malformed> {
        let mut value: u64 = 0;
        // At most 10 bytes encode a u64; more is malformed, not a bigger number.
        for shift in (0..70).step_by(7) {
            let (&byte, tail) = self.rest.split_first().ok_or(Malformed)?;
            self.rest = tail;
            let low = u64::from(byte & 0x7f);
            if shift == 63 && low > 1 {
                return Err(Malformed);
            }
            value |= low << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Malformed)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], Malformed> {
        if n > self.rest.len() {
            return Err(Malformed);
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    fn next_field(&mut self) -> Result<(u32, Value<'a>), Malformed> {
        let key = self.varint()?;
        let number = u32::try_from(key >> 3).map_err(|_| Malformed)?;
        if number == 0 {
            return Err(Malformed);
        }
        let value = match key & 7 {
            0 => Value::Varint(self.varint()?),
            1 => {
                let b = self.take(8)?;
                let arr: [u8; 8] = b.try_into().map_err(|_| Malformed)?;
                Value::Fixed(u64::from_le_bytes(arr))
            }
            2 => {
                let len = usize::try_from(self.varint()?).map_err(|_| Malformed)?;
                Value::Bytes(self.take(len)?)
            }
            5 => {
                let b = self.take(4)?;
                let arr: [u8; 4] = b.try_into().map_err(|_| Malformed)?;
                Value::Fixed(u64::from(u32::from_le_bytes(arr)))
            }
            // 3/4 are deprecated groups, 6/7 do not exist; none occur in Anki's messages.
            _ => return Err(Malformed),
        };
        Ok((number, value))
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = Result<(u32, Value<'a>), Malformed>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.rest.is_empty() {
            return None;
        }
        let item = self.next_field();
        if item.is_err() {
            self.failed = true;
        }
        Some(item)
    }
}

/// Reads a string field's bytes as UTF-8.
pub(crate) fn utf8(bytes: &[u8]) -> Result<&str, Malformed> {
    std::str::from_utf8(bytes).map_err(|_| Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(buf: &[u8]) -> Vec<Result<(u32, Value<'_>), Malformed>> {
        Fields::new(buf).collect()
    }

    #[test]
    fn reads_each_wire_type() {
        // field 1 varint 3; field 2 bytes "hi"; field 3 fixed32 1; field 4 fixed64 2
        let buf = [
            0x08, 0x03, 0x12, 0x02, b'h', b'i', 0x1d, 1, 0, 0, 0, 0x21, 2, 0, 0, 0, 0, 0, 0, 0,
        ];
        assert_eq!(
            all(&buf),
            vec![
                Ok((1, Value::Varint(3))),
                Ok((2, Value::Bytes(b"hi"))),
                Ok((3, Value::Fixed(1))),
                Ok((4, Value::Fixed(2))),
            ]
        );
    }

    #[test]
    fn reads_large_field_numbers_and_varints() {
        // field 255 varint (key = 255<<3 = 2040 = 0xf8 0x0f), value u64::MAX
        let mut buf = vec![0xf8, 0x0f];
        buf.extend([0xff; 9]);
        buf.push(0x01);
        assert_eq!(all(&buf), vec![Ok((255, Value::Varint(u64::MAX)))]);
    }

    #[test]
    fn rejects_malformed_input_without_panicking() {
        let cases: &[&[u8]] = &[
            &[0x08],             // missing varint value
            &[0x12, 0x05, b'a'], // length past end
            &[0x0b],             // group start
            &[0x00, 0x01],       // field number 0
            &[
                0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
            ], // varint overflow
            &[
                0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01,
            ], // 11 bytes
            &[0x1d, 1, 2],       // short fixed32
            &[
                0x12, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
            ], // huge length
        ];
        for case in cases {
            let got = all(case);
            assert!(
                matches!(got.last(), Some(Err(Malformed))),
                "{case:?}: {got:?}"
            );
        }
    }

    #[test]
    fn every_prefix_and_byte_is_safe() {
        let buf = [0x0a, 0x06, 0x0a, 0x01, b'x', 0x10, 0x46, 0x08, 0x96, 0x01];
        for end in 0..=buf.len() {
            let _ = all(buf.get(..end).unwrap_or_default());
        }
        for b in 0..=255u8 {
            let _ = all(&[b, b, b, b]);
        }
    }
}
