//! The verifiable draw of 双随机、一公开 (《规划》四（三）3（3）; 自然资源部令第13号 on the
//! random proportion of rights checked): targets drawn from the 随机抽查对象库 per item and
//! stratum, at least two inspectors assigned to each, never one with a 回避 relation, load
//! balanced — and a proof anyone can re-check.
//!
//! # Commit, reveal, verify
//! 1. Before drawing, the bureau publishes the inputs ([`DrawInputs`], in canonical JSON:
//!    [`DrawInputs::canonical_bytes`]) and the commitment [`commitment`] = hex SHA-256 of
//!    (canonical inputs ‖ 0x00 ‖ the 32 seed bytes). The seed is secret (the store makes it
//!    with the operating system's CSPRNG); nobody, the bureau included, can choose targets
//!    after seeing the inputs without changing the commitment.
//! 2. The draw reveals the seed; [`draw`] is a pure function of (inputs, seed).
//! 3. Anyone re-runs it: [`verify`] recomputes the commitment (a changed candidate list,
//!    parameter or seed is “承诺不符”) and the draw, and compares the published result target
//!    by target.
//!
//! # The algorithm (`双随机抽查/v1`, also written out in Chinese in `docs/inspection-draw.md`)
//! * **RNG**: ChaCha20 (20 rounds, 64-bit block counter from 0, nonce 0) keyed by
//!   SHA-256(UTF-8 `"双随机抽查/v1"` ‖ seed). `next_u64` is the next 8 bytes of the key
//!   stream read little-endian (the `rand_chacha` 0.3 `ChaCha20Rng`, pinned).
//!   `below(n)` (0 ≤ x < n): let `limit = ⌊2⁶⁴ / n⌋ × n`; draw `x = next_u64` until
//!   `x < limit`; return `x mod n`.
//! * **Sampling**: for each item in 事项编号 order (byte order of UTF-8), for each stratum in
//!   sorted order (the stratum's name, UTF-8 byte order: the right kind's label, the approval
//!   level as written or `未载明`, or `全部` when not stratified): the candidates of the stratum
//!   whose kind the item applies to, sorted by 许可证号; `n = ⌈count × 比例(万分之一) /
//!   10000⌉`; partial Fisher–Yates: for `i` in `0..n`, `j = i + below(count − i)`, swap
//!   positions `i` and `j`; the first `n` are drawn. A right drawn by several items is one
//!   target with those items (in 事项编号 order).
//! * **Assignment**: targets in 许可证号 order. For each target draw `r = below(m)`, `m` the
//!   number of inspectors in post (sorted by 执法证号, positions `0..m`). The eligible
//!   inspectors are those in post whose (执法证号, 许可证号) is not an exclusion pair; take the
//!   `k` ([`DrawInputs::inspectors_per_target`], ≥ 2) with the least current load (targets
//!   assigned so far in this draw), ties broken by the rotated position `(pos − r) mod m`
//!   (smallest first); each chosen inspector's load goes up by one. Fewer than `k` eligible:
//!   the draw is refused, naming the target ([`DrawError::NotEnoughInspectors`]).
//!
//! The least-loaded choice walks an ordered set of (load, position), so a draw of 50,000
//! candidates and 500 inspectors is linear-logarithmic, not quadratic.

use super::library::{Candidate, Inspector};
use crate::application::RightKind;
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The algorithm's name, in the inputs and in the RNG key.
pub const ALGORITHM: &str = "双随机抽查/v1";

/// The least number of inspectors per target (两人以上).
pub const MIN_INSPECTORS_PER_TARGET: u32 = 2;

/// How the candidates of an item are stratified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StrataKey {
    /// 不分层: one stratum `全部`.
    None,
    /// 按矿业权类型 (探矿权 / 采矿权).
    RightKind,
    /// 按审批级别 (省级 / 市级划定 / 本级审批 / 未载明).
    Approval,
}

impl StrataKey {
    /// Every key, in form order.
    pub const ALL: [StrataKey; 3] = [StrataKey::None, StrataKey::RightKind, StrataKey::Approval];

