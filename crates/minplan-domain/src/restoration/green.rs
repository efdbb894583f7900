//! 绿色矿山 (《规划》六（一）: new mines are built to the green-mine standard; for 砂石
//! DZ/T 0316-2018《砂石行业绿色矿山建设规范》, chapters 5 矿区环境, 6 资源开发方式, 7 资源综合利用,
//! 8 节能减排, 9 科技创新与数字化矿山, 10 企业管理与企业形象).
//!
//! * The checklist as data ([`Checklist`]): chapters → items, each with its text, the evidence it
//!   needs, its full score and whether it is 必备; the pass rule ([`PassRule`]) is part of the
//!   file, not of the code. The file is TOML (`minplan-green-checklist/1`) that the bureau edits
//!   and uploads; [`Checklist::parse`] returns every problem at once with its line and field.
//!   The standard's full text is not available here: the repository ships the chapter
//!   structure ([`DZT_0316_2018_CHAPTERS`]) and an example item set ([`EXAMPLE_CHECKLIST`])
//!   flagged `example = true`, which every page and document that uses it shows as 示例.
//! * The company's self-assessment ([`SelfAnswer`] per item with a note and evidence files) and
//!   its completeness on submission ([`check_submission`]).
//! * The bureau's evaluation ([`evaluate`]): a score per item with a note, the total and the
//!   outcome (达标 / 不达标) with its reasons, by the file's pass rule.
//! * The 绿色矿山名录 ([`GreenListing`]: 县级 / 省级 / 国家级, date in, 文号, date out) and the
//!   figures on a date ([`green_figures`]).
//! * New mines' green-mine commitment (R14, the application's `green_mine_commitment`) tracked to
//!   a result ([`CommitmentResult`], [`commitment_result`]).
//!
//! Pure: values in, values out; dates are passed in.

use super::figures::{GreenFigures, Reading};
use crate::date::Date;
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// The format line of a checklist file.
pub const CHECKLIST_FORMAT: &str = "minplan-green-checklist/1";

/// The chapters of DZ/T 0316-2018 that carry requirements (number, title): 5 矿区环境,
/// 6 资源开发方式, 7 资源综合利用, 8 节能减排, 9 科技创新与数字化矿山, 10 企业管理与企业形象
/// (the standard's table of contents; chapters 1–4 are scope, references, terms and general
/// requirements).
pub const DZT_0316_2018_CHAPTERS: [(&str, &str); 6] = [
    ("5", "矿区环境"),
    ("6", "资源开发方式"),
    ("7", "资源综合利用"),
    ("8", "节能减排"),
    ("9", "科技创新与数字化矿山"),
    ("10", "企业管理与企业形象"),
];

/// The checklist shipped with the repository (`crates/minplan-domain/data/
/// green-checklist-example.toml`): the chapter structure of DZ/T 0316-2018 with an EXAMPLE item
/// set (12 items, 100 points, 达标 at 80 with every 必备 item at full score), flagged
/// `example = true`. Not the standard's text.
pub const EXAMPLE_CHECKLIST: &str = include_str!("../../data/green-checklist-example.toml");

/// The words shown wherever an example checklist is used.
pub const EXAMPLE_FLAG: &str = "示例：本清单条目为示例，不是 DZ/T 0316-2018 原文";

/// A problem of a checklist file, an assessment or a 名录 entry: where (line of the file, when
/// it is one), which field, and the Chinese message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GreenProblem {
    /// Line of the checklist file (1-based), when the problem is in one.
    pub line: Option<usize>,
    /// Field (`items[3].score`, `pass_rule.min_total`, `document_number`, `item.5-1`, …).
    pub field: String,
    /// Message.
    pub message: String,
}

impl GreenProblem {
    fn new(field: impl Into<String>, message: impl Into<String>) -> GreenProblem {
        GreenProblem {
            line: None,
            field: field.into(),
            message: message.into(),
        }
    }

