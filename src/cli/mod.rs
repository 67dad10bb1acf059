//! Command-line arguments and dispatch.

mod convert;
mod locate;
mod report;
mod validate;
mod write;

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
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Convert editions into OUTPUT/<stem>.json, .yaml and .md.
    Convert {
        /// Edition files (UTF-8, UTF-16 with BOM, or GB18030).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Directory to write into.
        #[arg(short, long, default_value = "output")]
        output: PathBuf,
        /// Formats to write, comma-separated.
        #[arg(long, value_delimiter = ',', default_values_t = Format::ALL.to_vec())]
        to: Vec<Format>,
    },
    /// Convert every `*.txt` edition under INPUT into OUTPUT, keeping folders.
    Build {
        /// Directory of editions.
        #[arg(long, default_value = "input")]
        input: PathBuf,
        /// Directory of outputs.
        #[arg(long, default_value = "output")]
        output: PathBuf,
    },
    /// Check editions (the whole pipeline, nothing written) or generated
    /// `.json`/`.yaml` files (against the schema); exit 1 on any error.
    Validate {
        /// Editions, or `.json`/`.yaml` outputs.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print the JSON Schema of the JSON and YAML outputs.
    Schema,
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

/// Parses the arguments and runs the command.
pub fn run() -> ExitCode {
    let args = Args::parse();
    if let Command::Schema = args.command {
        // The schema alone on stdout, even with `--format json`.
        print!("{}", qingdan::SCHEMA);
        return ExitCode::from(SUCCESS);
    }
    let mut reporter = report::Reporter::new(args.format, args.color);
    let options = qingdan::Options {
        max_bytes: args.max_bytes,
    };
    let deny = args.deny_warnings;
    let outcome = match &args.command {
        Command::Convert { files, output, to } => {
            convert::convert(files, output, to, &options, deny, &mut reporter)
        }
        Command::Build { input, output } => {
            convert::build(input, output, &options, deny, &mut reporter)
        }
        Command::Validate { files } => Ok(validate::validate(files, &options, &mut reporter)),
        Command::Schema => unreachable!("handled above"),
    };
    let outcome = outcome.map(|ok| ok && !(deny && reporter.warnings > 0));
    reporter.finish();
    ExitCode::from(match outcome {
        Ok(true) => SUCCESS,
        Ok(false) => FAILED,
        Err(message) => {
            eprintln!("qingdan: {message}");
            TROUBLE
        }
    })
}
