//! Benchmark: what a keystroke costs the language server — the edited
//! text taken (`Workspace::set_text`, which parses it) and its diagnostics
//! computed (the edition chain loaded with the open text, and checked) —
//! in the founding standard's 2016 edition and in a generated standard of
//! 20,000 rules (10 MB). Targets (issue 22): 10 ms and 200 ms. Also a
//! keystroke that makes a syntax error (an open quote) and the one that
//! mends it, and hover and completion. Run with `cargo bench --bench lsp`;
//! prints the best and median of several runs.

#[path = "../tests/common/big_standard.rs"]
mod big_standard;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use yardstick::editions::Reach;
use yardstick::ide::{Position, Workspace};

fn time(runs: usize, mut f: impl FnMut(usize)) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..runs)
        .map(|run| {
            let started = Instant::now();
            f(run);
            started.elapsed()
        })
        .collect();
    times.sort();
    (times[0], times[runs / 2])
}

fn report(what: &str, (best, median): (Duration, Duration)) {
    println!(
        "{what:<52} best {:>8.2} ms   median {:>8.2} ms",
        best.as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e3
    );
}

/// Keystrokes in `path` (open with `text`): a character typed into the
/// title of the rule at `at`, alternately added and taken away.
fn keystrokes(label: &str, path: &Path, text: &str, at: usize, runs: usize) {
    let mut workspace = Workspace::new(Reach::default());
    workspace.set_text(path, Arc::from(text));
    workspace.diagnostics(path);
    let edited = format!("{}字{}", &text[..at], &text[at..]);
    let texts = [Arc::<str>::from(edited), Arc::from(text)];
    let line = text[..at].matches('\n').count() as u32;
    report(
        &format!("{label}: keystroke → diagnostics"),
        time(runs, |run| {
            workspace.set_text(path, Arc::clone(&texts[run % 2]));
            std::hint::black_box(workspace.diagnostics(path));
        }),
    );
    let broken = format!("{}\"{}", &text[..at], &text[at..]);
    let texts = [Arc::<str>::from(broken), Arc::from(text)];
    report(
        &format!("{label}: keystroke → syntax error and back"),
        time(runs, |run| {
            workspace.set_text(path, Arc::clone(&texts[run % 2]));
            std::hint::black_box(workspace.diagnostics(path));
        }),
    );
    let place = Position { line, character: 8 };
    report(
        &format!("{label}: hover"),
        time(runs, |_| {
            std::hint::black_box(workspace.hover(path, place));
        }),
    );
    report(
        &format!("{label}: completion"),
        time(runs, |_| {
            std::hint::black_box(workspace.completion(path, place));
        }),
    );
}

fn main() {
    let founding = PathBuf::from("standards/office_environment/2016.std");
    let text = std::fs::read_to_string(&founding).unwrap_or_default();
    let at = text.find("rule A8 \"").map_or(0, |at| at + 9);
    keystrokes("founding standard (2016 edition)", &founding, &text, at, 41);

    let rules = std::env::var("RULES")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(20_000);
    let dir = std::env::temp_dir().join("yardstick-lsp-bench");
    let _ = std::fs::create_dir_all(&dir);
    let big = dir.join("big.std");
    let source = big_standard::big_standard(rules);
    let _ = std::fs::write(&big, &source);
    let at = source.find("rule R10000 \"").map_or(0, |at| at + 13);
    keystrokes(&format!("{rules} rules (10 MB)"), &big, &source, at, 9);
}
