// Page-side helpers for tests (Playwright or puppeteer pages): real keyboard typing, reading the editor
// model, waiting for fixtures.

const segmenter = new Intl.Segmenter('es', { granularity: 'grapheme' });

/** True for graphemes the keyboard cannot type (emoji, astral or multi-code-point clusters). */
function needsInsertText(grapheme) {
  return [...grapheme].length > 1 || grapheme.codePointAt(0) > 0xffff;
}

/** What an emoji picker or IME commit produces: Playwright's insertText; puppeteer has no such call. */
function insertText(page, text) {
  if (page.keyboard.insertText) return page.keyboard.insertText(text);
  return page.evaluate((t) => document.execCommand('insertText', false, t), text);
}

/**
 * Types `text` with real keyboard events: runs of ordinary characters via keyboard.type
 * (with `delay` ms between keys), "\n" as an Enter key press, emoji via keyboard.insertText
 * (what an OS emoji picker / IME commit produces).
 */
export async function typeSlowly(page, text, { delay = 15 } = {}) {
  let run = '';
  const flush = async () => {
    if (run) await page.keyboard.type(run, { delay });
    run = '';
  };
  for (const { segment } of segmenter.segment(text)) {
    if (segment === '\n') {
      await flush();
      await page.keyboard.press('Enter');
    } else if (needsInsertText(segment)) {
      await flush();
      await insertText(page, segment);
    } else {
      run += segment;
    }
  }
  await flush();
}

/** Waits until the fixture page installed window.__fixture. */
export async function waitForFixture(page, timeout = 10000) {
  await page.waitForFunction(() => Boolean(window.__fixture), null, { timeout });
}

/** The editor's own model text (window.__fixture.getText()), optionally of a named composer. */
export async function editorText(page, composerName) {
  return page.evaluate((name) => window.__fixture.getText(name), composerName);
}

/** Texts recorded by the fixture's "Publicar"/send actions. */
export async function publishedTexts(page) {
  return page.evaluate(() => window.__fixture.published.slice());
}

/** Polls editorText until it equals `expected` (editors update their model asynchronously). */
export async function waitForEditorText(page, expected, { composer, timeout = 5000 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await editorText(page, composer);
    if (last === expected) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return last;
}
