//! Card text as Markdown (CommonMark, through `egui_commonmark`), at the card's text size.
//! Images show only from `file://` URIs the app has checked (the deck's own media folder);
//! anything else arrives here already turned into its alt text, so nothing is fetched.

use egui::{FontId, TextStyle};
use egui_commonmark::{CommonMarkCache, CommonMarkViewer};

/// Shows `text` as Markdown with body text of `size` points (emphasis and a cloze answer in
/// the strong text colour).
pub fn markdown_ui(ui: &mut egui::Ui, cache: &mut CommonMarkCache, text: &str, size: f32) {
    ui.scope(|ui| {
        let style = ui.style_mut();
        style
            .text_styles
            .insert(TextStyle::Body, FontId::proportional(size));
        style
            .text_styles
            .insert(TextStyle::Monospace, FontId::monospace(size * 0.85));
        let width = ui.available_width().max(1.0);
        CommonMarkViewer::new()
            // Only the URIs the app wrote (file:// of checked images) load.
            .explicit_image_uri_scheme(true)
            .max_image_width(Some(width as usize))
            .show(ui, cache, text);
    });
}
