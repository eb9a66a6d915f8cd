//! The writer-split corpus (`tests/corpus/writers/`) against its own rules: every item well formed and named
//! by its writer, every writer in exactly one part of the split, every item labeled a second time
//! (`tests/corpus/labels2/`), and the agreement of the two passes per category reported (Cohen's kappa), so a
//! change of labels shows in the test output.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const CATEGORIES: [&str; 6] = ["electoral", "achievements", "personalized", "discourtesy", "unverified", "resources"];

fn corpus() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus"))
}

fn lines(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| serde_json::from_str(l).unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), n + 1)))
        .collect()
}

fn labels(v: &Value, field: &str) -> BTreeSet<String> {
    v[field]
        .as_array()
        .unwrap_or_else(|| panic!("{}: no list «{field}»", v["id"]))
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect()
}

/// (development, held out), the writers scored in an earlier round counted with the held-out ones.
fn split() -> (Vec<String>, Vec<String>) {
    let split: Value =
        serde_json::from_str(&std::fs::read_to_string(corpus().join("writers/split.json")).unwrap()).unwrap();
    let names = |k: &str| split[k].as_array().unwrap().iter().map(|w| w.as_str().unwrap().to_string()).collect();
    let mut held: Vec<String> = names("heldOut");
    held.extend(names("scoredHeldOut"));
    (names("development"), held)
}

#[test]
fn every_writer_is_in_one_part_and_every_item_is_well_formed() {
    let (dev, held) = split();
    assert!(held.len() >= 3 && dev.len() + held.len() >= 10, "at least 10 writers, 3 of them held out");
    let mut total = 0;
    let mut ids = BTreeSet::new();
    for writer in dev.iter().chain(&held) {
        assert_eq!(dev.iter().chain(&held).filter(|w| *w == writer).count(), 1, "{writer} is in one part only");
        for item in lines(&corpus().join(format!("writers/{writer}.jsonl"))) {
            let id = item["id"].as_str().unwrap().to_string();
            assert_eq!(item["writer"], *writer, "{id}: the writer field names its file");
            assert!(
                id.starts_with(&format!("{writer}-")) && ids.insert(id.clone()),
                "{id}: unique, prefixed by its writer"
            );
            assert!(item["text"].as_str().is_some_and(|t| !t.trim().is_empty()), "{id}: text");
            for field in ["expect", "firstPass"] {
                assert!(labels(&item, field).iter().all(|c| CATEGORIES.contains(&c.as_str())), "{id}: {field}");
            }
            total += 1;
        }
    }
    assert!(total >= 3000, "{total} items");
}

/// Cohen's kappa of the writer's labels (`firstPass`) against the second, blind pass, per category.
#[test]
fn the_second_labeling_covers_every_item_and_agreement_is_reported() {
    let (dev, held) = split();
    let mut table: BTreeMap<&str, [usize; 4]> = CATEGORIES.iter().map(|&c| (c, [0; 4])).collect();
    let (mut same, mut items) = (0, 0);
    for writer in dev.iter().chain(&held) {
        let second: BTreeMap<String, BTreeSet<String>> = lines(&corpus().join(format!("labels2/{writer}.jsonl")))
            .iter()
            .map(|v| (v["id"].as_str().unwrap().to_string(), labels(v, "expect")))
            .collect();
        for item in lines(&corpus().join(format!("writers/{writer}.jsonl"))) {
            let id = item["id"].as_str().unwrap();
            let b = second.get(id).unwrap_or_else(|| panic!("{id} has no second label"));
            let a = labels(&item, "firstPass");
            for (c, cell) in table.iter_mut() {
                let (x, y) = (a.contains(*c), b.contains(*c));
                cell[(x as usize) * 2 + y as usize] += 1;
            }
            same += (a == *b) as usize;
            items += 1;
        }
    }
    println!("{items} items; both passes give the same labels on {same} ({:.1} %)", 100.0 * same as f64 / items as f64);
    for (c, [nn, ny, yn, yy]) in &table {
        let n = (nn + ny + yn + yy) as f64;
        let observed = (nn + yy) as f64 / n;
        let first_yes = (yn + yy) as f64 / n;
        let second_yes = (ny + yy) as f64 / n;
        let chance = first_yes * second_yes + (1.0 - first_yes) * (1.0 - second_yes);
        let kappa = (observed - chance) / (1.0 - chance);
        println!("{c:<13} agreement {:.3}  kappa {kappa:.3}  (writer only {yn}, second only {ny})", observed);
        assert!(kappa > 0.6, "{c}: the two passes barely agree (kappa {kappa:.3}): the labels need settling");
    }
}
