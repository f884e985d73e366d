//! A year of inspections for `yardstick rollup` (SPEC §8): the founding
//! standard's units — the 30 of `examples/inspections-2015.csv`, with their
//! names and kinds, on that form's headings — inspected through 2015 as an
//! office inspects them, and written as twelve monthly files `2015-01.csv` …
//! `2015-12.csv`, the values as an office writes them (是/否, `2015-03-09`,
//! `36.5%`). Deterministic for a seed on every platform: SplitMix64 and
//! integer arithmetic only.
//!
//! ```sh
//! cargo run --example gen_year -- --seed 2015 -o examples/year-2015
//! ```
//!
//! The year it makes (`examples/year-2015` is seed 2015):
//! - each month a 明察 (the announced monthly check) of nearly every unit,
//!   in the first half of the month; 暗訪 (unannounced visits) of about half
//!   the units, on any working day; in the last month of each quarter a 抽查
//!   (random spot check) of a third of the units, drawn at random. So a unit
//!   now and then goes a month without any inspection.
//! - units of four qualities in fixed shares, drawn at random: a few model
//!   units, many good ones, some fair, a few poor;
//! - problems found once (a little waste, someone late), more often on a
//!   暗訪 than on a 明察, and problems that last a few months until they are
//!   put right (no culture wall, untidy desks, low green coverage): found
//!   month after month, they are the roll-up's repeats;
//! - 四化 (the four standards, G1–G4): most units have or reach each of them
//!   during the year, a few poor ones do not;
//! - 本季度志願服務活動 counts the quarter so far, and 上次檢查發現問題 the
//!   problems of the unit's previous inspection.

#[path = "shared/datagen.rs"]
mod datagen;

use std::path::Path;

use datagen::{MONTH_DAYS, Rng, tenths};

/// The form whose units and headings the year uses.
const FORM: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/inspections-2015.csv");
/// Where the year is written unless `-o` says otherwise.
const OUTPUT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/year-2015");
/// The seed of the committed year.
const SEED: u64 = 2015;

/// The year (the holidays below are 2015's).
const YEAR: u32 = 2015;
/// 2015-01-01 was a Thursday (Monday is 0).
const NEW_YEAR_WEEKDAY: u32 = 3;
/// The public holidays of 2015 (法定節假日), as (month, first day, last
/// day); no inspection falls on them.
const HOLIDAYS: [(u32, u32, u32); 8] = [
    (1, 1, 3),
    (2, 18, 24),
    (4, 4, 6),
    (5, 1, 3),
    (6, 20, 22),
    (9, 3, 5),
    (9, 26, 27),
    (10, 1, 7),
];

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let seed = match value("--seed") {
        Some(text) => text
            .parse()
            .map_err(|_| format!("--seed {text}: a whole number"))?,
        None => SEED,
    };
    let form = value("--form").unwrap_or_else(|| FORM.to_owned());
    let output = value("-o").unwrap_or_else(|| OUTPUT.to_owned());
    write_year(seed, Path::new(&form), Path::new(&output))
}

/// Writes the year of `seed` for the units of the form at `form` into the
/// folder `output` (made if needed): one file a month.
pub fn write_year(seed: u64, form: &Path, output: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(form)
        .map_err(|e| format!("cannot read `{}`: {e}", form.display()))?;
    let form = Form::read(&text)?;
    std::fs::create_dir_all(output)
        .map_err(|e| format!("cannot make `{}`: {e}", output.display()))?;
    for (name, contents) in year(seed, &form)? {
        let path = output.join(name);
        std::fs::write(&path, contents)
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    }
    Ok(())
}

/// The form: its headings, and its units (name and kind) in order.
pub struct Form {
    headings: Vec<String>,
    units: Vec<(String, String)>,
}

