//! The CLI's public contracts, through the real binary: `check` for people and its exit codes, the
//! `--jsonl` batch contract, and the admin commands (`rules …`, `policy validate`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn blindaje(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_blindaje"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // A command that fails before reading stdin (exit 2 on a bad pack) closes the pipe: that is not an error here.
    let _ = child.stdin.take().unwrap().write_all(stdin.unwrap_or("").as_bytes());
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr)
}

/// A scratch directory outside the repository (keygen refuses to write inside one).
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("blindaje-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, content: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

#[test]
fn check_exit_codes() {
    let warn = blindaje(&["check", "Este 6 de junio vota por Morena", "--date", "2027-05-10"], None);
    assert_eq!(warn.status.code(), Some(1), "{}", text(&warn));
    assert!(text(&warn).contains("electoral.llamado-al-voto"));
    let clean =
        blindaje(&["check", "La atención de quejas es de 9 a 17 h; trae tu INE.", "--date", "2027-05-10"], None);
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean));
    assert!(text(&clean).contains("Sin avisos"));
    // Outside any period a personal account's propaganda is only a hint: exit 0, but it is shown.
    let hint = blindaje(
        &["check", "vota por Morena", "--account", "personal", "--date", "2026-11-28", "--kind", "reply"],
        None,
    );
    assert_eq!(hint.status.code(), Some(0), "{}", text(&hint));
    assert!(text(&hint).contains("SUGERENCIA"));
}

#[test]
fn check_marks_the_flagged_span_and_explains_it() {
    let o = blindaje(&["check", "Hoy, V0TA P0R M0R3NA.", "--date", "2027-06-04"], None);
    let out = text(&o);
    assert!(out.contains("⟦V0TA P0R M0R3NA⟧") || out.contains("⟦V0TA P0R⟧"), "{out}");
    assert!(out.contains("ALTA"), "reflection period makes electoral high: {out}");
    assert!(out.contains("Lineamiento: «"), "{out}");
    assert!(out.contains("Sugerencia:"), "{out}");
}

#[test]
fn check_usage_errors_exit_2() {
    for args in [
        vec!["check", "x", "--date", "2027-13-01"],
        vec!["check", "x", "--account", "robot"],
        vec!["check", "x", "--kind", "tweet"],
        vec!["check"],
        vec!["check", "x", "--policy", "/nonexistent/policy.json"],
        vec!["check", "x", "--rules", "/nonexistent/rules.json"],
    ] {
        let o = blindaje(&args, None);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
    }
}

#[test]
fn invalid_policy_and_pack_exit_2_naming_the_problem() {
    let dir = scratch("invalid");
    let policy = write(&dir, "policy.json", r#"{"enforcement": "block"}"#);
    let o = blindaje(&["check", "hola", "--policy", &policy], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("enforcement"), "{}", text(&o));

    let pack = write(
        &dir,
        "pack.json",
        r#"{"id": "admin", "version": 3, "rules": [{"id": "x.bad", "category": "electoral", "severity": "medium",
            "message": "m", "guideline": "g", "match": {"regex": ["(unclosed"]}, "examples": {"match": ["a"], "noMatch": ["b"]}}]}"#,
    );
    let o = blindaje(&["check", "hola", "--rules", &pack], None);
    assert_eq!(o.status.code(), Some(2));
    let out = text(&o);
    assert!(out.contains("x.bad") && out.contains("match.regex[0]") && out.contains("line 1"), "{out}");

    let failing = write(
        &dir,
        "failing.json",
        r#"{"id": "admin", "version": 3, "rules": [{"id": "x.fails", "category": "electoral", "severity": "medium",
            "message": "m", "guideline": "g", "match": {"terms": ["tucan"]}, "examples": {"match": ["el colibrí"], "noMatch": ["b"]}}]}"#,
    );
    let o = blindaje(&["check", "hola", "--rules", &failing], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("x.fails") && text(&o).contains("must match"), "{}", text(&o));

    // In --jsonl mode too, an invalid pack stops the run before any input is read.
    let o = blindaje(&["check", "--jsonl", "--rules", &pack], Some("{\"id\":1,\"text\":\"hola\"}\n"));
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
}

