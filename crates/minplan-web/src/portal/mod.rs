//! 信息公开 — the public portal (no login; every asset embedded, no external tiles or CDN):
//! `/public` (home), `/public/rights` (矿业权公示: search by holder, 证号 or mine, filters by
//! kind, mineral and status, pages in SQL), `/public/rights/map` (the published rights on the
//! offline map), `/public/inspections` (抽查结果), `/public/lists` (异常名录 / 严重违法失信名单),
//! `/public/blocks` (规划区块), `/public/implementation` (规划执行情况, 《规划》七（四）),
//! `/public/restoration-fund` (治理恢复基金公示, 《规划》六（二）5), and a
//! machine-readable feed of each under `/public/feeds/` (JSON, CSV UTF-8 with BOM; the rights
//! also GeoJSON).
//!
//! Everything here is 已公开 only (`minplan_store::Store::published`): a draft or a pending
//! publication is not shown; a withdrawn one disappears and its withdrawal is noted (title,
//! date, reason). The tables come from [`view`], the same rendering as the staff's preview.

pub mod feeds;
pub mod view;

use crate::AppState;
use crate::http::error::AppError;
use crate::http::listing::{ListQuery, Pager};
use crate::http::views::{Layout, layout};
use crate::http::words::beijing_date;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use minplan_domain::disclosure::{Payload, PublicationKind};
use minplan_store::{PublicRightsQuery, PublicationSummary};
use std::collections::HashMap;
use view::PublicTable;

/// The portal's routes.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/public", get(home))
        .route("/public/rights", get(rights))
        .route("/public/rights/map", get(rights_map))
        .route("/public/inspections", get(inspections))
        .route("/public/lists", get(lists))
        .route("/public/blocks", get(blocks))
        .route("/public/implementation", get(implementation))
        .route("/public/restoration-fund", get(restoration_fund))
        .merge(feeds::router())
}

/// A withdrawal as the portal notes it.
pub struct WithdrawalView {
    /// 标题.
    pub title: String,
    /// 撤回日期 (2026年12月6日).
    pub on: String,
    /// 撤回理由.
    pub reason: String,
}

fn withdrawal(s: &PublicationSummary) -> WithdrawalView {
    WithdrawalView {
        title: s.title.clone(),
        on: s
            .withdrawn_at
            .as_deref()
            .map_or(String::new(), beijing_date),
        reason: s.withdrawal_reason.clone().unwrap_or_default(),
    }
}

/// One published item on a section page.
pub struct ItemView {
    /// 标题.
    pub title: String,
    /// 公开日期.
    pub published: String,
    /// Lines above the table.
    pub lines: Vec<String>,
    /// The table.
    pub table: PublicTable,
}

/// A section (抽查结果, 名录, 区块, 执行情况) and where its feeds are.
struct Section {
    kind: PublicationKind,
    /// The page's path.
    path: &'static str,
    /// The page's title.
    title: &'static str,
    /// What the section is, with its basis.
    intro: &'static str,
    /// The feeds' base name (`/public/feeds/<feed>.json|.csv`; also the nav's key).
    feed: &'static str,
    /// Whether the section has those feeds.
    has_feeds: bool,
}

const SECTIONS: [Section; 5] = [
    Section {
        kind: PublicationKind::InspectionResults,
        path: "/public/inspections",
        title: "抽查结果",
        intro: "“双随机、一公开”抽查的抽取结果和检查结果（《规划》四（三）3（3）），检查完成后按规定期限公开。检查人员个人信息不公开。",
        feed: "inspections",
        has_feeds: true,
    },
    Section {
        kind: PublicationKind::ListEntry,
        path: "/public/lists",
        title: "异常名录 / 严重违法失信名单",
        intro: "列入、移出勘查开采信息公示异常名录和严重违法失信名单的矿业权人（《矿业权人勘查开采信息管理办法》）。",
        feed: "lists",
        has_feeds: true,
    },
    Section {
        kind: PublicationKind::PlanningBlocks,
        path: "/public/blocks",
        title: "规划区块",
        intro: "现行规划划定的勘查、开采规划区块。",
        feed: "blocks",
        has_feeds: true,
    },
    Section {
        kind: PublicationKind::PlanImplementation,
        path: "/public/implementation",
        title: "规划执行情况",
        intro: "按《规划》七（四）定期公布的规划执行情况：各年度规划指标的实际值与执行情况。",
        feed: "implementation",
        has_feeds: true,
    },
    Section {
        kind: PublicationKind::RestorationFund,
        path: "/public/restoration-fund",
        title: "矿山地质环境治理恢复基金",
        intro: "各矿山每年矿山地质环境治理恢复基金的计提、使用、余额、应计提金额和计提缺口（《规划》六（二）5：基金由企业计提、自主使用，自然资源主管部门监管并每年向社会公示）。每年度显示最近一次公开的情况。",
        feed: "restoration-fund",
        has_feeds: true,
    },
];

