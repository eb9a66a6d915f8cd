//! The audit report as CSV for spreadsheets and tooling: one row per finding, plus one row per clean page,
//! failed or skipped page and PDF, told apart by `scope`. UTF-8, comma-separated, a header row, RFC 4180
//! quoting.
//!
//! Columns:
//! - `scope`: `page` (a finding on a page), `shared` (a finding in a block repeated on many pages, reported
//!   once), `clean` (a page without findings of its own), `failed` (could not be read; `message` says why),
//!   `skipped` (left out on purpose; `message` says why), `pdf` (a PDF to review by hand).
//! - `severity` (`high`, `medium`, `low`), `category` (id), `rule`: the finding's; empty on other rows.
//! - `url`: the page (for `shared`, the first page it appears on; for `pdf`, the document).
//! - `title`: the page's title. `pages`: for `shared` and `pdf`, on how many pages it appears.
//! - `element` (`title`, `meta-description`, `heading`, `text`, `link`, `image-alt`, `title-attribute`) and
//!   `region` (`main` or `chrome`): where in the page the finding is.
//! - `excerpt`: the flagged words. `context`: the words around them, the excerpt between `⟦ ⟧`.
//! - `message`, `guideline`, `suggestion`: the finding's explanation (for `failed`/`skipped`, the reason is
//!   in `message`).
//!
//! Added with PDF text and social archives (at the end, so the columns above keep their places):
//! - scopes `document` (a finding in a PDF whose text was read; `url` the PDF, `title` its title) and `post`
//!   (a finding in a social post; `url` its link, empty when the export has none). `pdf` rows are now only
//!   the PDFs left for manual review.
//! - `pdf_page`: the PDF page of a `document` finding. `account`: `platform:account` of a `post`. `posted`:
//!   the post's date (UTC). `post_id`: the post's id in the archive.
//!
//! Every cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'` (OWASP's
//! rule against CSV injection), so no page text becomes a formula when the file is opened in a spreadsheet.

use super::{AuditFinding, Report};

pub const COLUMNS: [&str; 18] = [
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
    "suggestion",
    "pdf_page",
    "account",
    "posted",
    "post_id",
];

/// A cell a spreadsheet will not run: text starting like a formula gets a leading `'`.
pub fn neutralize(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

type Row = [String; 18];

pub fn render(report: &Report) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS).expect("writing to memory");
    let finding_row = |scope: &str, url: &str, title: &str, pages: &str, f: &AuditFinding| -> Row {
        let context = f.context();
        [
            scope.to_string(),
            f.severity.id().to_string(),
            f.category.id().to_string(),
            f.rule.to_string(),
            url.to_string(),
            title.to_string(),
            pages.to_string(),
            f.element.id().to_string(),
            f.region.id().to_string(),
            f.excerpt.clone(),
            context,
            f.message.to_string(),
            f.guideline.to_string(),
            f.suggestion.as_deref().unwrap_or_default().to_string(),
            f.pdf_page.map(|p| p.to_string()).unwrap_or_default(),
            String::new(),
            String::new(),
            String::new(),
        ]
    };
    let mut owned: Vec<Row> = Vec::new();
    for page in report.flagged_pages() {
        for f in &page.findings {
            owned.push(finding_row("page", &page.url, &page.title, "", f));
        }
    }
    for block in &report.shared {
        let first = block.pages.first().map(String::as_str).unwrap_or("");
        for f in &block.findings {
            owned.push(finding_row("shared", first, "", &block.page_count.to_string(), f));
        }
    }
    for doc in &report.documents {
        for f in &doc.findings {
            owned.push(finding_row("document", &doc.url, &doc.title, "", f));
        }
    }
    for account in &report.accounts {
        let id = format!(
            "{}:{}",
            serde_json::to_value(account.platform)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            account.account
        );
        for post in &account.flagged {
            for f in &post.findings {
                let mut row = finding_row("post", post.url.as_deref().unwrap_or(""), "", "", f);
                row[15] = id.clone();
                row[16] = post.date.clone().unwrap_or_default();
                row[17] = post.id.clone();
                owned.push(row);
            }
        }
    }
    let other = |scope: &str, url: &str, title: &str, pages: &str, message: &str| -> Row {
        let mut cells: Row = Default::default();
        cells[0] = scope.to_string();
        cells[4] = url.to_string();
        cells[5] = title.to_string();
        cells[6] = pages.to_string();
        cells[11] = message.to_string();
        cells
    };
    for page in report.clean_pages() {
        owned.push(other("clean", &page.url, &page.title, "", ""));
    }
    for p in &report.failed {
        owned.push(other("failed", &p.url, "", "", &p.reason));
    }
    for p in &report.skipped {
        owned.push(other("skipped", &p.url, "", "", &p.reason));
    }
    for pdf in report.pdfs.iter().filter(|p| !p.audited) {
        owned.push(other("pdf", &pdf.url, "", &pdf.pages.len().to_string(), ""));
    }
    for cells in owned {
        w.write_record(cells.map(neutralize)).expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("flushing to memory")).expect("CSV of UTF-8 text")
}
