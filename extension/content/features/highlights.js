// Underlines findings in contenteditable editors with the CSS Custom Highlight API: the editor's DOM is
// never touched. Styles come from content.css for the document and are adopted into shadow roots.

export const HIGHLIGHTS = { high: 'blindaje-high', medium: 'blindaje-medium', low: 'blindaje-hint', focus: 'blindaje-focus' };
const PRIORITY = { low: 1, medium: 2, high: 3, focus: 4 };
export const supported = typeof CSS !== 'undefined' && 'highlights' in CSS && typeof Highlight === 'function';

const SHADOW_CSS = `
::highlight(blindaje-high) { background-color: rgba(220, 38, 38, 0.16); text-decoration: underline wavy #c81e1e; text-decoration-thickness: 2px; }
::highlight(blindaje-medium) { background-color: rgba(234, 88, 12, 0.14); text-decoration: underline wavy #c2410c; text-decoration-thickness: 2px; }
::highlight(blindaje-hint) { text-decoration: underline dotted #1d4ed8; text-decoration-thickness: 2px; }
::highlight(blindaje-focus) { background-color: rgba(250, 204, 21, 0.55); }
`;

const owned = new Map(); // severity → our Highlight object
const byComposer = new Map(); // composer → [{severity, range}]
let focused = null; // the range emphasised by the panel
let shadowSheet = null;

/** Our Highlight for `severity`, registered again if the page removed or replaced it. */
function highlight(severity) {
  let h = owned.get(severity);
  if (!h) {
    h = new Highlight();
    h.priority = PRIORITY[severity];
    owned.set(severity, h);
  }
  if (CSS.highlights.get(HIGHLIGHTS[severity]) !== h) CSS.highlights.set(HIGHLIGHTS[severity], h);
  return h;
}

/** Makes ::highlight() styles reach an editor living in a shadow root. */
export function styleShadowRootOf(element) {
  const root = element.getRootNode();
  if (!(root instanceof ShadowRoot)) return;
  if (!shadowSheet) {
    shadowSheet = new CSSStyleSheet();
    shadowSheet.replaceSync(SHADOW_CSS);
  }
  if (!root.adoptedStyleSheets.includes(shadowSheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, shadowSheet];
}

/** Replaces the composer's highlighted ranges with `items` ([{severity, range}]). */
export function setRanges(composer, items) {
  if (!supported) return;
  for (const { severity, range } of byComposer.get(composer) || []) highlight(severity).delete(range);
  for (const { severity, range } of items) highlight(severity).add(range);
  if (items.length) byComposer.set(composer, items);
  else byComposer.delete(composer);
}

/** Whether all the composer's ranges are still registered (a page may clear CSS.highlights). */
export function stillShown(composer) {
  if (!supported) return true;
  return (byComposer.get(composer) || []).every(({ severity, range }) => {
    const h = owned.get(severity);
    return CSS.highlights.get(HIGHLIGHTS[severity]) === h && h.has(range);
  });
}

/** Emphasises one range (panel entry hovered or focused); null clears. */
export function focusRange(range) {
  if (!supported) return;
  const h = highlight('focus');
  h.clear();
  focused = range;
  if (range) h.add(range);
}

/**
 * Which of our ranges the registry holds right now (for tests and the debug handle): [{name, range}].
 * The registry is asked about each range we drew rather than iterated: Firefox content scripts see the
 * page's Highlight objects through Xray wrappers, which can neither iterate nor call back (forEach).
 */
export function registeredRanges() {
  if (!supported) return [];
  const drawn = [...byComposer.values()].flat();
  if (focused) drawn.push({ severity: 'focus', range: focused });
  return drawn.filter(({ severity, range }) => {
    const h = CSS.highlights.get(HIGHLIGHTS[severity]);
    return h === owned.get(severity) && h.has(range);
  }).map(({ severity, range }) => ({ name: HIGHLIGHTS[severity], range }));
}
