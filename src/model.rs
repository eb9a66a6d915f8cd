//! The learned scorer beside the rules: one linear model per category over hashed features of the normalized
//! text. Rules give exact spans and quote the guideline, but no list holds every way of being condescending or
//! of crediting a government with its works; the model scores how much a text reads like each category, so the
//! engine can quiet a rule finding the model reads as clean, and warn where no rule fired.
//!
//! The model is data in the rule pack (`model`), written by `blindaje train`: per category a bias, a scale,
//! 2^bits weights quantized to i8 (base64), and two thresholds chosen on writers the weights were not fitted on.
//! Features ([`Features`]) are word 1–2-grams, character 3–5-grams inside each word and symbols (emoji,
//! punctuation), hashed with xxh3 (the same on every platform), signed by a bit of the hash and scaled by 1/√n.
//! A score is therefore a sum of weights, computed in one pass for the whole text and for each sentence.

use crate::finding::Category;
use crate::normalize::Normalized;
use crate::pack::PackError;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// The one model format this engine reads.
pub const FORMAT: &str = "blindaje-lineal-1";
/// Hash widths a pack may use: 2^10 to 2^17 weights per category (at most ~1 MB of base64 for six).
pub const BITS: std::ops::RangeInclusive<u8> = 10..=17;
/// The most base64 a pack's model may carry.
pub const MAX_MODEL_BYTES: usize = 1 << 20;
/// Character n-grams are taken from at most this many bytes of a word (URLs and runs of letters add nothing).
const MAX_WORD_BYTES: usize = 24;
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
    /// The words that added most to it there, strongest first (bytes of the normalized text).
    pub top_words: Vec<(usize, usize)>,
}

impl Model {
    pub fn categories(&self) -> impl Iterator<Item = Category> + '_ {
        self.categories.iter().map(|c| c.category)
    }

    /// Every category's score on a text's features; none for a text without any.
    pub fn score(&self, features: &Features) -> Vec<Score> {
        if features.items.is_empty() {
            return Vec::new();
        }
        let lanes = self.categories.len();
        // Per sentence: the sums of the weights of its features, lane by lane, and how many there are.
        let mut sums = vec![[0i32; 8]; features.sentences.len()];
        let mut counts = vec![0u32; features.sentences.len()];
        for f in &features.items {
            let w = &self.weights[(f.hash & self.mask) as usize];
            let s = features.sentence_of_word[f.word as usize] as usize;
            let sign = f.sign();
            for lane in 0..lanes {
                sums[s][lane] += sign * w[lane] as i32;
            }
            counts[s] += 1;
        }
        let total: u32 = counts.iter().sum();
        self.categories
            .iter()
            .enumerate()
            .map(|(lane, c)| {
                let logit = |sum: i32, n: u32| c.bias + c.scale * sum as f32 / (n as f32).sqrt();
                let whole: i32 = sums.iter().map(|s| s[lane]).sum();
                let mut best = (logit(whole, total), None);
                if sums.len() > 1 {
                    for (i, (s, &n)) in sums.iter().zip(&counts).enumerate() {
                        if n > 0 && logit(s[lane], n) > best.0 {
                            best = (logit(s[lane], n), Some(i));
                        }
                    }
                }
                let (words, span) = match best.1 {
                    Some(i) => (features.sentences[i], features.sentence_span(i)),
                    None => ((0, features.words.len() as u32), features.text_span()),
                };
                Score {
                    category: c.category,
                    rule: c.rule.clone(),
                    message: c.message.clone(),
                    guideline: c.guideline.clone(),
                    probability: sigmoid(best.0),
                    span,
                    warn_at: c.warn_at,
                    clean_below: c.clean_below,
                    top_words: self.top_words(features, lane, words, 3),
                }
            })
            .collect()
    }

    /// The words of `[from, to)` whose features add most to lane's score, strongest first.
    fn top_words(&self, features: &Features, lane: usize, (from, to): (u32, u32), n: usize) -> Vec<(usize, usize)> {
        let mut by_word = vec![0i32; (to - from) as usize];
        for f in features.items.iter().filter(|f| (from..to).contains(&f.word)) {
            by_word[(f.word - from) as usize] += f.sign() * self.weights[(f.hash & self.mask) as usize][lane] as i32;
        }
        let mut order: Vec<usize> = (0..by_word.len()).filter(|&i| by_word[i] > 0).collect();
        order.sort_by_key(|&i| (std::cmp::Reverse(by_word[i]), i));
        order.into_iter().take(n).map(|i| features.words[from as usize + i]).collect()
    }
}

pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// The hashed features of a normalized text, with the words and sentences they belong to.
pub struct Features {
    /// Byte ranges of the words and symbols, in order.
    pub words: Vec<(usize, usize)>,
    /// Word ranges `[from, to)` of the sentences, in order, covering every word.
    pub sentences: Vec<(u32, u32)>,
    sentence_of_word: Vec<u32>,
    pub items: Vec<Feature>,
}

#[derive(Debug, Clone, Copy)]
pub struct Feature {
    /// The word it was taken from (a bigram counts for its first word).
    pub word: u32,
    pub hash: u64,
}

impl Feature {
    /// +1 or −1, from the hash's top bit: collisions then cancel out on average instead of adding up.
    pub fn sign(&self) -> i32 {
        if self.hash >> 63 == 0 {
            1
        } else {
            -1
        }
    }
}

const SEED_WORD: u64 = 1;
const SEED_BIGRAM: u64 = 2;
const SEED_GRAM: u64 = 3;
const SEED_SYMBOL: u64 = 4;
/// The feature «a capitalized word inside a sentence».
const NAME: u64 = 0x6e61_6d65_0000_0005;

fn bigram(a: u64, b: u64) -> u64 {
    (a.rotate_left(23) ^ b).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ SEED_BIGRAM
}

impl Features {
    /// The features of a text as the engine reads it: the words of its normalized copy, and which of them the
    /// writer capitalized inside a sentence (a name: «la Mtra. Ana Solís encabezó», «M.Z.O.»), which the
    /// normalized copy no longer shows.
    pub fn of(original: &str, norm: &Normalized) -> Features {
        Features::build(&norm.text, |words| {
            norm.original_spans(original, words.iter().copied())
                .map(|(s, e)| {
                    let word = &original[s..e];
                    let mut letters = word.chars().filter(|c| c.is_alphabetic());
                    let first_upper = word.chars().next().is_some_and(char::is_uppercase);
                    // A hashtag's words map to the whole hashtag; ALL CAPS says nothing about names.
                    first_upper && (word.chars().count() == 1 || letters.any(char::is_lowercase))
                })
                .collect()
        })
    }

    /// The features of an already normalized text, with no capitalization known.
    pub fn new(text: &str) -> Features {
        Features::build(text, |_| Vec::new())
    }

