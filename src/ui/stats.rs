//! The statistics screen: a deck (or all) and a range, then today's work, the future due
//! load, a year's calendar, reviews per day, card counts, distributions, answer buttons, an
//! hourly breakdown and Anki's true-retention table. Charts are `egui_plot`, values on hover,
//! colours from the theme.

use egui::RichText;
use egui_plot::{Bar, BarChart, Legend, Line, Plot, PlotPoints};

use super::command::Command;
use super::i18n::{StatsTexts, Texts, fill};
use super::theme;
use crate::core::ids::DeckId;
use crate::core::stats::{Histogram, RetentionRow, Stats};

/// What the statistics screen lets the learner choose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatsDraft {
    /// One deck (with its sub-decks), or every deck.
    pub deck: Option<DeckId>,
    /// Days of history: 30, 365, or 0 for all.
    pub days: u32,
}

impl Default for StatsDraft {
    fn default() -> Self {
        Self {
            deck: None,
            days: 30,
        }
    }
}

/// The ranges offered, in days (0: all history).
pub const RANGES: [u32; 3] = [30, 365, 0];

/// What the statistics screen shows besides its draft.
pub struct StatsView<'a> {
    /// The figures (for the draft's deck and range).
    pub stats: &'a Stats,
    /// Decks to choose from: id and title.
    pub decks: &'a [(DeckId, String)],
    /// Learner dates (`YYYY-MM-DD`) of the calendar's 365 days, oldest first.
    pub calendar_dates: &'a [String],
    /// The figures for the deck and range chosen are being computed (those shown are for
    /// the previous choice, or none yet).
    pub computing: bool,
    /// Whether any figures were computed yet (before, only the controls are drawn, not
    /// zeros that are not true).
    pub ready: bool,
}

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "–".to_owned(), |s| format!("{:.1}%", s * 100.0))
}

/// Shows the statistics screen.
pub fn stats_ui(
    ui: &mut egui::Ui,
    draft: &mut StatsDraft,
    view: &StatsView<'_>,
    tr: &Texts,
    commands: &mut Vec<Command>,
) {
    let t = tr.stats;
    let stats = view.stats;
    ui.horizontal(|ui| {
        ui.heading(t.statistics);
        let label = ui.label(tr.edit.deck);
        let current = draft.deck.as_ref().map_or(t.all_decks.to_owned(), |id| {
            view.decks
                .iter()
                .find(|(d, _)| d == id)
                .map_or(id.0.clone(), |(_, title)| title.clone())
        });
        egui::ComboBox::from_id_salt("stats-deck")
            .selected_text(current)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut draft.deck, None, t.all_decks);
                for (id, title) in view.decks {
                    ui.selectable_value(&mut draft.deck, Some(id.clone()), title);
                }
            })
            .response
            .labelled_by(label.id);
        for (days, name) in RANGES.into_iter().zip(t.ranges) {
            ui.radio_value(&mut draft.days, days, name);
        }
        if ui.button(tr.back_to_decks).clicked() {
            commands.push(Command::ShowDecks);
        }
    });
    if ui.input(|input| input.key_pressed(egui::Key::Escape)) {
        commands.push(Command::ShowDecks);
    }
    if view.computing {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(t.computing);
        });
    }
    if !view.ready {
        return;
    }
    ui.add_space(theme::SECTION_GAP / 2.0);
    let section = |ui: &mut egui::Ui, index: usize| {
        ui.add_space(theme::SECTION_GAP / 2.0);
        ui.strong(RichText::new(t.sections[index]).size(theme::CARD_DETAIL_SIZE + 2.0));
    };
    section(ui, 0);
    if stats.today.studied == 0 {
        ui.label(t.nothing_today);
    } else {
        ui.label(fill(
            t.today_line,
            &[
                ("n", &stats.today.studied.to_string()),
                ("min", &(stats.today.seconds / 60).to_string()),
                ("again", &stats.today.again.to_string()),
                ("rate", &percent(stats.today.correct_rate)),
            ],
        ));
    }
    section(ui, 4);
    card_counts_ui(ui, stats, t);
    section(ui, 1);
    let week: u32 = stats.future_due.iter().take(7).sum();
    ui.label(fill(
        t.due_line,
        &[
            ("overdue", &stats.overdue.to_string()),
            (
                "today",
                &stats.future_due.first().copied().unwrap_or(0).to_string(),
            ),
            ("week", &week.to_string()),
        ],
    ));
    future_ui(ui, stats, t);
    section(ui, 2);
    ui.label(fill(
        t.streak_line,
        &[
            ("current", &stats.current_streak.to_string()),
            ("longest", &stats.longest_streak.to_string()),
            ("share", &percent(Some(stats.days_studied_share))),
        ],
    ));
    calendar_ui(ui, stats, view.calendar_dates, t);
    section(ui, 3);
    reviews_ui(ui, stats, t);
    section(ui, 5);
    ui.columns(2, |columns| {
        let hists: [&Histogram; 4] = [
            &stats.intervals,
            &stats.stability,
            &stats.difficulty,
            &stats.retrievability,
        ];
        for (i, (hist, name)) in hists.into_iter().zip(t.distributions).enumerate() {
            histogram_ui(&mut columns[i % 2], hist, name, i);
        }
    });
    section(ui, 6);
    buttons_ui(ui, stats, tr);
    section(ui, 7);
    hours_ui(ui, stats, t);
    section(ui, 8);
    retention_ui(ui, stats, t);
}

