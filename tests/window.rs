//! The whole window, headless: `egui_kittest` drives it through AccessKit, as a screen reader
//! would. No display, no GPU.

// Test helpers may unwrap, like the tests themselves (clippy only exempts `#[test]` functions).
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use egui::Key;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable};
use kartu::core::collection::{Access, Collection};
use kartu::core::ids::{CardId, DeckId};
use kartu::core::model::card::CardState;
use kartu::core::model::progress::Progress;
use kartu::core::model::settings::Settings;
use kartu::core::storage::paths::DataPaths;
use kartu::core::time::Timestamp;
use kartu::ui::app::KartuApp;
use kartu::ui::dialogs::FileDialogs;

/// Dialogs that answer with whatever the test put in them (or cancel).
#[derive(Default)]
struct FakeDialogs {
    pick: Mutex<Option<PathBuf>>,
    save: Mutex<Option<PathBuf>>,
}

impl FileDialogs for FakeDialogs {
    fn pick_deck_file(&self, _title: &str) -> Option<PathBuf> {
        self.pick.lock().unwrap().take()
    }
    fn save_deck_file(&self, _title: &str, _suggested_name: &str) -> Option<PathBuf> {
        self.save.lock().unwrap().take()
    }
}

struct Window {
    dir: tempfile::TempDir,
    harness: Harness<'static, KartuApp>,
    dialogs: Arc<FakeDialogs>,
}

fn now() -> Timestamp {
    Timestamp::parse_rfc3339("2026-11-25T09:00:00Z").unwrap()
}

fn open_window(language: &str) -> Window {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::new(dir.path());
    paths.create_dirs().unwrap();
    Settings {
        language: Some(language.into()),
        fuzz: false,
        ..Settings::default()
    }
    .save(&paths.settings_file())
    .unwrap();
    let dialogs = Arc::new(FakeDialogs::default());
    let harness = window_with_dialogs(&paths, dialogs.clone());
    Window {
        dir,
        harness,
        dialogs,
    }
}

fn progress(window: &Window) -> Progress {
    // The snapshot plus the journal: what the next start would load.
    kartu::core::storage::replay::load(&DataPaths::new(window.dir.path()))
        .unwrap()
        .0
}

