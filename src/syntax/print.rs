//! The way back: AST to canonical text, for `yardstick fmt`.
//!
//! One layout: two-space indent, one clause per line, keyword columns and the
//! field table aligned (by display width, so Chinese labels line up), ASCII
//! operators, expressions on one line with the parentheses the author wrote.
//! Comments are put back by position: a comment is printed before the first
//! node that starts after it, or at the end of the line it trailed. Blank
//! lines between members are kept (several become one). Printing what was
//! parsed gives an equal AST, and printing twice gives the same text.
//!
//! Over 600 lines on purpose: one printer, a method for each kind of
//! declaration sharing the comment and blank-line state of `Printer`, and the
//! expressions' text; split, the rules of the one layout would be scattered.

mod rollup;

use unicode_width::UnicodeWidthStr;

use super::ast::*;
use super::span::Span;

/// Prints `file` in canonical layout, putting `comments` back. `source` is
/// the text the file was parsed from (for comments and blank lines); without
/// it, no comments or blank lines are kept.
pub fn print(file: &File, comments: &[Comment], source: Option<&str>) -> String {
    let mut printer = Printer {
        out: String::new(),
        indent: 0,
        source: source.unwrap_or(""),
        comments: if source.is_some() { comments } else { &[] },
        next_comment: 0,
        last_end: None,
        block_start: true,
    };
    let mut previous: Option<&Item> = None;
    for item in &file.items {
        let separate = match previous {
            None => false,
            Some(prev) => {
                !(is_one_line(prev) && is_one_line(item)) || printer.blank_before(item.span().start)
            }
        };
        printer.member_gap(item.span().start, separate);
        printer.item(item);
        previous = Some(item);
    }
    printer.flush_comments(usize::MAX);
    if printer.out.is_empty() {
        return printer.out;
    }
    while printer.out.ends_with("\n\n") {
        printer.out.pop();
    }
    printer.out
}

/// Items that print on one line may sit together without a blank line.
fn is_one_line(item: &Item) -> bool {
    match item {
        Item::Let(_) | Item::Remove(_) => true,
        Item::Rule(rule) => matches!(rule.body, RuleBody::Short(_)),
        _ => false,
    }
}

struct Printer<'a> {
    out: String,
    indent: usize,
    source: &'a str,
    comments: &'a [Comment],
    next_comment: usize,
    /// The end of the last node or comment printed, for blank-line detection.
    last_end: Option<usize>,
    /// Whether nothing has been printed since the last `{` (or the file's start).
    block_start: bool,
}

