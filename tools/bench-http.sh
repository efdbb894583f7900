#!/usr/bin/env bash
# The review over HTTP with a big county loaded (issue 17, items 3 and 5).
#
#   tools/bench-http.sh [COUNTY_DIR]     (default /work/pgb/data-s1)
#
# COUNTY_DIR as ../shared/bench/postgis-baseline/gen_county.py --geojson writes it:
# farmland.geojson, red_line.geojson, rights.geojson, applications.geojson in a plane CRS
# with zone prefix (EPSG:4532 …). The script builds `minplan` (release), makes a fresh
# database under $BENCH_HTTP_DIR (default target/bench-http), imports farmland
# (永久基本农田) and red line (生态保护红线) with `minplan layer import`, the rights with
# `minplan right import`, adds a 审批科 account, starts `minplan serve` on loopback and
# measures the server's resident memory once it answers (VmRSS, engine built) and its peak
# during the load (VmHWM). Then wrk (Debian package `wrk`) posts the 1,000 applications
# in rotation to POST /api/reviews: trial reviews (`"save": false`, nothing written) and
# saved reviews (`"save": true`, 201 with a record), each for BENCH_HTTP_SECONDS (10) with
# BENCH_HTTP_CONNECTIONS (16) connections on one wrk thread, BENCH_HTTP_REPEATS (2) times.
# Every response must be a review (200/201 with a conclusion); anything else is counted.
# Last line: `http: trial_rps T saved_rps S rss_mib M peak_mib P` (the lowest rps over the
# repeats). Bounded: every step has a timeout; the server is stopped on exit and the
# database deleted (BENCH_HTTP_KEEP=1 keeps it).
set -euo pipefail

COUNTY=${1:-/work/pgb/data-s1}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_HTTP_DIR:-$ROOT/target/bench-http}
SECONDS_EACH=${BENCH_HTTP_SECONDS:-10}
CONNS=${BENCH_HTTP_CONNECTIONS:-16}
REPEATS=${BENCH_HTTP_REPEATS:-2}
PORT=${BENCH_HTTP_PORT:-18917}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=$TARGET/release/minplan

for f in farmland red_line rights applications; do
  [ -f "$COUNTY/$f.geojson" ] || { echo "缺少 $COUNTY/$f.geojson" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "需要 wrk（apt-get install -y wrk）" >&2; exit 2; }

echo "== build"
(cd "$ROOT" && timeout 3600 cargo build --release -p minplan -q)

DB=$WORK/minplan.db
rm -rf "$WORK"
mkdir -p "$WORK"
export MINPLAN_DB=$DB

SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  # The saved reviews make the database about a gigabyte here: keep it only when asked.
  [ "${BENCH_HTTP_KEEP:-0}" = 1 ] || rm -f "$DB" "$DB-wal" "$DB-shm"
}
trap cleanup EXIT

echo "== inputs"
python3 "$ROOT/tools/bench_http_prep.py" "$COUNTY" "$WORK"

echo "== import (minplan layer import / right import)"
t0=$(date +%s.%N)
timeout 1200 "$BIN" layer import 永久基本农田 "$COUNTY/farmland.geojson" --name 永久基本农田（压测） >"$WORK/import.log"
t1=$(date +%s.%N)
timeout 1200 "$BIN" layer import 生态保护红线 "$COUNTY/red_line.geojson" --name 生态保护红线（压测） >>"$WORK/import.log"
t2=$(date +%s.%N)
timeout 600 "$BIN" right import "$WORK/rights.geojson" >>"$WORK/import.log"
grep -E '已导入|问题' "$WORK/import.log" | head -6
t3=$(date +%s.%N)
printf 'import s: farmland %.1f red_line %.1f rights %.1f\n' \
  "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" "$(echo "$t3 - $t2" | bc)"
PASSWORD="Xq7-loopback-$$-pw"
echo "$PASSWORD" | "$BIN" user add bench --role approval --password-stdin >/dev/null

echo "== serve"
t4=$(date +%s.%N)
"$BIN" serve --listen "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
URL=http://127.0.0.1:$PORT
for _ in $(seq 1 1200); do
  curl -sf -o /dev/null "$URL/api/session" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; exit 1; }
  sleep 0.1
done
t5=$(date +%s.%N)
status_kib() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$SERVER_PID/status"; }
RSS_MIB=$(( $(status_kib VmRSS) / 1024 ))
PEAK_MIB=$(( $(status_kib VmHWM) / 1024 ))
printf 'server up in %.1f s; resident %d MiB, peak %d MiB\n' "$(echo "$t5 - $t4" | bc)" "$RSS_MIB" "$PEAK_MIB"

