//! The one error type: a message for the learner and where to point at.

/// Why a query could not be parsed.
///
/// `position` is a **char** index into the query as typed (not a byte
/// offset), so a UI can place a caret under it. It is at most the query's
/// length in chars; it equals the length when something is missing at the
/// very end (e.g. `prop:ivl>`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SearchError {
    /// Char index of the offending spot in the query.
    pub position: usize,
    /// What is wrong, written for the learner.
    pub message: String,
}

impl SearchError {
    pub(crate) fn new(position: usize, message: impl Into<String>) -> Self {
        Self {
            position,
            message: message.into(),
        }
    }
}