    /// The stored code: `none`, `right_kind`, `approval`.
    pub fn code(&self) -> &'static str {
        match self {
            StrataKey::None => "none",
            StrataKey::RightKind => "right_kind",
            StrataKey::Approval => "approval",
        }
    }

    /// 不分层 / 按矿业权类型分层 / 按审批级别分层.
    pub fn label(&self) -> &'static str {
        match self {
            StrataKey::None => "不分层",
            StrataKey::RightKind => "按矿业权类型分层",
            StrataKey::Approval => "按审批级别分层",
        }
    }

    /// From the code.
    pub fn parse(s: &str) -> Option<StrataKey> {
        Self::ALL.into_iter().find(|k| k.code() == s.trim())
    }

    /// The stratum of a candidate.
    pub fn stratum_of<'a>(&self, c: &'a Candidate) -> &'a str {
        match self {
            StrataKey::None => "全部",
            StrataKey::RightKind => c.kind.label(),
            StrataKey::Approval => c.approval.as_deref().unwrap_or("未载明"),
        }
    }
}

/// An item as the draw uses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawItem {
    /// 事项编号.
    pub code: String,
    /// 事项名称.
    pub name: String,
    /// 抽查比例 in 万分之一 (1..=10000; 5% is 500).
    pub proportion_bp: u32,
    /// The right kinds it applies to (sorted by label in canonical form).
    pub right_kinds: Vec<RightKind>,
}

/// The library versions a draw used (each edit of a library bumps its version).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LibraryVersions {
    /// 执法检查人员名录库 version.
    pub inspectors: i64,
    /// 抽查事项清单 version.
    pub items: i64,
}

/// The published inputs of a draw. Canonical form ([`DrawInputs::canonicalize`]): items by
/// code, candidates by 许可证号 (minerals sorted), inspectors by 执法证号, exclusion pairs
/// sorted without duplicates; JSON with the fields in declaration order and no spaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawInputs {
    /// [`ALGORITHM`].
    pub algorithm: String,
    /// 计划年度.
    pub plan_year: i32,
    /// 抽查计划名称.
    pub plan_name: String,
    /// The register date the 随机抽查对象库 was generated for (YYYY-MM-DD).
    pub register_date: String,
    /// Stratification.
    pub strata: StrataKey,
    /// Inspectors per target (≥ [`MIN_INSPECTORS_PER_TARGET`]).
    pub inspectors_per_target: u32,
    /// Library versions used.
    pub library_versions: LibraryVersions,
    /// 抽查事项 with the plan's proportions.
    pub items: Vec<DrawItem>,
    /// 随机抽查对象库.
    pub candidates: Vec<Candidate>,
    /// 执法检查人员名录库 (those not in post are listed and never drawn).
    pub inspectors: Vec<Inspector>,
    /// (执法证号, 许可证号) pairs never assigned (from the 回避 relations; the relation is not
    /// published).
    pub exclusions: Vec<(String, String)>,
}

impl DrawInputs {
    /// Sorts everything into canonical order (see the type).
    pub fn canonicalize(&mut self) {
        self.items.sort_by(|a, b| a.code.cmp(&b.code));
        for i in &mut self.items {
            i.right_kinds.sort_by_key(|k| k.label());
            i.right_kinds.dedup();
        }
        self.candidates.sort_by(|a, b| a.right_id.cmp(&b.right_id));
        for c in &mut self.candidates {
            c.minerals.sort();
        }
        self.inspectors.sort_by(|a, b| a.badge_no.cmp(&b.badge_no));
        self.exclusions.sort();
        self.exclusions.dedup();
    }

    /// The canonical JSON bytes the commitment is over.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut c = self.clone();
        c.canonicalize();
        serde_json::to_vec(&c).expect("the inputs serialize")
    }
}

/// The secret seed: 32 bytes, made by the store with the operating system's CSPRNG.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seed(pub [u8; 32]);

impl Seed {
    /// Lower-case hex (64 characters).
    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }

    /// From 64 hex characters.
    ///
    /// # Errors
    /// A Chinese message when it is not 64 hex characters.
    pub fn from_hex(s: &str) -> Result<Seed, String> {
        let s = s.trim();
        if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("种子“{s}”应为 64 位十六进制数"));
        }
        let mut out = [0u8; 32];
        for (i, o) in out.iter_mut().enumerate() {
            *o = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex checked");
        }
        Ok(Seed(out))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The commitment: hex SHA-256 of (canonical inputs ‖ 0x00 ‖ seed bytes).
