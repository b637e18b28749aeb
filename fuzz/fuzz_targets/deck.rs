//! Deck files: `parse_deck` never panics; a deck it accepts is the deck plain `ron` reads from
//! the same text (the fast line reader must agree with the general parser), and it survives a
//! round trip through its canonical form (`Deck::to_ron`).
#![no_main]

use std::path::Path;

use kartu::core::deck::{Deck, parse_deck};
use kartu::core::error::ron_options;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzz.ron");
    let result = parse_deck(text, path);
    if std::env::var_os("KARTU_FUZZ_PRINT").is_some() {
        eprintln!("parse_deck: {result:?}");
    }
    let Ok(deck) = result else {
        return;
    };
    match ron_options().from_str::<Deck>(text) {
        Ok(reference) => assert_eq!(deck, reference, "parse_deck and plain ron disagree"),
        Err(err) => panic!("parse_deck accepted text that plain ron refuses ({err}): {deck:?}"),
    }
    let written = deck.to_ron();
    match parse_deck(&written, path) {
        Ok(again) => assert_eq!(again, deck, "round trip changed the deck:\n{written}"),
        Err(err) => panic!("the canonical form of an accepted deck is refused: {err}\n{written}"),
    }
});
