//! Generated standards survive printing: for any AST the generator makes,
//! `parse(print(ast)) == ast`, and printing is idempotent.
//!
//! The generator builds trees the parser could have built: parentheses are
//! inserted (as `Paren` nodes) wherever precedence needs them, numbers in
//! expressions are non-negative (a minus is a `Neg` node), and names avoid
//! keywords.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use jiff::civil::Date;
use proptest::prelude::*;
use rust_decimal::Decimal;
use yardstick::syntax::ast::*;
use yardstick::syntax::span::{Span, Spanned};
use yardstick::syntax::{parse, print};

const KEYWORDS: &[&str] = &[
    "and",
    "or",
    "not",
    "in",
    "between",
    "no",
    "true",
    "false",
    "otherwise",
    "critical",
    "veto",
    "bonus",
    "failed",
    "any",
    "rank",
    "within",
    "standard",
    "fields",
    "one",
    "of",
    "let",
    "section",
    "weight",
    "rule",
    "when",
    "require",
    "points",
    "deduct",
    "per",
    "remedy",
    "ref",
    "note",
    "owner",
    "grades",
    "script",
    "example",
    "given",
    "expect",
    "score",
    "grade",
    "amend",
    "remove",
    "pass",
    "fail",
    "missing",
    // After a field's type, `info` is the mark unless a type name follows;
    // a field named `info` after a field of an unknown type is read as the
    // mark (and the checker reports the type).
    "info",
];

fn sp<T>(node: T) -> Spanned<T> {
    Spanned::new(node, Span::default())
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z_][a-z0-9_]{0,8}",
        "[綠化率面積科室垃圾制服]{1,4}",
        "[A-H][0-9]{1,2}",
    ]
    .prop_filter("not a keyword", |n| !KEYWORDS.contains(&n.as_str()))
}

fn ident() -> impl Strategy<Value = Ident> {
    name().prop_map(sp)
}

fn text_value() -> impl Strategy<Value = String> {
    "[a-z 達標示範「」\"\\\\#%(){}：，]{0,12}"
}

fn text() -> impl Strategy<Value = Text> {
    text_value().prop_map(sp)
}

fn decimal() -> impl Strategy<Value = Decimal> {
    (0i64..100_000, 0u32..4).prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
}

fn date() -> impl Strategy<Value = Date> {
    (1990i16..2100, 1i8..=12, 1i8..=28)
        .prop_map(|(y, m, d)| Date::new(y, m, d).expect("a valid date"))
}

fn literal() -> impl Strategy<Value = Literal> {
    prop_oneof![
        decimal().prop_map(Literal::Number),
        decimal().prop_map(Literal::Percent),
        text_value().prop_map(Literal::Text),
        any::<bool>().prop_map(Literal::Bool),
        date().prop_map(Literal::Date),
    ]
}

fn expr_node(kind: ExprKind) -> Expr {
    Expr {
        kind,
        span: Span::default(),
    }
}

/// How tightly an expression binds, as the grammar's levels.
fn level(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Binary { op, .. } => match op.node.precedence() {
            1 => 1,
            2 => 2,
            4 => 4,
            p => p,
        },
        ExprKind::Unary { op, .. } if op.node == UnaryOp::Not => 3,
        ExprKind::In { .. } | ExprKind::Between { .. } | ExprKind::No(_) => 4,
        ExprKind::Unary { .. } => 7,
        _ => 8,
    }
}

fn at_least(e: Expr, min: u8) -> Box<Expr> {
    if level(&e) >= min {
        Box::new(e)
    } else {
        Box::new(expr_node(ExprKind::Paren(Box::new(e))))
    }
}

/// Wraps children in parentheses where the grammar needs them.
fn binary(op: BinaryOp, left: Expr, right: Expr) -> Expr {
    let (left_min, right_min) = match op.precedence() {
        1 => (1, 2),
        2 => (2, 3),
        4 => (5, 5),
        5 => (5, 6),
        _ => (6, 7),
    };
    expr_node(ExprKind::Binary {
        op: sp(op),
        left: at_least(left, left_min),
        right: at_least(right, right_min),
    })
}

