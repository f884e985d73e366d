//! `yardstick fmt [--check] FILE...`: rewrite standards in the canonical layout.

use crate::syntax;

use super::{Exit, output, safe_output};

/// Arguments of `fmt`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Standard files to format in place; `-` reads stdin and writes stdout.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<String>,
    /// Change nothing: print a diff and exit 1 if a file is not formatted.
    #[arg(long)]
    check: bool,
}

/// Formats every file. Exit 1 with `--check` when one would change; 2 when one
/// cannot be parsed (it is left untouched).
pub fn run(args: &Args) -> Exit {
    let mut exit = Exit::Success;
    for path in &args.files {
        exit = exit.max(format_file(path, args.check));
    }
    exit
}

fn format_file(path: &str, check: bool) -> Exit {
    let source = match output::read_source(path) {
        Ok(source) => source,
        Err(file) => {
            if let Some(file) = file {
                output::diagnostics(&file);
            }
            return Exit::Invalid;
        }
    };
    let formatted = match syntax::format(&source) {
        Ok(formatted) => formatted,
        Err(syntax::FormatError::Syntax) => {
            output::diagnostics(&crate::compile(path, source).diagnostics);
            return Exit::Invalid;
        }
        Err(error) => {
            output::stderr(&format!("error: {path}: {error}\n"));
            return Exit::Invalid;
        }
    };
    if path == "-" {
        return output::stdout(&formatted).map_or_else(|exit| exit, |()| Exit::Success);
    }
    if formatted == *source {
        return Exit::Success;
    }
    if check {
        let diff = similar::TextDiff::from_lines(&*source, &formatted);
        let diff = diff.unified_diff().header(path, path).to_string();
        return output::stdout(&diff).map_or_else(|exit| exit, |()| Exit::Findings);
    }
    // Through a temporary file: a standard is never left half-rewritten.
    match safe_output::write(path, formatted.as_bytes()) {
        Ok(()) => Exit::Success,
        Err(message) => {
            output::stderr(&format!("error: {message}\n"));
            Exit::Invalid
        }
    }
}
