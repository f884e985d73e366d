//! The charts of the roll-up's page (`rollup --format html`), laid out
//! here for the template to draw as inline SVG: the heat map of units ×
//! the periods of every level, and the small trend chart of each unit.
//! Every coordinate is computed here, in whole pixels or one decimal, so
//! that the same data gives the same page.

use rust_decimal::Decimal;
use serde::Serialize;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::View;
use crate::language::Word;
use crate::rollup::UnitYear;

/// Units given a trend chart, at most.
pub(super) const TRENDS_SHOWN: usize = 300;

/// The heat map's colours, fixed so that two pages compare: a score at
/// least the bound (and below the next) has the class and the label.
pub(super) const HEAT_BANDS: [(u32, &str, &str); 5] = [
    (0, "h0", "< 60"),
    (60, "h1", "60–70"),
    (70, "h2", "70–80"),
    (80, "h3", "80–90"),
    (90, "h4", "≥ 90"),
];

/// The heat map's geometry, in pixels: the units' column, a cell, the gap
/// between levels, and the height of the headings above the cells.
const LABEL_WIDTH: u32 = 150;
/// The terminal columns of a key that fit in the units' column (a Han
/// character takes two); a longer key is cut, its whole in the row's title.
const LABEL_COLUMNS: usize = 22;
const CELL_WIDTH: u32 = 52;
const CELL_HEIGHT: u32 = 22;
const LEVEL_GAP: u32 = 10;
const HEAD_HEIGHT: u32 = 112;

/// A trend chart's size and plot area, in pixels.
const TREND_WIDTH: u32 = 220;
const TREND_HEIGHT: u32 = 100;
const PLOT_LEFT: u32 = 30;
const PLOT_RIGHT: u32 = 212;
const PLOT_TOP: u32 = 8;
const PLOT_BOTTOM: u32 = 76;

/// The heat map: its size, the levels and periods heading it, a row per
/// unit shown, and the row that says how many were left out.
#[derive(Serialize)]
pub(super) struct HeatMap {
    width: u32,
    head: u32,
    height: u32,
    cell_width: u32,
    cell_height: u32,
    levels: Vec<HeatLevel>,
    columns: Vec<HeatColumn>,
    rows: Vec<HeatRow>,
    gap: Option<HeatGap>,
    legend: Vec<(&'static str, &'static str)>,
}

/// A level's name above its periods.
#[derive(Serialize)]
pub(super) struct HeatLevel {
    name: String,
    x: u32,
    width: u32,
}

/// A period's column: its left edge, its middle and its name.
#[derive(Serialize)]
pub(super) struct HeatColumn {
    x: u32,
    middle: u32,
    name: String,
}

/// A unit's row.
#[derive(Serialize)]
pub(super) struct HeatRow {
    key: String,
    /// The key as it fits in the units' column.
    label: String,
    score: String,
    y: u32,
    cells: Vec<HeatCell>,
}

/// A period's cell: its left edge, its colour and its score.
#[derive(Serialize)]
pub(super) struct HeatCell {
    x: u32,
    class: &'static str,
    text: String,
}

/// The row that says how many units the heat map leaves out.
#[derive(Serialize)]
pub(super) struct HeatGap {
    y: u32,
    text: String,
}

/// The trend charts: the scale and the periods they share, the average
/// line, and a chart per unit drawn.
#[derive(Serialize)]
pub(super) struct Trends {
    note: String,
    left_out: String,
    width: u32,
    height: u32,
    plot: [u32; 4],
    low: String,
    high: String,
    first: String,
    last: String,
    average: Vec<Line>,
    charts: Vec<Trend>,
}

/// One unit's chart: its line, in pieces where a period has no score.
#[derive(Serialize)]
pub(super) struct Trend {
    key: String,
    score: String,
    grade: String,
    tone: &'static str,
    lines: Vec<Line>,
}

/// A piece of a line: its points (`x,y x,y`), and each point for the dots.
#[derive(Serialize)]
pub(super) struct Line {
    points: String,
    dots: Vec<(String, String)>,
}

/// At most `most` of `order`: its first and last halves when it is longer,
/// and how many were left out between them.
pub(super) fn ends(order: &[usize], most: usize) -> (Vec<usize>, usize) {
    if order.len() <= most {
        return (order.to_vec(), 0);
    }
    let half = most / 2;
    let mut shown = order[..half].to_vec();
    shown.extend_from_slice(&order[order.len() - half..]);
    (shown, order.len() - 2 * half)
}

/// The class of a score's colour in the heat map.
fn heat_class(score: Option<Decimal>) -> &'static str {
    let Some(score) = score else {
        return "hn";
    };
    HEAT_BANDS
        .iter()
        .rev()
        .find(|(bound, _, _)| score >= Decimal::from(*bound))
        .map_or("h0", |(_, class, _)| class)
}

