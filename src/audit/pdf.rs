//! The text of the portal's PDFs (bulletins, reports, posters), page by page, so it is judged like any HTML
//! block and each finding cites the document and the page. Text comes from `pdf-extract` over `lopdf`;
//! a PDF without a text layer (a scan) is reported as such, never passed as clean, and an encrypted,
//! broken or oversized one is reported with the reason while the audit goes on. The PDF crates can panic
//! on malformed input: that is caught here, per document, and becomes a reason like any other.

use super::extract::{collapse, Block, Element, Region};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

/// How much of a PDF is read.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Larger files are not opened.
    pub max_bytes: u64,
    /// Pages after this many are not read (the document is flagged as read in part).
    pub max_pages: usize,
    /// Reading stops after this long, between pages (the document is flagged as read in part).
    pub time: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_bytes: 50 * 1024 * 1024, max_pages: 500, time: Duration::from_secs(30) }
    }
}

/// A PDF's text: blocks with the page each comes from.
#[derive(Debug, Clone, Default)]
pub struct PdfText {
    /// The document's `/Title`, when it has one.
    pub title: String,
    pub page_count: usize,
    pub blocks: Vec<Block>,
    /// The page (from 1) of each block.
    pub block_pages: Vec<u32>,
    /// Pages read that had no text (scanned pages, images).
    pub pages_without_text: Vec<u32>,
    /// Why only part of the document was read, when it was.
    pub incomplete: Option<String>,
}

/// Why a PDF could not be read (Spanish, for the report).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfError {
    TooBig {
        bytes: u64,
        max: u64,
    },
    Encrypted,
    Broken(String),
    /// A PDF crate panicked on this document.
    Crashed(String),
    /// Pages but no text on any: a scan.
    NoText {
        pages: usize,
    },
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PdfError::TooBig { bytes, max } => write!(
                f,
                "PDF: pesa {} MB, más que el límite de {} MB; revíselo a mano",
                bytes.div_ceil(1024 * 1024),
                max / 1024 / 1024
            ),
            PdfError::Encrypted => write!(f, "PDF cifrado con contraseña: no se puede leer; revíselo a mano"),
            PdfError::Broken(why) => write!(f, "PDF dañado o no válido ({why}); revíselo a mano"),
            PdfError::Crashed(why) => {
                write!(f, "PDF que el lector no pudo procesar (fallo interno: {why}); revíselo a mano")
            }
            PdfError::NoText { pages } => write!(
                f,
                "PDF escaneado o sin capa de texto ({pages} página(s) sin texto): no se puede analizar; revíselo a mano"
            ),
        }
    }
}

/// Whether bytes look like a PDF (the `%PDF-` header within the first KiB, as readers accept).
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-")
}

/// Reads a PDF's text within `limits`.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<PdfText, PdfError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(PdfError::TooBig { bytes: bytes.len() as u64, max: limits.max_bytes });
    }
    match catch_unwind(AssertUnwindSafe(|| read_unguarded(bytes, limits))) {
        Ok(result) => result,
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "sin detalle".into());
            Err(PdfError::Crashed(why.chars().take(200).collect()))
        }
    }
}

fn read_unguarded(bytes: &[u8], limits: &Limits) -> Result<PdfText, PdfError> {
    let started = Instant::now();
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| match e {
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => PdfError::Encrypted,
        other => PdfError::Broken(other.to_string()),
    })?;
    if doc.is_encrypted() {
        return Err(PdfError::Encrypted);
    }
    let pages = doc.get_pages();
    let mut out = PdfText { title: title(&doc), page_count: pages.len(), ..PdfText::default() };
    if pages.is_empty() {
        return Err(PdfError::Broken("no tiene páginas".into()));
    }
    let mut failed_pages = Vec::new();
    for (i, &number) in pages.keys().enumerate() {
        if i >= limits.max_pages {
            out.incomplete = Some(format!(
                "solo se leyeron las primeras {} de {} páginas (límite por documento)",
                limits.max_pages,
                pages.len()
            ));
            break;
        }
        if started.elapsed() > limits.time {
            out.incomplete = Some(format!(
                "lectura detenida en la página {number} de {} por el límite de {} s por documento",
                pages.len(),
                limits.time.as_secs()
            ));
            break;
        }
        let mut output = Layout::default();
        let result = pdf_extract::output_doc_page(&doc, &mut output, number);
        let text = output.text;
        if result.is_err() {
            failed_pages.push(number);
        }
        let before = out.blocks.len();
        for paragraph in paragraphs(&text) {
            out.blocks.push(Block { element: Element::Text, region: Region::Main, text: paragraph });
            out.block_pages.push(number);
        }
        if out.blocks.len() == before {
            out.pages_without_text.push(number);
        }
    }
    if out.blocks.is_empty() {
        if failed_pages.len() == out.pages_without_text.len() && !failed_pages.is_empty() {
            return Err(PdfError::Broken(format!("no se pudo leer el contenido de {} página(s)", failed_pages.len())));
        }
        return Err(PdfError::NoText { pages: out.pages_without_text.len() });
    }
    Ok(out)
}