impl Form {
    /// The headings and units of a form: a CSV file headed by labels,
    /// without quoted cells.
    pub fn read(text: &str) -> Result<Form, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = text.lines().map(|line| line.trim_end_matches('\r'));
        let split = |line: &str| -> Result<Vec<String>, String> {
            if line.contains('"') {
                return Err(format!("a quoted cell the generator does not read: {line}"));
            }
            Ok(line.split(',').map(str::to_owned).collect())
        };
        let headings = split(lines.next().unwrap_or_default())?;
        let column = |label: &str| {
            headings
                .iter()
                .position(|h| h == label)
                .ok_or_else(|| format!("the form has no column `{label}`"))
        };
        let (name, kind) = (column(UNIT)?, column(KIND)?);
        let mut units: Vec<(String, String)> = Vec::new();
        for line in lines.filter(|line| !line.is_empty()) {
            let cells = split(line)?;
            let cell = |at: usize| cells.get(at).cloned().unwrap_or_default();
            if !units.iter().any(|(known, _)| *known == cell(name)) {
                units.push((cell(name), cell(kind)));
            }
        }
        Ok(Form { headings, units })
    }
}

/// The heading of the unit's name.
const UNIT: &str = "受檢科室";
/// The heading of the unit's kind.
const KIND: &str = "科室類型";
/// The kind of unit that wears no uniform (著制服掛牌上崗 is left blank).
const NO_UNIFORM_KIND: &str = "行政";

/// How a unit keeps its office, drawn once for the year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Quality {
    /// Hardly a problem all year.
    Model,
    /// A problem now and then, rarely one that lasts.
    Good,
    /// More problems, some lasting for months.
    Fair,
    /// Many problems, and lasting ones.
    Poor,
}

impl Quality {
    /// The unit at `place` of `units` in a random order: the first 13% are
    /// model units, then 47% good, 27% fair and the last 13% poor.
    fn of_place(place: usize, units: usize) -> Quality {
        match place * 100 / units.max(1) {
            0..13 => Quality::Model,
            13..60 => Quality::Good,
            60..87 => Quality::Fair,
            _ => Quality::Poor,
        }
    }

    /// How often its inspections find a problem once, in percent of a
    /// good unit's rate.
    fn slips(self) -> u64 {
        match self {
            Quality::Model => 30,
            Quality::Good => 100,
            Quality::Fair => 150,
            Quality::Poor => 220,
        }
    }

    /// How many problems last for months: the fewest and the most.
    fn lasting(self) -> (u64, u64) {
        match self {
            Quality::Model => (0, 0),
            Quality::Good => (0, 1),
            Quality::Fair => (0, 2),
            Quality::Poor => (1, 2),
        }
    }

    /// The chance (percent) that it leaves a problem of the last inspection
    /// unrectified (H2).
    fn overdue(self) -> u64 {
        match self {
            Quality::Model => 2,
            Quality::Good => 6,
            Quality::Fair => 10,
            Quality::Poor => 15,
        }
    }

    /// In which month of a quarter (0, 1, 2; 3 is none) its first
    /// volunteer activity falls: cumulative percents of 0, 1 and 2.
    fn volunteering(self) -> [u64; 3] {
        match self {
            Quality::Model => [100, 100, 100],
            Quality::Good => [70, 100, 100],
            Quality::Fair => [45, 85, 100],
            Quality::Poor => [25, 55, 80],
        }
    }

    /// The month each of the four standards of 四化 is reached: January
    /// for most, a later month for some; a few poor units (and now and then
    /// a fair one) do not reach one of them in the year (13).
    fn reaches(self, rng: &mut Rng) -> [u32; 4] {
        let (early, first, last, misses) = match self {
            Quality::Model => (100, 1, 1, 0),
            Quality::Good => (90, 2, 3, 0),
            Quality::Fair => (75, 2, 5, 10),
            Quality::Poor => (45, 3, 8, 60),
        };
        let mut months = [(); 4].map(|()| {
            if rng.chance(early) {
                1
            } else {
                first + rng.below(u64::from(last - first + 1)) as u32
            }
        });
        if rng.chance(misses) {
            months[rng.below(4) as usize] = 13;
        }
        months
    }
}

