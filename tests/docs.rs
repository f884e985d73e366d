//! Every `.std` snippet of the documentation is checked, as doc tests are:
//! the book (`docs/book/src/**/*.md`), the README, `docs/diagnostics.md` and
//! CONTRIBUTING.md cannot drift from the language.
//!
//! A fenced block whose info string starts with `std` is a snippet. Its
//! attributes, after commas (CONTRIBUTING.md, *Snippets in the docs*):
//! - none: a whole standard; `yardstick check` must pass with no diagnostic;
//! - `fragment`: rules, sections, `let`s... without a header: it is checked
//!   after the founding standard's header and fields ([`FRAGMENT_WRAPPER`]);
//!   warnings count only on the snippet's own lines;
//! - `edition`: what an edition of the founding standard may say (grades,
//!   examples, `amend`, `remove`, new rules, anything that reads the
//!   founding standard's rules): it is checked after a header that
//!   `extends "2015.std"` ([`EDITION_WRAPPER`]); warnings as for `fragment`;
//! - `error=yardstick::CODE`, `warning=yardstick::CODE` (any number): the
//!   codes the check must report, no more and no fewer (an expected error
//!   makes the check exit 2);
//! - `pending`: a construct this version does not build yet; skipped, but
//!   counted and listed. With `YARDSTICK_DOCS_PENDING=1` the pending
//!   snippets are checked too and the ones that pass are named, so that
//!   they can be switched on;
//! - `file=NAME.std`: the name the snippet is written under (by default
//!   `snippet.std`), so that a later snippet of the same page can
//!   `extends "NAME.std"`.
//!
//! The snippets of a page are written, in order, to one scratch folder
//! holding a copy of the founding standard named `2015.std`, so that an
//! edition can say `extends "2015.std"`. The checker is the `yardstick`
//! binary, as a user runs it.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The header and fields that a `fragment` is checked under: those of the
/// founding standard, `standards/office_environment/2015.std`.
const FRAGMENT_WRAPPER: &str = r#"standard office_environment {
  title     "城鄉環境綜合治理進機關考核標準"
  key       unit_id
  dated_by  inspected_on
}

fields {
  unit_id               text                                     "受檢科室"
  kind                  one of ("行政", "執法執紀", "綜合服務")  "科室類型"
  inspected_on          date                                     "檢查日期"
  method                one of ("明察", "暗訪", "抽查")          "檢查方式"
  sealed_bins           bool                                     "有密封式垃圾箱(池)"
  exposed_waste         count                                    "暴露垃圾(處)"
  stains                count                                    "污漬(處)"
  graffiti              count                                    "亂塗亂畫、小廣告(處)"
  vehicles_orderly      bool                                     "車輛停放有序"
  items_tidy            bool                                     "辦公物品擺放整齊"
  guard_uniform         bool                                     "門衛著裝上崗"
  core_values_posted    bool                                     "張貼社會主義核心價值觀"
  culture_wall          bool                                     "設有文化牆"
  slogans_posted        bool                                     "張貼宣傳標語"
  late_arrivals         count                                    "遲到(人次)"
  early_leaves          count                                    "早退(人次)"
  absent_staff          count                                    "脫崗、空崗(人)"
  noise_incidents       count                                    "大聲喧嘩(次)"
  gaming_incidents      count                                    "上網聊天、打遊戲(人次)"
  duties_posted         bool                                     "崗位職責公開"
  name_plates           bool                                     "擺放桌牌"
  uniform_worn          bool?                                    "著制服掛牌上崗"
  green_coverage        percent                                  "辦公區綠化率"
  green_area            number                                   "綠化面積(m²)"
  total_area            number                                   "辦公區面積(m²)"
  volunteer_hours       number                                   "人均志願服務時長(小時)"
  publicity_events      count                                    "開展宣傳教育、培訓活動(次)"
  volunteer_team        bool                                     "組建志願服務隊"
  volunteer_activities  count                                    "本季度志願服務活動(次)"
  clean_standard        bool                                     "達到清潔化標準"
  order_standard        bool                                     "達到秩序化標準"
  beauty_standard       bool                                     "達到優美化標準"
  system_standard       bool                                     "達到制度化標準"
  responsible_named     bool                                     "明確環境治理責任人"
  prior_issues          count                                    "上次檢查發現問題(項)"
  rectified_issues      count                                    "已按期整改(項)"
}

"#;

