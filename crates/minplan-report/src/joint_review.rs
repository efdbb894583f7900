//! 联合审查意见 (the joint review's result) as a Word document: the application, the
//! departments' opinions in a table, the conditions carried (附条件同意), the 现场踏查, an
//! adjusted extent with its re-review, the government's 同意, then the bureau's signature
//! block ([`crate::official`]; dates as people write them, Beijing). Renders only: every
//! figure comes from [`JointReview`].

use crate::ReportError;
use crate::docx::elements::{header_row, heading, para, table, text_cell};
use crate::docx::official::{Issuer, summary_table};
use crate::evaluation::{TEXT_W, document, finish};
use crate::text::chinese_date;
use docx_rs::{AlignmentType, TableRow};
use minplan_domain::register::joint_review::{JointReview, completion};

/// What the document says of the application besides the joint review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JointReviewSubject {
    /// 申请编号.
    pub number: String,
    /// 项目名称.
    pub project_name: String,
    /// 申请人.
    pub holder_name: String,
    /// 矿业权类型 (探矿权 / 采矿权).
    pub right_kind: String,
    /// 矿种, as listed.
    pub minerals: String,
}

/// The 联合审查意见. `issuer`: the bureau, 文号, signature lines, seal caption and date of
/// issue (the bureau's settings). A joint review not yet complete is written too, with what is
/// missing under 五、结论 (the bureau may print it for the meeting).
///
/// # Errors
/// [`ReportError::Docx`].
pub fn joint_review_docx(
    jr: &JointReview,
    subject: &JointReviewSubject,
    issuer: &Issuer,
) -> Result<Vec<u8>, ReportError> {
    let mut doc = document("联合审查意见")
        .add_paragraph(crate::docx::official::issuer_line(issuer))
        .add_paragraph(heading("一、项目基本情况"))
        .add_table(summary_table(
            &[
                ("申请编号", subject.number.clone()),
                ("项目名称", subject.project_name.clone()),
                ("申请人", subject.holder_name.clone()),
                ("矿业权类型", subject.right_kind.clone()),
                ("矿种", subject.minerals.clone()),
                ("启动联合审查", chinese_date(&jr.started_on.to_string())),
            ],
            TEXT_W,
        ))
        .add_paragraph(para(
            "依据《规划》四（三）3（1），拟出让矿业权项目由人民政府组织有关部门联合审查，共同会商，经现场踏查依法依规据实划定开采范围。",
        ))
        .add_paragraph(heading("二、部门意见"));
    let widths = [1800, 1500, 1700, TEXT_W - 5000];
    let mut rows = vec![header_row(&["部门", "意见", "日期", "条件或理由"], &widths)];
    for d in &jr.departments {
        let (opinion, date, text) = match &d.answer {
            Some(a) => (
                a.opinion.label().to_string(),
                chinese_date(&a.date.to_string()),
                a.conditions.clone().unwrap_or_default(),
            ),
            None => ("未回复".to_string(), "—".to_string(), String::new()),
        };
        rows.push(TableRow::new(vec![
            text_cell(&d.name, widths[0], AlignmentType::Center),
            text_cell(&opinion, widths[1], AlignmentType::Center),
            text_cell(&date, widths[2], AlignmentType::Center),
            text_cell(&text, widths[3], AlignmentType::Left),
        ]));
    }
    doc = doc.add_table(table(&widths, rows));
    doc = doc.add_paragraph(heading("三、现场踏查"));
    match &jr.site_visit {
        Some(v) => {
            doc = doc
                .add_paragraph(para(format!(
                    "踏查日期：{}。参加人员：{}。",
                    chinese_date(&v.date.to_string()),
                    v.people
                )))
                .add_paragraph(para(format!("踏查情况：{}", v.findings)));
            if !v.photos.is_empty() {
                doc = doc.add_paragraph(para(format!("现场照片 {} 张（存档）。", v.photos.len())));
            }
        }
        None => doc = doc.add_paragraph(para("未记录现场踏查。")),
    }
    match (&jr.adjusted, &jr.rereview) {
        (Some(a), r) => {
            let re = match r {
                Some(r) if r.review_id > a.base_review_id && r.same_extent => format!(
                    "调整后的范围已重新进行规划符合性审查（审查记录第 {} 号），结论为{}。",
                    r.review_id,
                    r.conclusion.label()
                ),
                _ => "调整后的范围尚未重新进行规划符合性审查。".to_string(),
            };
            doc = doc.add_paragraph(para(format!(
                "经踏查，开采范围于{}调整（调整后的拐点坐标存档）。{re}",
                chinese_date(&a.date.to_string())
            )));
        }
        (None, _) => {
            if jr.site_visit.is_some() {
                doc = doc.add_paragraph(para("经踏查，开采范围与申请一致，未作调整。"));
            }
        }
    }
    doc = doc.add_paragraph(heading("四、人民政府意见"));
    doc = doc.add_paragraph(para(match &jr.consent {
        Some(c) => format!(
            "人民政府于{}同意（{}）。",
            chinese_date(&c.date.to_string()),
            c.document_number
        ),
        None => "尚未取得人民政府同意。".to_string(),
    }));
    doc = doc.add_paragraph(heading("五、结论"));
    match completion(jr) {
        Ok(done) => {
            doc = doc.add_paragraph(para(
                "联合审查已完成：各部门均已回复且无不同意意见，已现场踏查，已经人民政府同意，可依法办理出让。",
            ));
            if done.conditions.is_empty() {
                doc = doc.add_paragraph(para("各部门未附条件。"));
            } else {
                doc = doc.add_paragraph(para("出让及后续登记、开采中须落实以下条件："));
                for (i, (dep, c)) in done.conditions.iter().enumerate() {
                    doc = doc.add_paragraph(para(format!("{}．{dep}：{c}", i + 1)));
                }
            }
        }
        Err(missing) => {
            doc = doc.add_paragraph(para("联合审查尚未完成："));
            for (i, p) in missing.iter().enumerate() {
                doc = doc.add_paragraph(para(format!("{}．{}", i + 1, p.message)));
            }
        }
    }
    finish(doc, issuer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use minplan_domain::date::Date;
    use minplan_domain::register::joint_review::{
        Department, DepartmentAnswer, Opinion, SiteVisit,
    };
    use std::io::Read;

    fn document_xml(bytes: &[u8]) -> String {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        z.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        xml
    }

    /// An unfinished joint review is written with each department's standing and what is
    /// missing; the issuer's date as people write it.
    #[test]
    fn an_unfinished_review_names_what_is_missing() {
        let d = |s: &str| Date::parse(s).unwrap();
        let jr = JointReview {
            application: "SFH-2026-001".into(),
            started_on: d("2026-10-01"),
            departments: vec![
                Department {
                    name: "自然资源".into(),
                    answer: Some(DepartmentAnswer {
                        opinion: Opinion::Disagree,
                        conditions: Some("压覆生态保护红线".into()),
                        date: d("2026-10-08"),
                        attachment: None,
                    }),
                },
                Department {
                    name: "应急管理".into(),
                    answer: None,
                },
            ],
            site_visit: Some(SiteVisit {
                date: d("2026-10-10"),
                people: "张三".into(),
                findings: "现场与拐点一致".into(),
                photos: vec!["a.jpg".into()],
            }),
            adjusted: None,
            rereview: None,
            consent: None,
        };
        let subject = JointReviewSubject {
            number: "SFH-2026-001".into(),
            project_name: "庆发采石场".into(),
            holder_name: "绥芬河市庆发建材有限公司".into(),
            right_kind: "采矿权".into(),
            minerals: "建筑用凝灰岩".into(),
        };
        let mut issuer = Issuer::new("绥芬河市自然资源局");
        issuer.date = Some("2026-12-05T17:30:00Z".into());
        let xml = document_xml(&joint_review_docx(&jr, &subject, &issuer).unwrap());
        for want in [
            "庆发采石场",
            "2026年10月1日",
            "压覆生态保护红线",
            "未回复",
            "联合审查尚未完成：",
            "联合审查部门尚未回复意见：应急管理",
            "自然资源部门不同意：压覆生态保护红线",
            "尚未取得人民政府同意。",
            "现场照片 1 张（存档）。",
            "2026年12月6日",
            "绥芬河市自然资源局",
        ] {
            assert!(xml.contains(want), "{want}");
        }
    }
}
