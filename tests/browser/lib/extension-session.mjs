// Shared set-up of the extension tests: the built extension (dist/chromium), the managed policy an admin
// would give it, a browser with both, and helpers to open fixtures and wait for the badge.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFixtures, FIXTURES_OUT } from '../build-fixtures.mjs';
import { startServer } from './server.mjs';
import { badgeText, launchWithExtension, tabIdForPage, waitForFixture } from './browser.mjs';
import { extensionWorld } from './extension-world.mjs';
import { writePolicy } from './policy.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const EXTENSION_DIR = resolve(here, '..', '..', '..', 'dist', 'chromium');
/** Our own policy file, so these suites never clobber another suite's (see policy.mjs). */
export const EXTENSION_POLICY_FILE = '/etc/chromium/policies/managed/blindaje-extension-test.json';

const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

/** The policy of the tests: a campaign around today, the fixture server as an extra site, X's handle. */
export function testPolicy(extra = {}) {
  return {
    organizationName: 'Comisión Estatal de Derechos Humanos',
    sites: ['127.0.0.1'],
    institutionalAccounts: [{ site: 'x.com', handle: 'CEDH_Estado' }, { site: 'facebook.com', handle: 'CEDH_Estado' }],
    institutionalEmailDomains: ['cedh.gob.mx'],
    electoralPeriods: [{ label: 'Campaña de prueba', phase: 'campaign', start: day(-30), end: day(30) }],
    ...extra,
  };
}

/**
 * Server + Chromium with the extension and the policy (an object, or a function of the server, for
 * URLs on it); waits until the policy's sites are registered.
 */
export async function startExtensionSession({ policy: policyOption = testPolicy(), headless = true } = {}) {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`${EXTENSION_DIR} is missing: build the extension first (./build.sh, or node extension/build.mjs --dev-key)`);
  }
  if (!existsSync(FIXTURES_OUT) || process.env.BUILD_FIXTURES) await buildFixtures();
  process.env.LANGUAGE ??= 'es'; // Chromium on Linux takes its UI language (and chrome.i18n's) from here
  const server = await startServer();
  const policy = typeof policyOption === 'function' ? policyOption(server) : policyOption;
  const session = await launchWithExtension({
    extensionDir: EXTENSION_DIR, policy, server, headless, policyFile: EXTENSION_POLICY_FILE,
  });
  if (policy && policy.sites && policy.sites.length) {
    await waitUntil(async () => (await session.serviceWorker.evaluate(() => chrome.scripting.getRegisteredContentScripts())).length > 0,
      'the policy sites to be registered');
  }
  return {
    ...session,
    server,
    /** Replaces the managed policy the way an admin would (the browser notices the file change). */
    async setPolicy(next) {
      writePolicy(session.extensionId, next, EXTENSION_POLICY_FILE);
      const want = canonicalJson(next);
      await waitUntil(async () => canonicalJson(await (await this.worker()).evaluate(() => chrome.storage.managed.get(null))) === want,
        'the new policy to reach the extension', 30000);
    },
    /** The worker running now; when it is stopped, an extension page wakes it. */
    async worker() {
      const prefix = `chrome-extension://${session.extensionId}/`;
      const known = session.context.serviceWorkers().find((w) => w.url().startsWith(prefix));
      // A stopped worker may still be listed; evaluate() on it waits until something wakes it.
      const alive = known && (await Promise.race([known.evaluate(() => true).catch(() => false), sleep(300).then(() => false)]));
      if (alive) return known;
      const page = await session.context.newPage();
      await page.goto(`${prefix}popup/popup.html`).catch(() => {});
      const worker = await session.serviceWorkerNow();
      await page.close();
      return worker;
    },
    async open(url) {
      const page = await session.context.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(url.startsWith('/') ? `${server.origin}${url}` : url);
      await waitForFixture(page);
      const world = await extensionWorld(page, session.extensionId);
      return { page, world, errors };
    },
    async close() {
      await session.close();
      await server.close();
    },
  };
}

/** JSON with object keys sorted at every level (Chromium returns policy objects with sorted keys). */
function canonicalJson(value) {
  return JSON.stringify(value, (key, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function waitUntil(predicate, what, timeout = 10000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the tab's badge reads `expected` ('' for none); returns the text seen last. */
export async function waitForBadge(session, page, expected, timeout = 10000) {
  const tabId = await tabIdForPage(await session.worker(), page);
  let last;
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    last = await badgeText(await session.worker(), tabId);
    if (last === expected) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  return last;
}

/** Text with line breaks removed: what Range.toString() offsets count in a contenteditable. */
export const flat = (text) => text.replace(/\n/g, '');
