//! Reads a whole package: the archive, its media map, the collection (checked while it is
//! read) and its media files.

use std::path::Path;

use super::archive::{Deadline, open_zip, read_version};
use super::error::{AnkiError, Problem, Res};
use super::limits::Limits;
use super::model::{AnkiCollection, CollectRows, RowSink};
use super::{collection, media, sqlite};

/// Reads an Anki package (`.apkg` or `.colpkg`, legacy or current format).
///
/// The file is treated as hostile: sizes are capped by `limits` before and
/// while reading, entries are read only by their expected names, the
/// collection database is checked before use, and any problem gives one
/// [`AnkiError`] naming the file.
pub fn read_package(path: &Path, limits: &Limits) -> Result<AnkiCollection, AnkiError> {
    let mut rows = CollectRows::default();
    let mut collection = read(path, limits, &mut rows).map_err(|problem| problem.at(path))?;
    collection.notes = rows.notes;
    collection.cards = rows.cards;
    collection.revlog = rows.revlog;
    Ok(collection)
}

/// Like [`read_package`], but hands notes, cards and review log entries to
/// `sink` one at a time instead of collecting them, so a large collection
/// can be imported without holding it all in memory; the returned
/// collection has everything else (decks, note types, media…) and empty
/// row lists.
///
/// Rows reach the sink while the database's integrity check is still
/// running beside the reads: if this returns `Err`, discard everything the
/// sink received (an importer writing in a transaction rolls it back).
pub fn read_package_with(
    path: &Path,
    limits: &Limits,
    sink: &mut dyn RowSink,
) -> Result<AnkiCollection, AnkiError> {
    read(path, limits, sink).map_err(|problem| problem.at(path))
}

fn read(path: &Path, limits: &Limits, sink: &mut dyn RowSink) -> Res<AnkiCollection> {
    let deadline = Deadline::new(limits.max_duration);
    let mut archive = open_zip(path, limits)?;
    let version = read_version(&mut archive)?;
    // The media map is small: check it (and that its entries exist) before
    // spending time on the collection.
    let media_map = media::read_map(&mut archive, version, limits, &deadline)?;
    let temp = sqlite::copy_collection(&mut archive, version, limits, &deadline)?;
    let read_deadline = deadline.fork();
    let check_deadline = deadline.fork();
    let db = sqlite::Db::open(temp, limits, read_deadline.clone())?;
    // `PRAGMA quick_check` runs on a second connection while the rows are
    // read (it costs about as much as the reading). Nothing read is
    // returned unless it answers "ok", and its verdict wins over a read
    // error; whichever side fails first stops the other.
    let path = db.path().to_path_buf();
    let (verdict, read) = std::thread::scope(|scope| {
        let checker = scope.spawn(|| {
            let verdict = sqlite::quick_check(&path, limits, &check_deadline);
            if verdict.is_err() {
                read_deadline.cancel();
            }
            verdict
        });
        let read = collection::read(&db, sink);
        if read.is_err() {
            check_deadline.cancel();
        }
        let verdict = checker
            .join()
            .unwrap_or_else(|_| Err(Problem::corrupt("the integrity check stopped unexpectedly")));
        (verdict, read)
    });
    drop(db);
    let mut collection = match (verdict, read) {
        (Ok(()), read) => read?,
        // The check was only stopped because the read had already failed.
        (Err(Problem::TimedOut(_)), Err(e)) if check_deadline.is_cancelled() => return Err(e),
        (Err(e), _) => return Err(e),
    };
    collection.media = media::read_files(&mut archive, &media_map, version, limits, &deadline)?;
    Ok(collection)
}