    fn at(line: usize, field: impl Into<String>, message: impl Into<String>) -> GreenProblem {
        GreenProblem {
            line: Some(line),
            field: field.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for GreenProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "第 {l} 行 {}：{}", self.field, self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// The pass rule of a checklist (part of the file): 达标 when the total is at least
/// `min_total` and, when `required_all_met`, every 必备 item has its full score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PassRule {
    /// 达标总分下限 (inclusive), points.
    pub min_total: f64,
    /// Every 必备 item must get its full score.
    pub required_all_met: bool,
}

/// One item of the checklist.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChecklistItem {
    /// Code, unique in the file (`5-1`).
    pub code: String,
    /// The requirement.
    pub text: String,
    /// The evidence it needs (证明材料).
    pub evidence: String,
    /// Full score, points (> 0).
    pub score: f64,
    /// 必备 item.
    pub required: bool,
}

/// One chapter with its items, in file order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chapter {
    /// Chapter number (`5`).
    pub number: String,
    /// Title (`矿区环境`).
    pub title: String,
    /// Its items.
    pub items: Vec<ChecklistItem>,
}

/// A checklist as read from its file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Checklist {
    /// The standard it follows (`DZ/T 0316-2018 砂石行业绿色矿山建设规范`).
    pub standard: String,
    /// Title.
    pub title: String,
    /// The items are examples (示例), not the standard's text.
    pub example: bool,
    /// The pass rule.
    pub pass_rule: PassRule,
    /// Chapters in file order.
    pub chapters: Vec<Chapter>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChecklist {
    format: Option<Spanned<String>>,
    standard: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    example: Option<Spanned<bool>>,
    pass_rule: Option<Spanned<RawPassRule>>,
    #[serde(default)]
    chapters: Vec<Spanned<RawChapter>>,
    #[serde(default)]
    items: Vec<Spanned<RawItem>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPassRule {
    min_total: Option<Spanned<f64>>,
    required_all_met: Option<Spanned<bool>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChapter {
    number: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    code: Option<Spanned<String>>,
    chapter: Option<Spanned<String>>,
    text: Option<Spanned<String>>,
    evidence: Option<Spanned<String>>,
    score: Option<Spanned<f64>>,
    #[serde(default)]
    required: bool,
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn text_of(
    p: &mut Vec<GreenProblem>,
    src: &str,
    v: &Option<Spanned<String>>,
    at: usize,
    field: &str,
    what: &str,
) -> String {
    match v {
        Some(s) if !s.get_ref().trim().is_empty() => s.get_ref().trim().to_string(),
        Some(s) => {
            p.push(GreenProblem::at(
                line_of(src, s.span().start),
                field,
                format!("{what}不能为空"),
            ));
            String::new()
        }
        None => {
            p.push(GreenProblem::at(at, field, format!("缺少{what}")));
            String::new()
        }
    }
}

impl Checklist {
    /// Reads a checklist file (TOML, format [`CHECKLIST_FORMAT`]).
    ///
    /// # Errors
    /// Every problem at once, each with its line and field: TOML that does not read (one
    /// problem at the parser's line), an unknown or missing field, a blank text, a duplicate
    /// item code or chapter number, an item of an unknown chapter, a chapter without items, a
    /// score not above 0, a pass threshold above the full total or not above 0.
    pub fn parse(text: &str) -> Result<Checklist, Vec<GreenProblem>> {
        let raw: RawChecklist = match toml::from_str(text) {
            Ok(r) => r,
            Err(e) => {
                let line = e.span().map_or(1, |s| line_of(text, s.start));
                return Err(vec![GreenProblem::at(
                    line,
                    "file",
                    format!("清单文件无法读取：{}", e.message()),
                )]);
            }
        };
        let mut p = Vec::new();
        let ln = |s: &std::ops::Range<usize>| line_of(text, s.start);
        match &raw.format {
            Some(f) if f.get_ref() == CHECKLIST_FORMAT => {}
            Some(f) => {
                let line = ln(&f.span());
                let msg = format!("格式应为“{CHECKLIST_FORMAT}”，文件写的是“{}”", f.get_ref());
                p.push(GreenProblem::at(line, "format", msg));
            }
            None => p.push(GreenProblem::at(
                1,
                "format",
                format!("缺少 format = \"{CHECKLIST_FORMAT}\""),
            )),
        }
        let standard = text_of(
            &mut p,
            text,
            &raw.standard,
            1,
            "standard",
            "所依据的标准（standard）",
        );
        let title = text_of(&mut p, text, &raw.title, 1, "title", "清单名称（title）");
        let example = match &raw.example {
            Some(e) => *e.get_ref(),
            None => {
                p.push(GreenProblem::at(
                    1,
                    "example",
                    "请写明 example = true（条目为示例）或 example = false（条目取自正式评价细则）",
                ));
                false
            }
        };
        let mut chapters: Vec<Chapter> = Vec::new();
        let mut chapter_lines = Vec::new();
        for (i, c) in raw.chapters.iter().enumerate() {
            let at = ln(&c.span());
            let number = text_of(
                &mut p,
                text,
                &c.get_ref().number,
                at,
                &format!("chapters[{}].number", i + 1),
                "章号",
            );
            let ctitle = text_of(
                &mut p,
                text,
                &c.get_ref().title,
                at,
                &format!("chapters[{}].title", i + 1),
                "章名",
            );
            if !number.is_empty() && chapters.iter().any(|x| x.number == number) {
                p.push(GreenProblem::at(
                    at,
                    format!("chapters[{}].number", i + 1),
                    format!("章号“{number}”重复"),
                ));
                continue;
            }
            chapters.push(Chapter {
                number,
                title: ctitle,
                items: vec![],
            });
            chapter_lines.push(at);
        }
        if raw.chapters.is_empty() {
            p.push(GreenProblem::at(
                1,
                "chapters",
                "清单没有章（[[chapters]]）",
            ));
        }
        let mut codes: Vec<String> = Vec::new();
        for (i, it) in raw.items.iter().enumerate() {
            let at = ln(&it.span());
            let f = |name: &str| format!("items[{}].{name}", i + 1);
            let r = it.get_ref();
            let code = text_of(&mut p, text, &r.code, at, &f("code"), "条目编号");
            let chapter = text_of(&mut p, text, &r.chapter, at, &f("chapter"), "所属章号");
            let itext = text_of(&mut p, text, &r.text, at, &f("text"), "条目内容");
            let evidence = text_of(
                &mut p,
                text,
                &r.evidence,
                at,
                &f("evidence"),
                "所需证明材料",
            );
            let score = match &r.score {
                Some(s) if s.get_ref().is_finite() && *s.get_ref() > 0.0 => *s.get_ref(),
                Some(s) => {
                    p.push(GreenProblem::at(
                        ln(&s.span()),
                        f("score"),
                        format!("分值应大于 0，文件写的是 {}", s.get_ref()),
                    ));
                    0.0
                }
                None => {
                    p.push(GreenProblem::at(at, f("score"), "缺少分值（score）"));
                    0.0
                }
            };
            if !code.is_empty() {
                if codes.contains(&code) {
                    p.push(GreenProblem::at(
                        at,
                        f("code"),
                        format!("条目编号“{code}”重复"),
                    ));
                }
                codes.push(code.clone());
            }
            let item = ChecklistItem {
                code,
                text: itext,
                evidence,
                score,
                required: r.required,
            };
            match chapters.iter_mut().find(|c| c.number == chapter) {
                Some(c) => c.items.push(item),
                None if chapter.is_empty() => {}
                None => p.push(GreenProblem::at(
                    at,
                    f("chapter"),
                    format!("没有章号为“{chapter}”的章（先在 [[chapters]] 中列出）"),
                )),
            }
        }
        for (c, at) in chapters.iter().zip(&chapter_lines) {
            if c.items.is_empty() && !c.number.is_empty() {
                p.push(GreenProblem::at(
                    *at,
                    "chapters",
                    format!("第 {} 章“{}”没有条目", c.number, c.title),
                ));
            }
        }
        let full: f64 = chapters
            .iter()
            .flat_map(|c| &c.items)
            .map(|i| i.score)
            .sum();
        let pass_rule = match &raw.pass_rule {
            None => {
                p.push(GreenProblem::at(
                    1,
                    "pass_rule",
                    "缺少达标规则 [pass_rule]（min_total、required_all_met）",
                ));
                PassRule {
                    min_total: 0.0,
                    required_all_met: false,
                }
            }
            Some(r) => {
                let at = ln(&r.span());
                let min_total = match &r.get_ref().min_total {
                    Some(m) if *m.get_ref() > 0.0 && *m.get_ref() <= full => *m.get_ref(),
                    Some(m) if *m.get_ref() > full => {
                        p.push(GreenProblem::at(
                            ln(&m.span()),
                            "pass_rule.min_total",
                            format!(
                                "达标总分 {} 高于各条目满分之和 {}",
                                fmt_points(*m.get_ref()),
                                fmt_points(full)
                            ),
                        ));
                        0.0
                    }
                    Some(m) => {
                        p.push(GreenProblem::at(
                            ln(&m.span()),
                            "pass_rule.min_total",
                            "达标总分应大于 0",
                        ));
                        0.0
                    }
                    None => {
                        p.push(GreenProblem::at(
                            at,
                            "pass_rule.min_total",
                            "缺少达标总分（min_total）",
                        ));
                        0.0
                    }
                };
                let required_all_met = match &r.get_ref().required_all_met {
                    Some(b) => *b.get_ref(),
                    None => {
                        p.push(GreenProblem::at(
                            at,
                            "pass_rule.required_all_met",
                            "请写明必备条目是否须全部得满分（required_all_met = true / false）",
                        ));
                        false
                    }
                };
                PassRule {
                    min_total,
                    required_all_met,
                }
            }
        };
        if p.is_empty() {
            Ok(Checklist {
                standard,
                title,
                example,
                pass_rule,
                chapters,
            })
        } else {
            p.sort_by_key(|x| x.line);
            Err(p)
        }
    }

    /// The shipped example ([`EXAMPLE_CHECKLIST`]).
    pub fn example() -> Checklist {
        Checklist::parse(EXAMPLE_CHECKLIST).expect("the shipped example checklist reads")
    }

    /// Every item, chapter by chapter.
    pub fn items(&self) -> impl Iterator<Item = &ChecklistItem> {
        self.chapters.iter().flat_map(|c| c.items.iter())
    }

    /// The item with `code`.
    pub fn item(&self, code: &str) -> Option<&ChecklistItem> {
        self.items().find(|i| i.code == code)
    }

    /// The sum of the items' full scores, points.
    pub fn full_total(&self) -> f64 {
        self.items().map(|i| i.score).sum()
    }
}

/// A score as people write it: `80`, `7.5`.
pub fn fmt_points(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{}", (v * 100.0).round() / 100.0)
    }
}

/// The company's answer for one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SelfAnswer {
    /// 符合.
    Met,
    /// 部分符合.
    Partly,
    /// 不符合.
    NotMet,
}

impl SelfAnswer {
    /// Every answer, in the order forms offer them.
    pub const ALL: [SelfAnswer; 3] = [SelfAnswer::Met, SelfAnswer::Partly, SelfAnswer::NotMet];

    /// The stored code: `met`, `partly`, `not_met`.
    pub fn code(&self) -> &'static str {
        match self {
            SelfAnswer::Met => "met",
            SelfAnswer::Partly => "partly",
            SelfAnswer::NotMet => "not_met",
        }
    }

    /// The answer of a stored code.
    pub fn parse(code: &str) -> Option<SelfAnswer> {
        SelfAnswer::ALL.into_iter().find(|a| a.code() == code)
    }

    /// Chinese name.
    pub fn label(&self) -> &'static str {
        match self {
            SelfAnswer::Met => "符合",
            SelfAnswer::Partly => "部分符合",
            SelfAnswer::NotMet => "不符合",
        }
    }
}

