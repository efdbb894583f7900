//! What `minplan export` and the download buttons hand out: the register, the plan's planning
//! blocks and key areas (with the attribute fields of the planning database, DZ/T 0226 — see
//! `docs/planning-database.md`), the control layers reviews use, and one review's
//! application with its conflicting parts — as [`ExportLayer`]s that
//! [`minplan_io::write`] turns into Shapefile, GeoPackage, KML, DXF, XLSX or GeoJSON.
//!
//! Geometry: lon/lat as stored; an application's corners also as entered (plane values with
//! the zone prefix as written, never round-tripped through lon/lat).

use crate::{Result, Store, StoreError};
use minplan_domain::plan::{BlockKind, Plan, PlanningBlock};
use minplan_geo::GaussKrugerZone;
use minplan_io::export::{ExportFeature, ExportField, ExportLayer, FieldKind, FieldValue};
use serde_json::Value;
use sqlx::Row;

/// What to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportSet {
    /// 矿业权 (the register).
    Rights,
    /// 规划区块 (开采/勘查) and 重点开采区.
    Blocks,
    /// The control layers reviews use now (imported versions, else the bundle's).
    Layers,
    /// One saved review: the application and its conflicting parts.
    Review(i64),
    /// One saved review as its applicant (统一社会信用代码) may see it: other parties'
    /// particulars redacted ([`crate::ReviewRecord::redaction_for_holder`]).
    ReviewForHolder(i64, String),
}

fn field(name: &str, kind: FieldKind) -> ExportField {
    ExportField {
        name: name.to_string(),
        kind,
    }
}

/// The fields of a right, named as the rights table's headers, so that `minplan right import`
/// reads an export back ([`crate::layer_register_table`]).
pub fn right_fields() -> Vec<ExportField> {
    use FieldKind::*;
    vec![
        field("许可证号", Text),
        field("矿业权类型", Text),
        field("状态", Text),
        field("矿山名称", Text),
        field("矿业权人", Text),
        field("信用代码", Text),
        field("矿种", Text),
        field("生产规模", Real(4)),
        field("规模单位", Text),
        field("审批级别", Text),
        field("有效期起", Date),
        field("有效期止", Date),
        field("面积", Real(6)),
    ]
}

/// The planning-database fields of a planning block (DZ/T 0226-2010 开采/勘查规划分区 tables:
/// 规划区编号, 规划区名称, 所在行政区名称, 规划区类别, 规划区面积 km² to 4 decimals, 规划编制时间,
/// 行政区划代码; plus 矿种 and 审批级别). The mapping is documented in
/// `docs/planning-database.md`.
pub fn block_fields() -> Vec<ExportField> {
    use FieldKind::*;
    vec![
        field("规划区编号", Text),
        field("规划区名称", Text),
        field("所在行政区名称", Text),
        field("规划区类别", Text),
        field("规划区面积", Real(4)),
        field("主要矿种", Text),
        field("审批级别", Text),
        field("规划编制时间", Text),
        field("行政区划代码", Text),
        field("示意数据", Text),
    ]
}

fn block_feature(plan: &Plan, b: &PlanningBlock) -> ExportFeature {
    ExportFeature {
        name: format!("{} {}", b.number, b.name),
        lonlat: b.geometry.clone(),
        plane: None,
        labels: None,
        values: vec![
            b.number.clone().into(),
            b.name.clone().into(),
            plan.region.name.clone().into(),
            b.category
                .clone()
                .unwrap_or_else(|| b.kind.label().to_string())
                .into(),
            // A block listed without its extent has no area (never a 0).
            b.computed_area_km2().map_or(FieldValue::Null, |a| {
                FieldValue::Real((a * 1e4).round() / 1e4)
            }),
            b.minerals.join("、").into(),
            b.approval.label().into(),
            format!(
                "{}–{}",
                plan.identity.period_start, plan.identity.period_end
            )
            .into(),
            plan.identity.adcode.clone().into(),
            (if b.schematic { "是" } else { "否" }).into(),
        ],
    }
}

