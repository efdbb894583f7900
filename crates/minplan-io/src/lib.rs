//! Layer files in and out: Shapefile (zip or loose files), GeoPackage, KML/KMZ, DXF and
//! Excel/CSV corner lists. Readers take the files' bytes and return a
//! [`SourceLayer`](minplan_domain::layer::SourceLayer) — geometry in the file's CRS, attributes
//! as read, the reader's decisions as notes — which
//! [`check_layer`](minplan_domain::layer::check_layer) then checks feature by feature. Writers
//! take an [`ExportLayer`] set and return the bytes of one file. Nothing here touches a
//! database, the file system or the clock.
//!
//! CRS: CGCS2000 only — longitude/latitude (EPSG:4490) or a Gauss–Krüger zone
//! (EPSG:4491–4554, easting with or without the zone prefix). Files in Xi'an 80 or Beijing 54
//! are refused with a message, never transformed.

pub mod archive;
pub mod corners;
pub mod dbf;
pub mod dxf;
pub mod export;
pub mod geojson;
pub mod gpkg;
pub mod input;
pub mod kml;
#[cfg(feature = "gdal")]
pub mod ogr;
pub mod prj;
pub mod shp;
pub mod table;
pub mod wkb;
pub mod writer;
pub mod xlsx;

pub use export::{ExportFeature, ExportField, ExportLayer, FieldKind, FieldValue};
pub use input::{InputFile, ReadOptions, corner_file_text, load_layer, read_layer, stream_layer};
pub use writer::{ExportFormat, WriteOptions, write};

/// A file that cannot be read as a whole, with the place (file, record, field, byte) named.
/// Problems of a single feature are not errors: they travel with the feature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ReadError(pub String);

impl ReadError {
    /// A message naming the file.
    pub fn at(file: &str, message: impl std::fmt::Display) -> Self {
        ReadError(format!("{file}：{message}"))
    }
}

/// A file that cannot be written (a value the format cannot hold), with the field named.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct WriteError(pub String);

/// A layer read feature by feature: what the file says about itself first (CRS, notes), then
/// its features as they are decoded, so that a large layer is never held whole twice.
pub struct LayerStream<'a> {
    /// The CRS the file declares (`None`: the user must name one).
    pub crs: Option<minplan_geo::Crs>,
    /// What the reader decided (format, encoding and why, CRS source, Z/M dropped …).
    pub notes: Vec<String>,
    /// The features; an `Err` is a record that breaks the file as a whole (its text cannot be
    /// decoded), after which the import must be abandoned.
    pub features: FeatureStream<'a>,
}

/// The features of a [`LayerStream`], as they are decoded.
pub type FeatureStream<'a> =
    Box<dyn Iterator<Item = Result<minplan_domain::layer::SourceFeature, ReadError>> + Send + 'a>;
