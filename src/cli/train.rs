//! `blindaje train`: fits the model that rides in a rule pack beside the rules (see `blindaje::model`) on
//! labeled corpora, so an admin can retrain it with the institution's own posts.
//!
//! Per category, a logistic regression with an L2 penalty over the hashed features, fitted with argmin's
//! L-BFGS. Only items whose context lets the category warn are used for it: an insult on a personal account is
//! labeled clean because of where it was written, not because of what it says. The two thresholds (`warnAt`,
//! `cleanBelow`) are chosen on scores of groups (writers) the weights never saw: each group is scored by a model
//! fitted on the others, and the thresholds that give the best F-beta (β = 0.5: a false alarm weighs more than a
//! miss) of rules and model together are kept. The
//! final weights are then fitted on everything. Same input, same bytes out: no randomness, fixed order.

use super::check::{context_of, today};
use super::eval::read_corpus;
use super::load::{self, EngineFiles};
use argmin::core::{CostFunction, Error as ArgminError, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use base64::Engine as _;
use blindaje::model::{CategoryModel, Features, ModelData, TrainedOn, FORMAT};
use blindaje::normalize::Normalized;
use blindaje::{severity, Category, Engine, Pack, Severity};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct TrainArgs {
    /// Labeled corpora (JSON lines with id, text, account, date, kind, site, expect; `writer` groups items).
    #[arg(required = true)]
    corpus: Vec<PathBuf>,
    /// Policy file the corpus is judged under (names, calendar).
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Admin pack to carry the model (its rules are used while choosing thresholds); without it, a pack with
    /// the model alone.
    #[arg(long, value_name = "FILE")]
    base: Option<PathBuf>,
    /// Where to write the pack with its model.
    #[arg(long, value_name = "FILE", required_unless_present = "model_out")]
    out: Option<PathBuf>,
    /// Also (or only) write the model object by itself (how the embedded default keeps it: rules/model.json).
    #[arg(long, value_name = "FILE")]
    model_out: Option<PathBuf>,
    /// log2 of the hashed features per category.
    #[arg(long, default_value_t = 15)]
    bits: u8,
    /// Strength of the L2 penalty.
    #[arg(long, default_value_t = 1e-4)]
    l2: f64,
    /// Thresholds maximize F-beta of rules and model together: below 1 a false alarm costs more than a miss
    /// (staff stop reading a tool that cries wolf).
    #[arg(long, default_value_t = 0.5)]
    beta: f64,
}

/// What the model's findings say, per category (the words that weighed most are added after it).
fn message(category: Category) -> &'static str {
    match category {
        Category::Electoral => {
            "El texto se lee como propaganda político-electoral: apoyo, ataque o llamado a votar por un partido o una candidatura."
        }
        Category::Achievements => "El texto se lee como difusión de logros de gobierno (obras, cifras o resultados como mérito).",
        Category::Personalized => {
            "El texto se lee como promoción personalizada: el nombre de una persona servidora pública donde va el de la Comisión."
        }
        Category::Discourtesy => "La respuesta se lee descortés, burlona o descalificadora hacia la persona usuaria.",
        Category::Unverified => "El texto se lee como información de fuentes no identificadas, rumores o datos sin confirmar.",
        Category::Resources => "El texto se lee como uso de recursos institucionales con fines electorales.",
    }
}

struct Item {
    vector: Vec<(u32, f32)>,
    /// Each sentence's vector, for texts of several: a text without a category has no sentence of it either,
    /// and the engine scores sentences one by one.
    sentences: Vec<Vec<(u32, f32)>>,
    features: Features,
    group: usize,
    expect: BTreeSet<Category>,
    /// Per category: whether its context lets it warn, and whether a rule warns.
    applies: BTreeMap<Category, bool>,
    /// Categories a rule warns in, and those with a high warning (which the model never quiets).
    rule_warns: BTreeSet<Category>,
    rule_high: BTreeSet<Category>,
}

