//! `kartu import` and `kartu export`: decks in and out, headless.

use std::cell::Cell;
use std::io::{IsTerminal as _, Write};
use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;

use crate::core::collection::{Collection, Installed};
use crate::core::export::{self, ExportFormat, Exported};
use crate::core::ids::DeckId;
use crate::core::import::{self, Monitor, NoteSummary, Options, Plan};
use crate::core::time::Timestamp;

/// How many notes of each kind (added, changed, removed) the text output lists per deck.
const LISTED: usize = 20;

/// `kartu import --json`.
#[derive(Serialize)]
struct ImportOut<'a> {
    file: String,
    dry_run: bool,
    #[serde(flatten)]
    plan: &'a Plan,
    installed: Option<InstalledOut>,
}

/// What an import wrote.
#[derive(Serialize)]
struct InstalledOut {
    decks: usize,
    media: usize,
    cards_with_progress: usize,
    reviews: usize,
    /// The backup of the progress made before the import changed it.
    backup: Option<String>,
}

impl From<&Installed> for InstalledOut {
    fn from(installed: &Installed) -> Self {
        Self {
            decks: installed.decks,
            media: installed.media,
            cards_with_progress: installed.cards_with_progress,
            reviews: installed.reviews,
            backup: installed.backup.as_ref().map(|b| b.id.clone()),
        }
    }
}

/// Progress of a long read on stderr, when it is a terminal (a percentage, rewritten).
struct Meter {
    shown: Cell<u64>,
    on: bool,
}

impl Meter {
    fn new() -> Self {
        Self {
            shown: Cell::new(u64::MAX),
            on: std::io::stderr().is_terminal(),
        }
    }

    fn show(&self, done: u64, total: u64) {
        if !self.on || total == 0 {
            return;
        }
        let percent = done.saturating_mul(100) / total;
        if percent != self.shown.replace(percent) {
            eprint!("\rreading… {percent:>3}%");
        }
    }

    fn end(&self) {
        if self.on && self.shown.get() != u64::MAX {
            eprint!("\r\x1b[K");
        }
    }
}

