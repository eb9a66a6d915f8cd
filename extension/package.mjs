// Release packages: node extension/package.mjs --pkg target/pkg --out dist   (./build.sh package)
//   blindaje-chromium-VERSION.zip  Chrome Web Store upload (no "key", no "update_url")
//   blindaje-chromium-VERSION.crx  self-hosted CRX3, signed by chromium --pack-extension with the admin's key
//   blindaje-firefox-VERSION.xpi   unsigned add-on with gecko.update_url (sign it with web-ext sign, ADMIN.md)
//   updates.xml / updates.json     self-hosting update manifests (Chrome gupdate, Firefox)
// The CRX key: BLINDAJE_CRX_KEY (path to a PEM private key), else ~/.config/blindaje/crx-key.pem, made once.
// The key fixes the extension id: keep it. Download URLs: BLINDAJE_UPDATE_BASE_URL (HTTPS folder).
// BLINDAJE_SIGNED_XPI: the xpi Mozilla signed (web-ext sign) for this version; it replaces the unsigned one
// and updates.json gets its hash.
import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildExtension, cargoVersion, GECKO_ID } from './build.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const PLACEHOLDER_BASE = 'https://extensiones.example.gob.mx/blindaje/';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function parseArgs(argv) {
  const args = { pkg: resolve(here, '..', 'target/pkg'), out: resolve(here, '..', 'dist') };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--pkg') args.pkg = resolve(argv[++i]);
    else if (argv[i] === '--out') args.out = resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]} (usage: package.mjs --pkg DIR --out DIR)`);
  }
  return args;
}

/** The folder the packages will be served from (HTTPS, ending in "/"). */
export function updateBase(value = process.env.BLINDAJE_UPDATE_BASE_URL || PLACEHOLDER_BASE) {
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`BLINDAJE_UPDATE_BASE_URL is not a URL: ${value}`);
  }
  if (url.protocol !== 'https:') throw new Error(`BLINDAJE_UPDATE_BASE_URL must be https (browsers refuse updates over http): ${value}`);
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** {path, pem, created}: the admin's key, or the one generated once outside the repository. */
export function crxKey() {
  const fromEnv = process.env.BLINDAJE_CRX_KEY;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`BLINDAJE_CRX_KEY names ${fromEnv}, which does not exist`);
    return { path: fromEnv, pem: readFileSync(fromEnv, 'utf8'), created: false };
  }
  const path = join(homedir(), '.config', 'blindaje', 'crx-key.pem');
  if (existsSync(path)) return { path, pem: readFileSync(path, 'utf8'), created: false };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  chmodSync(path, 0o600);
  return { path, pem: readFileSync(path, 'utf8'), created: true };
}

/** Chrome's id for a key: first 32 hex digits of SHA-256 of the DER public key, 0-f → a-p. */
export function extensionIdFromPem(pem) {
  let der;
  try {
    der = createPublicKey(pem).export({ type: 'spki', format: 'der' });
  } catch (error) {
    throw new Error(`the CRX key is not a PEM private key: ${error.message}`);
  }
  const hex = createHash('sha256').update(der).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

function editManifest(dir, edit) {
  const file = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  edit(manifest);
  if ('key' in manifest) throw new Error(`${file}: a release manifest must not carry "key"`);
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

function zipDir(dir, file) {
  rmSync(file, { force: true });
  execFileSync('zip', ['-q', '-r', '-X', file, '.'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** chromium --pack-extension: CRX3 signed with `keyPath`, written next to `dir` as dir.crx. */
function packCrx(dir, keyPath, file) {
  const profile = mkdtempSync(join(tmpdir(), 'blindaje-pack-'));
  try {
    execFileSync(CHROMIUM, ['--no-sandbox', '--headless', `--user-data-dir=${profile}`, `--pack-extension=${dir}`,
      `--pack-extension-key=${keyPath}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  if (!existsSync(`${dir}.crx`)) throw new Error(`chromium --pack-extension wrote no ${dir}.crx`);
  cpSync(`${dir}.crx`, file);
  chmodSync(file, 0o644);
}