/// A problem an inspection can find: what makes one rule of the founding
/// standard fail, or two (a low green coverage fails D1 and D2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Problem {
    /// A1: no sealed bin.
    OpenBins,
    /// A2: exposed waste, 1–3 places.
    ExposedWaste,
    /// A3: stains, 1–2 places.
    Stains,
    /// A4: graffiti or small ads, 1–2 places.
    Graffiti,
    /// A5: vehicles parked out of order.
    Parking,
    /// A6: untidy desks and cabinets.
    Untidy,
    /// A7: the guard out of uniform.
    GuardUniform,
    /// B1 (and E2 on a 暗訪): the core values not posted.
    NoCoreValues,
    /// B2: no culture wall.
    NoCultureWall,
    /// B3 (and E2 on a 暗訪): no slogans.
    NoSlogans,
    /// C1: someone late, or gone early.
    Lateness,
    /// C2: someone away from their post.
    Absence,
    /// C3: loud noise.
    Noise,
    /// C4 (critical): chatting or gaming online.
    Gaming,
    /// C5: duties not posted.
    DutiesHidden,
    /// C6: no name plates on desks.
    NoNamePlates,
    /// C7: no uniform (units of other kinds than 行政).
    NoUniform,
    /// D1 and D2: green coverage under 30%.
    LowGreen,
    /// D2: less green area measured than the coverage reported.
    GreenOverstated,
    /// E1: under 4 hours of volunteering per head.
    FewHours,
    /// E3: no publicity or training event.
    NoPublicity,
    /// F1: no volunteer team.
    NoVolunteerTeam,
    /// H1: nobody named responsible.
    NoResponsible,
}

/// Every problem: how often a good unit's inspection finds it once (per
/// mille), and whether it can last for months until it is put right.
const PROBLEMS: [(Problem, u64, bool); 23] = [
    (Problem::OpenBins, 20, true),
    (Problem::ExposedWaste, 80, false),
    (Problem::Stains, 80, false),
    (Problem::Graffiti, 30, false),
    (Problem::Parking, 30, true),
    (Problem::Untidy, 60, true),
    (Problem::GuardUniform, 30, false),
    (Problem::NoCoreValues, 15, true),
    (Problem::NoCultureWall, 10, true),
    (Problem::NoSlogans, 30, true),
    (Problem::Lateness, 120, true),
    (Problem::Absence, 40, false),
    (Problem::Noise, 40, false),
    (Problem::Gaming, 10, false),
    (Problem::DutiesHidden, 20, true),
    (Problem::NoNamePlates, 30, true),
    (Problem::NoUniform, 50, true),
    (Problem::LowGreen, 0, true),
    (Problem::GreenOverstated, 10, true),
    (Problem::FewHours, 50, true),
    (Problem::NoPublicity, 60, false),
    (Problem::NoVolunteerTeam, 10, true),
    (Problem::NoResponsible, 10, true),
];

/// The chance (percent) that an inspection finds a lasting problem while
/// it lasts.
const LASTING_FOUND: u64 = 90;

/// How an inspection was made, in the order of a day's inspections.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Method {
    /// 明察: the announced monthly check.
    Announced,
    /// 暗訪: an unannounced visit.
    Unannounced,
    /// 抽查: a random spot check at the end of a quarter.
    SpotCheck,
}

impl Method {
    /// The method as the form's 檢查方式 writes it.
    fn word(self) -> &'static str {
        match self {
            Method::Announced => "明察",
            Method::Unannounced => "暗訪",
            Method::SpotCheck => "抽查",
        }
    }

    /// How often it finds a problem once, in percent: a unit prepares for
    /// an announced check.
    fn finds(self) -> u64 {
        match self {
            Method::Announced => 70,
            Method::Unannounced => 150,
            Method::SpotCheck => 100,
        }
    }
}

/// What is drawn of a unit once for the year.
struct Unit {
    name: String,
    kind: String,
    quality: Quality,
    /// Office area, in tenths of m².
    area: u64,
    /// Green coverage, in tenths of a percent: as it is, and while a low
    /// green coverage lasts.
    green: u64,
    low_green: u64,
    /// Problems that last, each with its first and last month.
    lasting: Vec<(Problem, u32, u32)>,
    /// For each quarter, the month of the quarter (0–2, 3 none) of the first
    /// volunteer activity.
    volunteering: [u32; 4],
    /// For each standard of 四化, the month it is reached (13: not in the year).
    four: [u32; 4],
    /// The problems found at its last inspection of the year before.
    last_year: u64,
}

