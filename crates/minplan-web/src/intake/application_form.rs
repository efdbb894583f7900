//! The 申请受理 form and its one conversion to an application file: the fields a reviewer
//! fills in become a `minplan-application/1` TOML document (docs/application-format.md) —
//! the same record the CLI stores — with the pasted corner coordinates inline
//! (`[coordinates] text = """…"""`) or the uploaded corner file named
//! (`[coordinates] file = "…"`, its bytes stored beside). The toml crate writes and escapes
//! every value, so nothing a user types can change the file's structure.
//!
//! The domain parser ([`minplan_domain::application::parse_application`], through
//! `ReviewEngine::parse`) then checks the file; [`form_field`] maps each of its problems back
//! to the form field it concerns, so the form shows every error beside its field.

use crate::http::forms::{FieldErrors, SubmittedForm};
use minplan_domain::application::ApplicationError;
use minplan_geo::corners::{self, StatedArea};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Largest pasted corner text or uploaded corner file accepted, bytes (1 MiB; an
/// application's corner list is a few kilobytes).
pub const MAX_CORNER_BYTES: usize = 1024 * 1024;

/// The fields of the 申请受理 form, as entered (text, so that a wrong entry can be shown
/// again with its error). Also the `application` object of `POST /api/reviews`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct ApplicationForm {
    /// 申请编号 (a new review of the same number supersedes the previous one).
    pub number: String,
    /// 申请类型: 新立 | 延续 | 变更 | 探转采 | 转让.
    pub kind: String,
    /// 变更事项 (变更 only): 扩大范围 | 缩小范围 | 变更矿种 | 变更规模.
    pub change: String,
    /// 矿业权类型: 采矿权 | 探矿权.
    pub right_kind: String,
    /// 项目名称.
    pub project_name: String,
    /// 矿种, separated by 、 or commas.
    pub minerals: String,
    /// 开采方式: 露天 | 地下 | 露天+地下 | 井采.
    pub mining_method: String,
    /// 设计生产规模, number.
    pub capacity_value: String,
    /// 设计生产规模, unit: 万立方米/年 | 千立方米/年 | 万吨/年 …, optionally with its basis in
    /// brackets (`万立方米/年（荒料量）`).
    pub capacity_unit: String,
    /// 保有资源量, number (optional).
    pub reserves_value: String,
    /// 保有资源量, unit: 万立方米 | 千立方米 | 万吨 …, optionally with its basis in brackets
    /// (`万立方米（荒料量）`).
    pub reserves_unit: String,
    /// 设计服务年限, years (optional).
    pub service_years: String,
    /// 原矿业权证号 (延续、变更、转让、探转采).
    pub existing_right: String,
    /// 受理日期 YYYY-MM-DD (optional).
    pub received: String,
    /// 申请人名称.
    pub holder_name: String,
    /// 统一社会信用代码.
    pub credit_code: String,
    /// 出让方式: 招标 | 拍卖 | 挂牌 | 协议.
    pub grant_method: String,
    /// 协议出让理由: 重点建设项目 | 深部或上部同类矿产 | 探转采 | 其他.
    pub agreement_reason: String,
    /// 协议出让理由说明.
    pub agreement_note: String,
    /// 净矿出让.
    pub net_mineral: bool,
    /// 已提交矿产资源开发利用方案.
    pub development_plan: bool,
    /// 已提交矿区生态修复方案.
    pub restoration_plan: bool,
    /// 已提交绿色矿山建设承诺.
    pub green_mine_commitment: bool,
    /// 场地含湿地: "" (未声明) | 是 | 否.
    pub wetland: String,
    /// 场地含可耕地: "" (未声明) | 是 | 否.
    pub arable_land: String,
    /// 拐点坐标, pasted (any layout docs/coordinates.md describes).
    pub corners_text: String,
    /// EPSG code of the coordinates ("" = detect: zone prefix, or the plan's zone).
    pub crs: String,
    /// Datum as stated: "" or CGCS2000.
    pub datum: String,
    /// 申报面积 as the applicant wrote it (optional): `0.6752` (a bare number is km²),
    /// `0.6752平方公里`, `67.52公顷`, `675200平方米`, `1012.8亩`. Compared with the corners'
    /// ellipsoidal area (TD/T 1055-2019 附录D) within the rounding of the figure as written.
    pub declared_area: String,
    /// 所在县（区）/乡镇 (optional), for caps the plan sets per sub-unit
    /// (`Application::sub_unit`).
    pub sub_unit: String,
}

