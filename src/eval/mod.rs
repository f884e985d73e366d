//! Step three of the pipeline: scoring records. Pure: a compiled standard and
//! typed records in, outcomes, scores and grades out; no IO. The values it
//! computes with are [`crate::value`].
//!
//! - `compile`: the checked model to a [`compile::Program`] of typed trees (`ir`);
//!   `ir::ratio`: a ratio compared with a constant, decided without dividing.
//! - `engine`: one record's outcomes, points, score and grade; ranks.
//! - `fixed_point`: points as integers at one scale, which `compile` lays
//!   out and `engine` sums (a leaf of both).
//! - `cover`: a waiver as the scorer takes it (which rule, scored how).
//! - `reference`: a naive tree-walking evaluator over the checked model, the
//!   yardstick the compiled one is tested against, and the basis of `--explain`.

pub mod catalog;
pub mod compile;
pub mod cover;
pub mod engine;
pub mod fixed_point;
pub mod ir;
pub mod reference;
