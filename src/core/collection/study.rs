//! What to study: the deck list as a tree with today's counts (a parent's summed over its
//! sub-decks), and the next card of a deck and its sub-decks, passing over buried cards and
//! the siblings of cards answered today.

use std::collections::HashMap;

use super::installed::InstalledDeck;
use super::{Collection, DeckSummary};
use crate::core::error::Result;
use crate::core::ids::{CardId, DeckId};
use crate::core::study::limits::{self, DailyLimits, DeckCounts, Slot};
use crate::core::time::Timestamp;

/// What keeps a deck's cards out of study now, besides suspension (suspended cards are in no
/// queue): burying until later, and siblings of cards answered today.
struct Holds<'a> {
    installed: &'a InstalledDeck,
    now: Timestamp,
    /// Notes with a card answered today, and which cards (when siblings are buried).
    answered: Option<HashMap<&'a str, Vec<&'a str>>>,
}

impl Holds<'_> {
    fn skips(&self, slot: Slot) -> bool {
        let position = self.installed.position(slot);
        if self
            .installed
            .buried
            .get(&position)
            .is_some_and(|until| *until > self.now)
        {
            return true;
        }
        // As in Anki, learning cards are never buried as siblings.
        let (Some(answered), Slot::Review(_) | Slot::Unseen(_)) = (&self.answered, slot) else {
            return false;
        };
        let card = self.installed.deck.card_at(position as usize);
        answered
            .get(card.note().id())
            .is_some_and(|cards| cards.iter().any(|other| *other != card.id()))
    }
}

impl Collection {
    /// The daily limits of `deck`'s preset.
    pub(super) fn limits(&self, deck: &DeckId) -> DailyLimits {
        let (new_per_day, reviews_per_day) = self.settings.daily_limits(deck);
        DailyLimits {
            new_per_day: new_per_day as usize,
            reviews_per_day: reviews_per_day as usize,
        }
    }

    fn holds<'a>(&'a self, installed: &'a InstalledDeck, now: Timestamp) -> Holds<'a> {
        // Only a note with two cards or more has siblings: in a deck without such notes
        // there is nothing to look up (today's reviews are walked at every pick).
        let has_siblings = installed.deck.len() > installed.deck.note_count();
        let answered = (self.settings.bury_siblings && has_siblings).then(|| {
            let day_start = self.clock.day_start(self.clock.day(now));
            let mut answered: HashMap<&str, Vec<&str>> = HashMap::new();
            for review in self
                .progress
                .reviews
                .iter()
                .rev()
                .take_while(|r| r.at >= day_start)
            {
                if review.deck == installed.deck.id
                    && let Some(card) = installed.card(&review.card)
                {
                    answered
                        .entry(card.note().id())
                        .or_default()
                        .push(card.id());
                }
            }
            answered
        });
        Holds {
            installed,
            now,
            answered,
        }
    }

    /// One deck's own counts for today.
    pub(super) fn own_counts(&self, installed: &InstalledDeck, now: Timestamp) -> DeckCounts {
        let done = limits::done_today(&self.progress.reviews, &installed.deck.id, &self.clock, now);
        let holds = self.holds(installed, now);
        limits::counts(
            &installed.queues,
            done,
            self.limits(&installed.deck.id),
            &self.clock,
            now,
            &|slot| holds.skips(slot),
        )
    }

    /// Every deck's id, title and depth, in tree order (the deck list's order, without the
    /// counts, which cost a walk over the queues).
    #[must_use]
    pub fn deck_tree(&self) -> Vec<(DeckId, String, usize)> {
        self.tree()
            .into_iter()
            .map(|(depth, i)| {
                let deck = &self.decks[i].deck;
                (deck.id.clone(), deck.title.clone(), depth)
            })
            .collect()
    }