    fn build(text: &str, capitalized: impl FnOnce(&[(usize, usize)]) -> Vec<bool>) -> Features {
        let bytes = text.as_bytes();
        let mut words = Vec::new();
        let mut is_symbol = Vec::new();
        let mut sentences = Vec::new();
        let mut sentence_start = 0u32;
        let mut i = 0;
        for (at, c) in text.char_indices() {
            if at < i {
                continue;
            }
            if is_word_char(c) || ((c == '#' || c == '@') && text[at + 1..].starts_with(is_word_char)) {
                let end = text[at + c.len_utf8()..]
                    .find(|c: char| !is_word_char(c))
                    .map_or(text.len(), |e| at + c.len_utf8() + e);
                words.push((at, end));
                is_symbol.push(false);
                i = end;
            } else if !c.is_whitespace() {
                i = at + c.len_utf8();
                let ends_sentence = matches!(c, '.' | '!' | '?' | '…');
                if !matches!(c, '.' | ',' | ':' | ';' | '(' | ')' | '"' | '\'' | '-') {
                    words.push((at, i));
                    is_symbol.push(true);
                }
                // «Mtra. Ana», «M. Z. Olvera»: a title or an initial before a name ends no sentence.
                let after_abbreviation = c == '.'
                    && words
                        .last()
                        .is_some_and(|&(s, e)| e == at && (e - s == 1 || ABBREVIATIONS.contains(&&text[s..e])));
                let at_break =
                    ends_sentence && !after_abbreviation && bytes.get(i).is_none_or(|b| b.is_ascii_whitespace());
                if at_break && words.len() as u32 > sentence_start {
                    sentences.push((sentence_start, words.len() as u32));
                    sentence_start = words.len() as u32;
                }
            }
        }
        if (words.len() as u32) > sentence_start {
            sentences.push((sentence_start, words.len() as u32));
        }
        let mut sentence_of_word = vec![0u32; words.len()];
        for (s, &(from, to)) in sentences.iter().enumerate() {
            sentence_of_word[from as usize..to as usize].fill(s as u32);
        }
        let caps = capitalized(&words);
        let is_name =
            |w: usize| caps.get(w).copied().unwrap_or(false) && w > sentences[sentence_of_word[w] as usize].0 as usize;
        let mut items = Vec::with_capacity(text.len() * 2);
        let mut gram = [0u8; MAX_WORD_BYTES + 2];
        let mut previous: Option<u64> = None;
        for (w, (&(s, e), &symbol)) in words.iter().zip(&is_symbol).enumerate() {
            let word = w as u32;
            if symbol {
                items.push(Feature { word, hash: xxh3_64_with_seed(&bytes[s..e], SEED_SYMBOL) });
                previous = None;
                continue;
            }
            let h = xxh3_64_with_seed(&bytes[s..e], SEED_WORD);
            items.push(Feature { word, hash: h });
            // A bigram inside one sentence; it belongs to its first word. A capitalized word inside a sentence
            // also stands as «a name», alone and beside its neighbours.
            let same_sentence = w > 0 && sentence_of_word[w - 1] == sentence_of_word[w];
            if let Some(p) = previous.filter(|_| same_sentence) {
                items.push(Feature { word: word - 1, hash: bigram(p, h) });
                if is_name(w - 1) {
                    items.push(Feature { word: word - 1, hash: bigram(NAME, h) });
                }
            }
            if is_name(w) {
                items.push(Feature { word, hash: NAME });
                if let Some(p) = previous.filter(|_| same_sentence) {
                    items.push(Feature { word, hash: bigram(p, NAME) });
                }
            }
            previous = Some(h);
            // Character n-grams of " word ", the spaces marking its edges.
            let core = &bytes[s..e.min(s + MAX_WORD_BYTES)];
            let padded = &mut gram[..core.len() + 2];
            padded[0] = b' ';
            padded[1..=core.len()].copy_from_slice(core);
            padded[core.len() + 1] = b' ';
            for n in 3..=5 {
                for g in padded.windows(n) {
                    items.push(Feature { word, hash: xxh3_64_with_seed(g, SEED_GRAM) });
                }
            }
        }
        Features { words, sentences, sentence_of_word, items }
    }

    /// The sparse vector the model is trained on: bucket → value, summed over the text and scaled by 1/√n.
    pub fn vector(&self, bits: u8) -> Vec<(u32, f32)> {
        self.vector_of(bits, 0..self.words.len() as u32)
    }

    /// The vector of each sentence, when there are several: what the engine scores them by.
    pub fn sentence_vectors(&self, bits: u8) -> Vec<Vec<(u32, f32)>> {
        match self.sentences.len() {
            0 | 1 => Vec::new(),
            _ => self.sentences.iter().map(|&(from, to)| self.vector_of(bits, from..to)).collect(),
        }
    }

    fn vector_of(&self, bits: u8, words: std::ops::Range<u32>) -> Vec<(u32, f32)> {
        let mask = (1u64 << bits) - 1;
        let mut v: Vec<(u32, f32)> = self
            .items
            .iter()
            .filter(|f| words.contains(&f.word))
            .map(|f| ((f.hash & mask) as u32, f.sign() as f32))
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

    fn sentence_span(&self, i: usize) -> (usize, usize) {
        let (from, to) = self.sentences[i];
        (self.words[from as usize].0, self.words[to as usize - 1].1)
    }

    fn text_span(&self) -> (usize, usize) {
        (self.words[0].0, self.words[self.words.len() - 1].1)
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

    #[test]
    fn features_are_the_same_on_every_platform() {
        // xxh3 is defined on bytes, not on the machine's word size: these values hold natively and in wasm.
        let f = Features::new("hola");
        assert_eq!(f.items[0].hash, xxh3_64_with_seed(b"hola", SEED_WORD));
        assert_eq!(f.words, vec![(0, 4)]);
        assert_eq!(f.items.len(), 1 + 4 + 3 + 2, "word, 3-grams of ' hola ', 4-grams, 5-grams");
    }

    #[test]
    fn sentences_split_at_final_punctuation_followed_by_space() {
        let f = Features::new("gracias por escribir. usted no entiende nada!! version 2.5 lista");
        assert_eq!(f.sentences.len(), 3, "«2.5» splits nothing: {:?}", f.sentences);
        assert_eq!(f.sentence_span(1), (22, 46), "«usted no entiende nada!!»");
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
