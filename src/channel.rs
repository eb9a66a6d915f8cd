//! The admin rule-pack channel's decisions, pure so they are tested natively: whether a fetched signed
//! pack replaces the active one, and whether a stored one still applies.
//!
//! Two rules hold against a leaked key:
//! - A stored envelope is verified against the policy's *current* `rulePackPublicKeys` every time an
//!   engine is built ([`load`]): removing a key from the policy stops its packs at once.
//! - A pack is validated, held to the [budgets](crate::budget) and example-tested once, in [`accept`];
//!   engine builds only verify the signature ([`load`]).
//! - The version floor (the highest version accepted per pack id, [`Floors`]) counts only while the key
//!   that signed it is still in the policy, so a pack signed with a leaked key at a huge version cannot
//!   block the admin's recovery pack once that key is removed ([`accept`]).

use crate::budget::{self, Budget, Usage, PACK_BUDGET};
use crate::pack::{Pack, PackError};
use crate::policy::Policy;
use crate::signing::{self, SignError};
use crate::Engine;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The highest version accepted for one pack id, and the key that signed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Floor {
    pub version: u64,
    pub signer: String,
}

/// Pack id → its floor. Kept by the extension where content scripts cannot write it.
pub type Floors = BTreeMap<String, Floor>;

/// A signed pack that verified (and, from [`accept`], validated within the budgets).
#[derive(Debug, Clone)]
pub struct Verified {
    pub pack: Pack,
    /// The policy key that verified it.
    pub signer: String,
    /// What it uses of the budgets (measured by [`accept`] only).
    pub usage: Option<Usage>,
}

/// What [`accept`] decided about a fetched envelope.
#[derive(Debug)]
pub enum Outcome {
    /// Newer than the floor: store it and make it active.
    Accepted(Verified),
    /// The very envelope already active, still verifying under the current keys.
    Unchanged(Verified),
}

/// Why a signed pack is refused, or why a stored one no longer applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChannelError {
    Signature(SignError),
    NotUtf8,
    Invalid(PackError),
    FailingExample(String),
    NotNewer { version: u64, floor: u64 },
    NoUrl,
}

impl fmt::Display for ChannelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChannelError::Signature(e) => e.fmt(f),
            ChannelError::NotUtf8 => f.write_str("the signed pack is not UTF-8 text"),
            ChannelError::Invalid(e) => e.fmt(f),
            ChannelError::FailingExample(e) => e.fmt(f),
            ChannelError::NotNewer { version, floor } => write!(
                f,
                "pack version {version} is not newer than the active version {floor}; publish a higher version"
            ),
            ChannelError::NoUrl => f.write_str("rulePackUrl is not set in the policy, so no admin pack applies"),
        }
    }
}

impl std::error::Error for ChannelError {}

fn open_text(envelope: &[u8], keys: &[String]) -> Result<(String, String), ChannelError> {
    let opened = signing::open(envelope, keys).map_err(ChannelError::Signature)?;
    let json = String::from_utf8(opened.pack).map_err(|_| ChannelError::NotUtf8)?;
    Ok((json, opened.signer))
}

/// Verifies the envelope against `keys` and reads the pack inside without validating it again: it was
/// validated, held to the budgets and example-tested when it was accepted, and the signature proves these
/// are the same bytes. What every engine build does.
pub fn open(envelope: &[u8], keys: &[String]) -> Result<Verified, ChannelError> {
    let (json, signer) = open_text(envelope, keys)?;
    let pack = serde_json::from_str(&json).map_err(|e| ChannelError::Invalid(PackError::new(e.to_string())))?;
    Ok(Verified { pack, signer, usage: None })
}

/// Runs the pack's examples (with the default pack's test policy when it has none).
pub fn check_examples(pack: &Pack) -> Result<(), ChannelError> {
    let fallback = Engine::default_pack().test_policy;
    let failures = Engine::check_examples(pack, fallback.as_ref()).map_err(ChannelError::Invalid)?;
    match failures.first() {
        Some(f) => Err(ChannelError::FailingExample(f.to_string())),
        None => Ok(()),
    }
}

/// Everything a pack must pass once, when it is accepted: parsed and validated within `budget` (counts and
/// compiled size first, so a costly pack is refused before it is compiled), then its engine built and its
/// examples run within the budget's time.
pub fn validate(json: &str, budget: &Budget) -> Result<(Pack, Usage), ChannelError> {
    let (pack, mut usage) = Pack::parse_within(json, budget).map_err(ChannelError::Invalid)?;
    let started = budget::now_ms();
    check_examples(&pack)?;
    usage.build_ms = budget::now_ms() - started;
    budget::check_time(usage.build_ms, budget).map_err(ChannelError::Invalid)?;
    Ok((pack, usage))
}

