//! Team assignments: which annotators annotate which documents, as a plan file at the corpus root
//! (`hashiya-assignments.json`, see docs/team.md). The plan is deterministic (the same corpus,
//! annotators, count and seed give the same file, byte for byte) and balanced: every document gets
//! `per_document` different annotators, annotators' loads differ by at most one, and among equal
//! loads the pair that has shared the fewest documents is preferred, so that every pair overlaps
//! about as often (what agreement needs).
//!
//! The file is JSON written one document per line, sorted by path, so that a team editing it
//! through git gets readable diffs; it ends in `.json`, never `.txt` or `.hashiya.json`, so it is
//! never taken for an article or a sidecar.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::atomic_write::write_atomically;
use super::safe_read::{read_capped, MAX_SIDECAR_BYTES};
use super::sidecar::valid_annotator;

/// The plan's file name at the corpus root.
pub const PLAN_FILE_NAME: &str = "hashiya-assignments.json";
pub const PLAN_FORMAT: &str = "hashiya-assignments";
pub const PLAN_VERSION: u32 = 1;

/// A plan: each document's annotators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The team, in the order given.
    pub annotators: Vec<String>,
    pub per_document: usize,
    pub seed: u64,
    /// Document (path relative to the corpus root, `/` separators) → its annotators, sorted.
    pub documents: BTreeMap<String, Vec<String>>,
}

/// Why a plan cannot be made, read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("name at least one annotator")]
    NoAnnotators,
    #[error("`{0}` is not a valid annotator name (1-64 letters, digits, `_` or `-`)")]
    BadName(String),
    #[error("`{0}` is named twice")]
    Twice(String),
    #[error("--per-document {per_document} must be from 1 to the {annotators} annotators named")]
    BadCount {
        per_document: usize,
        annotators: usize,
    },
    #[error(
        "{path}: a plan for {old} already exists; pass --replace to make a new one (assignments \
         people have started on would move)"
    )]
    OtherPlan { path: PathBuf, old: String },
    #[error("{path}: {message}")]
    File { path: PathBuf, message: String },
}

impl Plan {
    /// Is `annotator` assigned `relative`?
    pub fn is_assigned(&self, relative: &str, annotator: &str) -> bool {
        self.documents
            .get(relative)
            .is_some_and(|who| who.iter().any(|a| a == annotator))
    }

