use super::*;
use crate::units::Unit;

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// The caller's today in these tests: after every event they record.
fn today() -> Date {
    d("2099-12-31")
}

fn app(conclusion: Conclusion, status: ApplicationStatus) -> ApplicationFacts {
    ApplicationFacts {
        number: "A-1".into(),
        status,
        kind: ApplicationKind::New,
        right_kind: RightKind::Mining,
        conclusion,
        review_id: 7,
        accepted_checks: None,
        existing_right: None,
        project_name: "庆发采石场".into(),
        holder_name: "庆发建材".into(),
        credit_code: "91231081MA1BQF0013".into(),
        minerals: vec!["建筑用凝灰岩".into()],
        capacity: Some(Quantity {
            value: 5.0,
            unit: Unit::WanM3PerYear,
        }),
        elevation: Some((560.0, 480.0)),
        area_km2: Some(0.02),
        geometry: vec![],
        has_agreement_reason: false,
        block: Some(("231081-C05".into(), ApprovalLevel::ThisLevel)),
        mining_method: None,
        sub_unit: None,
        grant: Some(Grant {
            method: GrantMethod::Listing,
            net_mineral: true,
            price_wan_yuan: 80.0,
            date: d("2022-04-01"),
            contract: None,
        }),
        used_for: None,
        requested_grant: Some(GrantMethod::Listing),
        requested_net_mineral: true,
        received: Some(d("2022-01-10")),
        decided_on: Some(d("2022-03-01")),
    }
}

fn reg() -> Registration {
    Registration {
        licence: "C1".into(),
        date: d("2022-05-01"),
        valid_from: d("2022-05-01"),
        valid_to: d("2025-04-30"),
        name: None,
        capacity: None,
        elevation: None,
        area_km2: None,
        approval: None,
        mine_id: Some(1),
    }
}

fn history(state: RightState) -> RightHistory {
    RightHistory {
        id: state.id.clone(),
        geometry: vec![],
        events: vec![RightEvent {
            seq: 1,
            kind: EventKind::Register,
            date: Some(d("2022-05-01")),
            state,
            detail: serde_json::Value::Null,
            actor: "test".into(),
            recorded_at: String::new(),
        }],
    }
}

fn push(h: &mut RightHistory, kind: EventKind, date: &str, state: RightState) {
    let seq = h.events.len() as i64 + 1;
    h.events.push(RightEvent {
        seq,
        kind,
        date: Some(d(date)),
        state,
        detail: serde_json::Value::Null,
        actor: "test".into(),
        recorded_at: String::new(),
    });
}

#[test]
fn registration_needs_an_approved_conforming_or_accepted_review() {
    let ok = app(Conclusion::Conforming, ApplicationStatus::Approved);
    let s = register(&ok, &reg(), false, None, today()).unwrap();
    assert_eq!(s.approval, Some(ApprovalLevel::ThisLevel));
    assert_eq!(s.capacity.unwrap().value, 5.0);
    assert_eq!(s.name, "庆发采石场");

    let pending = app(
        Conclusion::ConformingPendingCheck,
        ApplicationStatus::Approved,
    );
    let e = register(&pending, &reg(), false, None, today()).unwrap_err();
    assert!(e[0].message.contains("人工核查意见未记录"), "{e:?}");
    let accepted = ApplicationFacts {
        accepted_checks: Some("现场核查无误".into()),
        ..pending
    };
    assert!(register(&accepted, &reg(), false, None, today()).is_ok());

    let refused = app(Conclusion::NonConforming, ApplicationStatus::Refused);
    let e = register(&refused, &reg(), true, None, today()).unwrap_err();
    let fields: Vec<&str> = e.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["licence", "application", "application"]);

    let no_grant = ApplicationFacts {
        grant: None,
        ..app(Conclusion::Conforming, ApplicationStatus::Approved)
    };
    assert!(
        register(&no_grant, &reg(), false, None, today()).unwrap_err()[0]
            .message
            .contains("尚未记录出让")
    );
}

