// The admin pack's storage, worker side only. storage.session (TRUSTED_CONTEXTS: no content script can read
// or write it) holds the trusted copy of the accepted envelope and the version floors per pack id; storage.local
// holds a persistent copy for the next browser start. Which envelope applies and which floor binds is decided
// in Rust (acceptSignedPack, deriveFloors, the Engine constructor); this file only moves the values.
import { deriveFloors } from 'blindaje-wasm';

const PACK = 'adminPack';
const FLOORS = 'packFloors';

// Explicit, though it is the default: storage.session must never be opened to content scripts.
chrome.storage.session.setAccessLevel?.({ accessLevel: 'TRUSTED_CONTEXTS' })?.catch?.(() => {});

let restored = null;

/** The trusted copy {envelope, id, version, signer, url, acceptedAt} or null. After a browser start it is
 *  taken once from the persistent copy (the engine verifies it against the current keys before use). */
export function activePack() {
  restored ??= (async () => {
    const session = await chrome.storage.session.get(PACK);
    if (PACK in session) return;
    const local = (await chrome.storage.local.get(PACK))[PACK];
    const valid = local && typeof local.envelope === 'string' ? local : null;
    await chrome.storage.session.set({ [PACK]: valid });
  })().catch((error) => {
    restored = null;
    throw error;
  });
  return restored.then(async () => (await chrome.storage.session.get(PACK))[PACK] || null);
}

/** The floors, re-derived from the verified active envelope when the session lost them. */
export async function packFloors(keys) {
  const stored = (await chrome.storage.session.get(FLOORS))[FLOORS];
  if (stored) return stored;
  const active = await activePack();
  const floors = deriveFloors({}, active ? active.envelope : null, keys);
  await chrome.storage.session.set({ [FLOORS]: floors });
  return floors;
}

/** Makes `record` the active pack and keeps `floors`: trusted copy first, then the persistent one. */
export async function storePack(record, floors) {
  await chrome.storage.session.set({ [PACK]: record, [FLOORS]: floors });
  await chrome.storage.local.set({ [PACK]: record });
}

export async function setFloors(floors) {
  await chrome.storage.session.set({ [FLOORS]: floors });
}

// storage.local is writable from every content script: a change of the persistent copy that is not the
// trusted one is undone, so a compromised page cannot plant a pack for the next browser start either.
chrome.storage.onChanged.addListener((changes, area) => {
  if (area !== 'local' || !(PACK in changes)) return;
  activePack().then((trusted) => {
    const now = changes[PACK].newValue;
    if (JSON.stringify(now ?? null) === JSON.stringify(trusted)) return;
    if (trusted) chrome.storage.local.set({ [PACK]: trusted });
    else chrome.storage.local.remove(PACK);
  }).catch(() => {});
});
