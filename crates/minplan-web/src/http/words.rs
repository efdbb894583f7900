//! People's words on screen: what every page shows instead of machine text.
//!
//! - Times: stored times (RFC 3339, UTC) in Beijing time (UTC+8) to the minute,
//!   `2026-12-06 12:15` ([`beijing`]); dates as people write them, `2026年12月6日`
//!   ([`date_zh`], [`beijing_date`]).
//! - Who: an audit actor (`user:2:shenpi`, `cli:unknown`, `system`) as the account's display
//!   name or a Chinese description ([`People::actor`]).
//! - What: every audit action code (`application.approve`) as its Chinese name
//!   ([`action_name`], table [`ACTIONS`]); an unknown code is shown as 未命名操作 with the code
//!   in a tooltip, never silently.
//! - The audit row's before/after as a table of Chinese field labels with the changed fields
//!   marked ([`field_changes`]), instead of raw JSON.
//!
//! Pages render an audit trail with [`People::trail`] and the `trail_table` macro of
//! `templates/trail.html`.

use minplan_domain::citation::format_number;
use minplan_store::{AuditRow, Role, Store};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// Beijing time is UTC+8 all year (no daylight saving since 1991).
fn beijing_offset() -> time::UtcOffset {
    time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC)
}

/// A stored RFC 3339 time (every table keeps UTC) in Beijing time; `None` for other text.
pub fn parse_utc(at: &str) -> Option<time::OffsetDateTime> {
    use time::format_description::well_known::Rfc3339;
    time::OffsetDateTime::parse(at.trim(), &Rfc3339)
        .ok()
        .map(|t| t.to_offset(beijing_offset()))
}

/// A stored time (RFC 3339; every table keeps UTC) in Beijing time to the minute, as people
/// read it on a screen: `2026-12-05T17:30:00Z` → `2026-12-06 01:30`. Text that is not such a
/// time (a bare date, `—`) is shown as it is.
pub fn beijing(at: &str) -> String {
    match parse_utc(at) {
        Some(t) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute()
        ),
        None => at.to_string(),
    }
}

/// The Beijing date of a stored time as people write it: `2026-12-05T17:30:00Z` →
/// `2026年12月6日`. A bare date `YYYY-MM-DD` is written the same way ([`date_zh`]); other
/// text is shown as it is.
pub fn beijing_date(at: &str) -> String {
    match parse_utc(at) {
        Some(t) => format!("{}年{}月{}日", t.year(), u8::from(t.month()), t.day()),
        None => date_zh(at),
    }
}

/// A date `YYYY-MM-DD` as people write it, `2026年12月6日`; other text as it is.
pub fn date_zh(d: &str) -> String {
    let parts: Vec<&str> = d.trim().split('-').collect();
    match parts.as_slice() {
        [y, m, day] if y.len() == 4 && m.len() == 2 && day.len() == 2 => {
            match (y.parse::<i32>(), m.parse::<u8>(), day.parse::<u8>()) {
                (Ok(y), Ok(m), Ok(day)) if (1..=12).contains(&m) && (1..=31).contains(&day) => {
                    format!("{y}年{m}月{day}日")
                }
                _ => d.to_string(),
            }
        }
        _ => d.to_string(),
    }
}

