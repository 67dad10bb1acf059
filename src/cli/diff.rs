//! `diff`: compare two editions and print what changed.

use std::io::IsTerminal;
use std::path::Path;

use clap::ValueEnum;
use qingdan::diff;
use qingdan::{Edition, Options};

use super::convert::display_path;
use super::report::Reporter;
use super::{ColorChoice, DiagnosticFormat, FAILED, SUCCESS, TROUBLE};

/// How the diff report is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Plain text, coloured on a terminal.
    Text,
    /// A Markdown report with a summary table.
    #[value(alias = "md")]
    Markdown,
    /// JSON for tools.
    Json,
    /// A self-contained HTML page for the browser.
    Html,
}

/// Compares `old` with `new` and prints the report on stdout; returns the
/// exit code: 0 same, 1 different, 2 when either input cannot be read (its
/// diagnostics are printed as `--format` says). A failed write to stdout is
/// the caller's to report ([`super::stdout::finish`]).
pub fn diff(
    old: &Path,
    new: &Path,
    to: DiffFormat,
    diagnostics: DiagnosticFormat,
    color: ColorChoice,
    options: &Options,
) -> u8 {
    let mut reporter = Reporter::new(diagnostics, color);
    let editions = (
        read(old, options, &mut reporter),
        read(new, options, &mut reporter),
    );
    let (Some(old), Some(new)) = editions else {
        reporter.finish();
        return TROUBLE;
    };
    let result = diff::compare(&old, &new);
    let report = match to {
        DiffFormat::Text => diff::text::render(&result, stdout_color(color)),
        DiffFormat::Markdown => diff::markdown::render(&result),
        DiffFormat::Json => diff::json::render(&result),
        DiffFormat::Html => diff::html::render(&result),
    };
    super::stdout::write(report.as_bytes());
    if result.is_empty() {
        SUCCESS
    } else {
        FAILED
    }
}

/// Reads one side, reporting why it cannot be read.
fn read(path: &Path, options: &Options, reporter: &mut Reporter) -> Option<Edition> {
    let shown = display_path(path);
    let bytes = reporter.read_input(path, &shown, options)?;
    match diff::read_edition(&shown, &bytes, options) {
        Ok(edition) => Some(edition),
        Err(error) => {
            reporter.error(&shown, &error);
            None
        }
    }
}

/// Whether to colour the report on stdout.
fn stdout_color(color: ColorChoice) -> bool {
    match color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    }
}
