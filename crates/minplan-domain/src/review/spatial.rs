//! The spatial index a review queries: planning blocks, control layers and rights, each a
//! prepared [`OverlayLayer`] in the plan's Gauss–Krüger zone **without** the zone prefix
//! ((easting, northing) metres). Built once (at start, or after a layer or the register
//! changes) and shared by every review.

use crate::plan::{ControlLayerKind, LonLatPolygon, Plan};
use crate::rights::MiningRight;
use geo::{Coord, LineString, MultiPolygon, Polygon};
use minplan_geo::overlay::{BuildOptions, OverlayLayer};
use minplan_geo::{GaussKrugerZone, TiledInverse, TransverseMercator};
use serde::Serialize;

/// A feature in plane coordinates.
#[derive(Debug, Clone)]
pub struct PlaneFeature {
    /// Identifier within its layer.
    pub id: String,
    /// Name, if any.
    pub name: Option<String>,
    /// Geometry, (easting, northing) metres, zone without prefix.
    pub geometry: MultiPolygon<f64>,
}

/// A control layer in plane coordinates, with where it came from.
#[derive(Debug, Clone)]
pub struct PlaneLayer {
    /// Kind.
    pub kind: ControlLayerKind,
    /// Display name.
    pub name: String,
    /// Source (e.g. `规划数据包（示意）`, `导入图层 #3`).
    pub source: String,
    /// Version marker recorded with each review (e.g. the content hash).
    pub version: String,
    /// Whether schematic (示意).
    pub schematic: bool,
    /// Features.
    pub features: Vec<PlaneFeature>,
}

/// A prepared control layer.
pub struct ControlIndex {
    /// Kind.
    pub kind: ControlLayerKind,
    /// Display name.
    pub name: String,
    /// Source.
    pub source: String,
    /// Version marker.
    pub version: String,
    /// Whether schematic.
    pub schematic: bool,
    /// Feature ids and names, by feature index.
    pub features: Vec<(String, Option<String>)>,
    /// The prepared geometry.
    pub layer: OverlayLayer,
}

/// Figures of an index build.
#[derive(Debug, Clone, Serialize)]
pub struct IndexStats {
    /// Features indexed, all layers.
    pub features: usize,
    /// Pieces after subdivision.
    pub pieces: usize,
}

/// Everything a review overlays against.
pub struct SpatialIndex {
    /// The plane: the plan's zone, without prefix.
    pub zone: GaussKrugerZone,
    tm: std::sync::Arc<TiledInverse>,
    /// Planning blocks; feature i is `plan.blocks[i]`.
    pub blocks: OverlayLayer,
    /// Control layers.
    pub control: Vec<ControlIndex>,
    /// Rights and pending applications; feature i is `rights[i]` of the slice given to
    /// [`SpatialIndex::build`].
    pub rights: OverlayLayer,
    /// Build figures.
    pub stats: IndexStats,
}

/// Projects lon/lat polygons into the plane of `tm`.
pub fn project_polygons(tm: &TransverseMercator, polys: &[LonLatPolygon]) -> MultiPolygon<f64> {
    MultiPolygon(
        polys
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| {
                let ring = |r: &Vec<[f64; 2]>| {
                    LineString(
                        r.iter()
                            .map(|q| {
                                let (x, y) = tm.forward(q[0], q[1]);
                                Coord { x, y }
                            })
                            .collect(),
                    )
                };
                Polygon::new(ring(&p[0]), p[1..].iter().map(ring).collect())
            })
            .collect(),
    )
}

/// The plan's own control layers (from its bundle) in the plane of its zone.
pub fn plan_control_layers(plan: &Plan) -> Vec<PlaneLayer> {
    let tm = plan.region.zone.with_prefix(false).projection();
    plan.control_layers
        .iter()
        .map(|l| PlaneLayer {
            kind: l.kind,
            name: l.name.clone(),
            source: if l.schematic {
                format!("规划数据包（示意）：{}", l.source)
            } else {
                format!("规划数据包：{}", l.source)
            },
            version: format!("plan:{}", l.kind.slug()),
            schematic: l.schematic,
            features: plane_features(&tm, &l.features),
        })
        .collect()
}

/// Layer features (lon/lat) projected into the plane of `tm`.
pub fn plane_features(
    tm: &TransverseMercator,
    features: &[crate::plan::LayerFeature],
) -> Vec<PlaneFeature> {
    features
        .iter()
        .map(|f| PlaneFeature {
            id: f.id.clone(),
            name: f.name.clone(),
            geometry: project_polygons(tm, &f.geometry),
        })
        .collect()
}

