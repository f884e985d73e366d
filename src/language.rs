//! The language of every output a person reads (SPEC §1 `language`, §7):
//! Traditional Chinese, Simplified Chinese or English, one per output, and
//! every word, heading and sentence that reports write in it.
//!
//! A leaf module: the words are a table written in Traditional Chinese and
//! in English; Simplified Chinese is the Traditional column converted once
//! ([`crate::hanzi::to_simplified`]) and kept. Nothing here knows the rest of
//! yardstick; formats pick words by [`Word`].

use std::fmt::Display;
use std::sync::LazyLock;

use crate::hanzi;

/// The language of an output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Language {
    /// Traditional Chinese, `zh-Hant`.
    #[default]
    Traditional,
    /// Simplified Chinese, `zh-Hans`.
    Simplified,
    /// English, `en`.
    English,
}

/// Every language, in the order they are listed to users.
pub const LANGUAGES: [Language; 3] = [
    Language::Traditional,
    Language::Simplified,
    Language::English,
];

impl Language {
    /// The language of a code as the `language` header entry and `--lang`
    /// take it (`zh-Hant`, `zh-Hans`, `en`), in any case.
    pub fn from_code(code: &str) -> Option<Language> {
        LANGUAGES
            .into_iter()
            .find(|language| language.code().eq_ignore_ascii_case(code.trim()))
    }

    /// The language's code: `zh-Hant`, `zh-Hans` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Language::Traditional => "zh-Hant",
            Language::Simplified => "zh-Hans",
            Language::English => "en",
        }
    }

    /// The language a standard without a `language` entry is reported in:
    /// Chinese when its title has Han characters, in the title's script,
    /// else English.
    pub fn of_title(title: &str) -> Language {
        if !hanzi::has_han(title) {
            Language::English
        } else if hanzi::is_simplified(title) {
            Language::Simplified
        } else {
            Language::Traditional
        }
    }

    /// Whether the language is a Chinese one.
    pub fn is_chinese(self) -> bool {
        self != Language::English
    }

    /// A word, heading or sentence in this language.
    pub fn word(self, word: Word) -> &'static str {
        let (traditional, english) = TABLE[word as usize];
        match self {
            Language::Traditional => traditional,
            Language::English => english,
            Language::Simplified => SIMPLIFIED
                .get(word as usize)
                .map_or(traditional, String::as_str),
        }
    }

    /// A sentence with its `{}` filled in, in order, by `values`.
    pub fn fill(self, word: Word, values: &[&dyn Display]) -> String {
        let text = self.word(word);
        let mut out = String::with_capacity(text.len() + 16 * values.len());
        let mut values = values.iter();
        let mut pieces = text.split("{}");
        if let Some(first) = pieces.next() {
            out.push_str(first);
        }
        for piece in pieces {
            if let Some(value) = values.next() {
                out.push_str(&value.to_string());
            }
            out.push_str(piece);
        }
        out
    }

    /// The separator of a list of names: `、` in Chinese, `, ` in English.
    pub fn list_separator(self) -> &'static str {
        if self.is_chinese() { "、" } else { ", " }
    }

    /// Text in parentheses after other text: `（…）` in Chinese, ` (…)` in English.
    pub fn parenthesized(self, text: &str) -> String {
        if self.is_chinese() {
            format!("（{text}）")
        } else {
            format!(" ({text})")
        }
    }

    /// A label and its value: `label：value` in Chinese, `label: value` in English.
    pub fn labelled(self, label: &str, value: &str) -> String {
        if self.is_chinese() {
            format!("{label}：{value}")
        } else {
            format!("{label}: {value}")
        }
    }
}

/// The Traditional column of the table in Simplified characters, converted
/// the first time a Simplified output needs it.
static SIMPLIFIED: LazyLock<Vec<String>> = LazyLock::new(|| {
    TABLE
        .iter()
        .map(|(traditional, _)| hanzi::to_simplified(traditional))
        .collect()
});

