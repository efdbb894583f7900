//! The bureau's settings and its numbering (migration 0010).
//!
//! * [`BureauSettings`] — what the bureau set: 机关名称, the 文号 pattern of its 审查意见书,
//!   the 受理号 (申请编号) pattern, the signature lines' titles and the seal caption; each
//!   unset field falls back to a default derived from the plan unit's name
//!   ([`EffectiveSettings`]). A change is checked whole (every field's problem at once) and
//!   written with its audit row (`settings.update`).
//! * Patterns: `{年}` is the year (four digits), `{号}` the number in the year's sequence,
//!   `{号:04}` the same padded with zeros to four digits; both must appear once, anything else
//!   is written as is: `绥自然资审〔{年}〕{号}号` → `绥自然资审〔2026〕12号`,
//!   `SFH-{年}-{号:04}` → `SFH-2026-0003`.
//! * Sequences, one per kind and year (`number_sequences`), move only inside the transaction
//!   that uses the number, so a transaction that fails consumes nothing and a number is never
//!   given twice:
//!   * 文号 — [`Store::opinion_number`] gives a review's opinion its number the first time it
//!     is asked for (the year of the review's Beijing date) and the same number every later
//!     time (`opinion_numbers`, rows never updated or deleted); the issuer in force then
//!     (机关名称, signature titles, seal caption, pattern) is frozen with it
//!     (`opinion_issuers`, migration 0013; [`IssuedOpinion`], [`Store::issue_opinion`]), so a
//!     later change of the settings never rewrites an issued opinion;
//!   * 受理号 — [`Store::next_intake_number`] says the next free one (the form pre-fills it,
//!     the API and `minplan review` use it when none is given); the review's save claims it
//!     ([`claim_intake_number`], in `save_review`'s transaction): a number of the pattern
//!     moves the year's sequence up to it, a number already used by another applicant is
//!     refused naming the field. A clerk may type a number ahead of the sequence: the
//!     numbers before it are then skipped by that clerk's choice, not silently.

use crate::audit::{self, Actor, AuditEntry};
use crate::{FieldError, Result, Store, StoreError, now_rfc3339};
use serde::{Deserialize, Serialize};
use sqlx::{Row, Sqlite, Transaction};

/// The default signature titles.
pub const DEFAULT_SIGNERS: [&str; 3] = ["承办人", "审核人", "签发人"];
/// The default seal caption.
pub const DEFAULT_SEAL_CAPTION: &str = "（印章）";
/// The default 受理号 pattern (`SQ-2026-007`).
pub const DEFAULT_INTAKE_PATTERN: &str = "SQ-{年}-{号:03}";

/// What the bureau set; `None` = not set (the default applies).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BureauSettings {
    /// 机关名称, e.g. `绥芬河市自然资源局`.
    pub bureau_name: Option<String>,
    /// 审查意见书文号 pattern, e.g. `绥自然资审〔{年}〕{号}号`.
    pub opinion_number_pattern: Option<String>,
    /// 受理号 pattern, e.g. `SFH-{年}-{号:04}`.
    pub intake_number_pattern: Option<String>,
    /// Signature line titles, in order, e.g. `承办人`, `审核人`, `签发人`.
    pub signers: Option<Vec<String>>,
    /// Seal caption, e.g. `（印章）`.
    pub seal_caption: Option<String>,
}

/// The settings in force: what was set, else the default of the plan unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct EffectiveSettings {
    /// 机关名称.
    pub bureau_name: String,
    /// 文号 pattern.
    pub opinion_number_pattern: String,
    /// 受理号 pattern.
    pub intake_number_pattern: String,
    /// Signature line titles.
    pub signers: Vec<String>,
    /// Seal caption.
    pub seal_caption: String,
    /// The fields not set, which show their default (`bureau_name`, …).
    pub defaulted: Vec<String>,
    /// When and by whom the settings were last changed (Beijing-time formatting is the
    /// page's); `None` when never set.
    pub updated_at: Option<String>,
    /// The actor of the last change, as recorded.
    pub updated_by: Option<String>,
}

