//! The `qingdan` command: a thin shell over the library.
//!
//! `main` parses the arguments, runs one command and turns its outcome into
//! an exit code: 0 success (warnings allowed), 1 when any input failed, 2 for
//! usage errors and trouble (unreadable directories, a failed write).

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}

/// mimalloc, not the system allocator: a conversion makes tens of thousands
/// of small strings and a few large buffers per edition, and glibc's malloc
/// and free took about an eighth of a build (perf: 14 %). Transparent huge pages are off
/// (crate feature `no_thp`): with them, peak memory tripled for no speed.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