pub fn run(args: TrainArgs) -> Result<ExitCode, String> {
    if !blindaje::model::BITS.contains(&args.bits) {
        return Err(format!(
            "--bits must be between {} and {}",
            blindaje::model::BITS.start(),
            blindaje::model::BITS.end()
        ));
    }
    let base = args.base.as_deref().map(load::admin_pack).transpose()?;
    let files = EngineFiles { policy: args.policy.clone(), ..EngineFiles::default() };
    let policy = load::policy(files.policy.as_deref())?;
    // The rules the model will sit beside: the default pack and the base pack's rules, without any model.
    let rules_only = base.as_ref().map(|b| Pack { model: None, ..b.clone() });
    let mut default = Engine::default_pack();
    default.model = None;
    let engine = Engine::with_packs(policy.clone(), &default, rules_only.as_ref()).map_err(|e| e.to_string())?;
    let raw = read_corpus(&args.corpus)?;
    let mut groups: Vec<String> = Vec::new();
    let today = today();
    let mut items = Vec::with_capacity(raw.len());
    for (value, expect, where_) in &raw {
        let (text, context) = context_of(value, today).map_err(|e| format!("{where_}: {e}"))?;
        let group_name = match value.get("writer").and_then(Value::as_str) {
            Some(w) => w.to_string(),
            None => where_.split(": line").next().unwrap_or_default().to_string(),
        };
        let group = groups.iter().position(|g| *g == group_name).unwrap_or_else(|| {
            groups.push(group_name);
            groups.len() - 1
        });
        let phase = policy.phase_on(context.date);
        let applies = Category::ALL
            .into_iter()
            .map(|c| (c, severity::decide(c, Severity::Medium, context.account, phase).is_warning()))
            .collect();
        let findings = engine.analyze(&text, &context);
        let rule_warns = findings.iter().filter(|f| f.severity.is_warning()).map(|f| f.category).collect();
        let rule_high = findings.iter().filter(|f| f.severity == Severity::High).map(|f| f.category).collect();
        let features = Features::of(&text, &Normalized::new(&text));
        let vector = features.vector(args.bits);
        let sentences = features.sentence_vectors(args.bits);
        items.push(Item { vector, sentences, features, group, expect: expect.clone(), applies, rule_warns, rule_high });
    }
    if groups.len() < 2 {
        return Err(
            "the corpus needs at least two groups (writers, or files) to choose thresholds on unseen ones".into()
        );
    }
    let dims = 1usize << args.bits;
    let mut categories = Vec::new();
    eprintln!("category      items  pos  | rules: P    R    F1   | rules+model: P    R    F1   | warnAt cleanBelow");
    for category in Category::ALL {
        let rows: Vec<&Item> = items.iter().filter(|i| i.applies[&category]).collect();
        let positives = rows.iter().filter(|i| i.expect.contains(&category)).count();
        if positives == 0 || positives == rows.len() {
            eprintln!(
                "{:<13} {:>5} {positives:>4}  (skipped: needs positive and negative items)",
                category.id(),
                rows.len()
            );
            continue;
        }
        let guideline = engine
            .rules()
            .iter()
            .find(|r| r.category == category)
            .map(|r| r.guideline.to_string())
            .ok_or_else(|| format!("no rule of category {} to take the guideline quote from", category.id()))?;
        let template = |weights: &[f64]| quantize(category, &guideline, weights, args.bits, 1.0, 0.0);
        // Out-of-group scores: each group scored by weights fitted on the others.
        let mut held_apart = vec![0f32; rows.len()];
        for g in 0..groups.len() {
            let (fit, score): (Vec<usize>, Vec<usize>) = (0..rows.len()).partition(|&k| rows[k].group != g);
            if score.is_empty() {
                continue;
            }
            let weights = fit_logistic(&fit.iter().map(|&k| rows[k]).collect::<Vec<_>>(), category, dims, args.l2)?;
            let model = one_category(template(&weights), args.bits)?;
            for k in score {
                held_apart[k] = model.score(&rows[k].features).first().map_or(0.0, |s| s.probability);
            }
        }
        let labels: Vec<bool> = rows.iter().map(|i| i.expect.contains(&category)).collect();
        let rule: Vec<bool> = rows.iter().map(|i| i.rule_warns.contains(&category)).collect();
        let high: Vec<bool> = rows.iter().map(|i| i.rule_high.contains(&category)).collect();
        let (warn_at, clean_below, with_model) = choose_thresholds(&held_apart, &rule, &high, &labels, args.beta);
        let rules_alone = f1_of(&labels, &rule);
        eprintln!(
            "{:<13} {:>5} {positives:>4}  |        {:.2} {:.2} {:.2} |              {:.2} {:.2} {:.2} | {warn_at:.2}   {clean_below:.2}",
            category.id(),
            rows.len(),
            rules_alone.0,
            rules_alone.1,
            rules_alone.2,
            with_model.0,
            with_model.1,
            with_model.2
        );
        let weights = fit_logistic(&rows, category, dims, args.l2)?;
        categories.push(quantize(category, &guideline, &weights, args.bits, warn_at, clean_below));
    }
    let files_named = args.corpus.iter().map(|p| p.file_name().unwrap_or_default().to_string_lossy().into_owned());
    let model = ModelData {
        format: FORMAT.into(),
        bits: args.bits,
        trained_on: Some(TrainedOn { items: items.len(), files: files_named.collect(), groups }),
        categories,
    };
    model.compile().map_err(|e| format!("the trained model is invalid (a bug): {e}"))?;
    if let Some(path) = &args.model_out {
        write(path, &model)?;
    }
    if let Some(path) = &args.out {
        let pack = match base {
            Some(b) => Pack { model: Some(model), ..b },
            None => Pack {
                schema: None,
                id: "modelo-entrenado".into(),
                version: 1,
                description: Some("Modelo entrenado con `blindaje train`, sin reglas propias.".into()),
                rules: Vec::new(),
                lists: BTreeMap::new(),
                disable: Vec::new(),
                allow: Vec::new(),
                sites: Vec::new(),
                test_policy: None,
                model: Some(model),
            },
        };
        write(path, &pack)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write(path: &std::path::Path, value: &impl serde::Serialize) -> Result<(), String> {
    let json = serde_json::to_string_pretty(value).expect("a model serializes") + "\n";
    std::fs::write(path, json).map_err(|e| format!("{}: cannot write: {e}", path.display()))
}

fn one_category(data: CategoryModel, bits: u8) -> Result<blindaje::model::Model, String> {
    ModelData { format: FORMAT.into(), bits, trained_on: None, categories: vec![data] }
        .compile()
        .map_err(|e| format!("a fold's model is invalid (a bug): {e}"))
}

/// Weights (last one the bias) to i8 steps of `max |w| / 127`.
fn quantize(category: Category, guideline: &str, w: &[f64], bits: u8, warn_at: f32, clean_below: f32) -> CategoryModel {
    let (weights, bias) = w.split_at(1 << bits);
    let largest = weights.iter().fold(0f64, |m, x| m.max(x.abs())).max(1e-9);
    let scale = largest / 127.0;
    let bytes: Vec<u8> = weights.iter().map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8 as u8).collect();
    CategoryModel {
        category,
        message: message(category).into(),
        guideline: guideline.into(),
        bias: bias[0] as f32,
        scale: scale as f32,
        warn_at,
        clean_below,
        weights: base64::engine::general_purpose::STANDARD.encode(bytes),
    }
}

/// A text, or a sentence of a text without the category, and whether it has the category.
struct Row<'a> {
    vector: &'a [(u32, f32)],
    positive: bool,
}

