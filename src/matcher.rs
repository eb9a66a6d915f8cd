//! One pass over the normalized text for every literal term of every rule (Aho-Corasick, overlapping), so
//! the cost grows with the text, not with the rule count. Hits land in numbered slots; a rule reads the slots
//! of its `match`, `near`, `unlessNear` and exceptions.
//!
//! The same pass finds where a `match` regex can begin: when every match of a regex starts with one of a few
//! known literals, those literals join the automaton and the regex is tried, anchored, only where one of them
//! occurs (a general regex search costs about as much per byte as the whole term pass). A regex without such
//! literals is searched on its own. The slot of a `near` or `unlessNear` regex is searched only when a rule
//! first reads it, so it never runs on a text where its rule matched nothing.

mod walk;

use crate::lanes;
use crate::normalize::{char_at, Normalized};
use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::contiguous::{self, NFA};
use aho_corasick::MatchKind;
use regex::{Regex, RegexBuilder};
use regex_automata::{meta, Anchored, Input};
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use std::cell::OnceCell;
use std::collections::HashMap;

pub type Slot = usize;
pub type Span = (usize, usize);

/// Regex compile limits: a pack can never make the engine use unbounded memory (and the `regex` crate
/// guarantees linear time, so no pattern can hang a browser).
pub(crate) const REGEX_SIZE_LIMIT: usize = 2 << 20;

pub fn build_regex(pattern: &str) -> Result<Regex, String> {
    RegexBuilder::new(&ascii_word_boundaries(pattern))
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| format!("invalid regex «{pattern}»: {e}"))
}

/// `\b` and `\B` as ASCII word boundaries. The normalized text has no accents, so they mean the same there,
/// and unlike Unicode boundaries they let the regex engine use its fast DFA (about 10× faster per rule).
pub(crate) fn ascii_word_boundaries(pattern: &str) -> String {
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

/// A literal is worth a place in the automaton as a regex's first bytes only if it is this long: shorter
/// ones (`a`, `de`) occur nearly everywhere, and the regex's own search is then cheaper.
const MIN_TRIGGER_LEN: usize = 3;

/// What an occurrence of one automaton pattern stands for.
#[derive(Default)]
struct Targets {
    /// Slots of the terms equal to the pattern: a hit when it is a whole word.
    words: Vec<Slot>,
    /// Slots of the prefix terms (`pendej*`) equal to the pattern: a hit, the whole word, when it starts one.
    prefixes: Vec<Slot>,
    /// Triggered regexes (indexes into [`Scanner::triggered`]) whose matches may start where it occurs.
    regexes: Vec<usize>,
}

#[derive(Default)]
pub struct ScannerBuilder {
    patterns: HashMap<Vec<u8>, Targets>,
    regexes: Vec<(String, Slot)>,
    /// Per slot: whether its regexes are searched only when the slot is read.
    lazy: Vec<bool>,
}

impl ScannerBuilder {
    pub fn new_slot(&mut self) -> Slot {
        self.lazy.push(false);
        self.lazy.len() - 1
    }

    /// A slot for regexes that are searched only when a rule reads the slot (those of `near` and
    /// `unlessNear`, which matter only where the rule matched).
    pub fn new_lazy_slot(&mut self) -> Slot {
        self.lazy.push(true);
        self.lazy.len() - 1
    }

    pub fn add_term(&mut self, slot: Slot, term: &str) {
        let (text, prefix) = term_key(term);
        if text.is_empty() {
            return;
        }
        let targets = self.patterns.entry(text.into_bytes()).or_default();
        let slots = if prefix { &mut targets.prefixes } else { &mut targets.words };
        if !slots.contains(&slot) {
            slots.push(slot);
        }
    }

    pub fn add_regex(&mut self, slot: Slot, pattern: &str) {
        self.regexes.push((pattern.to_string(), slot));
    }

    /// Builds the scanner; regexes were validated with [`build_regex`] when the pack was read.
    pub fn build(mut self) -> Result<Scanner, String> {
        let mut searched = Vec::new();
        let mut triggered = Vec::new();
        let mut lazy_regexes: Vec<Vec<Regex>> = vec![Vec::new(); self.lazy.len()];
        for (pattern, slot) in std::mem::take(&mut self.regexes) {
            if self.lazy[slot] {
                lazy_regexes[slot].push(build_regex(&pattern)?);
            } else if let Some(literals) = first_literals(&pattern) {
                for literal in literals {
                    self.patterns.entry(literal).or_default().regexes.push(triggered.len());
                }
                triggered.push((build_anchored_regex(&pattern)?, slot));
            } else {
                searched.push((build_regex(&pattern)?, slot));
            }
        }
        let mut patterns: Vec<(Vec<u8>, Targets)> = self.patterns.into_iter().collect();
        patterns.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let terms = contiguous::Builder::new()
            .match_kind(MatchKind::Standard)
            // Every letter starts some term, so a prefilter would never skip anything.
            .prefilter(false)
            // Dense transitions for the first four bytes of every term (default: two), where the walk spends
            // most of its steps: 2 % fewer instructions per text for 4 % more compile time.
            .dense_depth(4)
            .build(patterns.iter().map(|(bytes, _)| bytes))
            .map_err(|e| format!("could not build the term matcher: {e}"))?;
        let targets = patterns.into_iter().map(|(_, targets)| targets).collect();
        Ok(Scanner { terms, targets, triggered, searched, lazy_regexes })
    }
}

/// The literals every match of `pattern` starts with, when they are few and long enough to be worth
/// looking for (see [`MIN_TRIGGER_LEN`]); `None` otherwise, e.g. for a pattern starting with `\d` or `\w`.
fn first_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::Parser::new().parse(&ascii_word_boundaries(pattern)).ok()?;
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    let literals = seq.literals()?;
    if literals.is_empty() || literals.iter().any(|l| l.as_bytes().len() < MIN_TRIGGER_LEN) {
        return None;
    }
    Some(literals.iter().map(|l| l.as_bytes().to_vec()).collect())
}

