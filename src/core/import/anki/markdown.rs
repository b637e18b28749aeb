//! The CommonMark side of [`super::html_to_markdown`]: a writer that keeps
//! line breaks and spaces pending until the next visible text, so output
//! has no trailing spaces or dangling breaks. Emphasis markers are placed
//! when a span closes, around what it produced; nesting depth is capped,
//! so the work stays linear.

use super::entities;
use super::escape::escape_into;

/// A start or end tag with the attributes we use.
pub(crate) struct Tag {
    /// Lower-cased tag name.
    pub name: String,
    /// `src`, entities decoded.
    pub src: Option<String>,
    /// `alt`, entities decoded.
    pub alt: Option<String>,
    /// `start` (of `<ol>`), entities decoded.
    pub start: Option<String>,
}

/// Open `<b>`/`<i>` spans beyond this are ignored (they nest nothing useful).
const MAX_SPANS: usize = 32;
/// Lists nested deeper than this continue at the deepest indentation.
const MAX_LISTS: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SpanKind {
    Strong,
    Emph,
}

impl SpanKind {
    fn marker(self) -> &'static str {
        match self {
            Self::Strong => "**",
            Self::Emph => "*",
        }
    }
}

struct Span {
    kind: SpanKind,
    /// Where its text starts in the output; `None` until text arrives.
    start: Option<usize>,
    /// False when an outer span of the same kind already covers it.
    active: bool,
}

struct List {
    ordered: bool,
    next: u64,
    /// Column of the list markers.
    indent: usize,
}

/// Inline text being collected verbatim (code) rather than written.
enum Capture {
    None,
    Code(String),
    Pre(String),
}

/// Turns the stream of text and tags into Markdown.
pub(crate) struct Writer {
    out: String,
    /// Pending break: 0 none, 1 line break, 2+ paragraph break.
    breaks: u8,
    space: bool,
    /// The next text starts a line (block syntax there must be escaped).
    line_start: bool,
    /// Indentation of continuation lines (inside list items).
    indent: usize,
    /// A list item marker waiting for the item's first text.
    marker: Option<String>,
    spans: Vec<Span>,
    spans_ignored: usize,
    /// The innermost span just closed, markers not yet placed: if the same
    /// kind opens right away (`<i>a</i><i>b</i>`) it simply continues, as
    /// `*a**b*` would not read back.
    just_closed: Option<Span>,
    lists: Vec<List>,
    lists_ignored: usize,
    capture: Capture,
}

impl Writer {
    /// A writer expecting about `cap` bytes of output.
    pub(crate) fn new(cap: usize) -> Self {
        Self {
            out: String::with_capacity(cap),
            breaks: 0,
            space: false,
            line_start: true,
            indent: 0,
            marker: None,
            spans: Vec::new(),
            spans_ignored: 0,
            just_closed: None,
            lists: Vec::new(),
            lists_ignored: 0,
            capture: Capture::None,
        }
    }

    /// Text between tags: entities decoded, whitespace collapsed, escaped.
    pub(crate) fn text(&mut self, raw: &str) {
        if raw.is_empty() {
            return;
        }
        let decoded = entities::decode(raw);
        match &mut self.capture {
            Capture::Code(buf) | Capture::Pre(buf) => {
                buf.push_str(&decoded);
                return;
            }
            Capture::None => {}
        }
        let mut word_start = None;
        for (i, c) in decoded.char_indices() {
            if is_space(c) {
                if let Some(s) = word_start.take() {
                    self.word(decoded.get(s..i).unwrap_or_default());
                }
                self.space = true;
            } else if word_start.is_none() {
                word_start = Some(i);
            }
        }
        if let Some(s) = word_start {
            self.word(decoded.get(s..).unwrap_or_default());
        }
    }

    fn word(&mut self, w: &str) {
        self.flush();
        escape_into(&mut self.out, w, self.line_start);
        self.line_start = false;
    }

    /// Writes what is pending before visible output: a list marker, a
    /// break, a space; then marks the start of open spans.
    fn flush(&mut self) {
        self.settle();
        if let Some(marker) = self.marker.take() {
            if !self.out.is_empty() {
                self.close_spans();
                self.out.push('\n');
                if self.breaks >= 2 {
                    self.out.push('\n');
                }
            }
            let col = self.lists.last().map_or(0, |l| l.indent);
            push_spaces(&mut self.out, col);
            self.out.push_str(&marker);
            self.indent = col + marker.len();
            self.line_start = true;
        } else if self.breaks > 0 && !self.out.is_empty() {
            if self.breaks >= 2 {
                // Emphasis cannot span paragraphs: close and reopen.
                self.close_spans();
                self.out.push_str("\n\n");
            } else {
                self.out.push_str("\\\n");
            }
            push_spaces(&mut self.out, self.indent);
            self.line_start = true;
        } else if self.space && !self.line_start {
            self.out.push(' ');
        }
        self.breaks = 0;
        self.space = false;
        let here = self.out.len();
        for span in &mut self.spans {
            if span.active && span.start.is_none() {
                span.start = Some(here);
            }
        }
    }

