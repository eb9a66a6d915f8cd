//! The work queue that turns sources into extracted pages: a fixed number of worker threads (the
//! concurrency limit) take jobs (a saved file, a WordPress item, a page or a sitemap to fetch) from one
//! queue, read and parse them, and put what they discover (same-site links, sitemap entries) back in it.
//! Every URL is handled once; the page cap counts pages, not sitemaps; a job that fails becomes a line in
//! the report and the others go on.

use super::extract::{self, Block, Element, Page, Region};
use super::fetch::{self, FetchError, Fetcher};
use super::pdf;
use super::report::{Origin, Problem};
use super::source::{self, Sitemap, WxrItem};
use std::collections::{HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};
use url::Url;

/// One unit of work.
#[derive(Debug, Clone)]
pub enum Job {
    /// A page on the web. `site` limits the links followed from it (and redirects); `follow` crawls on.
    Page { url: Url, site: Option<String>, follow: bool, origin: Origin },
    /// A sitemap or sitemap index on the web; `site` limits the URLs taken from it.
    Sitemap { url: Url, site: Option<String> },
    /// A saved page, and the folder of the saved site it belongs to (`/…` links point under it).
    File(PathBuf, Option<PathBuf>),
    /// A published item of a WordPress export.
    Wxr(Box<WxrItem>),
    /// A PDF on the web, linked from an audited page of the site `site`.
    Pdf { url: Url, site: Option<String> },
    /// A PDF file (given, or in an audited folder).
    PdfFile(PathBuf),
}

impl Job {
    fn is_page(&self) -> bool {
        matches!(self, Job::Page { .. } | Job::File(..) | Job::Wxr(_))
    }

    fn is_pdf(&self) -> bool {
        matches!(self, Job::Pdf { .. } | Job::PdfFile(_))
    }

    /// The identity that makes a job run once.
    fn key(&self) -> String {
        match self {
            Job::Page { url, .. } => page_key(url),
            Job::Sitemap { url, .. } => format!("sitemap {url}"),
            Job::File(p, _) => format!("file {}", p.display()),
            Job::Wxr(item) => format!("wxr {}", item.link),
            Job::Pdf { url, .. } => page_key(url),
            Job::PdfFile(p) => {
                let canonical = std::fs::canonicalize(p).ok().and_then(|c| Url::from_file_path(c).ok());
                canonical.map(String::from).unwrap_or_else(|| format!("file {}", p.display()))
            }
        }
    }
}

fn page_key(url: &Url) -> String {
    let mut u = url.clone();
    u.set_fragment(None);
    u.to_string()
}

/// An extracted page, ready for the analysis.
#[derive(Debug, Clone)]
pub struct Doc {
    /// What the report shows: the URL, or the file's path.
    pub url: String,
    /// Where the report links to: the URL, the page's canonical URL, or a `file://` URL.
    pub href: String,
    pub origin: Origin,
    pub page: Page,
    /// For a PDF: its pages, and the page of each block.
    pub pdf: Option<PdfInfo>,
    /// Reading or fetching, and parsing.
    pub read: Duration,
    pub parse: Duration,
}

/// What a PDF adds to its [`Doc`].
#[derive(Debug, Clone, Default)]
pub struct PdfInfo {
    pub page_count: usize,
    /// The page (from 1) of each of the doc's blocks.
    pub block_pages: Vec<u32>,
    pub pages_without_text: Vec<u32>,
    pub incomplete: Option<String>,
}

/// What the workers produced.
#[derive(Debug, Default)]
pub struct Outcome {
    pub docs: Vec<Doc>,
    pub failed: Vec<Problem>,
    pub skipped: Vec<Problem>,
    /// Pages found but left out by the page cap.
    pub not_audited: usize,
    /// PDFs found but left out by the PDF cap.
    pub pdfs_not_audited: usize,
}

struct State {
    queue: VecDeque<Job>,
    seen: HashSet<String>,
    in_flight: usize,
    pages: usize,
    pages_done: usize,
    pdfs: usize,
    outcome: Outcome,
}

struct Crawl<'a> {
    state: Mutex<State>,
    wake: Condvar,
    fetcher: &'a Fetcher,
    max_pages: usize,
    limits: &'a Limits,
    progress: &'a (dyn Fn(usize, usize) + Sync),
}

/// Caps and budgets of one crawl.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_pages: usize,
    pub max_pdfs: usize,
    pub pdf: pdf::Limits,
    pub parse_time: Duration,
}