/// Runs frames until the window is still. Background jobs (a backup after an answer) finish
/// on their own threads and ask for a repaint at any moment, so a fixed number of frames is
/// not enough.
fn settle(harness: &mut Harness<'static, KartuApp>) {
    for _ in 0..100 {
        if harness.try_run().is_ok() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    panic!("the window never settled");
}

/// Steps until `done` holds: file dialogs answer from another thread.
fn run_until(
    harness: &mut Harness<'static, KartuApp>,
    done: impl Fn(&Harness<'static, KartuApp>) -> bool,
) {
    // Background work in a debug build can take seconds (the simulator).
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::time::Instant::now() < until {
        harness.step();
        if done(harness) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let labels: Vec<String> = harness
        .query_all_by_role(egui::accesskit::Role::Label)
        .filter_map(|n| n.value())
        .collect();
    panic!("condition never became true; labels: {labels:?}");
}

/// Study the English deck (sorted second, after the Indonesian title).
fn study_english_deck(window: &mut Window) {
    let buttons = window
        .harness
        .get_all_by_role_and_label(Role::Button, "Study")
        .collect::<Vec<_>>();
    assert_eq!(buttons.len(), 2, "one Study button per bundled deck");
    buttons[1].click();
    settle(&mut window.harness);
}

#[test]
fn deck_list_study_space_three_shows_the_next_card_and_writes_progress() {
    let mut window = open_window("en");
    window.harness.get_by_label("What is a Backend Developer?");
    window.harness.get_by_label("Apa itu Backend Developer?");
    study_english_deck(&mut window);

    window.harness.get_by_label("What is a backend developer?");
    assert!(
        window
            .harness
            .query_by_label_contains("A professional who builds")
            .is_none(),
        "answer hidden"
    );
    window.harness.key_press(Key::Space);
    settle(&mut window.harness);
    // On the card, and in the card's live region.
    assert_eq!(
        window
            .harness
            .query_all_by_label_contains("A professional who builds")
            .count(),
        2
    );
    // The Good button names the interval it would give: the second learning step.
    window
        .harness
        .get_by_role_and_label(Role::Button, "Good · 10m");
    window
        .harness
        .get_by_role_and_label(Role::Button, "Again · 1m");

    window.harness.key_press(Key::Num3);
    settle(&mut window.harness);
    assert!(
        window
            .harness
            .query_by_label("What is a backend developer?")
            .is_none()
    );
    assert!(
        window
            .harness
            .query_all_by_label_contains("behind the scenes")
            .next()
            .is_some()
    );

    let progress = progress(&window);
    let deck = DeckId("backend-developer-en".into());
    let card = progress
        .card(&deck, &CardId("what-is-backend-developer".into()))
        .unwrap();
    assert_eq!((card.state, card.interval_secs), (CardState::Learning, 600));
    assert_eq!(progress.reviews.len(), 1);
}

#[test]
fn keyboard_alone_selects_a_deck_and_ctrl_z_undoes() {
    let mut window = open_window("en");
    window.harness.key_press(Key::ArrowDown);
    window.harness.key_press(Key::Enter);
    settle(&mut window.harness);
    window.harness.get_by_label("What is a backend developer?");
    window.harness.key_press(Key::Enter);
    settle(&mut window.harness);
    window.harness.key_press(Key::Num4);
    settle(&mut window.harness);
    assert_eq!(progress(&window).reviews.len(), 1);

    window
        .harness
        .key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    settle(&mut window.harness);
    window.harness.get_by_label("What is a backend developer?");
    assert!(progress(&window).reviews.is_empty(), "undo is written too");
}

#[test]
fn indonesian_ui_and_settings_switch_the_language() {
    let mut window = open_window("id");
    window
        .harness
        .get_all_by_role_and_label(Role::Button, "Belajar")
        .next()
        .unwrap();
    window
        .harness
        .get_by_role_and_label(Role::Button, "Pengaturan")
        .click();
    settle(&mut window.harness);
    assert!(
        window
            .harness
            .get_all_by_label("Retensi yang diinginkan")
            .next()
            .is_some()
    );
    // Below the fold: from the keyboard.
    press(&mut window, "Simpan");
    window.harness.get_by_label("Pengaturan disimpan.");
    let saved = Settings::load(&DataPaths::new(window.dir.path()).settings_file()).unwrap();
    assert_eq!(saved.language.as_deref(), Some("id"));
}

#[test]
fn done_screen_says_when_the_next_card_is_due() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::new(dir.path());
    paths.create_dirs().unwrap();
    Settings {
        language: Some("en".into()),
        new_per_day: 1,
        ..Settings::default()
    }
    .save(&paths.settings_file())
    .unwrap();
    let mut harness = window_on(&paths);
    answer_first_english_card_easy(&mut harness);
    harness.get_by_label("All done for now!");
    harness.get_by_label_contains("The next card is due");
}

#[test]
fn import_shows_line_and_column_and_imports_nothing_from_a_bad_file() {
    let mut window = open_window("en");
    let bad = window.dir.path().join("bad.ron");
    fs::write(
        &bad,
        "(\n    format: 1,\n    id: \"x\",\n    title: oops,\n)",
    )
    .unwrap();
    *window.dialogs.pick.lock().unwrap() = Some(bad);
    window
        .harness
        .get_by_role_and_label(Role::Button, "Import…")
        .click();
    run_until(&mut window.harness, |h| {
        h.query_by_label_contains("Could not import").is_some()
    });
    window.harness.get_by_label_contains("bad.ron:4:");
    assert_eq!(
        fs::read_dir(window.dir.path().join("decks"))
            .unwrap()
            .count(),
        0
    );
}

#[test]
fn import_and_export_through_the_dialogs() {
    let mut window = open_window("en");
    let exported = window.dir.path().join("exported.ron");
    *window.dialogs.save.lock().unwrap() = Some(exported.clone());
    window
        .harness
        .get_all_by_role_and_label(Role::Button, "Export…")
        .next()
        .unwrap()
        .click();
    settle(&mut window.harness);
    // The export screen: the format that suits the deck (a deck file: no images) is chosen.
    window
        .harness
        .get_by_role_and_label(Role::Button, "Save as…")
        .click();
    run_until(&mut window.harness, |h| {
        h.query_by_label_contains("Exported to").is_some()
    });
    let text = fs::read_to_string(&exported).unwrap();
    assert!(
        text == include_str!("../decks/backend-developer.id.ron"),
        "the export is the canonical deck file"
    );

    let changed = window.dir.path().join("changed.ron");
    fs::write(
        &changed,
        text.replace("id: \"backend-developer-id\"", "id: \"my-copy\"")
            .replace(
                "title: \"Apa itu Backend Developer?\"",
                "title: \"My copy\"",
            ),
    )
    .unwrap();
    *window.dialogs.pick.lock().unwrap() = Some(changed);
    window
        .harness
        .key_press_modifiers(egui::Modifiers::COMMAND, Key::O);
    // The import screen says what will happen before anything does.
    run_until(&mut window.harness, |h| {
        h.query_by_label_contains("New deck “My copy”").is_some()
    });
    assert!(!window.dir.path().join("decks/my-copy.ron").exists());
    window.harness.key_press(Key::Enter);
    run_until(&mut window.harness, |h| {
        h.query_by_label_contains("Imported 1 decks").is_some()
    });
    settle(&mut window.harness);
    window.harness.get_by_label("My copy");
    assert!(window.dir.path().join("decks/my-copy.ron").exists());
}

#[test]
fn a_cancelled_dialog_does_nothing() {
    let mut window = open_window("en");
    window
        .harness
        .get_by_role_and_label(Role::Button, "Import…")
        .click();
    settle(&mut window.harness);
    std::thread::sleep(std::time::Duration::from_millis(50));
    settle(&mut window.harness);
    assert!(window.harness.query_by_label_contains("Import").is_some());
    assert!(
        window
            .harness
            .query_by_label_contains("Could not")
            .is_none()
    );
    assert!(window.harness.query_by_label_contains("Imported").is_none());
}

/// A data directory with two answers and a backup of them, and a settings file in English.
fn data_with_backup() -> (tempfile::TempDir, DataPaths) {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::new(dir.path());
    paths.create_dirs().unwrap();
    Settings {
        language: Some("en".into()),
        ..Settings::default()
    }
    .save(&paths.settings_file())
    .unwrap();
    let mut collection =
        Collection::open(paths.clone(), jiff::tz::TimeZone::UTC, Access::ReadWrite).unwrap();
    let deck = DeckId("backend-developer-en".into());
    for card in ["what-is-backend-developer", "backend-behind-the-scenes"] {
        collection
            .answer(
                &deck,
                &CardId(card.into()),
                kartu::core::model::card::Rating::Easy,
                now(),
                0,
            )
            .unwrap();
    }
    collection.backup_job(now()).unwrap().run().unwrap();
    (dir, paths)
}

/// Deck list → Study (English deck) → Space → 4.
fn answer_first_english_card_easy(harness: &mut Harness<'static, KartuApp>) {
    harness
        .get_all_by_role_and_label(Role::Button, "Study")
        .nth(1)
        .unwrap()
        .click();
    settle(harness);
    harness.key_press(Key::Space);
    settle(harness);
    harness.key_press(Key::Num4);
    settle(harness);
}

fn window_on(paths: &DataPaths) -> Harness<'static, KartuApp> {
    window_with_dialogs(paths, Arc::new(FakeDialogs::default()))
}

/// The window on `paths` at the fixed test time, with these file dialogs.
fn window_with_dialogs(
    paths: &DataPaths,
    dialogs: Arc<dyn FileDialogs>,
) -> Harness<'static, KartuApp> {
    let collection =
        Collection::open(paths.clone(), jiff::tz::TimeZone::UTC, Access::ReadWrite).unwrap();
    let mut harness = Harness::builder()
        .with_size([1100.0, 800.0])
        .build_eframe(move |cc| KartuApp::new(cc, collection, dialogs, Box::new(now)));
    settle(&mut harness);
    harness
}

#[test]
fn backups_screen_lists_and_restores() {
    let (_dir, paths) = data_with_backup();
    let mut harness = window_on(&paths);
    // Study one more card, then go back to the backup of two.
    answer_first_english_card_easy(&mut harness);
    harness
        .get_by_role_and_label(Role::Button, "Back to decks")
        .click();
    settle(&mut harness);
    harness
        .get_by_role_and_label(Role::Button, "Backups")
        .click();
    settle(&mut harness);
    harness.get_by_label("Made");
    let restore = harness
        .get_all_by_role_and_label(Role::Button, "Restore")
        .collect::<Vec<_>>();
    assert_eq!(restore.len(), 1);
    restore[0].click();
    settle(&mut harness);
    harness.get_by_label_contains("Restored the backup from");
    let progress = kartu::core::storage::replay::load(&paths).unwrap().0;
    assert_eq!(progress.reviews.len(), 2, "back to the backup");
    let backups = kartu::core::storage::backup::list(&paths).unwrap();
    assert_eq!(backups.len(), 2, "the state before restoring was backed up");
    assert_eq!(backups[0].reviews, 3);
}

