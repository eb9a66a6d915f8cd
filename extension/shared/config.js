// Where the engine's inputs come from: the admin's managed policy and the last accepted admin rule pack.
// Content scripts and the service worker read the same storage, so both build the same engine.

/** {policy (object), policyJson, adminPackJson (string|null)}. */
export async function loadConfig() {
  const [policy, local] = await Promise.all([
    chrome.storage.managed.get(null).catch(() => ({})),
    chrome.storage.local.get('adminPack'),
  ]);
  return {
    policy,
    policyJson: JSON.stringify(policy),
    adminPackJson: (local.adminPack && local.adminPack.json) || null,
  };
}

/** Calls `callback` when the policy or the admin pack changes (managed values may arrive late). */
export function onConfigChanged(callback) {
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'managed' || (area === 'local' && 'adminPack' in changes)) callback();
  });
}
