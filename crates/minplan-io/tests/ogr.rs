//! The optional `gdal` feature: a File Geodatabase written by GDAL (`ogr2ogr -f OpenFileGDB`,
//! zipped; `tests/data/gdal/hongxian_gdb.zip`) is read through GDAL with the same names, CRS,
//! holes and multipolygons as the Shapefile and GeoPackage of the same source. Built only with
//! `--features gdal` (needs libgdal: Debian `libgdal-dev`; `.ci/run` installs it and runs this).
#![cfg(feature = "gdal")]

use minplan_domain::layer::{LayerOptions, SourceGeometry, check_layer};
use minplan_geo::{Crs, GaussKrugerZone};
use minplan_io::{InputFile, ReadOptions, read_layer};
use std::path::Path;

fn gdb_zip() -> InputFile {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/gdal/hongxian_gdb.zip");
    InputFile {
        name: "红线.zip".into(),
        bytes: std::fs::read(p).unwrap(),
    }
}

#[test]
fn a_zipped_file_geodatabase_reads_like_the_shapefile() {
    let zone = GaussKrugerZone::three_degree(44, false).unwrap();
    let l = read_layer(
        &[gdb_zip()],
        &ReadOptions {
            zone: Some(zone),
            ..ReadOptions::default()
        },
    )
    .unwrap();
    assert_eq!(l.crs, Some(Crs::from_epsg(4532).unwrap()), "{:?}", l.notes);
    assert!(
        l.notes.iter().any(|n| n.contains("生态保护红线")),
        "{:?}",
        l.notes
    );
    let names: Vec<String> = l
        .features
        .iter()
        .map(|f| f.name.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        names,
        ["绥芬河生态保护红线一区", "阜宁镇红线（含挖空）", "两片红线"]
    );
    let SourceGeometry::Polygons(p) = l.features[1].geometry.clone().unwrap() else {
        panic!()
    };
    assert_eq!((p.len(), p[0].len()), (1, 2), "shell and hole");
    let SourceGeometry::Polygons(p) = l.features[2].geometry.clone().unwrap() else {
        panic!()
    };
    assert_eq!(p.len(), 2, "two polygons");
    let checked = check_layer(
        l,
        None,
        &LayerOptions {
            id_property: None,
            zone,
            buffer_m: None,
            region: None,
        },
    )
    .unwrap();
    assert!(checked.problems.is_empty(), "{:?}", checked.problems);
    let areas: Vec<f64> = checked.features.iter().map(|f| f.area_km2).collect();
    for (a, want) in areas.iter().zip([1.0, 3.75, 0.5]) {
        assert!((a - want).abs() / want < 2e-3, "{areas:?}");
    }
}

#[test]
fn a_layer_that_is_not_there_is_named() {
    let e = read_layer(
        &[gdb_zip()],
        &ReadOptions {
            layer: Some("农田".into()),
            ..ReadOptions::default()
        },
    )
    .unwrap_err();
    assert!(
        e.0.contains("没有图层“农田”") && e.0.contains("生态保护红线"),
        "{e}"
    );
}