fn card_counts_ui(ui: &mut egui::Ui, stats: &Stats, t: &StatsTexts) {
    let c = &stats.cards;
    let values = [
        c.new,
        c.learning,
        c.relearning,
        c.young,
        c.mature,
        c.suspended,
        c.buried,
    ];
    let colors = [
        theme::NEW_COLOR,
        theme::LEARNING_COLOR,
        theme::ERROR_COLOR,
        theme::DUE_COLOR,
        theme::MATURE_COLOR,
        theme::HELD_COLOR,
        theme::HELD_COLOR,
    ];
    ui.horizontal_wrapped(|ui| {
        for ((value, name), color) in values.iter().zip(t.states).zip(colors) {
            // The name says what the colour shows: nothing by colour alone.
            ui.label(RichText::new(format!("{name}: {value}")).color(color));
            ui.add_space(theme::SECTION_GAP / 2.0);
        }
    });
}

fn chart(id: &str, height: f32) -> Plot<'static> {
    Plot::new(id.to_owned())
        .height(height)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .legend(Legend::default())
}

fn future_ui(ui: &mut egui::Ui, stats: &Stats, t: &StatsTexts) {
    let bars: Vec<Bar> = stats
        .future_due
        .iter()
        .enumerate()
        .map(|(day, n)| Bar::new(day as f64, f64::from(*n)).width(0.8))
        .collect();
    let mut total = 0.0;
    let running: Vec<[f64; 2]> = stats
        .future_due
        .iter()
        .enumerate()
        .map(|(day, n)| {
            total += f64::from(*n);
            [day as f64, total]
        })
        .collect();
    chart("stats-future", theme::CHART_HEIGHT)
        .x_axis_label(t.days_axis)
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new(t.due, bars).color(theme::DUE_COLOR));
            plot.line(
                Line::new(t.running_total, PlotPoints::from(running)).color(theme::NEW_COLOR),
            );
        });
}

fn reviews_ui(ui: &mut egui::Ui, stats: &Stats, t: &StatsTexts) {
    let series = |pick: fn(&crate::core::stats::DayReviews) -> u32| -> Vec<Bar> {
        stats
            .reviews
            .iter()
            .map(|d| Bar::new(-f64::from(d.days_ago), f64::from(pick(d))).width(0.8))
            .collect()
    };
    let learning = BarChart::new(t.kinds[0], series(|d| d.learning)).color(theme::LEARNING_COLOR);
    let review = BarChart::new(t.kinds[1], series(|d| d.review))
        .color(theme::DUE_COLOR)
        .stack_on(&[&learning]);
    let relearning = BarChart::new(t.kinds[2], series(|d| d.relearning))
        .color(theme::ERROR_COLOR)
        .stack_on(&[&learning, &review]);
    chart("stats-reviews", theme::CHART_HEIGHT)
        .x_axis_label(t.days_axis)
        .show(ui, |plot| {
            plot.bar_chart(learning);
            plot.bar_chart(review);
            plot.bar_chart(relearning);
        });
}

fn histogram_ui(ui: &mut egui::Ui, hist: &Histogram, name: &str, index: usize) {
    let bars: Vec<Bar> = hist
        .counts
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let label = match (hist.edges.get(i), hist.edges.get(i + 1)) {
                (Some(low), Some(high)) => format!("{low}–{high}"),
                (Some(low), None) => format!("{low}+"),
                _ => String::new(),
            };
            Bar::new(i as f64, f64::from(*n)).width(0.8).name(label)
        })
        .collect();
    ui.label(name);
    chart(&format!("stats-hist-{index}"), theme::CHART_HEIGHT * 0.7).show(ui, |plot| {
        plot.bar_chart(BarChart::new(name, bars).color(theme::NEW_COLOR));
    });
}

