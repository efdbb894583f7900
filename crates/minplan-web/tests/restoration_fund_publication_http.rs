//! 治理恢复基金公示 (《规划》六（二）5 每年向社会公示) over HTTP, the server's `today` fixed at
//! 2 March 2026: 生态修复 prepares the 2025 summary from the fund page's 生成公示草稿 form and
//! submits it; the draft and the pending one are not public; the submitter and 审批科 cannot
//! approve it, nor can 审批科 prepare it; a second 生态修复 approves and the anonymous portal
//! shows each mine's 2025 figures — hand-computed below — and the words of a figure that cannot
//! be computed, never a 0.

mod common;

use common::*;
use minplan_domain::date::Date;
use minplan_domain::restoration::fund::{
    CoefficientKind, DueMethod, EntryKind, LedgerEntry, Quarter,
};
use minplan_store::{Actor, NewUser, Role};
use reqwest::{Client, StatusCode};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// A mine with one open-pit 采矿权 of 建筑用花岗岩 of the holder `code`.
async fn mine(srv: &Server, name: &str, holder: &str, code: &str, right: &str) -> i64 {
    let pool = srv.store.pool();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO mines (name, created_at) VALUES (?, '2026-01-01T00:00:00Z') RETURNING id",
    )
    .bind(name)
    .fetch_one(pool)
    .await
    .unwrap();
    let state = serde_json::json!({
        "id": right, "kind": "采矿权", "standing": "有效", "name": name, "holder_name": holder,
        "credit_code": code, "minerals": ["建筑用花岗岩"], "capacity": null, "approval": null,
        "mining_method": "露天", "valid_from": null, "valid_to": null, "area_km2": null,
        "elevation": null, "mine_id": id, "application": null, "grant": null, "mortgage": null,
        "closure_report": null, "closure": null, "cancel_reason": null
    });
    sqlx::query(
        "INSERT INTO rights (id, kind, status, name, holder_name, credit_code, minerals_json,
           geometry_json, source, updated_at, mine_id, state_json)
         VALUES (?, '采矿权', '有效', ?, ?, ?, '[\"建筑用花岗岩\"]', '[]', 'test', '2026-01-01T00:00:00Z', ?, ?)",
    )
    .bind(right)
    .bind(name)
    .bind(holder)
    .bind(code)
    .bind(id)
    .bind(state.to_string())
    .execute(pool)
    .await
    .unwrap();
    id
}

fn entry(kind: EntryKind, date: &str, amount: f64) -> LedgerEntry {
    LedgerEntry {
        kind,
        date: d(date),
        amount_wan_yuan: amount,
        voucher: format!("记{date}"),
        purpose: if kind == EntryKind::Expenditure {
            "边坡复绿".into()
        } else {
            String::new()
        },
    }
}

async fn post(
    c: &Client,
    base: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let csrf = token(c, base).await;
    let mut f: Vec<(&str, &str)> = fields.to_vec();
    f.push(("csrf_token", &csrf));
    let r = c
        .post(format!("{base}{path}"))
        .form(&f)
        .send()
        .await
        .unwrap();
    let s = r.status();
    let loc = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (s, loc, r.text().await.unwrap_or_default())
}

async fn get(c: &Client, base: &str, path: &str) -> (StatusCode, String) {
    let r = c.get(format!("{base}{path}")).send().await.unwrap();
    let s = r.status();
    (s, r.text().await.unwrap())
}

/// The cells of the public table's row of `mine`, as `header=value`.
fn row_of(html: &str, mine: &str) -> Vec<String> {
    let start = html
        .find(&format!("<td data-label=\"矿山名称\">{mine}</td>"))
        .unwrap_or_else(|| panic!("{mine} not in {html}"));
    let row = &html[start..start + html[start..].find("</tr>").unwrap()];
    row.split("<td data-label=\"")
        .skip(1)
        .map(|c| {
            let (h, rest) = c.split_once("\">").unwrap();
            format!("{h}={}", &rest[..rest.find("</td>").unwrap()])
        })
        .collect()
}

