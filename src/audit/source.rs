//! What `blindaje audit` can read, and how each kind is recognized and opened: a folder of saved pages (a
//! `wget --mirror` copy), one saved page, a WordPress export (WXR), a sitemap or sitemap index (file or
//! URL, gzip or not), or a URL to crawl from. Also the decoding of page bytes into text (BOM, HTTP charset,
//! `<meta charset>`, else UTF-8, else Windows-1252, the usual legacy encoding of Spanish pages).

use std::io::Read;
use std::path::{Path, PathBuf};
use url::Url;

/// One `SOURCE` argument, recognized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A folder: every saved HTML page under it.
    Folder(PathBuf),
    /// One saved HTML page.
    Page(PathBuf),
    /// A WordPress export (WXR): its published posts and pages.
    Wxr(PathBuf),
    /// A sitemap or sitemap index saved as a file; its URLs are fetched.
    SitemapFile(PathBuf),
    /// A sitemap or sitemap index on the web.
    SitemapUrl(Url),
    /// A page on the web: crawled, following same-site links up to the page cap.
    Url(Url),
    /// One PDF file.
    Pdf(PathBuf),
    /// A social account's export (X, Facebook, Instagram): the zip, or the folder it unzips to.
    Archive(PathBuf),
}

/// File name endings read as saved HTML pages in a folder.
const PAGE_EXTENSIONS: &[&str] = &["html", "htm", "xhtml", "shtml", "php", "asp", "aspx", "jsp"];

impl Source {
    /// Recognizes an argument: `http(s)://` is a URL (a sitemap when its path ends in `.xml`/`.xml.gz` or its
    /// last segment names a sitemap), anything else a path, told apart by its content.
    pub fn parse(arg: &str) -> Result<Source, String> {
        let lower = arg.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            let url = Url::parse(arg).map_err(|e| format!("{arg}: not a valid URL: {e}"))?;
            if url.host_str().is_none() {
                return Err(format!("{arg}: the URL has no host"));
            }
            return Ok(if looks_like_sitemap_url(&url) { Source::SitemapUrl(url) } else { Source::Url(url) });
        }
        if lower.contains("://") {
            return Err(format!("{arg}: only http:// and https:// URLs can be audited"));
        }
        let path = PathBuf::from(arg);
        let meta = std::fs::metadata(&path).map_err(|e| format!("{arg}: cannot read: {e}"))?;
        if meta.is_dir() {
            if super::social::is_archive_dir(&path) {
                return Ok(Source::Archive(path));
            }
            return Ok(Source::Folder(path));
        }
        if super::social::is_zip(&path) {
            return Ok(Source::Archive(path));
        }
        let raw = {
            let mut head = Vec::new();
            std::fs::File::open(&path).and_then(|f| f.take(1024).read_to_end(&mut head)).ok();
            head
        };
        if super::pdf::is_pdf(&raw) || path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) {
            return Ok(Source::Pdf(path));
        }
        let head = read_head(&path).map_err(|e| format!("{arg}: cannot read: {e}"))?;
        let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
        if head.contains("<rss") && head.contains("wordpress.org/export") {
            Ok(Source::Wxr(path))
        } else if head.contains("<urlset") || head.contains("<sitemapindex") {
            Ok(Source::SitemapFile(path))
        } else if head.contains("<html")
            || head.contains("<!doctype html")
            || head.contains("<body")
            || has_page_extension(&path)
        {
            Ok(Source::Page(path))
        } else {
            Err(format!(
                "{arg}: not a folder, an HTML page, a PDF, a WordPress export (WXR), a sitemap or a social account archive"
            ))
        }
    }

    /// How the reports name the source.
    pub fn describe(&self) -> String {
        match self {
            Source::Folder(p) => format!("carpeta {}", p.display()),
            Source::Page(p) => format!("página {}", p.display()),
            Source::Wxr(p) => format!("exportación de WordPress {}", p.display()),
            Source::SitemapFile(p) => format!("sitemap {}", p.display()),
            Source::SitemapUrl(u) => format!("sitemap {u}"),
            Source::Url(u) => format!("sitio {u}"),
            Source::Pdf(p) => format!("PDF {}", p.display()),
            Source::Archive(p) => format!("archivo de redes sociales {}", p.display()),
        }
    }
}

