//! The engine: compiles the effective rules (embedded default pack, an admin pack over it) together with the
//! policy's names into one scanner, then turns the scanner's hits into findings under the context rules.

use crate::context::Context;
use crate::finding::{Category, Finding, Severity};
use crate::matcher::{Hits, Scanner, ScannerBuilder, Slot, Span, Sweep, Words};
use crate::model::{Model, Score};
use crate::normalize::Normalized;
use crate::pack::{Layered, Matcher, Pack, PackError, PackInfo, PolicyList, Rule, SiteAdapter};
use crate::policy::Policy;
use crate::{names, severity, utf16};
use std::collections::{BTreeMap, HashMap};

/// Words around a match a `near` or `unlessNear` looks at when the rule gives no distance.
pub const DEFAULT_WITHIN: u32 = 8;

pub struct Engine {
    policy: Policy,
    layered: Layered,
    rules: Vec<CompiledRule>,
    scanner: Scanner,
    allow: Slot,
    /// Per rule: its place in the order of rule ids, which breaks ties between findings on the same span.
    id_rank: Vec<usize>,
    /// The learned scorer, if the packs carry one, and the categories whose `model.<category>` is switched off.
    model: Option<Model>,
    model_off: Vec<Category>,
}

struct CompiledRule {
    matcher: Vec<Slot>,
    near: Option<(Vec<Slot>, usize)>,
    unless_near: Option<(Vec<Slot>, usize)>,
    exceptions: Slot,
}

/// A rule's example that did not behave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    pub rule: String,
    pub text: String,
    /// `true` when the text should have matched and did not.
    pub expected_match: bool,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = if self.expected_match { "must match but does not" } else { "must not match but does" };
        write!(f, "rule «{}»: example {what}: «{}»", self.rule, self.text)
    }
}

/// Rules per engine when examples are checked (see [`Engine::check_examples`]).
const EXAMPLE_GROUP: usize = 32;

impl Engine {
    /// The embedded default pack, parsed once per call. It is read without [`Pack::validate`], which compiles
    /// every regex and normalizes every term only to throw them away (a third of the engine's start-up): the
    /// test suite validates the embedded pack instead (`embedded_pack_is_valid`).
    pub fn default_pack() -> Pack {
        let mut pack: Pack =
            serde_json::from_str(crate::DEFAULT_PACK_JSON).expect("the embedded default pack is valid");
        pack.model = Some(serde_json::from_str(crate::DEFAULT_MODEL_JSON).expect("the embedded model is valid"));
        pack
    }

    /// An engine with the embedded rules, an optional admin pack over them, and the policy. The policy's
    /// `disabledRules` switch rules off and its `allowPhrases` are never flagged.
    pub fn new(policy: Policy, admin: Option<&Pack>) -> Result<Engine, PackError> {
        let base = Engine::default_pack();
        Engine::with_packs(policy, &base, admin)
    }

