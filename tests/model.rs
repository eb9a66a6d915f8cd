//! The model beside the rules, through the public engine and the real `blindaje train`: what the model alone
//! reports and where, how the context rules and `disabledRules` apply to it, a medium rule finding it reads as
//! clean becoming a hint (a high one standing), an admin pack's model replacing the default one, and training that is deterministic and
//! learns from what it is given.

use base64::Engine as _;
use blindaje::model::{CategoryModel, Features, ModelData, FORMAT};
use blindaje::{Account, Category, Context, Engine, Kind, Pack, Policy, Severity};
use std::path::{Path, PathBuf};
use std::process::Command;

const BITS: u8 = 12;

/// A discourtesy model that knows one word: «zopenco» (and its n-grams) pushes a text far over the threshold.
fn model_knowing(word: &str, weight: i8, clean_below: f32) -> ModelData {
    let mask = (1u64 << BITS) - 1;
    let mut weights = vec![0i8; 1 << BITS];
    for f in &Features::new(word).items {
        weights[(f.hash & mask) as usize] = weight * f.sign() as i8;
    }
    ModelData {
        format: FORMAT.into(),
        bits: BITS,
        trained_on: None,
        categories: vec![CategoryModel {
            category: Category::Discourtesy,
            message: "La respuesta se lee descortés.".into(),
            guideline: "Responder a los comentarios de los usuarios con insultos, descalificaciones o faltas de cortesía y respeto.".into(),
            bias: -3.0,
            scale: 0.1,
            warn_at: 0.8,
            clean_below,
            weights: base64::engine::general_purpose::STANDARD.encode(weights.iter().map(|&w| w as u8).collect::<Vec<_>>()),
        }],
    }
}

fn admin_pack(model: ModelData, disable: &[&str]) -> Pack {
    let json = serde_json::json!({"id": "cedh-prueba", "version": 1, "rules": [], "disable": disable});
    let mut pack: Pack = serde_json::from_value(json).unwrap();
    pack.model = Some(model);
    pack.validate().unwrap();
    pack
}

fn context(account: Account) -> Context {
    Context { account, date: "2027-05-10".parse().unwrap(), kind: Kind::Reply, site: None }
}

fn engine(pack: &Pack, policy: Policy) -> Engine {
    Engine::new(policy, Some(pack)).unwrap()
}

#[test]
fn the_model_alone_warns_on_the_sentence_it_scores_highest_and_names_its_words() {
    let e = engine(&admin_pack(model_knowing("zopenco", 120, 0.0), &[]), Policy::default());
    let text = "Gracias por escribirnos. Qué respuesta tan zopenco la suya. Que tenga buen día.";
    let findings = e.analyze(text, &context(Account::Institutional));
    let model: Vec<_> = findings.iter().filter(|f| &*f.rule == "model.discourtesy").collect();
    assert_eq!(model.len(), 1, "{findings:#?}");
    let f = model[0];
    assert_eq!((f.category, f.severity), (Category::Discourtesy, Severity::Medium));
    assert_eq!(f.excerpt, "Qué respuesta tan zopenco la suya", "the sentence's words");
    let start = text.encode_utf16().count() - text[text.find("Qué").unwrap()..].encode_utf16().count();
    assert_eq!(f.start, start, "UTF-16 offsets into the original");
    assert!(f.message.contains("«zopenco»"), "{}", f.message);
    // A text without the word gives the model nothing to say.
    assert!(e
        .analyze("Gracias por escribirnos, que tenga buen día.", &context(Account::Institutional))
        .iter()
        .all(|f| !f.rule.starts_with("model.")));
}

