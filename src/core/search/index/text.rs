//! Card text as the browser sorts and shows it.

/// Card text as a line of plain text, for the browser's sort field (as Anki's sort field is
/// its field with the HTML stripped): cloze deletions as their answers, images as their alt
/// text, Markdown's emphasis and code marks and line breaks dropped.
#[must_use]
pub fn plain_text(text: &str) -> String {
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

/// Anki's `_` and `*` fold for sorting: lower-cased for every letter.
pub(super) fn sort_key(text: &str) -> String {
    text.to_lowercase()
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
}
