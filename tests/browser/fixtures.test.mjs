// Proves the fixture pages work with real keyboard input in plain Chromium (no extension), with and
// without the strict CSP and under the real host names, so extension tests can rely on them.
// Run: node --test --test-concurrency=1 tests/browser/fixtures.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { buildFixtures, fixtureNames, FIXTURES_OUT } from './build-fixtures.mjs';
import { startServer } from './lib/server.mjs';
import { launchBrowser, saveScreenshot, typeSlowly, waitForEditorText, waitForFixture, editorText } from './lib/browser.mjs';
import { FIXTURES, UNDO_GROUP_MS } from './lib/catalog.mjs';
import { siteUrls, STRICT_CSP } from './lib/sites.mjs';

const TYPED = 'Información pública: año 2027, señor Ñúñez 🗳️\n¿Cómo estás? ¡Éxito!';
const PASTED = 'Texto pegado: ¡Hola, acción cívica! 🇲🇽';
const TYPED_LINE = 'ana.perez@cedh.gob.mx';
const PASTED_LINE = 'juan.perez@correo.mx';

let server;
let browser;

before(async () => {
  if (!existsSync(FIXTURES_OUT) || process.env.BUILD_FIXTURES) await buildFixtures();
  server = await startServer();
  browser = await launchBrowser({ server });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens `url` in a new page, collecting page errors; returns {page, errors}. */
async function open(url) {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const response = await page.goto(url);
  await waitForFixture(page);
  return { page, errors, response };
}

/** The frame holding the composer (the page itself unless the fixture uses an iframe). */
async function composerFrame(page, spec) {
  if (!spec.frame) return page.mainFrame();
  const handle = await page.waitForSelector(spec.frame);
  const frame = await handle.contentFrame();
  await frame.waitForFunction(() => document.documentElement.dataset.fixtureReady === 'true');
  return frame;
}

/** Real paste: put text on the (headless) clipboard from the focused frame, then Ctrl+V. */
async function paste(page, frame, text) {
  await frame.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press('Control+V');
}

/** Types, pastes over a select-all, undoes and redoes in one composer, asserting the model each time. */
async function exerciseComposer(page, frame, target) {
  const typed = target.singleLine ? TYPED_LINE : TYPED;
  const pasted = target.singleLine ? PASTED_LINE : PASTED;
  const read = (expected) => waitForEditorText(page, expected, { composer: target.name });
  await frame.click(target.composer);
  await typeSlowly(page, typed, { delay: 5 });
  assert.equal(await read(typed), typed, 'model text after typing');
  await page.waitForTimeout(UNDO_GROUP_MS[target.editor] + 100);
  await page.keyboard.press('Control+A');
  await paste(page, frame, pasted);
  assert.equal(await read(pasted), pasted, 'model text after select-all + paste');
  await page.waitForTimeout(UNDO_GROUP_MS[target.editor] + 100);
  await page.keyboard.press('Control+Z');
  assert.equal(await read(typed), typed, 'model text after undo');
  await page.keyboard.press('Control+Shift+Z');
  assert.equal(await read(pasted), pasted, 'model text after redo');
  return pasted;
}

async function assertPublishes(page, frame, spec, expected) {
  await frame.click(spec.publish);
  const published = await page.evaluate(() => window.__fixture.published.slice());
  assert.equal(published.at(-1), expected, 'publish button records the text');
  if (spec.ctrlEnter) {
    await frame.click(spec.targets[0].composer);
    await page.keyboard.press('Control+Enter');
    const count = await page.evaluate(() => window.__fixture.published.length);
    assert.equal(count, published.length + 1, 'Ctrl+Enter publishes');
  }
}

describe('fixture catalog', () => {
  test('every built fixture has a catalog entry and vice versa', () => {
    assert.deepEqual(fixtureNames(), Object.keys(FIXTURES).sort());
  });
});

for (const mode of ['f', 'csp']) {
  describe(`fixtures under /${mode}/ (${mode === 'csp' ? 'strict CSP' : 'no CSP'})`, () => {
    for (const [name, spec] of Object.entries(FIXTURES)) {
      test(name, async () => {
        const { page, errors, response } = await open(`${server.origin}/${mode}/${name}/`);
        assert.equal(response.headers()['content-security-policy'], mode === 'csp' ? STRICT_CSP : undefined);
        const frame = await composerFrame(page, spec);
        let last;
        for (const target of spec.targets) {
          await frame.waitForSelector(target.composer);
          last = await exerciseComposer(page, frame, target);
        }
        await assertPublishes(page, frame, spec, last);
        if (mode === 'csp') await saveScreenshot(page, `fixture-${name}`);
        assert.deepEqual(errors, [], 'no page errors');
        await page.close();
      });
    }
  });
}

describe('strict CSP is really enforced', () => {
  test('page script: eval and wasm allowed under /f/, blocked under /csp/, x.com and mail.google.com', async () => {
    const allowed = { eval: 'allowed', wasm: 'allowed' };
    const blocked = { eval: 'blocked', wasm: 'blocked' };
    for (const [url, expected] of [
      [`${server.origin}/f/textarea/?cspProbe`, allowed],
      [`${server.origin}/csp/textarea/?cspProbe`, blocked],
      ['https://x.com/?cspProbe', blocked],
      ['https://www.facebook.com/?cspProbe', blocked],
      ['https://mail.google.com/?cspProbe', blocked],
      ['https://www.linkedin.com/?cspProbe', allowed],
    ]) {
      const { page } = await open(url);
      assert.deepEqual(await page.evaluate(() => window.__fixture.cspProbe), expected, url);
      await page.close();
    }
  });

  test('gmail enforces Trusted Types (innerHTML with a string throws)', async () => {
    const { page } = await open('https://mail.google.com/');
    const result = await page.evaluate(() => {
      try {
        document.createElement('div').innerHTML = '<b>x</b>';
        return 'allowed';
      } catch {
        return 'blocked';
      }
    });
    assert.equal(result, 'blocked');
    await page.close();
  });
});

describe('site fixtures under their real host names', () => {
  for (const [name, url] of Object.entries(siteUrls())) {
    test(`${name} at ${url}`, async () => {
      const spec = FIXTURES[name];
      const { page, errors } = await open(url);
      assert.equal(new URL(page.url()).hostname, new URL(url).hostname);
      const target = spec.targets[0];
      await page.click(target.composer);
      await typeSlowly(page, TYPED, { delay: 5 });
      assert.equal(await waitForEditorText(page, TYPED), TYPED);
      await assertPublishes(page, page.mainFrame(), spec, TYPED);
      await saveScreenshot(page, `site-${name}`);
      assert.deepEqual(errors, [], 'no page errors');
      await page.close();
    });
  }

  test('twitter.com and www.facebook.com serve the same fixtures', async () => {
    for (const [url, editor] of [['https://twitter.com/home', 'draftjs'], ['https://www.facebook.com/', 'lexical']]) {
      const { page } = await open(url);
      assert.equal(await page.evaluate(() => window.__fixture.editor), editor);
      await page.close();
    }
  });

  test('signup page on facebook.com/r.php', async () => {
    const { page } = await open('https://www.facebook.com/r.php');
    await page.fill('input[type="email"]', 'ana@cedh.gob.mx');
    await page.click('form#reg button[type="submit"]');
    assert.deepEqual(await page.evaluate(() => window.__fixture.published), ['ana@cedh.gob.mx']);
    await page.close();
  });
});

describe('account switches by query string', () => {
  const cases = [
    ['https://x.com/', '[data-testid="SideNav_AccountSwitcher_Button"]', /@CEDH_Estado/],
    ['https://x.com/?handle=CEDH_Estado', '[data-testid="SideNav_AccountSwitcher_Button"]', /CEDH Estado @CEDH_Estado/],
    ['https://x.com/?handle=juan_perez', '[data-testid="SideNav_AccountSwitcher_Button"]', /@juan_perez/],
    ['https://x.com/?handle=', '[data-testid="SideNav_AccountSwitcher_Button"]', null],
    ['https://www.facebook.com/?handle=juan_perez', '[aria-label="Tu perfil"]', /@juan_perez/],
    ['https://www.facebook.com/?handle=', '[aria-label="Tu perfil"]', null],
    ['https://mail.google.com/?from=ana@cedh.gob.mx', 'input[name="from"]', /^ana@cedh\.gob\.mx$/],
    ['https://mail.google.com/?from=juan.perez@gmail.com', 'input[name="from"]', /^juan\.perez@gmail\.com$/],
    ['https://mail.google.com/?from=', 'input[name="from"]', null],
    ['https://outlook.office.com/?from=ana@cedh.gob.mx', 'button[aria-label^="De:"]', /^ana@cedh\.gob\.mx$/],
  ];
  for (const [url, selector, expected] of cases) {
    test(`${url} → ${expected ?? 'no element'}`, async () => {
      const { page } = await open(url);
      const values = await page.$$eval(selector, (nodes) => nodes.map((n) => n.value || n.textContent));
      if (expected === null) assert.deepEqual(values, []);
      else {
        assert.equal(values.length, 1);
        assert.match(values[0], expected);
      }
      await page.close();
    });
  }
});

describe('dynamic and special fixtures', () => {
  test('x reply view: composer inside the conversation, after the post', async () => {
    const { page } = await open('https://x.com/?view=reply');
    const inside = await page.$eval('[data-testid="tweetTextarea_0"]', (n) => Boolean(n.closest('[aria-label="Cronología: Conversación"]')));
    assert.equal(inside, true);
    assert.equal(await page.textContent('[data-testid="tweetButtonInline"]'), 'Responder');
    await page.close();
  });

  test('x: attach an image shows [data-testid=attachments] inside the composer', async () => {
    const { page } = await open('https://x.com/');
    await page.click('[aria-label="Agregar fotos o video"]');
    assert.equal(await page.locator('[data-testid="inline-composer"] [data-testid="attachments"] img').count(), 1);
    await page.close();
  });

  test('spa: composers appear later; pushState view swaps in composer c', async () => {
    const { page } = await open(`${server.origin}/csp/spa/?delay=300`);
    await page.waitForSelector('section[data-composer="b"] .ProseMirror');
    const appearances = await page.evaluate(() => window.__fixture.appearances.map((a) => [a.name, a.afterMs >= 300 * (a.name === 'b' ? 2 : 1)]));
    assert.deepEqual(appearances, [['a', true], ['b', true]], 'a after the delay, b after twice the delay');
    await page.click('[data-testid="spa-navigate"]');
    await page.waitForSelector('section[data-composer="c"] [data-lexical-editor="true"]');
    assert.equal(await page.locator('section[data-composer="a"]').count(), 0);
    await page.click('section[data-composer="c"] [data-lexical-editor="true"]');
    await typeSlowly(page, 'Otra vista ñ');
    assert.equal(await waitForEditorText(page, 'Otra vista ñ', { composer: 'c' }), 'Otra vista ñ');
    assert.match(page.url(), /#otra$/);
    await page.close();
  });

  test('shadow: the composer lives in an open shadow root', async () => {
    const { page } = await open(`${server.origin}/csp/shadow/`);
    const info = await page.evaluate(() => {
      const host = document.querySelector('bj-composer');
      return { open: Boolean(host.shadowRoot), inLight: document.querySelectorAll('[contenteditable]').length };
    });
    assert.deepEqual(info, { open: true, inLight: 0 });
    await page.close();
  });

  test('media: "Adjuntar imagen" shows a preview inside the composer box', async () => {
    const { page } = await open(`${server.origin}/csp/media/`);
    assert.equal(await page.isVisible('[data-testid="media-preview"]'), false);
    await page.click('[data-testid="attach-image"]');
    assert.equal(await page.locator('.composer-box [data-testid="media-preview"] img').count(), 1);
    assert.equal(await page.evaluate(() => window.__fixture.mediaCount()), 1);
    await saveScreenshot(page, 'media-with-preview');
    await page.close();
  });

  test('publishLog records trusted clicks and synthetic re-clicks', async () => {
    const { page } = await open(`${server.origin}/csp/textarea/`);
    await page.click('textarea');
    await page.keyboard.type('hola');
    await page.click('[data-testid="publish"]');
    await page.evaluate(() => document.querySelector('[data-testid="publish"]').click());
    const log = await page.evaluate(() => window.__fixture.publishLog.map((e) => [e.text, e.via, e.trusted]));
    assert.deepEqual(log, [['hola', 'click', true], ['hola', 'click', false]]);
    assert.equal(await editorText(page), 'hola');
    await page.close();
  });
});
