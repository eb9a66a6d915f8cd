// Issue 17, the extension against a hostile page, in Chromium: a page that defines the custom element the
// overlay used to be (`blindaje-overlay`) before the content script runs, so its constructor would own the
// extension's UI; and a draft too long to analyse, which gets a hint in the panel instead of an analysis
// (and is never sent to the worker); and a strict-CSP page that must not receive a CSP violation from the
// extension (a report naming chrome-extension://<id>/content.js tells the site who runs it).
// Run: bash tests/browser/run.sh extension-hostile-page.test.mjs (after ./build.sh builds dist/chromium)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { typeSlowly } from './lib/browser.mjs';
import { startExtensionSession, testPolicy, waitUntil } from './lib/extension-session.mjs';

// The page's own script runs before the content script's overlay exists: it claims the name, hides and
// fakes whatever element gets it, and records whether it ever got one.
const HOSTILE = `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>hostil</title>
<script>
  window.__owned = 0;
  customElements.define('blindaje-overlay', class extends HTMLElement {
    constructor() {
      super();
      window.__owned++;
      const fake = this.attachShadow({ mode: 'open' });
      fake.innerHTML = '<p>Sin avisos</p>';
      this.style.setProperty('display', 'none', 'important');
    }
  });
  window.__fixture = { getText: () => document.querySelector('textarea').value };
</script></head>
<body><textarea aria-label="Publicación" rows="6" cols="60"></textarea></body></html>`;

let ext;
before(async () => {
  ext = await startExtensionSession();
  // Every page records the CSP violations its document sees (what a report-uri would receive).
  await ext.context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push({ directive: e.effectiveDirective, source: e.sourceFile, blocked: e.blockedURI }));
  });
  ext.server.route('/hostil/', (req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(HOSTILE);
  });
});
after(async () => {
  await ext?.close();
});

test('a page that pre-defines the overlay element cannot own, hide or fake the extension\'s UI', async () => {
  const { page, world } = await ext.open('/hostil/');
  await page.click('textarea');
  await typeSlowly(page, 'Este domingo vota por Morena.', { delay: 8 });
  const snap = await world.waitFor((s) => s.composers[0]?.findings?.some((f) => f.severity === 'high') && s.composers[0].panel.entries.length > 0,
    { what: 'the warning in the panel' });
  const composer = snap.composers[0];
  assert.ok(composer.panel.visible && composer.panel.shown, 'the panel is shown');
  assert.equal(await page.evaluate(() => window.__owned), 0, 'the page\'s constructor never ran on the extension\'s element');
  assert.equal(await page.evaluate(() => document.querySelectorAll('blindaje-overlay').length), 0);
  await page.close();
});

test('a draft over 100,000 characters gets a hint in the panel and is not analysed', async () => {
  const { page, world } = await ext.open('/f/textarea/');
  await page.click('textarea');
  const long = 'vota por Morena. '.repeat(7000); // 119,000 characters, full of what would warn
  await page.evaluate((text) => {
    const area = document.querySelector('textarea');
    area.value = text;
    area.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
  }, long);
  const snap = await world.waitFor((s) => s.composers[0]?.findings?.length > 0, { what: 'the hint' });
  const findings = snap.composers[0].findings;
  assert.deepEqual(findings.map((f) => f.rule), ['draft.demasiado-largo'], 'only the hint: no analysis ran');
  // The hint in the browser's language (es or en; both locales carry it).
  const message = await world.evaluate("chrome.i18n.getMessage('longMessage')");
  assert.match(message, /100[ ,]000/);
  assert.ok(snap.composers[0].panel.entries[0].text.includes(message), snap.composers[0].panel.entries[0].text);
  // Shortened again, it is analysed as usual.
  await page.evaluate(() => {
    const area = document.querySelector('textarea');
    area.value = 'Este domingo vota por Morena.';
    area.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'deleteContentBackward' }));
  });
  await world.waitFor((s) => s.composers[0]?.findings?.some((f) => f.category === 'electoral'), { what: 'the analysis of the short draft' });
  await page.close();
});

test('a strict-CSP page receives no CSP violation from the extension (no wasm probe in the page)', async () => {
  const { page, world } = await ext.open('/csp/contenteditable/');
  await page.click('[contenteditable="true"]');
  await typeSlowly(page, 'Este domingo vota por Morena.', { delay: 8 });
  await world.waitFor((s) => s.composers[0]?.findings?.some((f) => f.severity === 'high'), { what: 'the warning' });
  await page.waitForTimeout(2500); // past the pause after typing when the old in-page engine probed wasm
  const snap = await world.snapshot();
  assert.equal(snap.engine.page, 'off', 'Chromium keeps the engine in the worker');
  assert.equal(snap.composers[0].via, 'worker');
  assert.deepEqual(await page.evaluate(() => window.__violations), [], 'no violation reached the page');
  await page.close();
});

test('a policy site "*.com" is refused and never registered (the content script would run on every .com site)', async () => {
  // One bad entry makes the whole key invalid, as for every policy list: reported, and the key's default applies.
  await ext.setPolicy(testPolicy({ sites: ['127.0.0.1', '*.com'] }));
  const worker = await ext.worker();
  const registered = async () => ((await worker.evaluate(() => chrome.scripting.getRegisteredContentScripts()))[0] || { matches: [] }).matches;
  await waitUntil(async () => !(await registered()).includes('https://127.0.0.1/*'), 'the policy sites to be re-synced', 15000);
  const matches = await registered();
  assert.ok(!matches.some((m) => m.includes('*.com')), matches.join(' '));
  const report = await worker.evaluate(async () => (await globalThis.__blindaje.status()).policyReport.errors);
  assert.ok(report.some((e) => e.key === 'sites' && /public suffix/.test(e.message)), JSON.stringify(report));
});
