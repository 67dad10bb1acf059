//! The characters of the script qingdan reads, and questions asked of the
//! vocabulary.
//!
//! The words qingdan looks for (list kinds, column titles, markers, …) are
//! data, in `data/vocabulary.toml` ([`crate::vocabulary`]). What stays here
//! are the script's punctuation, brackets and numerals, and the questions
//! other modules ask: code elsewhere never spells Chinese itself.

use crate::vocabulary::words;

/// Brackets a marker may stand in, half- or full-width.
pub(crate) const OPEN_BRACKETS: &[char] = &['(', '（', '【', '['];
/// Closing brackets matching [`OPEN_BRACKETS`].
pub(crate) const CLOSE_BRACKETS: &[char] = &[')', '）', '】', ']'];

/// Punctuation that ends a sentence or a lead-in, never the first half of a
/// title broken over two lines.
pub(crate) const SENTENCE_ENDINGS: &[char] = &['。', '；', '，', '：', ':', '！', '？', '、'];

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

/// Is `text`, with whitespace removed, a contents-page heading?
pub(crate) fn is_contents_heading(text: &str) -> bool {
    let key: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    words().contents.headings.contains(&key)
}

/// Is `text` (trimmed) an attachment mark such as `附件`, `附件1`, `附件 2`,
/// `附件：` or `附件一：`?
pub(crate) fn is_attachment_mark(text: &str) -> bool {
    let Some(rest) = words()
        .front
        .attachment_words
        .iter()
        .find_map(|w| text.strip_prefix(w.as_str()))
    else {
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
    let r = &words().regions;
    [&r.province, &r.prefecture, &r.county, &r.township]
        .into_iter()
        .flatten()
        .any(|suffix| text.ends_with(suffix.as_str()))
}

/// Does `text` end with the list word `清单`, perhaps followed by a note in
/// brackets (`…履职事项清单（2025年版）`)?
pub(crate) fn ends_with_list_word(text: &str) -> bool {
    let list_word = words().titles.list_word.as_str();
    if text.ends_with(list_word) {
        return true;
    }
    let Some(body) = text.strip_suffix(CLOSE_BRACKETS) else {
        return false;
    };
    body.rfind(OPEN_BRACKETS)
        .is_some_and(|at| body[..at].trim_end().ends_with(list_word))
}
