//! The fast path for deck files in the exact form [`Deck::to_ron`](crate::core::model::deck::Deck) writes, read line
//! by line into a [`PackedDeck`].

use std::io::BufRead;
use std::path::Path;

use super::DECK_FORMAT_VERSION;
use crate::core::error::{Result, check_format};
use crate::core::ids::DeckId;
use crate::core::model::deck::NoteKind;
use crate::core::model::packed::{NO_SPAN, NO_TIME, NoteFields, PackBuilder, PackedDeck, Span};
use crate::core::storage::format::lines::{Cursor, Next, next_line};

struct Lines<R> {
    reader: R,
    line: String,
}

impl<R: BufRead> Lines<R> {
    /// The next whole line, or `None` (end of file or anything odd).
    fn next(&mut self, path: &Path) -> Result<Option<&str>> {
        Ok(
            (next_line(&mut self.reader, &mut self.line, path)? == Next::Line)
                .then_some(self.line.as_str()),
        )
    }

    /// Reads the next whole line into `out` (a buffer of the caller's, reused: no
    /// allocation per line); `false` at the end of the file or on anything odd.
    fn next_into(&mut self, path: &Path, out: &mut String) -> Result<bool> {
        Ok(next_line(&mut self.reader, out, path)? == Next::Line)
    }
}

macro_rules! some_or_none {
    ($value:expr) => {
        match $value {
            Some(value) => value,
            None => return Ok(None),
        }
    };
}

/// `Ok(None)`: not in Kartu's own form; the caller parses with `ron`.
pub(crate) fn read(reader: impl BufRead, path: &Path) -> Result<Option<PackedDeck>> {
    let mut lines = Lines {
        reader,
        line: String::new(),
    };
    for expected in ["#![enable(implicit_some)]", "("] {
        if some_or_none!(lines.next(path)?) != expected {
            return Ok(None);
        }
    }
    let format = some_or_none!(number(some_or_none!(lines.next(path)?), "    format: "));
    // Past u32 `ron` reports an error; so leave that to it.
    let format = some_or_none!(u32::try_from(format).ok());
    check_format(path, format, DECK_FORMAT_VERSION)?;
    let mut header = |prefix: &str| -> Result<Option<String>> {
        let mut text = String::new();
        let Some(first) = lines.next(path)?.map(str::to_owned) else {
            return Ok(None);
        };
        Ok(string_into(&mut lines, path, &first, prefix, &mut text)?.then_some(text))
    };
    let id = some_or_none!(header("    id: ")?);
    let title = some_or_none!(header("    title: ")?);
    let description = some_or_none!(header("    description: ")?);
    let language = some_or_none!(header("    language: ")?);
    let version = some_or_none!(number(some_or_none!(lines.next(path)?), "    version: "));
    let mut builder = PackBuilder::new(
        format,
        DeckId(id),
        title,
        description,
        language,
        some_or_none!(u32::try_from(version).ok()),
    );
    let mut line = some_or_none!(lines.next(path)?).to_owned();
    if format >= 2 && line.starts_with("    parent: ") {
        let mut parent = String::new();
        let first = line.clone();
        if !string_into(&mut lines, path, &first, "    parent: ", &mut parent)? {
            return Ok(None);
        }
        builder.set_parent(Some(DeckId(parent)));
        some_or_none!(lines.next(path)?).clone_into(&mut line);
    }
    let (empty, open) = if format == 1 {
        ("    cards: [],", "    cards: [")
    } else {
        ("    notes: [],", "    notes: [")
    };
    if line == open {
        // One line buffer for every note: no allocation per line.
        let mut buffer = String::new();
        loop {
            match some_or_none!(lines.next(path)?) {
                "    ]," => break,
                "        (" => {}
                _ => return Ok(None),
            }
            if note(&mut lines, path, &mut builder, format, &mut buffer)?.is_none() {
                return Ok(None);
            }
        }
    } else if line != empty {
        return Ok(None);
    }
    if some_or_none!(lines.next(path)?) != ")" {
        return Ok(None);
    }
    // Only blank lines may follow.
    loop {
        match next_line(&mut lines.reader, &mut lines.line, path)? {
            Next::End => break,
            Next::Line if lines.line.trim().is_empty() => {}
            Next::Line | Next::Odd => return Ok(None),
        }
    }
    Ok(Some(builder.finish()))
}

