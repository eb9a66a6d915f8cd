// Admin rule packs: the worker's wiring around updatePack (Rust, src/fetch.rs), which fetches the policy's
// rulePackUrl (streamed body counted against 5 MiB, abandoned after 10 s), verifies, validates within the
// budgets, example-tests and compares the version with the floor of its pack id, and says when to retry.
// This file runs it at start-up, every updateIntervalMinutes (chrome.alarms) and on "Buscar actualización
// ahora", stores what it returns (packstore.js) and schedules the retry alarm; it decides nothing.
import { updatePack } from 'blindaje-wasm';
import { loadWasm } from '../shared/engine-host.js';
import { loadPolicy } from '../shared/config.js';
import { getEngine, resetEngine } from './engine.js';
import { activePack, packFloors, setFloors, storePack } from './packstore.js';

const ALARM = 'rule-pack';
const RETRY_ALARM = 'rule-pack-retry';
const DEFAULT_INTERVAL = 360;

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
  let verdict;
  if (settings.error) {
    verdict = { result: 'refused', error: settings.error, failures: (previous.failures || 0) + 1, retryInMinutes: settings.interval };
  } else {
    await loadWasm(chrome.runtime.getURL('pkg/blindaje_bg.wasm'));
    const active = await activePack();
    const floors = await packFloors(settings.keys);
    verdict = await updatePack(settings.url, settings.keys, floors, active ? active.envelope : null, previous.failures || 0, settings.interval);
  }
  if (verdict.result === 'refused') {
    chrome.alarms.create(RETRY_ALARM, { delayInMinutes: verdict.retryInMinutes });
    Object.assign(status, { result: 'refused', error: verdict.error, errorAt: now, failures: verdict.failures, nextAttemptAt: now + verdict.retryInMinutes * 60000 });
  } else {
    Object.assign(status, { lastSuccessAt: now, result: verdict.result, error: null, failures: 0, nextAttemptAt: null });
    if (verdict.result === 'accepted') {
      const record = { envelope: verdict.envelope, id: verdict.id, version: verdict.version, signer: verdict.signer, rules: verdict.rules, url: settings.url, acceptedAt: now };
      await storePack(record, verdict.floors);
      resetEngine();
    } else {
      await setFloors(verdict.floors);
    }
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
