//! `[version]`: which version of the plan the bundle is — the original approval (批准) or a
//! mid-term amendment (修改) — with the approving document (title, 文号, issuer), the
//! approval and effective dates, and the changes an amendment states. Absent: the bundle
//! does not say (未载明); the plan is then in force from the start of its period.

use super::BundleErrorKind;
use super::context::Ctx;
use super::raw::*;
use crate::date::Date;
use crate::plan::*;

impl Ctx<'_> {
    /// `[version]`, when the bundle has one; `None` (and errors recorded) when it is wrong.
    pub(super) fn version(
        &mut self,
        raw: &S<RawVersion>,
        identity: Option<&PlanIdentity>,
    ) -> Option<PlanVersion> {
        let r = raw.get_ref();
        let kind = self.enum_value(
            &r.kind,
            "version.kind",
            &VersionKind::LABELS.join("、"),
            VersionKind::parse,
        );
        let b = r.basis.get_ref();
        let mut text = |s: &S<String>, field: &str, what: &str| {
            let t = s.get_ref().trim().to_string();
            if t.is_empty() {
                self.err_at(
                    BundleErrorKind::MissingValue,
                    s.span(),
                    field,
                    format!("缺少{what}"),
                );
            }
            t
        };
        let basis = VersionBasis {
            title: text(&b.title, "version.basis.title", "批准文件名称"),
            number: text(&b.number, "version.basis.number", "批准文号"),
            issuer: text(&b.issuer, "version.basis.issuer", "批准机关"),
        };
        let approved = self.version_date(&r.approved, "version.approved");
        let effective = self.version_date(&r.effective, "version.effective");
        if let (Some(a), Some(e)) = (approved, effective)
            && e < a
        {
            self.err_at(
                BundleErrorKind::BadValue,
                r.effective.span(),
                "version.effective",
                format!("施行日期 {e} 早于批准日期 {a}"),
            );
        }
        if let (Some(id), Some(e)) = (identity, effective)
            && e.year() > id.period_end
        {
            self.err_at(
                BundleErrorKind::BadValue,
                r.effective.span(),
                "version.effective",
                format!(
                    "施行日期 {e} 在规划期（{}～{}年）之后",
                    id.period_start, id.period_end
                ),
            );
        }
        let mut changes = Vec::new();
        for (i, c) in r.changes.iter().enumerate() {
            let field = format!("version.changes[{i}]");
            let c = c.get_ref();
            let part = self.enum_value(
                &c.part,
                &format!("{field}.part"),
                &ChangePart::LABELS.join("、"),
                ChangePart::parse,
            );
            let action = self.enum_value(
                &c.action,
                &format!("{field}.action"),
                &ChangeAction::LABELS.join("、"),
                ChangeAction::parse,
            );
            let item = c.number.get_ref().trim().to_string();
            if item.is_empty() {
                self.err_at(
                    BundleErrorKind::MissingValue,
                    c.number.span(),
                    &format!("{field}.number"),
                    "缺少修改对象（区块编号、指标键或矿种）",
                );
            }
            if let (Some(part), Some(action)) = (part, action) {
                changes.push(StatedChange { part, action, item });
            }
        }
        if kind == Some(VersionKind::Approval) && !r.changes.is_empty() {
            self.err_at(
                BundleErrorKind::BadValue,
                raw.span(),
                "version.changes",
                "批准版本不列修改内容（changes 只用于 kind = \"修改\"）",
            );
        }
        Some(PlanVersion {
            kind: kind?,
            basis,
            approved: approved?,
            effective: effective?,
            changes,
        })
    }

    fn version_date(&mut self, s: &S<String>, field: &str) -> Option<Date> {
        match Date::parse(s.get_ref()) {
            Ok(d) => Some(d),
            Err(e) => {
                self.err_at(
                    BundleErrorKind::BadValue,
                    s.span(),
                    field,
                    format!("日期应写作 YYYY-MM-DD：{e}"),
                );
                None
            }
        }
    }
}