/// A URL that names a sitemap rather than a page.
pub fn looks_like_sitemap_url(url: &Url) -> bool {
    let path = url.path().to_ascii_lowercase();
    let last = path.rsplit('/').next().unwrap_or("");
    path.ends_with(".xml") || path.ends_with(".xml.gz") || last.contains("sitemap")
}

fn has_page_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| PAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// The first 4 KiB of a file, gunzipped when it is gzip.
fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::new();
    std::fs::File::open(path)?.take(4096).read_to_end(&mut head)?;
    if head.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        let file = std::fs::File::open(path)?;
        flate2::read::GzDecoder::new(file).take(4096).read_to_end(&mut out).ok();
        return Ok(out);
    }
    Ok(head)
}

/// What a folder holds for the audit.
#[derive(Debug, Default)]
pub struct FolderFiles {
    pub pages: Vec<PathBuf>,
    pub pdfs: Vec<PathBuf>,
    /// Symbolic links to files outside the folder: not read, listed with the reason.
    pub outside: Vec<(PathBuf, String)>,
}

/// Every saved page and PDF under `dir`, sorted; hidden folders and symbolic links to folders are not
/// entered, and a symbolic link to a file outside `dir` is not read (a saved site has no business pointing
/// at the rest of the disk) but listed.
pub fn folder_files(dir: &Path) -> Result<FolderFiles, String> {
    let root = std::fs::canonicalize(dir).map_err(|e| format!("{}: cannot read: {e}", dir.display()))?;
    let mut out = FolderFiles::default();
    for path in page_files(dir)? {
        let is_pdf = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            match std::fs::canonicalize(&path) {
                Ok(target) if target.starts_with(&root) => {}
                Ok(target) => {
                    let why =
                        format!("enlace simbólico a un archivo fuera de la carpeta ({}): no se lee", target.display());
                    out.outside.push((path, why));
                    continue;
                }
                Err(e) => {
                    out.outside.push((path, format!("enlace simbólico roto: {e}")));
                    continue;
                }
            }
        }
        if is_pdf {
            out.pdfs.push(path);
        } else {
            out.pages.push(path);
        }
    }
    Ok(out)
}