/// The header that an `edition` snippet is checked under: an edition of the
/// founding standard, which the scratch folder holds as `2015.std`.
const EDITION_WRAPPER: &str = r#"standard office_environment {
  extends   "2015.std"
  version   2016
  effective 2016-01-01
}

"#;

/// The markdown files whose snippets are checked, besides the book's.
const OTHER_DOCUMENTS: [&str; 3] = ["README.md", "docs/diagnostics.md", "CONTRIBUTING.md"];

/// Fewer snippets than this means the scan lost its way, not that the docs
/// have none.
const AT_LEAST: usize = 40;

/// What a snippet says it is.
#[derive(Debug, Default, PartialEq, Eq)]
struct Tags {
    fragment: bool,
    edition: bool,
    /// The file the snippet is written to, in the page's scratch folder.
    file: Option<String>,
    pending: bool,
    /// The codes the check must report (errors and warnings alike).
    expected: BTreeSet<String>,
    /// Whether one of them is an error: then the check exits 2.
    expects_error: bool,
}

/// One `std` block of a markdown file.
#[derive(Debug)]
struct Snippet {
    /// `file:line` of the opening fence, for messages.
    place: String,
    tags: Tags,
    text: String,
}

/// The attributes of an info string that starts with `std`, or `None` for
/// another language. An attribute this test does not know is an error, so
/// that a typo cannot turn a check off.
fn tags_of(info: &str, place: &str) -> Result<Option<Tags>, String> {
    let mut words = info
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|word| !word.is_empty());
    if words.next() != Some("std") {
        return Ok(None);
    }
    let mut tags = Tags::default();
    for word in words {
        match word {
            "fragment" => tags.fragment = true,
            "edition" => tags.edition = true,
            "pending" => tags.pending = true,
            _ if word.starts_with("file=") => {
                let name = &word["file=".len()..];
                if !name.ends_with(".std") || name.contains('/') || name.contains('\\') {
                    return Err(format!("{place}: `{word}` must name a `.std` file"));
                }
                tags.file = Some(name.to_owned());
            }
            _ => {
                let (kind, code) = word.split_once('=').unwrap_or((word, ""));
                if !code.starts_with("yardstick::") || code.len() <= "yardstick::".len() {
                    return Err(format!(
                        "{place}: unknown snippet attribute `{word}` (fragment, edition, \
                         pending, file=NAME.std, error=yardstick::CODE, warning=yardstick::CODE)"
                    ));
                }
                match kind {
                    "error" => tags.expects_error = true,
                    "warning" => {}
                    _ => {
                        return Err(format!("{place}: unknown snippet attribute `{word}`"));
                    }
                }
                tags.expected.insert(code.to_owned());
            }
        }
    }
    if tags.fragment && tags.edition {
        return Err(format!(
            "{place}: a snippet is a `fragment` or an `edition`, not both"
        ));
    }
    Ok(Some(tags))
}

/// The `std` blocks of a markdown text, in order. Fences are ``` or ~~~ of
/// three or more, closed by a fence of the same character at least as
/// long, so a block shown inside a longer fence is not a snippet. The
/// fence's indentation (a block inside a list item) is taken off each line.
fn snippets_of(markdown: &str, file: &str) -> Result<Vec<Snippet>, String> {
    let mut snippets = Vec::new();
    let mut lines = markdown.lines().enumerate();
    while let Some((number, line)) = lines.next() {
        let indent = line.len() - line.trim_start().len();
        let rest = line.trim_start();
        let Some(fence_char) = rest.chars().next().filter(|c| *c == '`' || *c == '~') else {
            continue;
        };
        let fence_length = rest.chars().take_while(|c| *c == fence_char).count();
        if fence_length < 3 {
            continue;
        }
        let info = rest[fence_length..].trim();
        let place = format!("{file}:{}", number + 1);
        let tags = tags_of(info, &place)?;
        let mut text = String::new();
        let mut closed = false;
        for (_, inner) in lines.by_ref() {
            let trimmed = inner.trim_start();
            let closing = trimmed.chars().take_while(|c| *c == fence_char).count();
            if closing >= fence_length && trimmed[closing..].trim().is_empty() {
                closed = true;
                break;
            }
            let cut = inner.len() - trimmed.len();
            text.push_str(&inner[cut.min(indent)..]);
            text.push('\n');
        }
        if !closed {
            return Err(format!("{place}: a code block that is never closed"));
        }
        if let Some(tags) = tags {
            snippets.push(Snippet { place, tags, text });
        }
    }
    Ok(snippets)
}

