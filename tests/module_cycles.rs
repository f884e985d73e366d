//! No cycle between the top-level modules of `src/` (an invariant of
//! ARCHITECTURE.md): a lower step never imports a higher one, and shared leaf
//! types live in small modules at the root.
//!
//! A top-level module is a file or folder directly under `src/` (`lib.rs`
//! and `main.rs` aside). A module uses another when its code, `//` comments
//! left out, names `crate::other` or lists `other` in `crate::{...}`. This is
//! the analysis of `module-cycles` (the shared tools), written in Rust so
//! that `cargo test` holds the invariant without Python.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Which modules each module uses, every module a key.
type Uses = BTreeMap<String, BTreeSet<String>>;

/// The top-level modules of `src`, and the text of every Rust file under it
/// with the module it belongs to.
fn read_sources(src: &Path) -> (BTreeSet<String>, Vec<(String, String)>) {
    let mut modules = BTreeSet::new();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(src).expect("src/") {
        let path = entry.expect("an entry of src/").path();
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .expect("a file name in UTF-8");
        let module = if path.is_dir() {
            name.to_owned()
        } else if let Some(stem) = name.strip_suffix(".rs") {
            if stem == "lib" || stem == "main" {
                continue;
            }
            stem.to_owned()
        } else {
            continue;
        };
        let mut pending = vec![path.clone()];
        while let Some(path) = pending.pop() {
            if path.is_dir() {
                for entry in std::fs::read_dir(&path).expect("a folder of src/") {
                    pending.push(entry.expect("an entry").path());
                }
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                let text = std::fs::read_to_string(&path).expect("a source file");
                files.push((module.clone(), text));
            }
        }
        modules.insert(module);
    }
    (modules, files)
}

/// The text without `//` comments (doc comments included), each cut to the
/// end of its line. A `//` inside a string is cut too, which can only hide
/// a `crate::` written in a string, never invent one.
fn without_comments(text: &str) -> String {
    text.lines()
        .map(|line| line.find("//").map_or(line, |at| &line[..at]))
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The leading identifier of `text`.
fn identifier(text: &str) -> &str {
    let end = text.find(|c: char| !is_word(c)).unwrap_or(text.len());
    &text[..end]
}

/// The names that follow `crate::` in code: `crate::a::b` names `a`, and
/// `crate::{a::{x, y}, b}` names `a` and `b` (the first segment of each path
/// in the group).
fn crate_references(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let starts_word = rest[..at].chars().next_back().is_none_or(|c| !is_word(c));
        let after = &rest[at + "crate::".len()..];
        rest = after;
        if !starts_word {
            continue;
        }
        let Some(group) = after.strip_prefix('{') else {
            names.push(identifier(after).to_owned());
            continue;
        };
        // The group's top-level paths: a name right after `{` or a `,` at depth one.
        let mut depth = 1;
        let mut expecting_name = true;
        for (index, c) in group.char_indices() {
            match c {
                '{' => {
                    depth += 1;
                    expecting_name = false;
                }
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                ',' if depth == 1 => expecting_name = true,
                c if c.is_whitespace() => {}
                _ if expecting_name => {
                    names.push(identifier(&group[index..]).to_owned());
                    expecting_name = false;
                }
                _ => {}
            }
        }
    }
    names
}

/// Which modules each module uses; a module's use of itself is left out.
fn uses(modules: &BTreeSet<String>, files: &[(String, String)]) -> Uses {
    let mut uses: Uses = modules
        .iter()
        .map(|module| (module.clone(), BTreeSet::new()))
        .collect();
    for (module, text) in files {
        for name in crate_references(&without_comments(text)) {
            if modules.contains(&name) && name != *module {
                uses.entry(module.clone()).or_default().insert(name);
            }
        }
    }
    uses
}

