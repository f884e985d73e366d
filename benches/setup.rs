//! Benchmark: the set-up before any record is scored, on hostile sizes.
//! `eval`'s catalog of a standard of 100,000 rules (`RULES`), and the
//! loading of a directory of 2,000 editions each extending the one before
//! (`EDITIONS`), both once linear searches and whole-chain merges made them
//! quadratic (28.7 s and 99 s in issue 18). Run with
//! `cargo bench --bench setup`; prints the wall time of each step.

#![allow(clippy::panic, reason = "a benchmark fails by panicking")]

#[path = "../tests/common/big_standard.rs"]
mod big_standard;

use std::sync::Arc;
use std::time::Instant;

use yardstick::eval::catalog::Catalog;

fn count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn seconds(started: Instant) -> f64 {
    started.elapsed().as_secs_f64()
}

fn catalog(rules: usize) {
    let source: Arc<str> = Arc::from(big_standard::big_standard(rules));
    let started = Instant::now();
    let compiled = yardstick::compile("big.std", source);
    let checked = seconds(started);
    let Some(standard) = compiled.standard else {
        panic!("the big standard checks");
    };
    let started = Instant::now();
    let Ok(program) = yardstick::eval::compile::compile(Arc::new(standard)) else {
        panic!("the big standard compiles");
    };
    let compiled = seconds(started);
    let started = Instant::now();
    let catalog = Catalog::single(program);
    let made = seconds(started);
    println!(
        "{rules} rules: check {checked:.2} s, compile {compiled:.2} s, catalog {made:.3} s ({} columns)",
        catalog.rules.len()
    );
}

fn editions(count: usize) {
    let directory = std::path::Path::new("target/bench").join(format!("chain-{count}"));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).unwrap_or_else(|e| panic!("{e}"));
    let first = "standard s {\n  title \"鏈\"\n  version 1\n  effective 2000-01-01\n  key unit_id\n}\n\nfields {\n  unit_id text\n  x number\n}\n\nsection A \"a\" {\n  rule R0 \"t\": x > 0\n}\n";
    let write = |i: usize, text: &str| {
        std::fs::write(directory.join(format!("e{i:05}.std")), text)
            .unwrap_or_else(|e| panic!("{e}"));
    };
    write(0, first);
    let start = jiff::civil::date(2000, 1, 1);
    for i in 1..count {
        let effective = start
            .checked_add(jiff::Span::new().days(i64::try_from(i).unwrap_or(0)))
            .unwrap_or(start);
        write(
            i,
            &format!(
                "standard s {{\n  extends \"e{:05}.std\"\n  version {}\n  effective {effective}\n}}\n\namend rule R0 {{ require x > {i} }}\n\nsection A \"a\" {{\n  rule R{i} \"t{i}\": x > {i}\n}}\n",
                i - 1,
                i + 1
            ),
        );
    }
    let started = Instant::now();
    let loaded = yardstick::editions::load(&directory.to_string_lossy());
    let took = seconds(started);
    assert!(!loaded.has_errors(), "the chain checks");
    println!(
        "{count} chained editions: loaded and checked in {took:.2} s ({} editions)",
        loaded.editions.len()
    );
}

fn main() {
    catalog(count("RULES", 100_000));
    editions(count("EDITIONS", 2_000));
}
