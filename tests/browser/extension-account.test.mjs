// Who is posting (issue 5): the chip asks when no account can be detected and remembers the answer; the
// popup shows the account (with a switch), the phase and the rule pack; an institutional address on a
// sign-up form warns; attached photos on an institutional account during a campaign bring a reminder.
// Run: node --test tests/browser/extension-account.test.mjs (after ./build.sh builds dist/chromium)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { saveScreenshot, tabIdForPage, typeSlowly } from './lib/browser.mjs';
import { startExtensionSession, testPolicy, waitForBadge } from './lib/extension-session.mjs';
import { oracle } from './lib/engine-oracle.mjs';

const TEXT = 'Aviso: este domingo vota por Morena, dicen que cierran.';
const CLEAN = 'Consulta los horarios de atención.';
const X_COMPOSER = '[data-testid="tweetTextarea_0"]';

let ext;
let institutional;
let personal;
before(async () => {
  ext = await startExtensionSession();
  const engine = await oracle(testPolicy());
  institutional = engine.warnings(TEXT, { account: 'institutional', site: 'x.com' });
  personal = engine.warnings(TEXT, { account: 'personal', site: 'x.com' });
  assert.ok(institutional > personal, 'the test text must warn more on an institutional account under the current rules');
  assert.deepEqual(engine.analyze(CLEAN, { account: 'institutional', site: 'x.com' }), [], 'the clean text must stay clean');
});
after(async () => {
  await ext?.close();
});

async function typeOnX(url, text = TEXT) {
  const opened = await ext.open(url);
  await opened.page.click(X_COMPOSER);
  await typeSlowly(opened.page, text, { delay: 8 });
  return opened;
}

async function clickUi(page, world, selector) {
  const point = await world.evaluate(`globalThis.__blindaje.point(${JSON.stringify(selector)})`);
  assert.ok(point, `${selector} is on screen`);
  await page.mouse.click(point.x, point.y);
}

/** The popup for `page`'s tab, opened as a page (?tab= names the tab). */
async function popupFor(page) {
  const tabId = await tabIdForPage(await ext.worker(), page);
  const popup = await ext.context.newPage();
  await popup.goto(`chrome-extension://${ext.extensionId}/popup/popup.html?tab=${tabId}`);
  await popup.waitForSelector('body[data-ready="true"]');
  const text = async (id) => popup.$eval(`#${id}`, (n) => n.textContent);
  /** A UI string in the browser's language (Spanish with chromium-l10n, else English). */
  const msg = (key) => popup.evaluate((k) => chrome.i18n.getMessage(k), key);
  return { popup, text, msg };
}

test('no handle on the page: the chip asks once, and the answer is remembered for the site', async () => {
  const { page, world } = await typeOnX('https://x.com/?handle=');
  let snap = await world.waitFor((s) => s.composers[0]?.chip, { what: 'the chip' });
  assert.deepEqual([snap.composers[0].context.account, snap.composers[0].context.accountSource, snap.composers[0].warnings], ['personal', 'default', personal]);
  await saveScreenshot(page, 'extension-chip');
  await clickUi(page, world, '.chip button[data-account="institutional"]');
  snap = await world.waitFor((s) => s.composers[0].warnings === institutional, { what: 'institutional warnings after the answer' });
  assert.deepEqual([snap.composers[0].context.account, snap.composers[0].context.accountSource, snap.composers[0].chip], ['institutional', 'user', false]);
  assert.equal(await waitForBadge(ext, page, String(institutional)), String(institutional));
  await page.close();

  const again = await typeOnX('https://x.com/?handle=');
  snap = await again.world.waitFor((s) => s.composers[0]?.warnings === institutional, { what: 'the remembered answer' });
  assert.equal(snap.composers[0].chip, false, 'not asked twice');
  await again.page.close();
});

