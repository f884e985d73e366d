//! Long lines cut for display, for the graphical diagnostics of
//! [`super::diagnostics`].
//!
//! miette draws a label's underline with a formatting width of its column,
//! which panics past column 65,535, and a line of megabytes would be printed
//! whole. So when a file has a line longer than [`LONG_LINE`] bytes, its
//! diagnostics are drawn from a copy of the text in which every such line is
//! cut to its start and a few dozen bytes around each label, the cuts marked
//! `…`; the labels are moved to the same places in the copy. Lines keep their
//! numbers (no line break is removed) and the header's column is the
//! column in the real file.

use std::sync::Arc;

use miette::{LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// A line longer than this many bytes is cut for display.
pub const LONG_LINE: usize = 1_000;
/// Bytes shown on either side of a label on a cut line, and at its start.
const AROUND: usize = 60;
/// Bytes of a label shown on a cut line; a longer label is shortened.
const LABEL_SHOWN: usize = 200;
/// What stands for the bytes cut out.
const CUT: &str = " … ";

/// A part of the real text kept in the copy.
#[derive(Clone, Copy, Debug)]
struct Segment {
    /// Where it starts in the real text.
    from: usize,
    /// Where it ends in the real text.
    to: usize,
    /// Where it starts in the copy.
    at: usize,
}

/// A file's text with its long lines cut, and where each kept part came from.
#[derive(Debug)]
pub struct CutSource {
    name: String,
    original: Arc<str>,
    text: String,
    segments: Vec<Segment>,
}

impl CutSource {
    /// The text cut around `labels` (byte offset and length), or `None`
    /// when no line is longer than [`LONG_LINE`] and it can be shown as it is.
    pub fn new(
        name: &str,
        original: &Arc<str>,
        labels: impl Iterator<Item = (usize, usize)>,
    ) -> Option<CutSource> {
        if !original.split('\n').any(|line| line.len() > LONG_LINE) {
            return None;
        }
        let mut windows: Vec<(usize, usize)> = labels
            .map(|(offset, length)| {
                let shown = length.min(LABEL_SHOWN);
                (
                    offset.saturating_sub(AROUND),
                    offset.saturating_add(shown).saturating_add(AROUND),
                )
            })
            .collect();
        windows.sort_unstable();
        let mut cut = CutSource {
            name: name.to_owned(),
            original: Arc::clone(original),
            text: String::with_capacity(original.len().min(1 << 20)),
            segments: Vec::new(),
        };
        let mut start = 0;
        let mut next_window = 0;
        for line in original.split_inclusive('\n') {
            let end = start + line.len();
            if line.len() <= LONG_LINE {
                cut.keep(start, end);
            } else {
                while windows.get(next_window).is_some_and(|&(_, to)| to <= start) {
                    next_window += 1;
                }
                let on_line = windows[next_window..]
                    .iter()
                    .take_while(|&&(from, _)| from < end)
                    .map(|&(from, to)| (from.max(start), to.min(end)));
                cut.keep_cut(start, end, on_line);
            }
            start = end;
        }
        Some(cut)
    }

    /// Keeps the real text `from..to` whole.
    fn keep(&mut self, from: usize, to: usize) {
        let (from, to) = (self.floor(from), self.floor(to));
        if from >= to {
            return;
        }
        self.segments.push(Segment {
            from,
            to,
            at: self.text.len(),
        });
        self.text.push_str(&self.original[from..to]);
    }

    /// Keeps a long line's start and the `windows` on it (sorted by start),
    /// with a mark where bytes are cut out, and its line break.
    fn keep_cut(
        &mut self,
        start: usize,
        end: usize,
        windows: impl Iterator<Item = (usize, usize)>,
    ) {
        let content_end = if self.original[start..end].ends_with('\n') {
            end - 1
        } else {
            end
        };
        let mut kept_to = start;
        for (from, to) in std::iter::once((start, start + AROUND)).chain(windows) {
            let (from, to) = (from.max(kept_to), to.min(content_end));
            if from >= to {
                continue;
            }
            if from > kept_to {
                self.text.push_str(CUT);
            }
            self.keep(from, to);
            kept_to = self.floor(to).max(kept_to);
        }
        if kept_to < content_end {
            self.text.push_str(CUT);
        }
        self.keep(content_end, end);
    }

    /// The char boundary at or before `offset` in the real text.
    fn floor(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.original.len());
        while !self.original.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// Where a real offset is in the copy: in a part cut out, the end of the
    /// kept part before it.
    fn to_copy(&self, offset: usize) -> usize {
        let index = self.segments.partition_point(|s| s.from <= offset);
        match index.checked_sub(1).and_then(|i| self.segments.get(i)) {
            Some(s) => s.at + offset.min(s.to) - s.from,
            None => 0,
        }
    }

    /// Where an offset of the copy is in the real text.
    fn to_original(&self, offset: usize) -> usize {
        let index = self.segments.partition_point(|s| s.at <= offset);
        match index.checked_sub(1).and_then(|i| self.segments.get(i)) {
            Some(s) => (s.from + (offset - s.at)).min(s.to),
            None => 0,
        }
    }

    /// A label moved to the copy (shortened when its end is cut out).
    pub fn label(&self, label: &LabeledSpan) -> LabeledSpan {
        let start = self.to_copy(self.floor(label.offset()));
        let end = self
            .to_copy(label.offset().saturating_add(label.len()))
            .max(start);
        let span = SourceSpan::new(start.into(), end - start);
        if label.primary() {
            LabeledSpan::new_primary_with_span(label.label().map(str::to_owned), span)
        } else {
            LabeledSpan::new_with_span(label.label().map(str::to_owned), span)
        }
    }

    /// The column (0-based, in characters) of a real offset.
    fn column(&self, offset: usize) -> usize {
        let offset = self.floor(offset);
        let line_start = self.original[..offset].rfind('\n').map_or(0, |i| i + 1);
        self.original[line_start..offset].chars().count()
    }
}

impl SourceCode for CutSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        let column = self.column(self.to_original(contents.span().offset()));
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            *contents.span(),
            contents.line(),
            column,
            contents.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_shown_as_they_are() {
        let text: Arc<str> = Arc::from("a\nb\n");
        assert!(CutSource::new("f", &text, [(0, 1)].into_iter()).is_none());
    }

    #[test]
    fn a_long_line_keeps_its_start_and_its_labels() {
        let long = format!("rule R1 {{ {}require x }}\nnext\n", " ".repeat(70_000));
        let text: Arc<str> = Arc::from(long.as_str());
        let at = long.find("x }").unwrap_or_default();
        let cut = CutSource::new("f", &text, [(at, 1)].into_iter())
            .unwrap_or_else(|| panic!("a long line"));
        assert!(cut.text.len() < 400, "{}", cut.text.len());
        assert!(cut.text.starts_with("rule R1 {"));
        assert!(cut.text.ends_with("x }\nnext\n"));
        assert_eq!(cut.text.matches('\n').count(), 2);
        let label = cut.label(&LabeledSpan::new(Some("here".to_owned()), at, 1));
        assert_eq!(&cut.text[label.offset()..label.offset() + label.len()], "x");
        assert_eq!(cut.to_original(label.offset()), at);
        assert_eq!(cut.column(at), long[..at].chars().count());
    }

    #[test]
    fn a_long_label_is_shortened_and_multibyte_text_is_cut_between_characters() {
        let long = format!("{}\n", "綠".repeat(2_000));
        let text: Arc<str> = Arc::from(long.as_str());
        let cut = CutSource::new("f", &text, [(3_001, 2_000)].into_iter())
            .unwrap_or_else(|| panic!("a long line"));
        let label = cut.label(&LabeledSpan::new(None, 3_001, 2_000));
        assert!(label.len() <= LABEL_SHOWN + AROUND + 3, "{}", label.len());
        assert!(cut.text.chars().all(|c| c == '綠' || " …\n".contains(c)));
    }
}