#[test]
fn decisions() {
    let a = app(Conclusion::NonConforming, ApplicationStatus::Pending);
    let approve = Decision {
        approve: true,
        date: d("2023-03-10"),
        accepted_checks: None,
        reason: None,
    };
    assert!(
        decide(&a, &approve, today()).unwrap_err()[0]
            .message
            .contains("不能批准")
    );
    let refuse = Decision {
        approve: false,
        reason: Some("位于三区两线可视范围".into()),
        ..approve.clone()
    };
    assert_eq!(decide(&a, &refuse, today()), Ok(ApplicationStatus::Refused));
    let b = app(
        Conclusion::ConformingPendingCheck,
        ApplicationStatus::Pending,
    );
    assert_eq!(
        decide(&b, &approve, today()).unwrap_err()[0].field,
        "accepted_checks"
    );
}

#[test]
fn extension_after_expiry_needs_a_reason_and_history_reads_by_date() {
    let s = register(
        &app(Conclusion::Conforming, ApplicationStatus::Approved),
        &reg(),
        false,
        None,
        today(),
    )
    .unwrap();
    let mut h = history(s);
    let late = RightExtension {
        date: d("2025-06-01"),
        valid_to: d("2028-04-30"),
        reason: None,
        application: None,
    };
    let e = extend(&h, &late, None, today()).unwrap_err();
    assert_eq!(e[0].field, "reason");
    assert!(e[0].message.contains("2025-04-30"));
    let n = extend(
        &h,
        &RightExtension {
            reason: Some("疫情期间窗口关闭".into()),
            ..late.clone()
        },
        None,
        today(),
    )
    .unwrap();
    push(&mut h, EventKind::Extend, "2025-06-01", n);
    // In force until 2025-04-30, expired in May, in force again from 1 June.
    assert!(h.valid_on(d("2025-04-30")));
    assert!(!h.valid_on(d("2025-05-15")));
    assert_eq!(
        h.state_on(d("2025-05-15"))
            .unwrap()
            .status_on(d("2025-05-15")),
        RightStatus::Expired
    );
    assert!(h.valid_on(d("2025-06-01")));
    assert!(h.valid_during(d("2025-05-02"), d("2025-06-03")));
    assert!(!h.valid_during(d("2025-05-02"), d("2025-05-31")));
    assert!(!h.valid_on(d("2022-04-30")));
    // Back-dated events are refused.
    let e = extend(
        &h,
        &RightExtension {
            date: d("2025-01-01"),
            valid_to: d("2030-01-01"),
            reason: None,
            application: None,
        },
        None,
        today(),
    )
    .unwrap_err();
    assert!(e.iter().any(|p| p.field == "date"));
}

#[test]
fn closure_needs_a_report_and_ends_the_right() {
    let s = register(
        &app(Conclusion::Conforming, ApplicationStatus::Approved),
        &reg(),
        false,
        None,
        today(),
    )
    .unwrap();
    let mut h = history(s);
    let acc = ClosureAcceptance {
        date: d("2025-08-15"),
        accepted_by: "绥芬河市自然资源局".into(),
        document: "绥自然资闭〔2025〕3号".into(),
    };
    assert_eq!(
        close(&h, &acc, today()).unwrap_err()[0].field,
        "closure_report"
    );
    let n = file_closure_report(
        &h,
        &ClosureReport {
            title: "庆发采石场闭坑地质报告".into(),
            date: d("2025-05-20"),
        },
        today(),
    )
    .unwrap();
    push(&mut h, EventKind::ClosureReport, "2025-05-20", n);
    // The same report filed twice (a double submission) is refused.
    let again = file_closure_report(
        &h,
        &ClosureReport {
            title: "庆发采石场闭坑地质报告".into(),
            date: d("2025-05-20"),
        },
        today(),
    )
    .unwrap_err();
    assert!(again[0].message.contains("尚待验收"), "{again:?}");
    let n = close(&h, &acc, today()).unwrap();
    assert_eq!(n.standing, Standing::Closed);
    push(&mut h, EventKind::Close, "2025-08-15", n);
    assert!(!h.valid_on(d("2025-09-01")));
    assert!(
        cancel(&h, d("2025-09-01"), "x", today()).unwrap_err()[0]
            .message
            .contains("已闭坑")
    );
}

