//! Signed rule packs. The admin signs a pack with an Ed25519 private key kept off the repository; the
//! extension accepts only packs signed by a key listed in the policy's `rulePackPublicKeys`.
//!
//! The envelope is one JSON object:
//! ```json
//! {"format": "blindaje-signed-pack/1",
//!  "keyId": "<base64 public key of the signer (informative)>",
//!  "pack": "<base64 of the pack's exact JSON bytes>",
//!  "signature": "<base64 Ed25519 signature over those bytes>"}
//! ```
//! The signature covers the pack bytes as shipped, so no canonical JSON form is needed.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

pub const ENVELOPE_FORMAT: &str = "blindaje-signed-pack/1";

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Envelope {
    format: String,
    #[serde(default)]
    key_id: Option<String>,
    pack: String,
    signature: String,
}

/// Why a signed pack was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignError {
    NotAnEnvelope(String),
    NoKeys,
    BadSignature { signer_listed: bool },
}

impl std::fmt::Display for SignError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SignError::NotAnEnvelope(why) => write!(f, "not a signed rule pack ({ENVELOPE_FORMAT}): {why}"),
            SignError::NoKeys => f.write_str("no public key to verify with: set rulePackPublicKeys in the policy"),
            SignError::BadSignature { signer_listed: true } => {
                f.write_str("the signature does not match the pack: the pack was altered after it was signed")
            }
            SignError::BadSignature { signer_listed: false } => f.write_str(
                "the pack is not signed by any key in rulePackPublicKeys (signed with another key, or altered)",
            ),
        }
    }
}

impl std::error::Error for SignError {}

/// Decodes a base64 Ed25519 public key (32 bytes), refusing the keys that let anyone forge signatures:
/// a small-order point (the identity, the all-zero encoding and the other torsion points) verifies forged
/// signatures under the lax check, and a non-canonical encoding (y ≥ p) names a point by another spelling,
/// so the policy's key would not be the key that verifies.
pub fn decode_public_key(b64: &str) -> Result<VerifyingKey, String> {
    let bytes = B64.decode(b64.trim()).map_err(|e| format!("«{b64}» is not a base64 public key: {e}"))?;
    let array: [u8; 32] =
        bytes.try_into().map_err(|_| format!("«{b64}» is not an Ed25519 public key (32 bytes in base64)"))?;
    let key =
        VerifyingKey::from_bytes(&array).map_err(|e| format!("«{b64}» is not a valid Ed25519 public key: {e}"))?;
    if key.is_weak() {
        return Err(format!(
            "«{b64}» is a weak Ed25519 public key (a small-order point, such as the identity or all zeros) that anyone can forge signatures for; generate a real key with `blindaje rules keygen`"
        ));
    }
    if key.to_edwards().compress().to_bytes() != array {
        return Err(format!(
            "«{b64}» is a non-canonical Ed25519 public key encoding; use the key exactly as `blindaje rules keygen` printed it"
        ));
    }
    Ok(key)
}

/// Decodes a base64 Ed25519 private key (the 32-byte seed).
pub fn decode_private_key(b64: &str) -> Result<SigningKey, String> {
    let bytes = B64.decode(b64.trim()).map_err(|e| format!("not a base64 private key: {e}"))?;
    let array: [u8; 32] =
        bytes.try_into().map_err(|_| "not an Ed25519 private key (32 bytes in base64)".to_string())?;
    Ok(SigningKey::from_bytes(&array))
}

pub fn encode_private_key(key: &SigningKey) -> String {
    B64.encode(key.to_bytes())
}

pub fn encode_public_key(key: &VerifyingKey) -> String {
    B64.encode(key.to_bytes())
}

/// Wraps the pack's bytes and their signature in an envelope.
pub fn sign(pack: &[u8], key: &SigningKey) -> String {
    let envelope = Envelope {
        format: ENVELOPE_FORMAT.to_string(),
        key_id: Some(encode_public_key(&key.verifying_key())),
        pack: B64.encode(pack),
        signature: B64.encode(key.sign(pack).to_bytes()),
    };
    serde_json::to_string_pretty(&envelope).expect("an envelope always serializes")
}

/// A verified envelope: the pack's bytes and the policy key (base64, as the policy spells it) that verified them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub pack: Vec<u8>,
    pub signer: String,
}

