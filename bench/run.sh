#!/usr/bin/env bash
# Every figure of the benchmark table, with release builds, in one run, each a ratio against a
# floor measured in the same run: session start overhead, preflight, in-process search (SQLite,
# PostgreSQL), cold CLI search, import (JSON, CSV) and its memory, sync, concurrent starts, window
# cold start, memory and whole footprint. Prints the table and writes it with the machine's facts
# to bench/RESULTS.md (bench/README.md says what each figure measures).
#
# Usage: bench/run.sh [--smoke] [--no-window] [--no-postgres] [--no-build] [--out FILE] [N]
#   N              devices (default 1,000,000; the window's cold start is measured at 100,000 too)
#   --smoke        small sizes (N 2,000), figures and targets printed but never judged: for CI;
#                  writes $CARGO_TARGET_DIR/bench/RESULTS-smoke.md unless --out is given
#   --no-window    skip the window figures (no UI build, no Xvfb)
#   --no-build     use the release binaries already in $CARGO_TARGET_DIR/release
#   --no-postgres  skip PostgreSQL. Otherwise HELPATWORK_BENCH_POSTGRES_URL (a throwaway server's
#                  URL; three databases are created in it) or, when PostgreSQL is installed, a
#                  throwaway server from scripts/postgres.sh
# Exit status: 1 when a full run misses a target; any run fails when a figure could not be measured.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/helpatwork-desk/target}"

