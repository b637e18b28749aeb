//! Files handed from a second `kartu FILE` to the window already open on the data
//! directory: one small request file each in `open-requests/`, picked up by the window.

use std::fs;
use std::path::{Path, PathBuf};

use super::paths::DataPaths;
use crate::core::error::{Error, Result};

/// Asks the window already open on `paths` to import `file` (a second `kartu FILE` while a
/// window holds the lock): a request file it picks up within a second.
pub fn request_open(paths: &DataPaths, file: &Path, id: &str) -> Result<()> {
    let dir = paths.open_requests_dir();
    fs::create_dir_all(&dir).map_err(|err| Error::io(&dir, err))?;
    let absolute = std::path::absolute(file).map_err(|err| Error::io(file, err))?;
    let text = absolute.to_string_lossy().into_owned();
    super::atomic::atomic_write(&dir.join(format!("{id}.path")), text.as_bytes())
}

/// The files asked for since the last call (oldest first); each request is removed.
#[must_use]
pub fn take_open_requests(paths: &DataPaths) -> Vec<PathBuf> {
    let dir = paths.open_requests_dir();
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut requests: Vec<PathBuf> = entries
        .filter_map(std::result::Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "path"))
        .collect();
    requests.sort();
    requests
        .into_iter()
        .filter_map(|request| {
            let text = fs::read_to_string(&request).ok();
            fs::remove_file(&request).ok();
            text.map(|t| PathBuf::from(t.trim_end()))
        })
        .collect()
}
