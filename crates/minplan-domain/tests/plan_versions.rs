//! `[version]` and plan units in the bundle, and `plan::diff`: what a version states is read
//! (or named when wrong), nothing is invented when it is absent, and the difference between
//! two plans lists each change.

use minplan_domain::bundle::{BundleErrorKind, BundleFiles, load_bundle};
use minplan_domain::date::Date;
use minplan_domain::plan::diff::{check_stated, diff};
use minplan_domain::plan::{ChangeAction, ChangePart, Plan, PlanLevel, StatedChange, VersionKind};
mod common;

use common::read_dir;
use std::path::PathBuf;

fn suifenhe() -> BundleFiles {
    read_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../plans/231081-2021-2025"))
}

/// The Suifenhe bundle with `extra` inserted before `[region]`.
fn with_version(extra: &str) -> BundleFiles {
    let mut files = suifenhe();
    let t = String::from_utf8(files.get("plan.toml").unwrap().to_vec()).unwrap();
    assert_eq!(t.matches("\n[region]\n").count(), 1);
    files.insert(
        "plan.toml",
        t.replacen("\n[region]\n", &format!("\n{extra}\n[region]\n"), 1),
    );
    files
}

fn plan(files: &BundleFiles) -> Plan {
    load_bundle(files).unwrap_or_else(|e| panic!("{e}")).plan
}

#[test]
fn without_version_nothing_is_invented() {
    let p = plan(&suifenhe());
    assert!(p.version.is_none());
    assert_eq!(p.effective_from(), Date::new(2021, 1, 1).unwrap());
    assert_eq!(p.identity.level, PlanLevel::County);
}

#[test]
fn version_is_read() {
    let p = plan(&with_version(
        r#"[version]
kind = "修改"
basis = { title = "《关于同意调整的批复》", number = "牡政函〔2024〕31号", issuer = "牡丹江市人民政府" }
approved = "2024-06-15"
effective = "2024-07-01"
changes = [
  { part = "规划区块", action = "新增", number = "231081-C99" },
  { part = "规划指标", action = "调整", key = "mine_count" },
]"#,
    ));
    let v = p.version.as_ref().unwrap();
    assert_eq!(v.kind, VersionKind::Amendment);
    assert_eq!(v.basis.number, "牡政函〔2024〕31号");
    assert_eq!(v.basis.issuer, "牡丹江市人民政府");
    assert_eq!(v.approved, Date::new(2024, 6, 15).unwrap());
    assert_eq!(v.effective, Date::new(2024, 7, 1).unwrap());
    assert_eq!(p.effective_from(), v.effective);
    assert_eq!(
        v.changes,
        [
            StatedChange {
                part: ChangePart::Block,
                action: ChangeAction::Added,
                item: "231081-C99".into()
            },
            StatedChange {
                part: ChangePart::Indicator,
                action: ChangeAction::Changed,
                item: "mine_count".into()
            },
        ]
    );
}

#[test]
fn a_wrong_version_is_named_field_by_field() {
    let files = with_version(
        r#"[version]
kind = "批复"
basis = { title = "", number = "牡政函〔2024〕31号", issuer = "牡丹江市人民政府" }
approved = "2024-07-15"
effective = "2024-07-01"
changes = [{ part = "附图", action = "新增", number = "x" }]"#,
    );
    let errors = load_bundle(&files).unwrap_err().0;
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    for f in [
        "version.kind",
        "version.basis.title",
        "version.effective",
        "version.changes[0].part",
    ] {
        assert!(fields.contains(&f), "{f} not named: {errors:?}");
    }
    assert!(errors.iter().all(|e| e.line.is_some()), "{errors:?}");
    let effective = errors
        .iter()
        .find(|e| e.field == "version.effective")
        .unwrap();
    assert_eq!(effective.kind, BundleErrorKind::BadValue);
    assert!(effective.message.contains("早于批准日期"), "{effective}");

    // An original approval lists no changes; a date must be a date.
    let files = with_version(
        r#"[version]
kind = "批准"
basis = { title = "《批复》", number = "牡政函〔2022〕1号", issuer = "牡丹江市人民政府" }
approved = "2022-13-01"
effective = "2022-03-01"
changes = [{ part = "规划区块", action = "新增", number = "x" }]"#,
    );
    let errors = load_bundle(&files).unwrap_err().0;
    assert!(
        errors.iter().any(|e| e.field == "version.changes"),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.field == "version.approved"),
        "{errors:?}"
    );
}

