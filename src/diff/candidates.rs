//! Which pairs of names are worth a similarity ratio: the prefilter that
//! keeps pairing by similar names from comparing every old name with every
//! new one.
//!
//! Two filters, both run before `similar` computes a ratio:
//!
//! - [`Names::may_reach`] is exact: the ratio counts matching characters of
//!   one alignment, which are never more than the longest common
//!   subsequence, so a pair whose LCS ratio is below the threshold cannot
//!   reach it. The LCS is computed bit-parallel, 64 characters a step.
//! - [`sharing_bigrams`] is for large sections only: it proposes the pairs
//!   that share a character bigram, through an inverted index of the new
//!   names, and leaves out bigrams that more than [`COMMON_BIGRAM`] new
//!   names hold (`工作`, `负责`), which tell no names apart. A reworded name
//!   keeps most of its bigrams; a pair that shares only such common bigrams
//!   is not proposed.

use std::collections::HashMap;

/// New names a bigram may occur in and still propose pairs.
pub(super) const COMMON_BIGRAM: usize = 200;

/// Names as characters, with what the LCS needs of each.
pub(super) struct Names {
    chars: Vec<Vec<char>>,
}

impl Names {
    /// Splits each name into characters once.
    pub(super) fn new<'s>(names: impl IntoIterator<Item = &'s str>) -> Names {
        Names {
            chars: names.into_iter().map(|n| n.chars().collect()).collect(),
        }
    }

    /// The characters of name `i`.
    pub(super) fn chars(&self, i: usize) -> &[char] {
        &self.chars[i]
    }

    /// Can names `a` of `self` and `b` of `other` have a ratio of at least
    /// `threshold`? False only when they cannot.
    pub(super) fn may_reach(&self, a: usize, other: &Names, b: usize, threshold: f32) -> bool {
        let (a, b) = (self.chars(a), other.chars(b));
        let total = a.len() + b.len();
        if total == 0 {
            return true;
        }
        let ratio = |common: usize| 2.0 * common as f32 / total as f32;
        ratio(a.len().min(b.len())) >= threshold && ratio(lcs_len(a, b)) >= threshold
    }
}

/// The length of the longest common subsequence of `a` and `b`, by the
/// bit-vector algorithm of Allison and Dix (as Hyyrö states it): one bit per
/// character of `a`, one step per character of `b`.
pub(super) fn lcs_len(a: &[char], b: &[char]) -> usize {
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    let words = a.len().div_ceil(64);
    // For each character of `a`, the bits of its positions.
    let mut masks: HashMap<char, Vec<u64>> = HashMap::new();
    for (i, &c) in a.iter().enumerate() {
        masks.entry(c).or_insert_with(|| vec![0; words])[i / 64] |= 1 << (i % 64);
    }
    let mut v = vec![u64::MAX; words];
    for c in b {
        let Some(mask) = masks.get(c) else { continue };
        // V = (V + (V & M)) | (V & !M), the addition carrying across words.
        let mut carry = 0u64;
        for (v, &m) in v.iter_mut().zip(mask) {
            let u = *v & m;
            let (sum, c1) = v.overflowing_add(u);
            let (sum, c2) = sum.overflowing_add(carry);
            carry = u64::from(c1 || c2);
            *v = sum | (*v & !m);
        }
    }
    // Each zero bit is one matched character (the bits past `a.len()` have
    // no match and stay set).
    v.iter().map(|w| w.count_zeros() as usize).sum()
}

