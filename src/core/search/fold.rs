//! Case and accent folding, applied the same way to patterns (once, at
//! compile time) and to card text (once per card, into a reused buffer), so
//! that matching itself is a plain comparison.
//!
//! Anki compares in two different ways, and so do we:
//! * bare words and `field:value` go through `SQLite` `LIKE`, which ignores
//!   case for ASCII letters only (Anki's manual: "case insensitive for Latin
//!   characters … Cyrillic are case sensitive") — [`Fold::Ascii`];
//! * deck, tag, note type, template and field names go through a
//!   case-insensitive Rust regex or Unicode collation — [`Fold::Unicode`].
//!
//! `nc:` first removes combining marks the way Anki's `without_combining`
//! does (NFKD, drop marks, and a short list of letters without a
//! decomposition such as `ß`→`s`, `ø`→`o`), then folds case.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// How text is normalised before comparing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Fold {
    /// Lowercase ASCII letters only.
    Ascii,
    /// Lowercase every letter (simple case folding).
    Unicode,
    /// Remove combining marks, then lowercase ASCII letters.
    NcAscii,
    /// Remove combining marks, then lowercase every letter.
    NcUnicode,
}

impl Fold {
    /// All folds, in [`Fold::index`] order.
    pub(crate) const COUNT: usize = 4;

    pub(crate) fn index(self) -> usize {
        match self {
            Fold::Ascii => 0,
            Fold::Unicode => 1,
            Fold::NcAscii => 2,
            Fold::NcUnicode => 3,
        }
    }

    /// The same fold with combining marks removed first.
    pub(crate) fn without_combining(self) -> Fold {
        match self {
            Fold::Ascii | Fold::NcAscii => Fold::NcAscii,
            Fold::Unicode | Fold::NcUnicode => Fold::NcUnicode,
        }
    }

    fn case(self, c: char) -> char {
        match self {
            Fold::Ascii | Fold::NcAscii => c.to_ascii_lowercase(),
            Fold::Unicode | Fold::NcUnicode => simple_fold(c),
        }
    }
}

/// Appends `src`, folded, to `out`.
pub(crate) fn fold_into(src: &str, fold: Fold, out: &mut String) {
    // ASCII runs have nothing to decompose and only ASCII case: copy them in
    // bulk and lowercase in place; only other chars go one by one. Notes in
    // English or Indonesian are mostly such runs.
    if fold == Fold::Ascii || src.is_ascii() {
        push_ascii_lowercase(src, out);
        return;
    }
    let mut rest = src;
    loop {
        let run = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let (ascii, tail) = rest.split_at(run);
        push_ascii_lowercase(ascii, out);
        let mut chars = tail.chars();
        match chars.next() {
            Some(c) => fold_char_into(c, fold, out),
            None => return,
        }
        rest = chars.as_str();
    }
}

fn push_ascii_lowercase(src: &str, out: &mut String) {
    let start = out.len();
    out.push_str(src);
    out[start..].make_ascii_lowercase();
}

/// Appends one char, folded, to `out` (possibly several chars for `nc:`).
pub(crate) fn fold_char_into(c: char, fold: Fold, out: &mut String) {
    match fold {
        Fold::Ascii | Fold::Unicode => out.push(fold.case(c)),
        Fold::NcAscii | Fold::NcUnicode => {
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
                return;
            }
            // Decomposing char by char equals decomposing the string here:
            // canonical reordering only moves combining marks, which we drop.
            decompose_compatible(c, |d| {
                if is_combining_mark(d) {
                    return;
                }
                match no_combining_replacement(d) {
                    Some(rep) => out.extend(rep.chars().map(|r| fold.case(r))),
                    None => out.push(fold.case(d)),
                }
            });
        }
    }
}

/// Letters that `nc:` treats as their base letter although Unicode gives
/// them no decomposition (the list Anki's `without_combining` uses).
fn no_combining_replacement(c: char) -> Option<&'static str> {
    Some(match c {
        '€' | 'Ə' => "E",
        'Æ' => "AE",
        'Ð' | 'Đ' => "D",
        'Ø' => "O",
        'Þ' => "TH",
        'ß' => "s",
        'æ' => "ae",
        'ð' | 'đ' => "d",
        'ø' => "o",
        'þ' => "th",
        'Ħ' => "H",
        'ħ' => "h",
        'ı' => "i",
        'ĸ' => "k",
        'Ł' => "L",
        'ł' => "l",
        'Ŋ' => "N",
        'ŋ' => "n",
        'Œ' => "OE",
        'œ' => "oe",
        'Ŧ' => "T",
        'ŧ' => "t",
        'ǝ' => "e",
        'ɑ' => "a",
        _ => return None,
    })
}

/// One char to one char, so `_` still means "one character" after folding.
/// Lowercasing plus the few letters whose simple case folding differs from
/// their lowercase (what a case-insensitive regex treats as equal).
fn simple_fold(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    match c {
        'ſ' => 's',
        'ς' => 'σ',
        'ϐ' => 'β',
        'ϑ' => 'θ',
        'ϕ' => 'φ',
        'ϖ' => 'π',
        'ϰ' => 'κ',
        'ϱ' => 'ρ',
        'ϵ' => 'ε',
        'ẛ' => 'ṡ',
        '\u{1FBE}' => 'ι',
        'µ' => 'μ',
        _ => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => l,
                // Multi-char lowercase (e.g. 'İ'): keep it, as simple folding does.
                _ => c,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(s: &str, f: Fold) -> String {
        let mut out = String::new();
        fold_into(s, f, &mut out);
        out
    }

    #[test]
    fn ascii_fold_leaves_other_scripts_alone() {
        assert_eq!(fold("DoG Ärger ПРИВЕТ", Fold::Ascii), "dog Ärger ПРИВЕТ");
        assert_eq!(fold("DoG Ärger ПРИВЕТ", Fold::Unicode), "dog ärger привет");
    }

    #[test]
    fn nc_strips_marks_and_replaces() {
        assert_eq!(fold("Über heißen ﬁ", Fold::NcAscii), "uber heisen fi");
        assert_eq!(fold("ば", Fold::NcUnicode), "は");
        assert_eq!(fold("ΣΟΦΊΑ", Fold::NcUnicode), "σοφια");
    }

    #[test]
    fn one_char_in_one_char_out() {
        assert_eq!(fold("İſς", Fold::Unicode), "İsσ");
    }
}
