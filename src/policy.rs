//! The admin's settings: one JSON object, read from a file by the CLI and from enterprise policy by the
//! extension, so the key names are a public contract. Every key is validated on its own: an unknown key is
//! a warning, a wrong value an error naming the key and the reason, and the rest of the policy still applies.

use crate::context::{parse_date, Account, Phase};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};

/// A period of the electoral calendar. `start` and `end` are inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    pub label: String,
    pub phase: Phase,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// An institutional account on a site; compared without `@` and case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstitutionalAccount {
    pub site: String,
    pub handle: String,
}

/// What the extension does before a post goes out while a high warning stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Enforcement {
    #[default]
    Warn,
    Confirm,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    pub organization_name: String,
    pub organization_aliases: Vec<String>,
    pub officials: Vec<String>,
    pub political_actors: Vec<String>,
    pub institutional_accounts: Vec<InstitutionalAccount>,
    pub institutional_email_domains: Vec<String>,
    pub electoral_periods: Vec<Period>,
    pub rule_pack_url: Option<String>,
    pub rule_pack_public_keys: Vec<String>,
    pub update_interval_minutes: u32,
    pub enforcement: Enforcement,
    pub sites: Vec<String>,
    pub disabled_rules: Vec<String>,
    pub allow_phrases: Vec<String>,
}

/// One problem in a policy, tied to its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyIssue {
    pub key: String,
    pub message: String,
}

impl std::fmt::Display for PolicyIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.key.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.key, self.message)
        }
    }
}

/// What was wrong with a policy. Errors mean a value was ignored; warnings are advice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PolicyReport {
    pub errors: Vec<PolicyIssue>,
    pub warnings: Vec<PolicyIssue>,
}

impl PolicyReport {
    fn error(&mut self, key: &str, message: impl Into<String>) {
        self.errors.push(PolicyIssue { key: key.to_string(), message: message.into() });
    }
    fn warning(&mut self, key: &str, message: impl Into<String>) {
        self.warnings.push(PolicyIssue { key: key.to_string(), message: message.into() });
    }
}

pub const DEFAULT_ORGANIZATION: &str = "Comisión Estatal de Derechos Humanos";
pub const DEFAULT_UPDATE_INTERVAL_MINUTES: u32 = 360;
const MAX_UPDATE_INTERVAL_MINUTES: u32 = 7 * 24 * 60;

/// Every key the policy knows: the engine's and the extension's.
pub const KNOWN_KEYS: [&str; 14] = [
    "organizationName",
    "organizationAliases",
    "officials",
    "politicalActors",
    "institutionalAccounts",
    "institutionalEmailDomains",
    "electoralPeriods",
    "rulePackUrl",
    "rulePackPublicKeys",
    "updateIntervalMinutes",
    "enforcement",
    "sites",
    "disabledRules",
    "allowPhrases",
];

/// The 2027 federal calendar as far as it is known: election day is fixed by law; campaigns and the
/// reflection period follow the 2021 layout and are provisional until INE publishes its agreement.
pub fn default_calendar() -> Vec<Period> {
    let d = |s| parse_date(s).expect("valid built-in date");
    vec![
        Period {
            label: "Campañas federales 2027 (provisional)".into(),
            phase: Phase::Campaign,
            start: d("2027-04-04"),
            end: d("2027-06-02"),
        },
        Period {
            label: "Periodo de reflexión 2027 (provisional)".into(),
            phase: Phase::Reflection,
            start: d("2027-06-03"),
            end: d("2027-06-05"),
        },
        Period {
            label: "Jornada electoral federal 2027".into(),
            phase: Phase::ElectionDay,
            start: d("2027-06-06"),
            end: d("2027-06-06"),
        },
    ]
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            organization_name: DEFAULT_ORGANIZATION.to_string(),
            organization_aliases: vec!["CEDH".into(), "la Comisión".into()],
            officials: Vec::new(),
            political_actors: Vec::new(),
            institutional_accounts: Vec::new(),
            institutional_email_domains: Vec::new(),
            electoral_periods: default_calendar(),
            rule_pack_url: None,
            rule_pack_public_keys: Vec::new(),
            update_interval_minutes: DEFAULT_UPDATE_INTERVAL_MINUTES,
            enforcement: Enforcement::Warn,
            sites: Vec::new(),
            disabled_rules: Vec::new(),
            allow_phrases: Vec::new(),
        }
    }
}

