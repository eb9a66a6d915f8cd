// Issue 17, the rule-pack channel against a leaked key and a hostile page, end to end in Chromium: the
// admin's steps of ADMIN.md §12.6 (rotate a key, revoke a leaked one, recover from a too-high version) and a
// content script writing storage.local. A 127.0.0.1 server serves the signed packs; the policy is changed
// the way an admin changes it (the managed policy file).
// Run: bash tests/browser/run.sh extension-pack-trust.test.mjs (after ./build.sh builds dist/chromium)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { typeSlowly } from './lib/browser.mjs';
import { startExtensionSession, testPolicy, waitUntil } from './lib/extension-session.mjs';

const keyPair = () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicB64: Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url').toString('base64') };
};
const OLD = keyPair();
const NEW = keyPair();
const LEAKED = keyPair();

const TEXT = 'Sigamos con la transformación sin freno y el tucán plantado.';
const rule = (id, term, example) => ({
  id, category: 'electoral', severity: 'high', message: 'Eslogan de campaña.', guideline: 'Propaganda electoral.',
  match: { terms: [term] }, examples: { match: [example], noMatch: ['hola'] },
});
const ADMIN_RULE = rule('admin.eslogan-prueba', 'transformacion sin freno', 'la transformación sin freno');
const PLANTED_RULE = rule('admin.plantada', 'tucan plantado', 'el tucán plantado');

const packJson = (version, rules = [ADMIN_RULE]) => JSON.stringify({ id: 'cedh-estado', version, rules });
function envelope(json, key) {
  const bytes = Buffer.from(json);
  return JSON.stringify({ format: 'blindaje-signed-pack/1', keyId: key.publicB64, pack: bytes.toString('base64'), signature: sign(null, bytes, key.privateKey).toString('base64') });
}

let serve = { status: 404, body: '' };
let ext;
let options;
let url;
const policy = (extra) => testPolicy({ rulePackUrl: url, updateIntervalMinutes: 60, ...extra });

