#!/usr/bin/env bash
# The review engine against PostGIS on one county, in one run on one machine (issue 17, BENCHMARKS.md
# 审查引擎与 PostGIS 同次对比): the team's PostGIS harness (../shared/bench/postgis-baseline, run in
# place, its settings untouched) loads the county and times its review statements, then
# `minplan-bench --layers` reads the same GeoJSON, times the full review and compares every
# overlap count and area with the harness's CSV. Prints both columns, the ratios R = PostGIS time ÷
# minplan time, the targets, the area agreement, and last a line for machines:
#   vs-postgis: p50 R1 p99 R2 recheck R3 load R4 rss_mib M areas OK|FAIL
# Exit status 0 only when every target is met (so it serves as a check); everything is printed anyway.
#
# Usage: tools/bench-vs-postgis.sh [--repeat N] [COUNTY_DIR | --own]
#   COUNTY_DIR  layers as `gen_county.py --geojson` writes them (farmland, red_line, rights,
#               applications .geojson, EPSG:4532 with the zone prefix, properties.fid); county.gpkg +
#               manifest.json are made by tools/county_gpkg.py when missing (remade when it made
#               them and the GeoJSON is newer)
#   --own       minplan's own synthetic county (minplan-bench --write-layers DIR --write-only),
#               written once to $PGB_WORK/own
#   (neither)   the harness's independent county: gen_county.py --scale 1 --geojson into
#               $PGB_WORK/data-s1 unless present
#   --repeat N  timed passes on both sides (default 3); PostGIS reports its median pass, minplan
#               the median and min–max of its passes
# Env: PGB_WORK (cluster, data, results; default ${TMPDIR:-/tmp}/minplan-postgis-baseline),
#      PGB_HARNESS (default ../shared/bench/postgis-baseline from the repository root),
#      MINPLAN_VENV / PGB_PYTHON (the harness's venv), CARGO_TARGET_DIR, PGB_STOP=1 to stop
#      PostgreSQL afterwards. Needs root the first time (setup.sh installs PostGIS with apt).
# Results: $PGB_WORK/runs/NAME-YYYYmmddTHHMMSSZ/ (postgis/ = the harness's output, minplan.json,
# minplan-overlaps*.csv, summary.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
usage() { sed -n '11,27p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

REPEAT=3
OWN=
DATA=
while [ $# -gt 0 ]; do
  case $1 in
    --repeat) REPEAT=${2:?--repeat N}; shift 2 ;;
    --repeat=*) REPEAT=${1#--repeat=}; shift ;;
    --own) OWN=1; shift ;;
    -h|--help) usage ;;
    -*) echo "bench-vs-postgis: unknown option $1" >&2; usage ;;
    *) [ -z "$DATA" ] || usage; DATA=$1; shift ;;
  esac
done
[ -n "$OWN" ] && [ -n "$DATA" ] && { echo "bench-vs-postgis: COUNTY_DIR or --own, not both" >&2; exit 2; }
case $REPEAT in ''|*[!0-9]*|0) echo "bench-vs-postgis: --repeat wants a positive integer" >&2; exit 2 ;; esac

W=${PGB_WORK:-${TMPDIR:-/tmp}/minplan-postgis-baseline}
mkdir -p "$W"
W=$(cd "$W" && pwd)
export PGB_WORK=$W
H=${PGB_HARNESS:-$root/../shared/bench/postgis-baseline}
if [ ! -f "$H/bench_postgis.py" ] && [ -z "${PGB_HARNESS:-}" ]; then
  # a git worktree outside the main checkout: the harness sits beside the main checkout
  H=$(dirname "$(git rev-parse --path-format=absolute --git-common-dir)")/../shared/bench/postgis-baseline
fi
[ -f "$H/bench_postgis.py" ] || { echo "bench-vs-postgis: no PostGIS harness at $H (set PGB_HARNESS)" >&2; exit 2; }
H=$(cd "$H" && pwd)
export PGB_HARNESS=$H
PY=${PGB_PYTHON:-${MINPLAN_VENV:-$HOME/.minplan-bench-venv}/bin/python}
export MINPLAN_VENV=${MINPLAN_VENV:-$(dirname "$(dirname "$PY")")}

# PostGIS + venv: the harness's setup.sh, only when something is missing.
# shellcheck disable=SC2012  # Debian version directories are plain numbers (as in setup.sh)
pgv=$(ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | awk -F/ '{print $5}' | sort -n | tail -1 || true)
if [ -z "$pgv" ] || [ ! -f "/usr/lib/postgresql/$pgv/lib/postgis-3.so" ] \
   || ! "$PY" -c 'import numpy, shapely, psycopg' 2>/dev/null; then
  echo "== installing PostGIS and the venv ($H/setup.sh)"
  "$H/setup.sh"