impl Unit {
    fn draw(rng: &mut Rng, name: &str, kind: &str, quality: Quality) -> Unit {
        let area = rng.tenths(6_000, 26_000);
        let green = rng.tenths(305, 460);
        let low_green = rng.tenths(220, 295);
        let wears_uniform = kind != NO_UNIFORM_KIND;
        let (fewest, most) = quality.lasting();
        let count = fewest + rng.below(most - fewest + 1);
        let mut lasting: Vec<(Problem, u32, u32)> = Vec::new();
        while (lasting.len() as u64) < count {
            let (problem, _, lasts) = PROBLEMS[rng.below(PROBLEMS.len() as u64) as usize];
            let fits = lasts && (wears_uniform || problem != Problem::NoUniform);
            if fits && lasting.iter().all(|(known, _, _)| *known != problem) {
                let first = 1 + rng.below(11) as u32;
                let last = (first + 1 + rng.below(3) as u32).min(12);
                lasting.push((problem, first, last));
            }
        }
        let shares = quality.volunteering();
        let volunteering = [(); 4].map(|()| {
            let roll = rng.below(100);
            shares.iter().position(|&share| roll < share).unwrap_or(3) as u32
        });
        let four = quality.reaches(rng);
        Unit {
            name: name.to_owned(),
            kind: kind.to_owned(),
            quality,
            area,
            green,
            low_green,
            lasting,
            volunteering,
            four,
            last_year: rng.count(40, 2),
        }
    }

    /// Whether a lasting problem lasts in `month`.
    fn lasts(&self, problem: Problem, month: u32) -> bool {
        self.lasting
            .iter()
            .any(|&(p, first, last)| p == problem && (first..=last).contains(&month))
    }
}

/// One inspection planned: which unit, when, how.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Slot {
    month: u32,
    day: u32,
    unit: usize,
    method: Method,
}

