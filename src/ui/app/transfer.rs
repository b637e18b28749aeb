//! Decks in and out of the window: reading a file to import on the worker (progress and
//! Cancel), the import screen's plan, installing it when confirmed; the export screen's save
//! dialog and the export; and card images resolved to checked files of the deck's media.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{JobDone, KartuApp, Screen};
use crate::core::export;
use crate::core::import::{self, CsvLayout, CsvPreview, Format, Incoming, Monitor, Options, Plan};
use crate::core::model::media::{MAX_IMAGE_BYTES, check_image, rewrite_images};
use crate::core::storage::atomic;
use crate::core::time::Timestamp;
use crate::ui::export::ExportDraft;
use crate::ui::i18n::fill;
use crate::ui::import::LISTED;
use crate::ui::worker::JobKind;

/// Rows of a CSV file the mapping shows.
const PREVIEW_ROWS: usize = 8;

/// A file read for import on the worker.
pub(crate) struct ImportRead {
    /// What it holds and what installing it would change (against `against`), or why it
    /// cannot be installed.
    pub(crate) result: crate::core::Result<(Incoming, Plan)>,
    /// The installed decks the plan was made against.
    pub(crate) against: import::InstalledDecks,
    /// A CSV file's first rows and detected layout.
    pub(crate) csv: Option<CsvPreview>,
}

/// The import screen's state.
pub(crate) struct ImportState {
    /// The file.
    pub(crate) path: PathBuf,
    /// What it holds, once read.
    pub(crate) incoming: Option<Incoming>,
    /// What installing it would do.
    pub(crate) plan: Option<Plan>,
    /// Why it could not be read.
    pub(crate) error: Option<String>,
    /// A CSV file's first rows.
    pub(crate) csv_rows: Option<Vec<Vec<String>>>,
    /// The CSV mapping being edited.
    pub(crate) layout: Option<CsvLayout>,
    /// Whether the worker is reading it now.
    pub(crate) reading: bool,
    /// Whether the worker is installing it now (the collection is away meanwhile).
    pub(crate) installing: bool,
}

/// An import installed on the worker: the collection back, with what came of it.
pub(crate) struct Installing {
    collection: crate::core::collection::Collection,
    plan: Plan,
    first: Option<crate::core::ids::DeckId>,
    result: crate::core::Result<crate::core::collection::Installed>,
}

impl Installing {
    /// The collection the install had.
    pub(super) fn into_collection(self) -> crate::core::collection::Collection {
        self.collection
    }
}

impl ImportState {
    /// The file's name, for headings.
    pub(crate) fn file_name(&self) -> String {
        self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        )
    }
}

impl KartuApp {
    /// Reads `path` on the worker (a CSV file with `layout`, else the one detected) and shows
    /// the import screen, which fills in when the read is done.
    pub(super) fn start_import_read(
        &mut self,
        ctx: &egui::Context,
        path: PathBuf,
        layout: Option<CsvLayout>,
        now: Timestamp,
    ) {
        if self.worker.is_running(JobKind::Import) {
            return;
        }
        let is_csv = matches!(Format::of(&path), Some(Format::Csv | Format::Tsv));
        let options = Options {
            deck: None,
            csv: layout.clone(),
            clock: Some(self.collection.clock().clone()),
            now,
        };
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let label = fill(self.texts().transfer.reading, &[("file", &name)]);
        let job_path = path.clone();
        let preview = is_csv && layout.is_none();
        // The plan is made on the worker too, against the decks installed now (shared).
        let against = import::InstalledDecks::of(&self.collection);
        self.worker
            .spawn(ctx, JobKind::Import, label, true, move |control| {
                let csv = preview
                    .then(|| import::preview_csv(&job_path, PREVIEW_ROWS).ok())
                    .flatten();
                let monitor = Monitor {
                    progress: &|done, total| control.set_progress(done, total),
                    cancelled: &|| control.is_cancelled(),
                };
                // Every note checked and the plan made here, off the window's thread: at
                // 100,000 notes either takes longer than a frame.
                let result = import::read(&job_path, &options, monitor).and_then(|mut incoming| {
                    // The rows read are freed; the install allocates as much again.
                    crate::memory::release();
                    import::check_notes(&incoming, &job_path)?;
                    // The preview lists the first notes of each kind (a plan of every note is
                    // 100,000 copies of text), the counts whole.
                    let plan = import::prepare(&against, &mut incoming, &job_path, LISTED)?;
                    Ok((incoming, plan))
                });
                JobDone::ImportRead(
                    job_path,
                    Box::new(ImportRead {
                        result,
                        against,
                        csv,
                    }),
                )
            });
        // Rereading keeps the mapping and rows on screen.
        let (csv_rows, kept_layout) = match std::mem::replace(&mut self.screen, Screen::Decks) {
            Screen::Import(state) if state.path == path => (state.csv_rows, state.layout),
            _ => (None, None),
        };
        self.screen = Screen::Import(Box::new(ImportState {
            path,
            incoming: None,
            plan: None,
            error: None,
            csv_rows,
            layout: layout.or(kept_layout),
            reading: true,
            installing: false,
        }));
    }

