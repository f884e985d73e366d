//! The reports of `yardstick rollup` people read (SPEC §8): the Markdown
//! document, the HTML page (its parts counted, and opened in a real
//! headless Chromium when one is installed) and the Excel workbook (read
//! back cell by cell), on half a year of a small standard's inspections
//! whose every number is worked out by hand below.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{stderr, yardstick};

/// Three rules (A1 40 points, owner 機關事務科; A2 30, owner 各科室; B1 30,
/// no owner), so an inspection that fails A2 or B1 scores 70.
const STANDARD: &str = r#"standard pilot {
  title     "機關環境年度考核試點"
  version   2015
  key       unit
  dated_by  day
}

fields {
  unit    text                            "單位"
  day     date                            "檢查日期"
  how     one of ("暗訪", "月檢", "季檢")  "檢查方式"
  clean   bool                            "地面清潔"
  tidy    bool                            "物品整齊"
  posted  bool                            "制度上牆"
}

rule A1 "地面清潔" {
  require clean
  points  40
  owner   "機關事務科"
}
rule A2 "物品整齊" {
  require tidy
  points  30
  owner   "各科室"
}
rule B1 "制度上牆" {
  require posted
  points  30
}

rollup annual "2015年上半年考核" {
  period  2015-01-01 to 2015-06-30
  method  how
  level month   = 60% "暗訪" + 40% "月檢"
  level quarter = 60% month + 40% "季檢"
  level year    = quarter
  repeat 2 consecutive month deduct 2
  grades {
    "先進"   when score >= 90 and top 1
    "達標"   when score >= 80
    "不達標" otherwise
  }
  target "上牆" by 2015-06-30 when passed(B1)
}
"#;

/// Half a year of inspections:
///
/// - 甲科 passes everything: every period 100, final 100, rank 1, 先進.
/// - 乙科 fails A2 in January's 月檢 and both February inspections:
///   January 0.6·100 + 0.4·70 = 88, February 70, March 100, so Q1 is
///   0.6·86 + 0.4·100 (its 季檢) = 91.6; April 100 is Q2; the year 95.8,
///   less 2 for A2 failed in January and February: 93.8, rank 2, 達標
///   (top 1 leaves 先進 to 甲科).
/// - 丙科 fails B1 but in May; no February: January, March, April and June
///   70, May 100; Q1 70, Q2 80, the year 75, less 2 for B1 in March and
///   April: 73, 不達標. B1 first held on 2015-05-10, not at the deadline.
const INSPECTIONS: &str = "單位,檢查日期,檢查方式,地面清潔,物品整齊,制度上牆
甲科,2015-01-05,暗訪,是,是,是
甲科,2015-01-20,月檢,是,是,是
甲科,2015-02-05,暗訪,是,是,是
甲科,2015-03-20,月檢,是,是,是
甲科,2015-03-25,季檢,是,是,是
甲科,2015-04-05,暗訪,是,是,是
甲科,2015-05-20,月檢,是,是,是
甲科,2015-06-05,暗訪,是,是,是
乙科,2015-01-06,暗訪,是,是,是
乙科,2015-01-21,月檢,是,否,是
乙科,2015-02-06,暗訪,是,否,是
乙科,2015-02-21,月檢,是,否,是
乙科,2015-03-06,暗訪,是,是,是
乙科,2015-03-26,季檢,是,是,是
乙科,2015-04-21,月檢,是,是,是
丙科,2015-01-07,暗訪,是,是,否
丙科,2015-03-22,月檢,是,是,否
丙科,2015-04-07,暗訪,是,是,否
丙科,2015-05-10,暗訪,是,是,是
丙科,2015-06-22,月檢,是,是,否
";

/// The standard and the inspections written for a test (`name` keeps
/// tests running in parallel apart), with `extra` rows appended.
fn fixture(name: &str, extra: &str) -> (String, String) {
    let standard = common::write_scratch(&format!("{name}.std"), STANDARD);
    let data = common::write_scratch(&format!("{name}.csv"), &format!("{INSPECTIONS}{extra}"));
    (standard, data)
}

