//! Step two of parsing: pest's parse tree to the typed AST, at once.
//!
//! Expressions are folded iteratively, so a long chain such as `a + a + ...`
//! costs no recursion here; the depth of every tree built is measured and an
//! expression deeper than [`MAX_EXPR_DEPTH`] is refused, so that no later pass
//! (checker, evaluator, formatter, drop) can overflow the stack.

use jiff::civil::Date;
use pest::iterators::Pair;
use rust_decimal::Decimal;

use super::ast::*;
use super::errors::SyntaxError;
use super::grammar::Rule as R;
use super::span::{Span, Spanned};

/// The deepest expression tree accepted.
pub const MAX_EXPR_DEPTH: usize = 128;

type Lowered<T> = Result<T, SyntaxError>;

/// Lowers the `file` pair; returns the file and the items that could not be lowered.
pub fn lower_file(file: Pair<'_, R>) -> (File, Vec<SyntaxError>) {
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for pair in file.into_inner() {
        if pair.as_rule() == R::EOI {
            continue;
        }
        match item(pair) {
            Ok(item) => items.push(item),
            Err(error) => errors.push(error),
        }
    }
    (File { items }, errors)
}

/// The span of a pair without the whitespace and comments pest lets a rule
/// swallow at its end (it skips trivia before an optional part even when the
/// part is absent).
fn span_of(pair: &Pair<'_, R>) -> Span {
    Span::new(pair.as_span().start(), content_end(pair))
}

/// Where the last token of `pair` ends. A pair without children is a token
/// (atomic, or literal only) and is exact; otherwise what follows its last
/// child holds only literal punctuation and trivia, scanned here.
fn content_end(pair: &Pair<'_, R>) -> usize {
    let span = pair.as_span();
    let Some(last_child) = pair.clone().into_inner().last() else {
        return span.end();
    };
    let child_end = content_end(&last_child);
    let source = span.get_input();
    let tail = source.get(child_end..span.end()).unwrap_or("");
    let mut end = child_end;
    let mut in_comment = false;
    for (offset, c) in tail.char_indices() {
        match c {
            '\n' => in_comment = false,
            _ if in_comment || c.is_whitespace() || c == '\u{FEFF}' => {}
            '#' => in_comment = true,
            _ => end = child_end + offset + c.len_utf8(),
        }
    }
    end
}

fn item(pair: Pair<'_, R>) -> Lowered<Item> {
    Ok(match pair.as_rule() {
        R::standard_block => Item::Header(header(pair)?),
        R::fields_block => Item::Fields(fields_block(pair)?),
        R::let_decl => Item::Let(let_decl(pair)?),
        R::section => Item::Section(section(pair)?),
        R::rule => Item::Rule(rule(pair)?),
        R::grades_block => Item::Grades(grades(pair)?),
        R::script_block => Item::Script(script(pair)),
        R::example => Item::Example(example(pair)?),
        R::amend_rule => Item::AmendRule(amend_rule(pair)?),
        R::remove_item => Item::Remove(remove(pair)),
        other => unreachable_rule(other),
    })
}

/// The grammar guarantees which rules appear where; reaching this is a bug in
/// this file, never a consequence of user input.
#[expect(
    clippy::panic,
    reason = "the grammar rules out this case; a panic here is a bug in the lowering"
)]
fn unreachable_rule(grammar_rule: R) -> ! {
    panic!("grammar rule {grammar_rule:?} in an unexpected place")
}

fn ident(pair: Pair<'_, R>) -> Ident {
    Spanned::new(pair.as_str().to_owned(), span_of(&pair))
}

fn text(pair: Pair<'_, R>) -> Text {
    let span = span_of(&pair);
    let inner = pair.into_inner().as_str();
    Spanned::new(unescape(inner), span)
}