    /// The decks in tree order, as (depth, index): each deck followed by its sub-decks, siblings
    /// by title. A deck whose parent is not installed (or that would sit under itself) is
    /// at the top.
    pub(super) fn tree(&self) -> Vec<(usize, usize)> {
        let index: HashMap<&DeckId, usize> = self
            .decks
            .iter()
            .enumerate()
            .map(|(i, d)| (&d.deck.id, i))
            .collect();
        let parent_of = |i: usize| -> Option<usize> {
            let parent = index.get(self.decks[i].deck.parent.as_ref()?).copied()?;
            // Walk up: a loop back to `i` means no parent at all.
            let mut at = parent;
            for _ in 0..self.decks.len() {
                if at == i {
                    return None;
                }
                match self.decks[at]
                    .deck
                    .parent
                    .as_ref()
                    .and_then(|p| index.get(p))
                {
                    Some(&up) => at = up,
                    None => break,
                }
            }
            Some(parent)
        };
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); self.decks.len()];
        let mut roots = Vec::new();
        // `decks` is sorted by title, so children come out in title order.
        for i in 0..self.decks.len() {
            match parent_of(i) {
                Some(parent) => children[parent].push(i),
                None => roots.push(i),
            }
        }
        let mut order = Vec::with_capacity(self.decks.len());
        let mut stack: Vec<(usize, usize)> = roots.into_iter().rev().map(|i| (0, i)).collect();
        while let Some((depth, i)) = stack.pop() {
            order.push((depth, i));
            stack.extend(children[i].iter().rev().map(|&c| (depth + 1, c)));
        }
        order
    }

    /// `deck` and every deck under it, in tree order.
    pub fn family(&self, deck: &DeckId) -> Result<Vec<&InstalledDeck>> {
        self.deck(deck)?;
        let tree = self.tree();
        let Some(start) = tree
            .iter()
            .position(|(_, i)| &self.decks[*i].deck.id == deck)
        else {
            return Ok(Vec::new());
        };
        let depth = tree[start].0;
        Ok(std::iter::once(tree[start])
            .chain(
                tree[start + 1..]
                    .iter()
                    .take_while(|(d, _)| *d > depth)
                    .copied(),
            )
            .map(|(_, i)| &self.decks[i])
            .collect())
    }

    /// The deck list, in tree order, with today's counts (a parent's include its sub-decks').
    #[must_use]
    pub fn deck_summaries(&self, now: Timestamp) -> Vec<DeckSummary> {
        let tree = self.tree();
        let own: Vec<DeckCounts> = self
            .decks
            .iter()
            .map(|installed| self.own_counts(installed, now))
            .collect();
        tree.iter()
            .enumerate()
            .map(|(at, &(depth, i))| {
                let installed = &self.decks[i];
                let family = std::iter::once(i).chain(
                    tree[at + 1..]
                        .iter()
                        .take_while(|(d, _)| *d > depth)
                        .map(|(_, j)| *j),
                );
                let (mut counts, mut card_count) = (DeckCounts::default(), 0);
                for j in family {
                    counts.new += own[j].new;
                    counts.learning += own[j].learning;
                    counts.due += own[j].due;
                    card_count += self.decks[j].deck.len();
                }
                DeckSummary {
                    id: installed.deck.id.clone(),
                    title: installed.deck.title.clone(),
                    language: installed.deck.language.clone(),
                    parent: (depth > 0).then(|| installed.deck.parent.clone()).flatten(),
                    depth,
                    card_count,
                    counts,
                }
            })
            .collect()
    }

    /// Today's counts for a deck and its sub-decks.
    pub fn deck_counts(&self, deck: &DeckId, now: Timestamp) -> Result<DeckCounts> {
        let mut counts = DeckCounts::default();
        for installed in self.family(deck)? {
            let own = self.own_counts(installed, now);
            counts.new += own.new;
            counts.learning += own.learning;
            counts.due += own.due;
        }
        Ok(counts)
    }

    /// The card to study next in `deck` itself (not its sub-decks) at `now`: learning cards
    /// that are due, then reviews, then new cards (within the daily limits), then learning
    /// cards due within 20 minutes. Equal due times go in card id order; buried cards and
    /// the siblings of cards answered today are passed over.
    pub fn next_card(&self, deck: &DeckId, now: Timestamp) -> Result<Option<CardId>> {
        let installed = self.deck(deck)?;
        Ok(self
            .pick(installed, now)
            .map(|pick| CardId(installed.card_in(pick.slot).id().to_owned())))
    }

    fn pick(&self, installed: &InstalledDeck, now: Timestamp) -> Option<limits::Pick> {
        let done = limits::done_today(&self.progress.reviews, &installed.deck.id, &self.clock, now);
        let holds = self.holds(installed, now);
        limits::next_card(
            &installed.queues,
            done,
            self.limits(&installed.deck.id),
            now,
            &|slot| holds.skips(slot),
        )
    }

    /// The card to study next in `deck` and its sub-decks (studying a parent studies its
    /// children, as in Anki): of each deck's next card, learning due first, then reviews,
    /// then new cards, then learning ahead; earlier due times first, and the deck higher in
    /// the tree on a tie.
    pub fn next_study_card(
        &self,
        deck: &DeckId,
        now: Timestamp,
    ) -> Result<Option<(DeckId, CardId)>> {
        let best = self
            .family(deck)?
            .into_iter()
            .filter_map(|installed| self.pick(installed, now).map(|pick| (pick, installed)))
            .min_by_key(|(pick, _)| (pick.kind, pick.due));
        Ok(best.map(|(pick, installed)| {
            (
                installed.deck.id.clone(),
                CardId(installed.card_in(pick.slot).id().to_owned()),
            )
        }))
    }

    /// When `deck` or a sub-deck next has something to study, if ever (for the "done for
    /// now" screen).
    pub fn next_due(&self, deck: &DeckId, now: Timestamp) -> Result<Option<Timestamp>> {
        Ok(self
            .family(deck)?
            .into_iter()
            .filter_map(|installed| limits::next_due(&installed.queues, &self.clock, now))
            .min())
    }
}
