//! JSON output: pretty-printed, two-space indent, non-ASCII unescaped.

use crate::model::Edition;

/// Renders an edition as pretty JSON with a trailing newline.
pub fn render(edition: &Edition) -> String {
    let mut out = serde_json::to_string_pretty(edition).expect("records always serialize");
    out.push('\n');
    out
}
