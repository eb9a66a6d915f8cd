// The engine in the service worker: wasm loaded on first use, rebuilt when the policy or the admin pack
// changes; every connected content script is then told to analyse again.
import { buildEngine, loadWasm } from '../shared/engine-host.js';
import { loadConfig, onConfigChanged } from '../shared/config.js';

let current = null; // Promise<{engine, config, initMs}>
const changeListeners = [];

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

onConfigChanged(() => {
  current = null;
  for (const listener of changeListeners) listener();
});
