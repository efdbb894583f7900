//! 三同时 and 边开采边治理 over HTTP on the five-year scenario, on 1 May 2026 (three mines,
//! annual reports 2021–2025 without 损毁 / 复垦 areas): 生态修复 files 金家沟's two plans two
//! days apart (not together under the default setting of the same date; together once the
//! bureau allows 5 days), approves the 生态修复方案 (budget 36 万元, 2025–2026, 2.5 + 3 公顷),
//! signs the 责任书; 审批科 corrects the 2025 annual report with 损毁 2.35 公顷 and 复垦 1.2
//! 公顷, read back; the schedule shows 2025 behind by 1.3 公顷 and the year's figures count it;
//! the reminder 边开采边治理滞后 names it; the company sees its own page and notes progress, not another's; closure is refused without
//! the 矿山地质环境治理验收 and accepted after it; R14 cites the filing and approval of an
//! application's plans, says when a ticked plan has no filing, and a replay agrees.

mod common;
#[path = "../../minplan/tests/scenario/mod.rs"]
mod scenario;

use common::*;
use minplan_domain::restoration::figures::Reading;
use minplan_domain::restoration::schedule::PlanKind;
use minplan_store::{Actor, NewUser, Role};
use reqwest::StatusCode;

async fn post_form(
    c: &reqwest::Client,
    base: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let csrf = token(c, base).await;
    let mut f = fields.to_vec();
    f.push(("csrf_token", &csrf));
    let r = c
        .post(format!("{base}{path}"))
        .form(&f)
        .send()
        .await
        .unwrap();
    let s = r.status();
    (s, r.text().await.unwrap_or_default())
}

async fn get(c: &reqwest::Client, url: String) -> (StatusCode, String) {
    let r = c.get(url).send().await.unwrap();
    let s = r.status();
    (s, r.text().await.unwrap_or_default())
}

async fn post_json(
    c: &reqwest::Client,
    base: &str,
    path: &str,
    body: serde_json::Value,
) -> (StatusCode, serde_json::Value) {
    let csrf = token(c, base).await;
    let r = c
        .post(format!("{base}{path}"))
        .header("x-csrf-token", csrf)
        .json(&body)
        .send()
        .await
        .unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or_default())
}

