//! Operator precedence, applied after parsing.
//!
//! The grammar reads an expression flat: operands with their prefix operators
//! and `in` / `between` tails, separated by infix operators. Here the flat
//! sequence becomes a tree with one iterative pass (operator precedence, as in
//! the shunting-yard algorithm), so no chain of operators, however long, costs
//! recursion. The depth of every node built is measured and a tree deeper than
//! [`MAX_EXPR_DEPTH`] is refused. Comparisons do not chain: `a < b < c` is an
//! error, as is `no a == b`.

use super::ast::{BinaryOp, Expr, ExprKind, UnaryOp};
use super::errors::SyntaxError;
use super::span::{Span, Spanned};

/// The deepest expression tree accepted.
pub const MAX_EXPR_DEPTH: usize = 256;

/// An expression and the depth of its tree.
#[derive(Debug)]
pub struct Tree {
    /// The expression.
    pub expr: Expr,
    /// The number of nodes on its longest path from the root.
    pub depth: usize,
}

impl Tree {
    /// A tree of one node.
    pub fn leaf(kind: ExprKind, span: Span) -> Tree {
        Tree {
            expr: Expr { kind, span },
            depth: 1,
        }
    }

    /// A node over children whose deepest is `child_depth` deep; refused past the limit.
    pub fn node(kind: ExprKind, span: Span, child_depth: usize) -> Result<Tree, Box<SyntaxError>> {
        if child_depth >= MAX_EXPR_DEPTH {
            return Err(too_deep(span));
        }
        Ok(Tree {
            expr: Expr { kind, span },
            depth: child_depth + 1,
        })
    }
}

/// The error for an expression nested past the limit.
pub fn too_deep(span: Span) -> Box<SyntaxError> {
    Box::new(SyntaxError::TooDeep {
        limit: MAX_EXPR_DEPTH,
        span: span.into(),
    })
}

/// A prefix operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prefix {
    /// `not`
    Not,
    /// `no`
    No,
    /// `-`
    Neg,
}

/// One element of a flat expression, in source order.
#[derive(Debug)]
pub enum Token {
    /// A primary (a literal, a name, a call, a parenthesised expression).
    Operand(Tree),
    /// An operator before an operand.
    Prefix(Spanned<Prefix>),
    /// An operator between operands.
    Infix(Spanned<BinaryOp>),
    /// `[not] in (...)` after an operand; `end` is where the tail ends.
    In {
        /// `not in`.
        negated: bool,
        /// The list.
        list: Vec<Tree>,
        /// The end of the tail.
        end: usize,
    },
    /// `between low and high` after an operand.
    Between {
        /// The lower bound.
        low: Tree,
        /// The upper bound.
        high: Tree,
        /// The end of the tail.
        end: usize,
    },
}

/// Binding strength of comparisons, `in`, `between` and `no`.
const COMPARISON: u8 = 4;

/// An operator waiting for its operands.
#[derive(Clone, Copy, Debug)]
enum Pending {
    Prefix(Spanned<Prefix>),
    Infix(Spanned<BinaryOp>),
}

impl Pending {
    fn precedence(self) -> u8 {
        match self {
            Pending::Prefix(op) => match op.node {
                Prefix::Not => 3,
                Prefix::No => COMPARISON,
                Prefix::Neg => 7,
            },
            Pending::Infix(op) => op.node.precedence(),
        }
    }
}

