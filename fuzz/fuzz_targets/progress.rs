//! Progress snapshots: `Progress::parse` never panics, and progress it accepts survives a
//! round trip through its canonical form (`Progress::to_ron`).
#![no_main]

use std::path::Path;

use kartu::core::progress::Progress;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzz.ron");
    if let Ok(progress) = Progress::parse(text, path) {
        let written = progress.to_ron();
        match Progress::parse(&written, path) {
            Ok(again) => {
                // Stability and difficulty are f32: a NaN read from the file is written and
                // read back as NaN, which `==` calls different. Equal Debug text means equal
                // up to NaN.
                assert!(
                    again == progress || format!("{again:?}") == format!("{progress:?}"),
                    "round trip changed the progress:\n{written}\nbefore: {progress:?}\nafter: {again:?}"
                );
            }
            Err(err) => panic!("the canonical form of accepted progress is refused: {err}\n{written}"),
        }
    }
});