/// Resolves the two escapes a string may hold, `\"` and `\\`.
fn unescape(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn decimal(pair: &Pair<'_, R>, digits: &str) -> Lowered<Decimal> {
    Decimal::from_str_exact(digits).map_err(|_| SyntaxError::NumberTooLarge {
        text: pair.as_str().to_owned(),
        span: span_of(pair).into(),
    })
}

fn number(pair: Pair<'_, R>) -> Lowered<Spanned<Decimal>> {
    Ok(Spanned::new(decimal(&pair, pair.as_str())?, span_of(&pair)))
}

fn date(pair: &Pair<'_, R>) -> Lowered<Date> {
    let text = pair.as_str();
    let invalid = |reason: String| SyntaxError::InvalidDate {
        text: text.to_owned(),
        reason,
        span: span_of(pair).into(),
    };
    let mut parts = text.split('-').map(str::parse::<i16>);
    let (Some(Ok(year)), Some(Ok(month)), Some(Ok(day))) =
        (parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid("it is not of the form YYYY-MM-DD".to_owned()));
    };
    let (Ok(month), Ok(day)) = (i8::try_from(month), i8::try_from(day)) else {
        return Err(invalid("the month or day is out of range".to_owned()));
    };
    if !(1..=12).contains(&month) {
        return Err(invalid(format!("there is no month {month}")));
    }
    let first =
        Date::new(year, month, 1).map_err(|_| invalid("the year is out of range".to_owned()))?;
    Date::new(year, month, day).map_err(|_| {
        invalid(format!(
            "{year}-{month:02} has {} days",
            first.days_in_month()
        ))
    })
}

fn header(pair: Pair<'_, R>) -> Lowered<Header> {
    let span = span_of(&pair);
    let mut inner = pair.into_inner().skip(1);
    let name = ident(next(&mut inner));
    let mut entries = Vec::new();
    for entry in inner {
        let entry_span = span_of(&entry);
        let mut parts = entry.into_inner();
        let name = ident(next(&mut parts));
        let value = next(&mut parts);
        let value_span = span_of(&value);
        let value = match value.as_rule() {
            R::string => HeaderValue::Text(text(value).node),
            R::date => HeaderValue::Date(date(&value)?),
            R::bare_version => HeaderValue::Bare(value.as_str().to_owned()),
            _ => HeaderValue::Name(value.as_str().to_owned()),
        };
        entries.push(HeaderEntry {
            name,
            value: Spanned::new(value, value_span),
            span: entry_span,
        });
    }
    Ok(Header {
        name,
        entries,
        span,
    })
}

/// The next child, which the grammar guarantees is there.
fn next<'i>(pairs: &mut impl Iterator<Item = Pair<'i, R>>) -> Pair<'i, R> {
    match pairs.next() {
        Some(pair) => pair,
        None => unreachable_rule(R::EOI),
    }
}

fn fields_block(pair: Pair<'_, R>) -> Lowered<FieldsBlock> {
    let span = span_of(&pair);
    let mut fields = Vec::new();
    for decl in pair.into_inner().skip(1) {
        let decl_span = span_of(&decl);
        let mut parts = decl.into_inner();
        let name = ident(next(&mut parts));
        let ty_pair = next(&mut parts).into_inner().next();
        let ty_pair = match ty_pair {
            Some(pair) => pair,
            None => unreachable_rule(R::field_type),
        };
        let ty_span = span_of(&ty_pair);
        let ty = match ty_pair.as_rule() {
            R::one_of => FieldType::OneOf(
                ty_pair
                    .into_inner()
                    .filter(|p| p.as_rule() == R::string)
                    .map(text)
                    .collect(),
            ),
            _ => FieldType::Named(ty_pair.as_str().to_owned()),
        };
        let mut optional = false;
        let mut label = None;
        for part in parts {
            match part.as_rule() {
                R::optional_mark => optional = true,
                _ => label = Some(text(part)),
            }
        }
        fields.push(FieldDecl {
            name,
            ty: Spanned::new(ty, ty_span),
            optional,
            label,
            span: decl_span,
        });
    }
    Ok(FieldsBlock { fields, span })
}

fn let_decl(pair: Pair<'_, R>) -> Lowered<LetDecl> {
    let span = span_of(&pair);
    let mut inner = pair.into_inner().skip(1);
    let name = ident(next(&mut inner));
    let value = expr(next(&mut inner))?;
    Ok(LetDecl { name, value, span })
}

