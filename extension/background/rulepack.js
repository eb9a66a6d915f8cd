// Admin rule packs: fetched from the policy's rulePackUrl at start-up and every updateIntervalMinutes
// (chrome.alarms), verified, validated, example-tested and compared with the version floor of its pack id in
// Rust (acceptSignedPack), then stored as the signed envelope (packstore.js) — which swaps it in for the
// worker and every open tab at once. An unchanged body is checked like a new one before it counts.
// A failure leaves the active pack in place, is recorded for the popup and options page, and is retried
// with a growing delay. Bodies over MAX_PACK_BYTES are refused without being read whole; a server that
// does not answer within FETCH_TIMEOUT_MS is abandoned.
import { acceptSignedPack } from 'blindaje-wasm';
import { loadWasm } from '../shared/engine-host.js';
import { loadPolicy } from '../shared/config.js';
import { getEngine, resetEngine } from './engine.js';
import { activePack, packFloors, setFloors, storePack } from './packstore.js';

export const MAX_PACK_BYTES = 5 * 1024 * 1024;
export const FETCH_TIMEOUT_MS = 10000;
const ALARM = 'rule-pack';
const RETRY_ALARM = 'rule-pack-retry';
const DEFAULT_INTERVAL = 360;

/** The body as bytes, refused as soon as it passes `limit` (the declared length is checked first). */
export async function readLimited(response, limit) {
  const declared = Number(response.headers.get('content-length'));
  if (declared > limit) throw new Error(`the pack is ${declared} bytes, over the ${limit}-byte limit`);
  const reader = response.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      reader.cancel().catch(() => {});
      throw new Error(`the pack is over the ${limit}-byte limit`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

async function fetchEnvelope(url) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
  try {
    const response = await fetch(url, { signal: controller.signal, cache: 'no-store', credentials: 'omit' });
    if (!response.ok) throw new Error(`the server answered HTTP ${response.status}`);
    return await readLimited(response, MAX_PACK_BYTES);
  } catch (error) {
    if (controller.signal.aborted) throw new Error(`no answer within ${FETCH_TIMEOUT_MS / 1000} s`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** The policy's pack settings as the engine validated them: {url, keys, interval, error}. */
async function packSettings() {
  const policy = await loadPolicy();
  const { engine } = await getEngine();
  const problem = engine.policyReport().errors.find((e) => e.key === 'rulePackUrl' || e.key === 'rulePackPublicKeys');
  const interval = Number.isInteger(policy.updateIntervalMinutes) && policy.updateIntervalMinutes >= 1 ? policy.updateIntervalMinutes : DEFAULT_INTERVAL;
  return { url: policy.rulePackUrl || null, keys: policy.rulePackPublicKeys || [], interval, error: problem ? `${problem.key}: ${problem.message}` : null };
}

let running = null;

/** Fetches and applies the admin's pack now; returns the new status. One attempt at a time. */
export function refreshPack() {
  running ??= attempt().finally(() => {
    running = null;
  });
  return running;
}

async function attempt() {
  const settings = await packSettings();
  const { packStatus: previous = {} } = await chrome.storage.local.get('packStatus');
  if (!settings.url) {
    // No URL in the policy (now): the engine applies the embedded rules. The envelope and the floors stay,
    // so a policy read once without its URL neither loses the pack nor resets the floor.
    await chrome.storage.local.remove('packStatus');
    return null;
  }
  const now = Date.now();
  const status = { ...previous, url: settings.url, lastAttemptAt: now };
  try {
    if (settings.error) throw new Error(settings.error);
    const bytes = await fetchEnvelope(settings.url);
    await loadWasm(chrome.runtime.getURL('pkg/blindaje_bg.wasm'));
    const active = await activePack();
    const floors = await packFloors(settings.keys);
    const verdict = acceptSignedPack(bytes, settings.keys, floors, active ? active.envelope : null);
    Object.assign(status, { lastSuccessAt: now, result: verdict.result, error: null, failures: 0, nextAttemptAt: null });
    if (verdict.result === 'accepted') {
      const record = { envelope: verdict.envelope, id: verdict.id, version: verdict.version, signer: verdict.signer, rules: verdict.rules, url: settings.url, acceptedAt: now };
      await storePack(record, verdict.floors);
      resetEngine();
    } else {
      await setFloors(verdict.floors);
    }
  } catch (error) {
    const failures = (previous.failures || 0) + 1;
    const delay = Math.min(settings.interval, 2 ** Math.min(failures - 1, 10)); // 1, 2, 4… minutes, up to the interval
    chrome.alarms.create(RETRY_ALARM, { delayInMinutes: delay });
    Object.assign(status, { result: 'refused', error: String(error && error.message ? error.message : error), errorAt: now, failures, nextAttemptAt: now + delay * 60000 });
  }
  await chrome.storage.local.set({ packStatus: status });
  return status;
}

/** (Re)creates the periodic alarm from the policy's interval. */
export async function schedulePackUpdates() {
  const settings = await packSettings();
  if (!settings.url) {
    await chrome.alarms.clear(ALARM);
    return;
  }
  const existing = await chrome.alarms.get(ALARM);
  if (!existing || existing.periodInMinutes !== settings.interval) {
    await chrome.alarms.create(ALARM, { periodInMinutes: settings.interval });
  }
}

export function isPackAlarm(alarm) {
  return alarm.name === ALARM || alarm.name === RETRY_ALARM;
}
