// Admin-listed extra sites (policy "sites"): the content script is registered for them at run time
// (the manifest's broad host access makes that possible without a prompt) and injected into tabs
// already open on them, so a policy change applies without a reload.

const SCRIPT_ID = 'policy-sites';
const HOST = /^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*$/;

/** Match patterns for the policy's host names (ports and paths dropped, invalid ones skipped). */
export function patternsFor(sites) {
  const patterns = new Set();
  for (const site of Array.isArray(sites) ? sites : []) {
    if (typeof site !== 'string') continue;
    const host = site.trim().toLowerCase().replace(/^[a-z]+:\/\//, '').split(/[/:]/)[0];
    if (!HOST.test(host)) continue;
    patterns.add(`https://${host}/*`);
    patterns.add(`http://${host}/*`);
  }
  return [...patterns].sort();
}

/** `sites`: the policy's sites as the engine validated them (Engine.policySites()). */
export async function syncPolicySites(sites) {
  const matches = patternsFor(sites);
  const [existing] = await chrome.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  const before = existing ? existing.matches : [];
  if (JSON.stringify(before) === JSON.stringify(matches)) return;
  if (!matches.length) {
    await chrome.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
    return;
  }
  const script = {
    id: SCRIPT_ID, matches, js: ['content.js'], css: ['content.css'], runAt: 'document_start',
    allFrames: true, matchOriginAsFallback: true, persistAcrossSessions: true,
  };
  if (existing) await chrome.scripting.updateContentScripts([script]);
  else await chrome.scripting.registerContentScripts([script]);
  await injectIntoOpenTabs(matches.filter((m) => !before.includes(m)));
}

/** Runs the content script in tabs already open on `matches` (it ignores a second injection). */
export async function injectIntoOpenTabs(matches) {
  if (!matches.length) return;
  const tabs = await chrome.tabs.query({ url: matches });
  await Promise.all(tabs.map(async (tab) => {
    try {
      await chrome.scripting.insertCSS({ target: { tabId: tab.id, allFrames: true }, files: ['content.css'] });
      await chrome.scripting.executeScript({ target: { tabId: tab.id, allFrames: true }, files: ['content.js'] });
    } catch {
      // A tab the extension may not touch (error page, another extension's page): nothing to do.
    }
  }));
}
