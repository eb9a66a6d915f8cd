// The engine's side of an analysis, shared by the content script (fast path) and the service worker:
// loads the wasm, builds the Engine from the config, resolves the context and analyses a draft.
import init, { Engine } from 'blindaje-wasm';
import { today } from './dates.js';
import { t } from './i18n.js';

/** Phases in which images on an institutional account get a reminder. */
const MEDIA_PHASES = new Set(['campaign', 'reflection', 'election-day']);

let wasmReady = null;

/** Loads the wasm once. `source`: a URL, a Response or bytes (init's module_or_path). */
export function loadWasm(source) {
  wasmReady ??= init({ module_or_path: source }).catch((error) => {
    wasmReady = null;
    throw error;
  });
  return wasmReady;
}

/** An Engine for `config` ({policyJson, adminEnvelope}). The constructor verifies the envelope against the
 *  policy's current keys and falls back to the embedded rules itself (info().adminPackRefused says why). */
export function buildEngine(config) {
  return new Engine(config.policyJson, config.adminEnvelope || null);
}

/**
 * The context of a draft from the page's hints ({site, kind, handle, sender, userAccount}):
 * a handle the policy lists is institutional whatever the user said; otherwise the user's answer,
 * then "personal" for a detected handle. Webmail: institutional when the sender is at an
 * institutional domain.
 */
export function resolveContext(engine, hints = {}) {
  const site = hints.site || '';
  let account = 'personal';
  let accountSource = 'default';
  if (hints.kind === 'email' && hints.sender) {
    account = engine.isInstitutionalEmail(hints.sender) ? 'institutional' : 'personal';
    accountSource = 'sender';
  } else if (hints.handle && engine.accountFor(site, hints.handle) === 'institutional') {
    account = 'institutional';
    accountSource = 'policy';
  } else if (hints.userAccount) {
    account = hints.userAccount;
    accountSource = 'user';
  } else if (hints.handle) {
    accountSource = 'detected';
  }
  return { account, accountSource, date: today(), kind: hints.kind || 'post', site, handle: hints.handle || null };
}

/** Drafts longer than this are not analysed (10 M characters took 2 s and 154 MB of findings); the panel
 *  says so instead. Checked by the content script before sending and by the worker on receipt. */
export const MAX_DRAFT_CHARS = 100000;

/** The hint shown for a draft over MAX_DRAFT_CHARS. */
export function tooLongFinding() {
  return extensionFinding('draft.demasiado-largo', 'draft', 'low', 0, 0, 'long');
}

/** {findings, context} for `text`. hints.kind 'signup': `text` is an e-mail field of a sign-up form. */
export function analyzeDraft(engine, text, hints = {}) {
  const context = resolveContext(engine, hints);
  if (text.length > MAX_DRAFT_CHARS) return { findings: [tooLongFinding()], context };
  if (hints.kind === 'signup') return { findings: signupFindings(engine, text), context };
  const findings = text.trim() ? engine.analyze(text, { account: context.account, date: context.date, kind: context.kind, site: context.site }) : [];
  if (hints.media && context.account === 'institutional' && MEDIA_PHASES.has(engine.phase(context.date).phase)) {
    findings.push(extensionFinding('media.recordatorio', 'achievements', 'low', 0, 0, 'media'));
  }
  return { findings, context };
}

/** The institutional address typed into a sign-up form (the guideline forbids it for external networks). */
function signupFindings(engine, text) {
  const start = text.search(/\S/);
  const address = text.trim();
  if (start < 0 || !address.includes('@') || !engine.isInstitutionalEmail(address)) return [];
  return [extensionFinding('resources.correo-registro', 'resources', 'medium', start, start + address.length, 'signup', address)];
}

/** A finding the extension itself raises (texts from _locales): `prefix`Message, Guideline, Suggestion. */
function extensionFinding(rule, category, severity, start, end, prefix, excerpt = '') {
  return {
    rule, category, severity, start, end, excerpt,
    message: t(`${prefix}Message`), guideline: t(`${prefix}Guideline`), suggestion: t(`${prefix}Suggestion`) || null,
  };
}
