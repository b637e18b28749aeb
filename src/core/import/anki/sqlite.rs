//! The collection database: a bounded copy into a private temporary file,
//! opened read-only with SQLite's hardening switched on, and checked with
//! `PRAGMA quick_check` (on a second connection, beside the reads: nothing
//! read is used unless the check says "ok").

use std::cmp::Ordering;
use std::fmt::{self, Display};
use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use rusqlite::config::DbConfig;
use rusqlite::limits::Limit;
use rusqlite::{Connection, ErrorCode, OpenFlags, Row};
use tempfile::NamedTempFile;

use super::archive::{Archive, Deadline, Version, copy_bounded, has_entry, open_entry, read_up_to};
use super::error::{Problem, Res};
use super::limits::Limits;

/// SQLite's file header magic.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";
/// Virtual-machine steps between deadline checks.
const PROGRESS_STEPS: i32 = 100_000;

/// Copies the package's collection into a private temporary file, at most
/// `limits.max_collection_bytes` of it (decompressing zstd on the fly).
pub(crate) fn copy_collection(
    archive: &mut Archive,
    version: Version,
    limits: &Limits,
    deadline: &Deadline,
) -> Res<NamedTempFile> {
    let name = version.collection_entry();
    if !has_entry(archive, name) {
        return Err(Problem::NotAPackage(format!(
            "it contains no collection (`{name}` is missing)"
        )));
    }
    // tempfile creates the file with owner-only permissions and deletes it on drop.
    let mut temp = NamedTempFile::new().map_err(Problem::Io)?;
    {
        let mut out = BufWriter::with_capacity(256 * 1024, temp.as_file_mut());
        let mut reader = open_entry(archive, name, version.zstd())?;
        let what = format!("the collection `{name}`");
        copy_bounded(
            &mut reader,
            &mut out,
            limits.max_collection_bytes,
            Some(deadline),
            &what,
        )?;
        out.flush().map_err(Problem::Io)?;
    }
    check_header(temp.as_file_mut(), name)?;
    Ok(temp)
}

/// Checks the SQLite magic and switches a WAL-mode header to rollback mode:
/// Anki exports carry the WAL flag, and a read-only connection could not
/// open such a file without creating `-shm`/`-wal` companions. The copy is
/// ours and has no WAL content, so the switch loses nothing.
fn check_header(file: &mut File, name: &str) -> Res<()> {
    let mut header = [0u8; 100];
    file.seek(SeekFrom::Start(0)).map_err(Problem::Io)?;
    let got = read_up_to(file, &mut header).map_err(Problem::Io)?;
    if got < header.len() || !header.starts_with(SQLITE_MAGIC) {
        return Err(Problem::corrupt(format!(
            "`{name}` is not an SQLite database"
        )));
    }
    // Bytes 18 and 19: file format write/read version, 2 = WAL.
    if header.get(18..20) == Some(&[2, 2]) {
        file.seek(SeekFrom::Start(18)).map_err(Problem::Io)?;
        file.write_all(&[1, 1]).map_err(Problem::Io)?;
        file.flush().map_err(Problem::Io)?;
    }
    Ok(())
}

/// A hardened read-only connection to the temporary copy. The copy lives
/// as long as the connection.
pub(crate) struct Db {
    conn: Connection,
    limits: Limits,
    deadline: Deadline,
    path: PathBuf,
    // Dropped after `conn` (fields drop in order), deleting the file; `None` on a second
    // connection ([`Db::beside`]), which must not outlive the first.
    _temp: Option<NamedTempFile>,
}

impl Db {
    /// Opens the copy. Run [`quick_check`] on it before trusting what is read.
    pub(crate) fn open(temp: NamedTempFile, limits: &Limits, deadline: Deadline) -> Res<Self> {
        let conn = connect(temp.path(), limits, &deadline)?;
        Ok(Self {
            conn,
            limits: limits.clone(),
            deadline,
            path: temp.path().to_path_buf(),
            _temp: Some(temp),
        })
    }

    /// A second, equally hardened connection to the same copy, for reading on another
    /// thread under its own deadline. Drop it before the first.
    pub(crate) fn beside(&self, deadline: Deadline) -> Res<Self> {
        Ok(Self {
            conn: connect(&self.path, &self.limits, &deadline)?,
            limits: self.limits.clone(),
            deadline,
            path: self.path.clone(),
            _temp: None,
        })
    }

