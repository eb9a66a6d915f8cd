// A read-only view of this frame's state for tests and troubleshooting, as a global of the content
// script's isolated world (globalThis.__blindaje): pages cannot see it; DevTools and CDP can.
import { registeredRanges } from './highlights.js';
import { perfReport, resetPerf } from './perf.js';
import { overlayRoot } from './overlay.js';

/** Text of the editor before `range` with block boundaries ignored, to locate the range in the model. */
function flatOffset(root, range) {
  const before = new Range();
  before.setStart(root, 0);
  before.setEnd(range.startContainer, range.startOffset);
  return before.toString().length;
}

export function installDebugHandle({ composers, client, badge, guard }) {
  globalThis.__blindaje = {
    snapshot() {
      const list = [...composers.values()];
      const ranges = registeredRanges();
      return {
        engine: client.mode,
        frameWarnings: badge.count,
        confirmOpen: guard.dialogOpen(),
        composers: list.map((c) => ({
          editor: c.kind,
          text: c.snapshot ? c.snapshot.text : null,
          context: c.result ? c.result.context : null,
          via: c.result ? c.result.via : null,
          warnings: c.warnings,
          findings: c.items.map(({ finding }) => ({ rule: finding.rule, category: finding.category, severity: finding.severity,
            start: finding.start, end: finding.end, excerpt: finding.excerpt })),
          highlights: ranges.filter(({ range }) => c.root.contains(range.startContainer))
            .map(({ name, range }) => ({ name, text: range.toString(), flatStart: flatOffset(c.root, range) })),
          mirror: c.mirror ? c.mirror.drawn() : null,
          chip: !c.chip.element.hidden && c.chip.element.isConnected,
          panel: {
            visible: !c.panel.element.hidden && c.panel.element.isConnected,
            shown: c.panel.element.checkVisibility({ visibilityProperty: true }),
            entries: c.panel.entries(),
          },
        })),
      };
    },
    /** Viewport centre of the `index`-th element matching `selector` in the UI layer (for real mouse clicks). */
    point(selector, index = 0) {
      const target = overlayRoot().querySelectorAll(selector)[index];
      if (!target) return null;
      const r = target.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    },
    /** Text of the elements matching `selector` in the UI layer. */
    texts(selector) {
      return [...overlayRoot().querySelectorAll(selector)].filter((n) => n.checkVisibility()).map((n) => n.textContent);
    },
    perf: perfReport,
    resetPerf,
  };
}