#[derive(Template)]
#[template(path = "portal_section.html")]
struct SectionPage {
    layout: Layout,
    title: &'static str,
    intro: &'static str,
    feed: &'static str,
    has_feeds: bool,
    items: Vec<ItemView>,
    withdrawn: Vec<WithdrawalView>,
}

/// The published items of `kind` as the portal shows them (for lists: one table of every
/// current entry).
async fn items(st: &AppState, kind: PublicationKind) -> Result<Vec<ItemView>, AppError> {
    let published = st.store.published(kind).await?;
    if kind == PublicationKind::ListEntry {
        let entries: Vec<_> = published
            .iter()
            .filter_map(|p| match &p.payload {
                Payload::Lists(e) => Some(e),
                _ => None,
            })
            .collect();
        if entries.is_empty() {
            return Ok(Vec::new());
        }
        let current = entries.iter().filter(|e| e.removed_on.is_none()).count();
        return Ok(vec![ItemView {
            title: "名录信息".into(),
            published: published
                .first()
                .and_then(|p| p.summary.approved_at.as_deref())
                .map_or(String::new(), beijing_date),
            lines: vec![format!(
                "在列 {current} 户，已移出 {} 户",
                entries.len() - current
            )],
            table: view::list_table(&entries),
        }]);
    }
    Ok(published
        .iter()
        .map(|p| {
            let (lines, table) = view::payload_view(&p.payload, usize::MAX);
            ItemView {
                title: p.summary.title.clone(),
                published: p
                    .summary
                    .approved_at
                    .as_deref()
                    .map_or(String::new(), beijing_date),
                lines,
                table,
            }
        })
        .collect())
}

async fn section_page(st: &AppState, s: &'static Section) -> Result<Html<String>, AppError> {
    let sp = st.plan().await;
    let page = SectionPage {
        layout: layout(&sp, "public"),
        title: s.title,
        intro: s.intro,
        feed: s.feed,
        has_feeds: s.has_feeds,
        items: items(st, s.kind).await?,
        withdrawn: st
            .store
            .withdrawn(s.kind)
            .await?
            .iter()
            .map(withdrawal)
            .collect(),
    };
    Ok(Html(page.render()?))
}

/// `GET /public/inspections`: 抽查结果.
pub async fn inspections(State(st): State<AppState>) -> Result<Html<String>, AppError> {
    section_page(&st, &SECTIONS[0]).await
}

/// `GET /public/lists`: 异常名录 / 严重违法失信名单.
pub async fn lists(State(st): State<AppState>) -> Result<Html<String>, AppError> {
    section_page(&st, &SECTIONS[1]).await
}

/// `GET /public/blocks`: 规划区块 as published.
pub async fn blocks(State(st): State<AppState>) -> Result<Html<String>, AppError> {
    section_page(&st, &SECTIONS[2]).await
}

/// `GET /public/implementation`: 规划执行情况.
pub async fn implementation(State(st): State<AppState>) -> Result<Html<String>, AppError> {
    section_page(&st, &SECTIONS[3]).await
}

/// `GET /public/restoration-fund`: 治理恢复基金公示, the latest published summary per year.
pub async fn restoration_fund(State(st): State<AppState>) -> Result<Html<String>, AppError> {
    section_page(&st, &SECTIONS[4]).await
}

/// A card of the home page.
struct HomeCard {
    title: &'static str,
    path: &'static str,
    intro: &'static str,
    /// “已公开 n 项，最近 2026年12月6日” or 尚未公开.
    state: String,
    feed: &'static str,
    has_feeds: bool,
}

#[derive(Template)]
#[template(path = "portal_home.html")]
struct HomePage {
    layout: Layout,
    cards: Vec<HomeCard>,
}

/// `GET /public`: the portal's home: each section with what is published.
pub async fn home(State(st): State<AppState>) -> Result<Html<String>, AppError> {
    let sp = st.plan().await;
    let mut cards = Vec::new();
    let rights = st.store.current_rights_publication().await?;
    cards.push(HomeCard {
        title: "矿业权公示",
        path: "/public/rights",
        intro: "矿业权人、许可证号、矿业权类型、矿种、面积、有效期和状态；可按矿业权人或许可证号查询，并在地图上查看。",
        state: match &rights {
            Some(r) => format!(
                "共 {} 个矿业权，{} 公开",
                r.row_count,
                r.approved_at.as_deref().map_or(String::new(), beijing_date)
            ),
            None => "尚未公开".into(),
        },
        feed: "rights",
        has_feeds: true,
    });
    for s in &SECTIONS {
        let p = st.store.published(s.kind).await?;
        cards.push(HomeCard {
            title: s.title,
            path: s.path,
            intro: s.intro,
            state: match p.first() {
                Some(latest) => format!(
                    "已公开 {} 项，最近 {}",
                    p.len(),
                    latest
                        .summary
                        .approved_at
                        .as_deref()
                        .map_or(String::new(), beijing_date)
                ),
                None => "尚未公开".into(),
            },
            feed: s.feed,
            has_feeds: s.has_feeds,
        });
    }
    Ok(Html(
        HomePage {
            layout: layout(&sp, "public"),
            cards,
        }
        .render()?,
    ))
}