fn section(pair: Pair<'_, R>) -> Lowered<Section> {
    let span = span_of(&pair);
    let mut inner = pair.into_inner().skip(1);
    let id = ident(next(&mut inner));
    let mut title = None;
    let mut weight = None;
    let mut members = Vec::new();
    for part in inner {
        match part.as_rule() {
            R::string => title = Some(text(part)),
            R::weight => weight = Some(number(next(&mut part.into_inner().skip(1)))?),
            R::section => members.push(SectionMember::Section(section(part)?)),
            _ => members.push(SectionMember::Rule(rule(part)?)),
        }
    }
    Ok(Section {
        id,
        title,
        weight,
        members,
        span,
    })
}

/// The parts shared by `rule` and `amend rule`: id, title, flags, and the body pair.
type RuleHead<'i> = (Ident, Option<Text>, Vec<Spanned<RuleFlag>>, Pair<'i, R>);

fn rule_head<'i>(parts: impl Iterator<Item = Pair<'i, R>>) -> RuleHead<'i> {
    let mut parts = parts.filter(|p| !matches!(p.as_rule(), R::kw_rule | R::kw_amend));
    let id = ident(next(&mut parts));
    let mut title = None;
    let mut flags = Vec::new();
    for part in parts {
        match part.as_rule() {
            R::string => title = Some(text(part)),
            R::rule_flag => {
                let flag = match part.as_str() {
                    "critical" => RuleFlag::Critical,
                    "veto" => RuleFlag::Veto,
                    _ => RuleFlag::Bonus,
                };
                flags.push(Spanned::new(flag, span_of(&part)));
            }
            _ => return (id, title, flags, part),
        }
    }
    unreachable_rule(R::rule_body)
}

fn rule(pair: Pair<'_, R>) -> Lowered<Rule> {
    let span = span_of(&pair);
    let (id, title, flags, body) = rule_head(pair.into_inner());
    let body = match body.as_rule() {
        R::rule_short => RuleBody::Short(expr(next(&mut body.into_inner()))?),
        _ => RuleBody::Block(clauses(body)?),
    };
    Ok(Rule {
        id,
        title,
        flags,
        body,
        span,
    })
}

fn amend_rule(pair: Pair<'_, R>) -> Lowered<AmendRule> {
    let span = span_of(&pair);
    let (id, title, flags, body) = rule_head(pair.into_inner());
    Ok(AmendRule {
        id,
        title,
        flags,
        clauses: clauses(body)?,
        span,
    })
}

fn clauses(body: Pair<'_, R>) -> Lowered<Vec<Clause>> {
    let mut clauses = Vec::new();
    for pair in body.into_inner() {
        clause(pair, &mut clauses)?;
    }
    Ok(clauses)
}

/// Lowers one clause; `points N, deduct ...` becomes two clauses.
fn clause(pair: Pair<'_, R>, out: &mut Vec<Clause>) -> Lowered<()> {
    let clause_rule = pair.as_rule();
    let clause_span: Span = span_of(&pair);
    let mut parts = pair.into_inner().skip(1);
    let kind = match clause_rule {
        R::when_clause => ClauseKind::When(expr(next(&mut parts))?),
        R::require_clause => ClauseKind::Require(expr(next(&mut parts))?),
        R::points_clause => {
            let points = number(next(&mut parts))?;
            let points_end = points.span.end;
            out.push(Clause {
                kind: ClauseKind::Points(points),
                span: Span::new(clause_span.start, points_end),
            });
            if let Some(deduct) = parts.next() {
                clause(deduct, out)?;
            }
            return Ok(());
        }
        R::deduct_clause => {
            let amount = number(next(&mut parts))?;
            let per = expr(next(&mut parts.skip(1)))?;
            ClauseKind::Deduct { amount, per }
        }
        R::remedy_clause => ClauseKind::Remedy(text(next(&mut parts))),
        R::ref_clause => ClauseKind::Ref(text(next(&mut parts))),
        R::note_clause => ClauseKind::Note(text(next(&mut parts))),
        R::owner_clause => ClauseKind::Owner(text(next(&mut parts))),
        other => unreachable_rule(other),
    };
    out.push(Clause {
        kind,
        span: clause_span,
    });
    Ok(())
}

