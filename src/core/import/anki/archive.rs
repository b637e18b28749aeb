//! The package's zip archive: opening it with a bounded directory read, its format version,
//! and bounded reads of its entries (zip and zstd bombs stop at their caps).

use std::cell::Cell;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use zip::ZipArchive;
use zip::result::ZipError;

use super::error::{Problem, Res};
use super::limits::Limits;
use super::proto::{Fields, Value};

/// Zip directory bytes allowed per permitted entry while the archive is opened.
/// Anki names entries `0`, `1`, …, so a real directory entry is ~60–100 bytes.
const DIRECTORY_BYTES_PER_ENTRY: u64 = 128;
/// Slack for the end-of-directory search (archive comment up to 64 KiB).
const DIRECTORY_BYTES_BASE: u64 = 1 << 20;
/// `meta` holds one small protobuf message.
const META_LIMIT: u64 = 1024;
/// zstd frames asking for a window above 2^27 bytes (128 MiB) are refused,
/// which bounds the decoder's memory whatever the frame header claims.
const ZSTD_WINDOW_LOG_MAX: u32 = 27;
/// Copy buffer size; the deadline is checked once per chunk.
const CHUNK: usize = 64 * 1024;

/// Package format version, from the `meta` entry (or guessed when absent,
/// as Anki does for packages from before 2.1.50).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Version {
    /// `collection.anki2`, schema 11, plain; JSON media map.
    Legacy1,
    /// `collection.anki21`, schema 11, plain; JSON media map.
    Legacy2,
    /// `collection.anki21b`, schema 18, zstd; protobuf media map; zstd media.
    Latest,
}

impl Version {
    /// Name of the zip entry holding the collection.
    pub(crate) fn collection_entry(self) -> &'static str {
        match self {
            Self::Legacy1 => "collection.anki2",
            Self::Legacy2 => "collection.anki21",
            Self::Latest => "collection.anki21b",
        }
    }

    /// Whether the collection, media map and media files are zstd-compressed.
    pub(crate) fn zstd(self) -> bool {
        self == Self::Latest
    }
}

/// The archive type used throughout: the reader counts bytes while the zip
/// directory is parsed.
pub(crate) type Archive = ZipArchive<Budgeted<File>>;

pub(crate) fn open_zip(path: &Path, limits: &Limits) -> Res<Archive> {
    let mut file = File::open(path).map_err(Problem::Io)?;
    let meta = file.metadata().map_err(Problem::Io)?;
    if !meta.is_file() {
        return Err(Problem::NotAPackage("it is not a regular file".into()));
    }
    if meta.len() > limits.max_package_bytes {
        return Err(Problem::too_large(
            "the package file",
            limits.max_package_bytes,
        ));
    }
    // A zip starts with a local header (or, if empty, the end record). Saying
    // so early gives a clearer message than the zip parser for random files.
    let mut magic = [0u8; 4];
    let got = read_up_to(&mut file, &mut magic).map_err(Problem::Io)?;
    if got < 4 || !(magic == *b"PK\x03\x04" || magic == *b"PK\x05\x06") {
        return Err(Problem::NotAPackage("it is not a zip file".into()));
    }
    file.seek(SeekFrom::Start(0)).map_err(Problem::Io)?;

    // Parsing the directory allocates per entry before we can count them, so
    // cap the bytes the parser may read: that caps entries and memory.
    let budget = DIRECTORY_BYTES_BASE.saturating_add(
        DIRECTORY_BYTES_PER_ENTRY
            .saturating_mul(u64::try_from(limits.max_entries).unwrap_or(u64::MAX)),
    );
    let remaining = Rc::new(Cell::new(Some(budget)));
    let reader = Budgeted {
        inner: file,
        remaining: Rc::clone(&remaining),
    };
    let archive = match ZipArchive::new(reader) {
        Ok(a) => a,
        Err(_) if remaining.get() == Some(0) => {
            return Err(Problem::too_large(
                "the zip's table of contents (it lists too many entries)",
                budget,
            ));
        }
        Err(ZipError::Io(e)) => return Err(Problem::Io(e)),
        Err(ZipError::UnsupportedArchive(what)) => {
            return Err(Problem::Unsupported(format!("zip feature: {what}")));
        }
        Err(e) => {
            return Err(Problem::NotAPackage(format!(
                "the zip structure is invalid ({e})"
            )));
        }
    };
    remaining.set(None); // entries are capped individually from here on
    if archive.len() > limits.max_entries {
        return Err(Problem::too_many(
            format!("the zip has {} entries", archive.len()),
            limits.max_entries,
        ));
    }
    Ok(archive)
}

pub(crate) fn read_version(archive: &mut Archive) -> Res<Version> {
    if archive.index_for_name_raw(b"meta").is_none() {
        // No `meta`: a package from before Anki 2.1.50.
        return Ok(if has_entry(archive, "collection.anki21") {
            Version::Legacy2
        } else {
            Version::Legacy1
        });
    }
    let mut buf = Vec::new();
    let mut reader = open_entry(archive, "meta", false)?;
    copy_bounded(&mut reader, &mut buf, META_LIMIT, None, "the `meta` entry")?;
    let mut version = 0;
    for field in Fields::new(&buf) {
        let (number, value) = field
            .map_err(|_| Problem::corrupt("the `meta` entry is not a valid protobuf message"))?;
        if let (1, Value::Varint(v)) = (number, value) {
            version = v;
        }
    }
    match version {
        1 => Ok(Version::Legacy1),
        2 => Ok(Version::Legacy2),
        3 => Ok(Version::Latest),
        0 => Err(Problem::Unsupported(
            "the package has no format version; it may come from a newer Anki".into(),
        )),
        v => Err(Problem::Unsupported(format!(
            "package format version {v} (this reader knows 1–3); it comes from a newer Anki, \
             export it with \"Support older Anki versions\" ticked"
        ))),
    }
}