impl Policy {
    /// Reads a policy leniently: every valid key applies, every invalid one is reported and left at its
    /// default. A text that is not a JSON object gives the default policy and an error.
    pub fn parse(json: &str) -> (Policy, PolicyReport) {
        match serde_json::from_str::<Value>(json) {
            Ok(value) => Policy::from_value(&value),
            Err(e) => {
                let mut report = PolicyReport::default();
                report.error("", format!("not valid JSON (line {}, column {}): {e}", e.line(), e.column()));
                (Policy::default(), report)
            }
        }
    }

    pub fn from_value(value: &Value) -> (Policy, PolicyReport) {
        let mut policy = Policy::default();
        let mut report = PolicyReport::default();
        let Some(map) = value.as_object() else {
            report.error("", "the policy must be a JSON object");
            return (policy, report);
        };
        for key in map.keys() {
            if !KNOWN_KEYS.contains(&key.as_str()) {
                report.warning(key, format!("unknown key, ignored (known keys: {})", KNOWN_KEYS.join(", ")));
            }
        }
        let r = &mut report;
        if let Some(v) = field(map, "organizationName", r, non_empty_string) {
            policy.organization_name = v;
        }
        if let Some(v) = field(map, "organizationAliases", r, string_list) {
            policy.organization_aliases = v;
        }
        if let Some(v) = field(map, "officials", r, string_list) {
            policy.officials = v;
        }
        if let Some(v) = field(map, "politicalActors", r, string_list) {
            policy.political_actors = v;
        }
        if let Some(v) = field(map, "institutionalAccounts", r, accounts) {
            policy.institutional_accounts = v;
        }
        if let Some(v) = field(map, "institutionalEmailDomains", r, email_domains) {
            policy.institutional_email_domains = v;
        }
        if let Some(v) = field(map, "electoralPeriods", r, periods) {
            policy.electoral_periods = v;
        }
        if let Some(v) = field(map, "rulePackUrl", r, pack_url) {
            policy.rule_pack_url = Some(v);
        }
        if let Some(v) = field(map, "rulePackPublicKeys", r, public_keys) {
            policy.rule_pack_public_keys = v;
        }
        if let Some(v) = field(map, "updateIntervalMinutes", r, interval) {
            policy.update_interval_minutes = v;
        }
        if let Some(v) = field(map, "enforcement", r, enforcement) {
            policy.enforcement = v;
        }
        if let Some(v) = field(map, "sites", r, sites) {
            policy.sites = v;
        }
        if let Some(v) = field(map, "disabledRules", r, string_list) {
            policy.disabled_rules = v;
        }
        if let Some(v) = field(map, "allowPhrases", r, string_list) {
            policy.allow_phrases = v;
        }
        (policy, report)
    }

    /// The strictest phase of the day, if the day is inside any electoral period.
    pub fn phase_on(&self, date: NaiveDate) -> Option<Phase> {
        self.period_on(date).map(|p| p.phase)
    }

    /// The period that decides the day's phase (the strictest when periods overlap).
    pub fn period_on(&self, date: NaiveDate) -> Option<&Period> {
        self.electoral_periods.iter().filter(|p| p.start <= date && date <= p.end).max_by_key(|p| p.phase)
    }

    /// Advice about the calendar relative to `today`: empty, or only in the past.
    pub fn calendar_warning(&self, today: NaiveDate) -> Option<String> {
        if self.electoral_periods.is_empty() {
            return Some("the electoral calendar is empty: only the rules that apply at any date will warn".into());
        }
        if self.electoral_periods.iter().all(|p| p.end < today) {
            return Some(format!(
                "no electoral period is current or ahead of {today}: update electoralPeriods with the next calendar"
            ));
        }
        None
    }