/// Every markdown file of the book's `src`, sorted, then the other documents.
fn documents() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    let mut pending = vec![root.join("docs/book/src")];
    while let Some(directory) = pending.pop() {
        for entry in std::fs::read_dir(&directory).expect("the book's sources") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                found.push(path);
            }
        }
    }
    found.sort();
    found.extend(OTHER_DOCUMENTS.iter().map(|name| root.join(name)));
    found
}

/// What `yardstick check` said of a snippet.
struct Checked {
    status: Option<i32>,
    /// Codes of every error, and of the warnings on the snippet's lines.
    codes: BTreeSet<String>,
}

/// A scratch folder for the snippets of one page, holding a copy of the
/// founding standard as `2015.std`.
fn scratch_folder() -> tempfile::TempDir {
    let folder = tempfile::tempdir().expect("a scratch folder");
    let founding =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("standards/office_environment/2015.std");
    std::fs::copy(founding, folder.path().join("2015.std")).expect("the founding standard");
    folder
}

/// Runs `yardstick check` on a file of the folder.
fn run_check(folder: &Path, name: &str, json: bool) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_yardstick"));
    command.arg("check");
    if json {
        command.args(["--format", "json"]);
    }
    command
        .arg(name)
        .current_dir(folder)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

/// Writes one snippet into the page's folder and checks it with the binary.
fn check(snippet: &Snippet, folder: &Path) -> Checked {
    let wrapper = match (snippet.tags.fragment, snippet.tags.edition) {
        (true, _) => FRAGMENT_WRAPPER,
        (false, true) => EDITION_WRAPPER,
        (false, false) => "",
    };
    let name = snippet.tags.file.as_deref().unwrap_or("snippet.std");
    let first_line = wrapper.lines().count() + 1;
    std::fs::write(folder.join(name), format!("{wrapper}{}", snippet.text))
        .expect("the snippet is written");
    let output = run_check(folder, name, true);
    let diagnostics: Vec<serde_json::Value> =
        serde_json::from_slice(&output.stdout).unwrap_or_default();
    let mut codes = BTreeSet::new();
    for diagnostic in &diagnostics {
        let code = diagnostic["code"].as_str().unwrap_or("(no code)");
        let is_error = diagnostic["severity"] == "error";
        let in_snippet = diagnostic["file"].as_str() == Some(name)
            && diagnostic["line"]
                .as_u64()
                .is_some_and(|line| line as usize >= first_line);
        if is_error || in_snippet {
            codes.insert(code.to_owned());
        }
    }
    Checked {
        status: output.status.code(),
        codes,
    }
}

/// Why a snippet does not hold, or `None` when it does.
fn problem(snippet: &Snippet, folder: &Path) -> Option<String> {
    let checked = check(snippet, folder);
    let expected_status = if snippet.tags.expects_error { 2 } else { 0 };
    if checked.status == Some(expected_status) && checked.codes == snippet.tags.expected {
        return None;
    }
    // The diagnostics as a user sees them, for the failure message.
    let name = snippet.tags.file.as_deref().unwrap_or("snippet.std");
    let printed = run_check(folder, name, false);
    Some(format!(
        "{}: expected exit {expected_status} with {:?}, got exit {:?} with {:?}\n{}",
        snippet.place,
        snippet.tags.expected,
        checked.status,
        checked.codes,
        String::from_utf8_lossy(&printed.stderr)
    ))
}

#[test]
fn every_std_snippet_in_the_docs_checks_as_it_says() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let try_pending = std::env::var_os("YARDSTICK_DOCS_PENDING").is_some();
    let (mut checked, mut pending, mut problems) = (0, Vec::new(), Vec::new());
    for path in documents() {
        let Ok(markdown) = std::fs::read_to_string(&path) else {
            continue;
        };
        let name = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let snippets = snippets_of(&markdown, &name).unwrap_or_else(|error| panic!("{error}"));
        let folder = scratch_folder();
        for snippet in &snippets {
            if snippet.tags.pending {
                let now = match try_pending.then(|| problem(snippet, folder.path())) {
                    Some(None) => "  -- passes now: drop `pending`",
                    Some(Some(_)) => "  -- still fails",
                    None => "",
                };
                pending.push(format!("  pending {}{now}", snippet.place));
                continue;
            }
            checked += 1;
            problems.extend(problem(snippet, folder.path()));
        }
    }
    eprintln!(
        "{checked} snippets checked, {} pending (not yet in this version):\n{}",
        pending.len(),
        pending.join("\n")
    );
    assert!(
        problems.is_empty(),
        "{} of {checked} snippets do not check as their tags say:\n\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        checked + pending.len() >= AT_LEAST,
        "only {} snippets found: has the book moved?",
        checked + pending.len()
    );
}

