//! Review logs (`reviews-N.ron`), through both readers:
//!
//! - `read_tail` (reads backwards from the end, as loading does) and `ReviewStream` (reads
//!   forwards, as statistics and backups do) never panic;
//! - the intact length `read_tail` reports is whole lines of the file;
//! - with a window covering all time, `read_tail` and the stream accept the same files and give
//!   the same reviews (those not taken back by an `Undo`), in the same order.
//!
//! The readers work on a file, so each input is written to a temporary file first. Arbitrary
//! bytes, not only UTF-8: the readers themselves must refuse bad bytes.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use kartu::core::storage::review_log::{ReviewStream, TAIL_WINDOW_SECS, read_tail};
use libfuzzer_sys::fuzz_target;

/// One file per fuzzing process, rewritten for every input.
static FILE: LazyLock<PathBuf> = LazyLock::new(|| {
    std::env::temp_dir().join(format!("kartu-fuzz-{}-reviews-1.ron", std::process::id()))
});

fuzz_target!(|data: &[u8]| {
    let path: &PathBuf = &FILE;
    std::fs::write(path, data).expect("write the input to a temporary file");
    let print = std::env::var_os("KARTU_FUZZ_PRINT").is_some();

    let tail = read_tail(path, TAIL_WINDOW_SECS);
    if print {
        eprintln!("read_tail: {tail:?}");
    }
    if let Ok(tail) = &tail {
        let intact_len = usize::try_from(tail.intact_len).expect("intact length fits in usize");
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

    let all = read_tail(path, i64::MAX);
    let mut streamed = Vec::new();
    let stream = ReviewStream::prepare(Vec::new(), Some(path.as_path()), &[]).and_then(|stream| {
        stream.for_each(&mut |review| {
            streamed.push(review.clone());
            Ok(())
        })
    });
    if print {
        eprintln!("read_tail(all time): {all:?}\nstream: {stream:?} {streamed:?}");
    }
    // `read_tail` stops after the first review older than newest - window; with a window of
    // i64::MAX that only happens for a review at a time near i64::MIN: leave those out.
    let newest = all
        .as_ref()
        .ok()
        .and_then(|all| all.reviews.last())
        .map(|r| r.at.0);
    let stops_early = newest.is_some_and(|newest| {
        streamed
            .iter()
            .any(|review| review.at.0 < newest.saturating_sub(i64::MAX))
    });
    if stops_early {
        return;
    }
    match (&all, &stream) {
        (Ok(all), Ok(())) => assert_eq!(
            all.reviews, streamed,
            "read_tail over all time and ReviewStream give different reviews"
        ),
        (Err(_), Err(_)) => {}
        (Ok(all), Err(err)) => {
            panic!("ReviewStream refuses ({err}) a log read_tail reads: {all:?}")
        }
        (Err(err), Ok(())) => {
            panic!("read_tail refuses ({err}) a log ReviewStream reads: {streamed:?}")
        }
    }
});
