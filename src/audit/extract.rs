//! What a page says, read with a real HTML parser (html5ever through `scraper`, which repairs broken HTML
//! the way browsers do): the title, the meta description, and the visible text cut into blocks (paragraphs,
//! headings, list items, cells…), each tagged with the element it came from and whether it sits in the main
//! content (`<main>`, `<article>`) or in the page's chrome (`<nav>`, `<header>`, `<footer>`, `<aside>`).
//! Image `alt` and `title` attributes are blocks of their own. Links are collected for the crawler and PDF
//! links for manual review. Scripts, styles, templates, SVG and embedded objects are skipped.

use scraper::{Html, Node};
use serde::Serialize;
use std::collections::HashSet;
use std::time::{Duration, Instant};
use url::Url;

/// Where a block's text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Element {
    /// The page's `<title>` (or a WordPress item's title).
    Title,
    /// `<meta name="description">` (or a WordPress excerpt).
    MetaDescription,
    /// `<h1>`…`<h6>`.
    Heading,
    /// A paragraph, list item, cell or other block of running text.
    Text,
    /// A block whose text is all link text (menus, "read more" lists).
    Link,
    /// An image's `alt` text.
    ImageAlt,
    /// An element's `title` attribute (tooltips).
    TitleAttribute,
}

impl Element {
    pub fn id(self) -> &'static str {
        match self {
            Element::Title => "title",
            Element::MetaDescription => "meta-description",
            Element::Heading => "heading",
            Element::Text => "text",
            Element::Link => "link",
            Element::ImageAlt => "image-alt",
            Element::TitleAttribute => "title-attribute",
        }
    }

    /// Spanish label for the reports.
    pub fn label(self) -> &'static str {
        match self {
            Element::Title => "título de la página",
            Element::MetaDescription => "descripción (meta)",
            Element::Heading => "encabezado",
            Element::Text => "texto",
            Element::Link => "texto de enlace",
            Element::ImageAlt => "texto alternativo de imagen",
            Element::TitleAttribute => "atributo title",
        }
    }
}

/// Whether a block belongs to the page's own content or to the chrome around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Region {
    Main,
    Chrome,
}

impl Region {
    pub fn id(self) -> &'static str {
        match self {
            Region::Main => "main",
            Region::Chrome => "chrome",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Region::Main => "contenido",
            Region::Chrome => "menú, encabezado o pie",
        }
    }
}

/// One piece of text the engine reads on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub element: Element,
    pub region: Region,
    /// Whitespace collapsed, trimmed, never empty.
    pub text: String,
}

/// Everything the audit takes from one page.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub title: String,
    /// `<link rel="canonical">`, when the page names its public address (useful for saved copies).
    pub canonical: Option<String>,
    /// In document order; a text repeated on the page is kept once.
    pub blocks: Vec<Block>,
    /// `<a href>` and `<area href>` targets, resolved, without fragments, PDFs excluded.
    pub links: Vec<Url>,
    /// Links to PDF files, resolved, in document order, each once.
    pub pdfs: Vec<String>,
}

impl Page {
    /// All the page's block texts, one space apart.
    pub fn plain_text(&self) -> String {
        let texts: Vec<&str> = self.blocks.iter().map(|b| b.text.as_str()).collect();
        texts.join(" ")
    }
}

/// Elements whose start and end break the text into blocks.
const BLOCK_ELEMENTS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Elements whose content is not visible text.
const SKIPPED_ELEMENTS: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas", "textarea",
    "select", "head",
];

/// Reads a whole HTML document; `base` resolves relative links (a `<base href>` in the page wins).
pub fn extract_document(html: &str, base: Option<&Url>) -> Page {
    extract(&Html::parse_document(html), base, None)
}

/// Bytes of HTML handed to the parser at a time, between which the parse budget is checked.
const PARSE_CHUNK: usize = 16 * 1024;