#[test]
fn unreadable_progress_is_set_aside_and_the_newest_backup_offered() {
    let (dir, paths) = data_with_backup();
    // A bad line with a record after it (a damaged end alone would be cut off).
    let journal = paths.journal_file();
    let text = fs::read_to_string(&journal).unwrap();
    fs::write(
        &journal,
        text.replacen("\n(seq: 2,", "\n(seq: 2, oops\n(seq: 2,", 1),
    )
    .unwrap();
    let mut harness = window_on(&paths);
    harness.get_by_label_contains("Your progress could not be read");
    let aside = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("progress.journal.unreadable-")
        })
        .count();
    assert_eq!(aside, 1, "the unreadable file is kept");
    // The time is shown in the system time zone; the counts are fixed.
    harness
        .get_by_label_contains("(2 cards, 2 reviews)")
        .click();
    settle(&mut harness);
    harness.get_by_label_contains("Restored the backup from");
    assert_eq!(
        kartu::core::storage::replay::load(&paths)
            .unwrap()
            .0
            .reviews
            .len(),
        2
    );
}

#[test]
fn progress_files_that_do_not_fit_together_are_kept_and_a_backup_offered() {
    let (dir, paths) = data_with_backup();
    let mut collection =
        Collection::open(paths.clone(), jiff::tz::TimeZone::UTC, Access::ReadWrite).unwrap();
    let seq = collection.snapshot_job(true).unwrap().run().unwrap();
    collection.finish_snapshot(seq).unwrap();
    drop(collection);
    // The review log loses its last line: history lost, found on load.
    let log = paths.root.join("reviews-1.ron");
    let text = fs::read_to_string(&log).unwrap();
    let cut = text.lines().take(2).collect::<Vec<_>>().join("\n") + "\n";
    fs::write(&log, &cut).unwrap();
    let mut harness = window_on(&paths);
    harness.get_by_label_contains("Your progress files do not fit together");
    assert_eq!(fs::read_to_string(&log).unwrap(), cut, "nothing written");
    harness
        .get_by_label_contains("(2 cards, 2 reviews)")
        .click();
    settle(&mut harness);
    harness.get_by_label_contains("Restored the backup from");
    assert_eq!(
        kartu::core::storage::replay::load(&paths)
            .unwrap()
            .0
            .reviews
            .len(),
        2
    );
    let kept = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("reviews-1.ron.inconsistent-")
        })
        .count();
    assert_eq!(kept, 1, "the short log is kept");
}

#[test]
fn a_deck_file_that_does_not_parse_is_set_aside_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::new(dir.path());
    paths.create_dirs().unwrap();
    let broken = paths.decks_dir().join("teacher.ron");
    let text = "(\n    format: 1,\n    id: \"teacher\",\n    title: oops\n)\n";
    fs::write(&broken, text).unwrap();
    let harness = window_on(&paths);
    harness.get_by_label_contains("A deck file could not be read");
    harness.get_by_label_contains("teacher.ron:4:12");
    assert!(!broken.exists(), "moved out of the way");
    let aside: Vec<PathBuf> = fs::read_dir(paths.decks_dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains("teacher.ron.unreadable-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(
        fs::read_to_string(&aside[0]).unwrap(),
        text,
        "kept as it was"
    );
    // The bundled decks are still there to study.
    harness.get_by_label("What is a Backend Developer?");
}

#[test]
fn import_previews_an_update_side_by_side_and_installs_it_only_when_confirmed() {
    let mut window = open_window("en");
    let sheet = window.dir.path().join("class.csv");
    fs::write(
        &sheet,
        "id,front,back\nrumah,rumah,house\nkucing,kucing,cat\n",
    )
    .unwrap();
    let import = |window: &mut Window| {
        *window.dialogs.pick.lock().unwrap() = Some(sheet.clone());
        window
            .harness
            .get_by_role_and_label(Role::Button, "Import…")
            .click();
        run_until(&mut window.harness, |h| {
            h.query_by_role_and_label(Role::Button, "Import").is_some()
                && h.query_all_by_label_contains("rumah").next().is_some()
        });
    };
    import(&mut window);
    // The CSV mapping over the first rows, then the plan.
    window
        .harness
        .get_by_label_contains("New deck “class”: 2 notes, 2 cards");
    window
        .harness
        .get_by_label("The first row names the columns");
    window
        .harness
        .get_by_role_and_label(Role::Button, "Import")
        .click();
    run_until(&mut window.harness, |h| {
        h.query_by_label_contains("Imported 1 decks").is_some()
    });
    let deck = DeckId("class".into());
    assert!(window.harness.state().collection().deck(&deck).is_ok());

    // The teacher changes one card and drops the other.
    fs::write(
        &sheet,
        "id,front,back\nrumah,rumah,a house\nair,air,water\n",
    )
    .unwrap();
    import(&mut window);
    window.harness.get_by_label_contains(
        "Update “class” (version 1 to 2): 1 new, 1 changed, 1 removed, 0 unchanged",
    );
    window.harness.get_by_label("Now");
    window.harness.get_by_label("After the import");
    assert!(
        window
            .harness
            .query_all_by_label_contains("a house")
            .next()
            .is_some()
    );
    // Cancel changes nothing.
    window.harness.key_press(Key::Escape);
    settle(&mut window.harness);
    let card = |window: &Window, id: &str| {
        window
            .harness
            .state()
            .collection()
            .card(&deck, &CardId(id.into()))
            .map(|c| c.answer().into_owned())
            .ok()
    };
    assert_eq!(card(&window, "rumah").as_deref(), Some("house"));
    import(&mut window);
    window
        .harness
        .get_by_role_and_label(Role::Button, "Import")
        .click();
    // Installed on the worker: the collection is back once the update is in it.
    run_until(&mut window.harness, |h| {
        h.state()
            .collection()
            .card(&deck, &CardId("rumah".into()))
            .is_ok_and(|c| c.answer() == "a house")
    });
    window.harness.get_by_label_contains("Imported 1 decks");
    assert_eq!(card(&window, "rumah").as_deref(), Some("a house"));
    assert_eq!(card(&window, "kucing"), None, "retired");
    assert_eq!(card(&window, "air").as_deref(), Some("water"));
}

