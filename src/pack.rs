//! Rule packs: the guideline as data an admin can read. A pack has an `id`, a `version` that only grows,
//! rules (each with a category, a base severity, a Spanish message and suggestion, the guideline point it
//! applies, what it matches, the context it needs, and examples that must and must not trigger it), global
//! `allow` phrases, and the site-adapter table the extension uses to find composers.
//!
//! An admin's pack layers over the embedded default: it adds rules, replaces rules with the same id, and
//! disables rules by id. Parsing and validation never panic: every problem names the rule and the field.

use crate::context::{Account, Kind, Phase};
use crate::finding::{Category, Severity};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

/// The highest pack version: 2^31 − 1, so an accepted pack can never claim every later version (2^53 − 1
/// would), and every version is exact in JavaScript.
pub const MAX_PACK_VERSION: u64 = (1 << 31) - 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Pack {
    /// Editors' hint; ignored by the engine.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Stable identifier of the pack, e.g. `cedh-default` or `cedh-jalisco`.
    pub id: String,
    /// Integer from 0 to 2147483647 (2^31 − 1) that grows with every published change; the extension
    /// refuses a version not greater than the one it accepted last for the same pack id from a key still in
    /// the policy. The bound keeps one signed pack from claiming every later version.
    #[cfg_attr(test, schemars(range(max = 2147483647)))]
    pub version: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// Named term lists rules share through `match.lists` (e.g. `partidos`, `anclas-electorales`). An admin
    /// pack's list replaces the default pack's list of the same name.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub lists: std::collections::BTreeMap<String, Vec<String>>,
    /// Ids of rules (from the packs below this one) to switch off.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disable: Vec<String>,
    /// Phrases that are never flagged: a finding that overlaps one of them is dropped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<String>,
    /// Per-site knowledge for the extension (composer, reply, handle, publish selectors).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<SiteAdapter>,
    /// The policy the rules' examples run with (fictional names for `fromPolicy` rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, schemars(with = "Option<serde_json::Map<String, Value>>"))]
    pub test_policy: Option<Value>,
    /// The learned scorer beside the rules (written by `blindaje train`). An admin pack's model replaces the
    /// default pack's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<crate::model::ModelData>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Rule {
    /// Lowercase id, e.g. `electoral.llamado-al-voto`.
    pub id: Arc<str>,
    pub category: Category,
    /// Base severity; the context rules may lower it to a hint or raise it to high.
    pub severity: Severity,
    /// Spanish: what is wrong and why.
    pub message: Arc<str>,
    /// The point of the guideline this rule applies, quoted from it.
    pub guideline: Arc<str>,
    /// Spanish: what to write instead.
    #[serde(default)]
    pub suggestion: Option<Arc<str>>,
    /// Legal basis (article, jurisprudence), for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(rename = "match")]
    pub matcher: Matcher,
    /// The match counts only with one of these within `within` words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub near: Option<Matcher>,
    /// The match is cancelled by one of these within `within` words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unless_near: Option<Matcher>,
    /// Phrases that cancel a match they overlap ('partido de fútbol' cancels 'partido').
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<String>,
    #[serde(default, skip_serializing_if = "When::is_always")]
    pub when: When,
    pub examples: Examples,
    /// Free text for maintainers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What to look for. Terms and regexes run on the normalized text (lowercase, no accents, obfuscation
/// undone); terms match whole words, and a trailing `*` makes a term a prefix (`pendej*`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Matcher {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<String>,
    /// Names of the pack's shared term lists.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lists: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regex: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from_policy: Vec<PolicyList>,
    /// Only in `near` and `unlessNear`: the distance in words (default 8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<u32>,
}

/// Lists of the policy a rule can match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum PolicyList {
    /// The institution's officials, by full name and usual short forms.
    Officials,
    /// Candidates and politicians to watch.
    PoliticalActors,
    /// The officials' first surnames alone (for hashtags like `#EquipoPérez`; pair with `near`).
    OfficialSurnames,
    /// The political actors' first surnames alone (`¡Vamos Ibarra!`; pair with `near`).
    PoliticalActorSurnames,
    /// The political actors' first names and their usual nicknames (`#ConFernanda`, "Gaby"; pair with `near`).
    PoliticalActorFirstNames,
    /// The organization's name and aliases.
    Organization,
    /// The institutional email domains (`@cedh.gob.mx`).
    InstitutionalEmailDomains,
}