/// Parses `html` in chunks, giving up once `budget` is spent: some documents (tens of thousands of nested
/// elements) cost the tree builder time in proportion to depth for every tag, hours for one page.
fn parse_within(html: &str, fragment: bool, budget: Duration) -> Result<Html, String> {
    use html5ever::tendril::TendrilSink;
    let started = Instant::now();
    let feed = |parser: &mut dyn FnMut(&str)| -> Result<(), String> {
        let mut rest = html;
        while !rest.is_empty() {
            let mut cut = rest.len().min(PARSE_CHUNK);
            while !rest.is_char_boundary(cut) {
                cut += 1;
            }
            parser(&rest[..cut]);
            rest = &rest[cut..];
            if !rest.is_empty() && started.elapsed() > budget {
                return Err(format!(
                    "la página excede el tiempo de análisis de {} s (¿anidamiento extremo?); no se revisó",
                    budget.as_secs()
                ));
            }
        }
        Ok(())
    };
    if fragment {
        let mut parser = html5ever::driver::parse_fragment(
            scraper::HtmlTreeSink::new(Html::new_fragment()),
            Default::default(),
            html5ever::QualName::new(None, html5ever::ns!(html), html5ever::local_name!("body")),
            Vec::new(),
            false,
        );
        feed(&mut |chunk| parser.process(chunk.into()))?;
        Ok(parser.finish())
    } else {
        let mut parser =
            html5ever::driver::parse_document(scraper::HtmlTreeSink::new(Html::new_document()), Default::default());
        feed(&mut |chunk| parser.process(chunk.into()))?;
        Ok(parser.finish())
    }
}

/// [`extract_document`] within a parse budget.
pub fn extract_document_within(html: &str, base: Option<&Url>, budget: Duration) -> Result<Page, String> {
    Ok(extract(&parse_within(html, false, budget)?, base, None))
}

/// [`extract_saved`] within a parse budget.
pub fn extract_saved_within(
    html: &str,
    file: Option<&Url>,
    root: Option<&Url>,
    budget: Duration,
) -> Result<Page, String> {
    Ok(extract(&parse_within(html, false, budget)?, file, Some(root)))
}

/// [`extract_fragment`] within a parse budget.
pub fn extract_fragment_within(html: &str, base: Option<&Url>, budget: Duration) -> Result<Page, String> {
    Ok(extract(&parse_within(html, true, budget)?, base, None))
}

/// Reads a saved page. Its links resolve against its public address when it names one
/// (`<link rel="canonical">`), else against its file, with `/…` links under `root` (the saved site's folder).
pub fn extract_saved(html: &str, file: Option<&Url>, root: Option<&Url>) -> Page {
    extract(&Html::parse_document(html), file, Some(root))
}

/// Reads an HTML fragment (a WordPress post's content); all of it is main content.
pub fn extract_fragment(html: &str, base: Option<&Url>) -> Page {
    extract(&Html::parse_fragment(html), base, None)
}

/// `saved` is `Some(root)` for saved pages.
fn extract(doc: &Html, base: Option<&Url>, saved: Option<Option<&Url>>) -> Page {
    let mut walker = Walker {
        base: base.cloned(),
        root: saved.flatten().cloned(),
        has_main: doc.tree.nodes().any(|n| match n.value() {
            Node::Element(e) => e.name() == "main" || e.attr("role") == Some("main"),
            _ => false,
        }),
        ..Walker::default()
    };
    // The head first: title, description, canonical, base.
    for node in doc.tree.nodes() {
        let Node::Element(e) = node.value() else {
            continue;
        };
        match e.name() {
            "title" if walker.page.title.is_empty() && !in_svg(node) => {
                walker.page.title = collapse(&text_of(node));
            }
            "meta" => {
                let name = e.attr("name").unwrap_or("").to_ascii_lowercase();
                if name == "description" {
                    if let Some(c) = e.attr("content") {
                        walker.push_attr(Element::MetaDescription, Region::Main, c);
                    }
                }
            }
            "link" => {
                let rel = e.attr("rel").unwrap_or("").to_ascii_lowercase();
                if rel.split_whitespace().any(|r| r == "canonical") {
                    walker.page.canonical = e.attr("href").and_then(|h| walker.resolve(h)).map(String::from);
                }
            }
            "base" => {
                if let Some(b) = e.attr("href").and_then(|h| walker.resolve(h)) {
                    walker.base = Some(b);
                }
            }
            _ => {}
        }
    }
    if saved.is_some() {
        let public = walker
            .page
            .canonical
            .as_deref()
            .and_then(|c| Url::parse(c).ok())
            .filter(|u| matches!(u.scheme(), "http" | "https"));
        if let Some(public) = public {
            walker.base = Some(public);
            walker.root = None;
        }
    }
    if !walker.page.title.is_empty() {
        let title = walker.page.title.clone();
        walker.blocks.insert(0, Block { element: Element::Title, region: Region::Main, text: title });
    }
    walker.walk(doc);
    walker.finish()
}

