//! The 治理恢复基金 ledger in the store: entries checked against the stored ledger (a refused
//! entry writes nothing, not even an audit row), the quarterly shortfall of a mine whose method
//! is 销售收入 × the bureau's coefficients (unset → 未设置系数, never 0), and the chain
//! shortfall → 责令限期整改 (20 working days over 2026's 春节) → 逾期 → 拟列入 → confirmed →
//! the holder is in the 异常名录 of the supervision workflow.

use minplan_domain::date::Date;
use minplan_domain::restoration::figures::Reading;
use minplan_domain::restoration::fund::{
    CoefficientKind, DueMethod, EntryKind, LedgerEntry, OrderStatus, Quarter,
};
use minplan_store::{Actor, AuditFilter, Store, StoreError};

const CODE: &str = "91231081MA1BQF0013";

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

async fn audit_rows(store: &Store) -> usize {
    store
        .audit_list(&AuditFilter::default())
        .await
        .unwrap()
        .len()
}

/// A mine with one 采矿权 of 建筑用花岗岩, holder 庆发建材.
async fn mine(store: &Store) -> i64 {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO mines (name, created_at) VALUES ('庆发采石场', '2026-01-01T00:00:00Z') RETURNING id",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO rights (id, kind, status, name, holder_name, credit_code, minerals_json,
           geometry_json, source, updated_at, mine_id)
         VALUES ('C2310812020017130000001', '采矿权', '有效', '庆发采石场', '绥芬河市庆发建材有限公司', ?,
           '[\"建筑用花岗岩\"]', '[]', 'test', '2026-01-01T00:00:00Z', ?)",
    )
    .bind(CODE)
    .bind(id)
    .execute(store.pool())
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

