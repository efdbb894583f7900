#!/usr/bin/env python3
"""Writes the corner files of examples/ from the Suifenhe bundle's (schematic) blocks and layers.

Corners are CGCS2000 3-degree Gauss–Krüger zone 44 with the zone prefix (EPSG:4532),
X = northing, Y = easting, rounded to 0.01 m, in the MNR 报盘 layout. Deterministic.
Run: pip install pyproj shapely && python3 tools/gen_examples.py
"""
import json, os
from pyproj import Transformer
from shapely.geometry import Polygon, shape

ROOT = os.path.join(os.path.dirname(__file__), "..")
LAYERS = os.path.join(ROOT, "plans", "231081-2021-2025", "layers")
OUT = os.path.join(ROOT, "examples")
TO_EN = Transformer.from_crs("EPSG:4490", "EPSG:4532", always_xy=True)


def load(name):
    return json.load(open(os.path.join(LAYERS, name), encoding="utf-8"))["features"]


def block_ring(number):
    f = next(f for f in load("blocks.geojson") if f["properties"]["number"] == number)
    ring = f["geometry"]["coordinates"][0][:-1]
    return [TO_EN.transform(lon, lat) for lon, lat in ring]


def write(name, ring, top, bottom, block="采区", swap=False):
    lines = ["拐点,X(起标高),Y(止标高)"]
    for k, (e, n) in enumerate(ring, start=1):
        x, y = (f"{n:.2f}", f"{e:.2f}")
        if swap:
            x, y = y, x
        lines.append(f"{k},{x},{y}, , ,")
    lines.append(f"*,{top},{bottom},{block},1,")
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    print("wrote", name, "area m²", round(Polygon(ring).area, 2))


def square(c, half):
    return [(c[0] - half, c[1] - half), (c[0] + half, c[1] - half), (c[0] + half, c[1] + half), (c[0] - half, c[1] + half)]


def centroid(ring):
    p = Polygon(ring).centroid
    return (p.x, p.y)


# 01 庆发采石场：范围即 231081-C05 区块。
write("01-qingfa-quarry.txt", block_ring("231081-C05"), 560, 480, "庆发采石场")
# 02 金家沟采石场：范围即 231081-C04 区块。
write("02-jinjiagou-quarry.txt", block_ring("231081-C04"), 520, 450, "金家沟采石场")
# 03 别勒洼地热：231081-C01 区块中心 1 km × 1 km。
write("03-bielewa-geothermal.txt", square(centroid(block_ring("231081-C01")), 500), 300, -1500, "别勒洼地热")
# 04 铁路可视范围内的采石场：滨绥铁路中线附近 300 m × 300 m，不在任何区块内。
rail = next(f for f in load("visible_corridors.geojson") if f["properties"]["id"] == "VC-RAIL")
c = TO_EN.transform(131.12, 44.394)
write("04-stone-in-rail-corridor.txt", square(c, 150), 380, 320, "铁路旁采石场")
# 05 砖瓦用粘土：永久基本农田图斑 PBF-05 中心 200 m × 200 m。
pbf = next(f for f in load("permanent_basic_farmland.geojson") if f["properties"]["id"] == "PBF-05")
cen = shape(pbf["geometry"]).centroid
write("05-brick-clay.txt", square(TO_EN.transform(cen.x, cen.y), 100), 420, 410, "砖厂")
# 06 建新村矿泉水探矿权：范围即 231081-K02 区块。
write("06-jianxin-mineral-water.txt", block_ring("231081-K02"), 600, 200, "建新村矿泉水")
# 08 X、Y 填反的庆发采石场。
write("08-swapped-coordinates.txt", block_ring("231081-C05"), 560, 480, "庆发采石场", swap=True)
