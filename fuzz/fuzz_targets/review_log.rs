//! Review logs (`reviews-N.ron`): `read_tail` never panics, and the intact length it reports
//! is whole lines of the file. The reader works on a file (it reads backwards from the end),
//! so each input is written to a temporary file first. Arbitrary bytes, not only UTF-8: the
//! reader itself must refuse bad bytes.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use kartu::core::review_log::{TAIL_WINDOW_SECS, read_tail};
use libfuzzer_sys::fuzz_target;

/// One file per fuzzing process, rewritten for every input.
static FILE: LazyLock<PathBuf> = LazyLock::new(|| {
    std::env::temp_dir().join(format!("kartu-fuzz-{}-reviews-1.ron", std::process::id()))
});

fuzz_target!(|data: &[u8]| {
    let path: &PathBuf = &FILE;
    std::fs::write(path, data).expect("write the input to a temporary file");
    let result = read_tail(path, TAIL_WINDOW_SECS);
    if std::env::var_os("KARTU_FUZZ_PRINT").is_some() {
        eprintln!("read_tail: {result:?}");
    }
    if let Ok(tail) = result {
        let intact_len = usize::try_from(tail.intact_len).expect("intact length fits in usize");
        assert!(intact_len <= data.len(), "intact length {intact_len} > {}", data.len());
        assert!(
            intact_len == 0 || data[intact_len - 1] == b'\n',
            "intact length {intact_len} does not end on a line break"
        );
    }
});
