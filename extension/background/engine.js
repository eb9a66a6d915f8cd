// The engine in the service worker: wasm loaded on first use, rebuilt when the policy or the admin pack
// changes; every connected content script is then told to analyse again. The Engine constructor (Rust)
// verifies the stored envelope against the policy's current keys on every build.
import { buildEngine, loadWasm } from '../shared/engine-host.js';
import { loadPolicy } from '../shared/config.js';
import { activePack } from './packstore.js';

let current = null; // Promise<{engine, config, initMs}>
const changeListeners = [];

/** {policy, policyJson, adminEnvelope}: what the worker's engine and every content script's are built from. */
export async function loadConfig() {
  const [policy, pack] = await Promise.all([loadPolicy(), activePack()]);
  return { policy, policyJson: JSON.stringify(policy), adminEnvelope: pack ? pack.envelope : null };
}

export function getEngine() {
  current ??= (async () => {
    const started = performance.now();
    await loadWasm(chrome.runtime.getURL('pkg/blindaje_bg.wasm'));
    const config = await loadConfig();
    return { engine: buildEngine(config), config, initMs: performance.now() - started };
  })().catch((error) => {
    current = null;
    throw error;
  });
  return current;
}

export function onEngineChanged(listener) {
  changeListeners.push(listener);
}

/** Drops the engine so the next use builds it from the current policy and pack; tells content scripts. */
export function resetEngine() {
  current = null;
  for (const listener of changeListeners) listener();
}

// The worker rebuilds on a policy change, and when rulepack.js stores a pack (resetEngine); never on
// storage.local, which content scripts can write.
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'managed') resetEngine();
});
