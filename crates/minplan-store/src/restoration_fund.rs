//! The 矿山地质环境治理恢复基金 ledger (migration 0022; 《规划》六（二）1（2）, 六（二）5): each
//! mine's accruals and expenditures, the quarterly output value the company reports, the method
//! of the amount due per mine, the bureau's coefficients and 整改 period, the 责令限期整改 orders
//! and the proposals to list a holder in the 异常名录. The rules are the pure
//! `minplan_domain::restoration::fund`; every write is one transaction with its audit row
//! (`restoration_fund.*`); bad input writes nothing. A confirmed proposal lists the holder
//! through the supervision workflow (`holder_list.add`) in the same transaction.

use crate::audit::{self, Actor, AuditEntry};
use crate::{FieldError, Result, Store, StoreError, now_rfc3339};
use minplan_domain::date::Date;
use minplan_domain::register::{Problem, RightState, Standing};
use minplan_domain::restoration::figures::{FundFigures, Reading};
use minplan_domain::restoration::fund::{
    CoefficientKind, Coefficients, DEFAULT_RECTIFICATION_WORKING_DAYS, DueBasis, DueMethod,
    EPSILON_WAN_YUAN, EntryKind, LedgerEntry, ListingProposal, OrderStatus, PeriodRow, Quarter,
    RectificationOrder, RestorationFund, due_for_quarter, round_wan, shortfall_table,
};
use serde::Serialize;
use sqlx::Row;
use std::collections::BTreeMap;

/// The bounds of the bureau's 整改 period, working days.
pub const RECTIFICATION_DAYS_RANGE: std::ops::RangeInclusive<i64> = 1..=180;

fn invalid(problems: Vec<Problem>) -> StoreError {
    StoreError::Invalid(
        problems
            .into_iter()
            .map(|p| FieldError::new(p.field, p.message))
            .collect(),
    )
}

fn refuse(field: &str, message: impl Into<String>) -> StoreError {
    StoreError::Invalid(vec![FieldError::new(field, message)])
}

/// What the fund reads of a mine from the register: its latest right's holder, mineral, mining
/// method, region and closure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FundMine {
    /// `mines.id`.
    pub mine_id: i64,
    /// 矿山名称.
    pub mine_name: String,
    /// 矿业权人.
    pub holder_name: String,
    /// 统一社会信用代码, when registered.
    pub credit_code: Option<String>,
    /// The first mineral of the right, when registered (the key of the 矿种系数).
    pub mineral: Option<String>,
    /// 开采方式 label (露天, 地下, …), when registered (the key of the 开采方式系数).
    pub mining_method: Option<String>,
    /// Region: the right's 所在县区/乡镇, else the active plan's unit (the key of the 地区系数).
    pub region: Option<String>,
    /// 闭坑 date, when closed.
    pub closed_on: Option<Date>,
}

/// A stored 责令限期整改 with where it stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredOrder {
    /// `fund_orders.id`.
    pub id: i64,
    /// The mine.
    pub mine_id: i64,
    /// The order.
    pub order: RectificationOrder,
    /// 整改通知书文号.
    pub document: String,
    /// On the `today` asked about.
    pub status: OrderStatus,
    /// The listing proposal made of it, if any.
    pub proposal: Option<StoredProposal>,
}

/// A stored listing proposal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredProposal {
    /// `fund_listing_proposals.id`.
    pub id: i64,
    /// The order it was made of.
    pub order_id: i64,
    /// The mine.
    pub mine_id: i64,
    /// Its name.
    pub mine_name: String,
    /// The proposal.
    pub proposal: ListingProposal,
    /// `proposed`, `confirmed`, `dismissed`.
    pub status: String,
    /// 提出日期.
    pub proposed_on: Date,
    /// 处理日期.
    pub decided_on: Option<Date>,
    /// Why dismissed.
    pub dismiss_reason: Option<String>,
    /// The 名录 entry made on confirmation.
    pub list_entry_id: Option<i64>,
}

impl StoredProposal {
    /// 待处理 / 已列入异常名录 / 不予列入.
    pub fn status_label(&self) -> &'static str {
        match self.status.as_str() {
            "confirmed" => "已列入异常名录",
            "dismissed" => "不予列入",
            _ => "拟列入异常名录，待处理",
        }
    }
}

