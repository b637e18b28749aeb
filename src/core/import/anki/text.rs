//! Anki's "Notes in plain text" export: `#key:value` header lines, then one
//! note per row, cells split by the separator with CSV quoting (a cell that
//! holds the separator, a quote, a line break or `#` is wrapped in `"`, with
//! `"` doubled inside). Lines starting with `#` after the header are
//! comments, blank lines are skipped, as in Anki's importer.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::error::{AnkiError, Problem, Res};
use super::limits::TextLimits;
use super::records::{Records, count_newlines};

/// How much of the body Anki looks at to guess a missing separator.
const SNIFF_BYTES: usize = 8 * 1024;

/// Column separator of a text export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    /// `\t` (`#separator:tab`, what Anki writes).
    Tab,
    /// `|`.
    Pipe,
    /// `;`.
    Semicolon,
    /// `:`.
    Colon,
    /// `,`.
    Comma,
    /// ` `.
    Space,
}

impl Separator {
    /// In the order Anki tries them when guessing.
    const ALL: [Self; 6] = [
        Self::Tab,
        Self::Pipe,
        Self::Semicolon,
        Self::Colon,
        Self::Comma,
        Self::Space,
    ];

    /// The separator character.
    #[must_use]
    pub fn as_char(self) -> char {
        char::from(self.byte())
    }

    fn byte(self) -> u8 {
        match self {
            Self::Tab => b'\t',
            Self::Pipe => b'|',
            Self::Semicolon => b';',
            Self::Colon => b':',
            Self::Comma => b',',
            Self::Space => b' ',
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Tab => "tab",
            Self::Pipe => "pipe",
            Self::Semicolon => "semicolon",
            Self::Colon => "colon",
            Self::Comma => "comma",
            Self::Space => "space",
        }
    }

    /// From a header value: a name (`tab`, `comma`…) or the character itself.
    fn from_header(value: &str) -> Option<Self> {
        let v = value.trim();
        Self::ALL
            .into_iter()
            .find(|s| v.eq_ignore_ascii_case(s.name()) || value.as_bytes() == [s.byte()])
    }
}

/// Which columns hold note metadata rather than fields (0-based indexes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextColumns {
    /// `#guid column:N`.
    pub guid: Option<usize>,
    /// `#notetype column:N`: note type name (or id) per row.
    pub notetype: Option<usize>,
    /// `#deck column:N`: deck name (or id) per row.
    pub deck: Option<usize>,
    /// `#tags column:N`: space-separated tags per row.
    pub tags: Option<usize>,
}

impl TextColumns {
    fn contains(&self, i: usize) -> bool {
        [self.guid, self.notetype, self.deck, self.tags].contains(&Some(i))
    }
}

/// One data row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextRow {
    /// 1-based line number where the row starts.
    pub line: usize,
    /// The cells, unquoted; as many as [`NotesText::column_count`].
    pub cells: Vec<String>,
}

/// A parsed text export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotesText {
    /// The separator (from `#separator:`, else guessed like Anki does).
    pub separator: Separator,
    /// `#html:true|false`; `None` if the file does not say (Anki then
    /// guesses from the content).
    pub html: Option<bool>,
    /// Tags for every note (`#tags:` or a first line `tags:`).
    pub tags: Vec<String>,
    /// Column labels from `#columns:`, if given.
    pub column_names: Vec<String>,
    /// Note type for every row (`#notetype:`), name or id.
    pub notetype: Option<String>,
    /// Deck for every row (`#deck:`), name or id.
    pub deck: Option<String>,
    /// Which columns are metadata.
    pub columns: TextColumns,
    /// Number of columns in every row.
    pub column_count: usize,
    /// The data rows.
    pub rows: Vec<TextRow>,
}

impl NotesText {
    /// Indexes of the columns that hold note fields, in order.
    #[must_use]
    pub fn field_columns(&self) -> Vec<usize> {
        (0..self.column_count)
            .filter(|&i| !self.columns.contains(i))
            .collect()
    }
}