fn rows_of<'a>(items: &[&'a Item], category: Category) -> Vec<Row<'a>> {
    let mut rows = Vec::new();
    for item in items {
        let positive = item.expect.contains(&category);
        rows.push(Row { vector: &item.vector, positive });
        if !positive {
            rows.extend(item.sentences.iter().map(|s| Row { vector: s, positive: false }));
        }
    }
    rows
}

/// Mean logistic loss plus `l2/2 · |w|²` (the bias unpenalized), over sparse rows.
struct Logistic<'a> {
    rows: Vec<Row<'a>>,
    dims: usize,
    l2: f64,
}

impl Logistic<'_> {
    /// The row's score `z` and its label as ±1.
    fn margin(&self, w: &[f64], row: &Row) -> (f64, f64) {
        let z = w[self.dims] + row.vector.iter().map(|&(b, x)| w[b as usize] * x as f64).sum::<f64>();
        (z, if row.positive { 1.0 } else { -1.0 })
    }
}

impl CostFunction for Logistic<'_> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, w: &Vec<f64>) -> Result<f64, ArgminError> {
        let loss: f64 = self.rows.iter().map(|row| self.margin(w, row)).map(|(z, y)| softplus(-y * z)).sum();
        let penalty: f64 = w[..self.dims].iter().map(|x| x * x).sum();
        Ok(loss / self.rows.len() as f64 + self.l2 / 2.0 * penalty)
    }
}

