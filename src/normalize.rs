//! The matching view of a text. Rules match a normalized copy that sees through case, accents, Unicode
//! compatibility forms (fullwidth letters), look-alike letters from other scripts, zero-width characters and
//! soft hyphens, common leetspeak (`M0R3NA`), letters spaced out (`v o t a`) and camel-cased hashtags
//! (`#YoConMorena` → `#yo con morena`). Every byte of the copy remembers which original characters it came
//! from, so a match maps back to the exact span of the original text.

mod source_map;

use crate::lanes;

use source_map::SourceMap;
use std::sync::OnceLock;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// A normalized text and the way back to the original.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    /// Lowercase, accent-free, whitespace collapsed to single spaces.
    pub text: String,
    /// For every byte of `text`: where the original character that produced it starts. (A hashtag's
    /// camel-case split has no character of its own and points at the next one; matches that touch a
    /// hashtag grow to the whole of it anyway.)
    source: SourceMap,
    /// Original byte ranges of hashtags (`#` and the word after it), in order and disjoint.
    hashtags: Vec<(usize, usize)>,
}

/// The normalized text while it is being built: spaces are collapsed as they come, so the spaced-letter pass
/// needs to know which spaces stood for a wider gap.
struct Draft {
    text: String,
    source: SourceMap,
    /// Positions in `text` of spaces that stand for two or more spaces, in order.
    wide: Vec<u32>,
}

impl Draft {
    fn with_capacity(len: usize) -> Draft {
        Draft { text: String::with_capacity(len), source: SourceMap::default(), wide: Vec::new() }
    }

    /// Appends a character of the matching view that came from the original character at `start`.
    fn push(&mut self, ch: char, start: u32) {
        if ch == ' ' {
            self.push_space(start);
            return;
        }
        self.text.push(ch);
        self.source.push_char(start, ch.len_utf8() as u32);
    }

    /// Appends plain ASCII (see [`plain_run`]) that starts at byte `start` of the original, lowercased.
    fn push_plain(&mut self, run: &str, start: usize) {
        let from = self.text.len();
        self.text.push_str(run);
        self.text[from..].make_ascii_lowercase();
        self.source.push_copied(start as u32, run.len() as u32);
    }

    /// Whitespace collapses to single spaces, none at the start (nor, see [`Draft::finish`], at the end).
    fn push_space(&mut self, start: u32) {
        match self.text.as_bytes().last() {
            None => {}
            Some(b' ') => {
                let at = (self.text.len() - 1) as u32;
                if self.wide.last() != Some(&at) {
                    self.wide.push(at);
                }
            }
            Some(_) => {
                self.text.push(' ');
                self.source.push_char(start, 1);
            }
        }
    }

    fn finish(&mut self) {
        if self.text.ends_with(' ') {
            self.text.pop();
            self.source.pop();
            if self.wide.last() == Some(&(self.text.len() as u32)) {
                self.wide.pop();
            }
        }
    }
}

impl Normalized {
    pub fn new(original: &str) -> Normalized {
        let (mut draft, hashtags) = first_pass(original);
        undo_leetspeak(&mut draft.text);
        let dropped = spaced_letter_separators(&draft.text, &draft.wide);
        let Draft { mut text, mut source, .. } = draft;
        if !dropped.is_empty() {
            text = without_bytes(&text, &dropped);
            source = source.without(&dropped);
        }
        Normalized { text, source, hashtags }
    }

