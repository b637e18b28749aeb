//! Deck files: `parse_deck` never panics, and a deck it accepts survives a round trip
//! through its canonical form (`Deck::to_ron`).
#![no_main]

use std::path::Path;

use kartu::core::deck::parse_deck;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzz.ron");
    if let Ok(deck) = parse_deck(text, path) {
        let written = deck.to_ron();
        match parse_deck(&written, path) {
            Ok(again) => assert_eq!(again, deck, "round trip changed the deck:\n{written}"),
            Err(err) => panic!("the canonical form of an accepted deck is refused: {err}\n{written}"),
        }
    }
});
