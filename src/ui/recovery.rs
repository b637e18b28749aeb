//! What the window does at start about files it could not use, and what it tells the learner:
//! progress that does not parse is set aside (and the newest backup offered), progress whose
//! files do not fit together is kept (and a backup offered), deck files that do not parse
//! are set aside, and anything else that could not be read is listed.

use super::i18n::{Texts, fill};
use super::status::Status;
use crate::core::collection::Collection;
use crate::core::storage::backup::{self, BackupInfo};
use crate::core::time::Timestamp;

/// The status message and the backup to offer after [`recover_at_start`].
#[derive(Debug, Default)]
pub struct Recovery {
    /// What to say, if anything.
    pub status: Option<Status>,
    /// The backup of the latest progress, when progress could not be used.
    pub offered_backup: Option<BackupInfo>,
}

/// Moves what does not parse aside, keeps what does not fit, and says what happened.
pub fn recover_at_start(collection: &mut Collection, tr: &Texts, now: Timestamp) -> Recovery {
    let mut recovery = Recovery::default();
    let mut texts: Vec<String> = Vec::new();
    let progress_handled = progress(collection, tr, now, &mut texts, &mut recovery);
    decks(collection, tr, now, &mut texts);
    // The problems read at start (less the decks just moved, which said so), unless the
    // message about progress already tells of them.
    let problems = collection.problems();
    if !progress_handled && !problems.is_empty() {
        texts.push(format!("{} {}", tr.open_problems, problems.join(" · ")));
    }
    if !texts.is_empty() {
        recovery.status = Some(Status::error(texts.join(" ")));
    }
    recovery
}

/// Progress that does not parse is set aside (kept, renamed) so the learner can go on;
/// progress whose files do not fit together is kept as it is. Either way the backup of the
/// latest progress is offered. Whether it said anything.
fn progress(
    collection: &mut Collection,
    tr: &Texts,
    now: Timestamp,
    texts: &mut Vec<String>,
    recovery: &mut Recovery,
) -> bool {
    let Some(error) = collection.progress_error().map(str::to_owned) else {
        return false;
    };
    let newest = |collection: &Collection| {
        collection
            .backups()
            .ok()
            .and_then(|all| backup::newest(&all).cloned())
    };
    match collection.set_aside_corrupt_progress(now) {
        Ok(moved) if !moved.is_empty() => {
            let paths: Vec<String> = moved.iter().map(|p| p.display().to_string()).collect();
            texts.push(fill(
                tr.set_aside,
                &[("error", &error), ("path", &paths.join(", "))],
            ));
            recovery.offered_backup = newest(collection);
            true
        }
        Ok(_) if collection.progress_restorable() => {
            texts.push(fill(tr.inconsistent, &[("error", &error)]));
            recovery.offered_backup = newest(collection);
            true
        }
        // Not a parse problem (permissions, a newer Kartu): read-only, as the banner says.
        Ok(_) => false,
        Err(err) => {
            texts.push(fill(tr.failed, &[("error", &err.to_string())]));
            true
        }
    }
}

/// Deck files that do not parse are set aside (kept, renamed) and the learner told where.
fn decks(collection: &mut Collection, tr: &Texts, now: Timestamp, texts: &mut Vec<String>) {
    if collection.unreadable_decks().is_empty() || !collection.is_writer() {
        return;
    }
    match collection.set_aside_unreadable_decks(now) {
        Ok(moved) => {
            for (path, error) in &moved {
                texts.push(fill(
                    tr.deck_set_aside,
                    &[("error", error), ("path", &path.display().to_string())],
                ));
            }
        }
        Err(err) => texts.push(fill(tr.failed, &[("error", &err.to_string())])),
    }
}
