//! `minplan-bench-draw`: the 双随机抽查 benchmark (issue 14, “speed and scale”): a
//! province-sized draw — 50,000 candidates, 500 inspectors, 2,000 回避-derived exclusion
//! pairs, 10 items — timed for the draw with its assignment and for the verification, against
//! the baseline measured in the same run: `serde_json` parsing the same package.
//!
//! ```sh
//! cargo run --release -p minplan-bench --bin minplan-bench-draw
//! ```

use minplan_domain::application::RightKind;
use minplan_domain::supervision::draw::{
    ALGORITHM, DrawInputs, DrawItem, DrawPackage, LibraryVersions, Seed, StrataKey, commitment,
    draw, verify,
};
use minplan_domain::supervision::library::{
    Candidate, CreditStanding, Inspector, Recusal, exclusion_pairs,
};
use std::time::{Duration, Instant};

const CANDIDATES: usize = 50_000;
const INSPECTORS: usize = 500;
const RECUSALS: usize = 2_000;
const ITEMS: usize = 10;
const ROUNDS: usize = 5;

/// A deterministic synthetic province (no RNG crate: a fixed LCG).
fn inputs() -> DrawInputs {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        x >> 33
    };
    let approvals = ["省级", "市级划定", "本级审批"];
    let candidates: Vec<Candidate> = (0..CANDIDATES)
        .map(|i| Candidate {
            right_id: format!("C{:06}", (i * 7919) % CANDIDATES),
            holder_name: format!("矿业公司{i}"),
            credit_code: Some(format!("91{i:016}")),
            kind: if next() % 4 == 0 {
                RightKind::Exploration
            } else {
                RightKind::Mining
            },
            minerals: vec!["建筑用凝灰岩".into()],
            approval: Some(approvals[(next() % 3) as usize].into()),
            town: Some(format!("乡镇{}", next() % 40)),
            credit_standing: CreditStanding::Normal,
        })
        .collect();
    let inspectors: Vec<Inspector> = (0..INSPECTORS)
        .map(|i| Inspector {
            name: format!("检查员{i}"),
            badge_no: format!("ZF{i:05}"),
            unit: "执法监察总队".into(),
            active: i % 50 != 0,
        })
        .collect();
    // 2,000 holder relations, each on a holder of one right: 2,000 exclusion pairs.
    let mut recusals: Vec<(String, Vec<Recusal>)> = inspectors
        .iter()
        .map(|i| (i.badge_no.clone(), vec![]))
        .collect();
    for k in 0..RECUSALS {
        let holder = (k * 24_989) % CANDIDATES;
        recusals[k % INSPECTORS]
            .1
            .push(Recusal::Holder(format!("91{holder:016}")));
    }
    let exclusions = exclusion_pairs(&recusals, &candidates);
    assert_eq!(exclusions.len(), RECUSALS);
    let items = (0..ITEMS)
        .map(|k| DrawItem {
            code: format!("KC-{k:02}"),
            name: format!("抽查事项{k}"),
            proportion_bp: 300 + 100 * k as u32,
            right_kinds: if k % 3 == 0 {
                vec![RightKind::Mining]
            } else {
                vec![RightKind::Exploration, RightKind::Mining]
            },
        })
        .collect();
    let mut i = DrawInputs {
        algorithm: ALGORITHM.into(),
        plan_year: 2026,
        plan_name: "基准：全省年度双随机抽查".into(),
        register_date: "2026-03-01".into(),
        strata: StrataKey::Approval,
        inspectors_per_target: 2,
        library_versions: LibraryVersions {
            inspectors: 1,
            items: 1,
        },
        items,
        candidates,
        inspectors,
        exclusions,
    };
    i.canonicalize();
    i
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let inputs = inputs();
    let seed = Seed([7; 32]);
    let result = draw(&inputs, &seed).expect("the benchmark draw succeeds");
    let package = DrawPackage {
        commitment: commitment(&inputs, &seed),
        seed: Some(seed.to_hex()),
        result: Some(result.clone()),
        inputs: inputs.clone(),
    };
    let text = serde_json::to_string(&package).expect("serializes");
    let mut t_draw = Vec::new();
    let mut t_verify = Vec::new();
    let mut t_parse = Vec::new();
    // One warm-up, then ROUNDS alternating rounds.
    for round in 0..=ROUNDS {
        let t = Instant::now();
        let p: DrawPackage = serde_json::from_str(&text).expect("parses");
        let parse = t.elapsed();
        assert_eq!(p.inputs.candidates.len(), CANDIDATES);
        let t = Instant::now();
        let r = draw(&inputs, &seed).expect("draws");
        let d = t.elapsed();
        assert_eq!(r, result);
        let t = Instant::now();
        verify(&p).expect("the package verifies");
        let v = t.elapsed();
        if round > 0 {
            t_parse.push(parse);
            t_draw.push(d);
            t_verify.push(v);
        }
    }
    let (p, d, v) = (median(t_parse), median(t_draw), median(t_verify));
    let load: usize = result.targets.iter().map(|t| t.inspectors.len()).sum();
    println!(
        "{} candidates, {} inspectors ({} in post), {} exclusion pairs, {} items → {} targets, {} assignments; package {:.1} MiB",
        inputs.candidates.len(),
        inputs.inspectors.len(),
        inputs.inspectors.iter().filter(|i| i.active).count(),
        inputs.exclusions.len(),
        inputs.items.len(),
        result.targets.len(),
        load,
        text.len() as f64 / 1024.0 / 1024.0
    );
    println!("| step | median of {ROUNDS} | ÷ baseline |");
    println!("|---|---:|---:|");
    println!(
        "| baseline: serde_json parse of the package | {} | 1.00 × |",
        ms(p)
    );
    println!(
        "| draw + assignment | {} | {:.2} × |",
        ms(d),
        d.as_secs_f64() / p.as_secs_f64()
    );
    println!(
        "| verify (commitment over the canonical inputs + draw + compare) | {} | {:.2} × |",
        ms(v),
        v.as_secs_f64() / p.as_secs_f64()
    );
}