    /// Puts markers around every open span's text so far; they restart at
    /// the next text.
    fn close_spans(&mut self) {
        self.settle();
        for span in self.spans.iter_mut().rev() {
            if let Some(start) = span.start.take() {
                wrap(&mut self.out, start, span.kind.marker());
            }
        }
    }

    fn block(&mut self, level: u8) {
        self.breaks = self.breaks.max(level);
    }

    /// A start tag (or a self-closing one).
    pub(crate) fn start_tag(&mut self, t: &Tag) {
        match &mut self.capture {
            Capture::Pre(buf) => {
                if t.name == "br" || is_line_block(&t.name) {
                    buf.push('\n');
                }
                return;
            }
            Capture::Code(buf) => {
                if t.name == "br" {
                    buf.push('\n');
                }
                return;
            }
            Capture::None => {}
        }
        match t.name.as_str() {
            "b" | "strong" => self.open_span(SpanKind::Strong),
            "i" | "em" => self.open_span(SpanKind::Emph),
            "br" => self.breaks = self.breaks.saturating_add(1),
            "code" | "kbd" | "samp" | "tt" => self.capture = Capture::Code(String::new()),
            "pre" => self.capture = Capture::Pre(String::new()),
            "ul" | "ol" => self.open_list(t),
            "li" => self.open_item(),
            "img" => self.image(t),
            "td" | "th" => self.space = true,
            name if is_para_block(name) => self.block(2),
            name if is_line_block(name) => self.block(1),
            _ => {}
        }
    }

    /// An end tag, by lower-cased name.
    pub(crate) fn end_tag(&mut self, name: &str) {
        match (&self.capture, name) {
            (Capture::Code(_), "code" | "kbd" | "samp" | "tt") => return self.end_code(),
            (Capture::Pre(_), "pre") => return self.end_pre(),
            (Capture::Code(_) | Capture::Pre(_), _) => return,
            (Capture::None, _) => {}
        }
        match name {
            "b" | "strong" => self.close_span(SpanKind::Strong),
            "i" | "em" => self.close_span(SpanKind::Emph),
            "ul" | "ol" => self.close_list(),
            "li" => self.block(1),
            "td" | "th" => self.space = true,
            n if is_para_block(n) => self.block(2),
            n if is_line_block(n) => self.block(1),
            _ => {}
        }
    }

    /// Places the markers of the span closed last, if any.
    fn settle(&mut self) {
        if let Some(span) = self.just_closed.take()
            && let Some(start) = span.start
        {
            wrap(&mut self.out, start, span.kind.marker());
        }
    }

    fn open_span(&mut self, kind: SpanKind) {
        if let Some(span) = self.just_closed.take() {
            if span.kind == kind && !self.space && self.breaks == 0 && self.marker.is_none() {
                self.spans.push(span); // continue it
                return;
            }
            self.just_closed = Some(span);
            self.settle();
        }
        if self.spans.len() >= MAX_SPANS {
            self.spans_ignored += 1;
            return;
        }
        // `**a **b** c**` would not parse back; an inner duplicate adds nothing.
        let active = !self.spans.iter().any(|s| s.kind == kind);
        self.spans.push(Span {
            kind,
            start: None,
            active,
        });
    }

    fn close_span(&mut self, kind: SpanKind) {
        if self.spans_ignored > 0 {
            self.spans_ignored -= 1;
            return;
        }
        let Some(at) = self.spans.iter().rposition(|s| s.kind == kind) else {
            return; // stray end tag
        };
        self.settle();
        if at + 1 == self.spans.len() {
            self.just_closed = self.spans.pop();
            return;
        }
        // Misnested tags (`<b><i>x</b></i>`) close the inner span too.
        while self.spans.len() > at {
            if let Some(span) = self.spans.pop()
                && let Some(start) = span.start
            {
                wrap(&mut self.out, start, span.kind.marker());
            }
        }
    }

    fn open_list(&mut self, t: &Tag) {
        // A list inside a list item starts on the next line; elsewhere it
        // is a block of its own.
        self.block(if self.lists.is_empty() { 2 } else { 1 });
        if self.lists.len() >= MAX_LISTS {
            self.lists_ignored += 1;
            return;
        }
        let indent = if self.lists.is_empty() {
            0
        } else {
            self.indent
        };
        let next = t
            .start
            .as_deref()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .unwrap_or(1)
            .min(999_999_999); // CommonMark allows at most 9 digits
        self.lists.push(List {
            ordered: t.name == "ol",
            next,
            indent,
        });
    }

    fn close_list(&mut self) {
        if self.lists_ignored > 0 {
            self.lists_ignored -= 1;
            return;
        }
        if let Some(list) = self.lists.pop() {
            self.indent = list.indent;
            self.marker = None;
            self.block(if self.lists.is_empty() { 2 } else { 1 });
        }
    }

