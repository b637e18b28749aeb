//! Journal text: `parse_records` never panics, whatever the lines hold, and the intact length
//! it reports is whole lines of the input.
#![no_main]

use std::path::Path;

use kartu::core::storage::journal::parse_records;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let result = parse_records(data, Path::new("fuzz.journal"));
    if std::env::var_os("KARTU_FUZZ_PRINT").is_some() {
        eprintln!("parse_records: {result:?}");
    }
    if let Ok(parsed) = result {
        let intact_len = usize::try_from(parsed.intact_len).expect("intact length fits in usize");
        assert!(
            intact_len <= data.len(),
            "intact length {intact_len} > {}",
            data.len()
        );
        assert!(
            intact_len == 0 || data[intact_len - 1] == b'\n',
            "intact length {intact_len} does not end on a line break"
        );
    }
});
