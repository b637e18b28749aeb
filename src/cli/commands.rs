//! The study and search commands: `backup`, `decks`, `next`, `card`, `search`.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use anyhow::Context as _;

use super::BackupAction;
use super::output::{
    BackupOut, CardOut, DeckOut, Details, NextOut, NothingNext, Sides, print_card,
};
use crate::core::collection::Collection;
use crate::core::ids::{CardId, DeckId};
use crate::core::model::card::Rating;
use crate::core::storage::backup::BackupInfo;
use crate::core::time::{Timestamp, format_interval};

pub(super) fn backup(
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
            // The restored history's counts for the statistics (made later if this fails).
            let _ = crate::core::stats::CountsJob::new(collection, now).run();
            writeln!(out, "Restored backup {id}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn decks(
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

pub(super) fn next(
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

pub(super) fn card(
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
pub(super) fn search(
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
