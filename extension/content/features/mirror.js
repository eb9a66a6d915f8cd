// Underlines findings in a <textarea> or <input> (the Highlight API cannot reach inside them): a mirror with
// the same box, font and text is laid over it in the UI layer, text transparent, the flagged words marked.
import { overlayRoot } from './overlay.js';

const COPIED = [
  'borderTopWidth', 'borderRightWidth', 'borderBottomWidth', 'borderLeftWidth',
  'borderStyle', 'paddingTop', 'paddingRight', 'paddingBottom', 'paddingLeft', 'fontFamily', 'fontSize', 'fontStyle',
  'fontVariant', 'fontWeight', 'fontStretch', 'fontFeatureSettings', 'fontKerning', 'lineHeight', 'letterSpacing',
  'wordSpacing', 'textAlign', 'textIndent', 'textTransform', 'tabSize', 'whiteSpace', 'overflowWrap', 'wordBreak',
  'direction', 'writingMode', 'borderRadius',
];

export class Mirror {
  constructor(textarea) {
    this.textarea = textarea;
    this.element = document.createElement('div');
    this.element.className = 'mirror';
    this.marks = [];
    this.onScroll = () => this.syncScroll();
    textarea.addEventListener('scroll', this.onScroll, { passive: true });
  }

  /** Shows `text` with `items` ([{start, end, severity}]) marked; nothing at all when there are none. */
  render(text, items) {
    if (!items.length) {
      this.marks = [];
      this.element.replaceChildren();
      this.element.remove();
      return;
    }
    overlayRoot().append(this.element);
    const fragment = document.createDocumentFragment();
    this.marks = [];
    let at = 0;
    for (const item of [...items].sort((a, b) => a.start - b.start)) {
      if (item.start < at || item.end <= item.start) continue; // overlaps and whole-draft notes are not drawn
      fragment.append(text.slice(at, item.start));
      const mark = document.createElement('mark');
      mark.className = item.severity;
      mark.dataset.start = item.start;
      mark.dataset.end = item.end;
      mark.textContent = text.slice(item.start, item.end);
      fragment.append(mark);
      this.marks.push({ item, mark });
      at = item.end;
    }
    // A trailing newline needs a character after it to take up its line, as in the textarea.
    fragment.append(text.slice(at) + (text.endsWith('\n') ? ' ' : ''));
    this.element.replaceChildren(fragment);
    this.place(this.textarea.getBoundingClientRect());
  }

  /** Copies the textarea's box and font and puts the mirror exactly over it. */
  place(rect) {
    if (!this.marks.length) return;
    const style = getComputedStyle(this.textarea);
    const s = this.element.style;
    for (const property of COPIED) s[property] = style[property];
    // The textarea's scrollbar narrows its text; the mirror has none, so pad by its width.
    const scrollbar = this.textarea.offsetWidth - this.textarea.clientWidth
      - parseFloat(style.borderLeftWidth) - parseFloat(style.borderRightWidth);
    s.paddingRight = `${parseFloat(style.paddingRight) + Math.max(0, scrollbar)}px`;
    s.boxSizing = 'border-box';
    s.left = `${rect.left}px`;
    s.top = `${rect.top}px`;
    s.width = `${rect.width}px`;
    s.height = `${rect.height}px`;
    s.display = rect.width && rect.height ? 'block' : 'none';
    if (this.textarea instanceof HTMLInputElement) {
      // One line, vertically centred in the field's content box, as the browser draws an <input>.
      s.whiteSpace = 'pre';
      const inner = this.textarea.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
      s.lineHeight = `${inner}px`;
    }
    this.syncScroll();
  }

  syncScroll() {
    this.element.scrollTop = this.textarea.scrollTop;
    this.element.scrollLeft = this.textarea.scrollLeft;
  }

  focus(item) {
    for (const { item: other, mark } of this.marks) mark.classList.toggle('focus', other === item);
  }

  /** [{start, end, severity, text}] as drawn (for tests and the debug handle). */
  drawn() {
    return this.marks.map(({ item, mark }) => ({ start: item.start, end: item.end, severity: item.severity, text: mark.textContent }));
  }

  remove() {
    this.textarea.removeEventListener('scroll', this.onScroll);
    this.element.remove();
  }
}
