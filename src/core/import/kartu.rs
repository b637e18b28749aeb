//! Kartu's own files: a deck file (`.ron`, its images in `NAME.media/` beside it), and a Kartu package (`.kartu`): a zip holding
//! `deck.ron`, its images under `media/`, and, when exported with progress, `progress.ron`
//! (a whole progress document for the deck's cards).

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::{Incoming, Monitor};
use crate::core::collection::{MediaFile, NewDeck, NewHistory};
use crate::core::error::{Error, Result};
use crate::core::ids::CardId;
use crate::core::model::media::{check_image, is_plain_name};
use crate::core::model::progress::Progress;
use crate::core::storage::format::deck_file::{self, MAX_DECK_FILE_BYTES};
use crate::core::storage::format::package::{
    DECK_ENTRY, MAX_PACKAGE_BYTES, MAX_PACKAGE_ENTRIES, MAX_PROGRESS_BYTES, MEDIA_PREFIX,
    PROGRESS_ENTRY,
};

/// A deck file, with the images its notes show from the folder `NAME.media/` beside it
/// (checked; a missing or oversized one is left out with a warning).
pub(super) fn read_deck_file(path: &Path) -> Result<Incoming> {
    let deck = deck_file::load_deck_file(path)?;
    let folder = path.with_extension("media");
    let mut media = Vec::new();
    let mut warnings = Vec::new();
    if folder.is_dir() {
        let mut seen = std::collections::HashSet::new();
        for note in &deck.notes {
            let texts = [&note.front, &note.back, &note.text, &note.extra]
                .into_iter()
                .map(String::as_str)
                .chain(note.notes.as_deref())
                .chain(note.example.as_deref());
            for text in texts {
                for image in crate::core::model::media::image_refs(text) {
                    let name = image.target;
                    if !is_plain_name(name) || !seen.insert(name.to_owned()) {
                        continue;
                    }
                    let file = folder.join(name);
                    let limit = crate::core::model::media::MAX_IMAGE_BYTES as u64;
                    match crate::core::storage::atomic::read_bytes_limited(&file, limit) {
                        Ok(bytes) => match check_image(&bytes) {
                            Ok(_) => media.push(MediaFile {
                                name: name.to_owned(),
                                bytes,
                            }),
                            Err(problem) => warnings.push(format!("{name}: {problem}; left out")),
                        },
                        Err(err) => warnings.push(format!("{err}; left out")),
                    }
                }
            }
        }
    }
    Ok(Incoming {
        decks: vec![NewDeck { deck, media }],
        warnings,
        ..Incoming::default()
    })
}

fn corrupt(path: &Path, message: impl Into<String>) -> Error {
    Error::Parse {
        path: path.to_path_buf(),
        position: None,
        message: message.into(),
    }
}

/// Reads one entry through a byte limit (never trusting the size the archive declares).
fn read_entry<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    name: &str,
    limit: u64,
    path: &Path,
) -> Result<Option<Vec<u8>>> {
    let mut entry = match archive.by_name(name) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(err) => return Err(corrupt(path, format!("{name}: {err}"))),
    };
    let mut bytes = Vec::new();
    (&mut entry)
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| corrupt(path, format!("{name}: {err}")))?;
    if bytes.len() as u64 > limit {
        return Err(Error::TooLarge {
            path: path.join(name),
            len: bytes.len() as u64,
            limit,
        });
    }
    Ok(Some(bytes))
}

/// A Kartu package: its deck, its images (checked, over-cap ones left out with a warning),
/// and its progress if it carries some.
pub(super) fn read_package(path: &Path, monitor: Monitor<'_>) -> Result<Incoming> {
    let file = File::open(path).map_err(|err| Error::io(path, err))?;
    let len = file.metadata().map_err(|err| Error::io(path, err))?.len();
    if len > MAX_PACKAGE_BYTES {
        return Err(Error::TooLarge {
            path: path.to_path_buf(),
            len,
            limit: MAX_PACKAGE_BYTES,
        });
    }
    let mut archive = zip::ZipArchive::new(file)
        .map_err(|err| corrupt(path, format!("not a Kartu package (a zip file): {err}")))?;
    if archive.len() > MAX_PACKAGE_ENTRIES {
        return Err(corrupt(
            path,
            format!(
                "{} entries; a package holds at most {MAX_PACKAGE_ENTRIES}",
                archive.len()
            ),
        ));
    }
    let deck_bytes = read_entry(&mut archive, DECK_ENTRY, MAX_DECK_FILE_BYTES, path)?
        .ok_or_else(|| corrupt(path, format!("no {DECK_ENTRY} in the package")))?;
    let deck_text = String::from_utf8(deck_bytes)
        .map_err(|_| corrupt(path, format!("{DECK_ENTRY} is not UTF-8 text")))?;
    let deck = deck_file::parse_deck(&deck_text, &path.join(DECK_ENTRY))?;
    // Media: only plain names under `media/`, each read through the image cap.
    let names: Vec<String> = archive
        .file_names()
        .filter_map(std::result::Result::ok)
        .filter_map(|name| name.strip_prefix(MEDIA_PREFIX).map(str::to_owned))
        .filter(|name| is_plain_name(name))
        .collect();
    let mut media = Vec::new();
    let mut warnings = Vec::new();
    let total = names.len() as u64;
    for (done, name) in names.into_iter().enumerate() {
        monitor.check()?;
        (monitor.progress)(done as u64, total);
        let limit = crate::core::model::media::MAX_IMAGE_BYTES as u64;
        let entry = format!("{MEDIA_PREFIX}{name}");
        match read_entry(&mut archive, &entry, limit, path) {
            Ok(Some(bytes)) => match check_image(&bytes) {
                Ok(_) => media.push(MediaFile { name, bytes }),
                Err(problem) => warnings.push(format!("{name}: {problem}; left out")),
            },
            Ok(None) => {}
            Err(Error::TooLarge { .. }) => {
                warnings.push(format!("{name}: over {limit} bytes; left out"));
            }
            Err(err) => return Err(err),
        }
    }
    let history = match read_entry(&mut archive, PROGRESS_ENTRY, MAX_PROGRESS_BYTES, path)? {
        None => None,
        Some(bytes) => {
            let text = String::from_utf8(bytes)
                .map_err(|_| corrupt(path, format!("{PROGRESS_ENTRY} is not UTF-8 text")))?;
            let progress = Progress::parse(&text, &path.join(PROGRESS_ENTRY))?;
            // Only this deck's progress comes in.
            let cards = progress
                .cards
                .get(&deck.id)
                .map(|cards| {
                    cards
                        .iter()
                        .map(|(card, state)| (deck.id.clone(), CardId(card.to_owned()), state))
                        .collect()
                })
                .unwrap_or_default();
            let reviews = progress
                .reviews
                .into_iter()
                .filter(|review| review.deck == deck.id)
                .collect();
            Some(NewHistory { cards, reviews })
        }
    };
    Ok(Incoming {
        decks: vec![NewDeck { deck, media }],
        history,
        warnings,
        ..Incoming::default()
    })
}