impl Store {
    /// The layers of `set`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for a review or plan that does not exist;
    /// [`StoreError::BadInput`] when a stored record cannot be read; [`StoreError::Db`].
    pub async fn export_layers(&self, set: &ExportSet) -> Result<Vec<ExportLayer>> {
        let plan = self
            .active_plan()
            .await?
            .ok_or_else(|| StoreError::NotFound("数据库中没有启用的规划".into()))?;
        let plan = &plan.loaded.plan;
        let zone = plan.region.zone;
        match set {
            ExportSet::Rights => Ok(vec![self.rights_layer(zone).await?]),
            ExportSet::Blocks => {
                let mut out = Vec::new();
                for (kind, name) in [
                    (BlockKind::Mining, "开采规划区块"),
                    (BlockKind::Exploration, "勘查规划区块"),
                ] {
                    out.push(ExportLayer {
                        name: name.into(),
                        zone,
                        fields: block_fields(),
                        features: plan
                            .blocks
                            .iter()
                            .filter(|b| b.kind == kind)
                            .map(|b| block_feature(plan, b))
                            .collect(),
                    });
                }
                out.push(ExportLayer {
                    name: "重点开采区".into(),
                    zone,
                    fields: vec![
                        field("名称", FieldKind::Text),
                        field("主要矿种", FieldKind::Text),
                        field("所含区块", FieldKind::Text),
                    ],
                    features: plan
                        .key_areas
                        .iter()
                        .map(|k| ExportFeature {
                            name: k.name.clone(),
                            lonlat: plan
                                .blocks
                                .iter()
                                .filter(|b| k.blocks.contains(&b.number))
                                .flat_map(|b| b.geometry.clone())
                                .collect(),
                            plane: None,
                            labels: None,
                            values: vec![
                                k.name.clone().into(),
                                k.minerals.join("、").into(),
                                k.blocks.join("、").into(),
                            ],
                        })
                        .collect(),
                });
                out.retain(|l| !l.features.is_empty());
                Ok(out)
            }
            ExportSet::Layers => {
                let imported = self.active_layers().await?;
                let mut out = Vec::new();
                for kind in minplan_domain::plan::ControlLayerKind::ALL {
                    let (name, features, source): (
                        String,
                        Vec<minplan_domain::plan::LayerFeature>,
                        String,
                    ) = match imported.iter().find(|l| l.version.kind == kind) {
                        Some(l) => (
                            l.version.name.clone(),
                            l.features.clone(),
                            format!("导入版本 #{}（{}）", l.version.id, l.version.source_file),
                        ),
                        None => match plan.control_layer(kind) {
                            Some(c) => (
                                c.name.clone(),
                                c.features.clone(),
                                if c.schematic {
                                    "规划数据包（示意）".into()
                                } else {
                                    "规划数据包".into()
                                },
                            ),
                            None => continue,
                        },
                    };
                    // The fixed fields, then every attribute the features carry (the bureau's
                    // own BSM, DLMC …), typed by their values.
                    let mut fields = vec![
                        field("标识", FieldKind::Text),
                        field("名称", FieldKind::Text),
                        field("面积", FieldKind::Real(6)),
                        field("图层名称", FieldKind::Text),
                        field("来源", FieldKind::Text),
                    ];
                    let fixed = fields.len();
                    let mut keys: Vec<String> = Vec::new();
                    for f in &features {
                        for k in f.properties.keys() {
                            if !keys.contains(k) && !fields.iter().any(|x| &x.name == k) {
                                keys.push(k.clone());
                            }
                        }
                    }
                    for k in &keys {
                        let values = features
                            .iter()
                            .filter_map(|f| f.properties.get(k))
                            .filter(|v| !v.is_null());
                        let kind = if values.clone().all(|v| v.is_i64())
                            && values.clone().next().is_some()
                        {
                            FieldKind::Integer
                        } else if values.clone().all(Value::is_number)
                            && values.clone().next().is_some()
                        {
                            FieldKind::Real(6)
                        } else {
                            FieldKind::Text
                        };
                        fields.push(field(k, kind));
                    }
                    let features = features
                        .iter()
                        .map(|f| {
                            let mut values: Vec<FieldValue> = vec![
                                f.id.clone().into(),
                                f.name.clone().into(),
                                FieldValue::Real(f.area_km2),
                                name.clone().into(),
                                source.clone().into(),
                            ];
                            for (k, fd) in keys.iter().zip(&fields[fixed..]) {
                                values.push(match (f.properties.get(k), fd.kind) {
                                    (None | Some(Value::Null), _) => FieldValue::Null,
                                    (Some(v), FieldKind::Integer) => {
                                        v.as_i64().map_or(FieldValue::Null, FieldValue::Integer)
                                    }
                                    (Some(v), FieldKind::Real(_)) => v.as_f64().into(),
                                    (Some(Value::String(s)), _) => s.clone().into(),
                                    (Some(v), _) => v.to_string().into(),
                                });
                            }
                            ExportFeature {
                                name: f.name.clone().unwrap_or_else(|| f.id.clone()),
                                lonlat: f.geometry.clone(),
                                plane: None,
                                labels: None,
                                values,
                            }
                        })
                        .collect();
                    out.push(ExportLayer {
                        name: kind.label().into(),
                        zone,
                        fields,
                        features,
                    });
                }
                Ok(out)
            }
            ExportSet::Review(id) => {
                let r = self.review_record(*id).await?;
                review_layers(&r.summary, &r.result, zone)
            }
            ExportSet::ReviewForHolder(id, credit_code) => {
                let mut r = self.review_record(*id).await?;
                r.redaction_for_holder(credit_code)?.json(&mut r.result);
                review_layers(&r.summary, &r.result, zone)
            }
        }
    }

