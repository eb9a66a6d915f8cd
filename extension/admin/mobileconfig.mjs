// The macOS template: a configuration profile (.mobileconfig, plist XML) with com.apple.ManagedClient.preferences
// payloads for the extension's policy in Google Chrome (com.google.Chrome.extensions.<id>) and Microsoft Edge
// (com.microsoft.Edge.extensions.<id>), and the force-install ExtensionSettings of both browsers.
// Payload UUIDs are derived from the extension id, so regenerating the profile does not churn them and an
// MDM replaces the installed profile instead of adding a second one.
import { createHash } from 'node:crypto';
import { UsageError, orderedEntries } from './policy-schema.mjs';

const IDENTIFIER = 'mx.gob.cedh.blindaje';

/** A UUID (RFC 9562 version 8, name-based on SHA-256) that depends only on the id and the payload's name. */
export function stableUuid(id, name) {
  const bytes = createHash('sha256').update(`blindaje-admin-templates:${id}:${name}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex').toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The profile as a JavaScript value (plist-typed by `plistXml`). */
export function profile({ id, policy, schema, updateUrl }) {
  const values = Object.fromEntries(orderedEntries(policy, schema).map(([key, value, sub]) => [key, typed(value, sub)]));
  const install = { [id]: { installation_mode: 'force_installed', update_url: updateUrl } };
  const payloads = [
    payload(id, 'chrome', 'Blindaje Electoral: política en Google Chrome', `com.google.Chrome.extensions.${id}`, values),
    payload(id, 'edge', 'Blindaje Electoral: política en Microsoft Edge', `com.microsoft.Edge.extensions.${id}`, values),
    payload(id, 'chrome-install', 'Blindaje Electoral: instalación forzada en Google Chrome', 'com.google.Chrome', { ExtensionSettings: install }),
    payload(id, 'edge-install', 'Blindaje Electoral: instalación forzada en Microsoft Edge', 'com.microsoft.Edge', { ExtensionSettings: install }),
  ];
  return {
    PayloadContent: payloads,
    PayloadDescription: 'Configura Blindaje Electoral (avisos de neutralidad político-electoral) en Google Chrome y Microsoft Edge.',
    PayloadDisplayName: 'Blindaje Electoral',
    PayloadIdentifier: `${IDENTIFIER}.${id}`,
    PayloadOrganization: String(policy.organizationName || 'Blindaje Electoral'),
    PayloadScope: 'System',
    PayloadType: 'Configuration',
    PayloadUUID: stableUuid(id, 'profile'),
    PayloadVersion: 1,
  };
}

function payload(id, name, displayName, domain, settings) {
  return {
    PayloadContent: { [domain]: { Forced: [{ mcx_preference_settings: settings }] } },
    PayloadDisplayName: displayName,
    PayloadEnabled: true,
    PayloadIdentifier: `${IDENTIFIER}.${id}.${name}`,
    PayloadType: 'com.apple.ManagedClient.preferences',
    PayloadUUID: stableUuid(id, name),
    PayloadVersion: 1,
  };
}

/** A number with its plist element: the schema, not the value, says whether it is <integer> or <real>. */
class PlistNumber {
  constructor(value, element) {
    this.value = value;
    this.element = element;
  }
}

/** Marks the schema's numbers so the plist writes <integer> or <real> as the schema says. */
function typed(value, sub) {
  if (sub.type === 'integer') return new PlistNumber(value, 'integer');
  if (sub.type === 'number') return new PlistNumber(value, 'real');
  if (sub.type === 'array') return value.map((item) => typed(item, sub.items));
  if (sub.type === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typed(v, (sub.properties || {})[k])]));
  }
  return value;
}

/** Plist XML for strings, booleans, arrays, dictionaries and the marked numbers (plain numbers: integer). */
export function plistXml(root) {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
  ];
  write(root, 0, out);
  out.push('</plist>', '');
  return out.join('\n');
}

function write(value, depth, out) {
  const pad = '\t'.repeat(depth);
  if (typeof value === 'string') out.push(`${pad}<string>${escape(value)}</string>`);
  else if (typeof value === 'boolean') out.push(`${pad}<${value}/>`);
  else if (typeof value === 'number') out.push(`${pad}<integer>${value}</integer>`);
  else if (Array.isArray(value)) {
    out.push(`${pad}<array>`);
    for (const item of value) write(item, depth + 1, out);
    out.push(`${pad}</array>`);
  } else if (value instanceof PlistNumber) out.push(`${pad}<${value.element}>${value.value}</${value.element}>`);
  else {
    out.push(`${pad}<dict>`);
    for (const [key, inner] of Object.entries(value)) {
      out.push(`${pad}\t<key>${escape(key)}</key>`);
      write(inner, depth + 1, out);
    }
    out.push(`${pad}</dict>`);
  }
}

function escape(text) {
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(text)) {
    throw new UsageError(`${JSON.stringify(text.slice(0, 40))}: a control character cannot be written to a plist`);
  }
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
