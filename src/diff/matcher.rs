//! Pairing the items of an old section with those of a new one.
//!
//! Item numbers cannot pair items: one inserted item renumbers every item
//! after it. Names can, and the rules are:
//!
//! 1. **Same name.** Items whose names have the same substance (whitespace
//!    ignored) are paired; where a name occurs more than once, its
//!    occurrences are paired in order.
//! 2. **Similar name.** For the items left over on both sides, every pair
//!    whose names have a character-level similarity ratio (`similar`'s
//!    [`TextDiff::ratio`], 2 × matching characters / total characters) of at
//!    least [`SIMILARITY_THRESHOLD`] is a candidate. Candidates are taken
//!    greedily, best first: higher ratio, then same category, then closer
//!    position in the list, then lower old position; a candidate whose items
//!    are already paired is skipped. A pair whose longest common
//!    subsequence already rules the ratio out is not scored; in a section
//!    with more than [`EVERY_PAIR_UP_TO`] unpaired pairs, only pairs whose
//!    names share an uncommon character bigram are scored (see
//!    `candidates`), which keeps large diffs near-linear.
//! 3. Old items still unpaired were **removed**, new ones **added**.
//!
//! So a reworded name is a change of the `name` field, while a name
//! rewritten beyond recognition is reported as one item removed and one
//! added, which is what a reader would say too.

use std::collections::{HashMap, VecDeque};

use similar::TextDiff;

use super::candidates::{self, Names};
use super::substance;
use crate::model::Item;

/// The least similarity ratio at which two differently named items are
/// taken for the same item reworded.
pub(super) const SIMILARITY_THRESHOLD: f32 = 0.6;

/// Sections with at most this many pairs of unpaired old and new items
/// compare every pair; larger ones only the pairs that share a bigram.
pub(super) const EVERY_PAIR_UP_TO: usize = 1 << 20;

/// How the items of two sections pair up; all values are indices into the
/// item slices given to [`match_items`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Matching {
    /// `(old, new)` pairs of the same item, in old order.
    pub pairs: Vec<(usize, usize)>,
    /// Old items with no partner, in order.
    pub removed: Vec<usize>,
    /// New items with no partner, in order.
    pub added: Vec<usize>,
}

/// Pairs the items of `old` with those of `new` (see the module doc).
pub(super) fn match_items(old: &[Item], new: &[Item]) -> Matching {
    pair_up(old, new, EVERY_PAIR_UP_TO)
}

