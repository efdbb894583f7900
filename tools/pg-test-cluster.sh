#!/usr/bin/env bash
# A private PostgreSQL cluster for the tests that need one (Debian's `postgresql` package):
# initdb in a temporary folder, a Unix socket only (no TCP port), trust authentication for the
# local user, stopped and removed by `stop`.
#
#   tools/pg-test-cluster.sh start DIR   prints the URL to put in MINPLAN_TEST_PG
#   tools/pg-test-cluster.sh stop DIR
#
# Run as root (CI), the server runs as the `postgres` user, since PostgreSQL refuses root.
set -euo pipefail
cmd=${1:?start or stop}
dir=${2:?a folder for the cluster}

bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir; return
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$d/initdb" ]; then echo "$d"; return; fi
  done
  if command -v initdb >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v initdb)")"; return; fi
  echo "pg-test-cluster.sh: initdb not found (apt-get install postgresql)" >&2
  exit 1
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

BIN=$(bindir)
case "$cmd" in
  start)
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses='' -k $dir -c fsync=off" start >/dev/null
    echo "postgres:///postgres?host=$dir&user=postgres"
    ;;
  stop)
    if [ -f "$dir/data/PG_VERSION" ]; then
      as_owner "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "start or stop" >&2; exit 2 ;;
esac
