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
    // By bytes: every allowed character is ASCII, so no byte of any other may pass.
    let bytes = id.as_bytes();
    bytes.len() <= 128
        && bytes
            .first()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.iter().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        })
}

/// FNV-1a, 64 bits, of `bytes`: a stable hash (the same across Rust versions and platforms,
/// unlike std's hasher) for ids, fuzz seeds and recognising lines; not for security.
#[must_use]
pub fn fnv64(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::is_valid_id;

    #[test]
    fn ids_are_lowercase_ascii_words_of_at_most_128_bytes() {
        for good in ["a", "0", "rumah-1_b.c", &"a".repeat(128)] {
            assert!(is_valid_id(good), "{good}");
        }
        for bad in [
            "",
            "-a",
            ".a",
            "_a",
            "A",
            "a b",
            "é",
            "aé",
            "a:2",
            &"a".repeat(129),
        ] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn bytes_and_characters_agree(id in "[a-z0-9._-]{0,130}|\\PC{0,6}|[a-zé:]{1,4}") {
            let by_chars = {
                let mut chars = id.chars();
                chars
                    .next()
                    .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                    && chars.all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')
                    })
                    && id.len() <= 128
            };
            proptest::prop_assert_eq!(is_valid_id(&id), by_chars);
        }
    }
}
