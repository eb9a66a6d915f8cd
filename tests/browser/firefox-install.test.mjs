// The unsigned xpi of ./build.sh package installs on firefox-esr through enterprise policy, as ADMIN.md
// tells admins: policies.json with ExtensionSettings (force_installed, install_url) and Preferences
// xpinstall.signatures.required = false (honoured by ESR builds; release Firefox ignores it and needs a
// Mozilla signature). Debian's firefox-esr reads /usr/lib/firefox-esr/distribution/policies.json; the test
// mounts a temporary folder there in a private mount namespace (unshare -m, as root), so the real one is
// never touched. Done when the profile's extensions.json lists the add-on active.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIREFOX } from './lib/firefox.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const GECKO_ID = 'blindaje-electoral@cedh.gob.mx';
const DISTRIBUTION = '/usr/lib/firefox-esr/distribution';

let tmp;
let xpi;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'blindaje-install-test-'));
  const run = spawnSync('node', [join(root, 'extension', 'package.mjs'), '--pkg', join(root, 'target', 'pkg'), '--out', join(tmp, 'out')],
    { encoding: 'utf8', env: { ...process.env, HOME: tmp, BLINDAJE_CRX_KEY: '' } });
  assert.equal(run.status, 0, run.stderr);
  xpi = join(tmp, 'out', run.stdout.match(/(blindaje-firefox-[\d.]+\.xpi)/)[1]);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The add-on's entry in the profile's extensions.json, or null. */
function addonEntry(profile) {
  const file = join(profile, 'extensions.json');
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')).addons.find((a) => a.id === GECKO_ID) || null;
  } catch {
    return null; // being written
  }
}

test('unsigned xpi, force-installed by policy on firefox-esr', async () => {
  const distribution = join(tmp, 'distribution');
  mkdirSync(distribution);
  if (existsSync(DISTRIBUTION)) cpSync(DISTRIBUTION, distribution, { recursive: true, dereference: true }); // a symlink on Debian
  writeFileSync(join(distribution, 'policies.json'), JSON.stringify({
    policies: {
      ExtensionSettings: { [GECKO_ID]: { installation_mode: 'force_installed', install_url: `file://${xpi}` } },
      Preferences: { 'xpinstall.signatures.required': { Value: false, Status: 'locked' } },
    },
  }));
  const profile = join(tmp, 'profile');
  mkdirSync(profile);
  const script = 'mount --bind "$1" "$2" && shift 2 && exec "$@"';
  const firefox = spawn('unshare', ['-m', 'sh', '-c', script, 'sh', distribution, DISTRIBUTION,
    FIREFOX, '--headless', '--no-remote', '--profile', profile, 'about:blank'], { env: { ...process.env, HOME: tmp }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  firefox.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((r) => firefox.once('exit', r));
  try {
    const deadline = Date.now() + 45000;
    let entry = addonEntry(profile);
    while (!(entry && entry.active) && Date.now() < deadline && firefox.exitCode === null) {
      await new Promise((r) => setTimeout(r, 200));
      entry = addonEntry(profile);
    }
    assert.ok(entry, `the add-on was not installed (exit ${firefox.exitCode}): ${stderr.slice(-2000)}`);
    assert.equal(entry.active, true, 'the add-on is active');
    assert.equal(entry.version, JSON.parse(spawnSync('unzip', ['-p', xpi, 'manifest.json'], { encoding: 'utf8' }).stdout).version);
    assert.equal(entry.signedState, 0, 'unsigned (signedState 0: no signature), accepted because of the policy');
  } finally {
    firefox.kill('SIGTERM');
    await exited;
  }
});
