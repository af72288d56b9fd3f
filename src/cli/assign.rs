//! `hashiya assign CORPUS --annotators a,b,c --per-document 2 [--seed N] [--replace]`

use std::path::PathBuf;
use std::process::ExitCode;

use crate::model::assign::{make_plan, Plan, PlanRequest, PLAN_FILE_NAME};
use crate::model::Corpus;

/// Options of `hashiya assign`, as given on the command line.
#[derive(Debug, Clone, clap::Args)]
pub struct AssignArgs {
    /// The corpus folder.
    pub corpus: PathBuf,
    /// The team, comma-separated.
    #[arg(long, value_delimiter = ',', required = true)]
    pub annotators: Vec<String>,
    /// How many annotators annotate each document (2 or more gives agreement figures).
    #[arg(long, default_value_t = 1)]
    pub per_document: usize,
    /// Seed of the (deterministic) shuffle; the same seed gives the same plan.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Make a new plan even though one with other annotators or count exists (assignments move).
    #[arg(long)]
    pub replace: bool,
}

pub fn run(args: &AssignArgs) -> ExitCode {
    match run_checked(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hashiya assign: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run_checked(args: &AssignArgs) -> anyhow::Result<()> {
    if !args.corpus.is_dir() {
        anyhow::bail!("{}: not a corpus folder", args.corpus.display());
    }
    let corpus = Corpus::open(&args.corpus)?;
    if let Some(e) = &corpus.plan_error {
        anyhow::bail!("{e}; fix or remove it first (it is left as it is)");
    }
    let documents: Vec<String> = corpus.entries.iter().map(|e| e.relative.clone()).collect();
    let req = PlanRequest {
        annotators: args.annotators.clone(),
        per_document: args.per_document,
        seed: args.seed,
        replace: args.replace,
    };
    let path = corpus.root.join(PLAN_FILE_NAME);
    let (plan, change) = make_plan(&documents, &req, corpus.plan.as_ref(), &path)?;
    if corpus.plan.as_ref() == Some(&plan) {
        println!(
            "{}: unchanged ({} documents)",
            path.display(),
            plan.documents.len()
        );
    } else {
        plan.save(&corpus.root)?;
        println!(
            "{}: {} documents assigned{}",
            path.display(),
            change.assigned,
            if change.kept > 0 {
                format!(", {} kept as they were", change.kept)
            } else {
                String::new()
            }
        );
    }
    print_plan(&plan);
    if change.missing > 0 {
        println!(
            "{} documents of the plan are not in the corpus (kept in the plan)",
            change.missing
        );
    }
    Ok(())
}

fn print_plan(plan: &Plan) {
    println!("documents per annotator:");
    for (a, n) in plan.loads() {
        println!("  {a:<16} {n:>7}");
    }
    let overlaps = plan.overlaps();
    if !overlaps.is_empty() {
        println!("documents shared by each pair (for agreement):");
        for ((a, b), n) in overlaps {
            println!("  {:<33} {n:>7}", format!("{a} + {b}"));
        }
    }
}
