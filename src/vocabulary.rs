//! The vocabulary as data: the words qingdan looks for in an edition.
//!
//! `data/vocabulary.toml` is compiled in and read once, lazily: list
//! kinds by the keywords of their titles, column titles per field, markers,
//! contents headings, attachment words, abolishing words, region
//! suffixes, cut-off endings.
//! A [`Vocabulary`] is the part a user may add to — `[sections]` and
//! `[columns]` — with the built-in words and a user's file
//! ([`Vocabulary::with_file`]) in force; it travels with the [`Options`]
//! of a conversion. The rest is [`words`], fixed.
//!
//! Column titles are compared by meaning, not byte for byte: whitespace
//! removed, brackets of either width alike, and the township words of
//! `[folding]` (`乡镇（街道）`, `镇街`, `街道`) alike.
//!
//! ```
//! let vocabulary = qingdan::Vocabulary::builtin()
//!     .with_file("my.toml", "[columns]\ntownship_duties = [\"镇配合事项\"]\n")
//!     .unwrap();
//! assert!(vocabulary.to_toml().contains("\"镇配合事项\""));
//! let broken = qingdan::Vocabulary::builtin().with_file("my.toml", "[colums]\n");
//! assert_eq!(broken.unwrap_err().position().map(|p| (p.line, p.column)), Some((1, 2)));
//! ```
//!
//! [`Options`]: crate::Options

use std::borrow::Cow;
use std::collections::hash_map::{Entry, HashMap};
use std::ops::Range;
use std::sync::{Arc, LazyLock};

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Code, Diagnostic};
use crate::error::Error;
use crate::lines::SourceLines;
use crate::model::{Field, SectionKind};

/// The vocabulary compiled in.
const BUILTIN: &str = include_str!("../data/vocabulary.toml");

/// The built-in vocabulary, made from [`words`] once.
static BUILTIN_VOCABULARY: LazyLock<Arc<Vocabulary>> =
    LazyLock::new(|| Arc::new(Vocabulary::new(&words().sections, &words().columns)));

/// The section kinds in the order their keywords are tried.
const KINDS: [SectionKind; 3] = [
    SectionKind::Withdrawn,
    SectionKind::Cooperative,
    SectionKind::Basic,
];

/// The words of list kinds and column titles in force for a conversion:
/// the built-in ones and those a user's vocabulary file adds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vocabulary {
    /// Keywords of list titles, per kind, in [`KINDS`] order.
    sections: Vec<(SectionKind, Vec<String>)>,
    /// Column titles, per field, in [`Field::ALL`] order.
    columns: Vec<(Field, Vec<String>)>,
    /// Every column title, folded, and its field.
    fields: HashMap<String, Field>,
}

impl Vocabulary {
    /// The built-in vocabulary (shared: cloning it is cheap).
    ///
    /// ```
    /// let vocabulary = qingdan::Vocabulary::builtin();
    /// assert!(vocabulary.to_toml().contains("township_duties = ["));
    /// ```
    pub fn builtin() -> Arc<Vocabulary> {
        Arc::clone(&BUILTIN_VOCABULARY)
    }

