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
    if s.documents + s.accounts > 0 {
        let _ = writeln!(
            out,
            "{} PDF leídos ({} páginas), {} con avisos · {} publicaciones de {} cuenta(s), {} con avisos",
            s.documents, s.pdf_pages, s.documents_with_warnings, s.posts, s.accounts, s.posts_with_warnings
        );
    }
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

    let flagged_docs: Vec<_> = report.documents.iter().filter(|d| !d.findings.is_empty()).collect();
    if !report.documents.is_empty() {
        let _ = writeln!(
            out,
            "\n== Documentos PDF leídos ({}, {} páginas): {} con avisos ==",
            report.documents.len(),
            s.pdf_pages,
            flagged_docs.len()
        );
        for (i, doc) in flagged_docs.iter().enumerate() {
            let _ = writeln!(out, "\n{}. {} ({} páginas)", i + 1, doc.url, doc.page_count);
            if !doc.title.is_empty() {
                let _ = writeln!(out, "   «{}»", doc.title);
            }
            if let Some(why) = &doc.incomplete {
                let _ = writeln!(out, "   Atención: {why}");
            }
            for f in &doc.findings {
                finding(&mut out, f, &mut quoted);
            }
        }
    }

    for account in &report.accounts {
        let _ = writeln!(
            out,
            "\n== {} {} ({}): {} publicaciones revisadas, {} con avisos, {} solo con sugerencias ==",
            account.platform.label(),
            account.account,
            account.source,
            account.posts,
            account.posts_with_warnings,
            account.posts_with_hints
        );
        for (i, post) in account.flagged.iter().enumerate() {
            let link = post.url.as_deref().unwrap_or("(la exportación no trae enlace: búsquela por fecha y texto)");
            let _ = writeln!(out, "\n{}. {} · {}", i + 1, post.date.as_deref().unwrap_or("sin fecha"), link);
            let text: String = post.text.chars().take(200).collect();
            let more = if post.text.chars().count() > 200 { "…" } else { "" };
            let _ = writeln!(out, "   «{}{more}»", text.replace('\n', " "));
            for f in &post.findings {
                finding(&mut out, f, &mut quoted);
            }
        }
    }

    let manual: Vec<_> = report.pdfs.iter().filter(|p| !p.audited).collect();
    if !manual.is_empty() {
        let _ = writeln!(out, "\n== Documentos PDF para revisión manual ({}; no se analizan) ==", manual.len());
        for pdf in manual {
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
        let _ = writeln!(out, "\n== No se pudieron revisar ({}) ==", report.failed.len());
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
    let place = match f.pdf_page {
        Some(n) => format!("página {n}"),
        None => f.element.label().to_string(),
    };
    let _ = writeln!(out, "   - {} · {} · {} · {}", severity_label(f.severity), f.category_label, place, f.rule);
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
