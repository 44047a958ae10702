#!/usr/bin/env bash
# Every figure of the benchmark table, with release builds, in one run: session start overhead,
# preflight, in-process search (SQLite, PostgreSQL), cold CLI search, import, import memory, sync,
# concurrent starts, window cold start and memory. Prints the table and writes it with the machine's facts
# to bench/RESULTS.md (bench/README.md says what each figure measures).
#
# Usage: bench/run.sh [--smoke] [--no-window] [--no-postgres] [--no-build] [--out FILE] [N]
#   N              devices (default 100,000)
#   --smoke        small sizes (N 2,000), figures reported but never judged: for CI; writes
#                  $CARGO_TARGET_DIR/bench/RESULTS-smoke.md unless --out is given
#   --no-window    skip the window figures (no UI build, no Xvfb)
#   --no-build     use the release binaries already in $CARGO_TARGET_DIR/release
#   --no-postgres  skip PostgreSQL. Otherwise HELPATWORK_BENCH_POSTGRES_URL (a throwaway server's
#                  URL; two databases are created in it) or, when PostgreSQL is installed, a
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
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) n=$1 ;;
  esac
  shift
done
if [ "$smoke" = 1 ]; then
  n=${n:-2000}; per_agent=10; preflight_samples=1000; starts=5; window_runs=2; hyperfine_runs=10
  sync_devices=${SYNC_DEVICES:-$n}
  out=${out:-$CARGO_TARGET_DIR/bench/RESULTS-smoke.md}
  export HELPATWORK_BENCH_SMOKE=1
else
  n=${n:-100000}; per_agent=100; preflight_samples=5000; starts=20; window_runs=5; hyperfine_runs=30
  sync_devices=${SYNC_DEVICES:-$n}
  out=${out:-bench/RESULTS.md}
fi

if [ "$build" = 1 ]; then
  echo "== building (release)" >&2
  cargo build -q --release -p helpatwork-cli -p helpatwork-bench
  if [ "$window" = 1 ]; then
    npm --prefix ui run build >/dev/null
    # On its own: built with the CLI, feature unification would rebuild the shared crates.
    cargo build -q --release -p helpatwork-desk --features helpatwork-desk/custom-protocol
  fi
fi
rel="$CARGO_TARGET_DIR/release"
bin="$rel/helpatwork"

work=$(mktemp -d)
pg_dir=""
cleanup() {
  [ -n "$pg_dir" ] && scripts/postgres.sh stop "$pg_dir"
  rm -rf "$work"
}
trap cleanup EXIT
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
  echo "== $1" >&2
  shift
  "$@" || [ $? -eq 1 ] || echo "(failed: $*)" >&2
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

echo "== fleet of $n devices" >&2
"$rel/fleet-file" "$n" "$work/fleet.json"

step "session start overhead" "$rel/start-overhead" "$starts" 50
step "preflight" "$rel/preflight" "$n" "$preflight_samples"
step "readiness board" "$rel/readiness" "$n"
step "search" "$rel/search" "$work/fleet.json" "$n" 1000

echo "== import" >&2
start=$(date +%s.%N)
"$bin" devices import "$work/fleet.json" >/dev/null
end=$(date +%s.%N)
import_s=$(python3 -c "print(f'{$end - $start:.2f}')")
record "import" "$n devices, JSON fleet file, \`helpatwork devices import\` into a new SQLite store (process start included)" \
  "≤ 5 s" "$import_s s" "$(python3 -c "print('true' if $import_s <= 5 else 'false')")"

