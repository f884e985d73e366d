//! The reports people look at: the HTML page (its structure snapshotted, and
//! opened in a real headless Chromium when one is installed) and the Excel
//! workbook (read back cell by cell).

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::path::Path;
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{stderr, yardstick};

const EDITIONS: &str = "standards/office_environment";
const MIXED: &str = "examples/inspections-2015-2016.csv";

fn scratch(name: &str) -> String {
    common::write_scratch(name, "")
}

fn html_of(args: &[&str], name: &str) -> String {
    let path = scratch(name);
    let mut all = args.to_vec();
    all.extend(["--format", "html", "-o", &path]);
    let output = yardstick(&all);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    std::fs::read_to_string(&path).expect("the report")
}

#[test]
fn the_html_report_is_self_contained_and_stable() {
    let first = html_of(
        &[
            "eval",
            "tests/data/semantics.std",
            "tests/data/semantics.csv",
        ],
        "semantics.html",
    );
    let second = html_of(
        &[
            "eval",
            "tests/data/semantics.std",
            "tests/data/semantics.csv",
        ],
        "semantics.html",
    );
    assert_eq!(first, second, "the same data gives the same bytes");
    for outside in ["http://", "https://", "<script", "<link", "@import", "url("] {
        assert!(
            !first.contains(outside),
            "the page refers outside itself: {outside}"
        );
    }
    insta::assert_snapshot!(first);
}

#[test]
fn the_html_report_shows_every_part_for_mixed_editions() {
    let page = html_of(
        &["eval", EDITIONS, MIXED, "--group-by", "科室類型"],
        "mixed.html",
    );
    for part in [
        "id=\"summary\"",
        "id=\"failure-chart\"",
        "id=\"sections\"",
        "id=\"ranking\"",
        "id=\"best-worst\"",
        "id=\"scorecards\"",
        "版本 2016（2016-01-01 起）",
        "（按 科室類型 分組）",
        "<h3>行政 · ",
        "增加綠植，綠化率不低於35%",
        "green_coverage = 32.5%",
    ] {
        assert!(page.contains(part), "missing {part}");
    }
    assert_eq!(
        page.matches("<g class=\"rule\"").count(),
        31,
        "a bar per rule of both editions"
    );
}

#[test]
fn a_large_batch_keeps_the_page_short() {
    let mut rows = String::from("受檢科室,科室類型,檢查日期,檢查方式,綠化率\n");
    for i in 0..1500 {
        rows.push_str(&format!("U{i:04},行政,2015-03-01,明察,{}%\n", i % 60));
    }
    let data = common::write_scratch("large.csv", &rows);
    let standard = common::write_scratch(
        "large.std",
        "standard large {\n  key unit\n}\n\nfields {\n  unit  text  \"受檢科室\"\n  green percent \"綠化率\"\n}\n\nrule G \"綠化\": green >= 30%\n",
    );
    let page = html_of(&["eval", &standard, &data], "large.html");
    assert!(
        page.contains("1400 units left out here"),
        "the ranking shows the top and bottom 50"
    );
    assert!(page.contains("其餘 1300 個"), "200 scorecards at most");
    assert_eq!(page.matches("<article class=\"card\">").count(), 200);
}

/// A headless Chromium, if one is installed. With `YARDSTICK_BROWSER_TESTS`
/// set (as CI does), a missing browser fails the test instead of skipping it.
fn chromium() -> Option<String> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| {
            Command::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .map(str::to_owned);
    if found.is_none() {
        assert!(
            std::env::var_os("YARDSTICK_BROWSER_TESTS").is_none(),
            "YARDSTICK_BROWSER_TESTS is set but no Chromium is installed"
        );
        eprintln!("skipped: no Chromium installed (CI installs it; see .ci/run)");
    }
    found
}