    async fn rights_layer(&self, zone: GaussKrugerZone) -> Result<ExportLayer> {
        let rows = sqlx::query("SELECT * FROM rights ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        let mut features = Vec::with_capacity(rows.len());
        for r in rows {
            let id: String = r.get("id");
            let geometry: Vec<minplan_domain::plan::LonLatPolygon> =
                serde_json::from_str(&r.get::<String, _>("geometry_json")).map_err(|e| {
                    StoreError::BadInput(format!("矿业权 {id} 的范围无法读取：{e}"))
                })?;
            let minerals: Vec<String> =
                serde_json::from_str(&r.get::<String, _>("minerals_json")).unwrap_or_default();
            let kind = minplan_domain::application::RightKind::parse(&r.get::<String, _>("kind"))
                .map(|k| k.label().to_string());
            let status = minplan_domain::rights::RightStatus::parse(&r.get::<String, _>("status"))
                .map(|k| k.label().to_string());
            let approval = r.get::<Option<String>, _>("approval").map(|a| {
                minplan_domain::plan::ApprovalLevel::parse(&a).map_or(a, |x| x.label().to_string())
            });
            let area = lonlat_area_m2(&geometry) / 1e6;
            let name: String = r.get("name");
            features.push(ExportFeature {
                name: if name.is_empty() {
                    id.clone()
                } else {
                    name.clone()
                },
                lonlat: geometry,
                plane: None,
                labels: None,
                values: vec![
                    id.into(),
                    kind.into(),
                    status.into(),
                    name.into(),
                    r.get::<String, _>("holder_name").into(),
                    r.get::<Option<String>, _>("credit_code").into(),
                    minerals.join("、").into(),
                    r.get::<Option<f64>, _>("capacity").into(),
                    r.get::<Option<String>, _>("capacity_unit").into(),
                    approval.into(),
                    r.get::<Option<String>, _>("valid_from").into(),
                    r.get::<Option<String>, _>("valid_to").into(),
                    FieldValue::Real(area),
                ],
            });
        }
        Ok(ExportLayer {
            name: "矿业权".into(),
            zone,
            fields: right_fields(),
            features,
        })
    }
}

/// The ellipsoidal area of lon/lat polygons, m² (TD/T 1055-2019 附录D; exteriors
/// counter-clockwise count positive, holes negative).
pub(crate) fn lonlat_area_m2(polys: &[minplan_domain::plan::LonLatPolygon]) -> f64 {
    polys
        .iter()
        .flatten()
        .map(|ring| {
            minplan_geo::area::ellipsoidal_area_lonlat(
                &ring[..ring.len().saturating_sub(1)]
                    .iter()
                    .map(|q| (q[0], q[1]))
                    .collect::<Vec<_>>(),
                minplan_geo::Ellipsoid::CGCS2000,
            )
        })
        .sum()
}

/// A review's application (its corners as entered) and the parts that conflict with each
/// layer, from the stored result.
fn review_layers(
    summary: &crate::ReviewSummary,
    result: &Value,
    plan_zone: GaussKrugerZone,
) -> Result<Vec<ExportLayer>> {
    let bad =
        |what: &str| StoreError::BadInput(format!("审查记录 {} 的{what}无法读取", summary.id));
    let app = result.get("application").ok_or_else(|| bad("申请"))?;
    let report = app.get("corner_report").ok_or_else(|| bad("拐点坐标"))?;
    let geographic = report
        .get("geographic")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    // The CRS as entered (`crs.GaussKruger`, with the prefix as written); `zone` is the
    // normalised zone without it.
    let entered_zone: Option<GaussKrugerZone> = report
        .pointer("/crs/GaussKruger")
        .and_then(|z| serde_json::from_value(z.clone()).ok());
    let zone = match (geographic, entered_zone) {
        (false, Some(z)) if z.width == plan_zone.width && z.zone == plan_zone.zone => z,
        _ => plan_zone,
    };
    // Entered plane values: (Y, X) = (easting, northing) as written, per block and ring.
    let (plane, labels) = if !geographic && entered_zone == Some(zone) {
        let mut polys = Vec::new();
        let mut labels = Vec::new();
        for b in report
            .get("blocks")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let mut rings = Vec::new();
            let mut ring_labels = Vec::new();
            for r in b
                .get("rings")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let pts = r
                    .get("points")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                let mut ring: Vec<(f64, f64)> = pts
                    .iter()
                    .filter_map(|p| Some((p.get("y")?.as_f64()?, p.get("x")?.as_f64()?)))
                    .collect();
                let lab: Vec<String> = pts
                    .iter()
                    .map(|p| {
                        p.get("label")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string()
                    })
                    .collect();
                if ring.len() != pts.len() {
                    return Err(bad("拐点坐标"));
                }
                if ring.len() > 1 && ring.first() != ring.last() {
                    ring.push(ring[0]);
                }
                rings.push(ring);
                ring_labels.push(lab);
            }
            polys.push(rings);
            labels.push(ring_labels);
        }
        (Some(polys), Some(labels))
    } else {
        (None, None)
    };
    let lonlat: Vec<minplan_domain::plan::LonLatPolygon> = serde_json::from_value(
        result
            .get("application_geometry")
            .cloned()
            .unwrap_or(Value::Null),
    )
    .map_err(|_| bad("申请范围"))?;
    // The ellipsoidal area (TD/T 1055-2019 附录D), as the review states it and as the
    // register's export gives it.
    let area_m2 = (!lonlat.is_empty()).then(|| lonlat_area_m2(&lonlat));
    let application = ExportLayer {
        name: "申请范围".into(),
        zone,
        fields: vec![
            field("申请编号", FieldKind::Text),
            field("项目名称", FieldKind::Text),
            field("申请人", FieldKind::Text),
            field("审查结论", FieldKind::Text),
            field("面积", FieldKind::Real(6)),
        ],
        features: vec![ExportFeature {
            name: summary.project_name.clone(),
            lonlat,
            plane,
            labels,
            values: vec![
                summary.application_number.clone().into(),
                summary.project_name.clone().into(),
                summary.holder_name.clone().into(),
                summary.conclusion.clone().into(),
                area_m2.map(|a| a / 1e6).into(),
            ],
        }],
    };
    let mut conflicts = ExportLayer {
        name: "冲突部分".into(),
        zone,
        fields: vec![
            field("规则", FieldKind::Text),
            field("图层", FieldKind::Text),
            field("要素", FieldKind::Text),
            field("要素名称", FieldKind::Text),
            field("重叠面积", FieldKind::Real(2)),
            field("占申请比例", FieldKind::Real(4)),
        ],
        features: Vec::new(),
    };
    for rule in result
        .get("rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let rid = rule.get("id").and_then(Value::as_str).unwrap_or("");
        for c in rule
            .get("conflicts")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let s = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_string);
            let geometry: Vec<minplan_domain::plan::LonLatPolygon> =
                serde_json::from_value(c.get("geometry").cloned().unwrap_or(Value::Null))
                    .map_err(|_| bad("冲突部分"))?;
            if geometry.is_empty() {
                continue;
            }
            conflicts.features.push(ExportFeature {
                name: format!(
                    "{} {}",
                    s("layer").unwrap_or_default(),
                    s("feature_name")
                        .or_else(|| s("feature_id"))
                        .unwrap_or_default()
                ),
                lonlat: geometry,
                plane: None,
                labels: None,
                values: vec![
                    rid.into(),
                    s("layer").into(),
                    s("feature_id").into(),
                    s("feature_name").into(),
                    c.get("area_m2").and_then(Value::as_f64).into(),
                    c.get("percent_of_application")
                        .and_then(Value::as_f64)
                        .map(|p| (p * 1e4).round() / 1e4)
                        .into(),
                ],
            });
        }
    }
    Ok(vec![application, conflicts])
}

