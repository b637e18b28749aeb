//! Progress files: `Progress::parse` never panics; progress it accepts is what
//! `Progress::parse_ron` (the general parser alone) reads from the same text, so the fast line
//! reader agrees with it; and it survives a round trip through its canonical form
//! (`Progress::to_ron`).
#![no_main]

use std::fmt::Debug;
use std::path::Path;

use kartu::core::model::progress::{PROGRESS_FORMAT_VERSION, Progress};
use libfuzzer_sys::fuzz_target;

/// Equal, counting a NaN stability or difficulty as equal to itself (its Debug text is `NaN`).
fn same<T: PartialEq + Debug>(a: &T, b: &T) -> bool {
    a == b || format!("{a:?}") == format!("{b:?}")
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzz.ron");
    let result = Progress::parse(text, path);
    if std::env::var_os("KARTU_FUZZ_PRINT").is_some() {
        eprintln!("Progress::parse: {result:?}");
    }
    let Ok(progress) = result else {
        return;
    };

    // What the general parser alone makes of the text (the reference for the fast path).
    match Progress::parse_ron(text, path) {
        Ok(reference) => assert!(
            same(&progress, &reference),
            "Progress::parse and Progress::parse_ron disagree:\nparse: {progress:?}\nron:   {reference:?}"
        ),
        Err(err) => {
            panic!(
                "Progress::parse accepted text that Progress::parse_ron refuses ({err}): {progress:?}"
            )
        }
    }

    // The canonical form: whatever format was read, the current one is written; a snapshot
    // (with `review_log`) keeps its reviews in the review log, so none are written inline.
    let mut expected = progress.clone();
    expected.format = PROGRESS_FORMAT_VERSION;
    if expected.review_log.is_some() {
        expected.reviews.clear();
    }
    let written = progress.to_ron().expect("parsed progress can be written");
    match Progress::parse(&written, path) {
        Ok(again) => assert!(
            same(&again, &expected),
            "round trip changed the progress:\n{written}\nexpected: {expected:?}\nafter:    {again:?}"
        ),
        Err(err) => panic!("the canonical form of accepted progress is refused: {err}\n{written}"),
    }
});