    /// The documents assigned to `annotator`, sorted.
    pub fn documents_of<'a>(&'a self, annotator: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.documents
            .iter()
            .filter(move |(_, who)| who.iter().any(|a| a == annotator))
            .map(|(d, _)| d.as_str())
    }

    /// Every annotator named in the plan (the team, then anyone added by hand), without repeats.
    pub fn all_annotators(&self) -> Vec<String> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for a in self
            .annotators
            .iter()
            .chain(self.documents.values().flatten())
        {
            if seen.insert(a.clone()) {
                out.push(a.clone());
            }
        }
        out
    }

    /// Documents per annotator.
    pub fn loads(&self) -> BTreeMap<String, usize> {
        let mut m: BTreeMap<String, usize> =
            self.all_annotators().into_iter().map(|a| (a, 0)).collect();
        for who in self.documents.values() {
            for a in who {
                *m.entry(a.clone()).or_default() += 1;
            }
        }
        m
    }

    /// Documents shared by each pair of annotators.
    pub fn overlaps(&self) -> BTreeMap<(String, String), usize> {
        let mut m = BTreeMap::new();
        for who in self.documents.values() {
            for (i, a) in who.iter().enumerate() {
                for b in &who[i + 1..] {
                    let pair = if a < b {
                        (a.clone(), b.clone())
                    } else {
                        (b.clone(), a.clone())
                    };
                    *m.entry(pair).or_default() += 1;
                }
            }
        }
        m
    }

    /// The file's exact text: deterministic, one document per line.
    pub fn to_json(&self) -> String {
        let q = |s: &str| serde_json::Value::from(s).to_string();
        let list = |v: &[String]| {
            let items: Vec<String> = v.iter().map(|a| q(a)).collect();
            format!("[{}]", items.join(", "))
        };
        let mut out = String::new();
        out.push_str("{\n");
        out.push_str(&format!("  \"format\": {},\n", q(PLAN_FORMAT)));
        out.push_str(&format!("  \"version\": {PLAN_VERSION},\n"));
        out.push_str(&format!("  \"annotators\": {},\n", list(&self.annotators)));
        out.push_str(&format!("  \"per_document\": {},\n", self.per_document));
        out.push_str(&format!("  \"seed\": {},\n", self.seed));
        out.push_str("  \"documents\": {");
        for (k, (doc, who)) in self.documents.iter().enumerate() {
            out.push_str(if k == 0 { "\n" } else { ",\n" });
            out.push_str(&format!("    {}: {}", q(doc), list(who)));
        }
        out.push_str(if self.documents.is_empty() {
            "}\n"
        } else {
            "\n  }\n"
        });
        out.push_str("}\n");
        out
    }

    /// Parses a plan file's text; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Self, PlanError> {
        let bad = |message: String| PlanError::File {
            path: path.to_path_buf(),
            message,
        };
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| bad(format!("not valid JSON: {e}")))?;
        if v.get("format").and_then(|f| f.as_str()) != Some(PLAN_FORMAT) {
            return Err(bad(format!(
                "not a Hashiya assignment plan (no `\"format\": \"{PLAN_FORMAT}\"`)"
            )));
        }
        match v.get("version").and_then(|x| x.as_u64()) {
            Some(n) if n <= PLAN_VERSION as u64 => {}
            Some(n) => {
                return Err(bad(format!(
                    "plan version {n} is newer than this program understands ({PLAN_VERSION}); \
                     update Hashiya"
                )))
            }
            None => return Err(bad("no `version` number".into())),
        }
        let wire: PlanWire = serde_json::from_value(v).map_err(|e| bad(e.to_string()))?;
        for a in wire
            .annotators
            .iter()
            .chain(wire.documents.values().flatten())
        {
            if !valid_annotator(a) {
                return Err(bad(format!("`{a}` is not a valid annotator name")));
            }
        }
        let documents = wire
            .documents
            .into_iter()
            .map(|(d, mut who)| {
                who.sort();
                who.dedup();
                (d, who)
            })
            .collect();
        Ok(Self {
            annotators: wire.annotators,
            per_document: wire.per_document,
            seed: wire.seed,
            documents,
        })
    }

    /// The plan of the corpus at `root` (`Ok(None)`: there is none).
    pub fn load(root: &Path) -> Result<Option<Self>, PlanError> {
        let path = root.join(PLAN_FILE_NAME);
        let bytes = match read_capped(&path, MAX_SIDECAR_BYTES) {
            Ok(b) => b,
            Err(e) if e.is_not_found() => return Ok(None),
            Err(e) => {
                return Err(PlanError::File {
                    path,
                    message: format!("cannot read: {e}"),
                })
            }
        };
        let text = String::from_utf8(bytes).map_err(|_| PlanError::File {
            path: path.clone(),
            message: "not UTF-8".into(),
        })?;
        Self::parse(text.strip_prefix('\u{FEFF}').unwrap_or(&text), &path).map(Some)
    }

    /// Writes the plan at `root` atomically.
    pub fn save(&self, root: &Path) -> Result<PathBuf, PlanError> {
        let path = root.join(PLAN_FILE_NAME);
        write_atomically(&path, self.to_json().as_bytes()).map_err(|e| PlanError::File {
            path: path.clone(),
            message: format!("cannot write: {e} (the previous file, if any, is unchanged)"),
        })?;
        Ok(path)
    }

    fn settings(&self) -> String {
        let mut team = self.annotators.clone();
        team.sort();
        format!(
            "{} with {} per document",
            team.join(", "),
            self.per_document
        )
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanWire {
    #[allow(dead_code)]
    format: String,
    #[allow(dead_code)]
    version: u32,
    annotators: Vec<String>,
    per_document: usize,
    #[serde(default)]
    seed: u64,
    documents: BTreeMap<String, Vec<String>>,
}

/// What to plan.
#[derive(Debug, Clone)]
pub struct PlanRequest {
    pub annotators: Vec<String>,
    pub per_document: usize,
    pub seed: u64,
    /// Make a new plan even if one with other settings exists.
    pub replace: bool,
}

/// What [`make_plan`] did besides the plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanChange {
    /// Documents whose assignment was kept from the existing plan.
    pub kept: usize,
    /// Documents assigned now.
    pub assigned: usize,
    /// Documents of the existing plan that are not in the corpus (kept in the plan).
    pub missing: usize,
}

