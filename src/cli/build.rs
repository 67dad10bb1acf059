//! `build`: every edition under `input/` into `output/`, in parallel.
//!
//! Each worker reads, converts and writes (or, with `--check`, compares) one
//! edition at a time and keeps only a small summary, so memory follows the
//! largest edition per worker, not the size of the collection. Diagnostics
//! are printed in input order whatever the number of workers, and outputs
//! are byte-identical whatever `--jobs` is.

use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use qingdan::index::{plural, Index, IndexEntry, Status};
use qingdan::{Format, Options};
use rayon::prelude::*;

use super::convert::{display_path, write_outputs};
use super::report::{Rendered, Reporter, Style};
use super::write::write_atomic;

/// What `build` was asked to do.
pub struct BuildArgs<'a> {
    /// Directory of editions.
    pub input: &'a Path,
    /// Directory of outputs.
    pub output: &'a Path,
    /// Worker threads; `None` for one per core.
    pub jobs: Option<usize>,
    /// Compare instead of writing.
    pub check: bool,
    /// Delete outputs whose edition is gone.
    pub prune: bool,
    /// No progress bar (the summary line stays).
    pub quiet: bool,
    /// An edition with warnings fails and is not written.
    pub deny_warnings: bool,
}

/// Names of the index files at the top of the output directory.
const INDEX_JSON: &str = "index.json";
const INDEX_MD: &str = "index.md";

/// One edition's result, small enough to keep for every edition. Its
/// diagnostics are printed as soon as every edition before it has been.
struct Done {
    entry: IndexEntry,
    /// `--check`: outputs that differ from what would be written.
    stale: Vec<String>,
    failed: bool,
}

/// Prints editions' diagnostics in input order while workers finish in any
/// order: an edition's rendering waits here only until those before it are
/// printed, so what waits is bounded by the workers' lead, not the batch.
struct InOrder<'r> {
    reporter: &'r mut Reporter,
    next: usize,
    waiting: BTreeMap<usize, Rendered>,
}

impl InOrder<'_> {
    /// Takes edition `index`'s diagnostics and prints all that are due.
    fn put(&mut self, index: usize, rendered: Rendered, progress: &ProgressBar) {
        self.waiting.insert(index, rendered);
        while let Some(rendered) = self.waiting.remove(&self.next) {
            // The bar steps aside while diagnostics print under it.
            progress.suspend(|| self.reporter.print(rendered));
            self.next += 1;
        }
    }
}

/// Runs `build`; `Ok(false)` when any edition failed or, with `--check`,
/// anything is out of date.
pub fn build(
    args: &BuildArgs<'_>,
    options: &Options,
    reporter: &mut Reporter,
) -> Result<bool, String> {
    let started = Instant::now();
    let editions = find_editions(args.input)
        .map_err(|e| format!("cannot read {}: {e}", args.input.display()))?;
    let total_bytes: u64 = editions
        .iter()
        .map(|e| std::fs::metadata(args.input.join(e)).map_or(0, |m| m.len()))
        .sum();
    let progress = progress_bar(args.quiet, editions.len(), total_bytes);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .map_err(|e| format!("cannot start workers: {e}"))?;
    let style = reporter.style();
    let printer = Mutex::new(InOrder {
        reporter: &mut *reporter,
        next: 0,
        waiting: BTreeMap::new(),
    });
    let finished = AtomicUsize::new(0);
    let done: Vec<Done> = pool.install(|| {
        editions
            .par_iter()
            .enumerate()
            .map(|(index, relative)| {
                let (done, rendered, bytes) = build_one(args, relative, options, style);
                printer
                    .lock()
                    .expect("a worker panicked while printing")
                    .put(index, rendered, &progress);
                let n = finished.fetch_add(1, Ordering::Relaxed) + 1;
                progress.inc(bytes);
                progress.set_message(format!("{n}/{} editions", editions.len()));
                done
            })
            .collect()
    });
    drop(printer);
    progress.finish_and_clear();

    let mut ok = true;
    let mut entries = Vec::with_capacity(done.len());
    let mut problems: Vec<String> = Vec::new();
    for d in done {
        ok &= !d.failed;
        problems.extend(d.stale);
        entries.push(d.entry);
    }
    let index = Index::new(entries);
    // Like every output, the index is checked against its schema first.
    let broken = qingdan::check_value(&serde_json::to_value(&index).expect("the index serializes"));
    for (name, bytes) in [
        (INDEX_JSON, index.to_json()),
        (INDEX_MD, index.to_markdown()),
    ] {
        let path = args.output.join(name);
        if let Some(error) = broken.first() {
            let message = format!(
                "internal error: the index breaks its schema at `{}`: {}; not written",
                error.instance_path, error.message
            );
            reporter.file_error(&display_path(&path), &message);
            ok = false;
        } else if args.check {
            problems.extend(compare(&path, bytes.as_bytes()));
        } else if let Err(e) = write_atomic(&path, bytes.as_bytes()) {
            reporter.file_error(&display_path(&path), &format!("cannot write: {e}"));
            ok = false;
        }
    }
    let orphans = orphans(args.output, &editions);
    for orphan in &orphans {
        let shown = display_path(&args.output.join(orphan));
        if args.check {
            problems.push(format!(
                "orphaned: {shown} (its edition is gone; run `qingdan build --prune`)"
            ));
        } else if args.prune {
            if let Err(e) = std::fs::remove_file(args.output.join(orphan)) {
                reporter.file_error(&shown, &format!("cannot delete: {e}"));
                ok = false;
            }
        } else {
            eprintln!("note: {shown} is orphaned (its edition is gone); `--prune` deletes it");
        }
    }
    for problem in &problems {
        eprintln!("{problem}");
    }
    ok &= problems.is_empty();
    let t = &index.totals;
    eprintln!(
        "qingdan: {} {} ({} failed): {} items, {} warnings, {} errors{} in {:.2} s",
        if args.check { "checked" } else { "built" },
        plural(t.editions, "edition"),
        t.failed,
        t.items,
        reporter.warnings,
        reporter.errors,
        if args.check {
            if problems.is_empty() {
                "; output is up to date".to_owned()
            } else {
                format!("; {} out of date", plural(problems.len(), "output"))
            }
        } else {
            String::new()
        },
        started.elapsed().as_secs_f64()
    );
    Ok(ok)
}

