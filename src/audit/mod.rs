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
//!
//! PDFs of the portal (linked from its pages, or in a saved folder) are read page by page by [`pdf`] and
//! judged like page text; the history of the institution's social accounts comes from the platforms'
//! exports, read by [`social`], each post judged as an institutional post on the audit date.

pub mod analyze;
pub mod boilerplate;
pub mod crawl;
pub mod extract;
pub mod fetch;
pub mod pdf;
pub mod report;
pub mod robots;
pub mod social;
pub mod source;

use crate::context::{Account, Context, Kind, Phase};
use crate::engine::Engine;
use crate::policy::Policy;
use chrono::NaiveDate;
use crawl::{Doc, Job};
use report::{
    AccountReport, AuditFinding, PageReport, PageStatus, PdfLink, PdfReport, PostReport, Problem, Report, RulesInfo,
    SharedBlock, Timings,
};
pub use source::Source;
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

pub const DEFAULT_MAX_PAGES: usize = 1000;
pub const DEFAULT_MAX_PDFS: usize = 2000;
/// Time one page may take to parse.
pub const DEFAULT_PARSE_SECS: u64 = 10;
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
    /// At most this many PDFs are read.
    pub max_pdfs: usize,
    pub pdf: pdf::Limits,
    /// Time one HTML page may take to parse.
    pub parse_time: Duration,
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
                allowed_addresses: Vec::new(),
            },
            boilerplate: boilerplate::Thresholds::default(),
            max_pdfs: DEFAULT_MAX_PDFS,
            pdf: pdf::Limits::default(),
            parse_time: Duration::from_secs(DEFAULT_PARSE_SECS),
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
    let plan = plan(sources)?;
    let mut fetch_options = options.fetch.clone();
    // A start URL on a private or loopback address (an intranet portal) allows that address, and only it.
    for url in &plan.start_urls {
        fetch_options.allowed_addresses.extend(fetch::non_public_addresses(url));
    }
    let fetcher = fetch::Fetcher::new(fetch_options);
    let limits = crawl::Limits {
        max_pages: options.max_pages,
        max_pdfs: options.max_pdfs,
        pdf: options.pdf,
        parse_time: options.parse_time,
    };
    let mut outcome = crawl::run(plan.jobs, &fetcher, &limits, options.concurrency, progress);
    outcome.skipped.extend(plan.skipped);
    let context = Context::new(Account::Institutional, options.date, Kind::Post);
    let (pdf_docs, html_docs): (Vec<Doc>, Vec<Doc>) = outcome.docs.drain(..).partition(|d| d.pdf.is_some());
    outcome.docs = html_docs;
    let (pages, shared, analyze_time) = analyze_docs(&outcome.docs, engine, &context, options.boilerplate);
    let analyze_start = Instant::now();

    let mut pdfs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for doc in &outcome.docs {
        for pdf in &doc.page.pdfs {
            pdfs.entry(pdf.clone()).or_default().push(doc.url.clone());
        }
    }
    let documents = pdf_reports(&pdf_docs, &pdfs, engine, &context);
    let read: std::collections::HashSet<&str> =
        pdf_docs.iter().flat_map(|d| [d.url.as_str(), d.href.as_str()]).collect();
    let accounts = account_reports(&plan.archives, engine, &context);
    let analyze_time = analyze_time + analyze_start.elapsed();
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
            pdfs_not_audited: outcome.pdfs_not_audited,
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
                let audited = read.contains(url.as_str());
                PdfLink { url, pages, audited }
            })
            .collect(),
        timings: Timings {
            total_ms: started.elapsed().as_millis() as u64,
            read_ms: outcome.docs.iter().chain(&pdf_docs).map(|d| d.read).sum::<Duration>().as_millis() as u64,
            parse_ms: outcome.docs.iter().chain(&pdf_docs).map(|d| d.parse).sum::<Duration>().as_millis() as u64,
            analyze_ms: analyze_time.as_millis() as u64,
        },
        documents,
        accounts,
    };
    report.finish();
    Ok(report)
}

/// What the sources give before any work: the first jobs, what is left out on purpose (unpublished
/// WordPress items, symbolic links out of a folder, unsafe zip entries), the URLs given (which may be on a
/// private address), and the social archives read.
#[derive(Default)]
struct Plan {
    jobs: Vec<Job>,
    skipped: Vec<Problem>,
    start_urls: Vec<url::Url>,
    archives: Vec<(String, social::Account)>,
}

