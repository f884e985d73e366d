//! Benchmark: `check` of a 10 MB standard of 20,000 rules (the target is under
//! 0.5 s on the 2-core development machine). Run with `cargo bench --bench check`.
//! Prints the best and median of several runs for parsing alone and for
//! parsing plus checking.

#[path = "../tests/common/big_standard.rs"]
mod big_standard;

use std::sync::Arc;
use std::time::{Duration, Instant};

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(f());
            started.elapsed()
        })
        .collect();
    times.sort();
    (times[0], times[runs / 2])
}

fn main() {
    let source: Arc<str> = Arc::from(big_standard::big_standard(
        std::env::var("RULES")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(20_000),
    ));
    let megabytes = source.len() as f64 / 1e6;
    let runs = 7;
    let (parse_best, parse_median) =
        time(runs, || yardstick::syntax::parse(&source).file.items.len());
    let (check_best, check_median) = time(runs, || {
        let compiled = yardstick::compile("big.std", Arc::clone(&source));
        assert_eq!(compiled.diagnostics.errors(), 0);
        compiled.standard.map(|s| s.rules.len())
    });
    println!("check benchmark: 20,000 rules, {megabytes:.1} MB, {runs} runs");
    println!("  parse only      best {parse_best:>10.3?}  median {parse_median:>10.3?}");
    println!(
        "  parse + check   best {check_best:>10.3?}  median {check_median:>10.3?}  ({:.1} MB/s)",
        megabytes / check_median.as_secs_f64()
    );
}