#[test]
fn context_rules_and_disabled_rules_apply_to_the_model() {
    let pack = admin_pack(model_knowing("zopenco", 120, 0.0), &[]);
    let text = "Usted es un zopenco.";
    // On a personal account discourtesy is never a warning: the model stays silent.
    let personal = engine(&pack, Policy::default()).analyze(text, &context(Account::Personal));
    assert!(personal.iter().all(|f| !f.rule.starts_with("model.")), "{personal:#?}");
    // The policy switches the model's category off by its rule id.
    let (off, _) = Policy::parse(r#"{"disabledRules": ["model.discourtesy"]}"#);
    let silenced = engine(&pack, off).analyze(text, &context(Account::Institutional));
    assert!(silenced.iter().all(|f| !f.rule.starts_with("model.")), "{silenced:#?}");
    // And so does the admin pack's own `disable`.
    let disabled = engine(&admin_pack(model_knowing("zopenco", 120, 0.0), &["model.discourtesy"]), Policy::default());
    assert!(disabled.analyze(text, &context(Account::Institutional)).iter().all(|f| !f.rule.starts_with("model.")));
}

#[test]
fn a_medium_rule_warning_the_model_reads_as_clean_becomes_a_hint_and_a_high_one_stands() {
    // Condescension is a medium warning of the rules (discourtesy.condescendencia).
    let text = "Se lo explico despacito, a ver si así entiende.";
    let rules_only = engine(&admin_pack(model_knowing("zopenco", 120, 0.0), &[]), Policy::default());
    let warned = |e: &Engine| {
        e.analyze(text, &context(Account::Institutional))
            .iter()
            .any(|f| f.category == Category::Discourtesy && f.severity.is_warning())
    };
    assert!(warned(&rules_only), "the rules warn on condescension");
    // The same text with a model that reads it as clean (bias −3: p ≈ 0.05) and cleanBelow 0.5.
    let doubting = engine(&admin_pack(model_knowing("zopenco", 120, 0.5), &[]), Policy::default());
    assert!(!warned(&doubting), "demoted to a hint");
    let hints = doubting.analyze(text, &context(Account::Institutional));
    assert!(hints.iter().any(|f| f.category == Category::Discourtesy && f.severity == Severity::Low));
    // A plain insult is a high warning: the model does not quiet it.
    let insult = doubting.analyze("Eres un estúpido.", &context(Account::Institutional));
    assert!(insult.iter().any(|f| f.category == Category::Discourtesy && f.severity == Severity::High), "{insult:#?}");
}

#[test]
fn an_admin_packs_model_replaces_the_default_one() {
    let default = Engine::new(Policy::default(), None).unwrap();
    let (model, _) = default.model().expect("the embedded pack carries a model");
    assert_eq!(model.categories().count(), 6, "every category has a trained model");
    let admin = engine(&admin_pack(model_knowing("zopenco", 120, 0.0), &[]), Policy::default());
    let (model, _) = admin.model().unwrap();
    assert_eq!(model.categories().collect::<Vec<_>>(), [Category::Discourtesy]);
}

#[test]
fn invalid_models_in_a_pack_name_the_field() {
    let mut model = model_knowing("zopenco", 120, 0.0);
    model.categories[0].weights = "no es base64".into();
    let mut pack: Pack = serde_json::from_value(serde_json::json!({"id": "p", "version": 1})).unwrap();
    pack.model = Some(model);
    let json = serde_json::to_string(&pack).unwrap();
    let err = Pack::parse(&json).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("model.categories[discourtesy].weights"), "{err}");
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("blindaje-model-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn train(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_blindaje")).arg("train").args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn eval(corpus: &Path, pack: Option<&Path>) -> serde_json::Value {
    let policy = root().join("tests/corpus/policy.json");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_blindaje"));
    cmd.args(["eval", "--json", "--policy"]).arg(&policy).arg(corpus);
    if let Some(p) = pack {
        cmd.arg("--rules").arg(p);
    } else {
        cmd.arg("--no-model");
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Training is deterministic, and an admin's added items change what the model says on them: the institution's
/// own way of being rude, absent from the base corpus, is learned.
#[test]
fn train_is_deterministic_and_learns_the_added_items() {
    let dir = scratch("train");
    let policy = root().join("tests/corpus/policy.json");
    // The institution's own items: a made-up insult the rules cannot know, in replies, in two groups.
    let mut added = String::new();
    for (i, group) in ["local-a", "local-b"].iter().enumerate() {
        for n in 0..30 {
            let rude =
                format!("Mire, {} número {n}, no sea cacaraquero{}.", ["vecino", "usuario"][i], "!".repeat(n % 3));
            let calm = format!(
                "Mire, {} número {n}, con gusto revisamos su caso{}.",
                ["vecino", "usuario"][i],
                "!".repeat(n % 3)
            );
            for (text, expect) in [(rude, "[\"discourtesy\"]"), (calm, "[]")] {
                added.push_str(&format!(
                    "{{\"id\":\"{group}-{n}-{}\",\"writer\":\"{group}\",\"text\":{},\"account\":\"institutional\",\"date\":\"2027-05-10\",\"kind\":\"reply\",\"expect\":{expect}}}\n",
                    expect.len(),
                    serde_json::to_string(&text).unwrap()
                ));
            }
        }
    }
    let added_path = dir.join("added.jsonl");
    std::fs::write(&added_path, added).unwrap();
    let dev = root().join("tests/corpus/dev.jsonl");
    let (a, b) = (dir.join("a.json"), dir.join("b.json"));
    for out in [&a, &b] {
        let args = [dev.to_str().unwrap(), added_path.to_str().unwrap(), "--policy", policy.to_str().unwrap()];
        train(&[&args[..], &["--bits", "14", "--out", out.to_str().unwrap()]].concat());
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap(), "same input, same bytes");
    let recall = |v: &serde_json::Value| v["categories"]["discourtesy"]["recall"].as_f64().unwrap();
    let before = recall(&eval(&added_path, None));
    let after = recall(&eval(&added_path, Some(&a)));
    assert!(before < 0.2, "the rules do not know «cacaraquero»: recall {before}");
    assert!(after > 0.9, "the retrained model does: recall {after}");
}