#[test]
fn the_deck_tree_shows_sub_decks_under_their_parent_and_folds_them() {
    let mut window = open_window("en");
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/anki/small.apkg");
    *window.dialogs.pick.lock().unwrap() = Some(fixture);
    window
        .harness
        .get_by_role_and_label(Role::Button, "Import…")
        .click();
    run_until(&mut window.harness, |h| {
        h.query_by_label_contains("Brings the progress of 24 cards")
            .is_some()
    });
    window.harness.key_press(Key::Enter);
    run_until(&mut window.harness, |h| {
        h.query_by_label_contains("Imported 2 decks").is_some()
    });
    run_until(&mut window.harness, |h| h.query_by_label("Peer").is_some());
    window.harness.get_by_label("Child");
    window
        .harness
        .get_by_role_and_label(Role::Button, "−")
        .click();
    settle(&mut window.harness);
    assert!(
        window.harness.query_by_label("Child").is_none(),
        "folded away"
    );
    window
        .harness
        .get_by_role_and_label(Role::Button, "+")
        .click();
    settle(&mut window.harness);
    window.harness.get_by_label("Child");
}

#[test]
fn browse_search_select_suspend_and_undo() {
    let mut window = open_window("en");
    window
        .harness
        .key_press_modifiers(egui::Modifiers::COMMAND, Key::F);
    settle(&mut window.harness);
    window.harness.get_by_label_contains("134 of 134 cards");
    let search = window
        .harness
        .get_by_role_and_label(Role::TextInput, "Browse");
    search.type_text("deck:\"What is*\" tag:role");
    settle(&mut window.harness);
    let collection = window.harness.state().collection();
    let index = kartu::core::search::SearchIndex::build(collection, now());
    let expected = index
        .search(
            "deck:\"What is*\" tag:role",
            &kartu::core::search::context(collection, now()),
            kartu::core::search::SortColumn::SortField,
            false,
        )
        .unwrap()
        .len();
    assert!(expected > 1 && expected < 67, "{expected}");
    window
        .harness
        .get_by_label_contains(&format!("{expected} of 134 cards"));
    window
        .harness
        .key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    settle(&mut window.harness);
    window
        .harness
        .get_by_role_and_label(Role::Button, "Suspend")
        .click();
    settle(&mut window.harness);
    window.harness.get_by_label_contains("cards suspended");
    let deck = DeckId("backend-developer-en".into());
    let card = CardId("what-is-backend-developer".into());
    let suspended = |window: &Window| {
        window
            .harness
            .state()
            .collection()
            .card_progress(&deck, &card)
            .suspended
    };
    assert!(suspended(&window));
    assert!(
        progress(&window).card(&deck, &card).unwrap().suspended,
        "on disk"
    );
    assert!(
        window
            .harness
            .query_all_by_label_contains("new, suspended")
            .next()
            .is_some()
    );
    window
        .harness
        .key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    settle(&mut window.harness);
    assert!(!suspended(&window));
    window.harness.get_by_label_contains("Taken back");
    window
        .harness
        .key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, Key::Z);
    settle(&mut window.harness);
    assert!(suspended(&window));
    // A query that does not parse says where.
    window
        .harness
        .get_by_role_and_label(Role::TextInput, "Browse")
        .type_text(" prop:ivl>");
    settle(&mut window.harness);
    window
        .harness
        .get_by_label_contains("needs a number after >");
}

#[test]
fn at_suspends_and_minus_buries_the_card_in_study_and_ctrl_z_brings_it_back() {
    let mut window = open_window("en");
    study_english_deck(&mut window);
    window.harness.get_by_label("What is a backend developer?");
    window.harness.key_press(Key::Space);
    settle(&mut window.harness);
    window.harness.event(egui::Event::Text("@".into()));
    settle(&mut window.harness);
    assert!(
        window
            .harness
            .query_by_label("What is a backend developer?")
            .is_none(),
        "the suspended card left"
    );
    let next = window.harness.state().collection().progress().card_count();
    assert_eq!(next, 1, "only the suspended card has a state");
    window.harness.event(egui::Event::Text("-".into()));
    settle(&mut window.harness);
    window
        .harness
        .key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    settle(&mut window.harness);
    window
        .harness
        .key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    settle(&mut window.harness);
    window.harness.get_by_label("What is a backend developer?");
    assert_eq!(
        window.harness.state().collection().progress().card_count(),
        0
    );
}

/// Types `text` into the text field labelled `label` (focusing it first, as a click would).
fn type_into(window: &mut Window, label: &str, text: &str) {
    let role = |h: &Harness<'static, KartuApp>| {
        if h.query_by_role_and_label(Role::MultilineTextInput, label)
            .is_some()
        {
            Role::MultilineTextInput
        } else {
            Role::TextInput
        }
    };
    let role = role(&window.harness);
    window.harness.get_by_role_and_label(role, label).focus();
    settle(&mut window.harness);
    window
        .harness
        .get_by_role_and_label(role, label)
        .type_text(text);
    settle(&mut window.harness);
}

#[test]
fn create_a_deck_add_notes_and_study_them() {
    let mut window = open_window("en");
    window
        .harness
        .get_by_role_and_label(Role::Button, "New deck…")
        .click();
    settle(&mut window.harness);
    window.harness.get_by_label("New deck");
    type_into(&mut window, "Title", "Kata benda");
    window
        .harness
        .get_by_role_and_label(Role::Button, "Save")
        .click();
    settle(&mut window.harness);
    window
        .harness
        .get_by_label_contains("Deck “Kata benda” saved");
    let deck = DeckId("kata-benda".into());
    assert!(window.harness.state().collection().deck(&deck).is_ok());

    // Add two notes; the editor stays open and empty after each.
    let add = window
        .harness
        .get_all_by_role_and_label(Role::Button, "Add…")
        .collect::<Vec<_>>();
    assert_eq!(add.len(), 3, "one per deck");
    add[1].click();
    settle(&mut window.harness);
    window.harness.get_by_label("Add a note to “Kata benda”");
    type_into(&mut window, "Front", "rumah");
    type_into(&mut window, "Back", "a **house**");
    // The preview shows the card as study will.
    window.harness.get_by_label("Card 1");
    window
        .harness
        .key_press_modifiers(egui::Modifiers::COMMAND, Key::Enter);
    settle(&mut window.harness);
    window.harness.get_by_label_contains("Note added (1 cards)");
    window.harness.get_by_label("This note makes no card yet.");
    type_into(&mut window, "Front", "kucing");
    type_into(&mut window, "Back", "a cat");
    window
        .harness
        .get_by_role_and_label(Role::Button, "Add")
        .click();
    settle(&mut window.harness);
    window.harness.key_press(Key::Escape);
    settle(&mut window.harness);
    let collection = window.harness.state().collection();
    assert_eq!(collection.deck(&deck).unwrap().deck.len(), 2);
    assert_eq!(
        collection
            .card(&deck, &CardId("rumah".into()))
            .unwrap()
            .answer(),
        "a **house**"
    );
    assert!(
        window.dir.path().join("edits.journal").exists(),
        "journalled"
    );

    // Study it.
    window
        .harness
        .get_all_by_role_and_label(Role::Button, "Study")
        .nth(1)
        .unwrap()
        .click();
    settle(&mut window.harness);
    window.harness.get_by_label("rumah");
    window.harness.key_press(Key::Space);
    settle(&mut window.harness);
    window.harness.key_press(Key::Num3);
    settle(&mut window.harness);
    window.harness.get_by_label("kucing");
    assert_eq!(
        progress(&window)
            .card(&deck, &CardId("rumah".into()))
            .unwrap()
            .reps,
        1
    );
}

