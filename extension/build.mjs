// Assembles the unpacked extension for each browser from one source:
//   node extension/build.mjs --pkg target/pkg --out dist [--dev-key] [--target chromium|firefox]
// → dist/chromium/ and dist/firefox/ from manifest.json, schema.json, extension/ and the wasm package.
// The Chromium manifest is manifest.json as written (a module service worker); the Firefox one is derived
// from it in code (an event page, the gecko id, no Chromium-only keys). Scripts are bundled with esbuild
// (readable, not minified); the wasm glue is bundled, the .wasm copied. --dev-key adds the committed
// public dev key to the Chromium manifest so the unpacked extension id is stable (tests, managed
// policy); release builds have no key.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

/** The Firefox add-on id: fixes where Firefox looks for the managed policy and the self-hosted updates. */
export const GECKO_ID = 'blindaje-electoral@cedh.gob.mx';
/** Firefox 140 is the first with the CSS Custom Highlight API the underlines need. */
const FIREFOX_MIN_VERSION = '140.0';
export const TARGETS = ['chromium', 'firefox'];

function parseArgs(argv) {
  const args = { pkg: join(root, 'target/pkg'), out: join(root, 'dist'), devKey: false, targets: TARGETS };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--pkg') args.pkg = resolve(argv[++i]);
    else if (argv[i] === '--out') args.out = resolve(argv[++i]);
    else if (argv[i] === '--dev-key') args.devKey = true;
    else if (argv[i] === '--target' && TARGETS.includes(argv[i + 1])) args.targets = [argv[++i]];
    else throw new Error(`unknown argument ${argv[i]} (usage: build.mjs --pkg DIR --out DIR [--dev-key] [--target ${TARGETS.join('|')}])`);
  }
  return args;
}

export function cargoVersion() {
  const match = readFileSync(join(root, 'Cargo.toml'), 'utf8').match(/^version\s*=\s*"([^"]+)"/m);
  if (!match) throw new Error('no version in Cargo.toml');
  return match[1].replace(/[-+].*$/, ''); // Chrome wants 1-4 dot-separated integers
}

function sourceManifest() {
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
  manifest.version = cargoVersion();
  return manifest;
}

function chromiumManifest({ devKey }) {
  const manifest = sourceManifest();
  if (devKey) manifest.key = readFileSync(join(here, 'dev-key.txt'), 'utf8').trim();
  return manifest;
}

/**
 * Firefox has no extension service worker: the same background bundle runs as an event page. Keys
 * Firefox does not know are dropped (the managed policy needs no schema there: it is read from the
 * enterprise policy or ~/.mozilla/managed-storage/<id>.json).
 */
function firefoxManifest() {
  const manifest = sourceManifest();
  const { service_worker: script, type } = manifest.background;
  manifest.background = { scripts: [script], type };
  delete manifest.minimum_chrome_version;
  delete manifest.storage;
  for (const resources of manifest.web_accessible_resources) delete resources.use_dynamic_url;
  manifest.browser_specific_settings = {
    gecko: { id: GECKO_ID, strict_min_version: FIREFOX_MIN_VERSION, data_collection_permissions: { required: ['none'] } },
    // Not a target, but stated: Firefox for Android reads data_collection_permissions from 142 on.
    gecko_android: { strict_min_version: '142.0' },
  };
  return manifest;
}

function writeManifest(dir, manifest) {
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Files copied as they are: locales, icons, styles, the extension pages' HTML/CSS and the .wasm. */
function copyStatic(dir, wasm) {
  mkdirSync(join(dir, 'pkg'), { recursive: true });
  cpSync(wasm, join(dir, 'pkg', 'blindaje_bg.wasm'));
  cpSync(join(here, '_locales'), join(dir, '_locales'), { recursive: true });
  cpSync(join(here, 'icons'), join(dir, 'icons'), { recursive: true, filter: (f) => !f.endsWith('.svg') });
  cpSync(join(here, 'content', 'content.css'), join(dir, 'content.css'));
  for (const page of ['popup', 'options']) {
    mkdirSync(join(dir, page), { recursive: true });
    for (const ext of ['html', 'css']) cpSync(join(here, page, `${page}.${ext}`), join(dir, page, `${page}.${ext}`));
  }
}

/** The content script (one classic script), the background module and the pages' modules. */
function bundle(dir, glue, browserTarget) {
  const common = {
    bundle: true, minify: false, legalComments: 'none', logLevel: 'warning', target: browserTarget,
    alias: { 'blindaje-wasm': glue }, charset: 'utf8',
  };
  const esm = (entry, outfile) => build({ ...common, format: 'esm', entryPoints: [join(here, entry)], outfile: join(dir, outfile) });
  return Promise.all([
    build({ ...common, format: 'iife', entryPoints: [join(here, 'content', 'index.js')], outfile: join(dir, 'content.js'),
      define: { 'import.meta.url': 'self.location.href' } }),
    esm('background/index.js', 'background.js'),
    esm('popup/popup.js', 'popup/popup.js'),
    esm('options/options.js', 'options/options.js'),
  ]);
}

const TARGET_BUILDS = {
  chromium: { manifest: chromiumManifest, esbuildTarget: 'chrome120', files: ['schema.json'] },
  firefox: { manifest: firefoxManifest, esbuildTarget: 'firefox140', files: [] },
};

/** Builds `targets` into out/<target>/; returns {target: dir}. */
export async function buildExtension({ pkg, out, devKey = false, targets = TARGETS }) {
  const glue = join(pkg, 'blindaje.js');
  const wasm = join(pkg, 'blindaje_bg.wasm');
  for (const file of [glue, wasm]) if (!existsSync(file)) throw new Error(`${file} is missing: build the wasm package first`);
  const dirs = {};
  for (const target of targets) {
    const spec = TARGET_BUILDS[target];
    const dir = join(out, target);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeManifest(dir, spec.manifest({ devKey }));
    for (const file of spec.files) cpSync(join(root, file), join(dir, file));
    copyStatic(dir, wasm);
    await bundle(dir, glue, spec.esbuildTarget);
    dirs[target] = dir;
  }
  return dirs;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const dirs = await buildExtension(parseArgs(process.argv.slice(2)));
  console.error(`extension: ${Object.values(dirs).join(', ')} (${Date.now() - started} ms)`);
}