    /// Whether `handle` on `site` is one of the institution's accounts.
    pub fn account_for(&self, site: &str, handle: &str) -> Account {
        let site = canonical_site(site);
        let handle = canonical_handle(handle);
        let listed = self
            .institutional_accounts
            .iter()
            .any(|a| canonical_site(&a.site) == site && canonical_handle(&a.handle) == handle);
        if listed {
            Account::Institutional
        } else {
            Account::Personal
        }
    }

    /// Whether an email address belongs to one of the institution's domains (subdomains included).
    pub fn is_institutional_email(&self, address: &str) -> bool {
        let Some((_, domain)) = address.trim().rsplit_once('@') else {
            return false;
        };
        let domain = domain.to_lowercase();
        self.institutional_email_domains.iter().any(|d| domain == *d || domain.ends_with(&format!(".{d}")))
    }
}

/// `www.`, `mobile.` and `m.` prefixes dropped; `twitter.com` is `x.com`.
pub fn canonical_site(site: &str) -> String {
    let mut s = site.trim().to_lowercase();
    for prefix in ["https://", "http://"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.to_string();
        }
    }
    let s = s.split('/').next().unwrap_or("").to_string();
    let s = ["www.", "mobile.", "m."].iter().fold(s, |s, p| s.strip_prefix(p).map(str::to_string).unwrap_or(s));
    match s.as_str() {
        "twitter.com" => "x.com".to_string(),
        _ => s,
    }
}

pub fn canonical_handle(handle: &str) -> String {
    handle.trim().trim_start_matches('@').to_lowercase()
}

type Check<T> = fn(&Value) -> Result<T, String>;

fn field<T>(map: &Map<String, Value>, key: &str, report: &mut PolicyReport, check: Check<T>) -> Option<T> {
    let value = map.get(key)?;
    match check(value) {
        Ok(v) => Some(v),
        Err(reason) => {
            report.error(key, reason);
            None
        }
    }
}

fn non_empty_string(v: &Value) -> Result<String, String> {
    match v.as_str().map(str::trim) {
        Some("") => Err("must not be empty".into()),
        Some(s) => Ok(s.to_string()),
        None => Err(format!("must be a string, found {}", type_name(v))),
    }
}

fn list<T>(v: &Value, item: impl Fn(&Value) -> Result<T, String>) -> Result<Vec<T>, String> {
    let items = v.as_array().ok_or_else(|| format!("must be a list, found {}", type_name(v)))?;
    items.iter().enumerate().map(|(i, x)| item(x).map_err(|e| format!("item {}: {e}", i + 1))).collect()
}

fn string_list(v: &Value) -> Result<Vec<String>, String> {
    list(v, non_empty_string)
}

fn object(v: &Value) -> Result<&Map<String, Value>, String> {
    v.as_object().ok_or_else(|| format!("must be an object, found {}", type_name(v)))
}

fn member<T>(o: &Map<String, Value>, name: &str, check: Check<T>) -> Result<T, String> {
    let v = o.get(name).ok_or_else(|| format!("missing \"{name}\""))?;
    check(v).map_err(|e| format!("\"{name}\" {e}"))
}

fn no_other_members(o: &Map<String, Value>, allowed: &[&str]) -> Result<(), String> {
    match o.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(format!("unknown field \"{k}\" (expected {})", allowed.join(", "))),
        None => Ok(()),
    }
}

fn accounts(v: &Value) -> Result<Vec<InstitutionalAccount>, String> {
    list(v, |x| {
        let o = object(x)?;
        no_other_members(o, &["site", "handle"])?;
        Ok(InstitutionalAccount {
            site: member(o, "site", non_empty_string)?,
            handle: member(o, "handle", non_empty_string)?,
        })
    })
}

fn email_domains(v: &Value) -> Result<Vec<String>, String> {
    list(v, |x| {
        let d = non_empty_string(x)?.trim_start_matches('@').to_lowercase();
        if d.contains('@') || d.contains(char::is_whitespace) || !d.contains('.') {
            return Err(format!("«{d}» is not a domain like cedh.gob.mx"));
        }
        Ok(d)
    })
}

fn date(v: &Value) -> Result<NaiveDate, String> {
    parse_date(&non_empty_string(v)?)
}

