//! Learning and relearning steps, counted the way Anki counts them.
//!
//! A card in (re)learning remembers how many steps it has left, not which step it is on, so a
//! teacher or learner who edits the steps does not strand cards past the end.

const DAY_SECS: u32 = 86_400;

/// A list of step delays in seconds, e.g. `[60, 600]` for 1m and 10m.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Steps<'a>(pub &'a [u32]);

impl Steps<'_> {
    /// The index of the current step, given how many remain (clamped into range).
    fn index(self, remaining: u32) -> usize {
        let total = self.0.len();
        total
            .saturating_sub(remaining as usize)
            .min(total.saturating_sub(1))
    }

    fn secs_at(self, index: usize) -> Option<u32> {
        self.0.get(index).copied()
    }

    /// How many steps a failed card has left: all of them.
    pub(crate) fn remaining_for_again(self) -> u32 {
        u32::try_from(self.0.len()).unwrap_or(u32::MAX)
    }

    /// The delay after Again: back to the first step.
    pub(crate) fn again_delay_secs(self) -> Option<u32> {
        self.secs_at(0)
    }

    /// The delay after Hard: repeat the current step; on the first step, something between
    /// Again and Good so the buttons never show the same delay.
    pub(crate) fn hard_delay_secs(self, remaining: u32) -> Option<u32> {
        let index = self.index(remaining);
        let current = self.secs_at(index)?;
        if index > 0 {
            return Some(current);
        }
        let secs = match self.secs_at(1) {
            Some(next) => current.saturating_add(next) / 2,
            // 50% longer, but at most a day longer, so it stays below a graduating interval.
            None => (current.saturating_mul(3) / 2).min(current.saturating_add(DAY_SECS)),
        };
        Some(round_to_days_past_one_day(secs))
    }

    /// The delay after Good, or `None` when Good graduates the card.
    pub(crate) fn good_delay_secs(self, remaining: u32) -> Option<u32> {
        self.secs_at(self.index(remaining) + 1)
    }

    /// Steps left after Good.
    pub(crate) fn remaining_for_good(self, remaining: u32) -> u32 {
        let left = self.0.len().saturating_sub(self.index(remaining) + 1);
        u32::try_from(left).unwrap_or(u32::MAX)
    }
}

/// Delays over a day are whole days, so answering early or late in the day gives the same result.
fn round_to_days_past_one_day(secs: u32) -> u32 {
    if secs > DAY_SECS {
        ((f64::from(secs) / f64::from(DAY_SECS)).round() as u32).saturating_mul(DAY_SECS)
    } else {
        secs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delays(steps: &[u32], remaining: u32) -> (Option<u32>, Option<u32>, Option<u32>) {
        let steps = Steps(steps);
        (
            steps.again_delay_secs(),
            steps.hard_delay_secs(remaining),
            steps.good_delay_secs(remaining),
        )
    }

    #[test]
    fn default_learning_steps() {
        // 1m 10m: first step Hard is halfway (5m30s), last step Hard repeats it.
        assert_eq!(delays(&[60, 600], 2), (Some(60), Some(330), Some(600)));
        assert_eq!(delays(&[60, 600], 1), (Some(60), Some(600), None));
        assert_eq!(Steps(&[60, 600]).remaining_for_good(2), 1);
        assert_eq!(Steps(&[60, 600]).remaining_for_good(1), 0);
    }

    #[test]
    fn single_step_hard_is_half_again_longer_but_at_most_a_day() {
        assert_eq!(delays(&[600], 1), (Some(600), Some(900), None));
        let three_days = 3 * DAY_SECS;
        assert_eq!(delays(&[three_days], 1).1, Some(4 * DAY_SECS));
    }

    #[test]
    fn three_steps() {
        assert_eq!(
            delays(&[60, 600, 6000], 3),
            (Some(60), Some(330), Some(600))
        );
        assert_eq!(
            delays(&[60, 600, 6000], 2),
            (Some(60), Some(600), Some(6000))
        );
        assert_eq!(delays(&[60, 600, 6000], 1), (Some(60), Some(6000), None));
    }

    #[test]
    fn no_steps_and_out_of_range_counts() {
        assert_eq!(delays(&[], 0), (None, None, None));
        // More remaining than steps (steps were shortened): treated as the first step.
        assert_eq!(delays(&[60, 600], 7), (Some(60), Some(330), Some(600)));
    }
}
