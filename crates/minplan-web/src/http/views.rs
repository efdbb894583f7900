//! Shared view helpers of every page: the [`Layout`] (plan name, user, CSRF token, tabs),
//! numbers as the plan writes them, and stored times in Beijing time.

use minplan_domain::citation::format_number;
use minplan_store::StoredPlan;

/// Formats a figure the way the plan writes it.
pub fn num(v: f64) -> String {
    format_number(v)
}

/// km² to 4 decimals.
pub fn km2(v: f64) -> String {
    format!("{v:.4}")
}

/// Shared header data of every page.
#[derive(Debug, Clone)]
pub struct Layout {
    pub plan_name: String,
    pub region_name: String,
    pub version_label: String,
    pub active: &'static str,
    pub has_schematic: bool,
    /// Whether someone is logged in; `user_label` is then "姓名（角色）".
    pub logged_in: bool,
    pub user_label: String,
    /// The session's CSRF token, for `<input type="hidden" name="csrf_token" value="{{ layout.csrf }}">`.
    pub csrf: String,
    /// Which staff tabs to show.
    pub nav_versions: bool,
    pub nav_users: bool,
    pub nav_audit: bool,
    /// 数据库备份 link.
    pub nav_database: bool,
    /// Tabs of the bureau's work (工作台, 申请受理, 审查记录, 矿业权, 图层管理).
    pub nav_workbench: bool,
    pub nav_intake: bool,
    pub nav_reviews: bool,
    pub nav_rights: bool,
    pub nav_layers: bool,
    /// 异常名录 / 严重违法失信名单 (执法监察, 系统管理员; 矿山企业 its own entries).
    pub nav_holder_lists: bool,
    /// 信息公示审核 (staff).
    pub nav_publications: bool,
    /// 双随机抽查 (执法监察).
    pub nav_inspections: bool,
    /// 证照与公示检查 (`/filings/supervision`): 系统管理员, 执法监察.
    pub nav_supervision: bool,
    /// 生态修复 (`/restoration`, the fund, 三同时, 绿色矿山): staff.
    pub nav_restoration: bool,
    /// 本企业治理恢复基金 (`/company/fund`) and 绿色矿山自评: 矿山企业.
    pub nav_company_restoration: bool,
    /// The plan-period notice (规划期已结束 and no successor loaded); empty when none.
    pub plan_notice: String,
}

/// The layout of a page: the plan's name and version, and — from the request context
/// ([`crate::http::context::current`]) — the logged-in user and the CSRF token.
pub fn layout(sp: &StoredPlan, active: &'static str) -> Layout {
    use crate::http::auth::Permission;
    let p = &sp.loaded.plan;
    let ctx = crate::http::context::current();
    Layout {
        logged_in: ctx.user.is_some(),
        user_label: ctx
            .user
            .as_ref()
            .map(|u| format!("{}（{}）", u.display_name, u.role.label()))
            .unwrap_or_default(),
        nav_versions: ctx.can(Permission::ViewPlanVersions),
        nav_users: ctx.can(Permission::ManageUsers),
        nav_database: ctx.can(Permission::ManageDatabase),
        nav_audit: ctx.can(Permission::ViewAudit),
        nav_workbench: ctx.can(Permission::LoggedIn),
        nav_intake: ctx.can(Permission::RunReview),
        nav_reviews: ctx.can(Permission::ViewReviews),
        nav_rights: ctx.can(Permission::ViewRegister),
        nav_layers: ctx.can(Permission::ViewLayers),
        nav_holder_lists: ctx.can(Permission::ManageHolderLists)
            || ctx.can(Permission::ApplyListRemoval),
        nav_publications: ctx.can(Permission::ViewPublications),
        nav_inspections: ctx.can(Permission::ManageInspections),
        nav_supervision: ctx.can(Permission::SuperviseFilings),
        nav_restoration: ctx.can(Permission::ViewRestoration),
        nav_company_restoration: ctx.can(Permission::FileRestoration)
            && !ctx.can(Permission::ViewRestoration),
        csrf: ctx.csrf,
        plan_notice: ctx.plan_notice,
        plan_name: p.identity.name.value.clone(),
        region_name: p.region.name.clone(),
        version_label: format!(
            "第 {} 版 · {} · 导入于 {}",
            sp.info.version,
            source_label(&sp.info.source),
            crate::http::words::beijing_date(&sp.info.imported_at)
        ),
        active,
        has_schematic: p.has_schematic_geometry(),
    }
}

/// Where a plan version came from, as shown: the last part of a stored path (versions
/// imported before the source was recorded as the bundle's name kept the operator's local
/// path, which public pages must not show).
pub fn source_label(source: &str) -> String {
    match source.rsplit(['/', '\\']).next() {
        Some(last) if source.contains(['/', '\\']) => format!("数据包 {last}"),
        _ => source.to_string(),
    }
}

/// A stored time in Beijing time to the minute (`2026-12-06 12:15`); see
/// [`crate::http::words::beijing`], where every on-screen formatter lives.
pub use crate::http::words::beijing;