/// [`match_items`], scoring every pair when there are at most
/// `every_pair_up_to` of them.
fn pair_up(old: &[Item], new: &[Item], every_pair_up_to: usize) -> Matching {
    let old_names: Vec<String> = old.iter().map(|i| substance(&i.name)).collect();
    let new_names: Vec<String> = new.iter().map(|i| substance(&i.name)).collect();
    let mut partner_of_old: Vec<Option<usize>> = vec![None; old.len()];
    let mut partner_of_new: Vec<Option<usize>> = vec![None; new.len()];

    let mut by_name: HashMap<&str, VecDeque<usize>> = HashMap::new();
    for (n, name) in new_names.iter().enumerate() {
        by_name.entry(name).or_default().push_back(n);
    }
    for (o, name) in old_names.iter().enumerate() {
        if let Some(n) = by_name.get_mut(name.as_str()).and_then(VecDeque::pop_front) {
            partner_of_old[o] = Some(n);
            partner_of_new[n] = Some(o);
        }
    }

    let olds: Vec<usize> = (0..old.len())
        .filter(|&o| partner_of_old[o].is_none())
        .collect();
    let news: Vec<usize> = (0..new.len())
        .filter(|&n| partner_of_new[n].is_none())
        .collect();
    let old_chars = Names::new(old_names.iter().map(String::as_str));
    let new_chars = Names::new(new_names.iter().map(String::as_str));
    // Every pair in a section of usual size; through shared bigrams in a
    // large one (see `candidates`).
    let proposed = if olds.len().saturating_mul(news.len()) <= every_pair_up_to {
        olds.iter()
            .flat_map(|&o| news.iter().map(move |&n| (o, n)))
            .collect()
    } else {
        candidates::sharing_bigrams(&old_chars, &olds, &new_chars, &news)
    };
    let mut candidates = Vec::new();
    for (o, n) in proposed {
        if !old_chars.may_reach(o, &new_chars, n, SIMILARITY_THRESHOLD) {
            continue;
        }
        let ratio = TextDiff::from_chars(old_names[o].as_str(), new_names[n].as_str()).ratio();
        if ratio >= SIMILARITY_THRESHOLD {
            let same_category = old[o].category == new[n].category;
            candidates.push((ratio, same_category, o.abs_diff(n), o, n));
        }
    }
    candidates.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then(a.2.cmp(&b.2))
            .then((a.3, a.4).cmp(&(b.3, b.4)))
    });
    for (_, _, _, o, n) in candidates {
        if partner_of_old[o].is_none() && partner_of_new[n].is_none() {
            partner_of_old[o] = Some(n);
            partner_of_new[n] = Some(o);
        }
    }

    Matching {
        pairs: partner_of_old
            .iter()
            .enumerate()
            .filter_map(|(o, n)| n.map(|n| (o, n)))
            .collect(),
        removed: (0..old.len())
            .filter(|&o| partner_of_old[o].is_none())
            .collect(),
        added: (0..new.len())
            .filter(|&n| partner_of_new[n].is_none())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::tests::item;

    #[test]
    fn reworded_name_is_matched_not_removed_and_added() {
        let old = [
            item(1, "党的建设", "开展人民建议征集工作"),
            item(2, "党的建设", "推进新时代志愿服务工作"),
        ];
        let new = [
            item(1, "党的建设", "开展人民建议征集工作"),
            item(2, "党的建设", "推进新时代文明实践志愿服务工作"),
        ];
        let matching = match_items(&old, &new);
        assert_eq!(
            matching,
            Matching {
                pairs: vec![(0, 0), (1, 1)],
                removed: vec![],
                added: vec![],
            }
        );
    }

    #[test]
    fn inserted_item_pairs_the_rest_by_name_not_by_number() {
        let old = [
            item(1, "党的建设", "负责新兴领域党的建设"),
            item(2, "党的建设", "做好“双拥”工作"),
        ];
        let new = [
            item(1, "党的建设", "负责新兴领域党的建设"),
            item(2, "经济发展", "优化营商环境，服务市场主体"),
            item(3, "党的建设", "做好“双拥”工作"),
        ];
        let matching = match_items(&old, &new);
        assert_eq!(matching.pairs, vec![(0, 0), (1, 2)]);
        assert_eq!(matching.added, vec![1]);
        assert_eq!(matching.removed, Vec::<usize>::new());
    }

    #[test]
    fn unrelated_names_are_removed_and_added() {
        let old = [item(1, "民生服务", "儿童关爱帮扶工作")];
        let new = [item(1, "民生服务", "做好农村公益性墓地建设管理")];
        let matching = match_items(&old, &new);
        assert_eq!(matching.pairs, vec![]);
        assert_eq!((matching.removed, matching.added), (vec![0], vec![0]));
    }

    #[test]
    fn the_bigram_prefilter_pairs_reworded_sample_items_as_comparing_every_pair_does() {
        let sample = include_str!("../../input/hami-yiwu-yanchi.txt");
        let conversion =
            crate::pipeline::convert("sample.txt", sample.as_bytes(), &Default::default());
        let edition = conversion.edition.expect("the sample converts");
        for section in &edition.sections {
            // Every name reworded: a character replaced, one dropped, and
            // the last two items' names swapped with nothing alike.
            let mut new: Vec<Item> = section.items.clone();
            for item in &mut new {
                let mut chars: Vec<char> = item.name.chars().collect();
                let middle = chars.len() / 2;
                chars[middle] = '某';
                chars.remove(chars.len() / 3);
                item.name = chars.into_iter().collect();
            }
            new.rotate_left(3);
            let exact = pair_up(&section.items, &new, usize::MAX);
            assert_eq!(pair_up(&section.items, &new, 0), exact, "{}", section.title);
            assert!(
                exact.pairs.len() * 10 >= section.items.len() * 9,
                "most reworded items pair: {} of {}",
                exact.pairs.len(),
                section.items.len()
            );
        }
    }

    #[test]
    fn similar_names_prefer_the_same_category() {
        let old = [item(1, "民生服务", "负责学生服务管理工作")];
        let new = [
            item(1, "乡村振兴", "负责学生服务管理"),
            item(2, "民生服务", "负责学生服务管理"),
        ];
        assert_eq!(match_items(&old, &new).pairs, vec![(0, 1)]);
    }
}
