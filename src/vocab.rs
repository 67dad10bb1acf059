//! The Chinese vocabulary qingdan recognises, in one place.
//!
//! Every spelling the converter looks for — page-break markers, section
//! titles, column titles, region suffixes — lives in a table here, so that a
//! new spelling met in a new edition is a one-line change. Code elsewhere
//! asks questions of these tables and never spells Chinese itself.

use std::borrow::Cow;

use crate::model::SectionKind;

/// Spellings of the marker that ends a cell cut at a page break.
pub(crate) const CUT_MARKERS: &[&str] = &["未完见下页", "未完待续", "转下页"];

/// Spellings of the marker that opens the rest of a cut cell on the next page.
pub(crate) const CONTINUATION_MARKERS: &[&str] = &["续上页", "接上页"];

/// Characters of which every marker above holds at least one: text without
/// them holds no marker.
pub(crate) const MARKER_CHARS: &[&str] = &["页", "续"];

/// Brackets a marker may stand in, half- or full-width.
pub(crate) const OPEN_BRACKETS: &[char] = &['(', '（', '【', '['];
/// Closing brackets matching [`OPEN_BRACKETS`].
pub(crate) const CLOSE_BRACKETS: &[char] = &[')', '）', '】', ']'];

/// Title endings that name a section kind; the first match wins, so longer
/// endings come first.
pub(crate) const SECTION_TITLES: &[(&str, SectionKind)] = &[
    ("基本履职事项清单", SectionKind::Basic),
    ("配合履职事项清单", SectionKind::Cooperative),
    ("上级部门收回事项清单", SectionKind::Withdrawn),
    ("收回事项清单", SectionKind::Withdrawn),
];

/// Any page title must end with this to start a page.
pub(crate) const LIST_TITLE_ENDING: &str = "清单";

/// Punctuation that ends a sentence or a lead-in, never the first half of a
/// title broken over two lines.
pub(crate) const SENTENCE_ENDINGS: &[char] = &['。', '；', '，', '：', ':', '！', '？', '、'];

/// The ending of the edition's title line, before which the region stands.
pub(crate) const EDITION_TITLE_ENDINGS: &[&str] = &["履职事项清单", "事项清单", "清单"];

/// Words of a line that marks an attachment (`附件`, `附件1`, `附件 2`,
/// `附件：`): such a line before the title is no part of the edition.
pub(crate) const ATTACHMENT_WORDS: &[&str] = &["附件", "附表"];

/// Characters that may number an attachment mark, after its word.
pub(crate) const ATTACHMENT_NUMBER_CHARS: &str =
    "0123456789０１２３４５６７８９〇一二三四五六七八九十";

/// Punctuation that may end an attachment mark.
pub(crate) const ATTACHMENT_ENDINGS: &[char] = &['：', ':', '.', '．', '、'];

/// Brackets around the year of a document number (`伊党办发〔2025〕12号`).
pub(crate) const DOCUMENT_YEAR_BRACKETS: &[(char, char)] = &[
    ('〔', '〕'),
    ('[', ']'),
    ('［', '］'),
    ('【', '】'),
    ('（', '）'),
    ('(', ')'),
];

/// The word that ends a document number.
pub(crate) const DOCUMENT_NUMBER_ENDING: char = '号';

/// Leader characters between a contents entry's title and its page
/// (`基本履职事项清单·····`).
pub(crate) const CONTENTS_LEADERS: &[char] = &['·', '.', '…', '．', '-', '—', '⋯', '•'];
/// Characters that may follow a contents entry's number (`1.`, `一、`).
pub(crate) const CONTENTS_NUMBER_ENDINGS: &str = ".、．";
/// The word that may open a contents entry's page number (`第3页`).
pub(crate) const PAGE_PREFIX: char = '第';
/// The word that may close a contents entry's page number (`第3页`).
pub(crate) const PAGE_SUFFIX: &str = "页";
/// Chinese numeral digits in order of value, from `〇` 0 to `十` 10.
pub(crate) const CHINESE_DIGITS: &str = "〇一二三四五六七八九十";

/// The heading of the contents page, compared with whitespace removed.
pub(crate) const CONTENTS_HEADINGS: &[&str] = &["目录"];

