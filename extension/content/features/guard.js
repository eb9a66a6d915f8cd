// The check before publishing (policy "enforcement": "confirm"): a click on the site's publish button, or
// Ctrl/Cmd+Enter in a composer, while a high warning stands is held in the capture phase (before the
// page sees it) and a dialog asks "Publicar de todos modos" / "Revisar". Publishing anyway lets the very
// same action through; the draft is never touched. With "warn" (the default) nothing is held.
import { t } from '../../shared/i18n.js';
import { overlayRoot } from './overlay.js';
import { editableRoot } from './editors.js';

/**
 * composers: Map root → Composer; adapter(): the site adapter or null; enforcement(): 'warn'|'confirm';
 * lastActive(): the composer last focused.
 */
export function startGuard({ composers, adapter, enforcement, lastActive }) {
  let bypass = false;
  let dialog = null;

  const highs = (composer) => composer.items.filter((i) => i.severity === 'high');

  /** The composer a publish button belongs to: one in the same form/dialog/section, else the last used. */
  function composerFor(button) {
    for (let scope = button.parentElement; scope; scope = scope.parentElement) {
      const inside = [...composers.values()].filter((c) => scope.contains(c.root));
      if (inside.length) return inside.find((c) => c === lastActive()) || inside[0];
      if (scope.matches('form, [role="dialog"], section, article, main')) break;
    }
    return lastActive();
  }

  function publishButton(event) {
    const selector = adapter() && adapter().publish;
    if (!selector) return null;
    const target = event.composedPath()[0];
    try {
      return target instanceof Element ? target.closest(selector) : null;
    } catch {
      return null; // a stale selector in the pack
    }
  }

  /** Holds `event` if `composer` has (or, once analysed, will have) a high warning; `release` re-runs it. */
  function hold(event, composer, release) {
    if (bypass || enforcement() !== 'confirm' || !composer) return;
    const pending = composer.analysed !== composer.changes;
    if (!pending && !highs(composer).length) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    composer.flush().then(() => {
      if (!highs(composer).length) return letThrough(release);
      ask(composer, release);
    });
  }

  function letThrough(release) {
    bypass = true;
    try {
      release();
    } finally {
      bypass = false;
    }
  }

  function ask(composer, release) {
    close();
    const root = overlayRoot();
    dialog = document.createElement('div');
    dialog.className = 'confirm';
    dialog.setAttribute('role', 'alertdialog');
    dialog.setAttribute('aria-modal', 'true');
    const title = document.createElement('h2');
    title.id = 'blindaje-confirm-title';
    title.textContent = t('confirmTitle');
    dialog.setAttribute('aria-labelledby', title.id);
    const list = document.createElement('ul');
    for (const item of highs(composer)) {
      const li = document.createElement('li');
      li.textContent = `«${item.finding.excerpt}»: ${item.finding.message}`;
      list.append(li);
    }
    const review = document.createElement('button');
    review.type = 'button';
    review.className = 'review';
    review.textContent = t('confirmReview');
    const publish = document.createElement('button');
    publish.type = 'button';
    publish.className = 'publish';
    publish.textContent = t('confirmPublish');
    const actions = document.createElement('div');
    actions.className = 'actions';
    actions.append(publish, review);
    dialog.append(title, list, actions);
    review.addEventListener('click', () => {
      close();
      composer.root.focus();
    });
    publish.addEventListener('click', () => {
      close();
      letThrough(release);
    });
    dialog.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') review.click();
      event.stopPropagation();
    });
    const rect = composer.root.getBoundingClientRect();
    dialog.style.top = `${Math.max(8, Math.min(rect.top, innerHeight - 220))}px`;
    dialog.style.left = `${Math.max(8, Math.min(rect.left, innerWidth - 440))}px`;
    root.append(dialog);
    review.focus();
  }

  function close() {
    if (dialog) dialog.remove();
    dialog = null;
  }

  addEventListener('click', (event) => {
    const button = publishButton(event);
    if (button) hold(event, composerFor(button), () => button.click());
  }, true);

  addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    const target = event.composedPath()[0];
    const replay = () => target.dispatchEvent(new KeyboardEvent('keydown', {
      key: event.key, code: event.code, keyCode: event.keyCode, ctrlKey: event.ctrlKey, metaKey: event.metaKey,
      shiftKey: event.shiftKey, altKey: event.altKey, bubbles: true, cancelable: true, composed: true,
    }));
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      const root = editableRoot(target);
      const composer = root && composers.get(root);
      if (composer) return hold(event, composer, replay);
    }
    const button = publishButton(event);
    if (button && !(target instanceof HTMLButtonElement)) hold(event, composerFor(button), replay); // div role=button
  }, true);

  return { dialogOpen: () => Boolean(dialog) };
}
