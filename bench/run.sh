#!/usr/bin/env bash
# Measures with a release build: import of N devices (JSON), a cold `helpatwork devices list
# --search` against the N-device store (process start included), and the session start overhead
# against its floor (the same TeamViewer calls made bare plus one opener spawn).
# Usage: bench/run.sh [N]   (default 100000; CI smoke runs use a small N)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/helpatwork-desk/target}"
n=${1:-100000}
cargo build -q --release -p helpatwork-cli -p helpatwork-bench
bin="$CARGO_TARGET_DIR/release/helpatwork"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export HELPATWORK_DATA_DIR="$work/data"
python3 bench/fleet.py "$n" "$work/fleet.json"

start=$(date +%s.%N)
"$bin" devices import "$work/fleet.json" >/dev/null
end=$(date +%s.%N)
import_s=$(python3 -c "print(f'{$end - $start:.2f}')")
echo "import of $n devices: ${import_s} s (target ≤ 5 s)"

# Common text, rare text, a miss, and filters: each a cold process.
hyperfine -N --warmup 3 --runs 30 --export-json "$work/search.json" \
  "$bin devices list --search ana --limit 50" \
  "$bin devices list --search dev-099999 --limit 50" \
  "$bin devices list --search zzzz-no-such-device --limit 50" \
  "$bin devices list --platform ios --readiness unsupported --limit 50" >/dev/null
python3 - "$work/search.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"{r['command'].split('list ',1)[1]:<55} mean {r['mean']*1000:6.1f} ms  max {r['max']*1000:6.1f} ms (target ≤ 20 ms)")
PY

# Session start overhead against the TeamViewer sandbox (50 ms a call) vs the same calls bare.
"$CARGO_TARGET_DIR/release/start-overhead" 20 50

# devices sync from the fake Ivanti service vs the same pages fetched and parsed bare.
"$CARGO_TARGET_DIR/release/sync-overhead" "${SYNC_DEVICES:-20000}"
