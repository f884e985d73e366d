//! Step two of parsing: pest's parse tree to the typed AST, at once.
//!
//! Expressions arrive flat and get their shape in `precedence`, without
//! recursion over operator chains; parentheses recurse here, at most
//! [`MAX_EXPR_DEPTH`] deep, and `precedence` refuses deeper trees, so that no
//! later pass (checker, evaluator, formatter, drop) can overflow the stack.
//!
//! Over 600 lines on purpose: one method for each grammar rule, in the
//! grammar's order, so that it reads beside `grammar/standard.pest`; operator
//! precedence is its own module already.

mod rollup;

use jiff::civil::Date;
use pest::iterators::Pair;
use rust_decimal::Decimal;

use super::ast::*;
use super::errors::SyntaxError;
use super::grammar::Rule as R;
use super::precedence::{self, MAX_EXPR_DEPTH, Prefix, Token, Tree};
use super::span::{Span, Spanned};

/// A lowered node, or the (boxed, as it is large and rare) error that stopped it.
type Lowered<T> = Result<T, Box<SyntaxError>>;
/// The parts shared by `rule` and `amend rule`: id, title, flags, and the body pair.
type RuleHead<'i> = (Ident, Option<Text>, Vec<Spanned<RuleFlag>>, Pair<'i, R>);

/// Lowers the `file` pair; returns the file and the items that could not be lowered.
pub fn lower_file(file: Pair<'_, R>, offset: usize) -> (File, Vec<SyntaxError>) {
    let (items, errors) = Lowerer { offset }.items(file);
    (File { items }, errors)
}

/// Lowers a `section_head` (a section without its members and closing brace)
/// that starts at `offset` in the file.
pub fn lower_section_head(head: Pair<'_, R>, offset: usize) -> Lowered<Section> {
    Lowerer { offset }.section(head)
}

/// Lowers a `section_members` run that starts at `offset` in the file.
pub fn lower_members(
    members: Pair<'_, R>,
    offset: usize,
) -> (Vec<SectionMember>, Vec<SyntaxError>) {
    let (items, errors) = Lowerer { offset }.items(members);
    let members = items
        .into_iter()
        .filter_map(|item| match item {
            Item::Section(section) => Some(SectionMember::Section(section)),
            Item::Rule(rule) => Some(SectionMember::Rule(rule)),
            _ => None,
        })
        .collect();
    (members, errors)
}

/// Lowers the pairs of one piece of a standard's text; `offset` is where
/// the piece starts in the whole file, so that spans point into the file.
pub struct Lowerer {
    offset: usize,
}

impl Lowerer {
    /// Lowers the items (or section members) of a `file` or
    /// `section_members` pair; returns them and the ones that failed.
    fn items(&self, pair: Pair<'_, R>) -> (Vec<Item>, Vec<SyntaxError>) {
        let mut items = Vec::new();
        let mut errors = Vec::new();
        for pair in pair.into_inner() {
            // `file` and `section_members` hold items and end with EOI.
            if pair.as_rule() == R::EOI {
                continue;
            }
            match self.item(pair) {
                Ok(item) => items.push(item),
                Err(error) => errors.push(*error),
            }
        }
        (items, errors)
    }

    /// The span of a pair without the whitespace and comments pest lets a rule
    /// swallow at its end (it skips trivia before an optional part even when the
    /// part is absent).
    fn span_of(&self, pair: &Pair<'_, R>) -> Span {
        Span::new(
            self.offset + pair.as_span().start(),
            self.offset + content_end(pair),
        )
    }

