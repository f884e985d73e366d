//! Nothing a user writes can crash, hang or overflow the parser and checker:
//! deep nesting, long chains, huge files, invalid UTF-8 and adversarial input
//! all end in a diagnostic or in success. These run on the test harness's
//! threads (2 MiB stacks), smaller than the command line's main thread.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use yardstick::diagnostics::FileDiagnostics;

const HEADER: &str =
    "standard s {\n  key unit_id\n}\n\nfields {\n  unit_id text\n  x number\n}\n\n";

fn compile(source: &str) -> FileDiagnostics {
    yardstick::compile("input.std", Arc::from(source)).diagnostics
}

fn codes(file: &FileDiagnostics) -> Vec<String> {
    file.items
        .iter()
        .filter_map(|d| d.code().map(|c| c.to_string()))
        .collect()
}

/// A standard whose one rule requires `condition`.
fn with_condition(condition: &str) -> String {
    format!("{HEADER}section A \"a\" {{\n  rule A1 \"t\": {condition}\n}}\n")
}

#[test]
fn a_hundred_thousand_nested_parentheses_are_refused_with_a_diagnostic() {
    let condition = format!("{}x > 1{}", "(".repeat(100_000), ")".repeat(100_000));
    let file = compile(&with_condition(&condition));
    assert_eq!(codes(&file), ["yardstick::too_deep"]);
}

#[test]
fn unclosed_nesting_is_refused_too() {
    let file = compile(&with_condition(&"f(".repeat(100_000)));
    assert_eq!(codes(&file), ["yardstick::too_deep"]);
    let file = compile(&format!("{HEADER}{}", "section a { ".repeat(100_000)));
    assert_eq!(codes(&file), ["yardstick::too_deep"]);
}

#[test]
fn long_prefix_and_infix_chains_are_refused_without_recursion() {
    for condition in [
        format!("{}x > 1", "not ".repeat(100_000)),
        format!("{}x > 1", "- ".repeat(100_000)),
        format!("{}x > 1", "x + ".repeat(100_000)),
        format!("x > 1{}", " and x > 1".repeat(100_000)),
    ] {
        let file = compile(&with_condition(&condition));
        assert_eq!(
            codes(&file),
            ["yardstick::too_deep"],
            "{}",
            &condition[..20]
        );
    }
}

#[test]
fn expressions_just_inside_the_limits_parse_check_and_drop() {
    let nesting = yardstick::syntax::MAX_NESTING - 10;
    let condition = format!("{}x > 1{}", "(".repeat(nesting), ")".repeat(nesting));
    let file = compile(&with_condition(&condition));
    assert_eq!(file.errors(), 0, "{:?}", codes(&file));
    let chain = format!(
        "x > 0{}",
        " and x > 1".repeat(yardstick::syntax::MAX_EXPR_DEPTH / 2 - 2)
    );
    let file = compile(&with_condition(&chain));
    assert_eq!(file.errors(), 0, "{:?}", codes(&file));
}

#[test]
fn a_long_chain_of_lets_is_ordered_without_recursion() {
    let mut source = String::from(HEADER);
    for i in (1..20_000).rev() {
        source.push_str(&format!("let v{i} = v{} + 1\n", i - 1));
    }
    source.push_str("let v0 = x\nsection A \"a\" {\n  rule A1 \"t\": v19999 > 0\n}\n");
    let file = compile(&source);
    assert_eq!(file.errors(), 0, "{:?}", codes(&file));
}

#[test]
fn a_ten_megabyte_standard_of_twenty_thousand_rules_checks() {
    let source = common::big_standard::big_standard(20_000);
    assert!(source.len() > 10_000_000, "{} bytes", source.len());
    let file = compile(&source);
    assert_eq!(
        file.errors(),
        0,
        "{:?}",
        &codes(&file)[..codes(&file).len().min(5)]
    );
}

#[test]
fn invalid_utf8_empty_and_comment_only_files_get_diagnostics() {
    let file = common::diagnostics_of("bad.std", vec![b's', b't', 0xff, 0xfe, b'\n']);
    assert_eq!(codes(&file), ["yardstick::invalid_utf8"]);
    assert_eq!(codes(&compile("")), ["yardstick::missing_header"]);
    assert_eq!(
        codes(&compile("# 只有註解\n# comments only\n")),
        ["yardstick::missing_header"]
    );
    assert_eq!(codes(&compile("\u{FEFF}")), ["yardstick::missing_header"]);
}