#[test]
fn a_person_sees_the_ranking_and_the_chart_in_a_browser() {
    let Some(browser) = chromium() else {
        return;
    };
    let path = scratch("browser.html");
    let output = yardstick(&["eval", EDITIONS, MIXED, "--format", "html", "-o", &path]);
    assert_eq!(output.status.code(), Some(0));
    let url = format!("file://{}", Path::new(&path).display());
    let shot = scratch("browser.png");
    let run = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1000,1400",
            "--dump-dom",
            &format!("--screenshot={shot}"),
            &url,
        ])
        .output()
        .expect("Chromium runs");
    let dom = String::from_utf8_lossy(&run.stdout);
    let log = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{log}");
    for line in log.lines() {
        assert!(
            !line.contains("CONSOLE")
                && !line.contains("Uncaught")
                && !line.contains("Failed to load"),
            "a console message: {line}"
        );
    }
    // The DOM as the browser built it: every unit ranked, every rule a bar.
    let ranking = dom
        .split("<table class=\"ranking\">")
        .nth(1)
        .expect("the ranking table");
    let ranking = &ranking[..ranking.find("</table>").expect("its end")];
    assert_eq!(ranking.matches("<tr>").count(), 25, "a header and 24 units");
    assert!(ranking.contains("<td>辦公室</td>"));
    let chart = dom.split("id=\"failure-chart\"").nth(1).expect("the chart");
    let chart = &chart[..chart.find("</svg>").expect("its end")];
    assert_eq!(chart.matches("<rect class=\"bar\"").count(), 31);
    assert!(
        dom.contains("width=\"266.7\""),
        "C1 failed for 66.67% of units"
    );
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "a real screenshot"
    );
}

fn cell(sheet: &calamine::Range<Data>, row: u32, column: u32) -> String {
    sheet
        .get_value((row, column))
        .map(ToString::to_string)
        .unwrap_or_default()
}

#[test]
fn the_workbook_reads_back_cell_by_cell() {
    let path = scratch("results.xlsx");
    let output = yardstick(&[
        "eval",
        EDITIONS,
        MIXED,
        "--format",
        "xlsx",
        "-o",
        &path,
        "--group-by",
        "科室類型",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mut book: Xlsx<_> = open_workbook(&path).expect("an xlsx workbook");
    assert_eq!(book.sheet_names(), ["Summary", "Units", "Rules", "Ledger"]);

    let summary = book.worksheet_range("Summary").expect("Summary");
    assert_eq!(cell(&summary, 0, 1), "城鄉環境綜合治理進機關考核標準");
    assert_eq!(cell(&summary, 3, 0), "受檢單位 units");
    assert_eq!(cell(&summary, 3, 1), "24");

    let units = book.worksheet_range("Units").expect("Units");
    assert_eq!(units.height(), 25);
    let header: Vec<String> = (0..8).map(|c| cell(&units, 0, c)).collect();
    assert_eq!(
        header,
        [
            "受檢科室",
            "edition",
            "科室類型",
            "score",
            "grade",
            "failed rules",
            "data errors",
            ""
        ]
    );
    let first: Vec<String> = (0..7).map(|c| cell(&units, 1, c)).collect();
    assert_eq!(first, ["辦公室", "2015", "行政", "100", "示範", "", "0"]);
    let audit_2016: Vec<String> = (0..7).map(|c| cell(&units, 21, c)).collect();
    assert_eq!(
        audit_2016,
        [
            "審計科",
            "2016",
            "行政",
            "82.98",
            "達標",
            "C1 C2 C5 D1",
            "0"
        ]
    );

    let rules = book.worksheet_range("Rules").expect("Rules");
    assert_eq!(rules.height(), 32, "a header and 31 rules");
    let c1 = (1..32).find(|&r| cell(&rules, r, 0) == "C1").expect("C1");
    assert_eq!(cell(&rules, c1, 2), "16");

    let ledger = book.worksheet_range("Ledger").expect("Ledger");
    assert_eq!(cell(&ledger, 0, 9), "deadline 整改期限");
    let d1 = (1..ledger.height() as u32)
        .find(|&r| cell(&ledger, r, 0) == "審計科" && cell(&ledger, r, 1) == "D1")
        .expect("審計科 lost D1 in 2016");
    assert_eq!(cell(&ledger, d1, 3), "fail");
    assert_eq!(cell(&ledger, d1, 4), "green_coverage = 32.5%");
    assert_eq!(cell(&ledger, d1, 5), "5");
    assert_eq!(cell(&ledger, d1, 6), "增加綠植，綠化率不低於35%");
    assert_eq!(cell(&ledger, d1, 7), "機關事務科");
    assert_eq!(
        cell(&ledger, d1, 9),
        "",
        "left for the rectification deadline"
    );
}

#[test]
fn a_workbook_needs_a_file() {
    let output = yardstick(&["eval", EDITIONS, MIXED, "--format", "xlsx"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("name it with `-o FILE.xlsx`"));
}
