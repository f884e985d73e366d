//! Parsing again only what an edit touched: the members (rules, sections,
//! top-level items) from the last one that starts before the edit to the
//! first that starts after it, in the innermost section that holds the
//! edit; the rest of the old tree is kept, moved by the length the edit
//! added or took away. A keystroke in a standard of 20,000 rules parses
//! one rule, not 10 MB.
//!
//! Whatever cannot be reparsed this way (an edit of a section's header, a
//! window that does not parse on its own) is `None`: parse the whole text.

use super::ast::{File, Item, Section, SectionMember};
use super::shift::Shift;
use super::span::Span;

/// Makes `tree` (the tree of `old`, spans from 0) the tree of `new` by
/// parsing only what changed; `false`, with `tree` untouched, when that
/// cannot be done (the caller parses `new` whole), a text that does not
/// parse included.
pub fn reparse(tree: &mut File, old: &str, new: &str) -> bool {
    window(tree, old, new).is_some()
}

/// [`reparse`], `None` when it cannot be done.
fn window(tree: &mut File, old: &str, new: &str) -> Option<()> {
    let (common, old_end, new_end) = changed(old, new);
    let delta = new_end as isize - old_end as isize;
    // The sections that hold the edit, outermost first, by index.
    let mut path: Vec<usize> = Vec::new();
    let mut members = Members::Top(&mut tree.items);
    loop {
        let spans = members.spans();
        let holder = spans
            .iter()
            .position(|s| s.start < common && old_end < s.end);
        let inner = holder.filter(|&at| members.is_section(at));
        match inner {
            Some(at) if members.section_holds_edit(at, common, old_end) => {
                path.push(at);
                members = members.into_section(at)?;
            }
            _ => break,
        }
    }
    let spans = members.spans();
    // The window: from the last member that starts before the edit...
    let first = spans.iter().rposition(|s| s.start < common)?;
    // ...to the first that starts after it, or the end of the container.
    let after = spans.iter().position(|s| s.start >= old_end);
    let old_stop = match after {
        Some(next) => spans[next].start,
        None => members.content_end(old)?,
    };
    if old_stop < old_end {
        return None;
    }
    let start = spans[first].start;
    let new_stop = old_stop.checked_add_signed(delta)?;
    let window = new.get(start..new_stop)?;
    // What follows the window must start a line (after its indent): else
    // the window's last word, an open comment or string, could run into it.
    let at_end = new_stop == new.len();
    if !at_end && !window.trim_end_matches([' ', '\t']).ends_with('\n') {
        return None;
    }
    // The window is scanned from depth 0, inside `path.len()` sections: so
    // that nothing nests past the limit unseen, a window that opens so many
    // brackets that it could is parsed with the whole text.
    let opened = window
        .bytes()
        .filter(|b| matches!(b, b'(' | b'{' | b'['))
        .count();
    if opened + path.len() + 1 >= super::MAX_NESTING {
        return None;
    }
    let parsed = super::parse_at(window, start);
    if !parsed.errors.is_empty() {
        return None;
    }
    let last = after.unwrap_or(spans.len());
    members.replace(first..last, parsed.file.items, delta)?;
    // The sections that hold the window end later (or sooner) by delta.
    let mut sections = Members::Top(&mut tree.items);
    for &at in &path {
        sections.grow(at, delta);
        sections = sections.into_section(at)?;
    }
    Some(())
}

