// One composer the user types in: watches it without touching it, analyses its text (debounced), and
// draws the result: highlights or a textarea mirror, the panel, and this composer's share of the badge.
import { isWarning } from '../shared/protocol.js';
import { t } from '../shared/i18n.js';
import { deepActiveElement, editorKind } from './features/editors.js';
import { takeSnapshot, rangeFor } from './features/snapshot.js';
import { focusRange, setRanges, stillShown, styleShadowRootOf } from './features/highlights.js';
import { Mirror } from './features/mirror.js';
import { Panel } from './features/panel.js';
import { announce, follow, isOverlay } from './features/overlay.js';
import { AccountChip } from './features/account.js';
import { mediaScope } from './features/context.js';
import { charge, inputEvent, rendered, timed } from './features/perf.js';

export const DEBOUNCE_MS = 150;
const RETRY_MS = 1000;

/**
 * Key of a finding for "Ignorar aquí": its rule, its words and the word on each side, not its offset,
 * so it survives edits elsewhere in the draft (editing right next to the words brings it back).
 */
function ignoreKey(finding, text) {
  const before = text.slice(0, finding.start).split(/\s+/).slice(-2).join(' ');
  const after = text.slice(finding.end).split(/\s+/).slice(0, 2).join(' ');
  return `${finding.rule}\u0000${before}\u0000${finding.excerpt}\u0000${after}`.toLowerCase();
}

export class Composer {
  /** services: {analyze(root, text) → {findings, context, via}, changed(), ignored(rule), activate(composer), mediaCount(root)} */
  constructor(root, services) {
    this.root = root;
    this.services = services;
    this.kind = editorKind(root);
    this.textarea = this.kind === 'textarea' || this.kind === 'input'; // read through .value
    this.changes = 0;
    this.timer = 0;
    this.result = null; // {findings, context, via}
    this.snapshot = null;
    this.items = []; // shown: [{finding, severity, range?}]
    this.ignored = new Set();
    this.warnings = 0;
    this.mirror = this.textarea ? new Mirror(root) : null;
    this.panel = new Panel({
      hover: (item) => this.emphasise(item),
      ignore: (item) => this.ignore(item),
      escape: () => this.root.focus(),
    });
    this.chip = new AccountChip();
    this.analysed = -1; // this.changes when the shown result was computed
    this.waiters = [];
    this.follower = null;
    this.panel.onResize = () => this.follower && this.follower.refresh();
    this.focused = false;
    this.onFocus = () => {
      this.focused = true;
      this.services.activate(this);
    };
    this.onBlur = (event) => {
      // Focus going to the extension's own UI (the chip's buttons) keeps the question up.
      if (event.relatedTarget && isOverlay(event.relatedTarget)) return;
      this.focused = false;
      this.chip.update(null, false);
    };
    this.onChange = () => {
      inputEvent();
      const started = performance.now();
      this.changes++;
      this.schedule(DEBOUNCE_MS);
      charge(performance.now() - started, 'input');
    };
    this.onKeydown = timed((event) => {
      if (event.altKey && event.shiftKey && event.code === 'KeyB' && this.panel.focus()) event.preventDefault();
    }, 'keydown');
    if (this.textarea) {
      root.addEventListener('input', this.onChange);
    } else {
      styleShadowRootOf(root);
      this.observer = new MutationObserver(this.onChange);
      this.observer.observe(root, { characterData: true, childList: true, subtree: true });
      // Attached photos and videos change the advice: re-analyse when the composer's media count changes.
      const scope = mediaScope(root);
      if (scope) {
        this.mediaSeen = this.services.mediaCount(root);
        this.mediaObserver = new MutationObserver(timed(() => {
          const n = this.services.mediaCount(root);
          if (n !== this.mediaSeen) {
            this.mediaSeen = n;
            this.schedule(0);
          }
        }, 'media'));
        this.mediaObserver.observe(scope, { childList: true, subtree: true });
      }
    }
    root.addEventListener('keydown', this.onKeydown);
    root.addEventListener('focusin', this.onFocus);
    root.addEventListener('focusout', this.onBlur);
    this.focused = root.contains(deepActiveElement());
    this.schedule(0);
  }