/// A 审查意见书's 文号 with the issuer frozen when the number was assigned (migration 0013):
/// every later download prints these, not the 机关设置 in force by then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct IssuedOpinion {
    /// 文号, e.g. `绥自然资审〔2026〕1号`.
    pub number: String,
    /// 机关名称 at the time.
    pub bureau_name: String,
    /// Signature line titles at the time.
    pub signers: Vec<String>,
    /// Seal caption at the time.
    pub seal_caption: String,
    /// The 文号 pattern that wrote `number`.
    pub opinion_number_pattern: String,
}

/// The defaults of a plan unit named `unit` (`绥芬河市`): `绥芬河市自然资源局`,
/// `绥自然资审〔{年}〕{号}号` (the unit's first character as its short name),
/// [`DEFAULT_INTAKE_PATTERN`], [`DEFAULT_SIGNERS`], [`DEFAULT_SEAL_CAPTION`].
pub fn defaults(unit: &str) -> EffectiveSettings {
    let short: String = unit.chars().take(1).collect();
    EffectiveSettings {
        bureau_name: format!("{unit}自然资源局"),
        opinion_number_pattern: format!("{short}自然资审〔{{年}}〕{{号}}号"),
        intake_number_pattern: DEFAULT_INTAKE_PATTERN.into(),
        signers: DEFAULT_SIGNERS.iter().map(|s| s.to_string()).collect(),
        seal_caption: DEFAULT_SEAL_CAPTION.into(),
        defaulted: Vec::new(),
        updated_at: None,
        updated_by: None,
    }
}

/// A part of a number pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Year,
    Seq(usize),
}

/// A checked number pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberPattern(Vec<Piece>);

impl NumberPattern {
    /// Reads a pattern; the error says what is wrong, in Chinese.
    ///
    /// # Errors
    /// No `{年}` or `{号}`, either twice, an unknown `{…}`, a width that is not 1–9, or text
    /// longer than 60 characters.
    pub fn parse(s: &str) -> std::result::Result<NumberPattern, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("不能为空".into());
        }
        if s.chars().count() > 60 {
            return Err("不能超过 60 个字符".into());
        }
        let mut pieces = Vec::new();
        let mut rest = s;
        let mut text = String::new();
        while let Some(i) = rest.find('{') {
            text.push_str(&rest[..i]);
            let close = rest[i..]
                .find('}')
                .ok_or_else(|| "“{”没有对应的“}”".to_string())?;
            let tag = &rest[i + 1..i + close];
            if !text.is_empty() {
                pieces.push(Piece::Text(std::mem::take(&mut text)));
            }
            pieces.push(match tag {
                "年" => Piece::Year,
                "号" => Piece::Seq(0),
                t if t.starts_with("号:") => {
                    let w = &t["号:".len()..];
                    match w.parse::<usize>() {
                        Ok(n) if (1..=9).contains(&n) && w.bytes().all(|b| b.is_ascii_digit()) => {
                            Piece::Seq(n)
                        }
                        _ => return Err(format!("“{{{t}}}”的位数须为 1–9，如 {{号:04}}")),
                    }
                }
                t => {
                    return Err(format!(
                        "不认识“{{{t}}}”：只能用 {{年}}、{{号}} 或 {{号:04}}"
                    ));
                }
            });
            rest = &rest[i + close + 1..];
        }
        text.push_str(rest);
        if text.contains('}') {
            return Err("“}”没有对应的“{”".into());
        }
        if !text.is_empty() {
            pieces.push(Piece::Text(text));
        }
        let years = pieces.iter().filter(|p| **p == Piece::Year).count();
        let seqs = pieces.iter().filter(|p| matches!(p, Piece::Seq(_))).count();
        if years != 1 {
            return Err("须含一次 {年}（编号按年排序）".into());
        }
        if seqs != 1 {
            return Err("须含一次 {号} 或 {号:04}".into());
        }
        Ok(NumberPattern(pieces))
    }

    /// Whether `{年}` and `{号}` are kept apart by text holding a non-digit (`SQ-{年}-{号}`),
    /// so a number reads one way only; `{年}{号}` would write 2026 / 1 as `20261` and
    /// `{号}{年}` could not be read back. The 机关设置 refuse a pattern that is not.
    pub fn separated(&self) -> bool {
        let at = |want: fn(&Piece) -> bool| self.0.iter().position(want);
        let (Some(y), Some(n)) = (
            at(|p| *p == Piece::Year),
            at(|p| matches!(p, Piece::Seq(_))),
        ) else {
            return false;
        };
        self.0[y.min(n) + 1..y.max(n)]
            .iter()
            .any(|p| matches!(p, Piece::Text(t) if t.chars().any(|c| !c.is_ascii_digit())))
    }

    /// The number `seq` of `year`.
    pub fn format(&self, year: i32, seq: i64) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.clone(),
                Piece::Year => format!("{year:04}"),
                Piece::Seq(w) => format!("{seq:0w$}", w = *w),
            })
            .collect()
    }

    /// The year and sequence number of a number written by this pattern, or `None`.
    pub fn read(&self, s: &str) -> Option<(i32, i64)> {
        let mut rest = s.trim();
        let (mut year, mut seq) = (None, None);
        for p in &self.0 {
            match p {
                Piece::Text(t) => rest = rest.strip_prefix(t.as_str())?,
                Piece::Year => {
                    let y = rest.get(..4)?;
                    year = Some(
                        y.parse::<i32>()
                            .ok()
                            .filter(|_| y.bytes().all(|b| b.is_ascii_digit()))?,
                    );
                    rest = &rest[4..];
                }
                Piece::Seq(w) => {
                    let n = rest.bytes().take_while(u8::is_ascii_digit).count();
                    if n == 0 || n < *w {
                        return None;
                    }
                    seq = Some(rest[..n].parse::<i64>().ok()?);
                    rest = &rest[n..];
                }
            }
        }
        rest.is_empty().then_some(())?;
        Some((year?, seq?))
    }
}

