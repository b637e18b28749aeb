//! Cloze deletions, as Anki writes them: `{{c1::answer}}` or `{{c1::answer::hint}}` in a
//! note's text. A cloze note makes one card per number; on card N the deletions numbered N
//! are hidden (`[...]`, or `[hint]`) and the others read as their answers. Deletions may
//! repeat a number (all are hidden together) and may nest
//! (`{{c1::outer {{c2::inner}} text}}`); text that is not a deletion, stray braces included,
//! is kept as it is.

use std::collections::BTreeSet;

/// One piece of cloze text.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Cloze {
        number: u32,
        content: Vec<Piece<'a>>,
        hint: Option<&'a str>,
    },
}

/// How a deletion is shown on a card.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Question,
    Answer,
}

/// Opening `{{cN::` at the start of `s`: N and the opener's length.
fn opener(s: &str) -> Option<(u32, usize)> {
    let after = s.strip_prefix("{{c")?;
    let digits = after.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return None;
    }
    let number: u32 = after[..digits].parse().ok()?;
    after[digits..]
        .starts_with("::")
        .then_some((number, 3 + digits + 2))
}

/// Parses `text` into pieces. Unclosed deletions are kept as text.
fn parse(text: &str) -> Vec<Piece<'_>> {
    // Open deletions: number, where the opener starts, pieces so far.
    let mut stack: Vec<(u32, usize, Vec<Piece<'_>>)> = Vec::new();
    let mut top: Vec<Piece<'_>> = Vec::new();
    let mut offset = 0;
    let mut text_start = 0;
    while offset < text.len() {
        let rest = &text[offset..];
        let opened = opener(rest);
        let closes = opened.is_none() && rest.starts_with("}}") && !stack.is_empty();
        if opened.is_none() && !closes {
            offset += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let current = match stack.last_mut() {
            Some((_, _, pieces)) => pieces,
            None => &mut top,
        };
        if offset > text_start {
            current.push(Piece::Text(&text[text_start..offset]));
        }
        if let Some((number, len)) = opened {
            stack.push((number, offset, Vec::new()));
            offset += len;
        } else if let Some((number, _, mut content)) = stack.pop() {
            let hint = split_hint(&mut content);
            let parent = match stack.last_mut() {
                Some((_, _, pieces)) => pieces,
                None => &mut top,
            };
            parent.push(Piece::Cloze {
                number,
                content,
                hint,
            });
            offset += 2;
        }
        text_start = offset;
    }
    // Anything left open reads as the text it is, from the outermost opener on.
    if let Some(&(_, start, _)) = stack.first() {
        top.push(Piece::Text(&text[start..]));
        return top;
    }
    if text.len() > text_start {
        top.push(Piece::Text(&text[text_start..]));
    }
    top
}

/// A deletion's hint is what follows the first `::` in its last piece of text (the hint
/// ends the deletion, after any nested ones).
fn split_hint<'a>(content: &mut Vec<Piece<'a>>) -> Option<&'a str> {
    let Some(Piece::Text(text)) = content.last() else {
        return None;
    };
    let text: &'a str = text;
    let at = text.find("::")?;
    content.pop();
    if at > 0 {
        content.push(Piece::Text(&text[..at]));
    }
    Some(&text[at + 2..])
}