#[tokio::test]
async fn a_shortfall_leads_to_an_order_and_unremedied_to_a_listing() {
    let store = Store::open_in_memory().await.unwrap();
    store
        .seed_if_empty(&minplan_store::default_bundle())
        .await
        .unwrap();
    let m = mine(&store).await;
    let today = d("2026-01-20");
    let a = Actor::System;

    // Refusals write nothing.
    let before = audit_rows(&store).await;
    let e = store
        .add_fund_entry(m, &entry(EntryKind::Accrual, "2025-03-01", -2.0), today, &a)
        .await
        .unwrap_err();
    assert!(matches!(&e, StoreError::Invalid(f) if f[0].field == "amount_wan_yuan"));
    let e = store
        .add_fund_entry(
            m,
            &entry(EntryKind::Expenditure, "2025-03-01", 1.0),
            today,
            &a,
        )
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "使用 1 万元超过 2025年3月1日 的基金余额 0 万元"
    );
    assert_eq!(audit_rows(&store).await, before);
    assert!(store.fund_ledger(m).await.unwrap().entries().is_empty());

    // 2025: accrued 3 in Q1, 4 in Q3; spent 2 in Q3.
    for e in [
        entry(EntryKind::Accrual, "2025-03-20", 3.0),
        entry(EntryKind::Accrual, "2025-08-01", 4.0),
        entry(EntryKind::Expenditure, "2025-09-01", 2.0),
    ] {
        store.add_fund_entry(m, &e, today, &a).await.unwrap();
    }
    assert_eq!(audit_rows(&store).await, before + 3);

    // Method 销售收入 × coefficients from 2025Q1; output 100 a quarter.
    store
        .set_fund_method(
            m,
            DueMethod::OutputValue,
            Quarter::new(2025, 1).unwrap(),
            &a,
        )
        .await
        .unwrap();
    for q in 1..=4 {
        store
            .set_fund_output(m, Quarter::new(2025, q).unwrap(), 100.0, today, &a)
            .await
            .unwrap();
    }
    // No coefficient yet: unknown, never 0.
    let st = store.fund_statement(m, today).await.unwrap();
    assert_eq!(st.rows.len(), 4);
    assert_eq!(
        st.rows[0].due,
        Err("未设置系数，无法计算应计提金额（矿种系数：建筑用花岗岩；开采方式系数：矿山未登记；地区系数：绥芬河市）".into())
    );
    let f = store.fund_figures(2025, today).await.unwrap();
    assert!(matches!(f.due_wan_yuan, Reading::Missing(_)));
    assert_eq!(f.accrued_wan_yuan, Reading::Value(7.0));
    assert_eq!(f.withdrawn_wan_yuan, Reading::Value(2.0));

    // The mine has no 开采方式 registered: the coefficient table cannot apply — set the
    // register's method on the right's state, then the three coefficients 0.05 × 1 × 0.8.
    sqlx::query("UPDATE rights SET state_json = ? WHERE mine_id = ?")
        .bind(
            serde_json::json!({
                "id": "C2310812020017130000001", "kind": "采矿权", "standing": "有效",
                "name": "庆发采石场", "holder_name": "绥芬河市庆发建材有限公司",
                "credit_code": CODE, "minerals": ["建筑用花岗岩"], "capacity": null,
                "approval": null, "mining_method": "露天", "valid_from": null,
                "valid_to": null, "area_km2": null, "elevation": null, "mine_id": m,
                "application": null, "grant": null, "mortgage": null, "closure_report": null,
                "closure": null, "cancel_reason": null
            })
            .to_string(),
        )
        .bind(m)
        .execute(store.pool())
        .await
        .unwrap();
    let fm = store.fund_mine(m).await.unwrap();
    assert_eq!(fm.mining_method.as_deref(), Some("露天"), "{fm:?}");
    for (k, key, v) in [
        (CoefficientKind::Mineral, "建筑用花岗岩", 0.05),
        (CoefficientKind::Method, "露天", 1.0),
        (CoefficientKind::Region, "绥芬河市", 0.8),
    ] {
        store.set_fund_coefficient(k, key, v, &a).await.unwrap();
    }
    // Due 100 × 0.05 × 1 × 0.8 = 4 a quarter.
    // | quarter | due | cum due | cum accrued | shortfall |
    // | 2025Q1  | 4   | 4       | 3           | 1         |
    // | 2025Q2  | 4   | 8       | 3           | 5         |
    // | 2025Q3  | 4   | 12      | 7           | 5         |
    // | 2025Q4  | 4   | 16      | 7           | 9         |
    let st = store.fund_statement(m, today).await.unwrap();
    let short: Vec<_> = st.rows.iter().map(|r| r.shortfall.clone()).collect();
    assert_eq!(short, vec![Ok(1.0), Ok(5.0), Ok(5.0), Ok(9.0)]);
    assert_eq!(st.balance_on(d("2025-12-31")), 5.0);
    let f = store.fund_figures(2025, today).await.unwrap();
    assert_eq!(f.due_wan_yuan, Reading::Value(16.0));
    assert_eq!(f.mines_short, Reading::Value(1));
    assert_eq!(f.shortfall_wan_yuan, Reading::Value(9.0));
    // The 2025 public summary (每年向社会公示).
    let p = store.fund_public_summary(2025, today).await.unwrap();
    assert_eq!(p.as_of, d("2025-12-31"));
    assert_eq!(p.mines.len(), 1);
    let s = &p.mines[0];
    assert_eq!(s.mine_name, "庆发采石场");
    assert_eq!(s.credit_code, CODE);
    assert_eq!(
        (s.accrued_wan_yuan, s.used_wan_yuan, s.balance_wan_yuan),
        (7.0, 2.0, 5.0)
    );
    assert_eq!(s.due_wan_yuan, Reading::Value(16.0));
    assert_eq!(s.shortfall_wan_yuan, Reading::Value(9.0));

    // Order on 2026-02-06 (today moves on) for 2025Q4: 20 working days → 2026-03-12.
    let today = d("2026-02-06");
    let o = store
        .issue_fund_order(
            m,
            Quarter::new(2025, 4).unwrap(),
            today,
            "绥自然资责改〔2026〕1号",
            today,
            &a,
        )
        .await
        .unwrap();
    let st = store.fund_statement(m, today).await.unwrap();
    assert_eq!(st.orders[0].order.deadline, d("2026-03-12"));
    assert_eq!(st.orders[0].order.shortfall_wan_yuan, 9.0);
    assert_eq!(st.orders[0].status, OrderStatus::Open);
    // Not yet overdue: no proposal.
    let e = store
        .propose_fund_listing(o, d("2026-03-12"), &a)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("整改期限内"), "{e}");
    // 5 accrued on 03-01 is not enough (12 of 16).
    store
        .add_fund_entry(
            m,
            &entry(EntryKind::Accrual, "2026-03-01", 5.0),
            d("2026-03-01"),
            &a,
        )
        .await
        .unwrap();
    let later = d("2026-03-13");
    let st = store.fund_statement(m, later).await.unwrap();
    assert_eq!(st.orders[0].status, OrderStatus::Overdue);
    let p = store.propose_fund_listing(o, later, &a).await.unwrap();
    let proposals = store.fund_listing_proposals().await.unwrap();
    assert_eq!(
        proposals[0].proposal.reason_text,
        "庆发采石场截至2025年第4季度少计提 9 万元，责令限期整改至 2026年3月12日 仍未补足"
    );
    let entry_id = store
        .confirm_fund_listing(p, "绥自然资异〔2026〕7号", d("2026-03-16"), &a)
        .await
        .unwrap();
    let listed = store.list_entry(entry_id).await.unwrap();
    assert_eq!(listed.entry.listing().credit_code, CODE);
    let lists = store.holder_lists_on(d("2026-03-16")).await.unwrap();
    assert_eq!(lists.abnormal.len(), 1);
    // Handled once only.
    let e = store
        .dismiss_fund_listing(p, "已补足", later, &a)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("已处理"), "{e}");
}
