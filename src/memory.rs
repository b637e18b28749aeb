//! Giving memory back to the system between the steps of long work.
//!
//! The allocator keeps freed memory a while before returning it, so that work which frees
//! and allocates again does not ask the system each time. Between two steps of an import
//! that wait is a cost: the 100,000-note package frees 30 MB of rows once it has read them,
//! and its next step allocates as much anew, on top (peak 104 MB instead of 90). The binary
//! sets how (its allocator's collect, see `main.rs`); the library only says when.

use std::sync::OnceLock;

static RELEASE: OnceLock<fn()> = OnceLock::new();

/// Sets what [`release`] does (once; later calls are ignored).
pub fn set_release(release: fn()) {
    RELEASE.set(release).ok();
}

/// Returns freed memory to the system now, if the binary said how; a library user that did
/// not loses nothing but the memory.
pub fn release() {
    if let Some(release) = RELEASE.get() {
        release();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    static CALLS: AtomicUsize = AtomicUsize::new(0);

    #[test]
    fn release_runs_what_the_binary_set() {
        super::set_release(|| {
            CALLS.fetch_add(1, Ordering::SeqCst);
        });
        let before = CALLS.load(Ordering::SeqCst);
        super::release();
        assert_eq!(CALLS.load(Ordering::SeqCst), before + 1);
    }
}
