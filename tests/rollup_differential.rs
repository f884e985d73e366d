//! The roller (the fast path of `yardstick rollup`) against the plain
//! reference of SPEC §8: generated roll-ups, written as text and checked as
//! a user's would be, each given a generated list of inspections; the two
//! assessments must be equal in every part — each level's score in each
//! period, the final score before and after repeats, every repeat run, the
//! rank, the grade, inspections per method, each target's dates, and the
//! periods named.
//!
//! The generator reaches every part of a roll-up: calendar levels (week,
//! month, quarter, year) in any nesting SPEC §8 allows, levels told by a
//! field (text or `one of`, numbers or words), terms of methods and of finer
//! levels with weights, absent terms, `repeat` on any level, grades with
//! `top P%`, `top N` and `rank`, targets, `period`, `cap`; and inspections
//! that are left out (blank key, no date, outside the period, a method no
//! level weighs, a blank period field), scores with up to 28 digits, ties.
//!
//! The sharded roller of `yardstick rollup`, fed the same inspections in a
//! shuffled order (as the scoring threads feed it), must agree too.
//!
//! `cargo test --test rollup_differential` runs a CI-sized number of
//! roll-ups; `YARDSTICK_ROLLUP_CASES=N` runs N (`--release` for large N).

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use std::fmt::Write as _;
use std::time::Instant;

use jiff::civil::Date;
use rust_decimal::Decimal;
use yardstick::rollup::{Inspection, Method, Plan, Roller, Shared, reference};

/// SplitMix64: the same sequence everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const METHODS: [&str; 4] = ["暗訪", "明察", "抽查", "季檢"];
const ROUNDS: [&str; 4] = ["第一輪", "第二輪", "第三輪", "第四輪"];

/// A generated roll-up: the standard's text and what the inspections need.
struct Case {
    text: String,
    /// Whether the levels read `round` (a field) and it is `one of`.
    round_words: bool,
    /// The methods the standard's field allows (some not weighed).
    methods: usize,
}

/// Splits 100 into `parts` positive whole percents.
fn weights(rng: &mut Rng, parts: usize) -> Vec<u64> {
    let mut left = 100;
    let mut out = Vec::new();
    for i in 0..parts {
        let rest = (parts - i - 1) as u64;
        let w = if rest == 0 {
            left
        } else {
            1 + rng.below(left - rest)
        };
        out.push(w);
        left -= w;
    }
    out
}

fn case(rng: &mut Rng) -> Case {
    let round_words = rng.chance(50);
    let mut text = String::from(
        "standard s {\n  title \"年度考核\"\n  version 1\n  effective 2015-01-01\n  key unit\n  dated_by day\n",
    );
    if rng.chance(30) {
        let _ = writeln!(text, "  cap {}", 90 + rng.below(20));
    }
    text.push_str("}\n\nfields {\n  unit text\n  day date\n  method one of (\"暗訪\", \"明察\", \"抽查\", \"季檢\")\n");
    if round_words {
        text.push_str("  round one of (\"第一輪\", \"第二輪\", \"第三輪\", \"第四輪\")\n");
    } else {
        text.push_str("  round text\n");
    }
    text.push_str("  ok bool\n}\n\nrule A1 \"合格\": ok\n\nrollup r \"年度\" {\n");
    if rng.chance(60) {
        let from = 1 + rng.below(3);
        let to = 9 + rng.below(4);
        let _ = writeln!(text, "  period 2015-{from:02}-01 to 2015-{to:02}-28");
    }
    text.push_str("  method method\n");
    // Levels, finest first: a subset of the calendar in order, a field
    // level anywhere among them.
    let calendar = ["week", "month", "quarter", "year"];
    let mut levels: Vec<String> = calendar
        .iter()
        .filter(|_| rng.chance(55))
        .map(|s| (*s).to_owned())
        .collect();
    if levels.is_empty() || rng.chance(35) {
        let at = rng.below(levels.len() as u64 + 1) as usize;
        levels.insert(at, "round".to_owned());
    }
    let weighed_methods = 1 + rng.below(3) as usize;
    for (l, name) in levels.iter().enumerate() {
        let mut terms: Vec<String> = Vec::new();
        for method in METHODS.iter().take(weighed_methods) {
            if l == 0 || rng.chance(40) {
                terms.push(format!("\"{method}\""));
            }
        }
        for finer in levels.iter().take(l) {
            if rng.chance(60) {
                terms.push(finer.clone());
            }
        }
        if terms.is_empty() {
            terms.push(format!("\"{}\"", METHODS[0]));
        }
        let head = if name == "round" {
            "level round by round".to_owned()
        } else {
            format!("level {name}")
        };
        if terms.len() == 1 && rng.chance(50) {
            let _ = writeln!(text, "  {head} = {}", terms[0]);
        } else {
            let split = weights(rng, terms.len());
            let parts: Vec<String> = terms
                .iter()
                .zip(split)
                .map(|(t, w)| format!("{w}% {t}"))
                .collect();
            let _ = writeln!(text, "  {head} = {}", parts.join(" + "));
        }
    }
    for _ in 0..rng.below(3) {
        let level = rng.pick(&levels).clone();
        let _ = writeln!(
            text,
            "  repeat {} consecutive {level} deduct {}",
            1 + rng.below(3),
            rng.pick(&["1", "2", "0.5", "3.25"])
        );
    }
    if rng.chance(80) {
        text.push_str("  grades {\n");
        match rng.below(3) {
            0 => {
                let _ = writeln!(
                    text,
                    "    \"先進\" when score >= {} and top {}%",
                    60 + rng.below(30),
                    5 + rng.below(40)
                );
            }
            1 => {
                let _ = writeln!(text, "    \"先進\" when top {}", 1 + rng.below(4));
            }
            _ => {
                let _ = writeln!(text, "    \"先進\" when rank <= {}", 1 + rng.below(3));
            }
        }
        let _ = writeln!(text, "    \"達標\" when score >= {}", 50 + rng.below(40));
        text.push_str("    \"不達標\" otherwise\n  }\n");
    }
    for t in 0..rng.below(3) {
        let _ = writeln!(
            text,
            "  target \"T{t}\" by 2015-{:02}-15 when passed(A1)",
            1 + rng.below(12)
        );
    }
    text.push_str("}\n");
    Case {
        text,
        round_words,
        methods: weighed_methods,
    }
}