/// Runs `rollup` on the fixture into `name.extension`; the exit code and
/// what it wrote (stderr for a failed run).
fn rollup(name: &str, extension: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let (standard, data) = fixture(name, "");
    let path = common::write_scratch(&format!("{name}.{extension}"), "");
    std::fs::remove_file(&path).expect("no old report");
    let mut all = vec!["rollup", &standard, &data, "-o", &path];
    all.extend(args);
    let output = yardstick(&all);
    (output.status.code(), path, stderr(&output))
}

/// The lines of a Markdown document between a `## heading` and the next.
fn part<'a>(document: &'a str, heading: &str) -> Vec<&'a str> {
    let start = document
        .find(&format!("## {heading}\n"))
        .unwrap_or_else(|| panic!("no part {heading}"));
    let rest = &document[start..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |at| at + 4);
    rest[..end].lines().filter(|l| !l.is_empty()).collect()
}

#[test]
fn the_markdown_report_has_every_part_with_the_numbers_worked_out() {
    let (code, path, log) = rollup("markdown", "md", &[]);
    assert_eq!(code, Some(0), "{log}");
    assert!(log.contains("3 units → "), "{log}");
    let document = std::fs::read_to_string(&path).expect("the report");
    assert!(document.starts_with(
        "# 2015年上半年考核\n\n機關環境年度考核試點 · 考核期間：2015-01-01 至 2015-06-30\n"
    ));
    assert_eq!(
        part(&document, "計分方法")[1..],
        [
            "- 月度 = 60% 暗訪 + 40% 月檢",
            "- 季度 = 60% 月度 + 40% 季檢",
            "- 年度 = 季度",
            "- 月度：同一規則連續 2 期不合格，每次重複扣 2 分",
        ]
    );
    assert_eq!(
        part(&document, "各單位結果")[1..],
        [
            "| 單位 | 年度得分 | 等次 | 名次 | 2015年1月 | 2015年2月 | 2015年3月 | 2015年4月 | 2015年5月 | 2015年6月 | 2015年第1季度 | 2015年第2季度 | 2015年 | 重複問題 | 上牆首次達到 | 上牆截止時 |",
            "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|",
            "| 甲科 | 100.00 | 先進 | 1 | 100.00 | 100.00 | 100.00 | 100.00 | 100.00 | 100.00 | 100.00 | 100.00 | 100.00 |  | 2015-01-05 | 達到 |",
            "| 乙科 | 93.80 | 達標 | 2 | 88.00 | 70.00 | 100.00 | 100.00 |  |  | 91.60 | 100.00 | 95.80 | A2 2015年1月–2015年2月（扣 2 分） | 2015-01-06 | 達到 |",
            "| 丙科 | 73.00 | 不達標 | 3 | 70.00 |  | 70.00 | 70.00 | 100.00 | 70.00 | 70.00 | 80.00 | 75.00 | B1 2015年3月–2015年4月（扣 2 分） | 2015-05-10 | 未達到 |",
        ]
    );
    assert_eq!(
        part(&document, "等次分布")[3..],
        [
            "| 先進 | 1 | 33.3% | 1 |",
            "| 達標 | 1 | 33.3% | — |",
            "| 不達標 | 1 | 33.3% | — |",
        ]
    );
    assert_eq!(
        part(&document, "目標達成")[1..],
        [
            "| 目標 | 期限 | 達到 | 單位數 | 達標率 |",
            "|---|---|---:|---:|---:|",
            "| 上牆 | 2015-06-30 | 2 | 3 | 66.7% |",
        ]
    );
    let owners = part(&document, "問責名單");
    assert_eq!(
        owners[1..],
        [
            "### 各科室",
            "| 單位 | 規則 | 名稱 | 期間 | 次數 | 扣分 |",
            "|---|---|---|---|---:|---:|",
            "| 乙科 | A2 | 物品整齊 | 2015年1月–2015年2月 | 1 | 2 |",
            "### （未指定責任）",
            "| 單位 | 規則 | 名稱 | 期間 | 次數 | 扣分 |",
            "|---|---|---|---|---:|---:|",
            "| 丙科 | B1 | 制度上牆 | 2015年3月–2015年4月 | 1 | 2 |",
            "計入檢查 20 次，未計入 0 次",
        ]
    );
}