    /// The first title the built-in vocabulary gives `field`'s column
    /// (`乡镇配合职责`), to name the field to people.
    pub(crate) fn builtin_title(field: Field) -> &'static str {
        BUILTIN_VOCABULARY
            .columns
            .iter()
            .find(|(f, _)| *f == field)
            .and_then(|(_, titles)| titles.first())
            .map_or(field.as_str(), String::as_str)
    }

    /// The built-in vocabulary, borrowed for as long as the process runs.
    #[cfg(test)]
    pub(crate) fn builtin_ref() -> &'static Vocabulary {
        &BUILTIN_VOCABULARY
    }

    fn new(sections: &Sections, columns: &Columns) -> Vocabulary {
        let mut vocabulary = Vocabulary {
            sections: KINDS.iter().map(|&k| (k, Vec::new())).collect(),
            columns: Field::ALL.iter().map(|&f| (f, Vec::new())).collect(),
            fields: HashMap::new(),
        };
        vocabulary.add(sections, columns);
        vocabulary
    }

    /// Adds words (those already known are not added twice).
    fn add(&mut self, sections: &Sections, columns: &Columns) {
        for (kind, keywords) in &mut self.sections {
            for keyword in sections.of(*kind) {
                if !keywords.contains(keyword) {
                    keywords.push(keyword.clone());
                }
            }
        }
        for (field, titles) in &mut self.columns {
            for title in columns.of(*field) {
                let folded = fold(title, &words().folding.township).into_owned();
                if let Entry::Vacant(entry) = self.fields.entry(folded) {
                    entry.insert(*field);
                    titles.push(title.clone());
                }
            }
        }
    }

    /// This vocabulary with the words of the vocabulary file `text` (named
    /// `path` in errors) added. A file may hold `[sections]` and
    /// `[columns]`; anything else, a misspelt kind or field, or an empty
    /// word is an error at its line and column, and so is a column title
    /// that another field already has.
    ///
    /// ```
    /// use qingdan::{ErrorKind, Vocabulary};
    ///
    /// let county = Vocabulary::builtin()
    ///     .with_file("county.toml", "[columns]\ntownship_duties = [\"镇配合事项\"]\n")
    ///     .unwrap();
    /// assert!(county.to_toml().contains("\"镇配合事项\""));
    ///
    /// let broken = Vocabulary::builtin()
    ///     .with_file("county.toml", "[columns]\ntownshp = [\"镇配合事项\"]\n")
    ///     .unwrap_err();
    /// assert_eq!(broken.kind(), &ErrorKind::Vocabulary);
    /// assert_eq!(broken.position().map(|p| (p.line, p.column)), Some((2, 1)));
    /// ```
    pub fn with_file(&self, path: &str, text: &str) -> Result<Vocabulary, Error> {
        let file: UserFile = toml::from_str(text)
            .map_err(|e| vocabulary_error(path, text, e.span(), e.message()))?;
        let mut vocabulary = self.clone();
        let entries = file.sections.iter().chain(file.columns.iter());
        for (name, word) in entries {
            if word.get_ref().trim().is_empty() {
                return Err(vocabulary_error(
                    path,
                    text,
                    Some(word.span()),
                    &format!("expected a word for `{name}`, found an empty string"),
                ));
            }
        }
        for (field, title) in file.columns.iter() {
            let folded = fold(title.get_ref(), &words().folding.township);
            let field = field_named(field).expect("a field the file type knows");
            if let Some(&known) = vocabulary.fields.get(folded.as_ref()) {
                if known != field {
                    return Err(vocabulary_error(
                        path,
                        text,
                        Some(title.span()),
                        &format!(
                            "expected a column title for `{}`, found `{}`, which names `{}` already",
                            field.as_str(),
                            title.get_ref(),
                            known.as_str()
                        ),
                    ));
                }
            }
        }
        vocabulary.add(&file.sections.plain(), &file.columns.plain());
        Ok(vocabulary)
    }

    /// The vocabulary as a file a user can copy, edit and give back with
    /// `--vocab`: its `[sections]` and `[columns]`, with comments.
    pub fn to_toml(&self) -> String {
        let sections = Sections::from_lists(&self.sections);
        let columns = Columns::from_lists(&self.columns);
        let body = toml::to_string(&PrintedFile {
            sections: &sections,
            columns: &columns,
        })
        .expect("a vocabulary serializes");
        let township = words().folding.township.join(", ");
        format!("{VOCABULARY_HEADER}# {township}.\n\n{body}")
    }

    /// The kind of list a page title names: `None` when it is no list title
    /// (it does not end in `清单`), `Other` when it holds no kind's keyword.
    pub(crate) fn section_kind(&self, title: &str) -> Option<SectionKind> {
        if !title.ends_with(&words().titles.list_word) {
            return None;
        }
        Some(
            self.sections
                .iter()
                .find(|(_, keywords)| keywords.iter().any(|k| title.contains(k.as_str())))
                .map_or(SectionKind::Other, |&(kind, _)| kind),
        )
    }

    /// What a list title says before the keyword of its kind: the place
    /// (`某县某镇` of `某县某镇配合履职事项清单`); the whole title when it
    /// holds no keyword.
    pub(crate) fn before_kind<'t>(&self, title: &'t str) -> &'t str {
        let at = self
            .sections
            .iter()
            .flat_map(|(_, keywords)| keywords)
            .filter_map(|k| title.find(k.as_str()))
            .min();
        at.map_or(title, |at| &title[..at])
    }

    /// The field a column title names, `None` for a column it does not know.
    pub(crate) fn column_field(&self, title: &str) -> Option<Field> {
        self.fields
            .get(fold(title, &words().folding.township).as_ref())
            .copied()
    }

    /// The field whose titles share the most characters with `title`, for
    /// suggesting a line to add to a vocabulary file.
    pub(crate) fn nearest_field(&self, title: &str) -> Option<Field> {
        let shared = |known: &str| title.chars().filter(|&c| known.contains(c)).count();
        self.columns
            .iter()
            .flat_map(|(field, titles)| titles.iter().map(move |t| (shared(t), *field)))
            .filter(|&(n, _)| n > 0)
            .max_by_key(|&(n, field)| (n, std::cmp::Reverse(field)))
            .map(|(_, field)| field)
    }
}

