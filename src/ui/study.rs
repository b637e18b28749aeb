//! The study screen: front, answer, four rating buttons with their intervals, and the done
//! screen. It reads a [`StudyView`] the app builds from the core.

use egui::{Key, Modifiers, RichText};

use egui_commonmark::CommonMarkCache;

use super::command::Command;
use super::i18n::{Texts, fill};
use super::markdown::markdown_ui;
use super::theme;
use crate::core::model::card::Rating;
use crate::core::search::plain_text;
use crate::core::study::limits::DeckCounts;

/// Everything the study screen shows.
#[derive(Clone, Debug, PartialEq)]
pub struct StudyView {
    /// The deck's title.
    pub deck_title: String,
    /// Today's counts for the deck.
    pub counts: DeckCounts,
    /// The card on screen; `None` shows the done screen.
    pub card: Option<CardView>,
    /// Whether the answer side is shown.
    pub revealed: bool,
    /// Whether Undo has something to take back.
    pub can_undo: bool,
    /// For the done screen: when the next card is due and how long until then.
    pub next_due: Option<(String, String)>,
    /// The card text size (the learner's scale of the default).
    pub text_size: f32,
    /// Cards answered in this session.
    pub done: usize,
    /// How long the card on screen has been shown, as `m:ss`.
    pub shown_for: String,
}

/// One card, ready to show: Markdown, its images already pointing at checked files.
#[derive(Clone, Debug, PartialEq)]
pub struct CardView {
    /// Question.
    pub front: String,
    /// Answer.
    pub back: String,
    /// Extra explanation.
    pub notes: Option<String>,
    /// A concrete example.
    pub example: Option<String>,
    /// Topic tags.
    pub tags: Vec<String>,
    /// What each rating would schedule, Again to Easy, e.g. "10m", "2d".
    pub intervals: [String; 4],
}

/// Shows the study screen and turns keys and clicks into commands.
pub fn study_ui(
    ui: &mut egui::Ui,
    view: &StudyView,
    markdown: &mut CommonMarkCache,
    tr: &Texts,
    commands: &mut Vec<Command>,
) {
    handle_keys(ui, view, commands);
    ui.horizontal(|ui| {
        if ui.button(tr.back_to_decks).clicked() {
            commands.push(Command::ShowDecks);
        }
        ui.heading(&view.deck_title);
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .add_enabled(view.can_undo, egui::Button::new(tr.undo))
                .clicked()
            {
                commands.push(Command::Undo);
            }
            counts_ui(ui, view.counts, tr);
        });
    });
    // The session so far, and how long this card has been on screen.
    let left = view.counts.new + view.counts.learning + view.counts.due;
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(fill(
                tr.session,
                &[
                    ("done", &view.done.to_string()),
                    ("left", &left.to_string()),
                ],
            ))
            .weak(),
        );
        if view.card.is_some() {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(RichText::new(&view.shown_for).weak().monospace());
            });
        }
    });
    ui.separator();
    ui.add_space(theme::SECTION_GAP);
    match &view.card {
        Some(card) => card_ui(
            ui,
            card,
            view.text_size,
            markdown,
            view.revealed,
            tr,
            commands,
        ),
        None => done_ui(ui, view, tr, commands),
    }
}

fn handle_keys(ui: &mut egui::Ui, view: &StudyView, commands: &mut Vec<Command>) {
    // Keys are consumed before any widget runs, so a focused button cannot act on them twice.
    // Ctrl+Z and Ctrl+Shift+Z are the app's, for every screen.
    ui.input_mut(|input| {
        if input.consume_key(Modifiers::NONE, Key::Escape) {
            commands.push(Command::ShowDecks);
        }
        if view.card.is_none() {
            return;
        }
        if input.consume_key(Modifiers::NONE, Key::E) {
            commands.push(Command::EditCurrent);
        }
        // As in Anki: `@` suspends the card on screen, `-` buries it (typed characters, so
        // they work on any keyboard layout).
        let mut typed = Vec::new();
        input.events.retain(|event| match event {
            egui::Event::Text(text) if text == "@" || text == "-" => {
                typed.push(text.clone());
                false
            }
            _ => true,
        });
        for text in typed {
            commands.push(if text == "@" {
                Command::SuspendCurrent
            } else {
                Command::BuryCurrent
            });
        }
        let space = input.consume_key(Modifiers::NONE, Key::Space);
        let enter = input.consume_key(Modifiers::NONE, Key::Enter);
        if !view.revealed {
            if space || enter {
                commands.push(Command::Reveal);
            }
            return;
        }
        let keys = [Key::Num1, Key::Num2, Key::Num3, Key::Num4];
        for (key, rating) in keys.into_iter().zip(Rating::ALL) {
            if input.consume_key(Modifiers::NONE, key) {
                commands.push(Command::Answer(rating));
            }
        }
        // As in Anki: Space or Enter on the answer side means Good.
        if space || enter {
            commands.push(Command::Answer(Rating::Good));
        }
    });
}

