//! Snapshots of the three outputs of a small edition, read and checked by
//! hand: one list of each kind, a cooperative row split over a page break
//! with its township duties cut mid-list, and a handover with two receivers.

use crate::support::{convert_ok, rendered, SMALL_EDITION};

#[test]
fn small_edition_outputs() {
    let edition = convert_ok("small.txt", SMALL_EDITION.as_bytes());
    for format in qingdan::Format::DEFAULT {
        insta::assert_snapshot!(
            format!("small_edition.{}", format.extension()),
            rendered(format, &edition)
        );
    }
}
