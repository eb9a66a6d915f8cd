// Finds the composers of this frame: the one the user focuses or types in (also inside open shadow roots,
// through the event's composed path), drafts already holding text when the page loads or adds them
// later (single-page apps: a throttled MutationObserver), and composers that left the page.
import { deepActiveElement, editableRoot } from './editors.js';
import { timed } from './perf.js';

const CANDIDATES = 'textarea, [contenteditable]:not([contenteditable="false"])';
const SCAN_EVERY_MS = 1000;

/** attach(root) is called for each composer root (repeatedly; it must ignore known ones); sweep() after each scan. */
export function startDiscovery({ attach, sweep }) {
  const fromEvent = timed((event) => {
    const root = editableRoot(event.composedPath()[0]);
    if (root) attach(root);
  }, 'discovery');
  addEventListener('focusin', fromEvent, true);
  addEventListener('input', fromEvent, true);

  let scanTimer = 0;
  const scan = timed(() => {
    scanTimer = 0;
    sweep();
    const active = editableRoot(deepActiveElement());
    if (active) attach(active);
    for (const element of document.querySelectorAll(CANDIDATES)) {
      const root = editableRoot(element);
      if (root === element && (root.value || root.textContent).trim()) attach(root);
    }
  }, 'scan');
  const scheduleScan = () => {
    if (!scanTimer) scanTimer = setTimeout(() => (self.requestIdleCallback ? requestIdleCallback(scan, { timeout: 500 }) : scan()), SCAN_EVERY_MS);
  };
  const start = () => {
    scheduleScan();
    new MutationObserver(timed(scheduleScan, 'page-mutations')).observe(document, { childList: true, subtree: true });
  };
  if (document.readyState === 'loading') addEventListener('DOMContentLoaded', start, { once: true });
  else start();
}