/// The floor that binds a pack id under `keys`: none when its signer left the policy.
pub fn floor_for<'a>(floors: &'a Floors, id: &str, keys: &[String]) -> Option<&'a Floor> {
    floors.get(id).filter(|f| keys.iter().any(|k| k.trim() == f.signer))
}

/// Decides about a fetched envelope: verified against the current `keys`, validated, its examples run, and
/// newer than the binding floor of its id, or byte for byte the `active` envelope.
pub fn accept(
    envelope: &[u8],
    keys: &[String],
    floors: &Floors,
    active: Option<&[u8]>,
) -> Result<Outcome, ChannelError> {
    let (json, signer) = open_text(envelope, keys)?;
    let (pack, usage) = validate(&json, &PACK_BUDGET)?;
    let verified = Verified { pack, signer, usage: Some(usage) };
    if active == Some(envelope) {
        return Ok(Outcome::Unchanged(verified));
    }
    if let Some(floor) = floor_for(floors, &verified.pack.id, keys) {
        if verified.pack.version <= floor.version {
            return Err(ChannelError::NotNewer { version: verified.pack.version, floor: floor.version });
        }
    }
    Ok(Outcome::Accepted(verified))
}

/// Raises the floor of `verified`'s id to its version (a floor whose signer left the policy is replaced).
pub fn raise(floors: &mut Floors, verified: &Verified, keys: &[String]) {
    let binding = floor_for(floors, &verified.pack.id, keys).map(|f| f.version);
    if binding.is_none_or(|v| v < verified.pack.version) {
        floors.insert(
            verified.pack.id.clone(),
            Floor { version: verified.pack.version, signer: verified.signer.clone() },
        );
    }
}

/// Minutes before the next attempt after `failures` failed ones in a row: 1, 2, 4… up to the policy's
/// update interval (and never more than 1,024).
pub fn retry_delay_minutes(failures: u32, interval_minutes: u32) -> u32 {
    let doubling = 1u32 << failures.saturating_sub(1).min(10);
    doubling.min(interval_minutes.max(1))
}

