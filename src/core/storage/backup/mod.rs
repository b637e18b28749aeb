//! Backups of progress, with Anki's policy: at most one every 30 minutes and only when
//! something changed; all of today and yesterday are kept, then 12 daily, 10 weekly and 9
//! monthly ones.
//!
//! A backup is a progress snapshot in `backups/`, named by its UTC time
//! (`backup-20261125-094500.ron`, id `20261125-094500`), whose first line is a comment with
//! its counts so listing reads one line per file.

mod info;
mod job;
mod policy;

pub use info::{BackupInfo, backup_id};
pub use job::{BackupJob, backup_path, list, load};
pub use policy::{
    KEEP_DAILY, KEEP_MONTHLY, KEEP_WEEKLY, MIN_INTERVAL_SECS, is_due, is_from_the_future, newest,
    to_remove,
};
