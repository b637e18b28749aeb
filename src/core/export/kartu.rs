//! A Kartu package (`.kartu`, see [`crate::core::storage::format::package`]): the deck file,
//! the deck's images and, if asked, the learner's progress on its cards with their reviews.

use std::io::Write as _;
use std::path::Path;

use zip::write::SimpleFileOptions;

use super::ExportJob;
use super::Exported;
use crate::core::error::{Error, Result};
use crate::core::model::media::is_plain_name;
use crate::core::model::packed::PackedDeck;
use crate::core::model::progress::Progress;
use crate::core::storage::atomic::{self, AtomicWriter};
use crate::core::storage::format::package::{DECK_ENTRY, MEDIA_PREFIX, PROGRESS_ENTRY};

pub(super) fn write(
    source: &ExportJob,
    deck: &PackedDeck,
    path: &Path,
    exported: &mut Exported,
) -> Result<()> {
    let failed = |err: zip::result::ZipError| Error::Invalid(format!("{}: {err}", path.display()));
    let io_failed = |err: std::io::Error| Error::io(path, err);
    let deck = deck.to_deck()?;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o644);
    // Images are compressed already.
    let stored = deflated.compression_method(zip::CompressionMethod::Stored);
    zip.start_file(DECK_ENTRY, deflated).map_err(failed)?;
    zip.write_all(deck.to_ron()?.as_bytes())
        .map_err(io_failed)?;
    if let Some(dir) = &source.media
        && dir.is_dir()
    {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map_err(|err| Error::io(dir, err))?
            .filter_map(std::result::Result::ok)
            .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|entry| entry.file_name().into_string().ok())
            .filter(|name| is_plain_name(name))
            .collect();
        names.sort();
        for name in names {
            let file = dir.join(&name);
            let bytes = atomic::read_bytes_limited(
                &file,
                crate::core::model::media::MAX_IMAGE_BYTES as u64,
            )?;
            zip.start_file(format!("{MEDIA_PREFIX}{name}"), stored)
                .map_err(failed)?;
            zip.write_all(&bytes).map_err(io_failed)?;
            exported.media += 1;
        }
    }
    if let Some(cards) = &source.progress {
        let cards = cards.clone();
        let mut reviews = Vec::new();
        crate::core::collection::for_each_review_in(&source.paths, &mut |review| {
            if review.deck == deck.id {
                reviews.push(review.clone());
            }
            Ok(())
        })?;
        exported.card_states = cards.len();
        exported.reviews = reviews.len();
        let mut progress = Progress {
            reviews,
            ..Progress::default()
        };
        if !cards.is_empty() {
            progress.cards.insert(deck.id.clone(), cards);
        }
        zip.start_file(PROGRESS_ENTRY, deflated).map_err(failed)?;
        zip.write_all(progress.to_ron()?.as_bytes())
            .map_err(io_failed)?;
    }
    let bytes = zip.finish().map_err(failed)?.into_inner();
    let mut file = AtomicWriter::create(path)?;
    file.write(&bytes)?;
    file.finish()
}
