// Probe content script: greets the service worker and writes its boot id into the page DOM.
chrome.runtime.sendMessage({ type: 'hello', length: document.title.length }, (reply) => {
  if (reply) document.documentElement.dataset.probeBoot = reply.bootId;
});
