//! Reminders about licences: ending within [`EXPIRY_WINDOW_DAYS`], ended without
//! extension, closure or cancellation, and closure reports awaiting acceptance
//! (《规划》六（二）3).

use super::{EXPIRY_WINDOW_DAYS, Reminder, ReminderKind, reminder};
use crate::application::RightKind;
use crate::date::Date;
use crate::register::{RightHistory, Standing};

/// Adds the reminders of each valid licence among `known` (histories up to `today`).
pub(super) fn remind(known: &[RightHistory], today: Date, out: &mut Vec<Reminder>) {
    for h in known {
        let s = h.current();
        if s.standing != Standing::Valid {
            continue;
        }
        let Some(to) = s.valid_to else { continue };
        let days = to.days_since(today);
        let subject = format!("{}（{}）", s.name, h.id);
        let concerning = |r: Reminder| Reminder {
            credit_code: s.credit_code.clone(),
            right_id: Some(h.id.clone()),
            mine_id: s.mine_id,
            ..r
        };
        if (0..=EXPIRY_WINDOW_DAYS).contains(&days) {
            out.push(concerning(reminder(
                ReminderKind::LicenceExpiring,
                days <= 30,
                subject,
                format!(
                    "{} {} 将于 {to} 到期（还有 {days} 天）；继续{}须在到期前申请延续",
                    s.kind.label(),
                    h.id,
                    if s.kind == RightKind::Mining {
                        "开采"
                    } else {
                        "勘查"
                    }
                ),
                Some(to),
                today,
            )));
        } else if days < 0 {
            out.push(concerning(reminder(
                ReminderKind::LicenceExpired,
                true,
                subject,
                format!(
                    "{} {} 已于 {to} 到期（{} 天前），未延续、闭坑或注销",
                    s.kind.label(),
                    h.id,
                    -days
                ),
                Some(to),
                today,
            )));
        }
        if let (Some(r), None) = (&s.closure_report, &s.closure) {
            out.push(concerning(reminder(
                ReminderKind::ClosurePending,
                false,
                format!("{}（{}）", s.name, h.id),
                format!(
                    "闭坑报告“{}”（{}）待审查验收（《规划》六（二）3）",
                    r.title, r.date
                ),
                Some(r.date),
                today,
            )));
        }
    }
}