/// Every audit action code the store and the web write, with its Chinese name. A test
/// collects the codes from the source (`tests::every_written_code_has_a_name`), so a new code
/// without a name here fails the build's tests.
pub const ACTIONS: &[(&str, &str)] = &[
    ("plan.import", "导入规划版本"),
    ("plan.activate", "切换当前规划"),
    ("user.add", "新建账号"),
    ("user.password", "修改密码"),
    ("user.disable", "停用账号"),
    ("user.enable", "启用账号"),
    ("session.login", "登录"),
    ("session.logout", "退出登录"),
    ("review.create", "审查并保存审查记录"),
    ("audit.head", "记录当日操作日志链尾（锚点）"),
    ("application.register", "申请登记（在审）"),
    ("application.approve", "批准申请"),
    ("application.refuse", "不予批准申请"),
    ("application.grant", "记录出让"),
    ("joint_review.start", "启动联合审查"),
    ("joint_review.opinion", "记录部门意见"),
    ("joint_review.site_visit", "记录现场踏查"),
    ("joint_review.adjust", "踏查调整开采范围"),
    ("joint_review.consent", "记录人民政府同意"),
    ("application.not_accept", "不予受理申请"),
    ("application.return", "退回申请"),
    ("application.reopen", "退回后重新受理"),
    ("opinion.number", "编审查意见书文号"),
    ("layer.import", "导入管控图层"),
    ("right.import", "导入矿业权"),
    ("right.update", "更新矿业权（导入）"),
    ("right.register", "登记矿业权"),
    ("right.extend", "延续"),
    ("right.change", "变更"),
    ("right.transfer", "转让"),
    ("right.mortgage", "抵押"),
    ("right.mortgage_release", "解除抵押"),
    ("right.closure_report", "报送闭坑报告"),
    ("right.close", "闭坑验收"),
    ("right.cancel", "注销"),
    ("mine.create", "建立矿山档案"),
    ("report.file", "报送年度报告"),
    ("report.correct", "更正年度报告"),
    ("holder_list.add", "列入名录"),
    ("holder_list.remove", "移出名录"),
    ("holder_list.apply", "名录移出申请"),
    ("holder_list.verify", "名录移出核验"),
    ("holder_list.limit", "设置名录移出核验时限"),
    ("scale_table.set", "修改矿山规模划分标准"),
    ("scale_table.remove", "删除矿山规模划分标准"),
    ("settings.set", "修改系统设置"),
    ("settings.update", "修改机关设置"),
    ("db.backup", "下载数据库备份"),
    ("calendar.set", "录入工作日历"),
    ("indicator.manual_entry", "人工填报规划指标"),
    ("publication.draft", "生成公示草稿"),
    ("publication.redraft", "重新生成公示草稿"),
    ("publication.submit", "公示信息提交审核"),
    ("publication.approve", "审核通过并公开"),
    ("publication.return", "公示信息退回修改"),
    ("publication.withdraw", "撤回公示信息"),
    ("publication.settings", "修改抽查结果公示期限"),
    ("check.record", "保存检查记录"),
    ("check.evidence", "上传检查证据材料"),
    ("check.rectification_report", "报送整改报告"),
    ("check.acceptance", "整改验收"),
    ("inspector.create", "新增执法检查人员"),
    ("inspector.update", "修改执法检查人员"),
    ("inspector_recusal.add", "登记检查人员回避关系"),
    ("inspector_recusal.remove", "删除检查人员回避关系"),
    ("inspection_item.create", "新增抽查事项"),
    ("inspection_item.update", "修改抽查事项"),
    ("inspection_plan.create", "制定抽查计划"),
    ("inspection_draw.commit", "公布抽取承诺"),
    ("inspection_draw.draw", "随机抽取抽查对象和检查人员"),
    ("inspection_draw.redraw", "重新抽取"),
    ("licence.add", "登记矿山证照"),
    ("licence.update", "更正矿山证照"),
    // 生态修复：历史遗留矿山与修复项目
    ("legacy_mine.add", "录入历史遗留矿山"),
    ("legacy_mine.status", "更改历史遗留矿山治理状态"),
    ("legacy_mine.photo", "上传历史遗留矿山照片"),
    ("restoration_project.add", "录入修复项目"),
    ("restoration_project.accept", "修复项目验收"),
    ("restoration.seed", "载入修复基线数据"),
    ("filing.file", "填报勘查开采信息"),
    ("filing.correct", "更正勘查开采信息"),
    // 治理恢复基金 (restoration_fund).
    ("restoration_fund.entry", "登记治理恢复基金计提或使用"),
    ("restoration_fund.output", "报送季度销售收入（基金）"),
    ("restoration_fund.method", "设定基金应计提金额计算方法"),
    ("restoration_fund.coefficient", "设置基金计提系数"),
    ("restoration_fund.period", "设置基金整改期限"),
    ("restoration_fund.order", "下达基金责令限期整改"),
    ("restoration_fund.propose", "提出列入异常名录建议（基金）"),
    ("restoration_fund.confirm", "确认列入异常名录（基金）"),
    ("restoration_fund.dismiss", "不予列入异常名录（基金）"),
    // 绿色矿山 (green).
    ("green_checklist.upload", "上传绿色矿山评价清单"),
    ("green_assessment.start", "开始绿色矿山自评"),
    ("green_assessment.save", "保存绿色矿山自评"),
    ("green_assessment.submit", "提交绿色矿山自评"),
    ("green_assessment.evaluate", "评估绿色矿山自评"),
    ("green_listing.add", "录入绿色矿山名录"),
    ("green_listing.remove", "移出绿色矿山名录"),
    // 三同时与边开采边治理 (issue 15 item 4, the schedule helper).
    ("mine_plan.file", "登记方案报送（三同时）"),
    ("mine_plan.approve", "记录方案审查批复"),
    ("mine_plan.progress", "报送方案实施进展"),
    ("mine_letter.sign", "登记矿山地质环境保护与恢复治理责任书"),
    ("mine_restoration.accept", "记录矿山地质环境治理验收"),
    ("mine_restoration.settings", "设置方案同步报送间隔"),
];

/// The Chinese name of an audit action code, `None` for a code not in [`ACTIONS`].
pub fn action_name(code: &str) -> Option<&'static str> {
    ACTIONS.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// The name shown for an action code: its Chinese name, or `未命名操作` for an unknown code
/// (the page shows the code beside it in a tooltip).
pub fn action_label(code: &str) -> String {
    action_name(code).unwrap_or("未命名操作").to_string()
}

/// The kind of an audited entity with its id, as shown: `审查记录 #3`, `申请 SFH-2026-001`.
pub fn entity_label(entity_type: &str, entity_id: &str) -> String {
    let kind = match entity_type {
        "plan_version" => "规划版本",
        "audit" => "操作日志",
        "database" => "数据库备份",
        "user" => "账号",
        "review" => "审查记录",
        "application" => "申请",
        "right" => "矿业权",
        "layer_version" | "layer" => "管控图层版本",
        "mine" => "矿山",
        "annual_report" => "年度报告",
        "holder_list" => "名录",
        "scale_table" => "矿山规模划分标准",
        "setting" | "settings" => "系统设置",
        "control_layer_version" => "管控图层版本",
        "holder_list_entry" => "名录事项",
        "manual_indicator" => "人工填报指标值",
        "calendar_year" => "工作日历年度",
        "joint_review" => "联合审查（申请）",
        "publication" => "公示信息",
        "publication_settings" => "信息公示设置",
        "check_record" => "检查记录",
        "inspector" => "执法检查人员",
        "inspection_item" => "抽查事项",
        "inspection_plan" => "抽查计划",
        "inspection_draw" => "抽取",
        "licence" => "矿山证照",
        "information_filing" => "勘查开采信息",
        // 治理恢复基金.
        "fund_entry" => "基金记录",
        "fund_coefficient" => "基金计提系数",
        "fund_settings" => "基金设置",
        "fund_order" => "基金责令限期整改",
        "fund_listing_proposal" => "列入异常名录建议（基金）",
        "legacy_mine" => "历史遗留矿山",
        "restoration_project" => "修复项目",
        "restoration" => "生态修复基线",
        // 绿色矿山 (green).
        "green_checklist" => "绿色矿山评价清单",
        "green_assessment" => "绿色矿山自评",
        "green_listing" => "绿色矿山名录记录",
        _ => "",
    };
    let numbered = entity_id.parse::<i64>().is_ok();
    match (kind, entity_type) {
        ("", _) => format!("{entity_type} {entity_id}"),
        ("年度报告", _) => match entity_id.split_once(':') {
            Some((mine, year)) => format!("年度报告（矿山 #{mine}，{year} 年度）"),
            None => format!("年度报告 {entity_id}"),
        },
        ("工作日历", _) => format!("工作日历 {entity_id} 年"),
        (k, _) if numbered => format!("{k} #{entity_id}"),
        (k, _) => format!("{k} {entity_id}"),
    }
}