/// The heat map of the units `shown`, in that order; `gap` says how many
/// were left out, in the middle.
pub(super) fn heat_map(view: &View<'_>, shown: &[usize], gap: Option<String>) -> HeatMap {
    let mut levels = Vec::new();
    let mut columns = Vec::new();
    let mut places = Vec::new();
    let mut x = LABEL_WIDTH;
    for (level, periods) in view.assessment.periods.iter().enumerate() {
        let start = x;
        for (period, name) in periods {
            columns.push(HeatColumn {
                x,
                middle: x + CELL_WIDTH / 2,
                name: view.period_heading(level, name),
            });
            places.push((level, *period));
            x += CELL_WIDTH;
        }
        levels.push(HeatLevel {
            name: view.level_name(level),
            x: start,
            width: x - start,
        });
        x += LEVEL_GAP;
    }
    let half = shown.len() / 2;
    let mut y = HEAD_HEIGHT;
    let mut rows = Vec::new();
    let mut gap_row = None;
    for (place, &u) in shown.iter().enumerate() {
        if place == half
            && let Some(text) = &gap
        {
            gap_row = Some(HeatGap {
                y,
                text: text.clone(),
            });
            y += CELL_HEIGHT;
        }
        let unit = &view.assessment.units[u];
        let cells = columns
            .iter()
            .zip(&places)
            .map(|(column, &(level, period))| {
                let score = View::period_score(unit, level, period);
                HeatCell {
                    x: column.x,
                    class: heat_class(score),
                    text: View::score_text(score),
                }
            })
            .collect();
        rows.push(HeatRow {
            label: fitted(&unit.key, LABEL_COLUMNS),
            key: unit.key.clone(),
            score: View::score_text(unit.score),
            y,
            cells,
        });
        y += CELL_HEIGHT;
    }
    HeatMap {
        width: x,
        head: HEAD_HEIGHT,
        height: y + 4,
        cell_width: CELL_WIDTH,
        cell_height: CELL_HEIGHT,
        levels,
        columns,
        rows,
        gap: gap_row,
        legend: HEAT_BANDS
            .iter()
            .map(|(_, class, label)| (*class, *label))
            .collect(),
    }
}

/// `text` cut to `columns` terminal columns, with `…` when it was cut.
fn fitted(text: &str, columns: usize) -> String {
    if text.width() <= columns {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        used += c.width().unwrap_or(0);
        if used >= columns {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// A coordinate as the page writes it: one decimal at most.
fn px(value: Decimal) -> String {
    value.round_dp(1).normalize().to_string()
}

/// The trend charts of the finest level: every unit's scores, the average
/// of all units per period, on one scale of whole tens.
pub(super) fn trends(view: &View<'_>, by_rank: &[usize]) -> Trends {
    let language = view.language;
    let periods = view
        .assessment
        .periods
        .first()
        .map_or(&[][..], Vec::as_slice);
    let units = &view.assessment.units;
    let scores = |unit: &UnitYear| -> Vec<Option<Decimal>> {
        periods
            .iter()
            .map(|(p, _)| View::period_score(unit, 0, *p))
            .collect()
    };
    let average: Vec<Option<Decimal>> = (0..periods.len())
        .map(|at| {
            let all: Vec<Decimal> = units.iter().filter_map(|u| scores(u)[at]).collect();
            (!all.is_empty()).then(|| all.iter().sum::<Decimal>() / Decimal::from(all.len()))
        })
        .collect();
    let (drawn, left_out) = ends(by_rank, TRENDS_SHOWN);
    let drawn: Vec<(&UnitYear, Vec<Option<Decimal>>)> = drawn
        .iter()
        .map(|&u| (&units[u], scores(&units[u])))
        .collect();
    let every = drawn
        .iter()
        .flat_map(|(_, s)| s.iter())
        .chain(&average)
        .flatten();
    let ten = Decimal::TEN;
    let low = every
        .clone()
        .min()
        .map_or(Decimal::ZERO, |l| (*l / ten).floor() * ten);
    let mut high = every
        .max()
        .map_or(Decimal::ONE_HUNDRED, |h| (*h / ten).ceil() * ten);
    if high <= low {
        high = low + ten;
    }
    let count = periods.len();
    let x = |at: usize| -> Decimal {
        let (left, right) = (Decimal::from(PLOT_LEFT), Decimal::from(PLOT_RIGHT));
        if count <= 1 {
            (left + right) / Decimal::TWO
        } else {
            left + (right - left) * Decimal::from(at) / Decimal::from(count - 1)
        }
    };
    let y = |score: Decimal| -> Decimal {
        let (top, bottom) = (Decimal::from(PLOT_TOP), Decimal::from(PLOT_BOTTOM));
        bottom - (bottom - top) * (score - low) / (high - low)
    };
    let lines = |scores: &[Option<Decimal>]| -> Vec<Line> {
        let mut lines: Vec<Line> = Vec::new();
        let mut open = false;
        for (at, score) in scores.iter().enumerate() {
            let Some(score) = score else {
                open = false;
                continue;
            };
            let point = (px(x(at)), px(y(*score)));
            match lines.last_mut() {
                Some(line) if open => {
                    line.points.push_str(&format!(" {},{}", point.0, point.1));
                    line.dots.push(point);
                }
                _ => lines.push(Line {
                    points: format!("{},{}", point.0, point.1),
                    dots: vec![point],
                }),
            }
            open = true;
        }
        lines
    };
    let level = view
        .assessment
        .periods
        .first()
        .map(|_| view.level_name(0))
        .unwrap_or_default();
    let half = TRENDS_SHOWN / 2;
    Trends {
        note: language.fill(
            Word::TrendNote,
            &[&level, &low.normalize(), &high.normalize()],
        ),
        left_out: if left_out > 0 {
            language.fill(Word::TrendsLeftOut, &[&half, &half, &left_out])
        } else {
            String::new()
        },
        width: TREND_WIDTH,
        height: TREND_HEIGHT,
        plot: [PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM],
        low: low.normalize().to_string(),
        high: high.normalize().to_string(),
        first: periods.first().map(|(_, n)| n.clone()).unwrap_or_default(),
        last: periods
            .last()
            .filter(|_| count > 1)
            .map(|(_, n)| n.clone())
            .unwrap_or_default(),
        average: lines(&average),
        charts: drawn
            .iter()
            .map(|(unit, scores)| Trend {
                key: unit.key.clone(),
                score: View::score_text(unit.score),
                grade: view.grade_name(unit).to_owned(),
                tone: view.tone(unit).class(),
                lines: lines(scores),
            })
            .collect(),
    }
}
