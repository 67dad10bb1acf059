//! Command-line arguments and dispatch.

/// `eprintln!` that never panics: standard error may be a full disk or a
/// closed pipe too, and a message that cannot be shown is no reason to
/// abort.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

/// Says `message` on stderr, a line of its own (what the library asks the
/// binary to tell its user).
fn tell(message: &str) {
    say!("{message}");
}

mod build;
mod convert;
mod diff;
mod input;
mod report;
mod stdout;
mod validate;
mod vocab;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use qingdan::Format;

/// Turns exported duty lists (履职事项清单) into JSON, YAML and Markdown.
#[derive(Debug, Parser)]
#[command(name = "qingdan", version, about, max_term_width = 100)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
    /// How to print diagnostics: `human` (rustc-style, on stderr) or `json`
    /// (one array on stdout).
    #[arg(long, global = true, value_enum, default_value_t = DiagnosticFormat::Human)]
    format: DiagnosticFormat,
    /// When to colour diagnostics.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Refuse inputs larger than this many bytes.
    #[arg(long, global = true, default_value_t = 64 * 1024 * 1024, value_name = "BYTES")]
    max_bytes: u64,
    /// Treat warnings as failures: exit 1, and write no outputs for an
    /// edition that has any (for strict CI).
    #[arg(long, global = true)]
    deny_warnings: bool,
    /// Add the list kinds and column titles of this vocabulary file
    /// (TOML; `qingdan vocab` prints one) to the built-in ones.
    #[arg(long, global = true, value_name = "FILE")]
    vocab: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Convert editions into OUTPUT/<stem>.json, .yaml and .md (and .html
    /// or .xlsx when asked).
    Convert {
        /// Edition files: text (UTF-8, UTF-16 with BOM, or GB18030), .docx or .xlsx.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Directory to write into.
        #[arg(short, long, default_value = "output")]
        output: PathBuf,
        /// Formats to write, comma-separated: json, yaml, md, html, xlsx.
        #[arg(long, value_delimiter = ',', default_values_t = Format::DEFAULT.to_vec())]
        to: Vec<Format>,
    },
    /// Convert every `*.txt`, `*.docx` and `*.xlsx` edition under INPUT into OUTPUT (same folders),
    /// in parallel, and write OUTPUT/index.json and index.md (with html:
    /// also index.html and its search-data.js).
    Build {
        /// Directory of editions.
        #[arg(long, default_value = "input")]
        input: PathBuf,
        /// Directory of outputs.
        #[arg(long, default_value = "output")]
        output: PathBuf,
        /// Worker threads [default: one per core].
        #[arg(short, long)]
        jobs: Option<usize>,
        /// Write nothing; exit 1 naming every output that is stale, missing
        /// or orphaned (for CI).
        #[arg(long)]
        check: bool,
        /// Delete outputs whose edition no longer exists.
        #[arg(long, conflicts_with = "check")]
        prune: bool,
        /// No progress bar; only the summary line (and diagnostics).
        #[arg(short, long)]
        quiet: bool,
        /// Formats to write, comma-separated: json, yaml, md, html, xlsx.
        #[arg(long, value_delimiter = ',', default_values_t = Format::DEFAULT.to_vec())]
        to: Vec<Format>,
    },
    /// Compare two editions: items added, removed, changed and renumbered.
    /// Exit status as `diff(1)`: 0 same, 1 different, 2 trouble.
    Diff {
        /// The old edition: a raw edition (any encoding `convert` reads) or
        /// a JSON output of qingdan.
        old: PathBuf,
        /// The new edition, likewise.
        new: PathBuf,
        /// Report format (`--format` stays the format of diagnostics).
        #[arg(long, value_enum, default_value_t = diff::DiffFormat::Text)]
        to: diff::DiffFormat,
    },
    /// Check editions (the whole pipeline, nothing written) or generated
    /// `.json`/`.yaml` files (against the schema); exit 1 on any error.
    Validate {
        /// Editions, or `.json`/`.yaml` outputs.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print the vocabulary in force (built-in, plus `--vocab`) as a TOML
    /// file to copy and edit.
    Vocab,
    /// Print the JSON Schema of the JSON and YAML outputs.
    Schema {
        /// Print the schema of `build`'s index.json instead.
        #[arg(long)]
        index: bool,
    },
}

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticFormat {
    /// rustc-style snippets on stderr.
    Human,
    /// A JSON array on stdout.
    Json,
}

/// When to colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Exit code: everything converted.
const SUCCESS: u8 = 0;
/// Exit code: at least one input failed.
const FAILED: u8 = 1;
/// Exit code: usage error or trouble outside any one input.
const TROUBLE: u8 = 2;

/// Prints clap's `--help`, `--version` or usage error and gives its exit
/// status; help and version go to stdout through [`stdout`], so a full disk
/// is reported there too.
fn usage(e: &clap::Error) -> ExitCode {
    let code = u8::try_from(e.exit_code()).unwrap_or(TROUBLE);
    if e.use_stderr() {
        let _ = e.print();
        return ExitCode::from(code);
    }
    let text = e.render();
    if std::io::stdout().is_terminal() {
        stdout::write_with(|out| write!(out, "{}", text.ansi()));
    } else {
        stdout::write_with(|out| write!(out, "{text}"));
    }
    ExitCode::from(stdout::finish(code))
}

/// Parses the arguments and runs the command.
pub fn run() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) => return usage(&e),
    };
    let mut reporter = report::Reporter::new(args.format, args.color);
    let options = qingdan::Options::new().with_max_bytes(args.max_bytes);
    let options = match &args.vocab {
        Some(path) => vocab::with_file(options, path, &mut reporter),
        None => Ok(options),
    };
    let options = match options {
        Ok(options) => options,
        Err(message) => return trouble(reporter, &message),
    };
    let deny = args.deny_warnings;
    let outcome = match &args.command {
        Command::Vocab => {
            stdout::write(vocab::print(options.vocabulary()).as_bytes());
            return ExitCode::from(stdout::finish(SUCCESS));
        }
        // diff prints its own report and has diff(1)'s exit codes.
        Command::Diff { old, new, to } => {
            let code = diff::diff(old, new, *to, args.format, args.color, &options);
            return ExitCode::from(stdout::finish(code));
        }
        Command::Schema { index } => {
            // The schema alone on stdout, even with `--format json`.
            let schema = if *index {
                qingdan::index_schema()
            } else {
                qingdan::edition_schema()
            };
            stdout::write(schema.as_bytes());
            return ExitCode::from(stdout::finish(SUCCESS));
        }
        Command::Convert { files, output, to } => {
            convert::convert(files, output, to, &options, deny, &mut reporter)
        }
        Command::Build {
            input,
            output,
            jobs,
            check,
            prune,
            quiet,
            to,
        } => build::build(
            &build::BuildArgs {
                input,
                output,
                jobs: *jobs,
                check: *check,
                prune: *prune,
                quiet: *quiet,
                formats: to,
                deny_warnings: deny,
            },
            &options,
            &mut reporter,
        ),
        Command::Validate { files } => Ok(validate::validate(files, &options, &mut reporter)),
    };
    let outcome = outcome.map(|ok| ok && !(deny && reporter.warnings > 0));
    match outcome {
        Ok(ok) => {
            reporter.finish();
            ExitCode::from(stdout::finish(if ok { SUCCESS } else { FAILED }))
        }
        Err(message) => trouble(reporter, &message),
    }
}

/// Ends a run that met trouble outside any one input: what was reported,
/// then `message`, exit 2.
fn trouble(mut reporter: report::Reporter, message: &str) -> ExitCode {
    reporter.finish();
    say!("qingdan: {message}");
    ExitCode::from(stdout::finish(TROUBLE))
}