  schedule(delay) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), delay);
  }

  /** Analyses the current text; a newer change while waiting wins (its own run is already scheduled). */
  async run() {
    if (!this.root.isConnected) return;
    let started = performance.now();
    const changes = this.changes;
    const snapshot = takeSnapshot(this.root);
    if (!snapshot.text.trim()) this.ignored.clear(); // a new draft
    charge(performance.now() - started, 'snapshot');
    let result = { findings: [], context: null, via: 'none' };
    try {
      if (snapshot.text.trim()) {
        started = performance.now();
        const pending = this.services.analyze(this.root, snapshot.text); // the in-page engine runs right here
        charge(performance.now() - started, 'analyze');
        result = await pending;
      }
    } catch (error) {
      // Once per change (a worker restart, a frame reconnecting): a text that failed twice, e.g. an
      // analysis that timed out, is not sent again until it changes.
      if (this.retried === changes) {
        console.warn('Blindaje: analysis failed again; waiting for the next change:', error);
        return;
      }
      console.warn('Blindaje: analysis failed, retrying once:', error);
      this.retried = changes;
      this.schedule(RETRY_MS);
      return;
    }
    if (changes !== this.changes || !this.root.isConnected) return;
    started = performance.now();
    const unchanged = this.sameAsShown(result, snapshot);
    this.result = result;
    this.snapshot = snapshot;
    this.analysed = changes;
    if (!unchanged) this.render();
    for (const resolve of this.waiters.splice(0)) resolve();
    charge(performance.now() - started, unchanged ? 'unchanged' : 'render');
    rendered();
  }

  /** True when `result` would draw exactly what is on screen (same findings, ranges still on their words). */
  sameAsShown(result, snapshot) {
    if (!this.result || JSON.stringify(this.result.context) !== JSON.stringify(result.context)) return false;
    const key = (findings) => findings.map((f) => `${f.rule}:${f.start}:${f.end}:${f.severity}`).join();
    if (key(this.result.findings) !== key(result.findings)) return false;
    if (this.textarea) return !this.items.length || this.snapshot.text === snapshot.text;
    return stillShown(this) && this.items.every((item) => !item.range || item.range.toString() === snapshot.text.slice(item.start, item.end));
  }

  /** Draws the last result, leaving out what was ignored for this draft. */
  render() {
    const { snapshot } = this;
    const before = this.warnings;
    const shownBefore = new Set(this.items.filter(isWarning).map((i) => i.finding.rule + i.finding.excerpt));
    this.items = [];
    for (const finding of this.result ? this.result.findings : []) {
      if (this.ignored.has(ignoreKey(finding, snapshot.text))) continue;
      const item = { finding, severity: finding.severity, start: finding.start, end: finding.end };
      if (!this.textarea && finding.end > finding.start) {
        item.range = rangeFor(snapshot, finding.start, finding.end, this.root);
        if (!item.range) continue;
      }
      this.items.push(item);
    }
    if (this.textarea) this.mirror.render(snapshot.text, this.items.filter((i) => i.end > i.start));
    else setRanges(this, this.items.filter((i) => i.range).map((i) => ({ severity: i.severity, range: i.range })));
    this.panel.update(this.items);
    this.chip.update(snapshot.text.trim() ? this.result && this.result.context : null, this.focused);
    this.warnings = this.items.filter(isWarning).length;
    const fresh = this.items.filter((i) => isWarning(i) && !shownBefore.has(i.finding.rule + i.finding.excerpt));
    if (fresh.length) announce(t('announceWarning', fresh[0].finding.message));
    this.followIfNeeded();
    if (this.warnings !== before) this.services.changed();
  }

  /** Whether this is the composer in use (the others show only their panel's header). */
  setActive(active) {
    this.panel.setCompact(!active);
    if (this.result) {
      this.chip.update(this.snapshot.text.trim() ? this.result.context : null, this.focused);
      this.followIfNeeded();
    }
  }

  /** Resolves when the text as it is now has been analysed and drawn (the publish guard waits for it). */
  flush() {
    if (this.analysed === this.changes) return Promise.resolve();
    this.schedule(0);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  followIfNeeded() {
    const needed = this.items.length > 0 || !this.chip.element.hidden;
    if (needed && !this.follower) {
      this.follower = follow(this.root, (box, own) => {
        this.panel.place(box);
        this.chip.place(box);
        if (this.mirror) this.mirror.place(own);
      });
    } else if (!needed && this.follower) {
      this.follower.stop();
      this.follower = null;
    }
    if (this.follower) this.follower.refresh();
  }

  emphasise(item) {
    if (this.mirror) this.mirror.focus(item);
    else focusRange(item ? item.range : null);
  }

  ignore(item) {
    this.ignored.add(ignoreKey(item.finding, this.snapshot.text));
    this.emphasise(null);
    this.services.ignored(item.finding.rule);
    this.render();
    this.root.focus();
  }

  /** Stops watching and removes everything drawn (the composer left the page). */
  detach() {
    clearTimeout(this.timer);
    if (this.observer) this.observer.disconnect();
    if (this.mediaObserver) this.mediaObserver.disconnect();
    for (const resolve of this.waiters.splice(0)) resolve();
    this.root.removeEventListener('input', this.onChange);
    this.root.removeEventListener('keydown', this.onKeydown);
    this.root.removeEventListener('focusin', this.onFocus);
    this.root.removeEventListener('focusout', this.onBlur);
    if (this.follower) this.follower.stop();
    setRanges(this, []);
    if (this.mirror) this.mirror.remove();
    this.panel.remove();
    this.chip.remove();
    this.items = [];
    if (this.warnings) {
      this.warnings = 0;
      this.services.changed();
    }
  }
}
