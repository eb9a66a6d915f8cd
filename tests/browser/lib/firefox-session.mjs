// Shared set-up of the Firefox tests: the built extension (dist/firefox), the test policy as managed
// storage, firefox-esr with both, and how tests read what the content script drew. BiDi cannot enter
// the content script's sandbox, so the background page (reached over RDP) runs
// chrome.scripting.executeScript in the tab: in Firefox that runs in the same sandbox as the content
// script, where its debug handle globalThis.__blindaje lives (snapshot(): the CSS.highlights ranges,
// the textarea mirror's marks, the panel's entries).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFixtures, FIXTURES_OUT } from '../build-fixtures.mjs';
import { startServer } from './server.mjs';
import { launchFirefoxWithExtension } from './firefox.mjs';
import { testPolicy, waitUntil } from './extension-session.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const FIREFOX_EXTENSION_DIR = resolve(here, '..', '..', '..', 'dist', 'firefox');

/** The tab id (chrome.tabs) of a puppeteer page, from its URL (tests keep one tab per URL). */
async function tabIdOf(background, page) {
  const url = page.url();
  const ids = await background.evaluate(`chrome.tabs.query({}).then((tabs) => tabs.filter((t) => t.url === ${JSON.stringify(url)}).map((t) => t.id))`);
  if (ids.length !== 1) throw new Error(`expected one tab at ${url}, found ${ids.length}`);
  return ids[0];
}

/** The content script's state in `page`'s main frame, read through the background page. */
function contentWorld(background, page) {
  let tabId = null;
  const snapshot = async () => {
    tabId ??= await tabIdOf(background, page);
    const { value, error } = await background.evaluate(`chrome.scripting.executeScript({ target: { tabId: ${tabId} }, func: () => {
      try {
        return { value: globalThis.__blindaje ? globalThis.__blindaje.snapshot() : null };
      } catch (error) {
        return { error: String(error) };
      }
    } }).then(([frame]) => frame.result)`);
    if (error) throw new Error(`__blindaje.snapshot() in the content script: ${error}`);
    return value;
  };
  return {
    snapshot,
    tabId: async () => (tabId ??= await tabIdOf(background, page)),
    /** Polls the snapshot until `predicate(snapshot)` holds; returns it (or throws with the last one). */
    async waitFor(predicate, { timeout = 10000, what = 'condition' } = {}) {
      const deadline = Date.now() + timeout;
      let last;
      while (Date.now() < deadline) {
        last = await snapshot();
        if (last && predicate(last)) return last;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`timed out waiting for ${what}; last snapshot: ${JSON.stringify(last, null, 1).slice(0, 3000)}`);
    },
  };
}

/** Server + firefox-esr with the extension and the policy; waits until the policy's sites are registered. */
export async function startFirefoxSession({ policy = testPolicy() } = {}) {
  if (!existsSync(join(FIREFOX_EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`${FIREFOX_EXTENSION_DIR} is missing: build the extension first (./build.sh)`);
  }
  if (!existsSync(FIXTURES_OUT) || process.env.BUILD_FIXTURES) await buildFixtures();
  const server = await startServer();
  let firefox;
  try {
    firefox = await launchFirefoxWithExtension({ extensionDir: FIREFOX_EXTENSION_DIR, policy, server });
    if (policy && policy.sites && policy.sites.length) {
      await waitUntil(async () => (await firefox.background.evaluate('chrome.scripting.getRegisteredContentScripts()')).length > 0,
        'the policy sites to be registered');
    }
  } catch (error) {
    await firefox?.close();
    await server.close();
    throw error;
  }
  const { background } = firefox;
  return {
    ...firefox,
    server,
    async open(url) {
      const page = await firefox.browser.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(url.startsWith('/') ? `${server.origin}${url}` : url);
      await page.waitForFunction(() => Boolean(window.__fixture), { timeout: 10000 });
      return { page, world: contentWorld(background, page), errors };
    },
    /** The toolbar badge of the page's tab, read with chrome.action in the background page. */
    async badge(page) {
      const tabId = await tabIdOf(background, page);
      return background.evaluate(`chrome.action.getBadgeText({ tabId: ${tabId} })`);
    },
    /** Waits until the page's badge reads `expected` ('' for none); returns the text seen last. */
    async waitForBadge(page, expected, timeout = 10000) {
      const deadline = Date.now() + timeout;
      let last;
      while (Date.now() < deadline) {
        last = await this.badge(page);
        if (last === expected) return last;
        await new Promise((r) => setTimeout(r, 50));
      }
      return last;
    },
    async close() {
      await firefox.close();
      await server.close();
    },
  };
}