fn is_main(name: &str, role: Option<&str>) -> bool {
    name == "main" || name == "article" || role == Some("main")
}

/// The region an element opens, if it opens one.
fn region_of(name: &str, role: Option<&str>, inside_main: bool) -> Option<Region> {
    if is_main(name, role) {
        return Some(Region::Main);
    }
    match (name, role) {
        ("nav" | "aside", _) => Some(Region::Chrome),
        (_, Some("navigation" | "banner" | "contentinfo" | "complementary" | "search")) => Some(Region::Chrome),
        // An article's own header and footer (title, byline) are content.
        ("header" | "footer", _) if !inside_main => Some(Region::Chrome),
        _ => None,
    }
}

fn in_svg(node: ego_tree::NodeRef<'_, Node>) -> bool {
    node.ancestors().any(|a| matches!(a.value(), Node::Element(e) if e.name() == "svg"))
}

fn text_of(node: ego_tree::NodeRef<'_, Node>) -> String {
    node.descendants().filter_map(|n| n.value().as_text().map(|t| &**t)).collect()
}

/// Whitespace runs to one space, trimmed.
pub fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[derive(Default)]
struct Walker {
    base: Option<Url>,
    /// Where `/…` links of a saved page point: the saved site's folder.
    root: Option<Url>,
    has_main: bool,
    page: Page,
    blocks: Vec<Block>,
    /// The text of the block being read, and how much of it is link text.
    buffer: String,
    chars: usize,
    link_chars: usize,
    /// Open elements that changed the state: (node id, what to undo).
    stack: Vec<(ego_tree::NodeId, Undo)>,
    regions: Vec<Region>,
    skip: usize,
    heading: usize,
    link: usize,
    seen_links: HashSet<String>,
    seen_pdfs: HashSet<String>,
}

#[derive(Clone, Copy)]
enum Undo {
    Region,
    Skip,
    Heading,
    Link,
    Block,
}

impl Walker {
    /// The region of text read now: the innermost `main`/`article` or chrome element around it; outside all
    /// of them, chrome when the page has a `<main>` (the content is in there), else content.
    fn region(&self) -> Region {
        match self.regions.last() {
            Some(r) => *r,
            None if self.has_main => Region::Chrome,
            None => Region::Main,
        }
    }

    fn resolve(&self, href: &str) -> Option<Url> {
        let href = href.trim();
        if let (Some(root), Some(rest)) = (&self.root, href.strip_prefix('/')) {
            if !rest.starts_with('/') {
                return root.join(rest).ok();
            }
        }
        let url = match &self.base {
            Some(b) => b.join(href).ok()?,
            None => Url::parse(href).ok()?,
        };
        Some(url)
    }

    fn walk(&mut self, doc: &Html) {
        for edge in doc.tree.root().traverse() {
            match edge {
                ego_tree::iter::Edge::Open(node) => self.open(node),
                ego_tree::iter::Edge::Close(node) => self.close(node),
            }
        }
        self.flush();
    }

