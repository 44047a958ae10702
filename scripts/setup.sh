#!/usr/bin/env bash
# Sets up everything Help@Work Desk needs on a Debian/Ubuntu machine: system packages (apt),
# npm packages (ui/, the Tauri CLI, the window tests) and the Rust tools (tauri-driver).
# Idempotent: what is already there is not installed again.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # Tauri 2 on Linux (webkit2gtk 4.1) and the build
  libwebkit2gtk-4.1-dev build-essential curl wget file pkg-config libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev
  # the real-window tests: virtual display, WebKit's WebDriver, screenshots
  xvfb webkit2gtk-driver imagemagick x11-apps
  # the OS keyring on headless Linux (kernel keyutils) and Secret Service
  keyutils gnome-keyring libsecret-tools dbus-x11
  # team mode: the store tests also run on a real PostgreSQL
  postgresql
  # the audit streaming tests: a real syslog receiver (rsyslogd over GnuTLS) on the loopback
  rsyslog rsyslog-gnutls
  # benchmarks
  hyperfine curl
  # the Windows type-check of the workspace (C parts of -sys crates)
  gcc-mingw-w64-x86-64
  # the browser tests (tests/browser): Debian's Chromium, driven by Playwright
  chromium
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null || { echo "setup: Rust is needed: install it with rustup (https://rustup.rs)" >&2; exit 1; }
command -v npm >/dev/null || { echo "setup: Node.js 20+ and npm are needed" >&2; exit 1; }

npm_ci() { # install exactly the lock file, only when it changed since the last install
  local dir=$1
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_ci ui
npm_ci .
npm_ci tests/e2e
npm_ci tests/browser

if ! command -v tauri-driver >/dev/null; then
  cargo install tauri-driver --locked --version 2.1.0
fi

# The cross-platform type-checks (scripts/test.sh): Windows and macOS standard libraries.
for target in x86_64-pc-windows-gnu aarch64-apple-darwin; do
  rustup target list --installed | grep -qx "$target" || rustup target add "$target"
done

# Fuzzing (scripts/fuzz.sh): cargo-fuzz on the nightly toolchain.
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  rustup toolchain install nightly --profile minimal || echo "setup: the nightly toolchain could not be installed: scripts/fuzz.sh will say so" >&2
fi
if rustup run nightly rustc --version >/dev/null 2>&1 && ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