/// Declares [`Word`] and its table in one list, so that no word can lack
/// a translation.
macro_rules! words {
    ($($name:ident = $traditional:literal, $english:literal;)*) => {
        /// A word, heading or sentence of a report; `{}` marks a value
        /// filled in by [`Language::fill`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Word {
            $(
                #[doc = $english]
                $name,
            )*
        }

        /// Each [`Word`] in Traditional Chinese and in English, in order.
        const TABLE: &[(&str, &str)] = &[$(($traditional, $english),)*];

        /// Every word, in order (for tests of the table).
        pub const WORDS: &[Word] = &[$(Word::$name,)*];
    };
}

words! {
    // Outcomes of a rule.
    Pass = "合格", "pass";
    Fail = "不合格", "fail";
    NotApplicable = "不適用", "n/a";
    Missing = "缺值", "missing";
    NotEarned = "未得分", "not earned";
    Waived = "豁免", "waived";
    // Values.
    Yes = "是", "yes";
    No = "否", "no";
    Blank = "（空白）", "(blank)";
    MissingValue = "（缺值）", "(missing)";
    Nothing = "—", "—";
    // Columns and headings shared by formats.
    Standard = "標準", "standard";
    Edition = "版本", "edition";
    EditionNamed = "版本 {}", "edition {}";
    Unit = "單位", "unit";
    Units = "受檢單位", "units";
    Score = "得分", "score";
    Grade = "等次", "grade";
    Rank = "名次", "rank";
    RankInGroup = "組內名次", "rank in group";
    FailedRules = "不合格項", "failed rules";
    CsvFailed = "不合格項", "failed";
    MissingRules = "缺值項", "missing";
    WaivedRules = "豁免項", "waived";
    VetoRules = "一票否決", "veto";
    DataErrors = "資料錯誤", "data errors";
    Average = "平均分", "average score";
    Rule = "規則", "rule";
    Title = "名稱", "title";
    Owner = "責任", "owner";
    Remedy = "整改要求", "remedy";
    Reference = "條款", "ref";
    Observed = "觀測值", "observed";
    PointsLost = "扣分", "points lost";
    Outcome = "結果", "outcome";
    Record = "記錄位置", "record";
    Deadline = "整改期限", "deadline";
    Status = "整改情況", "status";
    Failures = "不合格數", "failures";
    FailureRate = "不合格率", "failure rate";
    MissingCount = "缺值數", "missing";
    Share = "佔比", "share";
    UnitCount = "單位數", "units";
    Section = "部分", "section";
    Justification = "豁免理由", "justification";
    ApprovedBy = "批准人", "approved by";
    Expires = "有效期至", "expires";
    ScoresAs = "計分", "scores as";
    File = "檔案", "file";
    Row = "行", "row";
    Column = "欄", "column";
    Value = "值", "value";
    Problem = "問題", "problem";
    // Where a record is: a file's name and its row.
    AtLine = "{} 第{}行", "{} line {}";
    AtRecord = "{} 第{}筆", "{} record {}";
    AtRow = "{} [{}] 第{}行", "{} [{}] row {}";
    // The grade of a unit a `veto` rule failed.
    GradeByVeto = "{}（一票否決：{}）", "{} (veto: {})";
    // The terminal table and Markdown.
    UnitsAndAverage = "受檢單位 {} 個 · 平均分 {}", "{} units · average score {}";
    GradesLine = "等次：{}", "grades: {}";
    MostFailedLine = "不合格最多：{}", "most failed: {}";
    MissingLine = "缺值：{} 個單位有規則缺值", "missing: {} units have rules missing a value";
    DataErrorsLine = "資料錯誤：{} 處（已另行列出；用到這些值的規則記為缺值）", "data errors: {} (listed on stderr; rules that needed those values are missing)";
    WaivedLine = "豁免：{} 項", "waived: {} failures";
    WaiverDetail = "{}（批准人 {}，有效期至 {}，計分 {}）", "{} (approved by {}, until {}, scores as {})";
    UnitsInspected = "受檢單位 {} 個，平均分 {}。", "{} units inspected, average score {}.";
    GradesHeading = "等次分布", "Grades";
    MostFailedHeading = "不合格最多的規則", "Most failed rules";
    ShareOfUnits = "佔受檢單位", "share of units";
    UnitsHeading = "各單位結果", "Units";
    WaivedHeading = "豁免的不合格項", "Waived failures";
    NoneWaived = "沒有豁免的不合格項。", "No failure was waived.";
    DataErrorsSentence = "資料錯誤 {} 處：用到這些值的規則記為缺值。", "{} data errors: rules that needed those values are counted as missing.";
    DataErrorSentence = "資料錯誤 {} 處：用到這個值的規則記為缺值。", "{} data error: rules that needed the value are counted as missing.";
    // The HTML report.
    SummaryHeading = "概況", "Summary";
    ListedBelow = "見下表", "listed below";
    UnitsWithMissing = "缺值單位", "units with missing values";
    FailureRateHeading = "各規則不合格率", "Failure rate per rule";
    FailureRateNote = "不合格單位佔受檢單位的比例；缺值的單位另行註明。", "The share of inspected units that failed each rule; units missing a value are noted.";
    MissingNote = "缺值 {}", "missing {}";
    SectionsHeading = "各部分平均分", "Average score per section";
    RankingHeading = "排名", "Ranking";
    GroupedBy = "（按 {} 分組）", " (grouped by {})";
    RankingNote = "分數相同者名次相同，取較前名次；同分者按資料中的次序排列。", "Equal scores share the better rank; ties are listed in input order.";
    RankLeftOut = "… 中間 {} 個單位從略，完整排名見 Excel 報表 …", "… {} units left out here: the Excel workbook lists every one …";
    BestAndWorst = "最好與最差", "Best and worst";
    Best = "最好", "best";
    Worst = "最差", "worst";
    WaivedNote = "經批准豁免的不合格項，不計為失分，但不隱藏。", "Failures excused by an approved waiver: not counted as lost points, never hidden.";
    FirstOfAll = "只列出前 {} 項，共 {} 項。", "Only the first {} of {} are listed.";
    WaiverColumn = "豁免理由、批准人、期限", "justification, approver, until";
    ScorecardsHeading = "扣分明細", "Scorecards";
    CardsLeftOut = "只列出得分最低的 {} 個單位；其餘 {} 個見 Excel 報表的整改台賬。", "Only the {} lowest-scoring units are shown; the other {} are in the Excel workbook's ledger.";
    DataErrorsHeading = "資料錯誤", "Data errors";
    DataErrorsNote = "下列資料未能讀取；用到這些值的規則記為缺值，單位照常評分。", "These values could not be read; the rules that needed them are missing, and the units were scored all the same.";
    ChartLabel = "各規則不合格率圖", "failure rate per rule";
    // Data errors, in words.
    ErrorBadValue = "應為{}", "not {}";
    ErrorBlank = "必填，但空白", "blank, but required";
    ErrorRowLength = "本行有 {} 格，表頭有 {} 欄", "the row has {} cells, the header {}";
    ErrorUnreadable = "無法讀取", "cannot be read";
    ErrorNoEdition = "沒有版本可以評分", "no edition can score it";
    ErrorScript = "腳本出錯", "a script failed";
    ErrorColumn = "缺少欄目", "a column is missing";
    ErrorOther = "資料有誤", "a problem with the data";
    // What a field takes.
    TypeBool = "是或否", "yes or no";
    TypeCount = "0 或正整數", "a whole number, 0 or more";
    TypeNumber = "數值", "a number";
    TypePercent = "百分比（30 即 30%）", "a percent (30 means 30%)";
    TypeText = "文字", "text";
    TypeDate = "日期，如 2016-06-30", "a date such as 2016-06-30";
    TypeOneOf = "以下之一：{}", "one of: {}";
    TypeListed = "列出的選項之一", "one of the listed values";
    // The Excel workbook.
    SheetSummary = "匯總", "Summary";
    SheetUnits = "單位", "Units";
    SheetRules = "規則", "Rules";
    SheetLedger = "整改台賬", "Ledger";
    EditionDates = "{} 至 {}", "{} to {}";
    EditionFrom = "{} 起", "from {}";
    // The inspection form (`template`).
    SheetForm = "檢查記錄", "Inspections";
    SheetInstructions = "說明", "Instructions";
    MayBeBlank = "可留空", "may be blank";
    TheUnit = "受檢單位（每次檢查一行）", "the inspected unit (one row per inspection)";
    RulesReading = "規則：{}", "rules: {}";
    FormOneRow = "每次檢查填寫一行；不要改動第一行的欄目名稱。", "Fill in one row per inspection; keep the headings of the first row.";
    FormNotes = "欄目名稱上的註解說明類型和使用它的規則。", "The note on each heading gives its type and the rules that read it.";
    FormScoring = "評分：yardstick eval 標準檔 本表.xlsx", "To score it: yardstick eval STANDARD this-form.xlsx";
    // `compare`.
    ChangeFixed = "已整改", "fixed";
    ChangeStillFailing = "仍不合格", "still failing";
    ChangeNewlyFailing = "新增不合格", "newly failing";
    ChangeWaived = "豁免", "waived";
    ChangeUnverified = "未能核實", "unverified";
    StatusCompared = "已復查", "re-inspected";
    StatusNotReinspected = "未復查", "not re-inspected";
    StatusNew = "新增單位", "new";
    UnitStatus = "復查情況", "status";
    Rectification = "整改對比：{} → {}", "rectification: {} → {}";
    RectificationTitle = "整改報告：{} → {}", "Rectification: {} → {}";
    UnitsLine = "單位：已復查 {} 個，未復查 {} 個，新增 {} 個", "units: {} re-inspected, {} not re-inspected, {} new";
    RulesLine = "規則：{}", "rules: {}";
    PartReinspected = "已復查的單位", "Units re-inspected";
    PartNotReinspected = "未復查的單位（其不合格項未能核實）", "Not re-inspected (their failures are unverified)";
    PartNew = "新增單位（僅見於復查）", "New units (only in the round after)";
    PartRules = "規則", "Rules";
    PartOwners = "責任單位", "Owners";
    ScoreBefore = "整改前得分", "score before";
    ScoreAfter = "整改後得分", "score after";
    ScoreChange = "變化", "change";
    GradeBefore = "整改前等次", "grade before";
    GradeAfter = "整改後等次", "grade after";
    // `diff`.
    PartHeader = "表頭", "header";
    PartFields = "欄位", "fields";
    PartLets = "衍生值", "lets";
    PartSections = "部分", "sections";
    PartGrades = "等次", "grades";
    Entry = "項目", "entry";
    InForceFromTo = "，{} 至 {} 施行", ", in force {} to {}";
    InForceFrom = "，{} 起施行", ", in force from {}";
    SameMeaning = "兩個版本意義相同", "the editions mean the same";
    SameMeaningSentence = "兩個版本意義相同。", "The editions mean the same.";
    PointsOfRules = "各規則分值合計（加分項除外）：{} → {}", "points of all rules (bonus aside): {} → {}";
    PointsOfRulesSentence = "各規則分值合計（加分項除外）：{} → {}。", "Points of all rules (bonus aside): {} → {}.";
    ImpactHeading = "對資料的影響", "Impact on the data";
    ImpactSummary = "{} 個單位（共 {} 個）的等次由 {} 版改到 {} 版後改變。", "{} of {} units change grade from {} to {}.";
    UnitsChangedGrade = "等次改變的單位", "units that changed grade";
    RulesChanged = "規則", "rules";
    ImpactUnitsHeading = "得分與等次", "score and grade";
    ImpactMore = "… 另有 {} 個（`--format json` 全部列出）。", "… and {} more (`--format json` lists every one).";
    ImpactErrors = "資料錯誤：{} 處（{} 版），{} 處（{} 版）（`yardstick eval` 列出明細）。", "Data errors: {} under {}, {} under {} (`yardstick eval` lists them).";
    // Clauses and entries named by `diff`.
    WhatTitle = "名稱", "title";
    WhatEffective = "施行日期", "effective";
    WhatUntil = "截止日期", "until";
    WhatSource = "依據文件", "source";
    WhatKey = "受檢單位欄", "key";
    WhatDatedBy = "檢查日期欄", "dated_by";
    WhatTotal = "總分", "total";
    WhatCap = "最高分", "cap";
    WhatInfo = "不計分", "info";
    WhatLanguage = "語言", "language";
    WhatPoints = "分值", "points";
    WhatDeduct = "扣分", "deduct";
    WhatWhen = "適用條件", "when";
    WhatRequire = "要求", "require";
    WhatRemedy = "整改要求", "remedy";
    WhatRef = "條款", "ref";
    WhatNote = "備註", "note";
    WhatOwner = "責任", "owner";
    WhatFlags = "標記", "flags";
    WhatSection = "所屬部分", "section";
    WhatType = "類型", "type";
    WhatLabel = "標籤", "label";
    WhatWeight = "權重", "weight";
    WhatPlace = "次序", "place";
    WhatValue = "定義", "value";
    WhatOptional = "可留空", "optional";
    WhatInside = "上級部分", "inside";
    PartRollups = "匯總考核", "roll-ups";
    WhatPeriod = "考核期間", "period";
    WhatMethod = "檢查方式欄", "method";
    WhatLevels = "層級", "levels";
    WhatRepeats = "重複扣分", "repeats";
    WhatGrades = "等次", "grades";
    WhatTargets = "目標", "targets";
    // `rollup`.
    LevelWeek = "週", "week";
    LevelMonth = "月度", "month";
    LevelQuarter = "季度", "quarter";
    LevelYear = "年度", "year";
    FinalScore = "年度得分", "final score";
    ScoreBeforeRepeats = "扣減前得分", "score before repeats";
    RepeatPoints = "重複扣分", "repeat points";
    Repeats = "重複問題", "repeats";
    InspectionsBy = "{}次數", "{} inspections";
    TargetFirstMet = "{}首次達到", "{} first met";
    TargetAtDeadline = "{}截止時", "{} at deadline";
    Met = "達到", "met";
    NotMet = "未達到", "not met";
    NoInspection = "無檢查", "no inspection";
    Periods = "期間", "periods";
    Quota = "名額", "quota";
    AccountabilityHeading = "問責名單", "Accountability list";
    TargetsHeading = "目標達成", "Targets";
    TargetLine = "{}：{} 個單位達到，共 {} 個（{}）", "{}: {} of {} units met it ({})";
    QuotaLine = "{}：{} 個（名額 {} 個）", "{}: {} (quota {})";
    GradeCount = "{}：{} 個", "{}: {}";
    InspectionsUsed = "計入檢查 {} 次，未計入 {} 次", "inspections used: {}, left out: {}";
    RollupUnits = "受檢單位 {} 個，有年度得分 {} 個", "{} units, {} with a final score";
    RepeatRunText = "{} {}（扣 {} 分）", "{} {} (−{} points)";
    NoRepeats = "沒有重複出現的問題。", "No failure was found again and again.";
    HeatMapHeading = "各單位各期得分", "Scores by unit and period";
    TrendHeading = "得分走勢", "Score trend";
    SheetRepeats = "重複問題", "Repeats";
    SheetTargets = "目標", "Targets";
    SheetLevel = "{}得分", "Scores by {}";
    Target = "目標", "target";
    TargetBy = "期限", "deadline";
    FirstMet = "首次達到", "first met";
    AtDeadline = "截止時", "at deadline";
    AttainmentRate = "達標率", "attainment rate";
    RepeatCount = "次數", "count";
    NoOwner = "（未指定責任）", "(no owner)";
    Assessment = "考核", "assessment";
    AssessedPeriod = "考核期間", "period";
    UntilDay = "至 {}", "until {}";
    HowScored = "計分方法", "How it is scored";
    RepeatRule = "{}：同一規則連續 {} 期不合格，每次重複扣 {} 分", "{}: a rule failed in {} consecutive periods, −{} points per repeat";
    WithFinalScore = "有年度得分", "with a final score";
    InspectionsUsedFact = "計入檢查", "inspections used";
    LeftOutFact = "未計入", "left out";
    QuotaOf = "名額 {}", "quota {}";
    HeatMapNote = "每格是單位在該期的得分，按分數段著色；灰格為該期沒有得分。", "Each cell is a unit's score in a period, coloured by band; a grey cell has no score.";
    NoScore = "無得分", "no score";
    TrendNote = "每個單位一張小圖：{}得分（實線）與所有單位的平均分（虛線），縱軸 {} 至 {} 分。", "One small chart per unit: its {} scores (solid) and the average of all units (dashed), on a scale of {} to {}.";
    TrendsLeftOut = "單位太多，只畫出名次最前的 {} 個和最後的 {} 個，其餘 {} 個從略（各期得分見 Excel 報表）。", "Too many units to draw: the {} best and the {} worst are drawn, {} are left out (the Excel workbook has every score).";
    // What an editor shows of a name (`yardstick lsp`).
    IdeField = "欄位", "field";
    IdeLet = "派生值", "derived value";
    IdeRule = "規則", "rule";
    IdeSection = "章節", "section";
    IdeRollup = "年度彙總", "roll-up";
    IdeGrade = "等級", "grade";
    IdeType = "類型", "type";
    IdeLabel = "欄名", "label";
    IdeOptional = "可空白", "may be blank";
    IdeInfo = "僅供參考，不計分", "for information, read by no rule";
    IdeReadBy = "讀取它的規則", "read by";
    IdeReadByNone = "沒有規則讀取", "read by no rule";
    IdePoints = "分值", "points";
    IdeDeduct = "扣分", "deducts";
    IdeFlags = "標記", "flags";
    IdeInSection = "所屬章節", "in section";
    IdeRef = "依據", "ref";
    IdeOwner = "責任單位", "owner";
    IdeRemedy = "整改要求", "remedy";
    IdeWeight = "權重", "weight";
    IdePointsTotal = "總分值", "points in all";
    IdeDefinedIn = "定義於", "defined in";
    IdePointsOf = "{} 分", "{} points";
    IdeUpToPoints = "至多 {} 分", "up to {} points";
    IdeDeductEach = "每處扣 {}", "−{} each";
    IdeDeductUpTo = "至多扣 {}", "up to {}";
    IdeSectionTotal = "共 {} 分", "= {} points";
    IdeFixChange = "改為 `{}`", "Change to `{}`";
    IdeFixAscii = "把 `{}` 寫成 `{}`", "Write `{}` as `{}`";
    IdeFixAdd = "加上 `{}`", "Add `{}`";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_in_any_case() {
        for language in LANGUAGES {
            assert_eq!(Language::from_code(language.code()), Some(language));
        }
        assert_eq!(Language::from_code("ZH-hant"), Some(Language::Traditional));
        assert_eq!(Language::from_code("fr"), None);
    }

    #[test]
    fn a_title_gives_the_default() {
        assert_eq!(
            Language::of_title("城鄉環境綜合治理進機關考核標準"),
            Language::Traditional
        );
        assert_eq!(
            Language::of_title("城乡环境综合治理进机关考核标准"),
            Language::Simplified
        );
        assert_eq!(Language::of_title("Office hygiene"), Language::English);
    }

    #[test]
    fn every_word_has_both_texts_and_as_many_blanks_in_each() {
        for &word in WORDS {
            let (traditional, english) = TABLE[word as usize];
            assert!(!traditional.is_empty() && !english.is_empty(), "{word:?}");
            assert_eq!(
                traditional.matches("{}").count(),
                english.matches("{}").count(),
                "{word:?}"
            );
        }
    }

    #[test]
    fn simplified_words_come_from_the_traditional_ones() {
        assert_eq!(Language::Simplified.word(Word::Pass), "合格");
        assert_eq!(Language::Simplified.word(Word::NotApplicable), "不适用");
        assert_eq!(Language::Simplified.word(Word::SheetLedger), "整改台账");
        assert_eq!(Language::Traditional.word(Word::SheetLedger), "整改台賬");
        assert_eq!(Language::English.word(Word::SheetLedger), "Ledger");
    }

    #[test]
    fn blanks_are_filled_in_order() {
        assert_eq!(
            Language::Traditional.fill(Word::GradeByVeto, &[&"不達標", &"B1"]),
            "不達標（一票否決：B1）"
        );
        assert_eq!(
            Language::English.fill(Word::GradeByVeto, &[&"fail", &"B1"]),
            "fail (veto: B1)"
        );
    }
}
