//! HTML character references: the named ones that occur in practice in
//! Anki fields, and all numeric ones.

/// Longest reference we try to recognise, e.g. `&#x10FFFF;` or `&hellip;`.
const MAX_REF_LEN: usize = 12;

/// Named references, sorted by name for binary search.
const NAMED: &[(&str, char)] = &[
    ("AElig", 'Æ'),
    ("Aacute", 'Á'),
    ("Auml", 'Ä'),
    ("Eacute", 'É'),
    ("Ntilde", 'Ñ'),
    ("Ouml", 'Ö'),
    ("Uuml", 'Ü'),
    ("aacute", 'á'),
    ("acirc", 'â'),
    ("aelig", 'æ'),
    ("agrave", 'à'),
    ("alpha", 'α'),
    ("amp", '&'),
    ("apos", '\''),
    ("aring", 'å'),
    ("auml", 'ä'),
    ("beta", 'β'),
    ("bull", '•'),
    ("ccedil", 'ç'),
    ("cent", '¢'),
    ("copy", '©'),
    ("deg", '°'),
    ("delta", 'δ'),
    ("divide", '÷'),
    ("eacute", 'é'),
    ("ecirc", 'ê'),
    ("egrave", 'è'),
    ("euml", 'ë'),
    ("euro", '€'),
    ("gamma", 'γ'),
    ("ge", '≥'),
    ("gt", '>'),
    ("hellip", '…'),
    ("iacute", 'í'),
    ("iexcl", '¡'),
    ("iquest", '¿'),
    ("iuml", 'ï'),
    ("lambda", 'λ'),
    ("laquo", '«'),
    ("larr", '←'),
    ("ldquo", '\u{201c}'),
    ("le", '≤'),
    ("lsquo", '\u{2018}'),
    ("lt", '<'),
    ("mdash", '—'),
    ("micro", 'µ'),
    ("middot", '·'),
    ("mu", 'μ'),
    ("nbsp", '\u{a0}'),
    ("ndash", '–'),
    ("ne", '≠'),
    ("ntilde", 'ñ'),
    ("oacute", 'ó'),
    ("ocirc", 'ô'),
    ("ouml", 'ö'),
    ("para", '¶'),
    ("pi", 'π'),
    ("plusmn", '±'),
    ("pound", '£'),
    ("quot", '"'),
    ("raquo", '»'),
    ("rarr", '→'),
    ("rdquo", '\u{201d}'),
    ("reg", '®'),
    ("rsquo", '\u{2019}'),
    ("sect", '§'),
    ("shy", '\u{ad}'),
    ("sigma", 'σ'),
    ("szlig", 'ß'),
    ("theta", 'θ'),
    ("times", '×'),
    ("trade", '™'),
    ("uacute", 'ú'),
    ("uuml", 'ü'),
    ("yen", '¥'),
    ("zwj", '\u{200d}'),
    ("zwnj", '\u{200c}'),
];

/// If `s` starts with a character reference (`&name;`, `&#123;`,
/// `&#x1F600;`), returns the character and the reference's length.
/// Unknown names are not references (the `&` stays literal).
pub(crate) fn decode_at(s: &str) -> Option<(char, usize)> {
    let body = s.strip_prefix('&')?;
    let head = body.get(..body.len().min(MAX_REF_LEN)).unwrap_or(body);
    let semi = head.find(';')?;
    let name = head.get(..semi)?;
    let len = semi + 2; // '&' + name + ';'
    if let Some(num) = name.strip_prefix('#') {
        let value = match num.strip_prefix(['x', 'X']) {
            Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                u32::from_str_radix(hex, 16).ok()
            }
            None if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) => num.parse().ok(),
            _ => return None,
        };
        // Out of range, NUL and surrogates become U+FFFD, as browsers do.
        let c = value
            .filter(|&v| v != 0)
            .and_then(char::from_u32)
            .unwrap_or('\u{fffd}');
        return Some((c, len));
    }
    NAMED
        .binary_search_by(|(n, _)| (*n).cmp(name))
        .ok()
        .and_then(|i| NAMED.get(i))
        .map(|&(_, c)| (c, len))
}

/// Whether `s` starts with something Markdown would read as a character
/// reference (`&` + `#digits;`, `#xhex;` or `name;`), whether or not we
/// know the name: such an `&` must be escaped in output.
pub(crate) fn looks_like_ref(s: &str) -> bool {
    let Some(body) = s.strip_prefix('&') else {
        return false;
    };
    let head = body.get(..body.len().min(40)).unwrap_or(body);
    let Some(semi) = head.find(';') else {
        return false;
    };
    let name = head.get(..semi).unwrap_or_default();
    let name = name
        .strip_prefix('#')
        .map_or(name, |n| n.strip_prefix(['x', 'X']).unwrap_or(n));
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Decodes all references in `s` (borrowed back when it has none, as most text between
/// tags has not).
pub(crate) fn decode(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or_default());
        let tail = rest.get(amp..).unwrap_or_default();
        if let Some((c, len)) = decode_at(tail) {
            out.push(c);
            rest = tail.get(len..).unwrap_or_default();
        } else {
            out.push('&');
            rest = tail.get(1..).unwrap_or_default();
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted() {
        assert!(NAMED.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn decodes_named_and_numeric() {
        assert_eq!(decode("a&amp;b&lt;&gt;&quot;&#39;&nbsp;"), "a&b<>\"'\u{a0}");
        assert_eq!(decode("&#x1F600;&#65;&#X41;"), "😀AA");
        assert_eq!(
            decode("&#0;&#xD800;&#99999999;"),
            "\u{fffd}\u{fffd}\u{fffd}"
        );
        assert_eq!(
            decode("&unknown; & &amp &#; &#x;"),
            "&unknown; & &amp &#; &#x;"
        );
        assert_eq!(decode("&&&&"), "&&&&");
    }

    #[test]
    fn recognises_reference_shapes() {
        assert!(looks_like_ref("&copy;"));
        assert!(looks_like_ref("&#123;"));
        assert!(looks_like_ref("&madeup;"));
        assert!(!looks_like_ref("& x;"));
        assert!(!looks_like_ref("&T"));
        assert!(!looks_like_ref("&;"));
    }
}
