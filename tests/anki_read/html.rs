//! `html_to_markdown`: the conversions Kartu relies on, edge cases, and
//! adversarial inputs that must stay linear.

#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "test data is built from small known values"
)]

use crate::common;

use std::time::Duration;

use common::timed;
use kartu::core::import::anki::html_to_markdown as md;

#[test]
fn plain_text_stays_as_is() {
    for s in [
        "Pengembang backend",
        "Apa kabar?",
        "Terima kasih",
        "{{c1::Jakarta}} is the capital",
        "snake_case",
        "x = 5",
        "",
    ] {
        assert_eq!(md(s), s);
    }
}

#[test]
fn inline_formatting() {
    assert_eq!(md("<b>Rust</b> ownership"), "**Rust** ownership");
    assert_eq!(
        md("<strong>a</strong> <em>b</em> <i>c</i>"),
        "**a** *b* *c*"
    );
    assert_eq!(md("<B>upper</B>"), "**upper**");
    // Spaces move outside the markers, or the markers would not parse.
    assert_eq!(md("<b>bold </b>text"), "**bold** text");
    assert_eq!(md("a<b> b</b>"), "a **b**");
    // Empty spans vanish; nested duplicates and neighbours merge.
    assert_eq!(md("<b></b>x<i> </i>"), "x");
    assert_eq!(md("<b><b>x</b></b>"), "**x**");
    assert_eq!(md("<i>x</i><i>y</i>"), "*xy*");
    assert_eq!(md("<b><i>x</i></b>"), "***x***");
    // Unclosed at the end: closed.
    assert_eq!(md("<b>unclosed"), "**unclosed**");
    // Emphasis cannot cross a paragraph: it is split.
    assert_eq!(md("<b>a<p>b</p>c</b>"), "**a**\n\n**b**\n\n**c**");
    assert_eq!(
        md("<u>under</u> <span style=\"x\">span</span> <a href=\"u\">link</a>"),
        "under span link"
    );
}

#[test]
fn code_and_pre() {
    assert_eq!(
        md("use <code>Vec&lt;T&gt;</code> here"),
        "use `Vec<T>` here"
    );
    assert_eq!(md("<code>a`b</code>"), "``a`b``");
    assert_eq!(md("<code>`x</code>"), "`` `x ``");
    assert_eq!(md("<code><b>no</b> *markup*</code>"), "`no *markup*`");
    assert_eq!(md("<code></code>x"), "x");
    assert_eq!(
        md("<pre>fn main() {\n    x &lt; 1;\n}\n</pre>after"),
        "```\nfn main() {\n    x < 1;\n}\n```\n\nafter"
    );
    assert_eq!(md("<pre>a<br>b ```</pre>"), "````\na\nb ```\n````");
    assert_eq!(md("text<pre>x</pre>"), "text\n\n```\nx\n```");
}

#[test]
fn lines_paragraphs_and_divs() {
    assert_eq!(md("a<br>b"), "a\\\nb");
    assert_eq!(md("a<br/>b<BR />c"), "a\\\nb\\\nc");
    assert_eq!(md("a<br><br>b"), "a\n\nb");
    assert_eq!(md("<div>a</div><div>b</div>"), "a\\\nb");
    // Anki's editor writes an empty line as <div><br></div>.
    assert_eq!(md("a<div><br></div><div>b</div>"), "a\n\nb");
    assert_eq!(md("<p>a</p><p>b</p>"), "a\n\nb");
    // No leading or trailing breaks.
    assert_eq!(md("<br><div>a<br></div><br>"), "a");
    assert_eq!(
        md("Jakarta<br>(Nusantara planned)"),
        "Jakarta\\\n(Nusantara planned)"
    );
    assert_eq!(
        md("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>"),
        "a b\\\nc"
    );
}

#[test]
fn lists() {
    assert_eq!(md("<ul><li>a</li><li>b</li></ul>"), "- a\n- b");
    assert_eq!(
        md("x<ol><li>a</li><li>b</li></ol>y"),
        "x\n\n1. a\n2. b\n\ny"
    );
    assert_eq!(
        md("<ol start=\"9\"><li>a</li><li>b</li></ol>"),
        "9. a\n10. b"
    );
    assert_eq!(
        md("<ul><li>a</li><li>b<ul><li>c</li></ul></li><li>d</li></ul>"),
        "- a\n- b\n  - c\n- d"
    );
    assert_eq!(md("<ul><li>a<br>b</li></ul>"), "- a\\\n  b");
    assert_eq!(md("<ul><li><p>p1</p><p>p2</p></li></ul>"), "- p1\n\n  p2");
    assert_eq!(
        md("<ol><li>a<pre>code</pre></li></ol>"),
        "1. a\n\n   ```\n   code\n   ```"
    );
    assert_eq!(md("<li>stray</li>"), "stray");
    assert_eq!(md("<ul><li># x</li></ul>"), "- \\# x");
}

