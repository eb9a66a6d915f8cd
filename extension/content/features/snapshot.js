// Text snapshot of an editor in ONE pass: the text the engine analyses ({text}) and the map from its
// UTF-16 offsets back to DOM points ({segments}). <br> and block boundaries become "\n".

const BLOCKS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DETAILS', 'DIV', 'DL', 'DT', 'FIGCAPTION', 'FIGURE',
  'FOOTER', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE',
  'SECTION', 'SUMMARY', 'TABLE', 'TR', 'UL',
]);
const SKIP = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT']);

/** {text, segments: [{start, node}]} for a <textarea>, an <input> or a contenteditable root. */
export function takeSnapshot(root) {
  if (root instanceof HTMLTextAreaElement || root instanceof HTMLInputElement) return { text: root.value, segments: [], textarea: true };
  const parts = [];
  const segments = [];
  let length = 0;
  let pendingBreak = false;
  let lineHasText = false;
  const push = (s) => {
    parts.push(s);
    length += s.length;
  };
  const flushBreak = () => {
    if (pendingBreak && length > 0 && parts[parts.length - 1].slice(-1) !== '\n') push('\n');
    pendingBreak = false;
  };
  const walk = (node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) {
        const data = child.data;
        if (!data || isBlankBetweenBlocks(child)) continue;
        flushBreak();
        segments.push({ start: length, node: child });
        push(data);
        lineHasText = true;
      } else if (child.nodeType === 1) {
        const tag = child.tagName;
        if (SKIP.has(tag)) continue;
        if (tag === 'BR') {
          flushBreak();
          // A <br> closing a block that already has text on its line draws no extra line.
          if (!(lineHasText && isLastInBlock(child, root))) push('\n');
          lineHasText = false;
          continue;
        }
        const block = BLOCKS.has(tag);
        if (block) {
          pendingBreak = true;
          lineHasText = false;
        }
        walk(child);
        if (block) {
          pendingBreak = true;
          lineHasText = false;
        }
      }
    }
  };
  walk(root);
  return { text: parts.join(''), segments, textarea: false };
}

function isBlankBetweenBlocks(textNode) {
  if (/\S/.test(textNode.data)) return false;
  const isBlockOrNone = (n) => !n || (n.nodeType === 1 && BLOCKS.has(n.tagName));
  return isBlockOrNone(textNode.previousSibling) && isBlockOrNone(textNode.nextSibling);
}

function isLastInBlock(br, root) {
  for (let node = br; node !== root && !(node.nodeType === 1 && BLOCKS.has(node.tagName)); node = node.parentNode) {
    for (let next = node.nextSibling; next; next = next.nextSibling) {
      if (next.nodeType === 1 || (next.nodeType === 3 && next.data.length)) return false;
    }
  }
  return true;
}

/** The DOM point of text offset `offset`; `end` picks the end of the previous node at a boundary. */
export function pointAt(snapshot, offset, end) {
  const { segments } = snapshot;
  let lo = 0;
  let hi = segments.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid].start <= offset - (end ? 1 : 0)) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (found < 0) return segments.length ? { node: segments[0].node, offset: 0 } : null;
  const { node, start } = segments[found];
  const local = offset - start;
  if (local <= node.data.length) return { node, offset: Math.max(0, local) };
  // The offset falls on a synthetic "\n" after this node.
  if (end) return { node, offset: node.data.length };
  const next = segments[found + 1];
  return next ? { node: next.node, offset: 0 } : { node, offset: node.data.length };
}

/** A live Range for [start, end) of the snapshot, or null when its nodes changed since. */
export function rangeFor(snapshot, start, endOffset, root) {
  const a = pointAt(snapshot, start, false);
  const b = pointAt(snapshot, endOffset, true);
  if (!a || !b || !a.node.isConnected || !b.node.isConnected || !root.contains(a.node)) return null;
  const range = new Range();
  try {
    range.setStart(a.node, Math.min(a.offset, a.node.data.length));
    range.setEnd(b.node, Math.min(b.offset, b.node.data.length));
  } catch {
    return null;
  }
  return range.collapsed ? null : range;
}
