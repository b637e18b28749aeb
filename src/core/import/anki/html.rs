//! Anki field HTML → CommonMark: the HTML side.
//!
//! One forward pass over the input with a tag scanner that never
//! backtracks (like an HTML5 tokenizer, a tag runs to the first `>` outside
//! quotes); text and tags go to the [`Writer`] in [`super::markdown`].

use super::entities;
use super::markdown::{Tag, Writer};

/// Converts one Anki field (HTML) to CommonMark.
///
/// `<b>`/`<strong>` → `**…**`, `<i>`/`<em>` → `*…*`, `<code>` → `` `…` ``,
/// `<pre>` → fenced block, `<ul>`/`<ol>`/`<li>` → lists, `<br>` → hard line
/// break (`\` + newline; two in a row → new paragraph), `<div>` → line
/// break, `<p>` → paragraph, `<img src="x.png" alt="a">` → `![a](x.png)`
/// (only plain file names; a `src` with a scheme or path is dropped). Other
/// tags keep just their text; `<script>`/`<style>` content is dropped.
/// Entities are decoded, whitespace collapses as a browser shows it
/// (`&nbsp;` included), and characters that Markdown would read as syntax
/// are backslash-escaped. Text without tags or special characters comes
/// out unchanged. Deterministic, linear time, never panics.
#[must_use]
pub fn html_to_markdown(html: &str) -> String {
    // Most fields are plain words: nothing to convert, and a package of 100,000 notes is
    // read a tenth sooner.
    if is_plain(html) {
        return html.to_owned();
    }
    convert(html)
}

/// True for text the converter gives back unchanged: words without markup, entities or
/// characters Markdown escapes, single spaces between them, nothing at the start a block
/// could be read from (a `#`, `>`, list marker or number).
fn is_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    let starts_safe = bytes
        .first()
        .is_none_or(|b| !b.is_ascii_digit() && !b"#>-+=| ".contains(b));
    starts_safe
        && !text.ends_with(' ')
        && !text.contains("  ")
        && !text.chars().any(|c| {
            matches!(
                c,
                '<' | '&' | '\\' | '`' | '*' | '[' | ']' | '~' | '_' | '\u{a0}'
            ) || (c != ' ' && c.is_whitespace())
                || c.is_control()
        })
}

fn convert(html: &str) -> String {
    let mut w = Writer::new(html.len());
    let mut pos = 0;
    while let Some(rest) = html.get(pos..).filter(|r| !r.is_empty()) {
        let Some(lt) = rest.find('<') else {
            w.text(rest);
            break;
        };
        w.text(rest.get(..lt).unwrap_or_default());
        let at = rest.get(lt..).unwrap_or_default();
        pos += lt + markup(&mut w, at);
    }
    w.finish()
}

/// Handles markup starting at `s` (which starts with `<`); returns the
/// number of bytes consumed.
fn markup(writer: &mut Writer, s: &str) -> usize {
    let bytes = s.as_bytes();
    match bytes.get(1) {
        Some(b'!') if s.starts_with("<!--") => {
            // Comment; unterminated comments run to the end, as in browsers.
            s.get(4..)
                .and_then(|r| r.find("-->"))
                .map_or(s.len(), |i| i + 7)
        }
        Some(b'!' | b'?') => s.find('>').map_or(s.len(), |i| i + 1),
        Some(b'/') if bytes.get(2).is_some_and(u8::is_ascii_alphabetic) => {
            let tag = scan_tag(s, 2);
            if let Some(t) = &tag.tag {
                writer.end_tag(&t.name);
            }
            tag.len
        }
        Some(c) if c.is_ascii_alphabetic() => {
            let tag = scan_tag(s, 1);
            let Some(t) = tag.tag else {
                return tag.len;
            };
            if t.name == "script" || t.name == "style" {
                // Raw text: skip to the matching end tag (or the end).
                let body = s.get(tag.len..).unwrap_or_default();
                return tag.len + find_end_tag(body, &t.name).unwrap_or(body.len());
            }
            writer.start_tag(&t);
            tag.len
        }
        _ => {
            writer.text("<");
            1
        }
    }
}