fn phase(v: &Value) -> Result<Phase, String> {
    let s = non_empty_string(v)?;
    Phase::from_id(&s).ok_or_else(|| {
        let ids: Vec<&str> = Phase::ALL.iter().map(|p| p.id()).collect();
        format!("«{s}» is not a phase (expected one of {})", ids.join(", "))
    })
}

fn periods(v: &Value) -> Result<Vec<Period>, String> {
    list(v, |x| {
        let o = object(x)?;
        no_other_members(o, &["label", "phase", "start", "end"])?;
        let p = Period {
            label: member(o, "label", non_empty_string)?,
            phase: member(o, "phase", phase)?,
            start: member(o, "start", date)?,
            end: member(o, "end", date)?,
        };
        if p.end < p.start {
            return Err(format!("ends ({}) before it starts ({})", p.end, p.start));
        }
        Ok(p)
    })
}

fn pack_url(v: &Value) -> Result<String, String> {
    let s = non_empty_string(v)?;
    let lower = s.to_ascii_lowercase();
    let (scheme, rest) = lower.split_once("://").unwrap_or(("", &lower));
    // The authority ends at the first /, ? or #; a prefix test would take http://localhost@attacker.example/
    // (user "localhost" at attacker.example) for this machine.
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return Err(format!("«{s}» has a user name or password before @: give the server's address alone"));
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().map(|h| format!("[{h}]")).unwrap_or_default(),
        None => authority.split(':').next().unwrap_or("").to_string(),
    };
    let loopback = ["127.0.0.1", "localhost", "[::1]"].contains(&host.as_str());
    match scheme {
        "https" if !host.is_empty() => Ok(s),
        "http" if loopback => Ok(s),
        _ => Err(format!("«{s}» must be an https:// URL (plain http only on this machine's loopback)")),
    }
}

fn public_keys(v: &Value) -> Result<Vec<String>, String> {
    list(v, |x| {
        let s = non_empty_string(x)?;
        crate::signing::decode_public_key(&s)?;
        Ok(s)
    })
}

fn interval(v: &Value) -> Result<u32, String> {
    match v.as_u64() {
        Some(n) if (1..=MAX_UPDATE_INTERVAL_MINUTES as u64).contains(&n) => Ok(n as u32),
        _ => Err(format!("must be a whole number of minutes from 1 to {MAX_UPDATE_INTERVAL_MINUTES}, found {v}")),
    }
}

fn enforcement(v: &Value) -> Result<Enforcement, String> {
    match non_empty_string(v)?.as_str() {
        "warn" => Ok(Enforcement::Warn),
        "confirm" => Ok(Enforcement::Confirm),
        other => Err(format!("«{other}» is not warn or confirm")),
    }
}

fn sites(v: &Value) -> Result<Vec<String>, String> {
    list(v, |x| site_host(&non_empty_string(x)?))
}