fn counts_ui(ui: &mut egui::Ui, counts: DeckCounts, tr: &Texts) {
    // Right-to-left layout: listed last to first.
    ui.label(RichText::new(format!("{} {}", tr.due, counts.due)).color(theme::DUE_COLOR));
    ui.label(
        RichText::new(format!("{} {}", tr.learning, counts.learning)).color(theme::LEARNING_COLOR),
    );
    ui.label(RichText::new(format!("{} {}", tr.new, counts.new)).color(theme::NEW_COLOR));
}

fn card_ui(
    ui: &mut egui::Ui,
    card: &CardView,
    text_size: f32,
    markdown: &mut CommonMarkCache,
    revealed: bool,
    tr: &Texts,
    commands: &mut Vec<Command>,
) {
    ui.vertical_centered(|ui| {
        let width = ui.available_width().min(theme::CARD_MAX_WIDTH);
        let shown = egui::Frame::new()
            .fill(theme::card_fill(ui))
            .corner_radius(theme::CARD_CORNER)
            .inner_margin(theme::CARD_MARGIN)
            .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
            .show(ui, |ui| {
                ui.set_width(width - 2.0 * f32::from(theme::CARD_MARGIN));
                markdown_ui(ui, markdown, &card.front, text_size);
                if revealed {
                    ui.separator();
                    markdown_ui(ui, markdown, &card.back, text_size);
                    for (heading, text) in [(tr.notes, &card.notes), (tr.example, &card.example)] {
                        if let Some(text) = text {
                            ui.add_space(theme::SECTION_GAP / 2.0);
                            ui.label(RichText::new(heading).weak());
                            markdown_ui(ui, markdown, text, theme::CARD_DETAIL_SIZE);
                        }
                    }
                }
                if !card.tags.is_empty() {
                    ui.add_space(theme::SECTION_GAP / 2.0);
                    ui.label(RichText::new(card.tags.join(" · ")).small().weak());
                }
            });
        // The card as one live region: a screen reader reads the question when a card comes,
        // and question and answer when the answer is shown.
        let question = plain_text(&card.front);
        let spoken = if revealed {
            fill(
                tr.spoken_answer,
                &[("question", &question), ("answer", &plain_text(&card.back))],
            )
        } else {
            fill(tr.spoken_question, &[("question", &question)])
        };
        shown
            .response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Region, true, &spoken));
        ui.ctx().accesskit_node_builder(shown.response.id, |node| {
            node.set_live(egui::accesskit::Live::Polite);
        });
        ui.add_space(theme::SECTION_GAP);
        if revealed {
            answer_buttons_ui(ui, card, tr, commands);
        } else if ui
            .add_sized(
                theme::SHOW_ANSWER_BUTTON_SIZE,
                egui::Button::new(tr.show_answer),
            )
            .clicked()
        {
            commands.push(Command::Reveal);
        }
    });
}

fn answer_buttons_ui(ui: &mut egui::Ui, card: &CardView, tr: &Texts, commands: &mut Vec<Command>) {
    let spacing = ui.spacing().item_spacing.x;
    let row_width = 4.0 * theme::ANSWER_BUTTON_SIZE[0] + 3.0 * spacing;
    ui.allocate_ui_with_layout(
        egui::vec2(row_width, theme::ANSWER_BUTTON_SIZE[1] + 8.0),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            for (index, rating) in Rating::ALL.into_iter().enumerate() {
                // The interval is part of the label, so a screen reader hears it too.
                let label = format!("{} · {}", tr.ratings[index], card.intervals[index]);
                let button =
                    egui::Button::new(RichText::new(label).color(theme::RATING_COLORS[index]));
                let response = ui
                    .add_sized(theme::ANSWER_BUTTON_SIZE, button)
                    .on_hover_text(format!("{}", rating.number()));
                if response.clicked() {
                    commands.push(Command::Answer(rating));
                }
            }
        },
    );
}

fn done_ui(ui: &mut egui::Ui, view: &StudyView, tr: &Texts, commands: &mut Vec<Command>) {
    ui.vertical_centered(|ui| {
        ui.add_space(theme::SECTION_GAP * 2.0);
        ui.heading(tr.done_heading);
        ui.add_space(theme::SECTION_GAP);
        match &view.next_due {
            Some((when, wait)) => ui.label(fill(tr.next_due, &[("when", when), ("in", wait)])),
            None => ui.label(tr.nothing_left),
        };
        ui.add_space(theme::SECTION_GAP);
        if ui.button(tr.back_to_decks).clicked() {
            commands.push(Command::ShowDecks);
        }
    });
}
