// Which account is typing when the page does not tell: the user's answer, remembered per site and handle
// (per site when no handle is known) in storage.local, asked once with a small chip by the composer.
// A handle the policy lists stays institutional whatever the answer (see shared/engine-host.js).
import { CHOICES_KEY, choiceKey, readChoices, setChoice } from '../../shared/accounts.js';
import { t } from '../../shared/i18n.js';
import { overlayRoot } from './overlay.js';
import { timed } from './perf.js';

let choices = {};

/** Loads the answers and calls `onChange` when they change (the popup's switch, another tab's chip). */
export async function loadChoices(onChange) {
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && changes[CHOICES_KEY]) {
      choices = changes[CHOICES_KEY].newValue || {};
      onChange();
    }
  });
  choices = await readChoices();
}

export function choiceFor(site, handle) {
  return choices[choiceKey(site, handle)] || null;
}

/** "¿Esta cuenta es institucional o personal?" above the composer, until answered or dismissed. */
export class AccountChip {
  constructor() {
    this.element = document.createElement('div');
    this.element.className = 'chip';
    this.element.setAttribute('role', 'group');
    this.element.setAttribute('aria-label', t('extName'));
    this.element.hidden = true;
    this.dismissed = false;
    this.context = null;
    const question = document.createElement('span');
    question.textContent = t('chipQuestion');
    const button = (account, label) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.account = account;
      b.textContent = label;
      b.addEventListener('click', timed(() => {
        this.element.hidden = true;
        if (account === 'dismiss') this.dismissed = true;
        else setChoice(this.context.site, this.context.handle, account);
      }));
      return b;
    };
    this.element.append(question, button('institutional', t('accountInstitutional')), button('personal', t('accountPersonal')),
      button('dismiss', '×'));
    this.element.lastChild.setAttribute('aria-label', t('chipDismiss'));
  }

  /** Shown while the account of an active, non-empty draft is unknown. */
  update(context, active) {
    this.context = context;
    const ask = Boolean(context && context.accountSource === 'default' && context.kind !== 'signup' && active && !this.dismissed);
    if (ask) overlayRoot().append(this.element);
    this.element.hidden = !ask;
  }

  place(rect) {
    if (this.element.hidden) return;
    const s = this.element.style;
    const height = this.element.offsetHeight || 30;
    s.top = `${rect.top - height - 4 >= 0 ? rect.top - height - 4 : rect.bottom + 4}px`;
    s.left = `${Math.max(4, rect.right - (this.element.offsetWidth || 320))}px`;
    s.visibility = rect.bottom > 0 && rect.top < innerHeight ? 'visible' : 'hidden';
  }

  remove() {
    this.element.remove();
  }
}