/// Chinese labels of the fields that audit rows record (key or dotted path inside the
/// before/after values).
const FIELDS: &[(&str, &str)] = &[
    // 生态修复：历史遗留矿山与修复项目
    ("township", "所在乡镇"),
    ("village", "所在村"),
    ("responsible", "责任主体"),
    ("direction", "修复方向"),
    ("schematic", "示意"),
    ("entered", "拐点坐标（原文）"),
    ("geojson", "范围（经纬度）"),
    ("acceptance", "验收"),
    ("by", "验收单位"),
    ("sites", "修复地块"),
    ("funding", "资金来源"),
    ("amount_wan_yuan", "金额（万元）"),
    ("budget_wan_yuan", "预算（万元）"),
    ("spent_wan_yuan", "已支出（万元）"),
    ("restored_area_km2", "修复面积（平方公里）"),
    ("start", "开工日期"),
    ("end", "完工日期"),
    ("key_project", "重点治理项目"),
    ("baseline", "基线项目"),
    ("project_id", "修复项目"),
    ("phase", "阶段"),
    ("legacy_mines", "历史遗留矿山（处）"),
    ("projects", "修复项目（个）"),
    ("skipped", "未载入原因"),
    ("Legacy", "历史遗留矿山"),
    ("MineDisturbed", "矿山损毁区"),
    ("username", "用户名"),
    ("display_name", "姓名"),
    ("role", "角色"),
    ("credit_code", "统一社会信用代码"),
    ("disabled", "已停用"),
    ("password", "密码"),
    ("ip", "客户端地址"),
    ("level", "规划层级"),
    ("unit_name", "规划单元"),
    ("adcode", "行政区划代码"),
    ("name", "名称"),
    ("period_start", "规划期起"),
    ("period_end", "规划期止"),
    ("version", "版本"),
    ("version_kind", "版本类型"),
    ("basis", "依据"),
    ("approved", "批准日期"),
    ("effective", "生效日期"),
    ("changes", "修改内容"),
    ("change", "修改内容"),
    ("content_sha256", "内容校验值"),
    ("active_plan_version_id", "当前规划版本"),
    ("application_number", "申请编号"),
    ("latest_review_id", "最新审查记录"),
    ("head_id", "链尾记录序号"),
    ("head_hash", "链尾哈希"),
    ("supersedes_id", "取代的审查记录"),
    ("conclusion", "审查结论"),
    ("plan_version_id", "所依据的规划版本"),
    ("status", "状态"),
    ("project_name", "项目名称"),
    ("holder_name", "矿业权人"),
    ("date", "日期"),
    ("review_id", "审查记录"),
    ("accepted_checks", "已核查的人工核查项"),
    ("reason", "理由"),
    ("kind", "类型"),
    ("source_file", "来源文件"),
    ("features", "要素数"),
    ("problems", "问题要素数"),
    ("active_version_id", "当前版本"),
    ("id", "编号"),
    ("standing", "状态"),
    ("minerals", "矿种"),
    ("capacity", "生产规模"),
    ("capacity.value", "生产规模"),
    ("capacity.unit", "生产规模单位"),
    ("capacity_unit", "生产规模单位"),
    ("approval", "发证层级"),
    ("mining_method", "开采方式"),
    ("sub_unit", "所属规划单元"),
    ("valid_from", "有效期起"),
    ("valid_to", "有效期止"),
    ("area_km2", "面积（km²）"),
    ("elevation", "开采标高（m）"),
    ("mine_id", "矿山"),
    ("application", "申请编号"),
    ("grant", "出让"),
    ("grant.method", "出让方式"),
    ("grant.net_mineral", "净矿出让"),
    ("grant.price_wan_yuan", "出让价款（万元）"),
    ("grant.date", "出让日期"),
    ("grant.contract", "出让合同"),
    ("method", "出让方式"),
    ("net_mineral", "净矿出让"),
    ("price_wan_yuan", "出让价款（万元）"),
    ("contract", "出让合同"),
    ("mortgage", "抵押"),
    ("mortgage.mortgagee", "抵押权人"),
    ("mortgage.amount_wan_yuan", "抵押金额（万元）"),
    ("mortgage.from", "抵押期起"),
    ("mortgage.until", "抵押期止"),
    ("closure_report", "闭坑报告"),
    ("closure_report.title", "闭坑报告名称"),
    ("closure_report.date", "闭坑报告日期"),
    ("closure", "闭坑验收"),
    ("closure.date", "闭坑验收日期"),
    ("closure.accepted_by", "验收单位"),
    ("closure.document", "验收文件"),
    ("cancel_reason", "注销原因"),
    ("event", "登记事项"),
    ("event.kind", "登记事项"),
    ("event.date", "登记事项日期"),
    ("event.detail", "登记事项说明"),
    ("source", "来源"),
    ("block_number", "规划区块"),
    ("mine_name", "矿山名称"),
    ("year", "年度"),
    ("right_id", "许可证号"),
    ("mineral", "矿种"),
    ("extraction", "开采量"),
    ("unit", "单位"),
    ("output_value_wan_yuan", "产值（万元）"),
    ("staff", "从业人员"),
    ("mining_recovery_pct", "开采回采率（%）"),
    ("processing_recovery_pct", "选矿回收率（%）"),
    ("utilisation_pct", "综合利用率（%）"),
    ("water_reuse_pct", "清水循环利用率（%）"),
    ("filed_on", "报送日期"),
    ("corrected_on", "更正日期"),
    ("on_behalf", "工作人员代报"),
    ("filed_by", "报送人"),
    ("note", "备注"),
    ("list", "名录"),
    ("entry", "名录事项"),
    ("removed_at", "移出时间"),
    ("rows", "规模划分标准"),
    ("value", "值"),
    // 信息公示 (`publication.*`).
    ("title", "标题"),
    ("state", "公示状态"),
    ("public_rows", "公开条数"),
    ("payload_sha256", "公示内容校验值"),
    ("results_within_days", "抽查结果公示期限（工作日）"),
    // GeoJSON geometry of a published right (`RegisterPayload`).
    ("type", "几何类型"),
    ("coordinates", "坐标"),
    // 机关设置 (`settings.update`).
    ("bureau_name", "机关名称"),
    ("opinion_number_pattern", "审查意见书文号格式"),
    ("intake_number_pattern", "受理号格式"),
    ("signers", "签署栏职务"),
    ("seal_caption", "印章说明"),
    // 证照 (`licence.add`, `licence.update`).
    ("other_name", "证照名称"),
    ("number", "证号/编号"),
    ("issuer", "发证机关"),
    ("attachment_sha256", "扫描件 SHA-256"),
    // 治理恢复基金 (`restoration_fund.*`).
    ("fund_entry", "基金记录"),
    ("due_method", "应计提金额计算方法"),
    ("quarter", "季度"),
    ("q", "季度序号"),
    ("order", "责令限期整改"),
    ("document", "文号"),
    ("amount_wan_yuan", "金额（万元）"),
    ("voucher", "凭证号"),
    ("purpose", "用途"),
    ("output_wan_yuan", "季度销售收入（万元）"),
    ("from_quarter", "起算季度"),
    ("cumulative_due_wan_yuan", "累计应计提（万元）"),
    ("shortfall_wan_yuan", "短缺（万元）"),
    ("issued_on", "下达日期"),
    ("working_days", "工作日"),
    ("deadline", "整改期限"),
    ("list_entry_id", "名录事项"),
    // 勘查开采信息 (`filing.file`, `filing.correct`).
    ("right_kind", "矿业权类型"),
    ("mine_status", "矿山状态"),
    ("reserves_consumed", "年消耗资源储量"),
    ("restoration", "矿山地质环境保护与土地复垦"),
    ("explorer", "勘查单位"),
    ("investment_wan_yuan", "年度勘查投入（万元）"),
    ("workload", "主要实物工作量"),
    ("result_report", "编制勘查成果报告"),
    ("stage", "勘查阶段"),
    ("wells_sealed", "封填遗留井硐"),
    ("geodata", "地质资料汇交"),
    ("obligations", "费用缴纳与其他义务"),
    // 工作日历 (`calendar.set`).
    ("holidays", "放假日期"),
    ("working_weekends", "调休上班日期"),
    // 人工填报 (`indicator.manual_entry`).
    ("indicator", "规划指标"),
    ("evidence", "依据/证明材料"),
    ("attachment", "证明材料附件"),
    ("entered_by", "填报人"),
    ("entered_at", "填报时间"),
    // 文号 (`opinion.number`) and imports.
    ("seq", "当年顺序号"),
    ("files", "文件"),
    // 联合审查 (`joint_review.*`, and the grant's `joint_review`).
    ("departments", "参加部门"),
    ("department", "部门"),
    ("opinion", "部门意见"),
    ("conditions", "条件或理由"),
    ("people", "参加踏查人员"),
    ("findings", "踏查情况"),
    ("photos", "现场照片"),
    ("corners", "拐点坐标"),
    ("crs", "坐标系"),
    ("document_number", "文号"),
    ("consent", "人民政府同意"),
    ("consent.date", "同意日期"),
    ("consent.document_number", "同意文号"),
    ("joint_review", "联合审查"),
    ("joint_review.conditions", "联合审查所附条件"),
    ("joint_review.rereview_id", "调整范围后的审查记录"),
    ("joint_review.consent", "人民政府同意"),
    ("rereview_id", "调整范围后的审查记录"),
    ("file_name", "文件名"),
    ("sha256", "SHA-256 校验值"),
    ("size", "大小（字节）"),
    // Register events (`right.*`).
    ("detail", "说明"),
    ("from", "转让方"),
    ("to", "受让方"),
    // 异常名录、严重违法失信名单 (`holder_list.*`).
    ("reason_text", "事由说明"),
    ("decision_number", "决定文号"),
    ("decision_date", "决定日期"),
    ("step", "办理环节"),
    ("step.step", "办理环节"),
    ("applied_on", "申请日期"),
    ("attachments", "证明材料"),
    ("file_name", "文件名"),
    ("size_bytes", "大小（字节）"),
    ("result", "核验结论"),
    ("verified_on", "核验日期"),
    ("verification_limit_days", "核验时限（工作日）"),
    // 检查记录 (`check.*`).
    ("target_id", "抽查对象"),
    ("right_id", "许可证号"),
    ("check_date", "检查日期"),
    ("check_method", "检查方式"),
    ("items", "检查事项及结论"),
    ("item_code", "事项编号"),
    ("item_name", "检查事项"),
    ("finding", "检查结论"),
    ("inspectors", "检查人员"),
    ("stage", "状态"),
    ("deadline", "整改期限"),
    ("reported_on", "报送日期"),
    ("late", "逾期报送"),
    ("text", "整改情况"),
    ("file", "附件"),
    ("accepted_on", "验收日期"),
    // 双随机抽查 (`inspector.*`, `inspection_*`).
    ("active", "在岗/在用"),
    ("badge_no", "执法证号"),
    ("item", "抽查事项"),
    ("params", "计划参数"),
    ("plan_id", "抽查计划"),
    ("commitment", "承诺值"),
    ("seed", "种子"),
    ("candidates", "抽查对象库矿业权数"),
    ("exclusions", "回避对数"),
    ("library_versions", "名录库和事项清单版本"),
    ("superseded_by", "取代它的抽取"),
    ("targets", "抽查对象数"),
    // 绿色矿山 (green: `green_checklist.upload`, `green_assessment.*`, `green_listing.*`).
    ("source_name", "清单文件名"),
    ("example", "示例清单"),
    ("checklist_id", "评价清单版本"),
    ("started_on", "自评开始日期"),
    ("submitted_on", "自评提交日期"),
    ("code", "条目编号"),
    ("answer", "自评结果"),
    ("evidence_files", "证明材料数"),
    ("scores", "评分"),
    ("full_total", "满分"),
    ("outcome", "评估结果"),
    ("reasons", "理由"),
    ("date_in", "入库日期"),
    ("date_out", "移出日期"),
    // 三同时与边开采边治理 (`mine_plan.*`, `mine_letter.sign`, `mine_restoration.*`) and the
    // annual report's two areas.
    ("disturbed_ha", "本年损毁土地面积（公顷）"),
    ("restored_ha", "本年复垦（治理）面积（公顷）"),
    ("filing", "方案"),
    ("filing.kind", "方案类型"),
    ("filing.title", "方案名称"),
    ("filing.author", "编制单位"),
    ("filing.filed_on", "报送日期"),
    ("filing.approved_on", "批复日期"),
    ("filing.approval_number", "审查/批复文号"),
    ("filing.application_number", "申请编号"),
    ("filing.budget_wan_yuan", "治理恢复与复垦预算（万元）"),
    ("filing.from_year", "服务期起始年份"),
    ("filing.service_years", "服务年限（年）"),
    ("filing.yearly_restoration_ha", "年度治理计划（公顷）"),
    ("progress_note", "实施进展"),
    ("progress_on", "进展报送日期"),
    ("signed_on", "签订日期"),
    ("signed_by", "签订单位"),
    ("accepted_by", "验收单位"),
    ("max_days_apart", "同步报送间隔（天）"),
    ("document", "文件文号"),
];