/// Converts one edition and writes or compares its outputs; also returns its
/// rendered diagnostics and the number of input bytes read (for the bar).
fn build_one(
    args: &BuildArgs<'_>,
    relative: &Path,
    options: &Options,
    style: Style,
) -> (Done, Rendered, u64) {
    let file = args.input.join(relative);
    let shown = display_path(&file);
    let recorded = display_path(relative);
    let bytes = match std::fs::read(&file) {
        Ok(bytes) => bytes,
        Err(e) => {
            let done = Done {
                entry: IndexEntry::new(recorded, String::new(), None, 0, 1),
                stale: Vec::new(),
                failed: true,
            };
            return (
                done,
                style.render_file_error(&shown, &format!("cannot read: {e}")),
                0,
            );
        }
    };
    let conversion = qingdan::convert(&recorded, &bytes, options);
    let mut rendered = style.render(&shown, &conversion);
    let sha256 = match &conversion.edition {
        Some(edition) => edition.source.sha256.clone(),
        None => qingdan::sha256_hex(&bytes),
    };
    let mut entry = IndexEntry::new(
        recorded,
        sha256,
        conversion.edition.as_ref(),
        rendered.warnings,
        rendered.errors,
    );
    let mut stale = Vec::new();
    // With --deny-warnings, warnings fail the edition like errors.
    let denied = args.deny_warnings && !conversion.diagnostics.is_empty();
    if denied {
        entry.status = Status::Failed;
    }
    let mut failed = conversion.edition.is_none() || denied;
    if let Some(edition) = conversion.edition.as_ref().filter(|_| !denied) {
        let target = args.output.join(relative.with_extension(""));
        if args.check {
            for format in Format::ALL {
                let path = target.with_extension(format.extension());
                stale.extend(compare(&path, format.render(edition).as_bytes()));
            }
        } else if let Err((path, e)) = write_outputs(edition, &target, &Format::ALL) {
            rendered.append(style.render_file_error(&path, &format!("cannot write: {e}")));
            failed = true;
        }
    }
    let done = Done {
        entry,
        stale,
        failed,
    };
    (done, rendered, bytes.len() as u64)
}

/// `--check`: what is wrong with `path` compared to `expected`, if anything.
fn compare(path: &Path, expected: &[u8]) -> Option<String> {
    match std::fs::read(path) {
        Ok(actual) if actual == expected => None,
        Ok(_) => Some(format!(
            "stale: {} (differs from what the current input and code give)",
            display_path(path)
        )),
        Err(_) => Some(format!("missing: {}", display_path(path))),
    }
}

/// Every `*.txt` file under `dir`, relative to it, sorted.
pub fn find_editions(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(relative) = stack.pop() {
        for entry in std::fs::read_dir(dir.join(&relative))? {
            let entry = entry?;
            let path = relative.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "txt") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Outputs under `output` whose edition is not among `editions`.
fn orphans(output: &Path, editions: &[PathBuf]) -> Vec<PathBuf> {
    let stems: BTreeSet<PathBuf> = editions.iter().map(|e| e.with_extension("")).collect();
    let extensions: Vec<&str> = Format::ALL.iter().map(|f| f.extension()).collect();
    let mut found = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(relative) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(output.join(&relative)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = relative.join(entry.file_name());
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path);
                continue;
            }
            let is_output = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e));
            let is_index = relative.as_os_str().is_empty()
                && [INDEX_JSON, INDEX_MD].iter().any(|n| path == Path::new(n));
            if is_output && !is_index && !stems.contains(&path.with_extension("")) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// A progress bar on a terminal; hidden when stderr is not one, when `CI` is
/// set, or with `--quiet`, so logs get no control codes.
fn progress_bar(quiet: bool, editions: usize, bytes: u64) -> ProgressBar {
    let visible = !quiet && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    if !visible {
        return ProgressBar::with_draw_target(Some(bytes), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::new(bytes);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{bar:30}] {msg} {binary_bytes_per_sec} ETA {eta}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.set_message(format!("0/{editions} editions"));
    bar
}