/// A mine's fund as the bureau reads it on a day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FundStatement {
    /// The mine.
    pub mine: FundMine,
    /// The method and first quarter, when the bureau chose one.
    pub method: Option<(DueMethod, Quarter)>,
    /// The ledger.
    pub ledger: RestorationFund,
    /// Quarterly output values reported (quarter, 万元).
    pub outputs: Vec<(Quarter, f64)>,
    /// One row per quarter ended by `today`, from the method's first quarter.
    pub rows: Vec<PeriodRow>,
    /// The orders, oldest first.
    pub orders: Vec<StoredOrder>,
}

impl FundStatement {
    /// The latest row (the last quarter ended), if any.
    pub fn latest(&self) -> Option<&PeriodRow> {
        self.rows.last()
    }

    /// Balance on `d`, 万元.
    pub fn balance_on(&self, d: Date) -> f64 {
        self.ledger.balance_on(d)
    }
}

/// The words for a mine without a chosen method.
pub const NO_METHOD: &str = "无法判定：尚未设定应计提金额的计算方法";

fn parse_date(field: &str, s: &str) -> Result<Date> {
    Date::parse(s).map_err(|_| refuse(field, format!("基金记录中的日期“{s}”无法读取")))
}

async fn mine_in(conn: &mut sqlx::SqliteConnection, mine_id: i64) -> Result<FundMine> {
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM mines WHERE id = ?")
        .bind(mine_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(mine_name) = name else {
        return Err(StoreError::NotFound(format!("没有编号为 {mine_id} 的矿山")));
    };
    let right = sqlx::query(
        "SELECT holder_name, credit_code, minerals_json, state_json, status FROM rights
         WHERE mine_id = ? ORDER BY COALESCE(valid_from, '') DESC, id DESC LIMIT 1",
    )
    .bind(mine_id)
    .fetch_optional(&mut *conn)
    .await?;
    let unit: Option<String> = sqlx::query_scalar(
        "SELECT p.unit_name FROM plan_versions p JOIN active_plan a ON a.plan_version_id = p.id",
    )
    .fetch_optional(&mut *conn)
    .await?;
    let unit = unit.filter(|u| !u.is_empty());
    let Some(r) = right else {
        return Ok(FundMine {
            mine_id,
            mine_name,
            holder_name: String::new(),
            credit_code: None,
            mineral: None,
            mining_method: None,
            region: unit,
            closed_on: None,
        });
    };
    let state: Option<RightState> = r
        .get::<Option<String>, _>("state_json")
        .and_then(|s| serde_json::from_str(&s).ok());
    let minerals: Vec<String> =
        serde_json::from_str(&r.get::<String, _>("minerals_json")).unwrap_or_default();
    let closed_on = state.as_ref().and_then(|s| {
        (s.standing == Standing::Closed)
            .then(|| s.closure.as_ref().map(|c| c.date))
            .flatten()
    });
    Ok(FundMine {
        mine_id,
        mine_name,
        holder_name: r.get("holder_name"),
        credit_code: r
            .get::<Option<String>, _>("credit_code")
            .filter(|c| !c.is_empty()),
        mineral: minerals.into_iter().next(),
        mining_method: state
            .as_ref()
            .and_then(|s| s.mining_method)
            .map(|m| m.label().to_string()),
        region: state.as_ref().and_then(|s| s.sub_unit.clone()).or(unit),
        closed_on,
    })
}

async fn ledger_in(conn: &mut sqlx::SqliteConnection, mine_id: i64) -> Result<RestorationFund> {
    let rows = sqlx::query(
        "SELECT kind, entry_date, amount_wan_yuan, voucher, purpose FROM fund_entries
         WHERE mine_id = ? ORDER BY entry_date, id",
    )
    .bind(mine_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut entries = Vec::with_capacity(rows.len());
    for r in rows {
        let kind: String = r.get("kind");
        entries.push(LedgerEntry {
            kind: EntryKind::parse(&kind)
                .ok_or_else(|| refuse("kind", format!("基金记录的类别“{kind}”无法读取")))?,
            date: parse_date("date", &r.get::<String, _>("entry_date"))?,
            amount_wan_yuan: r.get("amount_wan_yuan"),
            voucher: r.get("voucher"),
            purpose: r.get("purpose"),
        });
    }
    Ok(RestorationFund::from_entries(entries))
}

fn order_of(r: &sqlx::sqlite::SqliteRow) -> Result<(i64, i64, RectificationOrder, String)> {
    let q: String = r.get("quarter");
    Ok((
        r.get("id"),
        r.get("mine_id"),
        RectificationOrder {
            quarter: Quarter::parse(&q)
                .ok_or_else(|| refuse("quarter", format!("整改记录的季度“{q}”无法读取")))?,
            cumulative_due_wan_yuan: r.get("cumulative_due_wan_yuan"),
            shortfall_wan_yuan: r.get("shortfall_wan_yuan"),
            issued_on: parse_date("issued_on", &r.get::<String, _>("issued_on"))?,
            working_days: r.get("working_days"),
            deadline: parse_date("deadline", &r.get::<String, _>("deadline"))?,
        },
        r.get("document"),
    ))
}

fn proposal_of(r: &sqlx::sqlite::SqliteRow) -> Result<StoredProposal> {
    Ok(StoredProposal {
        id: r.get("id"),
        order_id: r.get("order_id"),
        mine_id: r.get("mine_id"),
        mine_name: r.get("mine_name"),
        proposal: ListingProposal {
            holder_name: r.get("holder_name"),
            credit_code: r.get("credit_code"),
            reason_text: r.get("reason_text"),
        },
        status: r.get("status"),
        proposed_on: parse_date("proposed_on", &r.get::<String, _>("proposed_on"))?,
        decided_on: r
            .get::<Option<String>, _>("decided_on")
            .map(|s| parse_date("decided_on", &s))
            .transpose()?,
        dismiss_reason: r.get("dismiss_reason"),
        list_entry_id: r.get("list_entry_id"),
    })
}

const PROPOSAL_SELECT: &str = "SELECT p.*, o.mine_id, m.name AS mine_name
     FROM fund_listing_proposals p JOIN fund_orders o ON o.id = p.order_id
     JOIN mines m ON m.id = o.mine_id";

impl Store {
    /// What the fund reads of mine `mine_id` from the register.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown mine; [`StoreError::Db`].
    pub async fn fund_mine(&self, mine_id: i64) -> Result<FundMine> {
        mine_in(&mut *self.pool.acquire().await?, mine_id).await
    }

    /// Adds a ledger entry of mine `mine_id` (checked by `RestorationFund::add` against the stored
    /// ledger, `today` and the mine's closure), with its audit row `restoration_fund.entry`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown mine; [`StoreError::Invalid`] with every problem
    /// (nothing written); [`StoreError::Db`].
    pub async fn add_fund_entry(
        &self,
        mine_id: i64,
        entry: &LedgerEntry,
        today: Date,
        actor: &Actor,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let mine = mine_in(&mut tx, mine_id).await?;
        let ledger = ledger_in(&mut tx, mine_id).await?;
        let next = ledger
            .add(entry.clone(), today, mine.closed_on)
            .map_err(invalid)?;
        let e = next
            .entries()
            .iter()
            .rev()
            .find(|e| e.voucher == entry.voucher.trim() && e.date == entry.date)
            .cloned()
            .unwrap_or_else(|| entry.clone());
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO fund_entries (mine_id, kind, entry_date, amount_wan_yuan, voucher, purpose, created_at, created_by)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(mine_id)
        .bind(e.kind.code())
        .bind(e.date.to_string())
        .bind(e.amount_wan_yuan)
        .bind(&e.voucher)
        .bind(&e.purpose)
        .bind(now_rfc3339())
        .bind(actor.label())
        .fetch_one(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "restoration_fund.entry",
                entity_type: "fund_entry",
                entity_id: id.to_string(),
                before: None,
                after: Some(serde_json::json!({ "mine_id": mine_id, "fund_entry": e })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The ledger of mine `mine_id`.
    ///
    /// # Errors
    /// [`StoreError::Db`]; [`StoreError::Invalid`] for a stored row that no longer reads.
    pub async fn fund_ledger(&self, mine_id: i64) -> Result<RestorationFund> {
        ledger_in(&mut *self.pool.acquire().await?, mine_id).await
    }

    /// Records the 销售收入 (万元) of `quarter` for mine `mine_id` as the company reports it
    /// (replacing an earlier report), audit row `restoration_fund.output`.
    ///
    /// # Errors
    /// [`StoreError::Invalid`]: a value not finite or negative, a quarter not yet begun on
    /// `today`; [`StoreError::NotFound`]; [`StoreError::Db`].
    pub async fn set_fund_output(
        &self,
        mine_id: i64,
        quarter: Quarter,
        output_wan_yuan: f64,
        today: Date,
        actor: &Actor,
    ) -> Result<()> {
        let mut errors = Vec::new();
        if !(output_wan_yuan.is_finite() && output_wan_yuan >= 0.0) {
            errors.push(FieldError::new(
                "output_wan_yuan",
                format!("销售收入应为不小于 0 的数（万元），填写的是 {output_wan_yuan}"),
            ));
        }
        if quarter.start() > today {
            errors.push(FieldError::new(
                "quarter",
                format!("{}尚未开始，不能报送销售收入", quarter.chinese()),
            ));
        }
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let mut tx = self.begin_write().await?;
        mine_in(&mut tx, mine_id).await?;
        let before: Option<f64> = sqlx::query_scalar(
            "SELECT output_wan_yuan FROM fund_output_values WHERE mine_id = ? AND quarter = ?",
        )
        .bind(mine_id)
        .bind(quarter.code())
        .fetch_optional(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO fund_output_values (mine_id, quarter, output_wan_yuan, updated_at, updated_by)
             VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (mine_id, quarter) DO UPDATE SET output_wan_yuan = excluded.output_wan_yuan,
               updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(mine_id)
        .bind(quarter.code())
        .bind(output_wan_yuan)
        .bind(now_rfc3339())
        .bind(actor.label())
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "restoration_fund.output",
                entity_type: "mine",
                entity_id: mine_id.to_string(),
                before: before.map(|b| serde_json::json!({ "quarter": quarter.code(), "output_wan_yuan": b })),
                after: Some(serde_json::json!({ "quarter": quarter.code(), "output_wan_yuan": output_wan_yuan })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets the method of the amount due of mine `mine_id` and the first quarter it must
    /// accrue, audit row `restoration_fund.method`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Db`].
    pub async fn set_fund_method(
        &self,
        mine_id: i64,
        method: DueMethod,
        from: Quarter,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        mine_in(&mut tx, mine_id).await?;
        let before: Option<(String, String)> =
            sqlx::query_as("SELECT method, from_quarter FROM fund_methods WHERE mine_id = ?")
                .bind(mine_id)
                .fetch_optional(&mut *tx)
                .await?;
        sqlx::query(
            "INSERT INTO fund_methods (mine_id, method, from_quarter, updated_at, updated_by)
             VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (mine_id) DO UPDATE SET method = excluded.method,
               from_quarter = excluded.from_quarter, updated_at = excluded.updated_at,
               updated_by = excluded.updated_by",
        )
        .bind(mine_id)
        .bind(method.code())
        .bind(from.code())
        .bind(now_rfc3339())
        .bind(actor.label())
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "restoration_fund.method",
                entity_type: "mine",
                entity_id: mine_id.to_string(),
                before: before
                    .map(|(m, f)| serde_json::json!({ "due_method": m, "from_quarter": f })),
                after: Some(
                    serde_json::json!({ "due_method": method.code(), "from_quarter": from.code() }),
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The bureau's coefficients.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn fund_coefficients(&self) -> Result<Coefficients> {
        let rows = sqlx::query("SELECT kind, key, value FROM fund_coefficients ORDER BY kind, key")
            .fetch_all(&self.pool)
            .await?;
        let mut c = Coefficients::default();
        for r in rows {
            if let Some(k) = CoefficientKind::parse(&r.get::<String, _>("kind")) {
                c.values.insert((k, r.get("key")), r.get("value"));
            }
        }
        Ok(c)
    }

    /// Sets one coefficient (a bureau setting), audit row `restoration_fund.coefficient`.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] (`Coefficients::check`); [`StoreError::Db`].
    pub async fn set_fund_coefficient(
        &self,
        kind: CoefficientKind,
        key: &str,
        value: f64,
        actor: &Actor,
    ) -> Result<()> {
        Coefficients::check(kind, key, value).map_err(invalid)?;
        let key = key.trim();
        let mut tx = self.begin_write().await?;
        let before: Option<f64> =
            sqlx::query_scalar("SELECT value FROM fund_coefficients WHERE kind = ? AND key = ?")
                .bind(kind.code())
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?;
        sqlx::query(
            "INSERT INTO fund_coefficients (kind, key, value, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value,
               updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(kind.code())
        .bind(key)
        .bind(value)
        .bind(now_rfc3339())
        .bind(actor.label())
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "restoration_fund.coefficient",
                entity_type: "fund_coefficient",
                entity_id: format!("{}:{key}", kind.code()),
                before: before.map(|b| serde_json::json!(b)),
                after: Some(serde_json::json!(value)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The bureau's 整改 period, working days (default
    /// `DEFAULT_RECTIFICATION_WORKING_DAYS` = 20, a setting).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn fund_rectification_days(&self) -> Result<i64> {
        let v: Option<i64> =
            sqlx::query_scalar("SELECT rectification_days FROM fund_settings WHERE id = 1")
                .fetch_optional(&self.pool)
                .await?;
        Ok(v.unwrap_or(DEFAULT_RECTIFICATION_WORKING_DAYS))
    }

    /// Sets the 整改 period, audit row `restoration_fund.period`.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] outside [`RECTIFICATION_DAYS_RANGE`]; [`StoreError::Db`].
    pub async fn set_fund_rectification_days(&self, days: i64, actor: &Actor) -> Result<()> {
        if !RECTIFICATION_DAYS_RANGE.contains(&days) {
            return Err(refuse(
                "rectification_days",
                format!(
                    "整改期限应为 {} 至 {} 个工作日",
                    RECTIFICATION_DAYS_RANGE.start(),
                    RECTIFICATION_DAYS_RANGE.end()
                ),
            ));
        }
        let before = self.fund_rectification_days().await?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO fund_settings (id, rectification_days, updated_at, updated_by) VALUES (1, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET rectification_days = excluded.rectification_days,
               updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(days)
        .bind(now_rfc3339())
        .bind(actor.label())
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "restoration_fund.period",
                entity_type: "fund_settings",
                entity_id: "rectification_days".into(),
                before: Some(serde_json::json!(before)),
                after: Some(serde_json::json!(days)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Mines with a method chosen or ledger entries, by id.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn fund_mine_ids(&self) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT mine_id FROM fund_methods UNION SELECT mine_id FROM fund_entries ORDER BY 1",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// The fund of mine `mine_id` on `today`: the ledger, the quarterly dues and shortfalls
    /// from the method's first quarter through the last quarter ended by `today`, the orders
    /// with where they stand.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Db`].
    pub async fn fund_statement(&self, mine_id: i64, today: Date) -> Result<FundStatement> {
        let mut conn = self.pool.acquire().await?;
        let mine = mine_in(&mut conn, mine_id).await?;
        let ledger = ledger_in(&mut conn, mine_id).await?;
        let method: Option<(String, String)> =
            sqlx::query_as("SELECT method, from_quarter FROM fund_methods WHERE mine_id = ?")
                .bind(mine_id)
                .fetch_optional(&mut *conn)
                .await?;
        let method = method.and_then(|(m, f)| Some((DueMethod::parse(&m)?, Quarter::parse(&f)?)));
        let outputs: Vec<(Quarter, f64)> = sqlx::query_as::<_, (String, f64)>(
            "SELECT quarter, output_wan_yuan FROM fund_output_values WHERE mine_id = ? ORDER BY quarter",
        )
        .bind(mine_id)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .filter_map(|(q, v)| Some((Quarter::parse(&q)?, v)))
        .collect();
        drop(conn);
        let last = Quarter::of(today.add_days(1)).previous();
        let rows = match method {
            None => vec![],
            Some((m, from)) => {
                let quarters = Quarter::range(from, last);
                let mut dues = Vec::with_capacity(quarters.len());
                match m {
                    DueMethod::PlanBudget => {
                        let mut plans = BTreeMap::new();
                        for q in &quarters {
                            if let std::collections::btree_map::Entry::Vacant(slot) =
                                plans.entry(q.year)
                            {
                                let on = std::cmp::min(Date::end_of_year(q.year), today);
                                slot.insert(self.approved_restoration_plan(mine_id, on).await?);
                            }
                            let plan = plans.get(&q.year).and_then(Option::as_ref);
                            dues.push((*q, due_for_quarter(&DueBasis::PlanBudget(plan), *q)));
                        }
                    }
                    DueMethod::OutputValue => {
                        let c = self.fund_coefficients().await?.product(
                            mine.mineral.as_deref(),
                            mine.mining_method.as_deref(),
                            mine.region.as_deref(),
                        );
                        let by_q: BTreeMap<Quarter, f64> = outputs.iter().copied().collect();
                        for q in &quarters {
                            let basis = DueBasis::OutputValue {
                                output_wan_yuan: by_q.get(q).copied(),
                                coefficient: c.clone(),
                            };
                            dues.push((*q, due_for_quarter(&basis, *q)));
                        }
                    }
                }
                shortfall_table(&ledger, &dues)
            }
        };
        let orders = self.fund_orders(mine_id, &ledger, today).await?;
        Ok(FundStatement {
            mine,
            method,
            ledger,
            outputs,
            rows,
            orders,
        })
    }

    async fn fund_orders(
        &self,
        mine_id: i64,
        ledger: &RestorationFund,
        today: Date,
    ) -> Result<Vec<StoredOrder>> {
        let rows =
            sqlx::query("SELECT * FROM fund_orders WHERE mine_id = ? ORDER BY issued_on, id")
                .bind(mine_id)
                .fetch_all(&self.pool)
                .await?;
        let mut out = Vec::new();
        for r in rows {
            let (id, mine_id, order, document) = order_of(&r)?;
            let proposal = sqlx::query(&format!("{PROPOSAL_SELECT} WHERE p.order_id = ?"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
                .map(|r| proposal_of(&r))
                .transpose()?;
            out.push(StoredOrder {
                id,
                mine_id,
                status: order.status(ledger, today),
                order,
                document,
                proposal,
            });
        }
        Ok(out)
    }

    /// Issues a 责令限期整改 for the shortfall of `quarter` of mine `mine_id`, on `issued_on`
    /// (≤ `today`), with the bureau's 整改 period counted through the work calendar; audit row
    /// `restoration_fund.order`.
    ///
    /// # Errors
    /// [`StoreError::Invalid`]: a blank 文号, `issued_on` after today, a quarter without a
    /// shortfall (or unknown), an order already issued for the quarter;
    /// [`StoreError::NotFound`]; [`StoreError::Db`].
    pub async fn issue_fund_order(
        &self,
        mine_id: i64,
        quarter: Quarter,
        issued_on: Date,
        document: &str,
        today: Date,
        actor: &Actor,
    ) -> Result<i64> {
        let document = document.trim();
        let mut errors = Vec::new();
        if document.is_empty() {
            errors.push(FieldError::new("document", "请填写整改通知书文号"));
        }
        if issued_on > today {
            errors.push(FieldError::new(
                "issued_on",
                format!("下达日期 {} 晚于今天", issued_on.chinese()),
            ));
        }
        let st = self.fund_statement(mine_id, today).await?;
        let Some(row) = st.rows.iter().find(|r| r.quarter == quarter) else {
            errors.push(FieldError::new(
                "quarter",
                format!("{}不在本矿山已结束的计提期内", quarter.chinese()),
            ));
            return Err(StoreError::Invalid(errors));
        };
        if st.orders.iter().any(|o| o.order.quarter == quarter) {
            errors.push(FieldError::new(
                "quarter",
                format!("{}已下达过整改通知", quarter.chinese()),
            ));
        }
        let days = self.fund_rectification_days().await?;
        let cal = self.work_calendar().await?;
        let order = RectificationOrder::issue(row, issued_on, days, &cal);
        if let Err(p) = &order {
            errors.extend(p.iter().map(|p| FieldError::new(&p.field, &p.message)));
        }
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let order = order.map_err(invalid)?;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO fund_orders (mine_id, quarter, cumulative_due_wan_yuan, shortfall_wan_yuan,
               issued_on, working_days, deadline, document, created_at, created_by)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(mine_id)
        .bind(order.quarter.code())
        .bind(order.cumulative_due_wan_yuan)
        .bind(order.shortfall_wan_yuan)
        .bind(order.issued_on.to_string())
        .bind(order.working_days)
        .bind(order.deadline.to_string())
        .bind(document)
        .bind(now_rfc3339())
        .bind(actor.label())
        .fetch_one(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "restoration_fund.order",
                entity_type: "fund_order",
                entity_id: id.to_string(),
                before: None,
                after: Some(
                    serde_json::json!({ "mine_id": mine_id, "order": order, "document": document }),
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records the proposal to list the holder of order `order_id` in the 异常名录 (拟列入),
    /// on `today`; audit row `restoration_fund.propose`.
    ///
    /// # Errors
    /// [`StoreError::Invalid`]: the order not overdue on `today` (still open, or remedied), a
    /// proposal already made, a mine without a 统一社会信用代码; [`StoreError::NotFound`];
    /// [`StoreError::Db`].
    pub async fn propose_fund_listing(
        &self,
        order_id: i64,
        today: Date,
        actor: &Actor,
    ) -> Result<i64> {
        let mine_id: Option<i64> =
            sqlx::query_scalar("SELECT mine_id FROM fund_orders WHERE id = ?")
                .bind(order_id)
                .fetch_optional(&self.pool)
                .await?;
        let mine_id =
            mine_id.ok_or_else(|| StoreError::NotFound(format!("没有整改通知 {order_id}")))?;
        let st = self.fund_statement(mine_id, today).await?;
        let Some(o) = st.orders.iter().find(|o| o.id == order_id) else {
            return Err(StoreError::NotFound(format!("没有整改通知 {order_id}")));
        };
        if o.proposal.is_some() {
            return Err(refuse("order", "该整改通知已提出列入建议"));
        }
        if o.status != OrderStatus::Overdue {
            return Err(refuse(
                "order",
                format!(
                    "整改期限至 {}，目前{}，不能提出列入建议",
                    o.order.deadline.chinese(),
                    o.status.label()
                ),
            ));
        }
        let Some(code) = st.mine.credit_code.clone() else {
            return Err(refuse(
                "credit_code",
                format!(
                    "{}的矿业权人未登记统一社会信用代码，无法列入名录",
                    st.mine.mine_name
                ),
            ));
        };
        let p = ListingProposal::of(&o.order, &st.mine.mine_name, &st.mine.holder_name, &code);
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO fund_listing_proposals (order_id, holder_name, credit_code, reason_text, status,
               proposed_on, created_at, created_by)
             VALUES (?, ?, ?, ?, 'proposed', ?, ?, ?) RETURNING id",
        )
        .bind(order_id)
        .bind(&p.holder_name)
        .bind(&p.credit_code)
        .bind(&p.reason_text)
        .bind(today.to_string())
        .bind(now_rfc3339())
        .bind(actor.label())
        .fetch_one(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "restoration_fund.propose",
                entity_type: "fund_listing_proposal",
                entity_id: id.to_string(),
                before: None,
                after: Some(serde_json::to_value(&p).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every listing proposal, newest first.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn fund_listing_proposals(&self) -> Result<Vec<StoredProposal>> {
        sqlx::query(&format!("{PROPOSAL_SELECT} ORDER BY p.id DESC"))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(proposal_of)
            .collect()
    }

    async fn pending_proposal(tx: &mut sqlx::SqliteConnection, id: i64) -> Result<StoredProposal> {
        let p = sqlx::query(&format!("{PROPOSAL_SELECT} WHERE p.id = ?"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| proposal_of(&r))
            .transpose()?
            .ok_or_else(|| StoreError::NotFound(format!("没有列入建议 {id}")))?;
        if p.status != "proposed" {
            return Err(refuse(
                "proposal",
                format!("该列入建议已处理（{}）", p.status_label()),
            ));
        }
        Ok(p)
    }

    /// Confirms proposal `id`: lists the holder in the 矿业权人异常名录 for
    /// 未按规定计提矿山地质环境治理恢复基金 through the supervision workflow, with the
    /// decision's 文号 and date, in one transaction (audit rows `holder_list.add` and
    /// `restoration_fund.confirm`).
    ///
    /// # Errors
    /// [`StoreError::Invalid`]: a proposal already handled, the listing's problems (blank 文号,
    /// an invalid credit code); [`StoreError::NotFound`]; [`StoreError::Db`].
    pub async fn confirm_fund_listing(
        &self,
        id: i64,
        decision_number: &str,
        decision_date: Date,
        actor: &Actor,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let p = Self::pending_proposal(&mut tx, id).await?;
        let request = p.proposal.to_request(decision_number, decision_date);
        let entry = crate::holder_lists::list_holder_in(&mut tx, &request, actor).await?;
        sqlx::query(
            "UPDATE fund_listing_proposals SET status = 'confirmed', decided_on = ?, list_entry_id = ?,
               decided_by = ? WHERE id = ?",
        )
        .bind(decision_date.to_string())
        .bind(entry)
        .bind(actor.label())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "restoration_fund.confirm",
                entity_type: "fund_listing_proposal",
                entity_id: id.to_string(),
                before: Some(serde_json::json!({ "status": "proposed" })),
                after: Some(
                    serde_json::json!({ "status": "confirmed", "list_entry_id": entry,
                    "decision_number": decision_number.trim() }),
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// Dismisses proposal `id` with a reason (不予列入), on `today`; audit row
    /// `restoration_fund.dismiss`.
    ///
    /// # Errors
    /// [`StoreError::Invalid`]: a blank reason, a proposal already handled;
    /// [`StoreError::NotFound`]; [`StoreError::Db`].
    pub async fn dismiss_fund_listing(
        &self,
        id: i64,
        reason: &str,
        today: Date,
        actor: &Actor,
    ) -> Result<()> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(refuse("reason", "请填写不予列入的理由"));
        }
        let mut tx = self.begin_write().await?;
        Self::pending_proposal(&mut tx, id).await?;
        sqlx::query(
            "UPDATE fund_listing_proposals SET status = 'dismissed', decided_on = ?, dismiss_reason = ?,
               decided_by = ? WHERE id = ?",
        )
        .bind(today.to_string())
        .bind(reason)
        .bind(actor.label())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "restoration_fund.dismiss",
                entity_type: "fund_listing_proposal",
                entity_id: id.to_string(),
                before: Some(serde_json::json!({ "status": "proposed" })),
                after: Some(serde_json::json!({ "status": "dismissed", "reason": reason })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The fund over every mine for `year`, periods counted up to `today`: due, accrued and
    /// withdrawn within the year's quarters ended by `today`, mines short at the last of them
    /// and the shortfall summed. Unknown dues make `due` and the shortfall missing with the
    /// number of mines it could not judge (never counted as 0).
    ///
    /// # Errors
    /// Database errors.
    pub async fn fund_figures(&self, year: i32, today: Date) -> Result<FundFigures> {
        let ids = self.fund_mine_ids().await?;
        if ids.is_empty() {
            return Ok(FundFigures {
                year,
                ..FundFigures::default()
            });
        }
        let mut due = 0.0;
        let mut unknown = 0u32;
        let mut accrued = 0.0;
        let mut spent = 0.0;
        let mut short_mines = 0u32;
        let mut short_sum = 0.0;
        let mut mines = 0u32;
        let from = Date::start_of_year(year);
        let to = std::cmp::min(Date::end_of_year(year), today);
        for id in ids {
            let st = self.fund_statement(id, today).await?;
            let rows: Vec<&PeriodRow> = st.rows.iter().filter(|r| r.quarter.year == year).collect();
            if st.method.is_some() {
                mines += 1;
            }
            accrued += st.ledger.accrued_within(from, to);
            spent += st.ledger.spent_within(from, to);
            if st.method.is_none() {
                unknown += 1;
                continue;
            }
            let dues: Option<f64> = rows.iter().map(|r| r.due.as_ref().ok()).sum();
            match (dues, rows.last().map(|r| &r.shortfall)) {
                (Some(d), Some(Ok(s))) => {
                    due += d;
                    if *s > EPSILON_WAN_YUAN {
                        short_mines += 1;
                        short_sum += s;
                    }
                }
                (_, None) => {}
                _ => unknown += 1,
            }
        }
        let gap = |what: &str| {
            format!("无法判定：{unknown} 座矿山的{what}无法计算（未设定方法、未报送或未设置系数）")
        };
        Ok(FundFigures {
            year,
            mines,
            due_wan_yuan: if unknown == 0 {
                Reading::Value(round_wan(due))
            } else {
                Reading::Missing(gap("应计提金额"))
            },
            accrued_wan_yuan: Reading::Value(round_wan(accrued)),
            withdrawn_wan_yuan: Reading::Value(round_wan(spent)),
            mines_short: if unknown == 0 {
                Reading::Value(short_mines)
            } else {
                Reading::Missing(gap("计提短缺"))
            },
            shortfall_wan_yuan: if unknown == 0 {
                Reading::Value(round_wan(short_sum))
            } else {
                Reading::Missing(gap("计提短缺"))
            },
        })
    }
}

impl Store {
    /// The mines of the holder with 统一社会信用代码 `credit_code` (through their rights), by id.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn fund_mines_of_holder(&self, credit_code: &str) -> Result<Vec<i64>> {
        if credit_code.trim().is_empty() {
            return Ok(vec![]);
        }
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT mine_id FROM rights WHERE credit_code = ? AND mine_id IS NOT NULL ORDER BY 1",
        )
        .bind(credit_code)
        .fetch_all(&self.pool)
        .await?)
    }
}

impl Store {
    /// The mine of order `order_id`, if the order exists.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn fund_order_mine(&self, order_id: i64) -> Result<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT mine_id FROM fund_orders WHERE id = ?")
                .bind(order_id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }
}

impl Store {
    /// The fund's yearly public summary (每年向社会公示, 《规划》六（二）5) for `year`, counted to
    /// `today` within the year: per mine accrued, used, balance, due and shortfall. The typed
    /// payload for the 治理恢复基金公示 publication (review before publish).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn fund_public_summary(
        &self,
        year: i32,
        today: Date,
    ) -> Result<minplan_domain::restoration::fund::FundPublicSummary> {
        let as_of = std::cmp::min(Date::end_of_year(year), today);
        let mut mines = Vec::new();
        for id in self.fund_mine_ids().await? {
            let st = self.fund_statement(id, as_of).await?;
            mines.push(minplan_domain::restoration::fund::public_mine_summary(
                year,
                as_of,
                (
                    &st.mine.mine_name,
                    &st.mine.holder_name,
                    st.mine.credit_code.as_deref().unwrap_or(""),
                ),
                &st.ledger,
                st.method.map(|_| st.rows.as_slice()),
            ));
        }
        Ok(minplan_domain::restoration::fund::FundPublicSummary { year, as_of, mines })
    }
}
