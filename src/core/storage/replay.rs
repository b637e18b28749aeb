//! Loading progress, and the one place that decides whether a journal fits its snapshot:
//! [`replay`], used by loading, compaction and backups alike.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use crate::core::error::{Error, Result, TextPosition};
use crate::core::model::progress::{Folded, Progress};
use crate::core::storage::format::lines::record_hash;
use crate::core::storage::journal::{
    DamagedTail, JournalRecord, JournalTail, Record, read_journal,
};
use crate::core::storage::paths::DataPaths;
use crate::core::storage::review_log;

/// What loading found besides the progress itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// Journal records replayed on top of the snapshot.
    pub replayed: usize,
    /// A torn last journal line was dropped (its answer had not been confirmed).
    pub dropped_torn_line: bool,
    /// Whole lines at the journal's end that do not parse: damage, not a crash. Their
    /// answers are lost; a writer keeps a copy of the journal before cutting them off.
    pub damaged_tail: Option<DamagedTail>,
}

/// Reads the snapshot and replays the journal. Returns the progress, the byte length of the
/// journal's intact part, and a report.
///
/// A reader without the lock can race the writer's compaction (old snapshot, then the
/// already-trimmed journal); the sequence numbers show that, and the load is simply tried again.
pub fn load(paths: &DataPaths) -> Result<(Progress, u64, LoadReport)> {
    let mut attempt = 0;
    loop {
        match load_once(paths) {
            Err(Error::JournalGap { .. }) if attempt < 5 => attempt += 1,
            other => return other,
        }
    }
}

fn load_once(paths: &DataPaths) -> Result<(Progress, u64, LoadReport)> {
    let mut progress = Progress::load_snapshot(&paths.progress_file())?;
    check_review_log(paths, &progress)?;
    // Records up to `logged` are in the review log already (and so in `progress.reviews`).
    let logged = match progress.review_log {
        Some(generation) => {
            let tail = review_log::read_tail(
                &paths.review_log_file(generation),
                review_log::TAIL_WINDOW_SECS,
            )?;
            progress.reviews = tail.reviews;
            tail.last_seq.max(progress.seq)
        }
        None => progress.seq,
    };
    let path = paths.journal_file();
    let Some(parsed) = read_journal(&path)? else {
        progress.review_log_bytes = None;
        progress.folded = None;
        return Ok((progress, 0, LoadReport::default()));
    };
    let replayed = replay(
        &mut progress,
        &parsed.records,
        &path,
        u64::MAX,
        &mut |record, progress| {
            if record.seq > logged {
                progress.apply_to_reviews(&record.change);
            }
        },
    )?;
    // What the snapshot says of the files on disk was checked; memory has no use for it.
    progress.review_log_bytes = None;
    progress.folded = None;
    let report = LoadReport {
        replayed: replayed.count,
        dropped_torn_line: matches!(parsed.tail, JournalTail::Torn),
        damaged_tail: match parsed.tail {
            JournalTail::Damaged(damage) => Some(damage),
            JournalTail::Clean | JournalTail::Torn => None,
        },
    };
    Ok((progress, parsed.intact_len, report))
}

/// A snapshot's review log must be there, and no shorter than when the snapshot was
/// written: the log is only ever appended to, so a shorter one lost history.
pub(crate) fn check_review_log(paths: &DataPaths, progress: &Progress) -> Result<()> {
    let Some(generation) = progress.review_log else {
        return Ok(());
    };
    let log = paths.review_log_file(generation);
    let len = match fs::metadata(&log) {
        Ok(metadata) => metadata.len(),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::Inconsistent {
                path: log,
                message: format!(
                    "missing, but {} names it: the history of answers is gone",
                    paths.progress_file().display()
                ),
            });
        }
        Err(err) => return Err(Error::io(&log, err)),
    };
    if let Some(expected) = progress.review_log_bytes
        && len < expected
    {
        return Err(Error::Inconsistent {
            path: log,
            message: format!(
                "{len} bytes, shorter than the {expected} bytes {} says it held: answers of the history were lost (the file was cut short)",
                paths.progress_file().display()
            ),
        });
    }
    Ok(())
}

/// Progress as the files on disk hold it now (snapshot, review log, journal), with the
/// pieces a [`review_log::ReviewStream`] needs to give every review in order without holding
/// them in memory: what backups and imports stream from.
pub(crate) struct HistoryOnDisk {
    /// The card states, the journal replayed onto the snapshot's.
    pub progress: Progress,
    /// Reviews of a whole-document snapshot (format 1–2), if it is one.
    pub inline: Vec<crate::core::model::progress::ReviewEntry>,
    /// The review log, if the snapshot names one.
    pub log: Option<std::path::PathBuf>,
    /// Journal records whose reviews the log does not have yet.
    pub later: Vec<Record>,
}

