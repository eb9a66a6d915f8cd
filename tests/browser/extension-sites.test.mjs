// The extension on the site fixtures served under the real host names (x.com, facebook.com, …, with the
// hosts' CSP): the manifest's host list and the rule pack's site adapters are what is tested. The account
// (institutional when the policy lists the signed-in handle or the sender's domain) changes the warnings.
// Run: node --test tests/browser/extension-sites.test.mjs (after ./build.sh builds dist/chromium)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { saveScreenshot, typeSlowly, waitForEditorText } from './lib/browser.mjs';
import { FIXTURES } from './lib/catalog.mjs';
import { startExtensionSession, testPolicy, waitForBadge } from './lib/extension-session.mjs';
import { assertDrawnExactly, isWarning, oracle, rows } from './lib/engine-oracle.mjs';

// Institutional: the vote call and the rumour are warnings. Personal, in a campaign: the rumour is only a
// hint. The expected findings come from the engine itself (lib/engine-oracle.mjs).
const TEXT = 'Aviso: este domingo vota por Morena, dicen que cierran.';
const CASES = [
  { name: 'x', url: 'https://x.com/', via: 'worker', account: 'institutional', kind: 'post', site: 'x.com' },
  { name: 'x', url: 'https://x.com/?handle=juan_perez', via: 'worker', account: 'personal', kind: 'post', site: 'x.com', shot: 'x-personal' },
  { name: 'x', url: 'https://twitter.com/?view=reply', via: 'worker', account: 'institutional', kind: 'reply', site: 'twitter.com', shot: 'x-reply' },
  { name: 'facebook', url: 'https://www.facebook.com/', via: 'worker', account: 'institutional', kind: 'post', site: 'www.facebook.com' },
  { name: 'instagram', url: 'https://www.instagram.com/', via: 'worker', account: 'personal', kind: 'reply', site: 'www.instagram.com' },
  { name: 'linkedin', url: 'https://www.linkedin.com/', via: 'worker', account: 'personal', kind: 'post', site: 'www.linkedin.com' },
  { name: 'bsky', url: 'https://bsky.app/', via: 'worker', account: 'personal', kind: 'post', site: 'bsky.app' },
  { name: 'gmail', url: 'https://mail.google.com/', via: 'worker', account: 'institutional', kind: 'email', site: 'mail.google.com' },
  { name: 'gmail', url: 'https://mail.google.com/?from=juan.perez@gmail.com', via: 'worker', account: 'personal', kind: 'email', site: 'mail.google.com', shot: 'gmail-personal' },
  { name: 'outlook', url: 'https://outlook.office.com/', via: 'worker', account: 'institutional', kind: 'email', site: 'outlook.office.com' },
];

let ext;
let engine;
before(async () => {
  ext = await startExtensionSession();
  engine = await oracle(testPolicy());
  assert.ok(engine.warnings(TEXT, { account: 'institutional' }) > engine.warnings(TEXT, { account: 'personal' }),
    'the test text must warn more on an institutional account under the current rules');
});
after(async () => {
  await ext?.close();
});

for (const c of CASES) {
  test(`${c.url}: ${c.account} ${c.kind}`, async () => {
    const expected = engine.analyze(TEXT, c);
    const badge = String(expected.filter(isWarning).length);
    const { page, world, errors } = await ext.open(c.url);
    const target = FIXTURES[c.name].targets[0];
    await page.click(target.composer);
    await world.waitFor((s) => s.engine.page === 'off', { what: 'the engine choice (the worker, in Chromium)', timeout: 15000 });
    await typeSlowly(page, TEXT, { delay: 8 });
    assert.equal(await waitForEditorText(page, TEXT), TEXT);
    const snap = await world.waitFor((s) => s.composers[0]?.findings.length === expected.length, { what: 'the findings' });
    const composer = snap.composers[0];
    assert.equal(composer.context.account, c.account, 'account from the adapter and the policy');
    assert.equal(composer.context.kind, c.kind);
    assert.equal(composer.via, c.via, 'Chromium: the engine in the worker on every site');
    assert.deepEqual(rows(composer.findings), rows(expected));
    assertDrawnExactly(composer, TEXT, expected);
    assert.equal(await waitForBadge(ext, page, badge), badge);
    await saveScreenshot(page, `extension-site-${c.shot || c.name}`);
    assert.deepEqual(errors, []);
    await page.close();
  });
}
