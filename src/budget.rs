//! Budgets for rule packs: what one pack may cost the browser, checked once when a pack is accepted (by the
//! extension, and by `blindaje rules validate` and `check --rules` for the admin), never on every engine
//! build. The 5 MiB byte limit alone does not bound cost: 200 copies of the 8-byte regex `\w{40}` took 7 s
//! and 698 MB to build. So the counts are bounded first (cheap), then the regexes' compiled size, one regex
//! at a time so the first one over the total stops the check, and last the time to build the pack's engine
//! and run its examples.

use crate::matcher::REGEX_SIZE_LIMIT;
use crate::pack::{Matcher, Pack, PackError};
use regex_automata::nfa::thompson;
use serde::Serialize;

/// Limits for one pack. The defaults ([`PACK_BUDGET`]) leave the embedded pack room to double.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Budget {
    pub max_rules: usize,
    /// Terms of `match`, `near`, `unlessNear` and `exceptions`, entries of `lists`, and `allow` phrases.
    pub max_terms: usize,
    pub max_regexes: usize,
    pub max_examples: usize,
    /// The regexes' compiled automata together (forward and reverse Thompson NFAs), in bytes.
    pub max_regex_bytes: usize,
    /// Building the pack's own engine and running its examples, in milliseconds.
    pub max_build_ms: f64,
}

pub const PACK_BUDGET: Budget = Budget {
    max_rules: 500,
    max_terms: 30_000,
    max_regexes: 200,
    max_examples: 5_000,
    max_regex_bytes: 24 << 20,
    max_build_ms: 3_000.0,
};

/// What a pack uses of each budget.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    pub rules: usize,
    pub terms: usize,
    pub regexes: usize,
    pub examples: usize,
    pub regex_bytes: usize,
    pub build_ms: f64,
}

fn matchers(pack: &Pack) -> impl Iterator<Item = &Matcher> {
    pack.rules.iter().flat_map(|r| std::iter::once(&r.matcher).chain(r.near.as_ref()).chain(r.unless_near.as_ref()))
}

/// The counts of `pack` (no compiling).
pub fn count(pack: &Pack) -> Usage {
    let terms = matchers(pack).map(|m| m.terms.len()).sum::<usize>()
        + pack.rules.iter().map(|r| r.exceptions.len()).sum::<usize>()
        + pack.lists.values().map(Vec::len).sum::<usize>()
        + pack.allow.len();
    Usage {
        rules: pack.rules.len(),
        terms,
        regexes: matchers(pack).map(|m| m.regex.len()).sum(),
        examples: pack.rules.iter().map(|r| r.examples.should_match.len() + r.examples.no_match.len()).sum(),
        ..Usage::default()
    }
}

fn over(what: &str, used: impl std::fmt::Display, limit: impl std::fmt::Display, advice: &str) -> PackError {
    PackError {
        field: Some("budget".into()),
        ..PackError::new(format!("the pack has {used} {what}, over the budget of {limit}; {advice}"))
    }
}

/// Checks the counts, then the regexes' compiled size (stopping at the first regex past the total).
pub fn check_size(pack: &Pack, budget: &Budget) -> Result<Usage, PackError> {
    let mut usage = count(pack);
    if usage.rules > budget.max_rules {
        return Err(over("rules", usage.rules, budget.max_rules, "split it into packs or merge rules"));
    }
    if usage.terms > budget.max_terms {
        return Err(over("terms", usage.terms, budget.max_terms, "share long term lists through `lists`"));
    }
    if usage.regexes > budget.max_regexes {
        return Err(over("regexes", usage.regexes, budget.max_regexes, "use terms (with a trailing *) where you can"));
    }
    if usage.examples > budget.max_examples {
        return Err(over("examples", usage.examples, budget.max_examples, "keep a few telling examples per rule"));
    }
    for pattern in matchers(pack).flat_map(|m| &m.regex) {
        usage.regex_bytes += compiled_bytes(pattern);
        if usage.regex_bytes > budget.max_regex_bytes {
            return Err(PackError {
                field: Some("budget".into()),
                ..PackError::new(format!(
                    "the regexes compile to more than {} bytes together (the budget) by «{pattern}»; a counted repetition of a Unicode class (like \\w{{40}}) is large: use terms, a shorter count or an ASCII class ((?-u:\\w))",
                    budget.max_regex_bytes
                ))
            });
        }
    }
    Ok(usage)
}

/// The size of a regex's forward and reverse automata as the engine compiles them. A regex that does not
/// compile (bad syntax, over the per-regex limit) counts nothing here: [`Pack::validate`] reports it next,
/// naming its rule and field.
fn compiled_bytes(pattern: &str) -> usize {
    let pattern = crate::matcher::ascii_word_boundaries(pattern);
    let mut bytes = 0;
    for reverse in [false, true] {
        let captures = if reverse { thompson::WhichCaptures::None } else { thompson::WhichCaptures::All };
        let config =
            thompson::Config::new().nfa_size_limit(Some(REGEX_SIZE_LIMIT)).reverse(reverse).which_captures(captures);
        match thompson::Compiler::new().configure(config).build(&pattern) {
            Ok(nfa) => bytes += nfa.memory_usage(),
            Err(_) => return 0,
        }
    }
    bytes
}

/// Milliseconds from an arbitrary origin (the wasm target has no `std` clock).
pub fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::sync::OnceLock;
        static ORIGIN: OnceLock<std::time::Instant> = OnceLock::new();
        ORIGIN.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1000.0
    }
}