/// The 矿业权公示 query of a URL (`q`, `kind`, `mineral`, `status`).
pub fn rights_query(q: &HashMap<String, String>) -> ListQuery {
    ListQuery::parse(
        "/public/rights",
        q,
        &["q", "kind", "mineral", "status"],
        "licence_no",
        false,
    )
}

/// The store's query of a list query.
pub fn store_query(lq: &ListQuery) -> PublicRightsQuery {
    PublicRightsQuery {
        text: lq.get("q").to_string(),
        kind: lq.get("kind").to_string(),
        mineral: lq.get("mineral").to_string(),
        status: lq.get("status").to_string(),
    }
}

#[derive(Template)]
#[template(path = "portal_rights.html")]
struct RightsPage {
    layout: Layout,
    /// “截至 … 公开” or empty when nothing is published.
    published: String,
    q: String,
    kind: String,
    mineral: String,
    status: String,
    kinds: Vec<&'static str>,
    statuses: Vec<String>,
    table: PublicTable,
    pager: Pager,
    /// The JSON feed of the same query.
    json_feed: String,
    filtered: bool,
    withdrawn: Vec<WithdrawalView>,
}

/// `GET /public/rights`: 矿业权公示, searched, filtered and paged in SQL.
pub async fn rights(
    State(st): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    let sp = st.plan().await;
    let mut lq = rights_query(&q);
    let current = st.store.current_rights_publication().await?;
    let (published, statuses, total, rows) = match &current {
        Some(c) => {
            let sq = store_query(&lq);
            let (mut total, mut rows) = st
                .store
                .public_rights_page(c.id, &sq, Some(lq.window()))
                .await?;
            if rows.is_empty() && total > 0 {
                // A bookmarked page past the end shows the last.
                lq.clamp(total);
                (total, rows) = st
                    .store
                    .public_rights_page(c.id, &sq, Some(lq.window()))
                    .await?;
            }
            (
                format!(
                    "{}，{} 公开",
                    c.title,
                    c.approved_at.as_deref().map_or(String::new(), beijing_date)
                ),
                st.store.public_right_statuses(c.id).await?,
                total,
                rows,
            )
        }
        None => (String::new(), Vec::new(), 0, Vec::new()),
    };
    let page = RightsPage {
        layout: layout(&sp, "public"),
        published,
        q: lq.get("q").to_string(),
        kind: lq.get("kind").to_string(),
        mineral: lq.get("mineral").to_string(),
        status: lq.get("status").to_string(),
        kinds: vec!["探矿权", "采矿权"],
        statuses,
        table: view::rights_table(&rows),
        json_feed: lq.export_href("/public/feeds/rights.csv").replacen(
            "rights.csv",
            "rights.json",
            1,
        ),
        pager: lq.pager(total, "/public/feeds/rights.csv"),
        filtered: lq.filtered(),
        withdrawn: st
            .store
            .withdrawn(PublicationKind::RightsRegister)
            .await?
            .iter()
            .map(withdrawal)
            .collect(),
    };
    Ok(Html(page.render()?))
}

#[derive(Template)]
#[template(path = "portal_map.html")]
struct MapPage {
    layout: Layout,
    map: crate::http::mapview::MapView,
    published: String,
}

/// `GET /public/rights/map`: the published rights on the map (embedded OpenLayers; no tiles
/// unless the operator set a tile URL), with the county outline and the planning blocks.
pub async fn rights_map(State(st): State<AppState>) -> Result<Html<String>, AppError> {
    use crate::http::mapview::{map_view, url_layer};
    let sp = st.plan().await;
    let plan = &sp.loaded.plan;
    let current = st.store.current_rights_publication().await?;
    let mut layers = vec![serde_json::json!({
        "id": "outline", "name": "行政区范围", "url": "/api/plan/outline",
        "style": "outline", "visible": true, "fit": true,
    })];
    layers.push(url_layer(
        "blocks",
        "规划区块",
        "/api/plan/blocks",
        "blocks",
    ));
    if current.is_some() {
        layers.push(url_layer(
            "public-rights",
            "矿业权（公示）",
            "/public/feeds/rights.geojson",
            "rights",
        ));
    }
    let mut map = map_view(&st, plan, layers, serde_json::Value::Null);
    map.title = "矿业权公示图".into();
    let page = MapPage {
        layout: layout(&sp, "public"),
        map,
        published: current.map_or(String::new(), |c| {
            format!(
                "{}，{} 公开",
                c.title,
                c.approved_at.as_deref().map_or(String::new(), beijing_date)
            )
        }),
    };
    Ok(Html(page.render()?))
}
