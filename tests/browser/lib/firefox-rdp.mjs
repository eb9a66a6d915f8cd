// A small client of Firefox's DevTools remote protocol (RDP: "length:JSON" packets over TCP; what
// about:debugging and web-ext use), for what WebDriver BiDi does not reach: extension contexts. It
// evaluates in the add-on's background page (whose chrome.* APIs then read the content scripts' state
// and the badge), reloads that page, and terminates it the way Firefox suspends an idle event page.
import net from 'node:net';

/** Messages the server sends on its own (not answers to a request). */
const EVENTS = new Set([
  'evaluationResult', 'target-available-form', 'target-destroyed-form', 'resources-available-array',
  'resources-updated-array', 'resources-destroyed-array', 'descriptor-destroyed', 'addonListChanged',
  'tabListChanged', 'frameUpdate', 'document-event', 'newSource', 'workerListChanged', 'processListChanged',
]);

/** Connects to a Firefox started with --start-debugger-server `port`; waits for the greeting. */
export async function connectRdp(port, { timeout = 10000 } = {}) {
  const deadline = Date.now() + timeout;
  let socket;
  for (;;) {
    socket = net.connect(port, '127.0.0.1');
    const error = await new Promise((resolve) => {
      socket.once('connect', () => resolve(null));
      socket.once('error', resolve);
    });
    if (!error) break;
    if (Date.now() > deadline) throw new Error(`no Firefox debugger server on port ${port}: ${error.message}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const waiting = new Map(); // actor → [{resolve, reject}] (each actor answers in order)
  const listeners = new Set();
  let greet;
  const greeting = new Promise((resolve) => (greet = resolve));
  let buffer = Buffer.alloc(0);

  function dispatch(packet) {
    if (greet) {
      greet(packet);
      greet = null;
      return;
    }
    const queue = waiting.get(packet.from);
    if ((packet.type && EVENTS.has(packet.type)) || !queue || !queue.length) {
      for (const listener of listeners) listener(packet);
      return;
    }
    const { resolve, reject } = queue.shift();
    if (packet.error) reject(new Error(`${packet.from}: ${packet.error}: ${packet.message}`));
    else resolve(packet);
  }

  socket.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const colon = buffer.indexOf(':');
      if (colon < 0) return;
      const length = Number(buffer.subarray(0, colon).toString());
      if (buffer.length < colon + 1 + length) return;
      const packet = JSON.parse(buffer.subarray(colon + 1, colon + 1 + length).toString('utf8'));
      buffer = buffer.subarray(colon + 1 + length);
      dispatch(packet);
    }
  });
  const closed = new Error('the Firefox debugger connection closed');
  socket.on('close', () => {
    for (const queue of waiting.values()) for (const { reject } of queue.splice(0)) reject(closed);
  });
  await greeting;

  return {
    /** Sends {to, type, ...fields}; resolves with the actor's answer. */
    request(to, type, fields = {}) {
      return new Promise((resolve, reject) => {
        if (!waiting.has(to)) waiting.set(to, []);
        waiting.get(to).push({ resolve, reject });
        const body = JSON.stringify({ to, type, ...fields });
        socket.write(`${Buffer.byteLength(body)}:${body}`);
      });
    },
    /** Calls `listener(packet)` for every event; returns a function that stops it. */
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => socket.destroy(),
  };
}

const BACKGROUND_PAGE = '/_generated_background_page.html';

/**
 * The background page of the add-on `addonId`: evaluate(expression) runs `expression` (it may be a
 * promise) in the page and resolves with its value, JSON-cloned. A reload or a termination replaces the
 * page; evaluate() then waits for the new one (something must wake a terminated page).
 */
export async function addonBackground(rdp, addonId) {
  const { addons } = await rdp.request('root', 'listAddons');
  const addon = addons.find((a) => a.id === addonId);
  if (!addon) throw new Error(`add-on ${addonId} is not installed (installed: ${addons.map((a) => a.id).join(', ')})`);
  let current = null; // target form of the background page
  const arrived = new Set();
  rdp.on((packet) => {
    if (packet.type === 'target-available-form' && packet.target.url && packet.target.url.endsWith(BACKGROUND_PAGE)) {
      current = packet.target;
      for (const resolve of arrived) resolve();
    }
    if (packet.type === 'target-destroyed-form' && current && packet.target.actor === current.actor) current = null;
  });
  const watcher = await rdp.request(addon.actor, 'getWatcher', { isServerTargetSwitchingEnabled: true });
  await rdp.request(watcher.actor, 'watchTargets', { targetType: 'frame' });

  async function page(timeout) {
    if (current) return current;
    let resolve;
    const timer = new Promise((_, reject) => setTimeout(() => reject(new Error('the background page did not come back')), timeout));
    try {
      await Promise.race([new Promise((r) => arrived.add((resolve = r))), timer]);
    } finally {
      arrived.delete(resolve);
    }
    return current;
  }

  async function fullString(grip) {
    if (grip && grip.type === 'longString') return (await rdp.request(grip.actor, 'substring', { start: 0, end: grip.length })).substring;
    return grip;
  }

  return {
    async evaluate(expression, { timeout = 10000 } = {}) {
      const target = await page(timeout);
      const text = `(async () => JSON.stringify(await (${expression})) ?? 'null')()`;
      const results = new Map(); // resultID → evaluationResult packet (the answer names the id first)
      let wanted = null;
      let found;
      const result = new Promise((resolve) => (found = resolve));
      const stop = rdp.on((p) => {
        if (p.type !== 'evaluationResult' || p.from !== target.consoleActor) return;
        results.set(p.resultID, p);
        if (p.resultID === wanted) found(p);
      });
      try {
        ({ resultID: wanted } = await rdp.request(target.consoleActor, 'evaluateJSAsync', { text, mapped: { await: true } }));
        if (results.has(wanted)) found(results.get(wanted));
        const packet = await result;
        if (packet.exception) throw new Error(`in the background page: ${packet.exceptionMessage}`);
        return JSON.parse(await fullString(packet.result));
      } finally {
        stop();
      }
    },
    /** The page's status as about:debugging shows it (RUNNING, STOPPED). */
    async status() {
      const list = (await rdp.request('root', 'listAddons')).addons;
      return list.find((a) => a.id === addonId).backgroundScriptStatus;
    },
    /** Reloads the background page (its document only; the add-on and its content scripts stay). */
    async reload() {
      const before = await page(10000);
      await rdp.request(before.consoleActor, 'evaluateJSAsync', { text: 'location.reload()' });
      await waitFor(() => current && current.actor !== before.actor, 'the reloaded background page');
    },
    /** Stops the background page as Firefox does when it is idle (about:debugging's "Terminate"). */
    async terminate() {
      const before = await page(10000);
      await rdp.request(addon.actor, 'terminateBackgroundScript');
      await waitFor(() => !current || current.actor !== before.actor, 'the background page to stop');
    },
  };
}

async function waitFor(predicate, what, timeout = 10000) {
  const deadline = Date.now() + timeout;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