    /// Path of the temporary copy.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The limits in force.
    pub(crate) fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Counts the rows of `table` (one of ours, never from the file) and
    /// fails if there are more than `limit`, before any row is read.
    pub(crate) fn count_rows(&self, table: &str, limit: usize, what: &str) -> Res<usize> {
        let n: i64 = self
            .conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .map_err(|e| self.error(what, &e))?;
        let n = usize::try_from(n).unwrap_or(usize::MAX);
        if n > limit {
            return Err(Problem::too_many(
                format!("the collection has {n} {what}"),
                limit,
            ));
        }
        Ok(n)
    }

    /// Checks that each name is an ordinary table: not a view, not a
    /// virtual table, without generated columns (their expressions would
    /// come from the file and run on read).
    pub(crate) fn require_tables(&self, names: &[&str]) -> Res<()> {
        for name in names {
            let kinds: Vec<(String, i64)> = self
                .conn
                // Tables and views share one namespace (triggers and indexes
                // have their own and cannot shadow a table).
                .prepare(
                    "SELECT type, rootpage FROM sqlite_schema \
                     WHERE name = ?1 COLLATE NOCASE AND type IN ('table', 'view')",
                )
                .and_then(|mut st| {
                    st.query_map([name], |r| Ok((r.get(0)?, r.get(1)?)))?
                        .collect::<Result<_, _>>()
                })
                .map_err(|e| self.error("the schema", &e))?;
            match kinds.as_slice() {
                [] => {
                    return Err(Problem::corrupt(format!(
                        "the collection has no `{name}` table"
                    )));
                }
                [(kind, root)] if kind == "table" && *root > 0 => {}
                _ => {
                    return Err(Problem::corrupt(format!(
                        "`{name}` in the collection is not a plain table"
                    )));
                }
            }
            let hidden: i64 = self
                .conn
                .query_row(
                    "SELECT count(*) FROM pragma_table_xinfo(?1) WHERE hidden != 0",
                    [name],
                    |r| r.get(0),
                )
                .map_err(|e| self.error("the schema", &e))?;
            if hidden != 0 {
                return Err(Problem::corrupt(format!(
                    "the `{name}` table has generated columns, which Anki never writes"
                )));
            }
        }
        Ok(())
    }

    /// Whether an object of this name exists (e.g. optional tables).
    pub(crate) fn has_object(&self, name: &str) -> Res<bool> {
        self.conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema \
                 WHERE name = ?1 COLLATE NOCASE AND type IN ('table', 'view')",
                [name],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n > 0)
            .map_err(|e| self.error("the schema", &e))
    }

    /// Runs `sql` and calls `f` for each row, streaming (rows are never
    /// collected by SQLite or here). `what` names the data for errors.
    pub(crate) fn each_row(
        &self,
        sql: &str,
        what: &str,
        mut f: impl FnMut(&Row<'_>) -> Res<()>,
    ) -> Res<()> {
        let mut stmt = self.conn.prepare(sql).map_err(|e| self.error(what, &e))?;
        let mut rows = stmt.query([]).map_err(|e| self.error(what, &e))?;
        while let Some(row) = rows.next().map_err(|e| self.error(what, &e))? {
            f(row)?;
        }
        Ok(())
    }

    /// Turns an SQLite error into the matching problem.
    pub(crate) fn error(&self, what: &str, e: &rusqlite::Error) -> Problem {
        match e.sqlite_error_code() {
            Some(ErrorCode::OperationInterrupted) => Problem::TimedOut(self.deadline.limit()),
            Some(ErrorCode::TooBig) => Problem::too_large(
                format!("a single value in {what}"),
                self.limits.max_value_bytes,
            ),
            Some(ErrorCode::NotADatabase) => {
                Problem::corrupt("the collection is not an SQLite database")
            }
            _ => Problem::corrupt(format!("cannot read {what} from the collection ({e})")),
        }
    }
}

