//! The region an edition covers, read from its title.
//!
//! The title's place part (the title without whitespace and without its
//! ending, `履职事项清单`) is read against the division codes
//! ([`gazetteer`]), from the left: at each place the longest chain of
//! units the codes have, each unit under the one before it (its parent, or,
//! when the title leaves a level out, a unit further down; a chain without
//! left-out levels wins a tie). So every unit lands at its real level
//! whatever its suffix: `郑州市` stays whole, `东莞市` (a prefecture-level city
//! without counties) is the prefecture, the codes' pseudo-levels
//! (`市辖区`, `省直辖县级行政区划`, …) are no unit at all. Units the title
//! leaves out above or between its own are filled from the codes, and
//! `code` is the most specific unit's code.
//!
//! A run of the place part the codes do not have (a misspelt unit, one
//! renamed since 2023) is split by the suffix rules of the vocabulary's
//! `[regions]` and put at the levels left free between the units found
//! around it; the units joined always give back the place part, character
//! for character. Such a run makes the code `null` and is reported
//! ([`Code::NotInDivisions`]) with the nearest names the codes have under the
//! unit before it. When two places of the codes fit the title equally well,
//! the units are kept as written, nothing is filled and the code is `null`.

mod gazetteer;

use std::cmp::Reverse;

use self::gazetteer::{gazetteer, Level, Unit};
use crate::diagnostic::{Code, Diagnostic, Facts, Position};
use crate::model::Region;
use crate::vocab;
use crate::vocabulary::words;

/// A place part longer than this (in characters) is not looked up in the
/// codes: the longest chain of their names has 37 characters, and a
/// longer title is read by the suffix rules alone, in linear time.
const LONGEST_PLACE: usize = 64;

/// How many of the codes' names a warning suggests.
const SUGGESTIONS: usize = 3;

/// A unit named longer than this (in characters) gets no suggestions.
const LONGEST_SUGGESTED: usize = 32;

/// How alike (0 to 1, the share of characters in common) a name must be to
/// be suggested.
const SIMILAR_ENOUGH: f32 = 0.5;

/// The administrative units named in an edition's title. A run of the title
/// the division codes do not have is reported at `at(start, len)`: its first
/// character and length, counted in characters of the title without its
/// whitespace.
pub(crate) fn region(
    title: &str,
    at: impl Fn(usize, usize) -> Position,
    diagnostics: &mut Vec<Diagnostic>,
) -> Region {
    let place = place_part(title);
    let reading = read(&place);
    let mut region = Region::default();
    for piece in &reading.pieces {
        *slot(&mut region, piece.level) = Some(piece.text.to_owned());
    }
    if !reading.ambiguous {
        let found = reading.pieces.iter().filter_map(|p| p.unit);
        for above in found.flat_map(|u| gazetteer().real_ancestors(u)) {
            let slot = slot(&mut region, above.level());
            if slot.is_none() {
                *slot = Some(above.name.to_owned());
            }
        }
        if reading.pieces.iter().all(|p| p.unit.is_some()) {
            region.code = reading
                .pieces
                .last()
                .and_then(|p| p.unit)
                .map(|u| u.code.to_owned());
        }
    }
    let mut parent = None;
    for (i, piece) in reading.pieces.iter().enumerate() {
        if piece.unit.is_some() {
            parent = piece.unit;
            continue;
        }
        if i > 0 && reading.pieces[i - 1].unit.is_none() {
            continue;
        }
        let gap = &reading.pieces[i..];
        let gap = &gap[..gap
            .iter()
            .position(|p| p.unit.is_some())
            .unwrap_or(gap.len())];
        let text: String = gap.iter().map(|p| p.text).collect();
        diagnostics.push(not_found(
            &text,
            piece.level,
            parent,
            at(piece.start, text.chars().count()),
        ));
    }
    region
}

/// The title without whitespace, without a note in brackets after it
/// (`（2025年版）`) and without its ending.
fn place_part(title: &str) -> String {
    let mut place: String = title.chars().filter(|c| !c.is_whitespace()).collect();
    if place.ends_with(vocab::CLOSE_BRACKETS) && vocab::ends_with_list_word(&place) {
        let open = place.rfind(vocab::OPEN_BRACKETS).expect("a note's opening");
        place.truncate(open);
    }
    if let Some(ending) = words()
        .titles
        .edition_endings
        .iter()
        .find(|e| place.ends_with(e.as_str()))
    {
        place.truncate(place.len() - ending.len());
    }
    place
}

/// The field of `region` for units of `level`.
fn slot(region: &mut Region, level: Level) -> &mut Option<String> {
    match level {
        Level::Province => &mut region.province,
        Level::Prefecture => &mut region.prefecture,
        Level::County => &mut region.county,
        Level::Township => &mut region.township,
    }
}

/// One unit of a place part.
#[derive(Debug)]
struct Piece<'p> {
    /// The unit as written.
    text: &'p str,
    /// Its first character's index in the place part.
    start: usize,
    /// The level it stands at.
    level: Level,
    /// The unit of the codes it is; `None` for one they do not have.
    unit: Option<&'static Unit>,
}