impl Printer<'_> {
    // ------------------------------------------------------------ lines and comments

    fn line(&mut self, text: &str) {
        for _ in 0..self.indent {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
        self.block_start = false;
    }

    /// Whether the source has an empty line between the last thing printed and `start`.
    fn blank_before(&self, start: usize) -> bool {
        let Some(end) = self.last_end else {
            return false;
        };
        let Some(between) = self.source.get(end..start) else {
            return false;
        };
        between
            .split('\n')
            .skip(1)
            .take(between.matches('\n').count().saturating_sub(1))
            .any(|line| line.trim().is_empty())
    }

    /// Starts a new member at `start`: comments before it first, then a blank
    /// line when `separate` or when the source had one.
    fn member_gap(&mut self, start: usize, separate: bool) {
        // The separating blank line goes above the comments that lead into
        // the member, so that they stay attached to it.
        if separate {
            self.blank_line();
        }
        self.flush_comments(start);
        if self.blank_before(start) {
            self.blank_line();
        }
    }

    /// Ends the current paragraph with one empty line, unless one is there
    /// already or a block has just opened.
    fn blank_line(&mut self) {
        if !self.block_start && !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    /// Prints, each on its own line, the comments that start before `position`.
    fn flush_comments(&mut self, position: usize) {
        while let Some(comment) = self.comments.get(self.next_comment) {
            if comment.span.start >= position {
                break;
            }
            if self.blank_before(comment.span.start) {
                self.blank_line();
            }
            let text = self.comment_text(comment.span).to_owned();
            self.line(&text);
            self.next_comment += 1;
            self.last_end = Some(comment.span.end);
        }
    }

    fn comment_text(&self, span: Span) -> &str {
        self.source
            .get(span.start..span.end)
            .unwrap_or("#")
            .trim_end()
    }

    /// Ends the line just printed, which holds a node written at `node`:
    /// a comment that followed the node on its source line goes at its end.
    fn end_line(&mut self, node: Span, anchor: usize) {
        self.last_end = Some(node.end);
        let Some(comment) = self.comments.get(self.next_comment) else {
            return;
        };
        let Some(between) = self.source.get(anchor..comment.span.start) else {
            return;
        };
        if comment.own_line || between.contains('\n') || comment.span.start < anchor {
            return;
        }
        let text = self.comment_text(comment.span).to_owned();
        if self.out.ends_with('\n') {
            self.out.pop();
        }
        self.out.push_str("  ");
        self.out.push_str(&text);
        self.out.push('\n');
        self.next_comment += 1;
        self.last_end = Some(comment.span.end.max(node.end));
    }

    /// Prints a leaf line for a node, with its trailing comment.
    fn leaf(&mut self, text: &str, span: Span) {
        self.member_gap(span.start, false);
        self.line(text);
        self.end_line(span, span.end);
    }

    /// Prints `head {`, runs `body` one level in, and closes the block at `span.end`.
    fn block(&mut self, head: &str, span: Span, body: impl FnOnce(&mut Self)) {
        self.line(&format!("{head} {{"));
        // A comment right after the `{` stays on the opening line; one after
        // a member written on that line goes with the member.
        let after_brace = self.comments.get(self.next_comment).is_some_and(|comment| {
            self.source
                .get(span.start..comment.span.start)
                .is_some_and(|before| before.trim_end().ends_with('{'))
        });
        if after_brace {
            self.end_line(Span::new(span.start, span.start), span.start);
        }
        self.block_start = true;
        self.indent += 1;
        body(self);
        self.flush_comments(span.end);
        self.indent -= 1;
        self.line("}");
        self.end_line(span, span.end);
    }

    // ------------------------------------------------------------ items

    fn item(&mut self, item: &Item) {
        match item {
            Item::Header(header) => self.header(header),
            Item::Fields(fields) => self.fields(fields),
            Item::Let(decl) => {
                let text = format!("let {} = {}", decl.name.node, expr(&decl.value));
                self.line(&text);
                self.end_line(decl.span, decl.span.end);
            }
            Item::Section(section) => self.section(section),
            Item::Rule(rule) => self.rule(rule),
            Item::Grades(grades) => self.grades(grades),
            Item::Script(script) => {
                let text = format!("script \"\"\"{}\"\"\"", script.code.node);
                self.line(&text);
                self.end_line(script.span, script.span.end);
            }
            Item::Example(example) => self.example(example),
            Item::AmendRule(amend) => {
                let head = rule_head("amend rule", &amend.id, amend.title.as_ref(), &amend.flags);
                self.block(&head, amend.span, |p| p.clauses(&amend.clauses));
            }
            Item::Remove(remove) => {
                let target = remove.target.keyword();
                self.line(&format!("remove {target} {}", remove.id.node));
                self.end_line(remove.span, remove.span.end);
            }
            Item::Rollup(rollup) => self.rollup(rollup),
        }
    }

    fn header(&mut self, header: &Header) {
        let width = header
            .entries
            .iter()
            .map(|e| e.name.node.width())
            .max()
            .unwrap_or(0);
        self.block(
            &format!("standard {}", header.name.node),
            header.span,
            |p| {
                for entry in &header.entries {
                    let value = match &entry.value.node {
                        HeaderValue::Text(text) => quote(text),
                        HeaderValue::Date(date) => date.to_string(),
                        HeaderValue::Bare(text) | HeaderValue::Name(text) => text.clone(),
                    };
                    p.leaf(
                        &format!("{} {value}", pad(&entry.name.node, width)),
                        entry.span,
                    );
                }
            },
        );
    }

    fn fields(&mut self, block: &FieldsBlock) {
        let types: Vec<String> = block
            .fields
            .iter()
            .map(|field| {
                let mut ty = match &field.ty.node {
                    FieldType::Named(name) => name.clone(),
                    FieldType::OneOf(choices) => {
                        let choices: Vec<String> = choices.iter().map(|c| quote(&c.node)).collect();
                        format!("one of ({})", choices.join(", "))
                    }
                };
                if field.optional {
                    ty.push('?');
                }
                if field.info {
                    ty.push_str(" info");
                }
                ty
            })
            .collect();
        let name_width = block
            .fields
            .iter()
            .map(|f| f.name.node.width())
            .max()
            .unwrap_or(0);
        let type_width = types.iter().map(|t| t.width()).max().unwrap_or(0);
        self.block("fields", block.span, |p| {
            for (field, ty) in block.fields.iter().zip(&types) {
                let text = match &field.label {
                    Some(label) => format!(
                        "{}  {}  {}",
                        pad(&field.name.node, name_width),
                        pad(ty, type_width),
                        quote(&label.node)
                    ),
                    None => format!("{}  {ty}", pad(&field.name.node, name_width)),
                };
                p.leaf(&text, field.span);
            }
        });
    }

    fn section(&mut self, section: &Section) {
        let mut head = format!("section {}", section.id.node);
        if let Some(title) = &section.title {
            head.push(' ');
            head.push_str(&quote(&title.node));
        }
        if let Some(weight) = &section.weight {
            head.push_str(&format!(" weight {}", weight.node));
        }
        self.block(&head, section.span, |p| {
            let mut previous: Option<&SectionMember> = None;
            for member in &section.members {
                let span = match member {
                    SectionMember::Section(s) => s.span,
                    SectionMember::Rule(r) => r.span,
                };
                // Nested sections stand apart; rules keep the author's spacing.
                let separate = previous.is_some()
                    && (matches!(member, SectionMember::Section(_))
                        || matches!(previous, Some(SectionMember::Section(_))));
                p.member_gap(span.start, separate);
                match member {
                    SectionMember::Section(s) => p.section(s),
                    SectionMember::Rule(r) => p.rule(r),
                }
                previous = Some(member);
            }
        });
    }

    fn rule(&mut self, rule: &Rule) {
        let head = rule_head("rule", &rule.id, rule.title.as_ref(), &rule.flags);
        match &rule.body {
            RuleBody::Short(condition) => {
                self.line(&format!("{head}: {}", expr(condition)));
                self.end_line(rule.span, rule.span.end);
            }
            RuleBody::Block(clauses) => self.block(&head, rule.span, |p| p.clauses(clauses)),
        }
    }

    fn clauses(&mut self, clauses: &[Clause]) {
        let mut index = 0;
        while let Some(clause) = clauses.get(index) {
            let text = match &clause.kind {
                ClauseKind::When(e) => format!("when    {}", expr(e)),
                ClauseKind::Require(e) => format!("require {}", expr(e)),
                ClauseKind::Points(_) | ClauseKind::VariablePoints { .. } => {
                    let points = points_value(&clause.kind);
                    match clauses.get(index + 1) {
                        Some(Clause {
                            kind: ClauseKind::Deduct { amount, per, up_to },
                            span,
                        }) => {
                            let up_to = up_to.as_ref().map(|m| m.node);
                            let tail = deduct_tail(amount.node, per, up_to);
                            let text = format!("points  {points}, deduct {tail}");
                            self.leaf(&text, clause.span.to(*span));
                            index += 2;
                            continue;
                        }
                        _ => format!("points  {points}"),
                    }
                }
                ClauseKind::Deduct { amount, per, up_to } => format!(
                    "deduct  {}",
                    deduct_tail(amount.node, per, up_to.as_ref().map(|m| m.node))
                ),
                ClauseKind::Remedy(t) => format!("remedy  {}", quote(&t.node)),
                ClauseKind::Ref(t) => format!("ref     {}", quote(&t.node)),
                ClauseKind::Note(t) => format!("note    {}", quote(&t.node)),
                ClauseKind::Owner(t) => format!("owner   {}", quote(&t.node)),
            };
            self.leaf(&text, clause.span);
            index += 1;
        }
    }

    fn grades(&mut self, grades: &Grades) {
        let width = grades
            .bands
            .iter()
            .map(|b| quote(&b.name.node).width())
            .max()
            .unwrap_or(0);
        self.block("grades", grades.span, |p| {
            for band in &grades.bands {
                let name = pad(&quote(&band.name.node), width);
                let text = match &band.condition {
                    Some(condition) => format!("{name} when {}", expr(condition)),
                    None => format!("{name} otherwise"),
                };
                p.leaf(&text, band.span);
            }
        });
    }

    fn example(&mut self, example: &Example) {
        let mut head = format!("example {}", quote(&example.name.node));
        if let Some(rollup) = &example.rollup {
            head.push_str(" rollup ");
            head.push_str(&rollup.node);
        }
        self.block(&head, example.span, |p| {
            for item in &example.items {
                match item {
                    ExampleItem::Given(given) => p.given(given),
                    ExampleItem::Expect(expect) => {
                        let text = match &expect.kind {
                            ExpectKind::Outcome(outcome, id) => {
                                format!("expect {} {}", outcome.node.as_str(), id.node)
                            }
                            ExpectKind::Score(score) => format!("expect score {}", score.node),
                            ExpectKind::Grade(grade) => {
                                format!("expect grade {}", quote(&grade.node))
                            }
                            ExpectKind::SectionScore(section, score) => {
                                format!("expect section_score({}) {}", section.node, score.node)
                            }
                            ExpectKind::Points(rule, points) => {
                                format!("expect points {} {}", rule.node, points.node)
                            }
                        };
                        p.leaf(&text, expect.span);
                    }
                }
            }
        });
    }
}

impl Printer<'_> {
    /// `given { a = 1, b = 2 }` on one line when it fits in [`GIVEN_WIDTH`]
    /// columns, else one aligned assignment per line.
    fn given(&mut self, given: &Given) {
        let assignments: Vec<(String, String)> = given
            .assignments
            .iter()
            .map(|a| (a.field.node.clone(), literal(&a.value.node)))
            .collect();
        let one_line = if assignments.is_empty() {
            "given  {}".to_owned()
        } else {
            let joined: Vec<String> = assignments
                .iter()
                .map(|(f, v)| format!("{f} = {v}"))
                .collect();
            format!("given  {{ {} }}", joined.join(", "))
        };
        if one_line.width() + 2 * self.indent <= GIVEN_WIDTH {
            self.leaf(&one_line, given.span);
            return;
        }
        let width = assignments
            .iter()
            .map(|(f, _)| f.width())
            .max()
            .unwrap_or(0);
        self.member_gap(given.span.start, false);
        self.block("given", given.span, |p| {
            for (assignment, (field, value)) in given.assignments.iter().zip(&assignments) {
                let span = assignment.field.span.to(assignment.value.span);
                p.leaf(&format!("{} = {value}", pad(field, width)), span);
            }
        });
    }
}

