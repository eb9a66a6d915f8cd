//! `blindaje eval`: scores the engine on a labeled corpus (JSON lines with the `check --jsonl` fields plus
//! `expect`, the categories that must warn). Per category precision and recall, micro F1, the false-alarm
//! rate on clean items (those that expect nothing), and every miss listed.

use super::check::{context_of, today};
use super::load::{self, EngineFiles};
use blindaje::{Category, Engine};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct EvalArgs {
    /// Corpus files (JSON lines with id, text, account, date, kind, site, expect).
    #[arg(required = true)]
    corpus: Vec<PathBuf>,
    /// Print the scores as one JSON object instead of a table.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    files: EngineFiles,
}

#[derive(Default, Serialize, Clone, Copy)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

#[derive(Serialize)]
pub struct Miss {
    pub id: Value,
    pub category: Category,
    /// `missed` (expected, not warned) or `false-alarm` (warned, not expected).
    pub kind: &'static str,
    pub text: String,
    pub excerpts: Vec<String>,
}

#[derive(Serialize)]
pub struct Scores {
    pub items: usize,
    pub clean_items: usize,
    pub clean_items_warned: usize,
    pub false_alarm_rate: f64,
    pub categories: BTreeMap<Category, CategoryScore>,
    pub micro: CategoryScore,
    pub misses: Vec<Miss>,
}

#[derive(Serialize)]
pub struct CategoryScore {
    #[serde(flatten)]
    pub counts: Counts,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl From<Counts> for CategoryScore {
    fn from(counts: Counts) -> Self {
        CategoryScore { counts, precision: counts.precision(), recall: counts.recall(), f1: counts.f1() }
    }
}

pub fn run(args: EvalArgs) -> Result<ExitCode, String> {
    let engine = load::engine(&args.files)?;
    let items = read_corpus(&args.corpus)?;
    let scores = score(&engine, &items)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&scores).expect("scores serialize"));
    } else {
        print_table(&scores);
    }
    Ok(ExitCode::SUCCESS)
}

/// A labeled corpus: each item with its expected categories and where it was read (file and line).
pub fn read_corpus(paths: &[PathBuf]) -> Result<Vec<(Value, BTreeSet<Category>, String)>, String> {
    let mut items = Vec::new();
    for path in paths {
        let source = load::read(path)?;
        for (n, line) in source.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let where_ = format!("{}: line {}", path.display(), n + 1);
            let item: Value = serde_json::from_str(line).map_err(|e| format!("{where_}: not valid JSON: {e}"))?;
            let expect = expected(&item).map_err(|e| format!("{where_}: {e}"))?;
            items.push((item, expect, where_));
        }
    }
    Ok(items)
}

fn expected(item: &Value) -> Result<BTreeSet<Category>, String> {
    let list = item.get("expect").and_then(Value::as_array).ok_or("missing \"expect\" (a list of categories)")?;
    list.iter()
        .map(|c| c.as_str().and_then(Category::from_id).ok_or_else(|| format!("unknown category {c} in \"expect\"")))
        .collect()
}

pub fn score(engine: &Engine, items: &[(Value, BTreeSet<Category>, String)]) -> Result<Scores, String> {
    let mut counts: BTreeMap<Category, Counts> = Category::ALL.iter().map(|&c| (c, Counts::default())).collect();
    let (mut clean, mut clean_warned) = (0, 0);
    let mut misses = Vec::new();
    let today = today();
    for (item, expect, where_) in items {
        let (text, context) = context_of(item, today).map_err(|e| format!("{where_}: {e}"))?;
        let findings = engine.analyze(&text, &context);
        let mut warned: BTreeMap<Category, Vec<String>> = BTreeMap::new();
        for f in findings.iter().filter(|f| f.severity.is_warning()) {
            warned.entry(f.category).or_default().push(f.excerpt.clone());
        }
        if expect.is_empty() {
            clean += 1;
            clean_warned += usize::from(!warned.is_empty());
        }
        let id = item.get("id").cloned().unwrap_or(Value::Null);
        for &category in &Category::ALL {
            let c = counts.get_mut(&category).expect("every category counted");
            let got = warned.get(&category);
            match (expect.contains(&category), got) {
                (true, Some(_)) => c.tp += 1,
                (true, None) => {
                    c.fn_ += 1;
                    misses.push(Miss {
                        id: id.clone(),
                        category,
                        kind: "missed",
                        text: text.clone(),
                        excerpts: vec![],
                    });
                }
                (false, Some(excerpts)) => {
                    c.fp += 1;
                    misses.push(Miss {
                        id: id.clone(),
                        category,
                        kind: "false-alarm",
                        text: text.clone(),
                        excerpts: excerpts.clone(),
                    });
                }
                (false, None) => {}
            }
        }
    }
    let total =
        counts.values().fold(Counts::default(), |a, c| Counts { tp: a.tp + c.tp, fp: a.fp + c.fp, fn_: a.fn_ + c.fn_ });
    Ok(Scores {
        items: items.len(),
        clean_items: clean,
        clean_items_warned: clean_warned,
        false_alarm_rate: if clean == 0 { 0.0 } else { clean_warned as f64 / clean as f64 },
        categories: counts.into_iter().map(|(k, c)| (k, c.into())).collect(),
        micro: total.into(),
        misses,
    })
}

fn print_table(s: &Scores) {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<14} {:>5} {:>5} {:>5} {:>9} {:>7} {:>6}",
        "category", "tp", "fp", "fn", "precision", "recall", "f1"
    );
    for (category, c) in &s.categories {
        let n = c.counts;
        let _ = writeln!(
            out,
            "{:<14} {:>5} {:>5} {:>5} {:>9.3} {:>7.3} {:>6.3}",
            category.id(),
            n.tp,
            n.fp,
            n.fn_,
            c.precision,
            c.recall,
            c.f1
        );
    }
    let m = &s.micro;
    let _ = writeln!(
        out,
        "{:<14} {:>5} {:>5} {:>5} {:>9.3} {:>7.3} {:>6.3}",
        "micro", m.counts.tp, m.counts.fp, m.counts.fn_, m.precision, m.recall, m.f1
    );
    let _ = writeln!(
        out,
        "\n{} items; {} clean, {} of them warned: false-alarm rate {:.1}%",
        s.items,
        s.clean_items,
        s.clean_items_warned,
        100.0 * s.false_alarm_rate
    );
    if !s.misses.is_empty() {
        let _ = writeln!(out, "\nMisses:");
    }
    for m in &s.misses {
        let text: String = m.text.chars().take(140).collect();
        let excerpts = if m.excerpts.is_empty() { String::new() } else { format!(" [{}]", m.excerpts.join(" | ")) };
        let _ = writeln!(out, "  {} {} {}{}: {}", m.id, m.kind, m.category.id(), excerpts, text.replace('\n', " "));
    }
    super::print(&out);
}