    fn open(&mut self, node: ego_tree::NodeRef<'_, Node>) {
        match node.value() {
            Node::Text(t) if self.skip == 0 => {
                let n = t.chars().filter(|c| !c.is_whitespace()).count();
                self.chars += n;
                if self.link > 0 {
                    self.link_chars += n;
                }
                self.buffer.push_str(t);
            }
            Node::Element(e) => {
                let name = e.name();
                if self.skip > 0 || SKIPPED_ELEMENTS.contains(&name) {
                    self.skip += 1;
                    self.stack.push((node.id(), Undo::Skip));
                    return;
                }
                match name {
                    "img" | "area" | "input" => {
                        let image = name != "input" || e.attr("type") == Some("image");
                        if let (true, Some(alt)) = (image, e.attr("alt")) {
                            self.push_attr(Element::ImageAlt, self.region(), alt);
                        }
                    }
                    "br" | "wbr" => self.buffer.push(' '),
                    _ => {}
                }
                if let Some(title) = e.attr("title") {
                    self.push_attr(Element::TitleAttribute, self.region(), title);
                }
                if matches!(name, "a" | "area") {
                    if let Some(href) = e.attr("href") {
                        self.link_to(href);
                    }
                }
                let inside_main = self.regions.contains(&Region::Main);
                if BLOCK_ELEMENTS.contains(&name) {
                    self.flush();
                    self.stack.push((node.id(), Undo::Block));
                }
                if let Some(region) = region_of(name, e.attr("role"), inside_main) {
                    self.regions.push(region);
                    self.stack.push((node.id(), Undo::Region));
                }
                if matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
                    self.heading += 1;
                    self.stack.push((node.id(), Undo::Heading));
                }
                if name == "a" {
                    self.buffer.push(' ');
                    self.link += 1;
                    self.stack.push((node.id(), Undo::Link));
                }
            }
            _ => {}
        }
    }

    fn close(&mut self, node: ego_tree::NodeRef<'_, Node>) {
        // Undo in reverse order what the element's opening did.
        while let Some(&(id, undo)) = self.stack.last() {
            if id != node.id() {
                break;
            }
            self.stack.pop();
            match undo {
                Undo::Skip => self.skip -= 1,
                Undo::Block => self.flush(),
                Undo::Region => {
                    self.flush();
                    self.regions.pop();
                }
                Undo::Heading => {
                    self.flush();
                    self.heading -= 1;
                }
                Undo::Link => {
                    self.link -= 1;
                    self.buffer.push(' ');
                }
            }
        }
    }

    fn link_to(&mut self, href: &str) {
        let lower = href.trim_start().to_ascii_lowercase();
        if lower.starts_with('#') || ["mailto:", "tel:", "javascript:", "data:"].iter().any(|s| lower.starts_with(s)) {
            return;
        }
        let Some(mut url) = self.resolve(href) else {
            return;
        };
        url.set_fragment(None);
        if url.path().to_ascii_lowercase().ends_with(".pdf") {
            if self.seen_pdfs.insert(url.to_string()) {
                self.page.pdfs.push(url.to_string());
            }
        } else if self.seen_links.insert(url.to_string()) {
            self.page.links.push(url);
        }
    }

    /// An attribute's text as a block of its own.
    fn push_attr(&mut self, element: Element, region: Region, text: &str) {
        let text = collapse(text);
        if text.chars().any(char::is_alphanumeric) {
            self.blocks.push(Block { element, region, text });
        }
    }

    fn flush(&mut self) {
        let text = collapse(&self.buffer);
        self.buffer.clear();
        let (chars, link_chars) = (self.chars, self.link_chars);
        self.chars = 0;
        self.link_chars = 0;
        if !text.chars().any(char::is_alphanumeric) {
            return;
        }
        let element = if self.heading > 0 {
            Element::Heading
        } else if link_chars == chars {
            Element::Link
        } else {
            Element::Text
        };
        self.blocks.push(Block { element, region: self.region(), text });
    }

    fn finish(mut self) -> Page {
        let mut seen = HashSet::new();
        self.blocks.retain(|b| seen.insert(b.text.clone()));
        self.page.blocks = self.blocks;
        self.page
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(page: &Page) -> Vec<(Element, Region, &str)> {
        page.blocks.iter().map(|b| (b.element, b.region, b.text.as_str())).collect()
    }

    #[test]
    fn blocks_regions_and_attributes() {
        let html = r#"<!doctype html><html><head><title> Noticias | CEDH </title>
            <meta name="description" content="Boletín  de la Comisión">
            <link rel="canonical" href="https://cedh.example/noticias/a.html">
            <style>p { color: red }</style></head>
            <body><header><nav><ul><li><a href="/">Inicio</a></li><li><a href="/noticias/">Noticias</a></li></ul></nav></header>
            <main><article><header><h1>Nueva oficina</h1></header>
            <p>La Comisión abrió una <a href="otra.html#x">oficina</a> en Valle Verde.<br>Horario de 9 a 17 h.</p>
            <img src="a.jpg" alt="Personal de la Comisión" title="Foto: archivo">
            <p><a href="/docs/Informe.PDF">Informe (PDF)</a> <a href="mailto:a@b.c">correo</a></p>
            <script>var vota = "por Morena";</script></article></main>
            <footer><p>© 2026 Comisión Estatal</p></footer></body></html>"#;
        let base = Url::parse("https://cedh.example/noticias/a.html").unwrap();
        let page = extract_document(html, Some(&base));
        assert_eq!(page.title, "Noticias | CEDH");
        assert_eq!(page.canonical.as_deref(), Some("https://cedh.example/noticias/a.html"));
        assert_eq!(
            texts(&page),
            vec![
                (Element::Title, Region::Main, "Noticias | CEDH"),
                (Element::MetaDescription, Region::Main, "Boletín de la Comisión"),
                (Element::Link, Region::Chrome, "Inicio"),
                (Element::Link, Region::Chrome, "Noticias"),
                (Element::Heading, Region::Main, "Nueva oficina"),
                (Element::Text, Region::Main, "La Comisión abrió una oficina en Valle Verde. Horario de 9 a 17 h."),
                (Element::ImageAlt, Region::Main, "Personal de la Comisión"),
                (Element::TitleAttribute, Region::Main, "Foto: archivo"),
                (Element::Link, Region::Main, "Informe (PDF) correo"),
                (Element::Text, Region::Chrome, "© 2026 Comisión Estatal"),
            ]
        );
        let links: Vec<&str> = page.links.iter().map(Url::as_str).collect();
        assert_eq!(
            links,
            vec!["https://cedh.example/", "https://cedh.example/noticias/", "https://cedh.example/noticias/otra.html"]
        );
        assert_eq!(page.pdfs, vec!["https://cedh.example/docs/Informe.PDF"]);
    }

    #[test]
    fn without_main_the_body_is_content_and_broken_html_is_repaired() {
        let html = "<title>Roto</title><div class=x><p>Uno <b>dos <i>tres</p> cuatro<div>cinco</span></div>\
                    <nav>menú";
        let page = extract_document(html, None);
        assert_eq!(
            texts(&page),
            vec![
                (Element::Title, Region::Main, "Roto"),
                (Element::Text, Region::Main, "Uno dos tres"),
                (Element::Text, Region::Main, "cuatro"),
                (Element::Text, Region::Main, "cinco"),
                (Element::Text, Region::Chrome, "menú"),
            ]
        );
    }

    #[test]
    fn saved_pages_resolve_against_their_public_address_or_their_folder() {
        let file = Url::parse("file:///copia/sitio/noticias/a.html").unwrap();
        let root = Url::parse("file:///copia/sitio/").unwrap();
        let html = r#"<a href="/docs/x.pdf">x</a> <a href="b.html">b</a>"#;
        let page = extract_saved(html, Some(&file), Some(&root));
        assert_eq!(page.pdfs, vec!["file:///copia/sitio/docs/x.pdf"]);
        assert_eq!(page.links[0].as_str(), "file:///copia/sitio/noticias/b.html");
        let html = format!(r#"<link rel="canonical" href="https://cedh.example/noticias/a.html">{html}"#);
        let page = extract_saved(&html, Some(&file), Some(&root));
        assert_eq!(page.pdfs, vec!["https://cedh.example/docs/x.pdf"]);
        assert_eq!(page.links[0].as_str(), "https://cedh.example/noticias/b.html");
    }

    #[test]
    fn fragment_and_repeated_text() {
        let page =
            extract_fragment("<!-- wp:paragraph --><p>Hola</p><!-- /wp:paragraph --><p>Hola</p><h2>Tema</h2>", None);
        assert_eq!(texts(&page), vec![(Element::Text, Region::Main, "Hola"), (Element::Heading, Region::Main, "Tema")]);
    }
}
