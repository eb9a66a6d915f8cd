// What the page says about a draft, through the site adapter (data from the rule pack): the site, whether
// the composer is a reply, the signed-in handle or the webmail sender. Stale or invalid selectors count
// as "not found", and generic detection keeps working.

const HANDLE = /@([A-Za-z0-9_][A-Za-z0-9_.-]{0,49})/;
const ADDRESS = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

/** The adapter whose hosts cover `hostname` (www./m. and subdomains included), or null. */
export function adapterFor(sites, hostname) {
  const host = hostname.toLowerCase();
  return (sites || []).find((site) => site.hosts.some((h) => host === h || host.endsWith(`.${h}`))) || null;
}

function safe(fn) {
  try {
    return fn();
  } catch {
    return null; // an invalid selector in the pack
  }
}

/** The first match of `selector` near `root`: in its form/dialog/article first, then the whole document. */
export function nearest(root, selector) {
  if (!selector) return null;
  const scope = safe(() => root.closest('form, [role="dialog"], [role="region"], article'));
  return (scope && safe(() => scope.querySelector(selector))) || safe(() => root.ownerDocument.querySelector(selector));
}

/** "@CEDH_Estado" from the element's text or value, else the last path segment of its link. */
export function readHandle(element) {
  if (!element) return null;
  const text = element.value || element.textContent || element.getAttribute('aria-label') || '';
  const match = text.match(HANDLE);
  if (match) return match[1];
  const link = element.closest('a[href]') || element.querySelector('a[href]');
  if (!link) return null;
  const segment = new URL(link.href, location.href).pathname.split('/').filter(Boolean).pop();
  return segment || null;
}

export function readAddress(element) {
  if (!element) return null;
  for (const text of [element.value, element.getAttribute('email'), element.getAttribute('aria-label'), element.textContent]) {
    const match = text && text.match(ADDRESS);
    if (match) return match[0].toLowerCase();
  }
  return null;
}

const SIGNUP_BUTTON = /crear (una )?cuenta|reg[ií]str|registrar|sign ?up|create (an )?account|join now|[uú]nete/i;

/** Whether the e-mail field `input` sits in a form that creates an account. */
export function isSignupForm(input, adapter) {
  if (adapter && adapter.signup && safe(() => input.closest(adapter.signup))) return true;
  const form = input.closest('form');
  if (!form) return false;
  if (form.querySelector('input[autocomplete="new-password"]')) return true;
  const buttons = form.querySelectorAll('button, input[type="submit"], [role="button"]');
  return Boolean(form.querySelector('input[type="password"]')) && [...buttons].some((b) => SIGNUP_BUTTON.test(b.textContent || b.value || ''));
}

const GENERIC_MEDIA = 'img[src^="blob:"], img[src^="data:"], video';

/** Where a composer's attachments show: its form, dialog, or nearest sectioning container. */
export function mediaScope(root) {
  return root.closest('form, [role="dialog"], section, article') || root.parentElement;
}

/** Number of attached images or videos by the composer (the adapter's selector, else generic). */
export function mediaCount(root, adapter) {
  const scope = mediaScope(root);
  if (!scope) return 0;
  let found = adapter && adapter.media ? safe(() => scope.querySelectorAll(adapter.media)) : null;
  if (!found || !found.length) found = scope.querySelectorAll(GENERIC_MEDIA);
  return [...found].filter((node) => !root.contains(node)).length;
}

/** {site, kind, handle, sender, media} for the composer at `root`. */
export function hintsFor(root, adapter) {
  const site = location.hostname;
  if (root instanceof HTMLInputElement) return { site, kind: isSignupForm(root, adapter) ? 'signup' : 'none' };
  const media = mediaCount(root, adapter) > 0;
  if (!adapter) return { site, kind: 'post', handle: null, sender: null, media };
  const reply = adapter.reply && safe(() => root.closest(adapter.reply));
  const kind = adapter.kind === 'email' ? 'email' : reply ? 'reply' : 'post';
  return {
    site,
    kind,
    handle: adapter.handle ? readHandle(nearest(root, adapter.handle)) : null,
    sender: adapter.sender ? readAddress(nearest(root, adapter.sender)) : null,
    media,
  };
}
