//! The limits on what minplan reads (输入上限): one policy, enforced by the readers themselves
//! (not only by the web server), so that the CLI, the web forms and the API refuse the same
//! inputs with the same words. A limit that is hit is a refusal with a Chinese message naming
//! the file, the sheet or the feature and the limit; nothing is written.
//!
//! `docs/limits.md` lists every limit, why it has its value and where it is enforced. The
//! values are generous for real data (the largest real tables and layers a county bureau
//! handles are far below them) and small enough that one request cannot exhaust a 2-core,
//! 4 GiB government PC.

/// Largest upload or attached file, bytes (10 MiB). Also the web server's request body limit
/// (multipart overhead included).
pub const UPLOAD_BYTES: usize = 10 * 1024 * 1024;

/// Most bytes the entries of an Excel workbook (`.xlsx`, a zip) may inflate to in total:
/// 64 MiB. Checked against the central directory and then by inflating each entry through a
/// counter before the workbook is opened, so that a lying header cannot get past it.
pub const TABLE_INFLATED_BYTES: u64 = 64 * 1024 * 1024;

/// Most rows of a sheet (the row number of the last used cell, counted from 1): 100 000.
pub const TABLE_ROWS: u32 = 100_000;

/// Most columns of a sheet (the column number of the last used cell, counted from 1): 256
/// (`IV`, the `.xls` format's own width).
pub const TABLE_COLUMNS: u32 = 256;

/// Most cells of a sheet's used rectangle (rows × columns between the first and the last used
/// cell): 2 000 000. A sheet with a cell at `A1` and one at `IV100000` is refused before any
/// cell is kept, because the readers lay the rectangle out in memory.
pub const TABLE_CELLS: u64 = 2_000_000;

/// Most characters of one cell: 32 767, Excel's own limit.
pub const CELL_CHARS: usize = 32_767;

/// Most bytes all entries of an uploaded archive (a zipped Shapefile, a KMZ) may inflate to:
/// 1 GiB.
pub const ARCHIVE_INFLATED_BYTES: u64 = 1 << 30;

/// Most entries of an uploaded archive.
pub const ARCHIVE_ENTRIES: usize = 10_000;

/// Largest absolute value of a plane coordinate, metres (CGCS2000 Gauss–Krüger, with or
/// without the zone prefix: a prefixed easting is below 1.3 × 10⁸, a northing below
/// 10⁷): 10⁹. A coordinate beyond it, or one that is not a finite number, is refused with
/// the feature and the point named; it would otherwise project to infinity or NaN.
pub const PLANE_COORDINATE_ABS: f64 = 1e9;

/// Largest 服务年限 an application may state, years: 100 (the longest-lived mines are planned
/// for decades; 9 223 372 036 854 775 807 was accepted and saved before, issue 19).
pub const SERVICE_YEARS: f64 = 100.0;

/// Largest number an application's 生产规模 or 储量 may state, in its unit: 10¹⁰ (ten billion
/// tonnes or cubic metres a year is beyond any mine; 1e308 was accepted and saved before).
pub const QUANTITY: f64 = 1e10;

/// Whether `v` is a plane coordinate within [`PLANE_COORDINATE_ABS`] (finite, metres).
pub fn plane_coordinate_ok(v: f64) -> bool {
    v.is_finite() && v.abs() <= PLANE_COORDINATE_ABS
}

/// Whether `(lon, lat)` is a geographic coordinate: finite degrees, longitude in
/// [−180, 180], latitude in [−90, 90] (CGCS2000, lon/lat order).
pub fn lonlat_ok(lon: f64, lat: f64) -> bool {
    lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_beyond_the_policy_are_refused() {
        assert!(plane_coordinate_ok(44_500_000.123));
        assert!(plane_coordinate_ok(-1e9));
        assert!(!plane_coordinate_ok(1e308));
        assert!(!plane_coordinate_ok(f64::NAN));
        assert!(!plane_coordinate_ok(f64::INFINITY));
        assert!(lonlat_ok(131.15, 44.4));
        assert!(!lonlat_ok(181.0, 44.4));
        assert!(!lonlat_ok(131.0, f64::NAN));
        assert!(!lonlat_ok(1e308, 0.0));
    }
}
