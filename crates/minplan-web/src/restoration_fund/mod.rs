//! 矿山地质环境治理恢复基金 (《规划》六（二）1（2）, 六（二）5): the bureau's view of every
//! mine's fund (`/restoration/fund`: method, due, accrued, shortfall, orders, and the listing
//! proposals), one mine's ledger with its entry forms (`/restoration/fund/{id}`), the settings
//! of coefficients and the 整改 period (`/restoration/fund/settings`), and a company's own
//! mines (`/company/fund`). 生态修复 and 系统管理员 keep the settings, methods and orders
//! ([`Permission::ManageRestoration`]); a 矿山企业 enters its own accruals, expenditures and
//! quarterly output value ([`Permission::FileRestoration`]; another's mine answers 404);
//! 执法监察 confirms or dismisses a proposal to list the holder in the 异常名录
//! ([`Permission::ManageHolderLists`], through the supervision workflow).
//!
//! The rules are the domain's (the `restoration::fund` module of minplan-domain); the records
//! the store's.

mod pages;

use crate::AppState;
#[allow(unused_imports)]
use crate::http::auth::Permission;

/// The routes.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/restoration/fund", get(pages::overview))
        .route("/restoration/fund/settings", get(pages::settings))
        .route(
            "/restoration/fund/settings/coefficients",
            post(pages::set_coefficient),
        )
        .route("/restoration/fund/settings/period", post(pages::set_period))
        .route(
            "/restoration/fund/proposals/{id}/confirm",
            post(pages::confirm),
        )
        .route(
            "/restoration/fund/proposals/{id}/dismiss",
            post(pages::dismiss),
        )
        .route(
            "/restoration/fund/orders/{id}/propose",
            post(pages::propose),
        )
        .route("/restoration/fund/{id}", get(pages::mine))
        .route("/restoration/fund/{id}/entries", post(pages::add_entry))
        .route("/restoration/fund/{id}/outputs", post(pages::add_output))
        .route("/restoration/fund/{id}/method", post(pages::set_method))
        .route("/restoration/fund/{id}/orders", post(pages::issue_order))
        .route("/company/fund", get(pages::company))
}
