//! `blindaje check`: one text for a person, or `--jsonl`, the batch contract other tools rely on:
//! one JSON object per input line, `{"id", "findings": [...]}` or `{"id", "error"}`, in input order, flushed.

use super::load::{self, EngineFiles};
use super::render;
use blindaje::context::parse_date;
use blindaje::{Account, Context, Engine, Kind};
use serde::Serialize;
use serde_json::Value;
use std::io::{self, BufRead, IsTerminal, Write};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct CheckArgs {
    /// The text to analyze (omit with --jsonl).
    #[arg(required_unless_present = "jsonl", conflicts_with = "jsonl")]
    text: Option<String>,
    /// Read JSON lines {"id","text","account","date","kind","site"} from stdin, write one result line each.
    #[arg(long)]
    jsonl: bool,
    /// Which account writes: institutional or personal.
    #[arg(long, default_value = "institutional", value_parser = ["institutional", "personal"])]
    account: String,
    /// The date of the text, YYYY-MM-DD (default: today).
    #[arg(long, value_parser = parse_date)]
    date: Option<chrono::NaiveDate>,
    /// post, reply or email.
    #[arg(long, default_value = "post", value_parser = ["post", "reply", "email"])]
    kind: String,
    /// The site, e.g. x.com.
    #[arg(long)]
    site: Option<String>,
    #[command(flatten)]
    files: EngineFiles,
}

pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

pub fn run(args: CheckArgs) -> Result<ExitCode, String> {
    let engine = load::engine(&args.files)?;
    if args.jsonl {
        return run_jsonl(&engine).map_err(|e| format!("stdin/stdout: {e}"));
    }
    let context = Context {
        account: Account::from_id(&args.account).expect("clap checked the account"),
        date: args.date.unwrap_or_else(today),
        kind: Kind::from_id(&args.kind).expect("clap checked the kind"),
        site: args.site,
    };
    let text = args.text.unwrap_or_default();
    let findings = engine.analyze(&text, &context);
    let phase = engine.policy().phase_on(context.date);
    let color = io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    super::print(&render::report(&text, &context, phase, &findings, color));
    let warned = findings.iter().any(|f| f.severity.is_warning());
    Ok(if warned { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn run_jsonl(engine: &Engine) -> io::Result<ExitCode> {
    let stdin = io::stdin().lock();
    let mut out = io::stdout().lock();
    let today = today();
    for line in stdin.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let result = match serde_json::from_str::<Value>(&line) {
            Err(e) => Line::Error { id: Value::Null, error: format!("not valid JSON: {e}") },
            Ok(item) => {
                let id = item.get("id").cloned().unwrap_or(Value::Null);
                match context_of(&item, today) {
                    Err(error) => Line::Error { id, error },
                    Ok((text, context)) => Line::Findings { id, findings: engine.analyze(&text, &context) },
                }
            }
        };
        serde_json::to_writer(&mut out, &result)?;
        writeln!(out)?;
        out.flush()?;
    }
    Ok(ExitCode::SUCCESS)
}

/// One output line of `--jsonl`, keys in the documented order.
#[derive(Serialize)]
#[serde(untagged)]
enum Line {
    Findings { id: Value, findings: Vec<blindaje::Finding> },
    Error { id: Value, error: String },
}

/// Reads one input object; a missing field takes the same default as the human mode.
pub fn context_of(item: &Value, today: chrono::NaiveDate) -> Result<(String, Context), String> {
    if !item.is_object() {
        return Err("each line must be a JSON object".into());
    }
    let text = match item.get("text") {
        Some(Value::String(t)) => t.clone(),
        Some(_) => return Err("\"text\" must be a string".into()),
        None => return Err("missing \"text\"".into()),
    };
    let field = |name: &str| -> Result<Option<&str>, String> {
        match item.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(format!("\"{name}\" must be a string")),
        }
    };
    let account = match field("account")? {
        None => Account::Institutional,
        Some(a) => {
            Account::from_id(a).ok_or_else(|| format!("\"account\" must be institutional or personal, not «{a}»"))?
        }
    };
    let kind = match field("kind")? {
        None => Kind::Post,
        Some(k) => Kind::from_id(k).ok_or_else(|| format!("\"kind\" must be post, reply or email, not «{k}»"))?,
    };
    let date = match field("date")? {
        None => today,
        Some(d) => parse_date(d).map_err(|e| format!("\"date\": {e}"))?,
    };
    let site = field("site")?.map(str::to_string);
    Ok((text, Context { account, date, kind, site }))
}
