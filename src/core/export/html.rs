//! Card Markdown as the HTML Anki's fields hold.

use pulldown_cmark::{Options, Parser, html};

/// `markdown` as HTML for an Anki field: CommonMark with tables and strikethrough, a lone
/// paragraph without its `<p>` (as Anki's editor writes a field), and no line breaks between
/// blocks, so a row stays on one line.
#[must_use]
pub fn markdown_to_html(markdown: &str) -> String {
    if markdown.is_empty() {
        return String::new();
    }
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 2);
    html::push_html(&mut out, parser);
    let trimmed = out.trim_end();
    let inner = trimmed
        .strip_prefix("<p>")
        .and_then(|rest| rest.strip_suffix("</p>"))
        .filter(|inner| !inner.contains("<p>"));
    let html = inner.unwrap_or(trimmed);
    // Newlines only separate blocks, except inside code blocks, where they are the text.
    let mut joined = String::with_capacity(html.len());
    let mut in_pre = false;
    for (i, line) in html.split('\n').enumerate() {
        if i > 0 {
            joined.push_str(if in_pre { "<br>" } else { "" });
        }
        joined.push_str(line);
        if line.contains("<pre") {
            in_pre = true;
        }
        if line.contains("</pre>") {
            in_pre = false;
        }
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_field_html() {
        assert_eq!(
            markdown_to_html("**Rust** *own*"),
            "<strong>Rust</strong> <em>own</em>"
        );
        assert_eq!(markdown_to_html(""), "");
        assert_eq!(
            markdown_to_html("a\n\nb"),
            "<p>a</p><p>b</p>",
            "two paragraphs keep theirs"
        );
        assert_eq!(
            markdown_to_html("- x\n- y"),
            "<ul><li>x</li><li>y</li></ul>"
        );
        assert_eq!(
            markdown_to_html("```\nlet a;\nlet b;\n```"),
            "<pre><code>let a;<br>let b;<br></code></pre>"
        );
        assert_eq!(
            markdown_to_html("{{c1::Jakarta::city}} <x>"),
            "{{c1::Jakarta::city}} <x>"
        );
        assert_eq!(
            markdown_to_html("![a dot](dot.png)"),
            "<img src=\"dot.png\" alt=\"a dot\" />"
        );
        assert_eq!(markdown_to_html("1 < 2 & 3"), "1 &lt; 2 &amp; 3");
    }
}
