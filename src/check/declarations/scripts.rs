//! `script` blocks: each parsed by Rhai for its functions and their number
//! of parameters, which calls are checked against.

use crate::check::Checker;
use crate::check::errors::CheckError;
use crate::syntax::ast;
use crate::syntax::span::Span;

impl Checker {
    /// Finds each `fn name(params)` of the scripts, for arity checks.
    /// Parses each script block with Rhai: its functions and their
    /// arity, or a syntax error placed in the standard.
    pub(super) fn scripts(&mut self, file: &ast::File) {
        for item in &file.items {
            let ast::Item::Script(script) = item else {
                continue;
            };
            match crate::script::functions(&script.code.node) {
                Ok(functions) => self.script_functions.extend(functions),
                Err(failure) => {
                    self.scripts_unparsed = true;
                    let at = script.code.span.start + failure.offset;
                    let end = (at + 1).min(script.code.span.end.max(at));
                    self.report(CheckError::ScriptSyntax {
                        message: failure.message,
                        span: Span::new(at, end).into(),
                    });
                }
            }
        }
    }
}