fn remove(pair: Pair<'_, R>) -> Remove {
    let span = span_of(&pair);
    let mut inner = pair.into_inner().skip(1);
    let target = match next(&mut inner).as_rule() {
        R::kw_rule => RemoveTarget::Rule,
        _ => RemoveTarget::Section,
    };
    Remove {
        target,
        id: ident(next(&mut inner)),
        span,
    }
}

fn grades(pair: Pair<'_, R>) -> Lowered<Grades> {
    let span = span_of(&pair);
    let mut bands = Vec::new();
    for band in pair.into_inner().skip(1) {
        let band_span = span_of(&band);
        let mut parts = band.into_inner();
        let name = text(next(&mut parts));
        let condition = match next(&mut parts).as_rule() {
            R::kw_when => Some(expr(next(&mut parts))?),
            _ => None,
        };
        bands.push(Band {
            name,
            condition,
            span: band_span,
        });
    }
    Ok(Grades { bands, span })
}

fn script(pair: Pair<'_, R>) -> Script {
    let span = span_of(&pair);
    let body = next(&mut next(&mut pair.into_inner().skip(1)).into_inner());
    Script {
        code: Spanned::new(
            body.as_str().to_owned(),
            Span::new(body.as_span().start(), body.as_span().end()),
        ),
        span,
    }
}

fn example(pair: Pair<'_, R>) -> Lowered<Example> {
    let span = span_of(&pair);
    let mut inner = pair.into_inner().skip(1);
    let name = text(next(&mut inner));
    let mut items = Vec::new();
    for part in inner {
        let part_span = span_of(&part);
        if part.as_rule() == R::given {
            let mut assignments = Vec::new();
            for assignment in part.into_inner().skip(1) {
                let mut sides = assignment.into_inner();
                let field = ident(next(&mut sides));
                let value = literal(next(&mut sides))?;
                assignments.push(Assignment { field, value });
            }
            items.push(ExampleItem::Given(Given {
                assignments,
                span: part_span,
            }));
        } else {
            let what = next(&mut part.into_inner().skip(1));
            let kind = match what.as_rule() {
                R::expect_outcome => {
                    let mut parts = what.into_inner();
                    let outcome_pair = next(&mut parts);
                    let outcome = match outcome_pair.as_str() {
                        "pass" => Outcome::Pass,
                        "fail" => Outcome::Fail,
                        "n/a" => Outcome::NotApplicable,
                        _ => Outcome::Missing,
                    };
                    ExpectKind::Outcome(
                        Spanned::new(outcome, span_of(&outcome_pair)),
                        ident(next(&mut parts)),
                    )
                }
                R::expect_score => ExpectKind::Score(number(next(&mut what.into_inner().skip(1)))?),
                _ => ExpectKind::Grade(text(next(&mut what.into_inner().skip(1)))),
            };
            items.push(ExampleItem::Expect(Expect {
                kind,
                span: part_span,
            }));
        }
    }
    Ok(Example { name, items, span })
}

fn literal(pair: Pair<'_, R>) -> Lowered<Spanned<Literal>> {
    let span = span_of(&pair);
    let mut negative = false;
    let mut value = None;
    for part in pair.into_inner() {
        value = Some(match part.as_rule() {
            R::neg_op => {
                negative = true;
                continue;
            }
            R::date => Literal::Date(date(&part)?),
            R::percent => Literal::Percent(decimal(&part, part.as_str().trim_end_matches('%'))?),
            R::number => Literal::Number(decimal(&part, part.as_str())?),
            R::string => Literal::Text(text(part).node),
            R::kw_true => Literal::Bool(true),
            _ => Literal::Bool(false),
        });
    }
    let value = match value {
        Some(Literal::Number(n)) if negative => Literal::Number(-n),
        Some(Literal::Percent(n)) if negative => Literal::Percent(-n),
        Some(value) => value,
        None => unreachable_rule(R::literal),
    };
    Ok(Spanned::new(value, span))
}

// ---------------------------------------------------------------- expressions

/// An expression and the depth of its tree.
struct Tree {
    expr: Expr,
    depth: usize,
}