/// The contexts a rule applies in; an empty list means any.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct When {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub account: Vec<Account>,
    /// Phase ids, and `none` for dates outside every electoral period.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phase: Vec<PhaseCondition>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kind: Vec<Kind>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum PhaseCondition {
    None,
    Precampaign,
    Intercampaign,
    Campaign,
    Reflection,
    ElectionDay,
}

impl PhaseCondition {
    fn holds(self, phase: Option<Phase>) -> bool {
        let id = match self {
            PhaseCondition::None => return phase.is_none(),
            PhaseCondition::Precampaign => Phase::Precampaign,
            PhaseCondition::Intercampaign => Phase::Intercampaign,
            PhaseCondition::Campaign => Phase::Campaign,
            PhaseCondition::Reflection => Phase::Reflection,
            PhaseCondition::ElectionDay => Phase::ElectionDay,
        };
        phase == Some(id)
    }
}

impl When {
    pub fn is_always(&self) -> bool {
        self.account.is_empty() && self.phase.is_empty() && self.kind.is_empty()
    }

    pub fn holds(&self, account: Account, phase: Option<Phase>, kind: Kind) -> bool {
        (self.account.is_empty() || self.account.contains(&account))
            && (self.phase.is_empty() || self.phase.iter().any(|p| p.holds(phase)))
            && (self.kind.is_empty() || self.kind.contains(&kind))
    }
}

/// Texts that must trigger the rule and texts that must not (run by `blindaje rules test` and before an
/// admin pack is accepted).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Examples {
    #[serde(rename = "match")]
    pub should_match: Vec<String>,
    pub no_match: Vec<String>,
}

/// Where the extension finds things on one site. Every selector is a CSS selector; missing ones fall back
/// to generic detection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SiteAdapter {
    pub id: String,
    /// Host names (without `www.`); `x.com` covers `twitter.com` too.
    pub hosts: Vec<String>,
    /// `post` (default) or `email` for webmail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub composer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signup: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A pack problem, located as precisely as possible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackError {
    /// Where the pack came from (a file name, `embedded`, a URL); empty when unknown.
    pub origin: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub rule: Option<String>,
    pub field: Option<String>,
    pub message: String,
}

impl PackError {
    pub fn new(message: impl Into<String>) -> PackError {
        PackError { origin: String::new(), line: None, column: None, rule: None, field: None, message: message.into() }
    }

    pub fn in_rule(rule: &str, field: &str, message: impl Into<String>) -> PackError {
        PackError { rule: Some(rule.to_string()), field: Some(field.to_string()), ..PackError::new(message) }
    }

    pub fn with_origin(mut self, origin: &str) -> PackError {
        self.origin = origin.to_string();
        self
    }
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if !self.origin.is_empty() {
            parts.push(self.origin.clone());
        }
        match (self.line, self.column) {
            (Some(l), Some(c)) => parts.push(format!("line {l}, column {c}")),
            (Some(l), None) => parts.push(format!("line {l}")),
            _ => {}
        }
        if let Some(rule) = &self.rule {
            parts.push(format!("rule «{rule}»"));
        }
        if let Some(field) = &self.field {
            parts.push(format!("field «{field}»"));
        }
        parts.push(self.message.clone());
        f.write_str(&parts.join(": "))
    }
}

impl std::error::Error for PackError {}

impl Pack {
    /// Parses and validates a pack. Problems name the line, the rule and the field.
    pub fn parse(source: &str) -> Result<Pack, PackError> {
        let pack: Pack = serde_json::from_str(source).map_err(|e| locate_serde_error(source, &e))?;
        pack.validate_located(source)?;
        Ok(pack)
    }

    /// [`Pack::parse`] for a pack that is being accepted: its counts and compiled regex size are held to
    /// `budget` before anything is compiled for validation.
    pub fn parse_within(
        source: &str,
        budget: &crate::budget::Budget,
    ) -> Result<(Pack, crate::budget::Usage), PackError> {
        let pack: Pack = serde_json::from_str(source).map_err(|e| locate_serde_error(source, &e))?;
        let usage = crate::budget::check_size(&pack, budget)?;
        pack.validate_located(source)?;
        Ok((pack, usage))
    }