    /// Maps byte ranges of the normalized text back to byte ranges of the original, faster when they come
    /// in order. A range covers every original character the match came from, never splits a base character
    /// from the combining marks after it, and grows to the whole hashtag when the match lies in one.
    pub fn original_spans<'a>(
        &'a self,
        original: &'a str,
        ranges: impl IntoIterator<Item = (usize, usize)> + 'a,
    ) -> impl Iterator<Item = (usize, usize)> + 'a {
        let mut cursor = Cursor::default();
        ranges.into_iter().map(move |range| self.original_span_from(original, range, &mut cursor))
    }

    /// Where in the original each of the given (ascending) positions of the normalized text comes from: only
    /// the first character, with none of the widening `original_spans` does, for callers that look at it alone.
    pub fn original_starts<'a>(
        &'a self,
        positions: impl IntoIterator<Item = usize> + 'a,
    ) -> impl Iterator<Item = usize> + 'a {
        let mut run = 0;
        positions.into_iter().map(move |at| self.source.get(at, &mut run))
    }

    fn original_span_from(&self, original: &str, (start, end): (usize, usize), cursor: &mut Cursor) -> (usize, usize) {
        debug_assert!(start < end && end <= self.text.len());
        let mut s = self.source.get(start, &mut cursor.start_run);
        let last = self.source.get(end - 1, &mut cursor.end_run);
        let mut e = last + original[last..].chars().next().map_or(0, char::len_utf8);
        let first = self.hashtags.partition_point(|&(_, he)| he <= s);
        for &(hs, he) in &self.hashtags[first..] {
            if hs >= e {
                break;
            }
            s = s.min(hs);
            e = e.max(he);
        }
        for c in original[e..].chars() {
            if is_attached(c) {
                e += c.len_utf8();
            } else {
                break;
            }
        }
        (s, e)
    }
}

/// Where [`Normalized::original_spans`] left off in the source map, for the start and the end of a range.
#[derive(Default)]
struct Cursor {
    start_run: usize,
    end_run: usize,
}

/// Characters that belong to the character before them: combining marks, joiners, variation selectors,
/// emoji skin-tone modifiers and tag characters.
fn is_attached(c: char) -> bool {
    is_combining_mark(c)
        || matches!(c, '\u{200D}' | '\u{FE00}'..='\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}' | '\u{E0020}'..='\u{E007F}')
}

/// Characters that carry no text: zero-width spaces and joiners, word joiner, BOM, soft hyphen, variation
/// selectors. They are dropped from the matching view so `vo\u{200B}ta` reads `vota`.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{FE00}'..='\u{FE0F}'
    )
}

/// Latin look-alikes from Cyrillic and Greek, the ones used to dodge filters (`Мorеna`).
fn latin_lookalike(c: char) -> Option<char> {
    Some(match c {
        'а' | 'А' | 'α' | 'Α' => 'a',
        'в' | 'В' | 'β' | 'Β' => 'b',
        'с' | 'С' | 'ϲ' => 'c',
        'ԁ' => 'd',
        'е' | 'Е' | 'ё' | 'Ё' | 'ε' | 'Ε' => 'e',
        'һ' | 'Н' | 'Η' => 'h',
        'і' | 'І' | 'ι' | 'Ι' | 'ӏ' => 'i',
        'ј' | 'Ј' => 'j',
        'к' | 'К' | 'κ' | 'Κ' => 'k',
        'м' | 'М' | 'Μ' => 'm',
        'ո' | 'Ν' => 'n',
        'о' | 'О' | 'ο' | 'Ο' => 'o',
        'р' | 'Р' | 'ρ' | 'Ρ' => 'p',
        'ѕ' | 'Ѕ' => 's',
        'т' | 'Т' | 'τ' | 'Τ' => 't',
        'υ' | 'Υ' => 'u',
        'ν' => 'v',
        'х' | 'Х' | 'χ' | 'Χ' => 'x',
        'у' | 'У' => 'y',
        'Ζ' => 'z',
        _ => return None,
    })
}

fn leet_letter(c: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        '@' => 'a',
        '$' => 's',
        _ => return None,
    })
}