/// A plan for `documents` (paths relative to the corpus root). With an `existing` plan of the
/// same team and count, its assignments stay and only new documents are assigned (balancing the
/// loads it has); with other settings it is an error unless `req.replace`.
pub fn make_plan(
    documents: &[String],
    req: &PlanRequest,
    existing: Option<&Plan>,
    existing_path: &Path,
) -> Result<(Plan, PlanChange), PlanError> {
    check_request(req)?;
    let mut plan = Plan {
        annotators: req.annotators.clone(),
        per_document: req.per_document,
        seed: req.seed,
        documents: BTreeMap::new(),
    };
    let mut change = PlanChange::default();
    if let Some(old) = existing.filter(|_| !req.replace) {
        if old.settings() != plan.settings() {
            return Err(PlanError::OtherPlan {
                path: existing_path.to_path_buf(),
                old: old.settings(),
            });
        }
        plan.seed = old.seed;
        plan.documents = old.documents.clone();
        let present: BTreeSet<&str> = documents.iter().map(String::as_str).collect();
        change.kept = plan.documents.len();
        change.missing = plan
            .documents
            .keys()
            .filter(|d| !present.contains(d.as_str()))
            .count();
        change.kept -= change.missing;
    }
    let mut todo: Vec<&String> = documents
        .iter()
        .filter(|d| !plan.documents.contains_key(*d))
        .collect();
    todo.sort();
    todo.dedup();
    let mut rng = SplitMix64(plan.seed);
    shuffle(&mut todo, &mut rng);
    let mut team = req.annotators.clone();
    shuffle(&mut team, &mut rng);
    let mut balance = Balance::new(&team, &plan);
    for d in todo {
        let who = balance.pick(req.per_document);
        plan.documents.insert(d.clone(), who);
        change.assigned += 1;
    }
    Ok((plan, change))
}

fn check_request(req: &PlanRequest) -> Result<(), PlanError> {
    if req.annotators.is_empty() {
        return Err(PlanError::NoAnnotators);
    }
    let mut seen = BTreeSet::new();
    for a in &req.annotators {
        if !valid_annotator(a) {
            return Err(PlanError::BadName(a.clone()));
        }
        if !seen.insert(a) {
            return Err(PlanError::Twice(a.clone()));
        }
    }
    if req.per_document == 0 || req.per_document > req.annotators.len() {
        return Err(PlanError::BadCount {
            per_document: req.per_document,
            annotators: req.annotators.len(),
        });
    }
    Ok(())
}

/// Loads and pair overlaps while assigning.
struct Balance {
    /// The team in tie-break order (shuffled by the seed).
    team: Vec<String>,
    load: Vec<usize>,
    /// `pairs[i][j]`: documents shared by team[i] and team[j].
    pairs: Vec<Vec<usize>>,
}

impl Balance {
    fn new(team: &[String], plan: &Plan) -> Self {
        let n = team.len();
        let mut b = Self {
            team: team.to_vec(),
            load: vec![0; n],
            pairs: vec![vec![0; n]; n],
        };
        let index: BTreeMap<&str, usize> = team
            .iter()
            .enumerate()
            .map(|(i, a)| (a.as_str(), i))
            .collect();
        for who in plan.documents.values() {
            let ids: Vec<usize> = who
                .iter()
                .filter_map(|a| index.get(a.as_str()).copied())
                .collect();
            b.count(&ids);
        }
        b
    }

    fn count(&mut self, ids: &[usize]) {
        for (k, &i) in ids.iter().enumerate() {
            self.load[i] += 1;
            for &j in &ids[k + 1..] {
                self.pairs[i][j] += 1;
                self.pairs[j][i] += 1;
            }
        }
    }

    /// The `k` annotators for the next document: the least loaded, then those who shared the
    /// fewest documents with the ones already picked, then the seeded order.
    fn pick(&mut self, k: usize) -> Vec<String> {
        let mut picked: Vec<usize> = Vec::with_capacity(k);
        for _ in 0..k {
            let best = (0..self.team.len())
                .filter(|i| !picked.contains(i))
                .min_by_key(|&i| {
                    let shared: usize = picked.iter().map(|&p| self.pairs[i][p]).sum();
                    (self.load[i], shared, i)
                });
            if let Some(i) = best {
                picked.push(i);
            }
        }
        self.count(&picked);
        let mut who: Vec<String> = picked.iter().map(|&i| self.team[i].clone()).collect();
        who.sort();
        who
    }
}

