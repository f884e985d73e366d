//! Benchmark: how long the script sandbox takes to stop a hostile call, for
//! each built-in that does a lot of work in one operation (sorting, joining,
//! padding, splitting, concatenating, maps), called in a loop on the largest
//! array, map or string the limits allow, and for the plain runaways (loops,
//! recursion, doubling strings). Run with `cargo bench --bench scripts`;
//! `ONLY='sort in a loop'` runs that case alone. Prints, per case,
//! the wall time of one call and what stopped it (or `done`).

use std::time::Instant;

use rhai::Dynamic;
use yardstick::script::{ScriptSource, Scripts};
use yardstick::syntax::span::Span;

/// Each case: a name, and the body of `fn f(x)`.
const CASES: &[(&str, &str)] = &[
    ("endless loop", "loop { x += 1; }"),
    ("endless recursion", "f(x + 1)"),
    ("doubling string", r#"let s = "字"; loop { s += s; }"#),
    ("pushes past the limit", "let a = []; loop { a.push(x); }"),
    (
        "map inserts past the limit",
        "let m = #{}; for i in 0..2000 { m[`k${i}`] = i; } m.len()",
    ),
    ("doubling array", "let a = [1]; loop { a += a; }"),
    (
        "sort in a loop",
        "let b = []; for i in 0..1000 { b.push(1000 - i); } loop { b.sort(); }",
    ),
    (
        "sort decimals in a loop",
        "let b = []; for i in 0..1000 { b.push(x * i); } loop { b.sort(); }",
    ),
    (
        "sort with a comparer",
        "let b = []; for i in 0..1000 { b.push(1000 - i); } b.sort(|p, q| { let n = 0; while n < 100 { n += 1; } p - q }); b.len()",
    ),
    (
        "to_string in a loop",
        "let a = []; for i in 0..1000 { a.push(i); } loop { a.to_string(); }",
    ),
    (
        "to_string of a map in a loop",
        "let m = #{}; for i in 0..500 { m[`k${i}`] = i; } loop { m.to_string(); }",
    ),
    ("string building", r#"let s = ""; loop { s += "字"; }"#),
    (
        "string += in a loop",
        r#"let s = ""; s.pad(49999, "字"); loop { let t = s; t += s; }"#,
    ),
    (
        "pad in a loop",
        r#"loop { let t = ""; t.pad(99999, "字"); }"#,
    ),
    (
        "split in a loop",
        r#"let s = "a,"; s.pad(1999, "a,"); loop { s.split(","); }"#,
    ),
    (
        "split into characters in a loop",
        r#"let s = ""; s.pad(1000, "字"); loop { s.split(); }"#,
    ),
    (
        "array + array in a loop",
        "let a = []; for i in 0..500 { a.push(i); } loop { let c = a + a; }",
    ),
    (
        "array += in a loop",
        "let a = []; for i in 0..500 { a.push(i); } loop { let c = a; c += a; }",
    ),
    (
        "contains in a loop",
        "let a = []; for i in 0..1000 { a.push(i); } loop { a.contains(-1); }",
    ),
    (
        "index_of in a loop",
        "let a = []; for i in 0..1000 { a.push(i); } loop { a.index_of(-1); }",
    ),
    (
        "reverse in a loop",
        "let a = []; for i in 0..1000 { a.push(i); } loop { a.reverse(); }",
    ),
    (
        "dedup in a loop",
        "let a = []; for i in 0..1000 { a.push(i); } loop { a.dedup(); }",
    ),
    (
        "array == array in a loop",
        "let a = []; for i in 0..1000 { a.push(i); } let b = a; loop { a == b; }",
    ),
    (
        "filter with a closure in a loop",
        "let a = []; for i in 0..1000 { a.push(i); } loop { a.filter(|v| v > 0); }",
    ),
    (
        "replace in a loop",
        r#"let s = ""; s.pad(99999, "a"); loop { s.replace("a", "a"); }"#,
    ),
    (
        "string contains in a loop",
        r#"let s = ""; s.pad(99999, "a"); loop { s.contains("ab"); }"#,
    ),
    (
        "to_upper in a loop",
        r#"let s = ""; s.pad(99999, "a"); loop { s.to_upper(); }"#,
    ),
    (
        "chars in a loop",
        r#"let s = ""; s.pad(1000, "字"); loop { s.chars(); }"#,
    ),
    (
        "map keys in a loop",
        "let m = #{}; for i in 0..1000 { m[`k${i}`] = i; } loop { m.keys(); }",
    ),
    (
        "map == map in a loop",
        "let m = #{}; for i in 0..1000 { m[`k${i}`] = i; } let n = m; loop { m == n; }",
    ),
    (
        "map + map in a loop",
        "let m = #{}; for i in 0..500 { m[`k${i}`] = i; } loop { let n = m + m; }",
    ),
];

fn main() {
    let only = std::env::var("ONLY").unwrap_or_default();
    for (name, body) in CASES {
        if !only.is_empty() && *name != only {
            continue;
        }
        let code = format!("fn f(x) {{ {body} }}");
        let scripts = match Scripts::compile(&[ScriptSource {
            code: code.clone(),
            span: Span::new(0, code.len()),
        }]) {
            Ok(scripts) => scripts,
            Err(failure) => {
                println!("{name:<40} does not compile: {}", failure.message);
                continue;
            }
        };
        let started = Instant::now();
        let result = scripts.call("f", vec![Dynamic::from_int(1)]);
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        let how = match result {
            Ok(_) => "done".to_owned(),
            Err(failure) => failure.message,
        };
        println!("{name:<40} {elapsed:>10.1} ms  {how}");
    }
}
