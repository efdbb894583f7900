//! `minplan plan history` and `minplan plan diff`: an amendment imported after the embedded
//! Suifenhe plan is listed with its basis and dates, and its changes against the original.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn minplan(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_minplan"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn history_and_diff_show_an_amendment() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("plan_history_cli");
    let _ = std::fs::remove_dir_all(&dir);
    let bundle = dir.join("amended");
    copy_dir(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../plans/231081-2021-2025"),
        &bundle,
    );
    let plan = bundle.join("plan.toml");
    let t = std::fs::read_to_string(&plan).unwrap();
    let t = t
        .replacen(
            "\n[region]\n",
            r#"
[version]
kind = "修改"
basis = { title = "《关于同意绥芬河市矿产资源总体规划（2021～2025年）调整的批复》", number = "牡政函〔2024〕31号", issuer = "牡丹江市人民政府" }
approved = "2024-06-15"
effective = "2024-07-01"
changes = [{ part = "规划区块", action = "调整", number = "231081-K03" }]

[region]
"#,
            1,
        )
        .replacen(
            "第三个勘查规划区块（规划文本未列名）",
            "第三个勘查规划区块（调整后更名）",
            1,
        );
    std::fs::write(&plan, t).unwrap();
    let db = dir.join("m.db");
    let o = minplan(&db, &["plan", "list"]);
    assert!(o.status.success(), "{}", text(&o));
    let o = minplan(&db, &["plan", "import", bundle.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("2024-07-01 起施行"), "{}", text(&o));

    let o = minplan(&db, &["plan", "history"]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("规划单元：县级 绥芬河市（231081）"), "{out}");
    assert!(out.contains("第 1 版") && out.contains("第 2 版"), "{out}");
    assert!(out.contains("类型：未载明"), "{out}");
    assert!(out.contains("类型：修改"), "{out}");
    assert!(out.contains("牡政函〔2024〕31号"), "{out}");
    assert!(out.contains("施行日期：2024-07-01"), "{out}");
    assert!(
        out.contains("规划区块 调整 231081-K03") && out.contains("名称 第三个勘查规划区块"),
        "{out}"
    );

    let o = minplan(&db, &["plan", "diff", "1", "2"]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("1 处变化"), "{out}");
    assert!(out.contains("规划区块 调整 231081-K03"), "{out}");

    let o = minplan(&db, &["plan", "list"]);
    let out = text(&o);
    assert!(out.contains("修改") && out.contains("未载明"), "{out}");
}
