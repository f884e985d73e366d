//! `eval --waivers`: approved exceptions (豁免). A waived failure is reported
//! as `waived` with its justification in every format, scores as the waiver
//! says, and an expired waiver no longer applies.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{stderr, stdout, write_scratch, yardstick};

const STANDARD: &str = "standards/office_environment/2015.std";
const DATA: &str = "examples/inspections-2015.csv";
const WAIVERS: &str = "tests/data/waivers/2015.csv";

/// `eval` of the 2015 data with English words (the CSV without its
/// byte-order mark), so that the words of waivers are checked in English;
/// the HTML and Excel reports below are checked in Chinese.
fn eval(format: &str, waivers: Option<&str>) -> std::process::Output {
    let mut args = vec![
        "eval", STANDARD, DATA, "--format", format, "--lang", "en", "--no-bom",
    ];
    if let Some(file) = waivers {
        args.extend(["--waivers", file]);
    }
    yardstick(&args)
}

/// The CSV line of a unit.
fn line_of<'a>(csv: &'a str, unit: &str) -> &'a str {
    csv.lines()
        .find(|line| line.starts_with(&format!("{unit},")))
        .unwrap_or_else(|| panic!("no line for {unit} in\n{csv}"))
}

#[test]
fn a_waived_failure_scores_as_the_waiver_says_and_is_listed_apart() {
    let without = eval("csv", None);
    let with = eval("csv", Some(WAIVERS));
    assert_eq!(with.status.code(), Some(0), "{}", stderr(&with));
    let (without, with) = (stdout(&without), stdout(&with));
    assert!(with.starts_with("受檢科室,score,grade,failed,missing,waived\n"));
    // D1 (6 points) scores as n/a: 組織科 earned 73.5 of 96, now of 90.
    assert_eq!(
        line_of(&without, "組織科"),
        "組織科,76.56,不達標,A3;A6;B3;C1;D1;E2;E3;G4;H2,"
    );
    assert_eq!(
        line_of(&with, "組織科"),
        "組織科,81.67,達標,A3;A6;B3;C1;E2;E3;G4;H2,,D1"
    );
    // A6 (3 points) scores as a pass: 93 → 96, and the grade with it.
    assert_eq!(
        line_of(&without, "執法大隊"),
        "執法大隊,93.00,達標,A2;A6;C1,"
    );
    assert_eq!(line_of(&with, "執法大隊"), "執法大隊,96.00,示範,A2;C1,,A6");
    // A waiver for a rule the unit passed changes nothing.
    assert_eq!(line_of(&with, "辦公室"), "辦公室,100.00,示範,,,");
}

#[test]
fn an_expired_waiver_no_longer_applies_and_says_so() {
    let output = eval("csv", Some(WAIVERS));
    // 宣傳科 was inspected on 2015-11-15; its D1 waiver ended on 2015-06-30.
    assert!(line_of(&stdout(&output), "宣傳科").contains(";D1;"));
    assert!(line_of(&stdout(&output), "宣傳科").ends_with(','));
    let err = stderr(&output);
    assert!(
        err.contains(
            "warning: unit `宣傳科` failed rule D1: its waiver (tests/data/waivers/2015.csv line 3) expired on 2015-06-30, before the inspection on 2015-11-15, so the failure counts"
        ),
        "{err}"
    );
    assert!(err.contains("2 failures waived by `tests/data/waivers/2015.csv`"));
}

#[test]
fn json_gives_the_waiver_with_the_outcome() {
    let output = eval("json", Some(WAIVERS));
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the output is JSON");
    let unit = json["results"]
        .as_array()
        .and_then(|r| r.iter().find(|u| u["key"] == "組織科"))
        .expect("組織科 is in the results");
    assert_eq!(unit["waived"], serde_json::json!(["D1"]));
    assert!(
        !unit["failed"]
            .as_array()
            .expect("a list")
            .contains(&"D1".into())
    );
    let d1 = unit["rules"]
        .as_array()
        .and_then(|r| r.iter().find(|rule| rule["id"] == "D1"))
        .expect("rule D1");
    assert_eq!(d1["outcome"], "waived");
    assert_eq!(
        d1["waiver"]["justification"],
        "綠化改造工程施工中，竣工後復查"
    );
    assert_eq!(d1["waiver"]["approved_by"], "王主任");
    assert_eq!(d1["waiver"]["expires"], "2015-12-31");
    assert_eq!(d1["waiver"]["scores_as"], "n/a");
    assert_eq!(d1["observed"]["green_coverage"].to_string(), "22.5");
    assert_eq!(
        json["summary"]["waived"],
        serde_json::json!({"A6": 1, "D1": 1})
    );
}