impl HistoryOnDisk {
    /// Reads the files (not while a compaction or restore runs).
    pub(crate) fn read(paths: &DataPaths) -> Result<Self> {
        let mut inline = Vec::new();
        let mut progress = Progress::load_snapshot_with(&paths.progress_file(), &mut inline)?;
        check_review_log(paths, &progress)?;
        let log = progress
            .review_log
            .map(|generation| paths.review_log_file(generation));
        let logged = match &log {
            Some(log) => review_log::read_tail(log, 0)?.last_seq.max(progress.seq),
            None => progress.seq,
        };
        let mut later = Vec::new();
        replay(
            &mut progress,
            &crate::core::storage::journal::read_records(paths)?,
            &paths.journal_file(),
            u64::MAX,
            &mut |record, _| {
                if record.seq > logged {
                    later.push(record.clone());
                }
            },
        )?;
        Ok(Self {
            progress,
            inline,
            log,
            later,
        })
    }
}

/// What [`replay`] did.
pub(crate) struct Replayed {
    /// Records applied.
    pub count: usize,
    /// The last journal record at or below the new `seq`: what a snapshot at that `seq`
    /// accounts for.
    pub folded: Option<Folded>,
}

/// Replays journal `records` with sequence numbers up to `through` onto `progress`'s card
/// states, advancing its `seq`; `each` is called with every record applied (and the progress
/// after it). The one place that decides whether a journal fits its snapshot:
///
/// - records at or below the snapshot's `seq` were folded into it by a compaction that
///   stopped before trimming the journal, and are skipped: but only those the snapshot says
///   it accounts for (`folded`, format 4), the last of them byte for byte. Records a snapshot
///   claims without having seen them (a sync tool mixing versions of the two files) are an
///   [`Error::Inconsistent`], so nothing compacts over them;
/// - the records after follow on one by one: a gap is [`Error::JournalGap`];
/// - a record repeated exactly is skipped; a different record with the same number, or one
///   out of order, is damage naming its line.
pub(crate) fn replay(
    progress: &mut Progress,
    records: &[JournalRecord],
    path: &Path,
    through: u64,
    each: &mut dyn FnMut(&Record, &mut Progress),
) -> Result<Replayed> {
    let snapshot_seq = progress.seq;
    let mut replayed = Replayed {
        count: 0,
        folded: progress.folded,
    };
    // Records by number, to tell a repeated record (skipped) from a conflicting one.
    let mut seen: HashMap<u64, &Record> = HashMap::with_capacity(records.len());
    let mut last_seq = 0;
    // Format 1–3 snapshots say nothing of what they folded: trusted, as they always were.
    let checked = progress.format >= 4;
    let mut below_snapshot = false;
    for JournalRecord { line, record } in records {
        if let Some(&earlier) = seen.get(&record.seq) {
            if earlier == record {
                continue;
            }
            return Err(journal_damage(
                path,
                *line,
                format!(
                    "record {} appears twice with different changes: the journal is damaged",
                    record.seq
                ),
            ));
        }
        if record.seq < last_seq {
            return Err(journal_damage(
                path,
                *line,
                format!(
                    "record {} comes after record {last_seq}: the journal is out of order (damaged)",
                    record.seq
                ),
            ));
        }
        seen.insert(record.seq, record);
        last_seq = record.seq;
        if record.seq <= snapshot_seq {
            below_snapshot = true;
            let hash = record_hash(record)?;
            if checked {
                let accounted = progress.folded.is_some_and(|folded| {
                    record.seq < folded.seq || (record.seq == folded.seq && hash == folded.hash)
                });
                if !accounted {
                    return Err(snapshot_ahead(path, *line, record.seq, snapshot_seq));
                }
            }
            replayed.folded = Some(Folded {
                seq: record.seq,
                hash,
            });
            continue;
        }
        if record.seq > through {
            break;
        }
        if record.seq != progress.seq + 1 {
            return Err(Error::JournalGap {
                path: path.to_path_buf(),
                line: *line,
                expected: progress.seq + 1,
                found: record.seq,
            });
        }
        progress.apply_to_cards(&record.change);
        progress.seq = record.seq;
        replayed.count += 1;
        replayed.folded = Some(Folded {
            seq: record.seq,
            hash: record_hash(record)?,
        });
        each(record, progress);
    }
    // Records below the snapshot must reach the record it names, or it claims records that
    // are not there.
    if checked
        && below_snapshot
        && let Some(folded) = progress.folded
        && !records.iter().any(|r| r.record.seq == folded.seq)
    {
        let line = records.first().map_or(1, |r| r.line);
        return Err(snapshot_ahead(path, line, folded.seq, snapshot_seq));
    }
    Ok(replayed)
}

fn journal_damage(path: &Path, line: usize, message: String) -> Error {
    Error::Parse {
        path: path.to_path_buf(),
        position: Some(TextPosition { line, col: 1 }),
        message,
    }
}

fn snapshot_ahead(path: &Path, line: usize, seq: u64, snapshot_seq: u64) -> Error {
    Error::Inconsistent {
        path: path.to_path_buf(),
        message: format!(
            "line {line}: record {seq} is one progress.ron (at {snapshot_seq}) says it holds, but it does not hold this record: the two files do not belong together (copied or synced separately?)"
        ),
    }
}