fn buttons_ui(ui: &mut egui::Ui, stats: &Stats, tr: &Texts) {
    let t = tr.stats;
    egui::Grid::new("stats-buttons")
        .striped(true)
        .spacing([24.0, 6.0])
        .show(ui, |ui| {
            ui.label("");
            for rating in tr.ratings {
                ui.strong(rating);
            }
            ui.end_row();
            for (name, buttons) in t.maturities.iter().zip([
                &stats.buttons_learning,
                &stats.buttons_young,
                &stats.buttons_mature,
            ]) {
                ui.label(*name);
                let total: u32 = buttons.counts.iter().sum();
                for count in buttons.counts {
                    let share = (total > 0).then(|| f64::from(count) / f64::from(total));
                    ui.label(format!("{count} ({})", percent(share)));
                }
                ui.end_row();
            }
        });
}

fn hours_ui(ui: &mut egui::Ui, stats: &Stats, t: &StatsTexts) {
    let bars: Vec<Bar> = stats
        .hours
        .iter()
        .map(|h| Bar::new(f64::from(h.hour), f64::from(h.reviews)).width(0.8))
        .collect();
    let most = stats
        .hours
        .iter()
        .map(|h| h.reviews)
        .max()
        .unwrap_or(0)
        .max(1);
    // Success rate drawn on the answers' scale (100 % at the tallest bar); the hover says %.
    let success: Vec<[f64; 2]> = stats
        .hours
        .iter()
        .filter(|h| h.reviews > 0)
        .map(|h| {
            let rate = f64::from(h.passed) / f64::from(h.reviews);
            [f64::from(h.hour), rate * f64::from(most)]
        })
        .collect();
    chart("stats-hours", theme::CHART_HEIGHT).show(ui, |plot| {
        plot.bar_chart(BarChart::new(t.answers, bars).color(theme::NEW_COLOR));
        plot.line(Line::new(t.success, PlotPoints::from(success)).color(theme::DUE_COLOR));
    });
}

fn retention_ui(ui: &mut egui::Ui, stats: &Stats, t: &StatsTexts) {
    let r = &stats.retention;
    let rows: [&RetentionRow; 6] = [
        &r.today,
        &r.yesterday,
        &r.week,
        &r.month,
        &r.year,
        &r.all_time,
    ];
    egui::Grid::new("stats-retention")
        .striped(true)
        .spacing([24.0, 6.0])
        .show(ui, |ui| {
            for column in t.retention_columns {
                ui.strong(column);
            }
            ui.end_row();
            for (period, row) in t.periods.iter().zip(rows) {
                ui.label(*period);
                ui.label(percent(row.young));
                ui.label(percent(row.mature));
                ui.label(percent(row.total));
                ui.end_row();
            }
        });
}

fn calendar_ui(ui: &mut egui::Ui, stats: &Stats, dates: &[String], t: &StatsTexts) {
    let most = stats.calendar.iter().copied().max().unwrap_or(0).max(1);
    let cell = theme::CALENDAR_CELL;
    let weeks = stats.calendar.len().div_ceil(7);
    let size = egui::vec2(weeks as f32 * (cell + 2.0), 7.0 * (cell + 2.0));
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::hover());
    let painter = ui.painter_at(rect);
    let empty = ui.visuals().faint_bg_color;
    let mut hovered = None;
    for (i, count) in stats.calendar.iter().enumerate() {
        let (week, weekday) = (i / 7, i % 7);
        let min = rect.min + egui::vec2(week as f32 * (cell + 2.0), weekday as f32 * (cell + 2.0));
        let square = egui::Rect::from_min_size(min, egui::vec2(cell, cell));
        let color = if *count == 0 {
            empty
        } else {
            let strength = 0.25
                + 0.75 * f32::from(u16::try_from(*count).unwrap_or(u16::MAX))
                    / f32::from(u16::try_from(most).unwrap_or(u16::MAX));
            theme::DUE_COLOR.gamma_multiply(strength.min(1.0))
        };
        painter.rect_filled(square, 2.0, color);
        if response.hover_pos().is_some_and(|p| square.contains(p)) {
            hovered = Some(i);
        }
    }
    if let Some(i) = hovered {
        let date = dates.get(i).cloned().unwrap_or_default();
        response.on_hover_text(fill(
            t.calendar_day,
            &[("date", &date), ("n", &stats.calendar[i].to_string())],
        ));
    }
}
