//! Source documents (`[[sources]]`) and unchecked citations: a citation naming a source is
//! checked against that source's text, an unknown source is an error located in plan.toml,
//! and a citation whose text the bundle lacks is kept marked 未核对 — in the data, in the plan
//! JSON and in the people's form.

use minplan_domain::bundle::{
    BundleErrorKind, BundleErrors, BundleFiles, LoadedBundle, load_bundle,
};
use minplan_domain::citation::Citation;
use std::path::{Path, PathBuf};

fn bundle_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../plans/231081-2021-2025")
}

fn suifenhe() -> BundleFiles {
    fn walk(root: &Path, dir: &Path, files: &mut BundleFiles) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, files);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                files.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut files = BundleFiles::new();
    walk(&bundle_dir(), &bundle_dir(), &mut files);
    files
}

/// The Suifenhe bundle with `plan.toml`'s `from` replaced by `to` (once) and extra files.
fn edited(from: &str, to: &str, extra: &[(&str, &str)]) -> BundleFiles {
    let mut files = suifenhe();
    let toml = String::from_utf8(files.get("plan.toml").unwrap().to_vec()).unwrap();
    assert_eq!(toml.matches(from).count(), 1, "{from}");
    files.insert("plan.toml", toml.replacen(from, to, 1));
    for (p, c) in extra {
        files.insert(*p, c.as_bytes().to_vec());
    }
    files
}

fn loads(files: &BundleFiles) -> LoadedBundle {
    load_bundle(files).unwrap_or_else(|e| panic!("{e}"))
}

fn rejected(files: &BundleFiles) -> BundleErrors {
    match load_bundle(files) {
        Ok(_) => panic!("the bundle should be rejected"),
        Err(e) => e,
    }
}

/// 1-based line of the first line of plan.toml containing `needle`.
fn line_of(files: &BundleFiles, needle: &str) -> usize {
    let toml = std::str::from_utf8(files.get("plan.toml").unwrap()).unwrap();
    toml.lines().position(|l| l.contains(needle)).unwrap() + 1
}

const NOTICE: &str = "关于绥芬河市矿产资源总体规划修改的通知\n各有关单位：\n\
                      1. 生态保护红线按最新成果调整。\n\
                      2. 新增开采规划区块 1 个。\n\
                      3. 矿山数量上限不超过 3 个，其中本级审批发证 2 个。\n";

/// The source list put right after `text = "text.txt"` (a top-level key, so inline).
fn sources(file: Option<&str>) -> String {
    let file = file.map_or(String::new(), |f| format!(", file = \"{f}\""));
    format!(
        "text = \"text.txt\"\nsources = [ {{ key = \"修改通知2024\", title = \"《关于绥芬河市矿产资源总体规划修改的通知》\", issuer = \"绥芬河市人民政府\", number = \"绥政发〔2024〕3号\", date = \"2024-05-20\", kind = \"修改通知\"{file} }} ]"
    )
}

#[test]
fn without_the_plan_text_every_citation_is_marked_unchecked() {
    let files = edited("text = \"text.txt\"\n", "", &[]);
    let l = loads(&files);
    assert!(l.warnings.is_empty(), "{:?}", l.warnings);
    let plan = &l.plan;
    let c = &plan.admission.mine_cap_total.as_ref().unwrap().cite;
    assert!(!c.checked());
    assert!(!plan.cite_checked(c));
    assert_eq!(c.to_string(), "五（一）（未核对）");
    assert_eq!(plan.cite_label(c), "《规划》五（一）（未核对）");
    // The plan JSON carries the mark on every citation.
    let json = serde_json::to_value(plan).unwrap();
    assert_eq!(
        json["admission"]["mine_cap_total"]["cite"],
        "五（一）（未核对）"
    );
    assert_eq!(json["identity"]["name"]["cite"], "总则（未核对）");
    let text = json.to_string();
    assert!(!text.contains("\"cite\":\"五（一）\""));
    // And the stored string reads back as the same unchecked citation.
    assert_eq!(&Citation::parse(&c.to_string()).unwrap(), c);
    // With the text, the same citation is verified.
    let with_text = loads(&suifenhe()).plan;
    let c = &with_text.admission.mine_cap_total.as_ref().unwrap().cite;
    assert!(c.checked() && with_text.cite_checked(c));
    assert_eq!(with_text.cite_label(c), "《规划》五（一）");
}

