// Bundles every fixture in fixtures/<name>/ (each top-level *.js is an entry) with esbuild
// into .build/fixtures/<name>/ and copies the other files (index.html, images…).
// Usage: node tests/browser/build-fixtures.mjs
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES_SRC = join(here, 'fixtures');
export const FIXTURES_OUT = join(here, '.build', 'fixtures');

/** Fixture names: folders of fixtures/ that do not start with "_". */
export function fixtureNames() {
  return readdirSync(FIXTURES_SRC)
    .filter((name) => !name.startsWith('_') && statSync(join(FIXTURES_SRC, name)).isDirectory())
    .sort();
}

export async function buildFixtures({ outDir = FIXTURES_OUT } = {}) {
  rmSync(outDir, { recursive: true, force: true });
  const entryPoints = [];
  for (const name of fixtureNames()) {
    const srcDir = join(FIXTURES_SRC, name);
    mkdirSync(join(outDir, name), { recursive: true });
    for (const file of readdirSync(srcDir)) {
      if (file.endsWith('.js')) entryPoints.push({ in: join(srcDir, file), out: join(name, file.slice(0, -3)) });
      else cpSync(join(srcDir, file), join(outDir, name, file), { recursive: true });
    }
  }
  await build({
    entryPoints,
    outdir: outDir,
    bundle: true,
    format: 'esm',
    target: 'chrome110',
    minify: false,
    legalComments: 'none',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    loader: { '.svg': 'file', '.png': 'file' },
  });
  for (const name of fixtureNames()) {
    if (!existsSync(join(outDir, name, 'index.html'))) throw new Error(`fixture ${name} has no index.html`);
  }
  return fixtureNames();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const names = await buildFixtures();
  console.log(`built ${names.length} fixtures in ${Date.now() - started} ms → ${FIXTURES_OUT}`);
}
