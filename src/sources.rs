//! The source map: every standard file read in one run, each at its own
//! range of global offsets.
//!
//! An edition is checked as one tree merged from several files (SPEC §4), so
//! a span must say which file it points into. Each file is parsed with its
//! spans counted from its `base` (see [`crate::syntax::parse_at`]); the file
//! a span belongs to is the one whose range holds it. Diagnostics made on the
//! merged tree are split back into per-file [`FileDiagnostics`] here, their
//! labels moved to the file's own offsets.

use std::collections::HashSet;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, Severity};

use crate::diagnostics::{Boxed, FileDiagnostics};

/// One file of the map.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as shown to the user.
    pub path: String,
    /// The file's text.
    pub text: Arc<str>,
    /// The global offset of its first byte.
    pub base: usize,
}

impl SourceFile {
    /// Whether a global offset falls in this file (its end included, for
    /// spans that point just past the last byte).
    fn holds(&self, offset: usize) -> bool {
        offset >= self.base && offset <= self.base + self.text.len()
    }
}

/// Every file read, in the order read.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Adds a file and returns its base offset. Files are one byte apart, so
    /// that an offset at the end of one file is not the start of the next.
    pub fn add(&mut self, path: &str, text: Arc<str>) -> usize {
        let base = self.files.last().map_or(0, |f| f.base + f.text.len() + 1);
        self.files.push(SourceFile {
            path: path.to_owned(),
            text,
            base,
        });
        base
    }

    /// The files, in the order read.
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// The labels of `diagnostic` outside `within` (a file's global range),
    /// placed in the files they point into.
    fn elsewhere(&self, diagnostic: &dyn Diagnostic, within: (usize, usize)) -> Vec<Elsewhere> {
        let Some(labels) = diagnostic.labels() else {
            return Vec::new();
        };
        labels
            .filter(|l| l.offset() < within.0 || l.offset() > within.1)
            .filter_map(|l| {
                let file = self.file_at(l.offset())?;
                Some(Elsewhere {
                    path: file.path.clone(),
                    text: Arc::clone(&file.text),
                    offset: l.offset() - file.base,
                    len: l.len(),
                    label: l.label().map(str::to_owned),
                })
            })
            .collect()
    }

    /// The file a global offset points into.
    pub fn file_at(&self, offset: usize) -> Option<&SourceFile> {
        self.index_at(offset).map(|i| &self.files[i])
    }

    /// The text a global span covers, if it lies in one file.
    pub fn text_at(&self, span: crate::syntax::span::Span) -> Option<&str> {
        let file = self.file_at(span.start)?;
        file.text
            .get(span.start - file.base..span.end.checked_sub(file.base)?)
    }

    fn index_at(&self, offset: usize) -> Option<usize> {
        let after = self.files.partition_point(|f| f.base <= offset);
        after
            .checked_sub(1)
            .filter(|&i| self.files[i].holds(offset))
    }

    /// Splits diagnostics whose spans are global offsets into one
    /// [`FileDiagnostics`] per file, in the order the files were read. A
    /// diagnostic goes to the file of its first label; labels in other files
    /// are left out. Diagnostics found twice (an inherited rule is checked
    /// with each edition that inherits it) are kept once; a diagnostic with
    /// no label goes to `fallback`.
    pub fn split(&self, items: Vec<Boxed>, fallback: &str) -> Vec<FileDiagnostics> {
        let mut per_file: Vec<Vec<Boxed>> = self.files.iter().map(|_| Vec::new()).collect();
        let mut unplaced = Vec::new();
        let mut seen = HashSet::new();
        for item in items {
            let first = item.labels().and_then(|mut l| l.next()).map(|l| l.offset());
            let identity = (item.code().map(|c| c.to_string()), item.to_string(), first);
            if !seen.insert(identity) {
                continue;
            }
            match first.and_then(|offset| self.index_at(offset)) {
                Some(index) => {
                    let file = &self.files[index];
                    let within = (file.base, file.base + file.text.len());
                    let elsewhere = self.elsewhere(item.as_ref(), within);
                    per_file[index].push(Box::new(Adjusted {
                        inner: item,
                        within: Some(within),
                        note: None,
                        elsewhere,
                    }));
                }
                None => unplaced.push(item),
            }
        }
        let mut out = Vec::new();
        if !unplaced.is_empty() {
            let text = self
                .files
                .iter()
                .find(|f| f.path == fallback)
                .map_or_else(|| Arc::from(""), |f| Arc::clone(&f.text));
            out.push(FileDiagnostics::new(fallback, text, unplaced));
        }
        for (file, items) in self.files.iter().zip(per_file) {
            if !items.is_empty() {
                out.push(FileDiagnostics::new(
                    &file.path,
                    Arc::clone(&file.text),
                    items,
                ));
            }
        }
        out
    }
}

