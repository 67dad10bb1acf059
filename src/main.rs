//! The `qingdan` command: a thin shell over the library.
//!
//! `main` parses the arguments, runs one command and turns its outcome into
//! an exit code: 0 success (warnings allowed), 1 when any input failed, 2 for
//! usage errors and trouble (unreadable directories, a failed write).

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
