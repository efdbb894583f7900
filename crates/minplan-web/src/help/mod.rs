//! 帮助: the product's own help, one section per role's jobs (规划科, 审批科, 执法监察, 生态修复,
//! 矿山企业, 公众, 系统管理员), step by step, naming the tab and the button, written from the
//! routes of `docs/roles.md` as the product has them. Public (no login), no external links, so
//! it works offline like the rest of the application. Page `/help`.

use crate::AppState;
use crate::http::error::AppError;
use crate::http::views::{Layout, layout};
use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};

/// The routes of 帮助.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new().route("/help", get(page))
}

/// One role's section: its anchor and heading.
struct RoleSection {
    anchor: &'static str,
    title: &'static str,
}

/// The sections, in the order of the page.
const SECTIONS: &[RoleSection] = &[
    RoleSection {
        anchor: "public",
        title: "公众（不登录）",
    },
    RoleSection {
        anchor: "planning",
        title: "规划科",
    },
    RoleSection {
        anchor: "approval",
        title: "审批科",
    },
    RoleSection {
        anchor: "enforcement",
        title: "执法监察",
    },
    RoleSection {
        anchor: "restoration",
        title: "生态修复",
    },
    RoleSection {
        anchor: "company",
        title: "矿山企业",
    },
    RoleSection {
        anchor: "admin",
        title: "系统管理员",
    },
    RoleSection {
        anchor: "publication",
        title: "信息公示（公示审核与信息公开）",
    },
];

#[derive(Template)]
#[template(path = "help.html")]
struct HelpPage {
    layout: Layout,
    sections: &'static [RoleSection],
    /// The logged-in user's section (anchor, title), shown first as a pointer.
    mine: Option<(&'static str, &'static str)>,
}

/// `GET /help`: the help page; a logged-in user is pointed to their role's section.
pub async fn page(State(st): State<AppState>) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let ctx = crate::http::context::current();
    let mine = ctx.user.as_ref().and_then(|u| {
        SECTIONS
            .iter()
            .find(|s| s.anchor == u.role.slug())
            .map(|s| (s.anchor, s.title))
    });
    let page = HelpPage {
        layout: layout(&sp, "help"),
        sections: SECTIONS,
        mine,
    };
    Ok(Html(page.render()?).into_response())
}

#[cfg(test)]
mod tests {
    /// Every role has a section whose anchor is the role's slug, and the template has an
    /// element with each anchor.
    #[test]
    fn every_role_has_a_section() {
        let html = include_str!("../../templates/help.html");
        for r in [
            minplan_store::Role::Admin,
            minplan_store::Role::Planning,
            minplan_store::Role::Approval,
            minplan_store::Role::Enforcement,
            minplan_store::Role::Restoration,
            minplan_store::Role::Company,
        ] {
            let slug = r.slug();
            assert!(super::SECTIONS.iter().any(|s| s.anchor == slug), "{slug}");
            assert!(html.contains(&format!("id=\"{slug}\"")), "{slug}");
        }
        assert!(html.contains("id=\"public\""));
        assert!(
            !html.contains("http://") && !html.contains("https://"),
            "no external links"
        );
    }
}
