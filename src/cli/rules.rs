//! `blindaje rules …`: what an admin needs to maintain and publish rule packs.

use super::load::{self, EngineFiles};
use blindaje::budget;
use blindaje::signing;
use blindaje::{pack, Engine, Pack};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum RulesCommand {
    /// Parse and validate a pack, and run its rules' examples.
    Validate { file: PathBuf },
    /// Run every rule's examples (the embedded pack without FILE) and name each failure.
    Test { file: Option<PathBuf> },
    /// Print the effective pack: the embedded rules with --rules layered over them and --policy applied.
    Show {
        #[command(flatten)]
        files: EngineFiles,
    },
    /// Make an Ed25519 key pair for signing packs (refuses to write inside a git repository).
    Keygen {
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Sign a pack: one file with the pack and its detached signature.
    Sign {
        pack: PathBuf,
        #[arg(long, value_name = "KEY")]
        key: PathBuf,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Verify a signed pack against a public key (file or base64) and validate the pack inside.
    Verify {
        file: PathBuf,
        #[arg(long = "public-key", value_name = "KEY", required = true)]
        public_keys: Vec<String>,
    },
    /// Rules added, removed and changed between two packs.
    Diff { old: PathBuf, new: PathBuf },
}

pub fn run(command: RulesCommand) -> Result<ExitCode, String> {
    match command {
        RulesCommand::Validate { file } => {
            let (pack, usage) = load::admin_pack_usage(&file)?;
            println!(
                "{}: valid pack «{}» version {} ({} rules, {} site adapters)",
                file.display(),
                pack.id,
                pack.version,
                pack.rules.len(),
                pack.sites.len()
            );
            let b = &budget::PACK_BUDGET;
            println!(
                "budget: {}/{} rules, {}/{} terms, {}/{} regexes, {}/{} examples, {}/{} KiB of compiled regexes, {:.0}/{:.0} ms to build and check",
                usage.rules,
                b.max_rules,
                usage.terms,
                b.max_terms,
                usage.regexes,
                b.max_regexes,
                usage.examples,
                b.max_examples,
                usage.regex_bytes / 1024,
                b.max_regex_bytes / 1024,
                usage.build_ms,
                b.max_build_ms
            );
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Test { file } => test(file.as_deref()),
        RulesCommand::Show { files } => {
            let engine = load::engine(&files)?;
            let effective = serde_json::json!({
                "base": engine.base_pack(),
                "admin": engine.admin_pack(),
                "rules": engine.rules(),
                "sites": engine.sites(),
            });
            super::print(&format!("{}\n", serde_json::to_string_pretty(&effective).expect("packs serialize")));
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Keygen { out } => keygen(&out),
        RulesCommand::Sign { pack, key, out } => {
            let bytes = std::fs::read(&pack).map_err(|e| format!("{}: cannot read: {e}", pack.display()))?;
            let text = std::str::from_utf8(&bytes).map_err(|_| format!("{}: not UTF-8 text", pack.display()))?;
            Pack::parse(text).map_err(|e| e.with_origin(&pack.display().to_string()).to_string())?;
            let key = signing::decode_private_key(&load::read(&key)?).map_err(|e| format!("{}: {e}", key.display()))?;
            write(&out, &signing::sign(&bytes, &key))?;
            println!("{}: signed by {}", out.display(), signing::encode_public_key(&key.verifying_key()));
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Verify { file, public_keys } => {
            let keys = public_keys.iter().map(|k| read_key_arg(k)).collect::<Result<Vec<_>, _>>()?;
            let envelope = std::fs::read(&file).map_err(|e| format!("{}: cannot read: {e}", file.display()))?;
            let bytes = signing::open(&envelope, &keys).map_err(|e| format!("{}: {e}", file.display()))?.pack;
            let text =
                String::from_utf8(bytes).map_err(|_| format!("{}: the signed pack is not UTF-8", file.display()))?;
            let pack = Pack::parse(&text).map_err(|e| e.with_origin(&file.display().to_string()).to_string())?;
            println!(
                "{}: good signature; pack «{}» version {} ({} rules)",
                file.display(),
                pack.id,
                pack.version,
                pack.rules.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Diff { old, new } => {
            let parse = |p: &Path| {
                Pack::parse(&load::read(p)?).map_err(|e| e.with_origin(&p.display().to_string()).to_string())
            };
            let (a, b) = (parse(&old)?, parse(&new)?);
            let d = pack::diff(&a, &b);
            let mut out = format!("version {} → {}\n", a.version, b.version);
            d.added.iter().for_each(|id| out += &format!("+ {id}\n"));
            d.removed.iter().for_each(|id| out += &format!("- {id}\n"));
            d.changed.iter().for_each(|(id, fields)| out += &format!("~ {id} ({})\n", fields.join(", ")));
            if d.added.is_empty() && d.removed.is_empty() && d.changed.is_empty() {
                out += "no rule changed\n";
            }
            super::print(&out);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn test(file: Option<&Path>) -> Result<ExitCode, String> {
    let (pack, origin) = match file {
        Some(f) => (
            Pack::parse(&load::read(f)?).map_err(|e| e.with_origin(&f.display().to_string()).to_string())?,
            f.display().to_string(),
        ),
        None => (Engine::default_pack(), "embedded pack".to_string()),
    };
    let fallback = Engine::default_pack().test_policy;
    let failures = Engine::check_examples(&pack, fallback.as_ref()).map_err(|e| e.to_string())?;
    let examples: usize = pack.rules.iter().map(|r| r.examples.should_match.len() + r.examples.no_match.len()).sum();
    let mut out: String = failures.iter().map(|f| format!("FAIL {f}\n")).collect();
    out += &format!("{origin}: {} rules, {examples} examples, {} failing\n", pack.rules.len(), failures.len());
    super::print(&out);
    Ok(if failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// A `--public-key` is a file holding a base64 key, or the base64 key itself.
fn read_key_arg(arg: &str) -> Result<String, String> {
    let key = match std::fs::read_to_string(arg) {
        Ok(text) => text.trim().to_string(),
        Err(_) => arg.trim().to_string(),
    };
    signing::decode_public_key(&key).map(|_| key)
}

fn keygen(out: &Path) -> Result<ExitCode, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{}: cannot create: {e}", out.display()))?;
    let dir = out.canonicalize().map_err(|e| format!("{}: {e}", out.display()))?;
    if let Some(repo) = dir.ancestors().find(|d| d.join(".git").exists()) {
        return Err(format!(
            "{}: is inside the git repository {}; keep the private key outside any repository (e.g. --out ~/blindaje-keys)",
            out.display(),
            repo.display()
        ));
    }
    let (private, public) = (dir.join("blindaje-signing.key"), dir.join("blindaje-signing.pub"));
    if private.exists() {
        return Err(format!("{}: already exists; refusing to overwrite a signing key", private.display()));
    }
    let key = ed25519_dalek::SigningKey::generate(&mut rand_core::OsRng);
    write(&private, &format!("{}\n", signing::encode_private_key(&key)))?;
    restrict_permissions(&private)?;
    let public_b64 = signing::encode_public_key(&key.verifying_key());
    write(&public, &format!("{public_b64}\n"))?;
    println!("private key: {} (keep it secret, off any repository)", private.display());
    println!("public key:  {} — put this in the policy's rulePackPublicKeys:\n{public_b64}", public.display());
    Ok(ExitCode::SUCCESS)
}

fn write(path: &Path, content: &str) -> Result<(), String> {
    std::fs::write(path, content).map_err(|e| format!("{}: cannot write: {e}", path.display()))
}

#[cfg(unix)]
fn restrict_permissions(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        .map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(not(unix))]
fn restrict_permissions(_: &Path) -> Result<(), String> {
    Ok(())
}
