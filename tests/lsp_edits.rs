//! Random editing sessions against the analysis behind `yardstick lsp`:
//! the founding standard edited by random insertions and deletions (names,
//! keywords, brackets, quotes, Chinese, emoji, full-width punctuation,
//! newlines) at random positions — past line ends and inside surrogate
//! pairs too — with every request asked after every edit. Nothing may
//! panic, every answer must point inside the text, and what the edits
//! came to must be what a fresh start on the same text gives. `PROPTEST_CASES`
//! sets the number of sessions (64 by default).

#![allow(
    clippy::expect_used,
    reason = "setting up the scratch folder fails the test, as its asserts do"
)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use proptest::prelude::*;
use yardstick::editions::Reach;
use yardstick::ide::{Lines, Position, Workspace};

/// Pieces of text an edit inserts.
const PIECES: [&str; 24] = [
    "rule ",
    "Z1 ",
    "\"標題\"",
    " {",
    "}",
    "(",
    ")",
    "when ",
    "require ",
    "points 2",
    " and ",
    "green_coverage",
    " >= 30%",
    "\n",
    "passed(",
    "綠化率",
    "😀",
    "（",
    "，",
    "\"",
    "# 註\n",
    "section ",
    "let x = ",
    "extends \"2015.std\"\n",
];

#[derive(Clone, Debug)]
enum Step {
    /// Insert a piece at a line and character (either may be past the end).
    Insert(u32, u32, usize),
    /// Delete from a line and character, this many UTF-16 units on.
    Delete(u32, u32, u32),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0u32..700, 0u32..80, 0..PIECES.len()).prop_map(|(l, c, p)| Step::Insert(l, c, p)),
        (0u32..700, 0u32..80, 1u32..40).prop_map(|(l, c, n)| Step::Delete(l, c, n)),
    ]
}

/// The text after a step, as an editor applies it (positions clamped).
fn apply(text: &str, step: &Step) -> String {
    let lines = Lines::new(text);
    let at = |line, character| lines.offset(text, Position { line, character });
    let mut edited = text.to_owned();
    match *step {
        Step::Insert(line, character, piece) => {
            edited.insert_str(at(line, character), PIECES[piece]);
        }
        Step::Delete(line, character, units) => {
            let start = at(line, character);
            let start_position = lines.position(text, start);
            let end = at(
                start_position.line,
                start_position.character.saturating_add(units),
            );
            edited.replace_range(start..end.max(start), "");
        }
    }
    edited
}

fn inside(text: &str, position: Position) -> bool {
    let lines = Lines::new(text);
    lines.position(text, lines.offset(text, position)) == position
}

/// The founding standard's two editions in a scratch folder.
fn folder() -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().expect("a scratch folder");
    for edition in ["2015.std", "2016.std"] {
        std::fs::copy(
            Path::new("standards/office_environment").join(edition),
            dir.path().join(edition),
        )
        .expect("the founding standard is copied");
    }
    let path = dir.path().join("2016.std");
    let text = std::fs::read_to_string(&path).expect("the edition is read");
    (dir, path, text)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64),
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_edits_never_break_the_analysis(
        steps in prop::collection::vec(step(), 1..12),
        asked in (0u32..700, 0u32..80),
    ) {
        let (_dir, path, mut text) = folder();
        let mut workspace = Workspace::new(Reach::default());
        workspace.set_text(&path, Arc::from(text.as_str()));
        for step in &steps {
            text = apply(&text, step);
            workspace.set_text(&path, Arc::from(text.as_str()));
            // What the edits came to is what a fresh start on the text gives:
            // the same diagnostics, and while it parses, the same outline,
            // names and hints (the tree reparsed where touched is the tree).
            let mut fresh = Workspace::new(Reach::default());
            fresh.set_text(&path, Arc::from(text.as_str()));
            prop_assert_eq!(workspace.diagnostics(&path), fresh.diagnostics(&path));
            if yardstick::syntax::parse(&text).errors.is_empty() {
                prop_assert_eq!(workspace.outline(&path), fresh.outline(&path));
                prop_assert_eq!(workspace.tokens(&path), fresh.tokens(&path));
                prop_assert_eq!(workspace.hints(&path), fresh.hints(&path));
            }
            let at = Position { line: asked.0 % (text.lines().count() as u32 + 1), character: asked.1 };
            for (file, found) in workspace.diagnostics(&path) {
                if file == path {
                    for d in &found {
                        prop_assert!(inside(&text, d.start) && inside(&text, d.end), "{d:?}");
                    }
                }
            }
            workspace.hover(&path, at);
            workspace.completion(&path, at);
            for location in workspace.definition(&path, at).into_iter()
                .chain(workspace.references(&path, at, true))
            {
                let target = std::fs::read_to_string(&location.path).unwrap_or_default();
                let target = if location.path == path { text.clone() } else { target };
                prop_assert!(inside(&target, location.start), "{location:?}");
            }
            let _ = workspace.rename(&path, at, "新名");
            workspace.outline(&path);
            workspace.hints(&path);
            workspace.tokens(&path);
            workspace.folds(&path);
            workspace.fixes(&path, at, at);
            workspace.format(&path);
        }
    }
}