#[tokio::test]
async fn plans_schedule_closure_and_r14_read_the_record() {
    let srv = start_with(minplan_web::WebConfig {
        today: Some(minplan_domain::date::Date::new(2026, 5, 1).unwrap()),
        ..minplan_web::WebConfig::default()
    })
    .await;
    let base = &srv.base;
    let built = scenario::build(&srv.store).await;
    let jjg_mine = built.mines[2];
    srv.store
        .add_user(
            &NewUser {
                username: "jjg".into(),
                display_name: "金家沟石材".into(),
                role: Role::Company,
                credit_code: Some(scenario::JINJIAGOU_CODE.into()),
            },
            PW,
            &Actor::System,
        )
        .await
        .unwrap();
    let xiufu = logged_in(base, "xiufu").await;
    let page = format!("/rights/{}/restoration", scenario::JINJIAGOU);

    // A plan without its 编制单位 and with a schedule year outside the period: refused, nothing
    // written.
    let before = audit_rows(&srv.store).await;
    let (s, body) = post_form(
        &xiufu,
        base,
        &format!("{page}/plans"),
        &[
            ("kind", "生态修复方案"),
            ("title", "金家沟采石场矿区生态修复方案"),
            ("author", ""),
            ("filed_on", "2024-12-03"),
            ("budget", "36"),
            ("from_year", "2025"),
            ("service_years", "2"),
            ("schedule", "2025:2.5\n2027:3"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("编制单位不能为空"), "{body}");
    assert!(
        body.contains("年度计划 2027 年不在服务期 2025—2026 年内"),
        "{body}"
    );
    assert_eq!(audit_rows(&srv.store).await, before);

    let (s, body) = post_form(
        &xiufu,
        base,
        &format!("{page}/plans"),
        &[
            ("kind", "开发利用方案"),
            ("title", "金家沟采石场矿产资源开发利用方案"),
            ("author", "黑龙江省第一地质勘查院"),
            ("filed_on", "2024-12-01"),
            ("approved_on", "2025-01-10"),
            ("approval_number", "绥自然资审〔2025〕1号"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let (s, body) = post_form(
        &xiufu,
        base,
        &format!("{page}/plans"),
        &[
            ("kind", "生态修复方案"),
            ("title", "金家沟采石场矿区生态修复方案"),
            ("author", "黑龙江省地质环境监测总站"),
            ("filed_on", "2024-12-03"),
            ("budget", "36"),
            ("from_year", "2025"),
            ("service_years", "2"),
            ("schedule", "2025:2.5\n2026:3"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let (_, html) = get(&xiufu, format!("{base}{page}")).await;
    assert!(
        html.contains("三同时：相隔 2 天报送（限同日），未同步报送"),
        "{html}"
    );
    // Not approved yet: the fund ledger has no plan to read.
    let d = |s: &str| minplan_domain::date::Date::parse(s).unwrap();
    assert_eq!(
        srv.store
            .approved_restoration_plan(jjg_mine, d("2025-12-31"))
            .await
            .unwrap(),
        None
    );
    let filings = srv.store.mine_plan_filings(jjg_mine).await.unwrap();
    let rid = filings
        .iter()
        .find(|f| f.filing.kind == PlanKind::Restoration)
        .unwrap()
        .id;
    let (s, body) = post_form(
        &xiufu,
        base,
        &format!("{page}/plans/{rid}/approval"),
        &[
            ("approved_on", "2025-01-10"),
            ("approval_number", "绥自然资复〔2025〕2号"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let plan = srv
        .store
        .approved_restoration_plan(jjg_mine, d("2025-12-31"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(plan.budget_wan_yuan, 36.0);
    assert_eq!((plan.from_year, plan.service_years), (2025, 2));
    assert_eq!(plan.yearly_restoration_ha, vec![(2025, 2.5), (2026, 3.0)]);
    srv.store
        .set_plans_max_days_apart(5, &Actor::System)
        .await
        .unwrap();
    let (s, body) = post_form(
        &xiufu,
        base,
        &format!("{page}/letter"),
        &[
            ("signed_on", "2023-07-01"),
            ("signed_by", "绥芬河市金家沟石材有限公司"),
            ("document", "绥治责〔2023〕5号"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");

    // The 2025 report corrected with the two areas (审批科 on the company's behalf).
    let shenpi = logged_in(base, "shenpi").await;
    let mine = jjg_mine.to_string();
    let (s, body) = post_form(
        &shenpi,
        base,
        "/annual-reports",
        &[
            ("mine", mine.as_str()),
            ("year", "2025"),
            ("extraction", "4.5"),
            ("output_value", "315"),
            ("staff", "20"),
            ("disturbed", "2.35"),
            ("restored", "1.2"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let reports = srv.store.annual_reports(Some(2025), None).await.unwrap();
    let r = reports.iter().find(|r| r.mine_id == jjg_mine).unwrap();
    assert_eq!((r.disturbed_ha, r.restored_ha), (Some(2.35), Some(1.2)));
    // Another mine's 2025 report did not give them: 未填报, never 0.
    let other = reports.iter().find(|r| r.mine_id != jjg_mine).unwrap();
    assert_eq!((other.disturbed_ha, other.restored_ha), (None, None));
    // The restoration map's mines layer: 金家沟 with its 2025 areas; a mine whose reports give
    // none says 未填报.
    let mines: serde_json::Value = xiufu
        .get(format!("{base}/api/restoration/map?layer=mines"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let features = mines["features"].as_array().unwrap();
    let jjg_feature = features
        .iter()
        .find(|f| f["properties"]["name"].as_str().unwrap().contains("金家沟"))
        .expect("金家沟 on the map");
    assert_eq!(jjg_feature["properties"]["report_year"], "2025年");
    assert_eq!(jjg_feature["properties"]["disturbed_ha"], "2.35");
    assert_eq!(jjg_feature["properties"]["restored_ha"], "1.2");
    assert_eq!(jjg_feature["geometry"]["type"], "MultiPolygon");
    assert!(
        features
            .iter()
            .any(|f| f["properties"]["disturbed_ha"] == "未填报"),
        "{mines}"
    );
    // A negative area is refused at its field.
    let (s, body) = post_form(
        &shenpi,
        base,
        "/annual-reports",
        &[
            ("mine", mine.as_str()),
            ("year", "2025"),
            ("extraction", "4.5"),
            ("output_value", "315"),
            ("restored", "-1"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("本年复垦（治理）面积应在 0–100000 公顷之间"),
        "{body}"
    );

    // The page: together under the 5-day setting, the 责任书, 2025 behind by 2.5 − 1.2 = 1.3.
    let (s, html) = get(&xiufu, format!("{base}{page}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("三同时：相隔 2 天报送（限 5 天内），符合同步报送要求"),
        "{html}"
    );
    assert!(
        html.contains("2023年7月1日由绥芬河市金家沟石材有限公司签订（绥治责〔2023〕5号）"),
        "{html}"
    );
    assert!(
        html.contains("2025年1月10日批复，绥自然资复〔2025〕2号"),
        "{html}"
    );
    assert!(html.contains("滞后于方案进度（差 1.3 公顷）"), "{html}");
    assert!(html.contains("<td class=\"num\">2.35</td>"), "{html}");
    let f = srv.store.schedule_figures(2025).await.unwrap();
    assert_eq!(f.disturbed_ha, Reading::Value(2.35));
    assert_eq!(f.restored_ha, Reading::Value(1.2));
    assert_eq!(f.mines_reporting, 1);
    assert_eq!(f.mines_behind, Reading::Value(1));
    // 别勒洼 and 庆发 mined in 2025 without both plans on file.
    assert_eq!(f.mines_without_plans, Reading::Value(2));
    let f24 = srv.store.schedule_figures(2024).await.unwrap();
    assert!(matches!(&f24.restored_ha, Reading::Missing(m) if m.starts_with("未报送")));
    assert!(matches!(&f24.mines_behind, Reading::Missing(m) if m.starts_with("无数据")));

    // The reminder: 金家沟 behind its plan at the end of 2025.
    let all: serde_json::Value = xiufu
        .get(format!("{base}/api/reminders"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let behind: Vec<&serde_json::Value> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "restoration_behind")
        .collect();
    assert_eq!(behind.len(), 1, "{all}");
    assert_eq!(behind[0]["title"], "边开采边治理滞后");
    assert_eq!(behind[0]["right_id"], scenario::JINJIAGOU);
    assert_eq!(
        behind[0]["message"],
        "2025 年末累计复垦（治理）面积 1.2 公顷，低于矿区生态修复方案累计计划 2.5 公顷（差 1.3 公顷），未做到边开采、边治理（《规划》六（二）1（2））"
    );

    // The company: its own page and a progress note; another mine's page is not there.
    let jjg = logged_in(base, "jjg").await;
    let (s, html) = get(&jjg, format!("{base}{page}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        !html.contains("/restoration/acceptance\""),
        "company gets no acceptance form"
    );
    let (s, _) = post_form(
        &jjg,
        base,
        &format!("{page}/plans/{rid}/progress"),
        &[("progress_note", "2026年一季度完成边坡削坡 0.8 公顷")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = get(&jjg, format!("{base}{page}")).await;
    assert!(html.contains("2026年一季度完成边坡削坡 0.8 公顷"), "{html}");
    let qingfa = format!("/rights/{}/restoration", scenario::QINGFA);
    let (s, _) = get(&jjg, format!("{base}{qingfa}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = post_form(
        &jjg,
        base,
        &format!("{page}/letter"),
        &[("signed_on", "2024-01-01")],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Closure: the report, then refused without the restoration acceptance, then accepted.
    let api = format!("/api/rights/{}", scenario::JINJIAGOU);
    let (s, v) = post_json(
        &xiufu,
        base,
        &format!("{api}/closure-report"),
        serde_json::json!({"title": "金家沟采石场闭坑地质报告", "date": "2026-03-01"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let close = serde_json::json!({"date": "2026-04-20", "accepted_by": "绥芬河市自然资源局", "document": "绥自然资闭〔2026〕1号", "confirm": true});
    let before = audit_rows(&srv.store).await;
    let (s, v) = post_json(&xiufu, base, &format!("{api}/close"), close.clone()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["fields"][0]["field"], "restoration_acceptance", "{v}");
    assert_eq!(audit_rows(&srv.store).await, before);
    let (s, body) = post_form(
        &xiufu,
        base,
        &format!("{page}/acceptance"),
        &[
            ("accepted_on", "2026-04-15"),
            ("accepted_by", "绥芬河市自然资源局"),
            ("document", "绥自然资治验〔2026〕3号"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let (s, v) = post_json(&xiufu, base, &format!("{api}/close"), close).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        srv.store
            .right_history(scenario::JINJIAGOU)
            .await
            .unwrap()
            .current()
            .standing
            .label(),
        "闭坑"
    );
    let (_, html) = get(&xiufu, format!("{base}{page}")).await;
    assert!(
        html.contains("2026年4月15日经绥芬河市自然资源局验收，绥自然资治验〔2026〕3号"),
        "{html}"
    );
    // Closed, with its 治理验收: no longer reminded of the schedule.
    let all: serde_json::Value = xiufu
        .get(format!("{base}/api/reminders"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        !all.as_array()
            .unwrap()
            .iter()
            .any(|r| r["kind"] == "restoration_behind"),
        "{all}"
    );

    // R14: an application's plans on file by its 申请编号.
    for fields in [
        [
            ("kind", "开发利用方案"),
            ("title", "庆发采石场开发利用方案"),
            ("filed_on", "2021-11-10"),
            ("approved_on", "2021-11-18"),
            ("approval_number", "绥自然资审〔2021〕9号"),
            ("budget", ""),
            ("from_year", ""),
            ("service_years", ""),
        ],
        [
            ("kind", "生态修复方案"),
            ("title", "庆发采石场矿区生态修复方案"),
            ("filed_on", "2021-11-10"),
            ("approved_on", "2021-11-19"),
            ("approval_number", "绥自然资复〔2021〕10号"),
            ("budget", "20"),
            ("from_year", "2022"),
            ("service_years", "3"),
        ],
    ] {
        let mut f = fields.to_vec();
        f.push(("author", "黑龙江省第一地质勘查院"));
        let (s, body) = post_form(
            &xiufu,
            base,
            "/applications/SFH-2026-001/restoration-plans",
            &f,
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    }
    // 审批科 may not file them.
    let (s, _) = post_form(
        &shenpi,
        base,
        "/applications/SFH-2026-001/restoration-plans",
        &[("kind", "开发利用方案")],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let ex = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let toml = std::fs::read_to_string(ex.join("01-qingfa-quarry.toml")).unwrap();
    let corners = std::fs::read(ex.join("01-qingfa-quarry.txt")).unwrap();
    let review = |toml: String| {
        let corners = &corners;
        let store = &srv.store;
        async move {
            // Loaded for each save: an engine older than the store may not save.
            let engine = minplan_store::ReviewEngine::load(store).await.unwrap();
            let app = engine.parse(&toml, Some(corners)).unwrap();
            engine
                .review_and_save(
                    store,
                    &app,
                    &toml,
                    Some(("01-qingfa-quarry.txt", corners)),
                    &Actor::System,
                )
                .await
                .unwrap()
        }
    };
    let (id, r) = review(toml.clone()).await;
    let r14 = r.rule("R14").unwrap();
    let ev = |label: &str| {
        r14.evidence
            .iter()
            .find(|e| e.label.starts_with(label))
            .map(|e| e.value.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        ev("矿产资源开发利用方案"),
        "已报送：《庆发采石场开发利用方案》，2021年11月10日报送（编制单位：黑龙江省第一地质勘查院）；2021年11月18日审查批复，文号 绥自然资审〔2021〕9号"
    );
    assert!(ev("矿区生态修复方案").contains("文号 绥自然资复〔2021〕10号"));
    assert_eq!(ev("同步报送"), "同日报送，符合同步报送要求");
    assert_eq!(
        ev("报送记录"),
        "按申请编号 SFH-2026-001查到 2 份方案报送记录"
    );
    assert_eq!(r14.message, "开发利用方案与生态修复方案同步报送，材料齐全");
    let (s, html) = get(
        &shenpi,
        format!("{base}/applications/SFH-2026-001/restoration-plans"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("三同时：同日报送，符合同步报送要求"),
        "{html}"
    );
    assert!(
        html.contains("2021年11月19日批复，绥自然资复〔2021〕10号"),
        "{html}"
    );
    // The record travels with the review: a replay gives the same answer, even after the
    // record changes.
    srv.store
        .set_plans_max_days_apart(0, &Actor::System)
        .await
        .unwrap();
    let record = srv.store.review_record(id).await.unwrap();
    assert!(!record.plans.is_null());
    let replay = srv.store.replay_review(&record, None).await.unwrap();
    assert!(replay.matches(), "{:?}", replay.differences);

    // Another application that only ticks both plans: said so, not silently passed.
    let (_, r) = review(toml.replace("SFH-2026-001", "SFH-2026-091")).await;
    let r14 = r.rule("R14").unwrap();
    let ev = |label: &str| {
        r14.evidence
            .iter()
            .find(|e| e.label.starts_with(label))
            .map(|e| e.value.clone())
            .unwrap_or_default()
    };
    assert_eq!(ev("矿产资源开发利用方案"), "申请表勾选，未见报送记录");
    assert_eq!(ev("矿区生态修复方案"), "申请表勾选，未见报送记录");
    assert_eq!(ev("报送记录"), "按申请编号 SFH-2026-091未查到方案报送记录");
    assert!(
        r14.message
            .contains("矿产资源开发利用方案、矿区生态修复方案仅申请表勾选，未见报送记录，请核实"),
        "{}",
        r14.message
    );
}

/// The bureau's 同步报送 setting on `/restoration/mines`: shown to staff as a bureau setting,
/// the form only for 生态修复; 91 days, a fraction and an empty value are refused with nothing
/// written; 7 days is saved (one audit row) and shown; 审批科 may not change it.
#[tokio::test]
async fn filed_together_setting_on_the_overview() {
    let srv = start().await;
    let base = &srv.base;
    let c = logged_in(base, "xiufu").await;
    let (s, body) = get(&c, format!("{base}/restoration/mines")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        body.contains("两方案报送日期相差不超过 <strong>0</strong> 天即认定为同步报送"),
        "{body}"
    );
    assert!(body.contains("此为本局设定"));
    assert!(body.contains("action=\"/restoration/mines/settings\""));
    let rows = audit_rows(&srv.store).await;
    for (typed, message) in [
        ("91", "同步报送的间隔天数应为 0–90 的整数，收到“91”；未保存"),
        (
            "2.5",
            "同步报送的间隔天数应为 0–90 的整数，收到“2.5”；未保存",
        ),
        ("-1", "同步报送的间隔天数应为 0–90 的整数，收到“-1”；未保存"),
        ("", "请填写同步报送的间隔天数（0–90 的整数）；未保存"),
    ] {
        let (s, body) = post_form(
            &c,
            base,
            "/restoration/mines/settings",
            &[("max_days_apart", typed)],
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{typed}");
        assert!(body.contains(message), "{typed}: {body}");
    }
    assert_eq!(audit_rows(&srv.store).await, rows);
    assert_eq!(srv.store.plans_max_days_apart().await.unwrap(), 0);

    let (s, _) = post_form(
        &c,
        base,
        "/restoration/mines/settings",
        &[("max_days_apart", "7")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(srv.store.plans_max_days_apart().await.unwrap(), 7);
    assert_eq!(audit_rows(&srv.store).await, rows + 1);
    let (_, body) = get(&c, format!("{base}/restoration/mines?saved=1")).await;
    assert!(body.contains("相差不超过 <strong>7</strong> 天"), "{body}");
    assert!(body.contains("id=\"setting-saved\""));

    // 审批科 reads the setting but has no form and may not post.
    let a = logged_in(base, "shenpi").await;
    let (s, body) = get(&a, format!("{base}/restoration/mines")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("相差不超过 <strong>7</strong> 天"));
    assert!(!body.contains("action=\"/restoration/mines/settings\""));
    let (s, _) = post_form(
        &a,
        base,
        "/restoration/mines/settings",
        &[("max_days_apart", "0")],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(srv.store.plans_max_days_apart().await.unwrap(), 7);
}