/// A place part read into units.
#[derive(Debug)]
struct Reading<'p> {
    /// The units in order; joined, they are the place part.
    pieces: Vec<Piece<'p>>,
    /// Did two places of the codes fit a chain equally well?
    ambiguous: bool,
}

/// A chain of units of the codes, each under the one before it.
#[derive(Clone, Debug)]
struct Chain {
    /// The units, each with its name's length in characters.
    units: Vec<(&'static Unit, usize)>,
    /// Characters covered.
    chars: usize,
    /// Levels left out between the units.
    skipped: usize,
    /// Did another chain fit as well?
    ambiguous: bool,
}

/// The place part `place` read into units.
fn read(place: &str) -> Reading<'_> {
    // The byte offset of each character, and the end.
    let bounds: Vec<usize> = place
        .char_indices()
        .map(|(i, _)| i)
        .chain([place.len()])
        .collect();
    let n = bounds.len() - 1;
    let mut reading = Reading {
        pieces: Vec::new(),
        ambiguous: false,
    };
    if n > LONGEST_PLACE {
        reading.pieces = unknown(place, &bounds, 0..n, None, None);
        return reading;
    }
    let mut pos = 0;
    let mut last: Option<&'static Unit> = None;
    while pos < n {
        let (at, chain) = match chain(place, &bounds, pos, last) {
            Some(chain) => (pos, chain),
            None => {
                // A run the codes do not have, up to where the longest chain
                // under the last unit resumes that leaves the run a level.
                let resume = (pos + 1..n)
                    .filter_map(|j| chain(place, &bounds, j, last).map(|c| (j, c)))
                    .filter(|(_, c)| !free_levels(last, Some(c.units[0].0.level())).is_empty())
                    .max_by_key(|(j, c)| (c.chars, Reverse(*j)));
                let end = resume.as_ref().map_or(n, |(j, _)| *j);
                let below = resume.as_ref().map(|(_, c)| c.units[0].0.level());
                let run = unknown(place, &bounds, pos..end, last, below);
                if run.is_empty() {
                    // No level is left under the last unit: the rest is part
                    // of it, which is then no unit of the codes.
                    let last = reading.pieces.last_mut().expect("a unit before");
                    last.text = &place[bounds[last.start]..];
                    last.unit = None;
                }
                reading.pieces.extend(run);
                match resume {
                    Some(found) => found,
                    None => break,
                }
            }
        };
        reading.ambiguous |= chain.ambiguous;
        let mut start = at;
        for (unit, len) in chain.units {
            reading.pieces.push(Piece {
                text: &place[bounds[start]..bounds[start + len]],
                start,
                level: unit.level(),
                unit: Some(unit),
            });
            start += len;
            last = Some(unit);
        }
        pos = start;
    }
    reading
}

/// The longest chain of units of the codes that starts at character `pos`
/// of `place`, each under the one before and the first under `last`.
fn chain(place: &str, bounds: &[usize], pos: usize, last: Option<&Unit>) -> Option<Chain> {
    let g = gazetteer();
    let n = bounds.len() - 1;
    let mut best: Option<Chain> = None;
    for len in 1..=g.longest_name().min(n - pos) {
        let name = &place[bounds[pos]..bounds[pos + len]];
        for unit in g.named(name).filter(|u| last.is_none_or(|l| u.is_under(l))) {
            let skipped = last.map_or(0, |l| {
                g.real_ancestors(unit).filter(|a| a.is_under(l)).count()
            });
            let mut candidate = Chain {
                units: vec![(unit, len)],
                chars: len,
                skipped,
                ambiguous: false,
            };
            if let Some(rest) = chain(place, bounds, pos + len, Some(unit)) {
                candidate.units.extend(rest.units);
                candidate.chars += rest.chars;
                candidate.skipped += rest.skipped;
                candidate.ambiguous = rest.ambiguous;
            }
            let score = |c: &Chain| (c.chars, Reverse(c.skipped));
            match &mut best {
                Some(b) if score(b) == score(&candidate) => b.ambiguous = true,
                Some(b) if score(b) > score(&candidate) => {}
                _ => best = Some(candidate),
            }
        }
    }
    best
}

/// The levels strictly between the unit `above` and the level `below`
/// (`None`: the top, the bottom) at which the codes have units under
/// `above` (under 东莞市 no county, under 北京市 no prefecture).
fn free_levels(above: Option<&Unit>, below: Option<Level>) -> Vec<Level> {
    let under = above.map(|a| gazetteer().under(a.code));
    Level::ALL
        .into_iter()
        .filter(|&l| below.is_none_or(|b| l < b))
        .filter(|&l| under.is_none_or(|units| units.iter().any(|u| u.real && u.level() == l)))
        .collect()
}