#[test]
fn the_markdown_report_is_in_the_language_asked_for_and_counts_what_it_left_out() {
    let (standard, data) = fixture("markdown-en", "乙科,2015-07-02,暗訪,是,是,是\n");
    let output = yardstick(&[
        "rollup", &standard, &data, "--format", "markdown", "--lang", "en",
    ]);
    assert_eq!(
        output.status.code(),
        Some(3),
        "a left-out inspection is a data error"
    );
    let document = common::stdout(&output);
    for line in [
        "## How it is scored",
        "- month = 60% 暗訪 + 40% 月檢",
        "| 單位 | final score | grade | rank | 2015-01 | 2015-02 |",
        "| 乙科 | 93.80 | 達標 | 2 | 88.00 | 70.00 | 100.00 | 100.00 |  |  | 91.60 | 100.00 | 95.80 | A2 2015-01–2015-02 (−2 points) |",
        "### (no owner)",
        "| target | deadline | met | units | attainment rate |",
        "inspections used: 20, left out: 1",
    ] {
        assert!(document.contains(line), "missing {line}:\n{document}");
    }
    assert!(!document.contains("2015年1月"), "no period in Chinese");
}

/// The HTML page of the fixture with `extra` rows.
fn page(name: &str, extra: &str) -> String {
    let (standard, data) = fixture(name, extra);
    let path = common::write_scratch(&format!("{name}.html"), "");
    let output = yardstick(&["rollup", &standard, &data, "-o", &path]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    std::fs::read_to_string(&path).expect("the page")
}

/// The text of the element that starts with `start`, to its `end`.
fn element<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let from = page.find(start).unwrap_or_else(|| panic!("no {start}"));
    let rest = &page[from..];
    &rest[..rest
        .find(end)
        .unwrap_or_else(|| panic!("no end of {start}"))
        + end.len()]
}

#[test]
fn the_html_page_is_self_contained_stable_and_shows_every_part() {
    let first = page("html", "");
    assert_eq!(
        first,
        page("html", ""),
        "the same data gives the same bytes"
    );
    for outside in ["http://", "https://", "<script", "<link", "@import", "url("] {
        assert!(
            !first.contains(outside),
            "the page refers outside itself: {outside}"
        );
    }
    for part in [
        "<html lang=\"zh-Hant\">",
        "<h1>2015年上半年考核</h1>",
        "機關環境年度考核試點 · 考核期間：2015-01-01 至 2015-06-30",
        "<li>季度 = 60% 月度 + 40% 季檢</li>",
        "<td class=\"good\">先進</td><td class=\"num\">1</td><td class=\"num\">33.3%</td><td class=\"num\">1</td>",
        "<h3>（未指定責任）</h3>",
        "<td>丙科</td><td>B1 制度上牆</td><td>2015年3月–2015年4月</td><td class=\"num\">1</td><td class=\"num\">2</td>",
        "<td>上牆</td><td>2015-06-30</td><td class=\"num\">2</td><td class=\"num\">3</td><td class=\"num\">66.7%</td>",
        "計入檢查 20 次，未計入 0 次",
    ] {
        assert!(first.contains(part), "missing {part}");
    }
    // The units by rank, with the score before repeats and their points.
    let table = element(&first, "<table class=\"units\">", "</table>");
    let rows: Vec<&str> = table.matches("<tr><td>").collect();
    assert_eq!(rows.len(), 3);
    let second = &table[table.find("<tr><td>乙科").expect("乙科")..];
    assert!(
        second.starts_with("<tr><td>乙科</td><td class=\"num\">93.80</td><td class=\"fair\">達標</td><td class=\"num\">2</td><td class=\"num\">95.80</td><td class=\"num\">2</td>"),
        "{second}"
    );
    assert!(table.find("甲科") < table.find("乙科") && table.find("乙科") < table.find("丙科"));

    // The heat map: 3 units × (6 months, 2 quarters, the year), a score
    // in each cell but the three periods without one.
    let heat = element(&first, "<svg id=\"heat-map\"", "</svg>");
    assert_eq!(heat.matches("<rect class=\"cell ").count(), 27);
    assert_eq!(heat.matches("<rect class=\"cell hn\"").count(), 3);
    assert_eq!(heat.matches("<text class=\"value\"").count(), 24);
    for period in [
        "2015年1月",
        "2015年6月",
        "2015年第1季度",
        "2015年第2季度",
        ">2015年<",
        ">月度<",
        ">季度<",
        ">年度<",
    ] {
        assert!(heat.contains(period), "no {period} in the heat map");
    }
    let second_row = element(heat, "<title>乙科", "</g>");
    let values: Vec<&str> = second_row
        .split("<text class=\"value\"")
        .skip(1)
        .filter_map(|t| t.split('>').nth(1)?.split('<').next())
        .collect();
    assert_eq!(
        values,
        [
            "88.00", "70.00", "100.00", "100.00", "91.60", "100.00", "95.80"
        ]
    );
    assert!(second_row.contains("class=\"cell h3\"") && second_row.contains("class=\"cell h2\""));

    // A trend per unit, on a scale of 70 to 100: 丙科 has no February, so
    // its January is a dot alone and its line starts in March.
    assert!(first.contains("縱軸 70 至 100 分"));
    assert_eq!(first.matches("<svg class=\"trend\"").count(), 3);
    let third = element(&first, "aria-label=\"丙科 得分走勢\"", "</svg>");
    assert_eq!(third.matches("<polyline class=\"unit\"").count(), 1);
    assert_eq!(third.matches("<circle").count(), 5);
}

