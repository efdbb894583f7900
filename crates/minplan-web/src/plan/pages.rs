//! HTML pages: 规划概况, 规划指标, 上轮规划实施情况, 规划区块, 规划文本.

use crate::AppState;
use crate::http::error::AppError;
use crate::http::views::*;
use crate::plan::views::*;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use minplan_domain::plan::Plan;

fn render(t: impl Template) -> Result<Html<String>, AppError> {
    Ok(Html(t.render()?))
}

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage<'a> {
    layout: Layout,
    plan: &'a Plan,
    level: &'static str,
    name_cite: CiteView,
    base_year: Option<(i32, CiteView)>,
    period_cite: CiteView,
    follows: Vec<(String,)>,
    follows_cite: Option<CiteView>,
    towns: String,
    towns_cite: CiteView,
    zone: String,
    outline_area: String,
    baseline: Vec<FigureGroup>,
    key_areas: Vec<(String, String, String, CiteView)>,
    admission: Vec<RuleRow>,
}

/// `GET /`: 规划概况 — identity, region, baseline (现状), key areas, admission conditions.
pub async fn overview(State(st): State<AppState>) -> Result<Html<String>, AppError> {
    let sp = st.plan().await;
    let plan = &sp.loaded.plan;
    let id = &plan.identity;
    render(OverviewPage {
        layout: layout(&sp, "overview"),
        plan,
        level: id.level.label(),
        name_cite: cite_view(plan, &id.name.cite),
        base_year: id
            .base_year
            .as_ref()
            .map(|b| (b.value, cite_view(plan, &b.cite))),
        period_cite: cite_view(plan, &id.period_cite),
        follows: id.follows.iter().map(|f| (f.value.clone(),)).collect(),
        follows_cite: id.follows.first().map(|f| cite_view(plan, &f.cite)),
        towns: plan.region.towns.value.join("、"),
        towns_cite: cite_view(plan, &plan.region.towns.cite),
        zone: plan.region.zone.to_string(),
        outline_area: km2(plan.region.outline_area_km2),
        baseline: baseline_groups(plan),
        key_areas: plan
            .key_areas
            .iter()
            .map(|k| {
                (
                    k.name.clone(),
                    k.minerals.join("、"),
                    k.blocks.join("、"),
                    cite_view(plan, &k.cite),
                )
            })
            .collect(),
        admission: admission_rows(plan),
    })
}

#[derive(Template)]
#[template(path = "indicators.html")]
struct IndicatorsPage {
    layout: Layout,
    year: i32,
    tables: Vec<IndicatorTable>,
    /// Why the year is not scored (规划期外 / 年度未结束); empty when it is.
    standing_note: String,
    /// `n / m 座矿山已报送` for the year (empty when no mine owed a report).
    coverage: String,
    /// May enter manual indicators.
    can_enter: bool,
    /// 矿区生态保护修复与绿色矿山 of the year.
    restoration: crate::monitoring::restoration::SectionView,
}

/// The indicators of one place of the plan (专栏2, 专栏3, 规划目标, a chapter), in bundle order.
struct IndicatorTable {
    /// `zhuanlan2` for 专栏2, `table-k` otherwise (anchors and tests).
    id: String,
    /// Heading: `专栏2　2025年主要规划指标` for the plan's first 专栏, else the place's name.
    title: String,
    rows: Vec<IndicatorView>,
}

/// `GET /indicators?year=Y`: 规划指标 — 专栏2 with target, comparison, attribute and the value
/// and status of year Y (default: last year).
pub async fn indicators(
    State(st): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<crate::monitoring::YearQuery>,
) -> Result<Html<String>, AppError> {
    let sp = st.plan().await;
    let plan = &sp.loaded.plan;
    let today = st.today();
    let year = q.year()?.unwrap_or(today.year() - 1);
    let report = st.store.indicator_report_on(plan, year, today).await?;
    // Grouped where the plan puts them, in the order the bundle lists them.
    let mut tables: Vec<IndicatorTable> = Vec::new();
    for i in with_current(indicator_views(plan), &report) {
        match tables.iter_mut().find(|t| t.rows[0].table == i.table) {
            Some(t) => t.rows.push(i),
            None => {
                let k = tables.len();
                let first_column = i.table.starts_with("专栏")
                    && !tables.iter().any(|t| t.rows[0].table.starts_with("专栏"));
                tables.push(IndicatorTable {
                    id: match i.table.strip_prefix("专栏") {
                        Some(n) if n.chars().all(|c| c.is_ascii_digit()) => format!("zhuanlan{n}"),
                        _ => format!("table-{k}"),
                    },
                    title: if first_column {
                        format!("{}　{}年主要规划指标", i.table, plan.identity.period_end)
                    } else {
                        i.table.clone()
                    },
                    rows: vec![i],
                })
            }
        }
    }
    render(IndicatorsPage {
        layout: layout(&sp, "indicators"),
        year,
        tables,
        standing_note: report.standing_note.clone(),
        // A year not begun owes no report yet: no “0 / m 已报送”.
        coverage: if report.reports_required > 0 && !report.standing.not_started {
            format!(
                "{} / {} 座矿山已报送",
                report.reports_filed.min(report.reports_required),
                report.reports_required
            )
        } else {
            String::new()
        },
        can_enter: crate::http::context::current()
            .can(crate::http::auth::Permission::EnterIndicators),
        restoration: crate::monitoring::restoration::section_view(&st, year).await?,
    })
}

