//! The parts of the 审查意见书, in document order.

use super::TEXT_W;
use super::elements::{
    GREEN, GREY, ORANGE, RED, boxed, cell, cell_para, header_row, heading, hex, hrun, para,
    para_runs, run, spacing_lines, subheading, table, text_cell, trun,
};
use super::official::{self, Issuer, people_date, signature_block, summary_table};
use crate::map::{ReviewMap, Swatch};
use crate::text::{
    chinese_date, citation_key, quoted, tidy_negative_zero, trim_number, without_repeats,
};
use docx_rs::{
    AlignmentType, BorderType, BreakType, Docx, Paragraph, Pic, Run, Shading, ShdType, TableRow,
};
use minplan_domain::application::GrantMethod;
use minplan_domain::plan::Plan;
use minplan_domain::review::{Conclusion, ConflictPart, ConformityReview, RuleOutcome, RuleResult};
use minplan_geo::corners::RingRole;
use minplan_geo::overlay::OverlapClass;

/// What every part reads.
pub(super) struct Ctx<'a> {
    pub review: &'a ConformityReview,
    pub plan: &'a Plan,
    /// The bureau, 文号, signature lines and seal caption; its date is the review time.
    pub issuer: Issuer,
}

impl Ctx<'_> {
    fn plan_name(&self) -> &str {
        &self.review.plan.name
    }

    /// The date of the opinion as people write it (Beijing date of the review).
    fn date(&self) -> String {
        people_date(self.issuer.date.as_deref())
    }
}

/// Printed width of the map, EMU ([`crate::map::PRINT_WIDTH_M`], 15 cm; 36 000 000 EMU a
/// metre): the figure's stated scale holds at this width.
const MAP_WIDTH_EMU: u32 = (crate::map::PRINT_WIDTH_M * 36_000_000.0) as u32;

fn conclusion_colour(c: Conclusion) -> &'static str {
    match c {
        Conclusion::Conforming => GREEN,
        Conclusion::ConformingPendingCheck => ORANGE,
        Conclusion::NonConforming => RED,
    }
}

fn centred(runs: Vec<Run>) -> Paragraph {
    runs.into_iter().fold(
        Paragraph::new().align(AlignmentType::Center),
        Paragraph::add_run,
    )
}

/// The one-page summary that opens a 符合 opinion: the application, the conclusion, the key
/// figures, the 文号 and the date; a page break after it. Nothing for other conclusions.
pub(super) fn summary_page(doc: Docx, c: &Ctx<'_>) -> Docx {
    let r = c.review;
    if r.conclusion != Conclusion::Conforming {
        return doc;
    }
    let app = &r.application;
    let mut rows: Vec<(&str, String)> = vec![("申请编号", app.number.clone())];
    rows.push(("项目名称", app.project_name.clone()));
    rows.push(("申请人", app.holder_name.clone()));
    rows.push((
        "申请类型",
        format!("{}{}", app.right_kind.label(), app.kind.label()),
    ));
    rows.push(("矿种", app.minerals.join("、")));
    if let Some(q) = app.capacity {
        rows.push(("设计生产规模", q.to_string()));
    }
    rows.push(("申请面积", area_lines(c)));
    rows.push(("所在规划区块", block_of(r)));
    rows.push((
        "审查结论",
        format!(
            "{}（逐项审查 {} 项，无不符合事项，无须人工核查事项）",
            r.conclusion.label(),
            r.rules.len()
        ),
    ));
    let figures: Vec<String> = r
        .indicators
        .iter()
        .filter(|i| i.after.is_some())
        .map(|i| {
            format!(
                "{}：{}（规划目标 {}）",
                i.name,
                value_with_unit(i.after, &i.unit),
                format!("{} {}", i.target, i.unit).trim_end()
            )
        })
        .collect();
    if !figures.is_empty() {
        rows.push(("规划指标（审批后）", figures.join("\n")));
    }
    rows.push(("审查依据", format!("《{}》", c.plan_name())));
    rows.push(("审查日期", c.date()));
    doc.add_paragraph(official::title("矿业权申请规划符合性审查意见书（摘要）"))
        .add_paragraph(official::issuer_line(&c.issuer))
        .add_paragraph(Paragraph::new())
        .add_table(summary_table(&rows, TEXT_W))
        .add_paragraph(Paragraph::new())
        .add_paragraph(para(format!(
            "经审查，该申请符合《{}》的相关规定。审查情况详见后附审查意见书全文。",
            c.plan_name()
        )))
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Right)
                .add_run(run(format!("{}　{}", c.issuer.bureau, c.date()))),
        )
        .add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)))
}

