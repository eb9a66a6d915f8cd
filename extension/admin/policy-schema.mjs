// The managed-storage schema (schema.json) as the admin templates use it: loading it, checking a policy
// against it (unknown keys and wrong types are errors naming the key), and checking extension ids.
// Every template is generated from these properties, so a property added to schema.json reaches them all.
import { readFileSync } from 'node:fs';

/** A user-facing error: the generator prints its message and exits with code 2. */
export class UsageError extends Error {}

const TYPES = new Set(['string', 'integer', 'number', 'boolean', 'array', 'object']);

/** Reads schema.json and checks it uses only what the templates can express. */
export function loadSchema(file) {
  const schema = readJson(file, 'schema');
  if (schema.type !== 'object' || typeof schema.properties !== 'object' || schema.properties === null) {
    throw new UsageError(`${file}: the top level must be {"type": "object", "properties": {…}}`);
  }
  for (const [key, sub] of Object.entries(schema.properties)) checkSubschema(sub, `${file}: property ${key}`);
  return schema;
}

function checkSubschema(sub, where) {
  if (!sub || !TYPES.has(sub.type)) {
    throw new UsageError(`${where}: type ${JSON.stringify(sub && sub.type)} is not one of ${[...TYPES].join(', ')}`);
  }
  if (sub.type === 'array') {
    if (!sub.items) throw new UsageError(`${where}: an array needs "items"`);
    checkSubschema(sub.items, `${where}[]`);
  }
  if (sub.type === 'object') {
    for (const [key, inner] of Object.entries(sub.properties || {})) checkSubschema(inner, `${where}.${key}`);
  }
}

/** Reads a JSON file; errors name the file and what it was meant to be. */
export function readJson(file, what) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: cannot read the ${what} file (${error.code || error.message})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON (${error.message})`);
  }
}

/** Throws a UsageError naming the first key of `policy` that is unknown to the schema or has the wrong type. */
export function checkPolicy(policy, schema, file) {
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
    throw new UsageError(`${file}: the policy must be a JSON object`);
  }
  checkValue(policy, schema, '', file);
}

function checkValue(value, sub, path, file) {
  const name = path || 'the policy';
  if (!hasType(value, sub.type)) {
    throw new UsageError(`${file}: ${name}: expected ${article(sub.type)}, found ${describe(value)}`);
  }
  if (sub.type === 'array') value.forEach((item, i) => checkValue(item, sub.items, `${path}[${i}]`, file));
  if (sub.type === 'object') {
    const known = sub.properties || {};
    for (const [key, inner] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (!Object.hasOwn(known, key)) throw new UsageError(`${file}: unknown key "${at}" (not in schema.json)`);
      checkValue(inner, known[key], at, file);
    }
  }
}

function hasType(value, type) {
  switch (type) {
    case 'string': return typeof value === 'string';
    case 'integer': return Number.isInteger(value);
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'boolean': return typeof value === 'boolean';
    case 'array': return Array.isArray(value);
    case 'object': return typeof value === 'object' && value !== null && !Array.isArray(value);
    default: return false;
  }
}

function article(type) {
  return { integer: 'an integer', array: 'an array', object: 'an object' }[type] || `a ${type}`;
}

function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? `the number ${value}` : `the fraction ${value}`;
  return `${article(typeof value)} (${JSON.stringify(value).slice(0, 40)})`;
}

/** The example policy must give every schema property a value, so every template shows every key. */
export function checkComplete(policy, schema, file) {
  const missing = Object.keys(schema.properties).filter((key) => !Object.hasOwn(policy, key));
  if (missing.length) {
    throw new UsageError(`${file}: no example value for ${missing.map((k) => `"${k}"`).join(', ')} (schema.json has it): add one`);
  }
}

/** The policy's entries in the schema's property order (stable, reviewable output). */
export function orderedEntries(policy, schema) {
  return Object.keys(schema.properties).filter((key) => Object.hasOwn(policy, key)).map((key) => [key, policy[key], schema.properties[key]]);
}

/** Chrome/Edge extension ids: 32 letters a–p (the hex digits of a SHA-256 prefix, mapped 0–f → a–p). */
export function checkExtensionId(id) {
  if (typeof id !== 'string' || !/^[a-p]{32}$/.test(id)) {
    throw new UsageError(`invalid extension id ${JSON.stringify(id)}: a Chrome/Edge id is 32 letters from a to p`);
  }
}

/** Firefox add-on ids: an e-mail-like id (name@domain) or a GUID in braces. */
export function checkGeckoId(id) {
  if (typeof id !== 'string' || !/^([A-Za-z0-9._+-]+@[A-Za-z0-9.-]+|\{[0-9a-fA-F-]{36}\})$/.test(id)) {
    throw new UsageError(`invalid Firefox add-on id ${JSON.stringify(id)}: use name@domain or {GUID}`);
  }
}