#[derive(Template)]
#[template(path = "previous_round.html")]
struct PreviousRoundPage {
    layout: Layout,
    rows: Vec<PreviousRoundView>,
}

/// `GET /previous-round`: 上轮规划实施情况 — 专栏1 with completion.
pub async fn previous_round(State(st): State<AppState>) -> Result<Html<String>, AppError> {
    let sp = st.plan().await;
    render(PreviousRoundPage {
        layout: layout(&sp, "previous"),
        rows: previous_round_views(&sp.loaded.plan),
    })
}

#[derive(Template)]
#[template(path = "blocks.html")]
struct BlocksPage {
    layout: Layout,
    map: crate::http::mapview::MapView,
    groups: Vec<BlockGroupView>,
    blocks: Vec<BlockView>,
}

/// `GET /blocks/export?format=…`: the planning blocks and key areas with the planning
/// database's fields (public, as the plan is).
pub async fn blocks_export(
    State(st): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<axum::response::Response, AppError> {
    crate::http::download::layer_export(&st, minplan_store::ExportSet::Blocks, &q).await
}

/// `GET /blocks`: 规划区块 — map (blocks, control layers, county outline) and tables.
pub async fn blocks(State(st): State<AppState>) -> Result<Html<String>, AppError> {
    let sp = st.plan().await;
    let plan = &sp.loaded.plan;
    let map = crate::http::mapview::map_view(
        &st,
        plan,
        crate::http::mapview::plan_layers(plan),
        serde_json::Value::Null,
    );
    render(BlocksPage {
        layout: layout(&sp, "blocks"),
        map,
        groups: block_group_views(plan),
        blocks: block_views(plan),
    })
}

#[derive(Template)]
#[template(path = "text.html")]
struct TextPage {
    layout: Layout,
    /// 规划文本, or the source document's title.
    title: String,
    /// Whether the page is a source document's (not the plan text).
    is_source: bool,
    /// The other texts: (link, title, whether the bundle carries the text).
    others: Vec<(String, String, bool)>,
    headings: Vec<(usize, String, usize)>,
    lines: Vec<(usize, String, bool)>,
}

/// `?source=key` of `/text`.
#[derive(Debug, serde::Deserialize)]
pub struct TextQuery {
    source: Option<String>,
}

/// `GET /text`: the plan's full text with its headings, the target of every citation link;
/// `GET /text?source=key`: a source document's text (`[[sources]]`).
pub async fn plan_text(
    State(st): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<TextQuery>,
) -> Result<Html<String>, AppError> {
    let sp = st.plan().await;
    let plan = &sp.loaded.plan;
    let source = q.source.as_deref().and_then(|k| plan.source(k));
    let (title, text) = match source {
        Some(s) => (format!("《{}》", s.title), s.text.as_ref()),
        None => ("规划文本".to_string(), plan.text.as_ref()),
    };
    let mut others = Vec::new();
    if source.is_some() {
        others.push((
            "/text".to_string(),
            "规划文本".to_string(),
            plan.text.is_some(),
        ));
    }
    for s in &plan.sources {
        if source.is_none_or(|x| x.key != s.key) {
            let href = text_href(Some(&s.key));
            others.push((href, format!("《{}》", s.title), s.text.is_some()));
        }
    }
    let (headings, lines) = match text {
        None => (vec![], vec![]),
        Some(t) => {
            let hs: Vec<(usize, String, usize)> = t
                .headings()
                .iter()
                .map(|h| (h.line, h.title.clone(), h.depth()))
                .collect();
            let heading_lines: std::collections::HashSet<usize> = hs.iter().map(|h| h.0).collect();
            let lines = t
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(i, l)| {
                    (
                        i + 1,
                        l.trim().to_string(),
                        heading_lines.contains(&(i + 1)),
                    )
                })
                .collect();
            (hs, lines)
        }
    };
    render(TextPage {
        layout: layout(&sp, "text"),
        title,
        is_source: source.is_some(),
        others,
        headings,
        lines,
    })
}