#[test]
fn transfer_waits_for_the_mortgage() {
    let s = register(
        &app(Conclusion::Conforming, ApplicationStatus::Approved),
        &reg(),
        false,
        None,
        today(),
    )
    .unwrap();
    let mut h = history(s);
    let m = Mortgage {
        mortgagee: "农村商业银行".into(),
        amount_wan_yuan: 200.0,
        from: d("2023-01-01"),
        until: d("2024-12-31"),
    };
    let n = mortgage(&h, &m, today()).unwrap();
    push(&mut h, EventKind::Mortgage, "2023-01-01", n);
    let mut t = app(Conclusion::Conforming, ApplicationStatus::Approved);
    t.kind = ApplicationKind::Transfer;
    t.existing_right = Some("C1".into());
    t.holder_name = "新矿业公司".into();
    let e = transfer(&h, &t, d("2023-06-01"), today()).unwrap_err();
    assert!(e[0].message.contains("解除抵押"));
    let n = release_mortgage(&h, d("2023-05-01"), today()).unwrap();
    push(&mut h, EventKind::MortgageRelease, "2023-05-01", n);
    let n = transfer(&h, &t, d("2023-06-01"), today()).unwrap();
    assert_eq!(n.holder_name, "新矿业公司");
}

#[test]
fn dates_follow_the_application_and_values_are_bounded() {
    let approved = app(Conclusion::Conforming, ApplicationStatus::Approved);
    let pending = app(Conclusion::Conforming, ApplicationStatus::Pending);
    // A decision before the review, a grant before the decision, a registration before the
    // grant: each named by its dates.
    let early = decide(
        &pending,
        &Decision {
            approve: true,
            date: d("1900-01-01"),
            accepted_checks: None,
            reason: None,
        },
        today(),
    )
    .unwrap_err();
    assert_eq!(early[0].field, "date");
    assert!(
        early[0].message.contains("早于受理日期 2022-01-10"),
        "{early:?}"
    );
    let mut no_grant = approved.clone();
    no_grant.grant = None;
    let g = Grant {
        method: GrantMethod::Listing,
        net_mineral: false,
        price_wan_yuan: 1e300,
        date: d("2022-02-01"),
        contract: Some("X".repeat(3000)),
    };
    let p = check_grant(&no_grant, &g, today()).unwrap_err();
    let fields: Vec<&str> = p.iter().map(|x| x.field.as_str()).collect();
    assert_eq!(fields, ["price", "date", "contract"], "{p:?}");
    assert!(p[1].message.contains("早于批准日期 2022-03-01"));
    let mut r = reg();
    r.date = d("2022-03-15");
    let p = register(&approved, &r, false, None, today()).unwrap_err();
    assert!(p[0].message.contains("早于出让日期 2022-04-01"), "{p:?}");
    // Validity: a mining licence runs at most 30 years, an exploration one 5.
    let mut r = reg();
    r.valid_to = d("9999-12-31");
    let p = register(&approved, &r, false, None, today()).unwrap_err();
    assert!(
        p[0].message.contains("最长 30 年") && p[0].message.contains("2052-05-01"),
        "{p:?}"
    );
    // Identifiers: no slashes, control or bidirectional characters, at most 64 characters.
    for bad in ["C/../../x", "A\u{202e}B", "C 1", &"C".repeat(65), ""] {
        let mut r = reg();
        r.licence = bad.into();
        let p = register(&approved, &r, false, None, today()).unwrap_err();
        assert_eq!(p[0].field, "licence", "{bad:?}");
    }
    let m = RecordNumber::parse("申请编号", "SFH\u{202e}X").unwrap_err();
    assert!(m.contains("U+202E") && m.contains("“SFHX”"), "{m}");
    assert!(RecordNumber::parse("许可证号", "C2310812024001").is_ok());
    assert!(RecordNumber::parse("申请编号", "SFH-2026-001").is_ok());
}

