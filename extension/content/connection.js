// Long-lived port to the service worker. The worker may be stopped at any moment: the port then
// reconnects by itself, re-sends every request still waiting for its answer, and lets features restore
// what the new worker must know (the badge count).
import { PORT_NAME } from '../shared/protocol.js';
import { timed } from './features/perf.js';

const REQUEST_TIMEOUT_MS = 10000;

export function createConnection() {
  let port = null;
  let nextId = 1;
  let retries = 0;
  let retryTimer = 0;
  let orphaned = false;
  const pending = new Map(); // id → {message, resolve, reject, timer}
  const handlers = new Map(); // type → fn(message)
  const reconnectHooks = [];
  const orphanHooks = [];
  let keepConnected = () => false;

  function orphan(error) {
    // The extension was reloaded or removed: this copy of the script can no longer reach it.
    orphaned = true;
    for (const { reject, timer } of pending.values()) {
      clearTimeout(timer);
      reject(error);
    }
    pending.clear();
    for (const hook of orphanHooks) hook();
  }

  function connect() {
    if (port || orphaned) return port;
    try {
      port = chrome.runtime.connect({ name: PORT_NAME });
    } catch (error) {
      orphan(error);
      return null;
    }
    port.onMessage.addListener(onMessage);
    port.onDisconnect.addListener(() => {
      void chrome.runtime.lastError;
      port = null;
      if (!chrome.runtime.id) return orphan(new Error('extension context invalidated'));
      if (pending.size || keepConnected()) scheduleReconnect();
    });
    for (const { message } of pending.values()) port.postMessage(message);
    for (const hook of reconnectHooks) hook();
    return port;
  }

  function scheduleReconnect() {
    if (retryTimer) return;
    const delay = Math.min(2000, retries ? 50 * 2 ** retries : 0);
    retries = Math.min(retries + 1, 6);
    retryTimer = setTimeout(() => {
      retryTimer = 0;
      connect();
    }, delay);
  }

  const onMessage = timed((message) => {
    retries = 0;
    const waiting = message.id !== undefined && pending.get(message.id);
    if (waiting) {
      pending.delete(message.id);
      clearTimeout(waiting.timer);
      if (message.type === 'error') waiting.reject(new Error(message.message));
      else waiting.resolve(message);
      return;
    }
    const handler = handlers.get(message.type);
    if (handler) handler(message);
  }, 'port');

  function post(message) {
    for (let attempt = 0; attempt < 2; attempt++) {
      const p = connect();
      if (!p) return false;
      try {
        p.postMessage(message);
        return true;
      } catch {
        port = null; // disconnected before onDisconnect ran: connect again
      }
    }
    return false;
  }

  return {
    post,
    /** Sends a request and resolves with the worker's answer, whatever restarts happen meanwhile. */
    request(message) {
      return new Promise((resolve, reject) => {
        if (orphaned) return reject(new Error('extension context invalidated'));
        const id = nextId++;
        const full = { ...message, id };
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error('the service worker did not answer'));
        }, REQUEST_TIMEOUT_MS);
        pending.set(id, { message: full, resolve, reject, timer });
        if (port) {
          try {
            port.postMessage(full);
            return;
          } catch {
            port = null;
          }
        }
        connect();
      });
    },
    on(type, handler) {
      handlers.set(type, handler);
    },
    onReconnect(hook) {
      reconnectHooks.push(hook);
    },
    onOrphaned(hook) {
      orphanHooks.push(hook);
    },
    /** `predicate()` true ⇒ reconnect at once after the worker stops (a frame with warnings stays known). */
    keepConnectedWhile(predicate) {
      keepConnected = predicate;
    },
    get connected() {
      return Boolean(port);
    },
  };
}
