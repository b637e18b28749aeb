//! The command line: options, and the headless subcommands on the same core as the window.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::{Args, Parser, Subcommand};
use jiff::tz::TimeZone;
use serde_json::{Value, json};

use crate::core::collection::{Access, Collection};
use crate::core::deck::{self, CardId, DeckId};
use crate::core::scheduler::{CardProgress, CardState, Rating};
use crate::core::storage::DataPaths;
use crate::core::time::Timestamp;

/// Kartu: offline flashcards with the FSRS scheduler.
///
/// Without a command it opens the window. The commands run headless on the same data, for
/// scripts and tests.
#[derive(Debug, Parser)]
#[command(name = "kartu", version, about, long_about)]
pub struct Cli {
    /// Data directory for progress, settings and imported decks [default: the platform data
    /// directory, e.g. ~/.local/share/kartu]
    #[arg(long, global = true, env = "KARTU_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Turn interval fuzz off, for reproducible schedules
    #[arg(long, global = true)]
    pub no_fuzz: bool,

    /// Fold the journal into a new snapshot after this many answers (for crash tests)
    #[arg(
        long,
        global = true,
        hide = true,
        env = "KARTU_SNAPSHOT_EVERY",
        value_name = "N"
    )]
    pub snapshot_every: Option<usize>,

    /// What to do; none opens the window
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The headless subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate deck files; problems are printed as `FILE:LINE:COL: message` (exit 1)
    Check {
        /// Deck files to check
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Fill the data directory with a generated deck and history, for scale tests
    #[command(hide = true)]
    Generate {
        /// Cards in the generated deck `generated`
        #[arg(long, default_value_t = 100_000)]
        cards: usize,
        /// Reviews in the generated history, spread over the cards
        #[arg(long, default_value_t = 1_000_000)]
        reviews: usize,
        /// The time the history ends at (RFC 3339) [default: now]
        #[arg(long, value_name = "TIME")]
        now: Option<String>,
    },
    /// Rewrite deck files in canonical form (stable field order and layout), after checking them
    Fmt {
        /// Deck files to rewrite; invalid files are reported and left untouched
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// List decks with their ids, titles and today's new/learning/due counts
    Decks {
        /// Output format.
        #[command(flatten)]
        output: Output,
        /// The time to count for (RFC 3339) [default: now]
        #[arg(long, value_name = "TIME")]
        now: Option<String>,
    },
    /// Show the next card to study in a deck, if any
    Next {
        /// The deck.
        #[command(flatten)]
        deck: DeckArg,
        /// Time and output format.
        #[command(flatten)]
        at: AtArgs,
    },
    /// Record one answer and print the card's new state
    Answer {
        /// The card.
        #[command(flatten)]
        target: CardArgs,
        /// The answer: again, hard, good or easy (or 1-4)
        #[arg(long)]
        rating: Rating,
        /// How long the card was looked at, in milliseconds
        #[arg(long, default_value_t = 0, value_name = "MS")]
        duration_ms: u32,
        /// Time and output format.
        #[command(flatten)]
        at: AtArgs,
    },
    /// Show a card's state and what each rating would give now
    Card {
        /// The card.
        #[command(flatten)]
        target: CardArgs,
        /// Time and output format.
        #[command(flatten)]
        at: AtArgs,
    },
    /// List or restore backups of progress (made every 30 minutes of study at most)
    Backup {
        /// What to do with backups.
        #[command(subcommand)]
        action: BackupAction,
    },
}

/// `kartu backup ...`.
#[derive(Debug, Subcommand)]
pub enum BackupAction {
    /// List backups, newest first, with their card and review counts
    List {
        /// Output format.
        #[command(flatten)]
        output: Output,
    },
    /// Replace progress with a backup (the current progress is backed up first)
    Restore {
        /// The backup's id, as `kartu backup list` shows it
        id: String,
        /// The time of the restore (RFC 3339), which names the backup of the current state
        /// [default: now]
        #[arg(long, value_name = "TIME")]
        now: Option<String>,
    },
}

/// `--json`.
#[derive(Debug, Args)]
pub struct Output {
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

/// `--deck ID`.
#[derive(Debug, Args)]
pub struct DeckArg {
    /// Deck id (see `kartu decks`)
    #[arg(long, value_name = "ID")]
    pub deck: String,
}

/// `--deck ID --card ID`.
#[derive(Debug, Args)]
pub struct CardArgs {
    /// Deck id (see `kartu decks`)
    #[arg(long, value_name = "ID")]
    pub deck: String,
    /// Card id within the deck
    #[arg(long, value_name = "ID")]
    pub card: String,
}

/// `--now TIME --json`.
#[derive(Debug, Args)]
pub struct AtArgs {
    /// The time of the action (RFC 3339, e.g. 2026-11-25T09:00:00Z) [default: now]
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

/// Runs a subcommand, printing to `out`. `clock_now` is the real time, used unless `--now` is
/// given.
pub fn run(
    cli: &Cli,
    command: &Command,
    clock_now: Timestamp,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    match command {
        Command::Check { files } => return check(files, out),
        Command::Fmt { files } => return fmt(files, out),
        _ => {}
    }
    let paths = DataPaths::resolve(cli.data_dir.clone())?;
    // Read-only first: the others work while a window holds the lock, and `answer` checks its
    // deck and card before it takes the lock and writes anything.
    // Commands that write read progress once, under the lock.
    let access = if matches!(command, Command::Answer { .. } | Command::Generate { .. }) {
        Access::Deferred
    } else {
        Access::ReadOnly
    };
    let mut collection = Collection::open(paths, TimeZone::system(), access)?;
    // Restoring a backup is the way out of unreadable progress; everything else stops.
    if let Some(reason) = collection.progress_error()
        && !matches!(command, Command::Backup { .. })
    {
        bail!("{reason}");
    }
    // A deck file that does not parse stops the data commands too, naming it; the window
    // moves it aside.
    if !collection.unreadable_decks().is_empty() && !matches!(command, Command::Backup { .. }) {
        let errors: Vec<&str> = collection
            .unreadable_decks()
            .iter()
            .map(|(_, error)| error.as_str())
            .collect();
        bail!(
            "{}\nthe file was left as it is; fix or remove it (opening the window moves it aside)",
            errors.join("\n")
        );
    }
    for problem in collection.problems() {
        eprintln!("warning: {problem}");
    }
    let problems_shown = collection.problems().len();
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
        Command::Check { .. } | Command::Fmt { .. } => unreachable_check(),
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
            if let Some(reason) = collection.progress_error() {
                bail!("{reason}");
            }
            // Found while reading progress under the lock (a damaged journal end cut off).
            for problem in collection.problems().iter().skip(problems_shown) {
                eprintln!("warning: {problem}");
            }
            // Read under the lock: another process may have answered meanwhile.
            let before = collection.card_progress(&deck, &card).state;
            collection.answer(&deck, &card, *rating, now, *duration_ms)?;
            let mut value = card_json(&deck, &card, &collection.card_progress(&deck, &card), now);
            value["rating"] = json!(rating.as_str());
            value["previous_state"] = json!(before.as_str());
            // The answer is saved: failing to print it (a full disk, a closed pipe) must not
            // look like a failed answer, or a script retrying would answer twice.
            if let Err(err) = print_card(&value, at.json, out).and_then(|_| Ok(out.flush()?)) {
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

fn unreachable_check() -> anyhow::Result<ExitCode> {
    bail!("internal error: check and fmt are handled before opening the data directory")
}

fn check(files: &[PathBuf], out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    each_deck_file(files, out, |path| {
        let deck = deck::load_packed_deck_file(path)?;
        Ok(format!(
            "ok, deck {:?} with {} cards",
            deck.id.0,
            deck.len()
        ))
    })
}

fn fmt(files: &[PathBuf], out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    each_deck_file(files, out, |path| {
        let deck = deck::load_deck_file(path)?;
        let canonical = deck.to_ron();
        if std::fs::read_to_string(path).is_ok_and(|text| text == canonical) {
            return Ok("already canonical".to_owned());
        }
        deck::save_deck_file(&deck, path)?;
        Ok("rewritten".to_owned())
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
                let list: Vec<Value> = backups
                    .iter()
                    .map(|b| {
                        json!({
                            "id": b.id, "at": b.at.to_rfc3339(), "cards": b.cards,
                            "reviews": b.reviews, "seq": b.seq, "path": b.path.display().to_string(),
                        })
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
                bail!("{reason}");
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
        let list: Vec<Value> = summaries
            .iter()
            .map(|s| {
                json!({
                    "id": s.id.0, "title": s.title, "language": s.language, "cards": s.card_count,
                    "new": s.counts.new, "learning": s.counts.learning, "due": s.counts.due,
                })
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
    let Some(card_id) = collection.next_card(deck, now)? else {
        let next_due = collection.next_due(deck, now)?;
        if as_json {
            let value = json!({"deck": deck.0, "card": null, "next_due": next_due.map(Timestamp::to_rfc3339)});
            writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        } else {
            match next_due {
                Some(due) => writeln!(out, "Nothing to study in {deck} now; next card due {due}")?,
                None => writeln!(out, "Nothing to study in {deck}")?,
            }
        }
        return Ok(ExitCode::SUCCESS);
    };
    let card = collection.card(deck, &card_id)?;
    let mut value = card_json(
        deck,
        &card_id,
        &collection.card_progress(deck, &card_id),
        now,
    );
    value["front"] = json!(card.front());
    value["back"] = json!(card.back());
    value["notes"] = json!(card.notes());
    value["example"] = json!(card.example());
    value["tags"] = json!(card.tags().collect::<Vec<_>>());
    print_card(&value, as_json, out)
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
    let mut value = card_json(
        &deck,
        &card_id,
        &collection.card_progress(&deck, &card_id),
        now,
    );
    value["front"] = json!(card.front());
    value["back"] = json!(card.back());
    let mut next = serde_json::Map::new();
    for rating in Rating::ALL {
        let state = preview.get(rating);
        next.insert(
            rating.as_str().to_owned(),
            json!({
                "state": state.state.as_str(), "due": state.due.to_rfc3339(),
                "interval_secs": state.interval_secs, "stability": state.stability, "difficulty": state.difficulty,
            }),
        );
    }
    value["next"] = Value::Object(next);
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
                crate::core::time::format_interval(state.interval_secs),
                state.due
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A card's state as the JSON object the CLI prints.
fn card_json(deck: &DeckId, card: &CardId, progress: &CardProgress, now: Timestamp) -> Value {
    // A new card has no due time of its own: it is available now, as the daily limit allows.
    let due = if progress.state == CardState::New {
        now
    } else {
        progress.due
    };
    json!({
        "deck": deck.0,
        "card": card.0,
        "state": progress.state.as_str(),
        "due": due.to_rfc3339(),
        "interval_secs": progress.interval_secs,
        "stability": progress.stability,
        "difficulty": progress.difficulty,
        "reps": progress.reps,
        "lapses": progress.lapses,
        "remaining_steps": progress.remaining_steps,
        "last_review": progress.last_review.map(Timestamp::to_rfc3339),
    })
}

fn print_card(value: &Value, as_json: bool, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    if as_json {
        writeln!(out, "{}", serde_json::to_string_pretty(value)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let field = |name: &str| match &value[name] {
        Value::String(text) => text.clone(),
        Value::Null => "-".to_owned(),
        other => other.to_string(),
    };
    writeln!(out, "{} / {}", field("deck"), field("card"))?;
    if !value["front"].is_null() {
        writeln!(out, "  front: {}", field("front"))?;
        writeln!(out, "  back:  {}", field("back"))?;
    }
    writeln!(
        out,
        "  state: {}  due: {}  interval: {}s  stability: {}  difficulty: {}  reps: {}  lapses: {}",
        field("state"),
        field("due"),
        field("interval_secs"),
        field("stability"),
        field("difficulty"),
        field("reps"),
        field("lapses")
    )?;
    Ok(ExitCode::SUCCESS)
}
