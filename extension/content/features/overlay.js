// The extension's own UI layer: one element on <html> with a closed shadow root (panels, textarea mirrors,
// the live region). Re-attached when the page removes it; page styles cannot reach inside. The host is a
// plain <div>, not a custom element: a page can define a custom element name before the content script runs
// (and then its constructor owns the element), but it cannot redefine <div>.
import { timed } from './perf.js';

const CSS_TEXT = `
:host { all: initial !important; display: block !important; position: fixed !important; inset: 0 auto auto 0 !important;
  width: 0 !important; height: 0 !important; overflow: visible !important; z-index: 2147483647 !important;
  visibility: visible !important; opacity: 1 !important; transform: none !important; pointer-events: none !important; }
* { box-sizing: border-box; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.mirror { position: fixed; overflow: hidden; pointer-events: none; color: transparent; border-color: transparent !important;
  background: transparent !important; margin: 0; }
.mirror mark { color: transparent; border-radius: 2px; text-decoration-thickness: 2px; text-decoration-skip-ink: none; }
.mirror mark.high { background: rgba(220, 38, 38, 0.16); text-decoration: underline wavy #c81e1e; }
.mirror mark.medium { background: rgba(234, 88, 12, 0.14); text-decoration: underline wavy #c2410c; }
.mirror mark.low { background: transparent; text-decoration: underline dotted #1d4ed8; }
.mirror mark.focus { background: rgba(250, 204, 21, 0.55); }
.panel { position: fixed; pointer-events: auto; width: 320px; max-height: min(60vh, 460px); display: flex; flex-direction: column;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; background: #fff;
  border: 1px solid #d0d7de; border-left: 4px solid #c2410c; border-radius: 10px; box-shadow: 0 6px 24px rgba(0,0,0,.16); }
.panel.has-high { border-left-color: #c81e1e; }
.panel.hints-only { border-left-color: #1d4ed8; }
.panel[hidden] { display: none; }
.panel header { display: flex; align-items: center; gap: 6px; padding: 6px 8px; border-bottom: 1px solid #eaeef2; }
.panel header .title { flex: 1; font-weight: 600; }
.panel button { font: inherit; cursor: pointer; border-radius: 6px; border: 1px solid #d0d7de; background: #f6f8fa; color: #1f2328; padding: 2px 8px; }
.panel button:focus-visible, .panel li:focus-visible { outline: 2px solid #0969da; outline-offset: 1px; }
.panel ol { list-style: none; margin: 0; padding: 4px; overflow: auto; }
.panel.collapsed ol { display: none; }
.panel li { padding: 8px; border-radius: 8px; margin: 2px 0; border: 1px solid transparent; }
.panel li:hover, .panel li:focus { background: #fff8c5; border-color: #eac54f; }
.panel .meta { display: flex; gap: 6px; align-items: center; font-size: 12px; }
.panel .sev { padding: 0 6px; border-radius: 999px; color: #fff; font-weight: 600; }
.panel .sev.high { background: #c81e1e; } .panel .sev.medium { background: #c2410c; } .panel .sev.low { background: #1d4ed8; }
.panel .cat { font-weight: 600; }
.panel .words { color: #57606a; font-style: italic; }
.panel p { margin: 4px 0; }
.panel blockquote { margin: 4px 0; padding: 2px 8px; border-left: 3px solid #d0d7de; color: #57606a; font-size: 12px; }
.panel li .message, .panel li blockquote, .panel li .suggestion { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; overflow: hidden; }
.panel li:hover :is(.message, blockquote, .suggestion), .panel li:focus-within :is(.message, blockquote, .suggestion) { display: block; }
.panel .suggestion::before { content: "→ "; }
.panel .actions { display: flex; justify-content: flex-end; }
.chip, .confirm { position: fixed; pointer-events: auto; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1f2328; background: #fff; border: 1px solid #d0d7de; box-shadow: 0 4px 16px rgba(0,0,0,.14); }
.chip { display: flex; gap: 6px; align-items: center; padding: 4px 6px 4px 10px; border-radius: 999px; white-space: nowrap; }
.chip[hidden], .confirm[hidden] { display: none; }
.chip button, .confirm button { font: inherit; cursor: pointer; border-radius: 999px; border: 1px solid #d0d7de; background: #f6f8fa; padding: 2px 10px; }
.chip button:focus-visible, .confirm button:focus-visible { outline: 2px solid #0969da; outline-offset: 1px; }
.confirm { width: 420px; padding: 14px 16px; border-radius: 12px; border-left: 5px solid #c81e1e; }
.confirm h2 { font-size: 15px; margin: 0 0 6px; }
.confirm ul { margin: 0 0 10px; padding-left: 18px; }
.confirm .actions { display: flex; gap: 8px; justify-content: flex-end; }
.confirm button.review { background: #1f6feb; color: #fff; border-color: #1f6feb; }
`;

let host = null;
let root = null;
let live = null;

/** The shadow root of the UI layer, (re)attached to the document. */
export function overlayRoot() {
  if (!host) {
    host = document.createElement('div');
    root = host.attachShadow({ mode: 'closed' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS_TEXT);
    root.adoptedStyleSheets = [sheet];
    live = document.createElement('div');
    live.className = 'sr-only';
    live.setAttribute('role', 'status');
    live.setAttribute('aria-live', 'polite');
    root.append(live);
  }
  if (!host.isConnected) (document.documentElement || document).append(host);
  return root;
}

/** Whether `node` is the UI layer's host (what events from inside its shadow root are retargeted to). */
export function isOverlay(node) {
  return Boolean(host) && node === host;
}

/** Announces `text` politely to screen readers. */
export function announce(text) {
  overlayRoot();
  live.textContent = '';
  setTimeout(() => (live.textContent = text), 50);
}

/**
 * The box the user sees as the editor: editors often sit in padded wrappers (Draft.js, Quill), so the
 * outermost close ancestor not much larger than the editable element.
 */
export function visualBox(element) {
  const own = element.getBoundingClientRect();
  let box = element;
  for (let node = element.parentElement, i = 0; node && i < 5; node = node.parentElement, i++) {
    const r = node.getBoundingClientRect();
    if (r.width - own.width > 48 || r.height - own.height > 96) break;
    box = node;
  }
  return box;
}

/**
 * Calls `update(boxRect, ownRect)` (batched per animation frame) whenever `element` may have moved: scrolling anywhere,
 * window resizes, the element resizing, and a slow poll for layout shifts. Returns a stop function.
 */
export function follow(element, update) {
  let frame = 0;
  let last = '';
  let box = visualBox(element);
  const run = timed(() => {
    frame = 0;
    overlayRoot(); // back on the page if the page removed it
    const rect = box.getBoundingClientRect();
    const own = box === element ? rect : element.getBoundingClientRect();
    const key = [rect.left, rect.top, rect.width, rect.height, own.left, own.top, own.width, own.height, innerWidth, innerHeight].join();
    if (key !== last) {
      last = key;
      update(rect, own);
    }
  }, 'follow');
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(run);
  };
  const force = () => {
    last = '';
    box = element.isConnected ? visualBox(element) : element;
    schedule();
  };
  const resize = new ResizeObserver(schedule);
  resize.observe(element);
  addEventListener('scroll', schedule, { capture: true, passive: true });
  addEventListener('resize', schedule, { passive: true });
  const poll = setInterval(schedule, 500);
  return {
    refresh: force,
    stop() {
      cancelAnimationFrame(frame);
      resize.disconnect();
      removeEventListener('scroll', schedule, { capture: true });
      removeEventListener('resize', schedule);
      clearInterval(poll);
    },
  };
}
