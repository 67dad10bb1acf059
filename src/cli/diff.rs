//! `diff`: compare two editions and print what changed.

use std::io::IsTerminal;
use std::path::Path;

use clap::ValueEnum;
use qingdan::diff;
use qingdan::{Edition, Format, Options};

use super::report::Reporter;
use super::{ColorChoice, DiagnosticFormat, FAILED, SUCCESS, TROUBLE};
use qingdan::outputs::{display_path, edition_stem, output_path, signed};

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
    let (Some(old_edition), Some(new_edition)) = editions else {
        reporter.finish();
        return TROUBLE;
    };
    let result = diff::compare(&old_edition, &new_edition);
    let report = match to {
        DiffFormat::Text => diff::text::render(&result, stdout_color(color)),
        DiffFormat::Markdown => diff::markdown::render(&result),
        DiffFormat::Json => diff::json::render(&result),
        DiffFormat::Html => diff::html::render(&result, pages(old, new).as_ref()),
    };
    super::stdout::write(report.as_bytes());
    if result.is_empty() {
        SUCCESS
    } else {
        FAILED
    }
}

/// The two editions' pages to link the diff page to: when each input has
/// its page beside it (`<stem>.html`, written by qingdan) and both are in
/// one folder, as in a `build --to html` site, their file names, so that
/// the links hold for a diff page saved in that folder.
fn pages(old: &Path, new: &Path) -> Option<diff::html::Pages> {
    let page = |input: &Path| -> Option<(std::path::PathBuf, String)> {
        let stem = edition_stem(input).ok()?;
        let page = output_path(&stem, Format::Html);
        let name = page.file_name()?.to_str()?.to_owned();
        signed(&page).then_some((page, name))
    };
    let ((old_page, old), (new_page, new)) = (page(old)?, page(new)?);
    let folder = |p: &Path| {
        let parent = p.parent().filter(|d| !d.as_os_str().is_empty());
        std::fs::canonicalize(parent.unwrap_or(Path::new("."))).ok()
    };
    (folder(&old_page)? == folder(&new_page)?).then_some(diff::html::Pages { old, new })
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