/// Tarjan's strongly connected components with more than one module, each
/// sorted, in a fixed order.
fn cycles(uses: &Uses) -> Vec<Vec<String>> {
    struct Tarjan<'a> {
        uses: &'a Uses,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<String>>,
    }
    impl<'a> Tarjan<'a> {
        fn visit(&mut self, module: &'a str) {
            let number = self.index.len();
            self.index.insert(module, number);
            self.low.insert(module, number);
            self.stack.push(module);
            self.on_stack.insert(module);
            for used in self.uses.get(module).into_iter().flatten() {
                let used = used.as_str();
                if !self.index.contains_key(used) {
                    self.visit(used);
                    let low = self.low[module].min(self.low[used]);
                    self.low.insert(module, low);
                } else if self.on_stack.contains(used) {
                    let low = self.low[module].min(self.index[used]);
                    self.low.insert(module, low);
                }
            }
            if self.low[module] == self.index[module] {
                let mut component = Vec::new();
                while let Some(member) = self.stack.pop() {
                    self.on_stack.remove(member);
                    component.push(member.to_owned());
                    if member == module {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.found.push(component);
                }
            }
        }
    }
    let mut tarjan = Tarjan {
        uses,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for module in uses.keys() {
        if !tarjan.index.contains_key(module.as_str()) {
            tarjan.visit(module);
        }
    }
    tarjan.found.sort();
    tarjan.found
}

/// Each cycle and, inside it, which module uses which.
fn describe(uses: &Uses, cycles: &[Vec<String>]) -> String {
    let mut text = String::new();
    for cycle in cycles {
        text.push_str(&format!("cycle: {}\n", cycle.join(" <-> ")));
        for module in cycle {
            let inside: Vec<&str> = uses[module]
                .iter()
                .filter(|used| cycle.contains(used))
                .map(String::as_str)
                .collect();
            if !inside.is_empty() {
                text.push_str(&format!("  {module} uses {}\n", inside.join(", ")));
            }
        }
    }
    text
}

fn crate_cycles() -> (Uses, Vec<Vec<String>>) {
    let (modules, files) = read_sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(
        modules.len() > 10 && modules.contains("syntax") && modules.contains("eval"),
        "the top-level modules were not found: {modules:?}"
    );
    let uses = uses(&modules, &files);
    let cycles = cycles(&uses);
    (uses, cycles)
}

#[test]
fn no_cycle_between_top_level_modules() {
    let (uses, cycles) = crate_cycles();
    assert!(
        cycles.is_empty(),
        "top-level modules of src/ in a cycle (move the shared part down to a leaf):\n{}",
        describe(&uses, &cycles)
    );
}

/// The analysis on a small crate in memory, so that the tests above cannot
/// pass because it finds nothing.
#[test]
fn a_cycle_in_a_small_crate_is_found() {
    let modules: BTreeSet<String> = ["alpha", "beta", "gamma", "leaf"].map(str::to_owned).into();
    let file = |module: &str, text: &str| (module.to_owned(), text.to_owned());
    let mut files = vec![
        file("alpha", "use crate::beta::Thing;\nuse crate::leaf;"),
        file(
            "beta",
            "// crate::alpha in a comment is no use\nuse crate::{gamma::{self, Other}, leaf};",
        ),
        file(
            "gamma",
            "fn f() { crate::alpha::g() }\nfn h() { notcrate::beta::x() }",
        ),
        file(
            "leaf",
            "/// Docs may name [`crate::alpha`].\npub struct Leaf;",
        ),
    ];
    let found = uses(&modules, &files);
    assert_eq!(
        found["beta"],
        ["gamma", "leaf"].map(str::to_owned).into(),
        "a group's paths count, a comment does not"
    );
    assert!(found["gamma"].contains("alpha") && !found["gamma"].contains("beta"));
    assert!(found["leaf"].is_empty());
    let cycles = cycles(&found);
    assert_eq!(cycles, [["alpha", "beta", "gamma"].map(str::to_owned)]);
    let description = describe(&found, &cycles);
    assert!(
        description.contains("cycle: alpha <-> beta <-> gamma")
            && description.contains("  gamma uses alpha"),
        "{description}"
    );

    // Without `gamma`'s use of `alpha` the crate is layered.
    files[2] = file("gamma", "fn f() {}");
    assert!(self::cycles(&uses(&modules, &files)).is_empty());
}
