//! The command line: options, and the headless subcommands on the same core as the window.

mod args;
mod commands;
mod output;

use commands::{backup, card, decks, next, search};
mod stats;
mod transfer;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use jiff::tz::TimeZone;

pub use args::{AtArgs, BackupAction, CardArgs, Cli, Command, DeckArg, Output};
use output::{CardOut, print_card};

use crate::core::collection::{Collection, Purpose};
use crate::core::ids::{CardId, DeckId};
use crate::core::model::deck::DECK_FORMAT_VERSION;
use crate::core::storage::format::deck_file;
use crate::core::storage::paths::DataPaths;
use crate::core::time::Timestamp;

/// Runs a subcommand, printing to `out`. `clock_now` is the real time, used unless `--now` is
/// given.
pub fn run(
    cli: &Cli,
    command: &Command,
    clock_now: Timestamp,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let purpose = match command {
        Command::Check { files } => return check(files, out),
        Command::Open(_) => {
            anyhow::bail!("`kartu FILE` opens the window; it is not a headless command")
        }
        Command::Fmt { files, upgrade } => return fmt(files, *upgrade, out),
        Command::Answer { .. } | Command::Generate { .. } | Command::PutNote { .. } => {
            Purpose::Write
        }
        Command::Import { dry_run, .. } => {
            if *dry_run {
                Purpose::Read
            } else {
                Purpose::Write
            }
        }
        Command::Backup { .. } => Purpose::Repair,
        Command::Decks { .. }
        | Command::Next { .. }
        | Command::Card { .. }
        | Command::Export { .. }
        | Command::Search { .. }
        | Command::Stats { .. }
        | Command::Optimize { .. }
        | Command::Simulate { .. } => Purpose::Read,
    };
    let paths = DataPaths::resolve(cli.data_dir.clone())?;
    // The core decides how: readers take no lock (they work while a window is open), writers
    // check their arguments before reading progress once, under the lock, and restoring a
    // backup is the way out of progress that cannot be used.
    let mut collection = Collection::open_for(paths, TimeZone::system(), purpose)?;
    let mut warned = 0;
    let mut warn_new = |collection: &Collection| {
        for problem in collection.problems().iter().skip(warned) {
            eprintln!("warning: {problem}");
        }
        warned = collection.problems().len();
    };
    warn_new(&collection);
    if cli.no_fuzz {
        collection.override_fuzz(false)?;
    }
    if let Some(records) = cli.snapshot_every {
        collection.set_snapshot_every(records);
    }
    let parse_now = |now: &Option<String>| -> anyhow::Result<Timestamp> {
        now.as_deref()
            .map_or(Ok(clock_now), Timestamp::parse_rfc3339)
            .map_err(anyhow::Error::msg)
    };
    match command {
        Command::Check { .. } | Command::Fmt { .. } | Command::Open(_) => Ok(ExitCode::SUCCESS),
        Command::Generate {
            cards,
            reviews,
            now,
        } => {
            collection.become_writer()?;
            let now = parse_now(now)?;
            collection.generate_history(*cards, *reviews, now)?;
            // The statistics' counts of the new history, so `kartu stats` is quick at once.
            crate::core::stats::CountsJob::new(&collection, now).run()?;
            writeln!(
                out,
                "generated deck \"generated\" with {cards} cards and {reviews} reviews"
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Decks { output, now } => decks(&collection, parse_now(now)?, output.json, out),
        Command::Next { deck, at } => next(
            &collection,
            &DeckId(deck.deck.clone()),
            parse_now(&at.now)?,
            at.json,
            out,
        ),
        Command::Answer {
            target,
            rating,
            duration_ms,
            at,
        } => {
            let (deck, card) = (DeckId(target.deck.clone()), CardId(target.card.clone()));
            let now = parse_now(&at.now)?;
            collection.card(&deck, &card)?;
            collection.become_writer()?;
            // Found while reading progress under the lock (a damaged journal end cut off).
            warn_new(&collection);
            // Read under the lock: another process may have answered meanwhile.
            let before = collection.card_progress(&deck, &card).state;
            collection.answer(&deck, &card, *rating, now, *duration_ms)?;
            let answered = CardOut {
                rating: Some(rating.as_str()),
                previous_state: Some(before.as_str()),
                ..CardOut::new(&deck, &card, &collection.card_progress(&deck, &card), now)
            };
            // The answer is saved: failing to print it (a full disk, a closed pipe) must not
            // look like a failed answer, or a script retrying would answer twice.
            if let Err(err) = print_card(&answered, at.json, out).and_then(|()| Ok(out.flush()?)) {
                eprintln!("warning: answer saved; could not print it: {err:#}");
            }
            // The answer is safe in the journal; fold it into the snapshot now and then, and
            // back up when the policy says so, with the collection out of memory (both read
            // the files). Neither failing undoes the answer, so they are warnings: a script
            // must not retry (and answer twice).
            let mut upkeep = collection.into_upkeep(now);
            for notice in upkeep.take_notices() {
                eprintln!("warning: {notice}");
            }
            let (snapshot, backup) = upkeep.run();
            if let Err(err) = snapshot {
                eprintln!("warning: the answer is saved, but writing the snapshot failed: {err}");
            }
            if let Err(err) = backup {
                eprintln!("warning: the answer is saved, but the backup failed: {err}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Import {
            file,
            deck,
            dry_run,
            at,
        } => transfer::import(
            &mut collection,
            file,
            deck.as_deref(),
            *dry_run,
            parse_now(&at.now)?,
            at.json,
            out,
        ),
        Command::Export {
            deck,
            format,
            with_progress,
            file,
            output,
        } => transfer::export(
            &collection,
            &DeckId(deck.deck.clone()),
            format.as_deref(),
            *with_progress,
            file,
            output.json,
            out,
        ),
        Command::PutNote {
            deck,
            id,
            kind,
            front,
            back,
            tags,
            at,
        } => {
            let deck = DeckId(deck.deck.clone());
            collection.deck(&deck)?;
            collection.become_writer()?;
            warn_new(&collection);
            let kind = crate::core::model::deck::NoteKind::from_word(kind)
                .ok_or_else(|| anyhow::anyhow!("unknown note kind {kind:?}"))?;
            let mut note = crate::core::model::deck::Note {
                kind,
                tags: tags.split_whitespace().map(str::to_owned).collect(),
                ..crate::core::model::deck::Note::default()
            };
            if kind == crate::core::model::deck::NoteKind::Cloze {
                note.text.clone_from(front);
                note.extra.clone_from(back);
            } else {
                note.front.clone_from(front);
                note.back.clone_from(back);
            }
            let source = if kind == crate::core::model::deck::NoteKind::Cloze {
                crate::core::model::cloze::plain(front)
            } else {
                front.clone()
            };
            note.id = crate::core::model::deck::NoteId(match id {
                Some(id) => id.clone(),
                None => crate::core::import::ids::note_id_from_field(&source).0,
            });
            collection.stamp_added(&deck, &mut note, parse_now(&at.now)?);
            let cards = note.card_numbers().len();
            let note_id = note.id.0.clone();
            collection.put_note(&deck, note)?;
            // Saved: a failing print must not look like a failed save.
            let printed = if at.json {
                writeln!(
                    out,
                    "{}",
                    serde_json::json!({"deck": deck.0, "note": note_id, "cards": cards})
                )
            } else {
                writeln!(out, "saved note {note_id} in {deck} ({cards} cards)")
            };
            if let Err(err) = printed.and_then(|()| out.flush()) {
                eprintln!("warning: note saved; could not print it: {err}");
            }
            // Safe in the edits journal; the deck file catches up now.
            if let Err(err) = collection.fold_edits(parse_now(&at.now)?) {
                eprintln!("warning: the note is saved, but writing the deck file failed: {err}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats { deck, days, at } => stats::stats(
            &collection,
            deck.as_deref(),
            *days,
            parse_now(&at.now)?,
            at.json,
            out,
        ),
        Command::Optimize {
            deck,
            evaluate: true,
            at,
            ..
        } => stats::evaluate(
            &collection,
            deck.as_deref(),
            parse_now(&at.now)?,
            at.json,
            out,
        ),
        Command::Optimize {
            deck, apply, at, ..
        } => stats::optimize(
            &mut collection,
            deck.as_deref(),
            *apply,
            parse_now(&at.now)?,
            at.json,
            out,
        ),
        Command::Simulate { deck, at } => stats::simulate(
            &collection,
            deck.as_deref(),
            parse_now(&at.now)?,
            at.json,
            out,
        ),
        Command::Search {
            query,
            sort,
            reverse,
            limit,
            at,
        } => search(
            &collection,
            query,
            sort,
            *reverse,
            *limit,
            parse_now(&at.now)?,
            at.json,
            out,
        ),
        Command::Backup { action } => {
            let now = match action {
                BackupAction::Restore { now, .. } => parse_now(now)?,
                BackupAction::List { .. } => clock_now,
            };
            backup(&mut collection, action, now, out)
        }
        Command::Card { target, at } => card(
            &collection,
            &target.deck,
            &target.card,
            parse_now(&at.now)?,
            at.json,
            out,
        ),
    }
}

fn check(files: &[PathBuf], out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let mut failed = false;
    for path in files {
        let linted = crate::core::edit::lint::lint_file(path);
        for finding in &linted.findings {
            writeln!(out, "{finding}")?;
        }
        if linted.has_errors() {
            failed = true;
        } else if let Some(deck) = &linted.deck {
            let warnings = linted.findings.len();
            let note = match warnings {
                0 => String::new(),
                1 => ", 1 warning".to_owned(),
                n => format!(", {n} warnings"),
            };
            writeln!(
                out,
                "{}: ok, deck {:?} with {} cards{note}",
                path.display(),
                deck.id.0,
                deck.card_count()
            )?;
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn fmt(files: &[PathBuf], upgrade: bool, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    each_deck_file(files, out, |path| {
        let mut deck = deck_file::load_deck_file(path)?;
        let old_format = deck.format;
        if upgrade {
            deck.format = DECK_FORMAT_VERSION;
        }
        let canonical = deck.to_ron()?;
        if std::fs::read_to_string(path).is_ok_and(|text| text == canonical) {
            return Ok("already canonical".to_owned());
        }
        deck_file::save_deck_file(&deck, path)?;
        Ok(if old_format == deck.format {
            "rewritten".to_owned()
        } else {
            format!("rewritten as format {}", deck.format)
        })
    })
}

/// Runs `work` on each file, printing `FILE: outcome` or the error (`FILE:LINE:COL: message`);
/// fails (exit 1) if any file failed, after trying them all.
fn each_deck_file(
    files: &[PathBuf],
    out: &mut dyn Write,
    work: impl Fn(&std::path::Path) -> crate::core::Result<String>,
) -> anyhow::Result<ExitCode> {
    let mut failed = false;
    for path in files {
        match work(path) {
            Ok(outcome) => writeln!(out, "{}: {outcome}", path.display())?,
            Err(err) => {
                failed = true;
                writeln!(out, "{err}")?;
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