pub fn commitment(inputs: &DrawInputs, seed: &Seed) -> String {
    let mut h = Sha256::new();
    h.update(inputs.canonical_bytes());
    h.update([0u8]);
    h.update(seed.0);
    hex(&h.finalize())
}

/// The draw's random numbers (see the module doc).
struct DrawRng(ChaCha20Rng);

impl DrawRng {
    fn new(seed: &Seed) -> DrawRng {
        let mut h = Sha256::new();
        h.update(ALGORITHM.as_bytes());
        h.update(seed.0);
        DrawRng(ChaCha20Rng::from_seed(h.finalize().into()))
    }

    /// Uniform in `0..n` by rejection sampling (`n ≥ 1`).
    fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        let limit = ((1u128 << 64) / u128::from(n)) * u128::from(n);
        loop {
            let x = self.0.next_u64();
            if u128::from(x) < limit {
                return x % n;
            }
        }
    }
}

/// A drawn target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawnTarget {
    /// 许可证号.
    pub right_id: String,
    /// 矿业权人.
    pub holder_name: String,
    /// 统一社会信用代码, when known.
    pub credit_code: Option<String>,
    /// 探矿权 / 采矿权.
    pub kind: RightKind,
    /// The items to check (事项编号, in code order).
    pub items: Vec<String>,
    /// The inspectors assigned (执法证号, sorted).
    pub inspectors: Vec<String>,
}

/// How many were drawn from one stratum for one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StratumSample {
    /// 事项编号.
    pub item: String,
    /// The stratum's name.
    pub stratum: String,
    /// Candidates in the stratum the item applies to.
    pub candidates: u64,
    /// Drawn: ⌈candidates × 比例⌉.
    pub drawn: u64,
}

/// The result of a draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawResult {
    /// Targets by 许可证号.
    pub targets: Vec<DrawnTarget>,
    /// Counts per item and stratum.
    pub samples: Vec<StratumSample>,
}

/// Why a draw cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DrawError {
    /// Fewer eligible inspectors than required for a target.
    #[error(
        "抽查对象 {right_id}（{holder_name}）只有 {eligible} 名可分派的检查人员（在岗且无需回避），少于每个对象 {required} 名，不能抽取"
    )]
    NotEnoughInspectors {
        /// 许可证号.
        right_id: String,
        /// 矿业权人.
        holder_name: String,
        /// Eligible inspectors.
        eligible: usize,
        /// Required.
        required: u32,
    },
    /// The inputs are not a draw's (named).
    #[error("抽取参数有误：{0}")]
    Invalid(String),
}

fn check(inputs: &DrawInputs) -> Result<(), DrawError> {
    let bad = |m: String| Err(DrawError::Invalid(m));
    if inputs.algorithm != ALGORITHM {
        return bad(format!(
            "算法“{}”不是本系统的“{ALGORITHM}”",
            inputs.algorithm
        ));
    }
    if inputs.inspectors_per_target < MIN_INSPECTORS_PER_TARGET {
        return bad(format!(
            "每个抽查对象的检查人员数 {} 少于 {MIN_INSPECTORS_PER_TARGET} 名",
            inputs.inspectors_per_target
        ));
    }
    if inputs.items.is_empty() {
        return bad("没有抽查事项".into());
    }
    for i in &inputs.items {
        if !(1..=10_000).contains(&i.proportion_bp) {
            return bad(format!(
                "事项 {} 的抽查比例 {} (万分之一) 应在 1 至 10000 之间",
                i.code, i.proportion_bp
            ));
        }
    }
    let dup = |mut v: Vec<&str>, what: &str| -> Result<(), DrawError> {
        v.sort_unstable();
        match v.windows(2).find(|w| w[0] == w[1]) {
            Some(w) => Err(DrawError::Invalid(format!("{what} {} 重复", w[0]))),
            None => Ok(()),
        }
    };
    dup(
        inputs.items.iter().map(|i| i.code.as_str()).collect(),
        "事项编号",
    )?;
    dup(
        inputs
            .candidates
            .iter()
            .map(|c| c.right_id.as_str())
            .collect(),
        "许可证号",
    )?;
    dup(
        inputs
            .inspectors
            .iter()
            .map(|i| i.badge_no.as_str())
            .collect(),
        "执法证号",
    )?;
    Ok(())
}