/// The Chinese label of a recorded field (`grant.method` → 出让方式); `None` when unknown.
pub fn field_label(path: &str) -> Option<&'static str> {
    FIELDS
        .iter()
        .find(|(k, _)| *k == path)
        .or_else(|| {
            let last = path.rsplit('.').next().unwrap_or(path);
            FIELDS.iter().find(|(k, _)| *k == last)
        })
        .map(|(_, l)| *l)
}

/// One field of an audit row's before/after table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// Chinese label; the recorded key when it has none (then `known` is false).
    pub label: String,
    /// Whether the label is a Chinese one from the table.
    pub known: bool,
    /// The recorded key or dotted path.
    pub key: String,
    /// The value before, as people read it (`—` when absent).
    pub before: String,
    /// The value after (`—` when absent).
    pub after: String,
    /// Whether the value differs (a field of a new entity counts as changed).
    pub changed: bool,
}

fn scalar_text(key: &str, v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::Bool(true) => "是".into(),
        Value::Bool(false) => "否".into(),
        // A reference to another record: its number, `#3`.
        Value::Number(n) if key.ends_with("_id") => format!("#{n}"),
        Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), format_number),
        Value::String(s) if key.ends_with("role") => {
            Role::parse(s).map_or_else(|| s.clone(), |r| r.label().to_string())
        }
        Value::String(s) if s.is_empty() => "（空）".into(),
        Value::String(s) => {
            if parse_utc(s).is_some() {
                beijing(s)
            } else {
                date_zh(s)
            }
        }
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            if items.is_empty() {
                "（无）".into()
            } else {
                items
                    .iter()
                    .map(|i| scalar_text(key, i))
                    .collect::<Vec<_>>()
                    .join("、")
            }
        }
        Value::Array(items) => format!("{} 项", items.len()),
        Value::Object(_) => String::new(),
    }
}

