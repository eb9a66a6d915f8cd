// Probe service worker: answers with a per-start boot id and sets the badge of the sender's tab.
const bootId = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
globalThis.bootId = bootId;
chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (message && message.type === 'hello' && sender.tab) {
    chrome.action.setBadgeText({ tabId: sender.tab.id, text: String(message.length ?? 'ok') });
    sendResponse({ bootId });
  }
});