/// Runs the draw (see the module doc for the algorithm): a pure function of the inputs (in
/// any order; they are canonicalized first) and the seed.
///
/// # Errors
/// [`DrawError::Invalid`] for inputs that are not a draw's (unknown algorithm, fewer than two
/// inspectors per target, no item, a proportion out of range, a duplicate id);
/// [`DrawError::NotEnoughInspectors`] naming the first target that cannot be staffed.
pub fn draw(inputs: &DrawInputs, seed: &Seed) -> Result<DrawResult, DrawError> {
    let mut inputs = inputs.clone();
    inputs.canonicalize();
    check(&inputs)?;
    let mut rng = DrawRng::new(seed);
    let cands = &inputs.candidates;

    // Sampling.
    let mut picks: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut samples = Vec::new();
    for item in &inputs.items {
        let mut strata: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, c) in cands.iter().enumerate() {
            if item.right_kinds.contains(&c.kind) {
                strata
                    .entry(inputs.strata.stratum_of(c))
                    .or_default()
                    .push(i);
            }
        }
        for (stratum, mut members) in strata {
            let count = members.len() as u64;
            let n = (count * u64::from(item.proportion_bp)).div_ceil(10_000);
            for i in 0..n {
                let j = i + rng.below(count - i);
                members.swap(i as usize, j as usize);
            }
            for &idx in &members[..n as usize] {
                picks.entry(idx).or_default().push(item.code.clone());
            }
            samples.push(StratumSample {
                item: item.code.clone(),
                stratum: stratum.to_string(),
                candidates: count,
                drawn: n,
            });
        }
    }

    // Assignment.
    let active: Vec<&Inspector> = inputs.inspectors.iter().filter(|i| i.active).collect();
    let m = active.len();
    let pos_of: HashMap<&str, usize> = active
        .iter()
        .enumerate()
        .map(|(p, i)| (i.badge_no.as_str(), p))
        .collect();
    let cand_of: HashMap<&str, usize> = cands
        .iter()
        .enumerate()
        .map(|(i, c)| (c.right_id.as_str(), i))
        .collect();
    let excluded: HashSet<(usize, usize)> = inputs
        .exclusions
        .iter()
        .filter_map(|(b, r)| Some((*pos_of.get(b.as_str())?, *cand_of.get(r.as_str())?)))
        .collect();
    let k = inputs.inspectors_per_target as usize;
    let mut loads: BTreeSet<(u64, usize)> = (0..m).map(|p| (0, p)).collect();
    let mut targets = Vec::with_capacity(picks.len());
    for (idx, items) in picks {
        let c = &cands[idx];
        let mut chosen: Vec<(u64, usize)> = Vec::with_capacity(k);
        if m > 0 {
            let r = rng.below(m as u64) as usize;
            let mut level = loads.first().map(|e| e.0);
            while let Some(l) = level {
                let order = loads
                    .range((l, r)..=(l, usize::MAX))
                    .chain(loads.range((l, 0)..(l, r)));
                for &(load, p) in order {
                    if !excluded.contains(&(p, idx)) {
                        chosen.push((load, p));
                        if chosen.len() == k {
                            break;
                        }
                    }
                }
                if chosen.len() == k {
                    break;
                }
                level = loads.range((l + 1, 0)..).next().map(|e| e.0);
            }
        }
        if chosen.len() < k {
            return Err(DrawError::NotEnoughInspectors {
                right_id: c.right_id.clone(),
                holder_name: c.holder_name.clone(),
                eligible: chosen.len(),
                required: inputs.inspectors_per_target,
            });
        }
        for &(load, p) in &chosen {
            loads.remove(&(load, p));
            loads.insert((load + 1, p));
        }
        let mut badges: Vec<String> = chosen
            .iter()
            .map(|&(_, p)| active[p].badge_no.clone())
            .collect();
        badges.sort();
        targets.push(DrawnTarget {
            right_id: c.right_id.clone(),
            holder_name: c.holder_name.clone(),
            credit_code: c.credit_code.clone(),
            kind: c.kind,
            items,
            inspectors: badges,
        });
    }
    Ok(DrawResult { targets, samples })
}

/// A draw's public package: what anyone needs to re-check it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawPackage {
    /// The published inputs.
    pub inputs: DrawInputs,
    /// The commitment published before the draw (hex SHA-256).
    pub commitment: String,
    /// The seed (hex), once revealed.
    pub seed: Option<String>,
    /// The result, once drawn.
    pub result: Option<DrawResult>,
}

