//! Shared blocks: text that repeats across pages (menus, footers, banners, sidebars). Each is analysed once
//! and reported once, with the pages it appears on, instead of once per page.
//!
//! A block is shared when the same text (same element kind) appears on at least two pages and on at least
//! half of them, or, for blocks in the page chrome (`nav`, `header`, `footer`, `aside`), on at least a tenth
//! of them: a section's own sub-menu repeats on fewer pages than the site menu but is just as much chrome.

use super::extract::{Block, Element, Region};
use std::collections::HashMap;

/// The share of pages a block must appear on to be shared.
#[derive(Debug, Clone, Copy)]
pub struct Thresholds {
    pub main: f64,
    pub chrome: f64,
    pub min_pages: usize,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds { main: 0.5, chrome: 0.1, min_pages: 2 }
    }
}

/// The key of a block for repetition: its element kind and text. The title is never shared (a site's
/// suffix `| CEDH` makes titles differ anyway).
pub type Key = (Element, String);

pub fn key(block: &Block) -> Key {
    (block.element, block.text.clone())
}

/// Shared blocks of a set of pages: for each, the indexes of the pages it appears on (in order) and whether
/// it is in the chrome on any of them.
pub fn shared(pages: &[&[Block]], thresholds: Thresholds) -> HashMap<Key, Vec<usize>> {
    let mut seen: HashMap<Key, (Vec<usize>, bool)> = HashMap::new();
    for (i, blocks) in pages.iter().enumerate() {
        for b in blocks.iter().filter(|b| b.element != Element::Title) {
            let entry = seen.entry(key(b)).or_default();
            if entry.0.last() != Some(&i) {
                entry.0.push(i);
            }
            entry.1 |= b.region == Region::Chrome;
        }
    }
    let n = pages.len() as f64;
    let needed = |share: f64| ((n * share).ceil() as usize).max(thresholds.min_pages);
    let (main, chrome) = (needed(thresholds.main), needed(thresholds.chrome));
    seen.into_iter()
        .filter(|(_, (on, in_chrome))| on.len() >= if *in_chrome { chrome } else { main })
        .map(|(k, (on, _))| (k, on))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(element: Element, region: Region, text: &str) -> Block {
        Block { element, region, text: text.into() }
    }

    #[test]
    fn menus_and_footers_are_shared_page_text_is_not() {
        let menu = b(Element::Link, Region::Chrome, "Inicio");
        let footer = b(Element::Text, Region::Chrome, "© CEDH");
        let mut pages: Vec<Vec<Block>> = (0..20)
            .map(|i| {
                vec![
                    b(Element::Title, Region::Main, "CEDH"),
                    menu.clone(),
                    b(Element::Text, Region::Main, &format!("Noticia {i}")),
                    footer.clone(),
                ]
            })
            .collect();
        // A section sub-menu on 3 of 20 pages (chrome: shared), a sentence on 3 of 20 in the content (not).
        for p in pages.iter_mut().take(3) {
            p.push(b(Element::Link, Region::Chrome, "Quejas en línea"));
            p.push(b(Element::Text, Region::Main, "Horario de atención"));
        }
        let refs: Vec<&[Block]> = pages.iter().map(Vec::as_slice).collect();
        let shared = shared(&refs, Thresholds::default());
        let mut keys: Vec<&str> = shared.keys().map(|k| k.1.as_str()).collect();
        keys.sort();
        assert_eq!(keys, vec!["Inicio", "Quejas en línea", "© CEDH"]);
        assert_eq!(shared[&key(&menu)].len(), 20);
    }

    #[test]
    fn one_page_shares_nothing() {
        let pages = [vec![b(Element::Text, Region::Chrome, "menú")]];
        let refs: Vec<&[Block]> = pages.iter().map(Vec::as_slice).collect();
        assert!(shared(&refs, Thresholds::default()).is_empty());
    }
}
