//! The statistical division codes (统计用区划代码, 2023), compiled in.
//!
//! `data/divisions.tsv` holds one unit a line, `code<TAB>name`, sorted by
//! code; the length of a code is its level (2 digits a province, 4 a
//! prefecture, 6 a county, 9 a township) and a unit's code begins with its
//! parent's, so the units under one are a run of the table. It is parsed
//! once per process, when a title is first read, into that table and an
//! index by name.
//!
//! The codes' pseudo-levels are units that no title names and no region
//! holds: the pseudo-prefectures of the vocabulary's `[regions] pseudo`
//! (`市辖区`, `省直辖县级行政区划`, …), and the county that stands for a
//! prefecture-level city without counties, under the same name (东莞市 of
//! 东莞市). They are left out of the index by name and are nobody's
//! parent: a unit's parent is its nearest ancestor that is real.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::vocabulary::words;

/// The division codes, as the refresh script writes them.
const DIVISIONS: &str = include_str!("../../../data/divisions.tsv");

/// The level of a unit in the codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Level {
    /// 省, 自治区, municipality: 2 digits.
    Province,
    /// 市, 州, 地区, 盟: 4 digits.
    Prefecture,
    /// 县, 区, county-level 市, 旗: 6 digits.
    County,
    /// 镇, 乡, 街道, 苏木: 9 digits.
    Township,
}

impl Level {
    /// Every level, from the top.
    pub(crate) const ALL: [Level; 4] = [
        Level::Province,
        Level::Prefecture,
        Level::County,
        Level::Township,
    ];

    /// The level's name in messages.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::Prefecture => "prefecture",
            Level::County => "county",
            Level::Township => "township",
        }
    }

    /// The number of digits of a code of this level.
    fn digits(self) -> usize {
        match self {
            Level::Province => 2,
            Level::Prefecture => 4,
            Level::County => 6,
            Level::Township => 9,
        }
    }
}

/// One unit of the codes.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Unit {
    /// Its code, 2, 4, 6 or 9 digits.
    pub(crate) code: &'static str,
    /// Its name, as the codes spell it.
    pub(crate) name: &'static str,
    /// `false` for a pseudo-level.
    pub(crate) real: bool,
}

impl Unit {
    /// The unit's level, from the length of its code.
    pub(crate) fn level(&self) -> Level {
        match self.code.len() {
            2 => Level::Province,
            4 => Level::Prefecture,
            6 => Level::County,
            _ => Level::Township,
        }
    }

    /// Is this unit under `other` (at any depth)?
    pub(crate) fn is_under(&self, other: &Unit) -> bool {
        self.code.len() > other.code.len() && self.code.starts_with(other.code)
    }
}

/// The codes, by code and by name.
#[derive(Debug)]
pub(crate) struct Gazetteer {
    /// Every unit, sorted by code.
    units: Vec<Unit>,
    /// The real units of each name, in code order.
    by_name: HashMap<&'static str, Vec<u32>>,
    /// The most characters of a name in `by_name`.
    longest: usize,
}

/// The codes compiled in, parsed on first use.
pub(crate) fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| Gazetteer::parse(DIVISIONS));
    &GAZETTEER
}

impl Gazetteer {
    /// Reads the table `text` (`code<TAB>name` lines sorted by code).
    fn parse(text: &'static str) -> Gazetteer {
        let pseudo = &words().regions.pseudo;
        let mut units: Vec<Unit> = Vec::with_capacity(text.len() / 20);
        for line in text.lines() {
            let (code, name) = line.split_once('\t').expect("a code and a name");
            // A prefecture stands right before its units, so a county of its
            // prefecture's name follows it in the table.
            let real = match code.len() {
                4 => !pseudo.iter().any(|p| p == name),
                6 => units
                    .iter()
                    .rev()
                    .find(|u| u.code.len() == 4)
                    .is_none_or(|p| !(code.starts_with(p.code) && p.name == name)),
                _ => true,
            };
            units.push(Unit { code, name, real });
        }
        let mut by_name: HashMap<&'static str, Vec<u32>> = HashMap::with_capacity(units.len());
        let mut longest = 0;
        for (i, unit) in units.iter().enumerate().filter(|(_, u)| u.real) {
            by_name.entry(unit.name).or_default().push(i as u32);
            longest = longest.max(unit.name.chars().count());
        }
        Gazetteer {
            units,
            by_name,
            longest,
        }
    }

