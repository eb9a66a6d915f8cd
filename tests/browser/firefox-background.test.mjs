// Firefox has no extension service worker: the background is an event page. These tests replace it
// mid-draft, in the two ways it happens, through the DevTools protocol (lib/firefox-rdp.mjs):
//   - reload: location.reload() in the background page (a new document, new globals; the add-on stays);
//   - terminate: what Firefox does to an idle event page (about:debugging's "Terminate background
//     script"); the content script, whose frame has warnings, reconnects at once and wakes it.
// Afterwards the draft is exactly as typed, the underlines and the badge are back, typing keeps warning,
// and a draft too long for the page's engine is analysed by the new background page.
// Run: bash tests/browser/run.sh firefox-background.test.mjs (after ./build.sh)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { typeSlowly, waitForEditorText } from './lib/page-helpers.mjs';
import { testPolicy } from './lib/extension-session.mjs';
import { startFirefoxSession } from './lib/firefox-session.mjs';
import { assertDrawnExactly, isWarning, oracle, rows } from './lib/engine-oracle.mjs';

const DRAFT = 'Aviso a la ciudadanía.\nEste domingo vota por Morena, dicen que cierran.';
const MORE = ' Y el PRI roba.';
/** Above the content script's LOCAL_MAX_CHARS (20,000): such drafts go to the background's engine. */
const LONG_FILLER = 'La Comisión atiende quejas de lunes a viernes. '.repeat(440);

let ff;
let engine;
before(async () => {
  ff = await startFirefoxSession();
  engine = await oracle(testPolicy());
});
after(async () => {
  await ff?.close();
});

const warningsOf = (text) => String(engine.analyze(text).filter(isWarning).length);

async function expectDrawn(session, text, what) {
  const expected = engine.analyze(text);
  const snap = await session.world.waitFor((s) => s.composers[0]?.text === text && s.composers[0].findings.length === expected.length
    && s.composers[0].mirror?.length === expected.length, { what, timeout: 15000 });
  assert.deepEqual(rows(snap.composers[0].findings), rows(expected), `${what}: the engine's findings`);
  assertDrawnExactly(snap.composers[0], text, expected);
  assert.equal(await ff.waitForBadge(session.page, warningsOf(text)), warningsOf(text), `${what}: the badge`);
  return snap.composers[0];
}

for (const how of ['reload', 'terminate']) {
  test(`${how} the background page mid-draft: nothing is lost`, async () => {
    const session = await ff.open('/csp/textarea/');
    const { page } = session;
    await page.click('textarea');
    await session.world.waitFor((s) => s.engine.page === 'ready', { what: 'the in-page engine', timeout: 15000 });
    await typeSlowly(page, DRAFT, { delay: 5 });
    await expectDrawn(session, DRAFT, 'before');
    await ff.background.evaluate('globalThis.__testMark = "old page"');

    await ff.background[how]();
    // The background page came back as a new document (for "terminate", woken by the content script).
    assert.equal(await ff.background.evaluate('globalThis.__testMark ?? null', { timeout: 15000 }), null, 'a new background page');
    // about:debugging's status follows the page with a delay: give it a moment to say so.
    let status = await ff.background.status();
    for (let tries = 0; status !== 'RUNNING' && tries < 40; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 125));
      status = await ff.background.status();
    }
    assert.equal(status, 'RUNNING');
    assert.equal(await waitForEditorText(page, DRAFT), DRAFT, 'the draft is untouched');
    await expectDrawn(session, DRAFT, `after the ${how}`);

    // Typing keeps warning.
    await typeSlowly(page, MORE, { delay: 5 });
    assert.equal(await waitForEditorText(page, DRAFT + MORE), DRAFT + MORE);
    await expectDrawn(session, DRAFT + MORE, 'after typing more');

    // A draft past the in-page limit is analysed by the new background page.
    const long = `${LONG_FILLER}${DRAFT}`;
    assert.ok(long.length > 20000);
    await page.keyboard.down('Control');
    await page.keyboard.press('a');
    await page.keyboard.up('Control');
    await page.evaluate((t) => document.execCommand('insertText', false, t), long);
    assert.equal(await waitForEditorText(page, long), long);
    const composer = await expectDrawn(session, long, 'a long draft');
    assert.equal(composer.via, 'worker', 'the long draft was analysed in the background page');
    assert.deepEqual(session.errors, []);
    await page.close();
  });
}
