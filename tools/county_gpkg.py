#!/usr/bin/env python3
"""A GeoJSON county directory -> county.gpkg + manifest.json for the PostGIS harness.

The harness (`bench_postgis.py` in ../shared/bench/postgis-baseline, or $PGB_HARNESS) loads
`DIR/county.gpkg` and reads `DIR/manifest.json`. `gen_county.py --geojson` writes both
itself; minplan's own county (`minplan-bench --write-layers DIR --write-only`) and other
counties come as GeoJSON only. This writes the GeoPackage with the harness's own writer
(`gen_county.write_gpkg`, imported from the harness) and a manifest with the fields the
harness reads (scale, seed, per layer count / vertices / area / bbox / WKB SHA-256).

Input: DIR/{farmland,red_line (or red_lines),rights,applications}.geojson, optional
county.geojson; EPSG:4532 with the zone prefix (x = easting ~44.4e6, y = northing), one
Polygon per feature, ids in `properties.fid` (else `properties.id`, else the feature `id`,
else 1, 2, ... in file order). Features are written in fid order with their own fids, so the
harness's CSV ids are the ids minplan reads. Without county.geojson the county (context
only, never queried) is the convex hull of every vertex of the other layers.

Usage: county_gpkg.py DIR [--scale S] [--force]      (runs in the harness venv)
"""
import argparse
import json
import os
import sqlite3
import subprocess
import sys
import time


def harness_dir():
    env = os.environ.get("PGB_HARNESS")
    if env:
        return os.path.abspath(env)
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
    cands = [os.path.join(root, "..", "shared", "bench", "postgis-baseline")]
    try:  # a git worktree elsewhere: relative to the main checkout
        common = subprocess.run(["git", "-C", root, "rev-parse", "--path-format=absolute", "--git-common-dir"],
                                capture_output=True, text=True, check=True).stdout.strip()
        cands.append(os.path.join(os.path.dirname(common), "..", "shared", "bench", "postgis-baseline"))
    except (OSError, subprocess.CalledProcessError):
        pass
    for c in cands:
        if os.path.isfile(os.path.join(c, "gen_county.py")):
            return os.path.abspath(c)
    raise SystemExit("county_gpkg.py: PostGIS harness not found; set PGB_HARNESS (tried: " + ", ".join(cands) + ")")


HARNESS = harness_dir()
sys.path.insert(0, HARNESS)
import numpy as np  # noqa: E402
import shapely  # noqa: E402
import gen_county  # noqa: E402  (the harness's generator: write_gpkg, SRID)

# layer -> (file names tried, attribute column the harness expects, default attribute)
LAYERS = {
    "county": (["county"], "name", "county"),
    "farmland": (["farmland"], "dlbm", ""),
    "red_line": (["red_line", "red_lines"], "code", ""),
    "rights": (["rights"], "kind", ""),
    "applications": (["applications"], "kind", ""),
}
FULL_FARMLAND = gen_county.BASE["farmland"]


def feature_id(feat, k):
    p = feat.get("properties") or {}
    for v in (p.get("fid"), p.get("id"), feat.get("id")):
        if isinstance(v, int) or (isinstance(v, str) and v.isdigit()):
            return int(v)
    return k + 1


def read_layer(path, name, attr):
    with open(path, encoding="utf-8") as f:
        fc = json.load(f)
    rows = []
    for k, feat in enumerate(fc["features"]):
        g = feat["geometry"]
        if g["type"] != "Polygon":
            raise SystemExit(f"{path}: feature {k + 1} is a {g['type']}; the harness's tables hold Polygons only")
        rings = g["coordinates"]
        poly = shapely.polygons(rings[0], holes=rings[1:] or None)
        a = (feat.get("properties") or {}).get(attr)
        rows.append((feature_id(feat, k), poly, "" if a is None else str(a)))
    del fc
    rows.sort(key=lambda r: r[0])
    fids = [r[0] for r in rows]
    if len(set(fids)) != len(fids) or (fids and fids[0] < 1):
        raise SystemExit(f"{path}: feature ids must be distinct positive integers")
    geoms = np.empty(len(rows), dtype=object)
    geoms[:] = [r[1] for r in rows]
    bad = int(np.count_nonzero(~shapely.is_valid(geoms)))
    if bad:
        print(f"  warning: {name}: {bad} invalid polygons (loaded as they are)", file=sys.stderr)
    return fids, geoms, [r[2] for r in rows]