/// The widest a one-line `given` may be, indentation included.
const GIVEN_WIDTH: usize = 100;

fn rule_head(
    keyword: &str,
    id: &Ident,
    title: Option<&Text>,
    flags: &[crate::syntax::span::Spanned<RuleFlag>],
) -> String {
    let mut head = format!("{keyword} {}", id.node);
    if let Some(title) = title {
        head.push(' ');
        head.push_str(&quote(&title.node));
    }
    for flag in flags {
        head.push(' ');
        head.push_str(flag.node.keyword());
    }
    head
}

/// What follows `points`: `N`, or `EXPR up to N`.
fn points_value(kind: &ClauseKind) -> String {
    match kind {
        ClauseKind::Points(points) => points.node.to_string(),
        ClauseKind::VariablePoints { credit, up_to } => {
            format!("{} up to {}", expr(credit), up_to.node)
        }
        _ => String::new(),
    }
}

/// What follows `deduct`: `D per EXPR [up to M]`.
fn deduct_tail(
    amount: rust_decimal::Decimal,
    per: &Expr,
    up_to: Option<rust_decimal::Decimal>,
) -> String {
    match up_to {
        Some(most) => format!("{amount} per {} up to {most}", expr(per)),
        None => format!("{amount} per {}", expr(per)),
    }
}