echo "== login"
JAR=$WORK/cookies.txt
csrf=$(curl -sf -c "$JAR" -b "$JAR" "$URL/api/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
csrf=$(curl -sf -c "$JAR" -b "$JAR" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -d "{\"username\":\"bench\",\"password\":\"$PASSWORD\"}" "$URL/api/session" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
COOKIE=$(sed 's/^#HttpOnly_//' "$JAR" | awk '!/^#/ && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep="; " }')
[ -n "$COOKIE" ] || { echo "登录失败" >&2; exit 1; }

echo "== each application once (trial), keeping those the server reviews"
timeout 600 python3 "$ROOT/tools/bench_http_prep.py" filter "$URL" "$COOKIE" "$csrf" "$WORK"

echo "== one trial review by hand"
code=$(curl -s -o "$WORK/one.json" -w '%{http_code}' -b "$JAR" -H "X-CSRF-Token: $csrf" \
  -H 'Content-Type: application/json' --data-binary @"$WORK/bodies/0002.json" "$URL/api/reviews")
python3 - "$WORK/one.json" "$code" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
if sys.argv[2] != "200" or "review" not in r:
    sys.exit(f"trial review refused: {sys.argv[2]} {str(r)[:400]}")
rv = r["review"]
print(f"  200 {r['conclusion']}; review_id {r['review_id']}; JSON {len(open(sys.argv[1]).read())} bytes")
EOF

run() { # mode repeat
  BENCH_MODE=$1 BENCH_BODIES=$WORK/bodies.lua BENCH_COOKIE=$COOKIE BENCH_CSRF=$csrf \
    BENCH_OUT=$WORK/$1-$2.txt timeout $((SECONDS_EACH + 60)) \
    wrk -t1 -c"$CONNS" -d"${SECONDS_EACH}s" --timeout 10s -s "$ROOT/tools/bench_http.lua" \
    "$URL/api/reviews" >"$WORK/wrk-$1-$2.log" 2>&1 || true
  cat "$WORK/$1-$2.txt" 2>/dev/null || { echo "wrk failed:"; cat "$WORK/wrk-$1-$2.log"; exit 1; }
  grep -q 'bad 0 socket_errors 0' "$WORK/$1-$2.txt" || { grep 'first bad' "$WORK/wrk-$1-$2.log" || true; }
}

# BENCH_HTTP_PERF=DIR: `perf record` the server during the first run of each mode
# (DIR/trial.data, DIR/saved.data; read with `perf report -i`).
profile() { # mode
  if [ -n "${BENCH_HTTP_PERF:-}" ]; then
    mkdir -p "$BENCH_HTTP_PERF"
    timeout $((SECONDS_EACH + 30)) perf record -q -F 999 -g -p "$SERVER_PID" \
      -o "$BENCH_HTTP_PERF/$1.data" -- sleep "$SECONDS_EACH" >/dev/null 2>&1 &
    PERF_PIDS="${PERF_PIDS:-} $!"
  fi
}
echo "== trial reviews (save = false), ${SECONDS_EACH}s × $REPEATS, $CONNS connections"
for r in $(seq 1 "$REPEATS"); do [ "$r" = 1 ] && profile trial; run trial "$r"; done
echo "== saved reviews (save = true), ${SECONDS_EACH}s × $REPEATS, $CONNS connections"
for r in $(seq 1 "$REPEATS"); do [ "$r" = 1 ] && profile saved; run saved "$r"; done
for p in ${PERF_PIDS:-}; do wait "$p" || true; done
RSS_AFTER=$(( $(status_kib VmRSS) / 1024 ))
PEAK_AFTER=$(( $(status_kib VmHWM) / 1024 ))
SAVED_ROWS=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from reviews').fetchone()[0])" "$DB")
DB_MIB=$(du -cm "$DB" "$DB-wal" 2>/dev/null | awk 'END { print $1 }')

min_rps() { awk '{ print $3 }' "$WORK"/"$1"-*.txt | sort -g | head -1; }
max_rps() { awk '{ print $3 }' "$WORK"/"$1"-*.txt | sort -g | tail -1; }
TRIAL=$(min_rps trial)
SAVED=$(min_rps saved)
BAD=$(cat "$WORK"/trial-*.txt "$WORK"/saved-*.txt | awk '{ b += $13 + $15 } END { print b + 0 }')
echo "== summary ($(nproc) cores, $(uname -m))"
echo "resident after load ${RSS_MIB} MiB, peak during load ${PEAK_MIB} MiB (targets ≤ 512, ≤ 1024)"
echo "after the runs: resident ${RSS_AFTER} MiB, peak ${PEAK_AFTER} MiB; reviews stored ${SAVED_ROWS}; database and WAL ${DB_MIB} MiB"
echo "trial rps $(min_rps trial)–$(max_rps trial) (target ≥ 2000); saved rps $(min_rps saved)–$(max_rps saved) (target ≥ 200); bad responses ${BAD}"
cat "$WORK"/trial-*.txt "$WORK"/saved-*.txt
echo "http: trial_rps $TRIAL saved_rps $SAVED rss_mib $RSS_MIB peak_mib $PEAK_MIB"