/// Whether the archive has an entry with exactly this name.
pub(crate) fn has_entry(archive: &Archive, name: &str) -> bool {
    archive.index_for_name_raw(name.as_bytes()).is_some()
}

/// Opens the entry with exactly `name` (no normalisation, no fallbacks),
/// through a zstd decoder if `zstd`. Reads from it must still be capped.
pub(crate) fn open_entry<'a>(
    archive: &'a mut Archive,
    name: &str,
    zstd: bool,
) -> Res<Box<dyn Read + 'a>> {
    let index = archive
        .index_for_name_raw(name.as_bytes())
        .ok_or_else(|| Problem::corrupt(format!("the entry `{name}` is missing")))?;
    let entry = archive.by_index(index).map_err(|e| match e {
        ZipError::Io(e) => Problem::Io(e),
        ZipError::UnsupportedArchive(what) => {
            Problem::Unsupported(format!("zip entry `{name}`: {what}"))
        }
        ZipError::CompressionMethodNotSupported(m) => {
            Problem::Unsupported(format!("zip entry `{name}` uses compression method {m}"))
        }
        other => Problem::corrupt(format!("the zip entry `{name}` is damaged ({other})")),
    })?;
    if !zstd {
        return Ok(Box::new(entry));
    }
    let mut decoder = zstd::stream::read::Decoder::new(entry).map_err(Problem::Io)?;
    decoder
        .window_log_max(ZSTD_WINDOW_LOG_MAX)
        .map_err(Problem::Io)?;
    Ok(Box::new(decoder))
}

/// Copies at most `limit` bytes from `src` to `dst`, failing with
/// [`Problem::TooLarge`] if `src` has more: declared sizes are never trusted,
/// so zip and zstd bombs stop at `limit + 1` bytes. Returns the byte count.
pub(crate) fn copy_bounded(
    src: &mut dyn Read,
    dst: &mut dyn Write,
    limit: u64,
    deadline: Option<&Deadline>,
    what: &str,
) -> Res<u64> {
    let mut limited = src.take(limit.saturating_add(1));
    let mut buf = vec![0u8; CHUNK];
    let mut total: u64 = 0;
    loop {
        if let Some(d) = deadline {
            d.check()?;
        }
        let n = match limited.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Problem::corrupt(format!("{what} is damaged ({e})"))),
        };
        total = total.saturating_add(u64::try_from(n).unwrap_or(u64::MAX));
        if total > limit {
            return Err(Problem::too_large(format!("{what}, decompressed"), limit));
        }
        let chunk = buf.get(..n).unwrap_or_default();
        dst.write_all(chunk).map_err(Problem::Io)?;
    }
}

/// Reads into `buf` until it is full or the reader ends; returns the count.
pub(crate) fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while let Some(rest) = buf.get_mut(filled..) {
        if rest.is_empty() {
            break;
        }
        match r.read(rest) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// A reader that fails once it has delivered its byte budget (while the
/// budget is `Some`). Shared so the budget can be lifted after opening.
pub(crate) struct Budgeted<R> {
    inner: R,
    remaining: Rc<Cell<Option<u64>>>,
}

impl<R: Read> Read for Budgeted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(left) = self.remaining.get() else {
            return self.inner.read(buf);
        };
        if left == 0 {
            return Err(io::Error::other("zip directory read budget exhausted"));
        }
        let cap = usize::try_from(left).unwrap_or(usize::MAX).min(buf.len());
        let n = self.inner.read(buf.get_mut(..cap).unwrap_or_default())?;
        self.remaining.set(Some(
            left.saturating_sub(u64::try_from(n).unwrap_or(u64::MAX)),
        ));
        Ok(n)
    }
}

impl<R: Seek> Seek for Budgeted<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// Wall-clock limit shared by all stages of one read, which can also be
/// cancelled early (clones share the cancel flag, forks do not).
#[derive(Debug, Clone)]
pub(crate) struct Deadline {
    end: Option<Instant>,
    limit: Duration,
    cancelled: Arc<AtomicBool>,
}

impl Deadline {
    /// Starts counting `limit` from now.
    pub(crate) fn new(limit: Duration) -> Self {
        Self {
            end: Instant::now().checked_add(limit),
            limit,
            cancelled: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The same end time with a cancel flag of its own.
    pub(crate) fn fork(&self) -> Self {
        Self {
            end: self.end,
            limit: self.limit,
            cancelled: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Makes [`Deadline::expired`] true from now on.
    pub(crate) fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// Whether [`Deadline::cancel`] was called.
    pub(crate) fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// Whether the time is up (or the work was cancelled).
    pub(crate) fn expired(&self) -> bool {
        self.is_cancelled() || self.end.is_some_and(|end| Instant::now() >= end)
    }

    /// Fails with [`Problem::TimedOut`] once the time is up.
    pub(crate) fn check(&self) -> Res<()> {
        if self.expired() {
            Err(Problem::TimedOut(self.limit))
        } else {
            Ok(())
        }
    }

    /// The configured limit.
    pub(crate) fn limit(&self) -> Duration {
        self.limit
    }
}
