#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests, on 127.0.0.1 and a free port, with its data
# in a temp dir; prints the URL of its `postgres` database. Stop it: scripts/postgres.sh stop DIR.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "postgres.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
if [ "${1:-}" = "stop" ]; then
  dir=$2
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "'$bin/pg_ctl' -D '$dir' -m immediate stop" >/dev/null 2>&1 || true
  else "$bin/pg_ctl" -D "$dir" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir" "$dir.initdb.log"
  exit 0
fi
dir=$(mktemp -d /tmp/helpatwork-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
run() { # PostgreSQL refuses to run as root: use its own account then
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
run "'$bin/initdb' -D '$dir' -A trust -U postgres >'$dir.initdb.log' 2>&1"
run "'$bin/pg_ctl' -D '$dir' -o \"-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off\" -l '$dir/server.log' -w start >/dev/null"
echo "postgres://postgres@127.0.0.1:$port/postgres $dir"
