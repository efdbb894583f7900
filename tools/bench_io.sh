#!/usr/bin/env bash
# Import of a large control layer (issue 12): the 300,000-parcel farmland layer of the synthetic
# county of tools/gen_county.py (a copy of the team's postgis-baseline generator), written by ogr2ogr from GeoJSON into
# a GBK Shapefile and a GeoPackage, imported by `minplan layer import` (read + check + store in
# SQLite), against `ogr2ogr` converting the same Shapefile to a GeoPackage — both measured in the
# same run, alternately, with /usr/bin/time (wall seconds, peak RSS).
#
# Usage: tools/bench_io.sh [SCALE] [ROUNDS]      (SCALE 1 = 300,000 parcels; default 1, 3 rounds)
# Needs: gdal-bin, python3 with numpy and shapely for the generator
#        (MINPLAN_VENV, default ~/.minplan-bench-venv: python3 -m venv …; pip install numpy shapely).
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${1:-1}
ROUNDS=${2:-3}
W=${BENCH_WORK:-${TMPDIR:-/tmp}/minplan-bench-io}
PY=${MINPLAN_VENV:-$HOME/.minplan-bench-venv}/bin/python
GEN=${GEN:-tools/gen_county.py}
mkdir -p "$W"
cargo build --release -p minplan >/dev/null
BIN=$PWD/target/release/minplan

if [ ! -f "$W/county-$SCALE/county.gpkg" ]; then
  "$PY" "$GEN" --scale "$SCALE" --seed 1 --out "$W/county-$SCALE" >/dev/null
fi
if [ ! -f "$W/shp-$SCALE/farmland.shp" ]; then
  rm -rf "$W/shp-$SCALE" "$W/farmland-$SCALE".*
  ogr2ogr -f GeoJSON "$W/farmland-$SCALE.geojson" "$W/county-$SCALE/county.gpkg" farmland
  mkdir -p "$W/shp-$SCALE"
  ogr2ogr -f "ESRI Shapefile" -lco ENCODING=GBK "$W/shp-$SCALE/farmland.shp" "$W/farmland-$SCALE.geojson"
  ogr2ogr -f GPKG "$W/farmland-$SCALE.gpkg" "$W/farmland-$SCALE.geojson" -nln farmland
fi
SHP_BYTES=$(cat "$W/shp-$SCALE"/farmland.* | wc -c)
GPKG_BYTES=$(wc -c < "$W/farmland-$SCALE.gpkg")
N=$(ogrinfo -so "$W/shp-$SCALE/farmland.shp" farmland | sed -n 's/.*Feature Count: //p')

# An empty database with the embedded plan, copied before each import so every run stores into
# the same state.
rm -f "$W/base.db"*
"$BIN" --db "$W/base.db" layer list >/dev/null 2>&1

measure() { # label, command… → "label wall_s peak_kib"
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$W/time.txt" "$@" >/dev/null 2>&1
  echo "$label $(tail -1 "$W/time.txt")"
}

{
  for r in $(seq "$ROUNDS"); do
    rm -f "$W/out.gpkg"
    measure ogr2ogr ogr2ogr -f GPKG "$W/out.gpkg" "$W/shp-$SCALE/farmland.shp"
    rm -f "$W/r.db"*; cp "$W/base.db" "$W/r.db"
    measure minplan-shp "$BIN" --db "$W/r.db" layer import 永久基本农田 "$W/shp-$SCALE/farmland.shp"
    rm -f "$W/r.db"*; cp "$W/base.db" "$W/r.db"
    measure minplan-gpkg "$BIN" --db "$W/r.db" layer import 永久基本农田 "$W/farmland-$SCALE.gpkg"
  done
} | tee "$W/times.txt"

python3 - "$W/times.txt" "$N" "$SHP_BYTES" "$GPKG_BYTES" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
n, shp, gpkg = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
med = lambda k, i: statistics.median(float(r[i]) for r in rows if r[0] == k)
base = med("ogr2ogr", 1)
print(f"\nfarmland parcels: {n}; Shapefile {shp/2**20:.1f} MiB, GeoPackage {gpkg/2**20:.1f} MiB")
print(f"{'':14} {'wall s (median)':>16} {'÷ ogr2ogr':>10} {'peak RSS MiB':>13} {'÷ input':>8}")
for k, size in (("ogr2ogr", shp), ("minplan-shp", shp), ("minplan-gpkg", gpkg)):
    w, m = med(k, 1), med(k, 2) / 1024
    print(f"{k:14} {w:16.2f} {w/base:10.2f} {m:13.0f} {m*2**20/size:8.2f}")
PY
