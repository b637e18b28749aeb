//! The data, with no I/O: cards and their scheduling state, decks, packed decks in memory,
//! progress and the changes that move it on, settings.

pub mod card;
pub mod card_states;
pub mod cloze;
pub mod deck;
pub mod edit;
pub mod media;
pub mod packed;
pub mod progress;
pub mod settings;
