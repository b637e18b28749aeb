//! The window's background work: snapshots, backups and file dialogs on the worker, and
//! what their results do back on the UI thread.

use std::sync::Arc;

use super::{EDIT_FOLD_AFTER, JobDone, KartuApp, SNAPSHOT_RETRY, Screen};
use crate::core::time::Timestamp;
use crate::ui::dialogs::FileDialogs;
use crate::ui::worker::{JobControl, JobKind};

impl KartuApp {
    /// Writes a backup in the background when the policy says one is due.
    pub(super) fn start_backup_if_due(&mut self, ctx: &egui::Context, now: Timestamp) {
        // Both read the files a snapshot rewrites: one writing job at a time.
        if self.worker.is_running(JobKind::Snapshot)
            || self.worker.is_running(JobKind::Backup)
            || self.worker.is_running(JobKind::Optimize)
            || self.worker.is_running(JobKind::Simulate)
            || self.worker.is_running(JobKind::Stats)
            || self.worker.is_running(JobKind::Export)
        {
            return;
        }
        let Some(job) = self.collection.backup_job(now) else {
            return;
        };
        let label = self.texts().backing_up.to_owned();
        self.worker
            .spawn(ctx, JobKind::Backup, label, false, move |_| {
                JobDone::Backup(job.run())
            });
    }

    /// Folds the journal into a new snapshot in the background when it has grown long.
    pub(super) fn start_snapshot_if_due(&mut self, ctx: &egui::Context) {
        if self.worker.is_running(JobKind::Snapshot)
            || self.worker.is_running(JobKind::Backup)
            || self.worker.is_running(JobKind::Optimize)
            || self.worker.is_running(JobKind::Simulate)
            || self.worker.is_running(JobKind::Stats)
            || self.worker.is_running(JobKind::Export)
            || self
                .snapshot_retry_at
                .is_some_and(|at| std::time::Instant::now() < at)
        {
            return;
        }
        let Some(job) = self.collection.snapshot_job(false) else {
            return;
        };
        let label = self.texts().saving_progress.to_owned();
        self.worker
            .spawn(ctx, JobKind::Snapshot, label, false, move |_| {
                JobDone::Snapshot(job.run())
            });
    }

    /// Optimize, Evaluate or the simulator for a preset, on the worker with progress and
    /// Cancel; one of a kind at a time, and not beside a snapshot or backup (each reads the
    /// history files those rewrite).
    pub(super) fn start_preset_work(
        &mut self,
        ctx: &egui::Context,
        work: PresetWork,
        preset: String,
        now: Timestamp,
    ) {
        use crate::core::stats::{OptimizeJob, SimulateJob};
        let kind = match work {
            PresetWork::Optimize | PresetWork::Evaluate => JobKind::Optimize,
            PresetWork::Simulate => JobKind::Simulate,
        };
        if self.worker.is_running(kind) {
            return;
        }
        // A snapshot or backup running now is short: let it finish first.
        self.wait_for_background_writes();
        let tr = self.texts();
        let made: crate::core::Result<(&str, Run)> =
            match work {
                PresetWork::Optimize => OptimizeJob::for_preset(&self.collection, &preset, now)
                    .map(|job| -> (&str, Run) {
                        self.optimized = None;
                        let run = move |c: &JobControl| {
                            JobDone::Optimized(preset, job.run(|d, t| report(c, d, t)))
                        };
                        (tr.optimize.running, Box::new(run))
                    }),
                PresetWork::Evaluate => OptimizeJob::for_preset(&self.collection, &preset, now)
                    .map(|job| -> (&str, Run) {
                        self.evaluated = None;
                        let run = move |c: &JobControl| {
                            JobDone::Evaluated(preset, job.evaluate(|d, t| report(c, d, t)))
                        };
                        (tr.optimize.evaluating, Box::new(run))
                    }),
                PresetWork::Simulate => SimulateJob::for_preset(&self.collection, &preset, now)
                    .map(|job| -> (&str, Run) {
                        self.simulated = None;
                        let run = move |c: &JobControl| {
                            JobDone::Simulated(preset, job.run(|d, t| report(c, d, t)))
                        };
                        (tr.workload.running, Box::new(run))
                    }),
            };
        match made {
            Ok((label, run)) => {
                self.worker.spawn(ctx, kind, label.to_owned(), true, run);
            }
            Err(err) => self.set_error(tr.failed, &err),
        }
    }

    /// Writes edited decks into their files in the background, a while after the last edit
    /// (each edit is safe in the edits journal already).
    pub(super) fn start_edit_fold_if_due(&mut self, ctx: &egui::Context, now: Timestamp) {
        if !self.collection.has_unfolded_edits() || self.worker.is_running(JobKind::EditFold) {
            return;
        }
        let quiet = self
            .last_edit_check
            .get_or_insert_with(std::time::Instant::now)
            .elapsed();
        if quiet < EDIT_FOLD_AFTER {
            return;
        }
        self.last_edit_check = None;
        let Some(job) = self.collection.edit_fold_job(now) else {
            return;
        };
        let label = self.texts().saving_progress.to_owned();
        self.worker
            .spawn(ctx, JobKind::EditFold, label, false, move |_| {
                JobDone::EditFold(job.run())
            });
    }