/// Opens `path` read-only with every hardening switch on.
fn connect(path: &Path, limits: &Limits, deadline: &Deadline) -> Res<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let fail =
        |e: rusqlite::Error| Problem::corrupt(format!("the collection cannot be opened ({e})"));
    let mut c = Connection::open_with_flags(path, flags).map_err(fail)?;
    // Defensive mode forbids schema tricks (writable_schema, shadow-table
    // writes); nothing from the file's schema may run as trusted code, and
    // triggers/views are off entirely since nothing here needs them.
    c.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)
        .map_err(fail)?;
    c.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)
        .map_err(fail)?;
    c.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)
        .map_err(fail)?;
    c.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, false)
        .map_err(fail)?;
    // Caps every string/blob SQLite materialises, so one giant value
    // cannot take all memory.
    let len = i32::try_from(limits.max_value_bytes)
        .unwrap_or(i32::MAX)
        .max(1);
    c.set_limit(Limit::SQLITE_LIMIT_LENGTH, len).map_err(fail)?;
    c.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 0).map_err(fail)?;
    // The current schema declares `COLLATE unicase`; without it SQLite
    // refuses statements on those tables.
    c.create_collation("unicase", unicase_cmp).map_err(fail)?;
    let d = deadline.clone();
    c.progress_handler(PROGRESS_STEPS, Some(move || d.expired()))
        .map_err(fail)?;
    c.execute_batch(
        "PRAGMA trusted_schema = OFF; PRAGMA cell_size_check = ON; PRAGMA mmap_size = 0; PRAGMA cache_size = -256;",
    )
    .map_err(|e| {
        if e.sqlite_error_code() == Some(ErrorCode::OperationInterrupted) {
            Problem::TimedOut(deadline.limit())
        } else {
            fail(e)
        }
    })?;
    Ok(c)
}

/// Runs `PRAGMA quick_check` on its own connection (so it can run beside
/// the reads) and fails unless the answer is "ok".
pub(crate) fn quick_check(path: &Path, limits: &Limits, deadline: &Deadline) -> Res<()> {
    let conn = connect(path, limits, deadline)?;
    let result: String = conn
        .query_row("PRAGMA quick_check(1)", [], |row| row.get(0))
        .map_err(|e| match e.sqlite_error_code() {
            Some(ErrorCode::OperationInterrupted) => Problem::TimedOut(deadline.limit()),
            _ => Problem::corrupt(format!(
                "the collection database fails its integrity check ({e})"
            )),
        })?;
    if result == "ok" {
        return Ok(());
    }
    let first = result
        .lines()
        .filter(|l| !l.starts_with("***"))
        .collect::<Vec<_>>()
        .join("; ");
    Err(Problem::corrupt(format!(
        "the collection database fails its integrity check ({first})"
    )))
}

/// Case-insensitive comparison standing in for Anki's `unicase` collation.
/// Only has to be a consistent order; Anki's exact folding does not matter
/// for reading.
fn unicase_cmp(a: &str, b: &str) -> Ordering {
    a.chars()
        .flat_map(char::to_lowercase)
        .cmp(b.chars().flat_map(char::to_lowercase))
}

/// Names a row for error messages, e.g. `note 1795601193915`; formatted
/// only when an error is actually built.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RowId<'a>(pub &'a str, pub i64);

impl Display for RowId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.0, self.1)
    }
}

/// Name of column `idx` of the row's statement, for error messages.
fn column(row: &Row<'_>, idx: usize) -> String {
    row.as_ref()
        .column_name(idx)
        .map_or_else(|_| format!("#{idx}"), str::to_owned)
}

/// Reads an integer column, naming the row and column on failure.
pub(crate) fn int(row: &Row<'_>, idx: usize, what: &dyn Display) -> Res<i64> {
    row.get::<_, i64>(idx)
        .map_err(|_| Problem::corrupt(format!("{what}: `{}` is not an integer", column(row, idx))))
}

/// Reads a text column (text, or a blob holding UTF-8), naming the row and
/// column on failure.
pub(crate) fn text<'r>(row: &'r Row<'_>, idx: usize, what: &dyn Display) -> Res<&'r str> {
    let bytes = bytes(row, idx, what)?;
    std::str::from_utf8(bytes).map_err(|_| {
        Problem::corrupt(format!(
            "{what}: `{}` is not valid UTF-8 text",
            column(row, idx)
        ))
    })
}

/// Reads a blob column (or text, as bytes), naming the row and column on failure.
pub(crate) fn bytes<'r>(row: &'r Row<'_>, idx: usize, what: &dyn Display) -> Res<&'r [u8]> {
    row.get_ref(idx)
        .ok()
        .and_then(|v| v.as_bytes().ok())
        .ok_or_else(|| Problem::corrupt(format!("{what}: `{}` is not text", column(row, idx))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unicase_orders_case_insensitively() {
        assert_eq!(unicase_cmp("Basic", "basic"), Ordering::Equal);
        assert_eq!(unicase_cmp("Äpfel", "äpfel"), Ordering::Equal);
        assert_eq!(unicase_cmp("a", "B"), Ordering::Less);
    }
}