/// What a column holds, decided by its header text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Field {
    Seq,
    Category,
    Name,
    SuperiorDepartments,
    SuperiorDuties,
    TownshipDuties,
    Handover,
}

/// Column titles (compared with whitespace removed) and the field each fills.
pub(crate) const COLUMN_TITLES: &[(&str, Field)] = &[
    ("序号", Field::Seq),
    ("事项类别", Field::Category),
    ("事项名称", Field::Name),
    ("对应上级部门", Field::SuperiorDepartments),
    ("上级部门", Field::SuperiorDepartments),
    ("上级部门职责", Field::SuperiorDuties),
    ("乡镇配合职责", Field::TownshipDuties),
    ("街道配合职责", Field::TownshipDuties),
    ("乡镇（街道）配合职责", Field::TownshipDuties),
    ("乡镇(街道)配合职责", Field::TownshipDuties),
    ("承接部门及工作方式", Field::Handover),
];

/// Separator between departments in a departments cell.
pub(crate) const DEPARTMENT_SEPARATORS: &[char] = &['、'];

/// Separator written between the departments or issuers of a list when they
/// are shown as one string (Markdown, diffs).
pub(crate) const LIST_SEPARATOR: &str = "、";

/// Characters that may follow the digits of an arabic step number (`1.`,
/// `1、`).
pub(crate) const STEP_NUMBER_ENDINGS: &[char] = &['.', '．', '、'];
/// Brackets around a bracketed step number (`（1）`, `（一）`).
pub(crate) const STEP_NUMBER_BRACKETS: (&[char], &[char]) = (&['（', '('], &['）', ')']);
/// Chinese numerals that may number a step inside brackets (`（一）`).
pub(crate) const STEP_NUMERALS: &str = "一二三四五六七八九十";

/// The colon that ends a heading or department label (`伊吾县委组织部：`).
pub(crate) const LABEL_COLON: char = '：';
/// Characters that a label never holds: sentence punctuation, a line end.
pub(crate) const NOT_IN_LABEL: &[char] = &['。', '；', ';', '，', ',', '！', '？', '\n'];
/// What may stand right before the next step number inside a step
/// (`…工作； 2. …`). Each is a space or starts with byte 0xE3, 0xEF, `;`
/// or `,`, which the step scanner looks for first.
pub(crate) const BEFORE_STEP_NUMBER: &[&str] = &[" ", "；", ";", "。", "：", "，", ","];
/// The full stop after which a heading label opens a new block.
pub(crate) const FULL_STOP: char = '。';
/// Endings after which (and a line-wrap space) an unnumbered list's step
/// ends.
pub(crate) const UNNUMBERED_STEP_ENDINGS: &[char] = &['；', ';', '。'];
/// Sentence ends after which a new receiver may start in a handover cell.
pub(crate) const RECEIVER_SENTENCE_ENDS: &[char] = &['。', '；'];

/// A handover that begins with one of these cancels the duty outright.
pub(crate) const ABOLISH_PREFIXES: &[&str] = &["取消"];

/// Province-level units that end in 市 rather than 省 or 自治区.
pub(crate) const MUNICIPALITIES: &[&str] = &["北京市", "天津市", "上海市", "重庆市"];
/// Endings of a province-level unit.
pub(crate) const PROVINCE_SUFFIXES: &[&str] = &["特别行政区", "自治区", "省"];
/// Endings of a prefecture-level unit.
pub(crate) const PREFECTURE_SUFFIXES: &[&str] = &["自治州", "地区", "市", "州", "盟"];
/// Endings of a county-level unit.
pub(crate) const COUNTY_SUFFIXES: &[&str] = &["自治县", "自治旗", "县", "区", "市", "旗"];
/// Endings of a township-level unit.
pub(crate) const TOWNSHIP_SUFFIXES: &[&str] = &["街道", "苏木", "镇", "乡"];

/// Endings that suggest a name or duty was cut off.
pub(crate) const CUT_OFF_ENDINGS: &[char] = &['和', '及', '与', '、', '，', ',', '或'];

/// Words that end in one of [`CUT_OFF_ENDINGS`] and end a text whole.
pub(crate) const WHOLE_WORD_ENDINGS: &[&str] = &[
    "普及", "涉及", "波及", "危及", "顾及", "企及", "参与", "给与", "赋与", "平和", "温和", "缓和",
    "调和", "总和", "饱和", "柔和", "祥和", "谦和",
];

