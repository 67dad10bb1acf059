//! Printing diagnostics: rustc-style on stderr, or one JSON array on stdout.
//!
//! Rendering ([`Reporter::render`]) and printing ([`Reporter::print`]) are
//! apart so that parallel workers can render while one thread prints, in a
//! fixed order.

use std::io::{IsTerminal, Write};

use qingdan::{
    render_human, render_json, Conversion, Diagnostic, Error, FileDiagnostic, Options, Severity,
    SourceLines,
};

use super::input::read_bounded;

use super::{ColorChoice, DiagnosticFormat};

/// The diagnostics of one file, rendered and counted.
#[derive(Debug, Default)]
pub struct Rendered {
    human: String,
    json: Vec<String>,
    /// Errors among them.
    pub errors: usize,
    /// Warnings among them.
    pub warnings: usize,
}

impl Rendered {
    /// Appends `other` after this.
    pub fn append(&mut self, other: Rendered) {
        self.human.push_str(&other.human);
        self.json.extend(other.json);
        self.errors += other.errors;
        self.warnings += other.warnings;
    }
}

/// How diagnostics are rendered: a small copyable value, so that parallel
/// workers can render while one thread prints.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    format: DiagnosticFormat,
    color: bool,
}

impl Style {
    /// Renders the diagnostics of one conversion of `file`.
    pub fn render(self, file: &str, conversion: &Conversion) -> Rendered {
        self.render_diagnostics(file, &conversion.diagnostics, conversion.text.as_deref())
    }

    /// Renders `diagnostics` of `file`, shown against its decoded `text`.
    fn render_diagnostics(
        self,
        file: &str,
        diagnostics: &[Diagnostic],
        text: Option<&str>,
    ) -> Rendered {
        let mut rendered = Rendered::default();
        for d in diagnostics {
            match d.severity() {
                Severity::Error => rendered.errors += 1,
                Severity::Warning => rendered.warnings += 1,
            }
        }
        match self.format {
            DiagnosticFormat::Human => {
                // The text is indexed once for all its diagnostics.
                let lines = text.map(SourceLines::new);
                for d in diagnostics {
                    rendered.human.push_str(&match &lines {
                        Some(lines) => lines.render_human(file, d, self.color),
                        None => render_human(file, None, d, self.color),
                    });
                    rendered.human.push_str("\n\n");
                }
            }
            DiagnosticFormat::Json => {
                rendered.json = render_json(file, diagnostics)
                    .iter()
                    .map(|d| serde_json::to_string(d).expect("diagnostics serialize"))
                    .collect();
            }
        }
        rendered
    }

    /// Renders a problem with a file as a whole (unreadable, unwritable).
    pub fn render_file_error(self, file: &str, message: &str) -> Rendered {
        let mut rendered = Rendered {
            errors: 1,
            ..Rendered::default()
        };
        match self.format {
            DiagnosticFormat::Human => {
                let label = if self.color {
                    "\x1b[1;31merror\x1b[0m"
                } else {
                    "error"
                };
                rendered.human = format!("{label}: {file}: {message}\n");
            }
            DiagnosticFormat::Json => {
                let d = FileDiagnostic {
                    code: "E000",
                    severity: Severity::Error,
                    file,
                    line: 1,
                    column: 1,
                    message,
                    help: None,
                    place: None,
                    facts: None,
                };
                rendered
                    .json
                    .push(serde_json::to_string(&d).expect("diagnostics serialize"));
            }
        }
        rendered
    }
}

/// Prints the diagnostics of a run as they come. With `--format json` the
/// array is written element by element, so nothing accumulates in memory.
pub struct Reporter {
    style: Style,
    /// `--format json`: elements printed so far.
    json_printed: usize,
    /// Errors printed so far.
    pub errors: usize,
    /// Warnings printed so far.
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
            style: Style { format, color },
            json_printed: 0,
            errors: 0,
            warnings: 0,
        }
    }

    /// How this reporter renders, for rendering elsewhere.
    pub fn style(&self) -> Style {
        self.style
    }

    /// Renders the diagnostics of one conversion of `file`.
    pub fn render(&self, file: &str, conversion: &Conversion) -> Rendered {
        self.style.render(file, conversion)
    }

    /// Prints what was rendered.
    pub fn print(&mut self, rendered: Rendered) {
        self.errors += rendered.errors;
        self.warnings += rendered.warnings;
        if !rendered.human.is_empty() {
            let _ = std::io::stderr()
                .lock()
                .write_all(rendered.human.as_bytes());
        }
        if !rendered.json.is_empty() {
            let mut elements = String::new();
            for element in &rendered.json {
                elements.push_str(if self.json_printed == 0 { "[\n" } else { ",\n" });
                elements.push_str(element);
                self.json_printed += 1;
            }
            super::stdout::write(elements.as_bytes());
        }
    }

    /// Renders and prints the diagnostics of one conversion.
    pub fn conversion(&mut self, file: &str, conversion: &Conversion) {
        let rendered = self.render(file, conversion);
        self.print(rendered);
    }

    /// Prints the diagnostics behind a library [`Error`] about `file`.
    pub fn error(&mut self, file: &str, error: &Error) {
        let rendered = self
            .style
            .render_diagnostics(file, error.diagnostics(), error.text());
        self.print(rendered);
    }

    /// Reads an input file within `--max-bytes` ([`read_bounded`]); a file
    /// that cannot or may not be read is reported (as `shown`) and gives
    /// `None`.
    pub fn read_input(
        &mut self,
        path: &std::path::Path,
        shown: &str,
        options: &Options,
    ) -> Option<Vec<u8>> {
        match read_bounded(path, options.max_bytes()) {
            Ok(bytes) => Some(bytes),
            Err(failure) => {
                match failure.into_report(options) {
                    Ok(conversion) => self.conversion(shown, &conversion),
                    Err(message) => self.file_error(shown, &message),
                }
                None
            }
        }
    }

    /// Reports a problem with a file as a whole.
    pub fn file_error(&mut self, file: &str, message: &str) {
        let rendered = self.style.render_file_error(file, message);
        self.print(rendered);
    }

    /// Closes the JSON array (`[]` when there was nothing to print).
    pub fn finish(&mut self) {
        if self.style.format == DiagnosticFormat::Json {
            let close = if self.json_printed == 0 {
                "[]\n"
            } else {
                "\n]\n"
            };
            super::stdout::write(close.as_bytes());
        }
    }
}