/// The company's answer for one item as it stands: answer (none yet), note, evidence files.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SelfItem {
    /// Item code.
    pub code: String,
    /// The answer, when given.
    pub answer: Option<SelfAnswer>,
    /// Note.
    pub note: String,
    /// Evidence files attached to the item.
    pub evidence_files: usize,
}

/// Whether a self-assessment may be submitted: every item of `checklist` answered, and every
/// item answered 符合 or 部分符合 backed by at least one evidence file (the item's `evidence`
/// names what; the files follow the one attachment rule, module `attachment`).
///
/// # Errors
/// One problem per item (field `item.<code>`): not answered, or claimed without evidence.
pub fn check_submission(
    checklist: &Checklist,
    items: &[SelfItem],
) -> Result<(), Vec<GreenProblem>> {
    let mut p = Vec::new();
    for it in checklist.items() {
        let field = format!("item.{}", it.code);
        match items.iter().find(|s| s.code == it.code) {
            Some(SelfItem {
                answer: Some(a), ..
            }) if *a != SelfAnswer::NotMet
                && items
                    .iter()
                    .find(|s| s.code == it.code)
                    .is_some_and(|s| s.evidence_files == 0) =>
            {
                p.push(GreenProblem::new(
                    field,
                    format!(
                        "条目 {}“{}”自评为{}，请上传证明材料（{}）",
                        it.code,
                        it.text,
                        a.label(),
                        it.evidence
                    ),
                ));
            }
            Some(SelfItem {
                answer: Some(_), ..
            }) => {}
            _ => p.push(GreenProblem::new(
                field,
                format!("条目 {}“{}”尚未自评", it.code, it.text),
            )),
        }
    }
    if p.is_empty() { Ok(()) } else { Err(p) }
}