#[test]
fn images() {
    assert_eq!(md(r#"<img src="peer-dot.png">"#), "![](peer-dot.png)");
    assert_eq!(
        md(r#"x <IMG SRC='a.jpg' ALT="A cat"/> y"#),
        "x ![A cat](a.jpg) y"
    );
    assert_eq!(
        md(r#"<img alt="my [alt]" src="my file.png">"#),
        "![my \\[alt\\]](<my file.png>)"
    );
    assert_eq!(md(r#"<img src="a&amp;b.png">"#), "![](a&b.png)");
    assert_eq!(md("<img src=plain.gif>"), "![](plain.gif)");
    // Only plain file names: URLs, paths, data URIs and empty names are dropped.
    for src in [
        "http://x.com/a.png",
        "https://a",
        "data:image/png;base64,AAAA",
        "../a.png",
        "dir/a.png",
        "C:\\a.png",
        "/etc/passwd",
        "",
        "..",
    ] {
        assert_eq!(md(&format!(r#"a<img src="{src}">b"#)), "ab", "{src}");
    }
    assert_eq!(md("<img>"), "");
}

#[test]
fn entities() {
    assert_eq!(md("a &amp; b"), "a & b");
    assert_eq!(md("&lt;b&gt;not a tag&lt;/b&gt;"), "\\<b>not a tag\\</b>");
    assert_eq!(
        md("it&#39;s &quot;q&quot; &#x263A; &hellip;"),
        "it's \"q\" ☺ …"
    );
    assert_eq!(md("&nbsp;&nbsp;x&nbsp;y&nbsp;"), "x y");
    // A decoded `&copy;` would be an entity again in Markdown: escaped.
    assert_eq!(md("a &amp;copy; b"), "a \\&copy; b");
    assert_eq!(md("AT&T &unknown;"), "AT&T \\&unknown;");
}

#[test]
fn markdown_syntax_in_text_is_escaped() {
    assert_eq!(md("2 * 3 * 4"), "2 \\* 3 \\* 4");
    assert_eq!(md("# not heading"), "\\# not heading");
    assert_eq!(md("a # b"), "a # b");
    assert_eq!(md("1. not a list"), "1\\. not a list");
    assert_eq!(md("2) neither"), "2\\) neither");
    assert_eq!(md("- dash"), "\\- dash");
    assert_eq!(
        md("line<br>- dash<br>&gt; quote<br>+ plus<br>= eq"),
        "line\\\n\\- dash\\\n\\> quote\\\n\\+ plus\\\n\\= eq"
    );
    assert_eq!(md("[link](http://x)"), "\\[link\\](http://x)");
    assert_eq!(md("![img](x.png)"), "!\\[img\\](x.png)");
    assert_eq!(
        md("`code` and ~~strike~~"),
        "\\`code\\` and \\~\\~strike\\~\\~"
    );
    assert_eq!(md("C:\\path"), "C:\\\\path");
    assert_eq!(md("_under_ snake_case"), "\\_under\\_ snake_case");
    assert_eq!(md("a < b > c"), "a \\< b > c");
}

#[test]
fn dropped_and_broken_markup() {
    assert_eq!(
        md("x<script>alert('<b>')</script>y<style>p{}</style>z"),
        "xyz"
    );
    assert_eq!(md("x<SCRIPT type=a>1</SCRIPT >y"), "xy");
    assert_eq!(md("x<script>never closed"), "x");
    assert_eq!(md("x<!-- c -->y<!--z"), "xy");
    assert_eq!(md("a<!DOCTYPE html>b<?xml x?>c"), "abc");
    assert_eq!(md("a<b"), "a"); // ends inside a tag: dropped, as browsers do
    assert_eq!(
        md(r#"a<img src="x>y.png">b"#),
        "a![](x>y.png)b".replace('>', "\\>").replacen("\\>", ">", 0)
    );
    assert_eq!(md("a </ b"), "a \\</ b");
    assert_eq!(md("<3 and 1<2"), "\\<3 and 1\\<2");
    assert_eq!(md("</b></i></ul></li></pre></code>x"), "x");
}

#[test]
fn adversarial_inputs_stay_linear() {
    let n = 200_000;
    let cases = [
        "<b>".repeat(n),
        "</b>".repeat(n),
        "<b><i>".repeat(n / 2) + &"</b></i>".repeat(n / 2),
        "<i>a</i>".repeat(n),
        "<ul><li>".repeat(n / 2),
        "<li>x".repeat(n),
        "<a x=\"".repeat(n),
        "<a x='\"".repeat(n),
        "<".repeat(n),
        "<!--".repeat(n),
        "&".repeat(n),
        "&#".repeat(n),
        "&amp;".repeat(n),
        "<pre>".repeat(n),
        "<code>`".repeat(n),
        "<script></scrip".repeat(n / 2),
        "*_[`\\".repeat(n),
        "a<br>".repeat(n),
        "<p><div>".repeat(n),
        "<b>x<p>".repeat(n / 4),
    ];
    for case in &cases {
        let out = timed("html_to_markdown", Duration::from_secs(3), || md(case));
        // Output stays proportional to input.
        assert!(
            out.len() <= case.len() * 4 + 16,
            "{} -> {}",
            case.len(),
            out.len()
        );
    }
}

#[test]
fn deterministic_and_total_on_random_input() {
    // Random mixes of HTML-ish tokens and bytes: no panic, same result twice.
    let tokens = [
        "<b>",
        "</b>",
        "<i>",
        "</i>",
        "<br>",
        "<div>",
        "</div>",
        "<p>",
        "</p>",
        "<ul>",
        "</ul>",
        "<ol start=x>",
        "</ol>",
        "<li>",
        "</li>",
        "<pre>",
        "</pre>",
        "<code>",
        "</code>",
        "<img src=\"a.png\" alt=\"",
        "\">",
        "<script>",
        "</script>",
        "&amp;",
        "&#x",
        ";",
        "&",
        "<",
        ">",
        "\"",
        "'",
        "=",
        " ",
        "\n",
        "x",
        "é",
        "😀",
        "*",
        "_",
        "#",
        "1.",
        "`",
        "\\",
        "<!--",
        "-->",
        "<",
        "/",
        "\u{a0}",
        "\t",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..3_000 {
        let mut s = String::new();
        for _ in 0..(seed % 60) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            s.push_str(tokens[(seed % tokens.len() as u64) as usize]);
        }
        let a = md(&s);
        assert_eq!(a, md(&s));
        assert!(!a.ends_with([' ', '\n']), "{s:?} -> {a:?}");
    }
}