/// Every saved page and PDF under `dir`, sorted; hidden folders and symbolic links to folders are not entered.
pub fn page_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| format!("{}: cannot read: {e}", d.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("{}: cannot read: {e}", d.display()))?;
            let path = entry.path();
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            let kind = entry.file_type().map_err(|e| format!("{}: {e}", path.display()))?;
            if kind.is_dir() && !hidden {
                pending.push(path);
            } else if (kind.is_file() || kind.is_symlink())
                && (has_page_extension(&path) || path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Bytes of a page as text: a BOM, else the HTTP `charset`, else a `<meta charset>` in the first 2 KiB,
/// else UTF-8 when valid, else Windows-1252.
pub fn decode(bytes: &[u8], charset: Option<&str>) -> String {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom..]).0.into_owned();
    }
    let declared = charset
        .and_then(|c| encoding_rs::Encoding::for_label(c.trim().as_bytes()))
        .or_else(|| meta_charset(&bytes[..bytes.len().min(2048)]));
    if let Some(encoding) = declared {
        // A page that declares a legacy encoding but is valid UTF-8 was almost surely saved as UTF-8
        // (`wget` and editors re-encode without fixing the declaration).
        if encoding != encoding_rs::UTF_8 && std::str::from_utf8(bytes).is_err() {
            return encoding.decode_without_bom_handling(bytes).0.into_owned();
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// The encoding a `<meta charset=…>` or `<meta http-equiv content="…; charset=…">` declares.
fn meta_charset(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let at = text.find("charset=")? + "charset=".len();
    let rest = text[at..].trim_start_matches(['"', '\'', ' ']);
    let label: String =
        rest.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')).collect();
    encoding_rs::Encoding::for_label(label.as_bytes())
}

/// One item of a WordPress export.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WxrItem {
    pub title: String,
    /// The permalink (`<link>`), else `?p=ID` on the export's site, else `wxr:ID`.
    pub link: String,
    pub post_type: String,
    pub status: String,
    /// `content:encoded`: the post's HTML.
    pub content: String,
    /// `excerpt:encoded`.
    pub excerpt: String,
}

/// Post types that are not pages of the portal.
const WXR_NOT_PAGES: &[&str] = &[
    "attachment",
    "nav_menu_item",
    "revision",
    "custom_css",
    "customize_changeset",
    "oembed_cache",
    "user_request",
    "wp_block",
    "wp_template",
    "wp_template_part",
    "wp_global_styles",
    "wp_navigation",
    "wp_font_family",
    "wp_font_face",
];

impl WxrItem {
    /// Whether the item is a page of the portal at all (posts, pages and custom types; not media, menus…).
    pub fn is_content(&self) -> bool {
        !WXR_NOT_PAGES.contains(&self.post_type.as_str())
    }

    /// Whether the public sees it.
    pub fn is_published(&self) -> bool {
        self.status == "publish"
    }
}

/// The items of a WXR file, in file order.
pub fn parse_wxr(text: &str) -> Result<Vec<WxrItem>, String> {
    let doc = roxmltree::Document::parse(text).map_err(|e| format!("not valid XML: {e}"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "rss" {
        return Err("not a WordPress export: the root element is not <rss>".into());
    }
    let channel = root.children().find(|n| n.has_tag_name("channel")).ok_or("not a WordPress export: no <channel>")?;
    let site = channel
        .children()
        .find(|n| n.tag_name().name() == "base_blog_url" || n.has_tag_name("link"))
        .and_then(|n| n.text())
        .map(|s| s.trim().trim_end_matches('/').to_string());
    let mut items = Vec::new();
    for item in channel.children().filter(|n| n.has_tag_name("item")) {
        let mut it = WxrItem::default();
        let mut id = String::new();
        for child in item.children().filter(|n| n.is_element()) {
            let ns = child.tag_name().namespace().unwrap_or("");
            let text = || child.text().unwrap_or("").to_string();
            match (child.tag_name().name(), ns) {
                ("title", "") => it.title = text().trim().to_string(),
                ("link", "") => it.link = text().trim().to_string(),
                ("encoded", ns) if ns.contains("/content/") => it.content = text(),
                ("encoded", ns) if ns.contains("/excerpt/") => it.excerpt = text(),
                ("post_type", ns) if ns.contains("wordpress.org/export") => it.post_type = text().trim().to_string(),
                ("status", ns) if ns.contains("wordpress.org/export") => it.status = text().trim().to_string(),
                ("post_id", ns) if ns.contains("wordpress.org/export") => id = text().trim().to_string(),
                _ => {}
            }
        }
        if it.link.is_empty() {
            it.link = match &site {
                Some(s) if !id.is_empty() => format!("{s}/?p={id}"),
                _ => format!("wxr:{id}"),
            };
        }
        items.push(it);
    }
    Ok(items)
}

/// What a sitemap lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sitemap {
    /// A `<urlset>`: pages.
    Pages(Vec<String>),
    /// A `<sitemapindex>`: more sitemaps.
    Index(Vec<String>),
}

/// The largest sitemap read, uncompressed: the sitemap protocol's own limit (50 MB), also what a gzip
/// sitemap may expand to, counted while decompressing (a small gzip can expand a thousandfold).
pub const MAX_SITEMAP_BYTES: u64 = 50 * 1000 * 1000;

/// Reads a sitemap or sitemap index (gzip or not).
pub fn parse_sitemap(bytes: &[u8]) -> Result<Sitemap, String> {
    let mut unzipped = Vec::new();
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        flate2::read::GzDecoder::new(bytes)
            .take(MAX_SITEMAP_BYTES + 1)
            .read_to_end(&mut unzipped)
            .map_err(|e| format!("not valid gzip: {e}"))?;
        if unzipped.len() as u64 > MAX_SITEMAP_BYTES {
            return Err(format!("expands to more than {} MB uncompressed: refused", MAX_SITEMAP_BYTES / 1000 / 1000));
        }
        &unzipped[..]
    } else if bytes.len() as u64 > MAX_SITEMAP_BYTES {
        return Err(format!("more than {} MB: refused", MAX_SITEMAP_BYTES / 1000 / 1000));
    } else {
        bytes
    };
    let text = decode(bytes, None);
    let doc = roxmltree::Document::parse(&text).map_err(|e| format!("not valid XML: {e}"))?;
    let root = doc.root_element();
    let (entry, index) = match root.tag_name().name() {
        "urlset" => ("url", false),
        "sitemapindex" => ("sitemap", true),
        other => return Err(format!("not a sitemap: the root element is <{other}>")),
    };
    let locs: Vec<String> = root
        .children()
        .filter(|n| n.tag_name().name() == entry)
        .filter_map(|n| n.children().find(|c| c.tag_name().name() == "loc"))
        .filter_map(|loc| loc.text())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    Ok(if index { Sitemap::Index(locs) } else { Sitemap::Pages(locs) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_apart() {
        assert!(matches!(Source::parse("https://cedh.example/sitemap_index.xml"), Ok(Source::SitemapUrl(_))));
        assert!(matches!(Source::parse("https://cedh.example/wp-sitemap"), Ok(Source::SitemapUrl(_))));
        assert!(matches!(Source::parse("http://cedh.example/"), Ok(Source::Url(_))));
        assert!(Source::parse("ftp://cedh.example/").is_err());
        assert!(Source::parse("/no/such/path/anywhere").is_err());
    }

    #[test]
    fn decoding() {
        assert_eq!(decode("campaña".as_bytes(), None), "campaña");
        assert_eq!(decode(b"campa\xf1a", None), "campaña");
        assert_eq!(decode(b"campa\xf1a", Some("iso-8859-1")), "campaña");
        let latin = b"<meta charset=\"ISO-8859-1\"><p>Comisi\xf3n</p>";
        assert!(decode(latin, None).contains("Comisión"));
        assert_eq!(decode(b"\xef\xbb\xbfhola", None), "hola");
    }

    #[test]
    fn sitemaps() {
        let index = br#"<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <sitemap><loc> https://a.example/s1.xml </loc></sitemap></sitemapindex>"#;
        assert_eq!(parse_sitemap(index), Ok(Sitemap::Index(vec!["https://a.example/s1.xml".into()])));
        let set = br#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.example/</loc></url></urlset>"#;
        assert_eq!(parse_sitemap(set), Ok(Sitemap::Pages(vec!["https://a.example/".into()])));
        assert!(parse_sitemap(b"<html></html>").is_err());
        assert!(parse_sitemap(b"<urlset").is_err());
    }

    #[test]
    fn wxr_items() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>CEDH</title><link>https://cedh.example</link>
<item><title>Hola</title><link>https://cedh.example/hola/</link>
<content:encoded><![CDATA[<p>Texto</p>]]></content:encoded><excerpt:encoded><![CDATA[Resumen]]></excerpt:encoded>
<wp:post_id>7</wp:post_id><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
<item><title>Logo</title><wp:post_id>8</wp:post_id><wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type></item>
</channel></rss>"#;
        let items = parse_wxr(xml).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].title, "Hola");
        assert_eq!(items[0].content, "<p>Texto</p>");
        assert_eq!(items[0].excerpt, "Resumen");
        assert!(items[0].is_content() && items[0].is_published());
        assert_eq!(items[1].link, "https://cedh.example/?p=8");
        assert!(!items[1].is_content());
        assert!(parse_wxr("<rss><nochannel/></rss>").is_err());
    }
}
