// Where the engine's inputs come from: the admin's managed policy (read-only for everyone) and the signed
// admin rule pack. The pack's trusted copy lives in storage.session, which content scripts can neither read
// nor write (access level TRUSTED_CONTEXTS); the worker keeps it and hands it to content scripts over the
// port. storage.local holds only the persistent copy for the next browser start, re-verified then.

/** The managed policy as an object ({} when none). */
export function loadPolicy() {
  return chrome.storage.managed.get(null).catch(() => ({}));
}

/** Calls `callback` when the policy or the admin pack changes (managed values may arrive late). The pack's
 *  signal is the persistent copy's key: a content script sees it change but the envelope itself comes from
 *  the worker. */
export function onConfigChanged(callback) {
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'managed' || (area === 'local' && 'adminPack' in changes)) callback();
  });
}
