//! The learned scorer beside the rules: one linear model per category over hashed features of the normalized
//! text. Rules give exact spans and quote the guideline, but no list holds every way of being condescending or
//! of crediting a government with its works; the model scores how much a text reads like each category, so the
//! engine can quiet a rule finding the model reads as clean, and warn where no rule fired.
//!
//! The model is data in the rule pack (`model`), written by `blindaje train`: per category a bias, a scale,
//! 2^bits weights quantized to i8 (base64), and two thresholds chosen on writers the weights were not fitted on.
//! Features ([`Features`]) are word 1–2-grams, character 3–5-grams inside each word and symbols (emoji,
//! punctuation) and «a capitalized word inside a sentence», hashed with FNV-1a and a final avalanche (u64
//! arithmetic only: the same natively and in wasm), signed by a bit of the hash and scaled by 1/√n.
//! A score is therefore a sum of weights, computed in one pass for the whole text and for each sentence.

use crate::finding::Category;
use crate::normalize::Normalized;
use crate::pack::PackError;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The one model format this engine reads.
pub const FORMAT: &str = "blindaje-lineal-1";
/// Hash widths a pack may use: 2^10 to 2^17 weights per category (at most ~1 MB of base64 for six).
pub const BITS: std::ops::RangeInclusive<u8> = 10..=17;
/// The most base64 a pack's model may carry.
pub const MAX_MODEL_BYTES: usize = 1 << 20;
/// Character n-grams are taken from at most this many bytes of a word (URLs and runs of letters add nothing).
const MAX_WORD_BYTES: usize = 24;
/// Texts of more sentences than this are scored sentence by sentence only (the corpus's longest run to ~20).
const MAX_WHOLE_SENTENCES: usize = 24;
/// Titles written before a name, as the normalized text has them.
const ABBREVIATIONS: &[&str] = &[
    "lic", "licda", "mtra", "mtro", "dr", "dra", "ing", "arq", "prof", "profa", "sr", "sra", "srta", "c", "mc", "md",
    "pdta", "pte", "gral", "cp", "psic", "antrop",
];

/// A model as the pack carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ModelData {
    /// Always `blindaje-lineal-1`.
    pub format: String,
    /// log2 of the number of hashed features per category.
    pub bits: u8,
    /// What the model was trained on, for the admin's records; the engine ignores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trained_on: Option<TrainedOn>,
    pub categories: Vec<CategoryModel>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrainedOn {
    pub items: usize,
    /// The corpus files, by name.
    pub files: Vec<String>,
    /// Groups (writers) the thresholds were chosen across: each group was scored by a model that never saw it.
    pub groups: Vec<String>,
}

/// One category's weights and thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CategoryModel {
    pub category: Category,
    /// Spanish message of the model's findings; the words that weighed most are added after it.
    pub message: String,
    /// The guideline point, verbatim.
    pub guideline: String,
    pub bias: f32,
    /// Weight of one quantized step.
    pub scale: f32,
    /// Probability from which the model alone warns (a `model.<category>` finding).
    pub warn_at: f32,
    /// Probability under which a rule finding of the category becomes a hint.
    pub clean_below: f32,
    /// 2^bits signed bytes, base64.
    pub weights: String,
}