#[test]
fn admin_pack_adds_rules_that_warn() {
    let dir = scratch("admin");
    let pack = write(
        &dir,
        "pack.json",
        r#"{"id": "admin", "version": 3, "rules": [{"id": "electoral.nueva-coalicion", "category": "electoral", "severity": "high",
            "message": "Nombre de coalición.", "guideline": "g", "match": {"terms": ["Unidos por el Norte"]},
            "examples": {"match": ["Vamos con Unidos por el Norte"], "noMatch": ["Unidos por la paz"]}}]}"#,
    );
    let o = blindaje(&["check", "Todo con Unidos por el Norte", "--rules", &pack, "--date", "2027-05-01"], None);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("electoral.nueva-coalicion"));
}

#[test]
fn jsonl_contract() {
    let input = concat!(
        "{\"id\": 7, \"text\": \"Este 6 de junio vota por Morena\", \"account\": \"personal\", \"date\": \"2027-05-10\"}\n",
        "\n",
        "not json\n",
        "{\"id\": {\"k\": [1]}, \"text\": \"hola\", \"kind\": \"tweet\"}\n",
        "{\"id\": \"a\", \"text\": \"vota por Morena\", \"account\": \"personal\", \"date\": \"2026-11-28\"}\n",
        "{\"text\": \"sin id\"}\n",
        "{\"id\": null, \"date\": \"2027-01-01\"}\n",
    );
    let o = blindaje(&["check", "--jsonl"], Some(input));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let raw = String::from_utf8(o.stdout).unwrap();
    assert!(raw.lines().all(|l| l.starts_with("{\"id\":")), "id comes first on every line: {raw}");
    let lines: Vec<serde_json::Value> = raw.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 6, "one line per non-blank input line: {lines:?}");
    assert_eq!(lines[0]["id"], 7);
    let f = &lines[0]["findings"][0];
    for key in ["rule", "category", "severity", "start", "end", "excerpt", "message", "guideline", "suggestion"] {
        assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
    }
    assert_eq!(f["severity"], "high");
    assert_eq!(lines[1]["id"], serde_json::Value::Null);
    assert!(lines[1]["error"].as_str().unwrap().contains("JSON"));
    assert_eq!(lines[2]["id"], serde_json::json!({"k": [1]}), "ids echo exactly");
    assert!(lines[2]["error"].as_str().unwrap().contains("kind"));
    assert_eq!(lines[3]["findings"][0]["severity"], "low", "hints are included");
    assert!(lines[4]["id"].is_null() && lines[4]["findings"].is_array(), "a missing id is null");
    assert!(lines[5]["error"].as_str().unwrap().contains("text"));
}