/// Title, bureau, 文号 and date, the conclusion.
pub(super) fn title(doc: Docx, c: &Ctx<'_>) -> Docx {
    let r = c.review;
    let mut doc = doc
        .add_paragraph(official::title("矿业权申请规划符合性审查意见书"))
        .add_paragraph(centred(vec![run(c.issuer.bureau.clone())]));
    let mut line = Vec::new();
    if let Some(n) = &c.issuer.document_number {
        line.push(n.clone());
    }
    line.push(format!("审查日期：{}", c.date()));
    doc = doc.add_paragraph(centred(vec![run(line.join("　　"))]));
    let colour = conclusion_colour(r.conclusion);
    let verdict = boxed(
        cell(
            vec![
                cell_para(
                    vec![
                        hrun("审查结论：").size(32),
                        hrun(r.conclusion.label()).size(32).color(colour),
                    ],
                    AlignmentType::Center,
                ),
                cell_para(
                    vec![trun(format!(
                        "申请编号：{}　项目名称：{}",
                        r.application.number, r.application.project_name
                    ))],
                    AlignmentType::Center,
                ),
                cell_para(
                    vec![trun(format!("申请人：{}", r.application.holder_name))],
                    AlignmentType::Center,
                ),
            ],
            TEXT_W - 1000,
        ),
        BorderType::Double,
        12,
        colour,
    );
    doc = doc
        .add_paragraph(Paragraph::new())
        .add_table(table(&[TEXT_W - 1000], vec![TableRow::new(vec![verdict])]));
    if c.review.layers.iter().any(|l| l.schematic) || c.plan.blocks.iter().any(|b| b.schematic) {
        doc = doc.add_paragraph(centred(vec![
            run("（本次审查所用规划区块或管控图层含示意数据，空间结论须以正式图层复核，见备注）")
                .size(18)
                .color(RED),
        ]));
    }
    doc
}

fn opt_text(v: Option<String>, none: &str) -> String {
    v.unwrap_or_else(|| none.to_string())
}

/// 一、申请基本情况.
pub(super) fn basic_info(doc: Docx, c: &Ctx<'_>) -> Docx {
    let r = c.review;
    let app = &r.application;
    let report = &app.corner_report;
    let mut rows: Vec<(&str, String)> = vec![("申请编号", app.number.clone())];
    rows.push((
        "申请类型",
        match app.change {
            Some(ch) => format!("{}（变更事项：{}）", app.kind.label(), ch.label()),
            None => app.kind.label().to_string(),
        },
    ));
    if let Some(e) = &app.existing_right {
        rows.push(("原矿业权证号", e.clone()));
    }
    rows.push(("矿业权类型", app.right_kind.label().to_string()));
    rows.push(("项目名称", app.project_name.clone()));
    rows.push(("申请人", app.holder_name.clone()));
    rows.push(("统一社会信用代码", app.credit_code.to_string()));
    rows.push(("矿种", app.minerals.join("、")));
    rows.push((
        "开采方式",
        opt_text(app.mining_method.map(|m| m.label().to_string()), "—"),
    ));
    rows.push((
        "设计生产规模",
        opt_text(app.capacity.map(|q| q.to_string()), "—"),
    ));
    rows.push((
        "保有资源量",
        opt_text(app.reserves.map(|q| q.to_string()), "未填报"),
    ));
    rows.push((
        "服务年限",
        opt_text(
            app.service_years
                .map(|y| format!("{} 年", trim_number(y, 1))),
            "未填报",
        ),
    ));
    rows.push((
        "开采标高",
        opt_text(
            app.elevation.map(|(t, b)| {
                format!(
                    "{} 米至 {} 米（1985国家高程基准）",
                    trim_number(t, 2),
                    trim_number(b, 2)
                )
            }),
            "未载明",
        ),
    ));
    let mut grant = app.grant_method.label().to_string();
    if app.grant_method == GrantMethod::Agreement {
        let mut why: Vec<String> = Vec::new();
        if let Some(reason) = app.agreement_reason {
            why.push(format!("协议理由：{}", reason.label()));
        } else {
            why.push("未填写协议理由".into());
        }
        if let Some(n) = &app.agreement_note {
            why.push(n.clone());
        }
        grant.push_str(&format!("（{}）", why.join("；")));
    }
    if app.net_mineral_grant {
        grant.push_str("；净矿出让");
    }
    rows.push(("出让方式", grant));
    if let Some(d) = &app.received {
        rows.push(("受理日期", chinese_date(d)));
    }
    rows.push(("申请面积", area_lines(c)));
    if let Some(d) = &app.declared_area {
        // Only an application whose 申报面积 agreed with its corners is reviewed.
        rows.push((
            "申报面积",
            format!("{d}（申请人填写；与按拐点坐标计算的椭球面积在所写数字的修约范围内相符）"),
        ));
    }
    rows.push((
        "坐标系",
        match &report.crs {
            Some(crs) => crs.to_string(),
            None => "未确定".to_string(),
        },
    ));
    rows.push(("所在规划区块", block_of(r)));
    rows.push((
        "审查所用规划版本",
        format!(
            "《{}》第 {} 版（{}，{}起施行，批准文号：{}；按受理日期 {} 施行的版本）",
            r.plan.name,
            r.plan.version,
            r.plan.version_kind,
            chinese_date(&r.plan.effective),
            r.plan.basis_number.as_deref().unwrap_or("未载明"),
            chinese_date(&r.plan.in_force_on),
        ),
    ));
    rows.push(("审查所用图层", layer_lines(r)));
    rows.push((
        "空间查重范围",
        format!("已登记矿业权及在审申请 {} 宗", r.register_size),
    ));

    let widths = [2300, TEXT_W - 2300];
    let trs = rows
        .into_iter()
        .map(|(k, v)| {
            TableRow::new(vec![
                text_cell(k, widths[0], AlignmentType::Center),
                text_cell(&v, widths[1], AlignmentType::Left),
            ])
            .cant_split()
        })
        .collect();
    doc.add_paragraph(heading("一、申请基本情况"))
        .add_table(table(&widths, trs))
}

