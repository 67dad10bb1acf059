//! The region an edition covers, read from its title.
//!
//! The title's administrative units (province, prefecture, county, township)
//! are told apart by their suffixes (`省`, `市`, `县`, `镇`, `街道`, `苏木`…),
//! which live in the vocabulary's tables.

use crate::model::Region;
use crate::vocab;
use crate::vocabulary::words;

/// The administrative units named in an edition's title.
pub(crate) fn region(title: &str) -> Region {
    let mut rest: String = title.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(ending) = words()
        .titles
        .edition_endings
        .iter()
        .find(|e| rest.ends_with(e.as_str()))
    {
        rest.truncate(rest.len() - ending.len());
    }
    let mut region = Region::default();
    let mut rest = rest.as_str();
    if let Some(m) = vocab::MUNICIPALITIES.iter().find(|m| rest.starts_with(*m)) {
        region.province = Some((*m).to_owned());
        rest = &rest[m.len()..];
    } else if let Some(end) = vocab::PROVINCE_SUFFIXES
        .iter()
        .filter_map(|s| rest.find(s).map(|at| at + s.len()))
        .min()
    {
        region.province = Some(rest[..end].to_owned());
        rest = &rest[end..];
    }
    let mut units = units(rest);
    let ends_with = |unit: &str, suffixes: &[&str]| suffixes.iter().any(|s| unit.ends_with(s));
    if units
        .last()
        .is_some_and(|u| ends_with(u, vocab::TOWNSHIP_SUFFIXES))
    {
        region.township = units.pop();
    }
    if units
        .last()
        .is_some_and(|u| ends_with(u, vocab::COUNTY_SUFFIXES))
    {
        region.county = units.pop();
    }
    if units
        .last()
        .is_some_and(|u| ends_with(u, vocab::PREFECTURE_SUFFIXES))
    {
        region.prefecture = units.pop();
    }
    if !units.is_empty() && region.province.is_none() {
        region.province = Some(units.concat());
    }
    region
}

/// Splits a run of unit names at each unit suffix (a unit has at least two
/// characters, so `新市镇` stays whole).
fn units(s: &str) -> Vec<String> {
    let all: Vec<&str> = vocab::PREFECTURE_SUFFIXES
        .iter()
        .chain(vocab::COUNTY_SUFFIXES)
        .chain(vocab::TOWNSHIP_SUFFIXES)
        .copied()
        .collect();
    // The last characters of the suffixes: a unit can end only at one.
    let mut last_chars: Vec<char> = all.iter().filter_map(|s| s.chars().next_back()).collect();
    last_chars.sort_unstable();
    last_chars.dedup();
    let mut units = Vec::new();
    // The unit being read is `s[start..end]`, of `count` characters, counted
    // as they come: counting them again at every step made a long title
    // quadratic.
    let mut start = 0;
    let mut count = 0usize;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        count += 1;
        if last_chars.binary_search(&c).is_err() {
            continue;
        }
        let current = &s[start..i + c.len_utf8()];
        // Would `current` and the next character end in a longer suffix?
        // That is a suffix `s'` + next of two or more characters with
        // `current` ending in `s'`.
        let longer_suffix_follows = chars.peek().is_some_and(|&(_, n)| {
            all.iter().any(|s| {
                s.chars().count() > 1
                    && s.ends_with(n)
                    && current.ends_with(&s[..s.len() - n.len_utf8()])
            })
        });
        if count >= 2 && !longer_suffix_follows && all.iter().any(|s| current.ends_with(s)) {
            units.push(current.to_owned());
            start += current.len();
            count = 0;
        }
    }
    if start < s.len() {
        let rest = &s[start..];
        match units.last_mut() {
            Some(last) if count == 1 => last.push_str(rest),
            _ => units.push(rest.to_owned()),
        }
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_run_of_units_is_split_at_every_suffix() {
        let units = units(&"伊吾县盐池镇".repeat(10_000));
        assert_eq!(units.len(), 20_000);
        assert!(units.chunks(2).all(|pair| pair == ["伊吾县", "盐池镇"]));
        assert_eq!(super::units("自治州自治县"), ["自治州", "自治县"]);
    }

    #[test]
    fn region_reads_province_to_township() {
        let r = region("新疆维吾尔自治区哈密市 伊吾县盐池镇履职事项清单");
        assert_eq!(r.province.as_deref(), Some("新疆维吾尔自治区"));
        assert_eq!(r.prefecture.as_deref(), Some("哈密市"));
        assert_eq!(r.county.as_deref(), Some("伊吾县"));
        assert_eq!(r.township.as_deref(), Some("盐池镇"));
        let r = region("北京市朝阳区建外街道履职事项清单");
        assert_eq!(
            (r.province.as_deref(), r.prefecture.as_deref()),
            (Some("北京市"), None)
        );
        assert_eq!(
            (r.county.as_deref(), r.township.as_deref()),
            (Some("朝阳区"), Some("建外街道"))
        );
        let r = region("内蒙古自治区锡林郭勒盟正蓝旗上都苏木履职事项清单");
        assert_eq!(r.prefecture.as_deref(), Some("锡林郭勒盟"));
        assert_eq!(r.county.as_deref(), Some("正蓝旗"));
        assert_eq!(r.township.as_deref(), Some("上都苏木"));
        let r = region("四川省成都市新都区新市镇履职事项清单");
        assert_eq!(r.township.as_deref(), Some("新市镇"));
        assert_eq!(region("履职事项清单"), Region::default());
    }
}
