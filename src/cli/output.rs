//! Writing to the terminal: colour only where wanted, and no panic when the
//! reader of stdout goes away (`yardstick ... | head`).

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use crate::report::diagnostics::{self, FileDiagnostics, Style};
use crate::syntax::Undecodable;

/// Whether to colour what goes to stderr: only on a terminal, never with `NO_COLOR`.
pub fn stderr_style() -> Style {
    let colour = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    Style { colour, width: 100 }
}

/// Writes text to stdout; a closed pipe is not an error worth reporting.
pub fn stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// Writes text to stderr.
pub fn stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
}

/// Prints a file's diagnostics to stderr.
pub fn diagnostics(file: &FileDiagnostics) {
    stderr(&diagnostics::render(file, stderr_style()));
}

/// Reads a standard, or reports why it cannot be read. Invalid UTF-8 comes
/// back as a diagnostic on the text decoded as far as possible.
pub fn read_source(path: &str) -> Result<Arc<str>, Option<FileDiagnostics>> {
    let bytes = if path == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes).map(|_| bytes)
    } else {
        std::fs::read(path)
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(error) => {
            stderr(&format!("error: cannot read `{path}`: {error}\n"));
            return Err(None);
        }
    };
    match crate::syntax::decode(bytes) {
        Ok(text) => Ok(text.into()),
        Err(undecodable) => {
            let Undecodable { lossy, error } = *undecodable;
            Err(Some(FileDiagnostics::new(
                path,
                lossy.into(),
                vec![Box::new(error)],
            )))
        }
    }
}