impl Gradient for Logistic<'_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, w: &Vec<f64>) -> Result<Vec<f64>, ArgminError> {
        let n = self.rows.len() as f64;
        let mut g: Vec<f64> = w[..self.dims].iter().map(|x| self.l2 * x).chain([0.0]).collect();
        for row in &self.rows {
            let (z, y) = self.margin(w, row);
            // d/dz softplus(-y z) = -y σ(-y z)
            let d = -y / (1.0 + (y * z).exp()) / n;
            for &(b, x) in row.vector {
                g[b as usize] += d * x as f64;
            }
            g[self.dims] += d;
        }
        Ok(g)
    }
}

fn softplus(x: f64) -> f64 {
    if x > 30.0 {
        x
    } else {
        x.exp().ln_1p()
    }
}

fn fit_logistic(rows: &[&Item], category: Category, dims: usize, l2: f64) -> Result<Vec<f64>, String> {
    let problem = Logistic { rows: rows_of(rows, category), dims, l2 };
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 7).with_tolerance_grad(1e-6).map_err(|e| e.to_string())?;
    let result = Executor::new(problem, solver)
        .configure(|state| state.param(vec![0.0; dims + 1]).max_iters(300))
        .run()
        .map_err(|e| format!("fitting {}: {e}", category.id()))?;
    result.state().get_best_param().cloned().ok_or_else(|| format!("fitting {}: no solution", category.id()))
}

/// The thresholds with the best F-beta of rules and model together on held-apart scores (a high rule warning always
/// stands, as in the engine); ties go to the model
/// saying less (a higher `warnAt`, a lower `cleanBelow`). Returns them with (precision, recall, F1).
fn choose_thresholds(
    p: &[f32],
    rule: &[bool],
    high: &[bool],
    labels: &[bool],
    beta: f64,
) -> (f32, f32, (f64, f64, f64)) {
    let f_beta = |(p, r, _): (f64, f64, f64)| {
        let b2 = beta * beta;
        if p + r == 0.0 {
            0.0
        } else {
            (1.0 + b2) * p * r / (b2 * p + r)
        }
    };
    let mut best = (1.0f32, 0.0f32, f1_of(labels, rule));
    for warn in (30..=100).rev() {
        let warn_at = warn as f32 / 100.0;
        // The model quiets a rule only where it is confident the text is clean: p under 0.05 at most (on the
        // first corpus's writers a bolder model quieted true warnings of achievements and unverified).
        for clean in 0..=5 {
            let clean_below = clean as f32 / 100.0;
            if clean_below > warn_at {
                break;
            }
            let decided: Vec<bool> = (0..p.len())
                .map(|k| high[k] || (rule[k] && p[k] >= clean_below) || (warn < 100 && p[k] >= warn_at))
                .collect();
            let f = f1_of(labels, &decided);
            if f_beta(f) > f_beta(best.2) + 1e-9 {
                best = (warn_at, clean_below, f);
            }
        }
    }
    best
}

fn f1_of(labels: &[bool], decided: &[bool]) -> (f64, f64, f64) {
    let tp = labels.iter().zip(decided).filter(|(l, d)| **l && **d).count() as f64;
    let fp = labels.iter().zip(decided).filter(|(l, d)| !**l && **d).count() as f64;
    let fneg = labels.iter().zip(decided).filter(|(l, d)| **l && !**d).count() as f64;
    let precision = if tp + fp == 0.0 { 1.0 } else { tp / (tp + fp) };
    let recall = if tp + fneg == 0.0 { 1.0 } else { tp / (tp + fneg) };
    let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
    (precision, recall, f1)
}
