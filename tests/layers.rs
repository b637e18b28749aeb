//! The core's layering rule, kept by a test (a boundary nothing checks drifts).
//!
//! Reads every file under `src/core/`, finds the modules it imports (`use crate::…`,
//! `use super::…`, and `crate::core::…` paths written out in code), and fails, naming the
//! files, when
//! - a file reaches a layer above its own: `error`, `time`, `ids`, `bundled` (0) ← `model/`,
//!   `scheduler/` (1) ← `storage/` (2) ← `study/`, `collection/` (3) ← features: `dev/`,
//!   `import/`, `export/`, `search/`, `stats/`, `edit/` (4);
//! - two files import each other, directly or in a loop;
//! - a core file imports the shells (`crate::ui`, `crate::cli`).

// Test helpers may unwrap, like the tests themselves (clippy only exempts `#[test]` functions).
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// A module path under `crate::core`, e.g. `["storage", "review_log", "tail"]`.
type ModPath = Vec<String>;

fn layer(module: &[String]) -> Option<u8> {
    match module.first().map(String::as_str) {
        None | Some("error" | "time" | "ids" | "bundled") => Some(0),
        Some("model" | "scheduler") => Some(1),
        Some("storage") => Some(2),
        Some("study" | "collection") => Some(3),
        Some("dev" | "import" | "export" | "search" | "stats" | "edit") => Some(4),
        Some(_) => None,
    }
}

/// Every `.rs` file under `dir`, with its module path.
fn files(root: &Path, dir: &Path, out: &mut BTreeMap<ModPath, PathBuf>) {
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).unwrap();
            let mut module: ModPath = relative
                .with_extension("")
                .iter()
                .map(|part| part.to_string_lossy().into_owned())
                .collect();
            if module.last().is_some_and(|last| last == "mod") {
                module.pop();
            }
            out.insert(module, path);
        }
    }
}