struct Scanned {
    /// `None` when the input ended inside the tag (browsers drop it).
    tag: Option<Tag>,
    len: usize,
}

/// Scans a tag whose name starts at byte `name_at`; runs to the first `>`
/// outside quoted attribute values.
fn scan_tag(s: &str, name_at: usize) -> Scanned {
    let b = s.as_bytes();
    let mut i = name_at;
    while b
        .get(i)
        .is_some_and(|c| !c.is_ascii_whitespace() && *c != b'/' && *c != b'>')
    {
        i += 1;
    }
    let mut tag = Tag {
        name: s.get(name_at..i).unwrap_or_default().to_ascii_lowercase(),
        src: None,
        alt: None,
        start: None,
    };
    loop {
        while b
            .get(i)
            .is_some_and(|c| c.is_ascii_whitespace() || *c == b'/')
        {
            i += 1;
        }
        match b.get(i) {
            None => {
                return Scanned {
                    tag: None,
                    len: s.len(),
                };
            }
            Some(b'>') => {
                return Scanned {
                    tag: Some(tag),
                    len: i + 1,
                };
            }
            Some(_) => {}
        }
        let name_start = i;
        while b
            .get(i)
            .is_some_and(|c| !c.is_ascii_whitespace() && !matches!(c, b'/' | b'>' | b'='))
        {
            i += 1;
        }
        let name = s.get(name_start..i).unwrap_or_default();
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let value = if let Some(&q @ (b'"' | b'\'')) = b.get(i) {
            let body = s.get(i + 1..).unwrap_or_default();
            let Some(end) = body.find(char::from(q)) else {
                return Scanned {
                    tag: None,
                    len: s.len(),
                };
            };
            i += end + 2;
            body.get(..end).unwrap_or_default()
        } else {
            let start = i;
            while b
                .get(i)
                .is_some_and(|c| !c.is_ascii_whitespace() && *c != b'>')
            {
                i += 1;
            }
            s.get(start..i).unwrap_or_default()
        };
        let slot = match name.to_ascii_lowercase().as_str() {
            "src" => &mut tag.src,
            "alt" => &mut tag.alt,
            "start" => &mut tag.start,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(entities::decode(value).into_owned());
        }
    }
}

/// Offset just past `</name …>` in `s`, case-insensitively.
fn find_end_tag(s: &str, name: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(i) = s.get(from..).and_then(|r| r.find("</")) {
        let at = from + i;
        let candidate = b.get(at + 2..at + 2 + name.len());
        if candidate.is_some_and(|c| c.eq_ignore_ascii_case(name.as_bytes())) {
            return Some(
                s.get(at..)
                    .and_then(|r| r.find('>'))
                    .map_or(s.len(), |j| at + j + 1),
            );
        }
        from = at + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// What the fast path passes through, the converter gives back unchanged.
        #[test]
        fn plain_text_converts_to_itself(text in "\\PC{0,40}") {
            if is_plain(&text) {
                prop_assert_eq!(convert(&text), text);
            }
        }

        /// The same over words of the characters that matter.
        #[test]
        fn plain_words_convert_to_themselves(text in "[a-z0-9 #>+=|.)_*&<\\-]{0,24}") {
            if is_plain(&text) {
                prop_assert_eq!(convert(&text), text);
            }
        }
    }

    #[test]
    fn what_is_not_plain_still_converts() {
        for text in [
            "1. one", "# head", "a  b", " a", "a_b", "a&amp;b", "<b>x</b>", "x\ny",
        ] {
            assert!(!is_plain(text), "{text}");
        }
        assert!(is_plain("Pengembang backend 12"));
        assert!(is_plain(""));
        assert_eq!(html_to_markdown("a&amp;b"), "a&b");
    }
}