/// Case, accents, compatibility forms, look-alikes and invisible characters; whitespace collapsed; hashtags
/// split at camel case.
fn first_pass(original: &str) -> (Draft, Vec<(usize, usize)>) {
    let bytes = original.as_bytes();
    let mut draft = Draft::with_capacity(original.len());
    let mut hashtags = Vec::new();
    let mut hashtag_start: Option<usize> = None;
    // The two visible characters before the current one. Only read inside a hashtag, where every character
    // takes the slow path below and updates them (the `#` first), so the ASCII shortcut leaves them alone.
    let (mut before, mut prev): (Option<char>, Option<char>) = (None, None);
    let mut i = 0;
    while i < bytes.len() {
        // Plain ASCII outside a hashtag, the bulk of any text, needs no look-around: copied a run at a time.
        if hashtag_start.is_none() {
            let run = plain_run(&bytes[i..], draft.text.is_empty() || draft.text.ends_with(' '));
            if run > 0 {
                draft.push_plain(&original[i..i + run], i);
                i += run;
                continue;
            }
            if bytes[i].is_ascii_whitespace() {
                draft.push_space(i as u32);
                i += 1;
                continue;
            }
            // Accented letters and Spanish punctuation (`á`, `ñ`, `¿`), the rest of a Spanish text.
            if let Some(folded) = folded_latin1(bytes, i) {
                draft.push(folded, i as u32);
                i += 2;
                continue;
            }
        }
        let c = char_at(original, i);
        let start = i as u32;
        i += c.len_utf8();
        if is_invisible(c) {
            continue;
        }
        let next = next_visible(original, i);
        let is_word = |c: char| c.is_alphanumeric() || c == '_';

        if let Some(hs) = hashtag_start {
            if !is_word(c) {
                hashtags.push((hs, start as usize));
                hashtag_start = None;
            } else if let Some(p) = prev {
                let camel = p.is_lowercase() && c.is_uppercase();
                let leet_digit = c.is_ascii_digit() && p.is_alphabetic() && next.is_some_and(char::is_alphabetic)
                    || p.is_ascii_digit() && c.is_alphabetic() && before.is_some_and(char::is_alphabetic);
                let letter_digit =
                    (p.is_alphabetic() && c.is_ascii_digit()) || (p.is_ascii_digit() && c.is_alphabetic());
                if camel || (letter_digit && !leet_digit) {
                    draft.push_space(start);
                }
            }
        }
        if c == '#' && next.is_some_and(|n| n.is_alphanumeric()) && hashtag_start.is_none() {
            hashtag_start = Some(start as usize);
        }
        (before, prev) = (prev, Some(c));

        if hashtag_start.is_some() && c == '_' {
            draft.push_space(start);
            continue;
        }
        push_folded(&mut draft, c, start);
    }
    if let Some(hs) = hashtag_start {
        hashtags.push((hs, original.len()));
    }
    draft.finish();
    (draft, hashtags)
}

/// How many bytes at the start of `bytes` are ASCII that maps to itself, lowercased: no `#` (it may start a
/// hashtag), no whitespace but single spaces (`after_space`: whether the text built so far ends in a space
/// or is empty). A run spans words, not one word: that is what makes copying by runs pay.
fn plain_run(bytes: &[u8], after_space: bool) -> usize {
    let mut prev_space = after_space;
    let mut n = 0;
    // Eight bytes at a time while they are ASCII (see [`lanes`]), then byte by byte to the end of the run.
    while let Some(chunk) = lanes::ascii_chunk(bytes, n) {
        let spaces = lanes::equal_to(chunk, b' ');
        let stops = RUN_STOPS.iter().fold(0, |lanes, &b| lanes | lanes::equal_to(chunk, b))
            | (spaces & ((spaces << 8) | (u64::from(prev_space) << 7)));
        if let Some(offset) = lanes::offsets(stops).next() {
            return n + offset;
        }
        prev_space = spaces >> 63 != 0;
        n += 8;
    }
    for (k, &b) in bytes.iter().enumerate().skip(n) {
        let space = b == b' ';
        if !(space | PLAIN_BYTES[usize::from(b)]) | (space & prev_space) {
            return k;
        }
        prev_space = space;
    }
    bytes.len()
}

/// The bytes that end a [`plain_run`] besides a second space: `#` and the ASCII whitespace but the space.
const RUN_STOPS: [u8; 5] = [b'#', b'\t', b'\n', b'\x0C', b'\r'];

/// Bytes other than the space that [`plain_run`] copies: ASCII but [`RUN_STOPS`].
const PLAIN_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = b != b' ' as usize;
        b += 1;
    }
    let mut k = 0;
    while k < RUN_STOPS.len() {
        table[RUN_STOPS[k] as usize] = false;
        k += 1;
    }
    table
};