fn expr(pair: Pair<'_, R>) -> Lowered<Expr> {
    Ok(tree(pair, 0)?.expr)
}

/// Lowers any expression-level pair. `nesting` counts the parentheses around
/// it and is checked before recursing.
fn tree(pair: Pair<'_, R>, nesting: usize) -> Lowered<Tree> {
    let pair_span = span_of(&pair);
    if nesting > MAX_EXPR_DEPTH {
        return Err(too_deep(pair_span));
    }
    match pair.as_rule() {
        R::expr | R::primary => tree(next(&mut pair.into_inner()), nesting),
        R::or_expr | R::and_expr | R::add_expr | R::mul_expr => chain(pair, nesting),
        R::not_expr | R::unary => prefixed(pair, nesting),
        R::cmp_expr => comparison(pair, nesting),
        R::no_expr => {
            let operand = tree(next(&mut pair.into_inner().skip(1)), nesting)?;
            Ok(wrap(
                ExprKind::No(Box::new(operand.expr)),
                pair_span,
                operand.depth,
            ))
        }
        R::paren => {
            let inner = tree(next(&mut pair.into_inner()), nesting + 1)?;
            Ok(wrap(
                ExprKind::Paren(Box::new(inner.expr)),
                pair_span,
                inner.depth,
            ))
        }
        R::name_or_call => {
            let mut parts = pair.into_inner();
            let name = ident(next(&mut parts));
            let Some(call_args) = parts.next() else {
                return Ok(leaf(ExprKind::Name(name.node), pair_span));
            };
            let mut args = Vec::new();
            let mut depth = 0;
            for arg in call_args.into_inner() {
                let arg = tree(arg, nesting + 1)?;
                depth = depth.max(arg.depth);
                args.push(arg.expr);
            }
            check_depth(wrap(ExprKind::Call { name, args }, pair_span, depth))
        }
        R::no_critical_failed => Ok(leaf(ExprKind::NoCriticalFailed, pair_span)),
        R::any_veto_failed => Ok(leaf(ExprKind::AnyVetoFailed, pair_span)),
        R::rank_within => {
            let field = ident(next(&mut pair.into_inner().skip(2)));
            Ok(leaf(ExprKind::RankWithin(field), pair_span))
        }
        R::date => Ok(leaf(
            ExprKind::Literal(Literal::Date(date(&pair)?)),
            pair_span,
        )),
        R::percent => {
            let digits = pair.as_str().trim_end_matches('%');
            let value = decimal(&pair, digits)?;
            Ok(leaf(ExprKind::Literal(Literal::Percent(value)), pair_span))
        }
        R::number => {
            let value = decimal(&pair, pair.as_str())?;
            Ok(leaf(ExprKind::Literal(Literal::Number(value)), pair_span))
        }
        R::string => Ok(leaf(
            ExprKind::Literal(Literal::Text(text(pair).node)),
            pair_span,
        )),
        R::kw_true => Ok(leaf(ExprKind::Literal(Literal::Bool(true)), pair_span)),
        R::kw_false => Ok(leaf(ExprKind::Literal(Literal::Bool(false)), pair_span)),
        other => unreachable_rule(other),
    }
}

fn leaf(kind: ExprKind, span: Span) -> Tree {
    Tree {
        expr: Expr { kind, span },
        depth: 1,
    }
}

fn wrap(kind: ExprKind, span: Span, child_depth: usize) -> Tree {
    Tree {
        expr: Expr { kind, span },
        depth: child_depth + 1,
    }
}

fn check_depth(tree: Tree) -> Lowered<Tree> {
    if tree.depth > MAX_EXPR_DEPTH {
        Err(too_deep(tree.expr.span))
    } else {
        Ok(tree)
    }
}

fn too_deep(span: Span) -> SyntaxError {
    SyntaxError::TooDeep {
        limit: MAX_EXPR_DEPTH,
        span: span.into(),
    }
}

