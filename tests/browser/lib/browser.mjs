// Launches Debian's Chromium through playwright-core (never a downloaded browser), with or without
// the extension under test, mapping the real site hosts to the local fixture server.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostResolverRules } from './sites.mjs';
import { extensionIdForDir } from './extension-id.mjs';
import { removePolicy, writePolicy } from './policy.mjs';

export { extensionIdFromKey, extensionIdFromPath, extensionIdForDir } from './extension-id.mjs';
export { POLICY_FILE } from './policy.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const here = dirname(fileURLToPath(import.meta.url));
export const SCREENSHOT_DIR = join(here, '..', '.build', 'screenshots');

function baseArgs(server) {
  const args = [
    '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--no-default-browser-check',
    '--ignore-certificate-errors', '--disable-quic',
  ];
  if (server) args.push(`--host-resolver-rules=${hostResolverRules(server)}`);
  return args;
}

/** Plain Chromium (no extension). `server` (from startServer) enables the host mapping. */
export async function launchBrowser({ server, headless = true } = {}) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless, args: baseArgs(server) });
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'es-MX' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  return { browser, context, close: () => browser.close() };
}

/**
 * Chromium with the unpacked extension in `extensionDir`. `policy` (object) is written as the
 * extension's managed policy before launch and removed in close(). `server` + `hostMap` map
 * x.com, facebook.com, … to the local server. `policyFile` picks another file in the managed-policy
 * folder (so two test suites never share one); `args` adds Chromium switches.
 */
export async function launchWithExtension({ extensionDir, policy, server, hostMap = Boolean(server), headless = true, policyFile, args: extraArgs = [] }) {
  const dir = resolve(extensionDir);
  const extensionId = extensionIdForDir(dir);
  if (policy) writePolicy(extensionId, policy, policyFile);
  else removePolicy(policyFile);
  const userDataDir = mkdtempSync(join(tmpdir(), 'blindaje-profile-'));
  const args = [...baseArgs(hostMap ? server : null), `--disable-extensions-except=${dir}`, `--load-extension=${dir}`, ...extraArgs];
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM, headless, args, ignoreHTTPSErrors: true, locale: 'es-MX',
    });
  } catch (error) {
    if (policy) removePolicy(policyFile);
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  const serviceWorker = await findServiceWorker(context, extensionId);
  return {
    context,
    serviceWorker,
    extensionId,
    userDataDir,
    /** The current worker (after a stop a new one replaces the first). */
    serviceWorkerNow: () => findServiceWorker(context, extensionId),
    async close() {
      await context.close().catch(() => {});
      if (policy) removePolicy(policyFile);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Waits for the extension's service worker (running, or started by an event). */
export async function findServiceWorker(context, extensionId, timeout = 15000) {
  const prefix = `chrome-extension://${extensionId}/`;
  const running = context.serviceWorkers().find((w) => w.url().startsWith(prefix));
  if (running) return running;
  return context.waitForEvent('serviceworker', { predicate: (w) => w.url().startsWith(prefix), timeout });
}

export function screenshotPath(name) {
  if (!existsSync(SCREENSHOT_DIR)) mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
}

export async function saveScreenshot(page, name) {
  const path = screenshotPath(name);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export { stopServiceWorker, isServiceWorkerRunning, tabIdForPage, badgeText } from './extension-helpers.mjs';
export { typeSlowly, editorText, waitForFixture, publishedTexts, waitForEditorText } from './page-helpers.mjs';