#[tokio::test]
async fn the_fund_summary_is_public_only_after_another_restoration_officer_approves() {
    let srv = start_with(minplan_web::WebConfig {
        today: Some(d("2026-03-02")),
        ..minplan_web::WebConfig::default()
    })
    .await;
    let base = &srv.base;
    let a = Actor::System;
    let qingfa = mine(
        &srv,
        "庆发采石场",
        "绥芬河市庆发建材有限公司",
        "91231081MA1BQF0013",
        "C2310812020017130000001",
    )
    .await;
    let beishan = mine(
        &srv,
        "北山采石场",
        "北山建材有限公司",
        "91231081MA1BQF0021",
        "C2310812020017130000002",
    )
    .await;
    let today = d("2026-01-20");
    // 庆发 2025: accrued 3 (Q1) + 4 (Q3) = 7, spent 2 → balance 5; method 销售收入 × 0.05 × 1
    // × 0.8 on 100 a quarter = 4 due a quarter, 16 for the year; cumulative accrued 7 at
    // 2025Q4 → shortfall 9.
    for e in [
        entry(EntryKind::Accrual, "2025-03-20", 3.0),
        entry(EntryKind::Accrual, "2025-08-01", 4.0),
        entry(EntryKind::Expenditure, "2025-09-01", 2.0),
    ] {
        srv.store
            .add_fund_entry(qingfa, &e, today, &a)
            .await
            .unwrap();
    }
    srv.store
        .set_fund_method(
            qingfa,
            DueMethod::OutputValue,
            Quarter::new(2025, 1).unwrap(),
            &a,
        )
        .await
        .unwrap();
    for q in 1..=4 {
        srv.store
            .set_fund_output(qingfa, Quarter::new(2025, q).unwrap(), 100.0, today, &a)
            .await
            .unwrap();
    }
    for (k, key, v) in [
        (CoefficientKind::Mineral, "建筑用花岗岩", 0.05),
        (CoefficientKind::Method, "露天", 1.0),
        (CoefficientKind::Region, "绥芬河市", 0.8),
    ] {
        srv.store.set_fund_coefficient(k, key, v, &a).await.unwrap();
    }
    // 北山 2025: accrued 6, spent 1.5 → balance 4.5; no method chosen → due and shortfall
    // cannot be computed.
    for e in [
        entry(EntryKind::Accrual, "2025-05-10", 6.0),
        entry(EntryKind::Expenditure, "2025-11-01", 1.5),
    ] {
        srv.store
            .add_fund_entry(beishan, &e, today, &a)
            .await
            .unwrap();
    }
    srv.store
        .add_user(
            &NewUser {
                username: "xiufu2".into(),
                display_name: "王生态".into(),
                role: Role::Restoration,
                credit_code: None,
            },
            PW,
            &a,
        )
        .await
        .unwrap();
    let xiufu = logged_in(base, "xiufu").await;
    let xiufu2 = logged_in(base, "xiufu2").await;
    let shenpi = logged_in(base, "shenpi").await;
    let public = client();

    // The fund page offers 生成公示草稿 to 生态修复, not to 审批科.
    let (s, html) = get(&xiufu, base, "/restoration/fund").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("id=\"fund-publication\"") && html.contains("value=\"2025\""),
        "{html}"
    );
    let (_, html) = get(&shenpi, base, "/restoration/fund").await;
    assert!(!html.contains("id=\"fund-publication\""));
    // 审批科 cannot prepare it; a future year is refused, named.
    let (s, _, body) = post(
        &shenpi,
        base,
        "/publications",
        &[("kind", "restoration-fund"), ("year", "2025")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("治理恢复基金公示由生态修复生成和提交"),
        "{body}"
    );
    let (s, _, body) = post(
        &xiufu,
        base,
        "/publications",
        &[("kind", "restoration-fund"), ("year", "2027")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("年度“2027”应为 2000 至 2026 之间"), "{body}");

    let (s, page, _) = post(
        &xiufu,
        base,
        "/publications",
        &[("kind", "restoration-fund"), ("year", "2025")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(page.starts_with("/publications/"), "{page}");
    // The preview: people's words, the figures, no machine id.
    let (_, html) = get(&xiufu, base, &page).await;
    assert!(
        html.contains("2025年度矿山地质环境治理恢复基金公示"),
        "{html}"
    );
    assert!(
        html.contains("统计至 2025年12月31日，共 2 座矿山"),
        "{html}"
    );
    assert!(html.contains("草稿"));
    assert_eq!(
        row_of(&html, "庆发采石场"),
        [
            "矿山名称=庆发采石场",
            "矿业权人=绥芬河市庆发建材有限公司",
            "统一社会信用代码=91231081MA1BQF0013",
            "本年计提（万元）=7.00",
            "本年使用（万元）=2.00",
            "期末余额（万元）=5.00",
            "本年应计提（万元）=16.00",
            "计提缺口（万元）=9.00",
        ]
    );
    assert!(
        !html.contains("restoration-fund"),
        "no machine code on the page"
    );

    // A draft is not public.
    let (s, html) = get(&public, base, "/public/restoration-fund").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("id=\"nothing-public\"") && !html.contains("庆发采石场"),
        "{html}"
    );

    let (s, _, _) = post(&xiufu, base, &format!("{page}/submit"), &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = get(&public, base, "/public/restoration-fund").await;
    assert!(!html.contains("庆发采石场"), "pending is not public");
    // Four eyes: the submitter cannot approve; 审批科 does not own this kind.
    let (s, _, _) = post(
        &xiufu,
        base,
        &format!("{page}/approve"),
        &[("confirm", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _, body) = post(
        &shenpi,
        base,
        &format!("{page}/approve"),
        &[("confirm", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("生态修复"), "{body}");
    let (_, html) = get(&public, base, "/public/restoration-fund").await;
    assert!(!html.contains("庆发采石场"));

    let (s, _, _) = post(
        &xiufu2,
        base,
        &format!("{page}/approve"),
        &[("confirm", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, html) = get(&public, base, "/public/restoration-fund").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("2025年度矿山地质环境治理恢复基金公示"),
        "{html}"
    );
    assert_eq!(
        row_of(&html, "庆发采石场")[3..],
        [
            "本年计提（万元）=7.00",
            "本年使用（万元）=2.00",
            "期末余额（万元）=5.00",
            "本年应计提（万元）=16.00",
            "计提缺口（万元）=9.00",
        ]
    );
    assert_eq!(
        row_of(&html, "北山采石场")[3..],
        [
            "本年计提（万元）=6.00",
            "本年使用（万元）=1.50",
            "期末余额（万元）=4.50",
            "本年应计提（万元）=无法判定：尚未设定应计提金额的计算方法",
            "计提缺口（万元）=无法判定：尚未设定应计提金额的计算方法",
        ]
    );
    // No voucher, no person reaches the public.
    assert!(!html.contains("记2025") && !html.contains("王生态") && !html.contains("生态修复测试"));
    // The feeds carry the same figures.
    let feed: serde_json::Value = public
        .get(format!("{base}/public/feeds/restoration-fund.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mines = &feed["items"][0]["fund"]["mines"];
    assert_eq!(feed["items"][0]["fund"]["year"], 2025);
    assert_eq!(mines[0]["mine_name"], "庆发采石场");
    assert_eq!(mines[0]["due_wan_yuan"], 16.0);
    assert_eq!(mines[0]["shortfall_wan_yuan"], 9.0);
    assert_eq!(mines[1]["due_wan_yuan"], serde_json::Value::Null);
    let (s, csv) = get(&public, base, "/public/feeds/restoration-fund.csv").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        csv.starts_with("\u{feff}年度,矿山名称,矿业权人,统一社会信用代码,本年计提（万元）"),
        "{csv}"
    );
    assert!(
        csv.contains("2025,庆发采石场,绥芬河市庆发建材有限公司,91231081MA1BQF0013,7.00,2.00,5.00,16.00,9.00\r\n"),
        "{csv}"
    );
    // The portal's home lists the section with what is published.
    let (_, html) = get(&public, base, "/public").await;
    assert!(html.contains("id=\"card-restoration-fund\""), "{html}");
    assert!(html.contains("矿山地质环境治理恢复基金"));
}