    fn validate_located(&self, source: &str) -> Result<(), PackError> {
        self.validate().map_err(|mut e| {
            if let Some(rule) = &e.rule {
                e.line = line_of_rule(source, rule);
            }
            e
        })
    }

    /// Checks what the format cannot: ids, non-empty texts, regexes, distances, examples present.
    pub fn validate(&self) -> Result<(), PackError> {
        if self.id.trim().is_empty() {
            return Err(PackError { field: Some("id".into()), ..PackError::new("the pack needs an id") });
        }
        if self.version > MAX_PACK_VERSION {
            return Err(PackError {
                field: Some("version".into()),
                ..PackError::new(format!(
                    "version {} is over the limit {MAX_PACK_VERSION} (2^31 − 1); number versions 1, 2, 3…",
                    self.version
                ))
            });
        }
        let mut seen = HashSet::new();
        for rule in &self.rules {
            validate_rule(rule)?;
            if !seen.insert(&*rule.id) {
                return Err(PackError::in_rule(&rule.id, "id", "another rule in this pack has the same id"));
            }
        }
        for phrase in &self.allow {
            if crate::normalize::Normalized::new(phrase).text.is_empty() {
                return Err(PackError { field: Some("allow".into()), ..PackError::new("an allow phrase is empty") });
            }
        }
        for (name, terms) in &self.lists {
            validate_terms("", &format!("lists.{name}"), terms).map_err(|e| PackError { rule: None, ..e })?;
        }
        let mut site_ids = HashSet::new();
        for site in &self.sites {
            let field = |f: &str| format!("sites «{}».{f}", site.id);
            if site.id.trim().is_empty() || !site_ids.insert(site.id.as_str()) {
                return Err(PackError {
                    field: Some("sites".into()),
                    ..PackError::new(format!("site adapter id «{}» is empty or repeated", site.id))
                });
            }
            if site.hosts.is_empty() || site.hosts.iter().any(|h| h.trim().is_empty() || h.contains('/')) {
                return Err(PackError {
                    field: Some(field("hosts")),
                    ..PackError::new("list the site's host names, like x.com")
                });
            }
            let selectors =
                [&site.composer, &site.reply, &site.handle, &site.sender, &site.publish, &site.signup, &site.media];
            if selectors.iter().any(|s| s.as_deref().is_some_and(|s| s.trim().is_empty())) {
                return Err(PackError { field: Some(field("selector")), ..PackError::new("a selector is empty") });
            }
        }
        if let Some(model) = &self.model {
            model.compile()?;
        }
        if let Some(tp) = &self.test_policy {
            let (_, report) = crate::policy::Policy::from_value(tp);
            if let Some(e) = report.errors.first() {
                return Err(PackError {
                    field: Some(format!("testPolicy.{}", e.key)),
                    ..PackError::new(e.message.clone())
                });
            }
        }
        Ok(())
    }
}

fn validate_rule(rule: &Rule) -> Result<(), PackError> {
    let id = &*rule.id;
    let valid_id = !id.is_empty()
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
        && id.starts_with(|c: char| c.is_ascii_alphanumeric());
    if !valid_id {
        return Err(PackError::in_rule(
            id,
            "id",
            "use lowercase letters, digits, '.', '-' and '_', like electoral.llamado-al-voto",
        ));
    }
    for (field, text) in [("message", &rule.message), ("guideline", &rule.guideline)] {
        if text.trim().is_empty() {
            return Err(PackError::in_rule(id, field, "must not be empty"));
        }
    }
    validate_matcher(id, "match", &rule.matcher, false)?;
    if let Some(near) = &rule.near {
        validate_matcher(id, "near", near, true)?;
    }
    if let Some(unless) = &rule.unless_near {
        validate_matcher(id, "unlessNear", unless, true)?;
    }
    validate_terms(id, "exceptions", &rule.exceptions)?;
    if rule.examples.should_match.is_empty() || rule.examples.no_match.is_empty() {
        return Err(PackError::in_rule(
            id,
            "examples",
            "give at least one text that must match and one that must not (examples.match, examples.noMatch)",
        ));
    }
    Ok(())
}

