//! The layer readers (`minplan_io::read_layer`: Shapefile with its DBF, GeoPackage, KML, KMZ,
//! DXF, GeoJSON) on arbitrary bytes. The first byte chooses the format; for a Shapefile the
//! rest is split at the first `\0\0\0\0` into the `.shp` and the `.dbf`. It never panics
//! or aborts; what it cannot read is a named problem (of the file or of one feature).
//!
//! Run: `tools/fuzz.sh 60 layer`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use minplan_io::{InputFile, ReadOptions, read_layer};

fn file(name: &str, bytes: &[u8]) -> InputFile {
    InputFile {
        name: name.into(),
        bytes: bytes.to_vec(),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let files = match which % 6 {
        0 => {
            let cut = rest
                .windows(4)
                .position(|w| w == [0, 0, 0, 0])
                .unwrap_or(rest.len());
            let dbf = rest.get(cut + 4..).unwrap_or(&[]);
            vec![file("图层.shp", &rest[..cut]), file("图层.dbf", dbf)]
        }
        1 => vec![file("图层.gpkg", rest)],
        2 => vec![file("图层.kml", rest)],
        3 => vec![file("图层.kmz", rest)],
        4 => vec![file("图层.dxf", rest)],
        _ => vec![file("图层.geojson", rest)],
    };
    let _ = read_layer(&files, &ReadOptions::default());
});