#[test]
fn e_edits_the_card_in_study_and_comes_back_to_it() {
    let mut window = open_window("en");
    study_english_deck(&mut window);
    window.harness.get_by_label("What is a backend developer?");
    window.harness.key_press(Key::E);
    settle(&mut window.harness);
    window
        .harness
        .get_by_label("Edit a note in “What is a Backend Developer?”");
    type_into(&mut window, "Front", " (in short)");
    window
        .harness
        .key_press_modifiers(egui::Modifiers::COMMAND, Key::Enter);
    settle(&mut window.harness);
    window
        .harness
        .get_by_label("What is a backend developer? (in short)");
    window.harness.get_by_label_contains("Saved.");
    let deck = DeckId("backend-developer-en".into());
    let version = |window: &Window| {
        window
            .harness
            .state()
            .collection()
            .deck(&deck)
            .unwrap()
            .deck
            .version
    };
    assert_eq!(version(&window), 3, "the learner's copy, one version up");
    // Undo takes the edit back, and it is the same card still.
    window
        .harness
        .key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    settle(&mut window.harness);
    window.harness.get_by_label("What is a backend developer?");
    assert_eq!(version(&window), 2, "all of it taken back");
}

#[test]
fn browse_adds_and_removes_tags_on_the_selection_in_one_undoable_step() {
    let mut window = open_window("en");
    window
        .harness
        .key_press_modifiers(egui::Modifiers::COMMAND, Key::F);
    settle(&mut window.harness);
    window
        .harness
        .get_by_role_and_label(Role::TextInput, "Browse")
        .type_text("deck:\"What is*\" tag:cloud");
    settle(&mut window.harness);
    window
        .harness
        .key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    settle(&mut window.harness);
    type_into(&mut window, "Tags", "review-later");
    window
        .harness
        .get_by_role_and_label(Role::Button, "Add tags")
        .click();
    settle(&mut window.harness);
    window.harness.get_by_label_contains("Tags changed on");
    let deck = DeckId("backend-developer-en".into());
    let tags = |window: &Window| -> Vec<String> {
        window
            .harness
            .state()
            .collection()
            .card(&deck, &CardId("cloud-aws".into()))
            .unwrap()
            .tags()
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(tags(&window), ["cloud", "review-later"]);
    window
        .harness
        .key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    settle(&mut window.harness);
    assert_eq!(tags(&window), ["cloud"]);
}

#[test]
fn statistics_open_and_follow_the_deck_and_range_chosen() {
    let mut window = open_window("en");
    answer_first_english_card_easy(&mut window.harness);
    window.harness.key_press(Key::Escape);
    settle(&mut window.harness);
    window
        .harness
        .get_by_role_and_label(Role::Button, "Statistics")
        .click();
    // The figures come from the worker (a spinner only if they are late).
    run_until(&mut window.harness, |h| {
        !h.state().stats_pending() && h.query_by_label("True retention").is_some()
    });
    window.harness.get_by_label_contains("1 cards studied");
    window.harness.get_by_label("Mature: 0");
    window
        .harness
        .get_by_role_and_label(Role::RadioButton, "1 year")
        .click();
    settle(&mut window.harness);
    window
        .harness
        .get_by_role_and_label(Role::ComboBox, "Deck")
        .click();
    settle(&mut window.harness);
    window
        .harness
        .get_by_role_and_label(Role::Button, "Apa itu Backend Developer?")
        .click();
    run_until(&mut window.harness, |h| !h.state().stats_pending());
    window.harness.get_by_label("No cards studied today yet.");
}

#[test]
fn kartu_file_opens_on_the_import_preview_or_hands_the_file_to_the_open_window() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("class.csv");
    fs::write(&file, "front,back\nrumah,house\n").unwrap();
    // A window holds the data directory: a second `kartu FILE` hands the file over.
    let data = dir.path().join("data");
    let window = Collection::open(
        DataPaths::new(&data),
        jiff::tz::TimeZone::UTC,
        Access::ReadWrite,
    )
    .unwrap();
    let second = std::process::Command::new(env!("CARGO_BIN_EXE_kartu"))
        .arg("--data-dir")
        .arg(&data)
        .arg(&file)
        .env_remove("KARTU_DATA_DIR")
        .output()
        .unwrap();
    assert!(second.status.success(), "{second:?}");
    assert!(String::from_utf8_lossy(&second.stdout).contains("handed"));
    let requests = kartu::core::storage::requests::take_open_requests(&DataPaths::new(&data));
    assert_eq!(requests, [std::path::absolute(&file).unwrap()]);
    assert!(kartu::core::storage::requests::take_open_requests(&DataPaths::new(&data)).is_empty());
    drop(window);

    // The window opened with a file starts on its import preview.
    let mut window = open_window("en");
    window.harness.state_mut().open_file(file);
    run_until(&mut window.harness, |h| {
        h.query_by_label_contains("New deck “class”").is_some()
    });
}