#[test]
fn the_html_page_escapes_what_the_data_says() {
    let page = page("html-escape", "<b>丁&科,2015-01-08,暗訪,是,是,是\n");
    assert!(!page.contains("<b>丁"), "a key is text, never markup");
    assert!(page.contains("&lt;b&gt;丁&amp;科"));
}

#[test]
fn thousands_of_units_keep_the_page_short_and_say_what_it_left_out() {
    let mut rows = String::new();
    for unit in 0..1200 {
        rows.push_str(&format!(
            "U{unit:04},2015-02-0{},暗訪,是,{},是\n",
            1 + unit % 9,
            if unit % 3 == 0 { "否" } else { "是" }
        ));
    }
    let page = page("html-large", &rows);
    // The table and the heat map: the best and the worst 500 of 1203.
    assert!(
        page.contains("… 中間 203 個單位從略"),
        "the table and the heat map say so"
    );
    let heat = element(&page, "<svg id=\"heat-map\"", "</svg>");
    assert_eq!(heat.matches("<g class=\"row\">").count(), 1000);
    let table = element(&page, "<table class=\"units\">", "</table>");
    assert_eq!(table.matches("<tr><td>").count(), 1000);
    // The trends: the best and the worst 150.
    assert_eq!(page.matches("<svg class=\"trend\"").count(), 300);
    assert!(page.contains("只畫出名次最前的 150 個和最後的 150 個，其餘 903 個從略"));
}

/// Measures, once the page is laid out, each SVG's size and how many heat
/// map cells and trend lines were drawn with a size, into `#measured`.
const MEASURE: &str = r##"<script>
const lines = [];
for (const svg of document.querySelectorAll("svg")) {
  const box = svg.getBoundingClientRect();
  lines.push((svg.id || svg.getAttribute("class")) + " " + Math.round(box.width) + "x" + Math.round(box.height));
}
const drawn = (selector, sized) => [...document.querySelectorAll(selector)]
  .filter((shape) => sized(shape.getBBox())).length;
lines.push("cells " + drawn("#heat-map rect.cell", (box) => box.width > 0 && box.height > 0));
lines.push("lines " + drawn("svg.trend polyline.unit", (box) => box.width > 0));
const out = document.createElement("pre");
out.id = "measured";
out.textContent = lines.join("\n");
document.body.appendChild(out);
</script>
"##;

