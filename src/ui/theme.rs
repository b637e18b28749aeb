//! Colours, sizes and spacing: the only place they are written down.

use egui::{Color32, FontId, Margin, Style, TextStyle};

/// Accent for new cards.
pub const NEW_COLOR: Color32 = Color32::from_rgb(0x3b, 0x82, 0xc4);
/// Accent for learning cards.
pub const LEARNING_COLOR: Color32 = Color32::from_rgb(0xd9, 0x6c, 0x2c);
/// Accent for due reviews.
pub const DUE_COLOR: Color32 = Color32::from_rgb(0x2e, 0x9a, 0x5a);
/// Errors and the Again button.
pub const ERROR_COLOR: Color32 = Color32::from_rgb(0xc8, 0x3c, 0x3c);
/// Background of the card face.
pub const CARD_FILL_DARK: Color32 = Color32::from_rgb(0x24, 0x28, 0x2e);
/// Background of the card face in the light theme.
pub const CARD_FILL_LIGHT: Color32 = Color32::from_rgb(0xfa, 0xfa, 0xf7);

/// Size of the card's question and answer text.
pub const CARD_TEXT_SIZE: f32 = 24.0;
/// Size of notes and examples under the answer.
pub const CARD_DETAIL_SIZE: f32 = 16.0;
/// Width the card face never exceeds, so lines stay readable on wide windows.
pub const CARD_MAX_WIDTH: f32 = 720.0;
/// Inner margin of the card face.
pub const CARD_MARGIN: i8 = 24;
/// Corner radius of the card face.
pub const CARD_CORNER: u8 = 10;
/// Size of the four answer buttons.
pub const ANSWER_BUTTON_SIZE: [f32; 2] = [120.0, 44.0];
/// Size of the Show answer button.
pub const SHOW_ANSWER_BUTTON_SIZE: [f32; 2] = [220.0, 44.0];
/// Space above and below the contents of the top bar.
pub const BAR_PADDING: f32 = 4.0;
/// Width of a background job's progress bar in the status bar.
pub const PROGRESS_BAR_WIDTH: f32 = 160.0;

/// The browser's editor pane, when it first opens (the learner can drag it wider).
pub const PANE_WIDTH: f32 = 380.0;
/// Gap between sections.
pub const SECTION_GAP: f32 = 16.0;
/// Width of the browser's first column (the sort field) when it opens.
pub const BROWSER_FIRST_COLUMN: f32 = 320.0;
/// Indent of a sub-deck under its parent in the deck list (and the fold arrow's width).
pub const TREE_INDENT: f32 = 18.0;

/// Mature review cards in the statistics.
pub const MATURE_COLOR: Color32 = Color32::from_rgb(0x1f, 0x6f, 0x43);
/// Suspended and buried cards in the statistics.
pub const HELD_COLOR: Color32 = Color32::from_rgb(0xa0, 0x8a, 0x3c);
/// Height of a statistics chart.
pub const CHART_HEIGHT: f32 = 160.0;
/// Side of a day's square in the statistics calendar.
pub const CALENDAR_CELL: f32 = 11.0;

/// The colour of an answer button's accent, Again to Easy.
pub const RATING_COLORS: [Color32; 4] = [ERROR_COLOR, LEARNING_COLOR, DUE_COLOR, NEW_COLOR];

/// Body text in the dark theme: lighter than egui's default grey, so card text reads at
/// well over 4.5:1 and emphasis (white) still stands out.
pub const TEXT_DARK: Color32 = Color32::from_gray(215);
/// Body text in the light theme.
pub const TEXT_LIGHT: Color32 = Color32::from_gray(35);

/// Kartu's adjustments to egui's default style.
pub fn apply(ctx: &egui::Context) {
    ctx.all_styles_mut(|style: &mut Style| {
        style.visuals.widgets.noninteractive.fg_stroke.color = if style.visuals.dark_mode {
            TEXT_DARK
        } else {
            TEXT_LIGHT
        };
        style.spacing.item_spacing = egui::vec2(10.0, 8.0);
        style.spacing.button_padding = egui::vec2(12.0, 6.0);
        style.spacing.window_margin = Margin::same(16);
        style
            .text_styles
            .insert(TextStyle::Heading, FontId::proportional(22.0));
        style
            .text_styles
            .insert(TextStyle::Body, FontId::proportional(15.0));
        style
            .text_styles
            .insert(TextStyle::Button, FontId::proportional(15.0));
    });
}

/// Puts the learner's theme choice in effect.
pub fn set_theme(ctx: &egui::Context, theme: crate::core::model::settings::Theme) {
    use crate::core::model::settings::Theme;
    ctx.set_theme(match theme {
        Theme::System => egui::ThemePreference::System,
        Theme::Light => egui::ThemePreference::Light,
        Theme::Dark => egui::ThemePreference::Dark,
    });
}

/// The card's text size for the learner's scale (0.75–2.0 of the default).
#[must_use]
pub fn card_text_size(scale: f32) -> f32 {
    let scale = if scale.is_finite() {
        scale.clamp(0.75, 2.0)
    } else {
        1.0
    };
    CARD_TEXT_SIZE * scale
}

/// The card face's background for the current theme.
#[must_use]
pub fn card_fill(ui: &egui::Ui) -> Color32 {
    if ui.visuals().dark_mode {
        CARD_FILL_DARK
    } else {
        CARD_FILL_LIGHT
    }
}