#[test]
fn a_source_qualified_citation_is_checked_against_its_own_text() {
    let files = edited(
        "text = \"text.txt\"",
        &sources(Some("notice.txt")),
        &[("notice.txt", NOTICE)],
    );
    let files = {
        let toml = String::from_utf8(files.get("plan.toml").unwrap().to_vec()).unwrap();
        let toml = toml.replacen(
            "mine_cap_total = { value = 3, cite = \"五（一）\" }",
            "mine_cap_total = { value = 3, cite = \"修改通知2024：3\" }",
            1,
        );
        let mut f = files.clone();
        f.insert("plan.toml", toml);
        f
    };
    let l = loads(&files);
    assert!(l.warnings.is_empty(), "{:?}", l.warnings);
    let plan = &l.plan;
    let c = &plan.admission.mine_cap_total.as_ref().unwrap().cite;
    assert_eq!(c.source(), Some("修改通知2024"));
    assert!(plan.cite_checked(c));
    assert_eq!(c.to_string(), "修改通知2024:3");
    assert_eq!(
        plan.cite_label(c),
        "《关于绥芬河市矿产资源总体规划修改的通知》3"
    );
    let s = plan.source("修改通知2024").unwrap();
    assert_eq!(s.number.as_deref(), Some("绥政发〔2024〕3号"));
    assert!(s.has_text);
    let json = serde_json::to_value(plan).unwrap();
    assert_eq!(json["sources"][0]["kind"], "修改通知");
    assert_eq!(
        json["sources"][0]["title"],
        "关于绥芬河市矿产资源总体规划修改的通知"
    );
    // Several citations: the document is named once per run.
    let main = plan.identity.name.cite.clone();
    assert_eq!(
        plan.cites_label(&[main.clone(), c.clone(), c.clone(), main.clone()]),
        "《规划》总则；《关于绥芬河市矿产资源总体规划修改的通知》3"
    );
    let five = Citation::parse("五（一）").unwrap();
    assert_eq!(
        plan.cites_label(&[main.clone(), five, c.clone()]),
        "《规划》总则、五（一）；《关于绥芬河市矿产资源总体规划修改的通知》3"
    );

    // The figure must be in the cited item of the notice, not of the plan text.
    let toml = String::from_utf8(files.get("plan.toml").unwrap().to_vec()).unwrap();
    let mut f = files.clone();
    f.insert(
        "plan.toml",
        toml.replacen("cite = \"修改通知2024：3\"", "cite = \"修改通知2024:2\"", 1),
    );
    let l = loads(&f);
    assert_eq!(l.warnings.len(), 1, "{:?}", l.warnings);
    assert_eq!(l.warnings[0].kind, BundleErrorKind::FigureNotInSection);
    assert!(
        l.warnings[0]
            .message
            .contains("《关于绥芬河市矿产资源总体规划修改的通知》“2”")
    );
    // A place the notice does not have is an error (五（一） is only in the plan text).
    let mut f = files.clone();
    f.insert(
        "plan.toml",
        toml.replacen(
            "cite = \"修改通知2024：3\"",
            "cite = \"修改通知2024:五（一）\"",
            1,
        ),
    );
    let e = rejected(&f);
    assert_eq!(e.0.len(), 1, "{e}");
    assert_eq!(e.0[0].kind, BundleErrorKind::CitationNotInText);
    assert_eq!(e.0[0].line, Some(line_of(&f, "修改通知2024:五（一）")));
}

#[test]
fn a_citation_into_a_source_without_text_is_unchecked() {
    let files = edited("text = \"text.txt\"", &sources(None), &[]);
    let toml = String::from_utf8(files.get("plan.toml").unwrap().to_vec()).unwrap();
    let mut f = files.clone();
    f.insert(
        "plan.toml",
        toml.replacen(
            "mine_cap_total = { value = 3, cite = \"五（一）\" }",
            "mine_cap_total = { value = 3, cite = \"修改通知2024:9\" }",
            1,
        ),
    );
    let plan = loads(&f).plan;
    let c = &plan.admission.mine_cap_total.as_ref().unwrap().cite;
    assert!(!c.checked());
    assert_eq!(
        plan.cite_label(c),
        "《关于绥芬河市矿产资源总体规划修改的通知》9（未核对）"
    );
    // The plan text's citations are still verified.
    assert!(plan.cite_checked(&plan.identity.name.cite));
    assert!(!plan.source("修改通知2024").unwrap().has_text);
}

