#!/usr/bin/env bash
# Measures qingdan side by side with its floors, in one run, and prints a
# Markdown table on stdout (progress goes to stderr):
#
#   - `qingdan build` over a generated corpus, --jobs 1 and --jobs 2,
#     interleaved, each into a fresh output directory; medians of REPS runs;
#   - the same two builds with the outputs on tmpfs (/dev/shm), to tell
#     the file system's share;
#   - `qingdan build --jobs 1` again into its up-to-date outputs (converts
#     and compares; an unchanged output is not rewritten);
#   - PyYAML's libyaml C emitter writing the same records as YAML (each
#     edition's .json output loaded untimed; only the dumps timed, summed);
#   - `cat` of the same input bytes to /dev/null (the input floor);
#   - writing build's output bytes again, temp file + rename each, into a
#     fresh directory (the output floor);
# Every timed run writes into a directory of its own (see build_runs).
#   - peak memory of builds of EDITIONS and BIG editions, --jobs 1 and 2.
#
# Usage: scripts/bench.sh            (run from anywhere; builds the release binary)
#   EDITIONS=100 BIG=1000 REPS=5 PY_REPS=3 scripts/bench.sh
#
# Installs what it lacks (PyYAML with libyaml from PyPI, GNU time from
# Debian). Writes nothing into the repository except cargo's target dir;
# everything else goes to a temporary directory that is removed at exit.
# Inputs are read from the page cache (warm), like the `cat` floor.
set -euo pipefail

EDITIONS=${EDITIONS:-100}
BIG=${BIG:-1000}
REPS=${REPS:-5}
PY_REPS=${PY_REPS:-3}

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

note() { echo "bench.sh: $*" >&2; }

# --- What the script needs ---------------------------------------------------
if ! python3 -c 'import yaml; yaml.CSafeDumper' 2>/dev/null; then
    note "installing PyYAML"
    python3 -m pip install --quiet pyyaml >&2
fi
python3 -c 'import yaml; yaml.CSafeDumper' 2>/dev/null || {
    note "PyYAML has no libyaml C emitter (yaml.CSafeDumper); cannot measure it"
    exit 2
}
if [ ! -x /usr/bin/time ]; then
    note "installing GNU time"
    apt-get update -qq >&2 && apt-get install -y -qq time >&2
fi

note "building the release binary and the corpus generator"
cargo build --release --quiet --bin qingdan --example make_corpus >&2
target=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
qingdan=$target/release/qingdan
make_corpus=$target/release/examples/make_corpus

tmp=$(mktemp -d)
shm=
trap 'rm -rf "$tmp" ${shm:+"$shm"}' EXIT

# --- Helpers -------------------------------------------------------------------
# Runs a command (output discarded); prints "wall_s cpu_s maxrss_kib".
timed() {
    local start end
    start=$(date +%s%N)
    if ! /usr/bin/time -f '%U %S %M' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/stderr"; then
        note "failed: $*"
        cat "$tmp/stderr" >&2
        exit 1
    fi
    end=$(date +%s%N)
    awk -v s="$start" -v e="$end" '{ printf "%.4f %.2f %d\n", (e - s) / 1e9, $1 + $2, $3 }' "$tmp/time"
}

