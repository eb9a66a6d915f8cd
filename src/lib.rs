//! Blindaje Electoral core: given the text being typed and its context (account, date, kind of message),
//! find the parts that break the Commission's guideline on political-electoral neutrality.
//!
//! The core is pure: text and context in, findings out. It compiles natively (the `blindaje` CLI, tests,
//! benches) and to `wasm32-unknown-unknown` (the browser extension, through [`wasm`] bindings).
//!
//! Map of the crate:
//! - [`context`]: who is writing, when, and what kind of message; the electoral phases.
//! - [`finding`]: what the engine reports (the public finding contract).
//! - [`policy`]: the admin's settings (names, calendar, accounts), validated key by key.
//! - [`pack`]: rule packs as data: format, validation, layering over the embedded default.
//! - [`normalize`]: the matching view of a text (case, accents, look-alikes, leetspeak…) with exact offsets back.
//! - [`matcher`]: one pass of literal terms and regexes over the normalized text.
//! - [`model`]: the learned per-category scorer beside the rules (hashed features, linear weights).
//! - [`engine`]: compiles pack + policy and turns matches into findings under the context rules.
//! - [`severity`]: the context rules of the guideline (which category warns where and when).
//! - [`signing`]: Ed25519 signed rule-pack envelopes.
//! - [`budget`]: what one rule pack may cost (counts, compiled regex size, build time).
//! - [`channel`]: the admin pack channel's decisions (verify on every load, version floors per pack id).
//! - `fetch` (wasm only): the pack channel's fetch in the extension's worker (streamed, counted, timed out).
//! - [`audit`] (native only): the portal audit behind `blindaje audit`.

// Pack errors carry the origin, line, rule and field for the admin; they occur only when a pack is loaded,
// never per keystroke, so their size does not matter.
#![allow(clippy::result_large_err)]

pub mod budget;
pub mod channel;
pub mod context;
pub mod engine;
pub mod finding;
mod lanes;
pub mod matcher;
pub mod model;
mod names;
pub mod normalize;
pub mod pack;
pub mod policy;
pub mod severity;
pub mod signing;
mod utf16;

#[cfg(not(target_arch = "wasm32"))]
pub mod audit;
#[cfg(target_arch = "wasm32")]
mod fetch;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use context::{Account, Context, Kind, Phase};
pub use engine::Engine;
pub use finding::{Category, Finding, Severity};
pub use pack::{Pack, PackError};
pub use policy::{Policy, PolicyReport};

/// The rule pack embedded in every build: the Commission's guideline as rules.
pub const DEFAULT_PACK_JSON: &str = include_str!("../rules/default.json");
/// The default pack's model, trained by `blindaje train` on the corpus's development writers (README, "The
/// model"). Kept apart from the rules so that `rules/default.json` stays a file people read and edit.
pub const DEFAULT_MODEL_JSON: &str = include_str!("../rules/model.json");
