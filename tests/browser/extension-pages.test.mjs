// Composers the extension must find beyond a plain page: inside an open shadow root, inside a same-origin
// iframe (the badge sums the tab's frames), added later by a single-page app (and removed on navigation);
// and the panel's keyboard and mouse use with "Ignorar aquí".
// Run: node --test tests/browser/extension-pages.test.mjs (after ./build.sh builds dist/chromium)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { saveScreenshot, typeSlowly, waitForEditorText } from './lib/browser.mjs';
import { startExtensionSession, testPolicy, waitForBadge } from './lib/extension-session.mjs';
import { assertDrawnExactly, isWarning, oracle, rows } from './lib/engine-oracle.mjs';

const VOTE = 'Este domingo vota por Morena.';
const VOTE_B = 'Y tú también vota por el PAN. Dicen que sí.';

let ext;
let engine;
const warnings = (text) => engine.warnings(text);
before(async () => {
  ext = await startExtensionSession();
  engine = await oracle(testPolicy());
  assert.ok(warnings(VOTE) >= 1 && warnings(VOTE_B) >= 1, 'the test texts must warn under the current rules');
});
after(async () => {
  await ext?.close();
});

test('a composer inside an open shadow root is underlined', async () => {
  const { page, world, errors } = await ext.open('/csp/shadow/');
  await page.click('bj-composer [contenteditable="true"]');
  await typeSlowly(page, VOTE, { delay: 10 });
  const expected = engine.analyze(VOTE);
  const snap = await world.waitFor((s) => s.composers[0]?.highlights.length === expected.length, { what: 'the highlights in the shadow root' });
  assertDrawnExactly(snap.composers[0], VOTE, expected);
  assert.equal(await waitForBadge(ext, page, String(warnings(VOTE))), String(warnings(VOTE)));
  assert.equal(await waitForEditorText(page, VOTE), VOTE);
  await saveScreenshot(page, 'extension-shadow');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a composer in a same-origin iframe counts in the tab\'s badge', async () => {
  const { page, world } = await ext.open('/f/iframe/');
  const frame = await (await page.waitForSelector('#composer-frame')).contentFrame();
  await frame.waitForFunction(() => document.documentElement.dataset.fixtureReady === 'true');
  await frame.click('[contenteditable="true"]');
  await typeSlowly(page, VOTE, { delay: 10 });
  const n = warnings(VOTE);
  const snap = await world.waitFor((s) => s.composers[0]?.warnings === n, { frameUrl: 'frame.html', what: 'the warnings in the frame' });
  assertDrawnExactly(snap.composers[0], VOTE, engine.analyze(VOTE));
  assert.equal((await world.snapshot()).composers.length, 0, 'the top frame has no composer');
  assert.equal(await waitForBadge(ext, page, String(n)), String(n));
  assert.equal(await waitForEditorText(page, VOTE), VOTE);
  await saveScreenshot(page, 'extension-iframe');
  await page.close();
});

test('single-page app: composers added later are found; leaving the view clears the badge', async () => {
  const { page, world } = await ext.open('/f/spa/?delay=300');
  await page.click('section[data-composer="a"] [data-lexical-editor="true"]');
  await typeSlowly(page, VOTE, { delay: 10 });
  await page.click('section[data-composer="b"] .ProseMirror');
  await typeSlowly(page, VOTE_B, { delay: 10 });
  const both = String(warnings(VOTE) + warnings(VOTE_B));
  await world.waitFor((s) => s.composers.length === 2 && s.composers.reduce((sum, c) => sum + c.warnings, 0) === Number(both), { what: 'both composers analysed' });
  assert.equal(await waitForBadge(ext, page, both), both, 'both composers count');
  await saveScreenshot(page, 'extension-spa');

  await page.click('[data-testid="spa-navigate"]');
  assert.equal(await waitForBadge(ext, page, ''), '', 'the composers left with the old view');
  await page.click('section[data-composer="c"] [data-lexical-editor="true"]');
  await typeSlowly(page, VOTE, { delay: 10 });
  await world.waitFor((s) => s.composers.length === 1 && s.composers[0].warnings === warnings(VOTE), { what: 'the new view\'s composer' });
  assert.equal(await waitForBadge(ext, page, String(warnings(VOTE))), String(warnings(VOTE)));
  await page.close();
});

test('panel: keyboard focus shows the words, "Ignorar aquí" hides a warning for this draft only', async () => {
  const text = 'El lunes vota por Morena y el martes vota por el PAN.';
  const expected = engine.analyze(text);
  const total = expected.filter(isWarning).length;
  assert.ok(isWarning(expected[0]) && isWarning(expected[1]), `the first two findings must be warnings: ${JSON.stringify(rows(expected))}`);
  const words = (f) => [text.slice(f.start, f.end), f.start];
  const { page, world } = await ext.open('/f/prosemirror/');
  await page.click('.ProseMirror');
  await typeSlowly(page, text, { delay: 10 });
  await world.waitFor((s) => s.composers[0]?.findings.length === expected.length, { what: 'the findings' });
  assert.equal(await waitForBadge(ext, page, String(total)), String(total));

  // Alt+Shift+B moves focus to the first entry, which shows its words with the focus highlight.
  const focused = (s) => s.composers[0].highlights.filter((h) => h.name === 'blindaje-focus').map((h) => [h.text, h.flatStart]);
  await page.keyboard.press('Alt+Shift+B');
  await world.waitFor((s) => JSON.stringify(focused(s)) === JSON.stringify([words(expected[0])]), { what: 'the first entry\'s words' });
  await page.keyboard.press('ArrowDown');
  await world.waitFor((s) => JSON.stringify(focused(s)) === JSON.stringify([words(expected[1])]), { what: 'the second entry\'s words' });
  await page.keyboard.press('Tab'); // to its "Ignorar aquí" button
  await page.keyboard.press('Enter');
  let snap = await world.waitFor((s) => s.composers[0].warnings === total - 1, { what: 'one warning ignored' });
  assert.deepEqual(rows(snap.composers[0].findings), rows(expected.filter((f, i) => i !== 1)));
  assert.equal(await waitForBadge(ext, page, String(total - 1)), String(total - 1), 'an ignored warning leaves the badge');

  // Typing elsewhere keeps it ignored; the counter (never the text) is stored locally.
  await page.keyboard.press('Control+End');
  await typeSlowly(page, ' Gracias.', { delay: 10 });
  snap = await world.waitFor((s) => s.composers[0].text?.endsWith('Gracias.'), { what: 'the analysis after typing' });
  assert.equal(snap.composers[0].warnings, total - 1);

  // Mouse: hovering the first entry highlights its words; clicking its "Ignorar aquí" hides it.
  const entry = await world.evaluate('globalThis.__blindaje.point(".panel li")');
  await page.mouse.move(entry.x, entry.y);
  await world.waitFor((s) => JSON.stringify(focused(s)) === JSON.stringify([words(expected[0])]), { what: 'hover highlight' });
  const button = await world.evaluate("globalThis.__blindaje.point('.panel li button.ignore')");
  await page.mouse.click(button.x, button.y);
  snap = await world.waitFor((s) => s.composers[0].warnings === total - 2, { what: 'two ignored' });
  assert.equal(await waitForBadge(ext, page, String(total - 2 || '')), String(total - 2 || ''));
  assert.equal(await waitForEditorText(page, `${text} Gracias.`), `${text} Gracias.`, 'the draft is untouched');
  const stats = await (await ext.worker()).evaluate(() => chrome.storage.local.get('stats'));
  assert.equal(stats.stats.ignored, 2);
  assert.equal(JSON.stringify(stats).includes('Morena'), false, 'no text is stored');
  await page.close();
});
