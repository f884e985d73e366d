//! Rhai scripts (SPEC §5): functions a standard defines in `script """..."""`
//! blocks and calls from any expression, run in a sandbox.
//!
//! The engine starts from `Engine::new_raw` (nothing registered: no module
//! resolver, no printing to stdout) with the standard package for strings,
//! arrays, maps and arithmetic; `import` and timestamps are compiled out
//! (`no_module`, `no_time`), `eval` is disabled, and every run is bounded in
//! operations, call depth, expression depth and string, array and map sizes.
//! A call also has a wall-clock budget ([`MAX_CALL_TIME`], see `budget.rs`):
//! the operation limit counts a built-in function as one operation however
//! much work it does, so a loop of sorts could otherwise run for minutes.
//! `print` and `debug` go to a small log that `eval` shows on stderr, never
//! to stdout. Scripts see no clock, no randomness and no files: the same
//! record always gives the same result.
//!
//! **Decimals.** Every number crosses into a script as a Rhai `Decimal` with
//! exactly the same value (a percent as its fraction: `30%` is `0.3`). There
//! are no binary floats (`no_float`): a literal such as `0.5` in a script is a
//! decimal too, and integer literals mix with decimals exactly. A script
//! returns a decimal or an integer where a number is wanted, `true`/`false`,
//! text, or a date as text (`"2016-06-30"`). Dates cross in as such text.

mod budget;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use jiff::civil::Date;
use rhai::{AST, CallFnOptions, Dynamic, Engine, EvalAltResult, Scope};
use rust_decimal::Decimal;

use crate::syntax::span::Span;

/// Operations one call may take: about a million loop iterations' worth of
/// simple work; a runaway loop stops in well under a second.
pub const MAX_OPERATIONS: u64 = 1_000_000;
/// The wall-clock time one call may take: it stops a loop of built-ins that
/// each do much work in one operation (a sort, `to_string` of a long array).
/// A debug build runs Rhai ten to twenty times slower, so its budget is ten
/// times longer: a script stopped by a size limit in a release build is
/// stopped by the same limit in the tests, not by the clock.
pub const MAX_CALL_TIME: Duration =
    Duration::from_millis(if cfg!(debug_assertions) { 500 } else { 50 });
/// Nested function calls, recursion included.
pub const MAX_CALL_LEVELS: usize = 64;
/// Nesting of expressions (and of expressions in functions).
pub const MAX_EXPR_DEPTH: usize = 64;
/// Characters in a string.
pub const MAX_STRING_SIZE: usize = 100_000;
/// Elements in an array.
pub const MAX_ARRAY_SIZE: usize = 1_000;
/// Entries in a map.
pub const MAX_MAP_SIZE: usize = 1_000;
/// `print` and `debug` lines kept for the log.
const LOG_LINES: usize = 20;

/// The code of a `script` block.
#[derive(Clone, Debug)]
pub struct ScriptSource {
    /// The code, as written.
    pub code: String,
    /// Where the code starts in the standard.
    pub span: Span,
}

/// A script function's name and number of parameters.
pub type Signature = (String, usize);

/// A script block that does not parse, with where in the block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxFailure {
    /// Rhai's message.
    pub message: String,
    /// Byte offset in the block's code.
    pub offset: usize,
}

/// A call that did not give a value, with where in the standard it stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallFailure {
    /// The function called.
    pub function: String,
    /// Why: Rhai's message (a limit, an error the script raised, a wrong type...).
    pub message: String,
    /// Where in the standard's script the run stopped, when known.
    pub span: Option<Span>,
}

/// What scripts printed, for `eval` to show: the first lines, and how many in all.
#[derive(Debug, Default)]
pub struct Log {
    /// The first lines (twenty at most).
    pub lines: Vec<String>,
    /// Every line printed.
    pub count: usize,
}

/// The sandboxed engine, with the limits above.
pub fn engine(log: Arc<Mutex<Log>>) -> Engine {
    let mut engine = Engine::new_raw();
    engine.register_global_module(rhai::packages::Package::as_shared_module(
        &rhai::packages::StandardPackage::new(),
    ));
    engine.disable_symbol("eval");
    engine
        .set_max_operations(MAX_OPERATIONS)
        .set_max_call_levels(MAX_CALL_LEVELS)
        .set_max_expr_depths(MAX_EXPR_DEPTH, MAX_EXPR_DEPTH)
        .set_max_string_size(MAX_STRING_SIZE)
        .set_max_array_size(MAX_ARRAY_SIZE)
        .set_max_map_size(MAX_MAP_SIZE)
        .set_max_strings_interned(256);
    engine.on_progress(|_| budget::over().then_some(Dynamic::UNIT));
    let keep = move |text: String| {
        let mut log = log.lock().unwrap_or_else(PoisonError::into_inner);
        log.count += 1;
        if log.lines.len() < LOG_LINES {
            log.lines.push(text);
        }
    };
    let for_print = keep.clone();
    engine.on_print(move |text| for_print(text.to_owned()));
    engine.on_debug(move |text, _, _| keep(text.to_owned()));
    engine
}

