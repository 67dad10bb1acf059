//! Writes a benchmark corpus of editions made from the sample.
//!
//! ```sh
//! cargo run --release --example make_corpus -- DIR N
//! ```
//!
//! writes `N` editions under `DIR` (`utf8/`, `gb18030/`, `utf16le/`) and
//! prints their number, total bytes and the largest edition's bytes.

use std::path::PathBuf;
use std::process::ExitCode;

mod corpus;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (dir, count) = match args.as_slice() {
        [dir, count] => match count.parse::<usize>() {
            Ok(count) => (PathBuf::from(dir), count),
            Err(e) => return usage(&format!("N: {e}")),
        },
        _ => return usage("expected two arguments"),
    };
    match corpus::write(&dir, count) {
        Ok(written) => {
            println!(
                "{count} editions, {} bytes, largest {} bytes",
                written.total, written.largest
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("make_corpus: cannot write {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("make_corpus: {problem}\nusage: make_corpus DIR N");
    ExitCode::from(2)
}
