//! The command line's options and subcommands (clap): every name here is an interface scripts
//! use, so names are only ever added, never changed.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::core::model::card::Rating;

/// Kartu: offline flashcards with the FSRS scheduler.
///
/// Without a command it opens the window; `kartu FILE` opens it on FILE's import preview
/// (.ron, .kartu, .apkg, .colpkg, .csv, .tsv, .txt), or hands FILE to the Kartu window
/// already open. The commands run headless on the same data, for scripts and tests.
#[derive(Debug, Parser)]
#[command(
    name = "kartu",
    version,
    about,
    long_about,
    allow_external_subcommands = true
)]
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
    /// Check deck files and packages: every problem as `FILE:LINE:COL: message` (exit 1),
    /// every lint (duplicate fronts, missing or oversized images, overly long cards) as
    /// `FILE:LINE:COL: warning: message` (exit 0 with warnings only)
    Check {
        /// Deck files (.ron) or packages (.kartu) to check
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
        /// Rewrite format 1 files as format 2 (notes); card ids and progress are kept
        #[arg(long)]
        upgrade: bool,
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
    /// Import decks (Kartu .ron/.kartu, CSV/TSV, Anki .txt/.apkg/.colpkg), printing what was
    /// added, changed and removed per deck; a deck already installed is updated, progress kept
    Import {
        /// The file to import
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The deck to import into: every note goes into it (a file with one deck is installed
        /// under this id) [default: the decks the file names, else one named after the file]
        #[arg(long, value_name = "ID")]
        deck: Option<String>,
        /// Print what the import would change, and change nothing
        #[arg(long)]
        dry_run: bool,
        /// Time and output format.
        #[command(flatten)]
        at: AtArgs,
    },
    /// Export a deck: a Kartu package or deck file, CSV/TSV (with its sub-decks), or Anki's
    /// plain-text notes (with its sub-decks)
    Export {
        /// The deck.
        #[command(flatten)]
        deck: DeckArg,
        /// kartu, ron, csv or anki-txt [default: by FILE's extension, else kartu for a deck
        /// with images and ron for one without]
        #[arg(long, value_name = "FORMAT", value_parser = ["kartu", "ron", "csv", "anki-txt"])]
        format: Option<String>,
        /// Include the learner's progress and reviews (Kartu packages only)
        #[arg(long)]
        with_progress: bool,
        /// The file to write (replaced if it exists)
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Output format.
        #[command(flatten)]
        output: Output,
    },
    /// Add a note to a deck, or replace the note with its id: saved in the edits journal
    /// before it is printed, then written into the deck file (a bundled deck becomes your
    /// copy in the data directory, one version up; progress is kept)
    PutNote {
        /// The deck.
        #[command(flatten)]
        deck: DeckArg,
        /// The note's id [default: made from the front or the cloze text]
        #[arg(long, value_name = "ID")]
        id: Option<String>,
        /// basic, reversed, `optional_reversed` or cloze
        #[arg(long, default_value = "basic", value_parser = ["basic", "reversed", "optional_reversed", "cloze"])]
        kind: String,
        /// The front (the cloze text for a cloze note), Markdown
        #[arg(long, value_name = "TEXT")]
        front: String,
        /// The back (the extra for a cloze note), Markdown
        #[arg(long, value_name = "TEXT", default_value = "")]
        back: String,
        /// Tags, separated by spaces
        #[arg(long, value_name = "TAGS", default_value = "")]
        tags: String,
        /// Time and output format.
        #[command(flatten)]
        at: AtArgs,
    },
    /// Statistics: today, the future due load, the calendar and streaks, reviews per day,
    /// card counts, distributions, answer buttons, hours and Anki's true retention
    Stats {
        /// One deck (with its sub-decks) [default: every deck]
        #[arg(long, value_name = "ID")]
        deck: Option<String>,
        /// Days of history (0: all) [default: 30]
        #[arg(long, value_name = "N", default_value_t = 30)]
        days: u32,
        /// Time and output format.
        #[command(flatten)]
        at: AtArgs,
    },
    /// Fit the FSRS parameters to your review history (as Anki's Optimize does) and print
    /// them with their log loss and RMSE beside the current ones'
    Optimize {
        /// Only the reviews of this deck (with its sub-decks) [default: every deck]
        #[arg(long, value_name = "ID")]
        deck: Option<String>,
        /// Use the new parameters from now on (only when they are better, as in Anki)
        #[arg(long, conflicts_with = "evaluate")]
        apply: bool,
        /// Only score the parameters in use on the history (Anki's Evaluate): log loss and
        /// RMSE, fitting nothing
        #[arg(long)]
        evaluate: bool,
        /// Time and output format.
        #[command(flatten)]
        at: AtArgs,
    },
    /// Simulate the next year of study at each desired retention from 0.70 to 0.97 (the
    /// `fsrs` crate's simulator, as Anki's workload graph) and name the retention that costs
    /// least time per card remembered
    Simulate {
        /// Only the cards of this deck (with its sub-decks) [default: every deck]
        #[arg(long, value_name = "ID")]
        deck: Option<String>,
        /// Time and output format.
        #[command(flatten)]
        at: AtArgs,
    },
    /// Find cards with Anki's search syntax (see the README), sorted
    Search {
        /// The query, e.g. `deck:Peer is:due -tag:leech` (empty: every card)
        #[arg(value_name = "QUERY", default_value = "")]
        query: String,
        /// Sort by: `sort_field` (`front`), `deck`, `kind`, `tags`, `state`, `due`, `interval`,
        /// `stability`, `difficulty`, `reps`, `lapses`, `added`, `last_review`
        #[arg(long, value_name = "COLUMN", default_value = "sort_field")]
        sort: String,
        /// Reverse the order
        #[arg(long)]
        reverse: bool,
        /// Print at most N cards
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// Time and output format.
        #[command(flatten)]
        at: AtArgs,
    },
    /// `kartu FILE`: anything that is not a command is a file to open in the window.
    #[command(external_subcommand)]
    Open(Vec<OsString>),
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