/// What [`push_folded`] makes of the Latin-1 character (U+0080 to U+00FF, two bytes in UTF-8) starting at
/// byte `at`, when that is one character other than a space; `None` for any other character.
fn folded_latin1(bytes: &[u8], at: usize) -> Option<char> {
    static TABLE: OnceLock<[Option<char>; 128]> = OnceLock::new();
    let (lead, next) = (*bytes.get(at)?, *bytes.get(at + 1)?);
    if !matches!(lead, 0xC2 | 0xC3) {
        return None;
    }
    // Taken from `push_folded` itself, so the shortcut can never disagree with it.
    let table = TABLE.get_or_init(|| {
        std::array::from_fn(|k| {
            let c = char::from_u32(0x80 + k as u32).expect("U+0080 to U+00FF are characters");
            if is_invisible(c) {
                return None;
            }
            let mut draft = Draft::with_capacity(4);
            draft.text.push('x');
            push_folded(&mut draft, c, 0);
            let mut pushed = draft.text[1..].chars();
            match (pushed.next(), pushed.next()) {
                (Some(folded), None) if folded != ' ' => Some(folded),
                _ => None,
            }
        })
    });
    table[((usize::from(lead & 0x1F) << 6) | usize::from(next & 0x3F)) - 0x80]
}

/// The character starting at byte `at`, with a shortcut for ASCII.
pub(crate) fn char_at(text: &str, at: usize) -> char {
    let b = text.as_bytes()[at];
    if b.is_ascii() {
        b as char
    } else {
        text[at..].chars().next().expect("at is a char boundary")
    }
}

/// The first visible character at or after byte `at`.
fn next_visible(text: &str, at: usize) -> Option<char> {
    text[at..].chars().find(|&c| !is_invisible(c))
}

fn push_folded(draft: &mut Draft, c: char, start: u32) {
    if c.is_ascii() {
        let ch = if c.is_ascii_whitespace() { ' ' } else { c.to_ascii_lowercase() };
        draft.push(ch, start);
        return;
    }
    if c.is_whitespace() {
        draft.push_space(start);
        return;
    }
    if let Some(l) = latin_lookalike(c) {
        draft.push(l, start);
        return;
    }
    if is_combining_mark(c) {
        return;
    }
    decompose_compatible(c, |d| {
        if is_combining_mark(d) {
            return;
        }
        if d.is_whitespace() {
            draft.push_space(start);
            return;
        }
        let d = latin_lookalike(d).unwrap_or(d);
        for l in d.to_lowercase() {
            draft.push(l, start);
        }
    });
}

/// In a word with at least two letters, digits that look like letters stand for letters when they sit
/// between letters (`c4m10n3t4`, `M0R3NA`) or at its edge, alone or two after three letters (`vot4`,
/// `corr30`); `@` and `$` between letters too (`c@ndidato`). Years, quarters (`4T`) and codes (`covid19`) stay as they are, and so does the `@` of an
/// email address. Only words with a digit, `@` or `$` can need it, so only those are looked at.
///
/// In a text already written in leetspeak (two words or more undone) the short words go too, when they
/// read as a Spanish function word: `d3 l4` → `de la`, `4 l0s` → `a los`.
fn undo_leetspeak(text: &mut String) {
    let mut patches: Vec<(usize, char)> = Vec::new();
    let mut token: Vec<(usize, char)> = Vec::new();
    let mut short_words: Vec<(usize, usize)> = Vec::new();
    let mut leet_words = 0;
    let mut from = 0;
    while let Some(at) = next_leet_symbol(text.as_bytes(), from) {
        let (start, end) = token_around(text, at);
        let patched = patches.len();
        // Years, times and percentages, most of the words with a digit, have fewer than two letters.
        let word = &text.as_bytes()[start..end];
        if !word.is_ascii() || word.iter().filter(|b| b.is_ascii_alphabetic()).count() >= 2 {
            token.clear();
            token.extend(text[start..end].char_indices().map(|(i, c)| (start + i, c)));
            undo_leetspeak_in_token(&mut token, &text[end..], &mut patches);
        }
        if patches.len() > patched {
            leet_words += 1;
        } else if end - start <= 2 {
            short_words.push((start, end));
        }
        from = end;
    }
    if leet_words >= 2 {
        for (start, end) in short_words {
            undo_short_word(&text[start..end], start, &mut patches);
        }
    }
    for (at, letter) in patches {
        // Digits, `@` and `$` become ASCII letters: one byte for one byte.
        text.replace_range(at..at + 1, letter.encode_utf8(&mut [0; 4]));
    }
}

