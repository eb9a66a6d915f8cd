// Admin rollout (issue 6, extension side): the managed policy applies live to open tabs, and signed rule
// packs fetched from the policy's rulePackUrl are accepted only when valid. A 127.0.0.1 server serves,
// in turn, a valid newer pack (its new rule then warns on open pages without a reload) and every kind of
// bad pack; each is refused with the active pack still working and the reason shown in the options page.
// Run: node --test tests/browser/extension-rulepack.test.mjs (after ./build.sh builds dist/chromium)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { saveScreenshot, typeSlowly } from './lib/browser.mjs';
import { startExtensionSession, testPolicy, waitForBadge } from './lib/extension-session.mjs';
import { oracle } from './lib/engine-oracle.mjs';

const SLOGAN = 'Sigamos con la transformación sin freno.';
const keyPair = () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicB64: Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url').toString('base64') };
};
const TRUSTED = keyPair();
const STRANGER = keyPair();

/** An admin pack adding one rule (or a broken variant of it). */
function pack(version, ruleChanges = {}) {
  return JSON.stringify({
    id: 'cedh-estado', version, description: 'Paquete de prueba de la institución',
    rules: [{
      id: 'admin.eslogan-prueba', category: 'electoral', severity: 'high',
      message: 'Eslogan de campaña: es propaganda electoral.',
      guideline: 'Difundir en cuentas institucionales mensajes de carácter propagandístico-electoral.',
      match: { terms: ['transformacion sin freno'] },
      examples: { match: ['Viva la transformación sin freno'], noMatch: ['La transformación digital del archivo'] },
      ...ruleChanges,
    }],
  });
}

function envelope(json, key = TRUSTED) {
  const bytes = Buffer.from(json);
  return JSON.stringify({ format: 'blindaje-signed-pack/1', keyId: key.publicB64, pack: bytes.toString('base64'), signature: sign(null, bytes, key.privateKey).toString('base64') });
}

/** A small pack that was costly to compile: the Unicode word class repeated 40 times, in 200 rules. */
function costly() {
  const rules = Array.from({ length: 200 }, (_, i) => ({
    id: `admin.costosa-${i}`, category: 'electoral', severity: 'medium', message: 'm', guideline: 'g',
    match: { regex: ['\\w{40}'] }, examples: { match: ['a'.repeat(40)], noMatch: ['hola'] },
  }));
  return JSON.stringify({ id: 'cedh-estado', version: 3, rules });
}

function tampered() {
  const signed = JSON.parse(envelope(pack(3)));
  signed.pack = Buffer.from(pack(3).replace('sin freno', 'sin frenos')).toString('base64');
  return JSON.stringify(signed);
}

// What the pack URL answers: {status, body} | 'huge' | 'hang'.
let serve = { status: 404, body: 'No encontrado' };
const hanging = new Set();

let ext;
let options;
before(async () => {
  ext = await startExtensionSession({
    policy: (server) => testPolicy({
      rulePackUrl: `http://127.0.0.1:${server.httpPort}/pack`,
      rulePackPublicKeys: [TRUSTED.publicB64],
      updateIntervalMinutes: 60,
      enforcement: 'bloquear', // invalid: reported, the rest of the policy still applies
    }),
  });
  ext.server.route('/pack', (req, res) => {
    if (serve === 'hang') {
      hanging.add(res);
      return;
    }
    if (serve === 'huge') {
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length announced
      const chunk = Buffer.alloc(1 << 20, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 50 && res.write(chunk)) sent++;
        if (sent >= 50) res.end();
        else res.once('drain', pump);
      };
      res.on('close', () => (sent = 50));
      return pump();
    }
    res.writeHead(serve.status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    res.end(serve.body);
  });
  options = await ext.context.newPage();
  await options.goto(`chrome-extension://${ext.extensionId}/options/options.html`);
});
after(async () => {
  for (const res of hanging) res.destroy();
  await ext?.close();
});

/** Clicks "Buscar actualización ahora"; returns {pack, error} as the options page shows them then. */
async function refresh() {
  await options.bringToFront();
  const before = await options.evaluate(() => document.body.dataset.ready);
  await options.click('#refresh');
  await options.waitForFunction((b) => document.body.dataset.ready !== b && !document.querySelector('#refresh').disabled, before, { timeout: 20000 });
  return options.evaluate(() => ({
    pack: document.getElementById('pack').textContent,
    error: document.querySelector('#pack-status dd.error')?.textContent ?? null,
  }));
}

async function openDraft(url, selector) {
  const opened = await ext.open(url);
  await opened.page.click(selector);
  await typeSlowly(opened.page, SLOGAN, { delay: 8 });
  await opened.world.waitFor((s) => s.composers[0]?.text?.trim() === SLOGAN, { what: 'the draft analysed' });
  return opened;
}

const adminRule = (snap) => snap.composers[0].findings.filter((f) => f.rule === 'admin.eslogan-prueba');

