//! The sample edition converts to the records its printed form shows.

use qingdan::SectionKind;

use crate::support::sample_edition;

#[test]
fn sample_has_three_sections_numbered_one_to_n() {
    let edition = sample_edition();
    let shape: Vec<(SectionKind, usize, u32, u32)> = edition
        .sections
        .iter()
        .map(|s| (s.kind, s.items.len(), s.first_page, s.last_page))
        .collect();
    assert_eq!(
        shape,
        vec![
            (SectionKind::Basic, 109, 1, 16),
            (SectionKind::Cooperative, 108, 17, 88),
            (SectionKind::Withdrawn, 48, 89, 102),
        ]
    );
    for section in &edition.sections {
        let seqs: Vec<u32> = section.items.iter().map(|i| i.seq).collect();
        let expected: Vec<u32> = (1..=section.items.len() as u32).collect();
        assert_eq!(seqs, expected, "{:?} numbering", section.kind);
    }
}
