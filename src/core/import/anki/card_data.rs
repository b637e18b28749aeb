//! The JSON object in `cards.data`: FSRS memory (`s`, `d`), desired
//! retention (`dr`), `decay`, last review time (`lrt`), original new-queue
//! position (`pos`), custom scheduling data (`cd`, ignored).
//!
//! Like Anki, any key may be missing or of the wrong type and invalid JSON
//! counts as empty: this is extra state, not a reason to refuse the card.
//! Numbers are read without building a `serde_json::Value` (this runs once
//! per card, 100,000 times for a large deck).

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::model::MemoryState;

/// The keys of `cards.data` this reader uses.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct CardData {
    pos: Num,
    s: Num,
    d: Num,
    dr: Num,
    decay: Num,
    lrt: Num,
}

impl CardData {
    /// Parses the column; never fails.
    pub(crate) fn parse(s: &str) -> Self {
        // New cards have "" or "{}": skip the parser for them. Only an
        // object counts (serde would also take a positional array).
        if s.len() <= 2 || !s.trim_start().starts_with('{') {
            return Self::default();
        }
        serde_json::from_str(s).unwrap_or_default()
    }

    /// The memory state, when both stability and difficulty are present.
    pub(crate) fn memory(&self) -> Option<MemoryState> {
        Some(MemoryState {
            stability: self.s.as_f32()?,
            difficulty: self.d.as_f32()?,
            desired_retention: self.dr.as_f32(),
            decay: self.decay.as_f32(),
            last_review_secs: self.lrt.as_i64(),
        })
    }

    /// `pos`, the card's position when it was new.
    pub(crate) fn original_position(&self) -> Option<u32> {
        self.pos.as_i64().and_then(|p| u32::try_from(p).ok())
    }
}

/// A JSON value that is kept only if it is a number.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
enum Num {
    #[default]
    Absent,
    Int(i64),
    Float(f64),
}

impl Num {
    fn as_f64(self) -> Option<f64> {
        match self {
            Self::Absent => None,
            #[allow(clippy::cast_precision_loss, reason = "integral FSRS values are small")]
            Self::Int(i) => Some(i as f64),
            Self::Float(f) => Some(f),
        }
    }

    /// Finite values only; Anki keeps these as `f32`.
    fn as_f32(self) -> Option<f32> {
        #[allow(
            clippy::cast_possible_truncation,
            reason = "Anki stores f32; JSON widened it to f64"
        )]
        let f = self.as_f64()? as f32;
        f.is_finite().then_some(f)
    }

    fn as_i64(self) -> Option<i64> {
        match self {
            Self::Int(i) => Some(i),
            Self::Absent | Self::Float(_) => None,
        }
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumVisitor)
    }
}

struct NumVisitor;

impl<'de> Visitor<'de> for NumVisitor {
    type Value = Num;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
        Ok(Num::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
        Ok(i64::try_from(v).map_or(Num::Absent, Num::Int))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Num, E> {
        Ok(Num::Float(v))
    }

    // Everything else is accepted and dropped, so one odd key does not
    // make the whole object unreadable.
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Num, E> {
        Ok(Num::Absent)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Num, E> {
        Ok(Num::Absent)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Num, E> {
        Ok(Num::Absent)
    }

    fn visit_none<E: de::Error>(self) -> Result<Num, E> {
        Ok(Num::Absent)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Num, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Num, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Num::Absent)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Num, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Num::Absent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_full_memory_state() {
        let data = CardData::parse(
            r#"{"pos":1,"s":50.7055,"d":2.097,"dr":0.9,"decay":0.154,"lrt":1795601194,"cd":"x"}"#,
        );
        assert_eq!(
            data.memory(),
            Some(MemoryState {
                stability: 50.7055,
                difficulty: 2.097,
                desired_retention: Some(0.9),
                decay: Some(0.154),
                last_review_secs: Some(1_795_601_194),
            })
        );
        assert_eq!(data.original_position(), Some(1));
    }

    #[test]
    fn tolerates_missing_and_odd_keys() {
        // No s/d: no memory (new cards carry dr/decay/lrt only).
        assert_eq!(
            CardData::parse(r#"{"dr":0.9,"decay":0.154}"#).memory(),
            None
        );
        assert_eq!(CardData::parse(r#"{"s":"x","d":2}"#).memory(), None);
        assert_eq!(
            CardData::parse(r#"{"s":[1,{"a":2}],"d":{"x":[]}}"#).memory(),
            None
        );
        assert_eq!(CardData::parse("not json").memory(), None);
        assert_eq!(CardData::parse("").memory(), None);
        assert_eq!(CardData::parse("[1,2,3]").memory(), None);
        assert_eq!(CardData::parse(r#"{"s":1e300,"d":2}"#).memory(), None);
        assert_eq!(CardData::parse(r#"{"pos":-1}"#).original_position(), None);
        assert_eq!(CardData::parse(r#"{"pos":1.5}"#).original_position(), None);
        let partial = CardData::parse(r#"{"s":1,"d":2,"lrt":"soon","zz":null}"#).memory();
        assert_eq!(partial.and_then(|m| m.last_review_secs), None);
        assert_eq!(partial.map(|m| m.stability), Some(1.0));
        // Deep nesting must not overflow the stack: serde_json caps recursion.
        let deep = format!(r#"{{"s":{}1{}}}"#, "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(CardData::parse(&deep).memory(), None);
    }
}