impl ModelData {
    /// Checks the format, the dimensions, the thresholds and the size; problems name the field.
    pub fn compile(&self) -> Result<Model, PackError> {
        let err = |field: &str, message: String| PackError {
            field: Some(format!("model.{field}")),
            ..PackError::new(message)
        };
        if self.format != FORMAT {
            return Err(err("format", format!("unknown model format «{}»; this engine reads «{FORMAT}»", self.format)));
        }
        if !BITS.contains(&self.bits) {
            return Err(err("bits", format!("must be between {} and {}", BITS.start(), BITS.end())));
        }
        let size: usize = self.categories.iter().map(|c| c.weights.len()).sum();
        if size > MAX_MODEL_BYTES {
            return Err(err("categories", format!("the weights take {size} bytes; at most {MAX_MODEL_BYTES}")));
        }
        let buckets = 1usize << self.bits;
        let mut weights = vec![[0i8; 8]; buckets];
        let mut categories = Vec::with_capacity(self.categories.len());
        for (lane, c) in self.categories.iter().enumerate() {
            let field = |f: &str| format!("categories[{}].{f}", c.category.id());
            if self.categories[..lane].iter().any(|o| o.category == c.category) {
                return Err(err(&field("category"), "appears twice".into()));
            }
            if c.message.trim().is_empty() || c.guideline.trim().is_empty() {
                return Err(err(&field("message"), "message and guideline must not be empty".into()));
            }
            let finite = [c.bias, c.scale, c.warn_at, c.clean_below].iter().all(|v| v.is_finite());
            if !finite || c.scale <= 0.0 {
                return Err(err(&field("scale"), "bias, scale and thresholds must be numbers; scale above 0".into()));
            }
            if !(0.0..=1.0).contains(&c.clean_below) || !(c.clean_below..=1.0).contains(&c.warn_at) {
                return Err(err(&field("warnAt"), "need 0 ≤ cleanBelow ≤ warnAt ≤ 1".into()));
            }
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(&c.weights)
                .map_err(|e| err(&field("weights"), format!("not base64: {e}")))?;
            if bytes.len() != buckets {
                return Err(err(&field("weights"), format!("{} weights for 2^{} = {buckets}", bytes.len(), self.bits)));
            }
            for (slot, b) in weights.iter_mut().zip(bytes) {
                slot[lane] = b as i8;
            }
            categories.push(Compiled {
                category: c.category,
                rule: format!("model.{}", c.category.id()).into(),
                message: c.message.as_str().into(),
                guideline: c.guideline.as_str().into(),
                bias: c.bias,
                scale: c.scale,
                warn_at: c.warn_at,
                clean_below: c.clean_below,
            });
        }
        Ok(Model { mask: buckets as u64 - 1, weights, categories })
    }
}

/// A model ready to score: weights interleaved by bucket, so one feature costs one cache line.
#[derive(Debug, Clone)]
pub struct Model {
    mask: u64,
    weights: Vec<[i8; 8]>,
    categories: Vec<Compiled>,
}

#[derive(Debug, Clone)]
struct Compiled {
    category: Category,
    rule: Arc<str>,
    message: Arc<str>,
    guideline: Arc<str>,
    bias: f32,
    scale: f32,
    warn_at: f32,
    clean_below: f32,
}

/// A category's score on one text.
#[derive(Debug, Clone)]
pub struct Score {
    pub category: Category,
    pub rule: Arc<str>,
    pub message: Arc<str>,
    pub guideline: Arc<str>,
    /// The highest probability over the whole text and each of its sentences.
    pub probability: f32,
    /// Where it was highest (bytes of the normalized text).
    pub span: (usize, usize),
    pub warn_at: f32,
    pub clean_below: f32,
    /// The words that added most to it there, strongest first (bytes of the normalized text); only from
    /// `warn_at` on, where the model speaks.
    pub top_words: Vec<(usize, usize)>,
}

impl Model {
    pub fn categories(&self) -> impl Iterator<Item = Category> + '_ {
        self.categories.iter().map(|c| c.category)
    }

    /// Every category's score on a text as the engine reads it (see [`Segments::of`]), in one pass that adds
    /// each feature's weights to its word; none for a text without words.
    pub fn score_text(&self, original: &str, norm: &Normalized) -> Vec<Score> {
        let segments = Segments::of(original, norm);
        let mut sums = WordSums::new(self, segments.words.len());
        each_feature(&norm.text, &segments, |word, hash| sums.add(word, hash));
        self.scores(&segments, sums)
    }

    /// The same scores from features already extracted (training scores its held-apart writers this way).
    pub fn score(&self, features: &Features) -> Vec<Score> {
        let mut sums = WordSums::new(self, features.segments.words.len());
        features.items.iter().for_each(|f| sums.add(f.word, f.hash));
        self.scores(&features.segments, sums)
    }

    fn scores(&self, segments: &Segments, WordSums { sums, counts, .. }: WordSums) -> Vec<Score> {
        if segments.words.is_empty() {
            return Vec::new();
        }
        let lanes = self.categories.len();
        let sentence_sums: Vec<([i32; 8], u32)> = segments
            .sentences
            .iter()
            .map(|&(from, to)| {
                let mut total = [0i32; 8];
                for sum in &sums[from as usize..to as usize] {
                    for lane in 0..lanes {
                        total[lane] += sum[lane];
                    }
                }
                (total, counts[from as usize..to as usize].iter().sum())
            })
            .collect();
        let all: u32 = sentence_sums.iter().map(|(_, n)| n).sum();
        self.categories
            .iter()
            .enumerate()
            .map(|(lane, c)| {
                let logit = |sum: i32, n: u32| c.bias + c.scale * sum as f32 / (n.max(1) as f32).sqrt();
                // The whole text counts up to the length the model learned from; past it, a sum scaled by 1/√n
                // grows with every repeated sentence and says nothing: the sentences alone decide.
                let whole: i32 = sentence_sums.iter().map(|(s, _)| s[lane]).sum();
                let mut best = match sentence_sums.len() <= MAX_WHOLE_SENTENCES {
                    true => (logit(whole, all), None),
                    false => (f32::NEG_INFINITY, None),
                };
                if sentence_sums.len() > 1 {
                    for (i, (s, n)) in sentence_sums.iter().enumerate() {
                        if *n > 0 && logit(s[lane], *n) > best.0 {
                            best = (logit(s[lane], *n), Some(i));
                        }
                    }
                }
                let ((from, to), span) = match best.1 {
                    Some(i) => (segments.sentences[i], segments.sentence_span(i)),
                    None => ((0, segments.words.len() as u32), segments.text_span()),
                };
                let probability = sigmoid(best.0);
                // The words that added most there, strongest first: only a finding of the model names them.
                let mut order: Vec<usize> = Vec::new();
                if probability >= c.warn_at {
                    order = (from as usize..to as usize).filter(|&w| sums[w][lane] > 0).collect();
                    order.sort_by_key(|&w| (std::cmp::Reverse(sums[w][lane]), w));
                }
                Score {
                    category: c.category,
                    rule: c.rule.clone(),
                    message: c.message.clone(),
                    guideline: c.guideline.clone(),
                    probability,
                    span,
                    warn_at: c.warn_at,
                    clean_below: c.clean_below,
                    top_words: order.into_iter().take(3).map(|w| segments.words[w]).collect(),
                }
            })
            .collect()
    }
}

