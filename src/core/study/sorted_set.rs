//! [`SortedSet`]: an ordered set built once from sorted values, then changed a little.
//!
//! A deck's queues are filled at load from every card at once, then change by one or two
//! cards per answer. As a sorted list the values of 100,000 cards take the room of the
//! values alone and are made without a second copy (a `BTreeSet` built from them is made
//! beside the sorted list it is built from, 1.7 MB more at the peak of loading); the few
//! values added or taken out since sit in two small sets beside the list.

use std::collections::BTreeSet;
use std::ops::{Bound, RangeBounds};

/// An ordered set: a sorted list, and what was added to it and taken from it since.
#[derive(Clone, Debug)]
pub struct SortedSet<T> {
    /// Sorted, each value once; those before `start` are gone.
    list: Vec<T>,
    /// How many of `list`'s first values were taken out: a queue loses its first value most
    /// often, and passing over them one by one would cost each look at the queue more with
    /// every answer.
    start: usize,
    /// Values added since, none of them in `list[start..]`.
    added: BTreeSet<T>,
    /// Other values of `list[start..]` taken out since.
    removed: BTreeSet<T>,
}

impl<T> Default for SortedSet<T> {
    fn default() -> Self {
        Self {
            list: Vec::new(),
            start: 0,
            added: BTreeSet::new(),
            removed: BTreeSet::new(),
        }
    }
}

impl<T: Ord + Copy> SortedSet<T> {
    /// The set of `values`, which must be sorted, each once (checked in debug builds).
    #[must_use]
    pub fn from_sorted(mut values: Vec<T>) -> Self {
        debug_assert!(values.windows(2).all(|pair| pair[0] < pair[1]));
        values.shrink_to_fit();
        Self {
            list: values,
            start: 0,
            added: BTreeSet::new(),
            removed: BTreeSet::new(),
        }
    }

    fn listed(&self, value: &T) -> bool {
        self.list[self.start..].binary_search(value).is_ok()
    }

    /// Adds `value`; `false` if it was there.
    pub fn insert(&mut self, value: T) -> bool {
        if self.listed(&value) {
            self.removed.remove(&value)
        } else {
            self.added.insert(value)
        }
    }

    /// Takes `value` out; `false` if it was not there.
    pub fn remove(&mut self, value: &T) -> bool {
        if self.list.get(self.start) == Some(value) {
            self.start += 1;
            // Values after it taken out before now lead the list: past them too.
            while let Some(next) = self.list.get(self.start)
                && self.removed.remove(next)
            {
                self.start += 1;
            }
            true
        } else if self.listed(value) {
            self.removed.insert(*value)
        } else {
            self.added.remove(value)
        }
    }

    /// Whether `value` is in the set.
    #[must_use]
    pub fn contains(&self, value: &T) -> bool {
        if self.listed(value) {
            !self.removed.contains(value)
        } else {
            self.added.contains(value)
        }
    }

    /// How many values it holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.list.len() - self.start - self.removed.len() + self.added.len()
    }

    /// Whether it holds none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The values in order.
    pub fn iter(&self) -> impl Iterator<Item = &T> + '_ {
        self.range(..)
    }

    /// The values within `range`, in order.
    pub fn range<R: RangeBounds<T>>(&self, range: R) -> impl Iterator<Item = &T> + '_ {
        let list = &self.list[self.start..];
        let start = match range.start_bound() {
            Bound::Included(low) => list.partition_point(|v| v < low),
            Bound::Excluded(low) => list.partition_point(|v| v <= low),
            Bound::Unbounded => 0,
        };
        let end = match range.end_bound() {
            Bound::Included(high) => list.partition_point(|v| v <= high),
            Bound::Excluded(high) => list.partition_point(|v| v < high),
            Bound::Unbounded => list.len(),
        };
        let bounds = (range.start_bound().cloned(), range.end_bound().cloned());
        let listed = list.get(start..end.max(start)).unwrap_or_default();
        // A `BTreeSet` panics on a range that ends before it starts; such a range is empty.
        let valid = match (&bounds.0, &bounds.1) {
            (Bound::Included(low), Bound::Included(high)) => low <= high,
            (
                Bound::Included(low) | Bound::Excluded(low),
                Bound::Included(high) | Bound::Excluded(high),
            ) => low < high,
            _ => true,
        };
        let mut added = valid
            .then(|| self.added.range(bounds))
            .into_iter()
            .flatten()
            .peekable();
        // Values taken out, walked beside the list (both sorted): no look-up per value.
        let mut gone = valid
            .then(|| self.removed.range(bounds))
            .into_iter()
            .flatten()
            .peekable();
        let mut listed = listed
            .iter()
            .filter(move |value| {
                while gone.next_if(|g| g < value).is_some() {}
                gone.next_if(|g| g == value).is_none()
            })
            .peekable();
        std::iter::from_fn(move || match (listed.peek(), added.peek()) {
            (Some(a), Some(b)) if b < a => added.next(),
            (Some(_), _) => listed.next(),
            (None, _) => added.next(),
        })
    }

    /// The first value.
    #[must_use]
    pub fn first(&self) -> Option<&T> {
        self.iter().next()
    }
}

impl<T: Ord + Copy> FromIterator<T> for SortedSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut values: Vec<T> = iter.into_iter().collect();
        values.sort_unstable();
        values.dedup();
        Self::from_sorted(values)
    }
}

impl<T: Ord + Copy> PartialEq for SortedSet<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Built from any values and then changed (its first value taken out often, as a
        /// queue's is), it holds what a `BTreeSet` would, in the same order, over any range.
        #[test]
        fn sorted_sets_behave_like_btree_sets(
            built in prop::collection::vec(0u8..60, 0..40),
            changes in prop::collection::vec((0u8..3, 0u8..60), 0..60),
            low in 0u8..60,
            high in 0u8..60,
        ) {
            let mut model: BTreeSet<u8> = built.iter().copied().collect();
            let mut set: SortedSet<u8> = built.into_iter().collect();
            for (kind, value) in changes {
                match kind {
                    0 => prop_assert_eq!(set.insert(value), model.insert(value)),
                    1 => prop_assert_eq!(set.remove(&value), model.remove(&value)),
                    // The first value taken out, as a queue's is after an answer.
                    _ => {
                        let first = model.first().copied().unwrap_or(value);
                        prop_assert_eq!(set.remove(&first), model.remove(&first));
                    }
                }
                prop_assert_eq!(set.len(), model.len());
            }
            prop_assert!(set.iter().eq(model.iter()));
            prop_assert!(set.range(low..).eq(model.range(low..)));
            prop_assert!(set.range(..high).eq(model.range(..high)));
            if low <= high {
                prop_assert!(set.range(low..=high).eq(model.range(low..=high)));
            } else {
                // Where a `BTreeSet` would panic: nothing.
                prop_assert_eq!(set.range(low..high).count(), 0);
            }
            prop_assert_eq!(set.first(), model.first());
            for value in 0..60 {
                prop_assert_eq!(set.contains(&value), model.contains(&value));
            }
        }
    }
}
