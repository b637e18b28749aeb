//! Images in card text: Markdown `![alt](name.png)`, where `name.png` is a file of the
//! deck's own media folder. Nothing is ever fetched from a URL, and an image is checked for
//! its size in bytes and pixels before anything decodes it.

use std::fmt::Write as _;
use std::io::Cursor;

/// Images larger than this (bytes) are not shown or imported.
pub const MAX_IMAGE_BYTES: usize = 8 * 1024 * 1024;

/// Images wider or taller than this (pixels) are not shown or imported.
pub const MAX_IMAGE_SIDE: u32 = 4096;

/// An image reference in Markdown text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef<'a> {
    /// The alt text.
    pub alt: &'a str,
    /// The target as written.
    pub target: &'a str,
    /// Where the whole `![alt](target)` is in the text.
    pub range: std::ops::Range<usize>,
}

/// Whether `name` is a plain file name: no path, no URL, nothing hidden.
#[must_use]
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && !name.starts_with('.')
        && !name.contains(['/', '\\', ':', '\0'])
        && !name.chars().any(char::is_control)
}

/// The `![alt](target)` images in `text`, in order (an optional `"title"` after the target is
/// left out of it).
#[must_use]
pub fn image_refs(text: &str) -> Vec<ImageRef<'_>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = text[from..].find("![").map(|at| from + at) {
        from = start + 2;
        let Some(alt_end) = text[start + 2..].find("](").map(|at| start + 2 + at) else {
            break;
        };
        let alt = &text[start + 2..alt_end];
        if alt.contains('\n') || alt.contains('[') {
            continue;
        }
        let Some(target_end) = text[alt_end + 2..].find(')').map(|at| alt_end + 2 + at) else {
            break;
        };
        let inside = text[alt_end + 2..target_end].trim();
        if inside.contains('\n') {
            continue;
        }
        let target = inside.split_once(' ').map_or(inside, |(target, _)| target);
        let target = target.trim_start_matches('<').trim_end_matches('>');
        found.push(ImageRef {
            alt,
            target,
            range: start..target_end + 1,
        });
        from = target_end + 1;
    }
    found
}

/// Rewrites every image of `text`: `resolve` gives the new target for a plain file name (for
/// example a `file://` URI of a checked file), or `None`, and then the image is shown as its
/// alt text (`[image: alt]`). Targets that are not plain names (URLs, paths) are never
/// resolved.
pub fn rewrite_images(text: &str, resolve: &dyn Fn(&str) -> Option<String>) -> String {
    let refs = image_refs(text);
    if refs.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for image in refs {
        out.push_str(&text[at..image.range.start]);
        let resolved = is_plain_name(image.target)
            .then(|| resolve(image.target))
            .flatten();
        // Writing to a String cannot fail.
        if let Some(target) = resolved {
            write!(out, "![{}]({target})", image.alt).ok();
        } else {
            let label = if image.alt.trim().is_empty() {
                image.target
            } else {
                image.alt
            };
            write!(out, "*[image: {label}]*").ok();
        }
        at = image.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Checks an image's size before anything decodes it: its bytes against
/// [`MAX_IMAGE_BYTES`], and its width and height, read from its header only, against
/// [`MAX_IMAGE_SIDE`]. `Ok((width, height))`, or what is wrong, for a person.
pub fn check_image(bytes: &[u8]) -> Result<(u32, u32), String> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(format!(
            "{} bytes, over the limit of {MAX_IMAGE_BYTES}",
            bytes.len()
        ));
    }
    let reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|err| format!("not an image: {err}"))?;
    if reader.format().is_none() {
        return Err("not an image Kartu shows (PNG, JPEG, GIF or WebP)".to_owned());
    }
    let (width, height) = reader
        .into_dimensions()
        .map_err(|err| format!("not a readable image: {err}"))?;
    if width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE {
        return Err(format!(
            "{width}×{height} pixels, over the limit of {MAX_IMAGE_SIDE}×{MAX_IMAGE_SIDE}"
        ));
    }
    Ok((width, height))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    /// The start of a PNG of `side` × `side` pixels, up to its (empty) first data chunk: all a
    /// size check reads.
    pub(crate) fn png(side: u32) -> Vec<u8> {
        let mut bytes = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(b"IHDR");
        ihdr.extend_from_slice(&side.to_be_bytes());
        ihdr.extend_from_slice(&side.to_be_bytes());
        ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
        bytes.extend_from_slice(&13u32.to_be_bytes());
        bytes.extend_from_slice(&ihdr);
        bytes.extend_from_slice(&crc32(&ihdr).to_be_bytes());
        // A decoder reads up to the first data chunk; an empty one ends the header.
        bytes.extend_from_slice(&0u32.to_be_bytes());
        bytes.extend_from_slice(b"IDAT");
        bytes.extend_from_slice(&crc32(b"IDAT").to_be_bytes());
        bytes
    }

    #[test]
    fn images_are_found_and_only_plain_names_resolved() {
        let text = "See ![a dot](dot.png \"t\") and ![](https://x.org/a.png) and ![up](../x.png).";
        let refs = image_refs(text);
        let targets: Vec<&str> = refs.iter().map(|r| r.target).collect();
        assert_eq!(targets, ["dot.png", "https://x.org/a.png", "../x.png"]);
        let out = rewrite_images(text, &|name| Some(format!("file:///media/{name}")));
        assert_eq!(
            out,
            "See ![a dot](file:///media/dot.png) and *[image: https://x.org/a.png]* and *[image: up]*."
        );
        assert!(!is_plain_name(".hidden") && !is_plain_name("a/b") && is_plain_name("a b.png"));
    }

    #[test]
    fn image_sizes_are_checked_from_the_header() {
        assert_eq!(check_image(&png(1)), Ok((1, 1)));
        let huge = check_image(&png(100_000)).unwrap_err();
        assert!(huge.contains("pixels"), "{huge}");
        assert!(check_image(b"not an image").is_err());
        assert!(
            check_image(&vec![0; MAX_IMAGE_BYTES + 1])
                .unwrap_err()
                .contains("bytes")
        );
    }
}