/// The bureau's score for one item, with its note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemScore {
    /// Item code.
    pub code: String,
    /// Score given, points (0 ≤ score ≤ the item's full score).
    pub score: f64,
    /// Note.
    pub note: String,
}

/// 达标 or 不达标.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 达标.
    Pass,
    /// 不达标.
    Fail,
}

impl Outcome {
    /// The stored code: `pass`, `fail`.
    pub fn code(&self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
        }
    }

    /// The outcome of a stored code.
    pub fn parse(code: &str) -> Option<Outcome> {
        match code {
            "pass" => Some(Outcome::Pass),
            "fail" => Some(Outcome::Fail),
            _ => None,
        }
    }

    /// Chinese name: 达标, 不达标.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Pass => "达标",
            Outcome::Fail => "不达标",
        }
    }
}

/// The bureau's evaluation: the scores, total, outcome and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// The scores, in checklist order.
    pub scores: Vec<ItemScore>,
    /// Total, points.
    pub total: f64,
    /// Full total of the checklist, points.
    pub full_total: f64,
    /// Outcome by the checklist's pass rule.
    pub outcome: Outcome,
    /// Why (Chinese sentences: the total against the threshold, each 必备 item short of its
    /// full score).
    pub reasons: Vec<String>,
}

/// Scores a self-assessment by `checklist`'s items and pass rule.
///
/// # Errors
/// One problem per item (field `item.<code>`): not scored, scored twice, a score below 0 or
/// above the item's full score or not a number; one per code not in the checklist.
pub fn evaluate(
    checklist: &Checklist,
    scores: &[ItemScore],
) -> Result<Evaluation, Vec<GreenProblem>> {
    let mut p = Vec::new();
    for s in scores {
        if checklist.item(&s.code).is_none() {
            p.push(GreenProblem::new(
                format!("item.{}", s.code),
                format!("清单中没有条目“{}”", s.code),
            ));
        }
    }
    let mut ordered = Vec::new();
    let mut reasons_required = Vec::new();
    for it in checklist.items() {
        let field = format!("item.{}", it.code);
        let given: Vec<&ItemScore> = scores.iter().filter(|s| s.code == it.code).collect();
        match given.as_slice() {
            [] => p.push(GreenProblem::new(
                field,
                format!("条目 {}“{}”尚未评分", it.code, it.text),
            )),
            [s] if !s.score.is_finite() || s.score < 0.0 || s.score > it.score + 1e-9 => {
                p.push(GreenProblem::new(
                    field,
                    format!(
                        "条目 {} 的得分应在 0 到 {} 分之间",
                        it.code,
                        fmt_points(it.score)
                    ),
                ))
            }
            [s] => {
                if it.required && s.score + 1e-9 < it.score {
                    reasons_required.push(format!(
                        "必备条目 {}“{}”未得满分（得 {} 分，满分 {} 分）",
                        it.code,
                        it.text,
                        fmt_points(s.score),
                        fmt_points(it.score)
                    ));
                }
                ordered.push((*s).clone());
            }
            _ => p.push(GreenProblem::new(
                field,
                format!("条目 {} 评了不止一次", it.code),
            )),
        }
    }
    if !p.is_empty() {
        return Err(p);
    }
    let total: f64 = ordered.iter().map(|s| s.score).sum();
    let rule = &checklist.pass_rule;
    let total_ok = total + 1e-9 >= rule.min_total;
    let required_ok = !rule.required_all_met || reasons_required.is_empty();
    let mut reasons = Vec::new();
    if total_ok {
        reasons.push(format!(
            "总分 {} 分，不低于达标线 {} 分",
            fmt_points(total),
            fmt_points(rule.min_total)
        ));
    } else {
        reasons.push(format!(
            "总分 {} 分，低于达标线 {} 分",
            fmt_points(total),
            fmt_points(rule.min_total)
        ));
    }
    if rule.required_all_met {
        if reasons_required.is_empty() {
            reasons.push("必备条目均得满分".into());
        } else {
            reasons.extend(reasons_required);
        }
    }
    Ok(Evaluation {
        scores: ordered,
        total,
        full_total: checklist.full_total(),
        outcome: if total_ok && required_ok {
            Outcome::Pass
        } else {
            Outcome::Fail
        },
        reasons,
    })
}