/// Per word: the sums of its features' weights in every lane (all eight, so the additions vectorize), and how
/// many features it has.
struct WordSums<'a> {
    model: &'a Model,
    sums: Vec<[i32; 8]>,
    counts: Vec<u32>,
}

impl<'a> WordSums<'a> {
    fn new(model: &'a Model, words: usize) -> WordSums<'a> {
        WordSums { model, sums: vec![[0; 8]; words], counts: vec![0; words] }
    }

    #[inline]
    fn add(&mut self, word: u32, hash: u64) {
        let w = &self.model.weights[(hash & self.model.mask) as usize];
        let sign = sign_of(hash);
        let sum = &mut self.sums[word as usize];
        for lane in 0..8 {
            sum[lane] += sign * w[lane] as i32;
        }
        self.counts[word as usize] += 1;
    }
}

pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// A normalized text cut into words (and symbols) and sentences, with which words the writer capitalized.
pub struct Segments {
    /// Byte ranges of the words and symbols, in order.
    pub words: Vec<(usize, usize)>,
    is_symbol: Vec<bool>,
    /// Word ranges `[from, to)` of the sentences, in order, covering every word.
    pub sentences: Vec<(u32, u32)>,
    sentence_of_word: Vec<u32>,
    /// Per word: capitalized inside its sentence, as a name is («la Mtra. Ana Solís encabezó», «M.Z.O.»).
    name: Vec<bool>,
}

impl Segments {
    /// The segments of a text as the engine reads it: the words of its normalized copy, and which of them the
    /// writer capitalized inside a sentence, which the normalized copy (lower case) no longer shows.
    pub fn of(original: &str, norm: &Normalized) -> Segments {
        Segments::build(&norm.text, |words| {
            norm.original_starts(words.iter().map(|&(s, _)| s))
                .zip(words)
                .map(|(at, &(s, e))| {
                    let mut chars = original[at..].chars();
                    // An initial («M.») or a capital before a small letter («Ana»); ALL CAPS says nothing.
                    chars.next().is_some_and(char::is_uppercase)
                        && (e - s == 1 || chars.next().is_some_and(char::is_lowercase))
                })
                .collect()
        })
    }

    /// The segments of an already normalized text, with no capitalization known.
    pub fn new(text: &str) -> Segments {
        Segments::build(text, |_| Vec::new())
    }