/// The first digit, `@` or `$` at or after byte `from`, eight bytes at a time where the text is ASCII.
fn next_leet_symbol(bytes: &[u8], mut from: usize) -> Option<usize> {
    while let Some(chunk) = lanes::ascii_chunk(bytes, from) {
        let symbols = lanes::digits(chunk) | lanes::equal_to(chunk, b'@') | lanes::equal_to(chunk, b'$');
        if let Some(offset) = lanes::offsets(symbols).next() {
            return Some(from + offset);
        }
        from += 8;
    }
    bytes.iter().skip(from).position(|b| matches!(b, b'0'..=b'9' | b'@' | b'$')).map(|k| from + k)
}

/// Spanish words of one or two letters, the ones a leetspeak text writes as `d3`, `l4`, `3n`, `4`.
const SHORT_WORDS: [&str; 25] = [
    "a", "o", "e", "al", "da", "de", "di", "el", "en", "es", "la", "le", "lo", "me", "mi", "ni", "no", "os", "se",
    "si", "te", "ti", "va", "ya", "yo",
];

/// A word of one or two ASCII characters at byte `at`, undone when every digit in it has a letter and the
/// result is one of [`SHORT_WORDS`].
fn undo_short_word(word: &str, at: usize, patches: &mut Vec<(usize, char)>) {
    let mut undone = [0u8; 2];
    for (i, b) in word.bytes().enumerate() {
        undone[i] = match b {
            b'a'..=b'z' => b,
            b'0'..=b'9' => match leet_letter(b as char) {
                Some(l) => l as u8,
                None => return,
            },
            _ => return,
        };
    }
    let undone = &undone[..word.len()];
    if SHORT_WORDS.iter().any(|w| w.as_bytes() == undone) {
        for (i, _) in word.bytes().enumerate().filter(|(_, b)| b.is_ascii_digit()) {
            patches.push((at + i, undone[i] as char));
        }
    }
}

fn in_token(c: char) -> bool {
    c.is_alphanumeric() || c == '@' || c == '$'
}

/// The byte range of the word (letters, digits, `@`, `$`) around byte `at`.
fn token_around(text: &str, at: usize) -> (usize, usize) {
    let start = text[..at].char_indices().rev().take_while(|&(_, c)| in_token(c)).last().map_or(at, |(i, _)| i);
    let end = text[at..].char_indices().find(|&(_, c)| !in_token(c)).map_or(text.len(), |(i, _)| at + i);
    (start, end)
}