# The median of the numbers on stdin, one a line.
median() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Prints a / b with 2 decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# Peak RSS in KiB from `/usr/bin/time -v`.
max_rss() {
    /usr/bin/time -v "$@" >/dev/null 2>"$tmp/verbose" || {
        note "failed: $*"
        cat "$tmp/verbose" >&2
        exit 1
    }
    awk -F': ' '/Maximum resident set size/ { print $2 }' "$tmp/verbose"
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

# --- Corpus ---------------------------------------------------------------------
note "writing $EDITIONS editions"
read -r _ _ total_bytes _ _ largest _ < <("$make_corpus" "$tmp/corpus" "$EDITIONS")
load_before=$(load)

# --- qingdan build, --jobs 1 and --jobs 2, interleaved ------------------------------
# Times REPS builds with --jobs 1 and --jobs 2, interleaved, each into a
# fresh directory under $1, all removed at exit: ext4 allocates inodes
# slowly for a while after many files were deleted, so deleting one run's
# outputs would slow the next run's writes. Results go to $tmp/$2-{1,2}.
build_runs() {
    local root=$1 name=$2 rep jobs
    : >"$tmp/$name-1"
    : >"$tmp/$name-2"
    for rep in $(seq "$REPS"); do
        for jobs in 1 2; do
            note "build --jobs $jobs into $root, run $rep/$REPS"
            timed "$qingdan" build --quiet --color never --jobs "$jobs" \
                --input "$tmp/corpus" --output "$root/out-$jobs-$rep" >>"$tmp/$name-$jobs"
        done
    done
}
build_runs "$tmp" build
# The same into memory (tmpfs), to tell the file system's share.
shm=$(mktemp -d /dev/shm/qingdan-bench.XXXXXX)
build_runs "$shm" shm
rm -rf "$shm"
wall1=$(cut -d' ' -f1 "$tmp/build-1" | median)
cpu1=$(cut -d' ' -f2 "$tmp/build-1" | median)
wall2=$(cut -d' ' -f1 "$tmp/build-2" | median)
cpu2=$(cut -d' ' -f2 "$tmp/build-2" | median)
shm_wall1=$(cut -d' ' -f1 "$tmp/shm-1" | median)
shm_cpu1=$(cut -d' ' -f2 "$tmp/shm-1" | median)
shm_wall2=$(cut -d' ' -f1 "$tmp/shm-2" | median)
shm_cpu2=$(cut -d' ' -f2 "$tmp/shm-2" | median)

# --- qingdan build again into its own up-to-date output: nothing is rewritten ---
: >"$tmp/rebuild"
for rep in $(seq "$REPS"); do
    note "build --jobs 1 into up-to-date outputs, run $rep/$REPS"
    timed "$qingdan" build --quiet --color never --jobs 1 \
        --input "$tmp/corpus" --output "$tmp/out-1-1" >>"$tmp/rebuild"
done
rewall=$(cut -d' ' -f1 "$tmp/rebuild" | median)
recpu=$(cut -d' ' -f2 "$tmp/rebuild" | median)

# --- cat: the I/O floor -----------------------------------------------------------------
: >"$tmp/cat"
for rep in $(seq "$REPS"); do
    timed sh -c 'find "$1" -name "*.txt" -exec cat {} + >/dev/null' sh "$tmp/corpus" >>"$tmp/cat"
done
cat_wall=$(cut -d' ' -f1 "$tmp/cat" | median)
cat_cpu=$(cut -d' ' -f2 "$tmp/cat" | median)

# --- Writing the outputs: the floor for what build must write -------------------------
# The bytes `build --jobs 1` wrote, written again the way build writes them
# (a temporary file beside each target, then a rename) into a fresh
# directory: what the kernel charges for the outputs alone.
note "writing the outputs' bytes again, $REPS times"
read -r write_wall write_cpu write_bytes < <(python3 - "$tmp/out-1-1" "$tmp/out-write" "$REPS" <<'EOF_PY'
import os, pathlib, shutil, statistics, sys, time

src, dst, reps = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3])
files = [(p.relative_to(src), p.read_bytes()) for p in sorted(src.rglob("*")) if p.is_file()]
walls, cpus = [], []
for rep in range(reps):
    w, c = time.perf_counter(), time.process_time()
    for rel, data in files:
        path = dst / str(rep) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(".qingdan-" + path.name)
        with open(temp, "wb") as f:
            f.write(data)
        os.rename(temp, path)
    walls.append(time.perf_counter() - w)
    cpus.append(time.process_time() - c)
shutil.rmtree(dst, ignore_errors=True)
print(f"{statistics.median(walls):.4f} {statistics.median(cpus):.4f} {sum(len(d) for _, d in files)}")
EOF_PY
)

# --- PyYAML's C emitter on the same records ---------------------------------------------
note "PyYAML CSafeDumper over the $EDITIONS editions' records, $PY_REPS times"
read -r py_wall py_cpu < <(python3 - "$tmp/out-1-1" "$PY_REPS" <<'EOF'
import gc, json, pathlib, statistics, sys, time
import yaml

out, reps = pathlib.Path(sys.argv[1]), int(sys.argv[2])
records = [json.loads(p.read_text(encoding="utf-8"))
           for p in sorted(out.rglob("*.json")) if p.name != "index.json"]
# Keep the loaded records out of the cyclic GC, or its scans of them are
# timed as part of every dump (1.4x the CPU time with 100 editions loaded).
gc.collect()
gc.freeze()
walls, cpus = [], []
for _ in range(reps):
    wall = cpu = 0.0
    for data in records:
        w, c = time.perf_counter(), time.process_time()
        yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
        wall += time.perf_counter() - w
        cpu += time.process_time() - c
    walls.append(wall)
    cpus.append(cpu)
print(f"{statistics.median(walls):.4f} {statistics.median(cpus):.4f}")
EOF
)
py_editions=$(find "$tmp/out-1-1" -name '*.json' ! -name index.json | wc -l)
[ "$py_editions" -eq "$EDITIONS" ] || { note "expected $EDITIONS .json outputs, found $py_editions"; exit 1; }

