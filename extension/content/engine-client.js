// Runs analyses where they do not touch the page: in Chromium always in the service worker, over the port;
// in Firefox in the content script itself (the engine in the page, no worker needed, ~0.1 ms) for drafts up
// to LOCAL_MAX_CHARS, and in the worker (the event page) for longer ones.
// Why not in the page in Chromium: Chromium applies the page's CSP to wasm in content scripts, and a refused
// compile is reported to the page (a CSP violation report naming chrome-extension://<id>/content.js), which
// tells a strict-CSP site such as x.com that this person runs the extension; on pages without a strict CSP
// the in-page engine saved nothing measurable once the worker was warm (BENCHMARKS.md) and cost 40-260 ms of
// the page's main thread to build. Firefox never applies the page's CSP to content scripts, so nothing is
// probed there either. Building the engine blocks the thread, so in Firefox it waits for a pause in typing.
import { MAX_DRAFT_CHARS, analyzeDraft, buildEngine, loadWasm, tooLongFinding } from '../shared/engine-host.js';
import { loadPolicy, onConfigChanged } from '../shared/config.js';
import { marks } from './features/perf.js';

/** Longer drafts go to the worker so the page's main thread stays free (~40 ms at 63,000 characters). */
export const LOCAL_MAX_CHARS = 20000;
/** Only Firefox runs the engine in the content script (see above); known from the extension's own URL. */
const PAGE_ENGINE = chrome.runtime.getURL('').startsWith('moz-extension:');

/** Typing must have paused this long before the in-page engine is built. */
const QUIET_MS = 1000;

const idle = (fn) => (self.requestIdleCallback ? requestIdleCallback(fn, { timeout: 1000 }) : setTimeout(fn, 1));

/** Resolves in idle time once no input arrived for QUIET_MS. */
function quietIdle() {
  return new Promise((resolve) => {
    const check = () => {
      const since = performance.now() - marks.lastInputAt;
      if (marks.lastInputAt && since < QUIET_MS) setTimeout(check, QUIET_MS - since);
      else idle(resolve);
    };
    check();
  });
}

export function createEngineClient(connection, { onChange }) {
  /** The in-page engine's inputs: the managed policy, and the envelope from the worker (content scripts
   *  cannot read the trusted copy; the engine verifies it against the policy's keys anyway). */
  async function loadConfig() {
    const [policy, pack] = await Promise.all([loadPolicy(), connection.request({ type: 'pack' })]);
    return { policyJson: JSON.stringify(policy), adminEnvelope: pack.envelope || null };
  }

  let local = null; // {engine, sites}
  let localState = PAGE_ENGINE ? 'idle' : 'off'; // idle | off (Chromium: the worker only) | loading | ready | failed
  let remote = null; // Promise of the worker's hello {sites, info}
  let warmed = false;
  let configChanged = false; // while the in-page engine is being built

  async function startLocal() {
    if (localState !== 'idle') return; // 'off' in Chromium
    localState = 'loading';
    try {
      const started = performance.now();
      await loadWasm(chrome.runtime.getURL('pkg/blindaje_bg.wasm'));
      await quietIdle();
      configChanged = false;
      const config = await loadConfig();
      let mainThread = performance.now();
      const engine = buildEngine(config);
      mainThread = performance.now() - mainThread;
      await quietIdle();
      const warmUp = performance.now();
      analyzeDraft(engine, 'vota', {}); // compiles the analysis code now rather than on a keystroke
      marks.wasmInitMs = performance.now() - started; // wall clock, idle waits included
      marks.wasmInitMainThreadMs = mainThread + performance.now() - warmUp; // the two blocking steps
      local = { engine, sites: engine.sites() };
      localState = 'ready';
      if (configChanged) rebuildLocal(); // the policy or pack changed while this engine was being built
      else onChange();
    } catch (error) {
      localState = 'failed';
      console.warn('Blindaje: in-page engine unavailable, using the service worker:', error);
    }
  }

  function hello() {
    remote ??= connection.request({ type: 'hello' }).catch((error) => {
      remote = null;
      throw error;
    });
    return remote;
  }

  const rebuildLocal = () => {
    configChanged = true;
    if (localState !== 'ready') return;
    loadConfig().then((config) => {
      local = { engine: buildEngine(config), sites: null };
      local.sites = local.engine.sites();
      onChange();
    }).catch((error) => console.warn('Blindaje: the in-page engine was not rebuilt:', error));
  };
  connection.on('config', () => {
    remote = null;
    if (localState !== 'ready') onChange();
  });

  return {
    /** Wakes the worker and starts loading the in-page engine (once). */
    warmUp() {
      if (warmed) return;
      warmed = true;
      onConfigChanged(rebuildLocal);
      hello().catch(() => {});
      quietIdle().then(startLocal);
    },
    /** The site-adapter table of the engine in use. */
    async sites() {
      return local ? local.sites : (await hello()).sites;
    },
    /** {findings, context, via} for `text` with the page's `hints`. */
    async analyze(text, hints) {
      if (text.length > MAX_DRAFT_CHARS) return { findings: [tooLongFinding()], context: null, via: 'none' }; // never sent
      if (local && text.length <= LOCAL_MAX_CHARS) return { ...analyzeDraft(local.engine, text, hints), via: 'page' };
      const reply = await connection.request({ type: 'analyze', text, hints });
      return { findings: reply.findings, context: reply.context, via: 'worker' };
    },
    get mode() {
      return { page: localState, worker: connection.connected ? 'connected' : 'idle' };
    },
  };
}