/// One note (a format 1 card), after its `        (` line, up to and with its
/// `        ),` line. Fields come in the order the writer writes them; the optional ones
/// may be missing.
fn note(
    lines: &mut Lines<impl BufRead>,
    path: &Path,
    builder: &mut PackBuilder,
    format: u32,
    line: &mut String,
) -> Result<Option<()>> {
    let mut field = |lines: &mut Lines<_>, first: &str, prefix: &str| -> Result<Option<Span>> {
        let start = builder.text_len();
        let ok = string_into(lines, path, first, prefix, builder.text_mut())?;
        Ok(ok.then(|| builder.span_since(start)))
    };
    if !lines.next_into(path, line)? {
        return Ok(None);
    }
    let id = some_or_none!(field(lines, line, "            id: ")?);
    if !lines.next_into(path, line)? {
        return Ok(None);
    }
    let mut kind = NoteKind::Basic;
    if format >= 2 {
        let word = some_or_none!(
            line.strip_prefix("            kind: ")
                .and_then(|rest| rest.strip_suffix(','))
        );
        kind = some_or_none!(NoteKind::from_word(word));
        if !lines.next_into(path, line)? {
            return Ok(None);
        }
    }
    // Optional fields, in written order; a missing text field is empty.
    let mut optional =
        |lines: &mut Lines<_>, line: &mut String, prefix: &str| -> Result<Option<Span>> {
            if !line.starts_with(prefix) {
                return Ok(Some(NO_SPAN));
            }
            let Some(span) = field(lines, line, prefix)? else {
                return Ok(None);
            };
            if !lines.next_into(path, line)? {
                return Ok(None);
            }
            Ok(Some(span))
        };
    let front = some_or_none!(optional(lines, line, "            front: ")?);
    let back = some_or_none!(optional(lines, line, "            back: ")?);
    let text = some_or_none!(optional(lines, line, "            text: ")?);
    let extra = some_or_none!(optional(lines, line, "            extra: ")?);
    let mut add_reverse = false;
    if line == "            add_reverse: true," {
        add_reverse = true;
        if !lines.next_into(path, line)? {
            return Ok(None);
        }
    }
    let notes = some_or_none!(optional(lines, line, "            notes: ")?);
    let example = some_or_none!(optional(lines, line, "            example: ")?);
    match line.as_str() {
        "            tags: []," => {}
        "            tags: [" => {
            let mut tag = String::new();
            loop {
                if !lines.next_into(path, line)? {
                    return Ok(None);
                }
                if line == "            ]," {
                    break;
                }
                tag.clear();
                if !string_into(lines, path, line, "                ", &mut tag)? {
                    return Ok(None);
                }
                builder.push_tag(&tag);
            }
        }
        _ => return Ok(None),
    }
    if !lines.next_into(path, line)? {
        return Ok(None);
    }
    let mut added_ms = NO_TIME;
    if let Some(rest) = line.strip_prefix("            added: \"") {
        let at = rest.strip_suffix("\",").map(str::parse::<jiff::Timestamp>);
        let Some(Ok(at)) = at else {
            return Ok(None);
        };
        added_ms = at.as_millisecond();
        if !lines.next_into(path, line)? {
            return Ok(None);
        }
    }
    if line != "        )," {
        return Ok(None);
    }
    // The fields a kind uses; an empty one is written out, so absent means empty.
    let mut empty = |span: Span| {
        if span == NO_SPAN {
            builder.push_text("")
        } else {
            span
        }
    };
    let (first, second, unused) = match kind {
        NoteKind::Cloze => (text, extra, [front, back]),
        _ => (front, back, [text, extra]),
    };
    if unused.iter().any(|span| *span != NO_SPAN) {
        // Text the kind does not use: the validator names it, on the slow path.
        return Ok(None);
    }
    let fields = NoteFields {
        id,
        kind,
        add_reverse,
        first: empty(first),
        second: empty(second),
        notes,
        example,
        added_ms,
    };
    builder.finish_note(&fields);
    Ok(Some(()))
}

/// `PREFIX123,`
fn number(line: &str, prefix: &str) -> Option<u64> {
    let mut c = Cursor::new(line);
    c.lit(prefix)?;
    let value = c.u64()?;
    c.lit(",")?;
    c.is_empty().then_some(value)
}

/// Appends to `out` a string value starting in `first` after `prefix` and ending with
/// `",` or `"#,` on this or a later line; `false` if it is not one. Plain strings may hold
/// no `\` (escapes go to the slow path).
fn string_into(
    lines: &mut Lines<impl BufRead>,
    path: &Path,
    first: &str,
    prefix: &str,
    out: &mut String,
) -> Result<bool> {
    let Some(rest) = first.strip_prefix(prefix) else {
        return Ok(false);
    };
    let (body, hashes) = if let Some(body) = rest.strip_prefix('"') {
        (body, None)
    } else if let Some(raw) = rest.strip_prefix('r') {
        let hashes = raw.bytes().take_while(|b| *b == b'#').count();
        let Some(body) = raw[hashes..].strip_prefix('"') else {
            return Ok(false);
        };
        (body, Some(hashes))
    } else {
        return Ok(false);
    };
    // Plain strings (nearly all) close with a lone quote: no allocation for them.
    let raw_closing;
    let closing = match hashes {
        None | Some(0) => "\"",
        Some(n) => {
            raw_closing = format!("\"{}", "#".repeat(n));
            raw_closing.as_str()
        }
    };
    let start = out.len();
    // A raw string needs a `#` (the writer always uses one); a plain one no `\`.
    let ends_well = |after: &str, out: &str| {
        after == ","
            && hashes.is_none_or(|n| n > 0)
            && !(hashes.is_none() && out[start..].contains('\\'))
    };
    if let Some(end) = body.find(closing) {
        out.push_str(&body[..end]);
        return Ok(ends_well(&body[end + closing.len()..], out));
    }
    out.push_str(body);
    out.push('\n');
    let mut segment = String::new();
    loop {
        if !lines.next_into(path, &mut segment)? {
            return Ok(false);
        }
        if let Some(end) = segment.find(closing) {
            out.push_str(&segment[..end]);
            return Ok(ends_well(&segment[end + closing.len()..], out));
        }
        out.push_str(&segment);
        out.push('\n');
    }
}
