//! Fuzz target: bytes -> decode -> parse + check, and the formatter's
//! round-trip properties on every input that parses without errors.
//!
//! Checked:
//! - `syntax::decode`, `syntax::parse` and `yardstick::compile` never panic
//!   (nor hang or blow up memory; libFuzzer's -timeout / -rss_limit_mb catch that).
//! - When `parse(x)` has no errors, with `p = print(parse(x))`:
//!   * `parse(p)` has no errors,
//!   * `parse(p).file == parse(x).file` (spans do not take part in equality),
//!   * `print(parse(p)) == p` (printing is idempotent).
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use yardstick::syntax::{self, print::print};

fuzz_target!(|data: &[u8]| {
    let source = match syntax::decode(data.to_vec()) {
        Ok(text) => text,
        // Invalid UTF-8: the diagnostic was produced without panicking; the
        // CLI would stop here too.
        Err(_) => return,
    };

    // Parse + check. Must never panic, whatever the text.
    let source: Arc<str> = Arc::from(source);
    let compiled = yardstick::compile("fuzz.std", source.clone());
    drop(compiled);

    // `compile` moves the parse errors out of its `Parsed`, so parse again to
    // know whether the text was valid.
    let parsed = syntax::parse(&source);
    if !parsed.errors.is_empty() {
        return;
    }

    let printed = print(&parsed.file, &parsed.comments, Some(&source));
    let reparsed = syntax::parse(&printed);
    assert!(
        reparsed.errors.is_empty(),
        "printed text does not re-parse: {:?}\n--- input ---\n{}\n--- printed ---\n{}",
        reparsed.errors,
        source,
        printed,
    );
    assert!(
        reparsed.file == parsed.file,
        "re-parsed AST differs from the original\n--- input ---\n{}\n--- printed ---\n{}\n--- original AST ---\n{:#?}\n--- re-parsed AST ---\n{:#?}",
        source,
        printed,
        parsed.file,
        reparsed.file,
    );

    let reprinted = print(&reparsed.file, &reparsed.comments, Some(&printed));
    assert!(
        reprinted == printed,
        "printing is not idempotent\n--- input ---\n{}\n--- print(x) ---\n{}\n--- print(parse(print(x))) ---\n{}",
        source,
        printed,
        reprinted,
    );

    // The re-printed text must also pass the checker without panicking.
    let _ = yardstick::compile("fuzz-printed.std", Arc::from(printed));
});
