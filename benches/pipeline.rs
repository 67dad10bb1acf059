//! Benchmarks: each pipeline stage on the sample, each emitter, the whole
//! conversion, `qingdan build` over a generated corpus, and the inputs that
//! once took quadratic time (`hostile/`, `diff/`).
//!
//! ```sh
//! cargo bench                         # everything (a few minutes on 2 cores)
//! cargo bench -- stage/               # only the stages
//! cargo bench -- --quick              # a quick check that it all runs
//! cargo bench -- 'hostile/|diff/'     # the linear-time goals
//! cargo bench -- page/                # an edition's HTML page vs its Markdown
//! cargo bench -- original/            # the sample as text, .docx and .xlsx
//! ```
//!
//! Throughput is in input bytes (the sample: 139,975 bytes), so criterion
//! prints MiB/s of input for every stage.

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use qingdan::internals::{assemble, decode, normalize, parse, validate, Encoding};
use qingdan::{Diagnostic, Edition, Format, Item, Options, Source, SourceLines};

#[path = "../examples/corpus/mod.rs"]
mod corpus;

/// The sample as a Word document and as a workbook, as the tests write it.
#[path = "../tests/integration/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;

/// The allocator the `qingdan` binary uses, so that the stages are timed as
/// they run there.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Editions in the `build` corpus.
const BUILD_EDITIONS: usize = 100;

/// The provenance the sample's records carry.
fn source(bytes: &[u8]) -> Source {
    qingdan::convert("hami-yiwu-yanchi.txt", bytes, &Options::new())
        .edition
        .expect("the sample converts")
        .source
}

/// Each stage alone, its input prepared outside the timing.
fn stages(c: &mut Criterion) {
    let bytes = corpus::SAMPLE.as_bytes();
    let text = decode(bytes).expect("the sample decodes").text;
    let mut group = c.benchmark_group("stage");
    group.throughput(Throughput::Bytes(bytes.len() as u64));

    group.bench_function("decode/utf8", |b| b.iter(|| decode(black_box(bytes))));
    let gb18030 = Encoding::Gb18030.encode(&text.replace('\n', "\r\n"));
    group.bench_function("decode/gb18030_crlf", |b| {
        b.iter(|| decode(black_box(&gb18030)))
    });
    let mut utf16 = b"\xFF\xFE".to_vec();
    utf16.extend(Encoding::Utf16Le.encode(&text));
    group.bench_function("decode/utf16le_bom", |b| {
        b.iter(|| decode(black_box(&utf16)))
    });

    let vocabulary = qingdan::Vocabulary::builtin();
    group.bench_function("parse", |b| b.iter(|| parse(black_box(&text), &vocabulary)));
    group.bench_function("assemble", |b| {
        b.iter_batched(
            || parse(&text, &vocabulary),
            |(document, mut diagnostics)| assemble(document, &mut diagnostics),
            BatchSize::SmallInput,
        )
    });

    let (document, mut diagnostics) = parse(&text, &vocabulary);
    let assembled = assemble(document, &mut diagnostics);
    group.bench_function("normalize", |b| {
        b.iter_batched(
            || source(bytes),
            |source| {
                let mut diagnostics: Vec<Diagnostic> = Vec::new();
                let edition = normalize(black_box(&assembled), source, &mut diagnostics);
                (edition, diagnostics)
            },
            BatchSize::SmallInput,
        )
    });
    let edition = normalize(&assembled, source(bytes), &mut diagnostics);
    group.bench_function("validate", |b| {
        b.iter(|| {
            let mut diagnostics: Vec<Diagnostic> = Vec::new();
            validate(
                black_box(&edition),
                &assembled.front.contents,
                &vocabulary,
                &mut diagnostics,
            );
            diagnostics
        })
    });
    for format in Format::ALL {
        group.bench_function(format!("emit/{format}"), |b| {
            b.iter(|| format.render(black_box(&edition)))
        });
    }
    group.bench_function("sha256", |b| {
        b.iter(|| qingdan::internals::sha256_hex(black_box(bytes)))
    });
    // What `validate` and `diff` do with an output: parse it strictly, read
    // it into the record types and hold it to the contract's rules.
    let json = Format::Json.render(&edition).expect("JSON always renders");
    group.bench_function("read_back/json", |b| {
        b.iter(|| {
            qingdan::read::check(
                black_box(&json),
                qingdan::read::Syntax::Json,
                &Options::default(),
            )
        })
    });
    group.finish();
}