/// Reads a "Notes in plain text" export (UTF-8, with or without BOM).
///
/// Rows must all have the same number of cells: a ragged row is an error
/// naming its line, since guessing which cell is missing would misfile data.
pub fn read_notes_text(path: &Path, limits: &TextLimits) -> Result<NotesText, AnkiError> {
    read(path, limits).map_err(|p| p.at(path))
}

fn read(path: &Path, limits: &TextLimits) -> Res<NotesText> {
    let file = File::open(path).map_err(Problem::Io)?;
    let meta = file.metadata().map_err(Problem::Io)?;
    if !meta.is_file() {
        return Err(Problem::Text {
            line: 1,
            what: "this is not a regular file".into(),
        });
    }
    if meta.len() > limits.max_file_bytes {
        return Err(Problem::too_large("the text file", limits.max_file_bytes));
    }
    let mut buf = Vec::new();
    // The file may grow after the check: read through the cap anyway.
    file.take(limits.max_file_bytes.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(Problem::Io)?;
    if u64::try_from(buf.len()).unwrap_or(u64::MAX) > limits.max_file_bytes {
        return Err(Problem::too_large("the text file", limits.max_file_bytes));
    }
    let text = std::str::from_utf8(&buf).map_err(|e| {
        let at = e.valid_up_to();
        let line = buf.get(..at).map_or(0, count_newlines) + 1;
        let byte = buf.get(at).copied().unwrap_or(0);
        Problem::Text {
            line,
            what: format!(
                "the file is not UTF-8 text (byte 0x{byte:02x}); save it as UTF-8 and try again"
            ),
        }
    })?;
    parse(text, limits)
}

/// Header values as Anki reads them, kept with their line for errors.
#[derive(Default)]
struct Header<'a> {
    separator: Option<Separator>,
    html: Option<bool>,
    tags: Vec<String>,
    columns: Option<(usize, &'a str)>,
    notetype: Option<String>,
    deck: Option<String>,
    meta_columns: [(usize, Option<usize>); 4], // (line, 1-based column): guid, notetype, deck, tags
}

/// Parses the whole text (exposed for tests and fuzzing).
pub(crate) fn parse(text: &str, limits: &TextLimits) -> Res<NotesText> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (header, body_start, body_line) = parse_header(text)?;
    let body = text.get(body_start..).unwrap_or_default();
    let separator = header.separator.unwrap_or_else(|| sniff(body));
    let sep = separator.byte();

    let column_names = match header.columns {
        Some((line, value)) => match Records::new(value, sep, line).next_record(limits.max_columns)
        {
            Some(r) => r?.1,
            None => Vec::new(),
        },
        None => Vec::new(),
    };

    // Pass 1 checks the shape (limits, quoting, equal row lengths) without
    // keeping any cell, so a bad file costs no more memory than itself.
    let mut expected = (!column_names.is_empty()).then_some((column_names.len(), 0));
    let mut row_count = 0;
    let mut records = Records::new(body, sep, body_line);
    while let Some(record) = records.skip_record(limits.max_columns) {
        let (line, cells) = record?;
        row_count += 1;
        if row_count > limits.max_rows {
            return Err(Problem::too_many("data rows", limits.max_rows));
        }
        match expected {
            None => expected = Some((cells, line)),
            Some((n, first)) if n != cells => {
                let source = if first == 0 {
                    "the `#columns` header".to_owned()
                } else {
                    format!("the first row (line {first})")
                };
                return Err(Problem::Text {
                    line,
                    what: format!("this row has {cells} columns, but {source} has {n}"),
                });
            }
            Some(_) => {}
        }
    }
    // Pass 2 keeps the cells of the records pass 1 accepted.
    let mut rows = Vec::with_capacity(row_count);
    let mut records = Records::new(body, sep, body_line);
    while let Some(record) = records.next_record(limits.max_columns) {
        let (line, cells) = record?;
        rows.push(TextRow { line, cells });
    }
    let column_count = expected.map_or(0, |(n, _)| n);

    let mut cols = [None; 4];
    for ((line, col), slot) in header.meta_columns.iter().zip(cols.iter_mut()) {
        if let Some(c) = *col {
            if c > column_count && column_count > 0 {
                return Err(Problem::Text {
                    line: *line,
                    what: format!(
                        "column {c} does not exist: the rows have {column_count} columns"
                    ),
                });
            }
            *slot = c.checked_sub(1);
        }
    }
    let [guid, notetype, deck, tags] = cols;
    Ok(NotesText {
        separator,
        html: header.html,
        tags: header.tags,
        column_names,
        notetype: header.notetype,
        deck: header.deck,
        columns: TextColumns {
            guid,
            notetype,
            deck,
            tags,
        },
        column_count,
        rows,
    })
}

