//! The portal audit (`blindaje audit`): before campaigns start, find what the institution's website must take
//! down or edit. From the start of campaigns to election day the portal may stay online only without
//! government achievements and without political, electoral or personalized propaganda; transparency stays.
//!
//! The pipeline: [`source`] recognizes each `SOURCE` and turns it into jobs; [`crawl`] runs them on a pool of
//! threads (reading files, fetching with [`fetch`] under [`robots`] rules, following same-site links and
//! sitemaps) and [`extract`]s each page into blocks with a real HTML parser; [`boilerplate`] finds blocks
//! repeated across pages (menus, footers), which are analysed once; [`analyze`] runs the engine block by
//! block as institutional posts on the audit date; [`report`] orders the result and renders it as text, JSON,
//! CSV or a self-contained HTML file. Native only: the extension never audits portals.

pub mod analyze;
pub mod boilerplate;
pub mod crawl;
pub mod extract;
pub mod fetch;
pub mod report;
pub mod robots;
pub mod source;

use crate::context::{Account, Context, Kind, Phase};
use crate::engine::Engine;
use crate::policy::Policy;
use chrono::NaiveDate;
use crawl::{Doc, Job};
use report::{PageReport, PageStatus, PdfLink, Problem, Report, RulesInfo, SharedBlock, Timings};
pub use source::Source;
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

pub const DEFAULT_MAX_PAGES: usize = 1000;
pub const DEFAULT_CONCURRENCY: usize = 4;
pub const DEFAULT_TIMEOUT_SECS: u64 = 20;
pub const DEFAULT_RETRIES: u32 = 2;
pub const DEFAULT_BACKOFF: Duration = Duration::from_millis(500);

/// How to audit.
#[derive(Debug, Clone)]
pub struct Options {
    /// The day the pages are judged for.
    pub date: NaiveDate,
    /// At most this many pages are read or fetched (sitemaps aside).
    pub max_pages: usize,
    /// Worker threads: files read and pages fetched at the same time.
    pub concurrency: usize,
    pub fetch: fetch::FetchOptions,
    pub boilerplate: boilerplate::Thresholds,
}

impl Options {
    /// The defaults, with the user agent naming the policy's organization.
    pub fn new(date: NaiveDate, policy: &Policy) -> Options {
        Options {
            date,
            max_pages: DEFAULT_MAX_PAGES,
            concurrency: DEFAULT_CONCURRENCY,
            fetch: fetch::FetchOptions {
                user_agent: fetch::user_agent(&policy.organization_name),
                timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECS),
                retries: DEFAULT_RETRIES,
                backoff: DEFAULT_BACKOFF,
                ignore_robots: false,
            },
            boilerplate: boilerplate::Thresholds::default(),
        }
    }
}

/// The day the portal must be clean: the start of the campaign period under way or the next one, else
/// `today`.
pub fn default_date(policy: &Policy, today: NaiveDate) -> NaiveDate {
    let campaigns = policy.electoral_periods.iter().filter(|p| p.phase == Phase::Campaign);
    let current = campaigns.clone().filter(|p| p.start <= today && today <= p.end).map(|p| p.start).min();
    let next = campaigns.filter(|p| p.start > today).map(|p| p.start).min();
    current.or(next).unwrap_or(today)
}

