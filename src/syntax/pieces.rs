//! Parsing a large file in pieces, on all cores.
//!
//! pest parses about 25 MB/s on one core and its trees cannot cross threads.
//! So a large standard is cut into pieces at lines where the scan saw a
//! top-level item start, or a member of a big section; each piece is parsed
//! and lowered on its own thread with its offset in the file, and the results
//! are joined in order. The pieces only ever speed up success: when any piece
//! fails to parse, the caller parses the whole file in one go, so a syntax
//! error reads exactly as it would have.

use std::ops::Range;

use pest::Parser as _;
use rayon::prelude::*;

use super::ast::{File, Item, SectionMember};
use super::errors::SyntaxError;
use super::grammar::{Rule, StandardParser};
use super::lower;
use super::scan::ItemStart;
use super::span::Span;

/// Files smaller than this are parsed whole: cutting would not pay.
pub const PARALLEL_FROM: usize = 1 << 20;
/// The size a piece aims at.
const PIECE: usize = 256 << 10;

/// A piece of text and what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Task {
    /// Whole top-level items (or nothing but comments).
    Items(Range<usize>),
    /// `section ID "title" {` of a section cut into pieces.
    SectionHead(Range<usize>),
    /// A run of that section's members.
    Members(Range<usize>),
}

/// How the pieces join back into the file's items.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Join {
    /// The items of one task.
    Items(usize),
    /// A section: its head task, its member tasks, and its closing brace.
    Section {
        head: usize,
        members: Range<usize>,
        close: usize,
    },
}

/// What a task gave.
enum Lowered {
    Items(Vec<Item>, Vec<SyntaxError>),
    Head(Box<super::ast::Section>),
    Members(Vec<SectionMember>, Vec<SyntaxError>),
}

/// Parses `source` in pieces, its spans counted from `base`; `None` when a
/// piece does not parse (the caller then parses it whole for the diagnostic).
pub fn parse(source: &str, items: &[ItemStart], base: usize) -> Option<(File, Vec<SyntaxError>)> {
    let (tasks, joins) = plan(source.len(), items);
    let lowered: Vec<Lowered> = tasks
        .par_iter()
        .map(|task| run(source, task, base))
        .collect::<Option<_>>()?;
    let mut lowered: Vec<Option<Lowered>> = lowered.into_iter().map(Some).collect();
    let mut file = File::default();
    let mut errors = Vec::new();
    for join in joins {
        match join {
            Join::Items(task) => {
                if let Some(Lowered::Items(items, task_errors)) = lowered[task].take() {
                    file.items.extend(items);
                    errors.extend(task_errors);
                }
            }
            Join::Section {
                head,
                members,
                close,
            } => {
                let Some(Lowered::Head(mut section)) = lowered[head].take() else {
                    return None;
                };
                for task in members {
                    if let Some(Lowered::Members(more, task_errors)) = lowered[task].take() {
                        section.members.extend(more);
                        errors.extend(task_errors);
                    }
                }
                section.span = Span::new(section.span.start, base + close + 1);
                file.items.push(Item::Section(*section));
            }
        }
    }
    Some((file, errors))
}

/// Parses and lowers one piece.
fn run(source: &str, task: &Task, base: usize) -> Option<Lowered> {
    let (start_rule, range) = match task {
        Task::Items(range) => (Rule::file, range),
        Task::SectionHead(range) => (Rule::section_head, range),
        Task::Members(range) => (Rule::section_members, range),
    };
    let text = source.get(range.clone())?;
    let pair = StandardParser::parse(start_rule, text).ok()?.next()?;
    Some(match task {
        Task::Items(_) => {
            let (file, errors) = lower::lower_file(pair, base + range.start);
            Lowered::Items(file.items, errors)
        }
        Task::SectionHead(_) => Lowered::Head(Box::new(
            lower::lower_section_head(pair, base + range.start).ok()?,
        )),
        Task::Members(_) => {
            let (members, errors) = lower::lower_members(pair, base + range.start);
            Lowered::Members(members, errors)
        }
    })
}

/// Cuts the file into tasks of about [`PIECE`] bytes: runs of whole items,
/// and for a section larger than a piece, its head and runs of its members.
fn plan(length: usize, items: &[ItemStart]) -> (Vec<Task>, Vec<Join>) {
    let mut tasks = Vec::new();
    let mut joins = Vec::new();
    let mut group_start = 0;
    let flush = |tasks: &mut Vec<Task>, joins: &mut Vec<Join>, range: Range<usize>| {
        if !range.is_empty() {
            joins.push(Join::Items(tasks.len()));
            tasks.push(Task::Items(range));
        }
    };
    for (index, item) in items.iter().enumerate() {
        let end = items.get(index + 1).map_or(length, |next| next.at);
        let split = item.section.as_ref().and_then(|block| {
            let close = block.close?;
            let first = *block.members.first()?;
            (close - item.at > PIECE && first < close).then_some((block, first, close))
        });
        if let Some((block, first, close)) = split {
            flush(&mut tasks, &mut joins, group_start..item.at);
            let head = tasks.len();
            tasks.push(Task::SectionHead(item.at..first));
            let members_start = tasks.len();
            let mut run_start = first;
            for &member in block.members.iter().filter(|&&m| m < close) {
                if member - run_start >= PIECE {
                    tasks.push(Task::Members(run_start..member));
                    run_start = member;
                }
            }
            tasks.push(Task::Members(run_start..close));
            joins.push(Join::Section {
                head,
                members: members_start..tasks.len(),
                close,
            });
            group_start = close + 1;
        } else if end - group_start >= PIECE {
            flush(&mut tasks, &mut joins, group_start..end);
            group_start = end;
        }
    }
    flush(&mut tasks, &mut joins, group_start..length);
    (tasks, joins)
}