/// Text as laid out on the page: a line break where the baseline moves down a line, a blank line (a
/// paragraph's end) where it moves down more than a line and a half or moves up (the top of the next
/// column of a bulletin, or another frame), a space where the pen jumps right. `pdf-extract`'s own plain
/// text output runs the last line of a column into the first of the next, which would join unrelated
/// sentences.
#[derive(Default)]
struct Layout {
    text: String,
    /// Baseline (PDF space, up is positive) and where the last character ended.
    last_y: f64,
    last_end: f64,
    word_start: bool,
}

impl pdf_extract::OutputDev for Layout {
    fn begin_page(
        &mut self,
        _page: u32,
        _media_box: &pdf_extract::MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        let (x, y) = (trm.m31, trm.m32);
        let scale = (trm.m11 * trm.m22 - trm.m12 * trm.m21).abs().sqrt();
        let size = (font_size * scale).max(1.0);
        if self.word_start && !self.text.is_empty() {
            let down = self.last_y - y;
            if down < -0.5 * size || down > 1.6 * size {
                self.text.push_str("\n\n");
            } else if down > 0.5 * size {
                self.text.push('\n');
            } else if x > self.last_end + 0.1 * size || x < self.last_end - 2.0 * size {
                self.text.push(' ');
            }
        }
        self.text.push_str(char);
        self.word_start = false;
        self.last_y = y;
        self.last_end = x + width * size;
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.word_start = true;
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
}

/// The `/Title` of the document information dictionary, when it is text.
fn title(doc: &lopdf::Document) -> String {
    let info = doc.trailer.get(b"Info").ok().and_then(|o| doc.dereference(o).ok()).and_then(|(_, o)| o.as_dict().ok());
    let title = info.and_then(|d| d.get(b"Title").ok());
    title.and_then(|t| lopdf::decode_text_string(t).ok()).map(|t| collapse(&t)).unwrap_or_default()
}

/// A page's text as paragraphs: blank lines (the extractor's mark of a vertical gap) end one; inside, lines
/// are joined, a word hyphenated across a line break rejoined.
pub fn paragraphs(page: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut push = |current: &mut String| {
        let text = collapse(current);
        if text.chars().any(char::is_alphanumeric) {
            out.push(text);
        }
        current.clear();
    };
    for line in page.lines() {
        let line = line.trim();
        if line.is_empty() {
            push(&mut current);
            continue;
        }
        let hyphenated = current.ends_with('-')
            && current[..current.len() - 1].chars().last().is_some_and(char::is_alphabetic)
            && line.chars().next().is_some_and(char::is_lowercase);
        if hyphenated {
            current.pop();
        } else if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(line);
    }
    push(&mut current);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_join_lines_and_hyphenation() {
        let page = "Informe de activi-\ndades 2026\n\n\nLogramos 40% más\nconciliaciones.\n\n  \n";
        assert_eq!(paragraphs(page), vec!["Informe de actividades 2026", "Logramos 40% más conciliaciones."]);
        assert_eq!(paragraphs("Sub-\nDirección"), vec!["Sub- Dirección"]);
        assert!(paragraphs("\n\n . \n").is_empty());
    }

    #[test]
    fn not_a_pdf_is_broken_and_a_big_one_is_not_opened() {
        assert!(matches!(read(b"%PDF-1.4 nothing else", &Limits::default()), Err(PdfError::Broken(_))));
        let small = Limits { max_bytes: 10, ..Limits::default() };
        assert_eq!(read(&[b'x'; 11], &small).unwrap_err(), PdfError::TooBig { bytes: 11, max: 10 });
        assert!(is_pdf(b"\n%PDF-1.7\n") && !is_pdf(b"<html>"));
    }
}
