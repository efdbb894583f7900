//! Broken bytes never panic a reader: every fixture cut at many lengths and with bytes
//! flipped at pseudo-random places is either read or refused with a message — no panic, no
//! allocation of a size the bytes do not hold (counts are checked against what is left).

use minplan_geo::GaussKrugerZone;
use minplan_io::export::{ExportFeature, ExportField, ExportLayer, FieldKind};
use minplan_io::{ExportFormat, InputFile, ReadOptions, WriteOptions, read_layer, write};
use std::path::Path;

fn data(rel: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(rel),
    )
    .unwrap()
}

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn mutants(bytes: &[u8], seed: u64) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let n = bytes.len();
    for k in 0..40 {
        out.push(bytes[..n * k / 40].to_vec());
    }
    let mut rng = Rng(seed);
    for _ in 0..200 {
        let mut b = bytes.to_vec();
        for _ in 0..1 + rng.next() % 4 {
            let at = (rng.next() as usize) % n;
            b[at] = rng.next() as u8;
        }
        out.push(b);
    }
    out
}

fn opts() -> ReadOptions {
    ReadOptions {
        zone: Some(GaussKrugerZone::three_degree(44, false).unwrap()),
        ..ReadOptions::default()
    }
}

fn layer() -> ExportLayer {
    let zone = GaussKrugerZone::three_degree(44, true).unwrap();
    let sq = vec![
        (44_430_000.0, 4_920_000.0),
        (44_431_000.0, 4_920_000.0),
        (44_431_000.0, 4_921_000.0),
        (44_430_000.0, 4_920_000.0),
    ];
    ExportLayer {
        name: "图层".into(),
        zone,
        fields: vec![ExportField {
            name: "名称".into(),
            kind: FieldKind::Text,
        }],
        features: vec![ExportFeature {
            name: "甲".into(),
            lonlat: vec![vec![
                sq.iter()
                    .map(|&(e, n)| {
                        let (a, b) = zone.projection().inverse(e, n);
                        [a, b]
                    })
                    .collect(),
            ]],
            plane: Some(vec![vec![sq]]),
            labels: None,
            values: vec!["甲".into()],
        }],
    }
}

#[test]
fn shapefile_members_cut_and_flipped() {
    let names = [
        "hongxian.shp",
        "hongxian.shx",
        "hongxian.dbf",
        "hongxian.prj",
        "hongxian.cpg",
    ];
    let good: Vec<InputFile> = names
        .iter()
        .map(|n| InputFile {
            name: n.to_string(),
            bytes: data(&format!("gdal/shp_gbk/{n}")),
        })
        .collect();
    let mut refused = 0;
    for (i, n) in names.iter().enumerate() {
        for m in mutants(&good[i].bytes, 7 + i as u64) {
            let mut files = good.clone();
            files[i] = InputFile {
                name: n.to_string(),
                bytes: m,
            };
            if read_layer(&files, &opts()).is_err() {
                refused += 1;
            }
        }
    }
    assert!(refused > 100, "broken members are refused ({refused})");
}

#[test]
fn every_format_cut_and_flipped() {
    let l = layer();
    let files = [
        ("x.zip", data("gdal/hongxian_gbk.zip")),
        ("x.gpkg", data("gdal/hongxian.gpkg")),
        (
            "x.kml",
            write(
                ExportFormat::Kml,
                std::slice::from_ref(&l),
                &WriteOptions::default(),
            )
            .unwrap(),
        ),
        (
            "x.dxf",
            write(
                ExportFormat::Dxf,
                std::slice::from_ref(&l),
                &WriteOptions::default(),
            )
            .unwrap(),
        ),
        (
            "x.geojson",
            write(
                ExportFormat::GeoJson,
                std::slice::from_ref(&l),
                &WriteOptions::default(),
            )
            .unwrap(),
        ),
    ];
    for (k, (name, bytes)) in files.iter().enumerate() {
        assert!(
            read_layer(
                &[InputFile {
                    name: name.to_string(),
                    bytes: bytes.clone()
                }],
                &opts()
            )
            .is_ok(),
            "{name} reads"
        );
        // The GeoPackage is 100 KB: fewer mutants keep the test quick.
        for m in mutants(bytes, 99 + k as u64)
            .into_iter()
            .take(if name.ends_with("gpkg") { 80 } else { 240 })
        {
            let _ = read_layer(
                &[InputFile {
                    name: name.to_string(),
                    bytes: m.clone(),
                }],
                &opts(),
            );
            let _ = minplan_io::corner_file_text(name, &m);
        }
    }
}
