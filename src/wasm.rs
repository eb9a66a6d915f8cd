//! The wasm-bindgen face of the engine for the extension: JSON and plain JS values in, plain JS values out.
//! Compiled only for wasm32; the extension's service worker and content scripts share it.

use crate::context::{parse_date, Context};
use crate::{channel, Account, Engine as Core, Kind, Policy};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

pub(crate) fn to_js<T: Serialize>(value: &T) -> JsValue {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}

#[derive(Deserialize)]
struct JsContext {
    account: Option<String>,
    date: String,
    kind: Option<String>,
    site: Option<String>,
}

/// The engine with the embedded rules, the admin pack when its envelope still verifies, and the policy.
#[wasm_bindgen]
pub struct Engine {
    core: Core,
    report: crate::PolicyReport,
    /// Why the stored admin pack does not apply (its key left the policy, no URL…); the options page shows it.
    admin_refused: Option<String>,
    admin_signer: Option<String>,
}

#[wasm_bindgen]
impl Engine {
    /// `policy_json`: the managed policy as JSON (`"{}"` for none); invalid values are reported by
    /// `policyReport()` and the rest applies. `admin_envelope`: the stored signed pack, or null. It is
    /// verified here against the policy's current `rulePackPublicKeys`: when it no longer verifies the
    /// embedded rules apply and `info().adminPackRefused` says why.
    #[wasm_bindgen(constructor)]
    pub fn new(policy_json: &str, admin_envelope: Option<String>) -> Result<Engine, JsError> {
        let (policy, report) = Policy::parse(policy_json);
        let (admin, admin_refused) = match admin_envelope.map(|e| channel::load(e.as_bytes(), &policy)) {
            None => (None, None),
            Some(Ok(verified)) => (Some(verified), None),
            Some(Err(e)) => (None, Some(e.to_string())),
        };
        let admin_signer = admin.as_ref().map(|v| v.signer.clone());
        let core = Core::new(policy, admin.as_ref().map(|v| &v.pack)).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Engine { core, report, admin_refused, admin_signer })
    }

    /// Findings for `text` in `context` ({account, date, kind, site}).
    pub fn analyze(&self, text: &str, context: JsValue) -> Result<JsValue, JsError> {
        let c: JsContext =
            serde_wasm_bindgen::from_value(context).map_err(|e| JsError::new(&format!("context: {e}")))?;
        let context = Context {
            account: c
                .account
                .as_deref()
                .map_or(Some(Account::Institutional), Account::from_id)
                .ok_or_else(|| JsError::new("context.account"))?,
            date: parse_date(&c.date).map_err(|e| JsError::new(&e))?,
            kind: c
                .kind
                .as_deref()
                .map_or(Some(Kind::Post), Kind::from_id)
                .ok_or_else(|| JsError::new("context.kind"))?,
            site: c.site,
        };
        Ok(to_js(&self.core.analyze(text, &context)))
    }

    /// The site-adapter table of the effective rule pack.
    pub fn sites(&self) -> JsValue {
        to_js(&self.core.sites())
    }

    /// `{packId, packVersion, adminPackId, adminPackVersion, adminPackSigner, adminPackRefused, rules, model}`;
    /// `model` lists the categories the packs' model scores and are switched on.
    pub fn info(&self) -> JsValue {
        let admin = self.core.admin_pack();
        let model: Vec<&str> = self
            .core
            .model()
            .map_or_else(Vec::new, |(m, off)| m.categories().filter(|c| !off.contains(c)).map(|c| c.id()).collect());
        to_js(&serde_json::json!({
            "packId": self.core.base_pack().id,
            "packVersion": self.core.base_pack().version,
            "adminPackId": admin.map(|a| a.id.clone()),
            "adminPackVersion": admin.map(|a| a.version),
            "adminPackSigner": self.admin_signer,
            "adminPackRefused": self.admin_refused,
            "rules": self.core.rules().len(),
            "model": model,
        }))
    }

    /// The policy's `sites` as validated (host names, IPv4 addresses, `*.` + a registrable domain): what the
    /// worker registers the content script for. Invalid entries are left out (and in `policyReport()`).
    #[wasm_bindgen(js_name = policySites)]
    pub fn policy_sites(&self) -> Vec<String> {
        self.core.policy().sites.clone()
    }

    /// The phase of `date` (YYYY-MM-DD) under the policy's calendar, or null; and the label of its period.
    pub fn phase(&self, date: &str) -> Result<JsValue, JsError> {
        let date = parse_date(date).map_err(|e| JsError::new(&e))?;
        let period = self.core.policy().period_on(date);
        let warning = self.core.policy().calendar_warning(date);
        Ok(to_js(&serde_json::json!({
            "phase": period.map(|p| p.phase),
            "label": period.map(|p| p.label.clone()),
            "calendarWarning": warning,
        })))
    }

    /// `{errors: [{key, message}], warnings: [...]}` for the policy given to the constructor.
    #[wasm_bindgen(js_name = policyReport)]
    pub fn policy_report(&self) -> JsValue {
        to_js(&self.report)
    }

    /// Whether `handle` on `site` is institutional under the policy.
    #[wasm_bindgen(js_name = accountFor)]
    pub fn account_for(&self, site: &str, handle: &str) -> String {
        match self.core.policy().account_for(site, handle) {
            Account::Institutional => "institutional".into(),
            Account::Personal => "personal".into(),
        }
    }

    #[wasm_bindgen(js_name = isInstitutionalEmail)]
    pub fn is_institutional_email(&self, address: &str) -> bool {
        self.core.policy().is_institutional_email(address)
    }
}

/// The floors with the stored envelope's version counted, when it verifies under `public_keys` (a restarted
/// browser has lost the floors in storage.session; the verified envelope gives them back).
#[wasm_bindgen(js_name = deriveFloors)]
pub fn derive_floors(floors: JsValue, envelope: Option<String>, public_keys: Vec<String>) -> Result<JsValue, JsError> {
    let mut floors: channel::Floors = if floors.is_undefined() || floors.is_null() {
        channel::Floors::new()
    } else {
        serde_wasm_bindgen::from_value(floors).map_err(|e| JsError::new(&format!("floors: {e}")))?
    };
    if let Some(verified) = envelope.and_then(|e| channel::open(e.as_bytes(), &public_keys).ok()) {
        channel::raise(&mut floors, &verified, &public_keys);
    }
    Ok(to_js(&floors))
}