/// A problem found by [`verify`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// The seed is not revealed yet.
    #[error("种子尚未公布：抽取前只能公布承诺，尚不能复核")]
    SeedNotRevealed,
    /// The seed is not 64 hex characters.
    #[error("{0}")]
    BadSeed(String),
    /// The commitment does not match the inputs and seed.
    #[error(
        "承诺不符：公布的承诺为 {published}，按公布的输入和种子重算为 {recomputed}（抽查对象库、检查人员名录、回避对、抽查参数或种子与抽取前公布的不一致）"
    )]
    CommitmentMismatch {
        /// Published.
        published: String,
        /// Recomputed.
        recomputed: String,
    },
    /// The result is not published.
    #[error("抽取结果尚未公布")]
    ResultMissing,
    /// Re-running the draw failed.
    #[error("按公布的输入重新抽取失败：{0}")]
    DrawFailed(DrawError),
    /// Re-run drew a target the published result lacks.
    #[error("重新抽取得到抽查对象 {0}，公布的结果中没有")]
    MissingTarget(String),
    /// The published result has a target the re-run did not draw.
    #[error("公布的结果中有抽查对象 {0}，重新抽取没有抽到")]
    ExtraTarget(String),
    /// A target's particulars (holder, kind) differ.
    #[error("抽查对象 {0} 的矿业权人或类型与抽查对象库不一致")]
    DetailsDiffer(String),
    /// A target's items differ.
    #[error("抽查对象 {right_id} 的抽查事项不符：公布为 {published}，重新抽取为 {expected}")]
    ItemsDiffer {
        /// 许可证号.
        right_id: String,
        /// Published items, joined.
        published: String,
        /// Re-drawn items, joined.
        expected: String,
    },
    /// A target's inspectors differ.
    #[error(
        "抽查对象 {right_id} 的检查人员不符：公布为 {published}，重新抽取为 {expected}（执法证号）"
    )]
    InspectorsDiffer {
        /// 许可证号.
        right_id: String,
        /// Published badges, joined.
        published: String,
        /// Re-drawn badges, joined.
        expected: String,
    },
    /// A published assignment breaks an exclusion pair.
    #[error("执法证号 {badge_no} 的检查人员应当回避抽查对象 {right_id}，公布的结果却分派了他")]
    ExcludedAssigned {
        /// 执法证号.
        badge_no: String,
        /// 许可证号.
        right_id: String,
    },
    /// The per-stratum counts differ.
    #[error("各事项分层抽取数与重新抽取的不一致")]
    SamplesDiffer,
}

