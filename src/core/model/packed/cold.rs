//! Card text left in its deck file until it is asked for.
//!
//! A deck read from its file keeps its notes' ids, tags and cards in memory (progress, queues
//! and counts need them) but not their text: for each block of [`BLOCK_NOTES`] notes it keeps
//! where the block lies in the file, and reads the block back the first time one of its
//! notes is shown, searched or written out. At 100,000 notes that is 11 MB the window does
//! not hold while it shows the deck list (measured in ARCHITECTURE.md).
//!
//! Reading back goes through a [`BlockSource`] the storage layer gives (the model does not
//! know files). What comes back is checked against the ids the deck holds, so a file changed
//! under Kartu gives an error, never another note's text.

use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

use super::Span;
use crate::core::error::{Error, Result};

/// Notes per block: a block is read back in about 0.2 ms, well inside a frame.
pub(crate) const BLOCK_NOTES: usize = 128;

/// Where a block of notes lies in its source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockPlace {
    /// Byte offset of its first note.
    pub offset: u64,
    /// Its length in bytes.
    pub len: u32,
    /// How many notes it holds.
    pub notes: u32,
}

/// Reads blocks of notes back from where a deck was read (its file, kept open).
pub trait BlockSource: Send + Sync + fmt::Debug {
    /// The notes of the block at `place`, in order, pushed into `into`.
    ///
    /// # Errors
    /// When the source can no longer be read, or no longer holds notes there.
    fn load(&self, place: BlockPlace, into: &mut BlockText) -> Result<()>;

    /// The file it reads, for messages.
    fn path(&self) -> &Path;
}

/// The text of one block of notes, read back.
#[derive(Debug, Default)]
pub struct BlockText {
    text: String,
    /// Per note: first (front or cloze text), second (back or extra), notes, example.
    fields: Vec<[Span; 4]>,
    /// Per note, its id in `ids` (checked against the deck's, then dropped).
    id_spans: Vec<Span>,
    ids: String,
}

impl BlockText {
    fn push(&mut self, text: Option<&str>) -> Span {
        text.map_or(Span::NONE, |text| {
            let start = self.text.len();
            self.text.push_str(text);
            Span::of(start, text.len())
        })
    }

    /// The next note of the block: its id and fields (`first` is the front or cloze text,
    /// `second` the back or extra).
    pub fn push_note(
        &mut self,
        id: &str,
        first: &str,
        second: &str,
        notes: Option<&str>,
        example: Option<&str>,
    ) {
        let start = self.ids.len();
        self.ids.push_str(id);
        self.id_spans.push(Span::of(start, id.len()));
        let fields = [
            self.push(Some(first)),
            self.push(Some(second)),
            self.push(notes),
            self.push(example),
        ];
        self.fields.push(fields);
    }

    /// The ids read, in order.
    fn ids(&self) -> impl Iterator<Item = &str> {
        self.id_spans
            .iter()
            .map(|span| span.get(&self.ids).unwrap_or_default())
    }

    /// Note `index`'s four fields.
    pub(super) fn fields(&self, index: usize) -> Option<[Option<&str>; 4]> {
        let spans = self.fields.get(index)?;
        Some(spans.map(|span| span.get(&self.text)))
    }
}

struct ColdBlock {
    place: BlockPlace,
    text: OnceLock<BlockText>,
}

/// The cold text of one deck: its blocks, each read back at most once.
pub(crate) struct ColdText {
    source: Box<dyn BlockSource>,
    blocks: Vec<ColdBlock>,
}

impl fmt::Debug for ColdText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ColdText")
            .field("source", &self.source)
            .field("blocks", &self.blocks.len())
            .field("loaded", &self.loaded_blocks())
            .finish()
    }
}

impl ColdText {
    pub(crate) fn new(source: Box<dyn BlockSource>, places: Vec<BlockPlace>) -> Self {
        Self {
            source,
            blocks: places
                .into_iter()
                .map(|place| ColdBlock {
                    place,
                    text: OnceLock::new(),
                })
                .collect(),
        }
    }

    /// How many blocks have been read back.
    pub(crate) fn loaded_blocks(&self) -> usize {
        self.blocks
            .iter()
            .filter(|block| block.text.get().is_some())
            .count()
    }

    /// How many blocks there are.
    pub(crate) fn block_count(&self) -> usize {
        self.blocks.len()
    }

    /// Block `index`'s text, read back if it was not yet; `expected_id(k)` is the id the deck
    /// holds for the block's `k`th note.
    pub(crate) fn block<'a>(
        &self,
        index: usize,
        expected_id: impl Fn(usize) -> Option<&'a str>,
    ) -> Result<&BlockText> {
        let block = self.blocks.get(index).ok_or_else(|| self.changed())?;
        if let Some(text) = block.text.get() {
            return Ok(text);
        }
        let mut text = BlockText::default();
        self.source.load(block.place, &mut text)?;
        let same = text.fields.len() == block.place.notes as usize
            && text
                .ids()
                .enumerate()
                .all(|(k, id)| expected_id(k) == Some(id));
        if !same {
            return Err(self.changed());
        }
        text.ids = String::new();
        text.id_spans = Vec::new();
        text.text.shrink_to_fit();
        text.fields.shrink_to_fit();
        // Two threads may read the same block at once; both read the same text.
        Ok(block.text.get_or_init(|| text))
    }

    fn changed(&self) -> Error {
        text_changed(self.source.path())
    }
}

/// The error for text that cannot be read back because its file changed.
pub(crate) fn text_changed(path: &Path) -> Error {
    Error::Parse {
        path: path.to_path_buf(),
        position: None,
        message: "the file changed while Kartu had it open, so its card text cannot be read \
                  back; restart Kartu to read it again"
            .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source that hands back the notes it was made with, whatever it is asked.
    #[derive(Debug)]
    struct Fixed(Vec<&'static str>);

    impl BlockSource for Fixed {
        fn load(&self, _place: BlockPlace, into: &mut BlockText) -> Result<()> {
            for id in &self.0 {
                into.push_note(id, "front", "back", None, Some("example"));
            }
            Ok(())
        }

        fn path(&self) -> &Path {
            Path::new("fixed.ron")
        }
    }

    fn cold(ids: Vec<&'static str>) -> ColdText {
        let place = BlockPlace {
            offset: 0,
            len: 10,
            notes: 2,
        };
        ColdText::new(Box::new(Fixed(ids)), vec![place])
    }

    /// A block read back is kept once its notes are the ones the deck holds; other notes
    /// (another id, one too few) are an error, and nothing is kept.
    #[test]
    fn a_block_is_kept_only_when_its_ids_are_the_decks() {
        let expected = |k: usize| ["a", "b"].get(k).copied();
        let text = cold(vec!["a", "b"]);
        let block = text.block(0, expected).unwrap();
        assert_eq!(
            block.fields(1),
            Some([Some("front"), Some("back"), None, Some("example")])
        );
        assert_eq!(text.loaded_blocks(), 1);
        for wrong in [vec!["a", "c"], vec!["a"]] {
            let text = cold(wrong);
            let err = text.block(0, expected).unwrap_err().to_string();
            assert!(err.contains("changed while Kartu had it open"), "{err}");
            assert_eq!(text.loaded_blocks(), 0);
        }
    }
}
