// Helpers of the admin-template tests: run the generator as an admin would, read back what it wrote
// (a small .reg parser for the subset it emits, plists through Python's plistlib).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const GENERATOR = join(ROOT, 'extension/admin-templates.mjs');
export const DEV_ID = 'mdlfnbeclhghlojcmgekbfjgaedojjcb';
export const GECKO_ID = 'blindaje-electoral@cedh.gob.mx';
export const SCHEMA = JSON.parse(readFileSync(join(ROOT, 'schema.json'), 'utf8'));
export const EXAMPLE = JSON.parse(readFileSync(join(ROOT, 'extension/admin/example-policy.json'), 'utf8'));

const temps = [];
export function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'blindaje-admin-'));
  temps.push(dir);
  return dir;
}
process.on('exit', () => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Runs the generator; returns {status, stderr, out} (out: the output folder). */
export function generate(args, out = join(tempDir(), 'out')) {
  const run = spawnSync(process.execPath, [GENERATOR, '--out', out, ...args], { encoding: 'utf8' });
  return { status: run.status, stderr: run.stderr, out };
}

export function readJsonFile(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Parses a .reg file: {text, keys: {keyPath: {name: {type: 'sz'|'dword', value}}}}; [-key] deletes. */
export function parseReg(path) {
  const bytes = readFileSync(path);
  if (bytes[0] !== 0xff || bytes[1] !== 0xfe) throw new Error(`${path}: no UTF-16LE byte-order mark`);
  const text = bytes.subarray(2).toString('utf16le');
  const lines = text.split('\r\n');
  if (lines[0] !== 'Windows Registry Editor Version 5.00') throw new Error(`${path}: bad header ${JSON.stringify(lines[0])}`);
  const keys = {};
  let current = null;
  for (const [i, line] of lines.slice(1).entries()) {
    if (line === '' || line.startsWith(';')) continue;
    let m;
    if ((m = /^\[-(.+)\]$/.exec(line))) {
      for (const key of Object.keys(keys)) if (key === m[1] || key.startsWith(`${m[1]}\\`)) delete keys[key];
      current = null;
    } else if ((m = /^\[(.+)\]$/.exec(line))) {
      current = keys[m[1]] ??= {};
    } else if ((m = /^"((?:[^"\\]|\\.)*)"=(?:"((?:[^"\\]|\\.)*)"|dword:([0-9a-f]{8}))$/.exec(line)) && current) {
      const name = unescapeReg(m[1]);
      current[name] = m[3] === undefined ? { type: 'sz', value: unescapeReg(m[2]) } : { type: 'dword', value: parseInt(m[3], 16) | 0 };
    } else {
      throw new Error(`${path}: line ${i + 2} not understood: ${JSON.stringify(line)}`);
    }
  }
  return { text, keys };
}

function unescapeReg(text) {
  return text.replace(/\\(.)/g, '$1');
}

/** Loads a plist with Python's plistlib; every number comes back as {int: n} or {real: n} to check types. */
export function loadPlist(path) {
  const script = `
import json, plistlib, sys
def tag(v):
    if isinstance(v, bool): return v
    if isinstance(v, int): return {"int": v}
    if isinstance(v, float): return {"real": v}
    if isinstance(v, list): return [tag(x) for x in v]
    if isinstance(v, dict): return {k: tag(x) for k, x in v.items()}
    return v
with open(sys.argv[1], "rb") as f:
    print(json.dumps(tag(plistlib.load(f))))
`;
  const run = spawnSync('python3', ['-c', script, path], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`plistlib could not read ${path}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** A policy value as the registry should hold it, following the schema's type. */
export function expectedRegistryValue(value, type) {
  if (type === 'integer') return { type: 'dword', value };
  if (type === 'boolean') return { type: 'dword', value: value ? 1 : 0 };
  if (type === 'string') return { type: 'sz', value };
  return { type: 'sz', value: type === 'number' ? String(value) : JSON.stringify(value) };
}

/** A policy value as plistlib returns it (tagged numbers), following the schema. */
export function expectedPlistValue(value, sub) {
  if (sub.type === 'integer') return { int: value };
  if (sub.type === 'number') return { real: value };
  if (sub.type === 'array') return value.map((item) => expectedPlistValue(item, sub.items));
  if (sub.type === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expectedPlistValue(v, sub.properties[k])]));
  return value;
}
