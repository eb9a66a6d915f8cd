//! Findings drawn for a person on a terminal: the text with the flagged spans marked, then each finding
//! with its severity, category, message, guideline point and suggestion.

use blindaje::{Account, Context, Finding, Kind, Phase, Severity};
use std::fmt::Write;

const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const CYAN: &str = "\x1b[36m";
const UNDERLINE: &str = "\x1b[4m";
const RESET: &str = "\x1b[0m";

pub fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::High => "ALTA",
        Severity::Medium => "MEDIA",
        Severity::Low => "SUGERENCIA",
    }
}

fn severity_color(s: Severity) -> &'static str {
    match s {
        Severity::High => RED,
        Severity::Medium => YELLOW,
        Severity::Low => CYAN,
    }
}

pub fn report(text: &str, context: &Context, phase: Option<Phase>, findings: &[Finding], color: bool) -> String {
    let mut out = String::new();
    let account = match context.account {
        Account::Institutional => "cuenta institucional",
        Account::Personal => "cuenta personal",
    };
    let kind = match context.kind {
        Kind::Post => "publicación",
        Kind::Reply => "respuesta",
        Kind::Email => "correo",
    };
    let phase = phase.map_or("fuera de periodo electoral".to_string(), |p| format!("fase {p}"));
    let _ = writeln!(out, "{account} · {kind} · {} · {phase}\n", context.date);
    let _ = writeln!(out, "{}\n", marked(text, findings, color));
    if findings.is_empty() {
        out.push_str("Sin avisos.\n");
        return out;
    }
    let warnings = findings.iter().filter(|f| f.severity.is_warning()).count();
    let _ = writeln!(out, "{warnings} aviso(s), {} sugerencia(s):\n", findings.len() - warnings);
    for (i, f) in findings.iter().enumerate() {
        let (on, off) = if color { (severity_color(f.severity), RESET) } else { ("", "") };
        let _ = writeln!(
            out,
            "{}. {on}{}{off} · {} · {}  [{}..{}] «{}»",
            i + 1,
            severity_label(f.severity),
            f.category.label(),
            f.rule,
            f.start,
            f.end,
            f.excerpt
        );
        let _ = writeln!(out, "   {}", f.message);
        let _ = writeln!(out, "   Lineamiento: «{}»", f.guideline);
        if let Some(s) = &f.suggestion {
            let _ = writeln!(out, "   Sugerencia: {s}");
        }
    }
    out
}

/// The text with each flagged span underlined (terminal) or between ⟦ ⟧.
fn marked(text: &str, findings: &[Finding], color: bool) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut inside = vec![false; units.len()];
    for f in findings {
        inside[f.start..f.end].iter_mut().for_each(|b| *b = true);
    }
    let mut out = String::new();
    let mut i = 0;
    while i < units.len() {
        let j = (i..units.len()).find(|&k| inside[k] != inside[i]).unwrap_or(units.len());
        let piece = String::from_utf16_lossy(&units[i..j]);
        match (inside[i], color) {
            (true, true) => {
                let _ = write!(out, "{UNDERLINE}{RED}{piece}{RESET}");
            }
            (true, false) => {
                let _ = write!(out, "⟦{piece}⟧");
            }
            (false, _) => out.push_str(&piece),
        }
        i = j;
    }
    out
}