#[test]
fn events_are_not_dated_after_today_and_extensions_need_their_application() {
    // The rules the store used to re-check itself (lifecycle.rs: `not_future` and the 延续
    // application), now in the transitions with today passed in.
    let s = register(
        &app(Conclusion::Conforming, ApplicationStatus::Approved),
        &reg(),
        false,
        None,
        today(),
    )
    .unwrap();
    let h = history(s);
    let e = RightExtension {
        date: d("2025-03-01"),
        valid_to: d("2030-04-30"),
        reason: None,
        application: Some("A-1".into()),
    };
    let p = extend(&h, &e, None, d("2025-02-28")).unwrap_err();
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].field, "date");
    assert!(
        p[0].message.contains("晚于今天 2025-02-28"),
        "{}",
        p[0].message
    );
    assert!(extend(&h, &e, None, d("2025-03-01")).is_ok());
    // An application that is not an approved, unused 延续 application for this right.
    let mut a = app(Conclusion::Conforming, ApplicationStatus::Approved);
    let p = extend(&h, &e, Some(&a), today()).unwrap_err();
    assert_eq!(p[0].field, "application");
    assert!(
        p[0].message
            .contains("不是针对 C1 的已批准、未办理的延续申请"),
        "{}",
        p[0].message
    );
    a.kind = ApplicationKind::Extension;
    a.existing_right = Some("C1".into());
    assert!(extend(&h, &e, Some(&a), today()).is_ok());
    a.used_for = Some("C1".into());
    assert!(extend(&h, &e, Some(&a), today()).is_err());
    let grant = Grant {
        method: GrantMethod::Listing,
        net_mineral: false,
        price_wan_yuan: 1.0,
        date: d("2030-01-01"),
        contract: None,
    };
    let p = check_grant(&a, &grant, d("2029-12-31")).unwrap_err();
    assert!(p.iter().any(|x| x.message.contains("晚于今天")), "{p:?}");
}

#[test]
fn a_pending_application_is_closed_with_a_reason() {
    let a = app(Conclusion::NonConforming, ApplicationStatus::Pending);
    let c = ApplicationClosing {
        kind: ClosingKind::NotAccepted,
        date: d("2022-02-01"),
        reason: "申请范围与生态保护红线重叠".into(),
    };
    assert_eq!(
        close_application(&a, &c, today()),
        Ok(ApplicationStatus::NotAccepted)
    );
    let returned = ApplicationClosing {
        kind: ClosingKind::Returned,
        ..c.clone()
    };
    assert_eq!(
        close_application(&a, &returned, today()),
        Ok(ApplicationStatus::Returned)
    );
    // No reason, before the 受理日期, and already closed: each problem named.
    let bad = ApplicationClosing {
        kind: ClosingKind::Refused,
        date: d("2022-01-01"),
        reason: "  ".into(),
    };
    let closed = ApplicationFacts {
        status: ApplicationStatus::Returned,
        ..a.clone()
    };
    let p = close_application(&closed, &bad, today()).unwrap_err();
    let fields: Vec<&str> = p.iter().map(|x| x.field.as_str()).collect();
    assert_eq!(fields, ["application", "reason", "date"], "{p:?}");
    assert!(p[0].message.contains("已是“退回”"), "{}", p[0].message);
    assert_eq!(p[1].message, "不予批准须写明理由");
}

#[test]
fn a_registered_application_reads_as_registered() {
    let mut a = app(Conclusion::Conforming, ApplicationStatus::Approved);
    assert_eq!(a.shown_status(), "已批准");
    a.used_for = Some("C1".into());
    assert_eq!(a.shown_status(), "已登记");
    a.status = ApplicationStatus::Refused;
    assert_eq!(a.shown_status(), "不予批准");
}