/// Runs `jobs` (and what they discover) on `concurrency` threads. `progress(done, total)` is called after
/// every page.
pub fn run(
    jobs: Vec<Job>,
    fetcher: &Fetcher,
    limits: &Limits,
    concurrency: usize,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Outcome {
    let max_pages = limits.max_pages;
    let crawl = Crawl {
        state: Mutex::new(State {
            queue: VecDeque::new(),
            seen: HashSet::new(),
            in_flight: 0,
            pages: 0,
            pages_done: 0,
            pdfs: 0,
            outcome: Outcome::default(),
        }),
        wake: Condvar::new(),
        fetcher,
        max_pages,
        limits,
        progress,
    };
    {
        let mut state = crawl.lock();
        for job in jobs {
            crawl.schedule(&mut state, job);
        }
    }
    std::thread::scope(|scope| {
        for _ in 0..concurrency.max(1) {
            scope.spawn(|| crawl.work());
        }
    });
    crawl.state.into_inner().unwrap_or_else(|p| p.into_inner()).outcome
}

/// What one job gave.
enum Done {
    Doc(Box<Doc>, Vec<Job>),
    Failed(Problem),
    Skipped(Problem),
    More(Vec<Job>),
    Nothing,
}

impl Crawl<'_> {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Queues a job unless it ran already; a page over the cap is only counted.
    fn schedule(&self, state: &mut State, job: Job) {
        if !state.seen.insert(job.key()) {
            return;
        }
        if job.is_page() {
            if state.pages >= self.max_pages {
                state.outcome.not_audited += 1;
                return;
            }
            state.pages += 1;
        }
        if job.is_pdf() {
            if state.pdfs >= self.limits.max_pdfs {
                state.outcome.pdfs_not_audited += 1;
                return;
            }
            state.pdfs += 1;
        }
        state.queue.push_back(job);
    }

    fn work(&self) {
        loop {
            let job = {
                let mut state = self.lock();
                loop {
                    if let Some(job) = state.queue.pop_front() {
                        state.in_flight += 1;
                        break Some(job);
                    }
                    if state.in_flight == 0 {
                        break None;
                    }
                    state = self.wake.wait(state).unwrap_or_else(|p| p.into_inner());
                }
            };
            let Some(job) = job else {
                self.wake.notify_all();
                return;
            };
            let page = job.is_page();
            let done = self.run_job(job);
            let (done_count, total) = {
                let mut state = self.lock();
                match done {
                    Done::Doc(doc, more) => {
                        state.outcome.docs.push(*doc);
                        more.into_iter().for_each(|j| self.schedule(&mut state, j));
                    }
                    Done::More(more) => more.into_iter().for_each(|j| self.schedule(&mut state, j)),
                    Done::Failed(p) => state.outcome.failed.push(p),
                    Done::Skipped(p) => state.outcome.skipped.push(p),
                    Done::Nothing => {}
                }
                state.in_flight -= 1;
                if page {
                    state.pages_done += 1;
                }
                (state.pages_done, state.pages)
            };
            self.wake.notify_all();
            if page {
                (self.progress)(done_count, total);
            }
        }
    }

    fn run_job(&self, job: Job) -> Done {
        match job {
            Job::File(path, root) => read_file(path, root, self.limits.parse_time),
            Job::Wxr(item) => match wxr_doc(&item, self.limits.parse_time) {
                Ok(doc) => Done::Doc(Box::new(doc), Vec::new()),
                Err(reason) => Done::Failed(Problem { url: item.link.clone(), reason }),
            },
            Job::Pdf { url, site } => self.fetch_pdf(url, site),
            Job::PdfFile(path) => read_pdf_file(&path, &self.limits.pdf),
            Job::Page { url, site, follow, origin } => self.fetch_page(url, site, follow, origin),
            Job::Sitemap { url, site } => self.fetch_sitemap(url, site),
        }
    }

    fn fetch_page(&self, url: Url, site: Option<String>, follow: bool, origin: Origin) -> Done {
        let problem = |reason: String| Problem { url: url.to_string(), reason };
        if let Err(reason) = self.fetcher.robots_allows(&url) {
            return Done::Skipped(problem(reason));
        }
        let start = Instant::now();
        let response = match self.fetcher.get(&url, site.as_deref(), true, self.limits.pdf.max_bytes) {
            Ok(r) => r,
            Err(FetchError::Failed(reason)) => return Done::Failed(problem(reason)),
            Err(FetchError::Refused(reason)) => return Done::Skipped(problem(reason)),
        };
        let read = start.elapsed();
        let final_url = response.url.clone();
        // Reached already under its final address: one audit is enough.
        if page_key(&final_url) != page_key(&url) && !self.lock().seen.insert(page_key(&final_url)) {
            return Done::Nothing;
        }
        if response.mime == "application/pdf" || pdf::is_pdf(&response.body) {
            return pdf_doc(
                final_url.to_string(),
                final_url.to_string(),
                origin,
                &response.body,
                &self.limits.pdf,
                read,
            );
        }
        match response.mime.as_str() {
            "" | "text/html" | "application/xhtml+xml" => {}
            other => {
                return Done::Skipped(problem(format!("no es una página HTML ({other})")));
            }
        }
        if response.body.len() as u64 > fetch::MAX_BODY {
            return Done::Failed(problem(format!("la página pasa de {} MB", fetch::MAX_BODY / 1024 / 1024)));
        }
        let html = source::decode(&response.body, response.charset.as_deref());
        let start = Instant::now();
        let page = match extract::extract_document_within(&html, Some(&final_url), self.limits.parse_time) {
            Ok(p) => p,
            Err(reason) => return Done::Failed(problem(reason)),
        };
        let parse = start.elapsed();
        let mut more = if follow { self.links_to_follow(&page, site.as_deref()) } else { Vec::new() };
        more.extend(self.pdfs_to_read(&page, site.as_deref()));
        let doc = Doc { url: final_url.to_string(), href: final_url.to_string(), origin, page, pdf: None, read, parse };
        Done::Doc(Box::new(doc), more)
    }

    /// The page's same-site PDF links that robots.txt allows (the others stay listed for manual review).
    fn pdfs_to_read(&self, page: &Page, site: Option<&str>) -> Vec<Job> {
        let mut jobs = Vec::new();
        for link in &page.pdfs {
            let Ok(url) = Url::parse(link) else { continue };
            if !matches!(url.scheme(), "http" | "https") || site.is_some_and(|s| s != fetch::site_key(&url)) {
                continue;
            }
            if self.fetcher.robots_allows(&url).is_ok() {
                jobs.push(Job::Pdf { url, site: site.map(str::to_string) });
            }
        }
        jobs
    }

    fn fetch_pdf(&self, url: Url, site: Option<String>) -> Done {
        let problem = |reason: String| Problem { url: url.to_string(), reason };
        if let Err(reason) = self.fetcher.robots_allows(&url) {
            return Done::Skipped(problem(reason));
        }
        let start = Instant::now();
        let response = match self.fetcher.get(&url, site.as_deref(), true, self.limits.pdf.max_bytes) {
            Ok(r) => r,
            Err(FetchError::Failed(reason)) => return Done::Failed(problem(format!("PDF: {reason}"))),
            Err(FetchError::Refused(reason)) => return Done::Skipped(problem(reason)),
        };
        let read = start.elapsed();
        if !pdf::is_pdf(&response.body) {
            return Done::Skipped(problem(format!("enlace a PDF que no es un PDF ({})", response.mime)));
        }
        let u = url.to_string();
        pdf_doc(u.clone(), u, Origin::Crawl, &response.body, &self.limits.pdf, read)
    }

    /// Same-site links that look like pages; those robots.txt excludes are reported once, as skipped.
    fn links_to_follow(&self, page: &Page, site: Option<&str>) -> Vec<Job> {
        let mut jobs = Vec::new();
        let mut excluded = Vec::new();
        for link in &page.links {
            if !fetch::looks_like_page(link) || site.is_some_and(|s| s != fetch::site_key(link)) {
                continue;
            }
            match self.fetcher.robots_allows(link) {
                Ok(()) => jobs.push(Job::Page {
                    url: link.clone(),
                    site: site.map(str::to_string),
                    follow: true,
                    origin: Origin::Crawl,
                }),
                Err(reason) => excluded.push(Problem { url: link.to_string(), reason }),
            }
        }
        if !excluded.is_empty() {
            let mut state = self.lock();
            for p in excluded {
                if state.seen.insert(p.url.clone()) {
                    state.outcome.skipped.push(p);
                }
            }
        }
        jobs
    }

    fn fetch_sitemap(&self, url: Url, site: Option<String>) -> Done {
        let problem = |reason: String| Problem { url: url.to_string(), reason: format!("sitemap: {reason}") };
        if let Err(reason) = self.fetcher.robots_allows(&url) {
            return Done::Skipped(problem(reason));
        }
        let sitemap = match self.fetcher.get(&url, site.as_deref(), true, fetch::MAX_BODY) {
            Ok(r) => source::parse_sitemap(&r.body),
            Err(FetchError::Refused(reason)) => return Done::Skipped(problem(reason)),
            Err(FetchError::Failed(reason)) => Err(reason),
        };
        match sitemap {
            Ok(s) => Done::More(sitemap_jobs(s, &url, site)),
            Err(reason) => Done::Failed(problem(reason)),
        }
    }
}