#[test]
fn settings_optimize_says_what_it_found_and_keeps_the_parameters_unless_applied() {
    let mut window = open_window("en");
    answer_first_english_card_easy(&mut window.harness);
    window.harness.key_press(Key::Escape);
    settle(&mut window.harness);
    window
        .harness
        .get_by_role_and_label(Role::Button, "Settings")
        .click();
    settle(&mut window.harness);
    window
        .harness
        .get_by_label("FSRS-6's default parameters are in use.");
    window
        .harness
        .get_by_role_and_label(Role::Button, "Optimize…")
        .click();
    run_until(&mut window.harness, |h| {
        h.query_by_label_contains("Fitted on").is_some()
    });
    window
        .harness
        .get_by_label_contains("Too little history for a full fit");
    assert!(
        window
            .harness
            .state()
            .collection()
            .settings()
            .fsrs_params
            .is_empty()
    );
    // Evaluate scores the parameters in use (the one answer makes no training item).
    window
        .harness
        .get_by_role_and_label(Role::Button, "Evaluate")
        .click();
    run_until(&mut window.harness, |h| {
        h.query_by_label_contains("The parameters in use, on 0 reviews")
            .is_some()
    });
    // The workload simulator, on the worker: two charts and the cheapest retention, which
    // goes into the settings on screen and is saved with them.
    // Below the fold: from the keyboard, as a learner without a mouse would.
    press(&mut window, "Simulate…");
    run_until(&mut window.harness, |h| {
        h.query_by_label_contains("Least time per card remembered at desired retention")
            .is_some()
    });
    let found = window
        .harness
        .get_by_label_contains("Least time per card remembered at desired retention")
        .value()
        .unwrap_or_default();
    let optimal: String = found
        .split("desired retention ")
        .nth(1)
        .unwrap()
        .chars()
        .take(4)
        .collect();
    // The simulator's seed is fixed: the same collection gives the same answer.
    assert_ne!(
        optimal, "0.90",
        "an optimal retention other than the one in use"
    );
    for button in [
        format!("Use desired retention {optimal}"),
        "Save".to_owned(),
    ] {
        press(&mut window, &button);
    }
    let saved = window
        .harness
        .state()
        .collection()
        .settings()
        .desired_retention;
    assert_eq!(format!("{saved:.2}"), optimal);
}

#[test]
fn the_browser_edits_the_selected_note_beside_the_table_and_moves_it_to_another_deck() {
    let mut window = open_window("en");
    let deck = DeckId("backend-developer-en".into());
    let card = CardId("what-is-backend-developer".into());
    // A second deck to move to, and some progress to take along.
    drop(window.harness);
    let paths = DataPaths::new(window.dir.path());
    let mut collection =
        Collection::open(paths.clone(), jiff::tz::TimeZone::UTC, Access::ReadWrite).unwrap();
    collection
        .edit(vec![kartu::core::model::edit::Edit::PutDeck(
            kartu::core::model::edit::DeckHeader {
                id: DeckId("later".into()),
                title: "Later".into(),
                description: String::new(),
                language: "en".into(),
                version: 1,
                parent: None,
            },
        )])
        .unwrap();
    collection
        .answer(
            &deck,
            &card,
            kartu::core::model::card::Rating::Good,
            now(),
            0,
        )
        .unwrap();
    let front = collection
        .card(&deck, &card)
        .unwrap()
        .question()
        .into_owned();
    drop(collection);
    window.harness = window_with_dialogs(&paths, window.dialogs.clone());

    window.harness.key_press(Key::B);
    settle(&mut window.harness);
    window
        .harness
        .get_by_role_and_label(Role::TextInput, "Browse")
        .type_text(&format!("\"{front}\""));
    settle(&mut window.harness);
    assert!(
        window
            .harness
            .query_by_role_and_label(Role::MultilineTextInput, "Back")
            .is_none()
    );
    window.harness.get_by_label(&front).click();
    settle(&mut window.harness);
    // The pane shows the note; a change is saved with Ctrl+Enter, and the row shows it.
    type_into(&mut window, "Back", " Edited beside the table.");
    window
        .harness
        .key_press_modifiers(egui::Modifiers::COMMAND, Key::Enter);
    settle(&mut window.harness);
    window.harness.get_by_label_contains("Saved");
    let answer = |window: &Window, deck: &DeckId| {
        window
            .harness
            .state()
            .collection()
            .card(deck, &card)
            .map(|c| c.answer().into_owned())
    };
    assert!(
        answer(&window, &deck)
            .unwrap()
            .ends_with(" Edited beside the table.")
    );
    assert!(
        window
            .harness
            .query_by_role_and_label(Role::MultilineTextInput, "Back")
            .is_some(),
        "the pane stays on the saved note"
    );

    // Change deck: the note goes, with its progress.
    window
        .harness
        .get_by_role_and_label(Role::Button, "Change deck…")
        .click();
    settle(&mut window.harness);
    window
        .harness
        .get_by_role_and_label(Role::Button, "Later")
        .click();
    settle(&mut window.harness);
    window
        .harness
        .get_by_label_contains("1 notes moved to Later");
    let later = DeckId("later".into());
    assert!(answer(&window, &deck).is_err());
    assert!(
        answer(&window, &later)
            .unwrap()
            .ends_with(" Edited beside the table.")
    );
    let reps = |window: &Window, deck: &DeckId| {
        window
            .harness
            .state()
            .collection()
            .card_progress(deck, &card)
            .reps
    };
    assert_eq!(reps(&window, &later), 1);
    assert_eq!(
        progress(&window).card(&later, &card).unwrap().reps,
        1,
        "on disk"
    );
    window
        .harness
        .key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    settle(&mut window.harness);
    assert!(answer(&window, &later).is_err());
    assert_eq!(reps(&window, &deck), 1);

    // Closing the pane (Esc) keeps what was typed, as Anki's browser does.
    window.harness.get_by_label(&front).click();
    settle(&mut window.harness);
    type_into(&mut window, "Back", " Kept.");
    window.harness.key_press(Key::Escape);
    settle(&mut window.harness);
    assert!(answer(&window, &deck).unwrap().ends_with(" Kept."));
    assert!(
        window
            .harness
            .query_by_role_and_label(Role::MultilineTextInput, "Back")
            .is_none()
    );

    // Delete asks first, then takes the note (progress kept), and Ctrl+Z brings it back.
    window.harness.get_by_label(&front).click();
    settle(&mut window.harness);
    window
        .harness
        .get_by_role_and_label(Role::Button, "Delete notes…")
        .click();
    settle(&mut window.harness);
    window
        .harness
        .get_by_label_contains("Delete 1 notes (1 cards)?");
    assert!(answer(&window, &deck).is_ok(), "not before it is confirmed");
    window
        .harness
        .get_by_role_and_label(Role::Button, "Delete notes")
        .click();
    settle(&mut window.harness);
    window.harness.get_by_label_contains("1 notes deleted");
    assert!(answer(&window, &deck).is_err());
    window
        .harness
        .key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    settle(&mut window.harness);
    assert!(answer(&window, &deck).unwrap().ends_with(" Kept."));
    assert_eq!(reps(&window, &deck), 1);
}

