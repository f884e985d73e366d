//! Writing to the terminal: colour only where wanted, no panic and no error
//! when the reader of stdout goes away (`yardstick ... | head`), and an
//! error when stdout cannot be written (a full disk).

use std::io::{ErrorKind, IsTerminal, Write};
use std::sync::Arc;

use super::Exit;

use crate::diagnostics::FileDiagnostics;
use crate::editions::read;
use crate::report::diagnostics::{self, Style};
use crate::syntax::Undecodable;

/// Whether to colour what goes to stderr: only on a terminal, never with `NO_COLOR`.
pub fn stderr_style() -> Style {
    let colour = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    Style { colour, width: 100 }
}

/// Writes text to stdout, flushed. A failure (a full disk) is said on
/// stderr, and the `Err` is the exit status the command ends with: 2, as for
/// an output file that cannot be written. See [`write_stdout`].
pub fn stdout(text: &str) -> Result<(), Exit> {
    write_stdout(text.as_bytes()).map_err(|error| {
        stderr(&format!("error: cannot write to stdout: {error}\n"));
        Exit::Invalid
    })
}

/// Writes bytes to stdout, flushed. A reader that went away (`| head`) is
/// not an error: what it did not read was not wanted.
pub fn write_stdout(bytes: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(error) if error.kind() == ErrorKind::BrokenPipe => Ok(()),
        written => written,
    }
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
        read::stdin()
    } else {
        read::file(std::path::Path::new(path))
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

/// The formats `eval` and `rollup` write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Table,
    Json,
    Jsonl,
    Csv,
    Markdown,
    Html,
    Xlsx,
}

impl ReportFormat {
    /// The format asked for; else the one the `-o` file's extension names;
    /// else a table on a terminal and CSV elsewhere.
    pub fn chosen(asked: Option<ReportFormat>, output: Option<&str>) -> ReportFormat {
        use std::io::IsTerminal;
        asked.or_else(|| output.and_then(Self::of_path)).unwrap_or(
            if output.is_none() && std::io::stdout().is_terminal() {
                ReportFormat::Table
            } else {
                ReportFormat::Csv
            },
        )
    }

    /// The format a file's extension names.
    fn of_path(path: &str) -> Option<ReportFormat> {
        Some(match super::paths::extension(path)?.as_str() {
            "json" => ReportFormat::Json,
            "jsonl" | "ndjson" => ReportFormat::Jsonl,
            "csv" => ReportFormat::Csv,
            "md" | "markdown" => ReportFormat::Markdown,
            "html" | "htm" => ReportFormat::Html,
            "xlsx" => ReportFormat::Xlsx,
            "txt" => ReportFormat::Table,
            _ => return None,
        })
    }
}