fn binary_op() -> impl Strategy<Value = BinaryOp> {
    prop_oneof![
        Just(BinaryOp::Or),
        Just(BinaryOp::And),
        Just(BinaryOp::Eq),
        Just(BinaryOp::Ne),
        Just(BinaryOp::Lt),
        Just(BinaryOp::Le),
        Just(BinaryOp::Gt),
        Just(BinaryOp::Ge),
        Just(BinaryOp::Add),
        Just(BinaryOp::Sub),
        Just(BinaryOp::Mul),
        Just(BinaryOp::Div),
    ]
}

fn leaf() -> impl Strategy<Value = Expr> {
    prop_oneof![
        literal()
            .prop_filter(
                "no negative literals in expressions",
                |l| !matches!(l, Literal::Number(n) | Literal::Percent(n) if n.is_sign_negative())
            )
            .prop_map(|l| expr_node(ExprKind::Literal(l))),
        name().prop_map(|n| expr_node(ExprKind::Name(n))),
        Just(expr_node(ExprKind::NoCriticalFailed)),
        Just(expr_node(ExprKind::AnyVetoFailed)),
        ident().prop_map(|f| expr_node(ExprKind::RankWithin(f))),
        decimal().prop_map(|n| expr_node(ExprKind::Top(Quota::Percent(n)))),
        decimal().prop_map(|n| expr_node(ExprKind::Top(Quota::Count(n)))),
    ]
}

fn expr() -> impl Strategy<Value = Expr> {
    leaf().prop_recursive(5, 48, 4, |inner| {
        prop_oneof![
            (binary_op(), inner.clone(), inner.clone()).prop_map(|(op, l, r)| binary(op, l, r)),
            inner.clone().prop_map(|e| expr_node(ExprKind::Unary {
                op: sp(UnaryOp::Not),
                operand: at_least(e, 3),
            })),
            inner.clone().prop_map(|e| expr_node(ExprKind::Unary {
                op: sp(UnaryOp::Neg),
                operand: at_least(e, 7),
            })),
            inner
                .clone()
                .prop_map(|e| expr_node(ExprKind::No(at_least(e, 5)))),
            (
                any::<bool>(),
                inner.clone(),
                prop::collection::vec(inner.clone(), 1..4)
            )
                .prop_map(|(negated, value, list)| expr_node(ExprKind::In {
                    negated,
                    value: at_least(value, 5),
                    list,
                })),
            (inner.clone(), inner.clone(), inner.clone()).prop_map(|(v, l, h)| expr_node(
                ExprKind::Between {
                    value: at_least(v, 5),
                    low: at_least(l, 5),
                    high: at_least(h, 5),
                }
            )),
            (ident(), prop::collection::vec(inner.clone(), 0..3))
                .prop_map(|(name, args)| expr_node(ExprKind::Call { name, args })),
            inner.prop_map(|e| expr_node(ExprKind::Paren(Box::new(e)))),
        ]
    })
}

fn clause() -> impl Strategy<Value = Vec<Clause>> {
    let one = |kind| {
        vec![Clause {
            kind,
            span: Span::default(),
        }]
    };
    prop_oneof![
        expr().prop_map(move |e| one(ClauseKind::When(e))),
        expr().prop_map(move |e| one(ClauseKind::Require(e))),
        decimal().prop_map(move |n| one(ClauseKind::Points(sp(n)))),
        (expr(), decimal()).prop_map(move |(credit, n)| one(ClauseKind::VariablePoints {
            credit,
            up_to: sp(n)
        })),
        (decimal(), expr(), prop::option::of(decimal())).prop_map(move |(n, per, most)| one(
            ClauseKind::Deduct {
                amount: sp(n),
                per,
                up_to: most.map(sp)
            }
        )),
        (
            prop_oneof![
                decimal().prop_map(|p| ClauseKind::Points(sp(p))),
                (expr(), decimal()).prop_map(|(credit, n)| ClauseKind::VariablePoints {
                    credit,
                    up_to: sp(n)
                }),
            ],
            decimal(),
            expr(),
            prop::option::of(decimal())
        )
            .prop_map(move |(points, n, per, most)| {
                let mut both = one(points);
                both.extend(one(ClauseKind::Deduct {
                    amount: sp(n),
                    per,
                    up_to: most.map(sp),
                }));
                both
            }),
        text().prop_map(move |t| one(ClauseKind::Remedy(t))),
        text().prop_map(move |t| one(ClauseKind::Ref(t))),
        text().prop_map(move |t| one(ClauseKind::Note(t))),
        text().prop_map(move |t| one(ClauseKind::Owner(t))),
    ]
}