#[test]
fn deck_options_give_a_deck_a_preset_of_its_own() {
    let mut window = open_window("en");
    // Decks by title: "Apa itu…" first.
    window
        .harness
        .get_all_by_role_and_label(Role::Button, "Options…")
        .next()
        .unwrap()
        .click();
    settle(&mut window.harness);
    window
        .harness
        .get_by_label("Options of “Apa itu Backend Developer?”");
    window
        .harness
        .get_by_role_and_label(Role::Button, "New preset")
        .click();
    settle(&mut window.harness);
    window.harness.get_by_label("used by 1 decks");
    // Renamed, then saved with the others.
    window
        .harness
        .get_by_role_and_label(Role::TextInput, "Name")
        .focus();
    settle(&mut window.harness);
    window
        .harness
        .key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    window
        .harness
        .get_by_role_and_label(Role::TextInput, "Name")
        .type_text("Slow");
    settle(&mut window.harness);
    window
        .harness
        .get_by_role_and_label(Role::Button, "Rename")
        .click();
    settle(&mut window.harness);
    // Save is below the fold: from the keyboard.
    press(&mut window, "Save");
    let settings = window.harness.state().collection().settings().clone();
    let deck = DeckId("backend-developer-id".into());
    assert_eq!(settings.preset_name_for(&deck), "Slow", "{settings:?}");
    assert_eq!(
        settings.preset_name_for(&DeckId("backend-developer-en".into())),
        "Default"
    );
    // On disk too.
    let saved = Settings::load(&DataPaths::new(window.dir.path()).settings_file()).unwrap();
    assert_eq!(saved.preset_name_for(&deck), "Slow");
}

/// The first part of a heading template, before its first `{…}`.
fn stem(template: &str) -> &str {
    template
        .split('{')
        .next()
        .unwrap_or(template)
        .trim_end_matches('“')
}

/// Reaches a button by its role and name and activates it from the keyboard.
fn press(window: &mut Window, label: &str) {
    window
        .harness
        .get_all_by_role_and_label(Role::Button, label)
        .next()
        .unwrap_or_else(|| panic!("no button {label:?}"))
        .focus();
    settle(&mut window.harness);
    window.harness.key_press(Key::Enter);
    settle(&mut window.harness);
}

/// Every screen, in both languages, reached by role and name and worked from the keyboard;
/// `egui_kittest`'s accessibility check (every control named) runs at each settled frame.
#[test]
fn every_screen_works_from_the_keyboard_by_role_and_name_in_both_languages() {
    for code in ["en", "id"] {
        let mut window = open_window(code);
        let t = kartu::ui::i18n::Lang::from_code(code).unwrap().texts();
        let back = |window: &mut Window| {
            window.harness.key_press(Key::Escape);
            settle(&mut window.harness);
            assert!(
                window
                    .harness
                    .query_all_by_role_and_label(Role::Button, t.study)
                    .next()
                    .is_some(),
                "{code}: Esc goes back to the deck list"
            );
        };
        // Study: Enter on the selected deck, Space shows the answer, 3 answers.
        window.harness.key_press(Key::Enter);
        settle(&mut window.harness);
        window
            .harness
            .get_by_role_and_label(Role::Button, t.show_answer);
        // The card is a live region a screen reader reads when it changes.
        let spoken = |window: &Window| -> Vec<String> {
            window
                .harness
                .query_all_by_role(Role::Region)
                .map(|node| node.accesskit_node())
                .filter(|node| node.data().live() == Some(egui::accesskit::Live::Polite))
                .filter_map(|node| node.label())
                .collect()
        };
        let question = stem(t.spoken_question);
        let answer = t
            .spoken_answer
            .split("} ")
            .nth(1)
            .unwrap()
            .split('{')
            .next()
            .unwrap();
        assert!(
            spoken(&window)
                .iter()
                .any(|l| l.starts_with(question) && !l.contains(answer)),
            "{code}: {:?}",
            spoken(&window)
        );
        window.harness.key_press(Key::Space);
        settle(&mut window.harness);
        assert!(
            spoken(&window)
                .iter()
                .any(|l| l.starts_with(question) && l.contains(answer)),
            "{code}: {:?}",
            spoken(&window)
        );
        window.harness.key_press(Key::Num3);
        settle(&mut window.harness);
        assert_eq!(progress(&window).reviews.len(), 1, "{code}: answered");
        // The shortcuts of the screen.
        window.harness.key_press(Key::F1);
        settle(&mut window.harness);
        window.harness.get_by_label(t.help.title);
        window.harness.key_press(Key::F1);
        settle(&mut window.harness);
        back(&mut window);
        // The browser (Ctrl+F), its search box by name.
        window
            .harness
            .key_press_modifiers(egui::Modifiers::COMMAND, Key::F);
        settle(&mut window.harness);
        window
            .harness
            .get_by_role_and_label(Role::TextInput, t.browse.browse)
            .type_text("tag:role");
        settle(&mut window.harness);
        back(&mut window);
        // Settings (Ctrl+,).
        window
            .harness
            .key_press_modifiers(egui::Modifiers::COMMAND, Key::Comma);
        settle(&mut window.harness);
        window.harness.get_by_label(t.optimize.heading);
        back(&mut window);
        // Statistics, backups, deck options, a new note, the deck screen, a new deck, export.
        press(&mut window, t.stats.statistics);
        run_until(&mut window.harness, |h| {
            h.query_all_by_label(t.stats.sections[0]).next().is_some()
                && h.query_all_by_label_contains(t.stats.computing)
                    .next()
                    .is_none()
        });
        back(&mut window);
        press(&mut window, t.backups);
        window
            .harness
            .query_all_by_label_contains(t.backups)
            .next()
            .unwrap();
        back(&mut window);
        for (button, heading) in [
            (t.deck_options.open, stem(t.deck_options.heading)),
            (t.edit.add_note, stem(t.edit.add_heading)),
            (t.edit.edit_deck, stem(t.edit.deck_heading)),
            (t.edit.new_deck, t.edit.deck_new_heading),
            (t.export, stem(t.transfer.export_heading)),
        ] {
            press(&mut window, button);
            window
                .harness
                .query_all_by_label_contains(heading)
                .next()
                .unwrap_or_else(|| panic!("{code}: {button} opens {heading:?}"));
            back(&mut window);
        }
    }
}

