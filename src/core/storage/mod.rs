//! Every file Kartu owns in a data directory: where each lives (`paths`), how they are
//! written (`atomic`) and read (`format`), and the progress engine on top: the journal, the
//! review log, loading (`replay`), compaction and backups; and the caches of statistics and
//! of the deck list.

pub mod atomic;
pub mod backup;
pub mod compaction;
pub mod deck_list_cache;
pub mod edits;
pub mod format;
pub mod journal;
pub mod paths;
pub mod replay;
pub mod requests;
pub mod review_log;
pub mod settings;
pub mod stats_cache;
