//! The media map (which zip entry holds which file name) and the media files.
//!
//! Legacy packages map entry names to file names in JSON
//! (`{"0":"peer-dot.png"}`); current ones store a zstd-compressed protobuf
//! list whose position gives the entry name, and compress each file with zstd.

use std::collections::HashSet;

use super::archive::{Archive, Deadline, Version, copy_bounded, has_entry, open_entry};
use super::error::{Problem, Res};
use super::limits::Limits;
use super::model::AnkiMedia;
use super::proto::{self, Fields, Value};

/// The media map is far smaller than this even for 100,000 files.
const MAP_LIMIT: u64 = 64 * 1024 * 1024;
/// Longest media file name accepted, in bytes (common file-system limit).
const MAX_NAME_BYTES: usize = 255;

/// One media file as listed in the map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MapEntry {
    /// File name notes use; checked by [`check_name`].
    pub name: String,
    /// Zip entry holding the data: decimal digits only.
    pub entry: String,
    /// Size the map declares (current format); only compared, never trusted.
    pub size: Option<u64>,
}

/// Reads and checks the media map: names are safe and unique, entry names
/// are digits, and every listed entry exists in the zip.
pub(crate) fn read_map(
    archive: &mut Archive,
    version: Version,
    limits: &Limits,
    deadline: &Deadline,
) -> Res<Vec<MapEntry>> {
    if !has_entry(archive, "media") {
        // Older AnkiDroid wrote packages without a media map: no media.
        return Ok(Vec::new());
    }
    let mut buf = Vec::new();
    {
        let mut reader = open_entry(archive, "media", version.zstd())?;
        copy_bounded(
            &mut reader,
            &mut buf,
            MAP_LIMIT,
            Some(deadline),
            "the media map",
        )?;
    }
    let entries = if version.zstd() {
        parse_protobuf_map(&buf, limits.max_media_files)?
    } else {
        parse_json_map(&buf, limits.max_media_files)?
    };
    let mut seen = HashSet::with_capacity(entries.len());
    for e in &entries {
        if !seen.insert(e.name.as_str()) {
            return Err(Problem::corrupt(format!(
                "the media map lists the file name `{}` twice",
                e.name
            )));
        }
        if !has_entry(archive, &e.entry) {
            return Err(Problem::corrupt(format!(
                "the media map lists `{}` in entry `{}`, but the package has no such entry",
                e.name, e.entry
            )));
        }
    }
    Ok(entries)
}

/// Reads the media files of `map`, each through the per-file cap and all
/// through the total cap.
pub(crate) fn read_files(
    archive: &mut Archive,
    map: &[MapEntry],
    version: Version,
    limits: &Limits,
    deadline: &Deadline,
) -> Res<Vec<AnkiMedia>> {
    let mut out = Vec::with_capacity(map.len());
    let mut total: u64 = 0;
    for e in map {
        deadline.check()?;
        let what = format!("the media file `{}` (entry `{}`)", e.name, e.entry);
        let left = limits.max_total_media_bytes.saturating_sub(total);
        let cap = limits.max_media_bytes.min(left);
        let mut data = Vec::new();
        let mut reader = open_entry(archive, &e.entry, version.zstd())?;
        match copy_bounded(&mut reader, &mut data, cap, Some(deadline), &what) {
            // Say which cap was hit: the file's own, or the running total.
            Err(Problem::TooLarge { .. }) if cap < limits.max_media_bytes => {
                return Err(Problem::too_large(
                    "all media files together, decompressed",
                    limits.max_total_media_bytes,
                ));
            }
            other => other?,
        };
        let len = u64::try_from(data.len()).unwrap_or(u64::MAX);
        if let Some(size) = e.size.filter(|&s| s != 0 && s != len) {
            return Err(Problem::corrupt(format!(
                "{what} has {len} bytes, but the media map says {size}"
            )));
        }
        total = total.saturating_add(len);
        out.push(AnkiMedia {
            name: e.name.clone(),
            data,
        });
    }
    Ok(out)
}

/// Legacy map: a JSON object from entry name (digits) to file name.
fn parse_json_map(buf: &[u8], max_files: usize) -> Res<Vec<MapEntry>> {
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(buf)
        .map_err(|e| Problem::corrupt(format!("the media map is not a valid JSON object ({e})")))?;
    if map.len() > max_files {
        return Err(Problem::too_many(
            format!("the media map lists {} files", map.len()),
            max_files,
        ));
    }
    let mut out = Vec::with_capacity(map.len());
    for (key, value) in map {
        let entry = check_entry_name(&key)?;
        let name = value.as_str().ok_or_else(|| {
            Problem::corrupt(format!("the media map entry `{key}` is not a file name"))
        })?;
        check_name(name)?;
        out.push((entry, name.to_owned()));
    }
    // JSON object order is not meaningful; numeric entry order is stable.
    out.sort_by_key(|(n, _)| *n);
    Ok(out
        .into_iter()
        .map(|(entry, name)| MapEntry {
            name,
            entry: entry.to_string(),
            size: None,
        })
        .collect())
}