fn collect_numbers(pieces: &[Piece<'_>], numbers: &mut BTreeSet<u32>) {
    for piece in pieces {
        if let Piece::Cloze {
            number, content, ..
        } = piece
        {
            numbers.insert(*number);
            collect_numbers(content, numbers);
        }
    }
}

/// The cloze numbers used in `text`, in order (`{{c2::…}} {{c1::…}}` gives 1, 2); one card
/// each. Numbers start at 1; `c0` is not a card, as in Anki.
#[must_use]
pub fn numbers(text: &str) -> Vec<u32> {
    let mut numbers = BTreeSet::new();
    collect_numbers(&parse(text), &mut numbers);
    numbers.into_iter().filter(|&n| n > 0).collect()
}

fn render(pieces: &[Piece<'_>], active: u32, side: Side, out: &mut String) {
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Cloze {
                number,
                content,
                hint,
            } if *number == active => match side {
                Side::Question => {
                    out.push('[');
                    out.push_str(hint.unwrap_or("..."));
                    out.push(']');
                }
                Side::Answer => {
                    let mut inner = String::new();
                    render(content, active, side, &mut inner);
                    // Highlighted: bold, around the words and not their surrounding spaces
                    // (CommonMark emphasis must touch the text).
                    let trimmed = inner.trim();
                    if trimmed.is_empty() {
                        out.push_str(&inner);
                    } else {
                        let lead = &inner[..inner.len() - inner.trim_start().len()];
                        let trail = &inner[inner.trim_end().len()..];
                        out.push_str(lead);
                        out.push_str("**");
                        out.push_str(trimmed);
                        out.push_str("**");
                        out.push_str(trail);
                    }
                }
            },
            Piece::Cloze { content, .. } => render(content, active, side, out),
        }
    }
}

/// Card `number`'s question: its deletions as `[...]` or `[hint]`, the others as their text.
#[must_use]
pub fn question(text: &str, number: u32) -> String {
    let mut out = String::with_capacity(text.len());
    render(&parse(text), number, Side::Question, &mut out);
    out
}

/// Card `number`'s answer: the whole text, its deletions highlighted (Markdown bold).
#[must_use]
pub fn answer(text: &str, number: u32) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    render(&parse(text), number, Side::Answer, &mut out);
    out
}

/// The text with every deletion read as its answer: what the note says (for search and
/// sorting).
#[must_use]
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    render(&parse(text), 0, Side::Question, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_hints_and_repeats() {
        let text = "{{c1::Backend}} runs on the {{c2::server::where?}}; {{c1::it}} stores data.";
        assert_eq!(numbers(text), vec![1, 2]);
        assert_eq!(
            question(text, 1),
            "[...] runs on the server; [...] stores data."
        );
        assert_eq!(
            question(text, 2),
            "Backend runs on the [where?]; it stores data."
        );
        assert_eq!(
            answer(text, 2),
            "Backend runs on the **server**; it stores data."
        );
        assert_eq!(plain(text), "Backend runs on the server; it stores data.");
    }

    #[test]
    fn nested_deletions_and_stray_braces() {
        let text = "{{c1::outer {{c2::inner}} end}} and {x}";
        assert_eq!(numbers(text), vec![1, 2]);
        assert_eq!(question(text, 1), "[...] and {x}");
        assert_eq!(question(text, 2), "outer [...] end and {x}");
        assert_eq!(answer(text, 1), "**outer inner end** and {x}");
        // As in Anki, the first `}}` closes: braces inside code need care.
        let code = "{{c1::fn() { x }}}";
        assert_eq!(question(code, 1), "[...]}");
        assert_eq!(answer(code, 1), "**fn() { x** }");
    }

    #[test]
    fn not_deletions() {
        for text in [
            "no clozes",
            "{{c::x}}",
            "{{c1:x}}",
            "{{c1::open",
            "{{c0::zero}}",
        ] {
            assert!(numbers(text).is_empty(), "{text}");
        }
        assert_eq!(question("{{c1::open", 1), "{{c1::open");
        assert_eq!(plain("{{c1::open"), "{{c1::open");
        // Unicode around and inside.
        assert_eq!(question("Apa {{c3::ibukota}}? é", 3), "Apa [...]? é");
    }

    #[test]
    fn never_panics_on_prefixes() {
        let text = "a {{c1::b {{c2::c::h}} d::e}} {{c10::f}}} {{c2::g::}}";
        for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let part = &text[..end];
            for n in numbers(part) {
                let _ = (question(part, n), answer(part, n));
            }
            let _ = plain(part);
        }
        assert_eq!(numbers(text), vec![1, 2, 10]);
    }
}