    pub fn with_packs(policy: Policy, base: &Pack, admin: Option<&Pack>) -> Result<Engine, PackError> {
        let mut layered = Layered::new(base, admin);
        layered.rules.retain(|r| !policy.disabled_rules.iter().any(|id| **id == *r.id));
        let mut builder = ScannerBuilder::default();
        let mut lists: HashMap<PolicyList, Slot> = HashMap::new();
        let allow = builder.new_slot();
        for phrase in layered.allow.iter().chain(&policy.allow_phrases) {
            builder.add_term(allow, phrase);
        }
        let mut rules = Vec::with_capacity(layered.rules.len());
        for rule in &layered.rules {
            let exceptions = builder.new_slot();
            for e in &rule.exceptions {
                builder.add_term(exceptions, e);
            }
            let shared = &layered.lists;
            // A `near` or `unlessNear` matters only where the rule matched, so its regexes are searched lazily.
            let mut compile = |m: &Matcher, lazy_regexes: bool| {
                compile_matcher(&mut builder, &mut lists, &policy, shared, m, lazy_regexes)
                    .map_err(|e| PackError::in_rule(&rule.id, "lists", e))
            };
            let matcher = compile(&rule.matcher, false)?;
            let near = rule.near.as_ref().map(|m| Ok::<_, PackError>((compile(m, true)?, within(m)))).transpose()?;
            let unless_near =
                rule.unless_near.as_ref().map(|m| Ok::<_, PackError>((compile(m, true)?, within(m)))).transpose()?;
            rules.push(CompiledRule { matcher, near, unless_near, exceptions });
        }
        let scanner = builder.build().map_err(PackError::new)?;
        let mut by_id: Vec<usize> = (0..layered.rules.len()).collect();
        by_id.sort_by(|&a, &b| layered.rules[a].id.cmp(&layered.rules[b].id));
        let mut id_rank = vec![0; by_id.len()];
        for (rank, &rule) in by_id.iter().enumerate() {
            id_rank[rule] = rank;
        }
        let model = layered.model.as_ref().map(|m| m.compile()).transpose()?;
        let switched_off = |c: &Category| {
            let id = format!("model.{}", c.id());
            policy.disabled_rules.iter().chain(&layered.disabled).any(|d| **d == *id)
        };
        let model_off = Category::ALL.into_iter().filter(switched_off).collect();
        Ok(Engine { policy, layered, rules, scanner, allow, id_rank, model, model_off })
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    pub fn rules(&self) -> &[Rule] {
        &self.layered.rules
    }

    pub fn sites(&self) -> &[SiteAdapter] {
        &self.layered.sites
    }

    pub fn base_pack(&self) -> &PackInfo {
        &self.layered.base
    }

    pub fn admin_pack(&self) -> Option<&PackInfo> {
        self.layered.admin.as_ref()
    }

    /// Whether the packs carry a model, and which of its categories are switched off.
    pub fn model(&self) -> Option<(&Model, &[Category])> {
        self.model.as_ref().map(|m| (m, self.model_off.as_slice()))
    }

    /// Every finding in `text` for `context`, hints included, sorted by start, then end.
    pub fn analyze(&self, text: &str, context: &Context) -> Vec<Finding> {
        let phase = self.policy.phase_on(context.date);
        let active: Vec<usize> = (0..self.rules.len())
            .filter(|&i| self.layered.rules[i].when.holds(context.account, phase, context.kind))
            .collect();
        if (active.is_empty() && self.model.is_none()) || text.is_empty() {
            return Vec::new();
        }
        let norm = Normalized::new(text);
        let mut findings = self.rule_findings(text, &norm, active, context, phase);
        // Scored only when some category of it is on (`--no-model` switches them all off).
        if let Some(model) = self.model.as_ref().filter(|m| m.categories().any(|c| !self.model_off.contains(&c))) {
            let scores = model.score_text(text, &norm);
            self.weigh_with_model(text, &norm, &scores, context, phase, &mut findings);
        }
        findings
    }

    fn rule_findings(
        &self,
        text: &str,
        norm: &Normalized,
        active: Vec<usize>,
        context: &Context,
        phase: Option<crate::Phase>,
    ) -> Vec<Finding> {
        if active.is_empty() {
            return Vec::new();
        }
        let hits = self.scanner.scan(&norm.text);
        let mut words = None;
        let mut raw: Vec<(usize, Span)> = Vec::new();
        for i in active {
            let spans = self.rule_spans(i, &norm.text, &hits, &mut words);
            raw.extend(norm.original_spans(text, spans).map(|span| (i, span)));
        }
        // The contract's order (start, end, rule; UTF-16 offsets grow with byte offsets), and one finding where
        // two matches of a rule map to the same original span (both inside one hashtag).
        raw.sort_unstable_by_key(|&(i, span)| (span, self.id_rank[i]));
        raw.dedup_by_key(|&mut (i, span)| (span, self.id_rank[i]));
        let offsets: Vec<usize> = raw.iter().flat_map(|(_, (s, e))| [*s, *e]).collect();
        let units = utf16::byte_to_utf16(text, &offsets);
        raw.iter()
            .enumerate()
            .map(|(k, (i, (s, e)))| {
                let rule = &self.layered.rules[*i];
                Finding {
                    rule: rule.id.clone(),
                    category: rule.category,
                    severity: severity::decide(rule.category, rule.severity, context.account, phase),
                    start: units[2 * k],
                    end: units[2 * k + 1],
                    excerpt: text[*s..*e].to_string(),
                    message: rule.message.clone(),
                    guideline: rule.guideline.clone(),
                    suggestion: rule.suggestion.clone(),
                }
            })
            .collect()
    }

    /// The model's say, category by category: a medium rule warning it scores under `cleanBelow` becomes a hint; where
    /// no rule warns and it scores from `warnAt`, its own finding (`model.<category>`, medium, context rules
    /// applied) on the sentence it scored highest, naming the words that weighed most.
    fn weigh_with_model(
        &self,
        text: &str,
        norm: &Normalized,
        scores: &[Score],
        context: &Context,
        phase: Option<crate::Phase>,
        findings: &mut Vec<Finding>,
    ) {
        let mut added = false;
        for score in scores.iter().filter(|s| !self.model_off.contains(&s.category)) {
            let mut rule_warns = false;
            for f in findings.iter_mut().filter(|f| f.category == score.category && f.severity.is_warning()) {
                // A high finding is an explicit call, endorsement or misuse of resources: the rules are sure of
                // those, and a short slogan gives the model little to read. Only medium ones are weighed.
                if f.severity == Severity::Medium && score.probability < score.clean_below {
                    f.severity = Severity::Low;
                } else {
                    rule_warns = true;
                }
            }
            let severity = severity::decide(score.category, Severity::Medium, context.account, phase);
            // `warnAt` 1 means never: a probability rounds to 1 in f32 long before it is certain.
            let model_warns = score.warn_at < 1.0 && score.probability >= score.warn_at;
            if rule_warns || !model_warns || !severity.is_warning() {
                continue;
            }
            let original = |span: Span| norm.original_spans(text, [span]).next().expect("one span in, one out");
            let (s, e) = original(score.span);
            let words: Vec<String> = score
                .top_words
                .iter()
                .map(|&w| {
                    let (a, b) = original(w);
                    format!("«{}»", &text[a..b])
                })
                .collect();
            let message = match words.is_empty() {
                true => score.message.clone(),
                false => format!("{} Palabras que más pesaron: {}.", score.message, words.join(", ")).into(),
            };
            let units = utf16::byte_to_utf16(text, &[s, e]);
            findings.push(Finding {
                rule: score.rule.clone(),
                category: score.category,
                severity,
                start: units[0],
                end: units[1],
                excerpt: text[s..e].to_string(),
                message,
                guideline: score.guideline.clone(),
                suggestion: None,
            });
            added = true;
        }
        if added {
            findings.sort_by(|a, b| (a.start, a.end, &a.rule).cmp(&(b.start, b.end, &b.rule)));
        }
    }

    /// The spans (normalized text) where rule `i` holds, context aside: its matches, less those an exception
    /// or an allow phrase overlaps, kept only with a `near` hit and without an `unlessNear` hit; overlapping
    /// matches of the rule merged.
    fn rule_spans(&self, i: usize, text: &str, hits: &Hits, words: &mut Option<Words>) -> Vec<Span> {
        let rule = &self.rules[i];
        let mut spans: Vec<Span> = rule.matcher.iter().flat_map(|&s| hits.all(s).iter().copied()).collect();
        if spans.is_empty() {
            return spans;
        }
        spans.sort_unstable();
        let overlaps = |slot: Slot, span: Span| hits.around(slot, span.0, span.1).any(|hit| overlap(hit, span));
        // The spans are sorted, so the exceptions and allow phrases around them are swept, not searched.
        let touches = |sweep: &mut Sweep, span: Span| sweep.around(span.0, span.1).any(|hit| overlap(hit, span));
        let (mut exceptions, mut allowed) = (Sweep::new(hits, rule.exceptions), Sweep::new(hits, self.allow));
        spans.retain(|&span| !touches(&mut exceptions, span) && !touches(&mut allowed, span));
        for (proximity, keep_if_found) in [(&rule.near, true), (&rule.unless_near, false)] {
            let Some((slots, within)) = proximity else {
                continue;
            };
            if spans.is_empty() {
                break;
            }
            let words = words.get_or_insert_with(|| Words::new(text));
            // Context is what lies around the match, not inside it; and the rule's exceptions silence
            // context words too: 'campaña de vacunación' is no campaign. Windows start in the spans' order.
            let mut context: Vec<Sweep> = slots.iter().map(|&s| Sweep::new(hits, s)).collect();
            spans.retain(|&span| {
                let (from, to) = words.byte_window(span, *within);
                let found = context.iter_mut().any(|sweep| {
                    sweep.around(from, to).any(|other| {
                        let inside = span.0 <= other.0 && other.1 <= span.1;
                        !inside && words.distance(span, other) <= *within && !overlaps(rule.exceptions, other)
                    })
                });
                found == keep_if_found
            });
        }
        merge(spans)
    }

    /// Runs every rule's examples of `pack` against an engine made of that pack alone, with the pack's
    /// `testPolicy` (or `fallback_test_policy`). Context conditions and severities are not part of it.
    pub fn check_examples(
        pack: &Pack,
        fallback_test_policy: Option<&serde_json::Value>,
    ) -> Result<Vec<ExampleFailure>, PackError> {
        let test_policy =
            pack.test_policy.as_ref().or(fallback_test_policy).map(|v| Policy::from_value(v).0).unwrap_or_default();
        let mut failures = Vec::new();
        // In groups of rules, each with an engine of its own: a scan costs time in proportion to the engine's
        // slots, so one engine for all the rules made the check quadratic in the number of rules (4,000 rules:
        // 3.9 s). A rule's examples depend only on its own slots and the shared lists.
        for group in pack.rules.chunks(EXAMPLE_GROUP) {
            let only = Pack {
                schema: None,
                id: pack.id.clone(),
                version: pack.version,
                description: None,
                rules: group.to_vec(),
                lists: pack.lists.clone(),
                disable: Vec::new(),
                allow: Vec::new(),
                sites: Vec::new(),
                test_policy: None,
                model: None,
            };
            Engine::group_examples(&Engine::with_packs(test_policy.clone(), &only, None)?, &mut failures);
        }
        Ok(failures)
    }

    fn group_examples(engine: &Engine, failures: &mut Vec<ExampleFailure>) {
        for (i, rule) in engine.layered.rules.iter().enumerate() {
            let cases = rule.examples.should_match.iter().map(|t| (t, true));
            for (text, expected) in cases.chain(rule.examples.no_match.iter().map(|t| (t, false))) {
                let norm = Normalized::new(text);
                let hits = engine.scanner.scan(&norm.text);
                let matched = !engine.rule_spans(i, &norm.text, &hits, &mut None).is_empty();
                if matched != expected {
                    failures.push(ExampleFailure {
                        rule: rule.id.to_string(),
                        text: text.clone(),
                        expected_match: expected,
                    });
                }
            }
        }
    }
}

fn within(m: &Matcher) -> usize {
    m.within.unwrap_or(DEFAULT_WITHIN) as usize
}

fn compile_matcher(
    builder: &mut ScannerBuilder,
    lists: &mut HashMap<PolicyList, Slot>,
    policy: &Policy,
    shared: &BTreeMap<String, Vec<String>>,
    m: &Matcher,
    lazy_regexes: bool,
) -> Result<Vec<Slot>, String> {
    let mut slots = Vec::new();
    if !m.terms.is_empty() || !m.lists.is_empty() {
        let slot = builder.new_slot();
        for term in &m.terms {
            builder.add_term(slot, term);
        }
        for name in &m.lists {
            let terms = shared.get(name).ok_or_else(|| format!("no list named «{name}» in the pack"))?;
            for term in terms {
                builder.add_term(slot, term);
            }
        }
        slots.push(slot);
    }
    if !m.regex.is_empty() {
        let slot = if lazy_regexes { builder.new_lazy_slot() } else { builder.new_slot() };
        for pattern in &m.regex {
            builder.add_regex(slot, pattern);
        }
        slots.push(slot);
    }
    for list in &m.from_policy {
        let slot = *lists.entry(*list).or_insert_with(|| {
            let slot = builder.new_slot();
            for term in policy_terms(policy, *list) {
                builder.add_term(slot, &term);
            }
            slot
        });
        slots.push(slot);
    }
    Ok(slots)
}

fn policy_terms(policy: &Policy, list: PolicyList) -> Vec<String> {
    let variants = |people: &[String]| people.iter().flat_map(|n| names::variants(n)).collect();
    let surnames = |people: &[String]| people.iter().filter_map(|n| names::first_surname(n)).collect();
    match list {
        PolicyList::Officials => variants(&policy.officials),
        PolicyList::PoliticalActors => variants(&policy.political_actors),
        PolicyList::OfficialSurnames => surnames(&policy.officials),
        PolicyList::PoliticalActorSurnames => surnames(&policy.political_actors),
        PolicyList::PoliticalActorFirstNames => {
            policy.political_actors.iter().flat_map(|n| names::first_name_forms(n)).collect()
        }
        PolicyList::Organization => std::iter::once(policy.organization_name.clone())
            .chain(policy.organization_aliases.iter().cloned())
            .collect(),
        PolicyList::InstitutionalEmailDomains => {
            policy.institutional_email_domains.iter().map(|d| format!("@{d}")).collect()
        }
    }
}

fn overlap(a: Span, b: Span) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Sorted spans with overlapping ones joined.
fn merge(spans: Vec<Span>) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for span in spans {
        match out.last_mut() {
            Some(last) if span.0 < last.1 => last.1 = last.1.max(span.1),
            _ => out.push(span),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_pack_is_valid() {
        let pack = Pack::parse(crate::DEFAULT_PACK_JSON).unwrap_or_else(|e| panic!("{e}"));
        let failures = Engine::check_examples(&pack, None).unwrap();
        assert!(failures.is_empty(), "{failures:?}");
        let model = Engine::default_pack().model.expect("the default pack carries a model");
        model.compile().unwrap_or_else(|e| panic!("rules/model.json: {e}"));
    }
}