/// The jobs a sitemap lists: more sitemaps, or pages (not crawled on). URLs of another site are dropped
/// when `site` is set; unparsable ones too.
pub fn sitemap_jobs(sitemap: Sitemap, base: &Url, site: Option<String>) -> Vec<Job> {
    let (locs, index) = match sitemap {
        Sitemap::Index(l) => (l, true),
        Sitemap::Pages(l) => (l, false),
    };
    locs.iter()
        .filter_map(|loc| base.join(loc).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .filter(|u| site.as_ref().is_none_or(|s| *s == fetch::site_key(u)))
        .map(|url| {
            if index {
                Job::Sitemap { url, site: site.clone() }
            } else {
                Job::Page { url, site: site.clone(), follow: false, origin: Origin::Sitemap }
            }
        })
        .collect()
}

/// A PDF's text as a [`Doc`], or the reason it could not be read.
fn pdf_doc(url: String, href: String, origin: Origin, bytes: &[u8], limits: &pdf::Limits, read: Duration) -> Done {
    let start = Instant::now();
    match pdf::read(bytes, limits) {
        Ok(text) => {
            let page = Page { title: text.title, blocks: text.blocks, ..Page::default() };
            let info = PdfInfo {
                page_count: text.page_count,
                block_pages: text.block_pages,
                pages_without_text: text.pages_without_text,
                incomplete: text.incomplete,
            };
            let doc = Doc { url, href, origin, page, pdf: Some(info), read, parse: start.elapsed() };
            Done::Doc(Box::new(doc), Vec::new())
        }
        Err(e) => Done::Failed(Problem { url, reason: e.to_string() }),
    }
}

fn read_pdf_file(path: &std::path::Path, limits: &pdf::Limits) -> Done {
    let start = Instant::now();
    let problem = |reason: String| Done::Failed(Problem { url: path.display().to_string(), reason });
    let size = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) => return problem(format!("no se pudo leer: {e}")),
    };
    if size > limits.max_bytes {
        return problem(pdf::PdfError::TooBig { bytes: size, max: limits.max_bytes }.to_string());
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return problem(format!("no se pudo leer: {e}")),
    };
    let href = std::fs::canonicalize(path).ok().and_then(|p| Url::from_file_path(p).ok()).map(String::from);
    let href = href.unwrap_or_default();
    pdf_doc(path.display().to_string(), href, Origin::File, &bytes, limits, start.elapsed())
}