/// A list of members: the top-level items, or a section's members.
enum Members<'t> {
    Top(&'t mut Vec<Item>),
    Section(&'t mut Section),
}

impl<'t> Members<'t> {
    fn spans(&self) -> Vec<Span> {
        match self {
            Members::Top(items) => items.iter().map(Item::span).collect(),
            Members::Section(section) => section.members.iter().map(member_span).collect(),
        }
    }

    fn is_section(&self, at: usize) -> bool {
        match self {
            Members::Top(items) => matches!(items[at], Item::Section(_)),
            Members::Section(section) => matches!(section.members[at], SectionMember::Section(_)),
        }
    }

    fn section(&self, at: usize) -> Option<&Section> {
        match self {
            Members::Top(items) => match &items[at] {
                Item::Section(section) => Some(section),
                _ => None,
            },
            Members::Section(section) => match &section.members[at] {
                SectionMember::Section(inner) => Some(inner),
                SectionMember::Rule(_) => None,
            },
        }
    }

    /// Whether the edit is inside the section's members (past its header,
    /// before its closing brace), so that it can be reparsed there.
    fn section_holds_edit(&self, at: usize, common: usize, old_end: usize) -> bool {
        self.section(at).is_some_and(|section| {
            section
                .members
                .first()
                .is_some_and(|m| member_span(m).start < common)
                && old_end < section.span.end - 1
        })
    }

    fn into_section(self, at: usize) -> Option<Members<'t>> {
        match self {
            Members::Top(items) => match &mut items[at] {
                Item::Section(section) => Some(Members::Section(section)),
                _ => None,
            },
            Members::Section(section) => match &mut section.members[at] {
                SectionMember::Section(inner) => Some(Members::Section(inner)),
                SectionMember::Rule(_) => None,
            },
        }
    }

    /// Where the members end: the text's end, or a section's closing brace.
    fn content_end(&self, old: &str) -> Option<usize> {
        match self {
            Members::Top(_) => Some(old.len()),
            Members::Section(section) => {
                let close = section.span.end.checked_sub(1)?;
                (old.as_bytes().get(close) == Some(&b'}')).then_some(close)
            }
        }
    }

    /// The members of `range` replaced by `items` (spans already right),
    /// those after moved by `delta`. `None` when an item cannot be a
    /// member here (only rules and sections are members of a section).
    fn replace(self, range: std::ops::Range<usize>, items: Vec<Item>, delta: isize) -> Option<()> {
        match self {
            Members::Top(list) => {
                list[range.end..].shift(delta);
                list.splice(range, items);
            }
            Members::Section(section) => {
                let members: Vec<SectionMember> = items
                    .into_iter()
                    .map(|item| match item {
                        Item::Section(s) => Some(SectionMember::Section(s)),
                        Item::Rule(r) => Some(SectionMember::Rule(r)),
                        _ => None,
                    })
                    .collect::<Option<_>>()?;
                section.members[range.end..].shift(delta);
                section.members.splice(range, members);
            }
        }
        Some(())
    }

    /// The section at `at` ends `delta` later; what follows it moves.
    fn grow(&mut self, at: usize, delta: isize) {
        let grow = |section: &mut Section| {
            section.span.end = section.span.end.saturating_add_signed(delta);
        };
        match self {
            Members::Top(items) => {
                if let Item::Section(section) = &mut items[at] {
                    grow(section);
                }
                items[at + 1..].shift(delta);
            }
            Members::Section(section) => {
                if let SectionMember::Section(inner) = &mut section.members[at] {
                    grow(inner);
                }
                section.members[at + 1..].shift(delta);
            }
        }
    }
}

fn member_span(member: &SectionMember) -> Span {
    match member {
        SectionMember::Section(s) => s.span,
        SectionMember::Rule(r) => r.span,
    }
}