    /// Waits for background snapshot and backup writes, so nothing lands after what follows.
    pub(super) fn wait_for_background_writes(&mut self) {
        for kind in [JobKind::Snapshot, JobKind::Backup, JobKind::EditFold] {
            for (_, done) in self.worker.wait_for(kind) {
                // Only snapshots and backups are waited for: neither needs the window.
                match done {
                    JobDone::Snapshot(result) => self.snapshot_done(result),
                    JobDone::Backup(Err(err)) => self.set_error(self.texts().failed, &err),
                    JobDone::EditFold(result) => {
                        if let Err(err) =
                            result.and_then(|through| self.collection.finish_edit_fold(through))
                        {
                            self.set_error(self.texts().failed, &err);
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    pub(super) fn poll_jobs(&mut self, ctx: &egui::Context, now: Timestamp) {
        for (_, done) in self.worker.poll() {
            self.job_done(done, ctx, now);
        }
    }

    /// A background job's result, on the UI thread.
    fn job_done(&mut self, done: JobDone, ctx: &egui::Context, now: Timestamp) {
        let tr = self.texts();
        match done {
            JobDone::Snapshot(result) => self.snapshot_done(result),
            // Progress itself is safe; say so rather than hide a failing backup.
            JobDone::Backup(result) => {
                if let Err(err) = result {
                    self.set_error(tr.failed, &err);
                }
            }
            // A cancelled dialog does nothing; nor does the statistics cache's update.
            JobDone::Import(None)
            | JobDone::Export(_, None)
            | JobDone::Image(None)
            | JobDone::Counted => {}
            JobDone::Import(Some(path)) => self.start_import_read(ctx, path, None, now),
            JobDone::ImportRead(path, read) => self.import_read_done(&path, *read),
            JobDone::Export(draft, Some(path)) => self.export_to(ctx, &draft, path),
            JobDone::Exported(path, result) => self.export_done(&path, result),
            JobDone::Installed(done) => self.install_done(*done, now),
            JobDone::Image(Some(path)) => self.insert_image(&path),
            JobDone::Optimized(preset, Ok(found)) => self.optimized = Some((preset, found)),
            JobDone::Simulated(_, Err(crate::core::Error::Cancelled)) => {
                self.set_info(tr.workload.cancelled.to_owned());
            }
            JobDone::Evaluated(preset, Ok(found)) => self.evaluated = Some((preset, found)),
            JobDone::Optimized(_, Err(crate::core::Error::Cancelled))
            | JobDone::Evaluated(_, Err(crate::core::Error::Cancelled)) => {
                self.set_info(tr.optimize.cancelled.to_owned());
            }
            JobDone::Optimized(_, Err(err))
            | JobDone::Evaluated(_, Err(err))
            | JobDone::Simulated(_, Err(err)) => {
                self.set_error(tr.failed, &err);
            }
            JobDone::Simulated(preset, Ok(found)) => self.simulated = Some((preset, found)),
            JobDone::Stats(draft, result, counts) => {
                self.stats_counts = counts;
                self.stats_done(draft, *result);
            }
            JobDone::Index(index) => {
                if let Screen::Browse(browser) = &mut self.screen {
                    browser.install_index(*index);
                }
            }
            JobDone::EditFold(result) => {
                if let Err(err) =
                    result.and_then(|through| self.collection.finish_edit_fold(through))
                {
                    // The edits are safe in their journal; the next fold tries again.
                    self.set_error(tr.failed, &err);
                }
            }
        }
    }

    fn snapshot_done(&mut self, result: crate::core::Result<u64>) {
        let outcome = result.and_then(|seq| self.collection.finish_snapshot(seq));
        // The answers are safe in the journal either way; try again in a minute.
        match outcome {
            Ok(()) => self.snapshot_retry_at = None,
            Err(err) => {
                self.snapshot_retry_at = Some(std::time::Instant::now() + SNAPSHOT_RETRY);
                self.set_error(self.texts().failed, &err);
            }
        }
    }

    /// Runs a file dialog in the background; its answer comes back as a [`JobDone`].
    pub(super) fn spawn_dialog(
        &mut self,
        ctx: &egui::Context,
        ask: impl FnOnce(&dyn FileDialogs) -> JobDone + Send + 'static,
    ) {
        if self.worker.is_running(JobKind::Dialog) {
            return;
        }
        let dialogs = Arc::clone(&self.dialogs);
        let label = self.texts().choosing_file.to_owned();
        self.worker
            .spawn(ctx, JobKind::Dialog, label, false, move |_| {
                ask(dialogs.as_ref())
            });
    }
}

/// A job for the worker, made on the UI thread.
type Run = Box<dyn FnOnce(&JobControl) -> JobDone + Send>;

/// What a preset's decks' history can be used for, on the worker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PresetWork {
    /// Fit the FSRS parameters.
    Optimize,
    /// Score the parameters in use.
    Evaluate,
    /// The workload simulator.
    Simulate,
}

/// Passes a job's progress to the status bar; `false` once Cancel was pressed.
fn report(control: &JobControl, done: usize, total: usize) -> bool {
    control.set_progress(done as u64, total as u64);
    !control.is_cancelled()
}
