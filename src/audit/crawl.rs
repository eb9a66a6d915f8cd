//! The work queue that turns sources into extracted pages: a fixed number of worker threads (the
//! concurrency limit) take jobs (a saved file, a WordPress item, a page or a sitemap to fetch) from one
//! queue, read and parse them, and put what they discover (same-site links, sitemap entries) back in it.
//! Every URL is handled once; the page cap counts pages, not sitemaps; a job that fails becomes a line in
//! the report and the others go on.

use super::extract::{self, Block, Element, Page, Region};
use super::fetch::{self, Fetcher};
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
}

impl Job {
    fn is_page(&self) -> bool {
        !matches!(self, Job::Sitemap { .. })
    }

    /// The identity that makes a job run once.
    fn key(&self) -> String {
        match self {
            Job::Page { url, .. } => page_key(url),
            Job::Sitemap { url, .. } => format!("sitemap {url}"),
            Job::File(p, _) => format!("file {}", p.display()),
            Job::Wxr(item) => format!("wxr {}", item.link),
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
    /// Reading or fetching, and parsing.
    pub read: Duration,
    pub parse: Duration,
}

/// What the workers produced.
#[derive(Debug, Default)]
pub struct Outcome {
    pub docs: Vec<Doc>,
    pub failed: Vec<Problem>,
    pub skipped: Vec<Problem>,
    /// PDFs reached through a link that did not look like one: (PDF URL, page linking to it).
    pub pdfs: Vec<(String, String)>,
    /// Pages found but left out by the page cap.
    pub not_audited: usize,
}

struct State {
    queue: VecDeque<Job>,
    seen: HashSet<String>,
    in_flight: usize,
    pages: usize,
    pages_done: usize,
    outcome: Outcome,
}

struct Crawl<'a> {
    state: Mutex<State>,
    wake: Condvar,
    fetcher: &'a Fetcher,
    max_pages: usize,
    progress: &'a (dyn Fn(usize, usize) + Sync),
}

/// Runs `jobs` (and what they discover) on `concurrency` threads. `progress(done, total)` is called after
/// every page.
pub fn run(
    jobs: Vec<Job>,
    fetcher: &Fetcher,
    max_pages: usize,
    concurrency: usize,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Outcome {
    let crawl = Crawl {
        state: Mutex::new(State {
            queue: VecDeque::new(),
            seen: HashSet::new(),
            in_flight: 0,
            pages: 0,
            pages_done: 0,
            outcome: Outcome::default(),
        }),
        wake: Condvar::new(),
        fetcher,
        max_pages,
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
    Doc(Doc, Vec<Job>),
    Failed(Problem),
    Skipped(Problem),
    Pdf(String, String),
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
                        state.outcome.docs.push(doc);
                        more.into_iter().for_each(|j| self.schedule(&mut state, j));
                    }
                    Done::More(more) => more.into_iter().for_each(|j| self.schedule(&mut state, j)),
                    Done::Failed(p) => state.outcome.failed.push(p),
                    Done::Skipped(p) => state.outcome.skipped.push(p),
                    Done::Pdf(pdf, from) => state.outcome.pdfs.push((pdf, from)),
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
            Job::File(path, root) => read_file(path, root),
            Job::Wxr(item) => Done::Doc(wxr_doc(&item), Vec::new()),
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
        let response = match self.fetcher.get(&url) {
            Ok(r) => r,
            Err(reason) => return Done::Failed(problem(reason)),
        };
        let read = start.elapsed();
        let final_url = response.url.clone();
        if page_key(&final_url) != page_key(&url) {
            if site.as_ref().is_some_and(|s| *s != fetch::site_key(&final_url)) {
                return Done::Skipped(problem(format!("redirige fuera del sitio, a {final_url}")));
            }
            // Reached already under its final address: one audit is enough.
            if !self.lock().seen.insert(page_key(&final_url)) {
                return Done::Nothing;
            }
        }
        match response.mime.as_str() {
            "" | "text/html" | "application/xhtml+xml" => {}
            "application/pdf" => return Done::Pdf(final_url.to_string(), url.to_string()),
            other => {
                return Done::Skipped(problem(format!("no es una página HTML ({other})")));
            }
        }
        let html = source::decode(&response.body, response.charset.as_deref());
        let start = Instant::now();
        let page = extract::extract_document(&html, Some(&final_url));
        let parse = start.elapsed();
        let more = if follow { self.links_to_follow(&page, site.as_deref()) } else { Vec::new() };
        Done::Doc(Doc { url: final_url.to_string(), href: final_url.to_string(), origin, page, read, parse }, more)
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
        let sitemap = match self.fetcher.get(&url) {
            Ok(r) => source::parse_sitemap(&r.body),
            Err(reason) => Err(reason),
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

fn read_file(path: PathBuf, root: Option<PathBuf>) -> Done {
    let start = Instant::now();
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            return Done::Failed(Problem { url: path.display().to_string(), reason: format!("no se pudo leer: {e}") })
        }
    };
    let html = source::decode(&bytes, None);
    let read = start.elapsed();
    let base = std::fs::canonicalize(&path).ok().and_then(|p| Url::from_file_path(p).ok());
    let root = root.and_then(|r| std::fs::canonicalize(r).ok()).and_then(|r| Url::from_directory_path(r).ok());
    let start = Instant::now();
    let page = extract::extract_saved(&html, base.as_ref(), root.as_ref());
    let parse = start.elapsed();
    let file_url = base.map(String::from).unwrap_or_default();
    Done::Doc(
        Doc {
            url: path.display().to_string(),
            href: page.canonical.clone().unwrap_or(file_url),
            origin: Origin::File,
            page,
            read,
            parse,
        },
        Vec::new(),
    )
}

/// A WordPress item as a page: its title, its excerpt as the description, its content as main content.
pub fn wxr_doc(item: &WxrItem) -> Doc {
    let start = Instant::now();
    let base = Url::parse(&item.link).ok();
    let mut page = extract::extract_fragment(&item.content, base.as_ref());
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
    Doc { url: item.link.clone(), href: item.link.clone(), origin: Origin::Wxr, page, read: Duration::ZERO, parse }
}