# Import memory: the peak RSS of one `devices import` of a large CSV fleet into a new store
# (1,000,000 devices; the smoke run: 20,000). The import streams, so the peak stays flat in the
# file's size: a limit, measured in this run.
echo "== import memory" >&2
mem_n=$([ "$smoke" = 1 ] && echo 20000 || echo 1000000)
"$rel/fleet-file" "$mem_n" "$work/fleet-memory.csv"
python3 - "$bin" "$work/fleet-memory.csv" "$work/memory-data" "$mem_n" "$results" <<'PY'
import json, os, resource, subprocess, sys, time
binary, fleet, data, n, results = sys.argv[1:6]
env = dict(os.environ, HELPATWORK_DATA_DIR=data)
start = time.time()
run = subprocess.run([binary, "devices", "import", fleet], env=env, capture_output=True, text=True)
elapsed = time.time() - start
if run.returncode != 0:
    sys.exit(f"the import failed: {run.stderr}")
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB → MiB
size = os.path.getsize(fleet) / (1024 * 1024)
rec = {"figure": "import memory",
       "workload": f"{int(n):,} devices, CSV fleet file of {size:.0f} MiB, `helpatwork devices import` into a new SQLite store",
       "target": "≤ 300 MB peak RSS", "measured": f"{peak:.0f} MiB peak RSS ({elapsed:.1f} s)", "pass": peak <= 300}
open(results, "a").write(json.dumps(rec) + "\n")
print(f"{rec['figure']}: {rec['measured']}")
PY
rm -f "$work/fleet-memory.csv"

# Common text, rare text, a miss, and filters: each a cold process (hyperfine).
cold_search() { # label
  hyperfine -N --warmup 3 --runs "$hyperfine_runs" --export-json "$work/search-$1.json" \
    "$bin devices list --search ana --limit 50" \
    "$bin devices list --search dev-000042 --limit 50" \
    "$bin devices list --search zzzz-no-such-device --limit 50" \
    "$bin devices list --platform ios --readiness unsupported --limit 50" >/dev/null
  python3 - "$work/search-$1.json" "$1" "$n" "$results" <<'PY'
import json, sys
path, label, n, results = sys.argv[1:5]
runs = json.load(open(path))["results"]
worst = max(r["mean"] for r in runs) * 1000
parts = [f"`{r['command'].split('list ', 1)[1].replace(' --limit 50', '')}` {r['mean']*1000:.1f} ms" for r in runs]
rec = {"figure": f"CLI cold `devices list --search` ({label})",
       "workload": f"{n} devices; a new `helpatwork` process per query (hyperfine, mean wall time): common text, rare text, a miss, platform + readiness",
       "target": "≤ 20 ms wall", "measured": f"worst mean {worst:.1f} ms: " + ", ".join(parts), "pass": worst <= 20}
open(results, "a").write(json.dumps(rec) + "\n")
print(f"{rec['figure']}: {rec['measured']}")
PY
}
echo "== CLI cold search" >&2
cold_search SQLite
if [ -n "$pg_url" ]; then
  HELPATWORK_DATABASE_URL="$pg_cli_url" "$bin" devices import "$work/fleet.json" >/dev/null
  HELPATWORK_DATABASE_URL="$pg_cli_url" cold_search PostgreSQL
fi

step "sync" "$rel/sync-overhead" "$sync_devices"
step "sync with CPS app inventory" "$rel/sync-overhead" "$sync_devices" --cps
step "concurrent starts" env HELPATWORK_BIN="$bin" "$rel/concurrent-starts" 8 "$per_agent"
if [ "$window" = 1 ]; then
  step "window" env HELPATWORK_DESK_BIN="$rel/helpatwork-desk" "$rel/window-start" "$work/fleet.json" "$n" "$window_runs"
fi

# The machine's facts and the table.
pg_version=""
[ -n "$pg_url" ] && pg_version=$(psql "$pg_url" -qAt -c 'SHOW server_version' 2>/dev/null || true)
mkdir -p "$(dirname "$out")"
python3 bench/report.py "$results" "$out" \
  --mode "$([ "$smoke" = 1 ] && echo smoke || echo full)" --devices "$n" \
  --command "$invocation" --postgres "$pg_version" --window "$window"