/** Replaces the unsigned xpi with the signed one, after checking it is this add-on at this version. */
function useSignedXpi(signed, version, file) {
  if (!existsSync(signed)) throw new Error(`BLINDAJE_SIGNED_XPI names ${signed}, which does not exist`);
  let manifest;
  try {
    manifest = JSON.parse(execFileSync('unzip', ['-p', signed, 'manifest.json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    throw new Error(`BLINDAJE_SIGNED_XPI: ${signed} is not an xpi with a manifest.json`);
  }
  const id = manifest.browser_specific_settings && manifest.browser_specific_settings.gecko && manifest.browser_specific_settings.gecko.id;
  if (id !== GECKO_ID || manifest.version !== version) {
    throw new Error(`BLINDAJE_SIGNED_XPI: ${signed} is ${id} ${manifest.version}, expected ${GECKO_ID} ${version}`);
  }
  cpSync(signed, file);
}

export function updatesXml({ id, version, codebase }) {
  return `<?xml version='1.0' encoding='UTF-8'?>
<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>
  <app appid='${id}'>
    <updatecheck codebase='${codebase}' version='${version}' />
  </app>
</gupdate>
`;
}

export function updatesJson({ version, link, sha256 }) {
  const update = { version, update_link: link, update_hash: `sha256:${sha256}` };
  return `${JSON.stringify({ addons: { [GECKO_ID]: { updates: [update] } } }, null, 2)}\n`;
}

/** Builds every package into `out`; returns {id, version, files: [paths]}. */
export async function packageExtension({ pkg, out }) {
  const base = updateBase();
  const key = crxKey();
  const id = extensionIdFromPem(key.pem);
  const version = cargoVersion();
  const staging = mkdtempSync(join(tmpdir(), 'blindaje-release-'));
  try {
    const dirs = await buildExtension({ pkg, out: staging, devKey: false });
    mkdirSync(out, { recursive: true });
    const name = (browser, ext) => join(out, `blindaje-${browser}-${version}.${ext}`);

    editManifest(dirs.chromium, () => {}); // unchanged: only checked for "key"
    zipDir(dirs.chromium, name('chromium', 'zip'));

    const crxDir = join(staging, 'blindaje');
    cpSync(dirs.chromium, crxDir, { recursive: true });
    editManifest(crxDir, (m) => (m.update_url = `${base}updates.xml`));
    packCrx(crxDir, key.path, name('chromium', 'crx'));

    editManifest(dirs.firefox, (m) => (m.browser_specific_settings.gecko.update_url = `${base}updates.json`));
    zipDir(dirs.firefox, name('firefox', 'xpi'));
    if (process.env.BLINDAJE_SIGNED_XPI) useSignedXpi(process.env.BLINDAJE_SIGNED_XPI, version, name('firefox', 'xpi'));
    const sha256 = createHash('sha256').update(readFileSync(name('firefox', 'xpi'))).digest('hex');

    const xpiName = `blindaje-firefox-${version}.xpi`;
    writeFileSync(join(out, 'updates.xml'), updatesXml({ id, version, codebase: `${base}blindaje-chromium-${version}.crx` }));
    writeFileSync(join(out, 'updates.json'), updatesJson({ version, link: `${base}${xpiName}`, sha256 }));
    const files = [name('chromium', 'zip'), name('chromium', 'crx'), name('firefox', 'xpi'), join(out, 'updates.xml'), join(out, 'updates.json')];
    return { id, version, base, key, files };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const { id, version, base, key, files } = await packageExtension(parseArgs(process.argv.slice(2)));
    for (const file of files) console.log(`${file}  ${statSync(file).size} bytes`);
    console.log(`version ${version}; Chrome extension id ${id}`);
    console.log(`CRX key: ${key.path}${key.created ? ' (new: generated now)' : ''}. Keep it safe and reuse it for every release:`);
    console.log('it fixes the extension id; a new key makes a different extension.');
    if (base === PLACEHOLDER_BASE) console.log(`update URLs use the placeholder ${base}: set BLINDAJE_UPDATE_BASE_URL to your HTTPS folder`);
  } catch (error) {
    console.error(`package: ${error.message}`);
    process.exit(2);
  }
}
