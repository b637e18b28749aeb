//! Record splitting for text exports: cells separated by one ASCII byte,
//! CSV quoting (`"…"`, `""` for a quote), line endings `\n`, `\r\n` or
//! `\r`; blank lines and lines starting with `#` are skipped between
//! records, as the CSV reader Anki uses does.

use super::error::{Problem, Res};

/// Splits text into records with CSV quoting. Separator, quote and line
/// breaks are ASCII, so every slice is on a character boundary.
pub(crate) struct Records<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    sep: u8,
}

impl<'a> Records<'a> {
    /// Starts splitting `text` at 1-based line `first_line`.
    pub(crate) fn new(text: &'a str, sep: u8, first_line: usize) -> Self {
        Self {
            text,
            pos: 0,
            line: first_line,
            sep,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// Consumes one line ending if present; true if there was one.
    fn eat_newline(&mut self) -> bool {
        match self.peek() {
            Some(b'\n') => self.pos += 1,
            Some(b'\r') => {
                self.pos += 1;
                if self.peek() == Some(b'\n') {
                    self.pos += 1;
                }
            }
            _ => return false,
        }
        self.line += 1;
        true
    }

    /// The next record as (first line, cells), skipping blank and `#` lines.
    pub(crate) fn next_record(&mut self, max_columns: usize) -> Option<Res<(usize, Vec<String>)>> {
        let mut cells = Vec::new();
        let record = self.record(max_columns, Some(&mut cells))?;
        Some(record.map(|(line, _)| (line, cells)))
    }

    /// Like [`Records::next_record`] but keeps nothing: (first line, cell count).
    pub(crate) fn skip_record(&mut self, max_columns: usize) -> Option<Res<(usize, usize)>> {
        self.record(max_columns, None)
    }

    fn record(
        &mut self,
        max_columns: usize,
        mut keep: Option<&mut Vec<String>>,
    ) -> Option<Res<(usize, usize)>> {
        loop {
            match self.peek()? {
                b'\n' | b'\r' => {
                    self.eat_newline();
                }
                b'#' => {
                    let rest = self.text.get(self.pos..).unwrap_or_default();
                    let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
                    self.pos += end;
                    self.eat_newline();
                }
                _ => break,
            }
        }
        let start_line = self.line;
        let mut count = 0;
        loop {
            if count >= max_columns {
                return Some(Err(Problem::Text {
                    line: start_line,
                    what: format!("more than {max_columns} columns in this row"),
                }));
            }
            let mut cell = keep.is_some().then(String::new);
            if let Err(e) = self.cell(cell.as_mut()) {
                return Some(Err(e));
            }
            if let (Some(cells), Some(cell)) = (keep.as_deref_mut(), cell) {
                cells.push(cell);
            }
            count += 1;
            if self.peek() == Some(self.sep) {
                self.pos += 1;
                continue;
            }
            self.eat_newline();
            return Some(Ok((start_line, count)));
        }
    }

    /// One cell; stops before the separator or line ending that ends it.
    /// Appends the cell's text to `out` when given.
    fn cell(&mut self, mut out: Option<&mut String>) -> Res<()> {
        if self.peek() == Some(b'"') {
            let open_line = self.line;
            self.pos += 1;
            loop {
                let rest = self.text.get(self.pos..).unwrap_or_default();
                let Some(q) = rest.find('"') else {
                    return Err(Problem::Text {
                        line: open_line,
                        what: "a quoted cell is never closed (missing `\"`)".into(),
                    });
                };
                let chunk = rest.get(..q).unwrap_or_default();
                self.line += count_newlines(chunk.as_bytes());
                if let Some(o) = out.as_deref_mut() {
                    o.push_str(chunk);
                }
                self.pos += q + 1;
                if self.peek() == Some(b'"') {
                    if let Some(o) = out.as_deref_mut() {
                        o.push('"'); // doubled quote inside a quoted cell
                    }
                    self.pos += 1;
                } else {
                    break;
                }
            }
        }
        // Unquoted text, or anything after a closing quote (kept, as the CSV
        // reader Anki uses does).
        let rest = self.text.get(self.pos..).unwrap_or_default();
        let sep = self.sep;
        let end = rest
            .bytes()
            .position(|b| b == sep || b == b'\n' || b == b'\r')
            .unwrap_or(rest.len());
        if let Some(o) = out {
            o.push_str(rest.get(..end).unwrap_or_default());
        }
        self.pos += end;
        Ok(())
    }
}

#[allow(
    clippy::naive_bytecount,
    reason = "not hot enough to justify a dependency"
)]
/// Number of `\n` bytes.
pub(crate) fn count_newlines(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c == b'\n').count()
}