/// The code of a file without comments (line comments and doc comments), so paths named in
/// prose do not count.
fn code(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Expands a `use` tree (`a::{b, c::{d, self}}`) into full paths.
fn expand(prefix: &[String], tree: &str, out: &mut Vec<ModPath>) {
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let head: Vec<String> = tree[..open]
            .trim_end_matches("::")
            .split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let base: Vec<String> = prefix.iter().cloned().chain(head).collect();
        let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        // Split at top-level commas.
        let (mut depth, mut start) = (0, 0);
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(&base, &inner[start..i], out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        expand(&base, &inner[start..], out);
    } else {
        let tree = tree.split(" as ").next().unwrap_or("").trim();
        if tree.is_empty() {
            return;
        }
        let mut path: Vec<String> = prefix.to_vec();
        for part in tree.split("::") {
            if part != "self" {
                path.push(part.trim().to_owned());
            }
        }
        out.push(path);
    }
}

/// The modules a file's code names, as module paths under `crate::core` (unresolved: they may
/// end in an item name), and whether it names the shells.
fn imports(module: &[String], text: &str) -> (Vec<ModPath>, bool) {
    let code = code(text);
    let mut paths = Vec::new();
    let mut shells = false;
    // `use` statements, which may span lines.
    let mut rest = code.as_str();
    while let Some(at) = rest.find("use ") {
        let before_ok = at == 0 || !rest[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        rest = &rest[at + 4..];
        if !before_ok {
            continue;
        }
        let Some(end) = rest.find(';') else {
            break;
        };
        let tree: String = rest[..end].split_whitespace().collect::<Vec<_>>().join(" ");
        rest = &rest[end..];
        let tree = tree.replace(":: ", "::").replace(" ::", "::");
        if let Some(tail) = tree.strip_prefix("crate::core::") {
            expand(&[], tail, &mut paths);
        } else if tree.starts_with("crate::ui") || tree.starts_with("crate::cli") {
            shells = true;
        } else if tree.starts_with("super::") {
            // `super` is the parent of the file's own module (for a `mod.rs`, the module of
            // its directory).
            let mut base = module.to_vec();
            let mut tail = tree.as_str();
            while let Some(after) = tail.strip_prefix("super::") {
                base.pop();
                tail = after;
            }
            expand(&base, tail, &mut paths);
        } else if tree.starts_with("crate::") {
            // Other crate roots (`crate::core` itself re-exports Error and Result).
            if tree.starts_with("crate::core") {
                expand(
                    &[],
                    tree.trim_start_matches("crate::core")
                        .trim_start_matches("::"),
                    &mut paths,
                );
            }
        }
    }
    // Paths written out in code.
    for (at, _) in code.match_indices("crate::core::") {
        let tail: String = code[at + "crate::core::".len()..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        let path: ModPath = tail
            .split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        paths.push(path);
    }
    if code.contains("crate::ui::") || code.contains("crate::cli::") {
        shells = true;
    }
    (paths, shells)
}

/// The file a module path leads to: its longest prefix that is a module.
fn resolve<'a>(path: &[String], modules: &'a BTreeMap<ModPath, PathBuf>) -> Option<&'a ModPath> {
    (0..=path.len())
        .rev()
        .find_map(|len| modules.get_key_value(&path[..len]).map(|(k, _)| k))
}

/// What breaks the rule among `files` (module path → (file name, text)).
fn problems(files: &BTreeMap<ModPath, (String, String)>) -> Vec<String> {
    let modules: BTreeMap<ModPath, PathBuf> = files
        .iter()
        .map(|(module, (name, _))| (module.clone(), PathBuf::from(name)))
        .collect();
    let name = |module: &ModPath| format!("src/core/{}", files[module].0);
    let mut edges: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
    let mut problems = Vec::new();
    for (module, (_, text)) in files {
        let (paths, shells) = imports(module, text);
        if shells {
            problems.push(format!(
                "{} imports the shells (crate::ui or crate::cli)",
                name(module)
            ));
        }
        if layer(module).is_none() {
            problems.push(format!(
                "{} is in no layer (add its folder to tests/layers.rs and ARCHITECTURE.md)",
                name(module)
            ));
        }
        for target in paths {
            let Some(target) = resolve(&target, &modules) else {
                continue;
            };
            if target == module || target.is_empty() {
                continue;
            }
            if let (Some(from), Some(to)) = (layer(module), layer(target))
                && to > from
            {
                problems.push(format!(
                    "{} (layer {from}) imports {} (layer {to}): a layer never imports one above it",
                    name(module),
                    name(target)
                ));
            }
            edges
                .entry(module.clone())
                .or_default()
                .insert(target.clone());
        }
    }
    // Loops: a file that reaches itself again.
    for start in files.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((at, trail)) = stack.pop() {
            for next in edges.get(&at).into_iter().flatten() {
                if next == start {
                    let mut names: Vec<String> = trail.iter().map(&name).collect();
                    // The same loop from any of its files reads the same.
                    let first = names
                        .iter()
                        .enumerate()
                        .min_by_key(|(_, n)| *n)
                        .map_or(0, |(i, _)| i);
                    names.rotate_left(first);
                    problems.push(format!(
                        "import loop: {} → back to the first",
                        names.join(" → ")
                    ));
                } else if seen.insert(next.clone()) {
                    let mut longer = trail.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

#[test]
fn the_core_is_layered_without_loops() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core");
    let mut paths = BTreeMap::new();
    files(&root, &root, &mut paths);
    assert!(paths.len() > 20, "found {} files", paths.len());
    let files: BTreeMap<ModPath, (String, String)> = paths
        .into_iter()
        .map(|(module, path)| {
            let name = path.strip_prefix(&root).unwrap().display().to_string();
            (module, (name, fs::read_to_string(&path).unwrap()))
        })
        .collect();
    let problems = problems(&files);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_checker_finds_a_reach_upwards_a_loop_and_the_shells() {
    let file = |module: &[&str], name: &str, text: &str| {
        (
            module.iter().map(|s| (*s).to_owned()).collect::<ModPath>(),
            (name.to_owned(), text.to_owned()),
        )
    };
    let files: BTreeMap<ModPath, (String, String)> = [
        file(&["storage", "journal"], "storage/journal.rs", "use crate::core::collection::{Collection, open::Purpose};\nuse super::paths::DataPaths;\n// use crate::core::study::x;\n"),
        file(&["storage", "paths"], "storage/paths.rs", "use crate::ui::app::KartuApp;\n"),
        file(&["collection"], "collection/mod.rs", "pub struct Collection;\n"),
        file(&["collection", "open"], "collection/open.rs", "use super::Collection;\n"),
        file(&["model", "a"], "model/a.rs", "use super::b::B;\n"),
        file(&["model", "b"], "model/b.rs", "use crate::core::model::a::A;\n"),
        file(&["study", "session"], "study/session.rs", "use crate::core::model::a::A;\n"),
    ]
    .into_iter()
    .collect();
    let found = problems(&files);
    let text = found.join("\n");
    assert!(
        text.contains(
            "src/core/storage/journal.rs (layer 2) imports src/core/collection/mod.rs (layer 3)"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "src/core/storage/journal.rs (layer 2) imports src/core/collection/open.rs (layer 3)"
        ),
        "{text}"
    );
    assert!(
        text.contains("import loop: src/core/model/a.rs → src/core/model/b.rs"),
        "{text}"
    );
    assert!(
        text.contains("src/core/storage/paths.rs imports the shells"),
        "{text}"
    );
    assert!(
        !text.contains("study"),
        "comments and downward imports are fine: {text}"
    );
    assert_eq!(found.len(), 4, "{text}");
}
