//! Layer files from the command line: a GBK Shapefile (loose files, found beside the `.shp`)
//! checked and imported as a control layer; the register exported as a Shapefile and
//! imported again into another database; a review exported with its corners as entered and
//! its corner file given as a DXF; bad files refused with exit code 1 and nothing stored.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn minplan(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_minplan"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn gdal_data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../minplan-io/tests/data/gdal")
        .join(rel)
}

fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn tmp(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("io_cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn a_shapefile_layer_is_checked_then_imported_and_exported() {
    let d = tmp("layer");
    let db = d.join("t.db");
    let shp = gdal_data("shp_ldid/hongxian.shp");
    let o = minplan(
        &db,
        &[
            "layer",
            "import",
            "生态保护红线",
            shp.to_str().unwrap(),
            "--check",
        ],
    );
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(
        t.contains("绥芬河生态保护红线一区")
            && t.contains("阜宁镇红线（含挖空）")
            && t.contains("0x4D"),
        "{t}"
    );
    assert!(t.contains("可用要素 3 个"), "{t}");
    let o = minplan(&db, &["layer", "list"]);
    assert!(text(&o).contains("尚未导入"), "--check stored nothing");
    let o = minplan(
        &db,
        &["layer", "import", "生态保护红线", shp.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("3 个要素") && text(&o).contains("EPSG:4532"));
    // Out as GeoPackage in lon/lat, read back by our reader: the same three names.
    let out = d.join("图层.gpkg");
    let o = minplan(
        &db,
        &[
            "export",
            "layers",
            "--format",
            "gpkg",
            "--epsg",
            "4490",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let back = minplan_io::read_layer(
        &[minplan_io::InputFile {
            name: "图层.gpkg".into(),
            bytes: std::fs::read(&out).unwrap(),
        }],
        &minplan_io::ReadOptions {
            layer: Some("生态保护红线".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(back.crs, Some(minplan_geo::Crs::Geographic));
    let names: Vec<_> = back
        .features
        .iter()
        .filter_map(|f| f.properties["名称"].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        names,
        ["绥芬河生态保护红线一区", "阜宁镇红线（含挖空）", "两片红线"]
    );
}

#[test]
fn bad_files_are_refused_and_nothing_is_stored() {
    let d = tmp("bad");
    let db = d.join("t.db");
    // A .shp without its .dbf beside it.
    std::fs::copy(gdal_data("shp_gbk/hongxian.shp"), d.join("孤.shp")).unwrap();
    std::fs::copy(gdal_data("shp_gbk/hongxian.shx"), d.join("孤.shx")).unwrap();
    let o = minplan(
        &db,
        &[
            "layer",
            "import",
            "生态保护红线",
            d.join("孤.shp").to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("缺少 孤.dbf"), "{}", text(&o));
    // A Shapefile without .prj and without --epsg.
    for e in ["shp", "shx", "dbf"] {
        std::fs::copy(
            gdal_data(&format!("shp_gbk/hongxian.{e}")),
            d.join(format!("无坐标系.{e}")),
        )
        .unwrap();
    }
    let o = minplan(
        &db,
        &[
            "layer",
            "import",
            "生态保护红线",
            d.join("无坐标系.shp").to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("请指定坐标系"), "{}", text(&o));
    // With --epsg it goes in.
    let o = minplan(
        &db,
        &[
            "layer",
            "import",
            "生态保护红线",
            d.join("无坐标系.shp").to_str().unwrap(),
            "--epsg",
            "4532",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let o = minplan(&db, &["layer", "list", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v.as_array().unwrap().len(),
        1,
        "only the good import is stored"
    );
}

#[test]
fn the_register_goes_out_as_a_shapefile_and_into_another_database() {
    let d = tmp("rights");
    let a = d.join("a.db");
    let rights = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"C2310812019010001","kind":"采矿权","status":"有效","name":"庆发采石场","holder_name":"绥芬河市老庆发石材有限责任公司","credit_code":"91231081MA1BXY007Q","minerals":"建筑用凝灰岩","capacity":5,"capacity_unit":"万立方米/年","approval":"本级审批","valid_from":"2019-07-01","valid_to":"2027-06-30"},"geometry":{"type":"Polygon","coordinates":[[[131.10,44.33],[131.102,44.33],[131.102,44.332],[131.10,44.332],[131.10,44.33]]]}}]}"#;
    std::fs::write(d.join("r.geojson"), rights).unwrap();
    assert!(
        minplan(
            &a,
            &["right", "import", d.join("r.geojson").to_str().unwrap()]
        )
        .status
        .success()
    );
    let zip = d.join("矿业权.zip");
    let o = minplan(
        &a,
        &[
            "export",
            "rights",
            "--format",
            "shp",
            "--out",
            zip.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let b = d.join("b.db");
    // Checked first (nothing written), then imported.
    let o = minplan(&b, &["right", "import", zip.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let o = minplan(&b, &["right", "list", "--json"]);
    assert!(
        !String::from_utf8_lossy(&o.stdout).contains("C2310812019010001"),
        "dry run wrote nothing"
    );
    let o = minplan(&b, &["right", "import", zip.to_str().unwrap(), "--commit"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = minplan(&b, &["right", "list", "--json"]);
    let t = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        t.contains("C2310812019010001")
            && t.contains("绥芬河市老庆发石材有限责任公司")
            && t.contains("91231081MA1BXY007Q"),
        "{t}"
    );
}

#[test]
fn a_review_with_a_dxf_corner_file_exports_its_corners_as_entered() {
    let d = tmp("review");
    let db = d.join("t.db");
    // The 庆发 corners (EPSG:4532, prefixed eastings) drawn as a closed LWPOLYLINE.
    let txt = std::fs::read_to_string(examples().join("01-qingfa-quarry.txt")).unwrap();
    let pts: Vec<(String, String)> = txt
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with('*'))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[2].to_string(), f[1].to_string())
        })
        .collect();
    let mut dxf = format!(
        "0\nSECTION\n2\nENTITIES\n0\nLWPOLYLINE\n8\n采区\n90\n{}\n70\n1\n",
        pts.len()
    );
    for (e, n) in &pts {
        dxf.push_str(&format!("10\n{e}\n20\n{n}\n"));
    }
    dxf.push_str("0\nENDSEC\n0\nEOF\n");
    std::fs::write(d.join("范围.dxf"), dxf).unwrap();
    let toml = std::fs::read_to_string(examples().join("01-qingfa-quarry.toml"))
        .unwrap()
        .replace("01-qingfa-quarry.txt", "范围.dxf");
    std::fs::write(d.join("申请.toml"), toml).unwrap();
    let o = minplan(
        &db,
        &["review", d.join("申请.toml").to_str().unwrap(), "--json"],
    );
    let v: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", text(&o)));
    let id = v["review_id"].as_i64().expect("saved");
    // The same area as the text corner file gives.
    let o2 = minplan(
        &d.join("other.db"),
        &[
            "review",
            examples().join("01-qingfa-quarry.toml").to_str().unwrap(),
            "--json",
            "--no-save",
        ],
    );
    let v2: serde_json::Value = serde_json::from_slice(&o2.stdout).unwrap();
    assert_eq!(v["application_area_m2"], v2["application_area_m2"]);
    let out = d.join("审查.zip");
    let o = minplan(
        &db,
        &[
            "export",
            "review",
            "--id",
            &id.to_string(),
            "--format",
            "shp",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let back = minplan_io::read_layer(
        &[minplan_io::InputFile {
            name: "审查.zip".into(),
            bytes: std::fs::read(&out).unwrap(),
        }],
        &minplan_io::ReadOptions {
            layer: Some("申请范围".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let minplan_domain::layer::SourceGeometry::Polygons(p) =
        back.features[0].geometry.clone().unwrap()
    else {
        panic!()
    };
    for (e, n) in &pts {
        let q = (e.parse::<f64>().unwrap(), n.parse::<f64>().unwrap());
        assert!(p[0][0].contains(&q), "{q:?} exactly as entered");
    }
}
