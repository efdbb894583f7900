#!/usr/bin/env python3
"""Generates cgcs2000_zone44_vectors.csv: CGCS2000 lon/lat -> EPSG:4532 (3-degree
Gauss-Kruger zone 44, CM 132E, FE 44 500 000 m) by PROJ through pyproj.

Run: python3 gen_cgcs2000_zone44_vectors.py > cgcs2000_zone44_vectors.csv
(pyproj 3.7.2 / PROJ 9.5.1 produced the committed file). Tests read the CSV; they do not
need pyproj. Points cover the Suifenhe area and the whole zone out to 3.5 deg from the CM.
"""
import random
from pyproj import Transformer

t = Transformer.from_crs("EPSG:4490", "EPSG:4532", always_xy=True)
random.seed(20261130)
pts = [(131.0, 44.4), (130.94, 44.29), (131.24, 44.54), (132.0, 44.4), (128.5, 44.4), (135.5, 44.4),
       (128.5, 20.0), (135.5, 53.5)]
pts += [(random.uniform(130.94, 131.24), random.uniform(44.29, 44.54)) for _ in range(20)]
pts += [(random.uniform(128.5, 135.5), random.uniform(18.0, 54.0)) for _ in range(20)]
print("lon,lat,northing_x,easting_y")
for lon, lat in pts:
    # EPSG:4532 axis order is northing, easting; always_xy gives (easting, northing).
    e, n = t.transform(lon, lat)
    print(f"{lon:.9f},{lat:.9f},{n:.4f},{e:.4f}")
