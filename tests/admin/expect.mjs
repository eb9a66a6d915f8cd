// What every generated folder must hold for a policy and a schema: each schema property the policy sets,
// in every template, with its value and type as that format carries it. Used for the committed example
// and for a schema with an added property (the "cannot drift" test).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectedPlistValue, expectedRegistryValue, loadPlist, parseReg, readJsonFile } from './lib.mjs';

const REG_BROWSERS = ['HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Google\\Chrome', 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Edge'];

/** Checks every template in `out`; returns the number of property checks made. */
export function expectTemplates(out, { id, geckoId, policy, schema, updateUrl, xpiUrl }) {
  const keys = Object.keys(schema.properties).filter((key) => Object.hasOwn(policy, key));
  let checks = 0;

  for (const file of ['linux/chromium-blindaje.json', 'linux/chrome-blindaje.json']) {
    const linux = readJsonFile(join(out, file));
    assert.deepEqual(Object.keys(linux).sort(), ['3rdparty', 'ExtensionSettings'], file);
    assert.deepEqual(linux.ExtensionSettings, { [id]: { installation_mode: 'force_installed', update_url: updateUrl } }, file);
    assert.deepEqual(Object.keys(linux['3rdparty'].extensions), [id], file);
    const values = linux['3rdparty'].extensions[id];
    assert.deepEqual(Object.keys(values), keys, `${file}: the schema's properties in the schema's order`);
    for (const key of keys) assert.deepEqual(values[key], policy[key], `${file}: ${key}`), checks++;
  }

  const reg = parseReg(join(out, 'windows/blindaje-chrome-edge.reg'));
  assert.ok(!/(^|[^\r])\n/.test(reg.text), '.reg: every line ends in CRLF');
  for (const browser of REG_BROWSERS) {
    const values = reg.keys[`${browser}\\3rdparty\\extensions\\${id}\\policy`];
    assert.ok(values, `.reg: no policy key for ${browser}`);
    assert.deepEqual(Object.keys(values), keys, `.reg ${browser}: exactly the policy's keys`);
    for (const key of keys) {
      const expected = expectedRegistryValue(policy[key], schema.properties[key].type);
      assert.deepEqual(values[key], expected, `.reg ${browser}: ${key}`), checks++;
      if (expected.type === 'sz' && schema.properties[key].type !== 'string' && schema.properties[key].type !== 'number') {
        assert.deepEqual(JSON.parse(values[key].value), policy[key], `.reg ${browser}: ${key} parses back`);
      }
    }
    assert.deepEqual(reg.keys[`${browser}\\ExtensionInstallForcelist`], { 1: { type: 'sz', value: `${id};${updateUrl}` } });
  }

  const profile = loadPlist(join(out, 'macos/blindaje.mobileconfig'));
  assert.equal(profile.PayloadType, 'Configuration');
  const byDomain = Object.assign({}, ...profile.PayloadContent.map((p) => p.PayloadContent));
  const uuids = [profile.PayloadUUID, ...profile.PayloadContent.map((p) => p.PayloadUUID)];
  assert.equal(new Set(uuids).size, uuids.length, 'mobileconfig: payload UUIDs are unique');
  for (const uuid of uuids) assert.match(uuid, /^[0-9A-F]{8}-[0-9A-F]{4}-8[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
  for (const p of profile.PayloadContent) assert.equal(p.PayloadType, 'com.apple.ManagedClient.preferences');
  for (const domain of [`com.google.Chrome.extensions.${id}`, `com.microsoft.Edge.extensions.${id}`]) {
    const values = byDomain[domain]?.Forced?.[0]?.mcx_preference_settings;
    assert.ok(values, `mobileconfig: no payload for ${domain}`);
    assert.deepEqual(Object.keys(values), keys, `mobileconfig ${domain}`);
    for (const key of keys) assert.deepEqual(values[key], expectedPlistValue(policy[key], schema.properties[key]), `mobileconfig ${domain}: ${key}`), checks++;
  }
  for (const domain of ['com.google.Chrome', 'com.microsoft.Edge']) {
    assert.deepEqual(byDomain[domain].Forced[0].mcx_preference_settings,
      { ExtensionSettings: { [id]: { installation_mode: 'force_installed', update_url: updateUrl } } }, `mobileconfig ${domain}`);
  }

  const firefox = readJsonFile(join(out, 'firefox/policies.json'));
  assert.deepEqual(firefox.policies.ExtensionSettings, { [geckoId]: { installation_mode: 'force_installed', install_url: xpiUrl } });
  const storageFile = join(out, `firefox/managed-storage/${geckoId}.json`);
  assert.ok(existsSync(storageFile), `no ${storageFile}`);
  const storage = readJsonFile(storageFile);
  assert.equal(storage.name, geckoId);
  assert.equal(storage.type, 'storage');
  const google = readJsonFile(join(out, 'google-admin/policy-for-extensions.json'));
  for (const [where, values] of [['policies.json', firefox.policies['3rdparty'].Extensions[geckoId]], ['managed storage', storage.data]]) {
    assert.deepEqual(Object.keys(values), keys, `firefox ${where}`);
    for (const key of keys) assert.deepEqual(values[key], policy[key], `firefox ${where}: ${key}`), checks++;
  }
  assert.deepEqual(Object.keys(google), keys, 'google admin');
  for (const key of keys) assert.deepEqual(google[key], { Value: policy[key] }, `google admin: ${key}`), checks++;

  const readme = readFileSync(join(out, 'README.txt'), 'utf8');
  for (const key of keys) assert.ok(readme.includes(key), `README.txt names ${key}`), checks++;
  assert.ok(readme.includes(id) && readme.includes(geckoId));
  return checks;
}