/// The leetspeak of one word, given as (byte position, character); `rest` is the text after the word. The
/// word is rewritten in place, since a symbol turned letter counts as a letter for the next one, and every
/// change is recorded in `patches`.
fn undo_leetspeak_in_token(token: &mut [(usize, char)], rest: &str, patches: &mut Vec<(usize, char)>) {
    let (mut letters, mut symbols) = (0, 0);
    for &(_, c) in token.iter() {
        match c {
            c if c.is_alphabetic() => letters += 1,
            '0'..='9' | '@' | '$' => symbols += 1,
            _ => {}
        }
    }
    // Most words have nothing to undo.
    if letters < 2 || symbols == 0 {
        return;
    }
    let alphabetic = |token: &[(usize, char)], k: usize| token[k].1.is_alphabetic();
    let leetable = |c: char| leet_letter(c).is_some() && c != '@' && c != '$';
    let mut set = |token: &mut [(usize, char)], k: usize, letter: char| {
        token[k].1 = letter;
        patches.push((token[k].0, letter));
    };
    let mut k = 0;
    while k < token.len() {
        let c = token[k].1;
        if c == '@' || c == '$' {
            let between = k > 0 && k + 1 < token.len() && alphabetic(token, k - 1) && alphabetic(token, k + 1);
            let after = token[k + 1..].iter().map(|&(_, c)| c).chain(rest.chars());
            if between && !(c == '@' && looks_like_email_domain(after)) {
                set(token, k, leet_letter(c).expect("symbols have a letter"));
            }
            k += 1;
            continue;
        }
        if !c.is_ascii_digit() {
            k += 1;
            continue;
        }
        let run_end = (k..token.len()).find(|&j| !token[j].1.is_ascii_digit()).unwrap_or(token.len());
        let before = k > 0 && alphabetic(token, k - 1);
        let after = run_end < token.len() && alphabetic(token, run_end);
        let all_leet = token[k..run_end].iter().all(|&(_, c)| leetable(c));
        // At the edge of a word, one digit (`vot4`), or two after three letters or more (`corr30`).
        let edge_run = match run_end - k {
            1 => true,
            2 => letters >= 3,
            _ => false,
        };
        if all_leet && ((before && after) || (edge_run && (before || after))) {
            for j in k..run_end {
                set(token, j, leet_letter(token[j].1).expect("checked leetable"));
            }
        }
        k = run_end;
    }
}

fn looks_like_email_domain(after_at: impl Iterator<Item = char>) -> bool {
    let mut seen_dot = false;
    for c in after_at {
        match c {
            '.' => seen_dot = true,
            c if c.is_alphanumeric() || c == '-' => {
                if seen_dot {
                    return true;
                }
            }
            _ => return false,
        }
    }
    false
}

const SEPARATORS: [u8; 5] = [b' ', b'.', b'-', b'*', b'_'];

fn is_separator(b: u8) -> bool {
    SEPARATORS.contains(&b)
}

/// Single letters separated by one separator: `v o t a`.
struct SpacedRun {
    /// Byte positions of the first and last letters.
    first: usize,
    last: usize,
    letters: usize,
    separator: u8,
}

/// `v o t a`, `V.O.T.A`, `p-r-i`: three or more single letters separated by the same single character read
/// as one word. Two spaced letters (`n o`) read as a word too when a wider gap of spaces sets them apart from
/// such a word (`M O R E N A   N O   S E   V A`). Returns the byte positions of the separators that drop out
/// of the matching view, in order. `wide` lists the spaces that stood for two or more.
fn spaced_letter_separators(text: &str, wide: &[u32]) -> Vec<usize> {
    let runs = spaced_runs(text, wide);
    if runs.is_empty() {
        return Vec::new();
    }
    let mut joined: Vec<bool> = runs.iter().map(|r| r.letters >= 3).collect();
    let wide_gap = |a: &SpacedRun, b: &SpacedRun| {
        let gap = a.last + char_at(text, a.last).len_utf8();
        b.first == gap + 1 && text.as_bytes()[gap] == b' ' && wide.binary_search(&(gap as u32)).is_ok()
    };
    let pair = |r: &SpacedRun| r.letters == 2 && r.separator == b' ';
    for r in 1..runs.len() {
        joined[r] |= pair(&runs[r]) && joined[r - 1] && wide_gap(&runs[r - 1], &runs[r]);
    }
    for r in (0..runs.len() - 1).rev() {
        joined[r] |= pair(&runs[r]) && joined[r + 1] && wide_gap(&runs[r], &runs[r + 1]);
    }
    let mut drop = Vec::new();
    for run in runs.iter().zip(&joined).filter(|(_, &j)| j).map(|(run, _)| run) {
        let mut letter = run.first;
        while letter < run.last {
            let separator = letter + char_at(text, letter).len_utf8();
            drop.push(separator);
            letter = separator + 1;
        }
    }
    drop
}