/// The same regex as [`build_regex`], for anchored searches at a given position.
fn build_anchored_regex(pattern: &str) -> Result<meta::Regex, String> {
    meta::Regex::builder()
        .configure(meta::Config::new().nfa_size_limit(Some(REGEX_SIZE_LIMIT)))
        .build(&ascii_word_boundaries(pattern))
        .map_err(|e| format!("invalid regex «{pattern}»: {e}"))
}

pub struct Scanner {
    terms: NFA,
    /// Per automaton pattern: what its occurrences stand for.
    targets: Vec<Targets>,
    /// Regexes tried, anchored, where the automaton found one of their first literals.
    triggered: Vec<(meta::Regex, Slot)>,
    /// The other regexes of a `match`, searched on every scan.
    searched: Vec<(Regex, Slot)>,
    /// Per slot (one entry for every slot): the regexes searched when the slot is first read, empty for the
    /// other slots.
    lazy_regexes: Vec<Vec<Regex>>,
}

impl Scanner {
    /// Every hit of every slot, each slot's spans sorted by start; a lazy slot's when first read.
    pub fn scan<'a>(&'a self, text: &'a str) -> Hits<'a> {
        // All hits in one vector, tagged with their slot, rather than a vector per slot: a rule pack has
        // dozens of slots and most are empty for any given text.
        let mut hits: Vec<(Slot, Span)> = Vec::new();
        // Where a triggered regex may start: (regex, byte).
        let mut starts: Vec<(usize, usize)> = Vec::new();
        for (pattern, end) in walk::overlapping(&self.terms, text.as_bytes()) {
            let targets = &self.targets[pattern.as_usize()];
            let start = end - self.terms.pattern_len(pattern);
            starts.extend(targets.regexes.iter().map(|&r| (r, start)));
            if targets.words.is_empty() && targets.prefixes.is_empty() || !starts_word(text, start) {
                continue;
            }
            if ends_word(text, end) {
                hits.extend(targets.words.iter().map(|&slot| (slot, (start, end))));
            }
            // A prefix term flags the whole word it starts: `pendej*` flags «pendejos».
            if !targets.prefixes.is_empty() {
                let word_end = word_end(text, end);
                hits.extend(targets.prefixes.iter().map(|&slot| (slot, (start, word_end))));
            }
        }
        self.search_triggered(text, starts, &mut hits);
        for (re, slot) in &self.searched {
            hits.extend(re.find_iter(text).filter(|m| !m.is_empty()).map(|m| (*slot, (m.start(), m.end()))));
        }
        let slots = self.lazy_regexes.len();
        let (spans, bounds, longest) = group_by_slot(hits, slots);
        let searched = vec![OnceCell::new(); slots];
        Hits { spans, bounds, longest, text, lazy_regexes: &self.lazy_regexes, searched }
    }