invocation="bench/run.sh${*:+ $*}"
smoke=0 window=1 postgres=1 build=1 out="" n=""
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1 ;;
    --no-window) window=0 ;;
    --no-postgres) postgres=0 ;;
    --no-build) build=0 ;;
    --out) out=$2; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) n=${1//_/} ;;
  esac
  shift
done
if [ "$smoke" = 1 ]; then
  n=${n:-2000}; per_agent=10; preflight_samples=1000; starts=5; window_runs=2; hyperfine_runs=10
  out=${out:-$CARGO_TARGET_DIR/bench/RESULTS-smoke.md}
  export HELPATWORK_BENCH_SMOKE=1
else
  n=${n:-1000000}; per_agent=100; preflight_samples=5000; starts=20; window_runs=5; hyperfine_runs=30
  out=${out:-bench/RESULTS.md}
fi
sync_devices=${SYNC_DEVICES:-$n}
# The CPS inventory sync is reported, not judged: at most 100,000 devices.
cps_devices=$(( sync_devices < 100000 ? sync_devices : 100000 ))
# A JSON fleet file takes about 600 bytes a device and the import refuses files over 256 MiB
# (MAX_FLEET_FILE_BYTES): the JSON import is measured at 400,000 devices at most. The CSV file
# (about 180 bytes a device) carries the whole fleet, and is the fleet every other figure imports.
json_n=$(( n < 400000 ? n : 400000 ))
# The window's cold start at 100,000 devices and at N; its memory at the largest size, its whole
# footprint at the smallest.
window_sizes=$n
[ "$n" -gt 100000 ] && window_sizes="100000 $n"

# A long step shows that it runs and how long it took.
timed() { # label command...
  local label=$1 t0=$SECONDS
  shift
  echo "== $label" >&2
  "$@"
  echo "== $label: $((SECONDS - t0)) s" >&2
}

if [ "$build" = 1 ]; then
  # Not `cargo -q`: a release build takes minutes, and cargo's progress shows it is not stuck.
  timed "building (release): helpatwork, the bench programs" \
    cargo build --release -p helpatwork-cli -p helpatwork-bench
  if [ "$window" = 1 ]; then
    timed "building the UI" npm --prefix ui run build
    # On its own: built with the CLI, feature unification would rebuild the shared crates.
    timed "building (release): helpatwork-desk with the UI embedded" \
      cargo build --release -p helpatwork-desk --features helpatwork-desk/custom-protocol
  fi
fi

load_start=$(awk '{print $1 ", " $2 ", " $3}' /proc/loadavg 2>/dev/null || true)
work=$(mktemp -d)
pg_dir=""
cleanup() {
  [ -n "$pg_dir" ] && scripts/postgres.sh stop "$pg_dir"
  rm -rf "$work"
}
trap cleanup EXIT
# The run's own copy of the binaries: another build in a shared target directory cannot change
# them while it runs.
rel="$work/bin"
mkdir -p "$rel"
# Every program of bench/Cargo.toml's [[bin]] list, so a new one needs no line here.
for b in helpatwork $(sed -n 's/^name = "\(.*\)"$/\1/p' bench/Cargo.toml); do
  if [ -f "$CARGO_TARGET_DIR/release/$b" ]; then cp "$CARGO_TARGET_DIR/release/$b" "$rel/"; fi
done
[ "$window" = 1 ] && cp "$CARGO_TARGET_DIR/release/helpatwork-desk" "$rel/"
bin="$rel/helpatwork"
results="$work/results.jsonl"
: >"$results"
export HELPATWORK_BENCH_RESULTS="$results"
export HELPATWORK_DATA_DIR="$work/data"
unset HELPATWORK_DATABASE_URL

# One figure measured here (not by a bench program): appended to the results file.
record() { # figure workload target measured pass(true|false|null)
  python3 -c 'import json,sys; print(json.dumps({"figure":sys.argv[1],"workload":sys.argv[2],"target":sys.argv[3],"measured":sys.argv[4],"pass":json.loads(sys.argv[5])}))' \
    "$@" >>"$results"
  echo "$1: $4 (target $3)"
}
# A bench program: exit 1 is a missed target (already recorded); a crash leaves its figure missing.
step() {
  local label=$1 t0=$SECONDS
  echo "== $label" >&2
  shift
  "$@" || [ $? -eq 1 ] || echo "(failed: $*)" >&2
  echo "== $label: $((SECONDS - t0)) s" >&2
}

pg_url=""
if [ "$postgres" = 1 ]; then
  base=${HELPATWORK_BENCH_POSTGRES_URL:-}
  if [ -z "$base" ] && ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
    read -r base pg_dir < <(scripts/postgres.sh)
  fi
  if [ -n "$base" ]; then
    stamp=$(date +%s)
    for db in search starts cli; do
      psql "$base" -qAt -c "CREATE DATABASE helpatwork_bench_${db}_$stamp" >/dev/null
    done
    pg_url="${base%/*}/helpatwork_bench_search_$stamp"
    export HELPATWORK_BENCH_POSTGRES_URL="$pg_url"
    export HELPATWORK_BENCH_STARTS_POSTGRES_URL="${base%/*}/helpatwork_bench_starts_$stamp"
    pg_cli_url="${base%/*}/helpatwork_bench_cli_$stamp"
  fi
fi
[ -n "$pg_url" ] || unset HELPATWORK_BENCH_POSTGRES_URL HELPATWORK_BENCH_STARTS_POSTGRES_URL

fleet="$work/fleet.csv"
timed "fleet of $n devices (CSV)" "$rel/fleet-file" "$n" "$fleet"

step "session start overhead" "$rel/start-overhead" "$starts" 50
step "preflight" "$rel/preflight" "$n" "$preflight_samples"
step "readiness board" "$rel/readiness" "$n"
step "search" "$rel/search" "$fleet" "$n" 1000

# Import, JSON and CSV: `helpatwork devices import` into a new store against the same file parsed
# alone by the import's parser (`fleet-parse`), each a process of its own, alternating (best of
# two on a full run); the import's peak RSS (`wait4` of the child) is held to 300 MB. The CSV
# import is the store the cold CLI search reads.
import_figure() { # format devices file
  python3 - "$1" "$2" "$3" "$bin" "$rel/fleet-parse" "$work" "$results" "$smoke" <<'PY'
import json, os, shutil, subprocess, sys, time
fmt, n, fleet, binary, parse, work, results, smoke = sys.argv[1:9]
FLOOR_TARGET, RSS_TARGET = 3.0, 300

def run(cmd, data):
    env = dict(os.environ, HELPATWORK_DATA_DIR=data)
    start = time.monotonic()
    with open(os.path.join(work, "import.log"), "w+") as log:
        child = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=log)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.monotonic() - start
        if status != 0:
            log.seek(0)
            sys.exit(f"{' '.join(cmd)} failed: {log.read()}")
    return elapsed, usage.ru_maxrss / 1024  # KiB → MiB

imports, parses, peaks = [], [], []
for i in range(1 if smoke == "1" else 2):
    parses.append(run([parse, fleet], os.path.join(work, "parse-data"))[0])
    data = os.environ["HELPATWORK_DATA_DIR"] if fmt == "CSV" and i == 0 else os.path.join(work, f"import-{fmt}-{i}")
    took, peak = run([binary, "devices", "import", fleet], data)
    imports.append(took)
    peaks.append(peak)
    if data != os.environ["HELPATWORK_DATA_DIR"]:
        shutil.rmtree(data, ignore_errors=True)
imp, floor, peak = min(imports), min(parses), max(peaks)
ratio = imp / floor
size = os.path.getsize(fleet) / (1024 * 1024)
rec = {"figure": f"import ({fmt})",
       "workload": f"{int(n):,} devices, {fmt} fleet file of {size:.1f} MiB, `helpatwork devices import` into a new SQLite store (process start included); floor: the same file parsed alone by the import's parser (`fleet-parse`, a process too); best of {len(imports)} alternating runs",
       "target": f"≤ {FLOOR_TARGET:.0f}× floor; peak RSS ≤ {RSS_TARGET} MB",
       "measured": f"{ratio:.2f}× (import {imp:.2f} s, parse alone {floor:.2f} s); peak RSS {peak:.0f} MiB",
       "pass": ratio <= FLOOR_TARGET and peak <= RSS_TARGET}
open(results, "a").write(json.dumps(rec) + "\n")
print(f"{rec['figure']}: {rec['measured']} (target {rec['target']})")
PY
}
timed "fleet of $json_n devices (JSON)" "$rel/fleet-file" "$json_n" "$work/fleet.json"
timed "import (JSON)" import_figure JSON "$json_n" "$work/fleet.json"
rm -f "$work/fleet.json"
timed "import (CSV)" import_figure CSV "$n" "$fleet"