#[test]
fn a_wrong_snippet_is_caught() {
    let markdown = "text\n\n```std,fragment\nrule X1 \"t\" { require green_coverge >= 30% }\n```\n\n\
                    ```std,fragment,error=yardstick::unknown_field\n\
                    rule X1 \"t\" { require green_coverage >= 30% }\n```\n";
    let snippets = snippets_of(markdown, "test.md").expect("the blocks are read");
    assert_eq!(snippets.len(), 2);
    let folder = scratch_folder();
    let misspelt = problem(&snippets[0], folder.path()).expect("a misspelt field is caught");
    assert!(misspelt.contains("yardstick::unknown_field"), "{misspelt}");
    assert!(
        problem(&snippets[1], folder.path()).is_some(),
        "an expected error that does not happen is caught"
    );
}

#[test]
fn a_warning_in_a_snippet_is_caught_but_not_the_wrappers() {
    let markdown = "```std,fragment\nrule X1 \"t\" { require sealed_bins }\n```\n\n\
                    ```std,fragment,warning=yardstick::percent_scale\n\
                    rule X1 \"t\" { require green_coverage >= 30 }\n```\n";
    let snippets = snippets_of(markdown, "test.md").expect("the blocks are read");
    let folder = scratch_folder();
    assert_eq!(
        problem(&snippets[0], folder.path()),
        None,
        "unused fields of the wrapper"
    );
    assert_eq!(problem(&snippets[1], folder.path()), None);
}

#[test]
fn fences_and_tags_are_read_as_markdown_reads_them() {
    let markdown = "````markdown\n```std\nnot a snippet\n```\n````\n\n\
                    - a list item:\n\n  ```std,pending,fragment\n  rule X1: sealed_bins\n  ```\n\n\
                    ~~~ std , error=yardstick::syntax_error\nrule\n~~~\n\n```sh\nls\n```\n";
    let snippets = snippets_of(markdown, "test.md").expect("the blocks are read");
    assert_eq!(snippets.len(), 2, "{snippets:?}");
    assert!(snippets[0].tags.pending && snippets[0].tags.fragment);
    assert_eq!(snippets[0].text, "rule X1: sealed_bins\n");
    assert_eq!(snippets[0].place, "test.md:9");
    assert!(snippets[1].tags.expects_error);
    assert!(
        tags_of("std,frgment", "x").is_err(),
        "a typo is not ignored"
    );
    assert!(tags_of("std,error=unknown_field", "x").is_err());
    assert!(
        snippets_of("```std\nrule\n", "x").is_err(),
        "an unclosed block"
    );
}

/// The `console` blocks of a markdown text that show a command's `--help`:
/// the arguments after `yardstick` and the text shown below them.
fn help_blocks(markdown: &str) -> Vec<(Vec<String>, String)> {
    let mut blocks = Vec::new();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        if line.trim() != "```console" {
            continue;
        }
        let body: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
        let Some(command) = body.first().and_then(|l| l.strip_prefix("$ yardstick ")) else {
            continue;
        };
        if command.ends_with("--help") {
            let arguments = command.split_whitespace().map(str::to_owned).collect();
            let mut shown = body[1..].join("\n");
            shown.push('\n');
            blocks.push((arguments, shown));
        }
    }
    blocks
}

#[test]
fn every_help_text_in_the_book_is_the_binarys() {
    let commands = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/book/src/commands");
    let mut compared = 0;
    for entry in std::fs::read_dir(&commands).expect("the commands chapter") {
        let path = entry.expect("an entry").path();
        let markdown = std::fs::read_to_string(&path).expect("a page");
        for (arguments, shown) in help_blocks(&markdown) {
            let output = Command::new(env!("CARGO_BIN_EXE_yardstick"))
                .args(&arguments)
                .output()
                .expect("the binary runs");
            assert_eq!(
                String::from_utf8_lossy(&output.stdout),
                shown,
                "{}: `yardstick {}` prints another text: paste it again",
                path.display(),
                arguments.join(" ")
            );
            compared += 1;
        }
    }
    assert!(compared >= 8, "only {compared} help texts found");
}