/// The form fields, in the order the page shows them (for re-display and error placement).
pub const FIELDS: &[&str] = &[
    "number",
    "kind",
    "change",
    "right_kind",
    "project_name",
    "minerals",
    "mining_method",
    "capacity_value",
    "capacity_unit",
    "reserves_value",
    "reserves_unit",
    "service_years",
    "existing_right",
    "received",
    "holder_name",
    "credit_code",
    "grant_method",
    "agreement_reason",
    "agreement_note",
    "wetland",
    "arable_land",
    "corners",
    "crs",
    "datum",
    "declared_area",
    "sub_unit",
];

impl ApplicationForm {
    /// The form as submitted (urlencoded or multipart); checkboxes are ticked when present.
    pub fn from_submitted(f: &SubmittedForm) -> ApplicationForm {
        let t = |k: &str| f.get(k).trim().to_string();
        ApplicationForm {
            number: t("number"),
            kind: t("kind"),
            change: t("change"),
            right_kind: t("right_kind"),
            project_name: t("project_name"),
            minerals: t("minerals"),
            mining_method: t("mining_method"),
            capacity_value: t("capacity_value"),
            capacity_unit: t("capacity_unit"),
            reserves_value: t("reserves_value"),
            reserves_unit: t("reserves_unit"),
            service_years: t("service_years"),
            existing_right: t("existing_right"),
            received: t("received"),
            holder_name: t("holder_name"),
            credit_code: t("credit_code"),
            grant_method: t("grant_method"),
            agreement_reason: t("agreement_reason"),
            agreement_note: t("agreement_note"),
            net_mineral: f.checked("net_mineral"),
            development_plan: f.checked("development_plan"),
            restoration_plan: f.checked("restoration_plan"),
            green_mine_commitment: f.checked("green_mine_commitment"),
            wetland: t("wetland"),
            arable_land: t("arable_land"),
            // Keep the pasted text as entered (leading spaces may matter to a layout).
            corners_text: f.get("corners_text").to_string(),
            crs: t("crs"),
            datum: t("datum"),
            declared_area: t("declared_area"),
            sub_unit: t("sub_unit"),
        }
    }

    /// The 申报面积 read ([`corners::parse_declared_area`]), or `None` when the field is
    /// empty; `Err` is the field's Chinese error.
    pub fn declared_area(&self) -> Option<Result<StatedArea, String>> {
        let text = self.declared_area.trim();
        (!text.is_empty())
            .then(|| corners::parse_declared_area(text).map_err(|e| format!("申报面积：{e}")))
    }

    /// The EPSG code entered, if any (an unreadable one is a field error of [`to_toml`]).
    ///
    /// [`to_toml`]: ApplicationForm::to_toml
    pub fn crs_code(&self) -> Option<u32> {
        self.crs.trim().parse().ok()
    }
}

/// Where the corner coordinates come from.
#[derive(Debug, Clone, Copy)]
pub enum Corners<'a> {
    /// The text pasted into the form.
    Pasted,
    /// An uploaded file: its name (recorded in the file) — its bytes go beside the file.
    File(&'a str),
}

#[derive(Serialize)]
struct Quantity {
    value: f64,
    unit: String,
}

#[derive(Serialize)]
struct Holder<'a> {
    name: &'a str,
    credit_code: &'a str,
}

#[derive(Serialize)]
struct Grant<'a> {
    method: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    agreement_reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    agreement_note: Option<&'a str>,
    net_mineral: bool,
}

#[derive(Serialize)]
struct Documents {
    development_plan: bool,
    restoration_plan: bool,
    green_mine_commitment: bool,
}

#[derive(Serialize)]
struct Site {
    #[serde(skip_serializing_if = "Option::is_none")]
    wetland: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    arable_land: Option<bool>,
}

#[derive(Serialize)]
struct Coordinates<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    crs: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    datum: Option<&'a str>,
}

/// The application file, keys in the order of docs/application-format.md.
#[derive(Serialize)]
struct ApplicationFile<'a> {
    format: &'static str,
    number: &'a str,
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    change: Option<&'a str>,
    right_kind: &'a str,
    project_name: &'a str,
    minerals: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mining_method: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    capacity: Option<Quantity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reserves: Option<Quantity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service_years: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    existing_right: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    received: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    declared_area: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub_unit: Option<&'a str>,
    holder: Holder<'a>,
    grant: Grant<'a>,
    documents: Documents,
    site: Site,
    coordinates: Coordinates<'a>,
}