/// The stored envelope as the engine may use it under `policy`: a URL still set and a current key verifying
/// it. The verdict of [`accept`] is reused: no validation and no examples on every build.
pub fn load(envelope: &[u8], policy: &Policy) -> Result<Verified, ChannelError> {
    if policy.rule_pack_url.is_none() {
        return Err(ChannelError::NoUrl);
    }
    open(envelope, &policy.rule_pack_public_keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;

    fn key(seed: u8) -> (SigningKey, String) {
        let k = SigningKey::from_bytes(&[seed; 32]);
        let public = signing::encode_public_key(&k.verifying_key());
        (k, public)
    }

    fn envelope(id: &str, version: u64, signer: &SigningKey) -> String {
        let pack = format!(
            r#"{{"id": "{id}", "version": {version}, "rules": [{{"id": "admin.r", "category": "electoral",
            "severity": "high", "message": "m", "guideline": "g", "match": {{"terms": ["tucan"]}},
            "examples": {{"match": ["el tucan"], "noMatch": ["el loro"]}}}}]}}"#
        );
        signing::sign(pack.as_bytes(), signer)
    }

    fn accepted(outcome: Result<Outcome, ChannelError>) -> Verified {
        match outcome {
            Ok(Outcome::Accepted(v)) => v,
            other => panic!("expected accepted, got {other:?}"),
        }
    }

    #[test]
    fn floor_is_per_pack_id_and_refuses_replays() {
        let (k, pk) = key(1);
        let keys = [pk];
        let mut floors = Floors::new();
        let v5 = accepted(accept(envelope("a", 5, &k).as_bytes(), &keys, &floors, None));
        raise(&mut floors, &v5, &keys);
        let err = accept(envelope("a", 4, &k).as_bytes(), &keys, &floors, None).unwrap_err();
        assert_eq!(err, ChannelError::NotNewer { version: 4, floor: 5 });
        assert!(err.to_string().contains("not newer than the active version 5"));
        // Another pack id has its own floor.
        accepted(accept(envelope("b", 1, &k).as_bytes(), &keys, &floors, None));
    }

    #[test]
    fn unchanged_envelope_is_checked_before_it_counts() {
        let (k, pk) = key(1);
        let (_, other) = key(2);
        let env = envelope("a", 5, &k);
        let floors = Floors::from([("a".to_string(), Floor { version: 5, signer: pk.clone() })]);
        assert!(matches!(
            accept(env.as_bytes(), std::slice::from_ref(&pk), &floors, Some(env.as_bytes())),
            Ok(Outcome::Unchanged(_))
        ));
        // Once its key left the policy the same bytes are refused, not recorded as a success.
        let err = accept(env.as_bytes(), &[other], &floors, Some(env.as_bytes())).unwrap_err();
        assert!(matches!(err, ChannelError::Signature(SignError::BadSignature { .. })), "{err}");
    }

    #[test]
    fn a_leaked_key_at_the_highest_version_is_recovered_from_by_revoking_it() {
        let (leaked, leaked_pk) = key(1);
        let (fresh, fresh_pk) = key(2);
        let both = [leaked_pk.clone(), fresh_pk.clone()];
        let mut floors = Floors::new();
        let hostile =
            accepted(accept(envelope("a", crate::pack::MAX_PACK_VERSION, &leaked).as_bytes(), &both, &floors, None));
        raise(&mut floors, &hostile, &both);
        // While the leaked key is listed, nothing gets past it.
        assert!(accept(envelope("a", 2, &fresh).as_bytes(), &both, &floors, None).is_err());
        // Revoked: its stored pack no longer loads, and its floor no longer binds.
        let policy = Policy {
            rule_pack_url: Some("https://x.example/p".into()),
            rule_pack_public_keys: vec![fresh_pk.clone()],
            ..Policy::default()
        };
        assert!(load(envelope("a", crate::pack::MAX_PACK_VERSION, &leaked).as_bytes(), &policy).is_err());
        let now = [fresh_pk];
        let recovery = accepted(accept(envelope("a", 2, &fresh).as_bytes(), &now, &floors, None));
        raise(&mut floors, &recovery, &now);
        assert_eq!(floors["a"].version, 2, "the revoked key's floor was replaced");
    }

    /// Engine builds reuse the verdict of acceptance: a loaded pack is not validated nor example-tested again
    /// (a rule whose example fails would be refused by accept, but load does not run examples).
    #[test]
    fn load_reuses_the_verdict_and_does_not_rerun_examples() {
        let (k, pk) = key(1);
        let failing = r#"{"id": "a", "version": 3, "rules": [{"id": "admin.r", "category": "electoral",
            "severity": "high", "message": "m", "guideline": "g", "match": {"terms": ["tucan"]},
            "examples": {"match": ["el loro"], "noMatch": ["hola"]}}]}"#;
        let env = signing::sign(failing.as_bytes(), &k);
        let keys = [pk.clone()];
        assert!(matches!(accept(env.as_bytes(), &keys, &Floors::new(), None), Err(ChannelError::FailingExample(_))));
        let policy = Policy {
            rule_pack_url: Some("https://x.example/p".into()),
            rule_pack_public_keys: vec![pk],
            ..Policy::default()
        };
        assert_eq!(load(env.as_bytes(), &policy).unwrap().pack.version, 3);
    }

    #[test]
    fn retries_back_off_up_to_the_interval() {
        let delays: Vec<u32> = (1..=8).map(|n| retry_delay_minutes(n, 60)).collect();
        assert_eq!(delays, [1, 2, 4, 8, 16, 32, 60, 60]);
        assert_eq!(retry_delay_minutes(40, 7 * 24 * 60), 1024, "capped");
        assert_eq!(retry_delay_minutes(0, 0), 1, "never zero");
    }

    #[test]
    fn a_version_over_2_31_is_refused() {
        let (k, pk) = key(1);
        let err = accept(envelope("a", (1 << 53) - 1, &k).as_bytes(), &[pk], &Floors::new(), None).unwrap_err();
        assert!(matches!(&err, ChannelError::Invalid(e) if e.field.as_deref() == Some("version")), "{err}");
    }

    #[test]
    fn load_needs_a_url_and_a_current_key() {
        let (k, pk) = key(1);
        let env = envelope("a", 3, &k);
        let mut policy = Policy { rule_pack_public_keys: vec![pk], ..Policy::default() };
        assert_eq!(load(env.as_bytes(), &policy).unwrap_err(), ChannelError::NoUrl);
        policy.rule_pack_url = Some("https://x.example/p".into());
        assert_eq!(load(env.as_bytes(), &policy).unwrap().pack.version, 3);
        let unsigned = br#"{"id": "a", "version": 9, "rules": []}"#;
        assert!(matches!(load(unsigned, &policy), Err(ChannelError::Signature(SignError::NotAnEnvelope(_)))));
    }
}