/// Reads header lines; returns them, the byte offset of the body and its
/// 1-based first line number.
fn parse_header(text: &str) -> Res<(Header<'_>, usize, usize)> {
    let mut h = Header::default();
    let mut offset = 0;
    let mut line_no = 1;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        if line_no == 1
            && let Some(tags) = line.strip_prefix("tags:")
        {
            // The pre-2.1.55 form of `#tags:`, allowed on the first line only.
            h.tags = tags.split_whitespace().map(str::to_owned).collect();
        } else if let Some(directive) = line.strip_prefix('#') {
            if let Some((key, value)) = directive.split_once(':') {
                header_value(&mut h, key, value, line_no)?;
            }
        } else {
            break;
        }
        offset += raw.len();
        line_no += 1;
    }
    Ok((h, offset, line_no))
}

fn header_value<'a>(h: &mut Header<'a>, key: &str, value: &'a str, line: usize) -> Res<()> {
    let bad = |what: String| Problem::Text { line, what };
    let short = anki_trim(value).trim();
    let column = |v: &str| -> Res<Option<usize>> {
        v.parse::<usize>()
            .map(|n| (n > 0).then_some(n))
            .map_err(|_| bad(format!("`#{key}:` needs a column number, not `{v}`")))
    };
    match key.trim().to_ascii_lowercase().as_str() {
        "separator" => {
            let s = Separator::from_header(value)
                .or_else(|| Separator::from_header(anki_trim(value)))
                .ok_or_else(|| {
                    bad(format!(
                        "unknown separator `{}`; use tab, pipe, semicolon, colon, comma or space",
                        value.escape_debug()
                    ))
                })?;
            h.separator = Some(s);
        }
        "html" => {
            h.html = Some(match short.to_ascii_lowercase().as_str() {
                "true" => true,
                "false" => false,
                _ => {
                    return Err(bad(format!(
                        "`#html:` must be true or false, not `{short}`"
                    )));
                }
            });
        }
        "tags" => h.tags = value.split_whitespace().map(str::to_owned).collect(),
        "columns" => h.columns = Some((line, value)),
        "notetype" => h.notetype = Some(value.trim().to_owned()).filter(|v| !v.is_empty()),
        "deck" => h.deck = Some(value.trim().to_owned()).filter(|v| !v.is_empty()),
        "guid column" => h.meta_columns[0] = (line, column(short)?),
        "notetype column" => h.meta_columns[1] = (line, column(short)?),
        "deck column" => h.meta_columns[2] = (line, column(short)?),
        "tags column" => h.meta_columns[3] = (line, column(short)?),
        _ => {} // other directives (match scope…) do not concern reading
    }
    Ok(())
}

/// Anki exports header lines through the CSV writer in some versions, so a
/// value may carry trailing separators (`tab\t\t`). Like Anki, keep the
/// first character (a value may be a separator itself) and then only
/// ASCII letters and digits.
fn anki_trim(value: &str) -> &str {
    let mut chars = value.char_indices();
    if chars.next().is_none() {
        return value;
    }
    let end = chars
        .find(|(_, c)| !c.is_ascii_alphanumeric())
        .map_or(value.len(), |(i, _)| i);
    value.get(..end).unwrap_or(value)
}