impl SpatialIndex {
    /// Builds the index: the plan's blocks, the given control layers (one per kind; pass
    /// [`plan_control_layers`] or imported layers), and the rights' geometry. Rights may
    /// come with plane geometry already (`rights_plane`, same order and length as
    /// `rights`) — otherwise their lon/lat geometry is projected.
    pub fn build(
        plan: &Plan,
        control: Vec<PlaneLayer>,
        rights: &[MiningRight],
        rights_plane: Option<Vec<MultiPolygon<f64>>>,
    ) -> SpatialIndex {
        let zone = plan.region.zone.with_prefix(false);
        let tm = zone.projection();
        let opts = BuildOptions::default();
        let block_geoms: Vec<MultiPolygon<f64>> = plan
            .blocks
            .iter()
            .map(|b| project_polygons(&tm, &b.geometry))
            .collect();
        let blocks = OverlayLayer::build_owned(block_geoms, &opts);
        let rights_geoms = rights_plane.unwrap_or_else(|| {
            rights
                .iter()
                .map(|r| project_polygons(&tm, &r.geometry))
                .collect()
        });
        let rights_layer = OverlayLayer::build_owned(rights_geoms, &opts);
        // Control layers are independent: build them on separate threads.
        let control: Vec<ControlIndex> = std::thread::scope(|s| {
            let handles: Vec<_> = control
                .into_iter()
                .map(|l| {
                    s.spawn(move || {
                        // The geometry moves into the pieces: no second copy of the layer.
                        let (features, geoms): (Vec<_>, Vec<_>) = l
                            .features
                            .into_iter()
                            .map(|f| ((f.id, f.name), f.geometry))
                            .unzip();
                        ControlIndex {
                            kind: l.kind,
                            name: l.name,
                            source: l.source,
                            version: l.version,
                            schematic: l.schematic,
                            features,
                            layer: OverlayLayer::build_owned(geoms, &BuildOptions::default()),
                        }
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("index build thread"))
                .collect()
        });
        let features = blocks.feature_count()
            + rights_layer.feature_count()
            + control
                .iter()
                .map(|c| c.layer.feature_count())
                .sum::<usize>();
        let pieces = blocks.piece_count()
            + rights_layer.piece_count()
            + control.iter().map(|c| c.layer.piece_count()).sum::<usize>();
        SpatialIndex {
            zone,
            tm: std::sync::Arc::new(TiledInverse::new(tm)),
            blocks,
            control,
            rights: rights_layer,
            stats: IndexStats { features, pieces },
        }
    }

    /// The control layer of a kind, if loaded.
    pub fn control_layer(&self, kind: ControlLayerKind) -> Option<&ControlIndex> {
        self.control.iter().find(|c| c.kind == kind)
    }

    /// Plane polygons back to lon/lat (RFC 7946, rings closed).
    pub fn to_lonlat(&self, mp: &MultiPolygon<f64>) -> Vec<LonLatPolygon> {
        plane_to_lonlat(&self.tm, mp)
    }

    /// The projection of the plane with its inverse by tiles (shared, for geometry turned
    /// into lon/lat later).
    pub fn projection(&self) -> &std::sync::Arc<TiledInverse> {
        &self.tm
    }
}

/// A ring's vertices in the plane of `tm` as (lon, lat) degrees (by tiles, within 1e-11° of
/// the exact inverse: [`TiledInverse`]), in order; the closing
/// vertex of a closed ring (equal to the first) is the first's conversion again, not a
/// second conversion of the same point.
pub fn ring_lonlat<'a>(
    tm: &'a TiledInverse,
    ring: &'a [Coord<f64>],
) -> impl Iterator<Item = (f64, f64)> + 'a {
    let mut first: Option<(f64, f64)> = None;
    let last = ring.len().saturating_sub(1);
    let mut cursor = tm.cursor();
    ring.iter().enumerate().map(move |(k, c)| match first {
        Some(f) if k == last && *c == ring[0] => f,
        _ => {
            let ll = cursor.inverse(c.x, c.y);
            if k == 0 {
                first = Some(ll);
            }
            ll
        }
    })
}

/// Plane polygons of `tm`'s plane ((easting, northing) metres) to lon/lat degrees
/// (RFC 7946 axis order, rings closed as given).
pub fn plane_to_lonlat(tm: &TiledInverse, mp: &MultiPolygon<f64>) -> Vec<LonLatPolygon> {
    mp.0.iter()
        .map(|p| {
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(|r| ring_lonlat(tm, &r.0).map(|(lon, lat)| [lon, lat]).collect())
                .collect()
        })
        .collect()
}
