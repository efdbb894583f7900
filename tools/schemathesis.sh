#!/usr/bin/env bash
# The OpenAPI document against the server's behaviour (issue 19): schemathesis (PyPI, installed
# when missing) on a fresh database, logged in as a 系统管理员 with the session cookie and CSRF
# token, for a bounded time, with tools/schemathesis.toml (which statuses answer a
# schema-valid request: 400 never, 422 for rules the document cannot express).
#
#   tools/schemathesis.sh [SECONDS]      (default 300; port ST_PORT, default 18931)
#
# Builds `minplan` (dev profile), starts `minplan serve` on a temporary database with one admin
# account, and runs every operation of /api/openapi.json except those that would end the run's
# own session or change who may log in (/api/session, …/disable, …/enable, …/activate).
# Prints schemathesis's summary; its last line counts the failures. Exit status: schemathesis's.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECS=${1:-300}
PORT=${ST_PORT:-18931}
WORK=$ROOT/target/schemathesis
command -v schemathesis >/dev/null || python3 -m pip install -q schemathesis
(cd "$ROOT" && cargo build -q -p minplan)
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/debug/minplan
rm -rf "$WORK"
mkdir -p "$WORK"
export MINPLAN_DB=$WORK/st.db
PW="Xq7-schema-$$-pw"
echo "$PW" | "$BIN" user add root --role admin --password-stdin >/dev/null
"$BIN" serve --listen "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
URL=http://127.0.0.1:$PORT
for _ in $(seq 1 300); do curl -sf -o /dev/null "$URL/api/session" && break; sleep 0.1; done
# Our server, not another one left on the port.
kill -0 "$PID" 2>/dev/null || { echo "minplan serve 未能启动（端口 $PORT 被占用？可设 ST_PORT）：" >&2; cat "$WORK/serve.log" >&2; exit 2; }
python3 - "$URL" "$PW" "$WORK/auth" <<'PY'
import http.cookiejar, json, sys, urllib.request
url, pw, out = sys.argv[1:4]
jar = http.cookiejar.CookieJar()
op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
tok = json.load(op.open(url + "/api/session"))["csrf_token"]
req = urllib.request.Request(url + "/api/session", data=json.dumps({"username": "root", "password": pw}).encode(),
                             headers={"Content-Type": "application/json", "X-CSRF-Token": tok})
r = json.load(op.open(req))
open(out, "w").write("; ".join(f"{c.name}={c.value}" for c in jar) + "\n" + r["csrf_token"] + "\n")
PY
COOKIE=$(sed -n 1p "$WORK/auth")
TOKEN=$(sed -n 2p "$WORK/auth")
# Its caches (.schemathesis/, .hypothesis/) go under target/, not into the checkout.
cd "$WORK"
timeout $((SECS + 120)) schemathesis --config-file "$ROOT/tools/schemathesis.toml" run "$URL/api/openapi.json" -H "Cookie: $COOKIE" -H "X-CSRF-Token: $TOKEN" \
  --max-time "$SECS" --exclude-path-regex '^/api/session$|/disable$|/enable$|/activate$' -w 1 | tee "$WORK/report.txt"
