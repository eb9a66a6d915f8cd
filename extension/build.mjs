// Assembles the unpacked extension: node extension/build.mjs --pkg target/pkg --out dist [--dev-key]
// → dist/chromium/ from manifest.json, schema.json, extension/ and the wasm package. Scripts are bundled
// with esbuild (readable, not minified); the wasm glue is bundled, the .wasm copied. --dev-key adds the
// committed public dev key so the unpacked extension id is stable (tests, managed policy); release
// builds have no key.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

function parseArgs(argv) {
  const args = { pkg: join(root, 'target/pkg'), out: join(root, 'dist'), devKey: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--pkg') args.pkg = resolve(argv[++i]);
    else if (argv[i] === '--out') args.out = resolve(argv[++i]);
    else if (argv[i] === '--dev-key') args.devKey = true;
    else throw new Error(`unknown argument ${argv[i]} (usage: build.mjs --pkg DIR --out DIR [--dev-key])`);
  }
  return args;
}

function cargoVersion() {
  const match = readFileSync(join(root, 'Cargo.toml'), 'utf8').match(/^version\s*=\s*"([^"]+)"/m);
  if (!match) throw new Error('no version in Cargo.toml');
  return match[1].replace(/[-+].*$/, ''); // Chrome wants 1-4 dot-separated integers
}

export async function buildExtension({ pkg, out, devKey }) {
  const glue = join(pkg, 'blindaje.js');
  const wasm = join(pkg, 'blindaje_bg.wasm');
  for (const file of [glue, wasm]) if (!existsSync(file)) throw new Error(`${file} is missing: build the wasm package first`);
  const dir = join(out, 'chromium');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'pkg'), { recursive: true });

  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
  manifest.version = cargoVersion();
  if (devKey) manifest.key = readFileSync(join(here, 'dev-key.txt'), 'utf8').trim();
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  cpSync(join(root, 'schema.json'), join(dir, 'schema.json'));
  cpSync(wasm, join(dir, 'pkg', 'blindaje_bg.wasm'));
  cpSync(join(here, '_locales'), join(dir, '_locales'), { recursive: true });
  cpSync(join(here, 'icons'), join(dir, 'icons'), { recursive: true, filter: (f) => !f.endsWith('.svg') });
  cpSync(join(here, 'content', 'content.css'), join(dir, 'content.css'));
  for (const page of ['popup', 'options']) {
    mkdirSync(join(dir, page), { recursive: true });
    for (const ext of ['html', 'css']) cpSync(join(here, page, `${page}.${ext}`), join(dir, page, `${page}.${ext}`));
  }

  const common = {
    bundle: true, minify: false, legalComments: 'none', logLevel: 'warning', target: 'chrome120',
    alias: { 'blindaje-wasm': glue }, charset: 'utf8',
  };
  await Promise.all([
    build({ ...common, format: 'iife', entryPoints: [join(here, 'content', 'index.js')], outfile: join(dir, 'content.js'),
      define: { 'import.meta.url': 'self.location.href' } }),
    build({ ...common, format: 'esm', entryPoints: [join(here, 'background', 'index.js')], outfile: join(dir, 'background.js') }),
    build({ ...common, format: 'esm', entryPoints: [join(here, 'popup', 'popup.js')], outfile: join(dir, 'popup', 'popup.js') }),
    build({ ...common, format: 'esm', entryPoints: [join(here, 'options', 'options.js')], outfile: join(dir, 'options', 'options.js') }),
  ]);
  return dir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const dir = await buildExtension(parseArgs(process.argv.slice(2)));
  console.error(`extension: ${dir} (${Date.now() - started} ms)`);
}