/// A `sites` entry: a host name (the extension covers it on every port and both schemes), an IPv4 address,
/// or `*.` and a registrable domain (`*.cedh.gob.mx`): a wildcard may stand for one label below a
/// registrable domain, never for a public suffix (`*.com`, `*.gob.mx`), which would cover every site under it.
fn site_host(entry: &str) -> Result<String, String> {
    let host = canonical_site(entry);
    let example = "a host name like intranet.cedh.gob.mx, or *.cedh.gob.mx for its subdomains";
    if host.contains(':') {
        return Err(format!("«{entry}» has a port: list the host name alone (every port is covered)"));
    }
    let (wildcard, name) = match host.strip_prefix("*.") {
        Some(rest) => (true, rest),
        None => (false, host.as_str()),
    };
    if !wildcard && name.parse::<std::net::Ipv4Addr>().is_ok() {
        return Ok(host);
    }
    let label_ok = |l: &str| {
        (1..=63).contains(&l.len())
            && l.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let known_suffix = psl::suffix(name.as_bytes()).is_some_and(|s| s.is_known() && s.as_bytes() == name.as_bytes());
    if known_suffix && name.split('.').all(label_ok) {
        return Err(format!("«{entry}» is a public suffix, not a site: name the institution's domain ({example})"));
    }
    if name.len() > 253 || !name.contains('.') || !name.split('.').all(label_ok) {
        return Err(format!("«{entry}» is not {example} (international names in punycode: xn--…)"));
    }
    match psl::domain_str(name) {
        None => Err(format!("«{entry}» is a public suffix, not a site: name the institution's domain ({example})")),
        Some(registrable) if wildcard && registrable != name => Err(format!(
            "«{entry}»: a wildcard stands for one label below a registrable domain (*.{registrable}), not deeper"
        )),
        Some(_) => Ok(host),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn default_calendar_knows_election_day() {
        let p = Policy::default();
        assert_eq!(p.phase_on(d("2027-06-06")), Some(Phase::ElectionDay));
        assert_eq!(p.phase_on(d("2027-05-01")), Some(Phase::Campaign));
        assert_eq!(p.phase_on(d("2026-11-28")), None);
    }

    #[test]
    fn overlapping_periods_take_the_strictest() {
        let (p, r) = Policy::parse(
            r#"{"electoralPeriods": [
              {"label": "local", "phase": "campaign", "start": "2027-03-29", "end": "2027-06-02"},
              {"label": "federal", "phase": "precampaign", "start": "2027-01-01", "end": "2027-04-10"}]}"#,
        );
        assert!(r.errors.is_empty(), "{r:?}");
        assert_eq!(p.phase_on(d("2027-04-01")), Some(Phase::Campaign));
        assert_eq!(p.phase_on(d("2027-03-01")), Some(Phase::Precampaign));
    }

    #[test]
    fn unknown_key_warns_and_wrong_value_errors_naming_the_key() {
        let (p, r) = Policy::parse(r#"{"oficiales": [], "enforcement": "block", "officials": ["Ana Pérez"]}"#);
        assert_eq!(r.warnings[0].key, "oficiales");
        assert_eq!(r.errors.len(), 1);
        assert_eq!(r.errors[0].key, "enforcement");
        assert!(r.errors[0].message.contains("block"));
        assert_eq!(p.officials, vec!["Ana Pérez"], "the rest of the policy still applies");
    }

    #[test]
    fn every_kind_of_wrong_value_is_named() {
        let cases = [
            (r#"{"organizationName": 3}"#, "organizationName", "must be a string"),
            (r#"{"officials": "Ana"}"#, "officials", "must be a list"),
            (r#"{"institutionalAccounts": [{"site": "x.com"}]}"#, "institutionalAccounts", "missing \"handle\""),
            (r#"{"institutionalEmailDomains": ["ana@cedh"]}"#, "institutionalEmailDomains", "not a domain"),
            (
                r#"{"electoralPeriods": [{"label": "a", "phase": "vote", "start": "2027-01-01", "end": "2027-01-02"}]}"#,
                "electoralPeriods",
                "not a phase",
            ),
            (
                r#"{"electoralPeriods": [{"label": "a", "phase": "campaign", "start": "2027-02-01", "end": "2027-01-02"}]}"#,
                "electoralPeriods",
                "before it starts",
            ),
            (
                r#"{"electoralPeriods": [{"label": "a", "phase": "campaign", "start": "2027-02-31", "end": "2027-03-02"}]}"#,
                "electoralPeriods",
                "not a valid date",
            ),
            (r#"{"rulePackUrl": "http://example.org/p.json"}"#, "rulePackUrl", "https://"),
            (r#"{"rulePackPublicKeys": ["abc"]}"#, "rulePackPublicKeys", "public key"),
            (
                r#"{"rulePackPublicKeys": ["AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="]}"#,
                "rulePackPublicKeys",
                "weak",
            ),
            (
                r#"{"rulePackPublicKeys": ["AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="]}"#,
                "rulePackPublicKeys",
                "weak",
            ),
            (r#"{"updateIntervalMinutes": 0}"#, "updateIntervalMinutes", "whole number"),
            (r#"{"sites": ["no host"]}"#, "sites", "not a host"),
            (r#"{"sites": ["*.com"]}"#, "sites", "public suffix"),
            (r#"{"sites": ["*.gob.mx"]}"#, "sites", "public suffix"),
            (r#"{"sites": ["gob.mx"]}"#, "sites", "public suffix"),
            (r#"{"sites": ["*.intranet.cedh.gob.mx"]}"#, "sites", "one label below"),
            (r#"{"sites": ["intranet.cedh.gob.mx:8443"]}"#, "sites", "port"),
            (r#"{"sites": ["*"]}"#, "sites", "not a host"),
            (r#"{"sites": ["a*.cedh.gob.mx"]}"#, "sites", "not a host"),
            (r#"{"rulePackUrl": "http://localhost@attacker.example/p.json"}"#, "rulePackUrl", "before @"),
            (r#"{"rulePackUrl": "http://127.0.0.1.attacker.example/p.json"}"#, "rulePackUrl", "https://"),
            (r#"{"rulePackUrl": "https://user:pw@rules.example/p.json"}"#, "rulePackUrl", "before @"),
            (r#"{"rulePackUrl": "ftp://rules.example/p.json"}"#, "rulePackUrl", "https://"),
            (r#"{"allowPhrases": [""]}"#, "allowPhrases", "must not be empty"),
        ];
        for (json, key, reason) in cases {
            let (_, r) = Policy::parse(json);
            assert_eq!(r.errors.len(), 1, "{json}: {r:?}");
            assert_eq!(r.errors[0].key, key, "{json}");
            assert!(r.errors[0].message.contains(reason), "{json}: {}", r.errors[0].message);
        }
    }

    #[test]
    fn sites_and_pack_urls_that_are_accepted() {
        let (p, r) = Policy::parse(
            r#"{"sites": ["intranet.cedh.gob.mx", "https://www.Portal.CEDH.gob.mx/inicio", "*.cedh.gob.mx", "127.0.0.1", "xn--cedh-8qa.mx"],
                "rulePackUrl": "http://127.0.0.1:8080/p.json"}"#,
        );
        assert!(r.errors.is_empty(), "{r:?}");
        assert_eq!(
            p.sites,
            ["intranet.cedh.gob.mx", "portal.cedh.gob.mx", "*.cedh.gob.mx", "127.0.0.1", "xn--cedh-8qa.mx"]
        );
        for url in ["https://reglas.cedh.gob.mx/p.json", "http://localhost/p", "http://[::1]:9/p"] {
            let (_, r) = Policy::parse(&format!(r#"{{"rulePackUrl": "{url}"}}"#));
            assert!(r.errors.is_empty(), "{url}: {r:?}");
        }
    }

    #[test]
    fn bad_json_is_an_error_with_its_position() {
        let (_, r) = Policy::parse("{\n  \"officials\": [,]\n}");
        assert!(r.errors[0].message.contains("line 2"), "{:?}", r.errors);
    }

    #[test]
    fn accounts_compare_without_at_and_case_and_twitter_is_x() {
        let (p, _) = Policy::parse(r#"{"institutionalAccounts": [{"site": "x.com", "handle": "@CEDH_Estado"}]}"#);
        assert_eq!(p.account_for("twitter.com", "cedh_estado"), Account::Institutional);
        assert_eq!(p.account_for("https://www.x.com/home", "@CEDH_ESTADO"), Account::Institutional);
        assert_eq!(p.account_for("x.com", "@juan"), Account::Personal);
        assert_eq!(p.account_for("facebook.com", "@CEDH_Estado"), Account::Personal);
    }

    #[test]
    fn institutional_email_by_domain() {
        let (p, _) = Policy::parse(r#"{"institutionalEmailDomains": ["@CEDH.gob.mx"]}"#);
        assert!(p.is_institutional_email("Ana <ana@cedh.gob.mx"));
        assert!(p.is_institutional_email("ana@visitaduria.cedh.gob.mx"));
        assert!(!p.is_institutional_email("ana@gmail.com"));
    }

    #[test]
    fn calendar_warnings() {
        let (p, _) = Policy::parse(r#"{"electoralPeriods": []}"#);
        assert!(p.calendar_warning(d("2026-11-28")).unwrap().contains("empty"));
        assert!(Policy::default().calendar_warning(d("2026-11-28")).is_none());
        assert!(Policy::default().calendar_warning(d("2027-07-01")).unwrap().contains("no electoral period"));
    }
}