/// The units of the run `chars` of `place`, which the codes do not have,
/// between the units `above` and `below`: split by the suffix rules and put
/// at the levels between the two (the first units joined when they are
/// more than the levels). Empty when no level is free.
fn unknown<'p>(
    place: &'p str,
    bounds: &[usize],
    chars: std::ops::Range<usize>,
    above: Option<&Unit>,
    below: Option<Level>,
) -> Vec<Piece<'p>> {
    let free = free_levels(above, below);
    if free.is_empty() {
        return Vec::new();
    }
    let run = &place[bounds[chars.start]..bounds[chars.end]];
    let mut units = units(run);
    if units.len() > free.len() {
        let joined = units.len() - free.len() + 1;
        let len = units[..joined].iter().map(|u| u.len()).sum();
        units.splice(..joined, [&run[..len]]);
    }
    let levels = levels_of(&units, &free);
    let mut start = chars.start;
    units
        .into_iter()
        .zip(levels)
        .map(|(text, level)| {
            let piece = Piece {
                text,
                start,
                level,
                unit: None,
            };
            start += text.chars().count();
            piece
        })
        .collect()
}

/// The levels, one of `free` each and in order, that fit the suffixes of
/// `units` best; of those that fit as well, the highest.
fn levels_of(units: &[&str], free: &[Level]) -> Vec<Level> {
    let fits = |unit: &str, level: Level| {
        let r = &words().regions;
        let suffixes = match level {
            Level::Province => &r.province,
            Level::Prefecture => &r.prefecture,
            Level::County => &r.county,
            Level::Township => &r.township,
        };
        suffixes.iter().any(|s| unit.ends_with(s.as_str()))
    };
    (0u32..1 << free.len())
        .filter(|mask| mask.count_ones() as usize == units.len())
        .map(|mask| {
            let levels: Vec<Level> = (0..free.len())
                .filter(|i| mask & (1 << i) != 0)
                .map(|i| free[i])
                .collect();
            let score = units
                .iter()
                .zip(&levels)
                .filter(|(u, l)| fits(u, **l))
                .count();
            (score, levels)
        })
        .max_by(|(a, x), (b, y)| a.cmp(b).then_with(|| y.cmp(x)))
        .map(|(_, levels)| levels)
        .expect("as many levels as units")
}

/// Splits a run of unit names after each unit suffix, unless what follows
/// begins with a suffix itself (so `郑州市`, `周市镇` and `乾州街道` stay
/// whole) or the unit would be one character (`新市镇`).
fn units(s: &str) -> Vec<&str> {
    let r = &words().regions;
    let suffixes: Vec<&str> = [&r.province, &r.prefecture, &r.county, &r.township]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    let mut units = Vec::new();
    let mut start = 0;
    let mut count = 0;
    for (i, c) in s.char_indices() {
        count += 1;
        let end = i + c.len_utf8();
        let (current, rest) = (&s[start..end], &s[end..]);
        if count >= 2
            && !rest.is_empty()
            && suffixes.iter().any(|x| current.ends_with(x))
            && !suffixes.iter().any(|x| rest.starts_with(x))
        {
            units.push(current);
            start = end;
            count = 0;
        }
    }
    if start < s.len() {
        units.push(&s[start..]);
    }
    units
}

/// The warning for `text`, a run of the title at `level` that the codes
/// do not have under `parent`, with the names they have there nearest it.
fn not_found(text: &str, level: Level, parent: Option<&Unit>, at: Position) -> Diagnostic {
    let shown: String = text.chars().take(LONGEST_SUGGESTED).collect();
    let shown = if shown.len() < text.len() {
        format!("{shown}…")
    } else {
        shown
    };
    let under = parent.map_or_else(String::new, |p| format!(" under {}", p.name));
    let nearest = nearest(text, level, parent);
    let help = if nearest.is_empty() {
        "check the title's spelling; a unit renamed or made since 2023 is kept as written"
            .to_owned()
    } else {
        format!(
            "the codes have{under}: {}; correct the title if it is misspelt (a unit renamed or made since 2023 is kept as written)",
            nearest.join(", ")
        )
    };
    Diagnostic::new(
        Code::NotInDivisions,
        at,
        format!(
            "expected a {} of the division codes (2023){under}, found `{shown}`, which they do not have; the region's code is null",
            level.as_str()
        ),
    )
    .with_label("not in the division codes")
    .with_facts(Facts::Unit {
        level: level.as_str(),
        found: text.to_owned(),
        nearest,
    })
    .with_help(help)
}

/// The few names of real units at `level` under `parent` nearest to `text`
/// (by `similar`'s ratio of characters in common, as Python's
/// `difflib.get_close_matches`), nearest first. Without a parent, only
/// provinces and prefectures are suggested: the names of counties and
/// townships repeat across the country.
fn nearest(text: &str, level: Level, parent: Option<&Unit>) -> Vec<&'static str> {
    if text.chars().count() > LONGEST_SUGGESTED || (parent.is_none() && level > Level::Prefecture) {
        return Vec::new();
    }
    let mut names: Vec<&'static str> = gazetteer()
        .under(parent.map_or("", |p| p.code))
        .iter()
        .filter(|u| u.real && u.level() == level)
        .map(|u| u.name)
        .collect();
    names.sort_unstable();
    names.dedup();
    similar::get_close_matches(text, &names, SUGGESTIONS, SIMILAR_ENOUGH)
}

#[cfg(test)]
mod tests;
