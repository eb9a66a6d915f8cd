//! The audit's result, one model for every format: [`Report`] is what `--format json` prints (field by
//! field, below), and the text, CSV and HTML renderings read the same structure.
//!
//! JSON (`--format json`), keys in camelCase:
//! - `tool`, `version`: `"blindaje audit"` and the crate version. `generated`: RFC 3339 time of the run.
//! - `date`: the day the pages were judged for (`--date`, default the start of the current or next
//!   campaign); `phase`: that day's electoral phase or `null`.
//! - `sources`: the `SOURCE` arguments, described. `rules`: `{pack, adminPack}` (`"id@version"`, or `null`).
//! - `summary`: `pages` audited, `pagesWithWarnings`, `pagesWithHints` (hints only), `cleanPages`, `failed`,
//!   `skipped`, `notAudited` (found beyond `--max-pages`), `maxPages`, `warnings`, `hints`, `high`,
//!   `medium`, `low`, `byCategory` (every category id → findings, shared blocks counted once),
//!   `sharedBlocks` (all repeated blocks), `sharedBlocksWithFindings`, `pdfs`.
//! - `pages`: every audited page, those with warnings first (most severe, then most warnings), then those
//!   with hints, then clean ones, by URL. Each: `url` (URL or file path), `href` (link for people: the URL,
//!   the saved page's canonical URL or a `file://` URL), `title`, `origin` (`file`, `wxr`, `sitemap`,
//!   `crawl`), `status` (`warnings`, `hints`, `clean`), `warnings`, `hints`, `findings`, `pdfs` (PDF links
//!   on the page). A page's findings exclude its shared blocks.
//! - a finding: `rule`, `category` (id), `categoryLabel` (Spanish), `severity` (`high`, `medium`, `low`),
//!   `element` (`title`, `meta-description`, `heading`, `text`, `link`, `image-alt`, `title-attribute`),
//!   `region` (`main` or `chrome`), `excerpt` (the flagged words), `before` and `after` (up to ~60
//!   characters of context, `…` where cut), `start`/`end` (UTF-16 offsets of the excerpt in the block's
//!   text), `message`, `guideline`, `suggestion` (or `null`). Sorted by severity, then page order.
//! - `shared`: repeated blocks (menus, footers…) that have findings, reported once: `element`, `region`,
//!   `text`, `pageCount`, `pages` (URLs), `findings`.
//! - `failed`: `{url, reason}` for pages and sitemaps that could not be read (HTTP errors, timeouts…).
//! - `skipped`: `{url, reason}` left out on purpose (robots.txt, off-site redirects, not HTML, drafts in a
//!   WordPress export).
//! - `pdfs`: `{url, pages, audited}`: PDF links found on the audited pages, with the pages linking them;
//!   `audited` is `true` when the document's text was read (it is then in `documents`), `false` when it
//!   is left for manual review (another site, robots.txt, the PDF cap, or a saved site's link to the web).
//! - `timings`: `totalMs` (wall clock), and `readMs`, `parseMs`, `analyzeMs` summed over threads.
//!
//! Added with PDF text and social archives (absent keys in older reports mean "none"):
//! - a finding in a PDF also has `pdfPage` (the page, from 1).
//! - `documents`: every PDF whose text was read, sorted like `pages`: `url`, `href`, `title` (the PDF's
//!   `/Title`), `origin`, `status`, `warnings`, `hints`, `pageCount`, `pagesWithoutText` (page numbers),
//!   `incomplete` (why only part was read, or `null`), `linkedFrom` (pages), `findings`. A PDF that could
//!   not be read at all (scanned without text, encrypted, broken, too large) is in `failed` with the reason.
//! - `accounts`: one per social account archive: `platform` (`x`, `facebook`, `instagram`), `account`,
//!   `source` (the archive), `posts` (with text, judged), `withoutText`, `postsWithWarnings`,
//!   `postsWithHints`, `cleanPosts`, and `flagged`: the posts with findings, most severe first, each
//!   `{id, url (or null when the export has no link), date (UTC "YYYY-MM-DD HH:MM" or null), text, file,
//!   status, warnings, hints, findings}`.
//! - `summary` also counts `documents`, `documentsWithWarnings`, `pdfPages`, `pdfsNotAudited` (beyond
//!   `--max-pdfs`), `accounts`, `posts`, `postsWithWarnings`; `warnings`, `hints`, `high`, `medium`, `low`
//!   and `byCategory` count the findings of pages, shared blocks, PDFs and posts together.