/// An exported file.
#[derive(Debug, Clone)]
pub struct ExportedFile {
    /// Suggested file name (Chinese, with extension).
    pub file_name: String,
    /// MIME type.
    pub mime: &'static str,
    /// Contents.
    pub bytes: Vec<u8>,
}

impl ExportSet {
    /// The Chinese name of the set, for file names.
    pub fn label(&self) -> String {
        match self {
            ExportSet::Rights => "矿业权".into(),
            ExportSet::Blocks => "规划区块".into(),
            ExportSet::Layers => "管控图层".into(),
            ExportSet::Review(id) | ExportSet::ReviewForHolder(id, _) => {
                format!("审查记录{id}_申请范围与冲突部分")
            }
        }
    }
}

impl Store {
    /// Writes `set` as one file of `format` (the one place `minplan export` and the download
    /// buttons go through). `crs` overrides the CRS of Shapefile/GeoPackage output (default:
    /// the plan's Gauss–Krüger zone); `encoding` the DBF text encoding (default GBK); `layer`
    /// keeps one layer of the set. An XLSX corner list holds one layer: a review's is its
    /// application, other sets with several layers must name one.
    ///
    /// # Errors
    /// As [`Store::export_layers`]; [`StoreError::BadInput`] when the format cannot hold a
    /// value (named) or the set is empty.
    pub async fn export_file(
        &self,
        set: ExportSet,
        format: minplan_io::ExportFormat,
        crs: Option<minplan_geo::Crs>,
        encoding: Option<&'static encoding_rs::Encoding>,
        layer: Option<&str>,
    ) -> Result<ExportedFile> {
        let mut layers = self.export_layers(&set).await?;
        let names = |l: &[ExportLayer]| {
            l.iter()
                .map(|x| x.name.as_str())
                .collect::<Vec<_>>()
                .join("、")
        };
        if let Some(want) = layer {
            if !layers.iter().any(|l| l.name == want) {
                return Err(StoreError::BadInput(format!(
                    "没有图层“{want}”；可导出的图层有：{}",
                    names(&layers)
                )));
            }
            layers.retain(|l| l.name == want);
        }
        if format == minplan_io::ExportFormat::Xlsx && layers.len() > 1 {
            // A review's corner list is its application's; other sets name the layer.
            if let ExportSet::Review(_) | ExportSet::ReviewForHolder(..) = set {
                layers.truncate(1);
            } else {
                return Err(StoreError::BadInput(format!(
                    "拐点坐标表每次导出一个图层，请指定图层（--layer 或 layer=）：{}",
                    names(&layers)
                )));
            }
        }
        if format == minplan_io::ExportFormat::Xlsx {
            // One row per corner, two per feature and one per hole besides: an Excel sheet
            // holds 1 048 576 rows.
            let rows: usize = layers
                .iter()
                .flat_map(|l| &l.features)
                .map(|f| {
                    2 + f
                        .lonlat
                        .iter()
                        .flatten()
                        .map(|r| r.len() + 1)
                        .sum::<usize>()
                })
                .sum();
            if rows > 1_000_000 {
                return Err(StoreError::BadInput(format!(
                    "拐点坐标表约需 {rows} 行，超过 Excel 工作表的 1048576 行上限：请导出为 Shapefile 或 GeoPackage"
                )));
            }
        }
        let now = time::OffsetDateTime::now_utc();
        let opts = minplan_io::WriteOptions {
            crs,
            encoding: encoding.unwrap_or(encoding_rs::GBK),
            when: (
                now.year() as u16,
                u8::from(now.month()),
                now.day(),
                now.hour(),
                now.minute(),
                now.second(),
            ),
        };
        let bytes =
            minplan_io::write(format, &layers, &opts).map_err(|e| StoreError::BadInput(e.0))?;
        let label = match layer {
            Some(l) => format!("{}_{l}", set.label()),
            None => set.label(),
        };
        Ok(ExportedFile {
            file_name: format!("{label}.{}", format.extension()),
            mime: format.mime(),
            bytes,
        })
    }
}