/// A small, well-known PRNG (SplitMix64), so that a seed gives the same plan on every machine
/// and version.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n (n > 0), by rejection.
    fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next();
            if x < zone {
                return x % n;
            }
        }
    }
}

/// Fisher-Yates.
fn shuffle<T>(v: &mut [T], rng: &mut SplitMix64) {
    for i in (1..v.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        v.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("batch/{i:04}.txt")).collect()
    }

    fn req(team: &[&str], k: usize, seed: u64) -> PlanRequest {
        PlanRequest {
            annotators: team.iter().map(|s| s.to_string()).collect(),
            per_document: k,
            seed,
            replace: false,
        }
    }

    #[test]
    fn balanced_with_even_overlaps_and_deterministic() {
        let r = req(&["layla", "omar", "nour", "sami"], 2, 7);
        let (plan, change) = make_plan(&docs(101), &r, None, Path::new("p")).unwrap();
        assert_eq!(change.assigned, 101);
        assert!(plan
            .documents
            .values()
            .all(|w| w.len() == 2 && w[0] != w[1]));
        let loads: Vec<usize> = plan.loads().values().copied().collect();
        assert_eq!(loads.iter().sum::<usize>(), 202);
        assert!(
            loads.iter().max().unwrap() - loads.iter().min().unwrap() <= 1,
            "{loads:?}"
        );
        let pairs: Vec<usize> = plan.overlaps().values().copied().collect();
        assert_eq!(pairs.len(), 6, "every pair shares documents: {pairs:?}");
        assert!(
            pairs.iter().max().unwrap() - pairs.iter().min().unwrap() <= 2,
            "{pairs:?}"
        );
        let (again, _) = make_plan(&docs(101), &r, None, Path::new("p")).unwrap();
        assert_eq!(again.to_json(), plan.to_json(), "same input, same bytes");
        let (other, _) = make_plan(
            &docs(101),
            &req(&["layla", "omar", "nour", "sami"], 2, 8),
            None,
            Path::new("p"),
        )
        .unwrap();
        assert_ne!(other.documents, plan.documents, "the seed matters");
    }

    #[test]
    fn new_documents_extend_a_plan_and_other_settings_are_refused() {
        let r = req(&["a", "b", "c"], 2, 1);
        let (plan, _) = make_plan(&docs(30), &r, None, Path::new("p")).unwrap();
        let (more, change) = make_plan(&docs(40), &r, Some(&plan), Path::new("p")).unwrap();
        assert_eq!((change.kept, change.assigned), (30, 10));
        for (d, who) in &plan.documents {
            assert_eq!(more.documents.get(d), Some(who), "kept");
        }
        let loads: Vec<usize> = more.loads().values().copied().collect();
        assert!(loads.iter().max().unwrap() - loads.iter().min().unwrap() <= 1);
        let err = make_plan(
            &docs(40),
            &req(&["a", "b"], 2, 1),
            Some(&plan),
            Path::new("p"),
        );
        assert!(matches!(err, Err(PlanError::OtherPlan { .. })));
        let replaced = make_plan(
            &docs(40),
            &PlanRequest {
                replace: true,
                ..req(&["a", "b"], 2, 1)
            },
            Some(&plan),
            Path::new("p"),
        );
        assert!(replaced.is_ok());
    }

    #[test]
    fn the_file_round_trips_and_bad_files_are_named() {
        let (plan, _) = make_plan(
            &docs(5),
            &req(&["layla", "omar"], 1, 3),
            None,
            Path::new("p"),
        )
        .unwrap();
        let text = plan.to_json();
        assert_eq!(text.lines().filter(|l| l.contains(".txt")).count(), 5);
        assert_eq!(Plan::parse(&text, Path::new("p")).unwrap(), plan);
        let e = Plan::parse("{\"format\": \"x\"}", Path::new("plan.json")).unwrap_err();
        assert!(e
            .to_string()
            .starts_with("plan.json: not a Hashiya assignment plan"));
        let newer = text.replace("\"version\": 1", "\"version\": 9");
        assert!(Plan::parse(&newer, Path::new("p"))
            .unwrap_err()
            .to_string()
            .contains("newer"));
        assert!(matches!(
            make_plan(&docs(1), &req(&["a", "a"], 1, 0), None, Path::new("p")),
            Err(PlanError::Twice(_))
        ));
        assert!(matches!(
            make_plan(&docs(1), &req(&["a"], 2, 0), None, Path::new("p")),
            Err(PlanError::BadCount { .. })
        ));
    }
}
