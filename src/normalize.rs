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
    /// For every byte of `text`: the original byte range of the character that produced it.
    source: Vec<(u32, u32)>,
    /// Original byte ranges of hashtags (`#` and the word after it).
    hashtags: Vec<(usize, usize)>,
}

#[derive(Debug, Clone, Copy)]
struct Unit {
    ch: char,
    start: u32,
    end: u32,
}

impl Normalized {
    pub fn new(original: &str) -> Normalized {
        let (units, hashtags) = first_pass(original);
        let units = second_pass(units);
        let mut text = String::with_capacity(units.len());
        let mut source = Vec::with_capacity(units.len());
        for u in &units {
            text.push(u.ch);
            for _ in 0..u.ch.len_utf8() {
                source.push((u.start, u.end));
            }
        }
        Normalized { text, source, hashtags }
    }

    /// Maps a byte range of the normalized text back to a byte range of the original. The range covers
    /// every original character the match came from, never splits a base character from the combining marks
    /// after it, and grows to the whole hashtag when the match lies in one.
    pub fn original_span(&self, original: &str, start: usize, end: usize) -> (usize, usize) {
        debug_assert!(start < end && end <= self.text.len());
        let mut s = self.source[start].0 as usize;
        let mut e = self.source[end - 1].1 as usize;
        for &(hs, he) in &self.hashtags {
            if hs < e && s < he {
                s = s.min(hs);
                e = e.max(he);
            }
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
    let visible: Vec<(usize, char)> = original.char_indices().filter(|&(_, c)| !is_invisible(c)).collect();
    let mut units = Vec::with_capacity(original.len());
    let mut hashtags = Vec::new();
    let mut hashtag_start: Option<usize> = None;
    for (k, &(i, c)) in visible.iter().enumerate() {
        let (start, end) = (i as u32, (i + c.len_utf8()) as u32);
        let prev = k.checked_sub(1).map(|p| visible[p].1);
        let next = visible.get(k + 1).map(|&(_, n)| n);
        let is_word = |c: char| c.is_alphanumeric() || c == '_';

        if let Some(hs) = hashtag_start {
            if !is_word(c) {
                hashtags.push((hs, i));
                hashtag_start = None;
            } else if let Some(p) = prev {
                let camel = p.is_lowercase() && c.is_uppercase();
                let leet_digit = c.is_ascii_digit() && p.is_alphabetic() && next.is_some_and(char::is_alphabetic)
                    || p.is_ascii_digit() && c.is_alphabetic() && {
                        let before = k.checked_sub(2).map(|q| visible[q].1);
                        before.is_some_and(char::is_alphabetic)
                    };
                let letter_digit =
                    (p.is_alphabetic() && c.is_ascii_digit()) || (p.is_ascii_digit() && c.is_alphabetic());
                if camel || (letter_digit && !leet_digit) {
                    units.push(Unit { ch: ' ', start, end: start });
                }
            }
        }
        if c == '#' && next.is_some_and(|n| n.is_alphanumeric()) && hashtag_start.is_none() {
            hashtag_start = Some(i);
        }

        if hashtag_start.is_some() && c == '_' {
            units.push(Unit { ch: ' ', start, end });
            continue;
        }
        push_folded(&mut units, c, start, end);
    }
    if let Some(hs) = hashtag_start {
        hashtags.push((hs, original.len()));
    }
    (units, hashtags)
}

fn push_folded(units: &mut Vec<Unit>, c: char, start: u32, end: u32) {
    if c.is_ascii() {
        let ch = if c.is_ascii_whitespace() { ' ' } else { c.to_ascii_lowercase() };
        units.push(Unit { ch, start, end });
        return;
    }
    if c.is_whitespace() {
        units.push(Unit { ch: ' ', start, end });
        return;
    }
    if let Some(l) = latin_lookalike(c) {
        units.push(Unit { ch: l, start, end });
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
            units.push(Unit { ch: ' ', start, end });
            return;
        }
        let d = latin_lookalike(d).unwrap_or(d);
        for l in d.to_lowercase() {
            units.push(Unit { ch: l, start, end });
        }
    });
}

/// Leetspeak, spaced-out letters, and whitespace collapsed.
fn second_pass(mut units: Vec<Unit>) -> Vec<Unit> {
    undo_leetspeak(&mut units);
    let units = join_spaced_letters(units);
    let mut out: Vec<Unit> = Vec::with_capacity(units.len());
    for u in units {
        if u.ch == ' ' && out.last().is_none_or(|l| l.ch == ' ') {
            continue;
        }
        out.push(u);
    }
    if out.last().is_some_and(|l| l.ch == ' ') {
        out.pop();
    }
    out
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
        while i < units.len() && in_token(units[i].ch) {
            i += 1;
        }
        let token = start..i;
        let letters = units[token.clone()].iter().filter(|u| u.ch.is_alphabetic()).count();
        if letters < 2 {
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
/// as one word.
fn join_spaced_letters(units: Vec<Unit>) -> Vec<Unit> {
    const SEPARATORS: [char; 5] = [' ', '.', '-', '*', '_'];
    let is_letter_at = |i: usize| -> bool {
        units.get(i).is_some_and(|u| u.ch.is_alphabetic())
            && !(i > 0 && units[i - 1].ch.is_alphanumeric())
            && !units.get(i + 1).is_some_and(|u| u.ch.is_alphanumeric())
    };
    let mut drop = vec![false; units.len()];
    let mut i = 0;
    while i < units.len() {
        if !is_letter_at(i) || units.get(i + 1).is_none_or(|u| !SEPARATORS.contains(&u.ch)) {
            i += 1;
            continue;
        }
        let sep = units[i + 1].ch;
        let mut letters = vec![i];
        let mut j = i;
        while units.get(j + 1).is_some_and(|u| u.ch == sep) && is_letter_at(j + 2) {
            j += 2;
            letters.push(j);
        }
        if letters.len() >= 3 {
            for w in letters.windows(2) {
                drop[w[0] + 1] = true;
            }
        }
        i = j + 1;
    }
    units.into_iter().zip(drop).filter(|(_, d)| !d).map(|(u, _)| u).collect()
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