    fn build(text: &str, capitalized: impl FnOnce(&[(usize, usize)]) -> Vec<bool>) -> Segments {
        let bytes = text.as_bytes();
        let mut words = Vec::new();
        let mut is_symbol = Vec::new();
        let mut sentences = Vec::new();
        let mut sentence_start = 0u32;
        let char_at = |at: usize| match bytes[at] {
            b if b < 0x80 => b as char,
            _ => text[at..].chars().next().expect("a char boundary"),
        };
        let mut at = 0;
        while at < bytes.len() {
            if bytes[at].is_ascii_whitespace() {
                at += 1;
                continue;
            }
            let c = char_at(at);
            let after = at + c.len_utf8();
            if is_word_char(c) || ((c == '#' || c == '@') && after < bytes.len() && is_word_char(char_at(after))) {
                let mut end = after;
                while end < bytes.len() {
                    match bytes[end] {
                        b if b.is_ascii_alphanumeric() || b == b'_' => end += 1,
                        b if b < 0x80 => break,
                        _ => match char_at(end) {
                            c if is_word_char(c) => end += c.len_utf8(),
                            _ => break,
                        },
                    }
                }
                words.push((at, end));
                is_symbol.push(false);
                at = end;
                continue;
            }
            let ends_sentence = matches!(c, '.' | '!' | '?' | '…');
            // «Mtra. Ana», «M. Z. Olvera»: a title or an initial before a name ends no sentence.
            let after_abbreviation = c == '.'
                && words.last().is_some_and(|&(s, e): &(usize, usize)| {
                    e == at && (e - s == 1 || ABBREVIATIONS.contains(&&text[s..e]))
                });
            if !matches!(c, '.' | ',' | ':' | ';' | '(' | ')' | '"' | '\'' | '-') {
                words.push((at, after));
                is_symbol.push(true);
            }
            let at_break =
                ends_sentence && !after_abbreviation && bytes.get(after).is_none_or(|b| b.is_ascii_whitespace());
            if at_break && words.len() as u32 > sentence_start {
                sentences.push((sentence_start, words.len() as u32));
                sentence_start = words.len() as u32;
            }
            at = after;
        }
        if (words.len() as u32) > sentence_start {
            sentences.push((sentence_start, words.len() as u32));
        }
        let mut sentence_of_word = vec![0u32; words.len()];
        for (s, &(from, to)) in sentences.iter().enumerate() {
            sentence_of_word[from as usize..to as usize].fill(s as u32);
        }
        let caps = capitalized(&words);
        let name = (0..words.len())
            .map(|w| caps.get(w).copied().unwrap_or(false) && w > sentences[sentence_of_word[w] as usize].0 as usize)
            .collect();
        Segments { words, is_symbol, sentences, sentence_of_word, name }
    }

    fn sentence_span(&self, i: usize) -> (usize, usize) {
        let (from, to) = self.sentences[i];
        (self.words[from as usize].0, self.words[to as usize - 1].1)
    }