/// Opens an envelope: returns the pack bytes and the signer when one of `public_keys` (base64) verifies the
/// signature. Keys that do not decode (weak ones included) are skipped: the policy already reported them.
pub fn open(envelope: &[u8], public_keys: &[String]) -> Result<Opened, SignError> {
    let env: Envelope = serde_json::from_slice(envelope).map_err(|e| SignError::NotAnEnvelope(e.to_string()))?;
    if env.format != ENVELOPE_FORMAT {
        return Err(SignError::NotAnEnvelope(format!("format is «{}»", env.format)));
    }
    let pack = B64.decode(&env.pack).map_err(|e| SignError::NotAnEnvelope(format!("\"pack\" is not base64: {e}")))?;
    let sig = B64
        .decode(&env.signature)
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .map(|b| Signature::from_bytes(&b))
        .ok_or_else(|| SignError::NotAnEnvelope("\"signature\" is not a base64 Ed25519 signature".into()))?;
    let keys: Vec<(&String, VerifyingKey)> =
        public_keys.iter().filter_map(|k| decode_public_key(k).ok().map(|v| (k, v))).collect();
    if keys.is_empty() {
        return Err(SignError::NoKeys);
    }
    // Strict verification: refuses non-canonical signatures (S ≥ ℓ, a small-order R) as well, so one
    // signed pack has exactly one valid signature.
    if let Some((signer, _)) = keys.iter().find(|(_, k)| k.verify_strict(&pack, &sig).is_ok()) {
        return Ok(Opened { pack, signer: signer.trim().to_string() });
    }
    let signer_listed = env.key_id.as_deref().is_some_and(|id| public_keys.iter().any(|k| k.trim() == id));
    Err(SignError::BadSignature { signer_listed })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    #[test]
    fn signed_pack_opens_with_its_key() {
        let k = key(7);
        let env = sign(b"{\"id\":\"x\"}", &k);
        let pubkey = encode_public_key(&k.verifying_key());
        let opened = open(env.as_bytes(), std::slice::from_ref(&pubkey)).unwrap();
        assert_eq!(opened, Opened { pack: b"{\"id\":\"x\"}".to_vec(), signer: pubkey });
    }

    #[test]
    fn tampered_pack_is_refused() {
        let k = key(7);
        let env = sign(b"{\"version\":1}", &k);
        let mut v: serde_json::Value = serde_json::from_str(&env).unwrap();
        v["pack"] = B64.encode(b"{\"version\":2}").into();
        let err = open(v.to_string().as_bytes(), &[encode_public_key(&k.verifying_key())]).unwrap_err();
        assert_eq!(err, SignError::BadSignature { signer_listed: true });
        assert!(err.to_string().contains("altered"));
    }

    #[test]
    fn pack_signed_by_another_key_is_refused() {
        let env = sign(b"{}", &key(1));
        let err = open(env.as_bytes(), &[encode_public_key(&key(2).verifying_key())]).unwrap_err();
        assert_eq!(err, SignError::BadSignature { signer_listed: false });
    }

    #[test]
    fn rotation_accepts_either_key() {
        let env = sign(b"{}", &key(2));
        let keys = [encode_public_key(&key(1).verifying_key()), encode_public_key(&key(2).verifying_key())];
        assert_eq!(open(env.as_bytes(), &keys).unwrap().signer, keys[1], "names the key that verified");
    }

    #[test]
    fn malformed_envelopes_are_named() {
        let keys = [encode_public_key(&key(1).verifying_key())];
        assert!(matches!(open(b"{\"id\":\"pack\"}", &keys), Err(SignError::NotAnEnvelope(_))));
        assert!(matches!(open(b"not json", &keys), Err(SignError::NotAnEnvelope(_))));
        let env = sign(b"{}", &key(1)).replace(ENVELOPE_FORMAT, "other/1");
        assert!(matches!(open(env.as_bytes(), &keys), Err(SignError::NotAnEnvelope(_))));
        assert_eq!(open(sign(b"{}", &key(1)).as_bytes(), &[]), Err(SignError::NoKeys));
    }

    /// The identity key (y = 1) and the all-zero key (a point of order 4) accept forged signatures under
    /// the lax check: R = identity and S = 0 verify any message for the identity key.
    const IDENTITY_KEY: &str = "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    const ZERO_KEY: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    fn forged_envelope(pack: &[u8]) -> String {
        let mut signature = [0u8; 64];
        signature[0] = 1; // R = the identity point, S = 0
        serde_json::json!({"format": ENVELOPE_FORMAT, "pack": B64.encode(pack), "signature": B64.encode(signature)})
            .to_string()
    }

    #[test]
    fn weak_public_keys_are_refused() {
        for weak in [IDENTITY_KEY, ZERO_KEY] {
            let err = decode_public_key(weak).unwrap_err();
            assert!(err.contains("weak"), "{weak}: {err}");
        }
        // Every point of order 8 in the torsion subgroup, not only the two famous ones.
        let order_8 = "xxdqcD1N2E+6PAt2DRBnDyogU/osOczGTsf9d5KsA3o="; // c7176a70…ac037a, from the torsion table
        assert!(decode_public_key(order_8).unwrap_err().contains("weak"));
    }

    #[test]
    fn non_canonical_public_key_is_refused() {
        // y + p for small y spells the point with coordinate y another way; the decoder reduces it mod p.
        let mut refused = 0;
        for y in 2u8..19 {
            let mut bytes = [0xffu8; 32];
            bytes[0] = 0xed + y; // p = 2^255 - 19 is ed ff … ff 7f in little-endian
            bytes[31] = 0x7f;
            if VerifyingKey::from_bytes(&bytes).is_ok_and(|k| !k.is_weak()) {
                let err = decode_public_key(&B64.encode(bytes)).unwrap_err();
                assert!(err.contains("non-canonical"), "y = {y}: {err}");
                refused += 1;
            }
        }
        assert!(refused > 0, "some y + p below 2^255 is a point on the curve");
    }

    #[test]
    fn forged_envelope_is_refused_even_with_the_key_listed() {
        let forged = forged_envelope(b"{\"id\":\"x\",\"version\":9}");
        for weak in [IDENTITY_KEY, ZERO_KEY] {
            // Through the policy the key never gets here; directly, open() skips it as undecodable.
            assert_eq!(open(forged.as_bytes(), &[weak.to_string()]), Err(SignError::NoKeys));
        }
        // And verify_strict refuses the small-order R whatever the key.
        let real = encode_public_key(&key(3).verifying_key());
        assert!(matches!(open(forged.as_bytes(), &[real]), Err(SignError::BadSignature { .. })));
    }

    #[test]
    fn key_decoding_names_the_problem() {
        assert!(decode_public_key("abc").unwrap_err().contains("public key"));
        assert!(decode_public_key(&B64.encode([0u8; 31])).unwrap_err().contains("32 bytes"));
    }
}
