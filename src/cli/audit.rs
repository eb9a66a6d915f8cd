//! `blindaje audit`: review the institution's web portal before campaigns start. Reads saved pages, a
//! WordPress export, sitemaps or a live site, and reports what must be taken down or edited as text, JSON,
//! CSV or a self-contained HTML file. Progress goes to stderr (a bar on a terminal, a line now and then
//! otherwise). Exit codes: 0 clean, 1 a warning was found, 2 usage error, unreadable source, invalid policy
//! or pack, or nothing (no page, PDF or post) could be read at all.

use super::check::today;
use super::load::{self, EngineFiles};
use blindaje::audit::{self, report, Source};
use blindaje::context::parse_date;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct AuditArgs {
    /// What to audit: a folder of saved HTML pages (and PDFs), a saved page, a PDF, a WordPress export
    /// (WXR), a sitemap file or URL (indexes are followed), a URL to crawl from (same-site links and PDFs,
    /// up to --max-pages), or a social account archive (X, Facebook, Instagram: the zip or its folder).
    #[arg(required = true, value_name = "SOURCE")]
    sources: Vec<String>,
    #[command(flatten)]
    files: EngineFiles,
    /// The day the portal must be clean, YYYY-MM-DD (default: the start of the current or next campaign
    /// period in the policy, else today).
    #[arg(long, value_parser = parse_date)]
    date: Option<chrono::NaiveDate>,
    /// text, json, csv or html (default: from the --output extension, else text).
    #[arg(long, value_parser = ["text", "json", "csv", "html"])]
    format: Option<String>,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Fetch pages that robots.txt excludes.
    #[arg(long)]
    ignore_robots: bool,
    /// At most N pages are read or fetched.
    #[arg(long, value_name = "N", default_value_t = audit::DEFAULT_MAX_PAGES,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    max_pages: usize,
    /// At most N PDFs are read.
    #[arg(long, value_name = "N", default_value_t = audit::DEFAULT_MAX_PDFS,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..))]
    max_pdfs: usize,
    /// PDFs larger than this many MB are not opened (listed for manual review).
    #[arg(long, value_name = "MB", default_value_t = 50, value_parser = clap::value_parser!(u64).range(0..=4096))]
    max_pdf_mb: u64,
    /// Pages read per PDF, at most (a longer one is reported as read in part).
    #[arg(long, value_name = "N", default_value_t = 500,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    max_pdf_pages: usize,
    /// Seconds one HTML page may take to parse (one PDF may take three times as long to read).
    #[arg(long, value_name = "SECS", default_value_t = audit::DEFAULT_PARSE_SECS,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    parse_timeout: u64,
    /// Pages read or fetched at the same time.
    #[arg(long, value_name = "N", default_value_t = audit::DEFAULT_CONCURRENCY,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=64))]
    concurrency: usize,
    /// Seconds to connect and to wait for an answer, per request.
    #[arg(long, value_name = "SECS", default_value_t = audit::DEFAULT_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..=600))]
    timeout: u64,
    /// Further attempts after a server error (5xx, 429) or a timeout, waiting 0.5 s, 1 s, 2 s…
    #[arg(long, value_name = "N", default_value_t = audit::DEFAULT_RETRIES,
          value_parser = clap::value_parser!(u32).range(0..=10))]
    retries: u32,
}

pub fn run(args: AuditArgs) -> Result<ExitCode, String> {
    let format = match (&args.format, &args.output) {
        (Some(f), _) => f.clone(),
        (None, Some(path)) => match path.extension().and_then(|e| e.to_str()) {
            Some(e @ ("json" | "csv" | "html")) => e.to_string(),
            Some("htm") => "html".to_string(),
            _ => "text".to_string(),
        },
        (None, None) => "text".to_string(),
    };
    let sources = args.sources.iter().map(|s| Source::parse(s)).collect::<Result<Vec<_>, _>>()?;
    let engine = load::engine(&args.files)?;
    let date = args.date.unwrap_or_else(|| audit::default_date(engine.policy(), today()));
    let mut options = audit::Options::new(date, engine.policy());
    options.max_pages = args.max_pages;
    options.concurrency = args.concurrency;
    options.fetch.timeout = Duration::from_secs(args.timeout);
    options.fetch.retries = args.retries;
    options.fetch.ignore_robots = args.ignore_robots;
    options.max_pdfs = args.max_pdfs;
    options.pdf.max_bytes = args.max_pdf_mb * 1024 * 1024;
    options.pdf.max_pages = args.max_pdf_pages;
    options.parse_time = Duration::from_secs(args.parse_timeout);
    options.pdf.time = Duration::from_secs(args.parse_timeout * 3);

    quiet_pdf_panics();
    let progress = Progress::new();
    let report = audit::run(&sources, &engine, &options, &|done, total| progress.update(done, total))?;
    progress.finish(report.summary.pages, report.summary.failed);

    let rendered = match format.as_str() {
        "json" => report::json::render(&report),
        "csv" => report::csv::render(&report),
        "html" => report::html::render(&report),
        _ => report::text::render(&report),
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, rendered).map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
            eprintln!(
                "blindaje audit: informe en {}: {} páginas, {} avisos, {} sin avisos, {} con error",
                path.display(),
                report.summary.pages,
                report.summary.warnings,
                report.summary.clean_pages,
                report.summary.failed
            );
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(rendered.as_bytes()).and_then(|()| out.flush()).map_err(|e| format!("stdout: {e}"))?;
        }
    }
    if !report.read_anything() {
        eprintln!("blindaje audit: no page, PDF or post could be read");
        return Ok(ExitCode::from(2));
    }
    Ok(if report.has_warnings() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// A panic inside the PDF crates is caught per document and reported with the reason (`audit::pdf`); the
/// default hook would also print it and a backtrace on stderr, in the middle of the progress. Other panics
/// are printed as usual.
fn quiet_pdf_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let file = info.location().map(|l| l.file()).unwrap_or("");
        if !(file.contains("pdf-extract") || file.contains("lopdf")) {
            default(info);
        }
    }));
}

/// Pages done / found on stderr: a bar on a terminal, else a line at most every two seconds.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    last: Mutex<Option<Instant>>,
}

impl Progress {
    fn new() -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} [{bar:40}] {pos}/{len} páginas · {elapsed}")
                    .expect("valid template")
                    .progress_chars("=> "),
            );
            bar
        });
        Progress { bar, last: Mutex::new(None) }
    }

    fn update(&self, done: usize, total: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
            return;
        }
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        if last.is_none_or(|t| t.elapsed() >= Duration::from_secs(2)) {
            *last = Some(Instant::now());
            eprintln!("blindaje audit: {done}/{total} páginas");
        }
    }

    fn finish(&self, pages: usize, failed: usize) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        eprintln!("blindaje audit: {pages} páginas revisadas, {failed} con error");
    }
}
