//! A `BTreeMap` built with full nodes from entries that come in key order.
//!
//! Inserting keys one by one in ascending order splits every node as it fills, leaving each
//! a little over half full: 100,000 card states loaded that way take 19 MB, against 11 MB in
//! full nodes (measured in ARCHITECTURE.md). `BTreeMap`'s bulk build fills its nodes, but
//! only from a whole `Vec`, which would hold every entry twice while the map is built;
//! [`FullMapBuilder`] bulk-builds batches (16,384 entries, or a quarter of the map once that
//! is more) and appends each (`append` builds the merged map node by node while it frees the
//! old one), so the map is full and the batch is all that is held beside it.

use std::collections::BTreeMap;

/// Collects entries into a map whose nodes are full (see the module docs). Of equal keys
/// the last pushed wins, as with `insert`.
#[derive(Debug)]
pub(crate) struct FullMapBuilder<K, V> {
    map: BTreeMap<K, V>,
    batch: Vec<(K, V)>,
}

/// Batches are at least this long, so a small map is built in one go.
const MIN_BATCH: usize = 16_384;

impl<K: Ord, V> FullMapBuilder<K, V> {
    /// An empty map.
    pub(crate) fn new() -> Self {
        Self {
            map: BTreeMap::new(),
            batch: Vec::new(),
        }
    }

    /// Adds an entry; entries in ascending key order cost the least.
    pub(crate) fn push(&mut self, key: K, value: V) {
        self.batch.push((key, value));
        // A quarter of the map: each `append` moves the whole map, so batches grow with it
        // and the whole build moves each entry about five times at any size.
        if self.batch.len() >= MIN_BATCH.max(self.map.len() / 4) {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let batch = std::mem::take(&mut self.batch);
        if batch.is_empty() {
            return;
        }
        let mut part: BTreeMap<K, V> = if batch.windows(2).all(|pair| pair[0].0 < pair[1].0) {
            // `collect` reuses the batch's buffer and builds full nodes.
            batch.into_iter().collect()
        } else {
            // Out of order or repeated keys (a hand-edited file): `insert` keeps the last.
            let mut part = BTreeMap::new();
            for (key, value) in batch {
                part.insert(key, value);
            }
            part
        };
        // `append` keeps `part`'s value of a key both have: the later one.
        self.map.append(&mut part);
    }

    /// The map.
    pub(crate) fn finish(mut self) -> BTreeMap<K, V> {
        self.flush();
        self.map
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        /// The same map as inserting one by one, whatever the order and repeats, across
        /// several batches.
        #[test]
        fn same_as_inserting(
            keys in prop::collection::vec(0u32..40_000, 0..30_000),
            sorted in any::<bool>(),
        ) {
            let mut keys = keys;
            if sorted {
                keys.sort_unstable();
            }
            let mut builder = FullMapBuilder::new();
            let mut expected = BTreeMap::new();
            for (value, &key) in keys.iter().enumerate() {
                builder.push(key, value);
                expected.insert(key, value);
            }
            prop_assert_eq!(builder.finish(), expected);
        }
    }
}
