// The engine itself, run in Node from the same wasm the extension ships, as the tests' oracle, and the check
// that what the extension drew matches it: what the extension must show for a text is what the engine says
// for it (so the tests do not depend on the rule pack's content, which grows). Needs target/pkg/blindaje.js
// (the wasm-bindgen glue, built by ./build.sh).
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXTENSION_DIR } from './extension-session.mjs';

const GLUE = resolve(EXTENSION_DIR, '..', '..', 'target', 'pkg', 'blindaje.js');
let glue = null;

async function load() {
  if (glue) return glue;
  if (!existsSync(GLUE)) throw new Error(`${GLUE} is missing: build the wasm package first (./build.sh)`);
  glue = await import(GLUE);
  glue.initSync({ module: readFileSync(join(EXTENSION_DIR, 'pkg', 'blindaje_bg.wasm')) });
  return glue;
}

const today = () => {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

export const isWarning = (f) => f.severity === 'high' || f.severity === 'medium';

/** The engine takes only signed packs verified by the policy's keys: a pack JSON is signed here with a key
 *  of the oracle's own, which the policy given to the engine lists (the extension's policy lists the
 *  admin's; the rules are the same). */
const ORACLE_KEY = generateKeyPairSync('ed25519');
const ORACLE_PUBLIC = Buffer.from(ORACLE_KEY.publicKey.export({ format: 'jwk' }).x, 'base64url').toString('base64');
function signed(packJson) {
  const bytes = Buffer.from(packJson);
  return JSON.stringify({ format: 'blindaje-signed-pack/1', pack: bytes.toString('base64'), signature: sign(null, bytes, ORACLE_KEY.privateKey).toString('base64') });
}

/** An engine with `policy` (and an admin pack JSON) whose analyze(text, {account, kind, site}) gives findings. */
export async function oracle(policy, adminPackJson = null) {
  const { Engine } = await load();
  const withPack = adminPackJson === null ? policy || {}
    : { rulePackUrl: 'https://oracle.invalid/pack', ...policy, rulePackPublicKeys: [ORACLE_PUBLIC] };
  const engine = new Engine(JSON.stringify(withPack), adminPackJson === null ? null : signed(adminPackJson));
  const refused = engine.info().adminPackRefused;
  if (refused) throw new Error(`the oracle's engine refused the pack: ${refused}`);
  return {
    analyze(text, { account = 'personal', kind = 'post', site = '127.0.0.1' } = {}) {
      return engine.analyze(text, { account, kind, site, date: today() });
    },
    warnings(text, context) {
      return this.analyze(text, context).filter(isWarning).length;
    },
  };
}

/** [rule, severity, start, end] rows, for comparing findings. */
export const rows = (findings) => findings.map((f) => [f.rule, f.severity, f.start, f.end]);

const HIGHLIGHT = { high: 'blindaje-high', medium: 'blindaje-medium', low: 'blindaje-hint' };

/** Asserts every finding with words is drawn exactly on them (highlight or textarea mirror mark). */
export function assertDrawnExactly(composer, text, findings) {
  const drawn = findings.filter((f) => f.end > f.start);
  if (composer.mirror) {
    assert.deepEqual(composer.mirror.map((m) => [m.start, m.end, m.severity, m.text]),
      drawn.map((f) => [f.start, f.end, f.severity, text.slice(f.start, f.end)]), 'textarea mirror marks');
  } else {
    const flatStart = (offset) => text.slice(0, offset).replace(/\n/g, '').length;
    const got = composer.highlights.filter((h) => h.name !== 'blindaje-focus').map((h) => [h.name, h.text, h.flatStart]);
    const want = drawn.map((f) => [HIGHLIGHT[f.severity], text.slice(f.start, f.end), flatStart(f.start)]);
    const order = (a, b) => a[2] - b[2] || a[0].localeCompare(b[0]);
    assert.deepEqual(got.sort(order), want.sort(order), 'CSS.highlights ranges');
  }
}