#[test]
fn the_table_and_markdown_list_each_waived_failure() {
    let table = stdout(&eval("table", Some(WAIVERS)));
    let tail: String = table
        .lines()
        .skip_while(|l| !l.starts_with("waived:"))
        .map(|l| format!("{l}\n"))
        .collect();
    insta::assert_snapshot!("table_waived", tail);
    let markdown = stdout(&eval("markdown", Some(WAIVERS)));
    let section = markdown
        .split("## Waived failures")
        .nth(1)
        .expect("a section of waived failures");
    insta::assert_snapshot!("markdown_waived", section);
}

#[test]
fn the_reports_show_waived_failures() {
    let directory = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("waivers");
    std::fs::create_dir_all(&directory).expect("a scratch directory");
    let html = directory.join("report.html").to_string_lossy().into_owned();
    let output = yardstick(&["eval", STANDARD, DATA, "--waivers", WAIVERS, "-o", &html]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let page = std::fs::read_to_string(&html).expect("the page");
    assert!(page.contains("<h2>豁免的不合格項</h2>"));
    assert!(page.contains(
        "綠化改造工程施工中，竣工後復查（批准人 王主任，有效期至 2015-12-31，計分 不適用）"
    ));

    let xlsx = directory.join("report.xlsx").to_string_lossy().into_owned();
    let output = yardstick(&["eval", STANDARD, DATA, "--waivers", WAIVERS, "-o", &xlsx]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mut book: Xlsx<_> = open_workbook(&xlsx).expect("an xlsx workbook");
    let ledger = book.worksheet_range("整改台賬").expect("the ledger");
    let waived: Vec<Vec<String>> = ledger
        .rows()
        .filter(|row| row.get(3) == Some(&Data::String("豁免".into())))
        .map(|row| {
            [0, 1, 5, 10]
                .iter()
                .map(|&c| row.get(c).map(ToString::to_string).unwrap_or_default())
                .collect()
        })
        .collect();
    assert_eq!(
        waived,
        [
            vec![
                "組織科",
                "D1",
                "0",
                "豁免：綠化改造工程施工中，竣工後復查（批准人 王主任，有效期至 2015-12-31，計分 不適用）"
            ],
            vec![
                "執法大隊",
                "A6",
                "0",
                "豁免：檔案室搬遷期間物品臨時堆放（批准人 李局長，有效期至 2015-12-31，計分 合格）"
            ],
        ]
    );
}

/// A standard without `dated_by`: a waiver's expiry is compared with `--as-of`.
const UNDATED: &str = "standard undated {\n  title \"t\"\n  version 1\n  key unit\n}\n\nfields {\n  unit text \"單位\"\n  ok bool \"合格\"\n  tidy bool \"整齊\"\n}\n\nsection S \"s\" {\n  rule R1 \"合格\" {\n    require ok\n    points 10\n  }\n  rule R2 \"整齊\" {\n    require tidy\n    points 10\n  }\n}\n";

#[test]
fn without_an_inspection_date_the_expiry_is_compared_with_as_of() {
    let standard = write_scratch("undated.std", UNDATED);
    let data = write_scratch("undated.csv", "單位,合格,整齊\n甲,否,是\n乙,是,是\n");
    let waivers = write_scratch(
        "undated-waivers.csv",
        "unit,rule,justification,approved_by,expires\n甲,R1,整改中,局長,2020-01-01\n",
    );
    let at = |date: &str| {
        let output = yardstick(&[
            "eval",
            &standard,
            &data,
            "--waivers",
            &waivers,
            "--as-of",
            date,
            "--only-failed",
            "--format",
            "csv",
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        stdout(&output)
    };
    // On the last day it covers, the waiver applies; a unit whose only
    // failure was waived is still listed by --only-failed.
    assert_eq!(
        at("2020-01-01"),
        "\u{feff}單位,score,grade,failed,missing,waived\n甲,100.00,,,,R1\n"
    );
    assert_eq!(
        at("2020-01-02"),
        "\u{feff}單位,score,grade,failed,missing,waived\n甲,50.00,,R1,,\n"
    );
    // A unit whose only failure was waived is explained as such.
    let explained = yardstick(&[
        "eval",
        &standard,
        &data,
        "--waivers",
        &waivers,
        "--as-of",
        "2020-01-01",
        "--explain",
        "甲",
        "--format",
        "csv",
    ]);
    assert!(
        stderr(&explained).contains("甲 failed no rule (score 100.00; waived: R1)"),
        "{}",
        stderr(&explained)
    );
}

#[test]
fn a_wrong_waiver_file_is_refused_with_every_mistake_named() {
    let waivers = write_scratch(
        "wrong-waivers.csv",
        "受檢科室,規則,理由,批准人,有效期至,計分\n\
         組織科,D9,施工,王主任,2015-12-31,\n\
         宣傳科,D1,,王主任,2015-13-01,\n\
         執法大隊,A6,搬遷,李局長,2015-12-31,maybe\n",
    );
    let output = eval("table", Some(&waivers));
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "nothing is scored");
    let err = stderr(&output).replace(&waivers, "wrong-waivers.csv");
    insta::assert_snapshot!("wrong_waivers", err);

    let missing = write_scratch("no-columns.csv", "unit,rule\n組織科,D1\n");
    let output = eval("table", Some(&missing));
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output).replace(&missing, "no-columns.csv");
    assert!(
        err.contains(
            "error: `no-columns.csv` has no column `justification`; its columns are: unit, rule"
        ),
        "{err}"
    );
}

#[test]
fn a_waiver_whose_unit_is_not_in_the_data_is_named() {
    let waivers = write_scratch(
        "typo-waivers.csv",
        "unit,rule,justification,approved_by,expires\n組織 科,D1,施工,王主任,2015-12-31\n組織科,D1,施工,王主任,2015-12-31\n",
    );
    let output = eval("csv", Some(&waivers));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let err = stderr(&output).replace(&waivers, "typo-waivers.csv");
    assert!(
        err.contains("warning: the waiver for unit `組織 科` rule D1 (typo-waivers.csv line 2) matched no record: no unit of the data has that key"),
        "{err}"
    );
    assert!(!err.contains("line 3) matched no record"), "{err}");
}

#[test]
fn an_empty_waiver_file_waives_nothing() {
    for (name, text) in [("empty-waivers.json", "[]"), ("empty-waivers.csv", "")] {
        let waivers = write_scratch(name, text);
        let output = eval("csv", Some(&waivers));
        assert_eq!(output.status.code(), Some(0), "{name}: {}", stderr(&output));
        assert!(
            stderr(&output).starts_with("0 failures waived"),
            "{}",
            stderr(&output)
        );
    }
}

#[test]
fn a_waiver_may_name_a_rule_of_another_edition() {
    // A8 is new in 2016; scored by 2015, its waiver covers nothing.
    let waivers = write_scratch(
        "a8-waivers.csv",
        "unit,rule,justification,approved_by,expires\n組織科,A8,施工,王主任,2016-12-31\n",
    );
    let output = yardstick(&[
        "eval",
        "standards/office_environment",
        DATA,
        "--edition",
        "2015",
        "--waivers",
        &waivers,
        "--format",
        "csv",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).starts_with("0 failures waived"));
}

/// A standard with a bonus and a veto rule.
const BONUS_VETO: &str = "standard bv {\n  title \"t\"\n  version 1\n  key unit\n}\n\nfields {\n  unit text\n  ok bool\n  extra bool\n  safe bool\n}\n\nsection S \"s\" {\n  rule R1 \"r\" {\n    require ok\n    points 10\n  }\n  rule B1 \"b\" bonus {\n    require extra\n    points 5\n  }\n  rule V1 \"v\" veto {\n    require safe\n    points 10\n  }\n}\n\ngrades {\n  \"好\" when score >= 80\n  \"差\" otherwise\n}\n";

#[test]
fn a_waived_veto_vetoes_nothing_and_a_bonus_is_never_waived() {
    let standard = write_scratch("bonus-veto.std", BONUS_VETO);
    let data = write_scratch("bonus-veto.csv", "unit,ok,extra,safe\n甲,否,否,否\n");
    let waivers = write_scratch(
        "bonus-veto-waivers.csv",
        "unit,rule,justification,approved_by,expires,scores_as\n甲,V1,v,a,2020-01-01,pass\n甲,B1,b,a,2020-01-01,pass\n",
    );
    let run = |waivers: Option<&str>| {
        let mut args = vec![
            "eval",
            &standard,
            &data,
            "--format",
            "csv",
            "--as-of",
            "2019-01-01",
        ];
        if let Some(file) = waivers {
            args.extend(["--waivers", file]);
        }
        stdout(&yardstick(&args))
    };
    // Without waivers: R1 and V1 fail, the veto gives the last grade and
    // is named in its own column; the bonus B1 is `not earned`, no failure.
    assert_eq!(
        run(None),
        "\u{feff}unit,score,grade,failed,missing,veto\n甲,0.00,差,R1;V1,,V1\n"
    );
    // V1 waived as a pass: 10 of 20, no veto; B1 did not fail, so its
    // waiver excuses nothing and gives no bonus.
    assert_eq!(
        run(Some(&waivers)),
        "\u{feff}unit,score,grade,failed,missing,waived,veto\n甲,50.00,差,R1,,V1,\n"
    );
}

#[test]
fn a_waiver_file_with_two_columns_headed_alike_is_refused() {
    let waivers = write_scratch(
        "twice-headed-waivers.csv",
        "受檢科室,規則,理由,批准人,有效期至,理由\n\
         組織科,D1,施工,王主任,2015-12-31,搬遷\n",
    );
    let output = eval("table", Some(&waivers));
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "nothing is scored");
    let err = stderr(&output).replace(&waivers, "twice-headed-waivers.csv");
    assert!(
        err.contains("`twice-headed-waivers.csv` has two columns headed `理由` (columns 3 and 6)"),
        "{err}"
    );
}

#[test]
fn waivers_read_alike_from_json_and_from_a_workbook_with_date_cells() {
    let expected = stdout(&eval("csv", Some(WAIVERS)));
    let json = write_scratch(
        "waivers-2015.json",
        r#"[{"受檢科室": "組織科", "規則": "D1", "豁免理由": "綠化改造工程施工中，竣工後復查", "批准人": "王主任", "有效期至": "2015-12-31"},
            {"受檢科室": "宣傳科", "規則": "D1", "豁免理由": "辦公樓外牆施工，綠地臨時佔用", "批准人": "王主任", "有效期至": "2015-06-30", "計分": "n/a"},
            {"受檢科室": "執法大隊", "規則": "A6", "豁免理由": "檔案室搬遷期間物品臨時堆放", "批准人": "李局長", "有效期至": "2015/12/31", "計分": "pass"},
            {"受檢科室": "辦公室", "規則": "A2", "豁免理由": "不會用到的豁免", "批准人": "王主任", "有效期至": "2015-12-31"}]"#,
    );
    assert_eq!(stdout(&eval("csv", Some(&json))), expected);

    // The same rows in a workbook, the expiry typed as Excel dates.
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let directory = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("waivers");
    std::fs::create_dir_all(&directory).expect("a scratch directory");
    let path = directory.join("waivers-2015.xlsx");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let csv = std::fs::read_to_string(WAIVERS).expect("the waivers");
    for (row, line) in csv.lines().enumerate() {
        let r = u32::try_from(row).expect("a row");
        for (column, cell) in line.split(',').enumerate() {
            let c = u16::try_from(column).expect("a column");
            let written = match (row, column) {
                (1.., 4) => {
                    let day =
                        ExcelDateTime::parse_from_str(&cell.replace('/', "-")).expect("a date");
                    sheet.write_datetime_with_format(r, c, &day, &date)
                }
                _ if cell.is_empty() => continue,
                _ => sheet.write_string(r, c, cell),
            };
            written.expect("a cell");
        }
    }
    workbook.save(&path).expect("the workbook is written");
    let xlsx = path.to_string_lossy().into_owned();
    let output = eval("csv", Some(&xlsx));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), expected);
}
