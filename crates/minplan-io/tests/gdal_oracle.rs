//! GDAL as the oracle for what we write: `ogrinfo` opens every Shapefile and GeoPackage we
//! write with the right CRS, feature count and Chinese values; `ogr2ogr` converts them and our
//! readers get back the same coordinates; `validate_gpkg.py` (python3-gdal) accepts our
//! GeoPackage. Needs `gdal-bin` and `python3-gdal`, which `.ci/run` installs.

use minplan_domain::layer::SourceGeometry;
use minplan_geo::{Crs, GaussKrugerZone};
use minplan_io::export::{ExportFeature, ExportField, ExportLayer, FieldKind, FieldValue};
use minplan_io::{ExportFormat, InputFile, ReadOptions, WriteOptions, read_layer, write};
use std::path::{Path, PathBuf};
use std::process::Command;

fn dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("gdal-oracle")
        .join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd}: {e}"));
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Two rights in zone 44 with the zone prefix; the first with entered plane values.
fn layer() -> ExportLayer {
    let zone = GaussKrugerZone::three_degree(44, true).unwrap();
    let tm = zone.projection();
    let sq = |x0: f64, y0: f64, s: f64| {
        vec![
            (x0, y0),
            (x0 + s, y0),
            (x0 + s, y0 + s),
            (x0, y0 + s),
            (x0, y0),
        ]
    };
    let ll = |p: &Vec<Vec<(f64, f64)>>| -> Vec<Vec<[f64; 2]>> {
        p.iter()
            .map(|r| {
                r.iter()
                    .map(|&(e, n)| {
                        let (a, b) = tm.inverse(e, n);
                        [a, b]
                    })
                    .collect()
            })
            .collect()
    };
    let a = vec![sq(44_430_000.125, 4_920_000.375, 1000.0)];
    let mut hole = sq(44_432_500.0, 4_920_500.0, 500.0);
    hole.reverse();
    let b = vec![sq(44_432_000.0, 4_920_000.0, 2000.0), hole];
    ExportLayer {
        name: "采矿权".into(),
        zone,
        fields: vec![
            ExportField {
                name: "许可证号".into(),
                kind: FieldKind::Text,
            },
            ExportField {
                name: "矿业权人名称".into(),
                kind: FieldKind::Text,
            },
            ExportField {
                name: "面积（平方公里）".into(),
                kind: FieldKind::Real(4),
            },
        ],
        features: vec![
            ExportFeature {
                name: "建兴石场".into(),
                lonlat: vec![ll(&a)],
                plane: Some(vec![a.clone()]),
                labels: None,
                values: vec![
                    "C2310812009127120045678".into(),
                    "绥芬河市建兴石材有限公司".into(),
                    FieldValue::Real(1.0),
                ],
            },
            ExportFeature {
                name: "阜宁镇采石场".into(),
                lonlat: vec![ll(&b)],
                plane: None,
                labels: None,
                values: vec![
                    "C2310812010127120056789".into(),
                    "阜宁镇石料厂".into(),
                    FieldValue::Real(3.75),
                ],
            },
        ],
    }
}

fn unzip(bytes: &[u8], to: &Path) {
    for e in minplan_io::archive::entries("x.zip", bytes, |_| true).unwrap() {
        std::fs::write(to.join(&e.name), e.bytes).unwrap();
    }
}

fn zone_opts() -> ReadOptions {
    ReadOptions {
        zone: Some(GaussKrugerZone::three_degree(44, false).unwrap()),
        ..ReadOptions::default()
    }
}

