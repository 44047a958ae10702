#!/usr/bin/env bash
# The real window, headless: Xvfb, tauri-driver and the built app on the demo fleet.
# Screenshots land in docs/screenshots/ (SCREENSHOT_DIR to change).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/helpatwork-desk/target}"
# CARGO_PROFILE=NAME builds and runs a profile of that name inheriting dev (its own directory
# in a shared target dir); default: dev (target/debug).
profile="${CARGO_PROFILE:-dev}"
profile_args=() bin_dir=debug
if [ "$profile" != dev ]; then
  profile_args=(--config "profile.$profile.inherits=\"dev\"" --profile "$profile") bin_dir=$profile
fi
cargo build -q "${profile_args[@]}" -p helpatwork-desk -p helpatwork-cli --features helpatwork-desk/custom-protocol
export APP_BIN="$CARGO_TARGET_DIR/$bin_dir/helpatwork-desk" CLI_BIN="$CARGO_TARGET_DIR/$bin_dir/helpatwork"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
work=$(mktemp -d)
export HELPATWORK_DATA_DIR="$work/data" HOME="$work/home" XDG_DATA_HOME="$work/home/.local/share"
mkdir -p "$HOME"
# The hand-off goes to a recording opener instead of a browser: the journey checks what it got.
export HELPATWORK_OPENER="$work/opener.sh" OPENED_FILE="$work/opened.txt"
printf '#!/bin/sh\nprintf "%%s\\n" "$1" >> "%s"\n' "$OPENED_FILE" > "$HELPATWORK_OPENER"
chmod +x "$HELPATWORK_OPENER"
export TAURI_DRIVER_PORT; TAURI_DRIVER_PORT=$(free_port)
native_port=$(free_port)

xvfb_pid="" driver_pid=""
cleanup() { kill $driver_pid $xvfb_pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
# Xvfb picks its display (the first whose lock it can take: a killed server's stale lock and
# socket do not stand in its way) and writes the number to fd 3.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 1 100); do grep -qx '[0-9][0-9]*' "$work/display" 2>/dev/null && break; sleep 0.1; done
display=$(cat "$work/display")
if ! [[ "$display" =~ ^[0-9]+$ ]]; then
  echo "Xvfb did not start:" >&2; cat "$work/xvfb.log" >&2; exit 1
fi
export DISPLAY=":$display"
tauri-driver --port "$TAURI_DRIVER_PORT" --native-port "$native_port" >"$work/tauri-driver.log" 2>&1 &
driver_pid=$!
for _ in $(seq 1 100); do (echo >"/dev/tcp/127.0.0.1/$TAURI_DRIVER_PORT") 2>/dev/null && break; sleep 0.1; done

rc=0
timeout 420 node tests/e2e/window.mjs || rc=$?
if [ "$rc" -ne 0 ]; then
  echo "--- tauri-driver log ---" >&2; tail -n 40 "$work/tauri-driver.log" >&2
fi
exit "$rc"