/// Anki's guess: the first separator, in a fixed order, that occurs near
/// the start of the body; space if none.
fn sniff(body: &str) -> Separator {
    let head = body
        .as_bytes()
        .get(..SNIFF_BYTES)
        .unwrap_or(body.as_bytes());
    Separator::ALL
        .into_iter()
        .find(|s| head.contains(&s.byte()))
        .unwrap_or(Separator::Space)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Res<NotesText> {
        parse(text, &TextLimits::default())
    }

    #[test]
    fn parses_headers_and_quoted_cells() {
        let t = "#separator:tab\n#html:true\n#guid column:1\n#tags column:4\n\
                 g1\t\"a\tb\"\t\"say \"\"hi\"\"\"\tt1 t2\n\
                 g2\t\"two\nlines\"\tx\t\n";
        let n = p(t).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(n.separator, Separator::Tab);
        assert_eq!(n.html, Some(true));
        assert_eq!(n.columns.guid, Some(0));
        assert_eq!(n.columns.tags, Some(3));
        assert_eq!(n.column_count, 4);
        assert_eq!(n.field_columns(), [1, 2]);
        assert_eq!(n.rows[0].cells, ["g1", "a\tb", "say \"hi\"", "t1 t2"]);
        assert_eq!(n.rows[0].line, 5);
        assert_eq!(n.rows[1].cells, ["g2", "two\nlines", "x", ""]);
        assert_eq!(n.rows[1].line, 6);
    }

    #[test]
    fn separator_forms_and_guessing() {
        for (head, sep) in [
            ("#separator:comma\n", Separator::Comma),
            ("#separator:,\n", Separator::Comma),
            ("#separator:Semicolon\n", Separator::Semicolon),
            ("#separator:|\n", Separator::Pipe),
            ("#separator:tab\t\t\n", Separator::Tab),
            ("#separator: \n", Separator::Space),
            ("", Separator::Comma),
        ] {
            let n = p(&format!("{head}a,b\n")).unwrap_or_else(|e| panic!("{head}: {e:?}"));
            assert_eq!(n.separator, sep, "{head}");
        }
        assert!(matches!(
            p("#separator:xyz\na\n"),
            Err(Problem::Text { line: 1, .. })
        ));
    }

    #[test]
    fn legacy_tags_line_comments_and_blank_lines() {
        let n = p("tags:a b\n#columns:Front;Back\n#deck:Peer \na;b\n\n# note\nc;d\r\n")
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(n.tags, ["a", "b"]);
        assert_eq!(n.column_names, ["Front", "Back"]);
        assert_eq!(n.deck.as_deref(), Some("Peer"));
        assert_eq!(n.rows.len(), 2);
        assert_eq!(n.rows[1].line, 7);
    }

    #[test]
    fn errors_carry_line_numbers() {
        let ragged = p("#separator:comma\na,b,c\nd,e\n");
        assert!(
            matches!(ragged, Err(Problem::Text { line: 3, .. })),
            "{ragged:?}"
        );
        let open = p("#separator:comma\na,b\n\"c,d\n");
        assert!(
            matches!(open, Err(Problem::Text { line: 3, .. })),
            "{open:?}"
        );
        let bad_col = p("#separator:comma\n#tags column:5\na,b\n");
        assert!(
            matches!(bad_col, Err(Problem::Text { line: 2, .. })),
            "{bad_col:?}"
        );
        let bad_html = p("#html:maybe\na\n");
        assert!(
            matches!(bad_html, Err(Problem::Text { line: 1, .. })),
            "{bad_html:?}"
        );
        let vs_columns = p("#separator:comma\n#columns:a,b\nx,y,z\n");
        assert!(
            matches!(vs_columns, Err(Problem::Text { line: 3, .. })),
            "{vs_columns:?}"
        );
    }

    #[test]
    fn limits_apply() {
        let small = TextLimits {
            max_file_bytes: 100,
            max_rows: 1,
            max_columns: 2,
        };
        assert!(matches!(
            parse("a,b\nc,d\n", &small),
            Err(Problem::TooMany { .. })
        ));
        assert!(matches!(
            parse("#separator:comma\na,b,c\n", &small),
            Err(Problem::Text { line: 2, .. })
        ));
    }
}
