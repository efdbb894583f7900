//! What a mining company (矿山企业) sees of its own review: the review as made, with other
//! holders' particulars taken out (docs/roles.md: a company sees its own records only). R3
//! (一个区块一个矿业权) and R12 (空间查重) name the rights and pending applications they meet —
//! licence numbers, mine names, holders, other applicants' application numbers and project
//! names. For the company each such party becomes `他人矿业权 k` or `他人在审申请 k`
//! (numbered in the order of the register snapshot), its names `（名称已隐去）` and
//! `（权利人已隐去）`; areas, percentages, the outcome and the conclusion stay as they are,
//! so the company learns that and how much its application overlaps, and with what kind of
//! right, not whose. Overlap geometry stays (it lies within the company's own application).
//!
//! The same [`Redaction`] is applied to the review as a value (the 审查意见书) and as stored
//! JSON (the page and the API), so the three cannot differ.

use crate::review::ConformityReview;
use crate::rights::{MiningRight, RightStatus};

/// Replacements of other parties' particulars, longest text first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Redaction {
    pairs: Vec<(String, String)>,
}

/// The name shown instead of another party's mine or project name.
pub const NAME_HIDDEN: &str = "（名称已隐去）";
/// The name shown instead of another party's holder name.
pub const HOLDER_HIDDEN: &str = "（权利人已隐去）";

impl Redaction {
    /// The redaction for the holder with 统一社会信用代码 `own_credit_code` viewing the review
    /// of its application `own_number`, made on the register snapshot `register`. Entries of
    /// the register held by that credit code, and the application itself, are the holder's
    /// own and stay; every other entry's id, name and holder name are replaced. Texts of
    /// fewer than two characters, and texts that occur in `own_texts` (the application's own
    /// number, project and holder names), are not replaced, so that the company's own words
    /// are never cut up.
    pub fn for_holder(
        register: &[MiningRight],
        own_credit_code: &str,
        own_number: &str,
        own_texts: &[&str],
    ) -> Redaction {
        let mut pairs = Vec::new();
        let mut rights = 0;
        let mut pending = 0;
        for r in register {
            let own = r.id == own_number
                || (!own_credit_code.is_empty()
                    && r.credit_code.as_deref() == Some(own_credit_code));
            if own {
                continue;
            }
            let id = if r.status == RightStatus::Pending {
                pending += 1;
                format!("他人在审申请 {pending}")
            } else {
                rights += 1;
                format!("他人矿业权 {rights}")
            };
            for (text, shown) in [
                (&r.id, id),
                (&r.name, NAME_HIDDEN.to_owned()),
                (&r.holder_name, HOLDER_HIDDEN.to_owned()),
            ] {
                let text = text.trim();
                if text.chars().count() >= 2 && !own_texts.iter().any(|o| o.contains(text)) {
                    pairs.push((text.to_owned(), shown));
                }
            }
        }
        // Longest first: a licence number that contains another is replaced whole.
        pairs.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        pairs.dedup_by(|a, b| a.0 == b.0);
        Redaction { pairs }
    }

    /// Whether nothing is replaced.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// `s` with every other party's particulars replaced.
    pub fn text(&self, s: &str) -> String {
        let mut out = s.to_owned();
        for (from, to) in &self.pairs {
            if out.contains(from.as_str()) {
                out = out.replace(from.as_str(), to);
            }
        }
        out
    }

    /// The review with every text of its rules (messages, evidence, conflicting parts) and
    /// notes redacted.
    pub fn review(&self, review: &mut ConformityReview) {
        if self.is_empty() {
            return;
        }
        for rule in &mut review.rules {
            rule.message = self.text(&rule.message);
            for e in &mut rule.evidence {
                e.label = self.text(&e.label);
                e.value = self.text(&e.value);
            }
            for c in &mut rule.conflicts {
                c.feature_id = self.text(&c.feature_id);
                c.feature_name = c.feature_name.as_deref().map(|n| self.text(n));
            }
        }
        for n in &mut review.notes {
            *n = self.text(n);
        }
    }

    /// The same redaction on a review stored as JSON (every string, keys kept).
    pub fn json(&self, v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) => {
                let t = self.text(s);
                if t != *s {
                    *s = t;
                }
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(|x| self.json(x)),
            serde_json::Value::Object(o) => o.values_mut().for_each(|x| self.json(x)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::RightKind;

    fn right(id: &str, name: &str, holder: &str, code: &str, status: RightStatus) -> MiningRight {
        MiningRight {
            id: id.into(),
            kind: RightKind::Mining,
            status,
            name: name.into(),
            holder_name: holder.into(),
            credit_code: Some(code.into()),
            minerals: vec![],
            capacity: None,
            approval: None,
            geometry: vec![],
            mining_method: None,
            sub_unit: None,
            review_failed: false,
        }
    }

    #[test]
    fn other_parties_are_replaced_and_the_holder_s_own_stay() {
        let register = vec![
            right(
                "C2310812010117120001",
                "庆发采石场",
                "绥芬河市庆发建材有限公司",
                "91231081MA1BQF0013",
                RightStatus::Valid,
            ),
            right(
                "SFH-2026-200",
                "北山建筑石料项目",
                "某某矿业有限公司",
                "91231081MA1BQF0099",
                RightStatus::Pending,
            ),
            right(
                "C2310812020117120002",
                "自家矿山",
                "本公司",
                "91350100M000100Y43",
                RightStatus::Valid,
            ),
        ];
        let r = Redaction::for_holder(
            &register,
            "91350100M000100Y43",
            "SFH-2026-201",
            &["SFH-2026-201", "本公司新项目", "本公司"],
        );
        let s = r.text(
            "申请范围与 2 宗矿业权重叠：C2310812010117120001（采矿权（有效））、SFH-2026-200（采矿权（在审））；区块内已有 C2310812010117120001（庆发采石场，绥芬河市庆发建材有限公司，有效）；本公司 C2310812020117120002（自家矿山）",
        );
        assert_eq!(
            s,
            "申请范围与 2 宗矿业权重叠：他人矿业权 1（采矿权（有效））、他人在审申请 1（采矿权（在审））；区块内已有 他人矿业权 1（（名称已隐去），（权利人已隐去），有效）；本公司 C2310812020117120002（自家矿山）"
        );
        let mut v = serde_json::json!({"rules": [{"message": "SFH-2026-200", "conflicts": [{"feature_name": "北山建筑石料项目，某某矿业有限公司", "area_m2": 12.5}]}]});
        r.json(&mut v);
        assert_eq!(v["rules"][0]["message"], "他人在审申请 1");
        assert_eq!(
            v["rules"][0]["conflicts"][0]["feature_name"],
            "（名称已隐去），（权利人已隐去）"
        );
        assert_eq!(v["rules"][0]["conflicts"][0]["area_m2"], 12.5);
    }
}