    /// The worker read a file: plan it on the import screen, or say why it could not be read.
    pub(super) fn import_read_done(&mut self, path: &Path, read: ImportRead) {
        let tr = self.texts();
        let Screen::Import(state) = &mut self.screen else {
            // The learner left the screen meanwhile.
            return;
        };
        if state.path != path {
            return;
        }
        state.reading = false;
        let ImportRead {
            result,
            against,
            csv,
        } = read;
        if let Some(preview) = csv {
            state.csv_rows = Some(preview.rows);
            state.layout = Some(preview.layout);
        }
        match result {
            Ok((mut incoming, plan)) => {
                let installed = import::InstalledDecks::of(&self.collection);
                let made = if against.same_as(&installed) {
                    Ok(plan)
                } else {
                    // A deck changed while the file was read: the plan is made again.
                    import::prepare(&installed, &mut incoming, path, LISTED)
                };
                match made {
                    Ok(plan) => {
                        state.plan = Some(plan);
                        state.incoming = Some(incoming);
                        state.error = None;
                    }
                    Err(err) => {
                        self.screen = Screen::Decks;
                        self.set_error(tr.import_failed, &err);
                    }
                }
            }
            Err(crate::core::Error::Cancelled) => {
                self.screen = Screen::Decks;
                self.set_info(tr.transfer.cancelled.to_owned());
            }
            // A CSV file stays on screen, so the mapping can be changed.
            Err(err) if state.layout.is_some() => state.error = Some(err.to_string()),
            Err(err) => {
                self.screen = Screen::Decks;
                self.set_error(tr.import_failed, &err);
            }
        }
    }

    /// Installs what the import screen shows, on the worker: the collection goes with the
    /// job (an empty read-only stand-in takes its place) and comes back with the result.
    pub(super) fn confirm_import(&mut self, ctx: &egui::Context, now: Timestamp) {
        let tr = self.texts();
        if !matches!(&self.screen, Screen::Import(state) if !state.installing) {
            return;
        }
        // Snapshots and backups touch the files an install rewrites: until they are done,
        // ask again next frame (waiting here would hold the window still).
        if [JobKind::Snapshot, JobKind::Backup, JobKind::EditFold]
            .into_iter()
            .any(|kind| self.worker.is_running(kind))
        {
            self.commands
                .push(crate::ui::command::Command::ConfirmImport);
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
            return;
        }
        let stand_in = match self.collection.stand_in(tr.transfer.installing_reason) {
            Ok(stand_in) => stand_in,
            Err(err) => {
                self.set_error(tr.import_failed, &err);
                return;
            }
        };
        let Screen::Import(state) = &mut self.screen else {
            return;
        };
        let (Some(incoming), Some(plan)) = (state.incoming.take(), state.plan.clone()) else {
            return;
        };
        state.installing = true;
        let label = fill(tr.transfer.installing, &[("file", &state.file_name())]);
        let first = incoming.decks.first().map(|d| d.deck.id.clone());
        let mut collection = std::mem::replace(&mut self.collection, stand_in);
        self.worker
            .spawn(ctx, JobKind::Import, label, true, move |control| {
                let result =
                    import::install(&mut collection, incoming, now, &|| control.is_cancelled());
                JobDone::Installed(Box::new(Installing {
                    collection,
                    plan,
                    first,
                    result,
                }))
            });
    }