/// The level of a 绿色矿山名录.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GreenLevel {
    /// 县级.
    County,
    /// 省级.
    Provincial,
    /// 国家级.
    National,
}

impl GreenLevel {
    /// Every level, in the order shown: 县级, 省级, 国家级.
    pub const ALL: [GreenLevel; 3] = [
        GreenLevel::County,
        GreenLevel::Provincial,
        GreenLevel::National,
    ];

    /// The stored code: `county`, `provincial`, `national`.
    pub fn code(&self) -> &'static str {
        match self {
            GreenLevel::County => "county",
            GreenLevel::Provincial => "provincial",
            GreenLevel::National => "national",
        }
    }

    /// The level of a stored code or of its Chinese name.
    pub fn parse(s: &str) -> Option<GreenLevel> {
        GreenLevel::ALL
            .into_iter()
            .find(|l| l.code() == s || l.label() == s)
    }

    /// Chinese name: 县级, 省级, 国家级.
    pub fn label(&self) -> &'static str {
        match self {
            GreenLevel::County => "县级",
            GreenLevel::Provincial => "省级",
            GreenLevel::National => "国家级",
        }
    }
}

/// A mine's entry in the 绿色矿山名录.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GreenListing {
    /// The mine (the register's mine id).
    pub mine_id: i64,
    /// Level.
    pub level: GreenLevel,
    /// 入库日期 (on the list from this day).
    pub date_in: Date,
    /// 文号 of the decision.
    pub document_number: String,
    /// 移出日期 (off the list from this day), when removed.
    pub date_out: Option<Date>,
}