fn clauses() -> impl Strategy<Value = Vec<Clause>> {
    prop::collection::vec(clause(), 0..5).prop_map(|groups| groups.into_iter().flatten().collect())
}

fn flags() -> impl Strategy<Value = Vec<Spanned<RuleFlag>>> {
    prop::collection::vec(
        prop_oneof![
            Just(RuleFlag::Critical),
            Just(RuleFlag::Veto),
            Just(RuleFlag::Bonus)
        ]
        .prop_map(sp),
        0..3,
    )
}

fn rule() -> impl Strategy<Value = Rule> {
    (
        ident(),
        prop::option::of(text()),
        flags(),
        prop_oneof![
            clauses().prop_map(RuleBody::Block),
            expr().prop_map(RuleBody::Short)
        ],
    )
        .prop_map(|(id, title, flags, body)| Rule {
            id,
            title,
            flags,
            body,
            span: Span::default(),
        })
}

fn section(depth: u32) -> BoxedStrategy<Section> {
    let members = if depth == 0 {
        prop::collection::vec(rule().prop_map(SectionMember::Rule), 0..3).boxed()
    } else {
        prop::collection::vec(
            prop_oneof![
                3 => rule().prop_map(SectionMember::Rule),
                1 => section(depth - 1).prop_map(SectionMember::Section),
            ],
            0..3,
        )
        .boxed()
    };
    (
        ident(),
        prop::option::of(text()),
        prop::option::of(decimal()),
        members,
    )
        .prop_map(|(id, title, weight, members)| Section {
            id,
            title,
            weight: weight.map(sp),
            members,
            span: Span::default(),
        })
        .boxed()
}

fn header() -> impl Strategy<Value = Header> {
    let value = prop_oneof![
        text_value().prop_map(HeaderValue::Text),
        date().prop_map(HeaderValue::Date),
        "[0-9]{1,4}(\\.[0-9]{1,2})?".prop_map(HeaderValue::Bare),
        name().prop_map(HeaderValue::Name),
    ];
    (ident(), prop::collection::vec((ident(), value), 0..5)).prop_map(|(name, entries)| Header {
        name,
        entries: entries
            .into_iter()
            .map(|(name, value)| HeaderEntry {
                name,
                value: sp(value),
                span: Span::default(),
            })
            .collect(),
        span: Span::default(),
    })
}

fn fields() -> impl Strategy<Value = FieldsBlock> {
    let ty = prop_oneof![
        name().prop_map(FieldType::Named),
        prop::collection::vec(text(), 1..4).prop_map(FieldType::OneOf),
    ];
    let marks = (any::<bool>(), any::<bool>());
    prop::collection::vec((ident(), ty, marks, prop::option::of(text())), 0..5).prop_map(|fields| {
        FieldsBlock {
            fields: fields
                .into_iter()
                .map(|(name, ty, (optional, info), label)| FieldDecl {
                    name,
                    ty: sp(ty),
                    optional,
                    info,
                    label,
                    span: Span::default(),
                })
                .collect(),
            span: Span::default(),
        }
    })
}

fn example() -> impl Strategy<Value = Example> {
    let given = prop::collection::vec((ident(), literal()), 0..12).prop_map(|assignments| {
        ExampleItem::Given(Given {
            assignments: assignments
                .into_iter()
                .map(|(field, value)| Assignment {
                    field,
                    value: sp(value),
                })
                .collect(),
            span: Span::default(),
        })
    });
    let outcome = prop_oneof![
        Just(Outcome::Pass),
        Just(Outcome::Fail),
        Just(Outcome::NotApplicable),
        Just(Outcome::Missing),
        Just(Outcome::NotEarned)
    ];
    let expect = prop_oneof![
        (outcome, ident()).prop_map(|(o, id)| ExpectKind::Outcome(sp(o), id)),
        decimal().prop_map(|n| ExpectKind::Score(sp(n))),
        text().prop_map(ExpectKind::Grade),
        (ident(), decimal()).prop_map(|(id, n)| ExpectKind::SectionScore(id, sp(n))),
        (ident(), decimal()).prop_map(|(id, n)| ExpectKind::Points(id, sp(n))),
    ]
    .prop_map(|kind| {
        ExampleItem::Expect(Expect {
            kind,
            span: Span::default(),
        })
    });
    (
        text(),
        prop::option::of(ident()),
        prop::collection::vec(prop_oneof![given, expect], 0..4),
    )
        .prop_map(|(name, rollup, items)| Example {
            name,
            rollup,
            items,
            span: Span::default(),
        })
}

