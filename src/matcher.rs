//! One pass over the normalized text for every literal term of every rule (Aho-Corasick, overlapping) and
//! a regex-set prefilter for the rules' regexes, so the cost grows with the text, not with the rule count.
//! Hits land in numbered slots; a rule reads the slots of its `match`, `near`, `unlessNear` and exceptions.

use crate::normalize::{char_at, Normalized};
use aho_corasick::{AhoCorasick, MatchKind};
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use std::collections::HashMap;

pub type Slot = usize;
pub type Span = (usize, usize);

/// Regex compile limits: a pack can never make the engine use unbounded memory (and the `regex` crate
/// guarantees linear time, so no pattern can hang a browser).
const REGEX_SIZE_LIMIT: usize = 2 << 20;

pub fn build_regex(pattern: &str) -> Result<Regex, String> {
    RegexBuilder::new(&ascii_word_boundaries(pattern))
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| format!("invalid regex «{pattern}»: {e}"))
}

/// `\b` and `\B` as ASCII word boundaries. The normalized text has no accents, so they mean the same there,
/// and unlike Unicode boundaries they let the regex engine use its fast DFA (about 10× faster per rule).
fn ascii_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str("(?-u:\\b)"),
            Some('B') => out.push_str("(?-u:\\B)"),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// A term as it is matched: normalized like the text, and whether a trailing `*` makes it a prefix.
pub fn term_key(term: &str) -> (String, bool) {
    let trimmed = term.trim();
    let (body, prefix) = match trimmed.strip_suffix('*') {
        Some(body) => (body, true),
        None => (trimmed, false),
    };
    (Normalized::new(body).text, prefix)
}

#[derive(Default)]
pub struct ScannerBuilder {
    terms: HashMap<(String, bool), Vec<Slot>>,
    regexes: Vec<(String, Slot)>,
    slots: usize,
}

impl ScannerBuilder {
    pub fn new_slot(&mut self) -> Slot {
        self.slots += 1;
        self.slots - 1
    }

    pub fn add_term(&mut self, slot: Slot, term: &str) {
        let key = term_key(term);
        if key.0.is_empty() {
            return;
        }
        let slots = self.terms.entry(key).or_default();
        if !slots.contains(&slot) {
            slots.push(slot);
        }
    }

    pub fn add_regex(&mut self, slot: Slot, pattern: &str) {
        self.regexes.push((pattern.to_string(), slot));
    }

    /// Builds the scanner; regexes were validated with [`build_regex`] when the pack was read.
    pub fn build(self) -> Result<Scanner, String> {
        let mut keys: Vec<((String, bool), Vec<Slot>)> = self.terms.into_iter().collect();
        keys.sort();
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(keys.iter().map(|((t, _), _)| t.as_str()))
            .map_err(|e| format!("could not build the term matcher: {e}"))?;
        let regex_set = RegexSetBuilder::new(self.regexes.iter().map(|(p, _)| ascii_word_boundaries(p)))
            .size_limit(REGEX_SIZE_LIMIT * 8)
            .build()
            .map_err(|e| format!("could not build the regex set: {e}"))?;
        let regexes =
            self.regexes.iter().map(|(p, slot)| build_regex(p).map(|re| (re, *slot))).collect::<Result<Vec<_>, _>>()?;
        let terms = keys.into_iter().map(|((_, prefix), slots)| (prefix, slots)).collect();
        Ok(Scanner { ac, terms, regex_set, regexes, slots: self.slots })
    }
}

pub struct Scanner {
    ac: AhoCorasick,
    /// Per Aho-Corasick pattern: whether it is a prefix term, and the slots it feeds.
    terms: Vec<(bool, Vec<Slot>)>,
    regex_set: RegexSet,
    regexes: Vec<(Regex, Slot)>,
    slots: usize,
}

impl Scanner {
    /// Every hit of every slot, each slot's spans sorted by start.
    pub fn scan(&self, text: &str) -> Hits {
        // All hits in one vector, tagged with their slot, rather than a vector per slot: a rule pack has
        // dozens of slots and most are empty for any given text.
        let mut hits: Vec<(Slot, Span)> = Vec::new();
        for m in self.ac.find_overlapping_iter(text) {
            let (prefix, slots) = &self.terms[m.pattern().as_usize()];
            if !starts_word(text, m.start()) || (!prefix && !ends_word(text, m.end())) {
                continue;
            }
            // A prefix term flags the whole word it starts: `pendej*` flags «pendejos».
            let end = if *prefix { word_end(text, m.end()) } else { m.end() };
            hits.extend(slots.iter().map(|&slot| (slot, (m.start(), end))));
        }
        if !self.regexes.is_empty() {
            for i in self.regex_set.matches(text).iter() {
                let (re, slot) = &self.regexes[i];
                hits.extend(re.find_iter(text).filter(|m| !m.is_empty()).map(|m| (*slot, (m.start(), m.end()))));
            }
        }
        Hits::new(hits, self.slots)
    }
}

/// The scanner's hits per slot, sorted by start, with the longest hit of each slot so that the hits near a
/// position are found by binary search instead of a scan (long texts would otherwise cost quadratic time).
pub struct Hits {
    /// Every hit, sorted by slot, then span, without duplicates.
    spans: Vec<Span>,
    /// Per slot: where its hits start in `spans` (one more entry than slots, for the end of the last).
    bounds: Vec<usize>,
    longest: Vec<usize>,
}