# --- Peak memory ----------------------------------------------------------------------------
note "writing $BIG editions for the memory runs"
read -r _ _ big_bytes _ _ big_largest _ < <("$make_corpus" "$tmp/big" "$BIG")
rss=()
for corpus in corpus big; do
    for jobs in 1 2; do
        note "peak memory: build of $corpus, --jobs $jobs"
        rm -rf "$tmp/out-mem"
        rss+=("$(max_rss "$qingdan" build --quiet --color never --jobs "$jobs" \
            --input "$tmp/$corpus" --output "$tmp/out-mem")")
    done
done
rm -rf "$tmp/out-mem"
load_after=$(load)

# --- Report ----------------------------------------------------------------------------------
mb=$(awk -v b="$total_bytes" 'BEGIN { printf "%.2f", b / 1e6 }')
per_edition_ms() { awk -v t="$1" -v n="$EDITIONS" 'BEGIN { printf "%.2f", t / n * 1000 }'; }
mbps() { awk -v b="$total_bytes" -v t="$1" 'BEGIN { printf "%.1f", b / 1e6 / t }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

cat <<EOF
## qingdan benchmark ($(date -u '+%Y-%m-%d %H:%M UTC'))

- machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(rustc --version)
- qingdan: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src Cargo.toml Cargo.lock || echo ' (with uncommitted changes)')
- load average (1, 5, 15 min) before: $load_before; after: $load_after
- corpus: $EDITIONS editions (UTF-8, GB18030+CRLF, UTF-16LE+BOM; repaginated), $mb MB, largest $largest bytes; page cache warm
- medians of $REPS runs ($PY_REPS for PyYAML); cpu = user + sys

| measure | wall | cpu | per edition (wall) | input MB/s (wall) |
|---|---:|---:|---:|---:|
| \`qingdan build --jobs 1\` | $wall1 s | $cpu1 s | $(per_edition_ms "$wall1") ms | $(mbps "$wall1") |
| \`qingdan build --jobs 2\` | $wall2 s | $cpu2 s | $(per_edition_ms "$wall2") ms | $(mbps "$wall2") |
| \`qingdan build --jobs 1\`, outputs in memory (tmpfs) | $shm_wall1 s | $shm_cpu1 s | $(per_edition_ms "$shm_wall1") ms | $(mbps "$shm_wall1") |
| \`qingdan build --jobs 2\`, outputs in memory (tmpfs) | $shm_wall2 s | $shm_cpu2 s | $(per_edition_ms "$shm_wall2") ms | $(mbps "$shm_wall2") |
| \`qingdan build --jobs 1\` again, outputs up to date (converted and compared, nothing written) | $rewall s | $recpu s | $(per_edition_ms "$rewall") ms | $(mbps "$rewall") |
| PyYAML \`CSafeDumper\`, dumps only (summed) | $py_wall s | $py_cpu s | $(per_edition_ms "$py_wall") ms | $(mbps "$py_wall") |
| \`cat\` of the inputs to /dev/null | $cat_wall s | $cat_cpu s | $(per_edition_ms "$cat_wall") ms | $(mbps "$cat_wall") |
| writing the outputs' $(awk -v b="$write_bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB again (temp file + rename each, fresh directory) | $write_wall s | $write_cpu s | $(per_edition_ms "$write_wall") ms | $(mbps "$write_wall") |

| ratio | value | goal |
|---|---:|---:|
| pipeline per edition, one core (jobs 1) ÷ PyYAML C emitter per edition | $(ratio "$wall1" "$py_wall") | ≤ 0.2 |
| input MB/s per core, end to end (jobs 1) | $(mbps "$wall1") | ≥ 100 |
| input MB/s of the I/O alone (\`cat\` + writing the outputs), the ceiling of the line above | $(awk -v b="$total_bytes" -v r="$cat_wall" -v w="$write_wall" 'BEGIN { printf "%.1f", b / 1e6 / (r + w) }') | |
| speedup, jobs 2 vs jobs 1 (wall) | $(ratio "$wall1" "$wall2") | ≥ 1.6 |
| the same with the outputs in memory (tmpfs) | $(ratio "$shm_wall1" "$shm_wall2") | |

| peak memory (max RSS) | --jobs 1 | --jobs 2 |
|---|---:|---:|
| $EDITIONS editions ($mb MB) | $(mib "${rss[0]}") MiB | $(mib "${rss[1]}") MiB |
| $BIG editions ($(awk -v b="$big_bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB) | $(mib "${rss[2]}") MiB | $(mib "${rss[3]}") MiB |
| growth, $BIG ÷ $EDITIONS editions | $(ratio "${rss[2]}" "${rss[0]}") | $(ratio "${rss[3]}" "${rss[1]}") |

Largest edition: $big_largest bytes ($(mib $((big_largest / 1024))) MiB); max RSS should stay within a few times that per worker (plus the binary's baseline) and not grow with the number of editions.
EOF
