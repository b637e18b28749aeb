//! Giving memory back to the system between the steps of long work, and during a burst.
//!
//! The allocator keeps freed memory a while before returning it, so that work which frees
//! and allocates again does not ask the system each time. Between two steps of an import
//! that wait is a cost: the 100,000-note package frees 30 MB of rows once it has read them,
//! and its next step allocates as much anew, on top (peak 104 MB instead of 90). While the
//! window loads the collection on two threads beside its own start, it is a cost too: what
//! one step frees is still held when the next allocates (see ARCHITECTURE.md, "At scale").
//! The binary sets how (its allocator's functions, see `main.rs`); the library only says
//! when.

use std::sync::OnceLock;

static RELEASE: OnceLock<fn()> = OnceLock::new();
static AT_ONCE: OnceLock<fn(bool)> = OnceLock::new();

/// Sets what [`give_back_at_once`] does (once; later calls are ignored).
pub fn set_give_back_at_once(switch: fn(bool)) {
    AT_ONCE.set(switch).ok();
}

/// While `on`, memory freed goes back to the system at once instead of a while later:
/// lower peaks for a burst of work, at some cost in speed (so it is switched off after).
pub fn give_back_at_once(on: bool) {
    if let Some(switch) = AT_ONCE.get() {
        switch(on);
    }
}

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

    static SWITCHED: std::sync::Mutex<Vec<bool>> = std::sync::Mutex::new(Vec::new());

    #[test]
    fn give_back_at_once_switches_what_the_binary_set() {
        super::set_give_back_at_once(|on| SWITCHED.lock().unwrap().push(on));
        super::give_back_at_once(true);
        super::give_back_at_once(false);
        assert_eq!(*SWITCHED.lock().unwrap(), [true, false]);
    }
}
