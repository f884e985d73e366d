//! One file as the analysis sees it: its text now, and the tree of its text
//! or — while it has a syntax error — of its last text that parsed, with
//! places moved between the two.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::syntax::{self, ast, span::Span};

use super::index::{self, Occurrence};
use super::{Lines, Location, Position};

/// One file as the analysis sees it.
#[derive(Debug)]
pub struct FileView {
    /// The file, absolute.
    pub path: PathBuf,
    /// Its text now.
    pub text: Arc<str>,
    /// The text the tree was parsed from: `text`, or the last text of the
    /// file that parsed when `text` does not.
    pub parsed_text: Arc<str>,
    /// The lines of `text`.
    pub(super) lines: Lines,
    /// Where `text` differs from `parsed_text`: the length of their common
    /// start, and where the differing part ends in each (`parsed_text`,
    /// `text`); `None` when they are one text.
    pub(super) changed: Option<(usize, usize, usize)>,
    /// Whether the tree is all of `parsed_text`: false for what a text
    /// with a syntax error gave, when no earlier text of the file parsed.
    pub(super) whole: bool,
    /// The syntax errors of `text`, when it was parsed whole and has some.
    pub(super) errors: Option<Arc<Vec<syntax::SyntaxError>>>,
    /// The tree (empty when no text of the file ever parsed).
    pub tree: Arc<ast::File>,
    /// Its names.
    pub occurrences: Vec<Occurrence>,
}

impl FileView {
    /// A view of `text`; `last_good` is the file's last view that parsed:
    /// the tree of `text` made from its tree by parsing only what changed
    /// when that can be done (in place, when nothing else holds it), else
    /// by parsing `text` whole; its tree kept when `text` does not parse.
    pub(super) fn new(path: &Path, text: Arc<str>, last_good: Option<Arc<FileView>>) -> FileView {
        let Some(good) = last_good else {
            let parsed = syntax::parse(&text);
            let whole = parsed.errors.is_empty();
            let mut view = FileView::of(path, Arc::clone(&text), Arc::new(parsed.file), text);
            view.whole = whole;
            view.errors = (!whole).then(|| Arc::new(parsed.errors));
            return view;
        };
        let good_text = Arc::clone(&good.parsed_text);
        let mut tree = match Arc::try_unwrap(good) {
            Ok(view) => Arc::unwrap_or_clone(view.tree),
            Err(shared) => shared.tree.as_ref().clone(),
        };
        if syntax::reparse::reparse(&mut tree, &good_text, &text) {
            return FileView::of(path, Arc::clone(&text), Arc::new(tree), text);
        }
        let parsed = syntax::parse(&text);
        if parsed.errors.is_empty() {
            FileView::of(path, Arc::clone(&text), Arc::new(parsed.file), text)
        } else {
            let mut view = FileView::of(path, text, Arc::new(tree), good_text);
            view.errors = Some(Arc::new(parsed.errors));
            view
        }
    }

    /// A view of `text` whose tree is of `parsed_text`.
    pub(super) fn of(
        path: &Path,
        text: Arc<str>,
        tree: Arc<ast::File>,
        parsed_text: Arc<str>,
    ) -> FileView {
        let changed = (!Arc::ptr_eq(&text, &parsed_text))
            .then(|| syntax::reparse::changed(&parsed_text, &text));
        FileView {
            path: path.to_path_buf(),
            lines: Lines::new(&text),
            occurrences: index::occurrences(&tree),
            changed,
            whole: true,
            errors: None,
            tree,
            text,
            parsed_text,
        }
    }

    /// Whether the tree is of the text now, and all of it.
    pub(super) fn parses(&self) -> bool {
        self.changed.is_none() && self.whole
    }

    /// Whether a span of the tree is still in the text now: not inside, nor
    /// across, the part that changed since the tree's text.
    pub(super) fn current(&self, span: Span) -> bool {
        match self.changed {
            Some((common, old_end, _)) => span.end <= common || span.start >= old_end,
            None => true,
        }
    }

    /// An offset of the tree's text as an offset of the text now: the same
    /// before the part that changed, moved after it, its start inside it.
    pub(super) fn to_text(&self, offset: usize) -> usize {
        match self.changed {
            Some((common, old_end, _)) if offset > common && offset < old_end => common,
            Some((_, old_end, new_end)) if offset >= old_end => offset - old_end + new_end,
            _ => offset,
        }
    }

    /// An offset of the text now as an offset of the tree's text.
    pub(super) fn to_tree(&self, offset: usize) -> usize {
        match self.changed {
            Some((common, _, new_end)) if offset > common && offset < new_end => common,
            Some((_, old_end, new_end)) if offset >= new_end => offset - new_end + old_end,
            _ => offset,
        }
    }

    /// The offset in the tree's text of a position in the text now.
    pub fn offset(&self, position: Position) -> usize {
        self.to_tree(self.lines.offset(&self.text, position))
    }

    /// The position in the text now of an offset of the tree's text.
    pub fn position(&self, offset: usize) -> Position {
        self.lines.position(&self.text, self.to_text(offset))
    }

    /// A span of the tree as a location in the text now.
    pub fn location(&self, span: Span) -> Location {
        Location {
            path: self.path.clone(),
            start: self.position(span.start),
            end: self.position(span.end),
        }
    }

    /// The name at `offset` (its end counts: the cursor just after a name).
    pub(super) fn occurrence_at(&self, offset: usize) -> Option<&Occurrence> {
        self.occurrences
            .iter()
            .find(|o| o.span.start <= offset && offset <= o.span.end)
    }
}
