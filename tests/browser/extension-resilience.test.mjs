// The extension keeps working when the service worker is stopped mid-draft (as Chrome does when idle),
// and a hostile page that removes or restyles the extension's nodes cannot break the editor.
// Run: node --test tests/browser/extension-resilience.test.mjs (after ./build.sh builds dist/chromium)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { stopServiceWorker, typeSlowly, waitForEditorText } from './lib/browser.mjs';
import { startExtensionSession, testPolicy, waitForBadge } from './lib/extension-session.mjs';
import { oracle } from './lib/engine-oracle.mjs';

const FIRST = 'Primero: vota por Morena.';
const SECOND = ' Después: vota por el PAN.';

let ext;
let one;
let both;
before(async () => {
  ext = await startExtensionSession();
  const engine = await oracle(testPolicy());
  one = engine.warnings(FIRST);
  both = engine.warnings(FIRST + SECOND);
  assert.ok(one >= 1 && both > one, 'the second sentence must add warnings under the current rules');
});
after(async () => {
  await ext?.close();
});

for (const [mode, name, selector] of [['csp', 'lexical', '[data-lexical-editor="true"]'], ['f', 'textarea', 'textarea']]) {
  test(`stopping the service worker mid-draft does not stop the warnings (${mode === 'csp' ? 'strict CSP' : 'no CSP'}, ${name})`, async () => {
    const { page, world, errors } = await ext.open(`/${mode}/${name}/`);
    await page.click(selector);
    await world.waitFor((s) => s.engine.page === 'off', { what: 'the engine choice (the worker, in Chromium)', timeout: 15000 });
    await typeSlowly(page, FIRST, { delay: 10 });
    await world.waitFor((s) => s.composers[0]?.warnings === one, { what: 'the first warnings' });
    assert.equal(await waitForBadge(ext, page, String(one)), String(one));

    assert.ok(await stopServiceWorker(ext.context, ext.extensionId) >= 1, 'a worker was stopped');
    await typeSlowly(page, SECOND, { delay: 10 });
    const snap = await world.waitFor((s) => s.composers[0]?.warnings === both, { what: 'the new warnings after the stop' });
    assert.equal(snap.composers[0].via, 'worker');
    assert.equal(await waitForBadge(ext, page, String(both)), String(both), 'badge kept exact by the new worker');
    assert.equal(await waitForEditorText(page, FIRST + SECOND), FIRST + SECOND, 'the draft is intact');

    // Stopped again while idle: the frame reconnects and the new worker still knows the count.
    await stopServiceWorker(ext.context, ext.extensionId);
    const worker = await ext.worker();
    assert.ok(worker, 'a new worker started');
    await page.keyboard.press('End');
    await typeSlowly(page, ' Fin.', { delay: 10 });
    await world.waitFor((s) => s.composers[0]?.text?.endsWith('Fin.'), { what: 'the last analysis' });
    assert.equal(await waitForBadge(ext, page, String(both)), String(both));
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('a hostile page that removes and restyles the extension\'s nodes does not break the editor', async () => {
  const { page, world, errors } = await ext.open('/f/contenteditable/');
  await page.evaluate(() => {
    const attack = () => {
      for (const node of document.querySelectorAll(':root > div')) { // the extension's UI layer is a <div> on <html>
        node.setAttribute('style', 'display:none !important; opacity:0 !important');
        node.remove();
      }
      CSS.highlights.clear();
    };
    const style = document.createElement('style');
    style.textContent = ':root > div, :root > div * { display: none !important; visibility: hidden !important; } ::highlight(blindaje-high) { background: none !important; }';
    document.head.append(style);
    window.__hostile = { observer: new MutationObserver(attack), timer: setInterval(attack, 20) };
    window.__hostile.observer.observe(document.documentElement, { childList: true });
  });
  const text = 'Hola. Este domingo vota por Morena.';
  await page.click('[contenteditable="true"]');
  await typeSlowly(page, text, { delay: 10 });
  assert.equal(await waitForEditorText(page, text), text, 'the editor works under attack');
  const n = String((await oracle(testPolicy())).warnings(text));
  await world.waitFor((s) => String(s.composers[0]?.warnings) === n, { what: 'the analysis under attack' });
  assert.equal(await waitForBadge(ext, page, n), n, 'the badge is exact under attack');

  // The attack stops (its stylesheet stays): the UI comes back by itself, visible despite the page's CSS.
  await page.evaluate(() => {
    window.__hostile.observer.disconnect();
    clearInterval(window.__hostile.timer);
  });
  await typeSlowly(page, ' Gracias.', { delay: 10 });
  const snap = await world.waitFor((s) => s.composers[0]?.panel.shown && s.composers[0].highlights.some((h) => h.name === 'blindaje-high'),
    { what: 'the panel and the underline back' });
  assert.equal(snap.composers[0].highlights.find((h) => h.name === 'blindaje-high').text, 'vota por');
  assert.equal(await waitForEditorText(page, `${text} Gracias.`), `${text} Gracias.`);
  assert.deepEqual(errors, [], 'no page errors');
  await page.close();
});
