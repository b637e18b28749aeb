//! Deck files, through both entry points:
//!
//! - `parse_deck` (the general `ron` parser plus validation) and `parse_packed_deck` (the fast
//!   line reader into a `PackedDeck`, falling back to `parse_deck`) never panic;
//! - they accept the same texts, and give the same deck (`PackedDeck::to_deck`);
//! - packing an accepted deck and unpacking it gives it back (`PackedDeck::from_deck`);
//! - an accepted deck survives a round trip through its canonical form (`Deck::to_ron`), read
//!   back by both entry points (the canonical form is the fast reader's input).
#![no_main]

use std::path::Path;

use kartu::core::storage::format::deck_file::{parse_deck, parse_packed_deck};
use kartu::core::model::packed::PackedDeck;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzz.ron");
    let general = parse_deck(text, path);
    let packed = parse_packed_deck(text, path);
    if std::env::var_os("KARTU_FUZZ_PRINT").is_some() {
        eprintln!("parse_deck: {general:?}\nparse_packed_deck: {packed:?}");
    }
    let deck = match (general, packed) {
        (Ok(deck), Ok(packed)) => {
            assert_eq!(
                packed.to_deck().expect("a deck parsed from text holds its text"),
                deck,
                "parse_packed_deck and parse_deck disagree"
            );
            deck
        }
        (Err(_), Err(_)) => return,
        (Ok(deck), Err(err)) => {
            panic!("parse_packed_deck refused ({err}) a deck parse_deck accepts: {deck:?}")
        }
        (Err(err), Ok(packed)) => {
            panic!("parse_packed_deck accepted a deck parse_deck refuses ({err}): {packed:?}")
        }
    };
    assert_eq!(
        PackedDeck::from_deck(&deck).to_deck().expect("a packed deck holds its text"),
        deck,
        "packing changed the deck"
    );

    let written = deck.to_ron().expect("a parsed deck can be written");
    match parse_deck(&written, path) {
        Ok(again) => assert_eq!(again, deck, "round trip changed the deck:\n{written}"),
        Err(err) => panic!("the canonical form of an accepted deck is refused: {err}\n{written}"),
    }
    match parse_packed_deck(&written, path) {
        Ok(again) => assert_eq!(
            again.to_deck().expect("a deck parsed from text holds its text"),
            deck,
            "round trip through parse_packed_deck changed the deck:\n{written}"
        ),
        Err(err) => panic!(
            "parse_packed_deck refuses the canonical form of an accepted deck: {err}\n{written}"
        ),
    }
});
