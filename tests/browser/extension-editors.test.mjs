// The extension on every editor fixture (textarea, contenteditable, Draft.js, Lexical, ProseMirror, Quill),
// served without CSP (the engine runs in the page) and with a strict CSP (it runs in the service worker):
// real typing → exactly the engine's findings, each underlined on exactly its characters, the panel
// entries, the exact badge; a clean text → nothing; typing, pasting, undo, redo and deleting leave the
// editor's text exactly as the user made it. What the engine says comes from the same wasm run in Node
// (lib/engine-oracle.mjs), so the tests hold as the rule pack grows.
// Run: node --test tests/browser/extension-editors.test.mjs (after ./build.sh)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { saveScreenshot, typeSlowly, waitForEditorText } from './lib/browser.mjs';
import { FIXTURES, UNDO_GROUP_MS } from './lib/catalog.mjs';
import { startExtensionSession, testPolicy, waitForBadge } from './lib/extension-session.mjs';
import { assertDrawnExactly, isWarning, oracle, rows } from './lib/engine-oracle.mjs';

// A personal account (no handle on these pages) in a campaign: the vote call is a warning, the rumour a
// hint. The emoji and the line break sit before the flagged words, to test offsets.
const VIOLATION = 'Información 🗳️ útil.\nEste domingo vota por Morena, dicen que cierran.';
const CLEAN = 'El voto es libre y secreto. Consulta los horarios de atención.';
const PASTED = 'Texto pegado: ¡Hola, acción cívica! 🇲🇽';
const EDITORS = ['textarea', 'contenteditable', 'draftjs', 'lexical', 'prosemirror', 'quill'];

let ext;
let expected;
before(async () => {
  ext = await startExtensionSession();
  const engine = await oracle(testPolicy());
  expected = engine.analyze(VIOLATION);
  assert.ok(expected.some((f) => f.severity === 'high') && expected.some((f) => f.severity === 'low'),
    `the test text needs a high warning and a hint under the current rules: ${JSON.stringify(rows(expected))}`);
  assert.deepEqual(engine.analyze(CLEAN), [], 'the clean text must stay clean under the current rules');
});
after(async () => {
  await ext?.close();
});

const drawnCount = (c) => (c.mirror ? c.mirror.length : c.highlights.filter((h) => h.name !== 'blindaje-focus').length);

for (const mode of ['f', 'csp']) {
  describe(`editors ${mode === 'f' ? 'without CSP' : 'with strict CSP'} (engine in the service worker, as always in Chromium)`, () => {
    for (const name of EDITORS) {
      test(`${name}`, async () => {
        const target = FIXTURES[name].targets[0];
        const warnings = String(expected.filter(isWarning).length);
        const { page, world, errors } = await ext.open(`/${mode}/${name}/`);
        await page.click(target.composer);
        // Chromium keeps the engine in the worker on every page (no wasm probe the page's CSP could report).
        await world.waitFor((s) => s.engine.page === 'off', { what: 'the engine choice', timeout: 15000 });
        await typeSlowly(page, VIOLATION, { delay: 10 });
        assert.equal(await waitForEditorText(page, VIOLATION), VIOLATION, 'model after typing');

        let snap = await world.waitFor((s) => s.composers[0]?.text === VIOLATION && s.composers[0].findings.length === expected.length,
          { what: 'the findings' });
        let composer = snap.composers[0];
        assert.equal(composer.editor, name);
        assert.deepEqual(rows(composer.findings), rows(expected), 'the engine\'s findings for the snapshot text');
        assertDrawnExactly(composer, VIOLATION, expected);
        assert.equal(composer.panel.visible, true);
        assert.deepEqual(composer.panel.entries.map((e) => [e.rule, e.severity]), expected.map((f) => [f.rule, f.severity]));
        assert.equal(composer.via, 'worker', 'where the engine ran');
        assert.equal(await waitForBadge(ext, page, warnings), warnings, 'badge: the warnings (hints do not count)');
        await saveScreenshot(page, `extension-${name}-${mode}`);

        // Paste over everything, undo, redo, delete: the editor's model is exactly what the user made.
        await page.waitForTimeout(UNDO_GROUP_MS[target.editor] + 100);
        await page.keyboard.press('Control+A');
        await page.evaluate((t) => navigator.clipboard.writeText(t), PASTED);
        await page.keyboard.press('Control+V');
        assert.equal(await waitForEditorText(page, PASTED), PASTED, 'model after paste');
        assert.equal(await waitForBadge(ext, page, ''), '', 'badge after pasting a clean text');
        await page.waitForTimeout(UNDO_GROUP_MS[target.editor] + 100);
        await page.keyboard.press('Control+Z');
        assert.equal(await waitForEditorText(page, VIOLATION), VIOLATION, 'model after undo');
        assert.equal(await waitForBadge(ext, page, warnings), warnings, 'badge after undo');
        snap = await world.waitFor((s) => s.composers[0]?.text === VIOLATION && drawnCount(s.composers[0]) === expected.length, { what: 'findings after undo' });
        assertDrawnExactly(snap.composers[0], VIOLATION, expected);
        await page.keyboard.press('Control+Shift+Z');
        assert.equal(await waitForEditorText(page, PASTED), PASTED, 'model after redo');
        await page.keyboard.press('Control+A');
        await page.keyboard.press('Backspace');
        // Chromium itself leaves a <br> in an emptied plain contenteditable (innerText "\n"), extension or not.
        const emptied = target.editor === 'contenteditable' ? '\n' : '';
        assert.equal(await waitForEditorText(page, emptied), emptied, 'model after deleting everything');
        assert.equal(await waitForBadge(ext, page, ''), '', 'badge after deleting');

        // A clean text brings nothing.
        await typeSlowly(page, CLEAN, { delay: 5 });
        assert.equal(await waitForEditorText(page, CLEAN), CLEAN, 'model after typing the clean text');
        snap = await world.waitFor((s) => s.composers[0]?.text?.trim() === CLEAN, { what: 'the clean text analysed' });
        composer = snap.composers[0];
        assert.deepEqual(composer.findings, []);
        assert.equal(drawnCount(composer), 0);
        assert.equal(composer.panel.visible, false);
        assert.equal(await waitForBadge(ext, page, ''), '');
        assert.deepEqual(errors, [], 'no page errors');
        await page.close();
      });
    }
  });
}