    /// The real units named `name`, in code order.
    pub(crate) fn named(&self, name: &str) -> impl Iterator<Item = &Unit> {
        self.by_name
            .get(name)
            .into_iter()
            .flatten()
            .map(|&i| &self.units[i as usize])
    }

    /// The most characters a name of a real unit has.
    pub(crate) fn longest_name(&self) -> usize {
        self.longest
    }

    /// The units under the unit of code `code` (every unit for `""`).
    pub(crate) fn under(&self, code: &str) -> &[Unit] {
        let start = self.units.partition_point(|u| u.code <= code);
        let len = self.units[start..].partition_point(|u| u.code.starts_with(code));
        &self.units[start..start + len]
    }

    /// The real units above `unit`, from the top.
    pub(crate) fn real_ancestors(&self, unit: &Unit) -> impl Iterator<Item = &Unit> {
        let code = unit.code;
        Level::ALL
            .into_iter()
            .take_while(move |l| l.digits() < code.len())
            .filter_map(move |l| self.unit(&code[..l.digits()]))
            .filter(|u| u.real)
    }

    /// The unit of code `code`.
    fn unit(&self, code: &str) -> Option<&Unit> {
        self.units
            .binary_search_by(|u| u.code.cmp(code))
            .ok()
            .map(|i| &self.units[i])
    }

    /// Every unit, in code order.
    #[cfg(test)]
    pub(crate) fn units(&self) -> &[Unit] {
        &self.units
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_codes_hold_every_unit_of_2023_in_order() {
        let g = gazetteer();
        let count = |level| g.units.iter().filter(|u| u.level() == level).count();
        assert_eq!(
            Level::ALL.map(count),
            [31, 342, 2978, 41352],
            "provinces, prefectures, counties, townships"
        );
        assert!(g.units.windows(2).all(|w| w[0].code < w[1].code));
        // Every unit but a province stands under one of the level above.
        for unit in g.units.iter().filter(|u| u.level() != Level::Province) {
            let parent = &unit.code[..if unit.code.len() == 9 {
                6
            } else {
                unit.code.len() - 2
            }];
            assert!(g.unit(parent).is_some(), "{} {}", unit.code, unit.name);
        }
    }

    #[test]
    fn pseudo_levels_are_left_out_of_the_names() {
        let g = gazetteer();
        let pseudo: Vec<(&str, &str)> = g
            .units
            .iter()
            .filter(|u| !u.real)
            .map(|u| (u.code, u.name))
            .collect();
        assert_eq!(pseudo.len(), 9 + 4, "{pseudo:?}");
        assert!(pseudo.contains(&("441900", "东莞市")));
        assert!(pseudo.contains(&("620201", "嘉峪关市")));
        assert!(pseudo.contains(&("6590", "自治区直辖县级行政区划")));
        assert_eq!(g.named("市辖区").count(), 0);
        assert_eq!(
            g.named("东莞市").map(|u| u.code).collect::<Vec<_>>(),
            ["4419"]
        );
        let yanchi = g
            .named("盐池镇")
            .find(|u| u.code.starts_with("650522"))
            .unwrap();
        let above: Vec<&str> = g.real_ancestors(yanchi).map(|u| u.name).collect();
        assert_eq!(above, ["新疆维吾尔自治区", "哈密市", "伊吾县"]);
        assert_eq!(g.under("650522").len(), 10);
        assert_eq!(g.under("").len(), g.units.len());
    }
}
