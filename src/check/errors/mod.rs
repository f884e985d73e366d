//! Everything the checker can say about a standard: errors, then warnings.
//! Each kind has a stable code, documented in `docs/diagnostics.md`.
//!
//! Over 600 lines on purpose: one enum holds every kind the checker
//! reports, so that the catalogue of codes and messages reads in one place.
//! What a kind carries that words itself (a type mismatch, a bad `grades`
//! block) is in `kinds`.

mod kinds;
mod rollup;

use miette::SourceSpan;

pub use kinds::{GradesProblem, Mismatch, Operator};
pub use rollup::RollupProblem;

/// A problem found by the checker. Warnings do not stop `check` from passing.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
pub enum CheckError {
    /// The file has no `standard { ... }` header.
    #[error("the file has no `standard` header")]
    #[diagnostic(
        code(yardstick::missing_header),
        help("start the file with `standard NAME {{ title \"...\" key FIELD ... }}`")
    )]
    MissingHeader {
        /// The start of the file.
        #[label("expected `standard NAME {{ ... }}`")]
        span: SourceSpan,
    },

    /// Two `standard` headers.
    #[error("a file has only one `standard` header")]
    #[diagnostic(code(yardstick::duplicate_header))]
    DuplicateHeader {
        /// The second header.
        #[label("second header")]
        span: SourceSpan,
        /// The first.
        #[label("first header")]
        first: SourceSpan,
    },

    /// A header entry yardstick does not know.
    #[error("unknown header entry `{name}`")]
    #[diagnostic(code(yardstick::unknown_header_entry))]
    UnknownHeaderEntry {
        /// The entry as written.
        name: String,
        /// Where.
        #[label("not a header entry")]
        span: SourceSpan,
        /// Did you mean, or the list of entries.
        #[help]
        help: String,
    },

    /// A header entry given twice, or a rule clause given twice.
    #[error("`{name}` is given twice{place}")]
    #[diagnostic(code(yardstick::duplicate_entry), help("keep one of them"))]
    DuplicateEntry {
        /// The entry or clause.
        name: String,
        /// " in rule `A1`", or empty.
        place: String,
        /// The second one.
        #[label("given again here")]
        span: SourceSpan,
        /// The first one.
        #[label("first given here")]
        first: SourceSpan,
    },

    /// A header entry whose value has the wrong form.
    #[error("`{entry}` needs {expected}")]
    #[diagnostic(code(yardstick::invalid_header_value))]
    InvalidHeaderValue {
        /// The entry.
        entry: String,
        /// What it needs, in words.
        expected: String,
        /// The value.
        #[label("not {expected}")]
        span: SourceSpan,
    },

    /// A `language` the reports cannot be written in.
    #[error("unknown language `{code}`")]
    #[diagnostic(code(yardstick::unknown_language))]
    UnknownLanguage {
        /// The language as written.
        code: String,
        /// Where.
        #[label("not \"zh-Hant\", \"zh-Hans\" or \"en\"")]
        span: SourceSpan,
        /// Did you mean, or the languages.
        #[help]
        help: String,
    },

    /// The header does not name the key field.
    #[error("the header has no `key`")]
    #[diagnostic(
        code(yardstick::missing_key),
        help("name the field that identifies an inspected unit, e.g. `key unit_id`")
    )]
    MissingKey {
        /// The header.
        #[label("no `key` in this header")]
        span: SourceSpan,
    },

    /// A field type yardstick does not know.
    #[error("unknown type `{name}`")]
    #[diagnostic(code(yardstick::unknown_type))]
    UnknownType {
        /// The type as written.
        name: String,
        /// Where.
        #[label("not a type")]
        span: SourceSpan,
        /// Did you mean, or the list of types.
        #[help]
        help: String,
    },

    /// A name defined twice (fields, lets).
    #[error("`{name}` is defined twice")]
    #[diagnostic(code(yardstick::duplicate_name), help("rename one of them"))]
    DuplicateName {
        /// The name.
        name: String,
        /// The second definition.
        #[label("defined again here")]
        span: SourceSpan,
        /// The first.
        #[label("first defined here")]
        first: SourceSpan,
    },

    /// A rule or section id used twice.
    #[error("{what} id `{id}` is used twice")]
    #[diagnostic(
        code(yardstick::duplicate_id),
        help("ids must be unique in a standard")
    )]
    DuplicateId {
        /// "rule" or "section".
        what: &'static str,
        /// The id.
        id: String,
        /// The second use.
        #[label("used again here")]
        span: SourceSpan,
        /// The first.
        #[label("first used here")]
        first: SourceSpan,
    },

    /// A field or let named like a built-in that grades use.
    #[error("`{name}` is a reserved name")]
    #[diagnostic(
        code(yardstick::reserved_name),
        help(
            "choose another name; `score`, `earned`, `possible` and `rank` mean the unit's results in `grades`"
        )
    )]
    ReservedName {
        /// The name.
        name: String,
        /// Where.
        #[label("reserved")]
        span: SourceSpan,
    },

    /// A name that is not a field or a derived value.
    #[error("unknown field `{name}`")]
    #[diagnostic(code(yardstick::unknown_field))]
    UnknownField {
        /// The name as written.
        name: String,
        /// Where.
        #[label("not a field or `let`")]
        span: SourceSpan,
        /// Did you mean.
        #[help]
        help: Option<String>,
    },

    /// A rule id that is not defined.
    #[error("unknown rule `{name}`")]
    #[diagnostic(code(yardstick::unknown_rule))]
    UnknownRule {
        /// The id as written.
        name: String,
        /// Where.
        #[label("no rule has this id")]
        span: SourceSpan,
        /// Did you mean.
        #[help]
        help: Option<String>,
    },

    /// A section id that is not defined.
    #[error("unknown section `{name}`")]
    #[diagnostic(code(yardstick::unknown_section))]
    UnknownSection {
        /// The id as written.
        name: String,
        /// Where.
        #[label("no section has this id")]
        span: SourceSpan,
        /// Did you mean.
        #[help]
        help: Option<String>,
    },

    /// A grade name that no band has.
    #[error("unknown grade `{name}`")]
    #[diagnostic(code(yardstick::unknown_grade))]
    UnknownGrade {
        /// The grade as written.
        name: String,
        /// Where.
        #[label("no grade band has this name")]
        span: SourceSpan,
        /// Did you mean.
        #[help]
        help: Option<String>,
    },

    /// A call to a function that is neither built in nor in a script.
    #[error("unknown function `{name}`")]
    #[diagnostic(code(yardstick::unknown_function))]
    UnknownFunction {
        /// The name as written.
        name: String,
        /// Where.
        #[label("not a built-in or script function")]
        span: SourceSpan,
        /// Did you mean.
        #[help]
        help: Option<String>,
    },

    /// A call with the wrong number of arguments.
    #[error("`{name}` takes {expected}, but {found} given")]
    #[diagnostic(code(yardstick::wrong_arity))]
    WrongArity {
        /// The function.
        name: String,
        /// "2 arguments", "at least 1 argument".
        expected: String,
        /// "1 was", "3 were".
        found: String,
        /// The call.
        #[label("wrong number of arguments")]
        span: SourceSpan,
    },

    /// Values of the wrong type for an operator or function. Made by
    /// [`CheckError::type_mismatch`], which gives the help that goes with it.
    #[error("{mismatch}")]
    #[diagnostic(code(yardstick::type_mismatch))]
    TypeMismatch {
        /// What was needed, and what was found instead.
        mismatch: Mismatch,
        /// The offending operand.
        #[label("{}", mismatch.label())]
        span: SourceSpan,
        /// Advice: [`Mismatch::help`].
        #[help]
        help: Option<String>,
    },

    /// A `when`, `require` or grade band condition that is not true/false.
    #[error("`{clause}` needs a true/false condition, but this is a `{found}`")]
    #[diagnostic(
        code(yardstick::not_boolean),
        help("compare the value, e.g. `x > 0` or `x == \"...\"`")
    )]
    NotBoolean {
        /// The clause.
        clause: &'static str,
        /// The type found.
        found: String,
        /// The condition.
        #[label("this is a `{found}`")]
        span: SourceSpan,
    },

    /// A `deduct ... per X` or `points X up to N` whose X is not a number.
    #[error("`{clause}` needs a number, but this is a `{found}`")]
    #[diagnostic(code(yardstick::not_numeric))]
    NotNumeric {
        /// The clause, as `deduct ... per`.
        clause: &'static str,
        /// The type found.
        found: String,
        /// An example of the clause.
        #[help]
        help: &'static str,
        /// The amount.
        #[label("this is a `{found}`")]
        span: SourceSpan,
    },

    /// A text compared with a `one of` field that can never hold it.
    #[error("`\"{value}\"` is not one of the values of `{field}`")]
    #[diagnostic(code(yardstick::not_a_choice))]
    NotAChoice {
        /// The text.
        value: String,
        /// The field.
        field: String,
        /// Where.
        #[label("never equal to `{field}`")]
        span: SourceSpan,
        /// Did you mean, or the list of choices.
        #[help]
        help: String,
    },

    /// A name that only grades know, used elsewhere.
    #[error("`{name}` is only known in `grades`")]
    #[diagnostic(
        code(yardstick::grade_only),
        help(
            "scores, ranks and rule totals exist once every rule is evaluated, so only grade bands can use them"
        )
    )]
    GradeOnly {
        /// The name.
        name: String,
        /// Where.
        #[label("not available here")]
        span: SourceSpan,
    },

    /// Points or weights that add up past what scoring can hold exactly.
    #[error("the {what} of this standard add up to more than 1,000,000,000")]
    #[diagnostic(
        code(yardstick::points_too_large),
        help("no real standard comes near; scores are computed exactly only up to this")
    )]
    PointsTooLarge {
        /// `points` or `section weights`.
        what: &'static str,
        /// The one that goes past.
        #[label("the sum goes past 1,000,000,000 here")]
        span: SourceSpan,
    },

    /// A rule with variable points that also deducts.
    #[error("rule `{id}` has variable points and a `deduct`")]
    #[diagnostic(
        code(yardstick::variable_points_deduct),
        help(
            "write the deduction into the points, e.g. `points 4 - 1 * exposed_waste up to 4`, or give the rule fixed points"
        )
    )]
    VariablePointsDeduct {
        /// The rule.
        id: String,
        /// The `deduct` clause.
        #[label("deducts from points that are already computed")]
        span: SourceSpan,
        /// The `points EXPR up to N` clause.
        #[label("variable points")]
        points: SourceSpan,
    },

    /// An expression that reads an `info` field.
    #[error("field `{name}` is `info`: no rule, `let` or grade reads it")]
    #[diagnostic(code(yardstick::info_field_read))]
    InfoFieldRead {
        /// The field.
        name: String,
        /// Where it is read.
        #[label("read here")]
        span: SourceSpan,
        /// The field's declaration.
        #[label("declared `info` here")]
        declared: SourceSpan,
        /// What to do.
        #[help]
        help: String,
    },

    /// A rule without `require`.
    #[error("rule `{id}` has no `require`")]
    #[diagnostic(
        code(yardstick::missing_require),
        help("add `require CONDITION`: the condition a unit must meet to pass")
    )]
    MissingRequire {
        /// The rule.
        id: String,
        /// Where.
        #[label("no `require` in this rule")]
        span: SourceSpan,
    },

    /// A section nested inside a nested section.
    #[error("sections nest only one level")]
    #[diagnostic(
        code(yardstick::section_too_deep),
        help("move this section up a level, or turn it into rules")
    )]
    SectionTooDeep {
        /// The section.
        #[label("third level")]
        span: SourceSpan,
    },

    /// A weight on a nested section.
    #[error("only top-level sections have a weight")]
    #[diagnostic(
        code(yardstick::nested_weight),
        help("a nested section counts towards its parent; weigh the parent instead")
    )]
    NestedWeight {
        /// The weight.
        #[label("weight of a nested section")]
        span: SourceSpan,
    },

    /// Some top-level sections have a weight and some do not.
    #[error("section `{id}` has no `weight`, but section `{weighted}` has one")]
    #[diagnostic(
        code(yardstick::missing_weight),
        help("give every top-level section a weight, or none")
    )]
    MissingWeight {
        /// The section without a weight.
        id: String,
        /// A section with one.
        weighted: String,
        /// Where.
        #[label("no weight")]
        span: SourceSpan,
        /// The weighted section.
        #[label("weighted here")]
        other: SourceSpan,
    },

    /// A rule outside every section in a weighted standard.
    #[error("rule `{id}` is outside every section, but sections are weighted")]
    #[diagnostic(
        code(yardstick::rule_outside_sections),
        help("move the rule into a section: weights are given per section")
    )]
    RuleOutsideSections {
        /// The rule.
        id: String,
        /// Where.
        #[label("not in a section")]
        span: SourceSpan,
    },

    /// `grades` given twice, a band name used twice, or `otherwise` misplaced.
    #[error("{problem}")]
    #[diagnostic(code(yardstick::invalid_grades), help("{}", problem.help()))]
    InvalidGrades {
        /// What is wrong.
        problem: GradesProblem,
        /// Where.
        #[label("{}", problem.label())]
        span: SourceSpan,
    },

    /// A roll-up's lines, levels, grades or targets in a form it cannot use.
    #[error("{problem}")]
    #[diagnostic(code(yardstick::invalid_rollup), help("{}", problem.help()))]
    InvalidRollup {
        /// What is wrong.
        problem: RollupProblem,
        /// Where.
        #[label("{}", problem.label())]
        span: SourceSpan,
    },

    /// A roll-up's `"METHOD"` term that the method field never holds.
    #[error("`{value}` is not a value of `{field}`")]
    #[diagnostic(code(yardstick::unknown_method))]
    UnknownMethod {
        /// The method as written.
        value: String,
        /// The method field.
        field: String,
        /// Where.
        #[label("no record is inspected this way")]
        span: SourceSpan,
        /// Did you mean, or the field's values.
        #[help]
        help: String,
    },

    /// A roll-up term or `repeat` naming a level that is not declared.
    #[error("unknown level `{name}`")]
    #[diagnostic(code(yardstick::unknown_level))]
    UnknownLevel {
        /// The level as written.
        name: String,
        /// Where.
        #[label("no level of this roll-up has this name")]
        span: SourceSpan,
        /// Did you mean, or the levels.
        #[help]
        help: Option<String>,
    },

    /// A level made of itself or of a level declared after it.
    #[error("level `{level}` cannot be made of `{named}`: {why}")]
    #[diagnostic(
        code(yardstick::coarser_level),
        help(
            "list levels from the finest to the coarsest; each is made of methods and of levels listed before it"
        )
    )]
    CoarserLevel {
        /// The level being defined.
        level: String,
        /// The level its term names.
        named: String,
        /// "it is the level itself", "it is declared after it", "a month is shorter than a year".
        why: String,
        /// The term.
        #[label("not finer than `{level}`")]
        span: SourceSpan,
    },

    /// A level's weights that do not add up to 100%.
    #[error("the weights of level `{level}` add up to {total}%, not 100%")]
    #[diagnostic(
        code(yardstick::rollup_weights),
        help(
            "weights say how much each part counts: write them so that they add up to 100% (a term without a weight counts 100%)"
        )
    )]
    RollupWeights {
        /// The level.
        level: String,
        /// What they add up to, in percent.
        total: String,
        /// The level's line.
        #[label("{total}%")]
        span: SourceSpan,
    },

    /// Calendar periods in a standard whose records carry no date.
    #[error("level `{level}` counts calendar periods, but the standard has no `dated_by`")]
    #[diagnostic(
        code(yardstick::rollup_undated),
        help("name the field that dates an inspection in the header: `dated_by inspection_date`")
    )]
    RollupUndated {
        /// The level, or `period`.
        level: String,
        /// Where.
        #[label("needs each inspection's date")]
        span: SourceSpan,
    },

    /// An example that names a roll-up the standard does not have.
    #[error("unknown roll-up `{name}`")]
    #[diagnostic(code(yardstick::unknown_rollup))]
    UnknownRollup {
        /// The name as written.
        name: String,
        /// Where.
        #[label("no roll-up has this name")]
        span: SourceSpan,
        /// Did you mean, or the roll-ups.
        #[help]
        help: Option<String>,
    },

    /// A derived value or rule that depends on itself.
    #[error("{what} `{name}` depends on itself")]
    #[diagnostic(code(yardstick::cycle), help("{path}"))]
    Cycle {
        /// "let" or "rule".
        what: &'static str,
        /// The name.
        name: String,
        /// The chain, e.g. "a uses b, b uses a".
        path: String,
        /// Where.
        #[label("part of a cycle")]
        span: SourceSpan,
    },

    /// `passed(ID)` given something other than a rule id.
    #[error("`{function}` needs a rule id, such as `{function}(A1)`")]
    #[diagnostic(code(yardstick::expected_id))]
    ExpectedId {
        /// The function.
        function: String,
        /// The argument.
        #[label("not an id")]
        span: SourceSpan,
    },

    /// `amend` or `remove` in a file that extends nothing.
    #[error("`{what}` needs `extends` in the header")]
    #[diagnostic(
        code(yardstick::nothing_to_amend),
        help(
            "`amend` and `remove` change an earlier edition; add `extends \"2015.std\"` to the header"
        )
    )]
    NothingToAmend {
        /// "amend rule" or "remove".
        what: &'static str,
        /// Where.
        #[label("nothing to change")]
        span: SourceSpan,
    },

    /// An example `given` value of the wrong type.
    #[error("`{field}` is a `{expected}` field, but this value is a `{found}`")]
    #[diagnostic(code(yardstick::invalid_given))]
    InvalidGiven {
        /// The field.
        field: String,
        /// The field's type.
        expected: String,
        /// The value's type.
        found: String,
        /// Where.
        #[label("wrong type")]
        span: SourceSpan,
        /// Advice.
        #[help]
        help: Option<String>,
    },

    /// A script block that Rhai cannot parse.
    #[error("the script does not parse: {message}")]
    #[diagnostic(
        code(yardstick::script_syntax),
        help("scripts are Rhai (https://rhai.rs/book); numbers in them are exact decimals")
    )]
    ScriptSyntax {
        /// Rhai's message.
        message: String,
        /// Where in the script.
        #[label("here")]
        span: SourceSpan,
    },

    /// A feature of the language that this version does not carry out yet.
    #[error("{what} is not supported yet")]
    #[diagnostic(code(yardstick::unsupported), help("{help}"))]
    Unsupported {
        /// The feature.
        what: String,
        /// What to do instead.
        help: String,
        /// Where it is used.
        #[label("not supported yet")]
        span: SourceSpan,
    },

    // ---------------------------------------------------------------- warnings
    /// A percent compared with a bare number that reads as a percentage.
    #[error("`{field}` is a percent, so `{number}` means {number}00%")]
    #[diagnostic(
        code(yardstick::percent_scale),
        severity(Warning),
        help("write `{number}%`; percents are fractions, so `30%` is 0.30")
    )]
    PercentScale {
        /// The percent field.
        field: String,
        /// The bare number.
        number: String,
        /// The number.
        #[label("did you mean `{number}%`?")]
        span: SourceSpan,
    },

    /// A field no rule, let, grade or header entry reads.
    #[error("field `{name}` is never used")]
    #[diagnostic(
        code(yardstick::unused_field),
        severity(Warning),
        help(
            "mark it `info` to keep it on the form and in reports (`{name} text info`), use it in a rule, or remove it (`remove field {name}` in an edition)"
        )
    )]
    UnusedField {
        /// The field.
        name: String,
        /// Where.
        #[label("declared here")]
        span: SourceSpan,
    },

    /// A derived value nothing reads.
    #[error("`let {name}` is never used")]
    #[diagnostic(
        code(yardstick::unused_let),
        severity(Warning),
        help("remove it, or use it in a rule")
    )]
    UnusedLet {
        /// The let.
        name: String,
        /// Where.
        #[label("declared here")]
        span: SourceSpan,
    },

    /// A grade band no score can reach.
    #[error("grade `{name}` can never be given")]
    #[diagnostic(
        code(yardstick::unreachable_grade),
        severity(Warning),
        help(
            "bands are tried in order and the first that holds wins; put the stricter band first"
        )
    )]
    UnreachableGrade {
        /// The band.
        name: String,
        /// Where.
        #[label("unreachable")]
        span: SourceSpan,
        /// The band that takes every unit it could get.
        #[label("every unit it could get is taken here first")]
        cover: Option<SourceSpan>,
    },

    /// Points that do not add up to the declared total.
    #[error("the rules' points add up to {sum}, not the declared total {total}")]
    #[diagnostic(
        code(yardstick::points_total),
        severity(Warning),
        help("rebalance the points, or correct `total` (bonus rules are not counted)")
    )]
    PointsTotal {
        /// The sum.
        sum: String,
        /// The declared total.
        total: String,
        /// The `total` entry.
        #[label("declared here")]
        span: SourceSpan,
    },

    /// A rule without `points` in a standard where other rules have them.
    #[error("rule `{id}` has no `points`, so it counts 1 point")]
    #[diagnostic(
        code(yardstick::no_points),
        severity(Warning),
        help("give it `points N` like the other rules")
    )]
    NoPoints {
        /// The rule.
        id: String,
        /// Where.
        #[label("no `points`")]
        span: SourceSpan,
    },

    /// Two fields whose columns would be headed alike (spaces, widths and
    /// Simplified or Traditional characters aside): no sheet can tell them apart.
    #[error("fields `{other}` and `{name}` would be headed alike: {alike}")]
    #[diagnostic(
        code(yardstick::same_heading),
        help(
            "a column's heading is read without spaces, full-width forms or the difference of Simplified and Traditional characters, so no sheet could tell these two columns apart; give one of the fields another label"
        )
    )]
    SameHeading {
        /// The later field.
        name: String,
        /// The earlier field.
        other: String,
        /// `X` and `Y`, or `X` twice.
        alike: String,
        /// The later field.
        #[label("headed `{heading}`")]
        span: SourceSpan,
        /// Its heading.
        heading: String,
        /// The earlier field.
        #[label("headed `{first_heading}`")]
        first: SourceSpan,
        /// Its heading.
        first_heading: String,
    },

    /// A field's name that is another field's label: a column headed so
    /// fills the field it labels.
    #[error("`{heading}` is field `{name}`'s name and field `{other}`'s label")]
    #[diagnostic(
        code(yardstick::ambiguous_heading),
        severity(Warning),
        help(
            "a column headed `{heading}` fills `{other}` (a label wins over a name); rename `{name}` so that nobody fills in the wrong column"
        )
    )]
    AmbiguousHeading {
        /// The field named so.
        name: String,
        /// The field labelled so.
        other: String,
        /// The name and label.
        heading: String,
        /// The field named so.
        #[label("named `{heading}`")]
        span: SourceSpan,
        /// The field labelled so.
        #[label("labelled `{heading}`")]
        first: SourceSpan,
    },

    /// `one of` values that repeat or differ only in case, spaces or width.
    #[error("`\"{value}\"` overlaps `\"{other}\"` in `one of`")]
    #[diagnostic(
        code(yardstick::overlapping_choices),
        severity(Warning),
        help(
            "values that differ only in case, spaces or full-width characters confuse inspectors; keep one"
        )
    )]
    OverlappingChoices {
        /// The later value.
        value: String,
        /// The earlier value.
        other: String,
        /// The later value.
        #[label("overlaps")]
        span: SourceSpan,
        /// The earlier value.
        #[label("this one")]
        first: SourceSpan,
    },
}

impl CheckError {
    /// A value of the wrong type, with the help that goes with the mismatch.
    pub fn type_mismatch(mismatch: Mismatch, span: crate::syntax::span::Span) -> CheckError {
        CheckError::TypeMismatch {
            help: mismatch.help(),
            mismatch,
            span: span.into(),
        }
    }

    /// A problem with a roll-up's lines, at `span`.
    pub fn rollup(problem: RollupProblem, span: crate::syntax::span::Span) -> CheckError {
        CheckError::InvalidRollup {
            problem,
            span: span.into(),
        }
    }

    /// `extends` in a standard that is not read from a file (stdin), so
    /// that there is no file to merge it onto.
    pub fn extends_unresolved(span: crate::syntax::span::Span) -> CheckError {
        CheckError::Unsupported {
            what: "`extends` in a standard read from stdin".to_owned(),
            help: "an edition is merged onto the file it extends, found next to its own file: give the standard's path instead of `-`"
                .to_owned(),
            span: span.into(),
        }
    }
}