fn some(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

/// A number as people type it: full-width digits and separators allowed, commas between
/// thousands ignored.
fn number(s: &str) -> Option<f64> {
    let folded: String = s
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' | '。' => '.',
            '－' => '-',
            c => c,
        })
        .collect();
    folded.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn yes_no(s: &str) -> Option<bool> {
    match s.trim() {
        "是" | "true" | "1" => Some(true),
        "否" | "false" | "0" => Some(false),
        _ => None,
    }
}

impl ApplicationForm {
    /// The application file (`minplan-application/1` TOML) of the form.
    ///
    /// Only what the TOML itself cannot carry is checked here — a number that is not a
    /// number (申报面积 included), the corners missing or given twice, a 场地声明 other than
    /// 是/否, an empty 项目名称;
    /// everything else (kinds, minerals, the credit code, the coordinates…) is the domain
    /// parser's to check, with the same messages as the CLI.
    ///
    /// # Errors
    /// [`FieldErrors`] naming each field that cannot be written.
    pub fn to_toml(&self, corners: Corners<'_>) -> Result<String, FieldErrors> {
        let (toml, mut errors) = self.build(corners);
        match toml {
            Ok(t) if errors.is_empty() => Ok(t),
            Ok(_) => Err(errors),
            Err(e) => {
                errors.push("form", format!("申请文件无法生成：{e}"));
                Err(errors)
            }
        }
    }

    /// The application file as far as the form can be written (fields that cannot be
    /// written left out), with the errors of those fields: so that the domain's own checks
    /// can run too and the clerk sees every field's problem at once.
    pub fn build(&self, corners: Corners<'_>) -> (Result<String, String>, FieldErrors) {
        let mut errors = FieldErrors::default();
        let mut num = |field: &str, label: &str, v: &str| -> Option<f64> {
            let v = v.trim();
            if v.is_empty() {
                return None;
            }
            let n = number(v);
            if n.is_none() {
                errors.push(field, format!("{label}应为数字，如 6 或 6.5，收到“{v}”"));
            }
            n
        };
        let capacity = num("capacity_value", "设计生产规模", &self.capacity_value);
        let reserves = num("reserves_value", "保有资源量", &self.reserves_value);
        let service_years = num("service_years", "设计服务年限", &self.service_years);
        if capacity.is_some() && self.capacity_unit.trim().is_empty() {
            errors.push("capacity_unit", "请选择设计生产规模的单位");
        }
        if reserves.is_some() && self.reserves_unit.trim().is_empty() {
            errors.push("reserves_unit", "请选择保有资源量的单位");
        }
        if self.project_name.trim().is_empty() {
            errors.push("project_name", "请填写项目名称");
        }
        let crs = match some(&self.crs) {
            None => None,
            Some(c) => match c.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.push("crs", format!("坐标系应为 EPSG 代码（如 4532），收到“{c}”"));
                    None
                }
            },
        };
        let wetland = yes_no(&self.wetland);
        if wetland.is_none() && !self.wetland.trim().is_empty() {
            errors.push("wetland", "是否含湿地应为“是”“否”或不填");
        }
        let arable_land = yes_no(&self.arable_land);
        if arable_land.is_none() && !self.arable_land.trim().is_empty() {
            errors.push("arable_land", "是否含可耕地应为“是”“否”或不填");
        }
        if let Some(Err(e)) = self.declared_area() {
            errors.push("declared_area", e);
        }
        let pasted = !self.corners_text.trim().is_empty();
        let (file, text) = match corners {
            Corners::File(name) if pasted => {
                errors.push(
                    "corners",
                    format!("已粘贴拐点坐标，又上传了坐标文件“{name}”：请只用一种方式提供拐点坐标"),
                );
                (None, None)
            }
            Corners::File(name) => (Some(name), None),
            Corners::Pasted if pasted => {
                if self.corners_text.len() > MAX_CORNER_BYTES {
                    errors.push(
                        "corners",
                        format!("粘贴的拐点坐标过长：上限 {} KiB", MAX_CORNER_BYTES / 1024),
                    );
                }
                (None, Some(self.corners_text.as_str()))
            }
            Corners::Pasted => {
                errors.push("corners", "请粘贴拐点坐标，或上传坐标文件");
                (None, None)
            }
        };
        let file_doc = ApplicationFile {
            format: minplan_domain::application::FORMAT,
            number: self.number.trim(),
            kind: self.kind.trim(),
            change: some(&self.change),
            right_kind: self.right_kind.trim(),
            project_name: self.project_name.trim(),
            minerals: self
                .minerals
                .split(['、', ',', '，', ';', '；', '\n'])
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .collect(),
            mining_method: some(&self.mining_method),
            capacity: capacity.map(|value| Quantity {
                value,
                unit: self.capacity_unit.trim().to_string(),
            }),
            reserves: reserves.map(|value| Quantity {
                value,
                unit: self.reserves_unit.trim().to_string(),
            }),
            service_years,
            existing_right: some(&self.existing_right),
            received: some(&self.received),
            declared_area: some(&self.declared_area),
            sub_unit: some(&self.sub_unit),
            holder: Holder {
                name: self.holder_name.trim(),
                credit_code: self.credit_code.trim(),
            },
            grant: Grant {
                method: self.grant_method.trim(),
                agreement_reason: some(&self.agreement_reason),
                agreement_note: some(&self.agreement_note),
                net_mineral: self.net_mineral,
            },
            documents: Documents {
                development_plan: self.development_plan,
                restoration_plan: self.restoration_plan,
                green_mine_commitment: self.green_mine_commitment,
            },
            site: Site {
                wetland,
                arable_land,
            },
            coordinates: Coordinates {
                file,
                text,
                crs,
                datum: some(&self.datum),
            },
        };
        let toml = toml::to_string(&file_doc)
            .map(|body| {
                format!(
                    "# 由网页申请受理表单生成（{}）\n{body}",
                    minplan_domain::application::FORMAT
                )
            })
            .map_err(|e| e.to_string());
        (toml, errors)
    }
}