/// `kartu import FILE [--deck ID] [--dry-run] [--json]`.
pub(super) fn import(
    collection: &mut Collection,
    file: &Path,
    deck: Option<&str>,
    dry_run: bool,
    now: Timestamp,
    as_json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    if let Some(deck) = deck
        && !crate::core::ids::is_valid_id(deck)
    {
        anyhow::bail!(
            "--deck {deck:?}: a deck id is letters, digits, `-`, `_` and `.`, starting with a letter or digit"
        );
    }
    if !dry_run {
        // The plan is made under the lock, so it is what the import does.
        collection.become_writer()?;
    }
    let options = Options {
        deck: deck.map(|d| DeckId(d.to_owned())),
        csv: None,
        clock: Some(collection.clock().clone()),
        now,
    };
    let meter = Meter::new();
    let monitor = Monitor {
        progress: &|done, total| meter.show(done, total),
        cancelled: &|| false,
    };
    let read = import::read(file, &options, monitor);
    meter.end();
    let mut incoming = read?;
    // The rows read are freed; the install allocates as much again.
    crate::memory::release();
    import::check_notes(&incoming, file)?;
    // Printed, the plan lists a few notes of each kind; as JSON, every one.
    let listed = if as_json { usize::MAX } else { LISTED };
    let plan = import::prepare(
        &import::InstalledDecks::of(collection),
        &mut incoming,
        file,
        listed,
    )?;
    let installed = if dry_run {
        None
    } else {
        let done = import::install(collection, incoming, now, &|| false)?;
        if done.reviews > 0 {
            // The statistics' counts of the merged history, so `kartu stats` is quick at
            // once (made later if this fails).
            let _ = crate::core::stats::CountsJob::new(collection, now).run();
        }
        Some(done)
    };
    if as_json {
        let value = ImportOut {
            file: file.display().to_string(),
            dry_run,
            plan: &plan,
            installed: installed.as_ref().map(InstalledOut::from),
        };
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
    } else {
        print_plan(&plan, out)?;
        match &installed {
            None => writeln!(out, "dry run: nothing was changed")?,
            Some(done) => {
                if let Some(backup) = &done.backup {
                    writeln!(out, "progress before the import backed up as {}", backup.id)?;
                }
                writeln!(
                    out,
                    "imported {} decks, {} media files, {} card states, {} reviews",
                    done.decks, done.media, done.cards_with_progress, done.reviews
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn summary_line(note: &NoteSummary) -> String {
    let text: String = note
        .front
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(60)
        .collect();
    format!("{}: {text}", note.id)
}

fn print_plan(plan: &Plan, out: &mut dyn Write) -> anyhow::Result<()> {
    for deck in &plan.decks {
        let what = match deck.installed_version {
            None => format!("new deck, version {}", deck.version),
            Some(old)
                if old == deck.version
                    && deck.added_count == 0
                    && deck.changed_count == 0
                    && deck.removed_count == 0 =>
            {
                format!("installed already, version {old}")
            }
            Some(old) if old == deck.version => format!("replaces version {old} (same number)"),
            Some(old) => format!("update from version {old} to {}", deck.version),
        };
        writeln!(
            out,
            "deck {} ({}): {what}: {} added, {} changed, {} removed, {} unchanged; {} cards, {} media files",
            deck.deck,
            deck.title,
            deck.added_count,
            deck.changed_count,
            deck.removed_count,
            deck.unchanged,
            deck.cards,
            deck.media
        )?;
        let more = |out: &mut dyn Write, count: usize| -> anyhow::Result<()> {
            if count > LISTED {
                writeln!(out, "  … and {} more", count - LISTED)?;
            }
            Ok(())
        };
        for note in deck.added.iter().take(LISTED) {
            writeln!(out, "  + {}", summary_line(note))?;
        }
        more(out, deck.added_count)?;
        for change in deck.changed.iter().take(LISTED) {
            writeln!(out, "  ~ {}", summary_line(&change.old))?;
            writeln!(out, "    → {}", summary_line(&change.new))?;
        }
        more(out, deck.changed_count)?;
        for note in deck.removed.iter().take(LISTED) {
            writeln!(
                out,
                "  - {} (retired; its progress is kept)",
                summary_line(note)
            )?;
        }
        more(out, deck.removed_count)?;
    }
    if plan.cards_with_progress > 0 || plan.reviews > 0 {
        writeln!(
            out,
            "progress: {} card states, {} reviews (cards you have studied keep your own)",
            plan.cards_with_progress, plan.reviews
        )?;
    }
    if plan.notes_as_basic > 0 {
        writeln!(
            out,
            "{} notes of other note types imported as basic notes (their first two fields)",
            plan.notes_as_basic
        )?;
    }
    for warning in &plan.warnings {
        writeln!(out, "warning: {warning}")?;
    }
    Ok(())
}

/// `kartu export --deck ID [--format F] [--with-progress] FILE`.
pub(super) fn export(
    collection: &Collection,
    deck: &DeckId,
    format: Option<&str>,
    with_progress: bool,
    file: &Path,
    as_json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    collection.deck(deck)?;
    let by_extension = || {
        let ext = file.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "kartu" => Some(ExportFormat::Kartu),
            "ron" => Some(ExportFormat::Ron),
            "csv" | "tsv" => Some(ExportFormat::Csv),
            "txt" => Some(ExportFormat::AnkiText),
            _ => None,
        }
    };
    let format = match format {
        Some(name) => ExportFormat::from_name(name)
            .ok_or_else(|| anyhow::anyhow!("unknown export format {name:?}"))?,
        None if with_progress => ExportFormat::Kartu,
        None => by_extension().unwrap_or_else(|| export::default_format(collection, deck)),
    };
    let exported: Exported = export::export(collection, deck, format, with_progress, file)?;
    if as_json {
        writeln!(out, "{}", serde_json::to_string_pretty(&exported)?)?;
    } else {
        writeln!(
            out,
            "exported {} decks, {} notes ({} cards) as {} to {}",
            exported.decks,
            exported.notes,
            exported.cards,
            format.name(),
            file.display()
        )?;
        if exported.media > 0 {
            writeln!(out, "with {} media files", exported.media)?;
        }
        if with_progress {
            writeln!(
                out,
                "with progress: {} card states, {} reviews",
                exported.card_states, exported.reviews
            )?;
        }
        for warning in &exported.warnings {
            writeln!(out, "warning: {warning}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
