//! Bad input is refused as a whole with a message naming the file (and the place), never
//! read in part.

use minplan_domain::layer::{LayerOptions, check_layer};
use minplan_geo::GaussKrugerZone;
use minplan_io::{InputFile, ReadOptions, read_layer};
use std::io::Write;
use std::path::Path;

fn data(rel: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(rel),
    )
    .unwrap()
}

fn shp_files(skip: &str) -> Vec<InputFile> {
    ["shp", "shx", "dbf", "prj", "cpg"]
        .iter()
        .filter(|e| **e != skip)
        .map(|e| InputFile {
            name: format!("hongxian.{e}"),
            bytes: data(&format!("gdal/shp_gbk/hongxian.{e}")),
        })
        .collect()
}

fn opts() -> ReadOptions {
    ReadOptions {
        zone: Some(GaussKrugerZone::three_degree(44, false).unwrap()),
        ..ReadOptions::default()
    }
}

fn err(files: &[InputFile]) -> String {
    read_layer(files, &opts()).unwrap_err().0
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_inflated() {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.start_file(
        "bomb.shp",
        zip::write::SimpleFileOptions::default().large_file(true),
    )
    .unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..1100 {
        z.write_all(&zeros).unwrap();
    }
    let bytes = z.finish().unwrap().into_inner();
    assert!(
        bytes.len() < 3 << 20,
        "a small upload: {} bytes",
        bytes.len()
    );
    let e = err(&[InputFile {
        name: "炸弹.zip".into(),
        bytes,
    }]);
    assert!(e.contains("炸弹.zip") && e.contains("超过上限"), "{e}");
}

#[test]
fn missing_shx_or_dbf_is_named() {
    let e = err(&shp_files("shx"));
    assert!(e.contains("hongxian.shx"), "{e}");
    let e = err(&shp_files("dbf"));
    assert!(e.contains("hongxian.dbf"), "{e}");
}

#[test]
fn a_corrupt_dbf_is_named() {
    let mut f = shp_files("");
    let dbf = f.iter_mut().find(|f| f.name.ends_with(".dbf")).unwrap();
    dbf.bytes.truncate(dbf.bytes.len() - 100);
    let e = err(&f);
    assert!(e.contains("hongxian.dbf") && e.contains("不完整"), "{e}");
    let mut f = shp_files("");
    let dbf = f.iter_mut().find(|f| f.name.ends_with(".dbf")).unwrap();
    dbf.bytes[0] = 0x42;
    let e = err(&f);
    assert!(e.contains("hongxian.dbf") && e.contains("dBASE"), "{e}");
}

#[test]
fn record_counts_that_disagree_are_an_error() {
    let mut f = shp_files("");
    let shx = f.iter_mut().find(|f| f.name.ends_with(".shx")).unwrap();
    shx.bytes.truncate(shx.bytes.len() - 8);
    let e = err(&f);
    assert!(
        e.contains(".shp 有 3 条") && e.contains(".shx 有 2 条") && e.contains(".dbf 有 3 条"),
        "{e}"
    );
}

#[test]
fn xian80_and_beijing54_prj_are_refused() {
    let xian = r#"PROJCS["Xian_1980_3_Degree_GK_Zone_44",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",44500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",132.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    let beijing = r#"PROJCS["Beijing_1954_3_Degree_GK_CM_132E",GEOGCS["GCS_Beijing_1954",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",132.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    for (wkt, word) in [(xian, "西安80"), (beijing, "北京54")] {
        let mut f = shp_files("prj");
        f.push(InputFile {
            name: "hongxian.prj".into(),
            bytes: wkt.as_bytes().to_vec(),
        });
        let e = err(&f);
        assert!(
            e.contains("hongxian.prj") && e.contains(word) && e.contains("CGCS2000"),
            "{e}"
        );
    }
}

#[test]
fn a_missing_prj_asks_for_the_crs_instead_of_guessing() {
    let l = read_layer(&shp_files("prj"), &opts()).unwrap();
    assert_eq!(l.crs, None);
    assert!(l.notes.iter().any(|n| n.contains("缺少 hongxian.prj")));
    let o = LayerOptions {
        id_property: None,
        zone: GaussKrugerZone::three_degree(44, false).unwrap(),
        buffer_m: None,
        region: None,
    };
    let e = check_layer(l.clone(), None, &o).unwrap_err();
    assert!(e.contains("请指定坐标系"), "{e}");
    let named = minplan_geo::Crs::from_epsg(4532).unwrap();
    let checked = check_layer(l, Some(named), &o).unwrap();
    assert_eq!(checked.features.len(), 3);
    // Once named, the request for a CRS gives way to the CRS used.
    assert!(
        checked
            .notes
            .iter()
            .any(|n| n.contains("EPSG:4532（按指定")),
        "{:?}",
        checked.notes
    );
    assert!(
        !checked.notes.iter().any(|n| n.contains("不作猜测")),
        "{:?}",
        checked.notes
    );
}

#[test]
fn a_file_that_is_not_a_geopackage_is_named() {
    let e = err(&[InputFile {
        name: "图层.gpkg".into(),
        bytes: b"not a database at all, just text".to_vec(),
    }]);
    assert!(
        e.contains("图层.gpkg") && e.contains("不是 GeoPackage"),
        "{e}"
    );
}

#[test]
fn prj_parameters_are_read_not_names_trusted() {
    use minplan_io::prj::parse;
    // A name that says zone 44 with the parameters of zone 43 is zone 43.
    let lying = r#"PROJCS["CGCS2000_3_Degree_GK_Zone_44",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",43500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",129.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    assert_eq!(parse(lying).unwrap().crs.epsg(), 4531);
    // Every CGCS2000 zone written by esri_wkt reads back as itself.
    for code in 4491..=4554 {
        let crs = minplan_geo::Crs::from_epsg(code).unwrap();
        assert_eq!(
            parse(&minplan_io::prj::esri_wkt(crs)).unwrap().crs,
            crs,
            "EPSG:{code}"
        );
    }
    // UTM (scale 0.9996) is not Gauss–Krüger.
    let utm = lying.replace(
        r#"PARAMETER["Scale_Factor",1.0]"#,
        r#"PARAMETER["Scale_Factor",0.9996]"#,
    );
    assert!(parse(&utm).unwrap_err().contains("0.9996"));
}

#[cfg(not(feature = "gdal"))]
#[test]
fn a_file_geodatabase_without_the_gdal_feature_says_how_to_export_it() {
    let e = err(&[InputFile {
        name: "红线.zip".into(),
        bytes: data("gdal/hongxian_gdb.zip"),
    }]);
    assert!(
        e.contains("File Geodatabase") && e.contains("Shapefile 或 GeoPackage"),
        "{e}"
    );
}
