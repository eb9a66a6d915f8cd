// The compact panel by a composer: every finding with its category, message, quoted guideline and
// suggestion; hovering or focusing an entry shows its words; "Ignorar aquí" hides it for this draft.
// Keyboard: Alt+Shift+B from the composer focuses the panel, arrows move, Esc returns to the text.
import { count, t } from '../../shared/i18n.js';
import { overlayRoot } from './overlay.js';
import { timed } from './perf.js';

const PANEL_WIDTH = 320;
const GAP = 8;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export class Panel {
  /** handlers: {hover(item|null), ignore(item), escape()} */
  constructor(handlers) {
    this.handlers = handlers;
    this.items = [];
    this.collapsed = false; // the user closed it
    this.compact = false; // another composer is in use: header only
    this.element = el('section', 'panel');
    this.element.setAttribute('role', 'region');
    this.element.setAttribute('aria-label', t('extName'));
    this.element.title = t('panelHelp');
    const header = el('header');
    this.title = el('span', 'title');
    this.toggle = el('button', 'toggle');
    this.toggle.type = 'button';
    this.toggle.addEventListener('click', timed(() => {
      this.collapsed = !this.isCollapsed();
      this.compact = false;
      this.refreshState();
    }));
    header.append(this.title, this.toggle);
    this.list = el('ol');
    this.element.append(header, this.list);
    this.element.addEventListener('keydown', timed((event) => this.onKey(event)));
    this.element.hidden = true;
  }

  isCollapsed() {
    return this.collapsed || this.compact;
  }

  /** Header only while another composer is in use (so this panel never covers it). */
  setCompact(compact) {
    if (compact === this.compact) return;
    this.compact = compact;
    this.refreshState();
  }

  refreshState() {
    const collapsed = this.isCollapsed();
    this.element.classList.toggle('collapsed', collapsed);
    this.toggle.textContent = collapsed ? t('panelShow') : t('panelHide');
    this.toggle.setAttribute('aria-expanded', String(!collapsed));
    if (this.onResize) this.onResize();
  }

  /** Shows `items` ([{finding, severity}]); hides the panel when there are none. */
  update(items) {
    this.items = items;
    overlayRoot().append(this.element);
    if (!items.length) {
      this.element.hidden = true;
      this.list.replaceChildren();
      return;
    }
    const warnings = items.filter((i) => i.severity !== 'low').length;
    const hints = items.length - warnings;
    const parts = [];
    if (warnings) parts.push(count(warnings, 'oneWarning', 'manyWarnings'));
    if (hints) parts.push(count(hints, 'oneHint', 'manyHints'));
    this.title.textContent = `${t('extName')}: ${parts.join(', ')}`;
    this.element.classList.toggle('has-high', items.some((i) => i.severity === 'high'));
    this.element.classList.toggle('hints-only', warnings === 0);
    this.refreshState();
    this.list.replaceChildren(...items.map((item, index) => this.entry(item, index)));
    this.element.hidden = false;
  }

  entry(item, index) {
    const { finding } = item;
    const li = el('li');
    li.tabIndex = 0;
    li.dataset.index = index;
    li.dataset.rule = finding.rule;
    const meta = el('div', 'meta');
    meta.append(el('span', `sev ${item.severity}`, t(`severity_${item.severity}`)), el('span', 'cat', t(`category_${finding.category}`)),
      el('span', 'words', `«${finding.excerpt}»`));
    li.append(meta, el('p', 'message', finding.message));
    const quote = el('blockquote', 'guideline', `«${finding.guideline}»`);
    quote.title = t('guideline');
    li.append(quote);
    if (finding.suggestion) li.append(el('p', 'suggestion', finding.suggestion));
    const actions = el('div', 'actions');
    const ignore = el('button', 'ignore', t('ignoreHere'));
    ignore.type = 'button';
    ignore.title = t('ignoreHereHelp');
    ignore.addEventListener('click', timed(() => this.handlers.ignore(item)));
    actions.append(ignore);
    li.append(actions);
    const show = timed(() => this.handlers.hover(item));
    const hide = timed(() => this.handlers.hover(null));
    li.addEventListener('mouseenter', show);
    li.addEventListener('mouseleave', hide);
    li.addEventListener('focusin', show);
    li.addEventListener('focusout', hide);
    return li;
  }

  onKey(event) {
    const entries = [...this.list.children];
    const at = entries.indexOf(event.target.closest ? event.target.closest('li') : null);
    if (event.key === 'Escape') {
      event.preventDefault();
      this.handlers.escape();
    } else if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && entries.length) {
      event.preventDefault();
      const next = at < 0 ? 0 : (at + (event.key === 'ArrowDown' ? 1 : entries.length - 1)) % entries.length;
      entries[next].focus();
    }
  }

  /** Moves keyboard focus into the panel (first entry). */
  focus() {
    if (this.element.hidden) return false;
    this.collapsed = false;
    this.compact = false;
    this.refreshState();
    (this.list.firstElementChild || this.toggle).focus();
    return true;
  }

  /**
   * Beside the composer (right, else left) when there is room; else under it, aligned with its left
   * edge (publish buttons usually sit on the right), scrolling when short of room; above it only when
   * there is not even 200 px below.
   */
  place(rect) {
    if (this.element.hidden) return;
    const s = this.element.style;
    s.visibility = rect.bottom > 0 && rect.top < innerHeight && rect.width > 0 ? 'visible' : 'hidden';
    s.maxHeight = '';
    const height = this.element.offsetHeight || 160;
    const top = Math.max(GAP, Math.min(rect.top, innerHeight - height - GAP));
    if (rect.right + GAP + PANEL_WIDTH <= innerWidth - GAP) {
      s.left = `${rect.right + GAP}px`;
      s.top = `${top}px`;
    } else if (rect.left - GAP - PANEL_WIDTH >= GAP) {
      s.left = `${rect.left - GAP - PANEL_WIDTH}px`;
      s.top = `${top}px`;
    } else {
      s.left = `${Math.max(GAP, Math.min(rect.left, innerWidth - PANEL_WIDTH - GAP))}px`;
      const below = innerHeight - rect.bottom - 2 * GAP;
      const above = rect.top - 2 * GAP;
      if (height <= below || below >= Math.min(height, 200) || below >= above) {
        s.top = `${rect.bottom + GAP}px`;
        if (height > below) s.maxHeight = `${Math.max(120, below)}px`;
      } else {
        s.maxHeight = `${Math.max(120, above)}px`;
        s.top = `${Math.max(GAP, rect.top - GAP - Math.min(height, above))}px`;
      }
    }
  }

  /** [{rule, severity, category, text}] (for tests and the debug handle). */
  entries() {
    return [...this.list.children].map((li, i) => ({
      rule: li.dataset.rule,
      severity: this.items[i].severity,
      category: this.items[i].finding.category,
      text: li.textContent,
    }));
  }

  remove() {
    this.element.remove();
  }
}