/// Flattens a recorded value into `path → text`, nested objects as dotted paths.
fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                if x.is_object() {
                    flatten(&path, x, out);
                } else {
                    out.push((path.clone(), scalar_text(&path, x)));
                }
            }
        }
        other if prefix.is_empty() => out.push(("value".into(), scalar_text("value", other))),
        other => out.push((prefix.to_string(), scalar_text(prefix, other))),
    }
}

fn parse_side(json: Option<&str>) -> Option<Vec<(String, String)>> {
    let text = json?;
    let v: Value = serde_json::from_str(text).unwrap_or(Value::String(text.to_string()));
    let mut out = Vec::new();
    flatten("", &v, &mut out);
    Some(out)
}

/// An audit row's before/after JSON (as stored) as a field table: one row per recorded field
/// (after's order, then fields only before had), Chinese labels, values as people read them
/// (是/否, Beijing times, dates 2026年12月6日, role names), `changed` set where the value
/// differs. A field present on one side only shows `—` on the other.
pub fn field_changes(before: Option<&str>, after: Option<&str>) -> Vec<FieldChange> {
    let b = parse_side(before);
    let a = parse_side(after);
    let b_map: BTreeMap<&str, &str> = b
        .iter()
        .flatten()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let a_map: BTreeMap<&str, &str> = a
        .iter()
        .flatten()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut keys: Vec<&str> = a.iter().flatten().map(|(k, _)| k.as_str()).collect();
    for (k, _) in b.iter().flatten() {
        if !a_map.contains_key(k.as_str()) {
            keys.push(k);
        }
    }
    keys.into_iter()
        .map(|k| {
            let before = b_map.get(k).map_or("—", |v| v).to_string();
            let after = a_map.get(k).map_or("—", |v| v).to_string();
            let label = field_label(k);
            FieldChange {
                label: label.map_or_else(|| k.to_string(), str::to_string),
                known: label.is_some(),
                key: k.to_string(),
                changed: before != after,
                before,
                after,
            }
        })
        .collect()
}