/// A left-associative chain `a op b op c`, folded without recursion.
fn chain(pair: Pair<'_, R>, nesting: usize) -> Lowered<Tree> {
    let mut parts = pair.into_inner();
    let mut acc = tree(next(&mut parts), nesting)?;
    while let Some(op_pair) = parts.next() {
        let op = binary_op(&op_pair);
        let right = tree(next(&mut parts), nesting)?;
        let span = acc.expr.span.to(right.expr.span);
        let depth = acc.depth.max(right.depth);
        acc = check_depth(wrap(
            ExprKind::Binary {
                op: Spanned::new(op, span_of(&op_pair)),
                left: Box::new(acc.expr),
                right: Box::new(right.expr),
            },
            span,
            depth,
        ))?;
    }
    Ok(acc)
}

fn binary_op(pair: &Pair<'_, R>) -> BinaryOp {
    match pair.as_str() {
        "or" => BinaryOp::Or,
        "and" => BinaryOp::And,
        "==" => BinaryOp::Eq,
        "!=" | "≠" => BinaryOp::Ne,
        "<" => BinaryOp::Lt,
        "<=" | "≤" => BinaryOp::Le,
        ">" => BinaryOp::Gt,
        ">=" | "≥" => BinaryOp::Ge,
        "+" => BinaryOp::Add,
        "-" => BinaryOp::Sub,
        "*" => BinaryOp::Mul,
        _ => BinaryOp::Div,
    }
}

/// `not not x` or `- - x`: prefix operators applied innermost first.
fn prefixed(pair: Pair<'_, R>, nesting: usize) -> Lowered<Tree> {
    let mut operators: Vec<Spanned<UnaryOp>> = Vec::new();
    let mut operand = None;
    for part in pair.into_inner() {
        match part.as_rule() {
            R::kw_not => operators.push(Spanned::new(UnaryOp::Not, span_of(&part))),
            R::neg_op => operators.push(Spanned::new(UnaryOp::Neg, span_of(&part))),
            _ => operand = Some(tree(part, nesting)?),
        }
    }
    let Some(mut acc) = operand else {
        unreachable_rule(R::unary)
    };
    for op in operators.into_iter().rev() {
        let span = op.span.to(acc.expr.span);
        let depth = acc.depth;
        acc = check_depth(wrap(
            ExprKind::Unary {
                op,
                operand: Box::new(acc.expr),
            },
            span,
            depth,
        ))?;
    }
    Ok(acc)
}

/// `a >= b`, `a [not] in (...)`, `a between x and y`, or just `a`.
fn comparison(pair: Pair<'_, R>, nesting: usize) -> Lowered<Tree> {
    let pair_span = span_of(&pair);
    let mut parts = pair.into_inner();
    let first = tree(next(&mut parts), nesting)?;
    let Some(tail) = parts.next() else {
        return Ok(first);
    };
    let mut tail_parts = tail.clone().into_inner();
    match tail.as_rule() {
        R::cmp_tail => {
            let op_pair = next(&mut tail_parts);
            let right = tree(next(&mut tail_parts), nesting)?;
            let depth = first.depth.max(right.depth);
            check_depth(wrap(
                ExprKind::Binary {
                    op: Spanned::new(binary_op(&op_pair), span_of(&op_pair)),
                    left: Box::new(first.expr),
                    right: Box::new(right.expr),
                },
                pair_span,
                depth,
            ))
        }
        R::in_tail => {
            let mut negated = false;
            let mut list = Vec::new();
            let mut depth = first.depth;
            for part in tail_parts {
                match part.as_rule() {
                    R::kw_not => negated = true,
                    R::kw_in => {}
                    _ => {
                        let item = tree(part, nesting + 1)?;
                        depth = depth.max(item.depth);
                        list.push(item.expr);
                    }
                }
            }
            check_depth(wrap(
                ExprKind::In {
                    negated,
                    value: Box::new(first.expr),
                    list,
                },
                pair_span,
                depth,
            ))
        }
        _ => {
            let low = tree(next(&mut tail_parts.clone().skip(1)), nesting)?;
            let high = tree(next(&mut tail_parts.skip(3)), nesting)?;
            let depth = first.depth.max(low.depth).max(high.depth);
            check_depth(wrap(
                ExprKind::Between {
                    value: Box::new(first.expr),
                    low: Box::new(low.expr),
                    high: Box::new(high.expr),
                },
                pair_span,
                depth,
            ))
        }
    }
}
