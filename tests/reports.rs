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
use common::{chromium, stderr, yardstick};

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
        "辦公區綠化率：32.5%",
        "inspections-2015-2016.csv 第",
    ] {
        assert!(page.contains(part), "missing {part}");
    }
    assert_eq!(
        page.matches("<g class=\"rule\"").count(),
        32,
        "a bar per rule of both editions"
    );
    assert!(!page.contains("examples/"), "no path of this machine");
    assert!(!page.contains("examples&#x2f;"), "no path of this machine");
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
    // The standard's title (its name) is English, so is the page.
    assert!(
        page.contains("1400 units left out here"),
        "the ranking shows the top and bottom 50"
    );
    assert!(
        page.contains("the other 1300 are"),
        "200 scorecards at most"
    );
    assert_eq!(page.matches("<article class=\"card\">").count(), 200);
}

#[test]
fn a_person_sees_the_ranking_and_the_chart_in_a_browser() {
    let Some(browser) = chromium() else {
        return;
    };
    let path = scratch("browser.html");
    let output = yardstick(&["eval", EDITIONS, MIXED, "--format", "html", "-o", &path]);
    assert_eq!(output.status.code(), Some(0));
    let shot = scratch("browser.png");
    let dom = common::page_in_chromium(&browser, &path, &shot);
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
    assert_eq!(chart.matches("<rect class=\"bar\"").count(), 32);
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
    assert_eq!(book.sheet_names(), ["匯總", "單位", "規則", "整改台賬"]);

    let summary = book.worksheet_range("匯總").expect("the summary");
    assert_eq!(cell(&summary, 0, 1), "城鄉環境綜合治理進機關考核標準");
    assert_eq!(cell(&summary, 3, 0), "受檢單位");
    // Counts and the average are numbers, not text.
    assert_eq!(summary.get_value((3, 1)), Some(&Data::Float(24.0)));
    assert_eq!(cell(&summary, 4, 0), "平均分");
    assert!(matches!(summary.get_value((4, 1)), Some(Data::Float(_))));
    assert_eq!(cell(&summary, 5, 0), "示範");
    assert!(matches!(summary.get_value((5, 1)), Some(Data::Float(_))));
    let last = summary.height() as u32 - 1;
    assert_eq!(cell(&summary, last, 0), "資料錯誤");
    assert_eq!(summary.get_value((last, 1)), Some(&Data::Float(0.0)));

    let units = book.worksheet_range("單位").expect("the units");
    assert_eq!(units.height(), 25);
    let header: Vec<String> = (0..18).map(|c| cell(&units, 0, c)).collect();
    assert_eq!(
        header,
        [
            "受檢科室",
            "版本",
            "科室類型",
            "名次",
            "組內名次",
            "得分",
            "等次",
            "不合格項",
            "缺值項",
            "資料錯誤",
            "A 美化辦公環境",
            "B 文化人文環境",
            "C 凈化職業環境",
            "D 綠化人居環境",
            "E 宣傳教育",
            "F 志願服務",
            "G 示範創建",
            "H 責任落實與整改",
        ]
    );
    let first: Vec<String> = (0..10).map(|c| cell(&units, 1, c)).collect();
    assert_eq!(
        first,
        [
            "辦公室",
            "2015",
            "行政",
            "1",
            "1",
            "100",
            "示範",
            "",
            "",
            "0"
        ]
    );
    let audit_2016: Vec<String> = (0..10).map(|c| cell(&units, 21, c)).collect();
    assert_eq!(
        audit_2016[..3],
        ["審計科", "2016", "行政"],
        "{audit_2016:?}"
    );
    assert_eq!(audit_2016[5..], ["82.98", "達標", "C1 C2 C5 D1", "", "0"]);
    // Ranks and section scores are numbers; ties share the better rank.
    assert!(matches!(units.get_value((21, 3)), Some(Data::Float(_))));
    let ranks: Vec<f64> = (1..25)
        .filter_map(|r| match units.get_value((r, 3)) {
            Some(Data::Float(rank)) => Some(*rank),
            _ => None,
        })
        .collect();
    assert_eq!(ranks.len(), 24);
    let scores: Vec<f64> = (1..25)
        .filter_map(|r| match units.get_value((r, 5)) {
            Some(Data::Float(score)) => Some(*score),
            _ => None,
        })
        .collect();
    // Ranks follow the exact scores; the sheet shows them rounded, so two
    // units shown alike may still be ranked apart (76.5625 and 76.5556).
    for (rank, score) in ranks.iter().zip(&scores) {
        let better = scores.iter().filter(|&&other| other > *score).count();
        let alike = scores.iter().filter(|&&other| other == *score).count();
        assert!(
            *rank >= 1.0 + better as f64 && *rank <= (better + alike) as f64,
            "{ranks:?} {scores:?}"
        );
    }
    assert!(
        ranks
            .iter()
            .any(|r| ranks.iter().filter(|&o| o == r).count() > 1),
        "the data has ties, and they share a rank: {ranks:?}"
    );
    assert_eq!(units.get_value((1, 10)), Some(&Data::Float(100.0)));
    let d_column = 13;
    let audit_d = units.get_value((21, d_column));
    assert!(
        matches!(audit_d, Some(Data::Float(score)) if *score < 100.0),
        "審計科 lost D1: {audit_d:?}"
    );

    let rules = book.worksheet_range("規則").expect("the rules");
    assert_eq!(rules.height(), 33, "a header and 32 rules");
    assert_eq!(cell(&rules, 0, 4), "缺值數");
    let c1 = (1..33).find(|&r| cell(&rules, r, 0) == "C1").expect("C1");
    assert_eq!(cell(&rules, c1, 2), "16");

    let ledger = book.worksheet_range("整改台賬").expect("the ledger");
    assert_eq!(cell(&ledger, 0, 9), "整改期限");
    // A bonus (F3) that earned nothing lost no points: never in the ledger.
    assert!(
        !(1..ledger.height() as u32).any(|r| cell(&ledger, r, 1) == "F3"),
        "F3 is a bonus"
    );
    let d1 = (1..ledger.height() as u32)
        .find(|&r| cell(&ledger, r, 0) == "審計科" && cell(&ledger, r, 1) == "D1")
        .expect("審計科 lost D1 in 2016");
    assert_eq!(cell(&ledger, d1, 3), "不合格");
    assert_eq!(cell(&ledger, d1, 4), "辦公區綠化率：32.5%");
    assert_eq!(cell(&ledger, d1, 5), "5");
    assert_eq!(cell(&ledger, d1, 6), "增加綠植，綠化率不低於35%");
    assert_eq!(cell(&ledger, d1, 7), "機關事務科");
    assert!(
        cell(&ledger, d1, 8).starts_with("inspections-2015-2016.csv 第"),
        "the file's name, no folder: {}",
        cell(&ledger, d1, 8)
    );
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

/// The text a person sees on a page as the browser built it: the body's
/// text (tooltips of the chart included), without styles or markup.
fn visible_text(dom: &str) -> String {
    let body = dom.split("<body>").nth(1).unwrap_or(dom);
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

#[test]
fn a_chinese_report_shows_no_english_word_in_a_browser() {
    let Some(browser) = chromium() else {
        return;
    };
    // Codes the user wrote: the standard's name, fields, rule and section
    // ids; and the data file's extension.
    let written = [
        "canteen_zh",
        "stall",
        "licence",
        "bins_sealed",
        "pests",
        "fridge_temp",
        "training",
        "K",
        "S",
        "K1",
        "K2",
        "K3",
        "S1",
        "S2",
        "csv",
    ];
    for language in ["zh-Hant", "zh-Hans"] {
        let path = scratch(&format!("visible-{language}.html"));
        let output = yardstick(&[
            "eval",
            "tests/data/language/canteen-zh.std",
            "tests/data/language/食堂檢查.csv",
            "--lang",
            language,
            "--format",
            "html",
            "-o",
            &path,
        ]);
        assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
        let url = format!("file://{}", Path::new(&path).display());
        let run = Command::new(&browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--dump-dom",
                &url,
            ])
            .output()
            .expect("Chromium runs");
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let dom = String::from_utf8_lossy(&run.stdout);
        let text = visible_text(&dom);
        assert!(text.contains("一票否"), "the page was read: {text}");
        let english: Vec<&str> = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|word| word.chars().any(|c| c.is_ascii_alphabetic()))
            .filter(|word| !written.contains(word))
            .collect();
        assert!(
            english.is_empty(),
            "English words on a {language} page: {english:?}"
        );
    }
}