/// A label of a diagnostic that points into another file than the
/// diagnostic's: left out of what `check` prints, shown by an editor as a
/// related place.
#[derive(Clone, Debug)]
pub struct Elsewhere {
    /// The other file, as the user named it.
    pub path: String,
    /// Its text.
    pub text: Arc<str>,
    /// Where the label starts in it.
    pub offset: usize,
    /// How long it is.
    pub len: usize,
    /// What it says.
    pub label: Option<String>,
}

/// A diagnostic passed on with changes: its labels moved from global
/// offsets to its file's own (those in other files left out, and kept as
/// [`Elsewhere`]), or a note added to its help.
pub struct Adjusted {
    inner: Boxed,
    /// The file's global range, when labels are moved into it.
    within: Option<(usize, usize)>,
    note: Option<String>,
    /// Its labels in other files.
    elsewhere: Vec<Elsewhere>,
}

impl Adjusted {
    /// `inner` with `note` as a last line of help.
    pub fn noted(inner: Boxed, note: String) -> Adjusted {
        Adjusted {
            inner,
            within: None,
            note: Some(note),
            elsewhere: Vec::new(),
        }
    }

    /// Its labels in other files than its own.
    pub fn elsewhere(&self) -> &[Elsewhere] {
        &self.elsewhere
    }
}

impl std::fmt::Debug for Adjusted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.inner, f)
    }
}

impl std::fmt::Display for Adjusted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.inner, f)
    }
}

impl std::error::Error for Adjusted {}

impl Diagnostic for Adjusted {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.inner.code()
    }

    fn severity(&self) -> Option<Severity> {
        self.inner.severity()
    }

    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        let Some(note) = &self.note else {
            return self.inner.help();
        };
        Some(Box::new(match self.inner.help() {
            Some(help) => format!("{help}\n{note}"),
            None => note.clone(),
        }))
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let labels = self.inner.labels()?;
        let Some((base, end)) = self.within else {
            return Some(labels);
        };
        Some(Box::new(labels.filter_map(move |label| {
            let inside = label.offset() >= base && label.offset() + label.len() <= end;
            inside.then(|| {
                LabeledSpan::new_with_span(
                    label.label().map(str::to_owned),
                    (label.offset() - base, label.len()),
                )
            })
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error, miette::Diagnostic)]
    #[error("at {at}")]
    #[diagnostic(code(test::at))]
    struct At {
        at: usize,
        #[label("here")]
        span: miette::SourceSpan,
    }

    fn at(offset: usize) -> Boxed {
        Box::new(At {
            at: offset,
            span: (offset, 1).into(),
        })
    }

    #[test]
    fn offsets_find_their_file_and_move_to_its_own_offsets() {
        let mut sources = Sources::default();
        assert_eq!(sources.add("a.std", Arc::from("0123")), 0);
        assert_eq!(sources.add("b.std", Arc::from("abcdef")), 5);
        assert_eq!(sources.file_at(3).map(|f| f.path.as_str()), Some("a.std"));
        assert_eq!(sources.file_at(5).map(|f| f.path.as_str()), Some("b.std"));
        assert_eq!(sources.file_at(99).map(|f| f.path.as_str()), None);
        let split = sources.split(vec![at(7), at(2), at(7)], "b.std");
        let paths: Vec<&str> = split.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["a.std", "b.std"]);
        let label = split[1].items[0]
            .labels()
            .and_then(|mut l| l.next())
            .map(|l| l.offset());
        assert_eq!(label, Some(2), "offset 7 is byte 2 of b.std");
        assert_eq!(
            split[1].items.len(),
            1,
            "the repeated diagnostic is kept once"
        );
    }
}