# Common text, rare text, a miss, and filters: each a cold process (hyperfine), against the same
# binary's process start (`--version`).
cold_search() { # label
  hyperfine -N --warmup 3 --runs "$hyperfine_runs" --export-json "$work/search-$1.json" \
    "$bin --version" \
    "$bin devices list --search ana --limit 50" \
    "$bin devices list --search dev-000042 --limit 50" \
    "$bin devices list --search zzzz-no-such-device --limit 50" \
    "$bin devices list --platform ios --readiness unsupported --limit 50" >/dev/null
  python3 - "$work/search-$1.json" "$1" "$n" "$results" <<'PY'
import json, sys
path, label, n, results = sys.argv[1:5]
TARGET = 3.0
version, *runs = json.load(open(path))["results"]
floor = version["mean"] * 1000
worst = max(r["mean"] for r in runs) * 1000
ratio = worst / floor
parts = [f"`{r['command'].split('list ', 1)[1].replace(' --limit 50', '')}` {r['mean']*1000:.1f} ms" for r in runs]
rec = {"figure": f"CLI cold `devices list --search` ({label})",
       "workload": f"{int(n):,} devices; a new `helpatwork` process per query (hyperfine, mean wall time): common text, rare text, a miss, platform + readiness; floor: the same binary's `--version`",
       "target": f"worst ≤ {TARGET:.0f}× floor",
       "measured": f"{ratio:.2f}× (worst mean {worst:.1f} ms, `--version` {floor:.1f} ms): " + ", ".join(parts),
       "pass": ratio <= TARGET}
open(results, "a").write(json.dumps(rec) + "\n")
print(f"{rec['figure']}: {rec['measured']} (target {rec['target']})")
PY
}
echo "== CLI cold search" >&2
cold_search SQLite
if [ -n "$pg_url" ]; then
  timed "import into PostgreSQL" env HELPATWORK_DATABASE_URL="$pg_cli_url" "$bin" devices import "$fleet" >/dev/null
  HELPATWORK_DATABASE_URL="$pg_cli_url" cold_search PostgreSQL
fi

step "sync" "$rel/sync-overhead" "$sync_devices"
step "sync with CPS app inventory" "$rel/sync-overhead" "$cps_devices" --cps
step "sync from Intune" "$rel/intune-sync" "$sync_devices"
step "incremental sync" "$rel/incremental-sync" "$sync_devices"
step "concurrent starts" env HELPATWORK_BIN="$bin" "$rel/concurrent-starts" 8 "$per_agent"
if [ "$window" = 1 ]; then
  largest=${window_sizes##* } smallest=${window_sizes%% *}
  for size in $window_sizes; do
    flags=()
    [ "$size" = "$largest" ] && flags+=(--memory)
    [ "$size" = "$smallest" ] && flags+=(--footprint)
    file=$fleet
    if [ "$size" != "$n" ]; then
      file="$work/fleet-$size.csv"
      "$rel/fleet-file" "$size" "$file"
    fi
    step "window, $size devices" env HELPATWORK_DESK_BIN="$rel/helpatwork-desk" \
      "$rel/window-start" "$file" "$size" "$window_runs" "${flags[@]}"
  done
fi

# The machine's facts and the table.
pg_version=""
[ -n "$pg_url" ] && pg_version=$(psql "$pg_url" -qAt -c 'SHOW server_version' 2>/dev/null || true)
mkdir -p "$(dirname "$out")"
python3 bench/report.py "$results" "$out" \
  --mode "$([ "$smoke" = 1 ] && echo smoke || echo full)" --devices "$n" \
  --command "$invocation" --postgres "$pg_version" --load-start "$load_start" \
  --window-sizes "$([ "$window" = 1 ] && echo "${window_sizes// /,}")"
