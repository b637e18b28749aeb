//! Card text as the browser sorts and shows it.

/// Card text as a line of plain text, for the browser's sort field (as Anki's sort field is
/// its field with the HTML stripped): cloze deletions as their answers, images as their alt
/// text, Markdown's emphasis and code marks and line breaks dropped.
#[must_use]
pub fn plain_text(text: &str) -> String {
    // Most sort fields are one line of plain words: nothing to drop, rewrite or fold, and
    // the general steps below would copy them four times.
    if is_plain_line(text) {
        return text.trim_end_matches(' ').to_owned();
    }
    let text = if text.contains("{{c") {
        crate::core::model::cloze::plain(text)
    } else {
        text.to_owned()
    };
    let text = crate::core::model::media::rewrite_images(&text, &|_| None);
    let mut out = String::with_capacity(text.len());
    let mut last_space = true;
    for c in text.chars() {
        match c {
            '*' | '`' | '\\' | '#' => {}
            c if c.is_whitespace() => {
                if !last_space {
                    out.push(' ');
                }
                last_space = true;
            }
            c => {
                out.push(c);
                last_space = false;
            }
        }
    }
    out.trim_end().replace("[image: ", "[")
}

/// Whether [`plain_text`] leaves `text` as it is (but for a trailing space): printable ASCII
/// without the marks it drops (`*`, `` ` ``, `\`, `#`), no image or cloze to rewrite (`!`,
/// `[`, `{`), and single spaces between words.
fn is_plain_line(text: &str) -> bool {
    !text.starts_with(' ')
        && !text.contains("  ")
        && text.bytes().all(|b| {
            (b' '..=b'~').contains(&b)
                && !matches!(b, b'*' | b'`' | b'\\' | b'#' | b'!' | b'[' | b'{')
        })
}

/// Anki's `_` and `*` fold for sorting: lower-cased for every letter.
pub(super) fn sort_key(text: &str) -> String {
    // The same for ASCII, without the general case mapping.
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sort_field_reads_as_plain_text() {
        assert_eq!(plain_text("**Rust** `own`\n\nership"), "Rust own ership");
        assert_eq!(
            plain_text("{{c1::Jakarta::city}} is in {{c2::Java}} ![a dot](dot.png)"),
            "Jakarta is in Java [a dot]"
        );
        assert!(sort_key("Apa") < sort_key("bab"));
    }

    /// The shortcut for plain lines gives what the general steps give, for any text.
    #[test]
    fn plain_lines_take_a_shortcut_to_the_same_text() {
        let general = |text: &str| {
            let mut with_mark = String::from("*");
            with_mark.push_str(text);
            // A leading `*` is dropped by the general steps, and makes the shortcut refuse.
            plain_text(&with_mark)
        };
        for text in [
            "What is a backend developer?",
            "ends with a space ",
            " starts with one",
            "two  spaces",
            "tab\there",
            "non-ASCII café",
            "a [link] and ![img](x.png)",
            "{{c1::cloze}}",
            "",
        ] {
            assert_eq!(plain_text(text), general(text), "{text:?}");
        }
        assert!(is_plain_line("What is a backend developer?"));
        assert!(!is_plain_line("two  spaces"));
    }

    proptest::proptest! {
        /// The same for any line of printable ASCII.
        #[test]
        fn any_plain_line_reads_the_same_either_way(text in "[ -~]{0,40}") {
            let mut with_mark = String::from("*");
            with_mark.push_str(&text);
            proptest::prop_assert_eq!(plain_text(&text), plain_text(&with_mark));
        }
    }
}
