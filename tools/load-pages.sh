#!/usr/bin/env bash
# Load on loopback (issue 19, items 6 and 9): many logged-in sessions reading the pages a
# bureau opens all day over a database of REVIEWS reviews, and anonymous visitors asking for
# the login page.
#
#   tools/load-pages.sh            (environment: LOAD_REVIEWS 24600, LOAD_SESSIONS 100,
#                                   LOAD_SECONDS 20, LOAD_CONNECTIONS 100, LOAD_PORT 18919)
#
# Builds `minplan` (release), makes a fresh database under target/load-pages, saves one review
# of examples/01 with the CLI and copies it into LOAD_REVIEWS reviews of LOAD_REVIEWS/2
# applications straight in SQL (every second one superseding the one before, as the
# hardening test does), starts `minplan serve`, logs LOAD_SESSIONS sessions in, and runs wrk
# (Debian `wrk`, installed when missing) for LOAD_SECONDS over /workbench, /reviews,
# /api/reviews, /rights, /indicators and /public with the sessions in rotation. Then
# LOAD_SECONDS of cookie-less GET /login at 8 connections, counting the session rows before
# and after. Every response must be 200; anything else is counted.
# Last line: `load: pages_rps R p99_ms P bad B anon_rps A session_rows_added S`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$ROOT/target/load-pages
REVIEWS=${LOAD_REVIEWS:-24600}
SESSIONS=${LOAD_SESSIONS:-100}
SECS=${LOAD_SECONDS:-20}
CONNS=${LOAD_CONNECTIONS:-100}
PORT=${LOAD_PORT:-18919}
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/minplan
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
command -v wrk >/dev/null || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk >/dev/null; }

echo "== build"
(cd "$ROOT" && timeout 3600 cargo build --release -p minplan -q)
rm -rf "$WORK"
mkdir -p "$WORK"
export MINPLAN_DB=$WORK/load.db
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

