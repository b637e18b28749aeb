//! Decks built into the binary, so they are there however Kartu is started.

/// `(file name, deck file text)` of every bundled deck.
pub const BUNDLED_DECKS: [(&str, &str); 2] = [
    (
        "backend-developer.id.ron",
        include_str!("../../decks/backend-developer.id.ron"),
    ),
    (
        "backend-developer.en.ron",
        include_str!("../../decks/backend-developer.en.ron"),
    ),
];
