//! Running the engine over a page's blocks, one block at a time, so every finding comes with the words
//! around it (about 60 characters each side, cut at word boundaries) that let a person find it on the page.

use super::extract::Block;
use super::report::AuditFinding;
use crate::{Context, Engine};

/// Characters of context kept on each side of an excerpt.
pub const CONTEXT_CHARS: usize = 60;

/// The engine's findings in one block, with their context. Two rules of the same category flagging the
/// same words (the default pack and an admin pack, say) make one finding: the most severe, the first rule.
pub fn block_findings(engine: &Engine, block: &Block, context: &Context) -> Vec<AuditFinding> {
    let mut findings = engine.analyze(&block.text, context);
    let mut kept: Vec<crate::Finding> = Vec::with_capacity(findings.len());
    for f in findings.drain(..) {
        match kept.iter_mut().find(|k| k.category == f.category && k.start == f.start && k.end == f.end) {
            Some(k) if f.severity > k.severity => *k = f,
            Some(_) => {}
            None => kept.push(f),
        }
    }
    kept.into_iter()
        .map(|f| {
            let start = byte_of(&block.text, f.start);
            let end = byte_of(&block.text, f.end).max(start);
            let (before, after) = around(&block.text, start, end);
            AuditFinding {
                rule: f.rule,
                category: f.category,
                category_label: f.category.label(),
                severity: f.severity,
                element: block.element,
                region: block.region,
                excerpt: f.excerpt,
                before,
                after,
                start: f.start,
                end: f.end,
                message: f.message,
                guideline: f.guideline,
                suggestion: f.suggestion,
                pdf_page: None,
            }
        })
        .collect()
}

/// The byte offset of a UTF-16 offset (clamped to the text).
fn byte_of(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// Up to [`CONTEXT_CHARS`] characters before `start` and after `end`, cut at a space when cut at all and
/// marked with `…`.
pub fn around(text: &str, start: usize, end: usize) -> (String, String) {
    let before = &text[..start];
    let after = &text[end..];
    let before = if before.chars().count() > CONTEXT_CHARS {
        let cut: String = before.chars().rev().take(CONTEXT_CHARS).collect::<Vec<_>>().into_iter().rev().collect();
        let cut = match cut.find(' ') {
            Some(i) if i + 1 < cut.len() => &cut[i + 1..],
            _ => &cut[..],
        };
        format!("…{cut}")
    } else {
        before.to_string()
    };
    let after = if after.chars().count() > CONTEXT_CHARS {
        let cut: String = after.chars().take(CONTEXT_CHARS).collect();
        let cut = match cut.rfind(' ') {
            Some(i) if i > 0 => &cut[..i],
            _ => &cut[..],
        };
        format!("{cut}…")
    } else {
        after.to_string()
    };
    (before, after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_is_cut_at_words() {
        let text = format!("{} vota por Morena {}", "palabra ".repeat(20), "otra ".repeat(20));
        let start = text.find("vota").unwrap();
        let end = start + "vota por Morena".len();
        let (b, a) = around(&text, start, end);
        assert!(b.starts_with("…palabra"), "{b}");
        assert!(b.chars().count() <= CONTEXT_CHARS + 1);
        assert!(a.starts_with(" otra") && a.ends_with("otra…"), "{a}");
        assert_eq!(around("a vota b", 2, 6), ("a ".into(), " b".into()));
    }

    #[test]
    fn utf16_offsets() {
        let t = "🧡 ñ vota";
        assert_eq!(byte_of(t, 0), 0);
        assert_eq!(byte_of(t, 3), "🧡 ".len());
        assert_eq!(&t[byte_of(t, 5)..], "vota");
        assert_eq!(byte_of(t, 99), t.len());
    }
}