fn validate_matcher(rule: &str, field: &str, m: &Matcher, proximity: bool) -> Result<(), PackError> {
    if m.terms.is_empty() && m.lists.is_empty() && m.regex.is_empty() && m.from_policy.is_empty() {
        return Err(PackError::in_rule(rule, field, "needs at least one of terms, lists, regex, fromPolicy"));
    }
    match (proximity, m.within) {
        (false, Some(_)) => {
            return Err(PackError::in_rule(
                rule,
                &format!("{field}.within"),
                "only near and unlessNear take a distance",
            ))
        }
        (true, Some(0)) => {
            return Err(PackError::in_rule(rule, &format!("{field}.within"), "the distance must be at least 1 word"))
        }
        _ => {}
    }
    validate_terms(rule, &format!("{field}.terms"), &m.terms)?;
    for (i, pattern) in m.regex.iter().enumerate() {
        let field = format!("{field}.regex[{i}]");
        let re = crate::matcher::build_regex(pattern).map_err(|e| PackError::in_rule(rule, &field, e))?;
        if re.is_match("") {
            return Err(PackError::in_rule(
                rule,
                &field,
                format!("«{pattern}» matches the empty text; it must match at least one character"),
            ));
        }
    }
    Ok(())
}

fn validate_terms(rule: &str, field: &str, terms: &[String]) -> Result<(), PackError> {
    for term in terms {
        if !crate::matcher::term_key(term).0.chars().any(|c| !c.is_whitespace() && !is_punctuation(c)) {
            return Err(PackError::in_rule(
                rule,
                field,
                format!("the term «{term}» has no letters, digits or symbols once normalized"),
            ));
        }
    }
    Ok(())
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || matches!(c, '¡' | '¿' | '«' | '»' | '“' | '”' | '‘' | '’' | '…' | '–' | '—')
}

/// Turns a serde error into a located one, naming the rule when the error lies inside one.
fn locate_serde_error(source: &str, e: &serde_json::Error) -> PackError {
    let text = e.to_string();
    let message = text.rsplit_once(" at line ").map_or(text.as_str(), |(m, _)| m).to_string();
    let mut err = PackError { line: Some(e.line()), column: Some(e.column()), ..PackError::new(message) };
    if let Ok(Value::Object(top)) = serde_json::from_str::<Value>(source) {
        if let Some(Value::Array(rules)) = top.get("rules") {
            for (i, rule) in rules.iter().enumerate() {
                if let Err(inner) = serde_json::from_value::<Rule>(rule.clone()) {
                    let id =
                        rule.get("id").and_then(Value::as_str).map_or_else(|| format!("#{}", i + 1), str::to_string);
                    err.rule = Some(id);
                    err.field = field_of_serde_message(&inner.to_string());
                    break;
                }
            }
        }
    }
    err
}

fn field_of_serde_message(message: &str) -> Option<String> {
    let quoted = |m: &str| m.split('`').nth(1).map(str::to_string);
    if message.starts_with("unknown field") || message.starts_with("missing field") {
        return quoted(message);
    }
    None
}

/// The line where a rule's id first appears, to point an editor at it.
fn line_of_rule(source: &str, id: &str) -> Option<usize> {
    let needle = format!("\"{id}\"");
    let at = source.find(&needle)?;
    Some(source[..at].matches('\n').count() + 1)
}