/// Re-checks a package: the commitment from the inputs and the revealed seed, then the
/// draw re-run and compared with the published result target by target. `Ok(())` is 验证通过;
/// otherwise every problem found.
///
/// # Errors
/// The problems, each named ([`Problem`]).
pub fn verify(p: &DrawPackage) -> Result<(), Vec<Problem>> {
    let mut problems = Vec::new();
    let Some(seed_hex) = p.seed.as_deref() else {
        return Err(vec![Problem::SeedNotRevealed]);
    };
    let seed = match Seed::from_hex(seed_hex) {
        Ok(s) => s,
        Err(m) => return Err(vec![Problem::BadSeed(m)]),
    };
    let recomputed = commitment(&p.inputs, &seed);
    if !recomputed.eq_ignore_ascii_case(p.commitment.trim()) {
        problems.push(Problem::CommitmentMismatch {
            published: p.commitment.clone(),
            recomputed,
        });
    }
    let Some(published) = &p.result else {
        problems.push(Problem::ResultMissing);
        return Err(problems);
    };
    // Independent of the re-run: no published assignment may break an exclusion.
    let excluded: HashSet<(&str, &str)> = p
        .inputs
        .exclusions
        .iter()
        .map(|(b, r)| (b.as_str(), r.as_str()))
        .collect();
    for t in &published.targets {
        for b in &t.inspectors {
            if excluded.contains(&(b.as_str(), t.right_id.as_str())) {
                problems.push(Problem::ExcludedAssigned {
                    badge_no: b.clone(),
                    right_id: t.right_id.clone(),
                });
            }
        }
    }
    match draw(&p.inputs, &seed) {
        Err(e) => problems.push(Problem::DrawFailed(e)),
        Ok(expected) => compare(published, &expected, &mut problems),
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn compare(published: &DrawResult, expected: &DrawResult, problems: &mut Vec<Problem>) {
    let by_id: BTreeMap<&str, &DrawnTarget> = published
        .targets
        .iter()
        .map(|t| (t.right_id.as_str(), t))
        .collect();
    let expected_ids: HashSet<&str> = expected
        .targets
        .iter()
        .map(|t| t.right_id.as_str())
        .collect();
    for e in &expected.targets {
        let Some(p) = by_id.get(e.right_id.as_str()) else {
            problems.push(Problem::MissingTarget(e.right_id.clone()));
            continue;
        };
        if p.holder_name != e.holder_name || p.kind != e.kind || p.credit_code != e.credit_code {
            problems.push(Problem::DetailsDiffer(e.right_id.clone()));
        }
        if p.items != e.items {
            problems.push(Problem::ItemsDiffer {
                right_id: e.right_id.clone(),
                published: p.items.join("、"),
                expected: e.items.join("、"),
            });
        }
        let mut pi = p.inspectors.clone();
        pi.sort();
        if pi != e.inspectors {
            problems.push(Problem::InspectorsDiffer {
                right_id: e.right_id.clone(),
                published: p.inspectors.join("、"),
                expected: e.inspectors.join("、"),
            });
        }
    }
    for id in by_id.keys() {
        if !expected_ids.contains(id) {
            problems.push(Problem::ExtraTarget(id.to_string()));
        }
    }
    if published.samples != expected.samples {
        problems.push(Problem::SamplesDiffer);
    }
}

#[cfg(test)]
mod tests {
    use super::super::library::CreditStanding;
    use super::*;

    fn cand(i: usize, kind: RightKind, approval: &str) -> Candidate {
        Candidate {
            right_id: format!("C{i:04}"),
            holder_name: format!("企业{i}"),
            credit_code: Some(format!("91CODE{i:04}")),
            kind,
            minerals: vec!["建筑用凝灰岩".into()],
            approval: Some(approval.into()),
            town: None,
            credit_standing: CreditStanding::Normal,
        }
    }

    fn insp(i: usize) -> Inspector {
        Inspector {
            name: format!("检查员{i}"),
            badge_no: format!("B{i:03}"),
            unit: "执法监察大队".into(),
            active: true,
        }
    }

    fn inputs(n_cand: usize, n_insp: usize) -> DrawInputs {
        DrawInputs {
            algorithm: ALGORITHM.into(),
            plan_year: 2026,
            plan_name: "2026年度双随机抽查计划".into(),
            register_date: "2026-03-01".into(),
            strata: StrataKey::RightKind,
            inspectors_per_target: 2,
            library_versions: LibraryVersions {
                inspectors: 1,
                items: 1,
            },
            items: vec![
                DrawItem {
                    code: "SC-01".into(),
                    name: "勘查开采信息公示".into(),
                    proportion_bp: 1000,
                    right_kinds: vec![RightKind::Mining, RightKind::Exploration],
                },
                DrawItem {
                    code: "SC-02".into(),
                    name: "矿山地质环境保护与土地复垦".into(),
                    proportion_bp: 500,
                    right_kinds: vec![RightKind::Mining],
                },
            ],
            candidates: (0..n_cand)
                .map(|i| {
                    cand(
                        i,
                        if i % 3 == 0 {
                            RightKind::Exploration
                        } else {
                            RightKind::Mining
                        },
                        if i % 2 == 0 { "本级审批" } else { "省级" },
                    )
                })
                .collect(),
            inspectors: (0..n_insp).map(insp).collect(),
            exclusions: vec![],
        }
    }

    fn seed(b: u8) -> Seed {
        Seed([b; 32])
    }

    fn package(i: &DrawInputs, s: &Seed) -> DrawPackage {
        DrawPackage {
            inputs: i.clone(),
            commitment: commitment(i, s),
            seed: Some(s.to_hex()),
            result: Some(draw(i, s).unwrap()),
        }
    }

    #[test]
    fn the_same_inputs_and_seed_draw_the_same() {
        let i = inputs(200, 12);
        let a = draw(&i, &seed(7)).unwrap();
        let mut shuffled = i.clone();
        shuffled.candidates.reverse();
        shuffled.inspectors.reverse();
        assert_eq!(a, draw(&shuffled, &seed(7)).unwrap());
        assert_ne!(a, draw(&i, &seed(8)).unwrap());
    }

    #[test]
    fn proportions_are_rounded_up_per_stratum() {
        let i = inputs(200, 12);
        let r = draw(&i, &seed(1)).unwrap();
        // 200 candidates: 67 探矿权 (i % 3 == 0), 133 采矿权.
        let s: Vec<(&str, &str, u64, u64)> = r
            .samples
            .iter()
            .map(|s| (s.item.as_str(), s.stratum.as_str(), s.candidates, s.drawn))
            .collect();
        assert_eq!(
            s,
            vec![
                ("SC-01", "探矿权", 67, 7),
                ("SC-01", "采矿权", 133, 14),
                ("SC-02", "采矿权", 133, 7),
            ]
        );
        let n = |code: &str, kind: RightKind| {
            r.targets
                .iter()
                .filter(|t| t.kind == kind && t.items.iter().any(|c| c == code))
                .count()
        };
        assert_eq!(n("SC-01", RightKind::Exploration), 7);
        assert_eq!(n("SC-01", RightKind::Mining), 14);
        assert_eq!(n("SC-02", RightKind::Mining), 7);
        assert_eq!(n("SC-02", RightKind::Exploration), 0);
    }

    #[test]
    fn every_target_has_two_inspectors_and_loads_are_balanced() {
        let i = inputs(300, 7);
        let r = draw(&i, &seed(3)).unwrap();
        let mut load: HashMap<&str, usize> = HashMap::new();
        for t in &r.targets {
            assert_eq!(t.inspectors.len(), 2, "{}", t.right_id);
            assert_ne!(t.inspectors[0], t.inspectors[1]);
            for b in &t.inspectors {
                *load.entry(b).or_default() += 1;
            }
        }
        assert_eq!(load.len(), 7);
        let max = load.values().max().unwrap();
        let min = load.values().min().unwrap();
        assert!(max - min <= 1, "loads {load:?}");
        assert_eq!(load.values().sum::<usize>(), 2 * r.targets.len());
    }

    #[test]
    fn an_excluded_pair_is_never_assigned() {
        let mut i = inputs(120, 5);
        // B000 and B001 must avoid every 采矿权 with an even number; B002 every 10th.
        for c in &i.candidates {
            let n: usize = c.right_id[1..].parse().unwrap();
            if n.is_multiple_of(2) {
                i.exclusions.push(("B000".into(), c.right_id.clone()));
                i.exclusions.push(("B001".into(), c.right_id.clone()));
            }
            if n.is_multiple_of(10) {
                i.exclusions.push(("B002".into(), c.right_id.clone()));
            }
        }
        let pairs: HashSet<(String, String)> = i.exclusions.iter().cloned().collect();
        for s in 0..20u8 {
            let r = draw(&i, &seed(s)).unwrap();
            assert!(!r.targets.is_empty());
            for t in &r.targets {
                assert!(t.inspectors.len() >= 2);
                for b in &t.inspectors {
                    assert!(
                        !pairs.contains(&(b.clone(), t.right_id.clone())),
                        "seed {s}: {b} assigned to {}",
                        t.right_id
                    );
                }
            }
        }
    }

    #[test]
    fn inactive_inspectors_are_never_drawn_and_too_few_refuse_naming_the_target() {
        let mut i = inputs(40, 3);
        i.inspectors[2].active = false;
        let r = draw(&i, &seed(2)).unwrap();
        assert!(
            r.targets
                .iter()
                .all(|t| t.inspectors == vec!["B000".to_string(), "B001".to_string()])
        );
        // B000 must avoid the first drawn target: only B001 remains for it.
        let first = r.targets[0].right_id.clone();
        i.exclusions.push(("B000".into(), first.clone()));
        match draw(&i, &seed(2)) {
            Err(DrawError::NotEnoughInspectors {
                right_id, eligible, ..
            }) => {
                assert_eq!(right_id, first);
                assert_eq!(eligible, 1);
            }
            other => panic!("{other:?}"),
        }
        i.inspectors_per_target = 1;
        assert!(matches!(draw(&i, &seed(2)), Err(DrawError::Invalid(_))));
    }

    #[test]
    fn verify_passes_on_an_honest_package() {
        let i = inputs(100, 6);
        assert_eq!(verify(&package(&i, &seed(9))), Ok(()));
    }

    #[test]
    fn a_changed_candidate_list_is_a_commitment_mismatch() {
        let i = inputs(100, 6);
        let mut p = package(&i, &seed(9));
        p.inputs.candidates.pop();
        let problems = verify(&p).unwrap_err();
        assert!(matches!(problems[0], Problem::CommitmentMismatch { .. }));
        assert!(problems[0].to_string().starts_with("承诺不符"));
    }

    #[test]
    fn a_changed_seed_is_a_commitment_mismatch_and_a_different_result() {
        let i = inputs(100, 6);
        let mut p = package(&i, &seed(9));
        p.seed = Some(seed(10).to_hex());
        let problems = verify(&p).unwrap_err();
        assert!(matches!(problems[0], Problem::CommitmentMismatch { .. }));
        assert!(problems.len() > 1, "{problems:?}");
    }

    #[test]
    fn a_changed_result_is_named_target_by_target() {
        let i = inputs(100, 6);
        let mut p = package(&i, &seed(9));
        let r = p.result.as_mut().unwrap();
        let moved = r.targets[0].right_id.clone();
        r.targets[0].right_id = "C9999".into();
        r.targets[1].inspectors = vec!["B000".into(), "B005".into()];
        let second = r.targets[1].right_id.clone();
        let expected_second = draw(&i, &seed(9)).unwrap().targets[1].inspectors.clone();
        let problems = verify(&p).unwrap_err();
        assert!(problems.contains(&Problem::MissingTarget(moved)));
        assert!(problems.contains(&Problem::ExtraTarget("C9999".into())));
        if expected_second != vec!["B000".to_string(), "B005".to_string()] {
            assert!(problems.iter().any(
                |p| matches!(p, Problem::InspectorsDiffer { right_id, .. } if *right_id == second)
            ));
        }
        // Commitment itself is fine: the inputs and seed were not touched.
        assert!(
            !problems
                .iter()
                .any(|p| matches!(p, Problem::CommitmentMismatch { .. }))
        );
    }

    #[test]
    fn an_unrevealed_seed_cannot_be_verified() {
        let i = inputs(10, 3);
        let mut p = package(&i, &seed(1));
        p.seed = None;
        assert_eq!(verify(&p), Err(vec![Problem::SeedNotRevealed]));
    }

    #[test]
    fn below_is_uniform_enough_and_in_range() {
        let mut r = DrawRng::new(&seed(0));
        let mut counts = [0u32; 3];
        for _ in 0..3000 {
            counts[r.below(3) as usize] += 1;
        }
        assert!(
            counts.iter().all(|&c| (900..1100).contains(&c)),
            "{counts:?}"
        );
        assert_eq!(r.below(1), 0);
    }

    /// Known answer: a change of the algorithm (RNG, ordering, rounding, assignment) fails
    /// this test — and would make published draws unverifiable.
    #[test]
    fn known_answer() {
        let mut i = inputs(12, 4);
        i.exclusions.push(("B000".into(), "C0009".into()));
        let s = Seed::from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
            .unwrap();
        assert_eq!(commitment(&i, &s), KAT_COMMITMENT);
        let r = draw(&i, &s).unwrap();
        let got: Vec<(String, Vec<String>, Vec<String>)> = r
            .targets
            .iter()
            .map(|t| (t.right_id.clone(), t.items.clone(), t.inspectors.clone()))
            .collect();
        let want: Vec<(String, Vec<String>, Vec<String>)> = KAT_TARGETS
            .iter()
            .map(|(id, items, insp)| {
                (
                    id.to_string(),
                    items.iter().map(|s| s.to_string()).collect(),
                    insp.iter().map(|s| s.to_string()).collect(),
                )
            })
            .collect();
        assert_eq!(got, want);
    }

    /// Computed once with rand_chacha 0.3.1 and kept: 12 candidates (4 探矿权, 8 采矿权),
    /// 4 inspectors, B000 to avoid C0009, seed 00 01 … 1f.
    const KAT_COMMITMENT: &str = "e874e3b2256a2a0bb0f2255a12134460fb03d14ec40141aba73f5ff2e56f529a";
    const KAT_TARGETS: &[(&str, &[&str], &[&str])] = &[
        ("C0008", &["SC-01"], &["B002", "B003"]),
        ("C0009", &["SC-01"], &["B001", "B002"]),
        ("C0010", &["SC-02"], &["B000", "B003"]),
    ];
}
