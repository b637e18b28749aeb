//! Writing files so a crash leaves the old or the new one whole, and reading them with a size
//! limit.

use std::fs;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use crate::core::error::{Error, Result};
use crate::core::storage::paths::TEMP_PREFIX;

/// Replaces `path` with `bytes` so that a crash leaves either the old or the new file whole.
///
/// A temp file in the same directory is written, flushed to disk, renamed over the target, and
/// the directory is flushed so the rename itself survives a power cut.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut writer = AtomicWriter::create(path)?;
    writer.write(bytes)?;
    writer.finish()
}

/// A file written piece by piece and then put in place of `path` atomically (see
/// [`atomic_write`]), for files too large to build in memory first. Dropped unfinished, the
/// temp file is deleted and `path` is untouched.
pub struct AtomicWriter {
    path: PathBuf,
    dir: PathBuf,
    temp: std::io::BufWriter<tempfile::NamedTempFile>,
}

impl AtomicWriter {
    /// Starts a temp file next to `path`.
    pub fn create(path: &Path) -> Result<Self> {
        // A symbolic link (progress kept elsewhere, a teacher's deck in a git checkout) is
        // followed: the file it points to is replaced, in its own directory, and the link
        // stays a link. Replacing the link itself would split the data in two.
        let path = link_target(path)?;
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let temp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempfile_in(&dir)
            .map_err(|err| Error::io(&dir, err))?;
        Ok(Self {
            path,
            dir,
            temp: std::io::BufWriter::with_capacity(256 * 1024, temp),
        })
    }

    /// Appends bytes.
    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.temp
            .write_all(bytes)
            .map_err(|err| Error::io(self.temp.get_ref().path(), err))
    }

    /// Throws away everything written so far.
    pub fn restart(&mut self) -> Result<()> {
        let path = self.temp.get_ref().path().to_path_buf();
        self.temp
            .flush()
            .and_then(|()| self.temp.get_ref().as_file().set_len(0))
            .and_then(|()| {
                self.temp
                    .get_mut()
                    .seek(std::io::SeekFrom::Start(0))
                    .map(|_| ())
            })
            .map_err(|err| Error::io(&path, err))
    }

    /// Flushes what is written so far to disk, so that [`AtomicWriter::finish`] has little
    /// left to wait for (work that can be done off the thread that finishes).
    pub fn sync(&mut self) -> Result<()> {
        self.temp
            .flush()
            .and_then(|()| self.temp.get_ref().as_file().sync_all())
            .map_err(|err| Error::io(self.temp.get_ref().path(), err))
    }

    /// Flushes the file to disk and renames it over `path`, then flushes the directory.
    pub fn finish(self) -> Result<()> {
        let Self { path, dir, temp } = self;
        let temp = temp
            .into_inner()
            .map_err(|err| Error::io(&path, err.into_error()))?;
        // tempfile creates 0600; keep the replaced file's mode, or make a new file readable
        // like any other document (exported decks are meant to be shared).
        let permissions = fs::metadata(&path).map(|m| m.permissions()).ok();
        set_permissions(temp.as_file(), permissions).map_err(|err| Error::io(temp.path(), err))?;
        temp.as_file()
            .sync_all()
            .map_err(|err| Error::io(temp.path(), err))?;
        // On failure the NamedTempFile inside the error is dropped, which deletes it.
        temp.persist(&path)
            .map_err(|err| Error::io(&path, err.error))?;
        sync_dir(&dir)
    }
}

/// `path` + `.SUFFIX`, never onto an existing file (`-1`, `-2`, … are added if needed).
#[must_use]
pub fn set_aside_name(path: &Path, suffix: &str) -> PathBuf {
    (0..u32::MAX)
        .map(|n| {
            let mut name = path.to_path_buf().into_os_string();
            name.push(format!(".{suffix}"));
            if n > 0 {
                name.push(format!("-{n}"));
            }
            PathBuf::from(name)
        })
        .find(|candidate| fs::symlink_metadata(candidate).is_err())
        .unwrap_or_default()
}

/// Where `path` leads: itself, or the file a symbolic link at `path` points to (through any
/// chain of links). A link to nowhere is an error naming both.
fn link_target(path: &Path) -> Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(metadata) if metadata.file_type().is_symlink() => {
            fs::canonicalize(path).map_err(|err| {
                let target = fs::read_link(path).unwrap_or_default();
                Error::io(
                    path,
                    std::io::Error::new(
                        err.kind(),
                        format!(
                            "a symbolic link to {}, which cannot be reached ({err})",
                            target.display()
                        ),
                    ),
                )
            })
        }
        _ => Ok(path.to_path_buf()),
    }
}