/// What `qingdan vocab` prints above the vocabulary.
const VOCABULARY_HEADER: &str = "\
# The vocabulary in force: give a file like this one (only the words you
# add are needed) with `qingdan --vocab FILE`, or put it at the root of
# `build --input` as `qingdan.toml`.
#
# kind = [keywords of a list title]. Kinds: basic, cooperative, withdrawn.
# field = [column titles]. Fields: seq, category, name, superior_departments,
# superior_duties, township_duties, handover, handover_department,
# handover_method. Titles are compared with whitespace removed, brackets of
# either width alike, and these words for the township alike:
";

/// `title` with whitespace removed, brackets made half-width and the
/// township words made the first of them.
fn fold<'t>(title: &'t str, township: &[String]) -> Cow<'t, str> {
    let plain = |c: char| !c.is_whitespace() && c != '（' && c != '）';
    if title.chars().all(plain) && !township[1..].iter().any(|w| title.contains(w.as_str())) {
        return Cow::Borrowed(title);
    }
    let mut folded: String = title
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect();
    // The longer words first, so that `乡镇(街道)` is not read as `乡镇` and
    // `(街道)`.
    let mut others: Vec<&String> = township[1..].iter().collect();
    others.sort_by_key(|w| std::cmp::Reverse(w.len()));
    for word in others {
        folded = folded.replace(word.as_str(), &township[0]);
    }
    Cow::Owned(folded)
}

/// The error for a vocabulary file, at `span` (bytes of `text`) when known.
fn vocabulary_error(path: &str, text: &str, span: Option<Range<usize>>, message: &str) -> Error {
    let lines = SourceLines::new(text);
    let span = span.unwrap_or(0..0);
    let len = text
        .get(span.clone())
        .map_or(1, |s| s.chars().count() as u32);
    let mut diagnostic = Diagnostic::new(
        Code::Vocabulary,
        lines.at(span.start, len),
        format!("in vocabulary file {path}: {}", message.trim()),
    );
    if let Some(name) = nearest_name(message) {
        diagnostic = diagnostic.with_label(format!("did you mean `{name}`?"));
    }
    let diagnostic = diagnostic.with_help("a vocabulary file holds `[sections]` (kind = [keywords]) and `[columns]` (field = [titles]); `qingdan vocab` prints one");
    Error::vocabulary(diagnostic, text.to_owned())
}

/// For the parser's message about an unknown name (``unknown field `x`,
/// expected one of `a`, `b` `` or ``… expected `a` or `b` ``), the
/// expected name closest to it.
fn nearest_name(message: &str) -> Option<&str> {
    let (found, expected) = message.split_once("`, expected ")?;
    let found = found.rsplit_once('`')?.1;
    let expected: Vec<&str> = expected
        .trim_start_matches("one of ")
        .split(", ")
        .flat_map(|n| n.split(" or "))
        .map(|n| n.trim().trim_matches('`'))
        .collect();
    similar::get_close_matches(found, &expected, 1, 0.6)
        .into_iter()
        .next()
}

/// The field named `name` in a vocabulary file.
fn field_named(name: &str) -> Option<Field> {
    Field::ALL.into_iter().find(|f| f.as_str() == name)
}

/// The built-in vocabulary file, read once.
pub(crate) fn words() -> &'static Words {
    static WORDS: LazyLock<Words> =
        LazyLock::new(|| toml::from_str(BUILTIN).expect("the built-in vocabulary"));
    &WORDS
}

/// The built-in vocabulary file: the lists a user may add to, and the
/// words users cannot change, one table each.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Words {
    /// `[sections]`.
    sections: Sections,
    /// `[columns]`.
    columns: Columns,
    /// `[folding]`: township words column titles use alike.
    pub(crate) folding: Folding,
    /// `[titles]`.
    pub(crate) titles: Titles,
    /// `[markers]`.
    pub(crate) markers: Markers,
    /// `[contents]`.
    pub(crate) contents: Contents,
    /// `[front]`.
    pub(crate) front: Front,
    /// `[handover]`.
    pub(crate) handover: HandoverWords,
    /// `[regions]`.
    pub(crate) regions: Regions,
    /// `[cut_off]`.
    pub(crate) cut_off: CutOff,
}