/// The pairs `(o, n)` of `olds` and `news` (indices into `old` and `new`)
/// whose names share a bigram that at most [`COMMON_BIGRAM`] of the new
/// names hold, each once, in order of `o` then `n`. A one-character name is
/// its own bigram.
pub(super) fn sharing_bigrams(
    old: &Names,
    olds: &[usize],
    new: &Names,
    news: &[usize],
) -> Vec<(usize, usize)> {
    let mut index: HashMap<(char, char), Vec<u32>> = HashMap::new();
    for (k, &n) in news.iter().enumerate() {
        let mut grams = bigrams(new.chars(n));
        grams.sort_unstable();
        grams.dedup();
        for gram in grams {
            index.entry(gram).or_default().push(k as u32);
        }
    }
    index.retain(|_, postings| postings.len() <= COMMON_BIGRAM);
    let mut seen = vec![false; news.len()];
    let mut touched: Vec<u32> = Vec::new();
    let mut pairs = Vec::new();
    for &o in olds {
        for gram in bigrams(old.chars(o)) {
            for &k in index.get(&gram).map_or(&[][..], Vec::as_slice) {
                if !std::mem::replace(&mut seen[k as usize], true) {
                    touched.push(k);
                }
            }
        }
        touched.sort_unstable();
        for k in touched.drain(..) {
            seen[k as usize] = false;
            pairs.push((o, news[k as usize]));
        }
    }
    pairs
}

/// The character bigrams of `chars`; a single character is `(c, '\0')`.
fn bigrams(chars: &[char]) -> Vec<(char, char)> {
    match chars {
        [] => Vec::new(),
        [c] => vec![(*c, '\0')],
        _ => chars.windows(2).map(|w| (w[0], w[1])).collect(),
    }
}

#[cfg(test)]
mod tests {
    use similar::TextDiff;

    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn lcs_is_the_longest_common_subsequence_across_words() {
        assert_eq!(lcs_len(&chars("abcd"), &chars("bcde")), 3);
        assert_eq!(
            lcs_len(&chars("负责学生服务管理工作"), &chars("负责学生管理")),
            6
        );
        assert_eq!(lcs_len(&chars(""), &chars("甲")), 0);
        // Longer than one 64-bit word, with carries between the words.
        let a: String = (0..150).map(|i| char::from(b'a' + (i % 7) as u8)).collect();
        let b: String = (0..140).map(|i| char::from(b'a' + (i % 5) as u8)).collect();
        let brute = {
            let (a, b) = (chars(&a), chars(&b));
            let mut row = vec![0usize; b.len() + 1];
            for x in &a {
                let mut diagonal = 0;
                for (j, y) in b.iter().enumerate() {
                    let above = row[j + 1];
                    row[j + 1] = if x == y {
                        diagonal + 1
                    } else {
                        above.max(row[j])
                    };
                    diagonal = above;
                }
            }
            row[b.len()]
        };
        assert_eq!(lcs_len(&chars(&a), &chars(&b)), brute);
    }

    #[test]
    fn the_lcs_filter_never_drops_a_pair_the_ratio_keeps() {
        let names = [
            "开展人民建议征集工作",
            "推进新时代志愿服务工作",
            "推进新时代文明实践志愿服务工作",
            "负责学生服务管理工作",
            "负责学生服务管理",
            "做好“双拥”工作",
            "儿童关爱帮扶工作",
            "做好农村公益性墓地建设管理",
            "甲",
            "",
        ];
        let all = Names::new(names);
        for a in 0..names.len() {
            for b in 0..names.len() {
                let ratio = TextDiff::from_chars(names[a], names[b]).ratio();
                for threshold in [0.3, 0.6, 0.9] {
                    if ratio >= threshold {
                        assert!(all.may_reach(a, &all, b, threshold), "{a} {b}");
                    }
                }
            }
        }
    }

    #[test]
    fn pairs_sharing_only_common_bigrams_are_not_proposed() {
        // `工作` is in every new name; only the reworded one shares more.
        let mut news: Vec<String> = (0..=COMMON_BIGRAM)
            .map(|i| format!("{}工作", char::from_u32(0x4E00 + 2 * i as u32).unwrap()))
            .collect();
        news.push("加强基层工会组织建设工作".to_owned());
        let new = Names::new(news.iter().map(String::as_str));
        let old = Names::new(["加强基层工会建设工作"]);
        let all_new: Vec<usize> = (0..news.len()).collect();
        assert_eq!(
            sharing_bigrams(&old, &[0], &new, &all_new),
            vec![(0, news.len() - 1)]
        );
    }
}
