// Helpers that talk to the extension under test: stop its service worker, read badges, find tab ids.

/** CDP targets of the extension's service worker(s). */
async function workerTargets(cdp, extensionId) {
  const { targetInfos } = await cdp.send('Target.getTargets');
  const prefix = `chrome-extension://${extensionId}/`;
  return targetInfos.filter((t) => t.type === 'service_worker' && (!extensionId || t.url.startsWith(prefix)));
}

/**
 * Stops the extension's service worker the way Chrome does when it goes idle.
 * Works on Chromium 156: a browser-level CDP session + Target.closeTarget on the worker target
 * (the target disappears from Target.getTargets within ~50 ms; the next extension event starts
 * a fresh worker with new globals). Without a Browser object it falls back to a page-level
 * session with ServiceWorker.enable + ServiceWorker.stopAllWorkers (also verified to work).
 * Note: serviceWorker.evaluate() on a stopped worker waits until something wakes it.
 * Returns the number of worker targets that were closed.
 */
export async function stopServiceWorker(context, extensionId, { timeout = 5000 } = {}) {
  const browser = context.browser();
  const page = context.pages()[0] || (await context.newPage());
  // A worker woken at once by an event (a content script reconnecting) keeps its target id, so
  // "stopped" is read from the ServiceWorker domain's status events of a page session.
  const events = await context.newCDPSession(page);
  const prefix = `chrome-extension://${extensionId}/`;
  const status = { stopped: false, restarted: false };
  events.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const v of versions) {
      if (!v.scriptURL.startsWith(prefix)) continue;
      if (v.runningStatus === 'stopped') status.stopped = true;
      else if (status.stopped) status.restarted = true;
    }
  });
  await events.send('ServiceWorker.enable');
  let cdp;
  let closed = 0;
  if (browser) {
    cdp = await browser.newBrowserCDPSession();
    for (const target of await workerTargets(cdp, extensionId)) {
      await cdp.send('Target.closeTarget', { targetId: target.targetId });
      closed++;
    }
  } else {
    cdp = events;
    closed = (await workerTargets(cdp, extensionId)).length;
    await cdp.send('ServiceWorker.stopAllWorkers');
  }
  const deadline = Date.now() + timeout;
  while (!(status.stopped && status.restarted) && (await workerTargets(cdp, extensionId)).length) {
    if (Date.now() > deadline) throw new Error('the service worker did not stop');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await cdp.detach().catch(() => {});
  await events.detach().catch(() => {});
  return closed;
}

/** True while a worker target of the extension exists (i.e. the worker is running). */
export async function isServiceWorkerRunning(context, extensionId) {
  const cdp = await context.browser().newBrowserCDPSession();
  try {
    return (await workerTargets(cdp, extensionId)).length > 0;
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/** chrome.tabs id of a Playwright page, found from the service worker (needs "tabs" or host permission). */
export async function tabIdForPage(serviceWorker, page) {
  const url = page.url();
  const ids = await serviceWorker.evaluate(
    async (u) => (await chrome.tabs.query({})).filter((t) => t.url === u || t.pendingUrl === u).map((t) => t.id),
    url,
  );
  if (ids.length === 1) return ids[0];
  // Several tabs share the URL: tag this one through its title for a moment.
  const token = `blindaje-tab-${Math.random().toString(36).slice(2)}`;
  const oldTitle = await page.evaluate((t) => {
    const previous = document.title;
    document.title = t;
    return previous;
  }, token);
  try {
    for (let i = 0; i < 40; i++) {
      const found = await serviceWorker.evaluate(async (t) => (await chrome.tabs.query({ title: t })).map((x) => x.id), token);
      if (found.length === 1) return found[0];
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no unique tab for ${url}`);
  } finally {
    await page.evaluate((t) => (document.title = t), oldTitle);
  }
}

/** Badge text of a tab (or of the page, when given a Playwright page). */
export async function badgeText(serviceWorker, tabIdOrPage) {
  const tabId = typeof tabIdOrPage === 'number' ? tabIdOrPage : await tabIdForPage(serviceWorker, tabIdOrPage);
  return serviceWorker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
}
