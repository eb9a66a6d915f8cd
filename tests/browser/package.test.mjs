// ./build.sh package, checked on its outputs: node extension/package.mjs into a temporary folder, with
// HOME there too (the CRX key is generated once at ~/.config/blindaje/crx-key.pem and reused) and with a
// key given by BLINDAJE_CRX_KEY. Release packages carry no "key"; the CRX is a CRX3 whose embedded id
// is the one computed from the key and named by updates.xml; the xpi carries the gecko id and the
// update URL; updates.json points at the xpi with its hash; BLINDAJE_SIGNED_XPI (the xpi Mozilla signed)
// replaces the unsigned one, and updates.json then names its hash. Needs target/pkg (./build.sh) and chromium.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCRIPT = join(root, 'extension', 'package.mjs');
const version = readFileSync(join(root, 'Cargo.toml'), 'utf8').match(/^version\s*=\s*"([^"+-]+)/m)[1];
const BASE = 'https://descargas.cedh.example/blindaje/';

let tmp;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'blindaje-package-test-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

function runPackage(out, env = {}) {
  return spawnSync('node', [SCRIPT, '--pkg', join(root, 'target', 'pkg'), '--out', out], {
    encoding: 'utf8', env: { ...process.env, HOME: tmp, BLINDAJE_CRX_KEY: '', BLINDAJE_SIGNED_XPI: '', BLINDAJE_UPDATE_BASE_URL: BASE, ...env },
  });
}

const manifestIn = (archive) => JSON.parse(execFileSync('unzip', ['-p', archive, 'manifest.json'], { encoding: 'utf8' }));
const idFromHex = (hex) => [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');

/** The crx_id inside a CRX3 header (SignedData, field 10000 of CrxFileHeader) as an extension id. */
function crxEmbeddedId(bytes) {
  assert.equal(bytes.subarray(0, 4).toString('latin1'), 'Cr24', 'CRX magic');
  assert.equal(bytes.readUInt32LE(4), 3, 'CRX version 3');
  const header = bytes.subarray(12, 12 + bytes.readUInt32LE(8));
  const at = header.indexOf(Buffer.from([0x82, 0xf1, 0x04])); // tag of field 10000, length-delimited
  assert.ok(at >= 0, 'the CRX header has signed_header_data');
  const signed = header.subarray(at + 4, at + 4 + header[at + 3]);
  assert.deepEqual([signed[0], signed[1]], [0x0a, 16], 'SignedData.crx_id is 16 bytes');
  return idFromHex(signed.subarray(2, 18).toString('hex'));
}

function checkOutputs(out, stdout) {
  const id = stdout.match(/Chrome extension id ([a-p]{32})/)[1];
  const zip = join(out, `blindaje-chromium-${version}.zip`);
  const crx = join(out, `blindaje-chromium-${version}.crx`);
  const xpi = join(out, `blindaje-firefox-${version}.xpi`);
  for (const file of [zip, crx, xpi, join(out, 'updates.xml'), join(out, 'updates.json')]) assert.ok(existsSync(file), `${file} written`);

  const store = manifestIn(zip);
  assert.equal(store.version, version);
  assert.ok(!('key' in store), 'the store zip has no key');
  assert.ok(!('update_url' in store), 'the store zip has no update_url');
  assert.ok(store.background.service_worker);

  assert.equal(crxEmbeddedId(readFileSync(crx)), id, 'the CRX is signed with the key the id was computed from');
  const xml = readFileSync(join(out, 'updates.xml'), 'utf8');
  assert.match(xml, new RegExp(`<app appid='${id}'>`));
  assert.match(xml, new RegExp(`codebase='${BASE}blindaje-chromium-${version}\\.crx' version='${version}'`));

  const firefox = manifestIn(xpi);
  assert.ok(!('key' in firefox), 'the xpi has no key');
  assert.equal(firefox.browser_specific_settings.gecko.id, 'blindaje-electoral@cedh.gob.mx');
  assert.equal(firefox.browser_specific_settings.gecko.update_url, `${BASE}updates.json`);
  assert.deepEqual(firefox.background.scripts, ['background.js']);
  const updates = JSON.parse(readFileSync(join(out, 'updates.json'), 'utf8'));
  assert.deepEqual(updates.addons['blindaje-electoral@cedh.gob.mx'].updates, [{
    version, update_link: `${BASE}blindaje-firefox-${version}.xpi`,
    update_hash: `sha256:${createHash('sha256').update(readFileSync(xpi)).digest('hex')}`,
  }]);
  return id;
}

test('without BLINDAJE_CRX_KEY: a key is generated once under ~/.config/blindaje and reused', () => {
  const first = runPackage(join(tmp, 'one'));
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /crx-key\.pem \(new: generated now\)/);
  assert.ok(existsSync(join(tmp, '.config', 'blindaje', 'crx-key.pem')));
  const id = checkOutputs(join(tmp, 'one'), first.stdout);
  const second = runPackage(join(tmp, 'two'));
  assert.equal(second.status, 0, second.stderr);
  assert.doesNotMatch(second.stdout, /generated now/);
  assert.equal(checkOutputs(join(tmp, 'two'), second.stdout), id, 'the same key gives the same id');
});

