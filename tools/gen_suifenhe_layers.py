#!/usr/bin/env python3
"""Generates the schematic (示意) layers of the Suifenhe plan bundle.

The plan text (绥芬河市矿产资源总体规划（2021～2025年）) gives no coordinates. This script
places every layer plausibly inside the county (about 130.94–131.24°E, 44.29–44.54°N),
works in CGCS2000 3-degree Gauss–Krüger zone 44 (EPSG:4532, CM 132°E), and scales each
planning block so that the stated totals hold:

  * 勘查规划区块 (市级划定) 3 个，总面积 32 km²   《规划》四（三）1
  * 开采规划区块 (市级划定) 3 个，总面积 32 km²   《规划》四（三）2
  * 开采规划区块 (本级审批) 2 个，总面积 0.05 km² 《规划》四（三）2
  * 行政区面积 460 km²                            《规划》一（一）1

Areas are ellipsoidal (pyproj.Geod on the GRS80 ellipsoid, which CGCS2000 equals to 0.1 mm),
independent of minplan's own area code, which the bundle checks re-compute.

Run:  pip install pyproj shapely && python3 tools/gen_suifenhe_layers.py
Output: plans/231081-2021-2025/layers/*.geojson (overwritten). Deterministic.
"""

import json
import math
import os

from pyproj import Geod, Transformer
from shapely.geometry import LineString, Polygon, mapping
from shapely.ops import transform as shp_transform

OUT = os.path.join(os.path.dirname(__file__), "..", "plans", "231081-2021-2025", "layers")
TO_LL = Transformer.from_crs("EPSG:4532", "EPSG:4490", always_xy=True)  # (E, N) -> (lon, lat)
TO_EN = Transformer.from_crs("EPSG:4490", "EPSG:4532", always_xy=True)
GEOD = Geod(ellps="GRS80")

SOURCE = "示意：规划文本未附矢量数据，按县域内合理位置绘制，面积按规划文本数字控制；导入正式图层后替换"


def en(lon, lat):
    return TO_EN.transform(lon, lat)


def poly_en_from_ll(pts):
    return Polygon([en(lo, la) for lo, la in pts])


def ll_coords(poly_en, ndigits=7):
    """Exterior ring of a plane polygon as lon/lat, counter-clockwise, closed."""
    ring = list(poly_en.exterior.coords)
    if Polygon(ring).exterior.is_ccw is False:
        ring = ring[::-1]
    out = []
    for e, n in ring:
        lo, la = TO_LL.transform(e, n)
        out.append([round(lo, ndigits), round(la, ndigits)])
    out[-1] = out[0]
    return [out]


def area_km2(ll_rings):
    ring = ll_rings[0]
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    a, _ = GEOD.polygon_area_perimeter(lons, lats)
    return abs(a) / 1e6


def scaled(poly_en, target_km2):
    """Scales a plane polygon about its centroid until its ellipsoidal area is target_km2."""
    from shapely import affinity

    p = poly_en
    for _ in range(6):
        a = area_km2(ll_coords(p, 9))
        f = math.sqrt(target_km2 / a)
        p = affinity.scale(p, f, f, origin=p.centroid)
    return p


def rect_en(cx_lon, cy_lat, w_m, h_m, angle_deg=0.0):
    from shapely import affinity

    cx, cy = en(cx_lon, cy_lat)
    r = Polygon([(cx - w_m / 2, cy - h_m / 2), (cx + w_m / 2, cy - h_m / 2), (cx + w_m / 2, cy + h_m / 2), (cx - w_m / 2, cy + h_m / 2)])
    return affinity.rotate(r, angle_deg, origin=(cx, cy))


def blob_en(cx_lon, cy_lat, radius_m, n=12, seed=1, wobble=0.25):
    """A deterministic irregular polygon around a centre."""
    cx, cy = en(cx_lon, cy_lat)
    pts = []
    for k in range(n):
        t = 2 * math.pi * k / n
        r = radius_m * (1 + wobble * math.sin(3 * t + seed) * math.cos(2 * t + 0.7 * seed))
        pts.append((cx + r * math.cos(t), cy + r * math.sin(t)))
    return Polygon(pts)


def fc(features, name):
    return {"type": "FeatureCollection", "name": name, "features": features}