/// A `grades` block of fewer than `most` bands.
fn grades(most: usize) -> impl Strategy<Value = Grades> {
    prop::collection::vec((text(), prop::option::of(expr())), 0..most).prop_map(|bands| Grades {
        bands: bands
            .into_iter()
            .map(|(name, condition)| Band {
                name,
                condition,
                span: Span::default(),
            })
            .collect(),
        span: Span::default(),
    })
}

fn rollup() -> impl Strategy<Value = Rollup> {
    let term = (
        prop::option::of(decimal()),
        prop_oneof![
            text().prop_map(TermOf::Method),
            ident().prop_map(TermOf::Level)
        ],
    )
        .prop_map(|(weight, of)| Term {
            weight: weight.map(sp),
            of,
            span: Span::default(),
        });
    let line = prop_oneof![
        (date(), date()).prop_map(|(from, to)| RollupLine::Period {
            from: sp(from),
            to: sp(to),
            span: Span::default(),
        }),
        ident().prop_map(|field| RollupLine::Method(field, Span::default())),
        (
            ident(),
            prop::option::of(ident()),
            prop::collection::vec(term, 1..4)
        )
            .prop_map(|(name, by, terms)| RollupLine::Level(Level {
                name,
                by,
                terms,
                span: Span::default(),
            })),
        (decimal(), ident(), decimal()).prop_map(|(times, level, deduct)| {
            RollupLine::Repeat(Repeat {
                times: sp(times),
                level,
                deduct: sp(deduct),
                span: Span::default(),
            })
        }),
        grades(3).prop_map(RollupLine::Grades),
        (text(), date(), expr()).prop_map(|(name, by, condition)| {
            RollupLine::Target(Target {
                name,
                by: sp(by),
                condition,
                span: Span::default(),
            })
        }),
    ];
    (
        ident(),
        prop::option::of(text()),
        prop::collection::vec(line, 0..6),
    )
        .prop_map(|(name, title, lines)| Rollup {
            name,
            title,
            lines,
            span: Span::default(),
        })
}

fn item() -> impl Strategy<Value = Item> {
    prop_oneof![
        header().prop_map(Item::Header),
        fields().prop_map(Item::Fields),
        (ident(), expr()).prop_map(|(name, value)| Item::Let(LetDecl {
            name,
            value,
            span: Span::default(),
        })),
        section(1).prop_map(Item::Section),
        rule().prop_map(Item::Rule),
        grades(4).prop_map(Item::Grades),
        "[a-z \n(){}#\"=+]{0,30}"
            .prop_filter("a script cannot hold or end in quotes", |c| !c
                .contains("\"\"\"")
                && !c.ends_with('"'))
            .prop_map(|code| Item::Script(Script {
                code: sp(code),
                span: Span::default(),
            })),
        example().prop_map(Item::Example),
        rollup().prop_map(Item::Rollup),
        (ident(), prop::option::of(text()), flags(), clauses()).prop_map(
            |(id, title, flags, clauses)| {
                Item::AmendRule(AmendRule {
                    id,
                    title,
                    flags,
                    clauses,
                    span: Span::default(),
                })
            }
        ),
        (
            prop_oneof![
                Just(RemoveTarget::Rule),
                Just(RemoveTarget::Section),
                Just(RemoveTarget::Field),
                Just(RemoveTarget::Rollup)
            ],
            ident()
        )
            .prop_map(|(target, id)| Item::Remove(Remove {
                target,
                id,
                span: Span::default(),
            })),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn printed_standards_parse_back_to_the_same_tree(items in prop::collection::vec(item(), 0..6)) {
        let file = File { items };
        let printed = print::print(&file, &[], None);
        let parsed = parse(&printed);
        prop_assert!(parsed.errors.is_empty(), "syntax errors in:\n{printed}\n{:?}", parsed.errors);
        prop_assert_eq!(&parsed.file, &file, "printed:\n{}", printed);
        let again = print::print(&parsed.file, &parsed.comments, Some(&printed));
        prop_assert_eq!(again, printed);
    }
}
