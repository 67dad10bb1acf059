//! Standard output: every byte the command prints there goes through
//! [`write`], and [`finish`] turns a failed write into the exit status.
//!
//! A failed write is remembered, never panicked on, and the writes after it
//! are skipped. A reader that went away (a broken pipe: `qingdan schema |
//! head -1`) ends the run quietly with the status the command would have
//! had; any other failure (`> /dev/full`) is a message on standard error and
//! exit 2, never a silent success.

use std::io::{self, Write};
use std::sync::{Mutex, PoisonError};

use super::TROUBLE;

/// The first write to standard output that failed, if one did.
static FAILURE: Mutex<Option<io::Error>> = Mutex::new(None);

/// Writes `bytes` to standard output and flushes them; after a failure,
/// does nothing.
pub fn write(bytes: &[u8]) {
    write_with(|out| out.write_all(bytes));
}

/// Runs `print` on standard output (locked) and flushes it, unless a write
/// already failed; a failure is remembered for [`finish`].
pub fn write_with(print: impl FnOnce(&mut io::StdoutLock<'static>) -> io::Result<()>) {
    let mut failure = FAILURE.lock().unwrap_or_else(PoisonError::into_inner);
    if failure.is_some() {
        return;
    }
    let mut out = io::stdout().lock();
    if let Err(e) = print(&mut out).and_then(|()| out.flush()) {
        *failure = Some(e);
    }
}

/// The exit status of a command that would exit with `code`: `code` when
/// every write succeeded or the reader closed the pipe, 2 (with a message)
/// when a write failed otherwise.
pub fn finish(code: u8) -> u8 {
    let failure = FAILURE
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take();
    match failure {
        None => code,
        Some(e) if e.kind() == io::ErrorKind::BrokenPipe => code,
        Some(e) => {
            // Standard error may be as broken as standard output: no panic.
            let _ = writeln!(
                io::stderr().lock(),
                "qingdan: cannot write to standard output: {e}"
            );
            TROUBLE
        }
    }
}