    fn item(&self, pair: Pair<'_, R>) -> Lowered<Item> {
        Ok(match pair.as_rule() {
            R::standard_block => Item::Header(self.header(pair)?),
            R::fields_block => Item::Fields(self.fields_block(pair)?),
            R::let_decl => Item::Let(self.let_decl(pair)?),
            R::section => Item::Section(self.section(pair)?),
            R::rule => Item::Rule(self.rule(pair)?),
            R::grades_block => Item::Grades(self.grades(pair)?),
            R::script_block => Item::Script(self.script(pair)),
            R::example => Item::Example(self.example(pair)?),
            R::amend_rule => Item::AmendRule(self.amend_rule(pair)?),
            R::remove_item => Item::Remove(self.remove(pair)),
            R::rollup_block => Item::Rollup(self.rollup(pair)?),
            other => unreachable_rule(other),
        })
    }

    fn ident(&self, pair: Pair<'_, R>) -> Ident {
        Spanned::new(pair.as_str().to_owned(), self.span_of(&pair))
    }

    fn text(&self, pair: Pair<'_, R>) -> Text {
        let span = self.span_of(&pair);
        let inner = pair.into_inner().as_str();
        Spanned::new(unescape(inner), span)
    }

    fn decimal(&self, pair: &Pair<'_, R>, digits: &str) -> Lowered<Decimal> {
        Decimal::from_str_exact(digits).map_err(|_| {
            Box::new(SyntaxError::NumberTooLarge {
                text: pair.as_str().to_owned(),
                span: self.span_of(pair).into(),
            })
        })
    }

    fn number(&self, pair: Pair<'_, R>) -> Lowered<Spanned<Decimal>> {
        Ok(Spanned::new(
            self.decimal(&pair, pair.as_str())?,
            self.span_of(&pair),
        ))
    }

