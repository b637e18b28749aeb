//! Writing backups (streamed from the files on disk) and reading them back.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use super::info::{BackupInfo, backup_id, parse_id};
use super::policy::to_remove;
use crate::core::error::{Error, Result};
use crate::core::model::progress::Progress;
use crate::core::storage::atomic;
use crate::core::storage::format::snapshot::push_review_line;
use crate::core::storage::paths::DataPaths;
use crate::core::storage::replay::HistoryOnDisk;
use crate::core::storage::review_log::ReviewStream;
use crate::core::time::{DayClock, Timestamp};

const PREFIX: &str = "backup-";
const HEADER: &str = "// kartu backup:";

/// All backups, newest first. Files that are not backups are ignored.
pub fn list(paths: &DataPaths) -> Result<Vec<BackupInfo>> {
    let dir = paths.backups_dir();
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(Error::io(&dir, err)),
    };
    let mut backups: Vec<BackupInfo> = entries
        .flatten()
        .filter_map(|entry| read_info(&entry.path()))
        .collect();
    backups.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| b.id.cmp(&a.id)));
    Ok(backups)
}

fn read_info(path: &Path) -> Option<BackupInfo> {
    let name = path.file_name()?.to_str()?;
    let id = name.strip_prefix(PREFIX)?.strip_suffix(".ron")?.to_owned();
    let at = parse_id(&id)?;
    let mut first_line = String::new();
    BufReader::new(fs::File::open(path).ok()?)
        .read_line(&mut first_line)
        .ok()?;
    let counts = first_line.strip_prefix(HEADER)?;
    let mut numbers = counts
        .split(',')
        .filter_map(|part| part.trim().rsplit(' ').next()?.parse::<u64>().ok());
    let (cards, reviews, seq) = (numbers.next()?, numbers.next()?, numbers.next()?);
    Some(BackupInfo {
        id,
        at,
        cards: usize::try_from(cards).ok()?,
        reviews: usize::try_from(reviews).ok()?,
        seq,
        path: path.to_path_buf(),
    })
}

/// A backup to write, possibly on another thread: it reads the state on disk (snapshot,
/// review log and journal), so it holds no copy of the progress. Not while a compaction or
/// restore runs.
#[derive(Debug)]
pub struct BackupJob {
    paths: DataPaths,
    at: Timestamp,
    clock: DayClock,
    /// A backup pruning must keep (the one being restored).
    pinned: Option<String>,
}

impl BackupJob {
    /// A job backing up the data directory's progress as of `at`.
    #[must_use]
    pub fn new(paths: &DataPaths, at: Timestamp, clock: DayClock) -> Self {
        Self {
            paths: paths.clone(),
            at,
            clock,
            pinned: None,
        }
    }

    /// Keeps backup `id` whatever the policy says (it is about to be restored).
    #[must_use]
    pub fn pin(mut self, id: &str) -> Self {
        self.pinned = Some(id.to_owned());
        self
    }

    /// Writes the backup (atomically, as a whole progress document streamed from the files)
    /// and then removes the ones the policy no longer keeps.
    pub fn run(self) -> Result<BackupInfo> {
        let dir = self.paths.backups_dir();
        fs::create_dir_all(&dir).map_err(|err| Error::io(&dir, err))?;
        // Ids are times; never overwrite another backup made in the same second.
        let mut at = self.at;
        let (id, path) = loop {
            let id = backup_id(at);
            let path = dir.join(format!("{PREFIX}{id}.ron"));
            if !path.exists() {
                break (id, path);
            }
            at = at.add_secs(1);
        };
        let on_disk = HistoryOnDisk::read(&self.paths)?;
        let mut progress = on_disk.progress;
        let history =
            ReviewStream::prepare(on_disk.inline, on_disk.log.as_deref(), &on_disk.later)?;
        let cards = progress.card_count();
        let reviews = history.len();
        let seq = progress.seq;
        progress.review_log = None;
        progress.review_log_bytes = None;
        progress.folded = None;
        let mut head = format!("{HEADER} cards {cards}, reviews {reviews}, seq {seq}\n");
        progress.write_head(&mut head)?;
        head.push_str("    reviews: [\n");
        let mut writer = atomic::AtomicWriter::create(&path)?;
        writer.write(head.as_bytes())?;
        let mut line = String::new();
        history.for_each(&mut |review| {
            line.clear();
            push_review_line(&mut line, review)?;
            writer.write(line.as_bytes())
        })?;
        writer.write(b"    ],\n)\n")?;
        writer.finish()?;
        let backups = list(&self.paths)?;
        let mut keep = vec![id.as_str()];
        keep.extend(self.pinned.as_deref());
        for old in to_remove(&backups, at, &self.clock, &keep) {
            // One that cannot be removed now is pruned the next time.
            fs::remove_file(&old.path).ok();
        }
        Ok(BackupInfo {
            id,
            at,
            cards,
            reviews,
            seq,
            path,
        })
    }
}

/// A backup's file, if there is a backup with this id.
pub fn backup_path(paths: &DataPaths, id: &str) -> Result<PathBuf> {
    if parse_id(id).is_none() {
        return Err(Error::UnknownBackup(id.to_owned()));
    }
    let path = paths.backups_dir().join(format!("{PREFIX}{id}.ron"));
    if !path.exists() {
        return Err(Error::UnknownBackup(id.to_owned()));
    }
    Ok(path)
}

/// Reads a backup's progress.
pub fn load(paths: &DataPaths, id: &str) -> Result<Progress> {
    Progress::load(&backup_path(paths, id)?)
}