fn read_file(path: PathBuf, root: Option<PathBuf>, parse_time: Duration) -> Done {
    let start = Instant::now();
    let problem = |reason: String| Done::Failed(Problem { url: path.display().to_string(), reason });
    match std::fs::metadata(&path) {
        Ok(m) if m.len() > fetch::MAX_BODY => {
            return problem(format!("la página pasa de {} MB", fetch::MAX_BODY / 1024 / 1024))
        }
        Ok(_) => {}
        Err(e) => return problem(format!("no se pudo leer: {e}")),
    }
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => return problem(format!("no se pudo leer: {e}")),
    };
    let html = source::decode(&bytes, None);
    let read = start.elapsed();
    let base = std::fs::canonicalize(&path).ok().and_then(|p| Url::from_file_path(p).ok());
    let root = root.and_then(|r| std::fs::canonicalize(r).ok()).and_then(|r| Url::from_directory_path(r).ok());
    let start = Instant::now();
    let page = match extract::extract_saved_within(&html, base.as_ref(), root.as_ref(), parse_time) {
        Ok(p) => p,
        Err(reason) => return problem(reason),
    };
    let parse = start.elapsed();
    let file_url = base.map(String::from).unwrap_or_default();
    Done::Doc(
        Box::new(Doc {
            url: path.display().to_string(),
            href: page.canonical.clone().unwrap_or(file_url),
            origin: Origin::File,
            page,
            pdf: None,
            read,
            parse,
        }),
        Vec::new(),
    )
}

/// A WordPress item as a page: its title, its excerpt as the description, its content as main content.
pub fn wxr_doc(item: &WxrItem, parse_time: Duration) -> Result<Doc, String> {
    let start = Instant::now();
    let base = Url::parse(&item.link).ok();
    let mut page = extract::extract_fragment_within(&item.content, base.as_ref(), parse_time)?;
    page.title = extract::collapse(&item.title);
    let mut head = Vec::new();
    for (element, text) in [
        (Element::Title, page.title.clone()),
        (Element::MetaDescription, extract::collapse(&extract::extract_fragment(&item.excerpt, None).plain_text())),
    ] {
        if text.chars().any(char::is_alphanumeric) && !page.blocks.iter().any(|b| b.text == text) {
            head.push(Block { element, region: Region::Main, text });
        }
    }
    page.blocks.splice(0..0, head);
    let parse = start.elapsed();
    Ok(Doc {
        url: item.link.clone(),
        href: item.link.clone(),
        origin: Origin::Wxr,
        page,
        pdf: None,
        read: Duration::ZERO,
        parse,
    })
}