/// The rules, allow phrases and site adapters in force: the default pack with an admin's pack over it.
#[derive(Debug, Clone)]
pub struct Layered {
    pub rules: Vec<Rule>,
    pub lists: std::collections::BTreeMap<String, Vec<String>>,
    pub allow: Vec<String>,
    pub sites: Vec<SiteAdapter>,
    /// The admin pack's model, else the default pack's.
    pub model: Option<crate::model::ModelData>,
    /// Ids an admin pack's `disable` names (rules and `model.<category>`).
    pub disabled: Vec<String>,
    pub base: PackInfo,
    pub admin: Option<PackInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackInfo {
    pub id: String,
    pub version: u64,
}

impl Layered {
    pub fn new(base: &Pack, admin: Option<&Pack>) -> Layered {
        let mut rules = base.rules.clone();
        let mut lists = base.lists.clone();
        let mut allow = base.allow.clone();
        let mut sites = base.sites.clone();
        if let Some(admin) = admin {
            for rule in &admin.rules {
                match rules.iter_mut().find(|r| r.id == rule.id) {
                    Some(existing) => *existing = rule.clone(),
                    None => rules.push(rule.clone()),
                }
            }
            rules.retain(|r| !admin.disable.iter().any(|id| **id == *r.id));
            lists.extend(admin.lists.iter().map(|(k, v)| (k.clone(), v.clone())));
            allow.extend(admin.allow.iter().cloned());
            for site in &admin.sites {
                match sites.iter_mut().find(|s| s.id == site.id) {
                    Some(existing) => *existing = site.clone(),
                    None => sites.push(site.clone()),
                }
            }
        }
        Layered {
            rules,
            lists,
            allow,
            sites,
            model: admin.and_then(|a| a.model.clone()).or_else(|| base.model.clone()),
            disabled: admin.map(|a| a.disable.clone()).unwrap_or_default(),
            base: PackInfo { id: base.id.clone(), version: base.version },
            admin: admin.map(|a| PackInfo { id: a.id.clone(), version: a.version }),
        }
    }
}

/// What changed between two packs, for `blindaje rules diff`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PackDiff {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<(String, Vec<&'static str>)>,
}

pub fn diff(old: &Pack, new: &Pack) -> PackDiff {
    let mut d = PackDiff::default();
    for rule in &new.rules {
        match old.rules.iter().find(|r| r.id == rule.id) {
            None => d.added.push(rule.id.to_string()),
            Some(before) if before != rule => d.changed.push((rule.id.to_string(), changed_fields(before, rule))),
            Some(_) => {}
        }
    }
    d.removed =
        old.rules.iter().filter(|r| !new.rules.iter().any(|n| n.id == r.id)).map(|r| r.id.to_string()).collect();
    d
}

