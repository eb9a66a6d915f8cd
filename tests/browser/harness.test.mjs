// Proves the extension harness (lib/browser.mjs) with a tiny probe extension (harness/probe-extension):
// pinned id from the manifest key, admin policy in chrome.storage.managed, host mapping, badge/tab
// lookup, and stopping the service worker.
// Run: node --test --test-concurrency=1 tests/browser/harness.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFixtures, FIXTURES_OUT } from './build-fixtures.mjs';
import { startServer } from './lib/server.mjs';
import {
  POLICY_FILE, badgeText, editorText, extensionIdFromKey, extensionIdFromPath, isServiceWorkerRunning,
  launchWithExtension, stopServiceWorker, tabIdForPage, typeSlowly, waitForFixture,
} from './lib/browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const PROBE_DIR = join(here, 'harness', 'probe-extension');
const POLICY = { institutionalHandles: ['CEDH_Estado'], strict: true };

let server;
let session;

async function bootIdShownBy(page) {
  await page.waitForFunction(() => document.documentElement.dataset.probeBoot);
  return page.evaluate(() => document.documentElement.dataset.probeBoot);
}

before(async () => {
  if (!existsSync(FIXTURES_OUT)) await buildFixtures();
  server = await startServer();
  session = await launchWithExtension({ extensionDir: PROBE_DIR, policy: POLICY, server, hostMap: true });
});

after(async () => {
  await session?.close();
  await server?.close();
});

describe('launchWithExtension', () => {
  test('the id is pinned by the manifest key', () => {
    const { key } = JSON.parse(readFileSync(join(PROBE_DIR, 'manifest.json'), 'utf8'));
    assert.equal(session.extensionId, extensionIdFromKey(key));
    assert.equal(new URL(session.serviceWorker.url()).host, session.extensionId);
    assert.match(session.extensionId, /^[a-p]{32}$/);
  });

  test('the admin policy file is in place and reaches chrome.storage.managed', async () => {
    const written = JSON.parse(readFileSync(POLICY_FILE, 'utf8'));
    assert.deepEqual(written, { '3rdparty': { extensions: { [session.extensionId]: POLICY } } });
    const managed = await session.serviceWorker.evaluate(() => chrome.storage.managed.get(null));
    assert.deepEqual(managed, POLICY);
  });

  test('content script runs on https://x.com/ (host mapping) and badgeText reads its tab badge', async () => {
    const page = await session.context.newPage();
    await page.goto('https://x.com/');
    await waitForFixture(page);
    await bootIdShownBy(page);
    const title = await page.title();
    assert.equal(await badgeText(session.serviceWorker, page), String(title.length));
    await page.click('[data-testid="tweetTextarea_0"]');
    await typeSlowly(page, 'Hola ñandú 🗳️\nadiós');
    assert.equal(await editorText(page), 'Hola ñandú 🗳️\nadiós');
    await page.close();
  });

  test('tabIdForPage tells apart two tabs with the same URL', async () => {
    const url = `${server.origin}/f/textarea/`;
    const [a, b] = [await session.context.newPage(), await session.context.newPage()];
    await a.goto(url);
    await b.goto(url);
    const [idA, idB] = [await tabIdForPage(session.serviceWorker, a), await tabIdForPage(session.serviceWorker, b)];
    assert.notEqual(idA, idB);
    assert.equal(await b.title(), 'Prueba: textarea', 'title restored');
    await a.close();
    await b.close();
  });
});

describe('stopServiceWorker', () => {
  test('stops the worker; the next event starts a fresh one (new globals)', async () => {
    const page = await session.context.newPage();
    await page.goto(`${server.origin}/f/textarea/`);
    const firstBoot = await bootIdShownBy(page);
    assert.equal(await session.serviceWorker.evaluate(() => globalThis.bootId), firstBoot);
    assert.equal(await isServiceWorkerRunning(session.context, session.extensionId), true);

    const stopped = await stopServiceWorker(session.context, session.extensionId);
    assert.equal(stopped, 1);
    assert.equal(await isServiceWorkerRunning(session.context, session.extensionId), false);

    await page.reload();
    const secondBoot = await bootIdShownBy(page);
    assert.notEqual(secondBoot, firstBoot, 'a new worker answered');
    assert.equal(await isServiceWorkerRunning(session.context, session.extensionId), true);
    const worker = await session.serviceWorkerNow();
    assert.equal(await worker.evaluate(() => globalThis.bootId), secondBoot);
    await page.close();
  });
});

describe('extension without key and without policy', () => {
  test('unpacked id comes from the absolute path; no policy file is left behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blindaje-nokey-'));
    try {
      cpSync(PROBE_DIR, dir, { recursive: true });
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      delete manifest.key;
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
      // Close the main session first: only one policy file exists at a time.
      await session.close();
      session = null;
      const other = await launchWithExtension({ extensionDir: dir });
      try {
        assert.equal(other.extensionId, extensionIdFromPath(dir));
        assert.equal(new URL(other.serviceWorker.url()).host, other.extensionId);
        assert.equal(existsSync(POLICY_FILE), false);
        assert.deepEqual(await other.serviceWorker.evaluate(() => chrome.storage.managed.get(null)), {});
      } finally {
        await other.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