/// The two areas with their methods, one per line.
fn area_lines(c: &Ctx<'_>) -> String {
    match &c.review.application.corner_report.areas {
        Some(a) => format!(
            "平面面积（高斯投影）：{:.2} m²\n椭球面积（TD/T 1055-2019 附录D）：{:.4} km²",
            a.plane_m2, a.km2
        ),
        None => format!(
            "平面面积（高斯投影，规划所用投影带）：{:.2} m²\n椭球面积（TD/T 1055-2019 附录D）：坐标系未完全确定，未计算",
            c.review.application_area_m2
        ),
    }
}

/// 所在规划区块, from R2's evidence.
fn block_of(r: &ConformityReview) -> String {
    let Some(r2) = r.rule("R2") else {
        return "—".into();
    };
    if let Some(e) = r2.evidence.iter().find(|e| e.label == "所在规划区块") {
        return e.value.clone();
    }
    match r2.outcome {
        RuleOutcome::NotApplicable => format!("—（{}）", r2.message),
        _ => format!("无（{}）", r2.message),
    }
}

/// The layers used, by name with their feature counts; layers of one source share one line
/// that states the source once (the plan bundle's schematic layers all carry the same
/// sentence). No machine version marker.
fn layer_lines(r: &ConformityReview) -> String {
    if r.layers.is_empty() {
        return "未载入管控图层".into();
    }
    let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
    for l in &r.layers {
        let name = format!(
            "{}{} {} 个图斑",
            l.name,
            if l.schematic && !l.name.contains("示意") {
                "（示意）"
            } else {
                ""
            },
            l.features
        );
        match groups.iter_mut().find(|(s, _)| *s == l.source) {
            Some(g) => g.1.push(name),
            None => groups.push((&l.source, vec![name])),
        }
    }
    groups
        .into_iter()
        .map(|(source, names)| format!("{}：来源 {source}", names.join("、")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// 二、拐点坐标: every ring as entered.
pub(super) fn corners(doc: Docx, c: &Ctx<'_>) -> Docx {
    let report = &c.review.application.corner_report;
    let mut doc = doc.add_paragraph(heading("二、拐点坐标"));
    let crs = report
        .crs
        .map(|x| x.to_string())
        .unwrap_or_else(|| "未确定".into());
    doc = doc.add_paragraph(para(format!(
        "坐标系：{crs}；格式：{}。下表按申请人填报的原样列出{}。",
        report.layout.label_zh(),
        if report.geographic {
            "（纬度、经度）"
        } else {
            "（X 为北坐标，Y 为东坐标）"
        }
    )));
    let (hx, hy) = if report.geographic {
        ("纬度", "经度")
    } else {
        ("X（北）", "Y（东）")
    };
    let widths = [1400, 3000, 3000];
    let multi = report.blocks.len() > 1;
    for block in &report.blocks {
        for (k, ring) in block.rings.iter().enumerate() {
            let name = ring
                .name
                .clone()
                .unwrap_or_else(|| format!("第{}圈", k + 1));
            let mut caption = if multi || block.name != name {
                format!("{}　{}", block.name, name)
            } else {
                name
            };
            caption.push_str(match ring.role {
                RingRole::Shell => "（外圈",
                RingRole::Hole => "（内圈，挖空",
            });
            if let Some(e) = ring.elevation {
                caption.push_str(&format!(
                    "；开采标高 {} 米至 {} 米",
                    trim_number(e.top_m, 2),
                    trim_number(e.bottom_m, 2)
                ));
            }
            caption.push('）');
            doc = doc.add_paragraph(subheading(&caption));
            let mut rows = vec![header_row(&["点号", hx, hy], &widths)];
            for p in &ring.points {
                rows.push(TableRow::new(vec![
                    text_cell(&p.label, widths[0], AlignmentType::Center),
                    text_cell(&p.x_text, widths[1], AlignmentType::Center),
                    text_cell(&p.y_text, widths[2], AlignmentType::Center),
                ]));
            }
            doc = doc.add_table(table(&widths, rows));
        }
        if multi
            && let Some(a) = report
                .areas
                .as_ref()
                .and_then(|a| a.blocks.iter().find(|b| b.name == block.name))
        {
            doc = doc.add_paragraph(para(format!(
                "{}：平面面积（高斯投影）{:.2} m²；椭球面积（TD/T 1055-2019 附录D）{:.4} km²。",
                block.name, a.plane_m2, a.km2
            )));
        }
    }
    doc
}

/// 三、范围示意图: the picture, its caption, legend, scale and north arrow.
pub(super) fn map_figure(doc: Docx, map: &ReviewMap, png: Vec<u8>) -> Docx {
    let h_emu =
        (u64::from(MAP_WIDTH_EMU) * u64::from(map.height_px()) / u64::from(map.width_px())) as u32;
    let pic = Pic::new_with_dimensions(png, map.width_px(), map.height_px())
        .size(MAP_WIDTH_EMU, h_emu)
        .id("rIdImageMap");
    let mut doc = doc
        .add_paragraph(heading("三、范围示意图"))
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .keep_next(true)
                .line_spacing(spacing_lines(120, 60, 240))
                .add_run(Run::new().add_image(pic)),
        )
        .add_paragraph(centred(vec![
            hrun(format!(
                "图 1　申请范围与规划区块、管控图层关系示意图{}",
                if map.schematic() { "（示意）" } else { "" }
            ))
            .size(21),
        ]));
    // Legend: two entries per row, a swatch cell and a label cell each.
    let widths = [700, TEXT_W / 2 - 700, 700, TEXT_W - TEXT_W / 2 - 700];
    let mut rows = Vec::new();
    for pair in map.legend().chunks(2) {
        let mut cells = Vec::new();
        for (i, e) in pair.iter().enumerate() {
            let sw = cell(
                vec![cell_para(vec![], AlignmentType::Center)],
                widths[2 * i],
            );
            let sw = match e.swatch {
                Swatch::Area { fill, line } => boxed(
                    sw.shading(Shading::new().shd_type(ShdType::Clear).fill(hex(fill))),
                    BorderType::Single,
                    18,
                    &hex(line),
                ),
                Swatch::Dashed { line } => boxed(sw, BorderType::Dashed, 12, &hex(line)),
                Swatch::Dotted { line } => boxed(sw, BorderType::Dotted, 16, &hex(line)),
                Swatch::Fill { fill } => {
                    sw.shading(Shading::new().shd_type(ShdType::Clear).fill(hex(fill)))
                }
                Swatch::Tint { fill, line } => boxed(
                    sw.shading(Shading::new().shd_type(ShdType::Clear).fill(hex(fill))),
                    BorderType::Single,
                    4,
                    &hex(line),
                ),
            };
            cells.push(sw);
            cells.push(text_cell(&e.label, widths[2 * i + 1], AlignmentType::Left));
        }
        if pair.len() == 1 {
            cells.push(text_cell("", widths[2], AlignmentType::Left));
            cells.push(text_cell("", widths[3], AlignmentType::Left));
        }
        rows.push(TableRow::new(cells).cant_split());
    }
    // No table borders: a swatch's own border (dashed for blocks) must not meet another.
    doc = doc
        .add_paragraph(subheading("图例"))
        .add_table(table(&widths, rows).clear_all_border());
    let grid = map.grid();
    doc = doc
        .add_paragraph(para_runs(vec![run(format!(
            "比例尺 {}（按图宽 15 厘米打印）；图中左下角比例尺全长 {} 米（黑白两段各 {} 米）。",
            map.scale_text(),
            trim_number(map.scale_bar_m(), 2),
            trim_number(map.scale_bar_m() / 2.0, 2),
        ))])
        .first_line_chars(200)
        .line_spacing(spacing_lines(120, 60, 300)))
        .add_paragraph(para(format!(
            "坐标系：{}；图中公里网间隔 {} 米，注记为千米数（横坐标含带号），每轴第一条线注全值、其余注末两位。指北针指向坐标北（高斯–克吕格投影纵轴方向），横纵比例相同。拐点编号按申请人填报原样标注。",
            map.zone().with_prefix(true),
            trim_number(grid.interval_m, 0),
        )));
    if !map.blocks().is_empty() {
        let list: Vec<String> = map
            .blocks()
            .iter()
            .map(|b| {
                format!(
                    "{} {}（{}{}）",
                    b.number,
                    b.name,
                    b.kind,
                    if b.schematic { "，示意" } else { "" }
                )
            })
            .collect();
        doc = doc.add_paragraph(para(format!("图中规划区块：{}。", list.join("；"))));
    }
    if map.schematic() {
        doc = doc.add_paragraph(para_runs(vec![
            run("注：图中规划区块和管控图层含示意数据，仅示相对位置，不作为界线依据。").color(RED),
        ]));
    }
    doc
}

fn outcome_run(o: RuleOutcome) -> Run {
    let r = trun(o.label());
    match o {
        RuleOutcome::Fail => r.bold().color(RED),
        RuleOutcome::ManualCheck => r.bold().color(ORANGE),
        RuleOutcome::Pass => r,
        RuleOutcome::NotApplicable => r.color(GREY),
    }
}

fn conflict_line(p: &ConflictPart) -> String {
    let mut who = p.feature_id.clone();
    if let Some(n) = &p.feature_name
        && !n.is_empty()
    {
        who.push(' ');
        who.push_str(n);
    }
    let class = match p.class {
        OverlapClass::Overlap => "",
        OverlapClass::Sliver => "，细碎重叠，不超过容差",
        OverlapClass::Touching => "，仅边界相邻",
    };
    format!(
        "{} {}：{:.2} m²（{:.2}%{}）",
        p.layer, who, p.area_m2, p.percent_of_application, class
    )
}

/// The 依据与说明 cell of a rule: message, evidence, conflicting parts.
///
/// A sentence said more than once in the cell (a schematic layer's note in the message and
/// in the evidence) is shown once: the first time it occurs.
fn explanation(rule: &RuleResult, width: usize) -> docx_rs::TableCell {
    let mut texts = vec![(None, tidy_negative_zero(&rule.message))];
    texts.extend(
        rule.evidence
            .iter()
            .map(|e| (Some(e.label.as_str()), tidy_negative_zero(&e.value))),
    );
    let values = without_repeats(texts.iter().map(|(_, t)| t.clone()).collect());
    let mut paras = Vec::new();
    for ((label, _), value) in texts.iter().zip(values) {
        let Some(value) = value else { continue };
        let line = match label {
            Some(l) => format!("{l}：{value}"),
            None => value,
        };
        paras.push(cell_para(vec![trun(line)], AlignmentType::Left));
    }
    if !rule.conflicts.is_empty() {
        paras.push(cell_para(
            vec![trun("冲突部分：").bold()],
            AlignmentType::Left,
        ));
        for p in &rule.conflicts {
            paras.push(cell_para(vec![trun(conflict_line(p))], AlignmentType::Left));
        }
    }
    cell(paras, width)
}

/// 规划依据 of a rule: the plan citations (those that could not be checked against a text
/// marked 未核对), then other basis.
fn rule_basis_text(plan: &Plan, rule: &RuleResult) -> String {
    let mut lines = Vec::new();
    let cites = plan.cites_label(&rule.cites);
    if !cites.is_empty() {
        lines.push(cites);
    }
    for b in &rule.basis {
        if !lines.contains(b) {
            lines.push(b.clone());
        }
    }
    if lines.is_empty() {
        "—".into()
    } else {
        lines.join("\n")
    }
}

/// 四、审查情况: every rule.
pub(super) fn rules(doc: Docx, c: &Ctx<'_>) -> Docx {
    let widths = [620, 1750, 1050, TEXT_W - 620 - 1750 - 1050 - 1800, 1800];
    let mut rows = vec![header_row(
        &["序号", "审查事项", "结论", "依据与说明", "规划依据"],
        &widths,
    )];
    for (k, rule) in c.review.rules.iter().enumerate() {
        rows.push(TableRow::new(vec![
            text_cell(
                &format!("{}\n{}", k + 1, rule.id),
                widths[0],
                AlignmentType::Center,
            ),
            cell(
                vec![
                    cell_para(vec![trun(rule.title)], AlignmentType::Left),
                    cell_para(
                        vec![trun(format!("（{}）", rule.severity.label())).color(GREY)],
                        AlignmentType::Left,
                    ),
                ],
                widths[1],
            ),
            cell(
                vec![cell_para(
                    vec![outcome_run(rule.outcome)],
                    AlignmentType::Center,
                )],
                widths[2],
            ),
            explanation(rule, widths[3]),
            text_cell(
                &rule_basis_text(c.plan, rule),
                widths[4],
                AlignmentType::Left,
            ),
        ]));
    }
    let counts = |o: RuleOutcome| c.review.rules.iter().filter(|r| r.outcome == o).count();
    doc.add_paragraph(heading("四、审查情况"))
        .add_paragraph(para(format!(
            "按《{}》对本申请逐项审查共 {} 项：符合 {} 项，不符合 {} 项，需人工核查 {} 项，不适用 {} 项。",
            c.plan_name(),
            c.review.rules.len(),
            counts(RuleOutcome::Pass),
            counts(RuleOutcome::Fail),
            counts(RuleOutcome::ManualCheck),
            counts(RuleOutcome::NotApplicable),
        )))
        .add_table(table(&widths, rows))
}

fn value_with_unit(v: Option<f64>, unit: &str) -> String {
    match v {
        Some(x) => format!("{} {}", trim_number(x, 2), unit)
            .trim_end()
            .to_string(),
        None => "—".into(),
    }
}

/// 五、规划指标影响 (what-if).
pub(super) fn indicators(doc: Docx, c: &Ctx<'_>) -> Docx {
    let mut doc = doc.add_paragraph(heading("五、规划指标影响"));
    if c.review.indicators.is_empty() {
        return doc.add_paragraph(para("本申请不涉及可由登记数据计算的规划指标。"));
    }
    doc = doc.add_paragraph(para(
        "下表按已登记的有效矿业权计算规划指标现状（审批前），并计入本申请（审批后）。",
    ));
    let widths = [2845, 1500, 1500, 1500, 1500];
    let mut rows = vec![header_row(
        &["指标", "规划目标", "审批前", "审批后", "是否符合"],
        &widths,
    )];
    for i in &c.review.indicators {
        let mut name = vec![cell_para(
            vec![trun(format!(
                "{}（{}）",
                i.name,
                c.plan.cite_label(&i.cite)
            ))],
            AlignmentType::Left,
        )];
        if !i.note.is_empty() {
            name.push(cell_para(
                vec![trun(i.note.clone()).size(18).color(GREY)],
                AlignmentType::Left,
            ));
        }
        let holds = match i.holds_after {
            Some(true) => trun("符合"),
            Some(false) => trun("不符合").bold().color(RED),
            // A value that leaves mines out (see the note): not for the system to judge.
            None if i.after.is_some() => trun("需人工核查").bold(),
            None => trun("—"),
        };
        rows.push(TableRow::new(vec![
            cell(name, widths[0]),
            text_cell(
                format!("{} {}", i.target, i.unit).trim_end(),
                widths[1],
                AlignmentType::Center,
            ),
            text_cell(
                &value_with_unit(i.before, &i.unit),
                widths[2],
                AlignmentType::Center,
            ),
            text_cell(
                &value_with_unit(i.after, &i.unit),
                widths[3],
                AlignmentType::Center,
            ),
            cell(
                vec![cell_para(vec![holds], AlignmentType::Center)],
                widths[4],
            ),
        ]));
    }
    doc.add_table(table(&widths, rows))
}

/// What to do about a rule that failed or needs a manual check.
fn advice(id: &str, outcome: RuleOutcome) -> &'static str {
    match (outcome, id) {
        (RuleOutcome::Fail, "R1") => "属规划禁止或限制开采的情形，不予通过。",
        (RuleOutcome::Fail, "R2") => {
            "申请范围须调整至相应规划区块内并与区块范围基本一致，或待规划依法调整后再行申请。"
        }
        (RuleOutcome::Fail, "R3") => {
            "区块内已有矿业权或在审申请，须依“一个区块一个主体”原则处理后再行申请。"
        }
        (RuleOutcome::Fail, "R4") => {
            "须按资源量重新论证设计生产规模和服务年限，杜绝“大矿小开”“一矿多开”。"
        }
        (RuleOutcome::Fail, "R5") => "设计生产规模须达到规划规定的最低开采规模。",
        (RuleOutcome::Fail, "R6") => "规划期内矿山数量已达控制上限，不得新设。",
        (RuleOutcome::Fail, "R7") => "批准后开采总量将超出规划调控指标，须核减设计生产规模。",
        (RuleOutcome::Fail, "R8") => "申请范围须退出生态保护红线。",
        (RuleOutcome::Fail, "R9") => "申请范围须避让永久基本农田。",
        (RuleOutcome::Fail, "R10") => "申请范围须避让城镇开发边界。",
        (RuleOutcome::Fail, "R11") => {
            "三区两线可视范围内禁止露天开采砂石土，须调整申请范围或开采方式。"
        }
        (RuleOutcome::Fail, "R12") => "须调整申请范围，消除与其他矿业权（申请）的重叠。",
        (RuleOutcome::Fail, "R13") => "申请人列入严重违法失信名单，依法不予批准。",
        (RuleOutcome::Fail, "R14") => {
            "须补齐矿产资源开发利用方案、矿区生态修复方案及绿色矿山建设承诺，同步审查。"
        }
        (RuleOutcome::Fail, "R15") => {
            "须以招标、拍卖、挂牌方式出让，或补充协议出让的法定情形及依据。"
        }
        (RuleOutcome::Fail, _) => "须按上述规划条款修改申请后重新报审。",
        (_, "R1") => "核实申请范围内土地现状（湿地、可耕地）。",
        (_, "R2") => "核实申请矿种及范围与规划区块是否基本一致。",
        (_, "R4") => "补充资源量或服务年限资料后核算规模与资源量是否相适应。",
        (_, "R8") => "核实勘查活动是否属生态保护红线内允许的有限人为活动。",
        (_, "R9") => "核实是否占用、破坏永久基本农田。",
        (_, "R10") => "征求国土空间规划部门意见，核实与城镇开发边界的关系。",
        (_, "R13") => "核实申请人列入经营异常名录的情形是否已消除。",
        (_, "R15") => "核实协议出让的理由及其依据文件。",
        _ => "由审查人员核实，并将核查结论记入备注。",
    }
}

/// A message as a sentence: `。` appended unless it ends with punctuation.
fn sentence(s: &str) -> String {
    let s = s.trim_end();
    if s.ends_with(['。', '！', '？']) {
        s.to_string()
    } else {
        format!("{s}。")
    }
}

/// 六、审查结论.
pub(super) fn conclusion(doc: Docx, c: &Ctx<'_>) -> Docx {
    let r = c.review;
    let failed: Vec<&RuleResult> = r
        .rules
        .iter()
        .filter(|x| x.outcome == RuleOutcome::Fail)
        .collect();
    let manual: Vec<&RuleResult> = r
        .rules
        .iter()
        .filter(|x| x.outcome == RuleOutcome::ManualCheck)
        .collect();
    let lead = match r.conclusion {
        Conclusion::Conforming => format!(
            "经审查，该申请符合《{}》的相关规定，规划符合性审查结论为：",
            c.plan_name()
        ),
        Conclusion::ConformingPendingCheck => format!(
            "经审查，未发现该申请与《{}》不符合的情形，但有 {} 项须人工核查，规划符合性审查结论为：",
            c.plan_name(),
            manual.len()
        ),
        Conclusion::NonConforming => format!(
            "经审查，该申请有 {} 项不符合《{}》的规定，规划符合性审查结论为：",
            failed.len(),
            c.plan_name()
        ),
    };
    let mut doc = doc.add_paragraph(heading("六、审查结论")).add_paragraph(
        para_runs(vec![
            run(lead),
            run(r.conclusion.label())
                .bold()
                .color(conclusion_colour(r.conclusion)),
            run("。"),
        ])
        .first_line_chars(200),
    );
    let list = |doc: Docx, title: &str, items: &[&RuleResult]| -> Docx {
        if items.is_empty() {
            return doc;
        }
        let mut doc = doc.add_paragraph(subheading(title));
        for (k, x) in items.iter().enumerate() {
            doc = doc.add_paragraph(
                para_runs(vec![
                    run(format!("{}. {} {}：", k + 1, x.id, x.title)).bold(),
                    run(sentence(&tidy_negative_zero(&x.message))),
                    run(format!("处理意见：{}", advice(x.id, x.outcome))),
                ])
                .first_line_chars(200),
            );
        }
        doc
    };
    doc = list(doc, "不符合事项及处理意见", &failed);
    doc = list(doc, "须人工核查事项", &manual);
    if r.conclusion == Conclusion::ConformingPendingCheck {
        doc = doc.add_paragraph(para("上述事项经核查无误并记录后，方可认定该申请符合规划。"));
    }
    doc
}

/// 七、审查依据: laws, the plan and each applied rule's wording in it, standards used.
pub(super) fn legal_basis(doc: Docx, c: &Ctx<'_>) -> Docx {
    let r = c.review;
    let mut items: Vec<String> = vec![
        "《中华人民共和国矿产资源法》".into(),
        "《矿产资源规划编制实施办法》".into(),
    ];
    let mut plan_item = format!("《{}》", c.plan_name());
    // The plan's wording, once per distinct text, naming the rules that rest on it.
    let mut wording: Vec<(String, String, Vec<&str>)> = Vec::new();
    for rule in r
        .rules
        .iter()
        .filter(|x| x.outcome != RuleOutcome::NotApplicable)
    {
        if let Some(b) = c.plan.rule_basis(rule.id) {
            let cites = c.plan.cites_label(&b.cites);
            match wording
                .iter_mut()
                .find(|(t, ci, _)| *t == b.text && *ci == cites)
            {
                Some(w) => w.2.push(rule.id),
                None => wording.push((b.text.clone(), cites, vec![rule.id])),
            }
        }
    }
    if !wording.is_empty() {
        plan_item.push('：');
    }
    items.push(plan_item);
    let mut sub: Vec<String> = wording
        .into_iter()
        .map(|(text, cites, ids)| format!("{cites}：{}（{}）", quoted(&text), ids.join("、")))
        .collect();
    let mut others: Vec<String> = Vec::new();
    // Each document once: two wordings of one standard (its code) or one title are one
    // item, the fuller wording kept.
    let mut add = |s: String| {
        let key = citation_key(&s);
        match others
            .iter_mut()
            .find(|o| **o == s || (key.is_some() && citation_key(o) == key))
        {
            Some(o) => {
                if s.chars().count() > o.chars().count() {
                    *o = s;
                }
            }
            None => others.push(s),
        }
    };
    for b in r.rules.iter().flat_map(|x| &x.basis) {
        add(b.clone());
    }
    if r.application.corner_report.areas.is_some() {
        add("《第三次全国国土调查技术规程》（TD/T 1055-2019）附录D 椭球面积计算".into());
    }
    if r.indicators
        .iter()
        .any(|i| i.note.contains("国土资发〔2004〕208号"))
    {
        add("《关于调整部分矿种矿山生产建设规模标准的通知》（国土资发〔2004〕208号）".into());
    }
    add("《法人和其他组织统一社会信用代码编码规则》（GB 32100-2015）".into());
    let mut doc = doc.add_paragraph(heading("七、审查依据"));
    for (k, item) in items.iter().enumerate() {
        doc = doc.add_paragraph(para(format!("{}. {}", k + 1, item)));
        if k == 2 {
            for s in sub.drain(..) {
                doc = doc.add_paragraph(para_runs(vec![run(s).size(21)]).indent(
                    Some(840),
                    None,
                    None,
                    None,
                ));
            }
        }
    }
    for (k, item) in others.iter().enumerate() {
        doc = doc.add_paragraph(para(format!("{}. {}", items.len() + k + 1, item)));
    }
    doc
}

/// 备注 and the signature block.
pub(super) fn remarks_and_signatures(doc: Docx, c: &Ctx<'_>) -> Docx {
    let r = c.review;
    let mut doc = doc.add_paragraph(heading("备注"));
    if r.notes.is_empty() {
        doc = doc.add_paragraph(para("无。"));
    }
    for (k, n) in r.notes.iter().enumerate() {
        doc = doc.add_paragraph(para(format!("{}. {}", k + 1, n)));
    }
    doc = doc.add_paragraph(para("人工核查结论："));
    doc = doc.add_paragraph(para("").line_spacing(spacing_lines(600, 0, 300)));
    signature_block(doc, &c.issuer, &c.date(), TEXT_W)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_with_a_full_stop() {
        assert_eq!(sentence("未提供保有资源量"), "未提供保有资源量。");
        assert_eq!(sentence("已提交。"), "已提交。");
        assert_eq!(sentence("不在区块内（见 R2）"), "不在区块内（见 R2）。");
    }
}