/// The functions a script block defines, by name, or why it does not parse.
pub fn functions(code: &str) -> Result<Vec<Signature>, SyntaxFailure> {
    let engine = engine(Arc::default());
    let ast = engine.compile(code).map_err(|error| SyntaxFailure {
        message: error.err_type().to_string(),
        offset: offset_of(code, error.position()),
    })?;
    // Rhai keeps functions in a hash map: sort them, for the same output every time.
    let mut found: Vec<Signature> = ast
        .iter_functions()
        .map(|f| (f.name.to_owned(), f.params.len()))
        .collect();
    found.sort();
    Ok(found)
}

/// The byte offset of a Rhai position (1-based line and column, in
/// characters) in `code`; the end of the code when past it.
fn offset_of(code: &str, position: rhai::Position) -> usize {
    let (Some(line), column) = (position.line(), position.position().unwrap_or(1)) else {
        return 0;
    };
    let mut start = 0;
    for _ in 1..line {
        match code[start..].find('\n') {
            Some(end) => start += end + 1,
            None => return code.len(),
        }
    }
    code[start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(code.len(), |(i, _)| start + i)
}

/// A standard's script blocks, compiled once and shared by every worker.
pub struct Scripts {
    engine: Engine,
    ast: AST,
    /// Each block's code and where it starts, to place runtime errors.
    blocks: Vec<ScriptSource>,
    /// The block each function is defined in.
    defined_in: Vec<(String, usize)>,
    /// What the scripts printed.
    pub log: Arc<Mutex<Log>>,
}

impl std::fmt::Debug for Scripts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scripts")
            .field("blocks", &self.blocks.len())
            .finish_non_exhaustive()
    }
}

impl Scripts {
    /// Compiles a standard's script blocks (which the checker has parsed
    /// already, so that an error here is unexpected; it names the block).
    pub fn compile(blocks: &[ScriptSource]) -> Result<Scripts, SyntaxFailure> {
        let log = Arc::new(Mutex::new(Log::default()));
        let engine = engine(Arc::clone(&log));
        let mut ast = AST::empty();
        let mut defined_in = Vec::new();
        for (index, block) in blocks.iter().enumerate() {
            let compiled = engine.compile(&block.code).map_err(|error| SyntaxFailure {
                message: error.err_type().to_string(),
                offset: offset_of(&block.code, error.position()),
            })?;
            defined_in.extend(
                compiled
                    .iter_functions()
                    .map(|f| (f.name.to_owned(), index)),
            );
            ast += compiled;
        }
        Ok(Scripts {
            engine,
            ast,
            blocks: blocks.to_vec(),
            defined_in,
            log,
        })
    }

    /// Calls a function with arguments already converted by [`to_script`].
    pub fn call(&self, function: &str, args: Vec<Dynamic>) -> Result<Dynamic, CallFailure> {
        let options = CallFnOptions::new().eval_ast(false).rewind_scope(true);
        let budget = budget::Budget::start(MAX_CALL_TIME);
        let result = self.engine.call_fn_with_options::<Dynamic>(
            options,
            &mut Scope::new(),
            &self.ast,
            function,
            args,
        );
        // A call that ran out of time may have gone on with a wrong result
        // (a sort whose comparer was stopped): it failed, whatever it returned.
        let out_of_time = budget.expired();
        drop(budget);
        let mut error = match result {
            Ok(value) if !out_of_time => return Ok(value),
            Ok(_) => return Err(too_long(function)),
            Err(error) => *error,
        };
        // Which of the two bounds of a call's time stopped it depends on the
        // machine's speed and load: both read the same, placed at the call.
        let counted_out = matches!(
            error.unwrap_inner(),
            EvalAltResult::ErrorTooManyOperations(_) | EvalAltResult::ErrorTerminated(..)
        );
        if out_of_time || counted_out {
            return Err(too_long(function));
        }
        // The position is shown as the place in the standard instead.
        let position = error.take_position();
        Err(CallFailure {
            function: function.to_owned(),
            message: error.unwrap_inner().to_string(),
            span: self.place(function, position),
        })
    }

