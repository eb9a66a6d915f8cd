// Chrome extension ids: from a manifest "key" (base64 DER SubjectPublicKeyInfo) or, for an
// unpacked folder without key, from its absolute path. First 32 hex of SHA-256, 0-f → a-p.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

function idFromBytes(bytes) {
  const hex = createHash('sha256').update(bytes).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

export function extensionIdFromKey(base64Key) {
  return idFromBytes(Buffer.from(base64Key, 'base64'));
}

export function extensionIdFromPath(dir) {
  return idFromBytes(Buffer.from(resolve(dir)));
}

/** The id Chromium will give the unpacked extension in `dir`. */
export function extensionIdForDir(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  return manifest.key ? extensionIdFromKey(manifest.key) : extensionIdFromPath(dir);
}
