//! Speed of `blindaje audit` on the two big inputs of a pre-campaign audit besides the pages: 1,000 PDFs of
//! 10 pages each (a folder of bulletins written here with lopdf, about 40 lines a page, a violation every few
//! pages), and an X archive of 50,000 posts (a zip written here, as the platform lays it out). Each is
//! audited end to end (reading, text extraction, analysis with the default pack, the report model) with one
//! worker per core, three times; the best and the median wall times are printed. A plain timing loop rather
//! than criterion: one run takes seconds, and the budget (under a minute each on two cores) is what matters.
//!
//! `cargo bench --bench audit_sources` (figures go to BENCHMARKS.md by hand).

use blindaje::audit::{self, Source};
use blindaje::context::parse_date;
use blindaje::{Engine, Policy};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const PDFS: usize = 1_000;
const PAGES_PER_PDF: usize = 10;
const LINES_PER_PAGE: usize = 40;
const POSTS: usize = 50_000;

const SENTENCES: [&str; 8] = [
    "La Comisión Estatal de Derechos Humanos informa que la atención de quejas continúa.",
    "Personal de la Visitaduría acudió a la comunidad para brindar orientación jurídica.",
    "Gracias al liderazgo de la Presidenta Ana Laura Pérez Gómez logramos 40% más conciliaciones.",
    "La recomendación fue dirigida a la autoridad municipal, que cuenta con quince días.",
    "Se impartió el taller sobre derechos de las personas mayores a servidores de salud.",
    "Este 6 de junio vota por Morena y sigamos haciendo historia.",
    "Puedes presentar tu queja por escrito, por teléfono o en línea; el trámite es gratuito.",
    "Inauguramos la nueva oficina regional con el apoyo del Gobernador del Estado.",
];

/// A neutral sentence most of the time, a violation now and then.
fn sentence(k: usize) -> &'static str {
    if k.is_multiple_of(17) {
        SENTENCES[[2, 5, 7][k / 17 % 3]]
    } else {
        SENTENCES[[0, 1, 3, 4, 6][k % 5]]
    }
}

fn pdf(i: usize) -> Vec<u8> {
    use lopdf::content::{Content, Operation};
    use lopdf::{dictionary, Document, Object, Stream, StringFormat};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let mut kids = Vec::new();
    for p in 0..PAGES_PER_PDF {
        let mut ops = vec![Operation::new("BT", vec![]), Operation::new("Tf", vec!["F1".into(), 10.into()])];
        for l in 0..LINES_PER_PAGE {
            let text = format!("{} ({i}-{p}-{l})", sentence(i * 131 + p * 41 + l));
            let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
            // A blank line's worth of space every four lines: paragraphs.
            let y = 800.0 - 18.0 * l as f32 - 8.0 * (l / 4) as f32;
            ops.push(Operation::new("Tm", vec![1.into(), 0.into(), 0.into(), 1.into(), 40.into(), y.into()]));
            ops.push(Operation::new("Tj", vec![Object::String(bytes.into_owned(), StringFormat::Literal)]));
        }
        ops.push(Operation::new("ET", vec![]));
        let content = doc.add_object(Stream::new(dictionary! {}, Content { operations: ops }.encode().unwrap()));
        kids.push(Object::Reference(doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content,
        })));
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => PAGES_PER_PDF as i64, "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    doc.compress();
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn x_archive(path: &Path) {
    let mut tweets = String::from("window.YTD.tweets.part0 = [\n");
    for i in 0..POSTS {
        let text = format!("{} {} #CEDH", sentence(i * 7), sentence(i * 7 + 3));
        let item = serde_json::json!({"tweet": {"id_str": (10_000_000 + i).to_string(), "full_text": text,
            "created_at": "Mon Mar 01 15:30:00 +0000 2027", "entities": {"hashtags": [{"text": "CEDH"}]}}});
        tweets.push_str(&serde_json::to_string_pretty(&item).unwrap());
        tweets.push_str(if i + 1 < POSTS { ",\n" } else { "\n]" });
    }
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    w.start_file("data/account.js", options).unwrap();
    w.write_all(br#"window.YTD.account.part0 = [{"account": {"username": "CEDH_Estado"}}]"#).unwrap();
    w.start_file("data/tweets.js", options).unwrap();
    w.write_all(tweets.as_bytes()).unwrap();
    w.finish().unwrap();
}

fn time(label: &str, sources: &[Source], engine: &Engine, options: &audit::Options) {
    let mut runs: Vec<Duration> = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        let report = audit::run(sources, engine, options, &|_, _| {}).unwrap();
        runs.push(start.elapsed());
        let s = &report.summary;
        eprintln!(
            "{label}: {} PDFs ({} pages), {} posts, {} warnings, {} failed; wall {:.2} s (read {} ms, parse {} ms, analysis {} ms summed over threads)",
            s.documents,
            s.pdf_pages,
            s.posts,
            s.warnings,
            s.failed,
            runs.last().unwrap().as_secs_f64(),
            report.timings.read_ms,
            report.timings.parse_ms,
            report.timings.analyze_ms
        );
    }
    runs.sort();
    println!("{label}: best {:.2} s, median {:.2} s (3 runs)", runs[0].as_secs_f64(), runs[1].as_secs_f64());
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument picks one input.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let dir: PathBuf = std::env::temp_dir().join(format!("blindaje-bench-sources-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("pdf")).unwrap();
    let policy = Policy::parse(r#"{"officials": ["Ana Laura Pérez Gómez", "Jorge Luis Ramírez Torres"]}"#).0;
    let engine = Engine::new(policy.clone(), None).unwrap();
    let date = parse_date("2027-04-20").unwrap();
    let mut options = audit::Options::new(date, &policy);
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    options.concurrency = cores;
    eprintln!("audit sources bench: {cores} cores");

    if filter.as_deref().is_none_or(|f| "pdfs".contains(f)) {
        let start = Instant::now();
        let mut bytes = 0;
        for i in 0..PDFS {
            let b = pdf(i);
            bytes += b.len();
            std::fs::write(dir.join(format!("pdf/boletin-{i:04}.pdf")), b).unwrap();
        }
        eprintln!(
            "wrote {PDFS} PDFs of {PAGES_PER_PDF} pages, {} KB on average, in {:.1} s",
            bytes / PDFS / 1024,
            start.elapsed().as_secs_f64()
        );
        time("1000 PDFs x 10 pages", &[Source::Folder(dir.join("pdf"))], &engine, &options);
    }
    if filter.as_deref().is_none_or(|f| "posts".contains(f)) {
        let zip = dir.join("x-archive.zip");
        x_archive(&zip);
        eprintln!("wrote an X archive of {POSTS} posts, {} KB zipped", std::fs::metadata(&zip).unwrap().len() / 1024);
        time("X archive, 50000 posts", &[Source::Archive(zip)], &engine, &options);
    }
    std::fs::remove_dir_all(&dir).ok();
}