#[test]
fn rules_test_validate_show_and_diff() {
    let o = blindaje(&["rules", "test"], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("0 failing"));

    let o = blindaje(&["rules", "show"], None);
    let shown: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(shown["rules"].as_array().unwrap().len() >= 20);
    assert!(shown["sites"].as_array().unwrap().iter().any(|s| s["id"] == "x"));

    let dir = scratch("diff");
    let rule = |id: &str, msg: &str| {
        format!(
            r#"{{"id": "{id}", "category": "electoral", "severity": "medium", "message": "{msg}", "guideline": "g",
            "match": {{"terms": ["tucan"]}}, "examples": {{"match": ["el tucan"], "noMatch": ["b"]}}}}"#
        )
    };
    let old = write(
        &dir,
        "old.json",
        &format!(r#"{{"id": "a", "version": 1, "rules": [{}, {}]}}"#, rule("r.one", "m"), rule("r.gone", "m")),
    );
    let new = write(
        &dir,
        "new.json",
        &format!(r#"{{"id": "a", "version": 2, "rules": [{}, {}]}}"#, rule("r.one", "m2"), rule("r.new", "m")),
    );
    let o = blindaje(&["rules", "validate", &new], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = blindaje(&["rules", "diff", &old, &new], None);
    let out = text(&o);
    assert!(out.contains("+ r.new") && out.contains("- r.gone") && out.contains("~ r.one (message)"), "{out}");
}

#[test]
fn keygen_sign_verify() {
    let dir = scratch("keys");
    let keys = dir.join("keys");
    let o = blindaje(&["rules", "keygen", "--out", keys.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let public = keys.join("blindaje-signing.pub");
    let private = keys.join("blindaje-signing.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&private).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let o = blindaje(&["rules", "keygen", "--out", keys.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(2), "never overwrites a key");

    let pack = write(&dir, "pack.json", r#"{"id": "admin", "version": 5, "rules": []}"#);
    let signed = dir.join("pack.signed.json");
    let o = blindaje(
        &["rules", "sign", &pack, "--key", private.to_str().unwrap(), "--out", signed.to_str().unwrap()],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = blindaje(&["rules", "verify", signed.to_str().unwrap(), "--public-key", public.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("good signature"));

    let tampered = std::fs::read_to_string(&signed).unwrap().replace("\"pack\": \"", "\"pack\": \"e30K");
    let bad = write(&dir, "tampered.json", &tampered);
    let o = blindaje(&["rules", "verify", &bad, "--public-key", public.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));

    let inside_repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("keys-must-not-land-here");
    let o = blindaje(&["rules", "keygen", "--out", inside_repo.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("repository"), "{}", text(&o));
    assert!(!inside_repo.join("blindaje-signing.key").exists());
}

#[test]
fn policy_validate() {
    let dir = scratch("policy");
    let good = write(
        &dir,
        "good.json",
        r#"{"officials": ["Ana Pérez"], "electoralPeriods": [{"label": "x", "phase": "campaign", "start": "2099-01-01", "end": "2099-02-01"}]}"#,
    );
    let o = blindaje(&["policy", "validate", &good], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let unknown = write(&dir, "unknown.json", r#"{"oficiales": []}"#);
    let o = blindaje(&["policy", "validate", &unknown], None);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o).contains("warning: oficiales"), "{}", text(&o));
    let bad = write(&dir, "bad.json", r#"{"updateIntervalMinutes": "often"}"#);
    let o = blindaje(&["policy", "validate", &bad], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("error: updateIntervalMinutes"), "{}", text(&o));
    let past = write(
        &dir,
        "past.json",
        r#"{"electoralPeriods": [{"label": "x", "phase": "campaign", "start": "2001-01-01", "end": "2001-02-01"}]}"#,
    );
    let o = blindaje(&["policy", "validate", &past], None);
    assert!(text(&o).contains("no electoral period is current or ahead"), "{}", text(&o));
}

/// Issue 17: weak public keys let anyone forge a pack. With the identity key, R = identity and S = 0 verify
/// any pack under the lax check; the all-zero key (order 4) falls to a few tries. Both are refused where an
/// admin can name a key: `rules verify --public-key` and the policy's `rulePackPublicKeys`.
#[test]
fn weak_public_keys_are_refused_by_verify_and_policy_validate() {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let dir = scratch("weak-keys");
    let pack = br#"{"id": "forged", "version": 9007199254740991, "rules": []}"#;
    let mut signature = [0u8; 64];
    signature[0] = 1; // R = the identity point, S = 0
    let forged = serde_json::json!({"format": "blindaje-signed-pack/1", "pack": b64.encode(pack), "signature": b64.encode(signature)});
    let forged = write(&dir, "forged.json", &forged.to_string());
    for weak in ["AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="] {
        let o = blindaje(&["rules", "verify", &forged, "--public-key", weak], None);
        assert_eq!(o.status.code(), Some(2), "{weak}: {}", text(&o));
        assert!(text(&o).contains("weak Ed25519 public key"), "{weak}: {}", text(&o));
        assert!(!text(&o).contains("good signature"));

        let policy = write(&dir, "policy.json", &format!(r#"{{"rulePackPublicKeys": ["{weak}"]}}"#));
        let o = blindaje(&["policy", "validate", &policy], None);
        assert_eq!(o.status.code(), Some(2), "{weak}: {}", text(&o));
        assert!(text(&o).contains("error: rulePackPublicKeys") && text(&o).contains("weak"), "{}", text(&o));
    }
}

/// Issue 17: one line of invalid UTF-8 aborted the whole batch (exit 2, later lines lost). Now it gets its
/// own `error` line, like any other bad line, and the batch goes on; so does a line over the length limit.
#[test]
fn jsonl_invalid_utf8_and_overlong_lines_get_an_error_line_and_the_batch_goes_on() {
    let mut input = b"{\"id\": 1, \"text\": \"hola\"}\n".to_vec();
    input.extend_from_slice(b"{\"id\": 2, \"text\": \"vota \xff\xfe por Morena\"}\n");
    let long = format!("{{\"id\": 3, \"text\": \"{}\"}}\n", "a".repeat(1 << 20));
    input.extend_from_slice(long.as_bytes());
    input.extend_from_slice(b"{\"id\": 4, \"text\": \"Este 6 de junio vota por Morena\", \"date\": \"2027-05-10\"}\n");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_blindaje"))
        .args(["check", "--jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let o = child.wait_with_output().unwrap();
    let _ = writer.join().unwrap(); // a binary that stops reading early closes the pipe: judged by its output
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let raw = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<serde_json::Value> = raw.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 4, "{raw}");
    assert_eq!(lines[0]["id"], 1);
    assert!(lines[0]["findings"].is_array());
    assert!(lines[1]["id"].is_null());
    assert!(lines[1]["error"].as_str().unwrap().contains("line 2 is not valid UTF-8"), "{}", lines[1]);
    assert!(lines[2]["error"].as_str().unwrap().contains("line 3 is longer than 1048576 bytes"), "{}", lines[2]);
    assert_eq!(lines[3]["id"], 4, "the batch went on");
    assert_eq!(lines[3]["findings"][0]["severity"], "high");
}

/// Issue 17: 5 MiB did not bound a pack's cost. 200 copies of the regex `\w{40}` (a 45 KB pack) took 7 s and
/// 698 MB to build; now the budget refuses it, naming the reason, before the engine is built.
#[test]
fn rules_validate_refuses_a_pack_over_the_budgets_quickly() {
    let dir = scratch("budget");
    let rule = |i: usize| {
        format!(
            r#"{{"id": "admin.r{i}", "category": "electoral", "severity": "medium", "message": "m", "guideline": "g",
            "match": {{"regex": ["\\w{{40}}"]}}, "examples": {{"match": ["{}"], "noMatch": ["hola"]}}}}"#,
            "a".repeat(40)
        )
    };
    let rules: Vec<String> = (0..200).map(rule).collect();
    let pack =
        write(&dir, "costly.json", &format!(r#"{{"id": "costly", "version": 1, "rules": [{}]}}"#, rules.join(",")));
    let started = std::time::Instant::now();
    let o = blindaje(&["rules", "validate", &pack], None);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("budget") && text(&o).contains("compile to more than"), "{}", text(&o));
    assert!(started.elapsed().as_secs_f64() < 5.0, "refused in {:?}", started.elapsed());
    let o = blindaje(&["rules", "validate", concat!(env!("CARGO_MANIFEST_DIR"), "/rules/default.json")], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("budget: ") && text(&o).contains("/500 rules"), "{}", text(&o));
}

/// Issue 17: `sites: ["*.com"]` was accepted (the content script on every .com site), and a prefix test took
/// http://localhost@attacker.example/ for this machine's loopback.
#[test]
fn policy_validate_refuses_public_suffix_sites_and_disguised_http_urls() {
    let dir = scratch("sites");
    for (policy, key, reason) in [
        (r#"{"sites": ["*.com"]}"#, "sites", "public suffix"),
        (r#"{"sites": ["*.gob.mx"]}"#, "sites", "public suffix"),
        (r#"{"rulePackUrl": "http://localhost@attacker.example/p.json"}"#, "rulePackUrl", "before @"),
    ] {
        let file = write(&dir, "policy.json", policy);
        let o = blindaje(&["policy", "validate", &file], None);
        assert_eq!(o.status.code(), Some(2), "{policy}: {}", text(&o));
        assert!(text(&o).contains(&format!("error: {key}")) && text(&o).contains(reason), "{policy}: {}", text(&o));
    }
    let good = write(&dir, "good.json", r#"{"sites": ["*.cedh.gob.mx", "intranet.cedh.gob.mx"]}"#);
    let o = blindaje(&["policy", "validate", &good], None);
    assert!(!text(&o).contains("error"), "{}", text(&o));
}
