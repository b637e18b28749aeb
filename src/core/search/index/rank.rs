//! The sort columns ranked in advance (sort field, deck, kind, tags), so a sorted result is
//! an integer sort: keys made once per note, deck or kind, not once per card.

use super::text::{plain_text, sort_key};
use super::{SearchIndex, as_u32, kind_name};

impl SearchIndex {
    /// Ranks the text columns once, so sorting by them is comparing integers.
    pub(super) fn rank(&mut self) {
        let count = self.rows.len();
        self.ranks = vec![[0; 4]; count];
        // Keys are made per note (sort field, tags), per deck (its name) and per kind, not
        // per card: a deck's name is one key, not one for each of its 100,000 cards.
        let notes: Vec<u32> = self.rows.iter().map(|row| row.note).collect();
        let decks: Vec<u32> = self.rows.iter().map(|row| row.deck).collect();
        let kinds: Vec<u32> = self
            .rows
            .iter()
            .map(|row| as_u32(kind_index_of(self.notes[row.note as usize].note_type)))
            .collect();
        let sort_fields: Vec<String> = self
            .notes
            .iter()
            .map(|note| sort_key(&plain_text(self.slice(note.sort_field))))
            .collect();
        let deck_names: Vec<String> = self.decks.iter().map(|d| sort_key(&d.name)).collect();
        let kind_names: Vec<&str> = (0..4).map(|kind| kind_name(kind * 4)).collect();
        let tags: Vec<String> = self
            .notes
            .iter()
            .map(|note| sort_key(self.slice(note.tags)))
            .collect();
        let columns = [
            ranks_by(&notes, &sort_fields),
            ranks_by(&decks, &deck_names),
            ranks_by(&kinds, &kind_names),
            ranks_by(&notes, &tags),
        ];
        for (column, ranks) in columns.iter().enumerate() {
            for (row, &rank) in ranks.iter().enumerate() {
                self.ranks[row][column] = rank;
            }
        }
    }
}

/// Each row's rank among all rows by key (how many rows have a smaller key), where row `i`'s
/// key is `keys[groups[i]]`: the keys sorted once per group, not once per row.
fn ranks_by<K: Ord>(groups: &[u32], keys: &[K]) -> Vec<u32> {
    let mut rows_in = vec![0_u32; keys.len()];
    for &group in groups {
        if let Some(rows) = rows_in.get_mut(group as usize) {
            *rows += 1;
        }
    }
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
    let mut group_rank = vec![0_u32; keys.len()];
    let mut before = 0;
    for run in order.chunk_by(|&a, &b| keys[a] == keys[b]) {
        for &group in run {
            group_rank[group] = before;
        }
        before += run.iter().map(|&group| rows_in[group]).sum::<u32>();
    }
    groups
        .iter()
        .map(|&group| group_rank.get(group as usize).copied().unwrap_or(0))
        .collect()
}

/// The kind of a note type id (see [`note_type`]), 0–3.
fn kind_index_of(note_type: u64) -> usize {
    usize::try_from(note_type / 4).unwrap_or(3).min(3)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::ranks_by;

    proptest! {
        /// Ranked by group, each row's rank is what ranking the rows one by one gives: how
        /// many rows have a smaller key (rows with equal keys share one).
        #[test]
        fn ranks_by_group_are_ranks_by_row(
            keys in prop::collection::vec(0u8..6, 1..12),
            picks in prop::collection::vec(any::<prop::sample::Index>(), 0..40),
        ) {
            let groups: Vec<u32> = picks
                .iter()
                .map(|pick| u32::try_from(pick.index(keys.len())).unwrap())
                .collect();
            let by_row: Vec<u32> = groups
                .iter()
                .map(|&g| {
                    let key = keys[g as usize];
                    u32::try_from(groups.iter().filter(|&&o| keys[o as usize] < key).count())
                        .unwrap()
                })
                .collect();
            prop_assert_eq!(ranks_by(&groups, &keys), by_row);
        }
    }
}