/// The form field an application problem belongs to (domain field paths such as
/// `holder.credit_code`, `capacity`, `coordinates.text` or `坐标文件 x.txt`).
pub fn form_field(domain_field: &str) -> &'static str {
    match domain_field {
        "number" => "number",
        "kind" => "kind",
        "change" => "change",
        "right_kind" => "right_kind",
        "minerals" => "minerals",
        "mining_method" => "mining_method",
        "capacity" => "capacity_value",
        "reserves" => "reserves_value",
        "service_years" => "service_years",
        "existing_right" => "existing_right",
        "received" => "received",
        "declared_area" => "declared_area",
        "sub_unit" => "sub_unit",
        "holder.name" => "holder_name",
        "holder.credit_code" => "credit_code",
        "grant.method" => "grant_method",
        "grant.agreement_reason" => "agreement_reason",
        "coordinates.crs" => "crs",
        "coordinates.datum" => "datum",
        f if f.starts_with("coordinates") || f.starts_with("坐标") => "corners",
        _ => "form",
    }
}

/// The domain's problems as form field errors: every problem of a field joined into one
/// message (corner problems are listed in full under the map, with their points).
pub fn field_errors(errors: &[ApplicationError]) -> FieldErrors {
    let mut out = FieldErrors::default();
    let mut corner_count = 0;
    for e in errors {
        let field = form_field(&e.field);
        if field == "corners" {
            corner_count += 1;
            continue;
        }
        let msg = if e.points.is_empty() {
            e.message.clone()
        } else {
            format!("{}（{}）", e.message, e.points.join("、"))
        };
        match out.0.iter_mut().find(|x| x.field == field) {
            Some(x) => {
                x.message.push('；');
                x.message.push_str(&msg);
            }
            None => out.push(field, msg),
        }
    }
    if corner_count > 0 {
        let first = errors
            .iter()
            .find(|e| form_field(&e.field) == "corners")
            .map(|e| e.message.clone())
            .unwrap_or_default();
        out.push(
            "corners",
            if corner_count == 1 {
                first
            } else {
                format!("拐点坐标有 {corner_count} 处错误，如：{first}（全部问题见坐标检查结果）")
            },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use minplan_domain::application::parse_application;
    use minplan_domain::minerals::MineralCatalogue;
    use minplan_geo::GaussKrugerZone;

    const QINGFA: &str = "拐点,X(起标高),Y(止标高)\n1,4911391.68,44428925.83, , ,\n2,4911350.27,44429080.39, , ,\n3,4911471.02,44429112.75, , ,\n4,4911512.43,44428958.19, , ,\n*,560,480,庆发采石场,1,\n";

    /// The form of examples/01-qingfa-quarry.toml.
    pub(crate) fn qingfa() -> ApplicationForm {
        ApplicationForm {
            number: "SFH-2026-001".into(),
            kind: "新立".into(),
            right_kind: "采矿权".into(),
            project_name: "绥芬河市庆发采石场建筑用凝灰岩矿".into(),
            minerals: "建筑用凝灰岩".into(),
            mining_method: "露天".into(),
            capacity_value: "6".into(),
            capacity_unit: "万立方米/年".into(),
            reserves_value: "48".into(),
            reserves_unit: "万立方米".into(),
            service_years: "8".into(),
            received: "2026-11-20".into(),
            holder_name: "绥芬河市庆发建材有限公司".into(),
            credit_code: "91231081MA1BQF0013".into(),
            grant_method: "挂牌".into(),
            net_mineral: true,
            development_plan: true,
            restoration_plan: true,
            green_mine_commitment: true,
            wetland: "否".into(),
            arable_land: "否".into(),
            corners_text: QINGFA.into(),
            ..ApplicationForm::default()
        }
    }

    fn parse(toml: &str, corners: Option<&[u8]>) -> minplan_domain::application::Application {
        parse_application(
            toml,
            corners,
            &MineralCatalogue::builtin(),
            GaussKrugerZone::three_degree(44, true).unwrap(),
            None,
        )
        .unwrap_or_else(|e| panic!("{e}\n{toml}"))
    }

    #[test]
    fn the_form_gives_the_file_the_cli_reads() {
        let toml = qingfa().to_toml(Corners::Pasted).unwrap();
        assert!(
            toml.contains("format = \"minplan-application/1\""),
            "{toml}"
        );
        assert!(toml.contains("[coordinates]"), "{toml}");
        let app = parse(&toml, None);
        let example = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/01-qingfa-quarry.toml"
        ))
        .unwrap();
        let corners = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/01-qingfa-quarry.txt"
        ))
        .unwrap();
        let cli = parse(&example, Some(&corners));
        // Everything the review reads is the same.
        let mut a = serde_json::to_value(&app).unwrap();
        let mut b = serde_json::to_value(&cli).unwrap();
        for v in [&mut a, &mut b] {
            v["corner_report"]["crs_basis"] = serde_json::Value::Null;
        }
        assert_eq!(a, b);
        assert_eq!(app.corners.plane_polygons(), cli.corners.plane_polygons());
    }

    #[test]
    fn a_basis_chosen_with_the_unit_reaches_the_review() {
        let mut f = qingfa();
        f.reserves_unit = "万立方米（荒料量）".into();
        f.capacity_unit = "万立方米/年（矿石量）".into();
        let app = parse(&f.to_toml(Corners::Pasted).unwrap(), None);
        use minplan_domain::application::Material;
        assert_eq!(
            app.reserves_basis.and_then(|b| b.material),
            Some(Material::Block)
        );
        assert_eq!(
            app.capacity_basis.and_then(|b| b.material),
            Some(Material::Ore)
        );
        // Every unit the form offers parses.
        for u in super::super::CAPACITY_UNITS {
            f.capacity_unit = (*u).into();
            f.reserves_unit = "万立方米".into();
            let app = parse(&f.to_toml(Corners::Pasted).unwrap(), None);
            assert!(app.capacity.is_some(), "{u}");
        }
        for u in super::super::RESERVES_UNITS {
            f.capacity_unit = "万立方米/年".into();
            f.reserves_unit = (*u).into();
            let app = parse(&f.to_toml(Corners::Pasted).unwrap(), None);
            assert!(app.reserves.is_some(), "{u}");
        }
    }

    #[test]
    fn an_uploaded_file_is_named_and_quotes_cannot_break_the_file() {
        let mut f = qingfa();
        f.corners_text.clear();
        f.project_name = "名称\"\n[holder]\nname = \"x".into();
        f.agreement_note = "'''\"\"\"\\".into();
        let toml = f.to_toml(Corners::File("庆发 \"坐标\".txt")).unwrap();
        let v: toml::Table = toml::from_str(&toml).unwrap();
        assert_eq!(v["project_name"].as_str(), Some(f.project_name.as_str()));
        assert_eq!(v["coordinates"]["file"].as_str(), Some("庆发 \"坐标\".txt"));
        assert!(v["coordinates"].get("text").is_none());
        assert_eq!(
            v["holder"]["name"].as_str(),
            Some("绥芬河市庆发建材有限公司")
        );
        assert!(v["grant"].get("agreement_note").is_some());
        let app = parse(&toml, Some(QINGFA.as_bytes()));
        assert_eq!(app.project_name, f.project_name);
    }

    #[test]
    fn fields_that_cannot_be_written_are_named() {
        let mut f = qingfa();
        f.capacity_value = "六万".into();
        f.reserves_value = "４８".into();
        f.crs = "EPSG:4532".into();
        f.wetland = "也许".into();
        f.project_name = " ".into();
        let e = f.to_toml(Corners::Pasted).unwrap_err();
        for field in ["capacity_value", "crs", "wetland", "project_name"] {
            assert!(!e.get(field).is_empty(), "{field}: {e:?}");
        }
        assert!(e.get("capacity_value").contains("六万"));
        assert!(
            e.get("reserves_value").is_empty(),
            "full-width digits are numbers"
        );
        let mut f = qingfa();
        let both = f.to_toml(Corners::File("a.txt")).unwrap_err();
        assert!(both.get("corners").contains("只用一种方式"));
        f.corners_text = "  \n".into();
        let none = f.to_toml(Corners::Pasted).unwrap_err();
        assert!(none.get("corners").contains("请粘贴拐点坐标"));
    }

    #[test]
    fn the_sub_unit_reaches_the_application_or_is_left_out() {
        let mut f = qingfa();
        let toml = f.to_toml(Corners::Pasted).unwrap();
        assert!(!toml.contains("sub_unit"), "{toml}");
        assert_eq!(parse(&toml, None).sub_unit, None);
        f.sub_unit = " 阜宁镇 ".into();
        let toml = f.to_toml(Corners::Pasted).unwrap();
        assert_eq!(parse(&toml, None).sub_unit.as_deref(), Some("阜宁镇"));
    }

    #[test]
    fn the_declared_area_is_written_as_entered_or_named_when_unreadable() {
        let mut f = qingfa();
        f.declared_area = "２公顷".into();
        let toml = f.to_toml(Corners::Pasted).unwrap();
        let v: toml::Table = toml::from_str(&toml).unwrap();
        assert_eq!(v["declared_area"].as_str(), Some("２公顷"));
        assert_eq!(parse(&toml, None).declared_area.as_deref(), Some("２公顷"));
        f.declared_area = "0.0201".into();
        let e = parse_application(
            &f.to_toml(Corners::Pasted).unwrap(),
            None,
            &MineralCatalogue::builtin(),
            GaussKrugerZone::three_degree(44, true).unwrap(),
            None,
        )
        .unwrap_err();
        assert!(
            field_errors(&e.errors)
                .get("declared_area")
                .contains("申报面积“0.0201”"),
            "{e}"
        );
        f.declared_area = "二公顷".into();
        let e = f.to_toml(Corners::Pasted).unwrap_err();
        assert!(e.get("declared_area").contains("二公顷"), "{e:?}");
        f.declared_area = " ".into();
        let toml = f.to_toml(Corners::Pasted).unwrap();
        assert!(!toml.contains("declared_area"), "{toml}");
    }

    #[test]
    fn domain_problems_land_on_their_fields() {
        let mut f = qingfa();
        f.credit_code = "91231081MA1BQF0014".into();
        f.kind = "新设".into();
        f.minerals = "金子".into();
        f.corners_text = "1,4911391.68,44428925.83\n2,4911350.27,44429080.39\n".into();
        let toml = f.to_toml(Corners::Pasted).unwrap();
        let e = parse_application(
            &toml,
            None,
            &MineralCatalogue::builtin(),
            GaussKrugerZone::three_degree(44, true).unwrap(),
            None,
        )
        .unwrap_err();
        let fe = field_errors(&e.errors);
        assert!(fe.get("credit_code").contains("第 18 位"), "{fe:?}");
        assert!(fe.get("kind").contains("新设"), "{fe:?}");
        assert!(fe.get("minerals").contains("金子"), "{fe:?}");
        assert!(!fe.get("corners").is_empty(), "{fe:?}");
        assert_eq!(form_field("坐标文件 a.txt"), "corners");
        assert_eq!(form_field("holder.name"), "holder_name");
    }
}
