//! Everything that can be wrong with editions (SPEC §4): the `extends`
//! chain, `amend` and `remove`, and the editions of a directory taken
//! together. Each kind has a stable code, documented in `docs/diagnostics.md`.

use miette::SourceSpan;

/// A problem with an edition or with a directory of editions.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
pub enum EditionError {
    /// The file named by `extends` cannot be read.
    #[error("cannot read `{path}`, the edition this one extends: {reason}")]
    #[diagnostic(
        code(yardstick::base_unreadable),
        help("the path is relative to the file that says `extends`")
    )]
    BaseUnreadable {
        /// The path as resolved.
        path: String,
        /// Why, from the operating system.
        reason: String,
        /// The `extends` entry's value.
        #[label("extended here")]
        span: SourceSpan,
    },

    /// `extends` names a file that is not a standard (no `.std` extension):
    /// it is not read, so that none of its lines is quoted.
    #[error("`extends` names `{path}`, which is not a standard")]
    #[diagnostic(
        code(yardstick::extends_not_standard),
        help("an edition extends another edition: a `.std` file")
    )]
    ExtendsNotStandard {
        /// The path as written.
        path: String,
        /// The `extends` entry's value.
        #[label("not a `.std` file")]
        span: SourceSpan,
    },

    /// `extends` names a file outside the folder of the standard being read.
    #[error("`extends` names `{path}`, outside `{root}`, the folder of the standard being read")]
    #[diagnostic(
        code(yardstick::extends_outside),
        help(
            "keep a standard's editions in its folder (or below it), or pass `--allow-outside` to let `extends` read any file"
        )
    )]
    ExtendsOutside {
        /// The path as resolved.
        path: String,
        /// The folder `extends` must stay in.
        root: String,
        /// The `extends` entry's value.
        #[label("outside the standard's folder")]
        span: SourceSpan,
    },

    /// `extends` leads back to a file already in the chain.
    #[error("`extends` goes round in a circle: {chain}")]
    #[diagnostic(
        code(yardstick::extends_cycle),
        help("an edition extends an earlier one; the first edition extends nothing")
    )]
    ExtendsCycle {
        /// The files of the cycle, `a.std → b.std → a.std`.
        chain: String,
        /// The `extends` that closes the cycle.
        #[label("back to an edition already in the chain")]
        span: SourceSpan,
    },

    /// An edition that extends another must say which edition it is.
    #[error("an edition that extends another states its own {entries}")]
    #[diagnostic(
        code(yardstick::edition_header),
        help(
            "`version`, `effective` and `until` belong to one edition and are not inherited; add e.g. `{example}` to the header"
        )
    )]
    EditionHeader {
        /// The missing entries, quoted.
        entries: &'static str,
        /// An example entry.
        example: &'static str,
        /// The header's name.
        #[label("this edition")]
        span: SourceSpan,
    },

    /// `amend` or `remove` of an id the earlier edition does not have.
    #[error("the edition this one extends has no {what} `{id}`")]
    #[diagnostic(code(yardstick::edition_unknown_id))]
    UnknownId {
        /// `rule` or `section`.
        what: &'static str,
        /// The id as written.
        id: String,
        /// Where.
        #[label("not in the earlier edition")]
        span: SourceSpan,
        /// Did you mean.
        #[help]
        help: Option<String>,
    },

    /// A rule or section written again instead of amended.
    #[error("{what} `{id}` is already in the edition this one extends")]
    #[diagnostic(code(yardstick::edition_redefined))]
    Redefined {
        /// `rule`.
        what: &'static str,
        /// The id.
        id: String,
        /// The new definition.
        #[label("defined again")]
        span: SourceSpan,
        /// The definition in the edition extended (another file: `check`
        /// leaves it out; an editor shows it as a related place).
        #[label("defined in the edition this one extends")]
        base: Option<SourceSpan>,
        /// How to change it instead.
        #[help]
        help: String,
    },

    /// A directory with no standard in it.
    #[error("`{path}` holds no standard (`.std` file)")]
    #[diagnostic(
        code(yardstick::no_editions),
        help("give a standard file, or a directory of a standard's editions")
    )]
    NoEditions {
        /// The directory.
        path: String,
    },

    /// Editions of different standards in one directory.
    #[error(
        "the editions of a directory are of one standard, but this is `{name}` and `{first_path}` is `{first}`"
    )]
    #[diagnostic(
        code(yardstick::editions_mixed),
        help("keep each standard's editions in a directory of their own")
    )]
    Mixed {
        /// This edition's standard.
        name: String,
        /// The first edition's standard.
        first: String,
        /// The first edition's file.
        first_path: String,
        /// This edition's header name.
        #[label("another standard")]
        span: SourceSpan,
    },

    /// An edition in a directory has no `effective` date.
    #[error("edition `{version}` has no `effective` date, so it cannot be placed among the others")]
    #[diagnostic(
        code(yardstick::edition_undated),
        help("add `effective YYYY-MM-DD` to its header: the first day it is in force")
    )]
    Undated {
        /// The edition's version.
        version: String,
        /// The header's name.
        #[label("no `effective`")]
        span: SourceSpan,
    },

    /// Two editions with the same version.
    #[error("two editions are version `{version}`")]
    #[diagnostic(
        code(yardstick::duplicate_version),
        help("`--edition {version}` must name one edition; give each its own version")
    )]
    DuplicateVersion {
        /// The version.
        version: String,
        /// The later one.
        #[label("version `{version}` again")]
        span: SourceSpan,
    },

    /// Two editions in force on the same day.
    #[error("editions `{earlier}` and `{later}` are both in force from {from} to {to}")]
    #[diagnostic(
        code(yardstick::editions_overlap),
        help(
            "end `{earlier}` the day before `{later}` takes effect (`until`), or leave `until` out: an edition without it is in force until the next one"
        )
    )]
    Overlap {
        /// The edition that starts first.
        earlier: String,
        /// The edition that starts within it.
        later: String,
        /// The first shared day.
        from: String,
        /// The last shared day.
        to: String,
        /// The later edition's `effective`.
        #[label("takes effect while `{earlier}` is in force")]
        span: SourceSpan,
    },

    /// Days on which no edition is in force.
    #[error("no edition is in force from {from} to {to}")]
    #[diagnostic(
        code(yardstick::editions_gap),
        severity(Warning),
        help(
            "inspections dated in the gap cannot be scored; move `until` of `{earlier}` or `effective` of `{later}`"
        )
    )]
    Gap {
        /// The edition before the gap.
        earlier: String,
        /// The edition after it.
        later: String,
        /// The first day of the gap.
        from: String,
        /// The last day of the gap.
        to: String,
        /// The later edition's `effective`.
        #[label("the next edition starts here")]
        span: SourceSpan,
    },

    /// Editions that date inspections by different fields.
    #[error("edition `{version}` dates inspections by `{field}`, the others by `{others}`")]
    #[diagnostic(
        code(yardstick::editions_dated_by),
        help("every edition of a standard names the same `dated_by` field (or none)")
    )]
    DatedBy {
        /// The edition.
        version: String,
        /// Its field, or `nothing`.
        field: String,
        /// The others' field, or `nothing`.
        others: String,
        /// Its header.
        #[label("dated differently")]
        span: SourceSpan,
    },
}