#[test]
fn a_person_sees_the_heat_map_and_the_trends_in_a_browser() {
    let Some(browser) = common::chromium() else {
        return;
    };
    let page = page("html-browser", "");
    // The page as it is, and the page with a script that measures it.
    let path = common::write_scratch("html-browser-page.html", &page);
    let shot = common::write_scratch("html-browser.png", "");
    let dom = common::page_in_chromium(&browser, &path, &shot);
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "a real screenshot"
    );
    assert_eq!(dom.matches("<rect class=\"cell ").count(), 27);
    assert_eq!(dom.matches("<svg class=\"trend\"").count(), 3);
    let measured = page.replace("</body>", &format!("{MEASURE}</body>"));
    let path = common::write_scratch("html-browser-measured.html", &measured);
    let dom = common::page_in_chromium(
        &browser,
        &path,
        &common::write_scratch("html-browser-measured.png", ""),
    );
    let measured = element(&dom, "<pre id=\"measured\">", "</pre>");
    let sizes: Vec<&str> = measured
        .trim_start_matches("<pre id=\"measured\">")
        .trim_end_matches("</pre>")
        .lines()
        .collect();
    assert_eq!(
        sizes.len(),
        6,
        "the heat map, three trends, cells and lines: {sizes:?}"
    );
    for size in &sizes[..4] {
        let (name, size) = size.rsplit_once(' ').expect("name and size");
        let (width, height) = size.split_once('x').expect("width x height");
        let (width, height): (u32, u32) = (
            width.parse().expect("a width"),
            height.parse().expect("a height"),
        );
        assert!(
            width > 100 && height > 50,
            "{name} is drawn {width}×{height}"
        );
    }
    assert!(sizes[0].starts_with("heat-map "), "{sizes:?}");
    assert_eq!(sizes[4], "cells 27");
    assert_eq!(
        sizes[5], "lines 3",
        "a line for each unit (丙科's January is a dot)"
    );
}

fn cell(sheet: &calamine::Range<Data>, row: u32, column: u32) -> String {
    sheet
        .get_value((row, column))
        .map(ToString::to_string)
        .unwrap_or_default()
}

fn row(sheet: &calamine::Range<Data>, row: u32) -> Vec<String> {
    (0..sheet.width() as u32)
        .map(|c| cell(sheet, row, c))
        .collect()
}

/// A date cell as Excel keeps it: days since 1899-12-30.
fn day(sheet: &calamine::Range<Data>, row: u32, column: u32) -> f64 {
    match sheet.get_value((row, column)) {
        Some(Data::DateTime(date)) => date.as_f64(),
        other => panic!("not a date: {other:?}"),
    }
}