    /// Where a Rhai position in a function's block is in the standard.
    fn place(&self, function: &str, position: rhai::Position) -> Option<Span> {
        let (_, index) = self.defined_in.iter().find(|(name, _)| name == function)?;
        let block = &self.blocks[*index];
        position.line()?;
        let offset = offset_of(&block.code, position);
        let end = block.code[offset..]
            .find('\n')
            .map_or(block.code.len(), |e| offset + e);
        Some(Span::new(block.span.start + offset, block.span.start + end))
    }
}

/// The failure of a call stopped by its operation limit or its time budget.
fn too_long(function: &str) -> CallFailure {
    CallFailure {
        function: function.to_owned(),
        message: "ran too long: it reached the limit of operations or time of a call".to_owned(),
        span: None,
    }
}

/// A yardstick value as a script sees it.
pub fn to_script(value: &crate::value::Value, choices: &[String]) -> Dynamic {
    use crate::value::Value;
    match value {
        Value::Bool(b) => Dynamic::from_bool(*b),
        Value::Number(n) => Dynamic::from_decimal(*n),
        Value::Text(t) => Dynamic::from(t.clone()),
        Value::Choice(index) => Dynamic::from(
            choices
                .get(usize::from(*index))
                .cloned()
                .unwrap_or_default(),
        ),
        Value::Date(d) => Dynamic::from(d.to_string()),
    }
}

/// A script's result that is not of the type its call needs.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WrongResult {
    /// Not a decimal or an integer.
    #[error("returned {found} where a number is needed")]
    NotNumber {
        /// The type the script returned.
        found: String,
    },
    /// Not true or false.
    #[error("returned {found} where true or false is needed")]
    NotBool {
        /// The type the script returned.
        found: String,
    },
    /// Not text.
    #[error("returned {found} where text is needed")]
    NotText {
        /// The type the script returned.
        found: String,
    },
    /// Text that is not a date.
    #[error("returned `{text}` where a date (YYYY-MM-DD) is needed")]
    NotDate {
        /// The text the script returned.
        text: String,
    },
}

/// A script's result as whichever value it is: true/false, text, or a number.
pub fn value(result: Dynamic) -> Result<crate::value::Value, WrongResult> {
    use crate::value::Value;
    if result.is_bool() {
        return boolean(result).map(Value::Bool);
    }
    if result.is_string() {
        return text(result).map(Value::Text);
    }
    number(result).map(Value::Number)
}

/// A script's result as a number: a decimal or an integer.
pub fn number(result: Dynamic) -> Result<Decimal, WrongResult> {
    if let Ok(decimal) = result.as_decimal() {
        return Ok(decimal);
    }
    result
        .as_int()
        .map(Decimal::from)
        .map_err(|found| WrongResult::NotNumber {
            found: found.to_owned(),
        })
}

/// A script's result as true or false.
pub fn boolean(result: Dynamic) -> Result<bool, WrongResult> {
    result.as_bool().map_err(|found| WrongResult::NotBool {
        found: found.to_owned(),
    })
}

/// A script's result as text.
pub fn text(result: Dynamic) -> Result<String, WrongResult> {
    result.into_string().map_err(|found| WrongResult::NotText {
        found: found.to_owned(),
    })
}

