//! The wasm-bindgen face of the engine for the extension: JSON and plain JS values in, plain JS values out.
//! Compiled only for wasm32; the extension's service worker and content scripts share it.

use crate::context::{parse_date, Context};
use crate::{Account, Engine as Core, Kind, Pack, Policy};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

fn to_js<T: Serialize>(value: &T) -> JsValue {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}

#[derive(Deserialize)]
struct JsContext {
    account: Option<String>,
    date: String,
    kind: Option<String>,
    site: Option<String>,
}

/// The engine with the embedded rules, an optional admin pack and the policy.
#[wasm_bindgen]
pub struct Engine {
    core: Core,
    report: crate::PolicyReport,
}

#[wasm_bindgen]
impl Engine {
    /// `policy_json`: the managed policy as JSON (`"{}"` for none); invalid values are reported by
    /// `policyReport()` and the rest applies. `admin_pack_json`: an already verified admin pack, or null.
    #[wasm_bindgen(constructor)]
    pub fn new(policy_json: &str, admin_pack_json: Option<String>) -> Result<Engine, JsError> {
        let (policy, report) = Policy::parse(policy_json);
        let admin = match admin_pack_json {
            Some(json) => Some(accept_pack(&json)?),
            None => None,
        };
        let core = Core::new(policy, admin.as_ref()).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Engine { core, report })
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

    /// `{packId, packVersion, adminPackId, adminPackVersion, rules, model}`; `model` lists the categories the
    /// packs' model scores and are switched on.
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
            "rules": self.core.rules().len(),
            "model": model,
        }))
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

fn accept_pack(json: &str) -> Result<Pack, JsError> {
    let pack = Pack::parse(json).map_err(|e| JsError::new(&e.to_string()))?;
    let fallback = Core::default_pack().test_policy;
    let failures = Core::check_examples(&pack, fallback.as_ref()).map_err(|e| JsError::new(&e.to_string()))?;
    match failures.first() {
        Some(f) => Err(JsError::new(&f.to_string())),
        None => Ok(pack),
    }
}

/// Opens a signed pack with the policy's keys, checks it is newer than `active_version` (0 for none),
/// validates it and runs its examples. Returns the pack JSON to store and activate, or throws why not.
#[wasm_bindgen(js_name = acceptSignedPack)]
pub fn accept_signed_pack(envelope: &[u8], public_keys: Vec<String>, active_version: f64) -> Result<JsValue, JsError> {
    let bytes = crate::signing::open(envelope, &public_keys).map_err(|e| JsError::new(&e.to_string()))?;
    let json = String::from_utf8(bytes).map_err(|_| JsError::new("the signed pack is not UTF-8 text"))?;
    let pack = accept_pack(&json)?;
    if (pack.version as f64) <= active_version {
        return Err(JsError::new(&format!(
            "pack version {} is not newer than the active version {active_version}; publish a higher version",
            pack.version
        )));
    }
    Ok(to_js(&serde_json::json!({"json": json, "id": pack.id, "version": pack.version, "rules": pack.rules.len()})))
}
