#!/usr/bin/env bash
# Builds the release .deb (release identity) and checks it: the control file (name, version,
# dependencies) and the files a desktop install needs (binary, .desktop entry, icons).
# Usage: scripts/bundle-check.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/helpatwork-desk/target}"
if [ "${1:-}" != "--no-build" ]; then
  npm run --silent tauri -- build --config tauri.release.conf.json --bundles deb >/dev/null
fi
version=$(python3 -c 'import json; print(json.load(open("tauri.conf.json"))["version"])')
deb=$(ls -t "$CARGO_TARGET_DIR"/release/bundle/deb/*_"$version"_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || { echo "bundle-check: no .deb for version $version in $CARGO_TARGET_DIR/release/bundle/deb" >&2; exit 1; }
fail() { echo "bundle-check: $deb: $*" >&2; exit 1; }
control=$(dpkg-deb -f "$deb")
files=$(dpkg-deb -c "$deb")
grep -q "^Version: $version$" <<<"$control" || fail "version is not $version"
grep -q "^Depends:.*libwebkit2gtk-4.1-0" <<<"$control" || fail "does not depend on libwebkit2gtk-4.1-0"
grep -q "^Description: TeamViewer remote help" <<<"$control" || fail "no description"
grep -q "usr/bin/helpatwork-desk$" <<<"$files" || fail "no usr/bin/helpatwork-desk"
grep -q "usr/share/applications/.*\.desktop$" <<<"$files" || fail "no .desktop entry"
grep -q "usr/share/icons/hicolor/.*\.png$" <<<"$files" || fail "no icons"
desktop=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards '*usr/share/applications/*.desktop')
grep -q "^Name=Help@Work Desk$" <<<"$desktop" || fail "the .desktop entry is not the release identity (Name=Help@Work Desk)"
echo "bundle-check: $(basename "$deb") ($(du -h "$deb" | cut -f1)): control, binary, .desktop entry and icons present"
