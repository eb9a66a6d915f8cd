//! Reading the policy and rule-pack files the commands take. Any problem is an error that names the file
//! and what is wrong; the caller exits 2.

use blindaje::budget::{self, Usage, PACK_BUDGET};
use blindaje::{Engine, Pack, Policy};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The options every analyzing command shares.
#[derive(clap::Args, Clone, Default)]
pub struct EngineFiles {
    /// Policy file (JSON): names, calendar, accounts. Without it the default policy applies.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Admin rule pack (JSON) layered over the embedded rules.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// The rules alone: switch off every category of the packs' model (as `disabledRules` would).
    #[arg(long)]
    pub no_model: bool,
}

pub fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))
}

/// A policy file that must be fully valid (the CLI refuses what the extension would only report).
pub fn policy(path: Option<&Path>) -> Result<Policy, String> {
    let Some(path) = path else {
        return Ok(Policy::default());
    };
    let (policy, report) = Policy::parse(&read(path)?);
    for w in &report.warnings {
        eprintln!("blindaje: {}: warning: {w}", path.display());
    }
    if let Some(e) = report.errors.first() {
        let more = match report.errors.len() {
            1 => String::new(),
            n => format!(" (and {} more errors: run `blindaje policy validate`)", n - 1),
        };
        return Err(format!("{}: invalid policy: {e}{more}", path.display()));
    }
    Ok(policy)
}

/// An admin pack: parsed, validated within the budgets and its examples run, as the extension does before
/// accepting one.
pub fn admin_pack(path: &Path) -> Result<Pack, String> {
    admin_pack_usage(path).map(|(pack, _)| pack)
}

pub fn admin_pack_usage(path: &Path) -> Result<(Pack, Usage), String> {
    let origin = path.display().to_string();
    let source = read(path)?;
    let (pack, mut usage) =
        Pack::parse_within(&source, &PACK_BUDGET).map_err(|e| e.with_origin(&origin).to_string())?;
    let fallback = Engine::default_pack().test_policy;
    let started = budget::now_ms();
    let failures = Engine::check_examples(&pack, fallback.as_ref()).map_err(|e| e.with_origin(&origin).to_string())?;
    usage.build_ms = budget::now_ms() - started;
    if let Some(f) = failures.first() {
        return Err(format!(
            "{origin}: {f} ({} failing example(s) in all: run `blindaje rules test {origin}`)",
            failures.len()
        ));
    }
    budget::check_time(usage.build_ms, &PACK_BUDGET).map_err(|e| e.with_origin(&origin).to_string())?;
    Ok((pack, usage))
}

pub fn engine(files: &EngineFiles) -> Result<Engine, String> {
    let mut policy = policy(files.policy.as_deref())?;
    if files.no_model {
        policy.disabled_rules.extend(blindaje::Category::ALL.map(|c| format!("model.{}", c.id())));
    }
    let admin = files.rules.as_deref().map(admin_pack).transpose()?;
    Engine::new(policy, admin.as_ref()).map_err(|e| e.to_string())
}

pub fn validate_policy_file(path: &Path) -> Result<ExitCode, String> {
    let (policy, report) = Policy::parse(&read(path)?);
    for w in &report.warnings {
        println!("{}: warning: {w}", path.display());
    }
    if let Some(w) = policy.calendar_warning(chrono::Local::now().date_naive()) {
        println!("{}: warning: electoralPeriods: {w}", path.display());
    }
    for e in &report.errors {
        println!("{}: error: {e}", path.display());
    }
    if report.errors.is_empty() {
        println!("{}: valid policy", path.display());
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::from(2))
    }
}