    fn date(&self, pair: &Pair<'_, R>) -> Lowered<Date> {
        let text = pair.as_str();
        let invalid = |reason: String| {
            Box::new(SyntaxError::InvalidDate {
                text: text.to_owned(),
                reason,
                span: self.span_of(pair).into(),
            })
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
        let first = Date::new(year, month, 1)
            .map_err(|_| invalid("the year is out of range".to_owned()))?;
        Date::new(year, month, day).map_err(|_| {
            invalid(format!(
                "{year}-{month:02} has {} days",
                first.days_in_month()
            ))
        })
    }

    fn header(&self, pair: Pair<'_, R>) -> Lowered<Header> {
        let span = self.span_of(&pair);
        let mut inner = pair.into_inner().skip(1);
        let name = self.ident(next(&mut inner));
        let mut entries = Vec::new();
        for entry in inner {
            let entry_span = self.span_of(&entry);
            let mut parts = entry.into_inner();
            let name = self.ident(next(&mut parts));
            let value = next(&mut parts);
            let value_span = self.span_of(&value);
            let value = match value.as_rule() {
                R::string => HeaderValue::Text(self.text(value).node),
                R::date => HeaderValue::Date(self.date(&value)?),
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

    fn fields_block(&self, pair: Pair<'_, R>) -> Lowered<FieldsBlock> {
        let span = self.span_of(&pair);
        let mut fields = Vec::new();
        for decl in pair.into_inner().skip(1) {
            let decl_span = self.span_of(&decl);
            let mut parts = decl.into_inner();
            let name = self.ident(next(&mut parts));
            let ty_pair = next(&mut parts).into_inner().next();
            let ty_pair = match ty_pair {
                Some(pair) => pair,
                None => unreachable_rule(R::field_type),
            };
            let ty_span = self.span_of(&ty_pair);
            let ty = match ty_pair.as_rule() {
                R::one_of => FieldType::OneOf(
                    ty_pair
                        .into_inner()
                        .filter(|p| p.as_rule() == R::string)
                        .map(|choice| self.text(choice))
                        .collect(),
                ),
                _ => FieldType::Named(ty_pair.as_str().to_owned()),
            };
            let mut optional = false;
            let mut info = false;
            let mut label = None;
            for part in parts {
                match part.as_rule() {
                    R::optional_mark => optional = true,
                    R::info_mark => info = true,
                    _ => label = Some(self.text(part)),
                }
            }
            fields.push(FieldDecl {
                name,
                ty: Spanned::new(ty, ty_span),
                optional,
                info,
                label,
                span: decl_span,
            });
        }
        Ok(FieldsBlock { fields, span })
    }

    fn let_decl(&self, pair: Pair<'_, R>) -> Lowered<LetDecl> {
        let span = self.span_of(&pair);
        let mut inner = pair.into_inner().skip(1);
        let name = self.ident(next(&mut inner));
        let value = self.expr(next(&mut inner))?;
        Ok(LetDecl { name, value, span })
    }

    fn section(&self, pair: Pair<'_, R>) -> Lowered<Section> {
        let span = self.span_of(&pair);
        let mut inner = pair.into_inner().skip(1);
        let id = self.ident(next(&mut inner));
        let mut title = None;
        let mut weight = None;
        let mut members = Vec::new();
        for part in inner {
            match part.as_rule() {
                R::string => title = Some(self.text(part)),
                R::weight => weight = Some(self.number(next(&mut part.into_inner().skip(1)))?),
                R::section => members.push(SectionMember::Section(self.section(part)?)),
                R::rule => members.push(SectionMember::Rule(self.rule(part)?)),
                // The end of a `section_head` parsed on its own.
                _ => {}
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

    fn rule_head<'i>(&self, parts: impl Iterator<Item = Pair<'i, R>>) -> RuleHead<'i> {
        let mut parts = parts.filter(|p| !matches!(p.as_rule(), R::kw_rule | R::kw_amend));
        let id = self.ident(next(&mut parts));
        let mut title = None;
        let mut flags = Vec::new();
        for part in parts {
            match part.as_rule() {
                R::string => title = Some(self.text(part)),
                R::rule_flag => {
                    let flag = match part.as_str() {
                        "critical" => RuleFlag::Critical,
                        "veto" => RuleFlag::Veto,
                        _ => RuleFlag::Bonus,
                    };
                    flags.push(Spanned::new(flag, self.span_of(&part)));
                }
                _ => return (id, title, flags, part),
            }
        }
        unreachable_rule(R::rule_body)
    }

    fn rule(&self, pair: Pair<'_, R>) -> Lowered<Rule> {
        let span = self.span_of(&pair);
        let (id, title, flags, body) = self.rule_head(pair.into_inner());
        let body = match body.as_rule() {
            R::rule_short => RuleBody::Short(self.expr(next(&mut body.into_inner()))?),
            _ => RuleBody::Block(self.clauses(body)?),
        };
        Ok(Rule {
            id,
            title,
            flags,
            body,
            span,
        })
    }

    fn amend_rule(&self, pair: Pair<'_, R>) -> Lowered<AmendRule> {
        let span = self.span_of(&pair);
        let (id, title, flags, body) = self.rule_head(pair.into_inner());
        Ok(AmendRule {
            id,
            title,
            flags,
            clauses: self.clauses(body)?,
            span,
        })
    }

    fn clauses(&self, body: Pair<'_, R>) -> Lowered<Vec<Clause>> {
        let mut clauses = Vec::new();
        for pair in body.into_inner() {
            self.clause(pair, &mut clauses)?;
        }
        Ok(clauses)
    }

    /// Lowers one clause; `points N, deduct ...` becomes two clauses.
    fn clause(&self, pair: Pair<'_, R>, out: &mut Vec<Clause>) -> Lowered<()> {
        let clause_rule = pair.as_rule();
        let clause_span: Span = self.span_of(&pair);
        let mut parts = pair.into_inner().skip(1);
        let kind = match clause_rule {
            R::when_clause => ClauseKind::When(self.expr(next(&mut parts))?),
            R::require_clause => ClauseKind::Require(self.expr(next(&mut parts))?),
            R::points_clause => {
                let amount = next(&mut parts);
                let (kind, points_end) = if amount.as_rule() == R::variable_points {
                    let mut inner = amount.into_inner();
                    let credit = self.expr(next(&mut inner))?;
                    let up_to = self.up_to(next(&mut inner))?;
                    let end = up_to.span.end;
                    (ClauseKind::VariablePoints { credit, up_to }, end)
                } else {
                    let points = self.number(amount)?;
                    let end = points.span.end;
                    (ClauseKind::Points(points), end)
                };
                out.push(Clause {
                    kind,
                    span: Span::new(clause_span.start, points_end),
                });
                if let Some(deduct) = parts.next() {
                    self.clause(deduct, out)?;
                }
                return Ok(());
            }
            R::deduct_clause => {
                let amount = self.number(next(&mut parts))?;
                let mut rest = parts.skip(1);
                let per = self.expr(next(&mut rest))?;
                let up_to = rest.next().map(|cap| self.up_to(cap)).transpose()?;
                ClauseKind::Deduct { amount, per, up_to }
            }
            R::remedy_clause => ClauseKind::Remedy(self.text(next(&mut parts))),
            R::ref_clause => ClauseKind::Ref(self.text(next(&mut parts))),
            R::note_clause => ClauseKind::Note(self.text(next(&mut parts))),
            R::owner_clause => ClauseKind::Owner(self.text(next(&mut parts))),
            other => unreachable_rule(other),
        };
        out.push(Clause {
            kind,
            span: clause_span,
        });
        Ok(())
    }

    /// The number of an `up to N`.
    fn up_to(&self, pair: Pair<'_, R>) -> Lowered<Spanned<Decimal>> {
        self.number(next(&mut pair.into_inner().skip(2)))
    }

    fn remove(&self, pair: Pair<'_, R>) -> Remove {
        let span = self.span_of(&pair);
        let mut inner = pair.into_inner().skip(1);
        let target = match next(&mut inner).as_rule() {
            R::kw_rule => RemoveTarget::Rule,
            R::kw_field => RemoveTarget::Field,
            R::kw_rollup => RemoveTarget::Rollup,
            _ => RemoveTarget::Section,
        };
        Remove {
            target,
            id: self.ident(next(&mut inner)),
            span,
        }
    }

    fn grades(&self, pair: Pair<'_, R>) -> Lowered<Grades> {
        let span = self.span_of(&pair);
        let mut bands = Vec::new();
        for band in pair.into_inner().skip(1) {
            let band_span = self.span_of(&band);
            let mut parts = band.into_inner();
            let name = self.text(next(&mut parts));
            let condition = match next(&mut parts).as_rule() {
                R::kw_when => Some(self.expr(next(&mut parts))?),
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

    fn script(&self, pair: Pair<'_, R>) -> Script {
        let span = self.span_of(&pair);
        let body = next(&mut next(&mut pair.into_inner().skip(1)).into_inner());
        Script {
            code: Spanned::new(
                body.as_str().to_owned(),
                // The code is kept whole, trailing spaces included.
                Span::new(
                    self.offset + body.as_span().start(),
                    self.offset + body.as_span().end(),
                ),
            ),
            span,
        }
    }

    fn example(&self, pair: Pair<'_, R>) -> Lowered<Example> {
        let span = self.span_of(&pair);
        let mut inner = pair.into_inner().skip(1).peekable();
        let name = self.text(next(&mut inner));
        let rollup = match inner.peek() {
            Some(p) if p.as_rule() == R::example_rollup => {
                Some(self.ident(next(&mut next(&mut inner).into_inner().skip(1))))
            }
            _ => None,
        };
        let mut items = Vec::new();
        for part in inner {
            let part_span = self.span_of(&part);
            if part.as_rule() == R::given {
                let mut assignments = Vec::new();
                for assignment in part.into_inner().skip(1) {
                    let mut sides = assignment.into_inner();
                    let field = self.ident(next(&mut sides));
                    let value = self.literal(next(&mut sides))?;
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
                            "missing" => Outcome::Missing,
                            _ => Outcome::NotEarned,
                        };
                        ExpectKind::Outcome(
                            Spanned::new(outcome, self.span_of(&outcome_pair)),
                            self.ident(next(&mut parts)),
                        )
                    }
                    R::expect_score => {
                        ExpectKind::Score(self.number(next(&mut what.into_inner().skip(1)))?)
                    }
                    R::expect_section => {
                        let mut parts = what.into_inner().skip(1);
                        let section = self.ident(next(&mut parts));
                        ExpectKind::SectionScore(section, self.number(next(&mut parts))?)
                    }
                    R::expect_points => {
                        let mut parts = what.into_inner().skip(1);
                        let rule = self.ident(next(&mut parts));
                        ExpectKind::Points(rule, self.number(next(&mut parts))?)
                    }
                    _ => ExpectKind::Grade(self.text(next(&mut what.into_inner().skip(1)))),
                };
                items.push(ExampleItem::Expect(Expect {
                    kind,
                    span: part_span,
                }));
            }
        }
        Ok(Example {
            name,
            rollup,
            items,
            span,
        })
    }

    fn literal(&self, pair: Pair<'_, R>) -> Lowered<Spanned<Literal>> {
        let span = self.span_of(&pair);
        let mut negative = false;
        let mut value = None;
        for part in pair.into_inner() {
            value = Some(match part.as_rule() {
                R::neg_op => {
                    negative = true;
                    continue;
                }
                R::date => Literal::Date(self.date(&part)?),
                R::percent => {
                    Literal::Percent(self.decimal(&part, part.as_str().trim_end_matches('%'))?)
                }
                R::number => Literal::Number(self.decimal(&part, part.as_str())?),
                R::string => Literal::Text(self.text(part).node),
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

    fn expr(&self, pair: Pair<'_, R>) -> Lowered<Expr> {
        Ok(self.tree(pair, 0)?.expr)
    }

    /// Lowers an `expr` or a `between` bound: its operands and operators, flat,
    /// then precedence. `nesting` counts the brackets around it and is checked
    /// before going deeper.
    fn tree(&self, pair: Pair<'_, R>, nesting: usize) -> Lowered<Tree> {
        if nesting > MAX_EXPR_DEPTH {
            return Err(precedence::too_deep(self.span_of(&pair)));
        }
        let mut tokens = Vec::new();
        for part in pair.into_inner() {
            match part.as_rule() {
                R::operand | R::term => self.operand(part, nesting, &mut tokens)?,
                _ => tokens.push(Token::Infix(Spanned::new(
                    binary_op(&part),
                    self.span_of(&part),
                ))),
            }
        }
        precedence::build(tokens)
    }

    /// The tokens of one operand: prefix operators, the primary, `in` / `between` tails.
    fn operand(&self, pair: Pair<'_, R>, nesting: usize, tokens: &mut Vec<Token>) -> Lowered<()> {
        for part in pair.into_inner() {
            let span = self.span_of(&part);
            let token = match part.as_rule() {
                R::kw_not => Token::Prefix(Spanned::new(Prefix::Not, span)),
                R::kw_no => Token::Prefix(Spanned::new(Prefix::No, span)),
                R::neg_op => Token::Prefix(Spanned::new(Prefix::Neg, span)),
                R::in_tail => {
                    let mut negated = false;
                    let mut list = Vec::new();
                    for item in part.into_inner() {
                        match item.as_rule() {
                            R::kw_not => negated = true,
                            R::kw_in => {}
                            _ => list.push(self.tree(item, nesting + 1)?),
                        }
                    }
                    Token::In {
                        negated,
                        list,
                        end: span.end,
                    }
                }
                R::between_tail => {
                    let mut bounds = part.into_inner().filter(|p| p.as_rule() == R::bound);
                    let low = self.tree(next(&mut bounds), nesting)?;
                    let high = self.tree(next(&mut bounds), nesting)?;
                    Token::Between {
                        low,
                        high,
                        end: span.end,
                    }
                }
                _ => Token::Operand(self.primary(part, nesting)?),
            };
            tokens.push(token);
        }
        Ok(())
    }

    /// A literal, a name, a call, a parenthesised expression or a grade-only form.
    fn primary(&self, pair: Pair<'_, R>, nesting: usize) -> Lowered<Tree> {
        let span = self.span_of(&pair);
        let constant = |value| Ok(Tree::leaf(ExprKind::Literal(value), span));
        match pair.as_rule() {
            R::date => constant(Literal::Date(self.date(&pair)?)),
            R::percent => constant(Literal::Percent(
                self.decimal(&pair, pair.as_str().trim_end_matches('%'))?,
            )),
            R::number => constant(Literal::Number(self.decimal(&pair, pair.as_str())?)),
            R::string => constant(Literal::Text(self.text(pair).node)),
            R::kw_true => constant(Literal::Bool(true)),
            R::kw_false => constant(Literal::Bool(false)),
            R::no_critical_failed => Ok(Tree::leaf(ExprKind::NoCriticalFailed, span)),
            R::any_veto_failed => Ok(Tree::leaf(ExprKind::AnyVetoFailed, span)),
            R::top_quota => {
                let count = next(&mut pair.into_inner().skip(1));
                let quota = match count.as_rule() {
                    R::percent => {
                        Quota::Percent(self.decimal(&count, count.as_str().trim_end_matches('%'))?)
                    }
                    _ => Quota::Count(self.decimal(&count, count.as_str())?),
                };
                Ok(Tree::leaf(ExprKind::Top(quota), span))
            }
            R::rank_within => {
                let field = self.ident(next(&mut pair.into_inner().skip(2)));
                Ok(Tree::leaf(ExprKind::RankWithin(field), span))
            }
            R::paren => {
                let inner = self.tree(next(&mut pair.into_inner()), nesting + 1)?;
                Tree::node(ExprKind::Paren(Box::new(inner.expr)), span, inner.depth)
            }
            R::name_or_call => {
                let mut parts = pair.into_inner();
                let name = self.ident(next(&mut parts));
                let Some(call_args) = parts.next() else {
                    return Ok(Tree::leaf(ExprKind::Name(name.node), span));
                };
                let mut args = Vec::new();
                let mut depth = 0;
                for arg in call_args.into_inner() {
                    let arg = self.tree(arg, nesting + 1)?;
                    depth = depth.max(arg.depth);
                    args.push(arg.expr);
                }
                Tree::node(ExprKind::Call { name, args }, span, depth)
            }
            other => unreachable_rule(other),
        }
    }
}

/// Where the last token of `pair` ends. A pair without children is a token
/// (atomic, or literal only) and is exact; otherwise what follows its last
/// child holds only literal punctuation and trivia, scanned here.
fn content_end(pair: &Pair<'_, R>) -> usize {
    let span = pair.as_span();
    // Trivia that pest swallowed always ends in whitespace (a comment is
    // followed by its newline) unless the file ends there.
    let ends_in_code = span
        .as_str()
        .chars()
        .next_back()
        .is_some_and(|c| !c.is_whitespace() && c != '\u{FEFF}');
    if ends_in_code && span.end() < span.get_input().len() {
        return span.end();
    }
    let Some(last_child) = pair.clone().into_inner().next_back() else {
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

/// The grammar guarantees which rules appear where; reaching this is a bug in
/// this file, never a consequence of user input.
#[expect(
    clippy::panic,
    reason = "the grammar rules out this case; a panic here is a bug in the lowering"
)]
fn unreachable_rule(grammar_rule: R) -> ! {
    panic!("grammar rule {grammar_rule:?} in an unexpected place")
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

/// The next child, which the grammar guarantees is there.
fn next<'i>(pairs: &mut impl Iterator<Item = Pair<'i, R>>) -> Pair<'i, R> {
    match pairs.next() {
        Some(pair) => pair,
        None => unreachable_rule(R::EOI),
    }
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
        "/" => BinaryOp::Div,
        _ => unreachable_rule(pair.as_rule()),
    }
}