/// A script's result as a date, from text such as `2016-06-30`.
pub fn date(result: Dynamic) -> Result<Date, WrongResult> {
    let text = text(result)?;
    text.parse().map_err(|_| WrongResult::NotDate { text })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scripts(code: &str) -> Scripts {
        Scripts::compile(&[ScriptSource {
            code: code.to_owned(),
            span: Span::new(100, 100 + code.len()),
        }])
        .unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn d(text: &str) -> Decimal {
        text.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn decimals_cross_exactly_both_ways() {
        let s = scripts(
            "fn ratio(part, whole) { if whole == 0.0 { 0.0 } else { part / whole } }\nfn third(x) { x / 3 }",
        );
        let result = s
            .call(
                "ratio",
                vec![
                    Dynamic::from_decimal(d("0.1")),
                    Dynamic::from_decimal(d("0.3")),
                ],
            )
            .and_then(|r| number(r).map_err(|m| panic!("{m}")));
        assert_eq!(result, Ok(d("0.3333333333333333333333333333")));
        let sum = s.call("third", vec![Dynamic::from_decimal(d("0.3"))]);
        assert_eq!(sum.map(|r| number(r).ok()), Ok(Some(d("0.1"))));
        assert_eq!(
            number(
                s.call(
                    "ratio",
                    vec![Dynamic::from_decimal(d("1")), Dynamic::from_decimal(d("0"))]
                )
                .unwrap_or_default()
            ),
            Ok(Decimal::ZERO)
        );
    }

    #[test]
    fn functions_and_syntax_errors_are_found() {
        assert_eq!(
            functions("fn a(x, y) { x }\nfn b() { 1 }"),
            Ok(vec![("a".to_owned(), 2), ("b".to_owned(), 0)])
        );
        let failure = functions("fn a(x) {\n  x +\n}")
            .err()
            .unwrap_or_else(|| panic!("no error"));
        assert_eq!(
            &"fn a(x) {\n  x +\n}"[failure.offset..failure.offset + 1],
            "}"
        );
    }

    #[test]
    fn runtime_errors_say_where_the_script_stopped() {
        let s = scripts("fn boom(x) {\n  throw \"bad value\";\n}");
        let failure = s
            .call("boom", vec![Dynamic::from_int(1)])
            .err()
            .unwrap_or_else(|| panic!("no error"));
        assert!(failure.message.contains("bad value"), "{failure:?}");
        let span = failure.span.unwrap_or_else(|| panic!("no span"));
        assert_eq!(span.start, 100 + "fn boom(x) {\n  ".len());
    }
}

#[cfg(test)]
mod limits {
    use super::*;

    /// Runs a hostile function: what stopped it, and how long it took.
    fn stopped_by(code: &str) -> (String, Duration) {
        let s = Scripts::compile(&[ScriptSource {
            code: code.to_owned(),
            span: Span::new(0, code.len()),
        }])
        .unwrap_or_else(|e| panic!("{e:?}"));
        let started = std::time::Instant::now();
        let result = s.call("f", vec![Dynamic::from_int(1)]);
        let took = started.elapsed();
        eprintln!("{:>8.1} ms  {code}", took.as_secs_f64() * 1000.0);
        (result.err().map(|f| f.message).unwrap_or_default(), took)
    }

    #[test]
    fn every_limit_stops_a_hostile_script() {
        for (code, stop) in [
            ("fn f(x) { loop { x += 1; } }", "ran too long"),
            ("fn f(x) { f(x + 1) }", "Stack overflow"),
            (
                "fn f(x) { let s = \"字\"; loop { s += s; } }",
                "Length of string too large",
            ),
            (
                "fn f(x) { let a = []; loop { a.push(x); } }",
                "Size of array",
            ),
            (
                "fn f(x) { let m = #{}; for i in 0..2000 { m[`k${i}`] = i; } m.len() }",
                "Size of object map",
            ),
            ("fn f(x) { let a = [1]; loop { a += a; } }", "Size of array"),
        ] {
            let (message, _) = stopped_by(code);
            assert!(message.contains(stop), "{code}: {message}");
        }
    }

    /// Built-ins that do much work in one operation, called in a loop on
    /// the largest value the limits allow: each took seconds to minutes
    /// under the operation limit alone (a loop of sorts 19 s). The bound
    /// here is generous, for a loaded machine; `benches/scripts.rs`
    /// measures the real times (about 50 ms).
    #[test]
    fn slow_built_ins_in_a_loop_are_stopped_by_the_clock() {
        let array = "let a = []; for i in 0..1000 { a.push(1000 - i); }";
        let map = "let m = #{}; for i in 0..1000 { m[`k${i}`] = i; }";
        let text = "let s = \"\"; s.pad(99999, \"a\");";
        for body in [
            format!("{array} loop {{ a.sort(); }}"),
            format!("{array} loop {{ a.to_string(); }}"),
            format!("{array} loop {{ a.contains(-1); }}"),
            format!("{array} loop {{ a.dedup(); }}"),
            format!("{array} let b = a; loop {{ a == b; }}"),
            format!("{array} loop {{ a.filter(|v| v > 0); }}"),
            format!("{array} a.sort(|p, q| {{ loop {{ p += 1; }} }}); a.len()"),
            format!("{map} loop {{ m.to_string(); }}"),
            format!("{map} loop {{ m.keys(); }}"),
            format!("{text} loop {{ s.replace(\"a\", \"b\"); }}"),
            format!("{text} loop {{ s.to_upper(); }}"),
            "let s = \"\"; s.pad(1000, \"a,\"); loop { s.split(\",\"); }".to_owned(),
        ] {
            let code = format!("fn f(x) {{ {body} }}");
            let (message, took) = stopped_by(&code);
            assert!(message.starts_with("ran too long"), "{code}: {message}");
            assert!(took < Duration::from_secs(10), "{code}: {took:?}");
        }
    }
}
