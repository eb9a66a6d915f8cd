//! `blindaje check`: one text for a person, or `--jsonl`, the batch contract other tools rely on:
//! one JSON object per input line, `{"id", "findings": [...]}` or `{"id", "error"}`, in input order, flushed.
//! A line that is not UTF-8 or is over [`MAX_LINE_BYTES`] gets its `error` line like any other bad line.

use super::load::{self, EngineFiles};
use super::render;
use blindaje::context::parse_date;
use blindaje::{Account, Context, Engine, Kind};
use serde::Serialize;
use serde_json::Value;
use std::io::{self, BufRead, IsTerminal, Read, Write};
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

/// The longest input line `--jsonl` reads, newline excluded (1 MiB: a text of hundreds of thousands of
/// characters). A longer line gives an `error` line and is skipped without being held in memory.
pub const MAX_LINE_BYTES: usize = 1 << 20;

fn run_jsonl(engine: &Engine) -> io::Result<ExitCode> {
    let mut stdin = io::stdin().lock();
    let mut out = io::stdout().lock();
    let today = today();
    let mut number = 0;
    while let Some(line) = read_line(&mut stdin, MAX_LINE_BYTES)? {
        number += 1;
        let result = match line {
            RawLine::TooLong => Line::Error {
                id: Value::Null,
                error: format!(
                    "line {number} is longer than {MAX_LINE_BYTES} bytes: skipped; split the text or send it with `blindaje check`"
                ),
            },
            RawLine::Bytes(bytes) => match String::from_utf8(bytes) {
                Err(e) => Line::Error {
                    id: Value::Null,
                    error: format!(
                        "line {number} is not valid UTF-8 (invalid byte at offset {}): send the text as UTF-8",
                        e.utf8_error().valid_up_to()
                    ),
                },
                Ok(line) if line.trim().is_empty() => continue,
                Ok(line) => match serde_json::from_str::<Value>(&line) {
                    Err(e) => Line::Error { id: Value::Null, error: format!("not valid JSON: {e}") },
                    Ok(item) => {
                        let id = item.get("id").cloned().unwrap_or(Value::Null);
                        match context_of(&item, today) {
                            Err(error) => Line::Error { id, error },
                            Ok((text, context)) => Line::Findings { id, findings: engine.analyze(&text, &context) },
                        }
                    }
                },
            },
        };
        serde_json::to_writer(&mut out, &result)?;
        writeln!(out)?;
        out.flush()?;
    }
    Ok(ExitCode::SUCCESS)
}

/// One input line as read: its bytes (newline and a `\r` before it dropped), or too long to keep.
enum RawLine {
    Bytes(Vec<u8>),
    TooLong,
}

/// Reads up to the next `\n` holding at most `limit` bytes; a longer line is consumed to its end and
/// reported as [`RawLine::TooLong`]. `None` at the end of the input.
fn read_line(input: &mut impl BufRead, limit: usize) -> io::Result<Option<RawLine>> {
    let mut bytes = Vec::new();
    // Room for the line, a `\r` and the `\n`.
    let read = (&mut *input).take(limit as u64 + 2).read_until(b'\n', &mut bytes)?;
    if read == 0 {
        return Ok(None);
    }
    let ended = bytes.last() == Some(&b'\n');
    if ended {
        bytes.pop();
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
    }
    if bytes.len() > limit {
        if !ended {
            input.skip_until(b'\n')?;
        }
        return Ok(Some(RawLine::TooLong));
    }
    Ok(Some(RawLine::Bytes(bytes)))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], limit: usize) -> Vec<Option<Vec<u8>>> {
        let mut reader = io::BufReader::with_capacity(4, input);
        let mut out = Vec::new();
        while let Some(line) = read_line(&mut reader, limit).unwrap() {
            out.push(match line {
                RawLine::Bytes(b) => Some(b),
                RawLine::TooLong => None,
            });
        }
        out
    }

    #[test]
    fn lines_are_split_bounded_and_skipped_whole_when_too_long() {
        let got = lines(b"abc\r\n\xff\n0123456789\nabcd\r\nlast", 4);
        let want: Vec<Option<Vec<u8>>> =
            vec![Some(b"abc".to_vec()), Some(vec![0xff]), None, Some(b"abcd".to_vec()), Some(b"last".to_vec())];
        assert_eq!(got, want);
        assert_eq!(lines(b"", 4), Vec::<Option<Vec<u8>>>::new());
        assert_eq!(lines(b"abcde", 4), vec![None], "too long at the end of input, no newline");
    }
}
