//! Benchmarks: each pipeline stage on the sample, each emitter, the whole
//! conversion, and `qingdan build` over a generated corpus.
//!
//! ```sh
//! cargo bench                         # everything (a few minutes on 2 cores)
//! cargo bench -- stage/               # only the stages
//! cargo bench -- --quick              # a quick check that it all runs
//! ```
//!
//! Throughput is in input bytes (the sample: 139,975 bytes), so criterion
//! prints MiB/s of input for every stage.

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use qingdan::{
    assemble, decode, normalize, parse, validate, Diagnostic, Encoding, Format, Options, Source,
};

#[path = "../examples/corpus/mod.rs"]
mod corpus;

/// The allocator the `qingdan` binary uses, so that the stages are timed as
/// they run there.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Editions in the `build` corpus.
const BUILD_EDITIONS: usize = 100;

fn source(bytes: &[u8]) -> Source {
    Source {
        path: "hami-yiwu-yanchi.txt".to_owned(),
        encoding: "UTF-8".to_owned(),
        bytes: bytes.len() as u64,
        sha256: qingdan::sha256_hex(bytes),
    }
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

    group.bench_function("parse", |b| b.iter(|| parse(black_box(&text))));
    group.bench_function("assemble", |b| {
        b.iter_batched(
            || parse(&text),
            |(document, mut diagnostics)| assemble(document, &mut diagnostics),
            BatchSize::SmallInput,
        )
    });

    let (document, mut diagnostics) = parse(&text);
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
                &mut diagnostics,
            );
            diagnostics
        })
    });
    group.bench_function("schema", |b| {
        b.iter(|| qingdan::check_edition(black_box(&edition)))
    });
    for format in Format::ALL {
        group.bench_function(format!("emit/{format}"), |b| {
            b.iter(|| format.render(black_box(&edition)))
        });
    }
    group.bench_function("sha256", |b| {
        b.iter(|| qingdan::sha256_hex(black_box(bytes)))
    });
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

criterion_group!(benches, stages, whole, build);
criterion_main!(benches);