    /// The install is back: the collection returns, and the deck list says what came in.
    pub(super) fn install_done(&mut self, done: Installing, now: Timestamp) {
        let tr = self.texts();
        self.collection = done.collection;
        self.summaries_at = None;
        match done.result {
            Ok(installed) => {
                let notes: usize = done
                    .plan
                    .decks
                    .iter()
                    .map(|d| d.added_count + d.changed_count + d.unchanged)
                    .sum();
                self.set_info(fill(
                    tr.transfer.imported,
                    &[
                        ("decks", &installed.decks.to_string()),
                        ("notes", &notes.to_string()),
                        ("reviews", &installed.reviews.to_string()),
                    ],
                ));
                self.screen = Screen::Decks;
                self.refresh_summaries(now);
                if let Some(row) = done
                    .first
                    .and_then(|id| self.summaries.iter().position(|s| s.id == id))
                {
                    self.selected_deck = row;
                }
            }
            Err(crate::core::Error::Cancelled) => {
                self.screen = Screen::Decks;
                self.set_info(tr.transfer.cancelled.to_owned());
            }
            Err(err) => {
                self.screen = Screen::Decks;
                self.set_error(tr.import_failed, &err);
            }
        }
    }

    /// Leaves the import screen, stopping a read still running.
    pub(super) fn cancel_import(&mut self) {
        for job in self.worker.running() {
            if job.kind == JobKind::Import {
                self.worker.cancel(job.id);
            }
        }
        self.screen = Screen::Decks;
    }

    /// The export screen for `deck`, in the format that suits it.
    pub(super) fn export_draft(&self, deck: crate::core::ids::DeckId) -> Option<ExportDraft> {
        let title = self.collection.deck(&deck).ok()?.deck.title.clone();
        Some(ExportDraft {
            format: export::default_format(&self.collection, &deck),
            deck,
            title,
            with_progress: false,
        })
    }

    /// Asks where to save `draft`'s export (on the worker: the dialog blocks).
    pub(super) fn ask_where_to_export(&mut self, ctx: &egui::Context, draft: ExportDraft) {
        let title = self.texts().export_dialog_title;
        let name = format!("{}.{}", draft.deck.0, draft.format.extension());
        self.spawn_dialog(ctx, move |dialogs| {
            let path = dialogs.save_deck_file(title, &name);
            JobDone::Export(draft, path)
        });
    }

    /// Writes the export the learner chose a file for.
    pub(super) fn export_to(&mut self, ctx: &egui::Context, draft: &ExportDraft, path: PathBuf) {
        let tr = self.texts();
        // A package with progress reads the history files a snapshot or backup rewrites.
        self.wait_for_background_writes();
        // What the export takes is shared or copied now; it is written on the worker.
        match export::ExportJob::new(
            &self.collection,
            &draft.deck,
            draft.format,
            draft.with_progress,
        ) {
            Ok(job) => {
                self.screen = Screen::Decks;
                self.worker.spawn(
                    ctx,
                    JobKind::Export,
                    tr.exporting.to_owned(),
                    false,
                    move |_| {
                        let result = job.run(&path);
                        JobDone::Exported(path, result)
                    },
                );
            }
            Err(err) => self.set_error(tr.export_failed, &err),
        }
    }

    /// An export finished on the worker.
    pub(super) fn export_done(
        &mut self,
        path: &Path,
        result: crate::core::Result<export::Exported>,
    ) {
        let tr = self.texts();
        match result {
            Ok(done) if done.warnings.is_empty() => {
                self.set_info(fill(tr.exported, &[("path", &path.display().to_string())]));
            }
            Ok(done) => self.set_info(fill(
                tr.transfer.export_warnings,
                &[("warnings", &done.warnings.join("; "))],
            )),
            Err(err) => self.set_error(tr.export_failed, &err),
        }
    }

    /// `text` with its images pointing at checked files of `media` (`file://` URIs); any
    /// other image is shown as its alt text.
    pub(super) fn with_images(&self, text: &str, media: Option<&Path>) -> String {
        if !text.contains("![") {
            return text.to_owned();
        }
        rewrite_images(text, &|name| {
            let file = media?.join(name);
            let mut checked = self.checked_images.borrow_mut();
            let ok = *checked.entry(file.clone()).or_insert_with(|| {
                atomic::read_bytes_limited(&file, MAX_IMAGE_BYTES as u64)
                    .ok()
                    .is_some_and(|bytes| check_image(&bytes).is_ok())
            });
            let uri = url_of(&file);
            ok.then_some(uri)
        })
    }
}

/// A `file://` URI for an absolute path, with the characters Markdown and URIs treat
/// specially escaped.
fn url_of(path: &Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                uri.push(char::from(byte));
            }
            // Writing to a String cannot fail.
            other => {
                write!(uri, "%{other:02X}").ok();
            }
        }
    }
    uri
}