#[test]
fn a_development_zone_is_its_own_level() {
    let mut files = suifenhe();
    let t = String::from_utf8(files.get("plan.toml").unwrap().to_vec()).unwrap();
    files.insert(
        "plan.toml",
        t.replacen("level = \"县级\"", "level = \"高新区\"", 1),
    );
    let p = plan(&files);
    assert_eq!(p.identity.level, PlanLevel::DevelopmentZone);
    assert_eq!(p.identity.level.label(), "开发区");
    // The adcode stays required (the host's may be used).
    assert_eq!(p.identity.adcode, "231081");
}

#[test]
fn diff_lists_each_change_and_stated_changes_are_checked() {
    let old = plan(&suifenhe());
    assert!(diff(&old, &old).is_empty());
    let mut new = old.clone();
    // A block removed, one redrawn, an indicator's target changed, a prohibition added.
    let removed = new.blocks.remove(0).number;
    let redrawn = new.blocks[0].number.clone();
    for ring in new.blocks[0].geometry[0].iter_mut() {
        for p in ring.iter_mut() {
            p[0] += 0.001;
        }
    }
    let ind = new
        .indicators
        .iter_mut()
        .find(|i| i.key == "mine_count")
        .unwrap();
    ind.target += 1.0;
    let mut pr = new.prohibitions[0].clone();
    pr.mineral = "建筑用砂".into();
    pr.label = "禁止湿地建筑用砂项目开采".into();
    new.prohibitions.push(pr);
    new.admission
        .caps
        .iter_mut()
        .find(|c| c.key == "mine_cap_total")
        .expect("the 矿山企业数量 cap restated as a cap")
        .value += 2.0;

    let changes = diff(&old, &new);
    let found: Vec<(ChangePart, ChangeAction, &str)> = changes
        .iter()
        .map(|c| (c.part, c.action, c.item.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (ChangePart::Block, ChangeAction::Changed, redrawn.as_str()),
            (ChangePart::Block, ChangeAction::Removed, removed.as_str()),
            (ChangePart::Indicator, ChangeAction::Changed, "mine_count"),
            (
                ChangePart::Admission,
                ChangeAction::Changed,
                "mine_cap_total"
            ),
            (ChangePart::Prohibition, ChangeAction::Added, "建筑用砂"),
        ],
        "{changes:#?}"
    );
    assert!(
        changes[0].details[0].starts_with("范围重新划定"),
        "{:?}",
        changes[0]
    );
    assert!(
        changes[2].describe().contains("目标"),
        "{}",
        changes[2].describe()
    );

    let stated: Vec<StatedChange> = changes
        .iter()
        .map(|c| StatedChange {
            part: c.part,
            action: c.action,
            item: c.item.clone(),
        })
        .collect();
    assert!(check_stated(&stated, &changes).is_empty());
    // One left unstated, one stated that is not there: both named.
    let mut wrong = stated[1..].to_vec();
    wrong.push(StatedChange {
        part: ChangePart::Block,
        action: ChangeAction::Added,
        item: "231081-C99".into(),
    });
    let problems = check_stated(&wrong, &changes);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].contains("规划区块 新增 231081-C99"),
        "{problems:?}"
    );
    assert!(
        problems[1].contains("未载明的修改") && problems[1].contains(&redrawn),
        "{problems:?}"
    );
}