test('BLINDAJE_CRX_KEY: the admin\'s key signs the CRX; bad settings are named', () => {
  const keyFile = join(tmp, 'admin-key.pem');
  writeFileSync(keyFile, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const run = runPackage(join(tmp, 'admin'), { BLINDAJE_CRX_KEY: keyFile });
  assert.equal(run.status, 0, run.stderr);
  const id = checkOutputs(join(tmp, 'admin'), run.stdout);
  assert.doesNotMatch(readFileSync(join(tmp, 'one', 'updates.xml'), 'utf8'), new RegExp(id), 'another key, another id');

  const missing = runPackage(join(tmp, 'bad'), { BLINDAJE_CRX_KEY: join(tmp, 'nope.pem') });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /BLINDAJE_CRX_KEY names .*nope\.pem, which does not exist/);
  const http = runPackage(join(tmp, 'bad'), { BLINDAJE_UPDATE_BASE_URL: 'http://descargas.example/' });
  assert.equal(http.status, 2);
  assert.match(http.stderr, /BLINDAJE_UPDATE_BASE_URL must be https/);
});

test('BLINDAJE_SIGNED_XPI: the signed xpi is shipped and hashed; another version is refused', () => {
  // A stand-in for Mozilla's signature: the unsigned xpi with a META-INF file added (what signing adds).
  const signed = join(tmp, 'signed.xpi');
  execFileSync('cp', [join(tmp, 'one', `blindaje-firefox-${version}.xpi`), signed]);
  execFileSync('sh', ['-c', 'mkdir -p "$1/META-INF" && echo firma > "$1/META-INF/mozilla.rsa" && cd "$1" && zip -q "$2" META-INF/mozilla.rsa', 'sh', join(tmp, 'sig'), signed]);
  const run = runPackage(join(tmp, 'signed-out'), { BLINDAJE_SIGNED_XPI: signed });
  assert.equal(run.status, 0, run.stderr);
  const shipped = readFileSync(join(tmp, 'signed-out', `blindaje-firefox-${version}.xpi`));
  assert.deepEqual(shipped, readFileSync(signed), 'the signed xpi is the one shipped');
  checkOutputs(join(tmp, 'signed-out'), run.stdout);

  const other = join(tmp, 'other.xpi');
  execFileSync('sh', ['-c', 'mkdir -p "$1" && cd "$1" && printf \'{"version": "0.0.1", "browser_specific_settings": {"gecko": {"id": "blindaje-electoral@cedh.gob.mx"}}}\' > manifest.json && zip -q "$2" manifest.json',
    'sh', join(tmp, 'other'), other]);
  const refused = runPackage(join(tmp, 'bad'), { BLINDAJE_SIGNED_XPI: other });
  assert.equal(refused.status, 2);
  assert.ok(refused.stderr.includes(`is blindaje-electoral@cedh.gob.mx 0.0.1, expected blindaje-electoral@cedh.gob.mx ${version}`), refused.stderr);
});
