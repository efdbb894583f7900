//! 矿区生态保护修复与绿色矿山 (《规划》六（一）（二）, baseline 一（一）5–6, 专栏1): the pure rules
//! of the 生态修复 capability. One module per job:
//!
//! * `legacy` — the 历史遗留矿山 inventory (`LegacyMine`): geometry, problems found, the
//!   restoration direction among the five of 六（二）4 (宜耕则耕、宜林则林、宜湿则湿、宜草则草、
//!   宜建则建), status 未治理 → 治理中 → 已治理 → 已验收.
//! * `projects` — 修复项目 (`RestorationProject`): sites, funding by source (“谁修复、谁受益”),
//!   budget and spending, restored area, acceptance; the 重点治理项目 counted toward 专栏1.
//! * `fund` — the 矿山地质环境治理恢复基金 ledger (`RestorationFund`: `accrual`, `expenditure`)
//!   per mine, the amount due per period by the bureau's method, shortfalls (六（二）5).
//! * `schedule` — 三同时 (the 开发利用方案 and the 矿区生态修复方案 filed, approved and linked,
//!   六（二）1（1）) and 边开采边治理 (disturbed vs restored area per year, 六（二）1（2）).
//! * `green` — 绿色矿山: the DZ/T 0316-2018 checklist as data, self-assessment, the bureau's
//!   evaluation and the 绿色矿山名录 (六（一）).
//! * `indicators` — those figures set against the plan's baseline and 专栏1 (规划未设定 when
//!   the plan gives none), as the rows of 规划指标, the 工作台 and the evaluation.
//! * `figures` — the figures the plan's indicators, the 工作台 and the evaluation show, each a
//!   value or a named gap (`Reading`).
//!
//! Pure: values in, values out; dates are passed in.

pub mod figures;
pub mod fund;
pub mod green;
pub mod indicators;
pub mod legacy;
pub mod projects;
pub mod schedule;
