//! The matching view of a text. Rules match a normalized copy that sees through case, accents, Unicode
//! compatibility forms (fullwidth letters), look-alike letters from other scripts, zero-width characters and
//! soft hyphens, common leetspeak (`M0R3NA`), letters spaced out (`v o t a`) and camel-cased hashtags
//! (`#YoConMorena` → `#yo con morena`). Every byte of the copy remembers which original characters it came
//! from, so a match maps back to the exact span of the original text.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// A normalized text and the way back to the original.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    /// Lowercase, accent-free, whitespace collapsed to single spaces.
    pub text: String,
    /// For every byte of `text`: where the original character that produced it starts. (A hashtag's
    /// camel-case split has no character of its own and points at the next one; matches that touch a
    /// hashtag grow to the whole of it anyway.)
    source: Vec<u32>,
    /// Original byte ranges of hashtags (`#` and the word after it), in order and disjoint.
    hashtags: Vec<(usize, usize)>,
}

#[derive(Debug, Clone, Copy)]
struct Unit {
    ch: char,
    start: u32,
}

impl Normalized {
    pub fn new(original: &str) -> Normalized {
        let (mut units, hashtags) = first_pass(original);
        undo_leetspeak(&mut units);
        let dropped = spaced_letter_separators(&units);
        let mut bytes = Vec::with_capacity(units.len());
        let mut source = Vec::with_capacity(units.len());
        // Whitespace collapsed to single spaces, none at either end.
        let mut after_space = true;
        for (u, _) in units.iter().zip(dropped).filter(|(_, d)| !d) {
            if u.ch == ' ' && after_space {
                continue;
            }
            after_space = u.ch == ' ';
            // Byte by byte: a `memcpy` per character would cost more than the character itself.
            let mut buf = [0; 4];
            for &b in u.ch.encode_utf8(&mut buf).as_bytes() {
                bytes.push(b);
                source.push(u.start);
            }
        }
        if after_space && !bytes.is_empty() {
            bytes.pop();
            source.pop();
        }
        let text = String::from_utf8(bytes).expect("built from chars");
        Normalized { text, source, hashtags }
    }

    /// Maps a byte range of the normalized text back to a byte range of the original. The range covers
    /// every original character the match came from, never splits a base character from the combining marks
    /// after it, and grows to the whole hashtag when the match lies in one.
    pub fn original_span(&self, original: &str, start: usize, end: usize) -> (usize, usize) {
        debug_assert!(start < end && end <= self.text.len());
        let mut s = self.source[start] as usize;
        let last = self.source[end - 1] as usize;
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

/// Case, accents, compatibility forms, look-alikes and invisible characters; hashtags split at camel case.
fn first_pass(original: &str) -> (Vec<Unit>, Vec<(usize, usize)>) {
    let mut units = Vec::with_capacity(original.len());
    let mut hashtags = Vec::new();
    let mut hashtag_start: Option<usize> = None;
    // The two visible characters before the current one.
    let (mut before, mut prev): (Option<char>, Option<char>) = (None, None);
    let mut i = 0;
    while i < original.len() {
        let c = char_at(original, i);
        let start = i as u32;
        i += c.len_utf8();
        if is_invisible(c) {
            continue;
        }
        // Plain ASCII outside a hashtag, the bulk of any text, needs no look-around.
        if c.is_ascii() && c != '#' && hashtag_start.is_none() {
            let ch = if c.is_ascii_whitespace() { ' ' } else { c.to_ascii_lowercase() };
            units.push(Unit { ch, start });
            (before, prev) = (prev, Some(c));
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
                    units.push(Unit { ch: ' ', start });
                }
            }
        }
        if c == '#' && next.is_some_and(|n| n.is_alphanumeric()) && hashtag_start.is_none() {
            hashtag_start = Some(start as usize);
        }
        (before, prev) = (prev, Some(c));

        if hashtag_start.is_some() && c == '_' {
            units.push(Unit { ch: ' ', start });
            continue;
        }
        push_folded(&mut units, c, start);
    }
    if let Some(hs) = hashtag_start {
        hashtags.push((hs, original.len()));
    }
    (units, hashtags)
}

/// The character starting at byte `at`, with a shortcut for ASCII.
fn char_at(text: &str, at: usize) -> char {
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

fn push_folded(units: &mut Vec<Unit>, c: char, start: u32) {
    if c.is_ascii() {
        let ch = if c.is_ascii_whitespace() { ' ' } else { c.to_ascii_lowercase() };
        units.push(Unit { ch, start });
        return;
    }
    if c.is_whitespace() {
        units.push(Unit { ch: ' ', start });
        return;
    }
    if let Some(l) = latin_lookalike(c) {
        units.push(Unit { ch: l, start });
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
            units.push(Unit { ch: ' ', start });
            return;
        }
        let d = latin_lookalike(d).unwrap_or(d);
        for l in d.to_lowercase() {
            units.push(Unit { ch: l, start });
        }
    });
}

