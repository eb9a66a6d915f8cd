// Main-thread accounting of the extension's own work on the page: time per input event (handlers and the
// debounced analysis it leads to), keystroke→warning latency, start-up. Read through the debug handle.

const MAX_SAMPLES = 5000;
const events = [];
const latencies = [];
let current = null;
export const marks = { startupMs: 0, wasmInitMs: null, wasmInitMainThreadMs: null, lastInputAt: 0 };

/** Runs `fn` and charges its time to the current input event under `label`. */
export function timed(fn, label = fn.name || 'handler') {
  return function timedCall(...args) {
    const started = performance.now();
    try {
      return fn.apply(this, args);
    } finally {
      charge(performance.now() - started, label);
    }
  };
}

/** Charges `ms` of work to the latest input event. */
export function charge(ms, label = 'other') {
  if (!current) return;
  current.ms += ms;
  current.parts[label] = (current.parts[label] || 0) + ms;
}

/** An input event arrived (a handler is about to run): starts a new sample. */
export function inputEvent() {
  current = { ms: 0, parts: {} };
  events.push(current);
  if (events.length > MAX_SAMPLES) events.shift();
  marks.lastInputAt = performance.now();
}

/** Warnings of an analysis reached the screen: records keystroke→warning latency. */
export function rendered() {
  if (marks.lastInputAt) latencies.push(performance.now() - marks.lastInputAt);
  if (latencies.length > MAX_SAMPLES) latencies.shift();
}

function quantile(values, q) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export function perfReport() {
  const ms = events.map((e) => e.ms);
  const worst = events.reduce((a, b) => (b.ms > (a ? a.ms : -1) ? b : a), null);
  const parts = {};
  for (const event of events) for (const [label, v] of Object.entries(event.parts)) (parts[label] ??= []).push(v);
  return {
    worst,
    parts: Object.fromEntries(Object.entries(parts).map(([label, v]) => [label, { n: v.length, p50: quantile(v, 0.5), max: Math.max(...v) }])),
    inputEvents: ms.length,
    perInputP50: quantile(ms, 0.5),
    perInputP99: quantile(ms, 0.99),
    perInputMax: ms.length ? Math.max(...ms) : null,
    latencies: latencies.slice(),
    ...marks,
  };
}

export function resetPerf() {
  events.length = 0;
  latencies.length = 0;
  current = null;
}