/// The year of an RFC 3339 time (`2026-12-31T16:30:00Z`, `…+08:00`) in Beijing (UTC+8);
/// `None` when it is not one.
pub fn beijing_year(at: &str) -> Option<i32> {
    let s = at.trim();
    let digits = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        t.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| t.parse().ok())?
    };
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if !matches!(s.as_bytes().get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let minutes = digits(11..13)? * 60 + digits(14..16)?;
    let offset = if s.ends_with(['Z', 'z']) {
        0
    } else {
        let k = s.get(19..)?.rfind(['+', '-'])? + 19;
        let sign = if s.as_bytes()[k] == b'-' { -1 } else { 1 };
        sign * (digits(k + 1..k + 3)? * 60 + digits(k + 4..k + 6)?)
    };
    let beijing = minutes - offset + 8 * 60;
    let year = if beijing >= 1440 && m == 12 && d == 31 {
        y + 1
    } else if beijing < 0 && m == 1 && d == 1 {
        y - 1
    } else {
        y
    };
    i32::try_from(year).ok()
}

fn opt_text(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The settings with blank fields made `None` and every problem named by its field.
fn checked(new: &BureauSettings) -> std::result::Result<BureauSettings, Vec<FieldError>> {
    let mut errors = Vec::new();
    let s = BureauSettings {
        bureau_name: opt_text(new.bureau_name.clone()),
        opinion_number_pattern: opt_text(new.opinion_number_pattern.clone()),
        intake_number_pattern: opt_text(new.intake_number_pattern.clone()),
        signers: new
            .signers
            .as_ref()
            .map(|v| {
                v.iter()
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
            })
            .filter(|v| !v.is_empty()),
        seal_caption: opt_text(new.seal_caption.clone()),
    };
    if let Some(b) = &s.bureau_name
        && b.chars().count() > 40
    {
        errors.push(FieldError::new("bureau_name", "机关名称不能超过 40 个字符"));
    }
    for (field, label, v) in [
        (
            "opinion_number_pattern",
            "审查意见书文号格式",
            &s.opinion_number_pattern,
        ),
        (
            "intake_number_pattern",
            "受理号格式",
            &s.intake_number_pattern,
        ),
    ] {
        if let Some(p) = v {
            match NumberPattern::parse(p) {
                Err(e) => errors.push(FieldError::new(field, format!("{label}“{p}”{e}"))),
                Ok(np) if !np.separated() => errors.push(FieldError::new(
                    field,
                    format!(
                        "{label}“{p}”的 {{年}} 与 {{号}} 之间须有非数字的分隔文字（如 -、〔〕、第），否则 2026 年第 1 号写作“20261”，与其他编号难以区分"
                    ),
                )),
                Ok(_) => {}
            }
        }
    }
    if let Some(v) = &s.signers {
        if v.len() > 6 {
            errors.push(FieldError::new("signers", "签署栏最多 6 项"));
        }
        if let Some(t) = v.iter().find(|t| t.chars().count() > 10) {
            errors.push(FieldError::new(
                "signers",
                format!("签署栏职务“{t}”不能超过 10 个字符"),
            ));
        }
    }
    if let Some(c) = &s.seal_caption
        && c.chars().count() > 20
    {
        errors.push(FieldError::new(
            "seal_caption",
            "印章说明不能超过 20 个字符",
        ));
    }
    if errors.is_empty() {
        Ok(s)
    } else {
        Err(errors)
    }
}

/// Reads the settings row inside a transaction or on the pool.
async fn read_row<'e, E>(ex: E) -> Result<(BureauSettings, Option<(String, String)>)>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
{
    let row = sqlx::query("SELECT * FROM bureau_settings WHERE id = 1")
        .fetch_optional(ex)
        .await?;
    Ok(match row {
        None => (BureauSettings::default(), None),
        Some(r) => (
            BureauSettings {
                bureau_name: r.get("bureau_name"),
                opinion_number_pattern: r.get("opinion_number_pattern"),
                intake_number_pattern: r.get("intake_number_pattern"),
                signers: r
                    .get::<Option<String>, _>("signers_json")
                    .and_then(|j| serde_json::from_str(&j).ok()),
                seal_caption: r.get("seal_caption"),
            },
            Some((r.get("updated_at"), r.get("updated_by"))),
        ),
    })
}

fn effective(
    set: BureauSettings,
    changed: Option<(String, String)>,
    unit: &str,
) -> EffectiveSettings {
    let mut e = defaults(unit);
    let mut defaulted = Vec::new();
    macro_rules! take {
        ($f:ident) => {
            match set.$f {
                Some(v) => e.$f = v,
                None => defaulted.push(stringify!($f).to_string()),
            }
        };
    }
    take!(bureau_name);
    take!(opinion_number_pattern);
    take!(intake_number_pattern);
    take!(signers);
    take!(seal_caption);
    e.defaulted = defaulted;
    if let Some((at, by)) = changed {
        e.updated_at = Some(at);
        e.updated_by = Some(by);
    }
    e
}

/// The 受理号 pattern in force (stored or default), inside a transaction.
async fn intake_pattern(tx: &mut Transaction<'static, Sqlite>) -> Result<NumberPattern> {
    let (set, _) = read_row(&mut **tx).await?;
    let p = set
        .intake_number_pattern
        .unwrap_or_else(|| DEFAULT_INTAKE_PATTERN.into());
    NumberPattern::parse(&p).map_err(|e| StoreError::Internal(format!("受理号格式“{p}”{e}")))
}

async fn last_of(tx: &mut Transaction<'static, Sqlite>, kind: &str, year: i32) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT last FROM number_sequences WHERE kind = ? AND year = ?")
            .bind(kind)
            .bind(year)
            .fetch_optional(&mut **tx)
            .await?
            .unwrap_or(0),
    )
}