def feature(props, poly_en):
    return {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": ll_coords(poly_en)}}


def write(name, obj):
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("wrote", os.path.relpath(path))


def main():
    os.makedirs(OUT, exist_ok=True)

    # County outline: an irregular polygon in the bbox, scaled to 460 km² (一（一）1).
    outline_ll = [
        (131.005, 44.300), (131.080, 44.292), (131.150, 44.305), (131.205, 44.330),
        (131.232, 44.370), (131.236, 44.420), (131.225, 44.470), (131.200, 44.515),
        (131.150, 44.538), (131.085, 44.532), (131.020, 44.505), (130.962, 44.460),
        (130.945, 44.400), (130.960, 44.345),
    ]
    county = scaled(poly_en_from_ll(outline_ll), 460.0)
    write("county.geojson", fc([feature({"id": "231081", "name": "绥芬河市（示意范围）", "schematic": True}, county)], "county"))

    # Planning blocks. Exploration and mining blocks of the same name share a place.
    big = [
        ("别勒洼地热", ["地下热水"], blob_en(131.035, 44.345, 2000, seed=2), 14.0),
        ("建新村饮用天然矿泉水", ["矿泉水"], blob_en(131.000, 44.430, 1800, seed=3), 12.0),
        ("第三个规划区块（规划文本未列名）", [], blob_en(131.080, 44.490, 1300, seed=5), 6.0),
    ]
    feats = []
    for i, (name, minerals, shape, target) in enumerate(big, start=1):
        p = scaled(shape, target)
        assert county.buffer(-200).contains(p), name
        for kind, prefix in (("勘查", "K"), ("开采", "C")):
            feats.append(feature({"number": f"231081-{prefix}0{i}", "name": name, "kind": kind, "schematic": True}, p))
    quarries = [
        ("231081-C04", "绥芬河市金家沟采石场", rect_en(131.060, 44.395, 200, 150, 20), 0.03),
        ("231081-C05", "绥芬河市庆发采石场", rect_en(131.110, 44.335, 160, 125, -15), 0.02),
    ]
    quarry_polys = {}
    for number, name, shape, target in quarries:
        p = scaled(shape, target)
        quarry_polys[number] = p
        feats.append(feature({"number": number, "name": name, "kind": "开采", "schematic": True}, p))
    write("blocks.geojson", fc(feats, "planning_blocks"))

    # 城镇开发边界 around the city (about 131.15°E, 44.40°N).
    town = scaled(blob_en(131.160, 44.400, 2300, seed=7, wobble=0.15), 16.0)
    write("urban_development_boundary.geojson", fc([feature({"id": "UDB-1", "name": "绥芬河市中心城区城镇开发边界（示意）", "schematic": True}, town)], "urban_development_boundary"))

    # 生态保护红线: forested uplands in the north and the south-east.
    red = [
        ("ERL-1", "北部森林生态保护红线（示意）", scaled(blob_en(131.150, 44.500, 2800, seed=11), 24.0)),
        ("ERL-2", "东南部水源涵养生态保护红线（示意）", scaled(blob_en(131.175, 44.350, 1900, seed=13), 11.0)),
        ("ERL-3", "西部山地生态保护红线（示意）", scaled(blob_en(130.985, 44.375, 1500, seed=17), 6.5)),
    ]
    for _, n, p in red:
        assert county.buffer(-100).contains(p), n
        for q in quarry_polys.values():
            assert not p.intersects(q), n
    write("ecological_red_line.geojson", fc([feature({"id": i, "name": n, "schematic": True}, p) for i, n, p in red], "ecological_red_line"))

    # 永久基本农田: valley parcels near 阜宁镇, 建新村, 北寒村, 南寒村.
    parcels = []
    centres = [
        (131.020, 44.410), (131.045, 44.420), (131.070, 44.430), (131.090, 44.372),
        (131.030, 44.320), (131.060, 44.315), (131.120, 44.365), (131.125, 44.440),
        (131.055, 44.455), (131.010, 44.455), (131.100, 44.470), (131.085, 44.345),
    ]
    for k, (lo, la) in enumerate(centres, start=1):
        p = scaled(blob_en(lo, la, 600, n=9, seed=20 + k, wobble=0.2), 0.6 + 0.1 * (k % 5))
        if any(p.intersects(q.buffer(150)) for q in quarry_polys.values()):
            continue
        if p.intersects(town):
            continue
        parcels.append(feature({"id": f"PBF-{k:02d}", "name": f"永久基本农田保护图斑 {k:02d}（示意）", "schematic": True}, p))
    write("permanent_basic_farmland.geojson", fc(parcels, "permanent_basic_farmland"))

    # 三区两线可视范围: 500 m each side of the railway (滨绥铁路) and the national road (G301).
    half = 500.0
    rail = LineString([en(130.950, 44.385), en(131.010, 44.392), en(131.080, 44.388), en(131.160, 44.400), en(131.228, 44.408)])
    road = LineString([en(130.952, 44.372), en(131.020, 44.378), en(131.090, 44.380), en(131.150, 44.392), en(131.225, 44.428)])
    corridors = []
    for cid, name, line in (("VC-RAIL", "滨绥铁路两侧可视范围（示意）", rail), ("VC-G301", "国道G301两侧可视范围（示意）", road)):
        p = line.buffer(half, quad_segs=4).intersection(county)
        p = p.simplify(1.0)
        for q in quarry_polys.values():
            assert not p.intersects(q), name
        corridors.append(feature({"id": cid, "name": name, "buffer_m": half, "schematic": True}, p))
    write("visible_corridors.geojson", fc(corridors, "visible_corridors"))

    for number, p in quarry_polys.items():
        print(number, "area km²", round(area_km2(ll_coords(p, 9)), 6), "centroid", TO_LL.transform(p.centroid.x, p.centroid.y))


if __name__ == "__main__":
    main()
