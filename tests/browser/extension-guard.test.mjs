// The check before publishing (policy "enforcement": "confirm"): a click on the publish button or
// Ctrl+Enter while a high warning stands is held; "Publicar de todos modos" lets the same action through
// with the draft intact, "Revisar" returns to the text; nothing is held without warnings.
// Run: node --test tests/browser/extension-guard.test.mjs (after ./build.sh builds dist/chromium)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { publishedTexts, saveScreenshot, typeSlowly, waitForEditorText } from './lib/browser.mjs';
import { startExtensionSession, testPolicy } from './lib/extension-session.mjs';
import { isWarning, oracle } from './lib/engine-oracle.mjs';

const HIGH = 'Este domingo vota por Morena.';
const HIGH_2 = 'Hoy vota por el PAN.';
const CLEAN = 'Consulta los horarios de atención.';
const hasHigh = (s) => Boolean(s.composers[0]?.findings.some((f) => f.severity === 'high'));

let ext;
before(async () => {
  ext = await startExtensionSession({ policy: testPolicy({ enforcement: 'confirm' }) });
  const engine = await oracle(testPolicy());
  for (const context of [{ account: 'institutional', site: 'x.com' }, { account: 'institutional', site: 'facebook.com' }]) {
    for (const text of [HIGH, HIGH_2]) assert.ok(engine.analyze(text, context).some((f) => f.severity === 'high'), `«${text}» must be a high warning`);
    assert.equal(engine.analyze(CLEAN, context).filter(isWarning).length, 0, 'the clean text must stay clean');
  }
});
after(async () => {
  await ext?.close();
});

async function clickUi(page, world, selector) {
  const point = await world.evaluate(`globalThis.__blindaje.point(${JSON.stringify(selector)})`);
  assert.ok(point, `${selector} is on screen`);
  await page.mouse.click(point.x, point.y);
}

const waitPublished = async (page, n) => {
  for (let i = 0; i < 100 && (await publishedTexts(page)).length < n; i++) await page.waitForTimeout(50);
  return publishedTexts(page);
};

test('x.com: publish click and Ctrl+Enter are held while a high warning stands', async () => {
  const { page, world } = await ext.open('https://x.com/');
  await page.click('[data-testid="tweetTextarea_0"]');
  await typeSlowly(page, HIGH, { delay: 8 });
  await world.waitFor(hasHigh, { what: 'the high warning' });

  await page.click('[data-testid="tweetButtonInline"]');
  await world.waitFor((s) => s.confirmOpen, { what: 'the confirmation' });
  assert.deepEqual(await publishedTexts(page), [], 'held');
  await saveScreenshot(page, 'extension-confirm');
  await clickUi(page, world, '.confirm button.publish');
  assert.deepEqual(await waitPublished(page, 1), [HIGH], 'the same click went through, draft intact');

  await page.click('[data-testid="tweetTextarea_0"]');
  await page.keyboard.press('Control+Enter');
  await world.waitFor((s) => s.confirmOpen, { what: 'the confirmation for Ctrl+Enter' });
  assert.equal((await publishedTexts(page)).length, 1, 'Ctrl+Enter held');
  await clickUi(page, world, '.confirm button.publish');
  assert.deepEqual(await waitPublished(page, 2), [HIGH, HIGH]);
  assert.equal((await page.evaluate(() => window.__fixture.publishLog[1].via)), 'ctrl-enter', 'released as the same shortcut');

  await page.click('[data-testid="tweetButtonInline"]');
  await world.waitFor((s) => s.confirmOpen, { what: 'the confirmation again' });
  await clickUi(page, world, '.confirm button.review');
  await world.waitFor((s) => !s.confirmOpen, { what: 'the dialog closed' });
  await page.waitForTimeout(300);
  assert.equal((await publishedTexts(page)).length, 2, '"Revisar" does not publish');
  assert.equal(await waitForEditorText(page, HIGH), HIGH, 'the draft is intact');

  // Typed and sent at once (before the debounced analysis): the guard waits for the analysis and asks.
  await page.click('[data-testid="tweetTextarea_0"]');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(HIGH_2);
  await page.keyboard.press('Control+Enter');
  await world.waitFor((s) => s.confirmOpen, { what: 'the confirmation right after typing' });
  await clickUi(page, world, '.confirm button.review');

  // No warning: nothing is held.
  await page.keyboard.press('Control+A');
  await typeSlowly(page, CLEAN, { delay: 8 });
  await world.waitFor((s) => s.composers[0].text === CLEAN && s.composers[0].warnings === 0, { what: 'the clean text analysed' });
  await page.click('[data-testid="tweetButtonInline"]');
  assert.deepEqual((await waitPublished(page, 3)).slice(2), [CLEAN], 'published at once');
  assert.equal((await world.snapshot()).confirmOpen, false);
  await page.close();
});

test('facebook.com: the div button activated with Enter is held and released the same way', async () => {
  const { page, world } = await ext.open('https://www.facebook.com/');
  await page.click('[data-lexical-editor="true"]');
  await typeSlowly(page, HIGH, { delay: 8 });
  await world.waitFor(hasHigh, { what: 'the high warning' });
  await page.focus('[role="button"][aria-label="Publicar"]');
  await page.keyboard.press('Enter');
  await world.waitFor((s) => s.confirmOpen, { what: 'the confirmation' });
  assert.deepEqual(await publishedTexts(page), []);
  await clickUi(page, world, '.confirm button.publish');
  assert.deepEqual(await waitPublished(page, 1), [HIGH]);
  assert.equal(await page.evaluate(() => window.__fixture.publishLog[0].via), 'keyboard');
  await page.close();
});
