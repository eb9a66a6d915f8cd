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
