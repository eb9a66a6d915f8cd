// Speed of the extension in the browser (figures for BENCHMARKS.md, written to .build/perf.json; not
// asserted): main-thread time the content script spends per input event with 280-, 3,000- and
// 63,206-character drafts (its handlers and the debounced analysis it leads to), keystroke→warning
// latency with the worker warm and cold, content-script start-up, wasm initialisation.
// Run: node --test tests/browser/extension-perf.test.mjs (after ./build.sh builds dist/chromium)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopServiceWorker, typeSlowly } from './lib/browser.mjs';
import { startExtensionSession } from './lib/extension-session.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const OUT = join(here, '.build', 'perf.json');
const SIZES = [280, 3000, 63206];
const PARAGRAPH = 'La Comisión Estatal de Derechos Humanos informa que el módulo de atención del centro abre de lunes a viernes de 9 a 17 horas; '
  + 'ahí se reciben quejas, se da orientación jurídica gratuita y se canaliza a otras instituciones cuando corresponde.\n';
const TYPED = ' Recuerda que el voto es libre y secreto y que puedes presentar tu queja en línea o en persona.'.repeat(2);
const VIOLATION = ' vota por Morena';

/** A neutral draft of exactly `n` UTF-16 units. */
function draft(n) {
  return PARAGRAPH.repeat(Math.ceil(n / PARAGRAPH.length)).slice(0, n - 1) + '.';
}

const round = (x) => (x === null || x === undefined ? null : Math.round(x * 1000) / 1000);
const median = (xs) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : null);

let ext;
const results = { browser: null, date: new Date().toISOString(), perInput: [], latency: [], startup: [], wasmInit: {} };
before(async () => {
  ext = await startExtensionSession();
  results.browser = ext.context.browser()?.version() ?? null;
});
after(async () => {
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`perf figures → ${OUT}\n${JSON.stringify(results, null, 1)}`);
  await ext?.close();
});

/** Opens the fixture with a draft of `size` characters already analysed; returns {page, world}. */
async function withDraft(url, selector, size) {
  const { page, world } = await ext.open(url);
  await page.click(selector);
  await world.waitFor((s) => s.engine.page === 'off', { what: 'the engine choice (the worker, in Chromium)', timeout: 15000 });
  const text = draft(size);
  if (selector === 'textarea') {
    await page.keyboard.insertText(text);
  } else {
    // Typing 63,000 characters into a contenteditable takes minutes: set the paragraphs up directly.
    await page.$eval(selector, (el, t) => el.replaceChildren(...t.split('\n').map((line) => {
      const div = document.createElement('div');
      div.textContent = line;
      return div;
    })), text);
  }
  await world.waitFor((s) => s.composers[0]?.text?.length >= size - 5, { timeout: 30000, what: 'the long draft analysed' });
  return { page, world };
}

for (const [label, url, selector] of [
  ['textarea (engine in the worker)', '/f/textarea/', 'textarea'],
  ['contenteditable (engine in the worker)', '/f/contenteditable/', '[contenteditable="true"]'],
  ['contenteditable, strict CSP (engine in the worker)', '/csp/contenteditable/', '[contenteditable="true"]'],
]) {
  test(`main-thread time per input event: ${label}`, async () => {
    for (const size of SIZES) {
      const { page, world } = await withDraft(url, selector, size);
      await page.keyboard.press('Control+End');
      await world.evaluate('globalThis.__blindaje.resetPerf()');
      // Bursts of typing with pauses longer than the debounce, so analyses run as they would.
      for (let i = 0; i < TYPED.length; i += 12) {
        await typeSlowly(page, TYPED.slice(i, i + 12), { delay: 20 });
        await page.waitForTimeout(260);
      }
      const perf = await world.perf();
      assert.ok(perf.inputEvents >= TYPED.length / 2, 'the keystrokes were seen');
      const parts = Object.fromEntries(Object.entries(perf.parts).map(([k, v]) => [k, { n: v.n, p50: round(v.p50), max: round(v.max) }]));
      results.perInput.push({ fixture: label, size, events: perf.inputEvents, p50: round(perf.perInputP50), p99: round(perf.perInputP99), max: round(perf.perInputMax), parts });
      await page.close();
    }
  });
}

test('keystroke → warning on screen, worker warm and cold', async () => {
  for (const [label, url, selector] of [
    ['worker, warm', '/csp/contenteditable/', '[contenteditable="true"]'],
    ['worker, cold', '/csp/contenteditable/', '[contenteditable="true"]'],
  ]) {
    for (const size of [280, 3000]) {
      const { page, world } = await withDraft(url, selector, size);
      await page.keyboard.press('Control+End');
      if (label.endsWith('cold')) await stopServiceWorker(ext.context, ext.extensionId);
      await world.evaluate('globalThis.__blindaje.resetPerf()');
      await typeSlowly(page, VIOLATION, { delay: 30 });
      await world.waitFor((s) => s.composers[0]?.warnings >= 1, { what: 'the warning' });
      const perf = await world.perf();
      results.latency.push({ path: label, size, ms: round(perf.latencies[perf.latencies.length - 1]) });
      await page.close();
    }
  }
});

test('content-script start-up and wasm initialisation', async () => {
  for (const url of ['/f/contenteditable/', 'https://x.com/', 'https://www.linkedin.com/']) {
    const samples = [];
    for (let i = 0; i < 5; i++) {
      const { page, world } = await ext.open(url);
      samples.push((await world.perf()).startupMs);
      await page.close();
    }
    results.startup.push({ url, medianMs: round(median(samples)), samples: samples.map(round) });
  }
  // Chromium builds no engine in the page any more (content/engine-client.js): only the worker's is timed.
  await stopServiceWorker(ext.context, ext.extensionId);
  const worker = await ext.worker();
  results.wasmInit.workerMs = round(await worker.evaluate(async () => (await globalThis.__blindaje.engine()).initMs));
});