async fn set_last(
    tx: &mut Transaction<'static, Sqlite>,
    kind: &str,
    year: i32,
    last: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO number_sequences (kind, year, last) VALUES (?, ?, ?)
         ON CONFLICT (kind, year) DO UPDATE SET last = max(last, excluded.last)",
    )
    .bind(kind)
    .bind(year)
    .bind(last)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Claims the 受理号 (申请编号) `number` of an application of the holder with
/// `credit_code`, inside the transaction that saves its review (`Store::save_review`): a
/// number already used by another applicant is refused (`number` field, nothing written); a
/// number written by the 受理号 pattern moves that year's sequence up to it. A new review of
/// the same application (same number, same applicant) claims nothing new.
///
/// # Errors
/// [`StoreError::Invalid`] for a number of another applicant; [`StoreError::Db`].
pub(crate) async fn claim_intake_number(
    tx: &mut Transaction<'static, Sqlite>,
    number: &str,
    credit_code: &str,
    holder_name: &str,
) -> Result<()> {
    let other: Option<(Option<String>, Option<String>)> = sqlx::query(
        "SELECT json_extract(r.result_json, '$.application.credit_code') AS code,
                json_extract(r.result_json, '$.application.holder_name') AS holder
         FROM applications a JOIN reviews r ON r.id = a.latest_review_id WHERE a.number = ?",
    )
    .bind(number)
    .fetch_optional(&mut **tx)
    .await?
    .map(|r| (r.get("code"), r.get("holder")));
    if let Some((code, holder)) = other
        && code.as_deref().is_some_and(|c| c != credit_code)
    {
        return Err(StoreError::Invalid(vec![FieldError::new(
            "number",
            format!(
                "申请编号（受理号）“{number}”已用于{}的申请，不能用于{holder_name}的申请；同一申请重新审查时沿用原编号，新申请请使用下一个受理号",
                holder.unwrap_or_else(|| "另一申请人".into())
            ),
        )]));
    }
    if let Some((year, seq)) = intake_pattern(tx).await?.read(number) {
        set_last(tx, "intake", year, seq).await?;
    }
    Ok(())
}

