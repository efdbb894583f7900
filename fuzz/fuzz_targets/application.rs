//! The application parser (`minplan-application/1` TOML) with a corner file's bytes, on
//! arbitrary input: the bytes before the first NUL are the TOML, those after it the corner
//! file. It never panics; an accepted application has finite, bounded figures
//! (`minplan_domain::limits`).
//!
//! Run: `tools/fuzz.sh 60 application`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use minplan_domain::application::parse_application;
use minplan_domain::minerals::MineralCatalogue;
use minplan_geo::corners::suifenhe_schematic;
use minplan_geo::crs::{GaussKrugerZone, ZoneWidth};

fuzz_target!(|data: &[u8]| {
    let (src, corners) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let src = String::from_utf8_lossy(src);
    let zone = GaussKrugerZone {
        width: ZoneWidth::Three,
        zone: 44,
        prefixed: true,
    };
    let _ = parse_application(
        &src,
        corners,
        &MineralCatalogue::builtin(),
        zone,
        Some(suifenhe_schematic()),
    );
});