/// Builds the tree of a flat expression.
pub fn build(tokens: Vec<Token>) -> Result<Tree, Box<SyntaxError>> {
    let mut operands: Vec<Tree> = Vec::new();
    let mut operators: Vec<Pending> = Vec::new();
    for token in tokens {
        match token {
            Token::Operand(tree) => operands.push(tree),
            Token::Prefix(op) => operators.push(Pending::Prefix(op)),
            Token::Infix(op) => {
                let precedence = op.node.precedence();
                while operators
                    .last()
                    .is_some_and(|top| top.precedence() >= precedence)
                {
                    reduce(&mut operands, &mut operators)?;
                }
                if op.node.is_comparison() {
                    refuse_chain(&operands, op.span)?;
                }
                operators.push(Pending::Infix(op));
            }
            Token::In { negated, list, end } => {
                let value = tail_operand(&mut operands, &mut operators, end)?;
                let depth = list.iter().map(|t| t.depth).fold(value.depth, usize::max);
                let span = Span::new(value.expr.span.start, end);
                let list = list.into_iter().map(|t| t.expr).collect();
                let kind = ExprKind::In {
                    negated,
                    value: Box::new(value.expr),
                    list,
                };
                operands.push(Tree::node(kind, span, depth)?);
            }
            Token::Between { low, high, end } => {
                let value = tail_operand(&mut operands, &mut operators, end)?;
                let depth = value.depth.max(low.depth).max(high.depth);
                let span = Span::new(value.expr.span.start, end);
                let kind = ExprKind::Between {
                    value: Box::new(value.expr),
                    low: Box::new(low.expr),
                    high: Box::new(high.expr),
                };
                operands.push(Tree::node(kind, span, depth)?);
            }
        }
    }
    while !operators.is_empty() {
        reduce(&mut operands, &mut operators)?;
    }
    match (operands.pop(), operands.is_empty()) {
        (Some(tree), true) => Ok(tree),
        _ => Err(malformed()),
    }
}

/// The operand an `in` or `between` tail applies to: everything before it
/// that binds tighter than a comparison.
fn tail_operand(
    operands: &mut Vec<Tree>,
    operators: &mut Vec<Pending>,
    end: usize,
) -> Result<Tree, Box<SyntaxError>> {
    while operators
        .last()
        .is_some_and(|top| top.precedence() > COMPARISON)
    {
        reduce(operands, operators)?;
    }
    if matches!(operators.last(), Some(top) if top.precedence() == COMPARISON) {
        let start = operands.last().map_or(end, |t| t.expr.span.start);
        return Err(chained(Span::new(start, end)));
    }
    refuse_chain(operands, Span::new(end, end))?;
    operands.pop().ok_or_else(malformed)
}

/// Refuses a comparison whose left side is already a comparison.
fn refuse_chain(operands: &[Tree], at: Span) -> Result<(), Box<SyntaxError>> {
    match operands.last() {
        Some(left) if is_comparison(&left.expr) => Err(chained(left.expr.span.to(at))),
        _ => Ok(()),
    }
}

fn is_comparison(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Binary { op, .. } => op.node.is_comparison(),
        ExprKind::In { .. } | ExprKind::Between { .. } | ExprKind::No(_) => true,
        _ => false,
    }
}

fn chained(span: Span) -> Box<SyntaxError> {
    Box::new(SyntaxError::ChainedComparison { span: span.into() })
}

/// The grammar guarantees operands and operators alternate; this is only
/// reached if it did not, and is reported rather than panicking.
fn malformed() -> Box<SyntaxError> {
    too_deep(Span::default())
}

/// Applies the operator on top of the stack to its operands.
fn reduce(operands: &mut Vec<Tree>, operators: &mut Vec<Pending>) -> Result<(), Box<SyntaxError>> {
    let Some(op) = operators.pop() else {
        return Err(malformed());
    };
    let tree = match op {
        Pending::Prefix(prefix) => {
            let operand = operands.pop().ok_or_else(malformed)?;
            let span = prefix.span.to(operand.expr.span);
            let depth = operand.depth;
            let kind = match prefix.node {
                Prefix::Not => ExprKind::Unary {
                    op: Spanned::new(UnaryOp::Not, prefix.span),
                    operand: Box::new(operand.expr),
                },
                Prefix::Neg => ExprKind::Unary {
                    op: Spanned::new(UnaryOp::Neg, prefix.span),
                    operand: Box::new(operand.expr),
                },
                Prefix::No => {
                    if is_comparison(&operand.expr) {
                        return Err(chained(span));
                    }
                    ExprKind::No(Box::new(operand.expr))
                }
            };
            Tree::node(kind, span, depth)?
        }
        Pending::Infix(op) => {
            let right = operands.pop().ok_or_else(malformed)?;
            let left = operands.pop().ok_or_else(malformed)?;
            let span = left.expr.span.to(right.expr.span);
            let depth = left.depth.max(right.depth);
            let kind = ExprKind::Binary {
                op,
                left: Box::new(left.expr),
                right: Box::new(right.expr),
            };
            Tree::node(kind, span, depth)?
        }
    };
    operands.push(tree);
    Ok(())
}