fn changed_fields(a: &Rule, b: &Rule) -> Vec<&'static str> {
    let mut f = Vec::new();
    let mut check = |name, differs: bool| {
        if differs {
            f.push(name)
        }
    };
    check("category", a.category != b.category);
    check("severity", a.severity != b.severity);
    check("message", a.message != b.message);
    check("guideline", a.guideline != b.guideline);
    check("suggestion", a.suggestion != b.suggestion);
    check("source", a.source != b.source);
    check("match", a.matcher != b.matcher);
    check("near", a.near != b.near);
    check("unlessNear", a.unless_near != b.unless_near);
    check("exceptions", a.exceptions != b.exceptions);
    check("when", a.when != b.when);
    check("examples", a.examples != b.examples);
    check("note", a.note != b.note);
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: &str = r#"{"id": "t.rule", "category": "electoral", "severity": "medium", "message": "m", "guideline": "g",
        "match": {"terms": ["vota"]}, "examples": {"match": ["vota ya"], "noMatch": ["hola"]}}"#;

    fn pack_with(rule: &str) -> String {
        format!("{{\"id\": \"p\", \"version\": 2, \"rules\": [\n{rule}\n]}}")
    }

    fn error(source: &str) -> PackError {
        Pack::parse(source).expect_err("the pack must be refused")
    }

    #[test]
    fn a_valid_pack_parses() {
        let pack = Pack::parse(&pack_with(RULE)).unwrap();
        assert_eq!(&*pack.rules[0].id, "t.rule");
    }

    #[test]
    fn bad_json_names_the_line() {
        let e = error("{\"id\": \"p\",\n\"version\": 1,\n\"rules\": [,]}");
        assert_eq!(e.line, Some(3));
    }

    #[test]
    fn unknown_field_names_the_rule_and_field() {
        let e = error(&pack_with(&RULE.replace("\"match\"", "\"mach\"")));
        assert_eq!(e.rule.as_deref(), Some("t.rule"));
        assert_eq!(e.field.as_deref(), Some("mach"));
        assert!(e.to_string().contains("line 3"), "{e}");
    }

    #[test]
    fn missing_field_and_wrong_enum_are_named() {
        let e = error(&pack_with(&RULE.replace("\"message\": \"m\",", "")));
        assert_eq!((e.rule.as_deref(), e.field.as_deref()), (Some("t.rule"), Some("message")));
        let e = error(&pack_with(&RULE.replace("\"electoral\"", "\"politics\"")));
        assert_eq!(e.rule.as_deref(), Some("t.rule"));
        assert!(e.message.contains("politics"), "{e}");
    }

    #[test]
    fn semantic_errors_name_rule_and_field() {
        let cases = [
            (
                RULE.replace("[\"vota\"]", "[\"(\"]").replace("\"terms\"", "\"regex\""),
                "match.regex[0]",
                "invalid regex",
            ),
            (RULE.replace("[\"vota\"]", "[\"a*\"]").replace("\"terms\"", "\"regex\""), "match.regex[0]", "empty text"),
            (RULE.replace("{\"terms\": [\"vota\"]}", "{}"), "match", "at least one"),
            (RULE.replace("[\"vota\"]", "[\"¡!\"]"), "match.terms", "no letters"),
            (RULE.replace("\"noMatch\": [\"hola\"]", "\"noMatch\": []"), "examples", "at least one"),
            (RULE.replace("t.rule", "T Rule"), "id", "lowercase"),
            (RULE.replace("\"g\"", "\" \""), "guideline", "empty"),
            (
                RULE.replace("{\"terms\": [\"vota\"]}", "{\"terms\": [\"vota\"], \"within\": 3}"),
                "match.within",
                "only near",
            ),
        ];
        for (rule, field, reason) in cases {
            let e = error(&pack_with(&rule));
            assert_eq!(e.field.as_deref(), Some(field), "{e}");
            assert!(e.message.contains(reason), "{e}");
            assert_eq!(e.line, Some(2), "{e}");
        }
    }

    #[test]
    fn version_is_bounded_to_2_31_minus_1() {
        let at = |v: u64| format!("{{\"id\": \"p\", \"version\": {v}, \"rules\": []}}");
        assert!(Pack::parse(&at(MAX_PACK_VERSION)).is_ok());
        for v in [MAX_PACK_VERSION + 1, (1 << 53) - 1] {
            let e = error(&at(v));
            assert_eq!(e.field.as_deref(), Some("version"), "{e}");
            assert!(e.message.contains("2147483647"), "{e}");
        }
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let e = error(&pack_with(&format!("{RULE},{RULE}")));
        assert!(e.message.contains("same id"), "{e}");
    }

    #[test]
    fn admin_pack_adds_replaces_and_disables() {
        let base = Pack::parse(&pack_with(&format!("{RULE},{}", RULE.replace("t.rule", "t.other")))).unwrap();
        let admin = Pack::parse(&format!(
            "{{\"id\": \"a\", \"version\": 1, \"disable\": [\"t.other\"], \"rules\": [{}, {}]}}",
            RULE.replace("\"medium\"", "\"high\""),
            RULE.replace("t.rule", "t.new")
        ))
        .unwrap();
        let layered = Layered::new(&base, Some(&admin));
        let ids: Vec<&str> = layered.rules.iter().map(|r| &*r.id).collect();
        assert_eq!(ids, ["t.rule", "t.new"]);
        assert_eq!(layered.rules[0].severity, Severity::High);
    }

    #[test]
    fn diff_lists_added_removed_changed() {
        let old = Pack::parse(&pack_with(&format!("{RULE},{}", RULE.replace("t.rule", "t.gone")))).unwrap();
        let new = Pack::parse(&pack_with(&format!(
            "{},{}",
            RULE.replace("\"m\"", "\"m2\""),
            RULE.replace("t.rule", "t.new")
        )))
        .unwrap();
        let d = diff(&old, &new);
        assert_eq!(d.added, ["t.new"]);
        assert_eq!(d.removed, ["t.gone"]);
        assert_eq!(d.changed, [("t.rule".to_string(), vec!["message"])]);
    }

    /// The JSON Schema for editors is generated from these types, so it cannot drift from the parser.
    #[test]
    fn schema_file_is_up_to_date() {
        let schema = serde_json::to_string_pretty(&schemars::schema_for!(Pack)).unwrap() + "\n";
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/pack.schema.json");
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(path, &schema).unwrap();
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == schema,
            "rules/pack.schema.json is stale: run `BLESS=1 cargo test schema_file` and commit it"
        );
    }
}
