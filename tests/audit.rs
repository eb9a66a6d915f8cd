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
    assert!(!fetched.iter().any(|p| p.ends_with(".pdf")));
    assert!(!serde_json::to_string(&r).unwrap().contains("cndh.org.mx/\""));

    // PDFs are listed for manual review with the pages linking them.
    let pdfs = r["pdfs"].as_array().unwrap();
    let anual =
        pdfs.iter().find(|p| p["url"].as_str().unwrap().ends_with("/documentos/informe-anual-2026.pdf")).unwrap();
    assert_eq!(anual["pages"].as_array().unwrap().len(), 2);
    assert!(pdfs.iter().any(|p| p["url"].as_str().unwrap().ends_with("informe-brigadas-2027.pdf")));

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
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
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