impl GreenListing {
    /// Whether the entry is in force on `d`: `date_in ≤ d` and, when removed, `d < date_out`.
    pub fn on(&self, d: Date) -> bool {
        self.date_in <= d && self.date_out.is_none_or(|o| d < o)
    }
}

/// Checks a 名录 entry before it is written.
///
/// # Errors
/// Field `document_number` when the 文号 is blank or longer than 100 characters; `date_out`
/// when it is not after `date_in`.
pub fn check_listing(l: &GreenListing) -> Result<(), Vec<GreenProblem>> {
    let mut p = Vec::new();
    if l.document_number.trim().is_empty() {
        p.push(GreenProblem::new("document_number", "请填写入库文号"));
    } else if l.document_number.chars().count() > 100 {
        p.push(GreenProblem::new("document_number", "文号不超过 100 个字"));
    }
    if let Some(o) = l.date_out
        && o <= l.date_in
    {
        p.push(GreenProblem::new(
            "date_out",
            format!(
                "移出日期 {} 应晚于入库日期 {}",
                o.chinese(),
                l.date_in.chinese()
            ),
        ));
    }
    if p.is_empty() { Ok(()) } else { Err(p) }
}

/// 绿色矿山 figures on `on` (《规划》六（一））: `producing` are the producing mines' ids on the
/// date (the caller decides which mines produce), `listings` every 名录 entry ever recorded.
/// `by_level` counts the entries in force on the date per level; `green_mines` the producing
/// mines with an entry in force; `share_pct` their share, %. With no 名录 entry recorded at all
/// the counts and the share are 无数据 (the 名录 not kept yet is not 0 %); with no producing mine
/// the share is 无法判定 (neither 0 nor 100 %).
pub fn green_figures(producing: &[i64], listings: &[GreenListing], on: Date) -> GreenFigures {
    let in_force: Vec<&GreenListing> = listings.iter().filter(|l| l.on(on)).collect();
    let by_level = GreenLevel::ALL
        .iter()
        .map(|lv| {
            (
                lv.label().to_string(),
                in_force.iter().filter(|l| l.level == *lv).count() as u32,
            )
        })
        .collect();
    let n = producing.len() as u32;
    if listings.is_empty() {
        return GreenFigures {
            producing_mines: n,
            green_mines: Reading::Missing("无数据：尚未录入绿色矿山名录".into()),
            by_level,
            share_pct: Reading::Missing("无数据：尚未录入绿色矿山名录".into()),
        };
    }
    let green = producing
        .iter()
        .filter(|m| in_force.iter().any(|l| l.mine_id == **m))
        .count() as u32;
    GreenFigures {
        producing_mines: n,
        green_mines: Reading::Value(green),
        by_level,
        share_pct: if n == 0 {
            Reading::Missing(format!("无法判定：{} 无生产矿山", on.chinese()))
        } else {
            Reading::Value(green as f64 / n as f64 * 100.0)
        },
    }
}