#[test]
fn the_deck_list_shows_from_its_cache_at_once_and_what_is_asked_meanwhile_waits() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::new(dir.path());
    // A learner studied one card, and the window closed (leaving the deck list's cache).
    let mut studied =
        Collection::open(paths.clone(), jiff::tz::TimeZone::UTC, Access::ReadWrite).unwrap();
    let deck = DeckId("backend-developer-en".into());
    let card = studied.next_card(&deck, now()).unwrap().unwrap();
    studied
        .answer(
            &deck,
            &card,
            kartu::core::model::card::Rating::Easy,
            now(),
            1000,
        )
        .unwrap();
    let seq = studied.snapshot_job(true).unwrap().run().unwrap();
    studied.finish_snapshot(seq).unwrap();
    studied.write_deck_list_cache(now()).unwrap();
    let expected = studied.deck_summaries(now());
    drop(studied);
    // The next start: the collection loads only when the test lets it.
    let cached =
        kartu::core::collection::cached_deck_list(&paths, &jiff::tz::TimeZone::UTC, now()).unwrap();
    assert_eq!(cached.summaries, expected);
    let stand_in = Collection::loading(
        paths.clone(),
        jiff::tz::TimeZone::UTC,
        cached.settings.clone(),
    )
    .unwrap();
    let (go, wait) = std::sync::mpsc::channel::<()>();
    let (drawn, was_drawn) = std::sync::mpsc::channel::<()>();
    let loader_paths = paths.clone();
    let handle = std::thread::spawn(move || {
        wait.recv().unwrap();
        Ok(Collection::open(
            loader_paths,
            jiff::tz::TimeZone::UTC,
            Access::ReadWrite,
        )?)
    });
    let failed = Arc::new(Mutex::new(None));
    let mut harness = Harness::builder()
        .with_size([1100.0, 800.0])
        .build_eframe(move |cc| {
            KartuApp::new_loading(
                cc,
                stand_in,
                handle,
                cached,
                drawn,
                failed,
                Arc::new(FakeDialogs::default()),
                Box::new(now),
            )
        });
    harness.step();
    // The list and its counts, before the collection is in: 19 new cards left today in
    // the English deck, one studied.
    harness.get_by_label("What is a Backend Developer?");
    harness.get_by_label("19");
    was_drawn
        .try_recv()
        .expect("the loader is told the list is drawn");
    // Study the English deck (selected with Down): it waits for the collection.
    harness.key_press(Key::ArrowDown);
    harness.step();
    harness.key_press(Key::Enter);
    harness.step();
    let t = kartu::ui::i18n::Lang::En.texts();
    assert!(
        harness
            .query_by_role_and_label(Role::Button, t.show_answer)
            .is_none()
    );
    go.send(()).unwrap();
    run_until(&mut harness, |h| {
        h.query_by_role_and_label(Role::Button, t.show_answer)
            .is_some()
    });
    assert_eq!(
        harness.state().collection().deck_summaries(now()),
        expected,
        "the loaded collection's list is the cached one"
    );
}

#[test]
fn the_window_counts_the_history_for_the_statistics_a_while_after_it_opens() {
    let (_dir, paths) = data_with_backup();
    // The answers into the review log, as a snapshot puts them.
    let mut collection =
        Collection::open(paths.clone(), jiff::tz::TimeZone::UTC, Access::ReadWrite).unwrap();
    let seq = collection.snapshot_job(true).unwrap().run().unwrap();
    collection.finish_snapshot(seq).unwrap();
    drop(collection);
    let cache = paths.stats_cache_file();
    assert!(!cache.exists());
    let opened = std::time::Instant::now();
    let mut harness = window_on(&paths);
    run_until(&mut harness, |_| cache.exists());
    assert!(
        opened.elapsed() >= std::time::Duration::from_secs(5),
        "not while the window starts"
    );
    let counts = kartu::core::storage::stats_cache::StatsCache::read(&cache).unwrap();
    let answers: u32 = counts
        .days
        .values()
        .flat_map(|days| days.values())
        .map(kartu::core::storage::stats_cache::DayCounts::answers)
        .sum();
    assert_eq!(answers, 2);
}

/// A learner's deck of 300 basic notes, installed in `paths` (its file in `decks/`).
fn install_big_deck(paths: &DataPaths) -> DeckId {
    use kartu::core::model::deck::{DECK_FORMAT_VERSION, Deck, Note};
    let deck = Deck {
        format: DECK_FORMAT_VERSION,
        id: DeckId("big".into()),
        title: "Big deck".into(),
        description: String::new(),
        language: "en".into(),
        version: 1,
        parent: None,
        notes: (0..300)
            .map(|i| {
                Note::basic(
                    &format!("n{i}"),
                    &format!("Question {i}"),
                    &format!("Answer {i}"),
                )
            })
            .collect(),
    };
    kartu::core::storage::format::deck_file::save_deck_file(&deck, &paths.deck_file(&deck.id))
        .unwrap();
    deck.id
}

/// The deck list leaves a deck's card text in its file; studying reads back the shown card's
/// block alone; a file changed in place since the start shows as an error on the card, not as
/// a blank card.
#[test]
fn card_text_is_read_from_the_deck_file_only_when_a_card_is_shown() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DataPaths::new(dir.path());
    paths.create_dirs().unwrap();
    let id = install_big_deck(&paths);
    let mut harness = window_on(&paths);
    harness.get_by_label("Big deck");
    let cold = |harness: &Harness<'static, KartuApp>| {
        harness
            .state()
            .collection()
            .deck(&id)
            .unwrap()
            .deck
            .cold_blocks()
    };
    assert_eq!(cold(&harness), (3, 3));
    let study = harness
        .get_all_by_role_and_label(Role::Button, "Study")
        .collect::<Vec<_>>();
    // Decks in title order: "Apa itu…", "Big deck", "What is…".
    assert_eq!(study.len(), 3);
    study[1].click();
    settle(&mut harness);
    harness.get_by_label("Question 0");
    assert_eq!(cold(&harness), (2, 3));
    drop(harness);

    // The file truncated in place while the window is open.
    let collection =
        Collection::open(paths.clone(), jiff::tz::TimeZone::UTC, Access::ReadWrite).unwrap();
    fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(paths.deck_file(&id))
        .unwrap();
    let dialogs: Arc<dyn FileDialogs> = Arc::new(FakeDialogs::default());
    let mut harness = Harness::builder()
        .with_size([1100.0, 800.0])
        .build_eframe(move |cc| KartuApp::new(cc, collection, dialogs, Box::new(now)));
    settle(&mut harness);
    let study = harness
        .get_all_by_role_and_label(Role::Button, "Study")
        .collect::<Vec<_>>();
    study[1].click();
    settle(&mut harness);
    assert!(
        harness
            .query_all_by_label_contains("This card's text could not be read")
            .next()
            .is_some()
    );
}
