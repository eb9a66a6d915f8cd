// Which element is a composer: the editable root under an event target, and which editor library drives it.
import { isOverlay } from './overlay.js';

const NOT_COMPOSERS = new Set(['combobox', 'searchbox', 'spinbutton']);

/** An e-mail field (where a sign-up form may take an institutional address). */
export function isEmailField(input) {
  return input instanceof HTMLInputElement && (input.type === 'email'
    || (input.type === 'text' && /email|e-mail|correo/i.test(`${input.autocomplete} ${input.name} ${input.id}`)));
}

/** The composer root for `target` (a <textarea>, an e-mail field or the outermost contenteditable), or null. */
export function editableRoot(target) {
  if (!(target instanceof Element) || isOverlay(target)) return null;
  if (target instanceof HTMLTextAreaElement || isEmailField(target)) return target.readOnly || target.disabled ? null : target;
  if (!target.isContentEditable) return null;
  let root = target;
  while (root.parentElement && root.parentElement.isContentEditable) root = root.parentElement;
  if (NOT_COMPOSERS.has(root.getAttribute('role')) || root.getAttribute('aria-readonly') === 'true') return null;
  return root;
}

/** The element focused right now, looking inside open shadow roots. */
export function deepActiveElement(doc = document) {
  let active = doc.activeElement;
  while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** textarea | input | draftjs | lexical | prosemirror | quill | contenteditable. */
export function editorKind(root) {
  if (root instanceof HTMLTextAreaElement) return 'textarea';
  if (root instanceof HTMLInputElement) return 'input';
  if (root.classList.contains('public-DraftEditor-content') || root.closest('.DraftEditor-root')) return 'draftjs';
  if (root.dataset.lexicalEditor === 'true') return 'lexical';
  if (root.classList.contains('ProseMirror')) return 'prosemirror';
  if (root.classList.contains('ql-editor')) return 'quill';
  return 'contenteditable';
}
