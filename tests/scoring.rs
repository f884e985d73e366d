//! Scoring as officials write it (SPEC §3, issue 19), computed by hand:
//! bonus points on top of the base score up to `cap`, variable points,
//! capped deductions, points at any scale, `info` fields and `remove field`.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails by panicking"
)]

mod common;

use common::{stderr, stdout, write_scratch, yardstick};

/// `eval --format csv --no-bom` of a standard and data written here; the
/// exit code and the output (stderr is printed, for a failing test).
fn eval(name: &str, standard: &str, data: &str) -> (Option<i32>, String) {
    let standard = write_scratch(&format!("{name}.std"), standard);
    let data = write_scratch(&format!("{name}.csv"), data);
    let output = yardstick(&["eval", &standard, &data, "--format", "csv", "--no-bom"]);
    eprintln!("{}", stderr(&output));
    (output.status.code(), stdout(&output))
}

#[test]
fn points_with_more_than_nine_decimals_are_scored_exactly() {
    let (code, output) = eval(
        "ten-decimals",
        "standard s { key unit }\n\
         fields { unit text  a bool  b bool }\n\
         rule R1 { require a  points 1.0000000001 }\n\
         rule R2 { require b  points 1 }\n",
        "unit,a,b\n甲,true,false\n乙,false,true\n",
    );
    assert_eq!(code, Some(0), "{output}");
    // 1.0000000001 / 2.0000000001 = 50.0000000025 and 1 / 2.0000000001 =
    // 49.9999999975: both 50.00, neither 0 nor 100.
    assert_eq!(
        output,
        "unit,score,grade,failed,missing\n甲,50.00,,R2,\n乙,50.00,,R1,\n"
    );
}

/// A weighted standard whose section B has one ordinary rule and two bonus
/// rules (the bug of issue 19: the bonuses were worth 0 or 8 points
/// depending on the ordinary rule).
const WEIGHTED_BONUS: &str = "standard s { key unit  cap 105 }
fields { unit text  clean bool  staffed bool?  trained bool  praised bool }
section A \"環境\" weight 1 {
  rule A1 { require clean  points 10 }
}
section B \"隊伍\" weight 1 {
  rule B1 { when staffed  require trained  points 5 }
  rule B2 \"培訓加分\" bonus { require trained  points 2 }
  rule B3 \"表揚加分\" bonus { require praised  points 2 }
}
";

#[test]
fn bonus_points_are_score_points_whatever_the_other_rules() {
    let (code, output) = eval(
        "weighted-bonus",
        WEIGHTED_BONUS,
        "unit,clean,staffed,trained,praised\n\
         甲,true,false,true,true\n\
         乙,true,true,true,true\n\
         丙,false,true,false,true\n\
         丁,true,true,false,false\n",
    );
    assert_eq!(code, Some(0), "{output}");
    // 甲: B1 does not apply, so section B has nothing possible and is left
    //     out: base 100 (A), bonus 2 + 2, 104.
    // 乙: base (100 + 100) / 2 = 100, bonus 4: 104 (not 180% of section B).
    // 丙: base (0 + 0) / 2 = 0, bonus 2 (B3; B2 not earned): 2.
    // 丁: base (100 + 0) / 2 = 50; both bonuses not earned, no failure.
    assert_eq!(
        output,
        "unit,score,grade,failed,missing\n\
         甲,104.00,,,\n\
         乙,104.00,,,\n\
         丙,2.00,,A1;B1,\n\
         丁,50.00,,B1,\n"
    );
}

#[test]
fn the_cap_bounds_the_score_with_bonus_points() {
    let (code, output) = eval(
        "capped",
        "standard s { key unit  cap 101 }\n\
         fields { unit text  ok bool  events count }\n\
         rule R1 { require ok  points 10 }\n\
         rule E1 \"每開展一次加0.5分，最多加2分\" bonus { points 0.5 * events up to 2 }\n",
        "unit,ok,events\n甲,true,1\n乙,true,9\n丙,false,3\n",
    );
    assert_eq!(code, Some(0), "{output}");
    // 甲: 100 + 0.5; 乙: 100 + 2 capped at 101; 丙: 0 + 1.5.
    assert_eq!(
        output,
        "unit,score,grade,failed,missing\n甲,100.50,,,\n乙,101.00,,,\n丙,1.50,,R1,\n"
    );
}

#[test]
fn variable_points_and_capped_deductions_follow_the_officials_arithmetic() {
    let (code, output) = eval(
        "variable",
        "standard s { key unit }\n\
         fields { unit text  built count  rate percent  waste count }\n\
         # 建成1座得10分，每增加一座加5分，最高20分\n\
         rule T1 { require built >= 1  points 10 + 5 * (built - 1) up to 20 }\n\
         # 每差1個百分點扣0.25分\n\
         rule T2 { points 5 - 0.25 * max(0, (90% - rate) * 100) up to 5 }\n\
         # 每處扣1分，最多扣3分\n\
         rule T3 { require no waste  points 4, deduct 1 per waste up to 3 }\n",
        "unit,built,rate,waste\n甲,1,90,0\n乙,3,80,2\n丙,0,50,7\n",
    );
    assert_eq!(code, Some(0), "{output}");
    // 甲: T1 10 of 20, T2 5, T3 4: 19 / 29 = 65.517...
    // 乙: T1 20, T2 5 - 2.5 = 2.5, T3 4 - 2 = 2: 24.5 / 29 = 84.482...
    // 丙: T1 0 (require fails), T2 5 - 10 → 0, T3 4 - 3 = 1: 1 / 29 = 3.448...
    assert_eq!(
        output,
        "unit,score,grade,failed,missing\n\
         甲,65.52,,T1,\n\
         乙,84.48,,T2;T3,\n\
         丙,3.45,,T1;T2;T3,\n"
    );
}

