#!/usr/bin/env python3
"""Inputs of tools/bench-http.sh from a county directory (gen_county.py --geojson shape).

Writes into OUT:
  rights.geojson   the county's rights as a minplan rights GeoJSON (English keys: id, kind,
                   status, name, holder_name, minerals), coordinates and crs as given;
  bodies/NNNN.json one POST /api/reviews trial body per application (an application file
                   with its corners in [coordinates] text, MNR 报盘 order: N, E with zone
                   prefix, `"save": false`).

`bench_http_prep.py filter URL COOKIE CSRF OUT` posts every body once as a trial review and
writes OUT/bodies.lua (tools/bench_http.lua reads it) with the applications the server
reviews (200), in two variants: trial (save = false) and saved (save = true). Applications
the server refuses (422: corners outside the plan's county) are counted by reason and left
out, so that the load test measures reviews, not refusals.

Standard library only. Plane coordinates with a zone prefix (EPSG:4491–4554 with prefix,
e.g. 4532) are required: the corners are written as the file gives them.
"""

import json
import os
import sys


def ring_of(geom):
    """Exterior ring of a Polygon, or of a MultiPolygon's first polygon, without closing point."""
    coords = geom["coordinates"]
    ring = coords[0] if geom["type"] == "Polygon" else coords[0][0]
    if len(ring) > 1 and ring[0] == ring[-1]:
        ring = ring[:-1]
    return ring


def corners_text(ring):
    lines = ["拐点,X(起标高),Y(止标高)"]
    for k, (e, n) in enumerate(ring, 1):
        lines.append(f"{k},{n:.3f},{e:.3f}, , ,")
    lines.append("*,500,400,采区,1,")
    return "\n".join(lines) + "\n"


def application_toml(number, ring):
    return (
        'format = "minplan-application/1"\n'
        f'number = "{number}"\n'
        'kind = "新立"\n'
        'right_kind = "采矿权"\n'
        f'project_name = "压测申请 {number}"\n'
        'minerals = ["建筑用石"]\n'
        'mining_method = "露天"\n'
        'capacity = { value = 6, unit = "万立方米/年" }\n'
        'reserves = { value = 48, unit = "万立方米" }\n'
        "\n[holder]\n"
        'name = "压测申请人"\n'
        'credit_code = "91231081MA1BQF0013"\n'
        "\n[grant]\n"
        'method = "挂牌"\n'
        "\n[documents]\n"
        "development_plan = true\n"
        "restoration_plan = true\n"
        "green_mine_commitment = true\n"
        "\n[coordinates]\n"
        f'text = """\n{corners_text(ring)}"""\n'
    )


def lua_string(s):
    # A long bracket string that cannot be closed by the text itself.
    level = 1
    while ("]" + "=" * level + "]") in s:
        level += 1
    eq = "=" * level
    return f"[{eq}[{s}]{eq}]"


def main():
    county, out = sys.argv[1], sys.argv[2]
    os.makedirs(os.path.join(out, "bodies"), exist_ok=True)
    with open(os.path.join(county, "rights.geojson"), encoding="utf-8") as f:
        rights = json.load(f)
    features = []
    for k, feat in enumerate(rights["features"], 1):
        fid = feat.get("properties", {}).get("fid", feat.get("id", k))
        kind = feat.get("properties", {}).get("kind", "采矿权")
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "id": f"C4400BENCH{int(fid):06d}",
                    "kind": kind if kind in ("采矿权", "探矿权") else "采矿权",
                    "status": "有效",
                    "name": f"压测矿山 {fid}",
                    "holder_name": f"压测矿业权人 {fid}",
                    "minerals": ["建筑用石"],
                },
                "geometry": feat["geometry"],
            }
        )
    doc = {"type": "FeatureCollection", "features": features}
    if "crs" in rights:
        doc = {"type": "FeatureCollection", "crs": rights["crs"], "features": features}
    with open(os.path.join(out, "rights.geojson"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)

    with open(os.path.join(county, "applications.geojson"), encoding="utf-8") as f:
        apps = json.load(f)
    n = 0
    for k, feat in enumerate(apps["features"], 1):
        fid = feat.get("properties", {}).get("fid", feat.get("id", k))
        toml = application_toml(f"BENCH-{int(fid):05d}", ring_of(feat["geometry"]))
        with open(os.path.join(out, "bodies", f"{k:04d}.json"), "w", encoding="utf-8") as f:
            f.write(json.dumps({"toml": toml, "save": False}, ensure_ascii=False))
        n += 1
    print(f"rights {len(features)}, applications {n}")


def filter_bodies(url, cookie, csrf, out):
    import collections
    import http.client
    import urllib.parse

    u = urllib.parse.urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    headers = {"Content-Type": "application/json", "Cookie": cookie, "X-CSRF-Token": csrf}
    kept, refused = [], collections.Counter()
    sizes = []
    names = sorted(os.listdir(os.path.join(out, "bodies")))
    for name in names:
        with open(os.path.join(out, "bodies", name), encoding="utf-8") as f:
            body = f.read()
        conn.request("POST", "/api/reviews", body.encode("utf-8"), headers)
        r = conn.getresponse()
        data = r.read()
        if r.status == 200 and b'"conclusion":"' in data:
            kept.append(json.loads(body)["toml"])
            sizes.append(len(data))
        else:
            why = f"{r.status}"
            try:
                fields = json.loads(data).get("fields") or []
                if fields:
                    msg = fields[0]["message"]
                    why += " " + ("拐点位于规划县域范围之外" if "范围之外" in msg else msg[:60])
            except ValueError:
                pass
            refused[why] += 1
    if not kept:
        sys.exit("no application was reviewed")
    sizes.sort()
    print(
        f"  reviewed {len(kept)} of {len(names)} applications; response JSON median "
        f"{sizes[len(sizes) // 2] // 1024} KiB, max {sizes[-1] // 1024} KiB"
    )
    for why, c in refused.most_common():
        print(f"  refused {c}: {why}")
    with open(os.path.join(out, "bodies.lua"), "w", encoding="utf-8") as f:
        for mode, save in (("trial", False), ("saved", True)):
            f.write(("return {\n" if mode == "trial" else "") + f" {mode} = {{\n")
            f.write(
                ",\n".join(
                    lua_string(json.dumps({"toml": t, "save": save}, ensure_ascii=False))
                    for t in kept
                )
            )
            f.write("\n },\n")
        f.write("}\n")


if __name__ == "__main__":
    if sys.argv[1] == "filter":
        filter_bodies(*sys.argv[2:6])
    else:
        main()
