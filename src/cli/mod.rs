//! The command line: options, and the headless subcommands on the same core as the window.

mod args;
mod output;
mod stats;
mod transfer;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use jiff::tz::TimeZone;

pub use args::{AtArgs, BackupAction, CardArgs, Cli, Command, DeckArg, Output};
use output::{BackupOut, CardOut, DeckOut, Details, NextOut, NothingNext, Sides, print_card};

use crate::core::collection::{Collection, Purpose};
use crate::core::ids::{CardId, DeckId};
use crate::core::model::card::Rating;
use crate::core::model::deck::DECK_FORMAT_VERSION;
use crate::core::storage::backup::BackupInfo;
use crate::core::storage::format::deck_file;
use crate::core::storage::paths::DataPaths;
use crate::core::time::{Timestamp, format_interval};

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
        | Command::Optimize { .. } => Purpose::Read,
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
            collection.generate_history(*cards, *reviews, parse_now(now)?)?;
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
        Command::Optimize { deck, apply, at } => stats::optimize(
            &mut collection,
            deck.as_deref(),
            *apply,
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

fn backup(
    collection: &mut Collection,
    action: &BackupAction,
    now: Timestamp,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    match action {
        BackupAction::List { output } => {
            let backups = collection.backups()?;
            if output.json {
                let list: Vec<BackupOut<'_>> = backups
                    .iter()
                    .map(|b: &BackupInfo| BackupOut {
                        id: &b.id,
                        at: b.at.to_rfc3339(),
                        cards: b.cards,
                        reviews: b.reviews,
                        seq: b.seq,
                        path: b.path.display().to_string(),
                    })
                    .collect();
                writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
            } else if backups.is_empty() {
                writeln!(out, "No backups yet.")?;
            } else {
                for b in &backups {
                    writeln!(
                        out,
                        "{}\t{}\t{} cards\t{} reviews",
                        b.id, b.at, b.cards, b.reviews
                    )?;
                }
            }
        }
        BackupAction::Restore { id, .. } => {
            // Check the backup exists before setting anything aside.
            if !collection.backups()?.iter().any(|b| &b.id == id) {
                return Err(crate::core::Error::UnknownBackup(id.clone()).into());
            }
            collection.become_writer()?;
            let moved = collection.set_aside_corrupt_progress(now)?;
            for path in moved {
                writeln!(out, "Unreadable progress moved to {}", path.display())?;
            }
            // Progress whose files do not fit together is restored over (copies are kept);
            // anything else unreadable (a newer Kartu's, permissions) stops here.
            if let Some(reason) = collection.progress_error()
                && !collection.progress_restorable()
            {
                anyhow::bail!("{reason}");
            }
            if let Some(current) = collection.restore_backup(id, now)? {
                writeln!(out, "Current progress backed up as {}", current.id)?;
            }
            writeln!(out, "Restored backup {id}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn decks(
    collection: &Collection,
    now: Timestamp,
    as_json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let summaries = collection.deck_summaries(now);
    if as_json {
        let list: Vec<DeckOut<'_>> = summaries
            .iter()
            .map(|s| DeckOut {
                id: &s.id.0,
                title: &s.title,
                language: &s.language,
                cards: s.card_count,
                new: s.counts.new,
                learning: s.counts.learning,
                due: s.counts.due,
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
    } else {
        for s in &summaries {
            writeln!(
                out,
                "{}\t{}\tnew {}\tlearning {}\tdue {}\t({} cards)",
                s.id, s.title, s.counts.new, s.counts.learning, s.counts.due, s.card_count
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn next(
    collection: &Collection,
    deck: &DeckId,
    now: Timestamp,
    as_json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    // The next card of the deck or of a sub-deck.
    let Some((card_deck, card_id)) = collection.next_study_card(deck, now)? else {
        let next_due = collection.next_due(deck, now)?;
        if as_json {
            let value = NothingNext {
                deck: &deck.0,
                card: None,
                next_due: next_due.map(Timestamp::to_rfc3339),
            };
            writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        } else {
            match next_due {
                Some(due) => writeln!(out, "Nothing to study in {deck} now; next card due {due}")?,
                None => writeln!(out, "Nothing to study in {deck}")?,
            }
        }
        return Ok(ExitCode::SUCCESS);
    };
    let deck = &card_deck;
    let card = collection.card(deck, &card_id)?;
    let value = CardOut {
        sides: Some(Sides {
            front: card.question(),
            back: card.answer(),
        }),
        details: Some(Details {
            notes: card.notes(),
            example: card.example(),
            tags: card.tags().collect(),
        }),
        ..CardOut::new(
            deck,
            &card_id,
            &collection.card_progress(deck, &card_id),
            now,
        )
    };
    print_card(&value, as_json, out)?;
    Ok(ExitCode::SUCCESS)
}

fn card(
    collection: &Collection,
    deck: &str,
    card: &str,
    now: Timestamp,
    as_json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let (deck, card_id) = (DeckId(deck.to_owned()), CardId(card.to_owned()));
    let card = collection.card(&deck, &card_id)?;
    let preview = collection
        .preview(&deck, &card_id, now)
        .with_context(|| format!("scheduling card {card_id}"))?;
    let next: BTreeMap<&str, NextOut> = Rating::ALL
        .into_iter()
        .map(|rating| {
            let state = preview.get(rating);
            let next = NextOut {
                state: state.state.as_str(),
                due: state.due.to_rfc3339(),
                interval_secs: state.interval_secs,
                stability: state.stability,
                difficulty: state.difficulty,
            };
            (rating.as_str(), next)
        })
        .collect();
    let value = CardOut {
        sides: Some(Sides {
            front: card.question(),
            back: card.answer(),
        }),
        next: Some(next),
        ..CardOut::new(
            &deck,
            &card_id,
            &collection.card_progress(&deck, &card_id),
            now,
        )
    };
    if as_json {
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
    } else {
        print_card(&value, false, out)?;
        for rating in Rating::ALL {
            let state = preview.get(rating);
            writeln!(
                out,
                "  {:<6} -> {} in {}, due {}",
                rating.as_str(),
                state.state,
                format_interval(state.interval_secs),
                state.due
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::too_many_arguments, reason = "one per option of the command")]
fn search(
    collection: &Collection,
    query: &str,
    sort: &str,
    reverse: bool,
    limit: Option<usize>,
    now: Timestamp,
    as_json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    use crate::core::search::{SearchIndex, SortColumn, context};
    let Some(column) = SortColumn::from_name(sort) else {
        let names: Vec<&str> = SortColumn::ALL.iter().map(|c| c.name()).collect();
        anyhow::bail!("--sort {sort:?}: sort by one of {}", names.join(", "));
    };
    let needs_reviews = SearchIndex::query_needs_reviews(query)
        .map_err(|err| anyhow::anyhow!("{}", search_error(query, &err)))?;
    let mut index = SearchIndex::build(collection, now);
    if needs_reviews {
        index.load_reviews(collection)?;
    }
    let rows = index
        .search(query, &context(collection, now), column, reverse)
        .map_err(|err| anyhow::anyhow!("{}", search_error(query, &err)))?;
    let shown = rows.iter().take(limit.unwrap_or(usize::MAX));
    if as_json {
        let found: Vec<_> = shown
            .filter_map(|&row| index.found(row, collection))
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&found)?)?;
    } else {
        for &row in shown {
            if let Some(card) = index.found(row, collection) {
                let front: String = card
                    .front
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .chars()
                    .take(60)
                    .collect();
                writeln!(out, "{}\t{}\t{}\t{front}", card.deck, card.card, card.state)?;
            }
        }
        if rows.is_empty() {
            writeln!(out, "No cards match.")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A query error with the query and a caret under the spot.
fn search_error(query: &str, err: &crate::core::search::SearchError) -> String {
    format!(
        "search: {} (at character {})\n  {query}\n  {}^",
        err.message,
        err.position + 1,
        " ".repeat(err.position)
    )
}
