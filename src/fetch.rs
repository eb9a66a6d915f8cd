//! The rule-pack channel's network side, in the extension's worker (wasm only): fetch the admin's signed
//! pack with `web-sys` (no cache, no credentials), read the body as a stream and count its bytes while
//! reading (so a 50 MB body is refused after 5 MiB, whatever it announced), abort through an
//! `AbortController` when a `gloo-timers` timer fires, then hand the bytes to [`crate::channel::accept`].
//! The JS shell only wires the alarms and the storage calls around [`update_pack`].

use crate::channel::{self, Floors, Outcome};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, ReadableStreamDefaultReader, Request, RequestCache, RequestCredentials, RequestInit, Response,
};

/// The largest signed pack read (5 MiB); the budgets bound what it may cost to build.
pub const MAX_PACK_BYTES: usize = 5 * 1024 * 1024;
/// A server that has not sent the whole pack by then is abandoned.
pub const FETCH_TIMEOUT_MS: u32 = 10_000;

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`: the service worker's in Chromium, the event page's window in Firefox.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(request: &Request) -> js_sys::Promise;
}

fn message(error: JsValue) -> String {
    match error.dyn_ref::<js_sys::Error>() {
        Some(e) => String::from(e.message()),
        None => error.as_string().unwrap_or_else(|| format!("{error:?}")),
    }
}

/// The body of `url`, refused past `limit` bytes and abandoned after `timeout_ms`.
pub async fn fetch_limited(url: &str, limit: usize, timeout_ms: u32) -> Result<Vec<u8>, String> {
    let controller = AbortController::new().map_err(message)?;
    let init = RequestInit::new();
    init.set_signal(Some(&controller.signal()));
    init.set_cache(RequestCache::NoStore);
    init.set_credentials(RequestCredentials::Omit);
    let request = Request::new_with_str_and_init(url, &init).map_err(message)?;
    let abort = controller.clone();
    // Dropped (and so cancelled) when this function returns.
    let _timer = gloo_timers::callback::Timeout::new(timeout_ms, move || abort.abort());
    let result = read_limited(&request, limit).await;
    if controller.signal().aborted() {
        return Err(format!("no answer within {} s", timeout_ms / 1000));
    }
    result
}

async fn read_limited(request: &Request, limit: usize) -> Result<Vec<u8>, String> {
    let response: Response =
        JsFuture::from(global_fetch(request)).await.map_err(message)?.dyn_into().map_err(message)?;
    if !response.ok() {
        return Err(format!("the server answered HTTP {}", response.status()));
    }
    let declared = response.headers().get("content-length").ok().flatten().and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(declared) = declared.filter(|&d| d > limit as u64) {
        return Err(format!("the pack is {declared} bytes, over the {limit}-byte limit"));
    }
    let Some(body) = response.body() else {
        return Ok(Vec::new());
    };
    let reader: ReadableStreamDefaultReader =
        body.get_reader().dyn_into().map_err(|o: js_sys::Object| message(o.into()))?;
    let mut bytes = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(message)?;
        let done = js_sys::Reflect::get(&chunk, &"done".into()).map_err(message)?.as_bool().unwrap_or(true);
        if done {
            return Ok(bytes);
        }
        let value: js_sys::Uint8Array =
            js_sys::Reflect::get(&chunk, &"value".into()).map_err(message)?.dyn_into().map_err(message)?;
        let at = bytes.len();
        if at + value.length() as usize > limit {
            let _ = reader.cancel(); // the rest is never read
            return Err(format!("the pack is over the {limit}-byte limit"));
        }
        bytes.resize(at + value.length() as usize, 0);
        value.copy_to(&mut bytes[at..]);
    }
}

/// One update attempt: fetch `url`, then decide about the envelope ([`channel::accept`]). Resolves to
/// `{result: "accepted" | "unchanged", envelope, id, version, signer, rules, usage, floors}` or
/// `{result: "refused", error, failures, retryInMinutes}` (the next attempt's delay, from
/// [`channel::retry_delay_minutes`]); never rejects.
#[wasm_bindgen(js_name = updatePack)]
pub async fn update_pack(
    url: String,
    public_keys: Vec<String>,
    floors: JsValue,
    active_envelope: Option<String>,
    failures: u32,
    interval_minutes: u32,
) -> JsValue {
    match attempt(&url, &public_keys, floors, active_envelope.as_deref()).await {
        Ok(verdict) => verdict,
        Err(error) => {
            let failures = failures.saturating_add(1);
            crate::wasm::to_js(&serde_json::json!({
                "result": "refused",
                "error": error,
                "failures": failures,
                "retryInMinutes": channel::retry_delay_minutes(failures, interval_minutes),
            }))
        }
    }
}

async fn attempt(url: &str, keys: &[String], floors: JsValue, active: Option<&str>) -> Result<JsValue, String> {
    let mut floors: Floors = if floors.is_undefined() || floors.is_null() {
        Floors::new()
    } else {
        serde_wasm_bindgen::from_value(floors).map_err(|e| format!("floors: {e}"))?
    };
    let bytes = fetch_limited(url, MAX_PACK_BYTES, FETCH_TIMEOUT_MS).await?;
    let outcome = channel::accept(&bytes, keys, &floors, active.map(str::as_bytes)).map_err(|e| e.to_string())?;
    let (result, verified) = match outcome {
        Outcome::Accepted(v) => ("accepted", v),
        Outcome::Unchanged(v) => ("unchanged", v),
    };
    channel::raise(&mut floors, &verified, keys);
    Ok(crate::wasm::to_js(&serde_json::json!({
        "result": result,
        "envelope": String::from_utf8_lossy(&bytes),
        "id": verified.pack.id,
        "version": verified.pack.version,
        "signer": verified.signer,
        "rules": verified.pack.rules.len(),
        "usage": verified.usage,
        "floors": floors,
    })))
}
