#!/usr/bin/env bash
# Sets up, builds and opens Help@Work Desk. Default: the labelled demo (generated fleet, local
# TeamViewer sandbox). `scripts/run.sh --real` opens your own data instead (docs/teamviewer.md).
set -euo pipefail
cd "$(dirname "$0")/.."
# The window draws on an X11 or Wayland display; without one GTK would stop with a backtrace.
if [ "$(uname -s)" = Linux ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "no display: set DISPLAY or run under xvfb-run (xvfb-run scripts/run.sh); the command line (helpatwork) works without one" >&2
  exit 1
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/helpatwork-desk/target}"
scripts/setup.sh
npm --prefix ui run build
cargo build -p helpatwork-desk -p helpatwork-cli --features helpatwork-desk/custom-protocol
args=(--demo)
[ "${1:-}" = "--real" ] && args=()
exec "$CARGO_TARGET_DIR/debug/helpatwork-desk" "${args[@]}"