#[test]
#[ignore = "needs gdal-bin (ogrinfo, ogr2ogr); .ci/run installs it and runs it with --ignored"]
fn gdal_opens_our_shapefile_with_crs_and_chinese_values() {
    let d = dir("shp");
    unzip(
        &write(
            ExportFormat::Shapefile,
            &[layer()],
            &WriteOptions::default(),
        )
        .unwrap(),
        &d,
    );
    let shp = d.join("采矿权.shp");
    let info = run("ogrinfo", &["-al", "-so", shp.to_str().unwrap()]);
    assert!(info.contains("Feature Count: 2"), "{info}");
    assert!(
        info.contains("CGCS2000 / 3-degree Gauss-Kruger zone 44")
            || info.contains("CGCS2000_3_Degree_GK_Zone_44"),
        "{info}"
    );
    assert!(info.contains("矿业权人名"), "{info}");
    let all = run("ogrinfo", &["-al", "-q", shp.to_str().unwrap()]);
    assert!(all.contains("绥芬河市建兴石材有限公司"), "{all}");
    assert!(all.contains("阜宁镇石料厂"), "{all}");
    let srs = run(
        "gdalsrsinfo",
        &["-e", "-o", "epsg", d.join("采矿权.prj").to_str().unwrap()],
    );
    assert!(srs.contains("EPSG:4532"), "{srs}");
}

#[test]
#[ignore = "needs gdal-bin (ogrinfo, ogr2ogr); .ci/run installs it and runs it with --ignored"]
fn ogr2ogr_round_trip_keeps_our_coordinates() {
    let d = dir("roundtrip");
    let l = layer();
    unzip(
        &write(
            ExportFormat::Shapefile,
            std::slice::from_ref(&l),
            &WriteOptions::default(),
        )
        .unwrap(),
        &d,
    );
    let gpkg = d.join("via_gdal.gpkg");
    run(
        "ogr2ogr",
        &[
            "-f",
            "GPKG",
            gpkg.to_str().unwrap(),
            d.join("采矿权.shp").to_str().unwrap(),
        ],
    );
    let back = read_layer(
        &[InputFile {
            name: "via_gdal.gpkg".into(),
            bytes: std::fs::read(&gpkg).unwrap(),
        }],
        &zone_opts(),
    )
    .unwrap();
    assert_eq!(back.crs, Some(Crs::GaussKruger(l.zone)));
    assert_eq!(
        back.features[0].properties["矿业权人名"],
        serde_json::json!("绥芬河市建兴石材有限公司")
    );
    let SourceGeometry::Polygons(p) = back.features[0].geometry.clone().unwrap() else {
        panic!()
    };
    let mut got = p[0][0].clone();
    let mut want = l.features[0].plane.as_ref().unwrap()[0][0].clone();
    got.sort_by(|a, b| a.partial_cmp(b).unwrap());
    want.sort_by(|a, b| a.partial_cmp(b).unwrap());
    assert_eq!(got, want, "bit-identical entered coordinates after GDAL");
}

#[test]
#[ignore = "needs gdal-bin and python3-gdal (validate_gpkg.py); .ci/run installs them and runs it with --ignored"]
fn our_geopackage_passes_gdal_validation() {
    let d = dir("gpkg");
    let path = d.join("导出.gpkg");
    let mut second = layer();
    second.name = "规划区块".into();
    std::fs::write(
        &path,
        write(
            ExportFormat::GeoPackage,
            &[layer(), second],
            &WriteOptions::default(),
        )
        .unwrap(),
    )
    .unwrap();
    let script = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py";
    let out = Command::new("/usr/bin/python3")
        .args([script, path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "validate_gpkg: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let info = run("ogrinfo", &["-so", path.to_str().unwrap(), "采矿权"]);
    assert!(info.contains("Feature Count: 2"), "{info}");
    assert!(info.contains("ID[\"EPSG\",4532]"), "{info}");
    let all = run("ogrinfo", &["-q", path.to_str().unwrap(), "规划区块"]);
    assert!(all.contains("绥芬河市建兴石材有限公司"), "{all}");
    // The R-tree answers a spatial filter.
    let hit = run(
        "ogrinfo",
        &[
            "-q",
            "-spat",
            "44433900",
            "4921900",
            "44433950",
            "4921950",
            path.to_str().unwrap(),
            "采矿权",
        ],
    );
    assert!(
        hit.contains("阜宁镇石料厂") && !hit.contains("建兴"),
        "{hit}"
    );
}
