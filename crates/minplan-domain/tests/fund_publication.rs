//! The 治理恢复基金公示 payload (《规划》六（二）5 每年向社会公示) carries the fund's yearly
//! public summary as it is: the figures, the date, and the words of a figure that cannot be
//! computed (never a 0); it round-trips through the stored JSON.

use minplan_domain::date::Date;
use minplan_domain::disclosure::{Payload, PublicationKind};
use minplan_domain::restoration::figures::Reading;
use minplan_domain::restoration::fund::{FundPublicSummary, PublicFundMine};

#[test]
fn fund_payload_carries_the_summary_and_missing_figures_as_words() {
    let s = FundPublicSummary {
        year: 2025,
        as_of: Date::new(2025, 12, 31).unwrap(),
        mines: vec![
            PublicFundMine {
                mine_name: "某某采石场".into(),
                holder_name: "某某公司".into(),
                credit_code: "91231081MA1BQF0013".into(),
                accrued_wan_yuan: 18.0,
                used_wan_yuan: 5.0,
                balance_wan_yuan: 13.0,
                due_wan_yuan: Reading::Value(24.0),
                shortfall_wan_yuan: Reading::Value(6.0),
            },
            PublicFundMine {
                mine_name: "甲".into(),
                holder_name: "乙".into(),
                credit_code: String::new(),
                accrued_wan_yuan: 0.0,
                used_wan_yuan: 0.0,
                balance_wan_yuan: 0.0,
                due_wan_yuan: Reading::Missing("无法判定：尚未设定应计提金额的计算方法".into()),
                shortfall_wan_yuan: Reading::Missing("无法判定".into()),
            },
        ],
    };
    let p = Payload::RestorationFund(s.public_payload());
    assert_eq!(p.kind(), PublicationKind::RestorationFund);
    assert_eq!(p.rows(), 2);
    let Payload::RestorationFund(f) = &p else {
        panic!("kind")
    };
    assert_eq!(f.as_of, "2025-12-31");
    assert_eq!(f.mines[0].due_wan_yuan, Some(24.0));
    assert_eq!(f.mines[0].shortfall_wan_yuan, Some(6.0));
    assert_eq!(f.mines[1].due_wan_yuan, None);
    assert_eq!(
        f.mines[1].due_note,
        "无法判定：尚未设定应计提金额的计算方法"
    );
    let json = serde_json::to_string(&p).unwrap();
    assert_eq!(serde_json::from_str::<Payload>(&json).unwrap(), p);
}