/// `text` followed by spaces up to `width` display columns.
fn pad(text: &str, width: usize) -> String {
    let mut padded = text.to_owned();
    for _ in text.width()..width {
        padded.push(' ');
    }
    padded
}

/// A string literal, with `"` and `\` escaped.
pub fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        if matches!(c, '"' | '\\') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

/// A constant as it is written in a standard.
pub fn literal(value: &Literal) -> String {
    match value {
        Literal::Number(n) => n.to_string(),
        Literal::Percent(n) => format!("{n}%"),
        Literal::Text(t) => quote(t),
        Literal::Bool(b) => b.to_string(),
        Literal::Date(d) => d.to_string(),
    }
}

/// An expression on one line, in canonical spelling.
pub fn expr(e: &Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, e);
    out
}

fn write_expr(out: &mut String, e: &Expr) {
    match &e.kind {
        ExprKind::Literal(value) => out.push_str(&literal(value)),
        ExprKind::Name(name) => out.push_str(name),
        ExprKind::Call { name, args } => {
            out.push_str(&name.node);
            write_list(out, args);
        }
        ExprKind::Unary { op, operand } => {
            out.push_str(match op.node {
                UnaryOp::Not => "not ",
                UnaryOp::Neg => "-",
            });
            write_expr(out, operand);
        }
        ExprKind::Binary { op, left, right } => {
            write_expr(out, left);
            out.push(' ');
            out.push_str(op.node.symbol());
            out.push(' ');
            write_expr(out, right);
        }
        ExprKind::In {
            negated,
            value,
            list,
        } => {
            write_expr(out, value);
            out.push_str(if *negated { " not in " } else { " in " });
            write_list(out, list);
        }
        ExprKind::Between { value, low, high } => {
            write_expr(out, value);
            out.push_str(" between ");
            write_expr(out, low);
            out.push_str(" and ");
            write_expr(out, high);
        }
        ExprKind::No(operand) => {
            out.push_str("no ");
            write_expr(out, operand);
        }
        ExprKind::NoCriticalFailed => out.push_str("no critical failed"),
        ExprKind::AnyVetoFailed => out.push_str("any veto failed"),
        ExprKind::RankWithin(field) => {
            out.push_str("rank within ");
            out.push_str(&field.node);
        }
        ExprKind::Top(quota) => match quota {
            Quota::Percent(share) => out.push_str(&format!("top {share}%")),
            Quota::Count(count) => out.push_str(&format!("top {count}")),
        },
        ExprKind::Paren(inner) => {
            out.push('(');
            write_expr(out, inner);
            out.push(')');
        }
    }
}

fn write_list(out: &mut String, items: &[Expr]) {
    out.push('(');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_expr(out, item);
    }
    out.push(')');
}