/// One audit row as people read it (see [`People::trail`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailView {
    /// Position in the chain.
    pub id: i64,
    /// Beijing time to the minute.
    pub at: String,
    /// Who: a display name or a Chinese description.
    pub actor: String,
    /// What: the Chinese name, or 未命名操作.
    pub action: String,
    /// The recorded code (tooltip).
    pub action_code: String,
    /// Whether the code has a Chinese name.
    pub action_known: bool,
    /// What it was done to: `审查记录 #3`.
    pub entity: String,
    /// Whether the row recorded a value before (an update, not a creation).
    pub has_before: bool,
    /// The fields recorded.
    pub changes: Vec<FieldChange>,
}

/// The accounts' display names, to show actors as people: loaded once per page that shows
/// who did something.
#[derive(Debug, Clone, Default)]
pub struct People {
    names: HashMap<i64, String>,
    /// Plan indicator key → its name in the plan (`new_deposits` → 新发现矿产地), for the
    /// `indicator` field of 人工填报 rows; empty unless [`People::with_indicators`].
    indicators: HashMap<String, String>,
}

impl People {
    /// Reads every account's display name.
    ///
    /// # Errors
    /// Database errors.
    pub async fn load(store: &Store) -> minplan_store::Result<People> {
        let names = store
            .list_users()
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect();
        Ok(People {
            names,
            indicators: HashMap::new(),
        })
    }

    /// A name book from `(account id, display name)` pairs.
    pub fn from_names(names: impl IntoIterator<Item = (i64, String)>) -> People {
        People {
            names: names.into_iter().collect(),
            indicators: HashMap::new(),
        }
    }

    /// The same, naming a recorded `indicator` key by the plan's indicator name.
    pub fn with_indicators(mut self, indicators: &[minplan_domain::plan::Indicator]) -> People {
        self.indicators = indicators
            .iter()
            .map(|i| (i.key.clone(), i.name.clone()))
            .collect();
        self
    }

    /// Who did something, as people say it: `user:2:shenpi` → the account's display name
    /// (the username when the account has no display name); `cli:unknown` →
    /// 命令行操作（未记录操作人）; `cli:zhang` → 命令行操作（操作系统用户 zhang）; `system` →
    /// 系统（内置规划载入）. Any other text is shown as it is.
    pub fn actor(&self, label: &str) -> String {
        if label == "system" {
            return "系统（内置规划载入）".into();
        }
        if let Some(os_user) = label.strip_prefix("cli:") {
            return match os_user.trim() {
                "" | "unknown" => "命令行操作（未记录操作人）".into(),
                u => format!("命令行操作（操作系统用户 {u}）"),
            };
        }
        if let Some(rest) = label.strip_prefix("user:") {
            let (id, username) = rest.split_once(':').unwrap_or((rest, ""));
            return match id.parse::<i64>().ok().and_then(|i| self.names.get(&i)) {
                Some(n) if !n.trim().is_empty() => n.clone(),
                _ if !username.is_empty() => format!("{username}（账号已不存在）"),
                _ => "未知账号".into(),
            };
        }
        label.to_string()
    }

    /// One audit row as people read it.
    pub fn row(&self, r: &AuditRow) -> TrailView {
        TrailView {
            id: r.id,
            at: beijing(&r.at),
            actor: self.actor(&r.actor),
            action: action_label(&r.action),
            action_known: action_name(&r.action).is_some(),
            action_code: r.action.clone(),
            entity: entity_label(&r.entity_type, &r.entity_id),
            has_before: r.before.is_some(),
            changes: field_changes(r.before.as_deref(), r.after.as_deref())
                .into_iter()
                .map(|mut f| {
                    // A recorded actor (`filed_by`, …) is a person too.
                    for v in [&mut f.before, &mut f.after] {
                        if v.starts_with("user:") || v.starts_with("cli:") || v == "system" {
                            *v = self.actor(v);
                        } else if f.key == "indicator"
                            && let Some(name) = self.indicators.get(v.as_str())
                        {
                            *v = name.clone();
                        }
                    }
                    f
                })
                .collect(),
        }
    }

