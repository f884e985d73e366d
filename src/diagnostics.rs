//! The diagnostics of a file as data: every step's errors and warnings
//! (syntax, check, editions, the source map) boxed alike and kept with the
//! text they point into, in source order. A leaf: it imports nothing of
//! ours. Rendering them, for people or as JSON, is `report::diagnostics`.

use std::sync::Arc;

use miette::{Diagnostic, Severity};

/// A diagnostic of a file, ready to render.
pub type Boxed = Box<dyn Diagnostic + Send + Sync>;

/// The diagnostics of one source file.
pub struct FileDiagnostics {
    /// The path as the user gave it.
    pub path: String,
    /// The file's text.
    pub source: Arc<str>,
    /// Its diagnostics, in source order.
    pub items: Vec<Boxed>,
}

impl FileDiagnostics {
    /// Gathers diagnostics for `path`, sorted by where they point.
    pub fn new(path: &str, source: Arc<str>, mut items: Vec<Boxed>) -> FileDiagnostics {
        items.sort_by_key(|d| offset(d.as_ref()));
        FileDiagnostics {
            path: path.to_owned(),
            source,
            items,
        }
    }

    /// How many are errors.
    pub fn errors(&self) -> usize {
        self.items
            .iter()
            .filter(|d| !is_warning(d.as_ref()))
            .count()
    }

    /// How many are warnings.
    pub fn warnings(&self) -> usize {
        self.items.len() - self.errors()
    }
}

/// Whether a diagnostic is only a warning.
pub fn is_warning(diagnostic: &dyn Diagnostic) -> bool {
    matches!(
        diagnostic.severity(),
        Some(Severity::Warning | Severity::Advice)
    )
}

/// A diagnostic's stable code, such as `yardstick::unknown_field`.
pub fn code(diagnostic: &dyn Diagnostic) -> Option<String> {
    diagnostic.code().map(|c| c.to_string())
}

fn offset(diagnostic: &dyn Diagnostic) -> usize {
    diagnostic
        .labels()
        .and_then(|mut labels| labels.next())
        .map_or(0, |label| label.offset())
}
