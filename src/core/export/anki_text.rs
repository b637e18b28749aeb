//! Anki's "Notes in plain text" (`.txt`): tab-separated, fields as HTML, with the header lines
//! that let Anki put each note in the right note type and deck and update the same notes when
//! the file is imported again (`#guid column:`). Kartu's own text import reads it back.

use std::fmt::Write as _;
use std::path::Path;

use super::Exported;
use super::html::markdown_to_html;
use std::collections::HashMap;

use crate::core::collection::Collection;
use crate::core::error::Result;
use crate::core::ids::DeckId;
use crate::core::model::deck::NoteKind;
use crate::core::model::packed::PackedDeck;
use crate::core::storage::atomic::AtomicWriter;

/// The prefix of a GUID that carries a Kartu note id (one that did not come from Anki).
pub const KARTU_GUID_PREFIX: &str = "kartu:";

/// The Anki note type for a kind (its stock English name).
#[must_use]
pub fn notetype_name(kind: NoteKind) -> &'static str {
    match kind {
        NoteKind::Basic => "Basic",
        NoteKind::Reversed => "Basic (and reversed card)",
        NoteKind::OptionalReversed => "Basic (optional reversed card)",
        NoteKind::Cloze => "Cloze",
    }
}

/// The GUID to give Anki for a note id: the original GUID of a note that came from Anki
/// (`g` and the GUID's bytes in hex), else the id behind [`KARTU_GUID_PREFIX`].
#[must_use]
pub fn guid_of(note_id: &str) -> String {
    if let Some(hex) = note_id.strip_prefix('g')
        && hex.len() % 2 == 0
        && !hex.is_empty()
    {
        let bytes: Option<Vec<u8>> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
            .collect();
        if let Some(guid) = bytes.and_then(|b| String::from_utf8(b).ok())
            && !guid.is_empty()
            && guid.chars().all(|c| !c.is_control())
        {
            return guid;
        }
    }
    format!("{KARTU_GUID_PREFIX}{note_id}")
}

/// A deck's Anki name: the titles from the top of its tree down, joined by `::`.
pub(super) fn anki_deck_name(collection: &Collection, deck: &DeckId) -> String {
    let mut levels = Vec::new();
    let mut at = Some(deck.clone());
    while let Some(id) = at.take() {
        let Ok(installed) = collection.deck(&id) else {
            break;
        };
        // A title with `::` in it would split into levels in Anki.
        levels.push(installed.deck.title.replace("::", ":"));
        at = installed.deck.parent.clone().filter(|_| levels.len() < 64);
    }
    levels.reverse();
    levels.join("::")
}

/// One field as Anki's text format writes it: quoted when it holds a tab, a quote, a line
/// break, or a `#` (so no line looks like a header), quotes doubled.
fn push_field(line: &mut String, field: &str) {
    if field.contains(['\t', '"', '\n', '\r', '#']) {
        line.push('"');
        line.push_str(&field.replace('"', "\"\""));
        line.push('"');
    } else {
        line.push_str(field);
    }
}

pub(super) fn write(
    decks: &[&PackedDeck],
    names: &HashMap<DeckId, String>,
    path: &Path,
    exported: &mut Exported,
) -> Result<()> {
    let optional = decks.iter().any(|deck| {
        deck.notes()
            .any(|note| note.kind() == NoteKind::OptionalReversed)
    });
    let fields = if optional { 3 } else { 2 };
    let mut text = String::with_capacity(4096);
    // Writing to a String cannot fail.
    writeln!(
        text,
        "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:{}",
        4 + fields
    )
    .ok();
    let mut left_out = 0usize;
    for deck in decks {
        let deck_name = names.get(&deck.id).cloned().unwrap_or_default();
        for note in deck.notes() {
            let kind = note.kind();
            let mut values = match kind {
                NoteKind::Cloze => vec![
                    markdown_to_html(note.cloze_text()),
                    markdown_to_html(note.extra()),
                ],
                _ => vec![
                    markdown_to_html(note.front()),
                    markdown_to_html(note.back()),
                ],
            };
            if kind == NoteKind::OptionalReversed && note.add_reverse() {
                values.push("y".to_owned());
            }
            values.resize(fields, String::new());
            if note.notes().is_some() || note.example().is_some() {
                left_out += 1;
            }
            let mut line = String::with_capacity(128);
            push_field(&mut line, &guid_of(note.id()));
            line.push('\t');
            push_field(&mut line, notetype_name(kind));
            line.push('\t');
            push_field(&mut line, &deck_name);
            for value in &values {
                line.push('\t');
                push_field(&mut line, value);
            }
            line.push('\t');
            push_field(&mut line, &note.tags().collect::<Vec<_>>().join(" "));
            text.push_str(&line);
            text.push('\n');
        }
    }
    if left_out > 0 {
        exported.warnings.push(format!(
            "{left_out} notes have notes or an example, which Anki's note types have no field for: left out"
        ));
    }
    let mut file = AtomicWriter::create(path)?;
    file.write(text.as_bytes())?;
    file.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::import::ids::note_id_from_guid;

    #[test]
    fn guids_round_trip_through_note_ids() {
        for guid in ["HK&V^Y=)Q#", "j{$9_DwPq3", "abc"] {
            assert_eq!(guid_of(&note_id_from_guid(guid).0), guid);
        }
        assert_eq!(guid_of("capital"), "kartu:capital");
        assert_eq!(guid_of("g"), "kartu:g");
        assert_eq!(guid_of("gzz"), "kartu:gzz");
    }

    #[test]
    fn fields_are_quoted_when_they_must_be() {
        let mut line = String::new();
        push_field(&mut line, "a\"b#");
        push_field(&mut line, "plain");
        assert_eq!(line, "\"a\"\"b#\"plain");
    }
}