/// Refuses a build (the pack's engine and its examples) that took longer than the budget.
pub fn check_time(build_ms: f64, budget: &Budget) -> Result<(), PackError> {
    if build_ms > budget.max_build_ms {
        return Err(PackError {
            field: Some("budget".into()),
            ..PackError::new(format!(
                "building the pack and running its examples took {build_ms:.0} ms, over the budget of {:.0} ms; use fewer or simpler regexes and shorter lists",
                budget.max_build_ms
            ))
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(rules: usize, regex: &str) -> Pack {
        let rule = |i: usize| {
            format!(
                r#"{{"id": "r.{i}", "category": "electoral", "severity": "medium", "message": "m", "guideline": "g",
                "match": {{"regex": ["{regex}"]}}, "examples": {{"match": ["aaaa"], "noMatch": ["-"]}}}}"#
            )
        };
        let rules: Vec<String> = (0..rules).map(rule).collect();
        serde_json::from_str(&format!(r#"{{"id": "p", "version": 1, "rules": [{}]}}"#, rules.join(","))).unwrap()
    }

    #[test]
    fn counts_over_the_budget_are_refused_naming_the_count() {
        let e = check_size(&pack(PACK_BUDGET.max_rules + 1, "a+"), &PACK_BUDGET).unwrap_err();
        assert!(e.message.contains("501 rules, over the budget of 500"), "{e}");
        let e = check_size(&pack(PACK_BUDGET.max_regexes + 1, "a+"), &Budget { max_rules: 1000, ..PACK_BUDGET })
            .unwrap_err();
        assert!(e.message.contains("201 regexes"), "{e}");
    }

    /// The attack of the issue: `\w{40}` (Unicode word class, 40 times) is tiny as text and huge compiled.
    #[test]
    fn regexes_that_compile_big_are_refused_before_the_engine_is_built() {
        let one = compiled_bytes(r"\w{40}");
        assert!(one > 1 << 20, "\\w{{40}} compiles to {one} bytes");
        let started = now_ms();
        let e = check_size(&pack(200, r"\\w{40}"), &PACK_BUDGET).unwrap_err();
        assert!(e.message.contains("compile to more than"), "{e}");
        assert!(now_ms() - started < 5_000.0, "refused without compiling all 200");
        assert!(check_size(&pack(200, "vota[rs]?"), &PACK_BUDGET).is_ok(), "ordinary regexes are cheap");
    }

    #[test]
    fn a_slow_build_is_refused() {
        assert!(check_time(10.0, &PACK_BUDGET).is_ok());
        assert!(check_time(3_001.0, &PACK_BUDGET).unwrap_err().message.contains("3001 ms, over the budget of 3000 ms"));
    }

    fn term_pack(rules: usize) -> Pack {
        let rule = |i: usize| {
            format!(
                r#"{{"id": "r.{i}", "category": "electoral", "severity": "medium", "message": "m", "guideline": "g",
                "match": {{"terms": ["palabra{i}"]}}, "examples": {{"match": ["la palabra{i} aqui"], "noMatch": ["hola"]}}}}"#
            )
        };
        let rules: Vec<String> = (0..rules).map(rule).collect();
        serde_json::from_str(&format!(r#"{{"id": "p", "version": 1, "rules": [{}]}}"#, rules.join(","))).unwrap()
    }

    /// Checking examples was quadratic in the rules (one engine for all: every scan paid for every rule's
    /// slots; 4,000 rules took 3.9 s). Four times the rules must now cost about four times as much, far
    /// from sixteen; the best of three runs of each keeps a busy machine from deciding.
    #[test]
    fn examples_are_checked_in_linear_time() {
        let time = |pack: &Pack| {
            (0..3)
                .map(|_| {
                    let started = now_ms();
                    assert!(crate::Engine::check_examples(pack, None).unwrap().is_empty());
                    now_ms() - started
                })
                .fold(f64::INFINITY, f64::min)
        };
        let (small, large) = (time(&term_pack(500)), time(&term_pack(2000)));
        assert!(large < small * 9.0, "500 rules: {small:.0} ms, 2000 rules: {large:.0} ms");
    }

    /// The embedded pack must stay within the budgets with room for the expected growth (half again as many
    /// rules and terms this week): every count, the compiled size and the build time under two thirds.
    #[test]
    fn the_default_pack_fits_the_budgets_with_room_to_grow() {
        let pack = crate::Engine::default_pack();
        let usage = check_size(&pack, &PACK_BUDGET).unwrap();
        let room = |used: usize, limit: usize, what: &str| {
            assert!(used * 3 <= limit * 2, "{what}: {used} of {limit} leaves no room for 50 % more");
        };
        room(usage.rules, PACK_BUDGET.max_rules, "rules");
        room(usage.terms, PACK_BUDGET.max_terms, "terms");
        room(usage.regexes, PACK_BUDGET.max_regexes, "regexes");
        room(usage.examples, PACK_BUDGET.max_examples, "examples");
        room(usage.regex_bytes, PACK_BUDGET.max_regex_bytes, "compiled regex bytes");
        let started = now_ms();
        crate::Engine::check_examples(&pack, None).unwrap();
        let ms = now_ms() - started;
        // Debug builds are several times slower than the release and wasm builds; still inside the budget.
        assert!(ms * 1.5 <= PACK_BUDGET.max_build_ms, "the default pack took {ms:.0} ms to build and check");
    }
}