echo "== database: $REVIEWS reviews"
PASSWORD="Xq7-loadpages-$$-pw"
echo "$PASSWORD" | "$BIN" user add shenpi --role approval --password-stdin >/dev/null
sed -e 's/received = "2026-11-20"/received = "2021-11-20"/' "$ROOT/examples/01-qingfa-quarry.toml" >"$WORK/01.toml"
cp "$ROOT/examples/01-qingfa-quarry.txt" "$WORK/"
"$BIN" review "$WORK/01.toml" >/dev/null
python3 - "$MINPLAN_DB" "$REVIEWS" <<'PY'
import sqlite3, sys
db, n = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db)
first = c.execute("SELECT min(id) FROM reviews").fetchone()[0]
c.execute("""WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?)
  INSERT INTO applications (number, status, created_at) SELECT 'L-' || i, '撤回', '2026-01-01T00:00:00Z' FROM k""", (n // 2,))
c.execute("""WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?)
  INSERT INTO reviews (application_number, supersedes_id, plan_version_id, input_toml, layers_json,
                       register_json, lists_json, config_json, result_json, conclusion, geometry_json,
                       reviewed_at, actor)
  SELECT 'L-' || ((i + 1) / 2), CASE WHEN i % 2 = 0 THEN ?2 + i - 1 END, plan_version_id, input_toml, layers_json,
         register_json, lists_json, config_json, result_json, conclusion, geometry_json, reviewed_at, actor
  FROM k, (SELECT * FROM reviews WHERE id = ?2)""", (n - 1, first))
c.commit()
print("reviews:", c.execute("SELECT count(*) FROM reviews").fetchone()[0])
PY

echo "== serve"
"$BIN" serve --listen "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
URL=http://127.0.0.1:$PORT
for _ in $(seq 1 600); do
  curl -sf -o /dev/null "$URL/login" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; exit 1; }
  sleep 0.1
done

echo "== $SESSIONS sessions"
python3 - "$URL" "$PASSWORD" "$SESSIONS" "$WORK/sessions.lua" <<'PY'
import http.cookiejar, json, sys, urllib.request
url, pw, n, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
cookies = []
for _ in range(n):
    jar = http.cookiejar.CookieJar()
    op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    tok = json.load(op.open(url + "/api/session"))["csrf_token"]
    req = urllib.request.Request(url + "/api/session", data=json.dumps({"username": "shenpi", "password": pw}).encode(),
                                 headers={"Content-Type": "application/json", "X-CSRF-Token": tok})
    json.load(op.open(req))
    cookies.append("; ".join(f"{c.name}={c.value}" for c in jar if c.name == "minplan_session"))
with open(out, "w") as f:
    f.write("return {" + ",".join(json.dumps(c) for c in cookies) + "}\n")
print("sessions:", len(cookies))
PY
cat >"$WORK/pages.lua" <<'LUA'
local cookies = dofile(os.getenv("LOAD_SESSIONS_LUA"))
local paths = {"/workbench", "/reviews", "/api/reviews", "/rights", "/indicators", "/public", "/reviews?page=50"}
local threads = {}
function setup(t) t:set("id", #threads); table.insert(threads, t) end
function init(args) n = (id or 0) * 7; bad = 0; first_bad = "" end
function request()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1], {Cookie = cookies[(n % #cookies) + 1]})
end
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1; if first_bad == "" then first_bad = status .. " " .. string.sub(body, 1, 160) end end
end
function done(s, latency, r)
  local b, why = 0, ""
  for _, t in ipairs(threads) do b = b + t:get("bad"); if why == "" then why = t:get("first_bad") end end
  local e = s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout
  local line = string.format("rps %.1f p50_ms %.1f p99_ms %.1f requests %d bad %d socket_errors %d",
    s.requests / (s.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000, s.requests, b, e)
  print(line); if why ~= "" then print("first bad: " .. why) end
  local f = io.open(os.getenv("LOAD_OUT"), "w"); f:write(line .. "\n"); f:close()
end
LUA
echo "== pages: ${SECS}s, $CONNS connections, $SESSIONS sessions"
LOAD_SESSIONS_LUA=$WORK/sessions.lua LOAD_OUT=$WORK/pages.txt timeout $((SECS + 60)) \
  wrk -t2 -c"$CONNS" -d"${SECS}s" --timeout 30s -s "$WORK/pages.lua" "$URL" >"$WORK/wrk-pages.log" 2>&1 || true
cat "$WORK/wrk-pages.log"

rows() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from tower_sessions').fetchone()[0])" "$MINPLAN_DB"; }
BEFORE=$(rows)
echo "== anonymous GET /login: ${SECS}s, 8 connections"
cat >"$WORK/anon.lua" <<'LUA'
function init(args) bad = 0 end
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
function done(s, latency, r)
  local f = io.open(os.getenv("LOAD_OUT"), "w")
  f:write(string.format("rps %.1f p99_ms %.1f requests %d\n", s.requests / (s.duration / 1e6), latency:percentile(99) / 1000, s.requests))
  f:close()
end
LUA
LOAD_OUT=$WORK/anon.txt timeout $((SECS + 60)) wrk -t1 -c8 -d"${SECS}s" -s "$WORK/anon.lua" "$URL/login" >"$WORK/wrk-anon.log" 2>&1 || true
cat "$WORK/wrk-anon.log"
AFTER=$(rows)
read -r _ PRPS _ _ _ P99 _ _ _ BAD _ SOCK <"$WORK/pages.txt"
read -r _ ARPS _ _ _ _ <"$WORK/anon.txt"
echo "== summary ($(nproc) cores): pages $PRPS/s p99 $P99 ms, bad $BAD, socket errors $SOCK; anonymous /login $ARPS/s; session rows $BEFORE → $AFTER"
echo "load: pages_rps $PRPS p99_ms $P99 bad $((BAD + SOCK)) anon_rps $ARPS session_rows_added $((AFTER - BEFORE))"