    /// An audit trail as people read it, in the given order.
    pub fn trail(&self, rows: &[AuditRow]) -> Vec<TrailView> {
        rows.iter().map(|r| self.row(r)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beijing_time_across_midnight_utc() {
        assert_eq!(beijing("2026-12-05T17:30:00Z"), "2026-12-06 01:30");
        assert_eq!(
            beijing("2026-12-06T04:15:35.588052058Z"),
            "2026-12-06 12:15"
        );
        assert_eq!(beijing("2026-12-31T20:00:00Z"), "2027-01-01 04:00");
        assert_eq!(beijing("2026-12-06T12:15:00+08:00"), "2026-12-06 12:15");
        assert_eq!(beijing("—"), "—");
        assert_eq!(beijing_date("2026-12-05T17:30:00Z"), "2026年12月6日");
        assert_eq!(beijing_date("2026-12-05T15:59:59Z"), "2026年12月5日");
        assert_eq!(date_zh("2026-01-09"), "2026年1月9日");
        assert_eq!(date_zh("2026-13-09"), "2026-13-09");
        assert_eq!(date_zh("未载明"), "未载明");
    }

    #[test]
    fn actors_are_people() {
        let p = People::from_names([(2, "王审批".to_string())]);
        assert_eq!(p.actor("user:2:shenpi"), "王审批");
        assert_eq!(p.actor("user:9:gone"), "gone（账号已不存在）");
        assert_eq!(p.actor("cli:unknown"), "命令行操作（未记录操作人）");
        assert_eq!(p.actor("cli:zhang"), "命令行操作（操作系统用户 zhang）");
        assert_eq!(p.actor("system"), "系统（内置规划载入）");
    }

    #[test]
    fn unknown_action_is_named_as_such() {
        assert_eq!(action_label("application.approve"), "批准申请");
        assert_eq!(action_label("x.new_thing"), "未命名操作");
        let r = AuditRow {
            id: 1,
            at: "2026-12-05T17:30:00Z".into(),
            actor: "cli:unknown".into(),
            action: "x.new_thing".into(),
            entity_type: "review".into(),
            entity_id: "3".into(),
            before: None,
            after: Some(r#"{"conclusion":"符合"}"#.into()),
            prev_hash: String::new(),
            hash: String::new(),
        };
        let v = People::default().row(&r);
        assert_eq!(v.action, "未命名操作");
        assert_eq!(v.action_code, "x.new_thing");
        assert!(!v.action_known);
        assert_eq!(v.entity, "审查记录 #3");
        assert_eq!(v.at, "2026-12-06 01:30");
    }

    #[test]
    fn before_after_as_a_field_table() {
        let c = field_changes(
            Some(r#"{"username":"li","role":"approval","disabled":false}"#),
            Some(
                r#"{"username":"li","role":"approval","disabled":true,"grant":{"method":"挂牌","date":"2026-11-02"}}"#,
            ),
        );
        let by_key = |k: &str| c.iter().find(|f| f.key == k).unwrap().clone();
        let d = by_key("disabled");
        assert_eq!(
            (
                d.label.as_str(),
                d.before.as_str(),
                d.after.as_str(),
                d.changed
            ),
            ("已停用", "否", "是", true)
        );
        let r = by_key("role");
        assert_eq!(
            (r.label.as_str(), r.after.as_str(), r.changed),
            ("角色", "审批科", false)
        );
        let g = by_key("grant.method");
        assert_eq!(
            (g.label.as_str(), g.before.as_str(), g.after.as_str()),
            ("出让方式", "—", "挂牌")
        );
        assert_eq!(by_key("grant.date").after, "2026年11月2日");
        assert_eq!(c.len(), 5);
        let ids = field_changes(None, Some(r#"{"latest_review_id":3,"features":12}"#));
        let features = ids.iter().find(|f| f.key == "features").unwrap();
        assert_eq!(
            (features.label.as_str(), features.after.as_str()),
            ("要素数", "12")
        );
        assert_eq!(
            ids.iter()
                .find(|f| f.key == "latest_review_id")
                .unwrap()
                .after,
            "#3"
        );
        let unknown = field_changes(None, Some(r#"{"zz_new":1}"#));
        assert_eq!(
            (unknown[0].label.as_str(), unknown[0].known),
            ("zz_new", false)
        );
    }

    /// Every dotted string literal in the store's and the web's source is either an audit
    /// action code with a Chinese name or listed here as not one. A new action code without a
    /// name (or a new dotted literal nobody classified) fails this test.
    #[test]
    fn every_written_code_has_a_name() {
        const NOT_ACTIONS: &[&str] = &[
            "holder.name",
            "holder.credit_code",
            "grant.method",
            "grant.agreement_reason",
            "coordinates.datum",
            "coordinates.crs",
            "version.kind",
            "version.changes",
            "monitoring.warn_ratio",
            "capacity.value",
            "capacity.unit",
            "grant.net_mineral",
            "grant.price_wan_yuan",
            "grant.date",
            "grant.contract",
            "mortgage.mortgagee",
            "mortgage.amount_wan_yuan",
            "mortgage.from",
            "mortgage.until",
            "closure_report.title",
            "closure_report.date",
            "closure.date",
            "closure.accepted_by",
            "closure.document",
            "event.kind",
            "event.date",
            "event.detail",
        ];
        const FILE_SUFFIXES: &[&str] = &[
            "html", "toml", "geojson", "json", "db", "txt", "xlsx", "docx", "csv", "zip", "shp",
            "gpkg", "kml", "dxf", "png", "js", "css", "prj", "dbf", "shx", "cpg", "md", "rs",
        ];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        for dir in ["minplan-store/src", "minplan-web/src"] {
            collect_rs(&root.join(dir), &mut files);
        }
        assert!(files.len() > 20, "source files found: {}", files.len());
        let mut found = std::collections::BTreeSet::new();
        for f in &files {
            if f.ends_with("words.rs") {
                continue;
            }
            let text = std::fs::read_to_string(f).unwrap();
            for lit in dotted_literals(&text) {
                let suffix = lit.rsplit('.').next().unwrap_or("");
                // `a.status`, `r.conclusion`: a column of an SQL table alias, not an action.
                let sql_alias = lit.split('.').next().is_some_and(|p| p.len() == 1);
                if sql_alias
                    || FILE_SUFFIXES.contains(&suffix)
                    || NOT_ACTIONS.contains(&lit.as_str())
                {
                    continue;
                }
                found.insert(lit);
            }
        }
        // `right.{slug}` is formatted from the register's event kinds.
        for k in [
            minplan_domain::register::EventKind::Import,
            minplan_domain::register::EventKind::Register,
            minplan_domain::register::EventKind::Extend,
            minplan_domain::register::EventKind::Change,
            minplan_domain::register::EventKind::Transfer,
            minplan_domain::register::EventKind::Mortgage,
            minplan_domain::register::EventKind::MortgageRelease,
            minplan_domain::register::EventKind::ClosureReport,
            minplan_domain::register::EventKind::Close,
            minplan_domain::register::EventKind::Cancel,
        ] {
            assert_eq!(
                minplan_domain::register::EventKind::from_slug(k.slug()),
                Some(k)
            );
            found.insert(format!("right.{}", k.slug()));
        }
        for must in [
            "application.approve",
            "review.create",
            "session.login",
            "user.add",
        ] {
            assert!(found.contains(must), "the scan missed {must}: {found:?}");
        }
        let unnamed: Vec<&String> = found.iter().filter(|c| action_name(c).is_none()).collect();
        assert!(
            unnamed.is_empty(),
            "audit action codes (or dotted literals) without a Chinese name in words::ACTIONS \
             (add a name, or list a non-action in NOT_ACTIONS): {unnamed:?}"
        );
    }

    /// Every field the store writes into an audit row's before/after — the keys of its
    /// `json!({…})` values and of the records it serializes whole — and every entity kind it
    /// names has a Chinese label: a new key without one fails here, not on the 操作日志 page.
    #[test]
    fn every_written_field_and_entity_has_a_name() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        collect_rs(&root.join("minplan-store/src"), &mut files);
        let mut web = Vec::new();
        collect_rs(&root.join("minplan-web/src"), &mut web);
        assert!(files.len() > 10, "store files found: {}", files.len());
        let mut keys = std::collections::BTreeSet::new();
        let mut kinds = std::collections::BTreeSet::new();
        for f in files.iter().chain(&web) {
            if f.ends_with("words.rs") {
                continue;
            }
            let text = std::fs::read_to_string(f).unwrap();
            // The code, not its unit tests.
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            if f.starts_with(root.join("minplan-store/src")) {
                keys.extend(json_keys(code));
            }
            for piece in code.split("entity_type: \"").skip(1) {
                if let Some(end) = piece.find('"') {
                    kinds.insert(piece[..end].to_string());
                }
            }
        }
        // Records serialized whole into audit rows.
        let whole = [
            serde_json::to_value(minplan_store::BureauSettings {
                bureau_name: Some(String::new()),
                opinion_number_pattern: Some(String::new()),
                intake_number_pattern: Some(String::new()),
                signers: Some(vec![]),
                seal_caption: Some(String::new()),
            })
            .unwrap(),
            serde_json::to_value(minplan_domain::monitoring::manual::ManualEntry {
                indicator: String::new(),
                year: 2026,
                value: 1.0,
                evidence: String::new(),
                attachment: None,
                entered_by: String::new(),
                entered_at: String::new(),
            })
            .unwrap(),
        ];
        for v in &whole {
            keys.extend(v.as_object().unwrap().keys().cloned());
        }
        for must in ["文号", "seq", "files", "bureau_name", "indicator"] {
            assert!(keys.contains(must), "the scan missed {must}: {keys:?}");
        }
        let unnamed: Vec<&String> = keys
            .iter()
            // A key written in Chinese names itself.
            .filter(|k| k.is_ascii() && field_label(k).is_none())
            .collect();
        assert!(
            unnamed.is_empty(),
            "fields written into audit rows without a Chinese label in words::FIELDS: {unnamed:?}"
        );
        assert!(kinds.contains("manual_indicator"), "{kinds:?}");
        let unnamed: Vec<&String> = kinds
            .iter()
            .filter(|k| entity_label(k, "1").starts_with(k.as_str()))
            .collect();
        assert!(
            unnamed.is_empty(),
            "entity kinds written into audit rows without a Chinese name in entity_label: {unnamed:?}"
        );
    }

    /// The keys (`"key":`) of every `json!(…)` value in `text`.
    fn json_keys(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for piece in text.split("json!(").skip(1) {
            // The macro's body: up to its closing parenthesis.
            let mut depth = 1usize;
            let mut end = piece.len();
            for (i, c) in piece.char_indices() {
                match c {
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = i;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let body = &piece[..end];
            let parts: Vec<&str> = body.split('"').collect();
            // Odd pieces are inside quotes; a key is one followed by `:`.
            for i in (1..parts.len()).step_by(2) {
                if parts
                    .get(i + 1)
                    .is_some_and(|after| after.trim_start().starts_with(':'))
                    && !parts[i].is_empty()
                    && !parts[i].contains(' ')
                {
                    out.push(parts[i].to_string());
                }
            }
        }
        out
    }

    fn collect_rs(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                collect_rs(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }

    /// String literals of the form `"word.word"` (lowercase letters and `_`).
    fn dotted_literals(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        // Every piece between two quotes, inside a literal or not: only a whole literal
        // matches the strict pattern.
        for piece in text.split('"') {
            let parts: Vec<&str> = piece.split('.').collect();
            if parts.len() == 2
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            {
                out.push(piece.to_string());
            }
        }
        out
    }
}
