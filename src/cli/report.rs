//! Printing diagnostics: rustc-style on stderr, or one JSON array on stdout.

use std::io::{IsTerminal, Write};

use qingdan::{render_human, render_json, Conversion, FileDiagnostic, Severity};

use super::{ColorChoice, DiagnosticFormat};

/// Collects and prints the diagnostics of a run.
pub struct Reporter {
    format: DiagnosticFormat,
    color: bool,
    /// For `--format json`: every diagnostic, printed at the end as one array.
    json: Vec<serde_json::Value>,
    /// Counts for the summary line.
    pub errors: usize,
    /// Counts for the summary line.
    pub warnings: usize,
}

impl Reporter {
    /// A reporter printing in `format`, coloured as `color` says.
    pub fn new(format: DiagnosticFormat, color: ColorChoice) -> Reporter {
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        };
        Reporter {
            format,
            color,
            json: Vec::new(),
            errors: 0,
            warnings: 0,
        }
    }

    /// Reports the diagnostics of one conversion of `file`.
    pub fn conversion(&mut self, file: &str, conversion: &Conversion) {
        for d in &conversion.diagnostics {
            match d.severity() {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
            }
        }
        match self.format {
            DiagnosticFormat::Human => {
                let mut stderr = std::io::stderr().lock();
                for d in &conversion.diagnostics {
                    let _ = writeln!(
                        stderr,
                        "{}\n",
                        render_human(file, conversion.text.as_deref(), d, self.color)
                    );
                }
            }
            DiagnosticFormat::Json => {
                for d in render_json(file, &conversion.diagnostics) {
                    self.json
                        .push(serde_json::to_value(&d).expect("diagnostics serialize"));
                }
            }
        }
    }

    /// Reports a problem with a file as a whole (unreadable, unwritable).
    pub fn file_error(&mut self, file: &str, message: &str) {
        self.errors += 1;
        match self.format {
            DiagnosticFormat::Human => eprintln!("error: {file}: {message}"),
            DiagnosticFormat::Json => {
                let d = FileDiagnostic {
                    code: "E000",
                    severity: Severity::Error,
                    file,
                    line: 1,
                    column: 1,
                    message,
                    help: None,
                };
                self.json
                    .push(serde_json::to_value(&d).expect("diagnostics serialize"));
            }
        }
    }

    /// Prints what is left to print.
    pub fn finish(&mut self) {
        if self.format == DiagnosticFormat::Json {
            let mut stdout = std::io::stdout().lock();
            let _ = serde_json::to_writer_pretty(&mut stdout, &self.json);
            let _ = writeln!(stdout);
        }
    }
}
