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

/// Like [`read_package`], but hands the rows to `sink` instead of collecting them: notes one
/// at a time as they are read, so they can be converted without all being held; then the
/// cards and the review log, read meanwhile on a second connection, as whole lists. The
/// returned collection has everything else (decks, note types, media…) and empty row lists.
///
/// Notes reach the sink while the database's integrity check is still running beside the
/// reads: if this returns `Err`, discard everything the sink received (an importer writing
/// in a transaction rolls it back).
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
    // `PRAGMA quick_check` runs on a second connection while the notes are read (it costs
    // about as much), and that connection then reads the cards and the review log. Nothing
    // read is returned unless the check answers "ok", and its verdict wins over a read
    // error; whichever side fails first stops the other.
    let second = db.beside(check_deadline.clone())?;
    let path = db.path().to_path_buf();
    let (beside, read) = std::thread::scope(|scope| {
        let checker = scope.spawn(|| {
            let mut rows = CollectRows::default();
            let checked = sqlite::quick_check(&path, limits, &check_deadline);
            let read = checked.and_then(|()| collection::read_progress(&second, &mut rows));
            drop(second);
            if read.is_err() {
                read_deadline.cancel();
            }
            read.map(|()| rows)
        });
        let read = collection::read(&db, sink);
        if read.is_err() {
            check_deadline.cancel();
        }
        let beside = checker
            .join()
            .unwrap_or_else(|_| Err(Problem::corrupt("the integrity check stopped unexpectedly")));
        (beside, read)
    });
    drop(db);
    let (mut collection, rows) = match (beside, read) {
        (Ok(rows), read) => (read?, rows),
        // The check was only stopped because the read had already failed.
        (Err(Problem::TimedOut(_)), Err(e)) if check_deadline.is_cancelled() => return Err(e),
        (Err(e), _) => return Err(e),
    };
    if !sink.cards(rows.cards) || !sink.review_log(rows.revlog) {
        return Err(Problem::Stopped);
    }
    collection.media = media::read_files(&mut archive, &media_map, version, limits, &deadline)?;
    Ok(collection)
}
