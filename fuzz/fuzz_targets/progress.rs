//! Progress files: `Progress::parse` never panics; progress it accepts is what plain `ron`
//! reads from the same text (the fast line reader must agree with the general parser), and it
//! survives a round trip through its canonical form (`Progress::to_ron`).
#![no_main]

use std::fmt::Debug;
use std::path::Path;

use kartu::core::error::{check_format, probe_format, ron_options};
use kartu::core::progress::{PROGRESS_FORMAT_VERSION, Progress};
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

    // What the general parser alone makes of the text.
    let reference = probe_format(path, text, PROGRESS_FORMAT_VERSION)
        .map_err(|err| err.to_string())
        .and_then(|()| ron_options().from_str::<Progress>(text).map_err(|err| err.to_string()))
        .and_then(|reference| {
            check_format(path, reference.format, PROGRESS_FORMAT_VERSION)
                .map(|()| reference)
                .map_err(|err| err.to_string())
        });
    match reference {
        Ok(reference) => assert!(
            same(&progress, &reference),
            "Progress::parse and plain ron disagree:\nparse: {progress:?}\nron:   {reference:?}"
        ),
        Err(err) => panic!("Progress::parse accepted text that plain ron refuses ({err}): {progress:?}"),
    }

    // The canonical form: whatever format was read, the current one is written; a snapshot
    // (with `review_log`) keeps its reviews in the review log, so none are written inline.
    let mut expected = progress.clone();
    expected.format = PROGRESS_FORMAT_VERSION;
    if expected.review_log.is_some() {
        expected.reviews.clear();
    }
    let written = progress.to_ron();
    match Progress::parse(&written, path) {
        Ok(again) => assert!(
            same(&again, &expected),
            "round trip changed the progress:\n{written}\nexpected: {expected:?}\nafter:    {again:?}"
        ),
        Err(err) => panic!("the canonical form of accepted progress is refused: {err}\n{written}"),
    }
});