def renumber(gpkg, name, fids):
    """write_gpkg numbers features 1..n in order; give them back their own fids (same order)."""
    if fids == list(range(1, len(fids) + 1)):
        return
    con = sqlite3.connect(gpkg)
    con.execute(f'UPDATE "{name}" SET fid = -fid')
    con.executemany(f'UPDATE "{name}" SET fid = ? WHERE fid = ?', ((f, -(k + 1)) for k, f in enumerate(fids)))
    con.commit()
    con.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", help="county directory with the layers as GeoJSON")
    ap.add_argument("--scale", type=float,
                    help=f"scale written to the manifest (default: farmland count / {FULL_FARMLAND:,}, "
                         "or the existing manifest's)")
    ap.add_argument("--force", action="store_true", help="overwrite an existing county.gpkg")
    a = ap.parse_args()
    d = a.dir
    gpkg = os.path.join(d, "county.gpkg")
    man_path = os.path.join(d, "manifest.json")
    if os.path.exists(gpkg) and not a.force:
        raise SystemExit(f"{gpkg} exists (--force to overwrite)")
    old = {}
    if os.path.isfile(man_path):
        with open(man_path, encoding="utf-8") as f:
            old = json.load(f)

    t0 = time.perf_counter()
    layers, fids = {}, {}
    for nm, (files, attr, _) in LAYERS.items():
        path = next((os.path.join(d, f + ".geojson") for f in files
                     if os.path.isfile(os.path.join(d, f + ".geojson"))), None)
        if path is None:
            if nm == "county":
                continue
            raise SystemExit(f"{d}: no {' or '.join(f + '.geojson' for f in files)}")
        fids[nm], geoms, attrs = read_layer(path, nm, attr)
        layers[nm] = (geoms, attr, attrs)
        print(f"  read {nm:13s} {len(geoms):8d} features from {os.path.basename(path)}")
    if "county" not in layers:
        pts = np.concatenate([shapely.get_coordinates(g) for g, _, _ in layers.values()])
        hull = shapely.convex_hull(shapely.multipoints(pts))
        layers["county"] = (np.array([hull], dtype=object), "name", ["convex hull of all layers"])
        fids["county"] = [1]
        print("  county: no county.geojson; convex hull of all layers as context polygon")
    layers = {nm: layers[nm] for nm in LAYERS}  # the harness's layer order

    digests = gen_county.write_gpkg(gpkg, layers)
    for nm in LAYERS:
        renumber(gpkg, nm, fids[nm])

    nf = len(layers["farmland"][0])
    scale = a.scale if a.scale is not None else old.get("scale", round(nf / FULL_FARMLAND, 4))
    man = {
        "generator": "tools/county_gpkg.py (GeoJSON -> gen_county.write_gpkg)",
        "source_generator": old.get("generator"),
        "source_dir": os.path.abspath(d),
        "seed": old.get("seed"), "scale": scale, "srid": gen_county.SRID,
        "axis_note": "x = easting (with zone prefix 44), y = northing; EPSG:4532 itself lists X=northing first",
        "numpy": np.__version__, "shapely": shapely.__version__,
        "layers": {},
        "timings_s": {"county_gpkg_s": round(time.perf_counter() - t0, 3)},
    }
    for nm, (gs, _, _) in layers.items():
        nv = shapely.get_num_coordinates(gs) - shapely.get_num_interior_rings(gs) - 1  # without closing points
        b = shapely.total_bounds(gs)
        man["layers"][nm] = {
            "count": int(len(gs)), "vertices_total": int(nv.sum()),
            "vertices_min": int(nv.min()), "vertices_max": int(nv.max()),
            "area_total_km2": round(float(shapely.area(gs).sum()) / 1e6, 6),
            "bbox_easting_northing": [round(float(v), 3) for v in b],
            "wkb_sha256": digests[nm],
        }
        if old.get("layers", {}).get(nm, {}).get("wkb_sha256") not in (None, digests[nm]):
            print(f"  note: {nm}: WKB digest differs from the existing manifest's", file=sys.stderr)
    with open(man_path, "w", encoding="utf-8") as f:
        json.dump(man, f, indent=1, ensure_ascii=False)
    print(f"wrote {gpkg} ({os.path.getsize(gpkg) / 1e6:.0f} MB) and manifest.json in "
          f"{time.perf_counter() - t0:.1f} s (scale {scale:g})")


if __name__ == "__main__":
    main()
