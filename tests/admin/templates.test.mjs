// Admin templates (issue 6): generated from schema.json for an extension id, every property in every
// template, typed as each format needs; errors exit 2 naming the key or id; a property added to the
// schema reaches every template without touching the generator.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { expectTemplates } from './expect.mjs';
import { DEV_ID, EXAMPLE, GECKO_ID, ROOT, SCHEMA, generate, readJsonFile, tempDir } from './lib.mjs';

const DEFAULT_URLS = {
  updateUrl: 'https://extensiones.example.gob.mx/blindaje/updates.xml',
  xpiUrl: 'https://extensiones.example.gob.mx/blindaje/blindaje-electoral.xpi',
};

function writeTemp(name, value) {
  const file = join(tempDir(), name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

test('the example policy sets every schema property, with a value of the schema type', () => {
  assert.deepEqual(Object.keys(EXAMPLE).sort(), Object.keys(SCHEMA.properties).sort());
});

test('the example policy is valid for the engine (blindaje policy validate)', (t) => {
  const cli = join(ROOT, 'target/release/blindaje');
  if (!existsSync(cli)) return t.skip('target/release/blindaje not built (./build.sh builds it)');
  const run = spawnSync(cli, ['policy', 'validate', join(ROOT, 'extension/admin/example-policy.json')], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.doesNotMatch(run.stderr + run.stdout, /warning|aviso/i);
});

test('every template holds every property of the example, typed per format', () => {
  const { status, stderr, out } = generate(['--id', DEV_ID]);
  assert.equal(status, 0, stderr);
  const checks = expectTemplates(out, { id: DEV_ID, geckoId: GECKO_ID, policy: EXAMPLE, schema: SCHEMA, ...DEFAULT_URLS });
  assert.equal(checks, Object.keys(SCHEMA.properties).length * 10);
});

test('a given policy, ids and URLs; quotes, backslashes and markup survive every format', () => {
  const policy = { organizationName: 'CEDH "Oficina \\ Central" <norte> & sur', updateIntervalMinutes: 5, enforcement: 'warn', sites: [] };
  const args = { id: 'abcdefghijklmnopabcdefghijklmnop', geckoId: '{0f8e3c3a-1b2c-4d5e-8f90-1234567890ab}', updateUrl: 'https://cdn.cedh.gob.mx/u.xml', xpiUrl: 'https://cdn.cedh.gob.mx/b.xpi' };
  const { status, stderr, out } = generate(['--id', args.id, '--gecko-id', args.geckoId, '--policy', writeTemp('p.json', policy),
    '--update-url', args.updateUrl, '--xpi-url', args.xpiUrl]);
  assert.equal(status, 0, stderr);
  expectTemplates(out, { ...args, policy, schema: SCHEMA });
});

test('the profile is the same on every run for an id (UUIDs derived from it) and differs for another id', () => {
  const first = generate(['--id', DEV_ID]);
  const again = generate(['--id', DEV_ID]);
  const other = generate(['--id', 'abcdefghijklmnopabcdefghijklmnop']);
  const read = (out) => readFileSync(join(out, 'macos/blindaje.mobileconfig'), 'utf8');
  assert.equal(read(first.out), read(again.out));
  const uuids = (text) => text.match(/[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}/g);
  assert.equal(uuids(read(first.out)).filter((u) => uuids(read(other.out)).includes(u)).length, 0);
});

test('regenerating into its own folder replaces it; a folder it did not make is refused', () => {
  const { out } = generate(['--id', DEV_ID]);
  assert.equal(generate(['--id', DEV_ID], out).status, 0);
  const foreign = tempDir();
  writeFileSync(join(foreign, 'notas.txt'), 'del administrador');
  const refused = generate(['--id', DEV_ID], foreign);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /not empty/);
  assert.ok(existsSync(join(foreign, 'notas.txt')));
});

for (const [what, args, pattern] of [
  ['a bad extension id', ['--id', 'mdlfnbeclhghlojcmgekbfjgaedojjcz'], /invalid extension id "mdlfnbeclhghlojcmgekbfjgaedojjcz"/],
  ['a short extension id', ['--id', 'abc'], /invalid extension id "abc"/],
  ['a bad Firefox id', ['--id', DEV_ID, '--gecko-id', 'blindaje'], /invalid Firefox add-on id "blindaje"/],
  ['an http update URL', ['--id', DEV_ID, '--update-url', 'http://x.example/u.xml'], /--update-url/],
  ['an unknown policy key', ['--id', DEV_ID, '--policy', () => writeTemp('p.json', { organizationName: 'CEDH', modoEstricto: true })], /unknown key "modoEstricto"/],
  ['an unknown nested key', ['--id', DEV_ID, '--policy', () => writeTemp('p.json', { institutionalAccounts: [{ site: 'x.com', user: 'a' }] })], /unknown key "institutionalAccounts\[0\]\.user"/],
  ['a wrong type', ['--id', DEV_ID, '--policy', () => writeTemp('p.json', { updateIntervalMinutes: '360' })], /updateIntervalMinutes: expected an integer/],
  ['a fraction for an integer', ['--id', DEV_ID, '--policy', () => writeTemp('p.json', { updateIntervalMinutes: 1.5 })], /updateIntervalMinutes: expected an integer, found the fraction 1.5/],
  ['a wrong item type', ['--id', DEV_ID, '--policy', () => writeTemp('p.json', { officials: ['Ana', 7] })], /officials\[1\]: expected a string/],
  ['bad JSON', ['--id', DEV_ID, '--policy', () => writeTemp('p.json', '{"officials": [')], /p\.json: not valid JSON/],
  ['a missing policy file', ['--id', DEV_ID, '--policy', '/nonexistent/politica.json'], /politica\.json: cannot read the policy file/],
]) {
  test(`${what} exits 2 naming it`, () => {
    const run = generate(args.map((a) => (typeof a === 'function' ? a() : a)));
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, pattern);
  });
}

test('a property added to schema.json reaches every template (string, integer, array of objects)', () => {
  const schema = structuredClone(SCHEMA);
  Object.assign(schema.properties, {
    contactoSoporte: { title: 'Contacto de soporte', type: 'string' },
    maxAvisos: { title: 'Máximo de avisos', type: 'integer' },
    horario: { type: 'array', items: { type: 'object', properties: { dia: { type: 'string' }, horas: { type: 'integer' } } } },
  });
  const schemaFile = writeTemp('schema.json', schema);
  const policy = { ...EXAMPLE, contactoSoporte: 'soporte@cedh.gob.mx', maxAvisos: 12, horario: [{ dia: 'lunes', horas: 8 }] };
  const { status, stderr, out } = generate(['--id', DEV_ID, '--schema', schemaFile, '--policy', writeTemp('p.json', policy)]);
  assert.equal(status, 0, stderr);
  const checks = expectTemplates(out, { id: DEV_ID, geckoId: GECKO_ID, policy, schema, ...DEFAULT_URLS });
  assert.equal(checks, Object.keys(schema.properties).length * 10);
  assert.equal(readJsonFile(join(out, 'linux/chrome-blindaje.json'))['3rdparty'].extensions[DEV_ID].maxAvisos, 12);

  // Without --policy the example must cover the new property: the build fails until someone adds it.
  const incomplete = generate(['--id', DEV_ID, '--schema', schemaFile]);
  assert.equal(incomplete.status, 2);
  assert.match(incomplete.stderr, /no example value for "contactoSoporte", "maxAvisos", "horario"/);
});
