//! qingdan as a library inside another program: convert editions, show
//! their diagnostics the way the command line does, write JSON, and compare
//! the first edition with each of the others.
//!
//! ```text
//! cargo run --example embed -- input/hami-yiwu-yanchi.txt other.txt
//! ```

use std::process::ExitCode;

use qingdan::{Edition, Format, Options, SourceLines};

fn main() -> ExitCode {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: embed EDITION...");
        return ExitCode::from(2);
    }
    let options = Options::new().with_max_bytes(16 << 20);
    let mut editions: Vec<Edition> = Vec::new();
    for path in &paths {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("{path}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let conversion = qingdan::convert(path, &bytes, &options);
        // Index the text once to show many diagnostics of it.
        let lines = conversion.text.as_deref().map(SourceLines::new);
        for diagnostic in &conversion.diagnostics {
            let shown = match &lines {
                Some(lines) => lines.render_human(path, diagnostic, false),
                None => qingdan::render_human(path, None, diagnostic, false),
            };
            eprintln!("{shown}");
        }
        let Some(edition) = conversion.edition else {
            eprintln!("{path}: not converted");
            return ExitCode::FAILURE;
        };
        let items: usize = edition.sections.iter().map(|s| s.items.len()).sum();
        let json = Format::Json.render(&edition).expect("JSON always renders");
        println!(
            "{path}: {} — {items} items, {} bytes of JSON",
            edition.title,
            json.len()
        );
        editions.push(edition);
    }
    if let Some((first, others)) = editions.split_first() {
        for other in others {
            let summary = qingdan::diff::compare(first, other).summary();
            println!(
                "{} → {}: {} added, {} removed, {} changed",
                first.source.path,
                other.source.path,
                summary.added,
                summary.removed,
                summary.changed
            );
        }
    }
    ExitCode::SUCCESS
}
