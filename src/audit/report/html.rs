//! The audit report as one self-contained HTML file (inline CSS and JavaScript, no network) that a
//! communications head can open and work through, in Spanish: the summary, filters by category and
//! severity, a search box, pages with their findings in context and links to them, a "revisada" checkbox per
//! page remembered in the browser, the shared blocks, the PDFs to review by hand, the clean pages and the
//! pages that could not be read.
//!
//! Grouped by source: pages (and the site's shared blocks), PDFs (each finding with its page), then one
//! section per social account (each flagged post linked, so staff can hide or delete it), every group
//! sorted by severity. First comes a one-page summary for an auditor to print: counts by category and
//! source, the 20 worst items, and what could not be read.

use super::{phase_label, severity_label, AuditFinding, Report};
use crate::{Category, Severity};
use std::fmt::Write;

/// Escapes text for HTML content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Only http(s) and file links are made clickable.
fn safe_href(href: &str) -> Option<String> {
    let lower = href.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("file://")).then(|| esc(href))
}

fn link(href: &str, text: &str) -> String {
    match safe_href(href) {
        Some(h) => format!("<a href=\"{h}\" target=\"_blank\" rel=\"noopener noreferrer\">{}</a>", esc(text)),
        None => esc(text),
    }
}

const STYLE: &str = r#"
:root{--alta:#b3261e;--media:#a15c00;--baja:#1d5fa8;--borde:#d6d9de;--fondo:#f5f6f8;--texto:#1b1f24;--tenue:#5b6470}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--texto);background:var(--fondo)}
header.top{background:#1f2d3d;color:#fff;padding:1.2rem 2rem}
header.top h1{margin:0 0 .3rem;font-size:1.5rem}
header.top p{margin:.15rem 0;color:#d6dde6}
main{max-width:1100px;margin:0 auto;padding:1rem 2rem 3rem}
.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}
.card{background:#fff;border:1px solid var(--borde);border-radius:8px;padding:.7rem 1rem;min-width:9rem}
.card b{display:block;font-size:1.6rem}
.card.alerta b{color:var(--alta)}
.filters{position:sticky;top:0;z-index:2;background:#fff;border:1px solid var(--borde);border-radius:8px;padding:.7rem 1rem;margin-bottom:1rem;display:flex;flex-wrap:wrap;gap:.6rem 1.4rem;align-items:center}
.filters fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.3rem .8rem;align-items:center}
.filters legend{font-weight:600;float:left;margin-right:.4rem}
.filters input[type=search]{padding:.35rem .6rem;border:1px solid var(--borde);border-radius:6px;min-width:16rem}
#visibles{color:var(--tenue)}
section{margin-top:2rem}
h2{font-size:1.2rem;border-bottom:2px solid var(--borde);padding-bottom:.3rem}
article.page{background:#fff;border:1px solid var(--borde);border-radius:8px;margin:.8rem 0;padding:.8rem 1rem}
article.page.hecha{opacity:.55}
article.page>header{display:flex;justify-content:space-between;gap:1rem;align-items:flex-start}
article.page h3{margin:0;font-size:1.05rem}
.url{color:var(--tenue);font-size:.85rem;word-break:break-all;margin:.1rem 0 0}
label.hecha{white-space:nowrap;font-size:.9rem}
ol.findings{margin:.6rem 0 0;padding-left:1.2rem}
li.finding{margin:.6rem 0;padding:.4rem .6rem;border-left:4px solid var(--borde)}
li.finding.high{border-color:var(--alta)}
li.finding.medium{border-color:var(--media)}
li.finding.low{border-color:var(--baja)}
.badge{display:inline-block;border-radius:4px;padding:0 .4rem;font-size:.78rem;font-weight:700;color:#fff}
.badge.high{background:var(--alta)}.badge.medium{background:var(--media)}.badge.low{background:var(--baja)}
.meta{font-size:.88rem;color:var(--tenue)}
.meta .cat{color:var(--texto);font-weight:600}
blockquote{margin:.35rem 0;padding:.3rem .6rem;background:var(--fondo);border-radius:4px}
mark{background:#ffe08a;padding:0 .1rem}
.msg{margin:.2rem 0}
.sug{margin:.2rem 0;color:#1b5e20}
details{font-size:.9rem;color:var(--tenue)}
code{font-size:.8rem}
table{border-collapse:collapse;width:100%;background:#fff}
td,th{border:1px solid var(--borde);padding:.35rem .6rem;text-align:left;vertical-align:top;word-break:break-word}
ul.plain{background:#fff;border:1px solid var(--borde);border-radius:8px;padding:.6rem 1.6rem}
.oculto{display:none!important}
footer{color:var(--tenue);font-size:.85rem;text-align:center;margin:2rem 0}
section.resumen{background:#fff;border:1px solid var(--borde);border-radius:8px;padding:.6rem 1rem;font-size:.9rem}
section.resumen h2{margin-top:.2rem}
section.resumen table{font-size:.82rem}
section.resumen td.n{text-align:right}
@media print{.filters,label.hecha{display:none}article.page{break-inside:avoid}header.top{padding:.4rem 0;background:none;color:#000}header.top p{color:#000}.cards{display:none}section.resumen{border:0;padding:0;break-after:page}details{display:none}}
"#;

const SCRIPT: &str = r#"
(function(){
  var clave = 'blindaje-audit-revisada:';
  function marcadas(sel){return Array.prototype.map.call(document.querySelectorAll(sel+':checked'),function(i){return i.value;});}
  function aplicar(){
    var cats = marcadas('input[name=categoria]'), sevs = marcadas('input[name=gravedad]');
    var q = (document.getElementById('buscar').value||'').toLowerCase();
    var ocultarHechas = document.getElementById('ocultar-hechas').checked;
    var total = 0, vistos = 0;
    document.querySelectorAll('.bloque').forEach(function(b){
      var texto = (b.getAttribute('data-busqueda')||'').toLowerCase();
      var enBloque = 0;
      b.querySelectorAll('li.finding').forEach(function(f){
        total++;
        var ok = cats.indexOf(f.getAttribute('data-category'))>=0 && sevs.indexOf(f.getAttribute('data-severity'))>=0
          && (!q || texto.indexOf(q)>=0 || f.textContent.toLowerCase().indexOf(q)>=0);
        f.classList.toggle('oculto', !ok);
        if(ok){enBloque++;}
      });
      var visible = enBloque > 0 && !(ocultarHechas && b.classList.contains('hecha'));
      b.classList.toggle('oculto', !visible);
      if(visible){vistos += enBloque;}
    });
    document.getElementById('visibles').textContent = 'Mostrando ' + vistos + ' de ' + total + ' avisos';
  }
  document.querySelectorAll('input[data-revisada]').forEach(function(c){
    var k = clave + c.getAttribute('data-revisada');
    try { c.checked = localStorage.getItem(k) === '1'; } catch(e) {}
    var art = c.closest('.bloque');
    art.classList.toggle('hecha', c.checked);
    c.addEventListener('change', function(){
      try { if(c.checked){localStorage.setItem(k,'1');} else {localStorage.removeItem(k);} } catch(e) {}
      art.classList.toggle('hecha', c.checked);
      aplicar();
    });
  });
  document.querySelectorAll('.filters input').forEach(function(i){i.addEventListener('input', aplicar); i.addEventListener('change', aplicar);});
  aplicar();
})();
"#;

pub fn render(report: &Report) -> String {
    let s = &report.summary;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"es\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Auditoría del portal · {}</title><style>{STYLE}</style></head><body>",
        report.date
    );
    let admin = report.rules.admin_pack.as_ref().map(|a| format!(" + {}", esc(a))).unwrap_or_default();
    let _ = write!(
        out,
        "<header class=\"top\"><h1>Auditoría del portal institucional</h1>\
         <p>Revisión para el <b>{}</b> ({}): desde el inicio de las campañas y hasta la jornada electoral el portal \
         no puede difundir logros de gobierno ni propaganda política, electoral o personalizada; la información de \
         transparencia permanece.</p><p>Fuentes: {} · reglas {}{admin} · generado {} por Blindaje Electoral {}</p></header><main>",
        report.date,
        phase_label(report.phase),
        esc(&report.sources.join("; ")),
        esc(&report.rules.pack),
        esc(&report.generated),
        esc(report.version),
    );

    let card = |out: &mut String, n: usize, label: &str, alert: bool| {
        let class = if alert && n > 0 { "card alerta" } else { "card" };
        let _ = write!(out, "<div class=\"{class}\"><b>{n}</b>{label}</div>");
    };
    out.push_str("<div class=\"cards\">");
    card(&mut out, s.pages, "páginas revisadas", false);
    card(&mut out, s.pages_with_warnings, "páginas con avisos", true);
    card(&mut out, s.warnings, "avisos", true);
    card(&mut out, s.shared_blocks_with_findings, "bloques compartidos con avisos", true);
    card(&mut out, s.clean_pages, "páginas sin avisos", false);
    card(&mut out, s.failed, "no se pudieron revisar", true);
    card(&mut out, s.documents, "PDF leídos", false);
    card(&mut out, s.documents_with_warnings, "PDF con avisos", true);
    if s.accounts > 0 {
        card(&mut out, s.posts, "publicaciones revisadas", false);
        card(&mut out, s.posts_with_warnings, "publicaciones con avisos", true);
    }
    card(&mut out, report.pdfs.iter().filter(|p| !p.audited).count(), "PDF por revisar a mano", false);
    out.push_str("</div>");
    if s.not_audited > 0 {
        let _ = write!(
            out,
            "<p><b>Atención:</b> {} páginas más quedaron sin revisar por el límite de {} páginas (<code>--max-pages</code>).</p>",
            s.not_audited, s.max_pages
        );
    }

    summary_page(&mut out, report);

    // Filters.
    out.push_str("<div class=\"filters\"><fieldset><legend>Categoría</legend>");
    for c in Category::ALL {
        let n = s.by_category.get(c.id()).copied().unwrap_or(0);
        let hidden = if n == 0 { " class=\"oculto\"" } else { "" };
        let _ = write!(
            out,
            "<label{hidden}><input type=\"checkbox\" name=\"categoria\" value=\"{}\" checked> {} ({n})</label>",
            c.id(),
            esc(c.label())
        );
    }
    out.push_str("</fieldset><fieldset><legend>Gravedad</legend>");
    for (sev, n) in [(Severity::High, s.high), (Severity::Medium, s.medium), (Severity::Low, s.low)] {
        let _ = write!(
            out,
            "<label><input type=\"checkbox\" name=\"gravedad\" value=\"{}\" checked> {} ({n})</label>",
            sev.id(),
            severity_label(sev).to_lowercase()
        );
    }
    out.push_str(
        "</fieldset><input type=\"search\" id=\"buscar\" placeholder=\"Buscar en dirección, título o texto\">\
         <label><input type=\"checkbox\" id=\"ocultar-hechas\"> Ocultar las revisadas</label>\
         <span id=\"visibles\"></span></div>",
    );

    let flagged: Vec<_> = report.flagged_pages().collect();
    let _ = write!(out, "<section id=\"paginas\"><h2>Páginas con avisos ({})</h2>", flagged.len());
    if flagged.is_empty() {
        out.push_str("<p>Ninguna página tiene avisos propios.</p>");
    }
    for page in flagged {
        let title = if page.title.is_empty() { &page.url } else { &page.title };
        let _ = write!(
            out,
            "<article class=\"page bloque\" data-busqueda=\"{} {}\"><header><div><h3>{}</h3><p class=\"url\">{}</p></div>\
             <label class=\"hecha\"><input type=\"checkbox\" data-revisada=\"{}\"> Revisada</label></header><ol class=\"findings\">",
            esc(&page.url),
            esc(&page.title),
            link(&page.href, title),
            esc(&page.url),
            esc(&page.url),
        );
        for f in &page.findings {
            finding(&mut out, f);
        }
        out.push_str("</ol>");
        if !page.pdfs.is_empty() {
            let _ = write!(out, "<details><summary>{} PDF enlazado(s) en esta página</summary><ul>", page.pdfs.len());
            for pdf in &page.pdfs {
                let _ = write!(out, "<li>{}</li>", link(pdf, pdf));
            }
            out.push_str("</ul></details>");
        }
        out.push_str("</article>");
    }
    out.push_str("</section>");

    if !report.shared.is_empty() {
        let _ = write!(
            out,
            "<section id=\"compartidos\"><h2>Bloques compartidos con avisos ({})</h2>\
             <p>Textos que se repiten en muchas páginas (menús, encabezados, pies, banners): se informan una sola vez; \
             basta corregirlos en la plantilla del sitio.</p>",
            report.shared.len()
        );
        for block in &report.shared {
            let _ = write!(
                out,
                "<article class=\"page bloque\" data-busqueda=\"{}\"><header><div><h3>En {} páginas · {}, {}</h3>\
                 <p class=\"url\">«{}»</p></div><label class=\"hecha\"><input type=\"checkbox\" data-revisada=\"compartido:{}\"> Revisado</label></header><ol class=\"findings\">",
                esc(&block.text),
                block.page_count,
                esc(block.element.label()),
                esc(block.region.label()),
                esc(&block.text),
                esc(&block.text),
            );
            for f in &block.findings {
                finding(&mut out, f);
            }
            let _ = write!(out, "</ol><details><summary>Páginas donde aparece ({})</summary><ul>", block.page_count);
            for p in &block.pages {
                let _ = write!(out, "<li>{}</li>", link(p, p));
            }
            out.push_str("</ul></details></article>");
        }
        out.push_str("</section>");
    }

    if !report.documents.is_empty() {
        let flagged: Vec<_> = report.documents.iter().filter(|d| !d.findings.is_empty()).collect();
        let _ = write!(
            out,
            "<section id=\"documentos\"><h2>Documentos PDF con avisos ({} de {} leídos, {} páginas)</h2>",
            flagged.len(),
            report.documents.len(),
            s.pdf_pages
        );
        if flagged.is_empty() {
            out.push_str("<p>Ningún PDF leído tiene avisos.</p>");
        }
        for doc in flagged {
            let title = if doc.title.is_empty() { &doc.url } else { &doc.title };
            let _ = write!(
                out,
                "<article class=\"page bloque\" data-busqueda=\"{} {}\"><header><div><h3>{}</h3><p class=\"url\">{} · {} páginas</p></div>\
                 <label class=\"hecha\"><input type=\"checkbox\" data-revisada=\"pdf:{}\"> Revisado</label></header>",
                esc(&doc.url),
                esc(&doc.title),
                link(&doc.href, title),
                esc(&doc.url),
                doc.page_count,
                esc(&doc.url),
            );
            if let Some(why) = &doc.incomplete {
                let _ = write!(out, "<p><b>Atención:</b> {}</p>", esc(why));
            }
            out.push_str("<ol class=\"findings\">");
            for f in &doc.findings {
                finding(&mut out, f);
            }
            out.push_str("</ol></article>");
        }
        out.push_str("</section>");
    }

    for (i, account) in report.accounts.iter().enumerate() {
        let _ = write!(
            out,
            "<section id=\"cuenta-{i}\"><h2>{} {}: {} publicaciones con avisos, {} solo con sugerencias (de {})</h2>\
             <p class=\"url\">Archivo: {}. Cada publicación enlaza a la red social para ocultarla o eliminarla.</p>",
            esc(account.platform.label()),
            esc(&account.account),
            account.posts_with_warnings,
            account.posts_with_hints,
            account.posts,
            esc(&account.source),
        );
        for post in &account.flagged {
            let when = post.date.as_deref().unwrap_or("sin fecha");
            let open = match &post.url {
                Some(u) => link(u, "Abrir la publicación"),
                None => "La exportación no trae enlace: búsquela en el registro de actividad por fecha y texto".into(),
            };
            let _ = write!(
                out,
                "<article class=\"page bloque\" data-busqueda=\"{}\"><header><div><h3>{} · {}</h3><p class=\"url\">«{}»</p></div>\
                 <label class=\"hecha\"><input type=\"checkbox\" data-revisada=\"post:{}:{}\"> Revisada</label></header><ol class=\"findings\">",
                esc(&post.text),
                esc(when),
                open,
                esc(&post.text),
                esc(&account.account),
                esc(&post.id),
            );
            for f in &post.findings {
                finding(&mut out, f);
            }
            out.push_str("</ol></article>");
        }
        out.push_str("</section>");
    }

    let manual: Vec<_> = report.pdfs.iter().filter(|p| !p.audited).collect();
    if !manual.is_empty() {
        let _ = write!(
            out,
            "<section id=\"pdf\"><h2>Documentos PDF para revisión manual ({})</h2>\
             <p>Estos PDF no se leyeron (de otro sitio, excluidos por robots.txt, más allá del límite o enlazados \
             desde una copia guardada): revíselos a mano.</p>\
             <table><thead><tr><th>Documento</th><th>Enlazado desde</th></tr></thead><tbody>",
            manual.len()
        );
        for pdf in manual {
            let from: Vec<String> = pdf.pages.iter().take(5).map(|p| link(p, p)).collect();
            let more = pdf.pages.len().saturating_sub(5);
            let more = if more > 0 { format!(" y {more} más") } else { String::new() };
            let _ = write!(out, "<tr><td>{}</td><td>{}{more}</td></tr>", link(&pdf.url, &pdf.url), from.join("<br>"));
        }
        out.push_str("</tbody></table></section>");
    }

    let clean: Vec<_> = report.clean_pages().collect();
    let _ = write!(out, "<section id=\"limpias\"><h2>Páginas sin avisos propios ({})</h2>", clean.len());
    if !clean.is_empty() {
        out.push_str("<details><summary>Ver la lista</summary><ul class=\"plain\">");
        for page in clean {
            let title = if page.title.is_empty() { String::new() } else { format!(" — {}", esc(&page.title)) };
            let _ = write!(out, "<li>{}{title}</li>", link(&page.href, &page.url));
        }
        out.push_str("</ul></details>");
    }
    out.push_str("</section>");

    for (id, heading, list) in
        [("errores", "No se pudieron revisar", &report.failed), ("omitidas", "Omitidas", &report.skipped)]
    {
        if list.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "<section id=\"{id}\"><h2>{heading} ({})</h2><table><thead><tr><th>Dirección</th><th>Motivo</th></tr></thead><tbody>",
            list.len()
        );
        for p in list {
            let _ = write!(out, "<tr><td>{}</td><td>{}</td></tr>", link(&p.url, &p.url), esc(&p.reason));
        }
        out.push_str("</tbody></table></section>");
    }

    let _ = writeln!(
        out,
        "</main><footer>Blindaje Electoral {} · tiempo total {} ms</footer><script>{SCRIPT}</script></body></html>",
        esc(report.version),
        report.timings.total_ms
    );
    out
}

/// The page to print: counts by category and source, the 20 worst items, what could not be read.
fn summary_page(out: &mut String, report: &Report) {
    let s = &report.summary;
    out.push_str("<section id=\"resumen\" class=\"resumen\"><h2>Resumen para imprimir</h2>");
    let _ = write!(
        out,
        "<p>{} páginas, {} PDF ({} páginas) y {} publicaciones de {} cuenta(s), juzgadas para el {} ({}): <b>{} avisos</b> \
         ({} de gravedad alta, {} media) y {} sugerencias.</p>",
        s.pages,
        s.documents,
        s.pdf_pages,
        s.posts,
        s.accounts,
        report.date,
        phase_label(report.phase),
        s.warnings,
        s.high,
        s.medium,
        s.hints
    );
    // Counts by category (rows) and source (columns).
    let mut sources: Vec<(String, Vec<&AuditFinding>)> = vec![
        (
            "Páginas".into(),
            report
                .pages
                .iter()
                .flat_map(|p| &p.findings)
                .chain(report.shared.iter().flat_map(|b| &b.findings))
                .collect(),
        ),
        ("PDF".into(), report.documents.iter().flat_map(|d| &d.findings).collect()),
    ];
    for a in &report.accounts {
        sources.push((
            format!("{} {}", a.platform.label(), a.account),
            a.flagged.iter().flat_map(|p| &p.findings).collect(),
        ));
    }
    out.push_str("<table><thead><tr><th>Categoría</th>");
    for (name, _) in &sources {
        let _ = write!(out, "<th>{}</th>", esc(name));
    }
    out.push_str("<th>Total</th></tr></thead><tbody>");
    for c in Category::ALL {
        let total = s.by_category.get(c.id()).copied().unwrap_or(0);
        if total == 0 {
            continue;
        }
        let _ = write!(out, "<tr><td>{}</td>", esc(c.label()));
        for (_, findings) in &sources {
            let n = findings.iter().filter(|f| f.category == c).count();
            let _ = write!(out, "<td class=\"n\">{n}</td>");
        }
        let _ = write!(out, "<td class=\"n\"><b>{total}</b></td></tr>");
    }
    out.push_str("</tbody></table>");

    let worst = report.all_findings();
    if !worst.is_empty() {
        let _ = write!(
            out,
            "<h3>Los {} avisos más graves</h3><table><thead><tr><th>Gravedad</th><th>Categoría</th><th>Fuente</th>\
             <th>Dónde</th><th>Texto</th></tr></thead><tbody>",
            worst.len().min(20)
        );
        for (source, at, f) in worst.iter().take(20) {
            let _ = write!(
                out,
                "<tr><td><span class=\"badge {}\">{}</span></td><td>{}</td><td>{}</td><td>{}</td><td>«{}»</td></tr>",
                f.severity.id(),
                severity_label(f.severity),
                esc(f.category_label),
                esc(source),
                link(at, at),
                esc(&f.excerpt)
            );
        }
        out.push_str("</tbody></table>");
    }

    let manual = report.pdfs.iter().filter(|p| !p.audited).count();
    let unread = s.failed + manual + s.not_audited + s.pdfs_not_audited;
    let _ = write!(out, "<h3>Lo que no se pudo leer ({unread})</h3><ul>");
    for p in report.failed.iter().take(10) {
        let _ = write!(out, "<li>{}: {}</li>", esc(&p.url), esc(&p.reason));
    }
    if report.failed.len() > 10 {
        let _ = write!(out, "<li>y {} más (sección «No se pudieron revisar»)</li>", report.failed.len() - 10);
    }
    if manual > 0 {
        let _ = write!(out, "<li>{manual} PDF enlazados que no se leyeron: revisión manual</li>");
    }
    for d in report.documents.iter().filter(|d| d.incomplete.is_some() || !d.pages_without_text.is_empty()) {
        let why = match &d.incomplete {
            Some(w) => w.clone(),
            None => format!("{} página(s) sin texto (escaneadas)", d.pages_without_text.len()),
        };
        let _ = write!(out, "<li>{}: {}</li>", esc(&d.url), esc(&why));
    }
    if s.not_audited > 0 {
        let _ = write!(
            out,
            "<li>{} páginas más allá del límite de {} (<code>--max-pages</code>)</li>",
            s.not_audited, s.max_pages
        );
    }
    if s.pdfs_not_audited > 0 {
        let _ = write!(out, "<li>{} PDF más allá del límite (<code>--max-pdfs</code>)</li>", s.pdfs_not_audited);
    }
    if unread == 0 {
        out.push_str("<li>Nada: todo lo encontrado se leyó.</li>");
    }
    out.push_str("</ul></section>");
}

fn finding(out: &mut String, f: &AuditFinding) {
    let _ = write!(
        out,
        "<li class=\"finding {sev}\" data-category=\"{cat}\" data-severity=\"{sev}\">\
         <div class=\"meta\"><span class=\"badge {sev}\">{label}</span> <span class=\"cat\">{cat_label}</span> · {element}, {region}{page} · <code>{rule}</code></div>\
         <blockquote>{before}<mark>{excerpt}</mark>{after}</blockquote><p class=\"msg\">{message}</p>",
        sev = f.severity.id(),
        cat = f.category.id(),
        label = severity_label(f.severity),
        cat_label = esc(f.category_label),
        element = esc(f.element.label()),
        region = esc(f.region.label()),
        rule = esc(&f.rule),
        page = f.pdf_page.map(|n| format!(" · <b>página {n}</b>")).unwrap_or_default(),
        before = esc(&f.before),
        excerpt = esc(&f.excerpt),
        after = esc(&f.after),
        message = esc(&f.message),
    );
    if let Some(s) = &f.suggestion {
        let _ = write!(out, "<p class=\"sug\">Sugerencia: {}</p>", esc(s));
    }
    let _ = write!(out, "<details><summary>Lineamiento</summary><p>«{}»</p></details></li>", esc(&f.guideline));
}