/// Does `c` count as Chinese punctuation for the whitespace rule?
pub(crate) fn is_chinese_punctuation(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '！'
            | '？'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '（'
            | '）'
            | '《'
            | '》'
            | '【'
            | '】'
            | '〔'
            | '〕'
            | '…'
            | '—'
            | '·'
            | '「'
            | '」'
            | '『'
            | '』'
            | '〈'
            | '〉'
            | '～'
    )
}

/// Is `c` a Han character (the CJK blocks in use in these lists)?
pub(crate) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}'
        | '〇')
}

/// Section kind named by a page title, `None` when the title is no list title.
pub(crate) fn section_kind(title: &str) -> Option<SectionKind> {
    if !title.ends_with(LIST_TITLE_ENDING) {
        return None;
    }
    Some(
        SECTION_TITLES
            .iter()
            .find(|(ending, _)| title.ends_with(ending))
            .map_or(SectionKind::Other, |&(_, kind)| kind),
    )
}

/// The field a column header names, `None` for a column qingdan does not know.
pub(crate) fn column_field(title: &str) -> Option<Field> {
    let key: Cow<'_, str> = if title.contains(char::is_whitespace) {
        Cow::Owned(title.chars().filter(|c| !c.is_whitespace()).collect())
    } else {
        Cow::Borrowed(title)
    };
    COLUMN_TITLES
        .iter()
        .find(|(t, _)| *t == key)
        .map(|&(_, field)| field)
}

/// Is `text`, with whitespace removed, a contents-page heading?
pub(crate) fn is_contents_heading(text: &str) -> bool {
    let key: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    CONTENTS_HEADINGS.contains(&key.as_str())
}

/// Is `text` (trimmed) an attachment mark such as `附件`, `附件1`, `附件 2`,
/// `附件：` or `附件一：`?
pub(crate) fn is_attachment_mark(text: &str) -> bool {
    let Some(rest) = ATTACHMENT_WORDS.iter().find_map(|w| text.strip_prefix(w)) else {
        return false;
    };
    let rest = rest.trim_start();
    let rest = rest.trim_start_matches(|c| ATTACHMENT_NUMBER_CHARS.contains(c));
    let rest = rest.trim_start();
    rest.is_empty() || (rest.chars().count() == 1 && rest.starts_with(ATTACHMENT_ENDINGS))
}

/// Is `text` (trimmed) a document number: an issuer's abbreviation in Han
/// characters, the year in brackets, a number and `号`
/// (`伊党办发〔2025〕12号`)?
pub(crate) fn is_document_number(text: &str) -> bool {
    let Some(body) = text.strip_suffix(DOCUMENT_NUMBER_ENDING) else {
        return false;
    };
    DOCUMENT_YEAR_BRACKETS.iter().any(|&(open, close)| {
        let Some((issuer, rest)) = body.split_once(open) else {
            return false;
        };
        let Some((year, number)) = rest.split_once(close) else {
            return false;
        };
        let number = number.trim();
        !issuer.is_empty()
            && issuer.chars().all(is_han)
            && year.len() == 4
            && year.bytes().all(|b| b.is_ascii_digit())
            && !number.is_empty()
            && number.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Does `text` end with the name of a unit of some level (`县`, `市`,
/// `自治区`, `镇`, …), as the first line of a title broken after its region
/// does?
pub(crate) fn ends_with_region_unit(text: &str) -> bool {
    [
        PROVINCE_SUFFIXES,
        PREFECTURE_SUFFIXES,
        COUNTY_SUFFIXES,
        TOWNSHIP_SUFFIXES,
    ]
    .iter()
    .flat_map(|suffixes| suffixes.iter())
    .any(|suffix| text.ends_with(suffix))
}

/// Does `text` end with the list word `清单`, perhaps followed by a note in
/// brackets (`…履职事项清单（2025年版）`)?
pub(crate) fn ends_with_list_word(text: &str) -> bool {
    if text.ends_with(LIST_TITLE_ENDING) {
        return true;
    }
    let Some(body) = text.strip_suffix(CLOSE_BRACKETS) else {
        return false;
    };
    body.rfind(OPEN_BRACKETS)
        .is_some_and(|at| body[..at].trim_end().ends_with(LIST_TITLE_ENDING))
}