/// Where an assessment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentStatus {
    /// 自评中 (the company is filling it in).
    Draft,
    /// 已提交，评估中.
    Submitted,
    /// 已评估 (with the outcome).
    Evaluated(Outcome),
}

impl AssessmentStatus {
    /// Chinese words: 自评中, 评估中, 已评估：达标 / 已评估：不达标.
    pub fn label(&self) -> String {
        match self {
            AssessmentStatus::Draft => "自评中".into(),
            AssessmentStatus::Submitted => "评估中".into(),
            AssessmentStatus::Evaluated(o) => format!("已评估：{}", o.label()),
        }
    }
}

/// Where a committed mine stands (R14's green-mine commitment tracked to a result).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitmentResult {
    /// 未自评: no assessment started.
    NotAssessed,
    /// 自评中: the latest assessment is a draft.
    SelfAssessing,
    /// 评估中: submitted, or evaluated 达标 and awaiting the 名录 decision.
    Evaluating,
    /// 已入名录 on the date (any level).
    Listed,
    /// 未达标: the latest evaluation is 不达标.
    Failed,
}

impl CommitmentResult {
    /// Chinese name.
    pub fn label(&self) -> &'static str {
        match self {
            CommitmentResult::NotAssessed => "未自评",
            CommitmentResult::SelfAssessing => "自评中",
            CommitmentResult::Evaluating => "评估中",
            CommitmentResult::Listed => "已入名录",
            CommitmentResult::Failed => "未达标",
        }
    }
}

/// The result of a committed mine: 已入名录 when `listed`, else by its latest assessment
/// (`latest`, none when it has not started one).
pub fn commitment_result(latest: Option<AssessmentStatus>, listed: bool) -> CommitmentResult {
    if listed {
        return CommitmentResult::Listed;
    }
    match latest {
        None => CommitmentResult::NotAssessed,
        Some(AssessmentStatus::Draft) => CommitmentResult::SelfAssessing,
        Some(AssessmentStatus::Submitted) | Some(AssessmentStatus::Evaluated(Outcome::Pass)) => {
            CommitmentResult::Evaluating
        }
        Some(AssessmentStatus::Evaluated(Outcome::Fail)) => CommitmentResult::Failed,
    }
}

#[cfg(test)]
mod tests;