#[test]
fn an_unknown_source_key_is_an_error_naming_file_line_and_field() {
    let files = edited(
        "mine_cap_total = { value = 3, cite = \"五（一）\" }",
        "mine_cap_total = { value = 3, cite = \"通知:3\" }",
        &[],
    );
    let e = rejected(&files);
    assert_eq!(e.0.len(), 1, "{e}");
    let x = &e.0[0];
    assert_eq!(x.kind, BundleErrorKind::BadCitation);
    assert_eq!(x.file, "plan.toml");
    assert_eq!(x.line, Some(line_of(&files, "cite = \"通知:3\"")));
    assert_eq!(x.field, "admission.mine_cap_total");
    assert!(
        x.message.contains("“通知”未在 [[sources]] 中登记"),
        "{}",
        x.message
    );
}

#[test]
fn source_entries_are_checked() {
    let bad = sources(Some("missing.txt"))
        .replace("修改通知2024", "plan")
        .replace("2024-05-20", "2024-02-30")
        .replace("kind = \"修改通知\"", "kind = \"通知\"");
    let files = edited("text = \"text.txt\"", &bad, &[]);
    let e = rejected(&files);
    let fields: Vec<&str> = e.0.iter().map(|x| x.field.as_str()).collect();
    for f in [
        "sources[0].key",
        "sources[0].date",
        "sources[0].kind",
        "sources[0].file",
    ] {
        assert!(fields.contains(&f), "{f} not in {fields:?}");
    }
    let line = line_of(&files, "sources = [");
    assert!(
        e.0.iter()
            .all(|x| x.file == "plan.toml" && x.line == Some(line))
    );
}

/// The worked example of docs/plan-format.md: `[[sources]]` at the end of plan.toml, one
/// with a file and one without, a rule basis citing both the plan text and a source.
#[test]
fn the_documented_example_loads() {
    let mut files = edited(
        "R8 = { cite = [\"四（一）2\", \"五（三）2\"]",
        "R8 = { cite = [\"四（一）2\", \"五（三）2\", \"省级规划:第四章第二节\"]",
        &[("notice.txt", NOTICE)],
    );
    let toml = String::from_utf8(files.get("plan.toml").unwrap().to_vec()).unwrap();
    let toml = toml.replacen(
        "mine_cap_total = { value = 3, cite = \"五（一）\" }",
        "mine_cap_total = { value = 3, cite = \"修改通知2024:3\" }",
        1,
    ) + r#"
[[sources]]
key = "修改通知2024"
title = "关于绥芬河市矿产资源总体规划修改的通知"
issuer = "绥芬河市人民政府"
number = "绥政发〔2024〕3号"
date = "2024-05-20"
kind = "修改通知"
file = "notice.txt"

[[sources]]
key = "省级规划"
title = "黑龙江省矿产资源总体规划（2021—2025年）"
issuer = "黑龙江省人民政府"
kind = "上级规划"
"#;
    files.insert("plan.toml", toml);
    let l = loads(&files);
    assert!(l.warnings.is_empty(), "{:?}", l.warnings);
    let plan = &l.plan;
    assert_eq!(plan.sources.len(), 2);
    let r8 = plan.rule_basis("R8").unwrap();
    assert_eq!(
        plan.cites_label(&r8.cites),
        "《规划》四（一）2、五（三）2；《黑龙江省矿产资源总体规划（2021—2025年）》第四章第二节（未核对）"
    );
    let general = Citation::parse("修改通知2024:总则").unwrap();
    let notice = plan.text_of(&general).unwrap();
    assert!(notice.section(&general).unwrap().contains("各有关单位"));
    assert!(!notice.section(&general).unwrap().contains("1."));
}
