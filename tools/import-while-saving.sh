#!/usr/bin/env bash
# Long work off the write lock (issue 19): saved reviews while a large layer is imported.
#
#   tools/import-while-saving.sh     (environment: IWS_FEATURES 45000, IWS_PORT 18921)
#
# Builds `minplan` (release), starts `minplan serve` on a fresh database with one 系统管理员,
# saves 20 reviews of examples/01 one after another (the baseline), then imports through
# `POST /api/layers` a red-line layer of IWS_FEATURES small squares inside 绥芬河市 (about
# 8.6 MB of GeoJSON at 45,000, under the 10 MiB upload limit) and, while it runs, keeps saving
# reviews one after another. Before the import was staged off the lock, every save waited
# for the whole import; now a save waits for the import's last short commit at most.
# Last line: `import-while-saving: import_s I saves_during N p50_ms P max_ms M baseline_max_ms B`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$ROOT/target/import-while-saving
N=${IWS_FEATURES:-45000}
PORT=${IWS_PORT:-18921}
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/minplan
(cd "$ROOT" && timeout 3600 cargo build --release -p minplan -q)
rm -rf "$WORK"
mkdir -p "$WORK"
export MINPLAN_DB=$WORK/iws.db
PW="Xq7-iws-$$-pw"
echo "$PW" | "$BIN" user add root --role admin --password-stdin >/dev/null
"$BIN" serve --listen "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
URL=http://127.0.0.1:$PORT
for _ in $(seq 1 600); do curl -sf -o /dev/null "$URL/login" && break; sleep 0.1; done
kill -0 "$PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; exit 2; }
python3 - "$URL" "$PW" "$N" "$ROOT/examples" <<'PY'
import http.cookiejar, json, sys, threading, time, urllib.request, urllib.error
url, pw, n, ex = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
jar = http.cookiejar.CookieJar()
op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
def call(method, path, body=None, token=None):
    req = urllib.request.Request(url + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json", **({"X-CSRF-Token": token} if token else {})})
    try:
        r = op.open(req, timeout=600)
        return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
tok = call("GET", "/api/session")[1]["csrf_token"]
tok = call("POST", "/api/session", {"username": "root", "password": pw}, tok)[1]["csrf_token"]
toml = open(f"{ex}/01-qingfa-quarry.toml").read().replace('received = "2026-11-20"', 'received = "2021-11-20"')
corners = open(f"{ex}/01-qingfa-quarry.txt").read()
k = [0]
def save():
    k[0] += 1
    body = {"toml": toml.replace('number = "SFH-2026-001"', f'number = "IWS-{k[0]:05d}"'),
            "corner_file": {"name": "01-qingfa-quarry.txt", "content": corners}}
    t = time.perf_counter()
    s, v = call("POST", "/api/reviews", body, tok)
    if s != 201:
        sys.exit(f"save refused: {s} {v}")
    return (time.perf_counter() - t) * 1000
base = [save() for _ in range(20)]
feats = []
for i in range(n):
    x, y = 131.02 + (i % 300) * 0.0006, 44.32 + (i // 300) * 0.0006
    feats.append({"type": "Feature", "properties": {"id": f"HX-{i}"}, "geometry": {"type": "Polygon",
                  "coordinates": [[[x, y], [x + 0.0005, y], [x + 0.0005, y + 0.0004], [x, y + 0.0004], [x, y]]]}})
layer = {"kind": "ecological_red_line", "name": "压力测试红线", "geojson": {"type": "FeatureCollection", "features": feats}}
print(f"layer: {n} features, {len(json.dumps(layer)) / 1e6:.1f} MB")
done = {}
def imp():
    t = time.perf_counter()
    done["status"] = call("POST", "/api/layers", layer, tok)[0]
    done["s"] = time.perf_counter() - t
th = threading.Thread(target=imp)
th.start()
during = []
while th.is_alive():
    during.append(save())
th.join()
if done["status"] != 201:
    sys.exit(f"import refused: {done['status']}")
during.sort()
p50 = during[len(during) // 2] if during else float("nan")
print(f"baseline saves: p50 {sorted(base)[10]:.1f} ms, max {max(base):.1f} ms")
print(f"import: {done['s']:.2f} s; saves during it: {len(during)}, p50 {p50:.1f} ms, max {max(during, default=float('nan')):.1f} ms")
print(f"import-while-saving: import_s {done['s']:.2f} saves_during {len(during)} p50_ms {p50:.1f} max_ms {max(during, default=float('nan')):.1f} baseline_max_ms {max(base):.1f}")
PY
