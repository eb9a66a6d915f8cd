// The extension in Firefox (firefox-esr, dist/firefox) on the editor fixtures (textarea, Draft.js,
// Lexical, ProseMirror), served without CSP and with a strict CSP, and on x.com (static content script,
// strict CSP, institutional handle). In Firefox content scripts are not bound by the page's CSP, so the
// engine runs in the page in both cases (asserted). Real typing → exactly the engine's findings, each
// underlined on exactly its characters (read from CSS.highlights or the textarea mirror), the panel's
// entries, the toolbar badge; deleting and a clean text → nothing; the editor's text stays exactly as typed.
// Run: bash tests/browser/run.sh firefox-editors.test.mjs (after ./build.sh)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { typeSlowly, waitForEditorText } from './lib/page-helpers.mjs';
import { FIXTURES } from './lib/catalog.mjs';
import { testPolicy } from './lib/extension-session.mjs';
import { startFirefoxSession } from './lib/firefox-session.mjs';
import { assertDrawnExactly, isWarning, oracle, rows } from './lib/engine-oracle.mjs';

// The same texts as the Chromium suite: an emoji and a line break before the flagged words test offsets.
const VIOLATION = 'Información 🗳️ útil.\nEste domingo vota por Morena, dicen que cierran.';
const CLEAN = 'El voto es libre y secreto. Consulta los horarios de atención.';
const EDITORS = ['textarea', 'draftjs', 'lexical', 'prosemirror'];

let ff;
let engine;
before(async () => {
  ff = await startFirefoxSession();
  engine = await oracle(testPolicy());
  const expected = engine.analyze(VIOLATION);
  assert.ok(expected.some((f) => f.severity === 'high') && expected.some((f) => f.severity === 'low'),
    `the test text needs a high warning and a hint under the current rules: ${JSON.stringify(rows(expected))}`);
  assert.deepEqual(engine.analyze(CLEAN), [], 'the clean text must stay clean under the current rules');
});
after(async () => {
  await ff?.close();
});

const drawnCount = (c) => (c.mirror ? c.mirror.length : c.highlights.filter((h) => h.name !== 'blindaje-focus').length);

async function selectAllAndDelete(page) {
  await page.keyboard.down('Control');
  await page.keyboard.press('a');
  await page.keyboard.up('Control');
  await page.keyboard.press('Backspace');
}

/** Types `text` into the composer and checks what the user sees against the engine's findings for it. */
async function typeAndCheck({ page, world }, text, context) {
  await typeSlowly(page, text, { delay: 10 });
  assert.equal(await waitForEditorText(page, text), text, 'the editor\'s text is exactly what was typed');
  const expected = engine.analyze(text, context);
  const snap = await world.waitFor((s) => s.composers[0]?.text === text && s.composers[0].findings.length === expected.length
    && drawnCount(s.composers[0]) === expected.filter((f) => f.end > f.start).length, { what: 'the findings drawn' });
  const composer = snap.composers[0];
  assert.deepEqual(rows(composer.findings), rows(expected), 'the engine\'s findings for the snapshot text');
  assertDrawnExactly(composer, text, expected);
  assert.equal(composer.panel.visible, true, 'the panel is shown');
  assert.deepEqual(composer.panel.entries.map((e) => [e.rule, e.severity]), expected.map((f) => [f.rule, f.severity]), 'panel entries');
  for (const [i, entry] of composer.panel.entries.entries()) {
    assert.ok(entry.text.includes(expected[i].message), `panel entry ${i} shows the rule's message`);
  }
  assert.equal(composer.via, 'page', 'Firefox runs the engine in the page');
  const warnings = String(expected.filter(isWarning).length);
  assert.equal(await ff.waitForBadge(page, warnings), warnings, 'badge: the warnings (hints do not count)');
  return composer;
}

async function clearAndTypeClean({ page, world }, editor) {
  await selectAllAndDelete(page);
  assert.equal(await waitForEditorText(page, ''), '', 'the editor is empty after deleting everything');
  assert.equal(await ff.waitForBadge(page, ''), '', 'no badge after deleting');
  await typeSlowly(page, CLEAN, { delay: 5 });
  assert.equal(await waitForEditorText(page, CLEAN), CLEAN, 'the clean text, exactly as typed');
  const snap = await world.waitFor((s) => s.composers[0]?.text?.trim() === CLEAN, { what: 'the clean text analysed' });
  assert.equal(snap.composers[0].editor, editor);
  assert.deepEqual(snap.composers[0].findings, []);
  assert.equal(drawnCount(snap.composers[0]), 0, 'nothing underlined');
  assert.equal(snap.composers[0].panel.visible, false, 'no panel');
  assert.equal(await ff.waitForBadge(page, ''), '');
}

for (const mode of ['f', 'csp']) {
  describe(`Firefox editors ${mode === 'f' ? 'without CSP' : 'with strict CSP'} (engine in the page)`, () => {
    for (const name of EDITORS) {
      test(name, async () => {
        const session = await ff.open(`/${mode}/${name}/`);
        await session.page.click(FIXTURES[name].targets[0].composer);
        // The wasm probe succeeds even under script-src 'self': Firefox does not apply the page's CSP.
        await session.world.waitFor((s) => s.engine.page === 'ready', { what: 'the in-page engine', timeout: 15000 });
        const composer = await typeAndCheck(session, VIOLATION, {});
        assert.equal(composer.editor, name);
        await clearAndTypeClean(session, name);
        assert.deepEqual(session.errors, [], 'no page errors');
        await session.page.close();
      });
    }
  });
}

test('x.com: static content script, strict CSP, institutional handle from the policy', async () => {
  const session = await ff.open('https://x.com/');
  await session.page.click(FIXTURES.x.targets[0].composer);
  const ready = await session.world.waitFor((s) => s.engine.page === 'ready' && s.composers.length > 0, { what: 'the in-page engine', timeout: 15000 });
  assert.equal(ready.composers[0].editor, 'draftjs');
  const text = 'Este domingo vota por Morena.';
  const composer = await typeAndCheck(session, text, { account: 'institutional', site: 'x.com' });
  assert.equal(composer.context.account, 'institutional');
  assert.equal(composer.context.accountSource, 'policy');
  assert.deepEqual(session.errors, [], 'no page errors');
  await session.page.close();
});