/// The twelve monthly files of the year of `seed`: (file name, contents).
pub fn year(seed: u64, form: &Form) -> Result<Vec<(String, String)>, String> {
    let mut rng = Rng(seed);
    let count = form.units.len();
    let mut order: Vec<usize> = (0..count).collect();
    shuffle(&mut rng, &mut order);
    let mut quality = vec![Quality::Good; count];
    for (place, &unit) in order.iter().enumerate() {
        quality[unit] = Quality::of_place(place, count);
    }
    let units: Vec<Unit> = form
        .units
        .iter()
        .zip(&quality)
        .map(|((name, kind), &quality)| Unit::draw(&mut rng, name, kind, quality))
        .collect();
    let mut slots = schedule(&mut rng, count);
    // Each unit's inspections in the order they were made, so that each
    // knows what the one before it found.
    slots.sort_by_key(|slot| (slot.unit, slot.month, slot.day, slot.method));
    let mut rows: Vec<(Slot, Vec<(&'static str, String)>)> = Vec::new();
    let mut found_before: Vec<u64> = units.iter().map(|unit| unit.last_year).collect();
    for slot in slots {
        let unit = &units[slot.unit];
        let (cells, found) = inspection(&mut rng, unit, slot, found_before[slot.unit]);
        found_before[slot.unit] = found;
        rows.push((slot, cells));
    }
    rows.sort_by_key(|(slot, _)| (slot.month, slot.day, slot.unit, slot.method));
    (1..=12)
        .map(|month| {
            let mut text = form.headings.join(",");
            text.push('\n');
            for (_, cells) in rows.iter().filter(|(slot, _)| slot.month == month) {
                text.push_str(&line(&form.headings, cells)?);
                text.push('\n');
            }
            Ok((format!("{YEAR}-{month:02}.csv"), text))
        })
        .collect()
}

/// The inspections of the year, unordered: a 明察 of nearly every unit
/// each month, 暗訪 of about half, a 抽查 of a third at each quarter's end.
fn schedule(rng: &mut Rng, units: usize) -> Vec<Slot> {
    let mut slots = Vec::new();
    for month in 1..=12 {
        for unit in 0..units {
            if rng.chance(88) {
                let day = working_day(rng, month, 3, 15);
                slots.push(Slot {
                    month,
                    day,
                    unit,
                    method: Method::Announced,
                });
            }
            if rng.chance(50) {
                let day = working_day(rng, month, 1, MONTH_DAYS[month as usize - 1]);
                slots.push(Slot {
                    month,
                    day,
                    unit,
                    method: Method::Unannounced,
                });
            }
        }
        if month % 3 == 0 {
            let mut drawn: Vec<usize> = (0..units).collect();
            shuffle(rng, &mut drawn);
            for &unit in &drawn[..units / 3] {
                let day = working_day(rng, month, 16, MONTH_DAYS[month as usize - 1]);
                slots.push(Slot {
                    month,
                    day,
                    unit,
                    method: Method::SpotCheck,
                });
            }
        }
    }
    slots
}

/// The cells of one inspection, by heading, and how many problems it found.
fn inspection(
    rng: &mut Rng,
    unit: &Unit,
    slot: Slot,
    found_before: u64,
) -> (Vec<(&'static str, String)>, u64) {
    let month = slot.month;
    let found = |rng: &mut Rng, problem: Problem, per_mille: u64| {
        if unit.lasts(problem, month) {
            return rng.chance(LASTING_FOUND);
        }
        let rate = per_mille * unit.quality.slips() * slot.method.finds() / 10_000;
        rng.below(1000) < rate
    };
    let mut problems: Vec<Problem> = Vec::new();
    for (problem, per_mille, _) in PROBLEMS {
        if found(rng, problem, per_mille) {
            problems.push(problem);
        }
    }
    let has = |problem: Problem| problems.contains(&problem);
    let yes = |held: bool| if held { "是" } else { "否" }.to_owned();
    let number = |value: u64| value.to_string();
    let (late, early) = if has(Problem::Lateness) {
        (1 + rng.below(2), u64::from(rng.chance(30)))
    } else {
        (0, 0)
    };
    let coverage = if has(Problem::LowGreen) {
        unit.low_green
    } else {
        unit.green
    };
    // The area measured: at the coverage reported, or less when the
    // coverage reported is more than the ground has (D2).
    let measured = if has(Problem::GreenOverstated) {
        rng.tenths(250, 295)
    } else {
        coverage
    };
    let quarter = (month as usize - 1) / 3;
    let of_quarter = (month - 1) % 3;
    let first_activity = unit.volunteering[quarter];
    let activities = if of_quarter >= first_activity {
        of_quarter - first_activity + 1
    } else {
        0
    };
    let standards: [bool; 4] = unit.four.map(|reached| month >= reached);
    let overdue = if found_before > 0 && rng.chance(unit.quality.overdue()) {
        1
    } else {
        0
    };
    let uniform = if unit.kind == NO_UNIFORM_KIND {
        String::new()
    } else {
        yes(!has(Problem::NoUniform))
    };
    let cells = vec![
        (UNIT, unit.name.clone()),
        (KIND, unit.kind.clone()),
        ("檢查日期", format!("{YEAR}-{month:02}-{:02}", slot.day)),
        ("檢查方式", slot.method.word().to_owned()),
        ("有密封式垃圾箱(池)", yes(!has(Problem::OpenBins))),
        (
            "暴露垃圾(處)",
            number(count_if(rng, has(Problem::ExposedWaste), 3)),
        ),
        ("污漬(處)", number(count_if(rng, has(Problem::Stains), 2))),
        (
            "亂塗亂畫、小廣告(處)",
            number(count_if(rng, has(Problem::Graffiti), 2)),
        ),
        ("車輛停放有序", yes(!has(Problem::Parking))),
        ("辦公物品擺放整齊", yes(!has(Problem::Untidy))),
        ("門衛著裝上崗", yes(!has(Problem::GuardUniform))),
        ("張貼社會主義核心價值觀", yes(!has(Problem::NoCoreValues))),
        ("設有文化牆", yes(!has(Problem::NoCultureWall))),
        ("張貼宣傳標語", yes(!has(Problem::NoSlogans))),
        ("遲到(人次)", number(late)),
        ("早退(人次)", number(early)),
        ("脫崗、空崗(人)", number(u64::from(has(Problem::Absence)))),
        (
            "大聲喧嘩(次)",
            number(count_if(rng, has(Problem::Noise), 2)),
        ),
        (
            "上網聊天、打遊戲(人次)",
            number(u64::from(has(Problem::Gaming))),
        ),
        ("崗位職責公開", yes(!has(Problem::DutiesHidden))),
        ("擺放桌牌", yes(!has(Problem::NoNamePlates))),
        ("著制服掛牌上崗", uniform),
        ("辦公區綠化率", format!("{}%", tenths(coverage))),
        ("綠化面積(m²)", tenths(unit.area * measured / 1000)),
        ("辦公區面積(m²)", tenths(unit.area)),
        ("人均志願服務時長(小時)", {
            let hours = if has(Problem::FewHours) {
                rng.tenths(10, 39)
            } else {
                rng.tenths(40, 100)
            };
            tenths(hours)
        }),
        ("開展宣傳教育、培訓活動(次)", {
            number(if has(Problem::NoPublicity) {
                0
            } else {
                1 + rng.below(3)
            })
        }),
        ("組建志願服務隊", yes(!has(Problem::NoVolunteerTeam))),
        ("本季度志願服務活動(次)", number(u64::from(activities))),
        ("達到清潔化標準", yes(standards[0])),
        ("達到秩序化標準", yes(standards[1])),
        ("達到優美化標準", yes(standards[2])),
        ("達到制度化標準", yes(standards[3])),
        ("明確環境治理責任人", yes(!has(Problem::NoResponsible))),
        ("上次檢查發現問題(項)", number(found_before)),
        ("已按期整改(項)", number(found_before - overdue)),
    ];
    let missed = standards.iter().filter(|&&held| !held).count() as u64;
    let found = problems.len() as u64 + missed + u64::from(activities == 0) + overdue;
    (cells, found)
}

/// `1..=most` when `found`, else 0.
fn count_if(rng: &mut Rng, found: bool, most: u64) -> u64 {
    if found { 1 + rng.below(most) } else { 0 }
}

/// One row of a monthly file: the cells in the order of the form's headings.
fn line(headings: &[String], cells: &[(&'static str, String)]) -> Result<String, String> {
    if let Some((label, _)) = cells.iter().find(|(l, _)| !headings.iter().any(|h| h == l)) {
        return Err(format!("the form has no column `{label}`"));
    }
    let row: Vec<&str> = headings
        .iter()
        .map(|heading| {
            cells
                .iter()
                .find(|(label, _)| label == heading)
                .map(|(_, value)| value.as_str())
                .ok_or_else(|| format!("the generator does not fill the form's column `{heading}`"))
        })
        .collect::<Result<_, _>>()?;
    Ok(row.join(","))
}

/// A working day of `month` between `first` and `last` (both in): no
/// weekend, no public holiday.
fn working_day(rng: &mut Rng, month: u32, first: u32, last: u32) -> u32 {
    let before: u32 = MONTH_DAYS[..month as usize - 1].iter().sum();
    let days: Vec<u32> = (first..=last)
        .filter(|&day| (NEW_YEAR_WEEKDAY + before + day - 1) % 7 < 5)
        .filter(|&day| {
            !HOLIDAYS
                .iter()
                .any(|&(m, from, to)| m == month && (from..=to).contains(&day))
        })
        .collect();
    days.get(rng.below(days.len().max(1) as u64) as usize)
        .copied()
        .unwrap_or(first)
}

/// Fisher–Yates: `items` in a random order.
fn shuffle<T>(rng: &mut Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        items.swap(i, j);
    }
}
