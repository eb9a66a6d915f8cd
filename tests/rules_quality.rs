//! The default rule pack against its sources: every rule quotes the guideline verbatim, every bullet of the
//! guideline has rules, and the labeled corpus gate (issue 3) on the held-out part.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn flatten(s: &str) -> String {
    s.replace('*', "").replace(['❑', '❖'], " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The guideline as the repository carries it (`rules/lineamiento.md`, copied verbatim from the Commission's
/// text), so a clone tests against it with no sibling folders.
fn seed() -> String {
    let path = root().join("rules/lineamiento.md");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    flatten(&text)
}

#[test]
fn every_rule_quotes_the_guideline_verbatim() {
    let seed = seed();
    for rule in blindaje::Engine::default_pack().rules {
        assert!(
            seed.contains(&flatten(&rule.guideline)),
            "rule {}: guideline is not a quote of the seed: {}",
            rule.id,
            rule.guideline
        );
    }
}

#[test]
fn every_prohibition_of_the_guideline_has_rules() {
    let seed = seed();
    let pack = blindaje::Engine::default_pack();
    let quoted: Vec<String> = pack.rules.iter().map(|r| flatten(&r.guideline)).collect();
    // The bullets after «no podrán» are the prohibitions, plus the portal point on achievements.
    let bullets = seed.split("no podrán").nth(1).expect("the guideline lists what staff may not do");
    let mut points: Vec<&str> = bullets.split(". ").filter(|p| p.len() > 40).collect();
    points.push("no se difundan logros de gobierno");
    for point in points {
        let key: String = point.trim_start_matches(['-', ' ']).chars().take(40).collect();
        let key = key.trim();
        assert!(quoted.iter().any(|q| q.contains(key)), "no rule applies the guideline point «{point}»");
    }
}

fn eval(file: &str) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_blindaje"))
        .args(["eval", "--json", "--policy"])
        .arg(root().join("tests/corpus/policy.json"))
        .arg(root().join("tests/corpus").join(file))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The gate of issue 3 on the held-out part: micro F1 ≥ 0.92, false alarms ≤ 3 %, recall ≥ 0.85 in every
/// category.
#[test]
fn heldout_corpus_gate() {
    let s = eval("heldout.jsonl");
    let micro_f1 = s["micro"]["f1"].as_f64().unwrap();
    let false_alarms = s["false_alarm_rate"].as_f64().unwrap();
    assert!(s["items"].as_u64().unwrap() >= 220 && s["clean_items"].as_u64().unwrap() >= 80);
    assert!(micro_f1 >= 0.92, "micro F1 {micro_f1:.3} < 0.92");
    assert!(false_alarms <= 0.03, "false alarms {:.1}% > 3%", 100.0 * false_alarms);
    for (category, score) in s["categories"].as_object().unwrap() {
        let recall = score["recall"].as_f64().unwrap();
        assert!(recall >= 0.85, "{category} recall {recall:.3} < 0.85");
    }
}

/// The development part is what the rules were written against; it must stay well above the gate.
#[test]
fn dev_corpus_stays_above_the_gate() {
    let s = eval("dev.jsonl");
    assert!(s["micro"]["f1"].as_f64().unwrap() >= 0.95, "{}", s["micro"]);
    assert!(s["false_alarm_rate"].as_f64().unwrap() <= 0.03);
}

/// The held-out writers of `tests/corpus/writers/split.json`, scored as a whole, with the pack's model
/// (`model: true`) or the rules alone.
fn eval_heldout_writers(model: bool) -> Value {
    let split: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tests/corpus/writers/split.json")).unwrap())
            .unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_blindaje"));
    cmd.args(["eval", "--json", "--policy"]).arg(root().join("tests/corpus/policy.json"));
    if !model {
        cmd.arg("--no-model");
    }
    for writer in split["heldOut"].as_array().unwrap() {
        cmd.arg(root().join(format!("tests/corpus/writers/{}.jsonl", writer.as_str().unwrap())));
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (with the model, floor of micro F1, ceiling of false alarms, floor of recall in every category): the figures
/// first scored on round 2's held-out writers (w12–w14: 0.888, 6.6 %, 0.767 with the model; 0.883, 7.7 %,
/// 0.778 for the rules alone), less a small margin.
const HELDOUT_WRITER_FLOORS: [(bool, f64, f64, f64); 2] = [(false, 0.87, 0.09, 0.76), (true, 0.875, 0.08, 0.75)];

/// Issue 16's gate on the held-out writers is micro F1 ≥ 0.95, false alarms ≤ 2 %, recall ≥ 0.90 in every
/// category; it is not met yet (README, «Measured quality»). Until it is, this test prints how far each figure
/// is, for the rules alone and with the model, and holds the figures first scored on these writers (the floors
/// below, a little under them) so that no change makes them worse.
#[test]
fn heldout_writers_gate() {
    for (model, floor_f1, ceiling_false_alarms, floor_recall) in HELDOUT_WRITER_FLOORS {
        let s = eval_heldout_writers(model);
        let micro_f1 = s["micro"]["f1"].as_f64().unwrap();
        let false_alarms = s["false_alarm_rate"].as_f64().unwrap();
        let label = if model { "rules + model" } else { "rules alone" };
        println!("{label}: micro F1 {micro_f1:.3} (gate 0.95), false alarms {:.1} % (gate 2 %)", 100.0 * false_alarms);
        assert!(s["items"].as_u64().unwrap() >= 870, "three held-out writers");
        assert!(micro_f1 >= floor_f1, "{label}: micro F1 {micro_f1:.3} fell under {floor_f1}");
        assert!(
            false_alarms <= ceiling_false_alarms,
            "{label}: false alarms {false_alarms:.3} over {ceiling_false_alarms}"
        );
        for (category, score) in s["categories"].as_object().unwrap() {
            let recall = score["recall"].as_f64().unwrap();
            println!(
                "  {category:<13} recall {recall:.3} (gate 0.90), precision {:.3}",
                score["precision"].as_f64().unwrap()
            );
            assert!(recall >= floor_recall, "{label}: {category} recall {recall:.3} fell under {floor_recall}");
        }
    }
}
