// Service worker entry: hosts the engine for pages whose CSP blocks wasm in content scripts, keeps the
// per-tab badge, registers the content script on the policy's extra sites. Listeners are registered
// synchronously at the top level, as MV3 requires (the worker is restarted for each event).
import { PORT_NAME } from '../shared/protocol.js';
import { analyzeDraft } from '../shared/engine-host.js';
import { getEngine, onEngineChanged } from './engine.js';
import { forgetTab, setFrameCount, tabWarnings } from './badge.js';
import { injectIntoOpenTabs, syncPolicySites } from './sites.js';
import { pageStatus } from './status.js';
import { countIgnored } from './stats.js';
import { isPackAlarm, refreshPack, schedulePackUpdates } from './rulepack.js';
import { activePack } from './packstore.js';

const ports = new Set();

async function onPortMessage(port, message) {
  const reply = (body) => {
    try {
      port.postMessage({ ...body, id: message.id });
    } catch {
      // The frame went away; its content script re-sends after reconnecting if it still needs this.
    }
  };
  try {
    switch (message.type) {
      case 'hello': {
        const { engine, initMs } = await getEngine();
        reply({ type: 'hello', sites: engine.sites(), info: engine.info(), initMs });
        break;
      }
      case 'pack': {
        // The signed envelope for the in-page engine, which verifies it again against the managed keys.
        const pack = await activePack();
        reply({ type: 'pack', envelope: pack ? pack.envelope : null });
        break;
      }
      case 'analyze': {
        const { engine } = await getEngine();
        reply({ type: 'result', ...analyzeDraft(engine, message.text, message.hints) });
        break;
      }
      case 'count':
        await setFrameCount(port.sender, message.warnings);
        break;
      case 'ignored':
        await countIgnored(message.rule);
        break;
    }
  } catch (error) {
    if (message.id !== undefined) reply({ type: 'error', message: String(error && error.message ? error.message : error) });
  }
}

chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== PORT_NAME) return;
  ports.add(port);
  port.onMessage.addListener((message) => onPortMessage(port, message));
  port.onDisconnect.addListener(() => {
    ports.delete(port);
    setFrameCount(port.sender, 0); // the document is gone (a stopped worker never gets here)
  });
});

/** The popup and the options page, never a content script (whose sender.url is the page's). */
function fromExtensionPage(sender) {
  return sender.id === chrome.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(chrome.runtime.getURL(''));
}

// "Buscar actualización ahora": a burst of REFRESH_BURST, then one per REFRESH_REFILL_MS, so a page of the
// extension (or a stuck button) cannot make the worker hammer the admin's server.
const REFRESH_BURST = 20;
const REFRESH_REFILL_MS = 3000;
const refreshTokens = { count: REFRESH_BURST, at: Date.now() };
function takeRefreshToken() {
  const now = Date.now();
  refreshTokens.count = Math.min(REFRESH_BURST, refreshTokens.count + (now - refreshTokens.at) / REFRESH_REFILL_MS);
  refreshTokens.at = now;
  if (refreshTokens.count < 1) return false;
  refreshTokens.count -= 1;
  return true;
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if ((message.type === 'status' || message.type === 'refresh-pack') && !fromExtensionPage(sender)) {
    sendResponse({ error: 'only the extension\'s own pages may ask for this' });
    return false;
  }
  if (message.type === 'refresh-pack' && !takeRefreshToken()) {
    sendResponse({ error: `too many update requests: try again in ${Math.ceil(REFRESH_REFILL_MS / 1000)} s` });
    return false;
  }
  if (message.type === 'status') {
    pageStatus(message.tabId).then(sendResponse, (error) => sendResponse({ error: String(error) }));
    return true;
  }
  if (message.type === 'refresh-pack') {
    refreshPack().then(sendResponse, (error) => sendResponse({ error: String(error) }));
    return true;
  }
  return false;
});

onEngineChanged(() => {
  for (const port of ports) {
    try {
      port.postMessage({ type: 'config' });
    } catch {
      ports.delete(port);
    }
  }
});

// For tests and troubleshooting from DevTools/CDP (pages cannot reach the worker's globals).
globalThis.__blindaje = { status: pageStatus, engine: getEngine, refresh: refreshPack };

chrome.tabs.onRemoved.addListener((tabId) => forgetTab(tabId));

chrome.storage.onChanged.addListener((changes, area) => {
  if (area !== 'managed') return;
  syncSites();
  const packKeys = ['rulePackUrl', 'rulePackPublicKeys', 'updateIntervalMinutes'];
  if (packKeys.some((key) => key in changes)) schedulePackUpdates().then(refreshPack);
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (isPackAlarm(alarm)) refreshPack();
});

/** Registers the content script on the policy's sites as the engine validated them (never the raw values:
 *  a `*.com` the engine refused must not be registered either). */
async function syncSites() {
  const { engine } = await getEngine();
  await syncPolicySites(engine.policySites());
}

/** Start-up work: policy sites, the pack's schedule, and a fresh pack. */
async function startUp() {
  await syncSites();
  await schedulePackUpdates();
  await refreshPack();
}

chrome.runtime.onInstalled.addListener(async () => {
  // Tabs opened before the install or update have no content script yet.
  const manifest = chrome.runtime.getManifest();
  await injectIntoOpenTabs(manifest.content_scripts.flatMap((c) => c.matches));
  await startUp();
});

chrome.runtime.onStartup.addListener(startUp);