    fn text_span(&self) -> (usize, usize) {
        (self.words[0].0, self.words[self.words.len() - 1].1)
    }
}

/// Calls `emit(word, hash)` for every feature of the text: per word, the word itself, its bigram with the next
/// word of the sentence, «a name» with its neighbours when capitalized, and the character 3–5-grams of
/// « word » (the spaces mark its edges); per symbol, the symbol.
fn each_feature(text: &str, segments: &Segments, mut emit: impl FnMut(u32, u64)) {
    let bytes = text.as_bytes();
    let mut previous: Option<u64> = None;
    for (w, &(s, e)) in segments.words.iter().enumerate() {
        let word = w as u32;
        if segments.is_symbol[w] {
            emit(word, hash_bytes(SEED_SYMBOL, &bytes[s..e]));
            previous = None;
            continue;
        }
        let h = hash_bytes(SEED_WORD, &bytes[s..e]);
        emit(word, h);
        let same_sentence = w > 0 && segments.sentence_of_word[w - 1] == segments.sentence_of_word[w];
        if let Some(p) = previous.filter(|_| same_sentence) {
            emit(word - 1, bigram(p, h));
            if segments.name[w - 1] {
                emit(word - 1, bigram(NAME, h));
            }
        }
        if segments.name[w] {
            emit(word, NAME);
            if let Some(p) = previous.filter(|_| same_sentence) {
                emit(word, bigram(p, NAME));
            }
        }
        previous = Some(h);
        // The n-grams starting at each byte share their first bytes: one running hash gives all three.
        let core = &bytes[s..e.min(s + MAX_WORD_BYTES)];
        let at = |k: usize| if k == 0 || k == core.len() + 1 { b' ' } else { core[k - 1] };
        let padded = core.len() + 2;
        for start in 0..padded.saturating_sub(2) {
            let mut h = mix(mix(mix(SEED_GRAM, at(start)), at(start + 1)), at(start + 2));
            emit(word, finish(h));
            for k in start + 3..(start + 5).min(padded) {
                h = mix(h, at(k));
                emit(word, finish(h));
            }
        }
    }
}

/// A text's features, kept (training needs their vectors).
pub struct Features {
    pub segments: Segments,
    pub items: Vec<Feature>,
}

#[derive(Debug, Clone, Copy)]
pub struct Feature {
    /// The word it was taken from (a bigram counts for its first word).
    pub word: u32,
    pub hash: u64,
}

impl Feature {
    /// The sign its weight is added with.
    pub fn sign(&self) -> i32 {
        sign_of(self.hash)
    }
}

/// +1 or −1, from the hash's top bit: collisions then cancel out on average instead of adding up.
fn sign_of(hash: u64) -> i32 {
    if hash >> 63 == 0 {
        1
    } else {
        -1
    }
}

const SEED_WORD: u64 = 0xcbf2_9ce4_8422_2325;
const SEED_GRAM: u64 = 0x8422_2325_cbf2_9ce4;
const SEED_SYMBOL: u64 = 0x9ce4_8422_2325_cbf2;
/// The feature «a capitalized word inside a sentence».
const NAME: u64 = 0x6e61_6d65_0000_0005;

/// One FNV-1a step. The hashes are written out rather than taken from a crate because the n-grams of a word
/// are hashed incrementally (the 4-gram continues the 3-gram), which no hashing crate's API offers.
fn mix(h: u64, b: u8) -> u64 {
    (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
}

/// FNV's low bits depend only on the input's low bits: folding the high half down and one more multiply
/// spread every byte over the bucket bits and the sign bit.
fn finish(h: u64) -> u64 {
    (h ^ (h >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9) ^ (h >> 32)
}

fn hash_bytes(seed: u64, bytes: &[u8]) -> u64 {
    finish(bytes.iter().fold(seed, |h, &b| mix(h, b)))
}

fn bigram(a: u64, b: u64) -> u64 {
    finish(a.rotate_left(23) ^ b)
}

impl Features {
    /// The features of a text as the engine reads it (see [`Segments::of`]).
    pub fn of(original: &str, norm: &Normalized) -> Features {
        Features::from_segments(&norm.text, Segments::of(original, norm))
    }

    /// The features of an already normalized text, with no capitalization known.
    pub fn new(text: &str) -> Features {
        Features::from_segments(text, Segments::new(text))
    }

    fn from_segments(text: &str, segments: Segments) -> Features {
        let mut items = Vec::with_capacity(text.len() * 3);
        each_feature(text, &segments, |word, hash| items.push(Feature { word, hash }));
        Features { segments, items }
    }

    /// The sparse vector the model is trained on: bucket → value, summed over the text and scaled by 1/√n.
    pub fn vector(&self, bits: u8) -> Vec<(u32, f32)> {
        self.vector_of(bits, 0..self.segments.words.len() as u32)
    }

    /// The vector of each sentence, when there are several: what the engine scores them by.
    pub fn sentence_vectors(&self, bits: u8) -> Vec<Vec<(u32, f32)>> {
        match self.segments.sentences.len() {
            0 | 1 => Vec::new(),
            _ => self.segments.sentences.iter().map(|&(from, to)| self.vector_of(bits, from..to)).collect(),
        }
    }

    fn vector_of(&self, bits: u8, words: std::ops::Range<u32>) -> Vec<(u32, f32)> {
        let mask = (1u64 << bits) - 1;
        let mut v: Vec<(u32, f32)> = self
            .items
            .iter()
            .filter(|f| words.contains(&f.word))
            .map(|f| ((f.hash & mask) as u32, sign_of(f.hash) as f32))
            .collect();
        let norm = (v.len() as f32).sqrt();
        v.sort_unstable_by_key(|&(b, _)| b);
        let mut out: Vec<(u32, f32)> = Vec::with_capacity(v.len());
        for (b, x) in v {
            match out.last_mut() {
                Some(last) if last.0 == b => last.1 += x,
                _ => out.push((b, x)),
            }
        }
        out.retain(|&(_, x)| x != 0.0);
        out.iter_mut().for_each(|(_, x)| *x /= norm);
        out
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(weights_of: impl Fn(u64) -> i8, warn_at: f32) -> Model {
        let bits = 12;
        let bytes: Vec<u8> = (0..1u64 << bits).map(|b| weights_of(b) as u8).collect();
        ModelData {
            format: FORMAT.into(),
            bits,
            trained_on: None,
            categories: vec![CategoryModel {
                category: Category::Discourtesy,
                message: "m".into(),
                guideline: "g".into(),
                bias: -1.0,
                scale: 0.5,
                warn_at,
                clean_below: 0.1,
                weights: base64::engine::general_purpose::STANDARD.encode(bytes),
            }],
        }
        .compile()
        .unwrap()
    }

    const PINNED_HOLA: u64 = 0x8987_f002_370c_ec78;

    #[test]
    fn features_are_the_same_on_every_platform() {
        // Pinned: every trained model depends on these hashes (change them and retrain rules/model.json).
        let f = Features::new("hola");
        assert_eq!(f.items[0].hash, hash_bytes(SEED_WORD, b"hola"));
        assert_eq!(f.items[0].hash, PINNED_HOLA, "{:#x}", f.items[0].hash);
        assert_eq!(f.segments.words, vec![(0, 4)]);
        assert_eq!(f.items.len(), 1 + 4 + 3 + 2, "word, 3-grams of ' hola ', 4-grams, 5-grams");
    }

    #[test]
    fn sentences_split_at_final_punctuation_followed_by_space() {
        let f = Features::new("gracias por escribir. usted no entiende nada!! version 2.5 lista");
        assert_eq!(f.segments.sentences.len(), 3, "«2.5» splits nothing: {:?}", f.segments.sentences);
        assert_eq!(f.segments.sentence_span(1), (22, 46), "«usted no entiende nada!!»");
    }

    #[test]
    fn the_best_sentence_carries_the_score_and_its_words() {
        let bad = Features::new("ignorante");
        let bad_word = bad.items[0].hash & 0xfff;
        let m = model(|b| if b == bad_word { 127 } else { 0 }, 0.5);
        let text = "buenos dias a todos los presentes. usted es un ignorante. saludos cordiales a la comunidad";
        let s = &m.score(&Features::new(text))[0];
        assert_eq!(&text[s.span.0..s.span.1], "usted es un ignorante", "the sentence's words");
        assert_eq!(s.top_words.iter().map(|&(a, b)| &text[a..b]).collect::<Vec<_>>(), ["ignorante"]);
        assert!(s.probability > 0.9, "{}", s.probability);
        let calm = &m.score(&Features::new("buenos dias a todos"))[0];
        assert!(calm.probability < 0.3, "{}", calm.probability);
    }

    #[test]
    fn capitalized_words_inside_a_sentence_stand_as_names() {
        let text = "Hoy la Mtra. Ana Solís encabezó la mesa. HOY TODOS";
        let norm = Normalized::new(text);
        let with = Features::of(text, &norm);
        let without = Features::new(&norm.text);
        let names = |f: &Features| f.items.iter().filter(|i| i.hash == NAME).count();
        // «Mtra», «Ana», «Solís»; not «Hoy» (it opens the sentence) nor the ALL CAPS words.
        assert_eq!(names(&with), 3);
        assert_eq!(names(&without), 0);
    }

    #[test]
    fn bad_models_are_refused_with_the_field_named() {
        let good = ModelData {
            format: FORMAT.into(),
            bits: 10,
            trained_on: None,
            categories: vec![CategoryModel {
                category: Category::Electoral,
                message: "m".into(),
                guideline: "g".into(),
                bias: 0.0,
                scale: 1.0,
                warn_at: 0.8,
                clean_below: 0.1,
                weights: base64::engine::general_purpose::STANDARD.encode(vec![0u8; 1024]),
            }],
        };
        assert!(good.compile().is_ok());
        let field = |m: ModelData| m.compile().unwrap_err().field.unwrap();
        assert_eq!(field(ModelData { bits: 20, ..good.clone() }), "model.bits");
        assert_eq!(field(ModelData { format: "x".into(), ..good.clone() }), "model.format");
        let mut short = good.clone();
        short.categories[0].weights = base64::engine::general_purpose::STANDARD.encode(vec![0u8; 1000]);
        assert_eq!(field(short), "model.categories[electoral].weights");
        let mut inverted = good.clone();
        inverted.categories[0].clean_below = 0.9;
        assert_eq!(field(inverted), "model.categories[electoral].warnAt");
        let mut twice = good.clone();
        twice.categories.push(good.categories[0].clone());
        assert_eq!(field(twice), "model.categories[electoral].category");
    }
}