fi
"$H/run_postgres.sh" start

# The county.
if [ -n "$OWN" ]; then
  DATA=$W/own
elif [ -z "$DATA" ]; then
  DATA=$W/data-s1
  if [ ! -f "$DATA/manifest.json" ] || [ ! -f "$DATA/farmland.geojson" ]; then
    echo "== generating the independent county (gen_county.py --scale 1 --geojson) into $DATA"
    "$PY" "$H/gen_county.py" --scale 1 --geojson --out "$DATA"
  fi
fi
mkdir -p "$DATA"
DATA=$(cd "$DATA" && pwd)

echo "== building minplan-bench (release)"
cargo build --release -q -p minplan-bench
TD=${CARGO_TARGET_DIR:-target}
case $TD in /*) ;; *) TD=$root/$TD ;; esac
BIN=$TD/release/minplan-bench

if [ -n "$OWN" ] && [ ! -f "$DATA/farmland.geojson" ]; then
  echo "== writing minplan's own county into $DATA"
  "$BIN" --write-layers "$DATA" --write-only
fi
[ -f "$DATA/farmland.geojson" ] || { echo "bench-vs-postgis: $DATA has no farmland.geojson" >&2; exit 2; }
stale=  # a GeoPackage this script made earlier, from older GeoJSON (gen_county.py's own is kept)
if [ -f "$DATA/county.gpkg" ] && grep -q '"generator": "tools/county_gpkg.py' "$DATA/manifest.json" 2>/dev/null; then
  for f in "$DATA"/*.geojson; do
    if [ "$f" -nt "$DATA/county.gpkg" ]; then stale=1; fi
  done
fi
if [ ! -f "$DATA/county.gpkg" ] || [ ! -f "$DATA/manifest.json" ] || [ -n "$stale" ]; then
  echo "== writing $DATA/county.gpkg + manifest.json (tools/county_gpkg.py)"
  "$PY" tools/county_gpkg.py --force "$DATA"
fi

RUN=$W/runs/$(basename "$DATA")-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RUN"
START=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== $START, load average $LOAD0, county $DATA, repeat $REPEAT, results $RUN"

echo "== PostGIS ($H/bench_postgis.py)"
"$PY" "$H/bench_postgis.py" --data "$DATA" --out "$RUN/postgis" --repeat "$REPEAT"

echo "== minplan ($BIN --layers)"
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
mp=0
"$BIN" --layers "$DATA" --reference "$RUN/postgis" --repeat "$REPEAT" \
  --json "$RUN/minplan.json" --csv "$RUN/minplan-overlaps.csv" || mp=$?
LOAD2=$(cut -d' ' -f1-3 /proc/loadavg)
if [ ! -f "$RUN/minplan.json" ]; then
  echo "bench-vs-postgis: minplan-bench failed (exit $mp) without writing $RUN/minplan.json" >&2
  exit 2
fi
if [ -n "${PGB_STOP:-}" ]; then "$H/run_postgres.sh" stop; fi

rc=0
"$PY" - "$RUN/postgis/results.json" "$RUN/minplan.json" "$DATA" "$START" \
  "$LOAD0 / $LOAD1 / $LOAD2" "$RUN/summary.md" <<'PY' || rc=$?
import json, statistics, sys
pg_path, mp_path, data, start, loads, out = sys.argv[1:7]
pg, mp = json.load(open(pg_path)), json.load(open(mp_path))
wl = pg["workloads"]
best = [v for v in ("subdivided", "tuned") if v in wl["applications"]] or list(pg["variants"])
# "PostGIS" = its fastest variant (harness README): one review by the applications' p50 (and that
# variant's p99), the re-check by the rights' 2-connection wall time.
v_rev = min(best, key=lambda v: wl["applications"][v]["sequential"]["p50_ms"])
par = f"parallel{pg['parallel']}"
v_re = min(best, key=lambda v: wl["rights_recheck"][v][par]["total_s"])
pg_p50 = wl["applications"][v_rev]["sequential"]["p50_ms"]
pg_p99 = wl["applications"][v_rev]["sequential"]["p99_ms"]
pg_re = wl["rights_recheck"][v_re][par]["total_s"]
pg_load = pg["load"]["total_s"]

med = statistics.median
def rng(xs, f):  # median (min–max)
    return f"{f(med(xs))} ({f(min(xs))}–{f(max(xs))})"
def ratio(p, xs):  # R = PostGIS ÷ minplan: median (min–max over minplan's repeats)
    return p / med(xs), p / max(xs), p / min(xs)
ms = lambda x: f"{x:.3f}"
s = lambda x: f"{x:.2f}"
mib = lambda x: "—" if x is None else f"{x:.0f} MiB"

r50 = ratio(pg_p50, mp["review_p50_ms"])
r99 = ratio(pg_p99, mp["review_p99_ms"])
rre = ratio(pg_re, mp["recheck_s"])
rld = ratio(pg_load, [mp["load_s"]])
rss, peak = mp.get("rss_after_load_mib"), mp.get("peak_load_mib")
ag = mp.get("agreement") or {}
areas_ok = bool(ag.get("ok"))
Rfmt = lambda r: f"{r[0]:.1f}× ({r[1]:.1f}–{r[2]:.1f})"
ok = lambda b: "yes" if b else "**no**"
rows = [
    ("one review, p50", rng(mp["review_p50_ms"], ms) + " ms", f"{pg_p50:.3f} ms ({v_rev})", Rfmt(r50), "R ≥ 10", r50[0] >= 10),
    ("one review, p99", rng(mp["review_p99_ms"], ms) + " ms", f"{pg_p99:.3f} ms ({v_rev})", Rfmt(r99), "R ≥ 10", r99[0] >= 10),
    (f"all {mp['counts'].get('rights', '?')} rights re-reviewed, 2 threads / {pg['parallel']} connections",
     rng(mp["recheck_s"], s) + " s", f"{pg_re:.2f} s ({v_re})", Rfmt(rre), "R ≥ 10", rre[0] >= 10),
    ("load + index from the files", f"{mp['load_s']:.2f} s (read {mp['read_s']:.2f} + index {mp['index_s']:.2f})",
     f"{pg_load:.2f} s (ST_Subdivide {pg['load']['subdivide_s']:.2f})", f"{rld[0]:.1f}×", "R ≥ 5", rld[0] >= 5),
    ("resident memory after load", mib(rss), "—", "", "≤ 512 MiB", rss is not None and rss <= 512),
    ("peak memory during load", mib(peak), "—", "", "≤ 1024 MiB", peak is not None and peak <= 1024),
    ("overlap areas and counts vs PostGIS", "OK" if areas_ok else "FAIL", "reference", "",
     "all agree", areas_ok),
]
n = len(ag.get("area_mismatches", [])), len(ag.get("count_mismatches", [])), len(ag.get("touching", [])), len(ag.get("missing", []))
L = [f"minplan vs PostGIS — county {data}, {start}; repeat {mp.get('repeat')} "
     f"(minplan: median (min–max) over repeats; PostGIS: median pass); load average at start / "
     f"before minplan / after: {loads}; {pg['machine'].get('cpu_model', '?')}, "
     f"{pg['machine'].get('cpus_usable', '?')} cores",
     "",
     "| measure | minplan | PostGIS (best variant) | R = PostGIS ÷ minplan | target | met |",
     "|---|---:|---:|---:|---|---|"]
L += [f"| {a} | {b} | {c} | {d} | {e} | {ok(f)} |" for a, b, c, d, e, f in rows]
L += ["",
      f"Areas: {ag.get('rows', 0)} applications + rights compared against every layer, tolerance max(1e-6 relative, "
      f"0.01 m²): {n[0]} area mismatches, {n[1]} count mismatches, {n[2]} only touching (listed by "
      f"minplan-bench above), {n[3]} missing; worst relative {ag.get('worst_rel', float('nan')):.2e}, "
      f"worst absolute {ag.get('worst_abs_m2', float('nan')):.4f} m² → {'OK' if areas_ok else 'FAIL'}."]
L += [f"PostGIS load = COPY + primary keys + GiST + ST_Subdivide(red_line, {pg['subdivide_max_vertices']}) + GiST + "
      f"VACUUM ANALYZE (the subdivided copy is what its best variant queries); without ST_Subdivide "
      f"{pg['load']['total_without_subdivide_s']:.2f} s, R {pg['load']['total_without_subdivide_s'] / mp['load_s']:.1f}×."]
all_ok = all(r[5] for r in rows)
L += ["", "All targets met." if all_ok else
      "Targets not met: " + ", ".join(r[0] for r in rows if not r[5]) + "."]
text = "\n".join(L)
print()
print(text)
with open(out, "w", encoding="utf-8") as f:
    f.write(text + "\n")
print(f"vs-postgis: p50 {r50[0]:.1f} p99 {r99[0]:.1f} recheck {rre[0]:.1f} load {rld[0]:.1f} "
      f"rss_mib {0 if rss is None else round(rss)} areas {'OK' if areas_ok else 'FAIL'}")
sys.exit(0 if all_ok else 1)
PY
if [ "$rc" -eq 0 ] && [ "$mp" -ne 0 ]; then rc=$mp; fi
exit "$rc"
