//! The audit report as plain text for a person at a terminal (Spanish, like the rest of the CLI's output):
//! summary and counts per category, then the pages with findings (most severe first) with every finding in
//! its context, the shared blocks, the PDFs to review by hand, the clean pages, and what could not be read.

use super::{phase_label, severity_label, AuditFinding, Report};
use crate::Category;
use std::collections::HashSet;
use std::fmt::Write;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let mut quoted = HashSet::new();
    let s = &report.summary;
    let _ = writeln!(out, "Auditoría del portal · Blindaje Electoral {}", report.version);
    let _ = writeln!(
        out,
        "Fecha de referencia: {} ({}) · reglas {}{}",
        report.date,
        phase_label(report.phase),
        report.rules.pack,
        report.rules.admin_pack.as_ref().map(|a| format!(" + {a}")).unwrap_or_default()
    );
    let _ = writeln!(out, "Fuentes: {}", report.sources.join("; "));
    let _ = writeln!(
        out,
        "\n{} páginas revisadas: {} con avisos, {} solo con sugerencias, {} sin avisos · {} con error · {} omitidas",
        s.pages, s.pages_with_warnings, s.pages_with_hints, s.clean_pages, s.failed, s.skipped
    );
    let _ = writeln!(
        out,
        "{} avisos ({} de gravedad alta, {} media) y {} sugerencias; {} bloques compartidos, {} con avisos",
        s.warnings, s.high, s.medium, s.hints, s.shared_blocks, s.shared_blocks_with_findings
    );
    if s.warnings + s.hints > 0 {
        out.push_str("Por categoría:\n");
        for c in Category::ALL {
            let n = s.by_category.get(c.id()).copied().unwrap_or(0);
            if n > 0 {
                let _ = writeln!(out, "  {:<28} {n}", c.label());
            }
        }
    }
    if s.not_audited > 0 {
        let _ = writeln!(
            out,
            "Atención: {} páginas más quedaron sin revisar por el límite --max-pages {}.",
            s.not_audited, s.max_pages
        );
    }

    let flagged: Vec<_> = report.flagged_pages().collect();
    if !flagged.is_empty() {
        let _ = writeln!(out, "\n== Páginas con avisos ({}) ==", flagged.len());
        for (i, page) in flagged.iter().enumerate() {
            let _ = writeln!(out, "\n{}. {}", i + 1, page.url);
            if !page.title.is_empty() {
                let _ = writeln!(out, "   «{}»", page.title);
            }
            for f in &page.findings {
                finding(&mut out, f, &mut quoted);
            }
        }
    }

    if !report.shared.is_empty() {
        let _ = writeln!(
            out,
            "\n== Bloques compartidos con avisos ({}): menús, pies y textos repetidos, se informan una vez ==",
            report.shared.len()
        );
        for (i, block) in report.shared.iter().enumerate() {
            let examples: Vec<&str> = block.pages.iter().take(3).map(String::as_str).collect();
            let more = if block.page_count > examples.len() {
                format!(" y {} más", block.page_count - examples.len())
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "\n{}. En {} páginas ({}{more}) · {}, {}",
                i + 1,
                block.page_count,
                examples.join(", "),
                block.element.label(),
                block.region.label()
            );
            for f in &block.findings {
                finding(&mut out, f, &mut quoted);
            }
        }
    }

    if !report.pdfs.is_empty() {
        let _ = writeln!(out, "\n== Documentos PDF para revisión manual ({}; no se analizan) ==", report.pdfs.len());
        for pdf in &report.pdfs {
            let _ = writeln!(out, "- {} (enlazado desde {} página(s))", pdf.url, pdf.pages.len());
        }
    }

    let clean: Vec<_> = report.clean_pages().collect();
    if !clean.is_empty() {
        let _ = writeln!(out, "\n== Páginas sin avisos propios ({}) ==", clean.len());
        for page in clean {
            if page.title.is_empty() {
                let _ = writeln!(out, "- {}", page.url);
            } else {
                let _ = writeln!(out, "- {} «{}»", page.url, page.title);
            }
        }
    }
    if !report.failed.is_empty() {
        let _ = writeln!(out, "\n== Páginas que no se pudieron revisar ({}) ==", report.failed.len());
        for p in &report.failed {
            let _ = writeln!(out, "- {}: {}", p.url, p.reason);
        }
    }
    if !report.skipped.is_empty() {
        let _ = writeln!(out, "\n== Omitidas ({}) ==", report.skipped.len());
        for p in &report.skipped {
            let _ = writeln!(out, "- {}: {}", p.url, p.reason);
        }
    }
    out
}

/// One finding; the guideline is quoted in full the first time a rule appears (`quoted` remembers).
fn finding<'a>(out: &mut String, f: &'a AuditFinding, quoted: &mut HashSet<&'a str>) {
    let _ = writeln!(
        out,
        "   - {} · {} · {} · {}",
        severity_label(f.severity),
        f.category_label,
        f.element.label(),
        f.rule
    );
    let _ = writeln!(out, "     {}", f.context());
    let _ = writeln!(out, "     {}", f.message);
    if quoted.insert(&*f.rule) {
        let _ = writeln!(out, "     Lineamiento: «{}»", f.guideline);
    } else {
        let _ = writeln!(out, "     Lineamiento: el citado arriba para {}", f.rule);
    }
    if let Some(s) = &f.suggestion {
        let _ = writeln!(out, "     Sugerencia: {s}");
    }
}