    /// The matches of the triggered regexes, exactly those a search of the whole text would find: every
    /// match starts at one of the positions found, so the leftmost anchored match at or after the end of the
    /// previous match is the next match.
    fn search_triggered(&self, text: &str, mut starts: Vec<(usize, usize)>, hits: &mut Vec<(Slot, Span)>) {
        starts.sort_unstable();
        starts.dedup();
        let mut resume = (usize::MAX, 0);
        for (r, at) in starts {
            if resume.0 == r && at < resume.1 {
                continue;
            }
            let (re, slot) = &self.triggered[r];
            let input = Input::new(text).range(at..).anchored(Anchored::Yes);
            if let Some(m) = re.search(&input).filter(|m| !m.is_empty()) {
                hits.push((*slot, (m.start(), m.end())));
                resume = (r, m.end());
            }
        }
    }
}

/// Groups hits by slot with a counting sort, which keeps each slot's hits in the order they were found
/// (nearly sorted already, so sorting each slot is cheap, unlike sorting all hits together). Returns the
/// spans sorted by slot, then span, without duplicates; where each slot's spans start (one more entry than
/// slots, for the end of the last); and each slot's longest span.
fn group_by_slot(hits: Vec<(Slot, Span)>, slots: usize) -> (Vec<Span>, Vec<usize>, Vec<usize>) {
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
    (spans, bounds, longest)
}

/// The scanner's hits per slot, sorted by start, with the longest hit of each slot so that the hits near a
/// position are found by binary search instead of a scan (long texts would otherwise cost quadratic time).
pub struct Hits<'a> {
    /// Every hit but the lazy slots', sorted by slot, then span, without duplicates.
    spans: Vec<Span>,
    /// Per slot: where its hits start in `spans` (one more entry than slots, for the end of the last).
    bounds: Vec<usize>,
    longest: Vec<usize>,
    text: &'a str,
    lazy_regexes: &'a [Vec<Regex>],
    /// Per lazy slot, once read: its hits, sorted and without duplicates, and the longest.
    searched: Vec<OnceCell<(Vec<Span>, usize)>>,
}

impl Hits<'_> {
    /// The hits of `slot` and the length of its longest.
    fn slot(&self, slot: Slot) -> (&[Span], usize) {
        if self.lazy_regexes[slot].is_empty() {
            return (&self.spans[self.bounds[slot]..self.bounds[slot + 1]], self.longest[slot]);
        }
        let (spans, longest) = self.searched[slot].get_or_init(|| {
            let mut spans: Vec<Span> = self.lazy_regexes[slot]
                .iter()
                .flat_map(|re| re.find_iter(self.text).filter(|m| !m.is_empty()).map(|m| (m.start(), m.end())))
                .collect();
            spans.sort_unstable();
            spans.dedup();
            let longest = spans.iter().map(|(s, e)| e - s).max().unwrap_or(0);
            (spans, longest)
        });
        (spans, *longest)
    }

    pub fn all(&self, slot: Slot) -> &[Span] {
        self.slot(slot).0
    }

    /// The hits of `slot` that may touch the byte range `[from, to)`: those starting before `to` and not
    /// ending before `from`.
    pub fn around(&self, slot: Slot, from: usize, to: usize) -> impl Iterator<Item = Span> + '_ {
        let (spans, longest) = self.slot(slot);
        let first = spans.partition_point(|&(s, _)| s + longest < from);
        Sweep { spans, longest, first }.around(from, to)
    }
}