/// Inputs built to make a backtracking parser take exponential time.
fn adversarial_inputs() -> Vec<(&'static str, String)> {
    let n = 10_000;
    let paren_run = "(".repeat(100);
    vec![
        ("unclosed parens near the limit", paren_run.repeat(n / 100)),
        ("calls left open", with_condition(&"f(x, ".repeat(n / 5))),
        (
            "in lists left open",
            with_condition(&"x in (x, ".repeat(n / 9)),
        ),
        (
            "between chains",
            with_condition(&"x between x ".repeat(n / 12)),
        ),
        ("comparison chains", with_condition(&"x >= ".repeat(n / 5))),
        (
            "one-line rules",
            format!(
                "{HEADER}section A \"a\" {{ {} }}",
                "rule r: x ".repeat(n / 10)
            ),
        ),
        ("unterminated strings", "\"".repeat(n)),
        ("triple quotes", "script \"\"\"".repeat(n / 10)),
        ("open braces at the limit", "{".repeat(120).repeat(n / 120)),
        (
            "nested parens closed late",
            with_condition(&format!("{}x{}", "(x + ".repeat(120), ")".repeat(119))),
        ),
        ("keywords", "no critical failed any veto ".repeat(n / 27)),
        ("percent signs", "1%".repeat(n / 2)),
    ]
}

#[test]
fn adversarial_ten_kilobyte_inputs_finish_quickly() {
    // Generous for unoptimised test builds on a loaded machine (the slowest
    // input took 2.3 s with the load of two cores at 9); an exponential parse
    // of these inputs would take far longer than any of them.
    let limit = Duration::from_secs(10);
    for (name, input) in adversarial_inputs() {
        let started = Instant::now();
        let file = compile(&input);
        let elapsed = started.elapsed();
        assert!(!file.items.is_empty(), "{name}: expected a diagnostic");
        assert!(elapsed < limit, "{name}: took {elapsed:?}");
    }
}

/// A standard whose rule R1 has 70,000 spaces before its `require`, past
/// column 65,535, where miette's underline panicked.
fn long_line_standard(field: &str) -> String {
    format!(
        "{HEADER}rule R1 \"t\" {{ {}require {field} >= 3 }}\nrule R2 \"u\": x > 1\n",
        " ".repeat(70_000)
    )
}

#[test]
fn a_label_past_column_65535_is_drawn_with_the_line_cut() {
    let file = compile(&long_line_standard("xx"));
    assert_eq!(codes(&file), ["yardstick::unknown_field"]);
    let rendered = common::rendered(&file);
    assert!(rendered.len() < 2_000, "{}", rendered.len());
    insta::assert_snapshot!(rendered);
}

#[test]
fn eval_explain_on_a_standard_with_a_long_line_does_not_panic() {
    let standard = common::write_scratch("long-line.std", &long_line_standard("x"));
    let data = common::write_scratch("long-line.csv", "unit_id,x\n甲,1\n");
    let check = common::yardstick(&["check", &standard]);
    assert_eq!(check.status.code(), Some(0), "{}", common::stderr(&check));
    let output = common::yardstick(&["eval", &standard, &data, "--explain"]);
    assert_eq!(output.status.code(), Some(0), "{}", common::stderr(&output));
    let explained = common::stderr(&output);
    assert!(explained.contains("甲 failed R1"), "{explained}");
    assert!(
        explained.contains(":10:70023]"),
        "the real column: {explained}"
    );
    assert!(explained.len() < 2_000, "{}", explained.len());
}

#[test]
fn a_standard_over_64_mb_is_refused_before_it_is_read() {
    let path = common::write_scratch("huge.std", "");
    // A sparse file: a gigabyte of zero bytes that takes no room on disk.
    std::fs::File::options()
        .write(true)
        .open(&path)
        .and_then(|file| file.set_len(1 << 30))
        .expect("a sparse file");
    let data = common::write_scratch("huge.csv", "unit_id,x\n甲,1\n");
    for args in [
        vec!["check", path.as_str()],
        vec!["fmt", path.as_str()],
        vec!["eval", path.as_str(), data.as_str()],
    ] {
        let output = common::yardstick(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            common::stderr(&output).contains("larger than 64 MB"),
            "{args:?}: {}",
            common::stderr(&output)
        );
    }
}