let pages;
test('an invalid policy value is reported in the options page; the rest of the policy applies', async () => {
  await options.waitForSelector('#policy-problems li');
  assert.match(await options.$eval('#policy-problems', (n) => n.innerText), /enforcement: «bloquear» is not warn or confirm/);
  const { page, world } = await ext.open('/f/textarea/');
  await page.click('textarea');
  await typeSlowly(page, 'Este domingo vota por Morena.', { delay: 8 });
  await world.waitFor((s) => s.composers[0]?.findings.some((f) => f.category === 'electoral' && f.severity === 'high'),
    { what: 'a campaign warning (electoralPeriods applied)' });
  await page.close();
});

test('a valid newer signed pack is accepted and its new rule warns on open pages without a reload', async () => {
  assert.match((await refresh()).error, /HTTP 404/, 'the first fetch failed visibly');
  pages = [await openDraft('/csp/lexical/', '[data-lexical-editor="true"]'), await openDraft('/f/textarea/', 'textarea')];
  for (const { world } of pages) assert.deepEqual(adminRule(await world.snapshot()), [], 'no admin rule yet');

  serve = { status: 200, body: envelope(pack(2)) };
  const shown = await refresh();
  assert.match(shown.pack, /cedh-estado v2/);
  assert.equal(shown.error, null);
  const badge = String((await oracle(testPolicy(), pack(2))).warnings(SLOGAN));
  for (const { page, world } of pages) {
    const snap = await world.waitFor((s) => adminRule(s).length === 1, { what: 'the admin rule on an open page' });
    assert.equal(adminRule(snap)[0].excerpt, 'transformación sin freno');
    assert.equal(await waitForBadge(ext, page, badge), badge);
  }
  await saveScreenshot(pages[0].page, 'extension-admin-pack');
  const stored = await (await ext.worker()).evaluate(() => chrome.storage.local.get('adminPack'));
  assert.equal(stored.adminPack.version, 2, 'kept in storage.local for offline use');
});

const REFUSALS = [
  ['a tampered pack', () => ({ status: 200, body: tampered() }), /altered/],
  ['a pack signed by another key', () => ({ status: 200, body: envelope(pack(3), STRANGER) }), /not signed by any key/],
  ['an older version', () => ({ status: 200, body: envelope(pack(1)) }), /not newer than the active version 2/],
  ['malformed JSON', () => ({ status: 200, body: envelope('{"id": "cedh-estado", "version": 3, "rules": [') }), /line|JSON|EOF/i],
  ['a pack with an invalid regex', () => ({ status: 200, body: envelope(pack(3, { match: { regex: ['(sin freno'] } })) }), /invalid regex/],
  ['a rule failing its own examples', () => ({ status: 200, body: envelope(pack(3, { examples: { match: ['Un texto sin eslogan'], noMatch: ['hola'] } })) }), /must match but does not/],
  ['a pack over the budgets (200 rules with the regex \\w{40}: 45 KB, 7 s and 698 MB to build before)', () => ({ status: 200, body: envelope(costly()) }), /budget.*compile to more than/],
  ['a 50 MB body', () => 'huge', /over the 5242880-byte limit/],
  ['a server that hangs', () => 'hang', /no answer within 10 s/],
];

for (const [name, content, reason] of REFUSALS) {
  test(`refused: ${name}; the active pack keeps working`, async () => {
    serve = content();
    const shown = await refresh();
    assert.match(shown.error, reason);
    assert.match(shown.pack, /cedh-estado v2/, 'still the active pack');
    for (const { world } of pages) assert.equal(adminRule(await world.snapshot()).length, 1, 'its rule still warns');
  });
}

test('a policy change (a new official, disabledRules) applies to open pages without a reload', async () => {
  await saveScreenshot(options, 'extension-options');
  const { page, world } = await ext.open('/f/textarea/');
  await page.click('textarea');
  // No title before the name: with one, personalized.servidor-nombrado flags any named servant, listed or not.
  const text = 'Ana Laura Pérez Gómez encabezó la jornada; vota por Morena.';
  await typeSlowly(page, text, { delay: 5 });
  const rules = (findings) => [...new Set(findings.map((f) => f.rule))].sort().join();
  const admin = pack(2);
  const before = (await oracle(testPolicy(), admin)).analyze(text);
  const voteRule = before.find((f) => f.excerpt === 'vota por').rule; // whatever the pack calls it
  const next = testPolicy({ officials: ['Ana Laura Pérez Gómez'], disabledRules: [voteRule] });
  const after = (await oracle(next, admin)).analyze(text);
  assert.ok(!after.some((f) => f.rule === voteRule), 'disabledRules switches the rule off');
  assert.ok(after.some((f) => f.category === 'personalized') && !before.some((f) => f.category === 'personalized'), 'the new official is recognised');
  await world.waitFor((s) => s.composers[0]?.text === text && rules(s.composers[0].findings) === rules(before), { what: 'the draft analysed' });
  await ext.setPolicy(next);
  await world.waitFor((s) => rules(s.composers[0].findings) === rules(after), { what: 'the new policy applied', timeout: 15000 });
  await page.close();
});