before(async () => {
  ext = await startExtensionSession({
    policy: (server) => {
      url = `http://127.0.0.1:${server.httpPort}/pack`;
      return policy({ rulePackPublicKeys: [OLD.publicB64] });
    },
  });
  ext.server.route('/pack', (req, res) => {
    res.writeHead(serve.status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    res.end(serve.body);
  });
  options = await ext.context.newPage();
  await options.goto(`chrome-extension://${ext.extensionId}/options/options.html`);
});
after(async () => {
  await ext?.close();
});

/** Serves `body`, clicks "Buscar actualización ahora"; returns {pack, error, refused} as the options page shows them. */
async function publish(body) {
  serve = { status: 200, body };
  await options.bringToFront();
  const before = await options.evaluate(() => document.body.dataset.ready);
  await options.click('#refresh');
  await options.waitForFunction((b) => document.body.dataset.ready !== b && !document.querySelector('#refresh').disabled, before, { timeout: 20000 });
  return shown();
}

function shown() {
  return options.evaluate(() => ({
    pack: document.getElementById('pack').textContent,
    error: document.querySelector('#pack-status dd.error:not(.refused)')?.textContent ?? null,
    refused: document.querySelector('#pack-status dd.refused')?.textContent ?? null,
  }));
}

const status = async () => (await ext.worker()).evaluate(() => globalThis.__blindaje.status());

/** The rules that fire on TEXT in a freshly opened page (its engine built from what is stored now). */
async function rulesOnNewPage() {
  const { page, world } = await ext.open('/f/textarea/');
  await page.click('textarea');
  await typeSlowly(page, TEXT, { delay: 4 });
  const snap = await world.waitFor((s) => s.composers[0]?.text === TEXT && s.composers[0].findings !== undefined, { what: 'the draft analysed' });
  await page.close();
  return new Set(snap.composers[0].findings.map((f) => f.rule));
}

test('a content script writing storage.local cannot install a pack, for any tab or the next start', async () => {
  assert.equal((await publish(envelope(packJson(2), OLD))).error, null);
  const { page, world } = await ext.open('/f/textarea/');
  // What a compromised renderer can do from the content script's world: write storage.local.
  const planted = packJson(99, [ADMIN_RULE, PLANTED_RULE]);
  const canReadSession = await world.evaluate(`(async () => {
    await chrome.storage.local.set({ adminPack: { json: ${JSON.stringify(planted)}, envelope: ${JSON.stringify(planted)}, id: 'cedh-estado', version: 99 } });
    try { await chrome.storage.session.get(null); return true; } catch { return false; }
  })()`);
  await page.close();
  assert.equal(canReadSession, false, 'storage.session is closed to content scripts');
  const rules = await rulesOnNewPage();
  assert.ok(rules.has('admin.eslogan-prueba'), 'the signed pack still applies');
  assert.ok(!rules.has('admin.plantada'), 'the planted pack never applies');
  assert.equal((await status()).info.adminPackVersion, 2);
  // The persistent copy is put back, so the next browser start does not pick the planted one either.
  await waitUntil(async () => (await (await ext.worker()).evaluate(() => chrome.storage.local.get('adminPack'))).adminPack?.version === 2,
    'the persistent copy restored');
});

test('rotate a key: both keys during the change, then the old one removed; the new-key pack keeps applying', async () => {
  await ext.setPolicy(policy({ rulePackPublicKeys: [OLD.publicB64, NEW.publicB64] }));
  assert.match((await publish(envelope(packJson(3), NEW))).pack, /cedh-estado v3/);
  await ext.setPolicy(policy({ rulePackPublicKeys: [NEW.publicB64] }));
  const info = (await status()).info;
  assert.equal(info.adminPackVersion, 3);
  assert.equal(info.adminPackRefused, null);
  assert.ok((await rulesOnNewPage()).has('admin.eslogan-prueba'));
});

test('revoke a leaked key: its pack at version 2^31−1 stops applying at once, with the reason shown', async () => {
  await ext.setPolicy(policy({ rulePackPublicKeys: [NEW.publicB64, LEAKED.publicB64] }));
  // The attacker, holding the leaked key, publishes the highest version with a pack that silences the admin rule.
  const hostile = JSON.stringify({ id: 'cedh-estado', version: 2 ** 31 - 1, disable: ['admin.eslogan-prueba'], rules: [] });
  assert.match((await publish(envelope(hostile, LEAKED))).pack, /v2147483647/);
  assert.ok(!(await rulesOnNewPage()).has('admin.eslogan-prueba'), 'the hostile pack applied while its key was listed');
  // The admin removes the leaked key from the policy; nothing else.
  await ext.setPolicy(policy({ rulePackPublicKeys: [NEW.publicB64] }));
  const info = (await status()).info;
  assert.equal(info.adminPackId, null, 'the embedded pack took over');
  assert.match(info.adminPackRefused, /not signed by any key in rulePackPublicKeys/);
  await options.reload();
  await options.waitForSelector('#pack-status dd.refused');
  assert.match((await shown()).refused, /not signed by any key/);
});

test('recover from a too-high version: a higher-or-any version signed by a current key wins', async () => {
  const over = await publish(envelope(packJson(2 ** 53 - 1), NEW));
  assert.match(over.error, /version 9007199254740991 is over the limit 2147483647/);
  const recovered = await publish(envelope(packJson(4), NEW));
  assert.equal(recovered.error, null);
  assert.match(recovered.pack, /cedh-estado v4/);
  assert.equal((await shown()).refused, null);
  assert.ok((await rulesOnNewPage()).has('admin.eslogan-prueba'));
});

test('the version floor is kept per pack id: not reset by a new URL string nor by a policy read without a URL', async () => {
  const older = envelope(packJson(3), NEW);
  assert.match((await publish(older)).error, /not newer than the active version 4/);
  const base = url;
  url = `${base}?canal=2`;
  await ext.setPolicy(policy({ rulePackPublicKeys: [NEW.publicB64] }));
  assert.match((await publish(older)).error, /not newer than the active version 4/, 'another URL string');
  url = undefined;
  await ext.setPolicy(policy({ rulePackPublicKeys: [NEW.publicB64] }));
  await (await ext.worker()).evaluate(() => globalThis.__blindaje.refresh());
  url = base;
  await ext.setPolicy(policy({ rulePackPublicKeys: [NEW.publicB64] }));
  assert.match((await publish(older)).error, /not newer than the active version 4/, 'after a policy without rulePackUrl');
  assert.equal((await status()).info.adminPackVersion, 4);
});

test('a content script gets neither the status (policy, other tabs\' counts) nor a pack refresh', async () => {
  const { page, world } = await ext.open('/f/textarea/');
  const before = ext.server.requests.filter((r) => r.path === '/pack').length;
  const answers = await world.evaluate(`Promise.all([
    chrome.runtime.sendMessage({ type: 'status', tabId: 1 }),
    chrome.runtime.sendMessage({ type: 'refresh-pack' }),
  ])`);
  await page.close();
  for (const answer of answers) {
    assert.match(answer.error, /only the extension's own pages/);
    assert.equal(answer.policy, undefined, 'no policy');
    assert.equal(answer.warnings, undefined, 'no tab count');
  }
  assert.equal(ext.server.requests.filter((r) => r.path === '/pack').length, before, 'no fetch');
});

test('pack refreshes are throttled: a burst, then one every few seconds', async () => {
  serve = { status: 200, body: envelope(packJson(4), NEW) };
  const before = ext.server.requests.filter((r) => r.path === '/pack').length;
  const answers = await options.evaluate(async () => {
    const out = [];
    for (let i = 0; i < 40; i++) out.push(await chrome.runtime.sendMessage({ type: 'refresh-pack' }));
    return out;
  });
  const fetched = ext.server.requests.filter((r) => r.path === '/pack').length - before;
  assert.ok(fetched <= 22, `${fetched} fetches for 40 requests`);
  assert.ok(answers.some((a) => /too many update requests/.test(a && a.error)), 'the caller is told');
});