/// The hits of one slot around ranges whose starts never go back, as those of a rule's sorted matches: where
/// the hits of interest begin is carried from one range to the next, where [`Hits::around`] searches for it.
pub struct Sweep<'h> {
    spans: &'h [Span],
    longest: usize,
    /// Every hit before it ends before the last range started.
    first: usize,
}

impl<'h> Sweep<'h> {
    pub fn new(hits: &'h Hits<'_>, slot: Slot) -> Sweep<'h> {
        let (spans, longest) = hits.slot(slot);
        Sweep { spans, longest, first: 0 }
    }

    /// The hits that may touch `[from, to)` (see [`Hits::around`]); `from` at least the last call's.
    pub fn around(&mut self, from: usize, to: usize) -> impl Iterator<Item = Span> + 'h {
        while self.spans.get(self.first).is_some_and(|&(s, _)| s + self.longest < from) {
            self.first += 1;
        }
        let to = to.max(from + 1);
        self.spans[self.first..].iter().copied().take_while(move |&(s, _)| s < to).filter(move |&(_, e)| e >= from)
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

/// One byte of the text for [`Words::new`]: a character is decoded only where the text is not ASCII, and
/// the bytes that continue a character are skipped.
fn read_word_byte(text: &str, i: usize, in_word: &mut bool, starts: &mut Vec<usize>) {
    let b = text.as_bytes()[i];
    let w = match b {
        0..=0x7F => b.is_ascii_alphanumeric(),
        0x80..=0xBF => return,
        _ => is_word_char(char_at(text, i)),
    };
    if w && !*in_word {
        starts.push(i);
    }
    *in_word = w;
}

/// Word positions of the normalized text, for "within N words".
pub struct Words {
    starts: Vec<usize>,
    /// Per eight bytes of text: how many words start before them, so that finding the word at a byte looks at
    /// no more than four starts instead of searching them all.
    starts_before_chunk: Vec<usize>,
}