/// Every run of two or more spaced letters, in order. A run starts at a letter followed by a separator, so
/// only the separators are looked at.
fn spaced_runs(text: &str, wide: &[u32]) -> Vec<SpacedRun> {
    let bytes = text.as_bytes();
    let single_separator = |at: usize, separator: u8| {
        bytes.get(at) == Some(&separator) && !(separator == b' ' && wide.binary_search(&(at as u32)).is_ok())
    };
    let mut runs = Vec::new();
    // No run starts inside the previous one.
    let mut free_from = 0;
    let mut from = 1;
    while let Some(at) = next_after_lone_letter(bytes, from) {
        from = at + 1;
        let separator = bytes[at];
        let first = text[..at].char_indices().next_back().map_or(0, |(i, _)| i);
        if first < free_from || !is_spaced_letter(text, first) {
            continue;
        }
        let (mut last, mut letters) = (first, 1);
        loop {
            let next_separator = last + char_at(text, last).len_utf8();
            if !single_separator(next_separator, separator) || !is_spaced_letter(text, next_separator + 1) {
                break;
            }
            (last, letters) = (next_separator + 1, letters + 1);
        }
        if letters < 2 {
            continue;
        }
        runs.push(SpacedRun { first, last, letters, separator });
        free_from = last + char_at(text, last).len_utf8();
        from = free_from.max(1);
    }
    runs
}

/// The first separator at or after byte `from` (at least 1) that may follow a lone letter, judged on ASCII
/// alone: not after a character that is no letter, nor after a letter that follows a letter or digit.
/// Eight bytes at a time where they are ASCII (see [`lanes`]).
fn next_after_lone_letter(bytes: &[u8], mut from: usize) -> Option<usize> {
    while from < bytes.len() {
        let chunks = (from >= 2).then(|| lanes::ascii_chunk(bytes, from - 2)).flatten();
        let Some(candidates) = chunks.and_then(|before| {
            let (letter, here) = (lanes::ascii_chunk(bytes, from - 1)?, lanes::ascii_chunk(bytes, from)?);
            let separators = SEPARATORS.iter().fold(0, |lanes, &s| lanes | lanes::equal_to(here, s));
            Some(separators & lanes::alphabetic(letter) & !lanes::alphanumeric(before))
        }) else {
            if is_separator(bytes[from]) && !ends_ascii_word(&bytes[..from]) {
                return Some(from);
            }
            from += 1;
            continue;
        };
        if let Some(offset) = lanes::offsets(candidates).next() {
            return Some(from + offset);
        }
        from += 8;
    }
    None
}

/// Whether the text before a separator ends in something other than a lone letter, judged on ASCII alone:
/// a character that is no letter, or a letter after a letter or digit. The common case, cheaply.
fn ends_ascii_word(before: &[u8]) -> bool {
    match before {
        [.., b] if b.is_ascii() && !b.is_ascii_alphabetic() => true,
        [.., a, b] => b.is_ascii_alphabetic() && a.is_ascii_alphanumeric(),
        _ => false,
    }
}

/// A letter standing alone: no letter or digit right before or after it.
fn is_spaced_letter(text: &str, at: usize) -> bool {
    let Some(c) = text.get(at..).and_then(|t| t.chars().next()) else {
        return false;
    };
    let alnum_before = text[..at].chars().next_back().is_some_and(char::is_alphanumeric);
    let alnum_after = text[at + c.len_utf8()..].chars().next().is_some_and(char::is_alphanumeric);
    c.is_alphabetic() && !alnum_before && !alnum_after
}