    fn open_item(&mut self) {
        self.block(1);
        let Some(list) = self.lists.last_mut() else {
            return; // a stray <li> is just a line
        };
        let marker = if list.ordered {
            let m = format!("{}. ", list.next);
            list.next = (list.next + 1).min(999_999_999);
            m
        } else {
            "- ".to_owned()
        };
        self.marker = Some(marker);
    }

    fn image(&mut self, t: &Tag) {
        let Some(src) = t
            .src
            .as_deref()
            .map(str::trim)
            .filter(|s| is_plain_file_name(s))
        else {
            return;
        };
        let alt = t.alt.as_deref().unwrap_or_default();
        self.flush();
        self.out.push_str("![");
        escape_into(&mut self.out, &collapse_spaces(alt), false);
        self.out.push_str("](");
        // Spaces and parentheses need the <…> form of a destination.
        let angle = src.contains([' ', '(', ')']);
        if angle {
            self.out.push('<');
        }
        for (i, c) in src.char_indices() {
            let rest = src.get(i..).unwrap_or_default();
            if matches!(c, '<' | '>') || (c == '&' && entities::looks_like_ref(rest)) {
                self.out.push('\\');
            }
            self.out.push(c);
        }
        if angle {
            self.out.push('>');
        }
        self.out.push(')');
        self.line_start = false;
    }

    fn end_code(&mut self) {
        let Capture::Code(buf) = std::mem::replace(&mut self.capture, Capture::None) else {
            return;
        };
        let content = collapse_spaces(&buf);
        if content.is_empty() {
            return;
        }
        let fence = "`".repeat(longest_run(&content, '`') + 1);
        self.flush();
        if self.line_start && fence.len() >= 3 {
            // A line starting with ``` would open a code block instead.
            escape_into(&mut self.out, &content, true);
        } else {
            let pad = if content.starts_with('`') || content.ends_with('`') {
                " "
            } else {
                ""
            };
            for part in [fence.as_str(), pad, &content, pad, &fence] {
                self.out.push_str(part);
            }
        }
        self.line_start = false;
    }

    fn end_pre(&mut self) {
        let Capture::Pre(buf) = std::mem::replace(&mut self.capture, Capture::None) else {
            return;
        };
        // Browsers drop one newline right after <pre>; trailing ones show nothing.
        let body = buf
            .strip_prefix('\n')
            .unwrap_or(&buf)
            .trim_end_matches(['\n', '\r']);
        let fence = "`".repeat(longest_run(body, '`').max(2) + 1);
        self.block(2);
        self.space = false;
        self.flush_block();
        self.out.push_str(&fence);
        for line in body.lines() {
            self.out.push('\n');
            push_spaces(&mut self.out, self.indent);
            self.out.push_str(line);
        }
        self.out.push('\n');
        push_spaces(&mut self.out, self.indent);
        self.out.push_str(&fence);
        self.line_start = false;
        self.block(2);
    }

    /// Like [`Writer::flush`] for block content that is not text: puts out
    /// the pending marker or paragraph break only.
    fn flush_block(&mut self) {
        self.close_spans();
        self.flush();
        // `flush` opened spans at this point; a code block holds no emphasis.
        for span in &mut self.spans {
            span.start = None;
        }
    }

    /// Closes whatever is open and returns the Markdown.
    pub(crate) fn finish(mut self) -> String {
        match &self.capture {
            Capture::Code(_) => self.end_code(),
            Capture::Pre(_) => self.end_pre(),
            Capture::None => {}
        }
        self.close_spans();
        self.out
    }
}

/// Inserts `marker` at `start` and appends it, around non-empty text.
fn wrap(out: &mut String, start: usize, marker: &str) {
    if start >= out.len() || !out.is_char_boundary(start) {
        return;
    }
    out.insert_str(start, marker);
    out.push_str(marker);
}

fn push_spaces(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// HTML collapses ASCII whitespace; `&nbsp;` is folded in too, since it is
/// nearly always an editor artefact in Anki fields.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c' | '\u{a0}')
}

fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(is_space).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn longest_run(s: &str, ch: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for c in s.chars() {
        run = if c == ch { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// Blocks that become paragraphs.
fn is_para_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "blockquote"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "table"
            | "hr"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "aside"
            | "nav"
            | "figure"
            | "dl"
            | "address"
            | "main"
            | "form"
            | "fieldset"
            | "details"
    )
}

/// Blocks that start a new line.
fn is_line_block(name: &str) -> bool {
    matches!(
        name,
        "div"
            | "tr"
            | "li"
            | "dt"
            | "dd"
            | "figcaption"
            | "center"
            | "summary"
            | "caption"
            | "legend"
            | "option"
    )
}

/// A media reference Kartu can resolve: a bare file name, no scheme
/// (`http:`, `data:`, `C:`), no path.
fn is_plain_file_name(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && !s.contains([':', '/', '\\'])
        && !s.chars().any(char::is_control)
}
