//! The ZIP container of a Word document or workbook: its parts read as
//! text, never inflated past a bound.
//!
//! A ZIP's directory may claim any sizes, so the bound is kept while
//! inflating: a part (or all parts together) larger than `--max-bytes`
//! stops the read, and a ZIP bomb costs no more than the bound.

use std::io::{Cursor, Read, Write};

use zip::ZipArchive;

use crate::diagnostic::{Code, Diagnostic, Position};

/// An opened container and what may still be inflated from it.
pub(super) struct Container<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    /// What the file is, as messages say it: `Word document`.
    what: &'static str,
    /// Bytes that may still be inflated.
    budget: u64,
    max_bytes: u64,
}

impl<'a> Container<'a> {
    /// Opens `bytes` as a ZIP; `what` names the document in errors.
    pub(super) fn open(
        bytes: &'a [u8],
        what: &'static str,
        max_bytes: u64,
    ) -> Result<Container<'a>, Diagnostic> {
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|error| {
            damaged(
                format!("expected a {what} (a ZIP archive), found a damaged one: {error}"),
                "the file looks truncated or damaged: download or copy it again, or open it in Word, Excel or WPS and save it anew",
            )
        })?;
        Ok(Container {
            archive,
            what,
            budget: max_bytes,
            max_bytes,
        })
    }

    /// The part `name` as text; `None` when there is no such part.
    pub(super) fn part(&mut self, name: &str) -> Result<Option<String>, Diagnostic> {
        let index = match self.archive.index_for_name(name) {
            Some(index) => index,
            None => return Ok(None),
        };
        let mut bytes = Vec::new();
        self.inflate(index, &mut bytes)?;
        String::from_utf8(bytes).map(Some).map_err(|error| {
            let found = format!(
                "it is not UTF-8 (byte {})",
                error.utf8_error().valid_up_to()
            );
            unreadable(self.what, name, &found)
        })
    }

    /// Inflates every part once, so that a damaged or oversized part is
    /// found here, before a reader that has no bound of its own sees it.
    pub(super) fn check_all(&mut self) -> Result<(), Diagnostic> {
        for index in 0..self.archive.len() {
            self.inflate(index, &mut std::io::sink())?;
        }
        Ok(())
    }

    /// Inflates part `index` into `out`, within the budget.
    fn inflate(&mut self, index: usize, out: &mut impl Write) -> Result<(), Diagnostic> {
        let what = self.what;
        let mut file = self
            .archive
            .by_index(index)
            .map_err(|error| unreadable(what, &format!("#{}", index + 1), &error.to_string()))?;
        let name = file.name().map(|n| n.into_owned()).unwrap_or_default();
        if file.encrypted() {
            return Err(damaged(
                format!("expected a {what} to read, found `{name}` encrypted"),
                "remove the password (in Word, Excel or WPS: save a copy without protection), then convert the copy",
            ));
        }
        let read = std::io::copy(&mut (&mut file).take(self.budget.saturating_add(1)), out)
            .map_err(|error| unreadable(what, &name, &error.to_string()))?;
        if read > self.budget {
            return Err(Diagnostic::new(
                Code::TooLarge,
                Position::new(1, 1, 1),
                format!(
                    "expected a {what} that unpacks to at most {} bytes (`--max-bytes`), found more in `{name}`",
                    self.max_bytes
                ),
            )
            .with_help("a file that unpacks to far more than its size is likely a ZIP bomb; raise `--max-bytes` only if it really is one edition"));
        }
        self.budget -= read;
        Ok(())
    }
}

/// The error for a container qingdan cannot read, with what to do.
pub(super) fn damaged(message: String, help: &str) -> Diagnostic {
    Diagnostic::new(Code::Original, Position::new(1, 1, 1), message).with_help(help)
}

/// The error for a part that cannot be inflated or decoded.
pub(super) fn unreadable(what: &str, part: &str, error: &str) -> Diagnostic {
    damaged(
        format!("expected a readable {what}, found its part `{part}` damaged: {error}"),
        "the file looks truncated or damaged: copy it again, or open it in Word, Excel or WPS and save it anew",
    )
}
