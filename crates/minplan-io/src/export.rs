//! What the writers take: layers of features with typed attribute fields. Geometry is given
//! in lon/lat (CGCS2000) and, where the user entered plane coordinates, as those entered
//! values too: a writer in a Gauss–Krüger CRS uses the entered values as they are (never
//! round-tripped through lon/lat) and projects only what has no entered values.

use minplan_domain::plan::LonLatPolygon;
use minplan_geo::GaussKrugerZone;

/// Rings of one polygon as `(easting, northing)` metres in one Gauss–Krüger zone, exterior
/// first.
pub type PlanePolygon = Vec<Vec<(f64, f64)>>;

/// A field's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Text.
    Text,
    /// An integer.
    Integer,
    /// A real number with this many decimals (DBF `N` width/decimals; GeoPackage `REAL`).
    Real(u8),
    /// A date (`YYYY-MM-DD`).
    Date,
}

/// One attribute field of an [`ExportLayer`].
#[derive(Debug, Clone, PartialEq)]
pub struct ExportField {
    /// The field's full name (Chinese, as the product shows it). Writers with short names
    /// (DBF: 10 bytes) shorten it and write the long → short table beside the file.
    pub name: String,
    /// Type.
    pub kind: FieldKind,
}

/// One attribute value.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    /// No value (DBF blanks, SQL NULL).
    Null,
    /// Text.
    Text(String),
    /// Integer.
    Integer(i64),
    /// Real.
    Real(f64),
}

impl From<&str> for FieldValue {
    fn from(s: &str) -> Self {
        FieldValue::Text(s.to_string())
    }
}
impl From<String> for FieldValue {
    fn from(s: String) -> Self {
        FieldValue::Text(s)
    }
}
impl From<Option<String>> for FieldValue {
    fn from(s: Option<String>) -> Self {
        s.map_or(FieldValue::Null, FieldValue::Text)
    }
}
impl From<f64> for FieldValue {
    fn from(v: f64) -> Self {
        if v.is_finite() {
            FieldValue::Real(v)
        } else {
            FieldValue::Null
        }
    }
}
impl From<Option<f64>> for FieldValue {
    fn from(v: Option<f64>) -> Self {
        v.map_or(FieldValue::Null, FieldValue::from)
    }
}
impl From<i64> for FieldValue {
    fn from(v: i64) -> Self {
        FieldValue::Integer(v)
    }
}

impl FieldValue {
    /// The value as text (for KML descriptions and DXF labels); `None` for [`FieldValue::Null`].
    pub fn display(&self) -> Option<String> {
        match self {
            FieldValue::Null => None,
            FieldValue::Text(s) => Some(s.clone()),
            FieldValue::Integer(i) => Some(i.to_string()),
            FieldValue::Real(r) => Some(r.to_string()),
        }
    }
}

/// One feature to write.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportFeature {
    /// Display name (KML `name`, DXF label).
    pub name: String,
    /// Geometry, lon/lat CGCS2000, exterior rings counter-clockwise, rings closed.
    pub lonlat: Vec<LonLatPolygon>,
    /// The same geometry as entered in the plane, when the user entered plane coordinates:
    /// `(easting, northing)` in [`ExportLayer::zone`], with the zone prefix as entered.
    pub plane: Option<Vec<PlanePolygon>>,
    /// Corner labels of each ring as entered (`plane`'s shape), for DXF labels and XLSX lists.
    pub labels: Option<Vec<Vec<Vec<String>>>>,
    /// One value per [`ExportLayer::fields`] entry.
    pub values: Vec<FieldValue>,
}

/// A layer to write.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportLayer {
    /// Layer (table) name, Chinese allowed; also the DXF layer name.
    pub name: String,
    /// The Gauss–Krüger zone for plane output (the plan's zone).
    pub zone: GaussKrugerZone,
    /// Attribute fields.
    pub fields: Vec<ExportField>,
    /// Features.
    pub features: Vec<ExportFeature>,
}

impl ExportFeature {
    /// The lon/lat geometry projected into `zone` (Gauss–Krüger, CGCS2000 ellipsoid; easting
    /// with the zone prefix when the zone is prefixed).
    fn projected(&self, zone: GaussKrugerZone) -> Vec<PlanePolygon> {
        let tm = zone.projection();
        self.lonlat
            .iter()
            .map(|poly| {
                poly.iter()
                    .map(|ring| ring.iter().map(|q| tm.forward(q[0], q[1])).collect())
                    .collect()
            })
            .collect()
    }

    /// The geometry in `target`'s plane, for a layer whose entered values are in `entered`:
    /// the entered values when the two are the same zone with the same prefix, else projected
    /// from lon/lat into `target` (so `--epsg 4553` gives unprefixed eastings, `4531` zone 43).
    pub fn plane_for(
        &self,
        entered: GaussKrugerZone,
        target: GaussKrugerZone,
    ) -> Vec<PlanePolygon> {
        if target == entered {
            self.plane_in(entered)
        } else {
            self.projected(target)
        }
    }

    /// The geometry in `zone`'s plane: the entered values when there are some, else projected
    /// from lon/lat. Rings closed.
    pub fn plane_in(&self, zone: GaussKrugerZone) -> Vec<PlanePolygon> {
        match &self.plane {
            Some(p) => p.clone(),
            None => self.projected(zone),
        }
    }

    /// The geometry as `(x, y)` pairs in `crs`: lon/lat for EPSG:4490, else
    /// [`ExportFeature::plane_for`] (the layer's entered values are in `entered`).
    pub fn coordinates_in(
        &self,
        entered: GaussKrugerZone,
        crs: minplan_geo::Crs,
    ) -> Vec<PlanePolygon> {
        match crs {
            minplan_geo::Crs::GaussKruger(z) => self.plane_for(entered, z),
            minplan_geo::Crs::Geographic => self
                .lonlat
                .iter()
                .map(|p| {
                    p.iter()
                        .map(|r| r.iter().map(|q| (q[0], q[1])).collect())
                        .collect()
                })
                .collect(),
        }
    }
}

/// A written ring's corners without its closing repeat, all finite — as corner lists and
/// drawings list them.
///
/// # Errors
/// [`WriteError`](crate::WriteError) naming the layer, the feature and the coordinate that is
/// not a finite number.
pub(crate) fn open_ring(
    layer: &str,
    feature: &str,
    ring: &[(f64, f64)],
) -> Result<Vec<(f64, f64)>, crate::WriteError> {
    let mut pts = ring.to_vec();
    if pts.len() > 1 && pts.first() == pts.last() {
        pts.pop();
    }
    if let Some(bad) = pts.iter().find(|q| !(q.0.is_finite() && q.1.is_finite())) {
        return Err(crate::WriteError(format!(
            "图层“{layer}”的要素“{feature}”有不是有限数的坐标 ({}, {})",
            bad.0, bad.1
        )));
    }
    Ok(pts)
}
