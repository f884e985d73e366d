//! Wording shared by the checker's diagnostics: lists of names in words,
//! "did you mean" among a field's values, a cycle told step by step. Pure
//! text, below every part of the checker that reports.

use crate::suggest::closest;

/// "did you mean `"x"`?", or the list of the values when none is close.
pub(super) fn choice_help(text: &str, choices: &[String]) -> String {
    match closest(text, choices.iter().map(String::as_str)) {
        Some(choice) => format!("did you mean `\"{choice}\"`?"),
        None => format!("the values are {}", quoted_list(choices)),
    }
}

/// Candidates in a fixed order, so that suggestions do not depend on hashing.
pub(super) fn sorted<'a>(names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut names: Vec<&str> = names.collect();
    names.sort_unstable();
    names
}

/// `a`, `b` and `c`
pub(super) fn backticked(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    join_words(&quoted)
}

/// `"a"`, `"b"` and `"c"`
pub(super) fn quoted_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`\"{n}\"`")).collect();
    join_words(&quoted)
}

fn join_words(words: &[String]) -> String {
    match words.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// "a uses b, b uses a"
pub(super) fn describe_cycle<'a>(
    cycle: &[usize],
    name: impl Fn(usize) -> &'a str,
    verb: &str,
) -> String {
    let steps: Vec<String> = cycle
        .iter()
        .enumerate()
        .map(|(i, &at)| {
            let next = cycle[(i + 1) % cycle.len()];
            format!("`{}` {verb} `{}`", name(at), name(next))
        })
        .collect();
    steps.join(", ")
}
