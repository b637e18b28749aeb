//! Stable ids: of decks and of cards. Progress is keyed by them, so they never change once a
//! deck is shared.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A deck's stable id, e.g. `backend-developer-id`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeckId(pub String);

/// A card's id, stable across deck versions and unique within its deck.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CardId(pub String);

impl fmt::Display for DeckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

// Maps keyed by card id can be asked with a `&str` (no allocation per lookup); `String`'s
// order and hash are `str`'s, so the derived ones agree.
impl std::borrow::Borrow<str> for CardId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CardId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// True for ids made of `a-z`, `0-9`, `-`, `_` and `.`, starting with a letter or digit.
#[must_use]
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
        && id.len() <= 128
}

/// FNV-1a, 64 bits, of `bytes`: a stable hash (the same across Rust versions and platforms,
/// unlike std's hasher) for ids, fuzz seeds and recognising lines; not for security.
#[must_use]
pub fn fnv64(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