/// Current map: `MediaEntries { repeated MediaEntry entries = 1; }` with
/// `MediaEntry { string name = 1; uint32 size = 2; bytes sha1 = 3;
/// optional uint32 legacy_zip_filename = 255; }`.
fn parse_protobuf_map(buf: &[u8], max_files: usize) -> Res<Vec<MapEntry>> {
    let bad = |why: &str| Problem::corrupt(format!("the media map is not valid ({why})"));
    let mut out = Vec::new();
    for field in Fields::new(buf) {
        let (number, value) = field.map_err(|_| bad("malformed protobuf"))?;
        let (1, Value::Bytes(msg)) = (number, value) else {
            continue; // unknown fields are skipped, as protobuf intends
        };
        if out.len() >= max_files {
            return Err(Problem::too_many(
                "the media map lists too many files",
                max_files,
            ));
        }
        let index = out.len();
        let mut name = None;
        let mut size = None;
        let mut zip_name = None;
        for inner in Fields::new(msg) {
            match inner.map_err(|_| bad("malformed entry"))? {
                (1, Value::Bytes(b)) => {
                    name = Some(proto::utf8(b).map_err(|_| bad("file name is not UTF-8"))?);
                }
                (2, Value::Varint(v)) => size = Some(v),
                (255, Value::Varint(v)) => zip_name = Some(v),
                _ => {}
            }
        }
        let name = name.ok_or_else(|| bad("an entry has no file name"))?;
        check_name(name)?;
        out.push(MapEntry {
            name: name.to_owned(),
            entry: zip_name.map_or_else(|| index.to_string(), |n| n.to_string()),
            size,
        });
    }
    Ok(out)
}

/// Entry names in the map must be plain decimal numbers, so they can never
/// name anything but a numbered media entry (no `../`, no `meta`).
fn check_entry_name(key: &str) -> Res<u64> {
    if key.is_empty() || key.len() > 10 || !key.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Problem::corrupt(format!(
            "the media map refers to the zip entry `{}`, which is not a media number",
            key.escape_debug()
        )));
    }
    key.parse()
        .map_err(|_| Problem::corrupt(format!("bad media entry number `{key}`")))
}

/// A media name must be a plain file name: Kartu will store the file under
/// it, so anything that could act as a path is refused.
pub(crate) fn check_name(name: &str) -> Res<()> {
    let bad = |why: &str| {
        Problem::corrupt(format!(
            "the media map has an unsafe file name `{}` ({why})",
            name.escape_debug()
        ))
    };
    if name.is_empty() {
        return Err(bad("empty"));
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(bad("too long"));
    }
    if name == "." || name == ".." {
        return Err(bad("a directory reference"));
    }
    if name.contains(['/', '\\']) {
        return Err(bad("contains a path separator"));
    }
    if name.chars().any(char::is_control) {
        return Err(bad("contains a control character"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_map_is_sorted_and_checked() {
        let m = parse_json_map(br#"{"10":"b.png","2":"a.png"}"#, 10).unwrap_or_default();
        let names: Vec<_> = m
            .iter()
            .map(|e| (e.entry.as_str(), e.name.as_str()))
            .collect();
        assert_eq!(names, [("2", "a.png"), ("10", "b.png")]);
        for bad in [
            &br#"{"../0":"a.png"}"#[..],
            br#"{"0":"../a.png"}"#,
            br#"{"0":"a/b.png"}"#,
            br#"{"0":".."}"#,
            br#"{"0":""}"#,
            br#"{"0":5}"#,
            br#"{"meta":"a"}"#,
            b"[1,2]",
            b"\xff",
        ] {
            assert!(parse_json_map(bad, 10).is_err(), "{bad:?}");
        }
        assert!(matches!(
            parse_json_map(br#"{"0":"a","1":"b"}"#, 1),
            Err(Problem::TooMany { .. })
        ));
    }

    #[test]
    fn protobuf_map_uses_positions_and_legacy_names() {
        // entries: {name "a.png", size 3}, {name "b", legacy_zip_filename 7}
        let buf = [
            0x0a, 0x09, 0x0a, 0x05, b'a', b'.', b'p', b'n', b'g', 0x10, 0x03, //
            0x0a, 0x06, 0x0a, 0x01, b'b', 0xf8, 0x0f, 0x07,
        ];
        let m = parse_protobuf_map(&buf, 10).unwrap_or_default();
        assert_eq!(
            m,
            vec![
                MapEntry {
                    name: "a.png".into(),
                    entry: "0".into(),
                    size: Some(3)
                },
                MapEntry {
                    name: "b".into(),
                    entry: "7".into(),
                    size: None
                },
            ]
        );
        assert!(parse_protobuf_map(&[0x0a, 0x02, 0x10, 0x01], 10).is_err()); // no name
        assert!(parse_protobuf_map(&[0x0a, 0x04, 0x0a, 0x02, b'.', b'.'], 10).is_err());
        assert!(parse_protobuf_map(&buf, 1).is_err());
    }
}