/// The goal of issue 14: rendering an edition's HTML page (with its
/// warnings) costs at most twice the Markdown renderer's time. Both are
/// timed side by side, on the sample's records.
fn page(c: &mut Criterion) {
    let conversion = qingdan::convert(
        "hami-yiwu-yanchi.txt",
        corpus::SAMPLE.as_bytes(),
        &Options::default(),
    );
    let edition = conversion.edition.as_ref().expect("the sample converts");
    let mut group = c.benchmark_group("page");
    group.throughput(Throughput::Bytes(corpus::SAMPLE.len() as u64));
    group.bench_function("markdown", |b| {
        b.iter(|| Format::Markdown.render(black_box(edition)))
    });
    group.bench_function("html", |b| {
        b.iter(|| qingdan::html::edition(black_box(edition), &conversion.diagnostics))
    });
    group.finish();
}

/// Converting the sample as text, as a Word document and as a workbook:
/// the originals' goal is at most 3x the text's time.
fn original(c: &mut Criterion) {
    let text = corpus::SAMPLE;
    let layout = fixtures::Layout::default();
    let files = [
        ("text", text.as_bytes().to_vec()),
        ("docx", fixtures::docx(text, layout)),
        ("xlsx", fixtures::xlsx(text, layout)),
    ];
    let options = Options::default();
    let mut group = c.benchmark_group("original");
    for (name, bytes) in &files {
        assert!(qingdan::convert(name, bytes, &options).edition.is_some());
        group.bench_function(*name, |b| {
            b.iter(|| qingdan::convert(name, black_box(bytes), &options))
        });
    }
    group.finish();
}

/// `convert`, and `convert` plus rendering all three formats, in memory.
fn whole(c: &mut Criterion) {
    let bytes = corpus::SAMPLE.as_bytes();
    let options = Options::default();
    let mut group = c.benchmark_group("whole");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("convert", |b| {
        b.iter(|| qingdan::convert("hami-yiwu-yanchi.txt", black_box(bytes), &options))
    });
    group.bench_function("convert_render_all", |b| {
        b.iter(|| {
            let conversion = qingdan::convert("hami-yiwu-yanchi.txt", black_box(bytes), &options);
            let edition = conversion.edition.expect("the sample converts");
            Format::ALL.map(|format| format.render(&edition))
        })
    });
    group.finish();
}