fn plan(sources: &[Source]) -> Result<Plan, String> {
    let mut plan = Plan::default();
    let (jobs, skipped) = (&mut plan.jobs, &mut plan.skipped);
    for source in sources {
        match source {
            Source::Folder(dir) => {
                let files = source::folder_files(dir)?;
                if files.pages.is_empty() && files.pdfs.is_empty() {
                    return Err(format!("{}: no saved HTML pages or PDFs in this folder", dir.display()));
                }
                jobs.extend(files.pages.into_iter().map(|f| Job::File(f, Some(dir.clone()))));
                jobs.extend(files.pdfs.into_iter().map(Job::PdfFile));
                skipped.extend(
                    files.outside.into_iter().map(|(p, reason)| Problem { url: p.display().to_string(), reason }),
                );
            }
            Source::Pdf(path) => jobs.push(Job::PdfFile(path.clone())),
            Source::Archive(path) => {
                let archive = social::read(path)?;
                skipped.extend(archive.skipped.into_iter().map(|(url, reason)| Problem { url, reason }));
                let label = path.display().to_string();
                plan.archives.extend(archive.accounts.into_iter().map(|a| (label.clone(), a)));
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
                // The URLs a sitemap file lists were given by the user, like URLs on the command line.
                for job in &found {
                    if let Job::Page { url, .. } | Job::Sitemap { url, .. } = job {
                        if !plan.start_urls.iter().any(|u| u.host() == url.host()) {
                            plan.start_urls.push(url.clone());
                        }
                    }
                }
                jobs.extend(found);
            }
            Source::SitemapUrl(url) => {
                plan.start_urls.push(url.clone());
                jobs.push(Job::Sitemap { url: url.clone(), site: Some(fetch::site_key(url)) })
            }
            Source::Url(url) => {
                plan.start_urls.push(url.clone());
                jobs.push(Job::Page {
                    url: url.clone(),
                    site: Some(fetch::site_key(url)),
                    follow: true,
                    origin: report::Origin::Crawl,
                })
            }
        }
    }
    Ok(plan)
}

/// The PDFs read, judged block by block, each finding with its page.
fn pdf_reports(
    docs: &[Doc],
    links: &BTreeMap<String, Vec<String>>,
    engine: &Engine,
    context: &Context,
) -> Vec<PdfReport> {
    let judge = |doc: &Doc| {
        let info = doc.pdf.as_ref().expect("a PDF doc");
        let findings: Vec<AuditFinding> = doc
            .page
            .blocks
            .iter()
            .zip(&info.block_pages)
            .flat_map(|(block, &page)| {
                let mut found = analyze::block_findings(engine, block, context);
                found.iter_mut().for_each(|f| f.pdf_page = Some(page));
                found
            })
            .collect();
        let mut linked_from: Vec<String> =
            [&doc.url, &doc.href].iter().filter_map(|u| links.get(u.as_str())).flatten().cloned().collect();
        linked_from.sort();
        linked_from.dedup();
        PdfReport {
            url: doc.url.clone(),
            href: doc.href.clone(),
            title: doc.page.title.clone(),
            origin: doc.origin,
            status: PageStatus::Clean,
            warnings: 0,
            hints: 0,
            page_count: info.page_count,
            pages_without_text: info.pages_without_text.clone(),
            incomplete: info.incomplete.clone(),
            linked_from,
            findings,
        }
    };
    parallel(docs, &judge)
}

/// The posts of every account, judged one by one; only those with findings are kept.
fn account_reports(archives: &[(String, social::Account)], engine: &Engine, context: &Context) -> Vec<AccountReport> {
    archives
        .iter()
        .map(|(source, account)| {
            let judge = |post: &social::Post| {
                let block = extract::Block {
                    element: extract::Element::Text,
                    region: extract::Region::Main,
                    text: post.text.clone(),
                };
                let findings = analyze::block_findings(engine, &block, context);
                (!findings.is_empty()).then(|| PostReport {
                    id: post.id.clone(),
                    url: post.url.clone(),
                    date: post.date.clone(),
                    text: post.text.clone(),
                    file: post.file.clone(),
                    status: PageStatus::Clean,
                    warnings: 0,
                    hints: 0,
                    findings,
                })
            };
            let flagged = parallel(&account.posts, &judge).into_iter().flatten().collect();
            AccountReport {
                platform: account.platform,
                account: account.name.clone(),
                source: source.clone(),
                posts: account.posts.len(),
                without_text: account.without_text,
                posts_with_warnings: 0,
                posts_with_hints: 0,
                clean_posts: 0,
                flagged,
            }
        })
        .collect()
}

/// `f` over `items` on every core, results in order.
fn parallel<T: Sync, R: Send>(items: &[T], f: &(dyn Fn(&T) -> R + Sync)) -> Vec<R> {
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 16);
    let chunk = items.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> =
            items.chunks(chunk).map(|c| scope.spawn(move || c.iter().map(f).collect::<Vec<R>>())).collect();
        handles.into_iter().flat_map(|h| h.join().expect("analysis thread")).collect()
    })
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
