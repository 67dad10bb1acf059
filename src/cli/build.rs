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
use qingdan::html::SearchEntry;
use qingdan::index::{Index, IndexEntry, Status};
use qingdan::internals::plural;
use qingdan::{Format, Options};
use rayon::prelude::*;

use super::convert::outputs_of;
use super::input::{find_editions, read_bounded, Found};
use super::report::{Rendered, Reporter, Style};
use super::vocab;
use qingdan::outputs::{
    assign_stems, display_path, edition_stem, output_path, owned, Mode, OutputDir, INDEX_HTML,
    INDEX_JSON, INDEX_MD,
};

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
    /// The formats to write; with HTML, the collection page too.
    pub formats: &'a [Format],
    /// An edition with warnings fails and is not written.
    pub deny_warnings: bool,
}

/// Workers per core at most: more only cost memory and start-up time.
const JOBS_PER_CORE: usize = 4;

/// One edition's result, small enough to keep for every edition. Its
/// diagnostics are printed as soon as every edition before it has been.
struct Done {
    entry: IndexEntry,
    /// `--check`: outputs that differ from what would be written.
    stale: Vec<String>,
    /// What the collection page's search knows of it (with HTML).
    search: Option<SearchEntry>,
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
///
/// The order of work is what keeps people's files safe: the output folder
/// is locked, the last build's index (the manifest) read, every edition
/// given its output names (refusing any two that would share one), the
/// editions converted and written, and only then the index written, listing
/// exactly what is on disk and whose it is.
pub fn build(
    args: &BuildArgs<'_>,
    options: &Options,
    reporter: &mut Reporter,
) -> Result<bool, String> {
    let started = Instant::now();
    let options = &vocab::with_input_file(options.clone(), args.input, reporter)?;
    let mode = if args.check { Mode::Check } else { Mode::Write };
    let mut out = OutputDir::open(args.output, mode, &super::tell)?;
    let previous = out.manifest()?;
    let owned = owned(previous.as_ref());
    let mut found = find_editions(args.input)
        .map_err(|e| format!("cannot read {}: {e}", display_path(args.input)))?;
    pass_over_own_outputs(&mut found, args.input, &out, &owned);
    if !args.quiet {
        // The vocabulary file is read, not skipped.
        let vocabulary = Path::new(vocab::INPUT_VOCABULARY);
        for (path, why) in found.skipped.iter().filter(|(p, _)| p != vocabulary) {
            say!(
                "note: skipped {}: {why}",
                display_path(&args.input.join(path))
            );
        }
    }
    let editions = found.editions;
    out.protect(editions.iter().map(|e| args.input.join(e)));
    let stems = assign_stems(
        editions
            .iter()
            .map(|e| (display_path(&args.input.join(e)), edition_stem(e)))
            .collect(),
        &["index"],
        &display_path(args.output),
    );
    let mut problems: Vec<String> = Vec::new();
    let mut ok = sweep(args.check, &out, &stems, &owned, &mut problems, reporter);
    let total_bytes: u64 = editions
        .iter()
        .map(|e| std::fs::metadata(args.input.join(e)).map_or(0, |m| m.len()))
        .sum();
    let progress = progress_bar(args.quiet, editions.len(), total_bytes);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs(args.jobs))
        .build()
        .map_err(|e| format!("cannot start workers: {e}"))?;
    let style = reporter.style();
    let printer = Mutex::new(InOrder {
        reporter: &mut *reporter,
        next: 0,
        waiting: BTreeMap::new(),
    });
    let finished = AtomicUsize::new(0);
    let work = Work {
        args,
        options,
        style,
        out: &out,
        owned: &owned,
        previous: previous.as_ref(),
    };
    let done: Vec<Done> = pool.install(|| {
        editions
            .par_iter()
            .zip(&stems)
            .enumerate()
            .map(|(index, (relative, stem))| {
                let (done, rendered, bytes) = work.one(relative, stem.as_ref());
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

    let mut entries = Vec::with_capacity(done.len());
    let mut searches = Vec::new();
    for d in done {
        ok &= d.entry.status == Status::Ok;
        problems.extend(d.stale);
        entries.push(d.entry);
        searches.extend(d.search);
    }
    let orphaned = orphans(
        args,
        &out,
        previous.as_ref(),
        &entries,
        &mut problems,
        reporter,
    );
    let index = Index::new(entries, orphaned.kept);
    ok &= orphaned.ok;
    // Like every output, the index is checked against its schema first.
    let broken = index.check();
    let mut files = vec![
        (PathBuf::from(INDEX_JSON), index.to_json().into_bytes()),
        (PathBuf::from(INDEX_MD), index.to_markdown().into_bytes()),
    ];
    if args.formats.contains(&Format::Html) {
        let collection = qingdan::html::collection(&index, &searches);
        files.push((PathBuf::from(INDEX_HTML), collection.page.into_bytes()));
        files.push((
            PathBuf::from(qingdan::html::SEARCH_DATA),
            collection.search_data.into_bytes(),
        ));
    }
    if let Some(error) = broken.first() {
        let message = format!(
            "internal error: the index breaks its schema at `{}`: {}; not written",
            error.instance_path, error.message
        );
        reporter.file_error(&out.shown(Path::new(INDEX_JSON)), &message);
        ok = false;
    } else if args.check {
        problems.extend(files.iter().filter_map(|(p, b)| out.compare(p, b, &owned)));
    } else if let Err((path, why)) = out.write(&files, &owned) {
        reporter.file_error(&path, &why);
        ok = false;
    }
    for problem in &problems {
        say!("{problem}");
    }
    ok &= problems.is_empty();
    let t = &index.totals;
    say!(
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

/// Moves the editions found that are outputs the last build wrote (a
/// workbook of `--to xlsx`, when the output folder is the input folder or
/// inside it) to the skipped: they are qingdan's, not editions to convert
/// again. A workbook not listed as an output, an official's edited copy
/// say, is still an edition.
fn pass_over_own_outputs(
    found: &mut Found,
    input: &Path,
    out: &OutputDir,
    owned: &BTreeSet<PathBuf>,
) {
    if owned.is_empty() {
        return;
    }
    let is_output = |edition: &PathBuf| out.is_owned(&input.join(edition), owned);
    let (outputs, editions): (Vec<PathBuf>, Vec<PathBuf>) = std::mem::take(&mut found.editions)
        .into_iter()
        .partition(is_output);
    found.editions = editions;
    found.skipped.extend(outputs.into_iter().map(|path| {
        let why = "one of the outputs the last build wrote here, not an edition".to_owned();
        (path, why)
    }));
}

/// Removes the temporary files a killed run left in every folder outputs
/// go to (with `--check`, names them as problems); false when one could
/// not be removed.
fn sweep(
    check: bool,
    out: &OutputDir,
    stems: &[Result<PathBuf, String>],
    owned: &BTreeSet<PathBuf>,
    problems: &mut Vec<String>,
    reporter: &mut Reporter,
) -> bool {
    let parent = |p: &PathBuf| p.parent().map(Path::to_path_buf).unwrap_or_default();
    let folders: BTreeSet<PathBuf> = stems
        .iter()
        .flatten()
        .chain(owned)
        .map(parent)
        .chain([PathBuf::new()])
        .collect();
    let mut ok = true;
    for stray in out.strays(&folders) {
        let shown = out.shown(&stray);
        if check {
            problems.push(format!(
                "stray: {shown} (a temporary file left by an interrupted build; the next build removes it)"
            ));
        } else if let Err(e) = out.remove(&stray) {
            let message = format!("cannot delete this leftover temporary file: {e}");
            reporter.file_error(&shown, &message);
            ok = false;
        }
    }
    ok
}

/// The number of workers: as asked, but at most [`JOBS_PER_CORE`] per core
/// (with a note); one per core when not asked.
fn jobs(asked: Option<usize>) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cap = cores * JOBS_PER_CORE;
    match asked {
        Some(n) if n > cap => {
            say!("note: `--jobs {n}` is more than {JOBS_PER_CORE} per core; using {cap} ({cores} cores)");
            cap
        }
        Some(n) if n > 0 => n,
        _ => cores,
    }
}

/// What is shared by the workers.
struct Work<'a> {
    args: &'a BuildArgs<'a>,
    options: &'a Options,
    style: Style,
    out: &'a OutputDir,
    owned: &'a BTreeSet<PathBuf>,
    previous: Option<&'a Index>,
}

impl Work<'_> {
    /// Converts one edition and writes or compares its outputs; also returns
    /// its rendered diagnostics and the number of input bytes read (for the
    /// bar). A failed edition keeps the outputs it had.
    fn one(&self, relative: &Path, stem: Result<&PathBuf, &String>) -> (Done, Rendered, u64) {
        let file = self.args.input.join(relative);
        let shown = display_path(&file);
        let recorded = display_path(relative);
        let kept = || self.kept_outputs(&recorded);
        // Not converted: no digest, no records, the outputs it had.
        let unread = |reason: Option<String>, rendered: Rendered| {
            let mut entry =
                IndexEntry::new(recorded.clone(), String::new(), None, 0, rendered.errors);
            entry.reason = reason;
            entry.outputs = kept();
            let (stale, search) = (Vec::new(), None);
            (
                Done {
                    entry,
                    stale,
                    search,
                },
                rendered,
                0,
            )
        };
        let stem = match stem {
            Ok(stem) => stem,
            Err(why) => {
                return unread(Some(why.clone()), self.style.render_file_error(&shown, why))
            }
        };
        let bytes = match read_bounded(&file, self.options.max_bytes()) {
            Ok(bytes) => bytes,
            Err(failure) => {
                let rendered = match failure.into_report(self.options) {
                    Ok(conversion) => self.style.render(&shown, &conversion),
                    Err(message) => self.style.render_file_error(&shown, &message),
                };
                return unread(None, rendered);
            }
        };
        let conversion = qingdan::convert(&recorded, &bytes, self.options);
        let mut rendered = self.style.render(&shown, &conversion);
        let sha256 = match &conversion.edition {
            Some(edition) => edition.source.sha256.clone(),
            None => qingdan::internals::sha256_hex(&bytes),
        };
        let mut entry = IndexEntry::new(
            recorded.clone(),
            sha256,
            conversion.edition.as_ref(),
            rendered.warnings,
            rendered.errors,
        );
        // With --deny-warnings, warnings fail the edition like errors.
        let denied = self.args.deny_warnings && !conversion.diagnostics.is_empty();
        let mut stale = Vec::new();
        let mut search = None;
        match conversion.edition.as_ref().filter(|_| !denied) {
            None => {
                entry.status = Status::Failed;
                entry.outputs = kept();
            }
            Some(edition) => {
                let files = outputs_of(edition, &conversion.diagnostics, stem, self.args.formats)
                    .map_err(|(path, why)| (self.out.shown(&path), why));
                let written = files.and_then(|files| {
                    entry.outputs = files.iter().map(|(p, _)| display_path(p)).collect();
                    if self.args.check {
                        let compare =
                            |(p, b): &(PathBuf, Vec<u8>)| self.out.compare(p, b, self.owned);
                        stale.extend(files.iter().filter_map(compare));
                        Ok(())
                    } else {
                        self.out.write(&files, self.owned)
                    }
                });
                if let Err((path, why)) = written {
                    rendered.append(self.style.render_file_error(&path, &why));
                    entry.fail(format!("{path}: {why}"));
                    entry.outputs = kept();
                }
                if self.args.formats.contains(&Format::Html) && entry.status == Status::Ok {
                    let page = display_path(&output_path(stem, Format::Html));
                    search = Some(SearchEntry::new(edition, &page));
                }
            }
        }
        let done = Done {
            entry,
            stale,
            search,
        };
        (done, rendered, bytes.len() as u64)
    }

    /// The outputs the last build wrote for the edition at `input` that are
    /// still there: a failed edition keeps them, and the index keeps them its.
    fn kept_outputs(&self, input: &str) -> Vec<String> {
        let Some(index) = self.previous else {
            return Vec::new();
        };
        index
            .editions
            .iter()
            .filter(|e| e.input == input)
            .flat_map(|e| &e.outputs)
            .filter(|o| self.out.has_file(Path::new(o)))
            .cloned()
            .collect()
    }
}

/// What became of the outputs of editions that are gone.
struct Orphans {
    /// Those still on disk, for the new index.
    kept: Vec<String>,
    /// False when one could not be deleted.
    ok: bool,
}

/// The outputs the manifest lists whose edition is gone, and are not now
/// another edition's: named by `--check`, deleted by `--prune` (each
/// printed), otherwise noted and kept in the index for a later `--prune`.
fn orphans(
    args: &BuildArgs<'_>,
    out: &OutputDir,
    previous: Option<&Index>,
    entries: &[IndexEntry],
    problems: &mut Vec<String>,
    reporter: &mut Reporter,
) -> Orphans {
    let mut result = Orphans {
        kept: Vec::new(),
        ok: true,
    };
    let Some(index) = previous else {
        return result;
    };
    let inputs: BTreeSet<&str> = entries.iter().map(|e| e.input.as_str()).collect();
    let current: BTreeSet<&str> = entries
        .iter()
        .flat_map(|e| &e.outputs)
        .map(String::as_str)
        .collect();
    let gone: BTreeSet<&String> = index
        .editions
        .iter()
        .filter(|e| !inputs.contains(e.input.as_str()))
        .flat_map(|e| &e.outputs)
        .chain(&index.orphaned)
        .filter(|o| !current.contains(o.as_str()) && out.has_file(Path::new(o)))
        .collect();
    for orphan in gone {
        let shown = out.shown(Path::new(orphan));
        if args.check {
            problems.push(format!(
                "orphaned: {shown} (its edition is gone; run `qingdan build --prune`)"
            ));
            result.kept.push(orphan.clone());
        } else if args.prune {
            match out.remove(Path::new(orphan)) {
                Ok(()) => say!("pruned: {shown}"),
                Err(e) => {
                    reporter.file_error(&shown, &format!("cannot delete: {e}"));
                    result.kept.push(orphan.clone());
                    result.ok = false;
                }
            }
        } else {
            say!("note: {shown} is orphaned (its edition is gone); `--prune` deletes it");
            result.kept.push(orphan.clone());
        }
    }
    result
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
