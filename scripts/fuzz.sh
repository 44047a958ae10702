#!/usr/bin/env bash
# Fuzzes the parsers that read untrusted input (fuzz/fuzz_targets): each target runs for a bounded
# time, starting from the committed seeds in fuzz/corpus/<target>. A finding fails the script and
# leaves the crashing input in fuzz/artifacts/<target>/.
#
#   scripts/fuzz.sh            every target for 15 s (the CI smoke run)
#   scripts/fuzz.sh 180        every target for 3 minutes
#   scripts/fuzz.sh 60 fleet_csv version_compat
#
# Needs the nightly toolchain (rustup toolchain install nightly); installs cargo-fuzz if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-15}"
shift || true
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/helpatwork-desk/fuzz-target}"
export CARGO_TERM_COLOR=never

rustup run nightly rustc --version >/dev/null 2>&1 || {
  echo "fuzz: the nightly toolchain is needed: rustup toolchain install nightly" >&2
  exit 1
}
cargo +nightly fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked

if (($#)); then
  targets=("$@")
else
  mapfile -t targets < <(cd fuzz && cargo +nightly fuzz list)
fi

# New inputs libFuzzer finds go to a scratch corpus outside the checkout; the seeds stay as committed.
work="$CARGO_TARGET_DIR/corpus"
cd fuzz
cargo +nightly fuzz build
for target in "${targets[@]}"; do
  mkdir -p "$work/$target"
  printf '\n== fuzz %s for %s s ==\n' "$target" "$seconds"
  cargo +nightly fuzz run "$target" "$work/$target" "corpus/$target" -- \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
done