impl Store {
    /// The settings as the bureau set them (unset fields `None`).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn bureau_settings(&self) -> Result<BureauSettings> {
        Ok(read_row(&self.pool).await?.0)
    }

    /// The settings in force for the plan unit named `unit` (e.g. `绥芬河市`): each unset
    /// field is its default ([`defaults`]) and is listed in `defaulted`.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn effective_settings(&self, unit: &str) -> Result<EffectiveSettings> {
        let (set, changed) = read_row(&self.pool).await?;
        Ok(effective(set, changed, unit))
    }

    /// Replaces the settings (a blank field is unset: its default applies again), with the
    /// audit row `settings.update` (before and after) in the same transaction.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] with every field's problem (nothing written);
    /// [`StoreError::Db`].
    pub async fn set_bureau_settings(&self, new: &BureauSettings, actor: &Actor) -> Result<()> {
        let s = checked(new).map_err(StoreError::Invalid)?;
        let mut tx = self.begin_write().await?;
        let (before, _) = read_row(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO bureau_settings (id, bureau_name, opinion_number_pattern, intake_number_pattern, signers_json, seal_caption, updated_at, updated_by)
             VALUES (1, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET bureau_name = excluded.bureau_name,
               opinion_number_pattern = excluded.opinion_number_pattern,
               intake_number_pattern = excluded.intake_number_pattern,
               signers_json = excluded.signers_json, seal_caption = excluded.seal_caption,
               updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(&s.bureau_name)
        .bind(&s.opinion_number_pattern)
        .bind(&s.intake_number_pattern)
        .bind(s.signers.as_ref().map(|v| serde_json::to_string(v).unwrap_or_default()))
        .bind(&s.seal_caption)
        .bind(now_rfc3339())
        .bind(actor.label())
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "settings.update",
                entity_type: "settings",
                entity_id: "bureau".into(),
                before: Some(serde_json::to_value(&before).unwrap_or_default()),
                after: Some(serde_json::to_value(&s).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The next free 受理号 of `year` by the pattern in force (not taken until a review with
    /// it is saved; see [`claim_intake_number`]).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn next_intake_number(&self, year: i32) -> Result<String> {
        let mut tx = self.pool.begin().await?;
        let pattern = intake_pattern(&mut tx).await?;
        let mut seq = last_of(&mut tx, "intake", year).await? + 1;
        // A number typed outside the sequence (another pattern, or before the settings) may
        // already exist: never offer a used one.
        loop {
            let n = pattern.format(year, seq);
            let used: bool =
                sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM applications WHERE number = ?)")
                    .bind(&n)
                    .fetch_one(&mut *tx)
                    .await?;
            if !used {
                tx.rollback().await?;
                return Ok(n);
            }
            seq += 1;
        }
    }

    /// The 文号 review `review_id`'s 审查意见书 already received, if any (nothing assigned).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn assigned_opinion_number(&self, review_id: i64) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT number FROM opinion_numbers WHERE review_id = ?")
                .bind(review_id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// The 文号 of review `review_id`'s 审查意见书: the one it received before, or the next of
    /// the year of the review's Beijing date by the pattern in force for the plan unit `unit`
    /// — assigned, with its audit row (`opinion.number`), in one transaction.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown review; [`StoreError::Db`].
    pub async fn opinion_number(
        &self,
        review_id: i64,
        unit: &str,
        actor: &Actor,
    ) -> Result<String> {
        if let Some(n) = sqlx::query_scalar::<_, String>(
            "SELECT number FROM opinion_numbers WHERE review_id = ?",
        )
        .bind(review_id)
        .fetch_optional(&self.pool)
        .await?
        {
            return Ok(n);
        }
        let mut tx = self.begin_write().await?;
        if let Some(n) = sqlx::query_scalar::<_, String>(
            "SELECT number FROM opinion_numbers WHERE review_id = ?",
        )
        .bind(review_id)
        .fetch_optional(&mut *tx)
        .await?
        {
            return Ok(n);
        }
        let reviewed_at: String =
            sqlx::query_scalar("SELECT reviewed_at FROM reviews WHERE id = ?")
                .bind(review_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| {
                    StoreError::NotFound(format!("没有编号为 {review_id} 的审查记录"))
                })?;
        let year = beijing_year(&reviewed_at)
            .ok_or_else(|| StoreError::Internal(format!("审查时间“{reviewed_at}”无法识别")))?;
        let (set, changed) = read_row(&mut *tx).await?;
        let in_force = effective(set, changed, unit);
        let pattern_text = in_force.opinion_number_pattern.clone();
        let pattern = NumberPattern::parse(&pattern_text)
            .map_err(|e| StoreError::Internal(format!("文号格式“{pattern_text}”{e}")))?;
        let seq = last_of(&mut tx, "opinion", year).await? + 1;
        let number = pattern.format(year, seq);
        set_last(&mut tx, "opinion", year, seq).await?;
        sqlx::query(
            "INSERT INTO opinion_numbers (review_id, year, seq, number, assigned_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(review_id)
        .bind(year)
        .bind(seq)
        .bind(&number)
        .bind(now_rfc3339())
        .execute(&mut *tx)
        .await?;
        freeze_issuer(&mut tx, review_id, &in_force).await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "opinion.number",
                entity_type: "review",
                entity_id: review_id.to_string(),
                before: None,
                after: Some(serde_json::json!({ "文号": number, "year": year, "seq": seq })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(number)
    }

    /// Review `review_id`'s 文号 with its frozen issuer, if a number was assigned; `None`
    /// otherwise (nothing assigned). A number assigned before migration 0013 has no frozen
    /// issuer yet: the settings in force for the plan unit `unit` are frozen for it now, so
    /// this and every later download agree.
    ///
    /// # Errors
    /// [`StoreError::Db`]; [`StoreError::Internal`] for an unreadable stored signer list.
    pub async fn issued_opinion(
        &self,
        review_id: i64,
        unit: &str,
    ) -> Result<Option<IssuedOpinion>> {
        if let Some(i) = read_issued(&self.pool, review_id).await? {
            return Ok(i.into_issued());
        }
        let mut tx = self.begin_write().await?;
        let Some(i) = read_issued(&mut *tx, review_id).await? else {
            return Ok(None);
        };
        if i.bureau_name.is_none() {
            let (set, changed) = read_row(&mut *tx).await?;
            freeze_issuer(&mut tx, review_id, &effective(set, changed, unit)).await?;
        }
        let i = read_issued(&mut *tx, review_id).await?;
        tx.commit().await?;
        Ok(i.and_then(Issued::into_issued))
    }

    /// The 文号 of review `review_id`'s 审查意见书 ([`Store::opinion_number`], assigned when
    /// none was) with the issuer frozen when it was assigned ([`Store::issued_opinion`]).
    ///
    /// # Errors
    /// As [`Store::opinion_number`].
    pub async fn issue_opinion(
        &self,
        review_id: i64,
        unit: &str,
        actor: &Actor,
    ) -> Result<IssuedOpinion> {
        let number = self.opinion_number(review_id, unit, actor).await?;
        self.issued_opinion(review_id, unit)
            .await?
            .ok_or_else(|| StoreError::Internal(format!("文号 {number} 的签发机关未能保存")))
    }
}

/// A row of `opinion_numbers` left-joined with its frozen issuer.
struct Issued {
    number: String,
    bureau_name: Option<String>,
    signers_json: Option<String>,
    seal_caption: Option<String>,
    pattern: Option<String>,
}

impl Issued {
    /// The issued opinion, `None` while no issuer is frozen.
    fn into_issued(self) -> Option<IssuedOpinion> {
        Some(IssuedOpinion {
            number: self.number,
            bureau_name: self.bureau_name?,
            signers: serde_json::from_str(self.signers_json.as_deref()?).ok()?,
            seal_caption: self.seal_caption?,
            opinion_number_pattern: self.pattern?,
        })
    }
}

async fn read_issued<'e, E>(ex: E, review_id: i64) -> Result<Option<Issued>>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
{
    Ok(sqlx::query(
        "SELECT n.number, i.bureau_name, i.signers_json, i.seal_caption, i.opinion_number_pattern
         FROM opinion_numbers n LEFT JOIN opinion_issuers i ON i.review_id = n.review_id
         WHERE n.review_id = ?",
    )
    .bind(review_id)
    .fetch_optional(ex)
    .await?
    .map(|r| Issued {
        number: r.get("number"),
        bureau_name: r.get("bureau_name"),
        signers_json: r.get("signers_json"),
        seal_caption: r.get("seal_caption"),
        pattern: r.get("opinion_number_pattern"),
    }))
}

/// Freezes `s` as the issuer of review `review_id`'s numbered opinion (a row already there
/// stays as it is).
async fn freeze_issuer(
    tx: &mut Transaction<'static, Sqlite>,
    review_id: i64,
    s: &EffectiveSettings,
) -> Result<()> {
    sqlx::query(
        "INSERT OR IGNORE INTO opinion_issuers (review_id, bureau_name, signers_json, seal_caption, opinion_number_pattern, frozen_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(review_id)
    .bind(&s.bureau_name)
    .bind(serde_json::to_string(&s.signers).map_err(|e| StoreError::Internal(e.to_string()))?)
    .bind(&s.seal_caption)
    .bind(&s.opinion_number_pattern)
    .bind(now_rfc3339())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The application file with `number = "<next>"` added when it states no 申请编号
/// (受理号): a `number` key before the first table, empty or absent.
pub fn with_intake_number(toml: &str, next: &str) -> Option<String> {
    let top = toml
        .lines()
        .take_while(|l| !l.trim_start().starts_with('['))
        .find(|l| {
            let t = l.trim_start();
            t.strip_prefix("number")
                .is_some_and(|r| r.trim_start().starts_with('='))
        });
    match top {
        Some(line) => {
            let value = line.split_once('=').map(|x| x.1.trim()).unwrap_or("");
            (value == "\"\"" || value == "''")
                .then(|| toml.replacen(line, &format!("number = \"{next}\""), 1))
        }
        None => Some(format!("number = \"{next}\"\n{toml}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_is_added_only_when_none_is_given() {
        assert_eq!(
            with_intake_number("format = \"x\"\n[holder]\nnumber = \"a\"\n", "SQ-2026-001")
                .unwrap(),
            "number = \"SQ-2026-001\"\nformat = \"x\"\n[holder]\nnumber = \"a\"\n"
        );
        assert_eq!(
            with_intake_number("number = \"\"\nkind = \"新立\"\n", "SQ-2026-002").unwrap(),
            "number = \"SQ-2026-002\"\nkind = \"新立\"\n"
        );
        assert_eq!(
            with_intake_number("number = \"SFH-1\"\n", "SQ-2026-002"),
            None
        );
    }

    #[test]
    fn patterns_write_and_read_numbers() {
        let p = NumberPattern::parse("SFH-{年}-{号:04}").unwrap();
        assert_eq!(p.format(2026, 3), "SFH-2026-0003");
        assert_eq!(p.read("SFH-2026-0003"), Some((2026, 3)));
        assert_eq!(p.read("SFH-2026-12345"), Some((2026, 12345)));
        assert_eq!(p.read("SFH-2026-03"), None);
        assert_eq!(p.read("SQ-2026-0003"), None);
        let w = NumberPattern::parse("绥自然资审〔{年}〕{号}号").unwrap();
        assert_eq!(w.format(2026, 12), "绥自然资审〔2026〕12号");
        assert_eq!(w.read("绥自然资审〔2026〕12号"), Some((2026, 12)));
        for bad in [
            "SQ-{号}",
            "SQ-{年}",
            "{年}{年}{号}",
            "{年}-{序号}",
            "{年}-{号:x}",
            "{年}-{号",
            "",
        ] {
            assert!(NumberPattern::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn defaults_come_from_the_unit_name() {
        let d = defaults("绥芬河市");
        assert_eq!(d.bureau_name, "绥芬河市自然资源局");
        assert_eq!(d.opinion_number_pattern, "绥自然资审〔{年}〕{号}号");
        assert_eq!(d.signers, ["承办人", "审核人", "签发人"]);
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let e = checked(&BureauSettings {
            bureau_name: Some("局".repeat(41)),
            opinion_number_pattern: Some("{号}".into()),
            intake_number_pattern: Some("SQ-{年}".into()),
            signers: None,
            seal_caption: None,
        })
        .unwrap_err();
        let fields: Vec<&str> = e.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "bureau_name",
                "opinion_number_pattern",
                "intake_number_pattern"
            ]
        );
    }

    #[test]
    fn year_and_number_must_be_kept_apart() {
        for p in ["{年}{号}", "SQ{号:03}{年}", "{年}0{号}"] {
            let e = checked(&BureauSettings {
                intake_number_pattern: Some(p.into()),
                ..BureauSettings::default()
            })
            .unwrap_err();
            assert_eq!(e[0].field, "intake_number_pattern", "{p}");
            assert!(e[0].message.contains("分隔文字"), "{}", e[0].message);
        }
        for p in ["SQ-{年}-{号:03}", "绥自然资审〔{年}〕{号}号", "{号}/{年}"] {
            assert!(NumberPattern::parse(p).unwrap().separated(), "{p}");
        }
    }

    #[test]
    fn beijing_years() {
        assert_eq!(beijing_year("2026-12-31T16:30:00Z"), Some(2027));
        assert_eq!(beijing_year("2026-12-31T15:59:59.5Z"), Some(2026));
        assert_eq!(beijing_year("2027-01-01T07:00:00+08:00"), Some(2027));
        assert_eq!(beijing_year("2027-01-01T01:00:00-05:00"), Some(2027));
        assert_eq!(beijing_year("2026-06-01T01:00:00-12:00"), Some(2026));
        assert_eq!(beijing_year("昨天"), None);
    }
}
