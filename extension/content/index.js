// Content-script entry: in every frame of a covered site, finds composers and runs them through the
// engine (in the page when possible, else the service worker), reporting warnings to the badge.
import { createConnection } from './connection.js';
import { createEngineClient } from './engine-client.js';
import { Composer } from './composer.js';
import { adapterFor, hintsFor, mediaCount } from './features/context.js';
import { choiceFor, loadChoices } from './features/account.js';
import { startGuard } from './features/guard.js';
import { startDiscovery } from './features/discovery.js';
import { deepActiveElement } from './features/editors.js';
import { createBadgeReporter } from './features/badge.js';
import { installDebugHandle } from './features/debug.js';
import { marks } from './features/perf.js';

function main() {
  const started = performance.now();
  const composers = new Map(); // root → Composer
  const connection = createConnection();
  const badge = createBadgeReporter(connection);

  const recount = () => badge.report([...composers.values()].reduce((sum, c) => sum + c.warnings, 0));
  let adapterTable = null; // Promise: the site adapter for this host (or null) from the engine's table
  let currentAdapter = null;
  let lastActive = null;
  const loadAdapter = () =>
    (adapterTable ??= client.sites().then((sites) => (currentAdapter = adapterFor(sites, location.hostname)), (error) => {
      adapterTable = null;
      throw error;
    }));
  const reanalyseAll = () => {
    for (const composer of composers.values()) composer.schedule(0);
  };
  const client = createEngineClient(connection, {
    onChange() {
      adapterTable = null; // an admin pack may bring new adapters
      reanalyseAll();
    },
  });
  const services = {
    async analyze(root, text) {
      const adapter = await loadAdapter();
      const hints = hintsFor(root, adapter);
      if (hints.kind === 'none') return { findings: [], context: null, via: 'none' }; // an e-mail field outside sign-up
      hints.userAccount = choiceFor(hints.site, hints.handle);
      return client.analyze(text, hints);
    },
    mediaCount: (root) => mediaCount(root, currentAdapter),
    changed: recount,
    ignored: (rule) => connection.post({ type: 'ignored', rule }),
    /** The composer in use shows its whole panel; the others only their header. */
    activate(active) {
      lastActive = active;
      for (const composer of composers.values()) composer.setActive(composer === active);
    },
  };

  startDiscovery({
    attach(root) {
      if (composers.has(root)) return;
      client.warmUp();
      const composer = new Composer(root, services);
      composers.set(root, composer);
      if (root.contains(deepActiveElement())) services.activate(composer);
    },
    sweep() {
      for (const [root, composer] of composers) {
        if (!root.isConnected) {
          composers.delete(root);
          composer.detach();
        }
      }
      recount();
    },
  });

  // What is not needed before the first keystroke waits for idle time (content-script start-up stays small).
  const later = () => {
    chrome.runtime.onMessage.addListener(onMessage);
    loadChoices(reanalyseAll).then(reanalyseAll);
    readEnforcement();
    chrome.storage.onChanged.addListener((changes, area) => area === 'managed' && readEnforcement());
  };
  const onMessage = (message, sender, sendResponse) => {
    if (message.type === 'ping') sendResponse(true);
    if (message.type === 'account-status') {
      // The popup asks every frame; the one with the composer in use answers.
      const composer = lastActive && lastActive.result ? lastActive : [...composers.values()].find((c) => c.result && c.result.context);
      if (composer && composer.result.context) sendResponse({ ...composer.result.context, warnings: badge.count });
    }
  };
  connection.onOrphaned(() => {
    for (const composer of composers.values()) composer.detach();
    composers.clear();
  });
  let enforcement = 'warn';
  const readEnforcement = () => chrome.storage.managed.get('enforcement')
    .then((policy) => (enforcement = policy.enforcement === 'confirm' ? 'confirm' : 'warn'), () => {});
  if (self.requestIdleCallback) requestIdleCallback(later, { timeout: 500 });
  else setTimeout(later, 0);
  const guard = startGuard({ composers, adapter: () => currentAdapter, enforcement: () => enforcement, lastActive: () => lastActive });
  installDebugHandle({ composers, client, badge, guard });
  marks.startupMs = performance.now() - started;
}

// The script can be injected twice (manifest + a policy site, or into open tabs after an update).
if (!globalThis.__blindajeStarted) {
  globalThis.__blindajeStarted = true;
  main();
}