/// Audits `sources`. `progress(done, total)` is called after every page read. An unreadable source (a
/// missing folder, an invalid export or sitemap file) is an error; a page or remote sitemap that fails is a
/// line of the report.
pub fn run(
    sources: &[Source],
    engine: &Engine,
    options: &Options,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Report, String> {
    let started = Instant::now();
    let (jobs, skipped) = plan(sources)?;
    let fetcher = fetch::Fetcher::new(options.fetch.clone());
    let mut outcome = crawl::run(jobs, &fetcher, options.max_pages, options.concurrency, progress);
    outcome.skipped.extend(skipped);
    let context = Context::new(Account::Institutional, options.date, Kind::Post);
    let (pages, shared, analyze_time) = analyze_docs(&outcome.docs, engine, &context, options.boilerplate);

    let mut pdfs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for doc in &outcome.docs {
        for pdf in &doc.page.pdfs {
            pdfs.entry(pdf.clone()).or_default().push(doc.url.clone());
        }
    }
    for (pdf, from) in outcome.pdfs.drain(..) {
        pdfs.entry(pdf).or_default().push(from);
    }
    let shared_blocks = shared.1;
    let mut report = Report {
        tool: "blindaje audit",
        version: env!("CARGO_PKG_VERSION"),
        generated: chrono::Local::now().format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        date: options.date,
        phase: engine.policy().phase_on(options.date),
        sources: sources.iter().map(Source::describe).collect(),
        rules: RulesInfo {
            pack: format!("{}@{}", engine.base_pack().id, engine.base_pack().version),
            admin_pack: engine.admin_pack().map(|p| format!("{}@{}", p.id, p.version)),
        },
        summary: report::Summary {
            not_audited: outcome.not_audited,
            max_pages: options.max_pages,
            shared_blocks,
            ..Default::default()
        },
        pages,
        shared: shared.0,
        failed: outcome.failed,
        skipped: outcome.skipped,
        pdfs: pdfs
            .into_iter()
            .map(|(url, mut pages)| {
                pages.sort();
                pages.dedup();
                PdfLink { url, pages }
            })
            .collect(),
        timings: Timings {
            total_ms: started.elapsed().as_millis() as u64,
            read_ms: outcome.docs.iter().map(|d| d.read).sum::<Duration>().as_millis() as u64,
            parse_ms: outcome.docs.iter().map(|d| d.parse).sum::<Duration>().as_millis() as u64,
            analyze_ms: analyze_time.as_millis() as u64,
        },
    };
    report.finish();
    Ok(report)
}

/// The first jobs of every source, and the WordPress items left out (drafts and other unpublished ones).
fn plan(sources: &[Source]) -> Result<(Vec<Job>, Vec<Problem>), String> {
    let mut jobs = Vec::new();
    let mut skipped = Vec::new();
    for source in sources {
        match source {
            Source::Folder(dir) => {
                let files = source::page_files(dir)?;
                if files.is_empty() {
                    return Err(format!("{}: no saved HTML pages in this folder", dir.display()));
                }
                jobs.extend(files.into_iter().map(|f| Job::File(f, Some(dir.clone()))));
            }
            Source::Page(path) => jobs.push(Job::File(path.clone(), None)),
            Source::Wxr(path) => {
                let bytes = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
                let items =
                    source::parse_wxr(&source::decode(&bytes, None)).map_err(|e| format!("{}: {e}", path.display()))?;
                let before = jobs.len();
                for item in items.into_iter().filter(|i| i.is_content()) {
                    if item.is_published() {
                        jobs.push(Job::Wxr(Box::new(item)));
                    } else {
                        skipped.push(Problem {
                            url: item.link.clone(),
                            reason: format!("WordPress: «{}» no está publicada (estado «{}»)", item.title, item.status),
                        });
                    }
                }
                if jobs.len() == before {
                    return Err(format!("{}: the export has no published posts or pages", path.display()));
                }
            }
            Source::SitemapFile(path) => {
                let bytes = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
                let sitemap = source::parse_sitemap(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
                let base = std::fs::canonicalize(path)
                    .ok()
                    .and_then(|p| url::Url::from_file_path(p).ok())
                    .ok_or_else(|| format!("{}: cannot resolve the path", path.display()))?;
                let found = crawl::sitemap_jobs(sitemap, &base, None);
                if found.is_empty() {
                    return Err(format!("{}: the sitemap lists no http(s) URLs", path.display()));
                }
                jobs.extend(found);
            }
            Source::SitemapUrl(url) => jobs.push(Job::Sitemap { url: url.clone(), site: Some(fetch::site_key(url)) }),
            Source::Url(url) => jobs.push(Job::Page {
                url: url.clone(),
                site: Some(fetch::site_key(url)),
                follow: true,
                origin: report::Origin::Crawl,
            }),
        }
    }
    Ok((jobs, skipped))
}

/// The findings of every page and of the shared blocks (once each), with the analysis time summed over
/// threads. Also returns how many shared blocks there were in all.
#[allow(clippy::type_complexity)]
fn analyze_docs(
    docs: &[Doc],
    engine: &Engine,
    context: &Context,
    thresholds: boilerplate::Thresholds,
) -> (Vec<PageReport>, (Vec<SharedBlock>, usize), Duration) {
    let blocks: Vec<&[extract::Block]> = docs.iter().map(|d| d.page.blocks.as_slice()).collect();
    let shared = boilerplate::shared(&blocks, thresholds);
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 16);
    let chunk = docs.len().div_ceil(threads).max(1);
    let results: Vec<(Vec<PageReport>, Duration)> = std::thread::scope(|scope| {
        let handles: Vec<_> = docs
            .chunks(chunk)
            .map(|chunk| {
                let shared = &shared;
                scope.spawn(move || {
                    let start = Instant::now();
                    let pages = chunk.iter().map(|doc| page_report(doc, engine, context, shared)).collect::<Vec<_>>();
                    (pages, start.elapsed())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("analysis thread")).collect()
    });
    let mut time = Duration::ZERO;
    let mut pages = Vec::with_capacity(docs.len());
    for (p, t) in results {
        pages.extend(p);
        time += t;
    }
    let start = Instant::now();
    let total_shared = shared.len();
    let mut shared_blocks: Vec<SharedBlock> = Vec::new();
    // Region and element of a shared block: as found on its first page.
    let mut by_key: HashMap<&boilerplate::Key, &extract::Block> = HashMap::new();
    for doc in docs {
        for b in &doc.page.blocks {
            let k = boilerplate::key(b);
            if let Some((key, _)) = shared.get_key_value(&k) {
                by_key.entry(key).or_insert(b);
            }
        }
    }
    for (key, on) in &shared {
        let Some(block) = by_key.get(key) else {
            continue;
        };
        let findings = analyze::block_findings(engine, block, context);
        if findings.is_empty() {
            continue;
        }
        shared_blocks.push(SharedBlock {
            element: block.element,
            region: block.region,
            text: block.text.clone(),
            page_count: on.len(),
            pages: on.iter().map(|&i| docs[i].url.clone()).collect(),
            findings,
        });
    }
    time += start.elapsed();
    (pages, (shared_blocks, total_shared), time)
}

fn page_report(
    doc: &Doc,
    engine: &Engine,
    context: &Context,
    shared: &HashMap<boilerplate::Key, Vec<usize>>,
) -> PageReport {
    let findings = doc
        .page
        .blocks
        .iter()
        .filter(|b| b.element == extract::Element::Title || !shared.contains_key(&boilerplate::key(b)))
        .flat_map(|b| analyze::block_findings(engine, b, context))
        .collect();
    PageReport {
        url: doc.url.clone(),
        href: doc.href.clone(),
        title: doc.page.title.clone(),
        origin: doc.origin,
        status: PageStatus::Clean,
        warnings: 0,
        hints: 0,
        findings,
        pdfs: doc.page.pdfs.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::parse_date;

    #[test]
    fn default_date_is_the_current_or_next_campaign_start() {
        let policy = Policy::default();
        let d = |s| parse_date(s).unwrap();
        // The default calendar's campaign: 2027-04-04 to 2027-06-02.
        assert_eq!(default_date(&policy, d("2026-11-28")), d("2027-04-04"));
        assert_eq!(default_date(&policy, d("2027-05-10")), d("2027-04-04"));
        assert_eq!(default_date(&policy, d("2027-06-04")), d("2027-06-04"));
        let empty = Policy { electoral_periods: Vec::new(), ..Policy::default() };
        assert_eq!(default_date(&empty, d("2026-11-28")), d("2026-11-28"));
    }
}
