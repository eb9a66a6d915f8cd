// The toolbar badge per tab: the number of warnings standing in all the tab's frames (empty when none).
// Frame counts live in storage.session, so a restarted worker keeps them; on start it drops the frames
// whose document is gone (a ping to each document), and content scripts with warnings reconnect.

const KEY = 'badgeFrames';
let state = null; // Promise<{[tabId]: {[documentId]: count}}>

function frames() {
  state ??= chrome.storage.session.get(KEY).then(async (stored) => {
    const all = stored[KEY] || {};
    await Promise.all(Object.entries(all).flatMap(([tabId, docs]) => Object.keys(docs).map(async (documentId) => {
      try {
        await chrome.tabs.sendMessage(Number(tabId), { type: 'ping' }, { documentId });
      } catch {
        delete docs[documentId];
      }
    })));
    for (const tabId of Object.keys(all)) show(Number(tabId), all);
    return all;
  });
  return state;
}

function total(all, tabId) {
  return Object.values(all[tabId] || {}).reduce((sum, n) => sum + n, 0);
}

function show(tabId, all) {
  const n = total(all, tabId);
  if (!n) delete all[tabId];
  chrome.action.setBadgeText({ tabId, text: n ? String(n) : '' }).catch(() => {});
  if (n) chrome.action.setBadgeBackgroundColor({ tabId, color: '#b91c1c' }).catch(() => {});
}

/** Records the count of the frame behind `sender` (a port's sender) and updates its tab's badge. */
export async function setFrameCount(sender, count) {
  const tabId = sender.tab && sender.tab.id;
  if (tabId === undefined || tabId < 0) return;
  const all = await frames();
  const key = sender.documentId || `frame-${sender.frameId}`;
  const docs = (all[tabId] ??= {});
  if (count > 0) docs[key] = count;
  else delete docs[key];
  show(tabId, all);
  await chrome.storage.session.set({ [KEY]: all });
}

export async function tabWarnings(tabId) {
  return total(await frames(), tabId);
}

export async function forgetTab(tabId) {
  const all = await frames();
  if (!all[tabId]) return;
  delete all[tabId];
  await chrome.storage.session.set({ [KEY]: all });
}