/// The text without the bytes at the given positions (sorted, each a one-byte character).
fn without_bytes(text: &str, positions: &[usize]) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut from = 0;
    for &at in positions {
        kept.push_str(&text[from..at]);
        from = at + 1;
    }
    kept.push_str(&text[from..]);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        Normalized::new(s).text
    }

    fn back(s: &str, needle: &str) -> String {
        let n = Normalized::new(s);
        let at = n.text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in {:?}", n.text));
        let (a, b) = n.original_spans(s, [(at, at + needle.len())]).next().expect("one range in, one out");
        s[a..b].to_string()
    }

    #[test]
    fn folds_case_accents_and_whitespace() {
        assert_eq!(norm("  Campaña\u{301}  ELECTORAL\n\tÉxito "), "campana electoral exito");
    }

    #[test]
    fn sees_through_obfuscation() {
        assert_eq!(norm("V0TA P0R M0R3NA"), "vota por morena");
        assert_eq!(norm("3n l4 s4l4 d3 junt4s d3 l4 C0m1s10n"), "en la sala de juntas de la comision");
        assert_eq!(norm("el c0rr30 d3 l4 C0m1s10n"), "el correo de la comision");
        assert_eq!(norm("p4s3 l4 l1st4 4 l0s d3l tr1c0l0r"), "pase la lista a los del tricolor");
        assert_eq!(norm("l4s c4m10n3t4s 0f1c14l3s"), "las camionetas oficiales");
        assert_eq!(norm("v o t a por el P A N"), "vota por el pan");
        assert_eq!(norm("M O R E N A   N O   S E   V A"), "morena no se va");
        assert_eq!(norm("mi c o r r e o   d e   l a   C o m i s i ó n"), "mi correo de la comision");
        assert_eq!(norm("ve a y   ven"), "ve a y ven");
        assert_eq!(norm("ＶＯＴＡ"), "vota");
        assert_eq!(norm("Мorеna"), "morena");
        assert_eq!(norm("vo\u{200B}ta mo\u{00AD}rena"), "vota morena");
        assert_eq!(norm("#YoConMorena #VotaPAN #6de6"), "#yo con morena #vota pan #6 de 6");
    }

    #[test]
    fn keeps_what_is_not_leetspeak() {
        assert_eq!(norm("informe 4T-2026 covid19 2027"), "informe 4t-2026 covid19 2027");
        // Short words wait for a second word in leetspeak; then a lone 4 is read as «a».
        assert_eq!(norm("l4 c4s4 d3 Juan"), "l4 casa d3 juan");
        assert_eq!(norm("l4 c4s4 d3 5 p1s0s, 4 cuartos"), "la casa de 5 pisos, a cuartos");
        assert_eq!(norm("la casa de 5 pisos, 4 cuartos y 3 baños"), "la casa de 5 pisos, 4 cuartos y 3 banos");
        assert_eq!(norm("escribe a juan@cedh.gob.mx"), "escribe a juan@cedh.gob.mx");
        assert_eq!(norm("la M.C. Laura"), "la m.c. laura");
    }

    proptest::proptest! {
        #[test]
        fn plain_runs_are_those_of_a_byte_by_byte_reading(text in "[a-c #\t\n\r\x0C\x01ñ]{0,40}", after_space: bool) {
            let bytes = text.as_bytes();
            let mut prev_space = after_space;
            let mut expected = bytes.len();
            for (k, &b) in bytes.iter().enumerate() {
                let plain = if b == b' ' { !prev_space } else { b.is_ascii() && !b.is_ascii_whitespace() && b != b'#' };
                if !plain {
                    expected = k;
                    break;
                }
                prev_space = b == b' ';
            }
            proptest::prop_assert_eq!(plain_run(bytes, after_space), expected);
        }

        #[test]
        fn lone_letter_separators_are_those_of_a_byte_by_byte_reading(text in "[a-cA1 .\\-*_ñ]{0,40}") {
            let bytes = text.as_bytes();
            let expected: Vec<usize> =
                (1..bytes.len()).filter(|&at| is_separator(bytes[at]) && !ends_ascii_word(&bytes[..at])).collect();
            let found: Vec<usize> =
                std::iter::successors(next_after_lone_letter(bytes, 1), |&at| next_after_lone_letter(bytes, at + 1))
                    .collect();
            proptest::prop_assert_eq!(found, expected);
        }
    }

    #[test]
    fn maps_back_to_the_original_characters() {
        assert_eq!(back("¡V0TA hoy!", "vota"), "V0TA");
        assert_eq!(back("Apoyo #YoConMorena hoy", "morena"), "#YoConMorena");
        assert_eq!(back("x v o t a y", "vota"), "v o t a");
        assert_eq!(back("e\u{301}xito total", "exito"), "e\u{301}xito");
        assert_eq!(back("ＶＯＴＡ ya", "vota"), "ＶＯＴＡ");
    }
}
