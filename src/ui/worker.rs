//! One background worker for every long job the window runs (snapshots, backups, file
//! dialogs, reading files to import; later the optimizer): each job on its own thread, with a
//! progress fraction and a cancel flag the job can read, and its result handed back to the UI
//! thread by [`Worker::poll`]. The UI thread never blocks on a job except where it asks to
//! ([`Worker::wait_for`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

/// What a job can see of its own run: report progress, and notice a cancel.
#[derive(Clone)]
pub struct JobControl {
    /// Progress in millionths (0 to 1,000,000).
    progress: Arc<AtomicU32>,
    cancel: Arc<AtomicBool>,
    ctx: egui::Context,
}

impl JobControl {
    /// Reports `done` of `total` (repaints the window so a progress bar moves).
    pub fn set_progress(&self, done: u64, total: u64) {
        let millionths = (done.min(total).saturating_mul(1_000_000))
            .checked_div(total)
            .map_or(0, |m| u32::try_from(m).unwrap_or(1_000_000));
        self.progress.store(millionths, Ordering::Relaxed);
        self.ctx.request_repaint();
    }

    /// Whether the learner asked to cancel: the job should stop, leaving everything as it was.
    #[must_use]
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// Which kind of job, so the app can ask "is a snapshot running?" and wait for one kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JobKind {
    /// Folding the journal into a new snapshot.
    Snapshot,
    /// Writing a backup.
    Backup,
    /// A file dialog, open until the learner answers it.
    Dialog,
    /// Reading a file to import (nothing is written until the learner confirms).
    Import,
    /// Writing edited decks into their files.
    EditFold,
    /// Fitting the FSRS parameters (reads the review history).
    Optimize,
    /// The workload simulator.
    Simulate,
    /// The statistics' pass over the review history.
    Stats,
    /// The browser's search index.
    Index,
    /// Writing an export.
    Export,
}

/// A running job, as the status bar shows it.
#[derive(Clone, Debug)]
pub struct RunningJob {
    /// Its id, for [`Worker::cancel`].
    pub id: u64,
    /// Its kind.
    pub kind: JobKind,
    /// What to call it on screen.
    pub label: String,
    /// How far it is, 0 to 1 (0 until it reports).
    pub progress: f32,
    /// Whether it can be cancelled.
    pub cancellable: bool,
}

struct Running {
    job: RunningJob,
    progress: Arc<AtomicU32>,
    cancel: Arc<AtomicBool>,
}

/// Runs jobs whose results are `T` on background threads.
pub struct Worker<T> {
    sender: Sender<(u64, T)>,
    receiver: Receiver<(u64, T)>,
    running: Vec<Running>,
    next_id: u64,
}

impl<T: Send + 'static> Default for Worker<T> {
    fn default() -> Self {
        let (sender, receiver) = channel();
        Self {
            sender,
            receiver,
            running: Vec::new(),
            next_id: 0,
        }
    }
}

impl<T: Send + 'static> Worker<T> {
    /// Starts `job` on its own thread. `cancellable` says whether the window offers Cancel.
    pub fn spawn(
        &mut self,
        ctx: &egui::Context,
        kind: JobKind,
        label: String,
        cancellable: bool,
        job: impl FnOnce(&JobControl) -> T + Send + 'static,
    ) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        let control = JobControl {
            progress: Arc::new(AtomicU32::new(0)),
            cancel: Arc::new(AtomicBool::new(false)),
            ctx: ctx.clone(),
        };
        self.running.push(Running {
            job: RunningJob {
                id,
                kind,
                label,
                progress: 0.0,
                cancellable,
            },
            progress: Arc::clone(&control.progress),
            cancel: Arc::clone(&control.cancel),
        });
        let sender = self.sender.clone();
        std::thread::spawn(move || {
            let result = job(&control);
            // The receiver only goes away when the app closes, and the app waits for the
            // jobs that write before it does.
            sender.send((id, result)).ok();
            control.ctx.request_repaint();
        });
        id
    }

    /// Results of the jobs that finished since the last call, with their kinds.
    pub fn poll(&mut self) -> Vec<(JobKind, T)> {
        let mut done = Vec::new();
        while let Ok((id, result)) = self.receiver.try_recv() {
            done.push((self.finish(id), result));
        }
        done
    }

    /// Blocks until every running job of `kind` has finished; their results.
    pub fn wait_for(&mut self, kind: JobKind) -> Vec<(JobKind, T)> {
        let mut done = Vec::new();
        while self.is_running(kind) {
            let Ok((id, result)) = self.receiver.recv() else {
                break;
            };
            done.push((self.finish(id), result));
        }
        done
    }

    fn finish(&mut self, id: u64) -> JobKind {
        let index = self.running.iter().position(|r| r.job.id == id);
        index.map_or(JobKind::Dialog, |index| self.running.remove(index).job.kind)
    }

    /// Whether a job of `kind` is running.
    #[must_use]
    pub fn is_running(&self, kind: JobKind) -> bool {
        self.running.iter().any(|r| r.job.kind == kind)
    }

    /// Whether any job is running.
    #[must_use]
    pub fn is_busy(&self) -> bool {
        !self.running.is_empty()
    }

    /// The running jobs, with their progress now.
    #[must_use]
    pub fn running(&self) -> Vec<RunningJob> {
        self.running
            .iter()
            .map(|r| RunningJob {
                progress: r.progress.load(Ordering::Relaxed) as f32 / 1_000_000.0,
                ..r.job.clone()
            })
            .collect()
    }

    /// Asks job `id` to stop (it stops at its next check).
    pub fn cancel(&self, id: u64) {
        if let Some(running) = self.running.iter().find(|r| r.job.id == id) {
            running.cancel.store(true, Ordering::Relaxed);
        }
    }
}