/// Words column titles use alike.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Folding {
    /// Words for the township, the first standing for all.
    pub(crate) township: Vec<String>,
}

/// Words of titles.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Titles {
    /// The word every list title ends in.
    pub(crate) list_word: String,
    /// Endings of the edition's title, the longest first.
    pub(crate) edition_endings: Vec<String>,
}

/// Page-break markers.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Markers {
    /// The marker ending a cut cell.
    pub(crate) cut: Vec<String>,
    /// The marker opening its rest.
    pub(crate) continuation: Vec<String>,
    /// Characters of which every marker holds one.
    pub(crate) chars: Vec<String>,
}

/// The contents page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Contents {
    /// Its heading.
    pub(crate) headings: Vec<String>,
}

/// The front matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Front {
    /// Words that mark an attachment.
    pub(crate) attachment_words: Vec<String>,
}

/// Handover cells.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HandoverWords {
    /// Words that open a cancelled duty.
    pub(crate) abolish: Vec<String>,
}

/// Words of a region's units.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Regions {
    /// Endings of a province-level unit.
    pub(crate) province: Vec<String>,
    /// Endings of a prefecture-level unit.
    pub(crate) prefecture: Vec<String>,
    /// Endings of a county-level unit.
    pub(crate) county: Vec<String>,
    /// Endings of a township-level unit.
    pub(crate) township: Vec<String>,
    /// Names of the division codes' pseudo-prefectures.
    pub(crate) pseudo: Vec<String>,
}

/// Endings of cut-off text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CutOff {
    /// Characters a cut-off text ends in.
    pub(crate) endings: Vec<String>,
    /// Whole words that end in one of them.
    pub(crate) whole_words: Vec<String>,
}

/// A vocabulary file of a user's.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UserFile {
    #[serde(default)]
    sections: Sections<toml::Spanned<String>>,
    #[serde(default)]
    columns: Columns<toml::Spanned<String>>,
}

/// What `qingdan vocab` prints.
#[derive(Serialize)]
struct PrintedFile<'v> {
    sections: &'v Sections,
    columns: &'v Columns,
}