#[test]
fn an_info_field_may_be_blank_and_is_never_unused() {
    let standard = "standard s { key unit }\n\
         fields { unit text  district text info \"所屬片區\"  ok bool }\n\
         rule R1 { require ok  points 1 }\n";
    let (code, output) = eval(
        "info",
        standard,
        "unit,所屬片區,ok\n甲,東區,true\n乙,,false\n",
    );
    assert_eq!(code, Some(0), "a blank 片區 is no data error: {output}");
    assert_eq!(
        output,
        "unit,score,grade,failed,missing\n甲,100.00,,,\n乙,0.00,,R1,\n"
    );
    let path = write_scratch("info-check.std", standard);
    let check = yardstick(&["check", &path]);
    assert_eq!(check.status.code(), Some(0));
    assert!(
        !stderr(&check).contains("unused"),
        "an info field is never unused: {}",
        stderr(&check)
    );
    // The data file may have no such column at all.
    let (code, output) = eval("info-absent", standard, "unit,ok\n甲,true\n");
    assert_eq!(code, Some(0), "{output}");
}

#[test]
fn an_edition_removes_a_field() {
    let directory =
        std::env::temp_dir().join(format!("yardstick-remove-field-{}", std::process::id()));
    std::fs::create_dir_all(&directory).expect("a scratch directory");
    std::fs::write(
        directory.join("2015.std"),
        "standard s {\n  version 2015\n  effective 2015-01-01\n  key unit\n}\n\
         fields {\n  unit text\n  ok bool\n  hours number\n}\n\
         rule R1 { require ok }\nrule R2 { require hours >= 4 }\n",
    )
    .expect("2015");
    std::fs::write(
        directory.join("2016.std"),
        "standard s {\n  extends \"2015.std\"\n  version 2016\n  effective 2016-01-01\n}\n\
         remove rule R2\nremove field hours\n",
    )
    .expect("2016");
    let edition = directory.join("2016.std").to_string_lossy().into_owned();
    let data = write_scratch("remove-field.csv", "unit,ok\n甲,true\n");
    let output = yardstick(&["eval", &edition, &data, "--format", "csv", "--no-bom"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "unit,score,grade,failed,missing\n甲,100.00,,,\n"
    );
    // A field the earlier edition does not have is an error, with did-you-mean.
    std::fs::write(
        directory.join("2016.std"),
        "standard s {\n  extends \"2015.std\"\n  version 2016\n  effective 2016-01-01\n}\n\
         remove field hour\n",
    )
    .expect("2016");
    let check = yardstick(&["check", &edition]);
    assert_eq!(check.status.code(), Some(2));
    assert!(
        stderr(&check).contains("did you mean `hours`?"),
        "{}",
        stderr(&check)
    );
}

#[test]
fn explain_shows_the_deduction_with_its_cap_and_a_missing_value() {
    let standard = write_scratch(
        "explain-cap.std",
        "standard s { key unit }\n\
         fields { unit text  waste count  area number }\n\
         rule T3 { require no waste  points 4, deduct 1 per waste up to 3 }\n\
         rule T4 { require area >= 100  points 2 }\n",
    );
    let data = write_scratch("explain-cap.csv", "unit,waste,area\n甲,5,abc\n");
    let output = yardstick(&[
        "eval",
        &standard,
        &data,
        "--format",
        "csv",
        "--explain",
        "甲",
    ]);
    assert_eq!(output.status.code(), Some(3), "a bad cell is a data error");
    let explained = stderr(&output);
    assert!(
        explained.contains("waste = 5 (1 off each: 5 in all, at most 3)"),
        "{explained}"
    );
    assert!(explained.contains("甲 failed T3"), "{explained}");
    assert!(
        explained.contains("甲 is missing a value for T4"),
        "{explained}"
    );
    assert!(
        explained.contains("area: the cell could not be read (a data error)"),
        "{explained}"
    );
}

#[test]
fn explain_shows_what_a_script_function_computed() {
    let standard = write_scratch(
        "explain-script.std",
        "standard s { key unit }\n\
         fields { unit text  green number  total number }\n\
         script \"\"\"\nfn ratio(part, whole) { if whole == 0.0 { 0.0 } else { part / whole } }\n\"\"\"\n\
         rule D2 \"綠化面積與綠化率相符\" { require ratio(green, total) >= 30%  points 2 }\n",
    );
    let data = write_scratch("explain-script.csv", "unit,green,total\n甲,250,1000\n");
    let output = yardstick(&[
        "eval",
        &standard,
        &data,
        "--format",
        "csv",
        "--explain",
        "甲",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let explained = stderr(&output);
    assert!(explained.contains("ratio(250, 1000) = 0.25"), "{explained}");
}
