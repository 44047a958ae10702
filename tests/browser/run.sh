#!/usr/bin/env bash
# The browser tests: the built UI (ui/dist) in Debian's Chromium, headless, with the back end
# mocked in the page. UI states, accessibility (axe) in light and dark, and the performance
# figures with 100,000 devices (printed as `[perf]` lines). Builds the UI when its sources are
# newer than ui/dist, installs this folder's npm packages, exits non-zero on any failure.
# Arguments go to `playwright test` (e.g. a file or `-g "pattern"`). UI_DIST=DIR tests a UI
# built elsewhere (no build here).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM_PATH" ]; then
  echo "browser tests: no Chromium at $CHROMIUM_PATH (Debian: apt-get install chromium)" >&2
  exit 1
fi

cd "$root"
stale=""
if [ -n "${UI_DIST:-}" ]; then
  echo "browser tests: the UI built in $UI_DIST"
elif [ ! -f ui/dist/index.html ]; then
  stale="ui/dist is missing"
elif [ -n "$(find ui/src ui/index.html ui/vite.config.ts ui/package.json ui/package-lock.json -newer ui/dist/index.html -print -quit)" ]; then
  stale="ui sources changed since the last build"
fi
if [ -n "$stale" ]; then
  echo "browser tests: building the UI ($stale)"
  [ -d ui/node_modules ] || npm --prefix ui ci --no-audit --no-fund --loglevel=error
  npm --prefix ui run build
fi

cd "$here"
# Exactly the lock file; again only when it changed since the last install.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
# The mocked back end answers in the shapes of ui/src/bindings: a changed binding fails here.
npx tsc -p .
mkdir -p output
rm -f output/results.json
set +e
npx playwright test "$@" 2>&1 | tee output/run.log
status=${PIPESTATUS[0]}
set -e

echo
echo "== browser test figures =="
grep -h '^\[perf\]' output/run.log || echo "(no performance test ran)"
if [ -f output/results.json ]; then
  node -e '
    const r = JSON.parse(require("fs").readFileSync("output/results.json", "utf8"));
    const s = r.stats;
    const failed = s.unexpected + (s.flaky ?? 0);
    console.log(`browser: ${s.expected} passed, ${failed} failed` + (s.skipped ? `, ${s.skipped} skipped` : ""));
  '
fi
exit "$status"