/// Declares a table of word lists, one per name, with a way to go from the
/// names to their `enum` and back.
macro_rules! lists {
    ($(#[$doc:meta])* $table:ident of $enum:ident { $($key:ident: $variant:ident,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Deserialize, Serialize)]
        #[serde(deny_unknown_fields, default, bound(deserialize = "W: Deserialize<'de>"))]
        struct $table<W = String> {
            $($key: Vec<W>,)*
        }

        impl<W> Default for $table<W> {
            fn default() -> Self {
                $table { $($key: Vec::new(),)* }
            }
        }

        impl<W> $table<W> {
            /// Every word with the name of its list, in order.
            fn iter(&self) -> impl Iterator<Item = (&'static str, &W)> {
                std::iter::empty()
                    $(.chain(self.$key.iter().map(|w| (stringify!($key), w))))*
            }
        }

        impl $table {
            /// The words of `which`.
            fn of(&self, which: $enum) -> &[String] {
                match which {
                    $($enum::$variant => &self.$key,)*
                    #[allow(unreachable_patterns)]
                    _ => &[],
                }
            }

            /// The table of `lists`.
            fn from_lists(lists: &[($enum, Vec<String>)]) -> Self {
                let mut table = $table::default();
                for (which, words) in lists {
                    match which {
                        $($enum::$variant => table.$key = words.clone(),)*
                        #[allow(unreachable_patterns)]
                        _ => {}
                    }
                }
                table
            }
        }

        impl $table<toml::Spanned<String>> {
            /// The words without their places.
            fn plain(&self) -> $table {
                $table { $($key: self.$key.iter().map(|w| w.get_ref().clone()).collect(),)* }
            }
        }
    };
}

lists! {
    /// `[sections]`: keywords of list titles per kind.
    Sections of SectionKind {
        withdrawn: Withdrawn,
        cooperative: Cooperative,
        basic: Basic,
    }
}

lists! {
    /// `[columns]`: column titles per field.
    Columns of Field {
        seq: Seq,
        category: Category,
        name: Name,
        superior_departments: SuperiorDepartments,
        superior_duties: SuperiorDuties,
        township_duties: TownshipDuties,
        handover: Handover,
        handover_department: HandoverDepartment,
        handover_method: HandoverMethod,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_kinds_are_found_by_keyword_in_any_wording() {
        let v = Vocabulary::builtin();
        for (title, kind) in [
            ("某镇基本履职事项清单", SectionKind::Basic),
            ("某镇基本履行职责事项清单", SectionKind::Basic),
            ("某镇配合履行职责事项清单", SectionKind::Cooperative),
            ("某镇配合职责事项清单", SectionKind::Cooperative),
            ("某镇上级部门收回事项清单", SectionKind::Withdrawn),
            ("某镇上级收回事项清单", SectionKind::Withdrawn),
            ("某镇上收事项清单", SectionKind::Withdrawn),
            ("某镇履职事项清单", SectionKind::Other),
        ] {
            assert_eq!(v.section_kind(title), Some(kind), "{title}");
        }
        assert_eq!(v.section_kind("某镇基本履职事项"), None);
    }

    #[test]
    fn column_titles_are_compared_by_meaning() {
        let v = Vocabulary::builtin();
        for title in [
            "乡镇配合职责",
            "镇街配合职责",
            "街道配合职责",
            "乡镇（街道）配合职责",
            "乡镇(街道)配合职责",
            "乡 镇 配合职责",
            "配合职责",
        ] {
            assert_eq!(
                v.column_field(title),
                Some(Field::TownshipDuties),
                "{title}"
            );
        }
        assert_eq!(v.column_field("事项内容"), Some(Field::Name));
        assert_eq!(v.column_field("县级部门"), Some(Field::SuperiorDepartments));
        assert_eq!(v.column_field("镇配合事项"), None);
    }

    #[test]
    fn every_built_in_title_names_its_own_field() {
        let v = Vocabulary::builtin();
        for (field, titles) in &v.columns {
            assert!(!titles.is_empty(), "{field:?}");
            for title in titles {
                assert_eq!(v.column_field(title), Some(*field), "{title}");
            }
        }
    }

    #[test]
    fn a_user_file_adds_words_and_refuses_what_it_cannot_mean() {
        let v = Vocabulary::builtin()
            .with_file(
                "u.toml",
                "[columns]\ntownship_duties = [\"镇配合事项\"]\n[sections]\ncooperative = [\"协同履职\"]\n",
            )
            .unwrap();
        assert_eq!(v.column_field("镇配合事项"), Some(Field::TownshipDuties));
        assert_eq!(
            v.section_kind("某镇协同履职清单"),
            Some(SectionKind::Cooperative)
        );
        let at = |text: &str| {
            let e = Vocabulary::builtin().with_file("u.toml", text).unwrap_err();
            let p = e.position().unwrap();
            (p.line, p.column, e.diagnostics()[0].message.clone())
        };
        let (line, column, message) = at("[columns]\nname = [\"甲\"]\ntownshp = [\"乙\"]\n");
        assert_eq!((line, column), (3, 1), "{message}");
        assert!(message.contains("townshp"), "{message}");
        let label = |text: &str| {
            let e = Vocabulary::builtin().with_file("u.toml", text).unwrap_err();
            e.diagnostics()[0].label.clone()
        };
        let suggested = |name: &str| Some(format!("did you mean `{name}`?"));
        assert_eq!(
            label("[columns]\ntownshp = [\"乙\"]\n"),
            suggested("township_duties")
        );
        assert_eq!(
            label("[columns]\nsuperior_department = [\"乙\"]\n"),
            suggested("superior_departments")
        );
        assert_eq!(
            label("[sections]\ncooperate = [\"乙\"]\n"),
            suggested("cooperative")
        );
        assert_eq!(label("[stations]\n"), suggested("sections"));
        assert_eq!(label("[columns]\nzzz = [\"乙\"]\n"), None);
        let (line, column, message) = at("[columns]\nname = [\"序号\"]\n");
        assert_eq!((line, column), (2, 9), "{message}");
        assert!(message.contains("`seq`"), "{message}");
        assert_eq!(at("[columns]\nname = [\" \"]\n").0, 2);
        assert_eq!(at("[columns]\nname = \"甲\"\n").0, 2);
    }

    #[test]
    fn the_printed_vocabulary_reads_back_as_itself() {
        let v = Vocabulary::builtin()
            .with_file("u.toml", "[columns]\nname = [\"事 \\\"项\\\"\"]\n")
            .unwrap();
        let again = Vocabulary::builtin()
            .with_file("printed.toml", &v.to_toml())
            .unwrap();
        assert_eq!(again, v);
    }
}