#[test]
fn the_workbook_reads_back_sheet_by_sheet() {
    let (code, path, log) = rollup("workbook", "xlsx", &[]);
    assert_eq!(code, Some(0), "{log}");
    let mut book: Xlsx<_> = open_workbook(&path).expect("an xlsx workbook");
    assert_eq!(
        book.sheet_names().join(","),
        "匯總,單位,月度得分,季度得分,年度得分,重複問題,目標"
    );

    let summary = book.worksheet_range("匯總").expect("the summary");
    assert_eq!(row(&summary, 0)[..2], ["考核", "2015年上半年考核"]);
    assert_eq!(row(&summary, 1)[..2], ["標準", "機關環境年度考核試點"]);
    assert_eq!(
        row(&summary, 2)[..2],
        ["考核期間", "2015-01-01 至 2015-06-30"]
    );
    assert_eq!(row(&summary, 3)[..2], ["受檢單位", "3"]);
    assert_eq!(
        summary.get_value((3, 1)),
        Some(&Data::Float(3.0)),
        "a count is a number"
    );
    assert_eq!(row(&summary, 5)[..2], ["計入檢查", "20"]);
    assert_eq!(row(&summary, 8)[..4], ["等次", "單位數", "佔比", "名額"]);
    assert_eq!(
        row(&summary, 9)[..4],
        ["先進", "1", &(1.0 / 3.0).to_string(), "1"]
    );
    assert_eq!(
        row(&summary, 10)[..4],
        ["達標", "1", &(1.0 / 3.0).to_string(), ""]
    );
    assert_eq!(
        row(&summary, 13)[..5],
        ["目標", "期限", "達到", "單位數", "達標率"]
    );
    assert_eq!(cell(&summary, 14, 0), "上牆");
    assert_eq!(day(&summary, 14, 1), 42185.0, "2015-06-30");
    assert_eq!(
        row(&summary, 14)[2..5],
        ["2", "3", &(2.0 / 3.0).to_string()]
    );
    assert_eq!(
        row(&summary, 16)[..2],
        ["計分方法", "月度 = 60% 暗訪 + 40% 月檢"]
    );

    let units = book.worksheet_range("單位").expect("the units");
    assert_eq!(
        row(&units, 0).join(","),
        "單位,年度得分,等次,名次,扣減前得分,重複扣分,暗訪次數,月檢次數,季檢次數,上牆首次達到,上牆截止時"
    );
    assert_eq!(
        row(&units, 2)[..9],
        ["乙科", "93.8", "達標", "2", "95.8", "2", "3", "3", "1"]
    );
    assert_eq!(
        units.get_value((2, 1)),
        Some(&Data::Float(93.8)),
        "a score is a number"
    );
    assert_eq!(day(&units, 2, 9), 42010.0, "2015-01-06");
    assert_eq!(
        day(&units, 3, 9),
        42134.0,
        "丙科 first met it on 2015-05-10"
    );
    assert_eq!(row(&units, 3)[10], "未達到");

    let months = book.worksheet_range("月度得分").expect("the months");
    assert_eq!(
        row(&months, 0),
        [
            "單位",
            "2015年1月",
            "2015年2月",
            "2015年3月",
            "2015年4月",
            "2015年5月",
            "2015年6月"
        ]
    );
    assert_eq!(row(&months, 2), ["乙科", "88", "70", "100", "100", "", ""]);
    assert_eq!(row(&months, 3), ["丙科", "70", "", "70", "70", "100", "70"]);
    let quarters = book.worksheet_range("季度得分").expect("the quarters");
    assert_eq!(
        row(&quarters, 0),
        ["單位", "2015年第1季度", "2015年第2季度"]
    );
    assert_eq!(quarters.get_value((2, 1)), Some(&Data::Float(91.6)));
    let year = book.worksheet_range("年度得分").expect("the year");
    assert_eq!(row(&year, 3), ["丙科", "75"]);

    let repeats = book.worksheet_range("重複問題").expect("the repeats");
    assert_eq!(
        row(&repeats, 0),
        ["單位", "規則", "名稱", "責任", "期間", "次數", "扣分"]
    );
    assert_eq!(
        row(&repeats, 1),
        [
            "乙科",
            "A2",
            "物品整齊",
            "各科室",
            "2015年1月–2015年2月",
            "1",
            "2"
        ]
    );
    assert_eq!(
        row(&repeats, 2),
        [
            "丙科",
            "B1",
            "制度上牆",
            "（未指定責任）",
            "2015年3月–2015年4月",
            "1",
            "2"
        ]
    );
    assert_eq!(repeats.get_value((2, 6)), Some(&Data::Float(2.0)));

    let targets = book.worksheet_range("目標").expect("the targets");
    assert_eq!(row(&targets, 0), ["單位", "目標", "首次達到", "截止時"]);
    assert_eq!(targets.height(), 4, "a header and a row per unit");
    assert_eq!(day(&targets, 3, 2), 42134.0);
    assert_eq!(row(&targets, 3)[3], "未達到");
}

#[test]
fn a_workbook_is_in_the_language_asked_for_and_needs_a_file() {
    let (code, path, log) = rollup(
        "workbook-en",
        "xlsx",
        &["--lang", "en", "--group-by", "單位"],
    );
    assert_eq!(code, Some(0), "{log}");
    let mut book: Xlsx<_> = open_workbook(&path).expect("an xlsx workbook");
    assert_eq!(
        book.sheet_names().join(","),
        "Summary,Units,Scores by month,Scores by quarter,Scores by year,Repeats,Targets"
    );
    let months = book.worksheet_range("Scores by month").expect("the months");
    assert_eq!(
        row(&months, 0)[..3],
        ["單位", "單位", "2015-01"],
        "key, group, periods"
    );

    let (standard, data) = fixture("workbook-stdout", "");
    let output = yardstick(&["rollup", &standard, &data, "--format", "xlsx"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: `--format xlsx` writes a workbook: name it with `-o FILE.xlsx`\n"
    );
}
