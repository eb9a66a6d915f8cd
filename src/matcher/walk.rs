//! The term automaton's walk over a text, several parts of the text at once.
//!
//! One walk is a chain of dependent loads: each state is found from the one before it, so the processor
//! waits on memory at every byte (most of the term pass's time, by perf sampling). Walking a few distant
//! parts of the text side by side gives it independent chains to overlap. Each part starts early by the
//! length of the longest pattern, enough for its state to be the one a single walk would be in (a state is
//! the longest text suffix that starts a pattern), and reports only the matches that end inside the part, so
//! the matches are exactly those of one walk, in the same order.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::{Anchored, PatternID};

/// Parts walked side by side.
const PARTS: usize = 4;

/// Texts shorter than this are walked in one part: splitting a post buys nothing.
const MIN_SPLIT: usize = 1024;

/// Occurrences of patterns: (pattern, end).
type Found = Vec<(PatternID, usize)>;

/// Every occurrence of every pattern, overlapping ones included, as (pattern, end), in the order of a single
/// walk: by end, then as the automaton lists the patterns of a state. (Order matters for speed only: the
/// hits are grouped and sorted per slot afterwards, which is cheap on hits that come nearly sorted.)
pub fn overlapping(nfa: &NFA, haystack: &[u8]) -> Found {
    walk_in_parts::<PARTS>(nfa, haystack, MIN_SPLIT)
}

fn walk_in_parts<const N: usize>(nfa: &NFA, haystack: &[u8], min_split: usize) -> Found {
    let start = nfa.start_state(Anchored::No).expect("the term automaton supports unanchored searches");
    if haystack.len() < min_split.max(N) {
        let mut found = Vec::new();
        walk(nfa, haystack, (start, 0), 0, haystack.len(), &mut found);
        return found;
    }
    let part = haystack.len().div_ceil(N);
    let warm_up = nfa.max_pattern_len();
    // Per part: where its reports start (matches that end after this byte), where its walk starts and ends.
    let from: [usize; N] = std::array::from_fn(|k| k * part);
    let begin: [usize; N] = std::array::from_fn(|k| from[k].saturating_sub(warm_up));
    let end: [usize; N] = std::array::from_fn(|k| ((k + 1) * part).min(haystack.len()));
    let side_by_side = (0..N).map(|k| end[k].saturating_sub(begin[k])).min().unwrap_or(0);
    let mut state = [start; N];
    let mut found: [Found; N] = std::array::from_fn(|_| Vec::new());
    for step in 0..side_by_side {
        for k in 0..N {
            let at = begin[k] + step;
            state[k] = nfa.next_state(Anchored::No, state[k], haystack[at]);
            if nfa.is_special(state[k]) && at >= from[k] {
                report_matches(nfa, state[k], at + 1, &mut found[k]);
            }
        }
    }
    for k in 0..N {
        walk(nfa, haystack, (state[k], begin[k] + side_by_side), from[k], end[k], &mut found[k]);
    }
    found.concat()
}

/// Walks on from `state` at byte `at` to `end`, reporting the matches that end after byte `from`.
fn walk(nfa: &NFA, haystack: &[u8], (mut state, mut at): (StateID, usize), from: usize, end: usize, found: &mut Found) {
    while at < end {
        state = nfa.next_state(Anchored::No, state, haystack[at]);
        at += 1;
        if nfa.is_special(state) && at > from {
            report_matches(nfa, state, at, found);
        }
    }
}

fn report_matches(nfa: &NFA, state: StateID, end: usize, found: &mut Found) {
    if nfa.is_match(state) {
        found.extend((0..nfa.match_len(state)).map(|i| (nfa.match_pattern(state, i), end)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::nfa::contiguous;
    use aho_corasick::{AhoCorasick, MatchKind};

    /// What the crate's own overlapping search finds, and what the walk in `parts` parts finds.
    fn both(patterns: &[&str], text: &str, parts: usize) -> (Found, Found) {
        let reference = AhoCorasick::builder().match_kind(MatchKind::Standard).build(patterns).unwrap();
        let expected = reference.find_overlapping_iter(text).map(|m| (m.pattern(), m.end())).collect();
        let nfa = contiguous::Builder::new().match_kind(MatchKind::Standard).prefilter(false).build(patterns).unwrap();
        let found = match parts {
            1 => walk_in_parts::<1>(&nfa, text.as_bytes(), 0),
            3 => walk_in_parts::<3>(&nfa, text.as_bytes(), 0),
            _ => walk_in_parts::<4>(&nfa, text.as_bytes(), 0),
        };
        (expected, found)
    }

    #[test]
    fn a_match_across_a_part_boundary_is_found_once() {
        for parts in [1, 3, 4] {
            let (expected, found) = both(&["abcab", "cab", "b"], "abcabcabcab", parts);
            assert_eq!(found, expected, "{parts} parts");
        }
    }

    proptest::proptest! {
        #[test]
        fn parts_find_what_one_search_finds_in_its_order(
            patterns in proptest::collection::vec("[ab ]{1,6}", 1..12),
            text in "[abc ]{0,300}",
            parts in proptest::sample::select(vec![1usize, 3, 4]),
        ) {
            let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
            let (expected, found) = both(&patterns, &text, parts);
            proptest::prop_assert_eq!(found, expected);
        }
    }
}