test('popup: warnings, account and how it was decided, phase, rule pack; its switch corrects the account per handle', async () => {
  const { page, world } = await typeOnX('https://x.com/');
  await world.waitFor((s) => s.composers[0]?.warnings === institutional, { what: 'warnings' });
  await waitForBadge(ext, page, String(institutional));
  let { popup, text, msg } = await popupFor(page);
  assert.equal(await text('warnings'), String(institutional));
  const account = await text('account');
  for (const part of [await msg('accountInstitutional'), '@CEDH_Estado', await msg('accountSource_policy')]) assert.ok(account.includes(part), `${part} in ${account}`);
  const phase = await text('phase');
  for (const part of [await msg('phase_campaign'), 'Campaña de prueba']) assert.ok(phase.includes(part), `${part} in ${phase}`);
  assert.match(await text('pack'), /cedh-default v\d+/);
  assert.equal(await popup.isHidden('#account-switch'), true, 'a listed account cannot be switched');
  await popup.screenshot({ path: (await import('./lib/browser.mjs')).screenshotPath('extension-popup') });
  await popup.close();
  await page.close();

  const juan = await typeOnX('https://x.com/?handle=juan_perez');
  await juan.world.waitFor((s) => s.composers[0]?.warnings === personal, { what: 'personal warnings' });
  ({ popup, text, msg } = await popupFor(juan.page));
  assert.ok((await text('account')).startsWith(`${await msg('accountPersonal')}@juan_perez`));
  await popup.click('#account-switch button[data-account="institutional"]');
  await popup.close();
  const snap = await juan.world.waitFor((s) => s.composers[0].warnings === institutional, { what: 'the corrected account applied live' });
  assert.equal(snap.composers[0].context.accountSource, 'user');
  await juan.page.close();

  const other = await typeOnX('https://x.com/?handle=maria_lopez');
  const otherSnap = await other.world.waitFor((s) => s.composers[0]?.context?.handle === 'maria_lopez', { what: 'another handle' });
  assert.deepEqual([otherSnap.composers[0].context.account, otherSnap.composers[0].warnings], ['personal', personal], 'the answer was for @juan_perez only');
  await other.page.close();
});

test('an institutional address on a sign-up form warns; a personal one does not', async () => {
  for (const url of ['https://www.facebook.com/r.php', 'https://x.com/i/flow/signup']) {
    const { page, world } = await ext.open(url);
    await page.click('input[type="email"]');
    await typeSlowly(page, 'ana.perez@cedh.gob.mx', { delay: 8 });
    const snap = await world.waitFor((s) => s.composers.some((c) => c.warnings === 1), { what: 'the sign-up warning' });
    const field = snap.composers.find((c) => c.warnings === 1);
    assert.deepEqual(field.findings.map((f) => [f.category, f.severity, f.excerpt]), [['resources', 'medium', 'ana.perez@cedh.gob.mx']]);
    assert.deepEqual(field.mirror.map((m) => m.text), ['ana.perez@cedh.gob.mx']);
    assert.equal(await waitForBadge(ext, page, '1'), '1');
    await saveScreenshot(page, `extension-signup-${new URL(url).hostname}`);
    await page.fill('input[type="email"]', '');
    await page.click('input[type="email"]');
    await typeSlowly(page, 'ana.perez@gmail.com', { delay: 8 });
    await world.waitFor((s) => s.composers.every((c) => c.warnings === 0) && s.composers.some((c) => c.text === 'ana.perez@gmail.com'), { what: 'no warning' });
    assert.equal(await waitForBadge(ext, page, ''), '');
    await page.close();
  }
});

test('photos attached on an institutional account during a campaign bring a reminder (a hint)', async () => {
  const { page, world } = await typeOnX('https://x.com/', CLEAN);
  await world.waitFor((s) => s.composers[0]?.text === CLEAN && s.composers[0].findings.length === 0, { what: 'a clean draft' });
  await page.click('[aria-label="Agregar fotos o video"]');
  const snap = await world.waitFor((s) => s.composers[0].findings.length === 1, { what: 'the media reminder' });
  assert.deepEqual(snap.composers[0].findings.map((f) => [f.rule, f.severity]), [['media.recordatorio', 'low']]);
  assert.equal(snap.composers[0].panel.visible, true);
  assert.equal(await waitForBadge(ext, page, ''), '', 'a hint is not a warning');
  await saveScreenshot(page, 'extension-media');
  await page.close();

  const pedro = await typeOnX('https://x.com/?handle=pedro_gomez', CLEAN);
  await pedro.page.click('[aria-label="Agregar fotos o video"]');
  await pedro.page.waitForSelector('[data-testid="attachments"] img');
  await pedro.page.waitForTimeout(500);
  assert.deepEqual((await pedro.world.snapshot()).composers[0].findings, [], 'no reminder on a personal account');
  await pedro.page.close();
});