/// Where two texts differ: the length of their common start, and the end
/// of the differing part in `old` and in `new` (their common end left out).
pub fn changed(old: &str, new: &str) -> (usize, usize, usize) {
    let mut common = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(common) || !new.is_char_boundary(common) {
        common -= 1;
    }
    let most = old.len().min(new.len()) - common;
    let mut tail = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(most)
        .take_while(|(a, b)| a == b)
        .count();
    while !old.is_char_boundary(old.len() - tail) || !new.is_char_boundary(new.len() - tail) {
        tail -= 1;
    }
    (common, old.len() - tail, new.len() - tail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What an edit may insert.
    const PIECES: [&str; 18] = [
        "x",
        " and b",
        "\n",
        "}",
        "{",
        "rule Z1 \"新\" { require x > 1 points 1 }\n",
        "section S \"節\" {\n rule Z2: x > 0\n}\n",
        "# 註\n",
        "\"",
        "2",
        "綠化",
        "(",
        "  rule Z3: passed(A1)\n",
        "let y = 1\n",
        "😀",
        "r",
        " ",
        "otherwise",
    ];

    const NESTED: &str = "standard s {\n  key k\n}\n\nfields {\n  k text\n  x number\n}\n\n\
        section A \"甲\" {\n  rule A1 \"一\" { require x > 1 points 2 }\n  section B \"乙\" {\n    \
        rule B1: x > 2\n    rule B2 \"二\" {\n      require x < 9\n      points 1\n    }\n  }\n  \
        rule A2: x == 3\n}\n\nrule C1: x > 0\n";

    fn shown(file: &File) -> String {
        format!("{file:?}")
    }

    fn check(old: &str, at: usize, cut: usize, piece: &str) -> Result<(), TestCaseError> {
        let mut at = at.min(old.len());
        while !old.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + cut).min(old.len());
        while !old.is_char_boundary(end) {
            end -= 1;
        }
        let new = format!("{}{piece}{}", &old[..at], &old[end..]);
        let before = crate::syntax::parse(old);
        prop_assume!(before.errors.is_empty());
        let whole = crate::syntax::parse(&new);
        let mut tree = before.file.clone();
        if reparse(&mut tree, old, &new) {
            prop_assert!(
                whole.errors.is_empty(),
                "reparsed a text that does not parse: {new}"
            );
            prop_assert_eq!(shown(&tree), shown(&whole.file), "{}", new);
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn a_reparse_is_the_whole_parse(at in 0usize..2000, cut in 0usize..12, piece in 0..PIECES.len()) {
            check(NESTED, at % (NESTED.len() + 1), cut, PIECES[piece])?;
        }

        #[test]
        fn a_reparse_of_crlf_text_is_the_whole_parse(at in 0usize..2000, cut in 0usize..12, piece in 0..PIECES.len()) {
            let old = NESTED.replace('\n', "\r\n");
            check(&old, at % (old.len() + 1), cut, PIECES[piece])?;
        }

        #[test]
        fn a_reparse_of_the_founding_standard_is_the_whole_parse(
            at in 0usize..40_000, cut in 0usize..12, piece in 0..PIECES.len()
        ) {
            let old = include_str!("../../standards/office_environment/2015.std");
            check(old, at % (old.len() + 1), cut, PIECES[piece])?;
        }
    }

    #[test]
    fn a_window_deep_in_sections_never_passes_the_nesting_limit_unseen() {
        let depth = crate::syntax::MAX_NESTING - 1;
        let mut old = String::new();
        for i in 0..depth {
            old.push_str(&format!("section S{i} {{\n"));
        }
        old.push_str("rule R: x > 1\n");
        old.push_str(&"}\n".repeat(depth));
        let at = old.find("x > 1").unwrap_or(0);
        let new = format!("{}((x)){}", &old[..at], &old[at + 1..]);
        let mut tree = crate::syntax::parse(&old).file;
        assert!(!reparse(&mut tree, &old, &new));
        assert!(
            !crate::syntax::parse(&new).errors.is_empty(),
            "too deep whole"
        );
    }

    #[test]
    fn a_keystroke_in_a_rule_reparses_that_rule_only() {
        let old = NESTED;
        let at = old.find("x < 9").unwrap_or(0) + 4;
        let new = format!("{}0{}", &old[..at], &old[at..]);
        let mut tree = crate::syntax::parse(old).file;
        assert!(reparse(&mut tree, old, &new));
        assert_eq!(shown(&tree), shown(&crate::syntax::parse(&new).file));
    }
}
