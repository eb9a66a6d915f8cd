//! Speed of `blindaje audit` on 1,000 generated saved pages (about 6 KB of HTML each: a site menu of 30 links, a
//! sidebar, a news article of eight paragraphs with a violation every few, a footer): the whole audit of the
//! folder (read, parse, shared blocks, analysis, report) on all cores, and, one thread each, the two halves
//! of the work: parsing the HTML into blocks, and analysing the blocks with the default pack. Throughput is
//! in pages, so criterion prints pages/s.

use blindaje::audit::{self, analyze, boilerplate, extract, Source};
use blindaje::context::parse_date;
use blindaje::{Account, Context, Engine, Kind, Policy};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

const PAGES: usize = 1_000;

const SENTENCES: [&str; 8] = [
    "La Comisión Estatal de Derechos Humanos informa que la atención de quejas continúa de 9 a 17 horas en todas sus oficinas.",
    "Personal de la Visitaduría acudió a la comunidad para brindar orientación jurídica gratuita a las familias.",
    "Gracias al liderazgo de la Presidenta Ana Laura Pérez Gómez logramos 40% más conciliaciones este año.",
    "La recomendación fue dirigida a la autoridad municipal, que cuenta con quince días hábiles para responder.",
    "Se impartió el taller sobre derechos de las personas mayores a servidoras y servidores públicos de salud.",
    "Este 6 de junio vota por Morena y sigamos haciendo historia.",
    "Puedes presentar tu queja por escrito, por teléfono o en línea; el trámite es gratuito y confidencial.",
    "Inauguramos la nueva oficina regional con el apoyo del Gobernador del Estado.",
];

fn page(i: usize) -> String {
    let mut html = String::with_capacity(24_000);
    html.push_str(&format!(
        "<!DOCTYPE html><html lang=\"es\"><head><meta charset=\"utf-8\"><title>Boletín {i} | CEDH</title>\
         <meta name=\"description\" content=\"Boletín informativo número {i} de la Comisión\">\
         <link rel=\"stylesheet\" href=\"/css/a.css\"><script>var x = {i};</script></head><body>\
         <header><img src=\"/logo.png\" alt=\"Comisión Estatal de Derechos Humanos\"><nav><ul>"
    ));
    for m in 0..30 {
        html.push_str(&format!("<li><a href=\"/seccion-{m}/\">Sección {m} del portal</a></li>"));
    }
    html.push_str("</ul></nav></header><aside><h2>Lo más reciente</h2><ul>");
    for n in 0..10 {
        let k = (i / 10) * 10 + n;
        html.push_str(&format!(
            "<li><a href=\"/noticias/boletin-{k}.html\">Boletín {k}: actividades de la semana</a></li>"
        ));
    }
    html.push_str(&format!("</ul></aside><main><article><h1>Boletín {i}: actividades de la Comisión</h1>"));
    for p in 0..8 {
        html.push_str("<p>");
        for s in 0..3 {
            // Most sentences are neutral; a violation comes up every few paragraphs.
            let k = (i * 7 + p * 3 + s) % 23;
            let sentence = if k < SENTENCES.len() && k.is_multiple_of(2) {
                SENTENCES[k]
            } else {
                SENTENCES[[0, 1, 3, 4, 6][k % 5]]
            };
            html.push_str(sentence);
            html.push_str(&format!(" (ref. {i}-{p}-{s}) "));
        }
        html.push_str("</p>");
    }
    html.push_str(&format!(
        "<figure><img src=\"/img/{i}.jpg\" alt=\"Fotografía del boletín {i}\"><figcaption>Actividad {i}.</figcaption></figure>\
         <p><a href=\"/docs/boletin-{i}.pdf\">Descarga el boletín en PDF</a></p></article></main>\
         <footer><p>Comisión Estatal de Derechos Humanos · Av. Juárez 100 · Tel. 800 000 0000</p>\
         <p><a href=\"/aviso.html\">Aviso de privacidad</a></p></footer></body></html>"
    ));
    html
}

fn site() -> (PathBuf, Vec<String>) {
    let dir = std::env::temp_dir().join(format!("blindaje-bench-audit-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("noticias")).unwrap();
    let pages: Vec<String> = (0..PAGES).map(page).collect();
    for (i, html) in pages.iter().enumerate() {
        std::fs::write(dir.join(format!("noticias/boletin-{i}.html")), html).unwrap();
    }
    (dir, pages)
}

fn benches(c: &mut Criterion) {
    let (dir, pages) = site();
    let bytes: usize = pages.iter().map(String::len).sum();
    eprintln!("audit bench: {PAGES} pages, {} KB on average", bytes / PAGES / 1024);
    let policy = Policy::parse(r#"{"officials": ["Ana Laura Pérez Gómez", "Jorge Luis Ramírez Torres"]}"#).0;
    let engine = Engine::new(policy.clone(), None).unwrap();
    let date = parse_date("2027-04-20").unwrap();
    let context = Context::new(Account::Institutional, date, Kind::Post);
    let mut options = audit::Options::new(date, &policy);
    options.concurrency = std::thread::available_parallelism().map_or(2, |n| n.get());
    let sources = vec![Source::Folder(dir.clone())];

    // One run to report the split as the audit itself measures it (summed over threads).
    let report = audit::run(&sources, &engine, &options, &|_, _| {}).unwrap();
    eprintln!(
        "audit bench: one run: {} pages, {} warnings, {} shared blocks; wall {} ms; read {} ms, parse {} ms, analysis {} ms (summed over {} threads)",
        report.summary.pages,
        report.summary.warnings,
        report.summary.shared_blocks,
        report.timings.total_ms,
        report.timings.read_ms,
        report.timings.parse_ms,
        report.timings.analyze_ms,
        options.concurrency
    );

    let extracted: Vec<extract::Page> = pages.iter().map(|h| extract::extract_document(h, None)).collect();
    let blocks: Vec<&[extract::Block]> = extracted.iter().map(|p| p.blocks.as_slice()).collect();
    let shared = boilerplate::shared(&blocks, boilerplate::Thresholds::default());
    let to_analyze: Vec<&extract::Block> =
        extracted.iter().flat_map(|p| &p.blocks).filter(|b| !shared.contains_key(&boilerplate::key(b))).collect();
    eprintln!("audit bench: {} blocks analysed per run, {} shared blocks set aside", to_analyze.len(), shared.len());

    let mut group = c.benchmark_group("audit-1000-pages");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(PAGES as u64));
    group.bench_function("end-to-end-folder", |b| {
        b.iter(|| audit::run(black_box(&sources), &engine, &options, &|_, _| {}).unwrap())
    });
    group.bench_function("parse-one-thread", |b| {
        b.iter(|| pages.iter().map(|h| extract::extract_document(black_box(h), None).blocks.len()).sum::<usize>())
    });
    group.bench_function("analyze-one-thread", |b| {
        b.iter(|| {
            to_analyze.iter().map(|blk| analyze::block_findings(&engine, black_box(blk), &context).len()).sum::<usize>()
        })
    });
    group.finish();
    std::fs::remove_dir_all(&dir).ok();
}

criterion_group!(audit_benches, benches);
criterion_main!(audit_benches);