/// In a word with at least two letters, digits that look like letters stand for letters when they sit
/// between letters (`c4m10n3t4`, `M0R3NA`) or, alone, next to one (`vot4`); `@` and `$` between letters too
/// (`c@ndidato`). Years, quarters (`4T`) and codes (`covid19`) stay as they are, and so does the `@` of an
/// email address.
fn undo_leetspeak(units: &mut [Unit]) {
    let in_token = |c: char| c.is_alphanumeric() || c == '@' || c == '$';
    let mut i = 0;
    while i < units.len() {
        if !in_token(units[i].ch) {
            i += 1;
            continue;
        }
        let start = i;
        let (mut letters, mut symbols) = (0, 0);
        while i < units.len() && in_token(units[i].ch) {
            match units[i].ch {
                c if c.is_alphabetic() => letters += 1,
                '0'..='9' | '@' | '$' => symbols += 1,
                _ => {}
            }
            i += 1;
        }
        let token = start..i;
        // Most words have nothing to undo.
        if letters < 2 || symbols == 0 {
            continue;
        }
        let leetable = |c: char| leet_letter(c).is_some() && c != '@' && c != '$';
        let mut k = token.start;
        while k < token.end {
            let c = units[k].ch;
            if c == '@' || c == '$' {
                let between = k > token.start
                    && k + 1 < token.end
                    && units[k - 1].ch.is_alphabetic()
                    && units[k + 1].ch.is_alphabetic();
                if between && !(c == '@' && looks_like_email_domain(&units[k + 1..])) {
                    units[k].ch = leet_letter(c).expect("symbols have a letter");
                }
                k += 1;
                continue;
            }
            if !c.is_ascii_digit() {
                k += 1;
                continue;
            }
            let run_end = (k..token.end).find(|&j| !units[j].ch.is_ascii_digit()).unwrap_or(token.end);
            let before = k > token.start && units[k - 1].ch.is_alphabetic();
            let after = run_end < token.end && units[run_end].ch.is_alphabetic();
            let all_leet = units[k..run_end].iter().all(|u| leetable(u.ch));
            if all_leet && ((before && after) || (run_end - k == 1 && (before || after))) {
                for u in &mut units[k..run_end] {
                    u.ch = leet_letter(u.ch).expect("checked leetable");
                }
            }
            k = run_end;
        }
    }
}

fn looks_like_email_domain(after_at: &[Unit]) -> bool {
    let mut seen_dot = false;
    for u in after_at {
        match u.ch {
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

/// `v o t a`, `V.O.T.A`, `p-r-i`: three or more single letters separated by the same single character read
/// as one word. Two spaced letters (`n o`) read as a word too when a wider gap of spaces sets them apart from
/// such a word (`M O R E N A   N O   S E   V A`). Returns, per unit, whether it is a separator that drops
/// out of the matching view.
fn spaced_letter_separators(units: &[Unit]) -> Vec<bool> {
    const SEPARATORS: [char; 5] = [' ', '.', '-', '*', '_'];
    let is_letter_at = |i: usize| -> bool {
        units.get(i).is_some_and(|u| u.ch.is_alphabetic())
            && !(i > 0 && units[i - 1].ch.is_alphanumeric())
            && !units.get(i + 1).is_some_and(|u| u.ch.is_alphanumeric())
    };
    // Runs of two or more spaced letters: (first letter, last letter, separator).
    let mut runs: Vec<(usize, usize, char)> = Vec::new();
    let mut i = 0;
    while i < units.len() {
        if units.get(i + 1).is_none_or(|u| !SEPARATORS.contains(&u.ch)) || !is_letter_at(i) {
            i += 1;
            continue;
        }
        let sep = units[i + 1].ch;
        let mut j = i;
        while units.get(j + 1).is_some_and(|u| u.ch == sep) && is_letter_at(j + 2) {
            j += 2;
        }
        if j > i {
            runs.push((i, j, sep));
        }
        i = j + 1;
    }
    let mut joined: Vec<bool> = runs.iter().map(|&(i, j, _)| j - i >= 4).collect();
    let wide_gap = |a: usize, b: usize| -> bool {
        let (left, right) = (runs[a].1 + 1, runs[b].0);
        right - left >= 2 && units[left..right].iter().all(|u| u.ch == ' ')
    };
    let pair = |r: usize| runs[r].1 - runs[r].0 == 2 && runs[r].2 == ' ';
    for r in 1..runs.len() {
        joined[r] |= pair(r) && joined[r - 1] && wide_gap(r - 1, r);
    }
    for r in (0..runs.len().saturating_sub(1)).rev() {
        joined[r] |= pair(r) && joined[r + 1] && wide_gap(r, r + 1);
    }
    let mut drop = vec![false; units.len()];
    for (&(i, j, _), _) in runs.iter().zip(&joined).filter(|(_, &j)| j) {
        for k in (i + 1..j).step_by(2) {
            drop[k] = true;
        }
    }
    drop
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
        let (a, b) = n.original_span(s, at, at + needle.len());
        s[a..b].to_string()
    }

    #[test]
    fn folds_case_accents_and_whitespace() {
        assert_eq!(norm("  Campaña\u{301}  ELECTORAL\n\tÉxito "), "campana electoral exito");
    }

    #[test]
    fn sees_through_obfuscation() {
        assert_eq!(norm("V0TA P0R M0R3NA"), "vota por morena");
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
        assert_eq!(norm("escribe a juan@cedh.gob.mx"), "escribe a juan@cedh.gob.mx");
        assert_eq!(norm("la M.C. Laura"), "la m.c. laura");
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