#[cfg(test)]
mod tests {
    use super::super::scan::SectionBlock;
    use super::*;

    #[test]
    fn a_big_section_is_cut_into_head_members_and_the_rest() {
        let members: Vec<usize> = (0..4).map(|i| 100 + i * PIECE).collect();
        let close = 100 + 4 * PIECE;
        let items = vec![
            ItemStart {
                at: 10,
                section: None,
            },
            ItemStart {
                at: 50,
                section: Some(SectionBlock {
                    members: members.clone(),
                    close: Some(close),
                }),
            },
            ItemStart {
                at: close + 5,
                section: None,
            },
        ];
        let length = close + 50;
        let (tasks, joins) = plan(length, &items);
        assert_eq!(
            tasks,
            vec![
                Task::Items(0..50),
                Task::SectionHead(50..100),
                Task::Members(members[0]..members[1]),
                Task::Members(members[1]..members[2]),
                Task::Members(members[2]..members[3]),
                Task::Members(members[3]..close),
                Task::Items(close + 1..length),
            ]
        );
        assert_eq!(
            joins[1],
            Join::Section {
                head: 1,
                members: 2..6,
                close
            }
        );
    }

    #[test]
    fn every_byte_is_in_exactly_one_task() {
        let items: Vec<ItemStart> = (0..100)
            .map(|i| ItemStart {
                at: i * 40_000,
                section: None,
            })
            .collect();
        let (tasks, _) = plan(4_000_000, &items);
        let mut covered = 0;
        for task in &tasks {
            let Task::Items(range) = task else {
                panic!("only items here");
            };
            assert_eq!(range.start, covered);
            covered = range.end;
        }
        assert_eq!(covered, 4_000_000);
        assert!(tasks.len() > 8);
    }
}

#[cfg(test)]
mod equivalence {
    use super::super::{grammar, lower, scan};
    use super::*;

    /// A file past [`PARALLEL_FROM`] with a big section, nested sections,
    /// small items, comments and a script between the pieces.
    fn big_file() -> String {
        let mut source = String::from(
            "# 大文件\nstandard s {\n  key unit_id\n}\n\nfields {\n  unit_id text\n  x number\n}\n\n",
        );
        source.push_str("section A \"大節\" weight 2 {\n");
        for i in 0..6000 {
            source.push_str(&format!(
                "  # 第{i}條\n  rule A{i} \"規則{i}\" critical {{\n    when    x > {i}  # 說明\n    require x between 1 and 9 or not (x in (1, 2))\n    points  2, deduct 0.5 per x\n  }}\n"
            ));
            if i % 1000 == 0 {
                source.push_str(&format!(
                    "  section N{i} \"小節\" {{\n    rule N{i}: x > 1\n  }}\n"
                ));
            }
        }
        source.push_str("}\n\nscript \"\"\"\nrule in a script\n\"\"\"\n");
        for i in 0..3000 {
            source.push_str(&format!("let v{i} = x * {i}\nsection S{i} \"節{i}\" weight 1 {{\n  rule S{i}: v{i} > 0\n}}\n"));
        }
        source
    }

    fn whole(source: &str) -> File {
        let pair = grammar::StandardParser::parse(Rule::file, source)
            .expect("parses")
            .next()
            .expect("a file");
        lower::lower_file(pair, 0).0
    }

    #[test]
    fn pieces_give_the_same_tree_and_spans_as_one_parse() {
        let source = big_file();
        assert!(source.len() > PARALLEL_FROM);
        let scan = scan::scan(&source);
        let (tasks, _) = plan(source.len(), &scan.items);
        assert!(tasks.len() > 4, "only {} pieces", tasks.len());
        let (pieces, errors) = parse(&source, &scan.items, 0).expect("every piece parses");
        assert!(errors.is_empty());
        // Debug output shows spans, which equality ignores.
        let (cut, full) = (format!("{pieces:?}"), format!("{:?}", whole(&source)));
        if let Some(at) = cut.bytes().zip(full.bytes()).position(|(a, b)| a != b) {
            let from = at.saturating_sub(300);
            panic!(
                "pieces differ at {at}:\n{}\nvs\n{}",
                &cut[from..at + 100],
                &full[from..at + 100]
            );
        }
        assert_eq!(cut.len(), full.len());
    }

    #[test]
    fn a_piece_with_a_syntax_error_gives_up() {
        let source = big_file().replace(
            "rule A3000 \"規則3000\" critical {",
            "rule A3000 \"規則3000\" critical {{",
        );
        let scan = scan::scan(&source);
        assert!(parse(&source, &scan.items, 0).is_none());
    }
}