/// `qingdan build` (the release binary cargo built for this bench) over a
/// corpus of [`BUILD_EDITIONS`] editions, into a fresh output directory each
/// time.
fn build(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let input = dir.path().join("input");
    let written = corpus::write(&input, BUILD_EDITIONS).expect("the corpus is written");
    check_corpus(&input);
    let mut group = c.benchmark_group("build");
    group.throughput(Throughput::Bytes(written.total));
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(20));
    for jobs in [1, 2] {
        let output = dir.path().join(format!("output-{jobs}"));
        group.bench_function(format!("{BUILD_EDITIONS}_editions/jobs_{jobs}"), |b| {
            b.iter_batched(
                // Each build writes into an empty directory; emptying it is
                // not timed.
                || {
                    if output.exists() {
                        std::fs::remove_dir_all(&output).expect("the outputs are removed");
                    }
                },
                |()| assert!(qingdan_build(&input, &output, jobs), "qingdan build failed"),
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

/// Runs `qingdan build --quiet`; true when it succeeded.
fn qingdan_build(input: &Path, output: &Path, jobs: usize) -> bool {
    Command::new(env!("CARGO_BIN_EXE_qingdan"))
        .args(["build", "--quiet", "--color", "never", "--jobs"])
        .arg(jobs.to_string())
        .arg("--input")
        .arg(input)
        .arg("--output")
        .arg(output)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("qingdan runs")
        .success()
}

/// Every corpus edition converts without errors (else the bench would time
/// the error path).
fn check_corpus(input: &Path) {
    let probe = input.with_file_name("probe-output");
    assert!(
        qingdan_build(input, &probe, 2),
        "the corpus converts without errors"
    );
    std::fs::remove_dir_all(probe).expect("the probe output is removed");
}

/// Converts `bytes` and renders its diagnostics as the CLI does: what a user
/// waits for.
fn convert_and_report(bytes: &[u8], options: &Options) -> usize {
    let conversion = qingdan::convert("hostile.txt", bytes, options);
    let lines = conversion.text.as_deref().map(SourceLines::new);
    conversion
        .diagnostics
        .iter()
        .map(|d| match &lines {
            Some(lines) => lines.render_human("hostile.txt", d, false).len(),
            None => qingdan::render_human("hostile.txt", None, d, false).len(),
        })
        .sum()
}

/// The goals of issue 10: a 2 MB one-line file and a cell of 400,000 `<`
/// (no `>`) each convert in under 20 times the sample's time. All three are
/// timed side by side, diagnostics rendered included.
fn hostile(c: &mut Criterion) {
    let options = Options::default();
    let sample = corpus::SAMPLE.as_bytes().to_vec();
    let one_line = format!("{}\n", "x".repeat(2_000_000)).into_bytes();
    let name = "加强基层工会组织建设，维护职工合法权益";
    assert!(corpus::SAMPLE.contains(name));
    let angle_cell = corpus::SAMPLE
        .replacen(name, &"<".repeat(400_000), 1)
        .into_bytes();
    let tag_starts = corpus::SAMPLE
        .replacen(name, &"<a".repeat(200_000), 1)
        .into_bytes();
    let latin_words = corpus::SAMPLE
        .replacen(name, &"和 and ".repeat(20_000), 1)
        .into_bytes();
    let mut group = c.benchmark_group("hostile");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    for (label, bytes) in [
        ("sample", &sample),
        ("one_line_2mb", &one_line),
        ("cell_400k_lt", &angle_cell),
        ("cell_200k_lt_a", &tag_starts),
        ("cell_20k_latin_words", &latin_words),
    ] {
        group.bench_function(label, |b| {
            b.iter(|| convert_and_report(black_box(bytes), &options))
        });
    }
    group.finish();
}

/// Items in each edition of the `diff` bench.
const DIFF_ITEMS: usize = 20_000;

/// A small deterministic generator (xorshift64*), so the bench inputs are the
/// same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A CJK unified ideograph.
    fn han(&mut self) -> char {
        char::from_u32(0x4E00 + self.below(0x51A5) as u32).expect("a Han character")
    }
}

/// Two editions of [`DIFF_ITEMS`] items in one list, every name of the new
/// one reworded: names of a common verb, 6 to 24 random characters and often
/// `工作`; the new name has a fifth of its characters replaced and one added.
fn reworded_editions() -> (Edition, Edition) {
    let sample = qingdan::convert("sample.txt", corpus::SAMPLE.as_bytes(), &Options::default())
        .edition
        .expect("the sample converts");
    let template: Vec<Item> = sample.sections[0].items.clone();
    let verbs = ["负责", "做好", "加强", "开展", "落实", "协助"];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut old_items, mut new_items) = (Vec::new(), Vec::new());
    for seq in 1..=DIFF_ITEMS {
        let mut item = template[seq % template.len()].clone();
        item.seq = seq as u32;
        let mut name: Vec<char> = verbs[rng.below(verbs.len())].chars().collect();
        name.extend((0..6 + rng.below(19)).map(|_| rng.han()));
        if rng.below(2) == 0 {
            name.extend("工作".chars());
        }
        item.name = name.iter().collect();
        old_items.push(item.clone());
        for _ in 0..name.len() / 5 {
            let at = rng.below(name.len());
            name[at] = rng.han();
        }
        let at = rng.below(name.len());
        name.insert(at, rng.han());
        item.name = name.into_iter().collect();
        new_items.push(item);
    }
    let mut old = sample.clone();
    old.sections.truncate(1);
    old.sections[0].items = old_items;
    let mut new = old.clone();
    new.sections[0].items = new_items;
    (old, new)
}

/// The goal of issue 10: `diff` of two 20,000-item editions with every name
/// changed in under 5 s.
fn diff(c: &mut Criterion) {
    let (old, new) = reworded_editions();
    let summary = qingdan::diff::compare(&old, &new).summary();
    assert!(
        summary.changed * 10 >= DIFF_ITEMS * 9,
        "most reworded items pair: {summary:?}"
    );
    let mut group = c.benchmark_group("diff");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(10));
    group.bench_function(format!("{DIFF_ITEMS}_items_every_name_reworded"), |b| {
        b.iter(|| qingdan::diff::compare(black_box(&old), black_box(&new)))
    });
    group.finish();
}

criterion_group!(benches, stages, page, whole, original, build, hostile, diff);
criterion_main!(benches);
