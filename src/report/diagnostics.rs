//! Diagnostics as people read them (miette's graphical report) and as tools
//! read them (JSON); the diagnostics themselves are [`crate::diagnostics`].
//! A file with very long lines is drawn from a copy with those lines cut
//! (`report/long_lines.rs`).

use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity,
    SourceCode,
};
use serde::Serialize;

use super::long_lines::CutSource;
use crate::diagnostics::{FileDiagnostics, code, is_warning};
use crate::syntax::span::line_column;

/// How to draw diagnostics.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// Use colour.
    pub colour: bool,
    /// Wrap at this many columns.
    pub width: usize,
}

/// Renders every diagnostic of a file as miette's graphical report.
pub fn render(file: &FileDiagnostics, style: Style) -> String {
    let theme = if style.colour {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(style.width);
    let source = NamedSource::new(&file.path, Arc::clone(&file.source));
    let labels = file
        .items
        .iter()
        .filter_map(|item| item.labels())
        .flatten()
        .map(|label| (label.offset(), label.len()));
    let cut = CutSource::new(&file.path, &file.source, labels);
    let mut out = String::new();
    for item in &file.items {
        let with_source = WithSource {
            inner: item.as_ref(),
            source: cut.as_ref().map_or(&source as &dyn SourceCode, |c| c),
            cut: cut.as_ref(),
        };
        // Rendering into a String cannot fail.
        let _ = handler.render_report(&mut out, &with_source);
    }
    out
}

/// A diagnostic lent the source it points into, for rendering: the file's
/// text, or its copy with long lines cut (and then the labels moved there).
struct WithSource<'a> {
    inner: &'a (dyn Diagnostic + Send + Sync),
    source: &'a dyn SourceCode,
    cut: Option<&'a CutSource>,
}

impl std::fmt::Debug for WithSource<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.inner, f)
    }
}

impl std::fmt::Display for WithSource<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self.inner, f)
    }
}

impl std::error::Error for WithSource<'_> {}

impl Diagnostic for WithSource<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.inner.code()
    }

    fn severity(&self) -> Option<Severity> {
        self.inner.severity()
    }

    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.inner.help()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let labels = self.inner.labels()?;
        match self.cut {
            None => Some(labels),
            Some(cut) => Some(Box::new(labels.map(|label| cut.label(&label)))),
        }
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source)
    }
}

/// One diagnostic as JSON, for editors and tools.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    /// The file.
    pub file: String,
    /// The stable code, e.g. `yardstick::unknown_field`.
    pub code: Option<String>,
    /// `error` or `warning`.
    pub severity: &'static str,
    /// The message.
    pub message: String,
    /// 1-based line of the primary span.
    pub line: usize,
    /// 1-based column (in characters) of the primary span.
    pub column: usize,
    /// Byte offset and length of the primary span.
    pub span: JsonSpan,
    /// Every label, primary first.
    pub labels: Vec<JsonLabel>,
    /// Advice, when there is some.
    pub help: Option<String>,
}

/// A byte range.
#[derive(Debug, Serialize)]
pub struct JsonSpan {
    /// Byte offset.
    pub offset: usize,
    /// Length in bytes.
    pub length: usize,
}

/// A labelled span.
#[derive(Debug, Serialize)]
pub struct JsonLabel {
    /// What the label says.
    pub label: Option<String>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Where.
    pub span: JsonSpan,
}

/// The diagnostics of a file as JSON values.
pub fn to_json(file: &FileDiagnostics) -> Vec<JsonDiagnostic> {
    file.items
        .iter()
        .map(|d| {
            let labels: Vec<JsonLabel> = d
                .labels()
                .map(|labels| {
                    labels
                        .map(|l| {
                            let (line, column) = line_column(&file.source, l.offset());
                            JsonLabel {
                                label: l.label().map(str::to_owned),
                                line,
                                column,
                                span: JsonSpan {
                                    offset: l.offset(),
                                    length: l.len(),
                                },
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            let (line, column, offset, length) = labels.first().map_or((1, 1, 0, 0), |l| {
                (l.line, l.column, l.span.offset, l.span.length)
            });
            JsonDiagnostic {
                file: file.path.clone(),
                code: code(d.as_ref()),
                severity: if is_warning(d.as_ref()) {
                    "warning"
                } else {
                    "error"
                },
                message: d.to_string(),
                line,
                column,
                span: JsonSpan { offset, length },
                labels,
                help: d.help().map(|h| h.to_string()),
            }
        })
        .collect()
}
