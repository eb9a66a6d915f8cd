//! `blindaje`: the command-line face of the engine. `check` tries a text (or, with `--jsonl`, a batch from
//! stdin, the contract other tools evaluate the engine through), `eval` scores a labeled corpus, `train` fits the pack's model on one, `rules` and
//! `policy` help the admin maintain rule packs and settings, `audit` reviews the web portal.
//!
//! Exit codes: 0 fine; 1 `check` found a warning (medium or high) or a command's check failed; 2 usage
//! error, or an unreadable or invalid policy or pack.

mod cli;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "blindaje", version, about = "Blindaje Electoral: avisos de neutralidad político-electoral")]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyze a text (or JSON lines from stdin with --jsonl) and show what breaks the guideline.
    Check(cli::check::CheckArgs),
    /// Audit the institution's web portal (saved pages, WordPress export, sitemap or URL) before campaigns.
    Audit(cli::audit::AuditArgs),
    /// Score the engine on a labeled corpus: per-category precision and recall, micro F1, false alarms.
    Eval(cli::eval::EvalArgs),
    /// Train the model that rides in a rule pack beside the rules, on labeled corpora.
    Train(cli::train::TrainArgs),
    /// Maintain rule packs: validate, test, show, sign, verify, diff.
    #[command(subcommand)]
    Rules(cli::rules::RulesCommand),
    /// Check a policy file.
    #[command(subcommand)]
    Policy(PolicyCommand),
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Validate a policy file: unknown keys are warnings, wrong values errors (exit 2).
    Validate { file: PathBuf },
}

fn main() -> ExitCode {
    let args = Args::parse();
    let result = match args.command {
        Command::Check(a) => cli::check::run(a),
        Command::Eval(a) => cli::eval::run(a),
        Command::Audit(a) => cli::audit::run(a),
        Command::Train(a) => cli::train::run(a),
        Command::Rules(c) => cli::rules::run(c),
        Command::Policy(PolicyCommand::Validate { file }) => cli::load::validate_policy_file(&file),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("blindaje: {e}");
            ExitCode::from(2)
        }
    }
}