/// Scores as `eval` makes them: whole, few decimals, 28 digits, ties.
fn score(rng: &mut Rng) -> Decimal {
    match rng.below(4) {
        0 => Decimal::from(rng.below(101)),
        1 => Decimal::new(rng.below(10_001) as i64, 2),
        2 => Decimal::from(100 * rng.below(50)) / Decimal::from(1 + rng.below(60)),
        _ => *rng.pick(&[Decimal::from(80), Decimal::from(90), Decimal::ONE_HUNDRED]),
    }
}

fn inspections(rng: &mut Rng, case: &Case, plan: &Plan) -> Vec<Inspection> {
    let units = 1 + rng.below(12);
    let count = rng.below(60);
    let targets = plan.rollup.targets.len();
    (0..count)
        .map(|_| {
            let unit = rng.below(units);
            let key = if rng.chance(2) {
                " ".into()
            } else {
                format!("U{unit}").into()
            };
            let date = if rng.chance(3) {
                None
            } else {
                let day = rng.below(365);
                Date::new(2015, 1, 1)
                    .ok()
                    .and_then(|d| d.checked_add(jiff::Span::new().days(day as i64)).ok())
            };
            let method = match rng.below(20) {
                0 => Method::Blank,
                1 => Method::Other("抽查".to_owned()),
                _ => Method::Weighed(rng.below(case.methods as u64) as usize),
            };
            let round = if rng.chance(3) {
                None
            } else if case.round_words {
                Some((*rng.pick(&ROUNDS)).to_owned())
            } else {
                Some(rng.pick(&["1", "2", "10", "3"]).to_string())
            };
            Inspection {
                key,
                group: None,
                date,
                method,
                by_field: plan.field_levels.iter().map(|_| round.clone()).collect(),
                score: score(rng),
                failed: (0..4).filter(|_| rng.chance(35)).collect(),
                targets: (0..targets).map(|_| rng.chance(50)).collect(),
            }
        })
        .collect()
}

#[test]
fn the_roller_and_the_reference_agree() {
    let cases: u64 = std::env::var("YARDSTICK_ROLLUP_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1500);
    let started = Instant::now();
    let mut rng = Rng(2015);
    let mut pairs = 0usize;
    for _ in 0..cases {
        let case = case(&mut rng);
        let checked = yardstick::compile("generated.std", case.text.as_str().into());
        let Some(standard) = checked.standard else {
            let codes: Vec<Option<String>> = checked
                .diagnostics
                .items
                .iter()
                .map(|d| yardstick::diagnostics::code(d.as_ref()))
                .collect();
            panic!("the generated roll-up checks:\n{}\n{codes:?}", case.text);
        };
        let plan = Plan::new(&standard.rollups[0], &standard);
        let inspections = inspections(&mut rng, &case, &plan);
        let plain = reference::assess(&plan, &inspections);
        let mut roller = Roller::new(&plan);
        for (at, inspection) in inspections.iter().enumerate() {
            let _ = roller.add(inspection, at as u64);
        }
        let fast = roller.finish();
        assert_eq!(
            fast, plain,
            "the roller and the reference disagree on\n{}\nwith {:#?}",
            case.text, inspections
        );
        // The shards, fed in another order (as threads would feed them),
        // each inspection with its place in the input.
        let mut order: Vec<usize> = (0..inspections.len()).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i as u64 + 1) as usize);
        }
        let shared = Shared::new(&plan);
        for &at in &order {
            let _ = shared.add(&inspections[at], at as u64);
        }
        let sharded = shared.finish();
        assert_eq!(
            sharded, plain,
            "the shards and the reference disagree on\n{}\nwith {:#?} in the order {order:?}",
            case.text, inspections
        );
        pairs += fast.units.len();
    }
    eprintln!(
        "{cases} roll-ups, {pairs} (roll-up, unit-year) pairs agree in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
