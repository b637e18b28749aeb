//! Text as CommonMark reads it literally: the characters it would take for syntax,
//! backslash-escaped (the Markdown writer's last step for every word).

use super::entities;

/// Writes `text` with Markdown syntax characters escaped. `line_start`:
/// the text begins a line, where `#`, `>`, `-`, `+`, `=`, `|` and `1.`
/// would start a block.
pub(super) fn escape_into(out: &mut String, text: &str, line_start: bool) {
    let mut prev: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    if line_start {
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && digits <= 9 && matches!(text.as_bytes().get(digits), Some(b'.' | b')')) {
            out.push_str(text.get(..digits).unwrap_or_default());
            out.push('\\');
            for _ in 0..digits {
                chars.next();
            }
            prev = Some('0');
        } else if text.starts_with(['#', '>', '-', '+', '=', '|']) {
            out.push('\\');
        }
    }
    // Most words hold nothing to escape.
    let rest = text
        .get(chars.peek().map_or(text.len(), |&(i, _)| i)..)
        .unwrap_or_default();
    if !rest.contains(['\\', '`', '*', '[', ']', '<', '~', '_', '&']) {
        out.push_str(rest);
        return;
    }
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '~' => true,
            // Intraword `_` is literal in CommonMark; at word edges it is not.
            '_' => {
                !(prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric))
            }
            '&' => entities::looks_like_ref(text.get(i..).unwrap_or_default()),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
        prev = Some(c);
    }
}