/// Writes `header` to the empty append-only file `file` (at `path`) and makes it and the
/// file's directory entry durable; returns the file's length after it. The journals start so.
pub fn write_header(file: &std::fs::File, path: &Path, header: &str) -> Result<u64> {
    use std::io::Write as _;
    let mut writer = file;
    writer
        .write_all(header.as_bytes())
        .and_then(|()| file.sync_data())
        .map_err(|err| Error::io(path, err))?;
    sync_parent(path)?;
    Ok(header.len() as u64)
}

/// Flushes the directory holding `path`, so a file just created there survives a power cut.
pub fn sync_parent(path: &Path) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    sync_dir(dir)
}

#[cfg(unix)]
fn set_permissions(file: &fs::File, existing: Option<fs::Permissions>) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(existing.unwrap_or_else(|| fs::Permissions::from_mode(0o644)))
}

#[cfg(not(unix))]
fn set_permissions(file: &fs::File, existing: Option<fs::Permissions>) -> std::io::Result<()> {
    existing.map_or(Ok(()), |permissions| file.set_permissions(permissions))
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> Result<()> {
    fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|err| Error::io(dir, err))
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> Result<()> {
    // Windows has no directory handles to flush; the rename is already durable there.
    Ok(())
}

/// Opens a file and its length, refusing one over `max_bytes` before reading it (with a
/// message that names the limit). `None` when there is no such file.
pub fn open_limited(path: &Path, max_bytes: u64) -> Result<Option<(fs::File, u64)>> {
    let file = match fs::File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(Error::io(path, err)),
    };
    let len = file.metadata().map_err(|err| Error::io(path, err))?.len();
    if len > max_bytes {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            len,
            limit: max_bytes,
        });
    }
    Ok(Some((file, len)))
}

/// Reads a whole file, refusing files over `max_bytes` before reading them.
pub fn read_bytes_limited(path: &Path, max_bytes: u64) -> Result<Vec<u8>> {
    let Some((file, len)) = open_limited(path, max_bytes)? else {
        return Err(Error::io(
            path,
            std::io::Error::from(std::io::ErrorKind::NotFound),
        ));
    };
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| Error::io(path, err))?;
    Ok(bytes)
}

/// Reads a UTF-8 file, refusing files over `max_bytes` before reading them.
pub fn read_text_limited(path: &Path, max_bytes: u64) -> Result<String> {
    let bytes = read_bytes_limited(path, max_bytes)?;
    String::from_utf8(bytes).map_err(|err| Error::Parse {
        path: path.to_path_buf(),
        position: None,
        message: format!(
            "not UTF-8 text (bad byte at offset {})",
            err.utf8_error().valid_up_to()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        atomic_write(&path, b"one").unwrap();
        atomic_write(&path, b"two").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "two");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.ron")]);
    }

    #[test]
    fn atomic_write_into_missing_dir_fails_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("a.ron");
        let err = atomic_write(&path, b"x").unwrap_err();
        assert!(err.to_string().contains("missing"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_followed_and_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir(&elsewhere).unwrap();
        let target = elsewhere.join("progress.ron");
        fs::write(&target, "old").unwrap();
        let link = dir.path().join("progress.ron");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        atomic_write(&link, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        // The temp file lived beside the target and is gone.
        assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 1);
        // A link to nowhere is refused, naming it, and nothing is written.
        let dangling = dir.path().join("dangling.ron");
        std::os::unix::fs::symlink(dir.path().join("missing/x.ron"), &dangling).unwrap();
        let err = atomic_write(&dangling, b"x").unwrap_err().to_string();
        assert!(err.contains("symbolic link"), "{err}");
        assert!(
            fs::symlink_metadata(&dangling)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    #[test]
    fn oversized_files_are_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.ron");
        fs::write(&path, vec![b'x'; 100]).unwrap();
        assert!(
            read_text_limited(&path, 99)
                .unwrap_err()
                .to_string()
                .contains("limit")
        );
        assert_eq!(read_text_limited(&path, 100).unwrap().len(), 100);
    }
}
