#!/usr/bin/env python3
"""Writes the GeoJSON layers of the invented test plan units in
crates/minplan-domain/tests/data/counties/ (issue 13): lon/lat rectangles in CGCS2000 around
120°E (3° zone 40), exterior rings counter-clockwise. The plan.toml and text.txt files are
written by hand; rerun this only to change the geometry."""
import json, os, sys

ROOT = os.path.join(os.path.dirname(__file__), "..", "crates", "minplan-domain", "tests", "data", "counties")

def rect(w, s, e, n):
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}

def fc(name, feats):
    return {"type": "FeatureCollection", "name": name, "features": [
        {"type": "Feature", "properties": p, "geometry": g} for p, g in feats]}

def write(unit, path, obj):
    p = os.path.join(ROOT, unit, path)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")

# 青禾县: a county with by-kind mine caps and a cap over the plan period.
write("qinghe-county", "layers/county.geojson", fc("county", [({"id": "990101", "name": "青禾县（示意）"}, rect(119.80, 45.00, 120.20, 45.30))]))
write("qinghe-county", "layers/blocks.geojson", fc("blocks", [
    ({"number": "990101-C01", "name": "北岭建筑用石"}, rect(119.90, 45.10, 119.93, 45.12)),
    ({"number": "990101-C02", "name": "青禾矿泉水"}, rect(120.05, 45.20, 120.07, 45.21)),
]))
# 北山市: a city with per-county caps (甲县 west of 120°E, 乙县 east of it).
# The city's outline has vertices where the counties meet (a straight line in lon/lat is not
# one in the Gauss plane).
city = {"type": "Polygon", "coordinates": [[[119.60, 45.40], [120.00, 45.40], [120.40, 45.40], [120.40, 45.80], [120.00, 45.80], [119.60, 45.80], [119.60, 45.40]]]}
write("beishan-city", "layers/city.geojson", fc("city", [({"id": "990200", "name": "北山市（示意）"}, city)]))
write("beishan-city", "layers/jia.geojson", fc("jia", [({"id": "990221", "name": "甲县（示意）"}, rect(119.60, 45.40, 120.00, 45.80))]))
write("beishan-city", "layers/yi.geojson", fc("yi", [({"id": "990222", "name": "乙县（示意）"}, rect(120.00, 45.40, 120.40, 45.80))]))
write("beishan-city", "layers/blocks.geojson", fc("blocks", [
    ({"number": "990200-C01", "name": "甲县西山建筑用石"}, rect(119.70, 45.50, 119.75, 45.53)),
    ({"number": "990200-C02", "name": "乙县东岗建筑用石"}, rect(120.20, 45.60, 120.25, 45.63)),
]))
# 青禾经济开发区: no code of its own (青禾县's), a redacted plan.
write("qinghe-zone", "layers/zone.geojson", fc("zone", [({"id": "990101", "name": "青禾经济开发区（示意）"}, rect(120.10, 45.02, 120.18, 45.08))]))
write("qinghe-zone", "layers/blocks.geojson", fc("blocks", [
    ({"number": "QHKF-C01", "name": "园区南建筑用砂"}, rect(120.12, 45.03, 120.13, 45.04)),
]))
print("written under", os.path.normpath(ROOT), file=sys.stderr)

# 白河县: amended mid-period (2024: one 开采规划区块 added); the original and the amendment
# are two bundles of the same plan unit.
for unit, blocks in [
    ("baihe-county", [({"number": "990103-C01", "name": "白河建筑用石"}, rect(120.55, 45.05, 120.58, 45.07))]),
    ("baihe-county-2024", [
        ({"number": "990103-C01", "name": "白河建筑用石"}, rect(120.55, 45.05, 120.58, 45.07)),
        ({"number": "990103-C02", "name": "东岭建筑用石"}, rect(120.70, 45.15, 120.73, 45.17)),
    ]),
]:
    write(unit, "layers/county.geojson", fc("county", [({"id": "990103", "name": "白河县（示意）"}, rect(120.50, 45.00, 120.90, 45.30))]))
    write(unit, "layers/blocks.geojson", fc("blocks", blocks))
