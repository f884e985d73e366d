//! The pest parser generated from `grammar/standard.pest`. Nothing outside
//! `syntax` sees it.

/// The generated parser; `Rule` names the grammar's rules.
#[derive(pest_derive::Parser)]
#[grammar = "../grammar/standard.pest"]
pub struct StandardParser;