impl Hits {
    /// Groups the hits by slot with a counting sort, which keeps each slot's hits in the order they were
    /// found (nearly sorted already, so sorting each slot is cheap, unlike sorting all hits together).
    fn new(hits: Vec<(Slot, Span)>, slots: usize) -> Hits {
        let mut bounds = vec![0; slots + 1];
        for &(slot, _) in &hits {
            bounds[slot + 1] += 1;
        }
        for slot in 0..slots {
            bounds[slot + 1] += bounds[slot];
        }
        let mut next = bounds.clone();
        let mut spans = vec![(0, 0); hits.len()];
        for (slot, span) in hits {
            spans[next[slot]] = span;
            next[slot] += 1;
        }
        let mut longest = vec![0; slots];
        // Sort and dedup each slot, compacting the spans towards the front as duplicates drop out.
        let mut kept = 0;
        for slot in 0..slots {
            let (from, to) = (bounds[slot], bounds[slot + 1]);
            spans[from..to].sort_unstable();
            bounds[slot] = kept;
            for k in from..to {
                if k == from || spans[k] != spans[k - 1] {
                    longest[slot] = longest[slot].max(spans[k].1 - spans[k].0);
                    spans[kept] = spans[k];
                    kept += 1;
                }
            }
        }
        bounds[slots] = kept;
        spans.truncate(kept);
        Hits { spans, bounds, longest }
    }

    pub fn all(&self, slot: Slot) -> &[Span] {
        &self.spans[self.bounds[slot]..self.bounds[slot + 1]]
    }

    /// The hits of `slot` that may touch the byte range `[from, to)`: those starting before `to` and not
    /// ending before `from`.
    pub fn around(&self, slot: Slot, from: usize, to: usize) -> impl Iterator<Item = Span> + '_ {
        let spans = self.all(slot);
        let lo = spans.partition_point(|&(s, _)| s + self.longest[slot] < from);
        let hi = spans.partition_point(|&(s, _)| s < to.max(from + 1));
        spans[lo..hi.max(lo)].iter().copied().filter(move |&(_, e)| e >= from)
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// A term starting with a letter or digit must not continue a word; one starting with `#` or `@` may.
fn starts_word(text: &str, at: usize) -> bool {
    let first = text[at..].chars().next();
    let before = text[..at].chars().next_back();
    !(first.is_some_and(is_word_char) && before.is_some_and(is_word_char))
}

fn word_end(text: &str, from: usize) -> usize {
    text[from..].char_indices().find(|&(_, c)| !is_word_char(c)).map_or(text.len(), |(i, _)| from + i)
}

fn ends_word(text: &str, at: usize) -> bool {
    let last = text[..at].chars().next_back();
    let after = text[at..].chars().next();
    !(last.is_some_and(is_word_char) && after.is_some_and(is_word_char))
}

/// Word positions of the normalized text, for "within N words".
pub struct Words {
    starts: Vec<usize>,
}

impl Words {
    pub fn new(text: &str) -> Words {
        let bytes = text.as_bytes();
        let mut starts = Vec::new();
        let mut in_word = false;
        for (i, &b) in bytes.iter().enumerate() {
            // Decoding characters only where the text is not ASCII, which is rarely.
            let w = match b {
                0..=0x7F => b.is_ascii_alphanumeric(),
                0x80..=0xBF => continue,
                _ => is_word_char(char_at(text, i)),
            };
            if w && !in_word {
                starts.push(i);
            }
            in_word = w;
        }
        Words { starts }
    }

    /// Index of the word containing (or preceding) byte `at`.
    fn index(&self, at: usize) -> usize {
        self.starts.partition_point(|&s| s <= at).saturating_sub(1)
    }

    /// The byte range that holds every position at most `within` words away from `span`.
    pub fn byte_window(&self, span: Span, within: usize) -> (usize, usize) {
        let first = self.index(span.0).saturating_sub(within);
        let last = self.index(span.1.saturating_sub(1)) + within + 1;
        let from = self.starts.get(first).copied().unwrap_or(0);
        let to = self.starts.get(last).copied().unwrap_or(usize::MAX);
        (from, to)
    }

    /// How many words apart two spans are: 0 when they touch or overlap, 1 for neighbours.
    pub fn distance(&self, a: Span, b: Span) -> usize {
        if a.0 < b.1 && b.0 < a.1 {
            return 0;
        }
        let (first, second) = if a.0 <= b.0 { (a, b) } else { (b, a) };
        self.index(second.0).saturating_sub(self.index(first.1.saturating_sub(1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_match_whole_words_and_prefixes() {
        let mut b = ScannerBuilder::default();
        let (s0, s1) = (b.new_slot(), b.new_slot());
        b.add_term(s0, "Partido");
        b.add_term(s1, "pendej*");
        let scanner = b.build().unwrap();
        let hits = scanner.scan("el partido y los partidos, pendejadas");
        assert_eq!(hits.all(s0), [(3, 10)]);
        assert_eq!(hits.all(s1), [(27, 37)]);
    }

    #[test]
    fn regexes_feed_their_slot() {
        let mut b = ScannerBuilder::default();
        let s = b.new_slot();
        b.add_regex(s, r"\d+ ?%");
        let hits = b.build().unwrap().scan("subimos 40% y 12 %");
        assert_eq!(hits.all(s), [(8, 11), (14, 18)]);
    }

    #[test]
    fn word_distance() {
        let w = Words::new("vota por la morena hoy");
        assert_eq!(w.distance((0, 4), (12, 18)), 3);
        assert_eq!(w.distance((12, 18), (0, 4)), 3);
        assert_eq!(w.distance((0, 4), (5, 8)), 1);
        assert_eq!(w.distance((0, 8), (5, 8)), 0);
    }
}