pub mod csv;
pub mod html;
pub mod json;
pub mod text;

use super::extract::{Element, Region};
use crate::{Category, Phase, Severity};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// How a page reached the audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// A saved file.
    File,
    /// A WordPress export item.
    Wxr,
    /// Listed in a sitemap.
    Sitemap,
    /// Found by following links (or the URL given).
    Crawl,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub tool: &'static str,
    pub version: &'static str,
    pub generated: String,
    pub date: NaiveDate,
    pub phase: Option<Phase>,
    pub sources: Vec<String>,
    pub rules: RulesInfo,
    pub summary: Summary,
    pub pages: Vec<PageReport>,
    pub shared: Vec<SharedBlock>,
    pub failed: Vec<Problem>,
    pub skipped: Vec<Problem>,
    pub pdfs: Vec<PdfLink>,
    pub timings: Timings,
    pub documents: Vec<PdfReport>,
    pub accounts: Vec<AccountReport>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RulesInfo {
    pub pack: String,
    pub admin_pack: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub pages: usize,
    pub pages_with_warnings: usize,
    pub pages_with_hints: usize,
    pub clean_pages: usize,
    pub failed: usize,
    pub skipped: usize,
    pub not_audited: usize,
    pub max_pages: usize,
    pub warnings: usize,
    pub hints: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub by_category: BTreeMap<&'static str, usize>,
    pub shared_blocks: usize,
    pub shared_blocks_with_findings: usize,
    pub pdfs: usize,
    pub documents: usize,
    pub documents_with_warnings: usize,
    pub pdf_pages: usize,
    pub pdfs_not_audited: usize,
    pub accounts: usize,
    pub posts: usize,
    pub posts_with_warnings: usize,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageReport {
    pub url: String,
    pub href: String,
    pub title: String,
    pub origin: Origin,
    pub status: PageStatus,
    pub warnings: usize,
    pub hints: usize,
    pub findings: Vec<AuditFinding>,
    pub pdfs: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageStatus {
    Warnings,
    Hints,
    Clean,
}

/// One finding of the engine in one block of a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditFinding {
    pub rule: Arc<str>,
    pub category: Category,
    pub category_label: &'static str,
    pub severity: Severity,
    pub element: Element,
    pub region: Region,
    pub excerpt: String,
    pub before: String,
    pub after: String,
    pub start: usize,
    pub end: usize,
    pub message: Arc<str>,
    pub guideline: Arc<str>,
    pub suggestion: Option<Arc<str>>,
    /// The PDF page the finding is on (PDFs only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pdf_page: Option<u32>,
}

impl AuditFinding {
    /// `before⟦excerpt⟧after`, the way text and CSV show a finding in its context.
    pub fn context(&self) -> String {
        format!("{}⟦{}⟧{}", self.before, self.excerpt, self.after)
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SharedBlock {
    pub element: Element,
    pub region: Region,
    pub text: String,
    pub page_count: usize,
    pub pages: Vec<String>,
    pub findings: Vec<AuditFinding>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub url: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PdfLink {
    pub url: String,
    /// The pages that link to it.
    pub pages: Vec<String>,
    /// Whether its text was read (it is then in `documents`).
    pub audited: bool,
}

/// A PDF whose text was read.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PdfReport {
    pub url: String,
    pub href: String,
    pub title: String,
    pub origin: Origin,
    pub status: PageStatus,
    pub warnings: usize,
    pub hints: usize,
    pub page_count: usize,
    pub pages_without_text: Vec<u32>,
    pub incomplete: Option<String>,
    pub linked_from: Vec<String>,
    pub findings: Vec<AuditFinding>,
}

/// One social account's archive.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountReport {
    pub platform: crate::audit::social::Platform,
    pub account: String,
    pub source: String,
    pub posts: usize,
    pub without_text: usize,
    pub posts_with_warnings: usize,
    pub posts_with_hints: usize,
    pub clean_posts: usize,
    pub flagged: Vec<PostReport>,
}

/// A post with findings.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PostReport {
    pub id: String,
    pub url: Option<String>,
    pub date: Option<String>,
    pub text: String,
    pub file: String,
    pub status: PageStatus,
    pub warnings: usize,
    pub hints: usize,
    pub findings: Vec<AuditFinding>,
}

/// A list's status from its findings (sorted by severity on the way).
fn judge(findings: &mut [AuditFinding]) -> (PageStatus, usize, usize) {
    sort_findings(findings);
    let warnings = findings.iter().filter(|f| f.severity.is_warning()).count();
    let hints = findings.len() - warnings;
    let status = match (warnings, hints) {
        (0, 0) => PageStatus::Clean,
        (0, _) => PageStatus::Hints,
        _ => PageStatus::Warnings,
    };
    (status, warnings, hints)
}

/// The worst first: most severe finding, then most warnings, then most hints.
fn rank(findings: &[AuditFinding], warnings: usize, hints: usize) -> impl Ord {
    (
        std::cmp::Reverse(findings.iter().map(|f| f.severity).max()),
        std::cmp::Reverse(warnings),
        std::cmp::Reverse(hints),
    )
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Timings {
    pub total_ms: u64,
    pub read_ms: u64,
    pub parse_ms: u64,
    pub analyze_ms: u64,
}

/// Sorts findings by severity (high first), keeping page order among equals.
pub fn sort_findings(findings: &mut [AuditFinding]) {
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
}

impl PageReport {
    pub fn max_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

impl Report {
    /// Orders pages and shared blocks, and counts the summary. Called once the content is in.
    pub fn finish(&mut self) {
        for page in &mut self.pages {
            sort_findings(&mut page.findings);
            page.warnings = page.findings.iter().filter(|f| f.severity.is_warning()).count();
            page.hints = page.findings.len() - page.warnings;
            page.status = match (page.warnings, page.hints) {
                (0, 0) => PageStatus::Clean,
                (0, _) => PageStatus::Hints,
                _ => PageStatus::Warnings,
            };
        }
        self.pages.sort_by(|a, b| {
            let rank = |p: &PageReport| {
                (std::cmp::Reverse(p.max_severity()), std::cmp::Reverse(p.warnings), std::cmp::Reverse(p.hints))
            };
            rank(a).cmp(&rank(b)).then_with(|| a.url.cmp(&b.url))
        });
        for block in &mut self.shared {
            sort_findings(&mut block.findings);
        }
        self.shared.sort_by(|a, b| {
            let sev = |s: &SharedBlock| std::cmp::Reverse(s.findings.iter().map(|f| f.severity).max());
            sev(a).cmp(&sev(b)).then_with(|| b.page_count.cmp(&a.page_count)).then_with(|| a.text.cmp(&b.text))
        });
        for d in &mut self.documents {
            (d.status, d.warnings, d.hints) = judge(&mut d.findings);
        }
        self.documents.sort_by(|a, b| {
            rank(&a.findings, a.warnings, a.hints)
                .cmp(&rank(&b.findings, b.warnings, b.hints))
                .then_with(|| a.url.cmp(&b.url))
        });
        for account in &mut self.accounts {
            for p in &mut account.flagged {
                (p.status, p.warnings, p.hints) = judge(&mut p.findings);
            }
            account.flagged.retain(|p| p.status != PageStatus::Clean);
            account.flagged.sort_by(|a, b| {
                rank(&a.findings, a.warnings, a.hints)
                    .cmp(&rank(&b.findings, b.warnings, b.hints))
                    .then_with(|| b.date.cmp(&a.date))
                    .then_with(|| a.id.cmp(&b.id))
            });
            account.posts_with_warnings = account.flagged.iter().filter(|p| p.status == PageStatus::Warnings).count();
            account.posts_with_hints = account.flagged.len() - account.posts_with_warnings;
            account.clean_posts = account.posts - account.flagged.len();
        }
        self.failed.sort_by(|a, b| a.url.cmp(&b.url));
        self.skipped.sort_by(|a, b| a.url.cmp(&b.url));
        self.pdfs.sort_by(|a, b| a.url.cmp(&b.url));

        let s = &mut self.summary;
        s.pages = self.pages.len();
        s.pages_with_warnings = self.pages.iter().filter(|p| p.status == PageStatus::Warnings).count();
        s.pages_with_hints = self.pages.iter().filter(|p| p.status == PageStatus::Hints).count();
        s.clean_pages = s.pages - s.pages_with_warnings - s.pages_with_hints;
        s.failed = self.failed.len();
        s.skipped = self.skipped.len();
        s.shared_blocks_with_findings = self.shared.len();
        s.pdfs = self.pdfs.len();
        s.documents = self.documents.len();
        s.documents_with_warnings = self.documents.iter().filter(|d| d.status == PageStatus::Warnings).count();
        s.pdf_pages = self.documents.iter().map(|d| d.page_count).sum();
        s.accounts = self.accounts.len();
        s.posts = self.accounts.iter().map(|a| a.posts).sum();
        s.posts_with_warnings = self.accounts.iter().map(|a| a.posts_with_warnings).sum();
        s.by_category = Category::ALL.iter().map(|c| (c.id(), 0)).collect();
        let all = self
            .pages
            .iter()
            .flat_map(|p| &p.findings)
            .chain(self.shared.iter().flat_map(|b| &b.findings))
            .chain(self.documents.iter().flat_map(|d| &d.findings))
            .chain(self.accounts.iter().flat_map(|a| &a.flagged).flat_map(|p| &p.findings));
        for f in all {
            *s.by_category.entry(f.category.id()).or_default() += 1;
            match f.severity {
                Severity::High => s.high += 1,
                Severity::Medium => s.medium += 1,
                Severity::Low => s.low += 1,
            }
        }
        s.warnings = s.high + s.medium;
        s.hints = s.low;
    }

    /// Whether anything must be taken down or edited: a warning on a page or in a shared block.
    pub fn has_warnings(&self) -> bool {
        self.summary.warnings > 0
    }

    /// Whether anything at all was read: a page, a PDF or a post.
    pub fn read_anything(&self) -> bool {
        self.summary.pages + self.summary.documents + self.summary.posts > 0
    }

    /// Every finding with where it is, for the one-page summary: (source label, where, finding).
    pub fn all_findings(&self) -> Vec<(String, String, &AuditFinding)> {
        let mut out = Vec::new();
        for p in &self.pages {
            out.extend(p.findings.iter().map(|f| ("Página".to_string(), p.url.clone(), f)));
        }
        for b in &self.shared {
            let at = format!("bloque repetido en {} páginas", b.page_count);
            out.extend(b.findings.iter().map(|f| ("Plantilla".to_string(), at.clone(), f)));
        }
        for d in &self.documents {
            out.extend(d.findings.iter().map(|f| {
                let page = f.pdf_page.map(|n| format!(", página {n}")).unwrap_or_default();
                ("PDF".to_string(), format!("{}{page}", d.url), f)
            }));
        }
        for a in &self.accounts {
            let source = format!("{} {}", a.platform.label(), a.account);
            for p in &a.flagged {
                let at =
                    p.url.clone().unwrap_or_else(|| format!("{} ({})", p.date.as_deref().unwrap_or("sin fecha"), p.id));
                out.extend(p.findings.iter().map(|f| (source.clone(), at.clone(), f)));
            }
        }
        // Stable: among equals, the order of the report.
        out.sort_by_key(|(_, _, f)| std::cmp::Reverse(f.severity));
        out
    }

    /// The audited pages without findings of their own.
    pub fn clean_pages(&self) -> impl Iterator<Item = &PageReport> {
        self.pages.iter().filter(|p| p.status == PageStatus::Clean)
    }

    /// The pages with findings of their own.
    pub fn flagged_pages(&self) -> impl Iterator<Item = &PageReport> {
        self.pages.iter().filter(|p| p.status != PageStatus::Clean)
    }
}

/// Spanish label of a severity, as the other commands print it.
pub fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::High => "ALTA",
        Severity::Medium => "MEDIA",
        Severity::Low => "SUGERENCIA",
    }
}

/// Spanish name of a phase.
pub fn phase_label(phase: Option<Phase>) -> &'static str {
    match phase {
        None => "fuera de periodo electoral",
        Some(Phase::Precampaign) => "precampañas",
        Some(Phase::Intercampaign) => "intercampañas",
        Some(Phase::Campaign) => "campañas",
        Some(Phase::Reflection) => "periodo de reflexión",
        Some(Phase::ElectionDay) => "jornada electoral",
    }
}
