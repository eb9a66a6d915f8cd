#!/usr/bin/env node
// Admin templates generated from schema.json (the extension's managed-storage schema), so they cannot drift:
// Linux policy JSON (Chromium, Chrome), a Windows .reg (Chrome, Edge), a macOS .mobileconfig (Chrome, Edge),
// Firefox's policies.json and managed-storage manifest, and the Google Admin console JSON.
//
//   node extension/admin-templates.mjs --id EXTENSION_ID --out DIR [--gecko-id ID] [--policy FILE]
//        [--schema FILE] [--update-url URL] [--xpi-url URL]
//
// Values come from --policy, checked against the schema (an unknown key or a wrong type: exit 2), or from
// extension/admin/example-policy.json, which must give every schema property a value. Exit 2 on any
// usage error, with a message naming the file, key or id.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  UsageError, checkComplete, checkExtensionId, checkGeckoId, checkPolicy, loadSchema, readJson,
} from './admin/policy-schema.mjs';
import { registryFile } from './admin/registry.mjs';
import { plistXml, profile } from './admin/mobileconfig.mjs';
import { firefoxManagedStorage, firefoxPolicies, googleAdminPolicy, linuxPolicy } from './admin/json-templates.mjs';
import { MARKER, readme } from './admin/readme.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(HERE);
const DEFAULTS = {
  schema: join(ROOT, 'schema.json'),
  policy: join(HERE, 'admin/example-policy.json'),
  'gecko-id': 'blindaje-electoral@cedh.gob.mx',
  'update-url': 'https://extensiones.example.gob.mx/blindaje/updates.xml',
  'xpi-url': 'https://extensiones.example.gob.mx/blindaje/blindaje-electoral.xpi',
};
const OWNED = ['linux', 'windows', 'macos', 'firefox', 'google-admin', 'README.txt'];

function options(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: Object.fromEntries(['id', 'out', 'gecko-id', 'policy', 'schema', 'update-url', 'xpi-url'].map((name) => [name, { type: 'string' }])),
    }).values;
  } catch (error) {
    throw new UsageError(error.message);
  }
  if (!parsed.id || !parsed.out) throw new UsageError('usage: node extension/admin-templates.mjs --id EXTENSION_ID --out DIR [--gecko-id ID] [--policy FILE] [--schema FILE] [--update-url URL] [--xpi-url URL]');
  const opts = { ...DEFAULTS, ...parsed, example: !parsed.policy };
  checkExtensionId(opts.id);
  checkGeckoId(opts['gecko-id']);
  for (const name of ['update-url', 'xpi-url']) {
    if (!/^https:\/\/[^/\s]+/.test(opts[name])) throw new UsageError(`--${name} ${JSON.stringify(opts[name])}: must be an https:// URL`);
  }
  return opts;
}

/** Refuses to write into a non-empty folder this tool did not make; clears what it made before. */
function prepare(out) {
  if (existsSync(out) && readdirSync(out).length) {
    const readmeFile = join(out, 'README.txt');
    if (!existsSync(readmeFile) || !readFileSync(readmeFile, 'utf8').startsWith(MARKER)) {
      throw new UsageError(`${out}: not empty and not made by admin-templates.mjs; choose an empty or new folder`);
    }
    for (const name of OWNED) rmSync(join(out, name), { recursive: true, force: true });
  }
}

function write(out, file, content) {
  const path = join(out, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, typeof content === 'string' || Buffer.isBuffer(content) ? content : `${JSON.stringify(content, null, 2)}\n`);
}

export function generate(argv) {
  const opts = options(argv);
  const schema = loadSchema(resolve(opts.schema));
  const policyFile = resolve(opts.policy);
  const policy = readJson(policyFile, 'policy');
  checkPolicy(policy, schema, policyFile);
  if (opts.example) checkComplete(policy, schema, policyFile);

  const out = resolve(opts.out);
  const input = { id: opts.id, geckoId: opts['gecko-id'], policy, schema, updateUrl: opts['update-url'], xpiUrl: opts['xpi-url'] };
  const files = {
    'linux/chromium-blindaje.json': linuxPolicy(input),
    'linux/chrome-blindaje.json': linuxPolicy(input),
    'windows/blindaje-chrome-edge.reg': registryFile(input),
    'macos/blindaje.mobileconfig': plistXml(profile(input)),
    'firefox/policies.json': firefoxPolicies(input),
    [`firefox/managed-storage/${input.geckoId}.json`]: firefoxManagedStorage(input),
    'google-admin/policy-for-extensions.json': googleAdminPolicy(input),
  };
  const keys = Object.keys(schema.properties).filter((key) => Object.hasOwn(policy, key));
  files['README.txt'] = readme({ ...input, policyFile: relative(process.cwd(), policyFile) || policyFile, keys });
  prepare(out);
  for (const [file, content] of Object.entries(files)) write(out, file, content);
  return { out, files: Object.keys(files) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { out, files } = generate(process.argv.slice(2));
    console.error(`admin templates: ${files.length} files in ${relative(process.cwd(), out) || '.'}`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`admin-templates: ${error.message}`);
    process.exit(2);
  }
}
