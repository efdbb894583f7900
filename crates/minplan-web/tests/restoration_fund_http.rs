//! 治理恢复基金 over HTTP, the server's `today` fixed at 2 March 2026: the company 庆发 enters its
//! own accruals and quarterly 销售收入 (another company's mine answers 404 and takes nothing); a
//! negative accrual and a withdrawal beyond the balance are refused with nothing written;
//! 生态修复 sets the coefficients and the method, the 2025 shortfall shows quarter by quarter,
//! an order issued on 20 January 2026 runs 20 working days over the 春节 to 24 February, passes
//! unremedied, 生态修复 proposes the listing, 执法监察 confirms it and the holder is in the
//! 矿业权人异常名录.

mod common;

use common::*;
use minplan_domain::date::Date;
use reqwest::StatusCode;

const OWN: &str = "91350100M000100Y43";
const OTHER: &str = "91231081MA1BQF0013";

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

async fn post(
    c: &reqwest::Client,
    base: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
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
    (s, r.text().await.unwrap())
}

async fn get(c: &reqwest::Client, base: &str, path: &str) -> (StatusCode, String) {
    let r = c.get(format!("{base}{path}")).send().await.unwrap();
    let s = r.status();
    (s, r.text().await.unwrap())
}

#[tokio::test]
async fn a_shortfall_leads_to_an_order_and_unremedied_to_a_listing() {
    let srv = start_with(minplan_web::WebConfig {
        today: Some(d("2026-03-02")),
        ..minplan_web::WebConfig::default()
    })
    .await;
    let base = &srv.base;
    let own = mine(
        &srv,
        "庆发采石场",
        "绥芬河市庆发建材有限公司",
        OWN,
        "C2310812020017130000001",
    )
    .await;
    let other = mine(
        &srv,
        "北山采石场",
        "北山建材有限公司",
        OTHER,
        "C2310812020017130000002",
    )
    .await;
    let qiye = logged_in(base, "qiye").await;
    let xiufu = logged_in(base, "xiufu").await;
    let zhifa = logged_in(base, "zhifa").await;

    // Another company's mine: 404, and nothing written.
    let before = audit_rows(&srv.store).await;
    assert_eq!(
        get(&qiye, base, &format!("/restoration/fund/{other}"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (s, _) = post(
        &qiye,
        base,
        &format!("/restoration/fund/{other}/entries"),
        &[
            ("kind", "accrual"),
            ("date", "2025-03-20"),
            ("amount_wan_yuan", "3"),
            ("voucher", "记-1"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // A negative accrual: refused, named, nothing written.
    let (s, body) = post(
        &qiye,
        base,
        &format!("/restoration/fund/{own}/entries"),
        &[
            ("kind", "accrual"),
            ("date", "2025-03-20"),
            ("amount_wan_yuan", "-2"),
            ("voucher", "记-1"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("计提金额应为大于 0 的数（万元），填写的是 -2"),
        "{body}"
    );
    // A withdrawal beyond the balance (nothing accrued yet): refused.
    let (s, body) = post(
        &qiye,
        base,
        &format!("/restoration/fund/{own}/entries"),
        &[
            ("kind", "expenditure"),
            ("date", "2025-04-01"),
            ("amount_wan_yuan", "1"),
            ("voucher", "付-1"),
            ("purpose", "边坡复绿"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("使用 1 万元超过 2025年4月1日 的基金余额 0 万元"),
        "{body}"
    );
    assert_eq!(audit_rows(&srv.store).await, before);
    assert!(
        srv.store
            .fund_ledger(own)
            .await
            .unwrap()
            .entries()
            .is_empty()
    );
    assert!(
        srv.store
            .fund_ledger(other)
            .await
            .unwrap()
            .entries()
            .is_empty()
    );

    // The company's own entries and outputs.
    for (date, amount) in [("2025-03-20", "3"), ("2025-08-01", "4")] {
        let (s, body) = post(
            &qiye,
            base,
            &format!("/restoration/fund/{own}/entries"),
            &[
                ("kind", "accrual"),
                ("date", date),
                ("amount_wan_yuan", amount),
                ("voucher", &format!("记-{date}")),
            ],
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    }
    for q in ["2025Q1", "2025Q2", "2025Q3", "2025Q4"] {
        let (s, body) = post(
            &qiye,
            base,
            &format!("/restoration/fund/{own}/outputs"),
            &[("quarter", q), ("output_wan_yuan", "100")],
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    }
    // The company cannot set the method (403).
    let (s, _) = post(
        &qiye,
        base,
        &format!("/restoration/fund/{own}/method"),
        &[("method", "output_value"), ("from_quarter", "2025Q1")],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // 生态修复: method from 2025Q1; before the coefficients the due is 未设置系数, never 0.
    let (s, _) = post(
        &xiufu,
        base,
        &format!("/restoration/fund/{own}/method"),
        &[("method", "output_value"), ("from_quarter", "2025Q1")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, page) = get(&xiufu, base, &format!("/restoration/fund/{own}")).await;
    assert!(page.contains("未设置系数，无法计算应计提金额（矿种系数：建筑用花岗岩；开采方式系数：露天；地区系数：绥芬河市）"), "{page}");
    for (kind, key, value) in [
        ("mineral", "建筑用花岗岩", "0.05"),
        ("method", "露天", "1"),
        ("region", "绥芬河市", "0.8"),
    ] {
        let (s, body) = post(
            &xiufu,
            base,
            "/restoration/fund/settings/coefficients",
            &[("kind", kind), ("key", key), ("value", value)],
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    }
    // Due 100 × 0.05 × 1 × 0.8 = 4 a quarter; accrued 3 (Q1) and 4 (Q3):
    // shortfall Q1 1, Q2 5, Q3 5, Q4 9.
    let st = srv
        .store
        .fund_statement(own, d("2026-03-02"))
        .await
        .unwrap();
    let short: Vec<_> = st.rows.iter().map(|r| r.shortfall.clone()).collect();
    assert_eq!(short, vec![Ok(1.0), Ok(5.0), Ok(5.0), Ok(9.0)]);
    let (_, page) = get(&xiufu, base, &format!("/restoration/fund/{own}")).await;
    assert!(page.contains("<tr id=\"q-2025Q4\"><td>2025年第4季度</td><td>4 万元</td><td>0 万元</td><td>0 万元</td><td>16 万元</td><td>7 万元</td><td>7 万元</td><td class=\"warn\">9 万元</td></tr>"), "{page}");

    // 责令限期整改 issued on 20 January 2026: 20 working days → 24 February (春节 off,
    // Saturday 14 February worked). On 2 March it is overdue.
    let (s, body) = post(
        &xiufu,
        base,
        &format!("/restoration/fund/{own}/orders"),
        &[
            ("quarter", "2025Q4"),
            ("issued_on", "2026-01-20"),
            ("document", "绥自然资责改〔2026〕1号"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let st = srv
        .store
        .fund_statement(own, d("2026-03-02"))
        .await
        .unwrap();
    let order = &st.orders[0];
    assert_eq!(order.order.deadline, d("2026-02-24"));
    let (_, page) = get(&xiufu, base, &format!("/restoration/fund/{own}")).await;
    assert!(page.contains("2026年2月24日（20 个工作日）"), "{page}");
    assert!(page.contains("逾期未整改"), "{page}");

    // 生态修复 proposes; it cannot confirm (执法监察 does).
    let (s, body) = post(
        &xiufu,
        base,
        &format!("/restoration/fund/orders/{}/propose", order.id),
        &[],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let p = srv.store.fund_listing_proposals().await.unwrap();
    assert_eq!(p.len(), 1);
    assert_eq!(
        p[0].proposal.reason_text,
        "庆发采石场截至2025年第4季度少计提 9 万元，责令限期整改至 2026年2月24日 仍未补足"
    );
    let confirm = format!("/restoration/fund/proposals/{}/confirm", p[0].id);
    let form = [
        ("decision_number", "绥自然资异〔2026〕7号"),
        ("decision_date", "2026-03-02"),
    ];
    assert_eq!(
        post(&xiufu, base, &confirm, &form).await.0,
        StatusCode::FORBIDDEN
    );
    let (_, page) = get(&zhifa, base, "/restoration/fund").await;
    assert!(page.contains("拟列入异常名录，待处理"), "{page}");
    let (s, body) = post(&zhifa, base, &confirm, &form).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");

    // The holder is in the 异常名录, for 未按规定计提矿山地质环境治理恢复基金.
    let lists = srv.store.holder_lists_on(d("2026-03-02")).await.unwrap();
    assert_eq!(lists.abnormal.len(), 1);
    assert_eq!(lists.abnormal[0].credit_code, OWN);
    assert!(
        lists.abnormal[0]
            .reason
            .contains("未按规定计提矿山地质环境治理恢复基金"),
        "{:?}",
        lists.abnormal[0]
    );
    let (_, page) = get(&zhifa, base, "/holder-lists").await;
    assert!(page.contains("绥芬河市庆发建材有限公司"), "{page}");
    let (_, page) = get(&zhifa, base, "/restoration/fund").await;
    assert!(page.contains("已列入异常名录（2026年3月2日）"), "{page}");
}
