//! 工作日历 over HTTP: every logged-in account sees the years held and a year's month grid
//! with each month's working days; 执法监察 enters 2027 — a bad line is refused by its number
//! with nothing written, a good arrangement changes February's working days and writes the
//! audit row; a 矿山企业 may look but not edit.

mod common;

use common::{audit_rows, csrf_in, logged_in, start, token};
use reqwest::StatusCode;

/// February's working days as the page shows them.
fn february(html: &str) -> String {
    let start = html.find("id=\"wd-2027-02\">").expect("February's count") + 16;
    html[start..].split('<').next().unwrap().to_string()
}

const GOOD: &str =
    "放假 2027-01-01 至 2027-01-03\n放假 2027-02-05 至 2027-02-13\n上班 2027-02-14\n";

#[tokio::test]
async fn enforcement_enters_a_year_and_the_working_days_follow() {
    let srv = start().await;
    let zhifa = logged_in(&srv.base, "zhifa").await;
    let url = format!("{}/admin/calendar", srv.base);

    // The built-in years, and 2027 not held: counted Monday–Friday and said so.
    let r = zhifa.get(format!("{url}?year=2027")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    for y in [2024, 2025, 2026] {
        assert!(html.contains(&format!("id=\"year-{y}\"")), "{y}");
    }
    assert!(html.contains("国办发明电〔2024〕12号"), "2025's source");
    assert!(
        html.contains("2027年节假日安排未录入，按周一至周五计"),
        "{html}"
    );
    assert_eq!(february(&html), "20");
    // 2026: 春节 15–23 February off, Saturdays 14 and 28 worked: 20 weekdays − 6 + 2 = 16.
    let r = zhifa.get(format!("{url}?year=2026")).send().await.unwrap();
    let h2026 = r.text().await.unwrap();
    let s = h2026.find("id=\"wd-2026-02\">").unwrap() + 16;
    assert_eq!(&h2026[s..s + 2], "16");

    // A bad line: refused by its number, nothing written.
    let rows = audit_rows(&srv.store).await;
    let csrf = csrf_in(&html);
    let r = zhifa
        .post(&url)
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("year", "2027"),
            ("source", "国务院办公厅关于2027年部分节假日安排的通知"),
            (
                "arrangement",
                "放假 2027-01-01 至 2027-01-03\n放假 2027-02-30\n上班 2027-02-15\n",
            ),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad = r.text().await.unwrap();
    assert!(bad.contains("id=\"arrangement-errors\""), "{bad}");
    assert!(bad.contains("第 2 行"), "{bad}");
    // 2027-02-15 is a Monday: line 3 is named too.
    assert!(bad.contains("第 3 行：2027年2月15日 是工作日"), "{bad}");
    assert!(bad.contains("未写入任何数据"));
    assert_eq!(audit_rows(&srv.store).await, rows);
    assert!(srv.store.calendar_entries().await.unwrap().is_empty());
    assert!(
        srv.store
            .work_calendar()
            .await
            .unwrap()
            .year(2027)
            .is_none()
    );

    // A good arrangement: February loses 6 weekdays to 春节 and gains Sunday the 14th.
    let r = zhifa
        .post(&url)
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("year", "2027"),
            ("source", "国务院办公厅关于2027年部分节假日安排的通知"),
            ("arrangement", GOOD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        "/admin/calendar?year=2027&saved=1"
    );
    let html = zhifa
        .get(format!("{url}?year=2027&saved=1"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(february(&html), "15");
    assert!(html.contains("已保存 2027 年的节假日安排"));
    assert!(!html.contains("2027年节假日安排未录入"));
    assert!(html.contains("id=\"year-2027\""));
    assert!(html.contains("本局录入"));
    assert!(
        html.contains("class=\"work\" title=\"调休上班\">14<"),
        "Sunday 14 February"
    );
    assert_eq!(audit_rows(&srv.store).await, rows + 1);
    let audit = srv
        .store
        .audit_list(&minplan_store::AuditFilter::default())
        .await
        .unwrap();
    let last = audit.iter().max_by_key(|a| a.id).unwrap();
    assert_eq!(last.action, "calendar.set");
    assert_eq!(last.entity_id, "2027");
    assert!(last.after.as_deref().unwrap().contains("2027-02-14"));
    let cal = srv.store.work_calendar().await.unwrap();
    let d = |s| minplan_domain::date::Date::parse(s).unwrap();
    assert_eq!(
        cal.working_days_between(d("2027-02-04"), d("2027-02-15"))
            .value,
        2,
        "the 4th's next working days: Sunday 14th and Monday 15th"
    );
}

#[tokio::test]
async fn a_company_sees_the_calendar_but_cannot_edit_it() {
    let srv = start().await;
    let qiye = logged_in(&srv.base, "qiye").await;
    let url = format!("{}/admin/calendar", srv.base);
    let r = qiye.get(&url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"calendar-years\""));
    assert!(!html.contains("id=\"calendar-form\""));
    let t = token(&qiye, &srv.base).await;
    let r = qiye
        .post(&url)
        .form(&[
            ("csrf_token", t.as_str()),
            ("year", "2027"),
            ("source", "某通知"),
            ("arrangement", GOOD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(srv.store.calendar_entries().await.unwrap().is_empty());
}