impl Words {
    pub fn new(text: &str) -> Words {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 4);
        let mut starts_before_chunk = Vec::with_capacity(bytes.len() / 8 + 1);
        let mut in_word = false;
        // Eight bytes at a time while they are ASCII, the bulk of any text: a branch per byte costs more than
        // the whole classification, since spaces come too irregularly for the branch predictor.
        let mut at = 0;
        while at + 8 <= bytes.len() {
            starts_before_chunk.push(starts.len());
            match lanes::ascii_chunk(bytes, at) {
                Some(chunk) => {
                    let words = lanes::alphanumeric(chunk);
                    let first_letters = words & !((words << 8) | (u64::from(in_word) << 7));
                    starts.extend(lanes::offsets(first_letters).map(|k| at + k));
                    in_word = words >> 63 != 0;
                }
                None => {
                    for i in at..at + 8 {
                        read_word_byte(text, i, &mut in_word, &mut starts);
                    }
                }
            }
            at += 8;
        }
        starts_before_chunk.push(starts.len());
        for i in at..bytes.len() {
            read_word_byte(text, i, &mut in_word, &mut starts);
        }
        Words { starts, starts_before_chunk }
    }

    /// Index of the word containing (or preceding) byte `at`.
    fn index(&self, at: usize) -> usize {
        let chunk = (at / 8).min(self.starts_before_chunk.len() - 1);
        let first = self.starts_before_chunk[chunk];
        let later = self.starts[first..].iter().take_while(|&&s| s <= at).count();
        (first + later).saturating_sub(1)
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
        let scanner = b.build().unwrap();
        let hits = scanner.scan("subimos 40% y 12 %");
        assert_eq!(hits.all(s), [(8, 11), (14, 18)]);
    }

    #[test]
    fn regexes_with_first_literals_are_tried_where_those_occur() {
        let pattern = r"\b(?:sala|salon|auto)(?: [^ ]+){0,3} de la (?:comision|oficina)\b";
        assert!(first_literals(pattern).is_some());
        assert!(first_literals(r"\b\d+ ?%").is_none(), "a digit class is too wide");
        assert!(first_literals(r"\b(?:a|de)[a-z]+").is_none(), "«a» and «de» are too short");
        let mut b = ScannerBuilder::default();
        let s = b.new_slot();
        b.add_regex(s, pattern);
        let scanner = b.build().unwrap();
        assert_eq!(scanner.triggered.len(), 1);
        let whole = build_regex(pattern).unwrap();
        for text in [
            "la sala salon de la comision",
            "el auto de la oficina y la sala de la comision",
            "salas de la comision; mi sala es de la comision",
            "sala auto sala de la comisionado",
            "nada aqui",
        ] {
            let expected: Vec<Span> = whole.find_iter(text).map(|m| (m.start(), m.end())).collect();
            assert_eq!(scanner.scan(text).all(s), expected, "{text}");
        }
    }

    #[test]
    fn lazy_regex_slots_are_searched_when_read() {
        let mut b = ScannerBuilder::default();
        let (eager, lazy) = (b.new_slot(), b.new_lazy_slot());
        b.add_regex(eager, r"\d+ ?%");
        b.add_regex(lazy, r"\bsub[a-z]+");
        b.add_regex(lazy, r"\b[a-z]+mos\b");
        let scanner = b.build().unwrap();
        let hits = scanner.scan("subimos 40% y 12 %");
        assert!(hits.searched[lazy].get().is_none());
        assert_eq!(hits.around(lazy, 0, 3).collect::<Vec<_>>(), [(0, 7)]);
        assert_eq!(hits.all(lazy), [(0, 7)], "two regexes, one span");
        assert_eq!(hits.all(eager), [(8, 11), (14, 18)]);
    }

    proptest::proptest! {
        #[test]
        fn word_starts_are_those_of_a_character_by_character_reading(text in "[a-zA-Z0-9 .,#@\\-_ñé¿😀\u{301}\u{200B}]{0,40}") {
            let mut expected = Vec::new();
            let mut in_word = false;
            for (i, c) in text.char_indices() {
                let w = c.is_alphanumeric();
                if w && !in_word {
                    expected.push(i);
                }
                in_word = w;
            }
            let words = Words::new(&text);
            for at in 0..text.len() {
                let index = expected.partition_point(|&s| s <= at).saturating_sub(1);
                proptest::prop_assert_eq!(words.index(at), index, "byte {}", at);
            }
            proptest::prop_assert_eq!(words.starts, expected);
        }
    }

    #[test]
    fn a_sweep_finds_what_around_finds() {
        let mut b = ScannerBuilder::default();
        let s = b.new_slot();
        for term in ["a", "b c", "c d e f", "e"] {
            b.add_term(s, term);
        }
        let scanner = b.build().unwrap();
        let hits = scanner.scan("a b c d e f a x e b c");
        let mut sweep = Sweep::new(&hits, s);
        for (from, to) in [(0, 1), (0, 3), (2, 2), (5, 9), (9, 10), (12, 21), (20, 40)] {
            let swept: Vec<Span> = sweep.around(from, to).collect();
            assert_eq!(swept, hits.around(s, from, to).collect::<Vec<_>>(), "[{from}, {to})");
        }
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
