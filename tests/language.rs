//! One language per output (SPEC §1 `language`, §7): the standard's own,
//! by default the one of its title, or `--lang`; every human-facing format
//! in English, Traditional and Simplified Chinese; CSV for Excel (a
//! byte-order mark, no formula runs); what cost points is shown (missing
//! values beside failures, a veto named in the grade); published reports
//! name files, never folders of this machine.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{stderr, stdout, write_scratch, yardstick};

/// An English standard: a veto rule, a bonus rule, an optional field.
const ENGLISH: &str = "tests/data/language/canteen.std";
/// Its data: a key that looks like a formula, a failed veto, a blank
/// optional value, a bad cell.
const ENGLISH_DATA: &str = "tests/data/language/canteen.csv";
/// The same standard written in Traditional Chinese.
const CHINESE: &str = "tests/data/language/canteen-zh.std";
/// Its data.
const CHINESE_DATA: &str = "tests/data/language/食堂檢查.csv";

/// `eval` with these arguments: the data had one bad cell (exit 3), and
/// the results were written all the same.
fn eval(args: &[&str]) -> String {
    let mut all = vec!["eval"];
    all.extend(args);
    let output = yardstick(&all);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn an_english_standard_gets_english_outputs() {
    for (name, format) in [
        ("table", vec!["--format", "table"]),
        ("markdown", vec!["--format", "markdown"]),
        ("csv", vec!["--format", "csv"]),
        ("csv_detail", vec!["--format", "csv", "--detail"]),
    ] {
        let mut args = vec![ENGLISH, ENGLISH_DATA];
        args.extend(format);
        insta::assert_snapshot!(format!("english_{name}"), eval(&args));
    }
}

#[test]
fn a_chinese_standard_gets_chinese_outputs_in_either_script() {
    for language in ["zh-Hant", "zh-Hans"] {
        for format in ["table", "markdown", "csv"] {
            let text = eval(&[
                CHINESE,
                CHINESE_DATA,
                "--format",
                format,
                "--lang",
                language,
            ]);
            insta::assert_snapshot!(format!("chinese_{language}_{format}"), text);
        }
    }
    let simplified = eval(&[
        CHINESE,
        CHINESE_DATA,
        "--format",
        "table",
        "--lang",
        "zh-Hans",
    ]);
    for traditional in ["不合格項", "缺值項", "受檢單位", "一票否決"] {
        assert!(
            !simplified.contains(traditional),
            "our words are Simplified: {traditional}"
        );
    }
    // The standard's own words (its grades, titles) stay as written.
    assert!(
        simplified.contains("不達標（一票否决：K1）"),
        "{simplified}"
    );
}

/// The header line of `eval --format csv` for a standard's text.
fn csv_heading(standard: &str, more: &[&str]) -> String {
    let path = write_scratch(
        standard,
        &std::fs::read_to_string(CHINESE).expect("the standard"),
    );
    let text = std::fs::read_to_string(&path).expect("the copy").replacen(
        "title     \"機關食堂衛生檢查標準\"",
        more[0],
        1,
    );
    std::fs::write(&path, text).expect("the standard is written");
    let mut args = vec![path.as_str(), CHINESE_DATA, "--format", "csv", "--no-bom"];
    args.extend(&more[1..]);
    eval(&args).lines().next().unwrap_or_default().to_owned()
}

#[test]
fn the_language_is_the_titles_unless_the_standard_or_lang_says() {
    let traditional = "檔口,得分,等次,不合格項,缺值項,一票否決";
    let simplified = "檔口,得分,等次,不合格项,缺值项,一票否决";
    let english = "檔口,score,grade,failed,missing,veto";
    let cases: [(&str, &[&str], &str); 6] = [
        (
            "title-traditional.std",
            &["title \"機關食堂衛生檢查標準\""],
            traditional,
        ),
        (
            "title-simplified.std",
            &["title \"机关食堂卫生检查标准\""],
            simplified,
        ),
        ("title-english.std", &["title \"Canteen hygiene\""], english),
        (
            "language-en.std",
            &["title \"機關食堂衛生檢查標準\"\n  language \"en\""],
            english,
        ),
        (
            "language-hans.std",
            &["title \"Canteen hygiene\"\n  language \"zh-Hans\""],
            simplified,
        ),
        (
            "lang-flag.std",
            &[
                "title \"Canteen hygiene\"\n  language \"en\"",
                "--lang",
                "zh-Hant",
            ],
            traditional,
        ),
    ];
    for (file, more, expected) in cases {
        assert_eq!(csv_heading(file, more), expected, "{file}");
    }
}

#[test]
fn editions_inherit_the_language_and_diff_shows_a_change() {
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join("language-editions");
    std::fs::create_dir_all(&directory).expect("a scratch directory");
    let base = std::fs::read_to_string(CHINESE)
        .expect("the standard")
        .replacen("version   2020", "version   2020\n  language  \"en\"", 1);
    std::fs::write(directory.join("2020.std"), base).expect("2020");
    std::fs::write(
        directory.join("2021.std"),
        "standard canteen_zh {\n  extends   \"2020.std\"\n  version   2021\n  effective 2021-01-01\n}\n",
    )
    .expect("2021");
    std::fs::write(
        directory.join("2022.std"),
        "standard canteen_zh {\n  extends   \"2021.std\"\n  version   2022\n  effective 2022-01-01\n  language  \"zh-Hant\"\n}\n",
    )
    .expect("2022");
    let directory = directory.to_string_lossy().into_owned();
    let inherited = eval(&[
        &directory,
        CHINESE_DATA,
        "--edition",
        "2021",
        "--format",
        "csv",
        "--no-bom",
    ]);
    assert!(
        inherited.starts_with("檔口,score,grade,"),
        "2021 inherits `language \"en\"`: {inherited}"
    );
    let output = yardstick(&[
        "diff", &directory, "--from", "2021", "--to", "2022", "--format", "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let document: serde_json::Value =
        serde_json::from_str(&stdout(&output)).expect("the diff is JSON");
    let header = document["diff"]["header"]
        .as_array()
        .expect("header changes");
    assert!(
        header.contains(&serde_json::json!({"what": "language", "old": "en", "new": "zh-Hant"})),
        "{header:?}"
    );
    let table = yardstick(&["diff", &directory, "--from", "2021", "--to", "2022"]);
    assert!(
        stdout(&table).contains("語言"),
        "the new edition's language: {}",
        stdout(&table)
    );
}

#[test]
fn csv_results_open_in_excel_and_never_run_a_formula() {
    let csv = eval(&[ENGLISH, ENGLISH_DATA, "--format", "csv"]);
    assert!(csv.starts_with("\u{feff}Stall,score,grade,failed,missing,veto\n"));
    let lines: Vec<&str> = csv.lines().collect();
    // A key that a spreadsheet would run, guarded (and quoted: it holds a quote).
    assert_eq!(
        lines[2],
        "\"'=HYPERLINK(\"\"http://x\"\")\",62.50,fair,K2;K3,S2,"
    );
    assert_eq!(lines[4], "'-Tea,75.00,fair,,S1;S2,");
    // The grade stays the band's name; the veto is its own column.
    // The bonus S2 that earned nothing is no failure.
    assert_eq!(lines[3], "Dumplings,75.00,fail,K1,,K1");
    // Numbers are numbers: nothing before them.
    assert_eq!(lines[1], "Noodles,100.00,good,,,");

    let plain = eval(&[ENGLISH, ENGLISH_DATA, "--format", "csv", "--no-bom"]);
    assert_eq!(plain.strip_prefix('\u{feff}'), None);
    assert_eq!(format!("\u{feff}{plain}"), csv);
}

/// An HTML report of the Chinese standard, its data named by an absolute
/// path, as a user's machine would have it.
fn chinese_html(language: &str, name: &str) -> String {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join(CHINESE_DATA);
    let path = write_scratch(name, "");
    let output = yardstick(&[
        "eval",
        CHINESE,
        &data.to_string_lossy(),
        "--lang",
        language,
        "-o",
        &path,
    ]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    std::fs::read_to_string(&path).expect("the page")
}

#[test]
fn the_html_report_shows_what_cost_points_and_names_no_folder() {
    let page = chinese_html("zh-Hant", "canteen-zh.html");
    assert!(page.contains("<html lang=\"zh-Hant\">"));
    for part in [
        "不達標（一票否決：K1）",
        "食堂檢查.csv 第4行",
        "<span class=\"fair\">（缺值）</span>",
        "冷藏溫度：（空白）",
        "泔水桶加蓋：否",
        "缺值單位<b id=\"missing-units\">3</b>",
        "<td>食堂檢查.csv</td><td class=\"num\">6</td><td>蟲鼠跡象(處)</td><td>很多</td><td>應為0 或正整數</td>",
    ] {
        assert!(page.contains(part), "missing {part}");
    }
    let folder = env!("CARGO_MANIFEST_DIR");
    assert!(!page.contains(folder), "a folder of this machine");
    assert!(
        !page.contains("tests&#x2f;data"),
        "a folder of this machine"
    );

    let simplified = chinese_html("zh-Hans", "canteen-zh-hans.html");
    assert!(simplified.contains("<html lang=\"zh-Hans\">"));
    assert!(simplified.contains("<h2>扣分明细</h2>"));
    assert!(
        simplified.contains("食堂檢查.csv 第4行"),
        "file names as they are"
    );

    let path = write_scratch("canteen-en.html", "");
    let output = yardstick(&["eval", ENGLISH, ENGLISH_DATA, "-o", &path]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let english = std::fs::read_to_string(&path).expect("the page");
    assert!(english.contains("<html lang=\"en\">"));
    for part in [
        "<h2>Scorecards</h2>",
        "fail (veto: K1)",
        "canteen.csv line 4",
        "Swill bins sealed: no",
        "Fridge temperature: (blank)",
        "<td>not a count</td>",
    ] {
        assert!(english.contains(part), "missing {part}");
    }
    let han = english
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count();
    assert_eq!(han, 0, "no Chinese in an English report");
}

fn cell(sheet: &calamine::Range<Data>, row: u32, column: u32) -> String {
    sheet
        .get_value((row, column))
        .map(ToString::to_string)
        .unwrap_or_default()
}

#[test]
fn the_workbook_speaks_the_language_and_shows_what_cost_points() {
    let path = write_scratch("canteen.xlsx", "");
    let output = yardstick(&["eval", ENGLISH, ENGLISH_DATA, "-o", &path]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    let mut book: Xlsx<_> = open_workbook(&path).expect("an xlsx workbook");
    assert_eq!(book.sheet_names(), ["Summary", "Units", "Rules", "Ledger"]);
    let summary = book.worksheet_range("Summary").expect("Summary");
    let label = |row| cell(&summary, row, 0);
    assert_eq!(label(2), "units");
    assert_eq!(summary.get_value((2, 1)), Some(&Data::Float(5.0)));
    assert_eq!(label(3), "average score");
    assert_eq!(summary.get_value((3, 1)), Some(&Data::Float(77.9)));

    let units = book.worksheet_range("Units").expect("Units");
    let header: Vec<String> = (0..11).map(|c| cell(&units, 0, c)).collect();
    assert_eq!(
        header,
        [
            "Stall",
            "edition",
            "rank",
            "score",
            "grade",
            "failed rules",
            "missing",
            "data errors",
            "K Kitchen",
            "S Storage",
            ""
        ]
    );
    let dumplings: Vec<String> = (0..10).map(|c| cell(&units, 3, c)).collect();
    assert_eq!(
        dumplings,
        [
            "Dumplings",
            "2020",
            "3",
            "75",
            "fail (veto: K1)",
            "K1",
            "",
            "0",
            "66.67",
            "100"
        ]
    );
    let tea: Vec<String> = (0..10).map(|c| cell(&units, 4, c)).collect();
    assert_eq!(tea[6], "S1 S2", "rules missing a value: {tea:?}");
    assert_eq!(tea[9], "0", "S1 applied and lost its points");

    let ledger = book.worksheet_range("Ledger").expect("Ledger");
    let missing = (1..ledger.height() as u32)
        .find(|&r| cell(&ledger, r, 0) == "-Tea" && cell(&ledger, r, 1) == "S1")
        .expect("-Tea lost S1 for a missing value");
    assert_eq!(cell(&ledger, missing, 3), "missing");
    assert_eq!(cell(&ledger, missing, 4), "Fridge temperature: (blank)");
    assert_eq!(cell(&ledger, missing, 8), "canteen.csv line 5");
    // The bonus S2 that Dumplings did not earn lost no points: not in the ledger.
    assert!(
        !(1..ledger.height() as u32)
            .any(|r| cell(&ledger, r, 0) == "Dumplings" && cell(&ledger, r, 1) == "S2"),
        "a bonus not earned is no lost point"
    );
}
